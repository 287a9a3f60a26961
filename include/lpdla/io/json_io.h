#pragma once
// All parsing and validation of lpdla's JSON files. Errors name the file and the JSON path.
#include <filesystem>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"

namespace lpdla {

// Reads and parses a JSON file; throws lpdla::Error naming the file and the parse position.
nlohmann::json read_json_file(const std::filesystem::path& path);

// A shipped device or network by name ("arria10_gx1150", "alexnet": a file stem under the data
// directory, lpdla/io/data_paths.h) or a path to a .json file (anything with a '/' or ending in
// .json), as the CLI takes them.
Device load_device(const std::filesystem::path& name_or_path);
// Loads a network and applies the width multiplier; shapes are inferred and checked.
Network load_network(const std::filesystem::path& name_or_path, double width = 1.0);
Device parse_device(const nlohmann::json& doc, const std::string& file);
Network parse_network(const nlohmann::json& doc, const std::string& file, double width = 1.0);

// Accuracy rows from a user file ({"schema": "lpdla.accuracy/1", "network": N, "rows": [...]}).
std::vector<AccuracyEntry> load_accuracy_rows(const std::filesystem::path& path,
                                              const std::string& network_name);

// A configuration (schema lpdla.config/1): arch knobs plus optional device/network/width.
struct ConfigFile {
    ArchConfig arch;
    std::string device, network; // empty when the file does not name them
    double width = 0;            // 0 when the file does not name it
};
ConfigFile parse_config(const nlohmann::json& doc, const std::string& file);
ConfigFile load_config(const std::filesystem::path& path);
nlohmann::json config_to_json(const ArchConfig& arch, const std::string& device,
                              const std::string& network, double width);
// The knobs a sweep holds fixed (ddr_gbps, fc_batch, buffers, overhead, fold_strides), as the
// fields of one object: shared by a configuration file and a sweep spec's "fixed" block.
nlohmann::json fixed_knobs_to_json(const ArchConfig& arch);

// Writes text to path atomically (temporary file + rename); throws lpdla::Error on failure.
void write_file_atomic(const std::filesystem::path& path, const std::string& text);

} // namespace lpdla
