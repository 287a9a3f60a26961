// "The best configuration the model finds" (validate's cases and the trade-off table): a view over
// the sweep engine on a small, fixed grid (SearchGrid), so validate, tradeoff and sweep evaluate a
// configuration identically and find the same points.
#include <algorithm>

#include "lpdla/explore/sweep_engine.h"
#include "lpdla/validate/validate.h"

namespace lpdla {

std::optional<SearchResult> best_configuration(const Device& device, const Network& network,
                                               const ArchConfig& base, const UtilisationCaps& caps,
                                               const SearchGrid& grid, double throughput_slack) {
    SweepSpec spec;
    spec.name = "best_configuration";
    spec.source = "validate search grid";
    spec.devices = {device.name};
    spec.networks = {network.name};
    spec.widths = {network.width};
    spec.k_vec = grid.k_vec;
    spec.c_vec = grid.c_vec;
    spec.q_vec = grid.q_vec;
    spec.lanes = grid.lanes;
    spec.precisions = {base.precision};
    spec.fmax_mhz = {base.fmax_mhz};
    spec.mac_impl = {base.mac_impl};
    spec.fixed = base;
    spec.constraints.caps = caps;
    spec.cost = CostKind::alm; // the economical design: fewest ALMs within the slack

    SweepInputs in;
    in.devices = {device};
    NetworkVariant v;
    v.name = network.name;
    v.width = network.width;
    // Repeated layers (ResNet blocks) are planned once: identical totals, far fewer layers.
    v.plan = plan_network(network, true);
    const auto row = lookup_accuracy(network, base.precision, network.width);
    v.top1 = {row ? std::optional<double>(row->top1) : std::nullopt};
    in.variants = {std::move(v)};

    const SweepResult result = run_sweep(spec, in);
    const GroupResult& group = result.groups.at(0);
    if (!group.best.images_per_s) return std::nullopt;
    const double top = group.best.images_per_s->obj.images_per_s;
    // Among the front's points within the slack of the top throughput, the one with the fewest
    // ALMs (the front holds every point not beaten on both); with slack 0, the fastest point.
    const SweepPoint* pick = &*group.best.images_per_s;
    if (throughput_slack > 0)
        for (const SweepPoint& p : group.pareto)
            if (p.obj.images_per_s >= top * (1 - throughput_slack) && p.obj.cost < pick->obj.cost)
                pick = &p;
    ArchConfig arch = pick->config;
    // Report the memories as the caller asked for them (auto stays auto; sized identically).
    arch.stream_buffer_kib = base.stream_buffer_kib;
    arch.filter_cache_depth = base.filter_cache_depth;
    return SearchResult{arch, estimate(device, network, arch, caps),
                        std::size_t(result.counts.configs),
                        std::size_t(result.counts.points_feasible)};
}

} // namespace lpdla
