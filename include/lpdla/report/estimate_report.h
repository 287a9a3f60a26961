#pragma once
// Writers for an estimate: JSON (machines), CSV (per-layer rows) and a readable table.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/estimate.h"

namespace lpdla {

// Inputs echoed in every report so a result can be reproduced from it alone.
struct EstimateContext {
    const Device* device = nullptr;
    const Network* network = nullptr;
    ArchConfig requested; // as given, before defaults were resolved
};

nlohmann::json estimate_to_json(const Estimate& e, const EstimateContext& ctx);
std::string estimate_to_table(const Estimate& e, const EstimateContext& ctx);
std::string estimate_to_csv(const Estimate& e, const EstimateContext& ctx);
nlohmann::json resources_to_json(const ResourceCounts& c);
// {compute, fill_drain, control, filter_load, memory_stall, calibrated} in cycles per image.
nlohmann::json cycle_breakdown_to_json(const CycleBreakdown& c);
// Every resource over its cap with its share of the device ("DSP 8634.0 % (cap 100 %), ALM
// 412.3 % (cap 85 %)"), empty when it fits: the first one alone hides how far off a design is.
std::string resources_over_caps(const Estimate& e);
// The device's timing coefficients as a report echoes them.
nlohmann::json timing_to_json(const Device& d);

} // namespace lpdla
