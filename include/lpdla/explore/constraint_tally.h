#pragma once
// How many design points each sweep constraint removed: the answer to "why is nothing
// feasible?" and the honest count behind "N designs excluded: top-1 unknown". A second pass over
// the grid, apart from the engine, so the engine's hot loop keeps only what it needs to decide.
#include <cstdint>
#include <string>

#include "lpdla/explore/sweep_engine.h"

namespace lpdla {

// Points are (configuration, network, width). Each removed point is counted once, under the
// first constraint it fails, in the engine's order: resource caps (with the memories sized to its
// network), min images/s, max latency, unknown top-1, min top-1, max power.
struct ConstraintTally {
    std::uint64_t configs = 0, configs_unbuildable = 0;
    std::uint64_t points = 0; // of buildable configurations
    std::uint64_t resource_caps = 0, min_images_per_s = 0, max_latency_ms = 0;
    std::uint64_t top1_unknown = 0; // no accuracy row, or only another variant's (not accepted)
    std::uint64_t top1_other_variant = 0; // of top1_unknown: a row exists on another variant
    std::uint64_t min_top1 = 0, max_power_w = 0;
    std::uint64_t feasible = 0;
    ConstraintTally& operator+=(const ConstraintTally& o);
    friend bool operator==(const ConstraintTally&, const ConstraintTally&) = default;
};

// Evaluates every point of the shard (threads = 0: all hardware threads).
ConstraintTally tally_constraints(const SweepSpec& spec, const SweepInputs& inputs,
                                  const Shard& shard = {}, unsigned threads = 0);

// "resource caps removed 1,234 of 5,000 points; min top-1 ...", one clause per constraint that
// removed something, for the "nothing feasible" error and the summaries.
std::string describe_tally(const ConstraintTally& tally);
// "N designs excluded: top-1 unknown (M of them have a row on another variant only: pass
// --accept-accuracy-from-variants to use it)"; empty when nothing was excluded so.
std::string top1_exclusion_note(const ConstraintTally& tally);

} // namespace lpdla
