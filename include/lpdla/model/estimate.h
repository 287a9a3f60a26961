#pragma once
// One configuration on one device for one network: resources, per-layer performance, totals,
// accuracy. The library's main entry point; the CLI's `estimate` only formats it.
#include <optional>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/model/performance.h"
#include "lpdla/model/power.h"
#include "lpdla/model/resources.h"

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
