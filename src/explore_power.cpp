#include "explore_power.h"

#include <cmath>

#include "lpdla/error.h"

namespace lpdla {

void check_sweep_power_supported(const SweepSpec& spec) {
    if (spec.cost == CostKind::power || spec.constraints.max_power_w)
        throw Error("sweep: the power model is not available yet, so neither the max_power_w "
                    "constraint nor the 'power' cost can be used; constrain resources instead "
                    "(--max-alm-pct, --max-dsp-pct, --max-m20k-pct) or use --cost area|alm|dsp|m20k");
}

double sweep_point_power_w(const ArchConfig&, const Device&, const ResourceCounts&, const PerfTotals&) {
    return NAN;
}

} // namespace lpdla
