#pragma once
// The sweep's seam to the power model: the `max_power_w` constraint and the `power` cost go
// through these two functions only, so wiring in (or changing) the power model touches one file.
#include "lpdla/explore/sweep_spec.h"
#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/performance.h"

namespace lpdla {

// Throws lpdla::Error (bad input) when the spec asks for power and no power model is available.
void check_sweep_power_supported(const SweepSpec& spec);
// Watts of one design point, or NaN when no power model is available.
double sweep_point_power_w(const ArchConfig& resolved, const Device& device,
                           const ResourceCounts& resources, const PerfTotals& perf);

} // namespace lpdla
