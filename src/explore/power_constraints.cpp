#include "power_constraints.h"

#include <cmath>

#include "lpdla/error.h"

// The power model lands separately (include/lpdla/power.h + src/power.cpp); until it is in the
// tree the sweep reports power as null and refuses power constraints with a clear message.
#if __has_include("lpdla/model/power.h")
#include "lpdla/model/power.h"
#define LPDLA_SWEEP_HAS_POWER 1
#else
#define LPDLA_SWEEP_HAS_POWER 0
#endif

namespace lpdla {

void check_sweep_power_supported(const SweepSpec& spec) {
    if (!LPDLA_SWEEP_HAS_POWER && (spec.cost == CostKind::power || spec.constraints.max_power_w))
        throw Error(
            "sweep: the power model is not available yet, so neither the max_power_w "
            "constraint nor the 'power' cost can be used; constrain resources instead "
            "(--max-alm-pct, --max-dsp-pct, --max-m20k-pct) or use --cost area|alm|dsp|m20k");
}

double sweep_point_power_w([[maybe_unused]] const ArchConfig& resolved,
                           [[maybe_unused]] const Device& device,
                           [[maybe_unused]] const ResourceCounts& resources,
                           [[maybe_unused]] const PerfTotals& perf) {
#if LPDLA_SWEEP_HAS_POWER
    // The same call `estimate` makes, so a point's power matches `estimate --config` for it.
    return estimate_power(resources, device, resolved.fmax_mhz,
                          perf.ddr_bytes_per_image * perf.images_per_s)
        .total_w();
#else
    return NAN;
#endif
}

} // namespace lpdla
