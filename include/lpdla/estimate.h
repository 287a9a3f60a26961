#pragma once
// One configuration on one device for one network: resources, per-layer performance, totals,
// accuracy. The library's main entry point; the CLI's `estimate` only formats it.
#include <optional>
#include <vector>

#include "lpdla/arch.h"
#include "lpdla/device.h"
#include "lpdla/network.h"
#include "lpdla/performance.h"
#include "lpdla/power.h"
#include "lpdla/resources.h"

namespace lpdla {

struct Estimate {
    ArchConfig arch; // resolved: every default filled in
    UtilisationCaps caps;
    ResourceReport resources;
    std::vector<LayerPerf> layers; // one per network layer, network order
    PerfTotals totals;
    PowerBreakdown power; // at the resolved clock, device default activity, totals' DDR traffic
    std::optional<AccuracyEntry> accuracy;
    bool fits = false;
};

Estimate estimate(const Device& device, const Network& network, const ArchConfig& arch,
                  const UtilisationCaps& caps = {});

} // namespace lpdla
