#pragma once
// One accuracy row ({weights, act_bits, width, top1, top5, source, variant}): shared by a network
// file's "accuracy" array and a standalone lpdla.accuracy/1 file.
#include <string>

#include "lpdla/io/strict_json.h"
#include "lpdla/model/network.h"

namespace lpdla {

AccuracyEntry parse_accuracy_row(const strict_json::Reader& rd, const nlohmann::json& row,
                                 const std::string& p);

} // namespace lpdla
