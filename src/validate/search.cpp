// The bounded configuration search behind "the best configuration the model finds" (validate's
// cases and the trade-off table). A full grid, small by construction (SearchGrid::size()), so it
// always ends and always gives the same answer.
#include "lpdla/validate/validate.h"

#include <algorithm>

#include "lpdla/model/performance.h"

namespace lpdla {

std::optional<SearchResult> best_configuration(const Device& device, const Network& network,
                                               const ArchConfig& base, const UtilisationCaps& caps,
                                               const SearchGrid& grid, double throughput_slack) {
    // Repeated layers (ResNet blocks) are planned once: identical totals, far fewer layers.
    // Repeated layers (ResNet blocks) are planned once: identical totals, far fewer layers.
    const NetworkPlan plan = plan_network(network, true);
    struct Candidate {
        ArchConfig arch;
        double ips, alm;
    };
    std::vector<Candidate> feasible;
    std::size_t evaluated = 0;
    for (double fraction : grid.stream_buffer_fraction) {
        for (int lanes : grid.lanes) {
            for (int q : grid.q_vec) {
                for (int c : grid.c_vec) {
                    for (int k : grid.k_vec) {
                        ArchConfig a = base;
                        a.k_vec = k;
                        a.c_vec = c;
                        a.q_vec = q;
                        a.lanes = lanes;
                        a.stream_buffer_kib =
                            std::max(1, int(device.available.m20k * double(device.m20k.bits) *
                                            fraction / 8192));
                        ++evaluated;
                        if (!arch_problem(a).empty()) continue;
                        const ArchConfig r = resolve_arch(a, device);
                        const ResourceCounts used = resource_totals(r, device);
                        if (!fits_device(used, device.available, caps)) continue;
                        feasible.push_back(
                            {r, evaluate_plan(plan, r, device).images_per_s, used.alm});
                    }
                }
            }
        }
    }
    double top = -1;
    for (const auto& c : feasible) top = std::max(top, c.ips);
    // Among the points within the slack of the top throughput, the one with the fewest ALMs;
    // equal ALMs keep grid order (determinism). With slack 0 this is the fastest point.
    const Candidate* pick = nullptr;
    for (const auto& c : feasible) {
        if (c.ips < top * (1 - throughput_slack)) continue;
        if (!pick || c.alm < pick->alm) pick = &c;
    }
    std::optional<ArchConfig> best;
    if (pick) best = pick->arch;
    const std::size_t feasible_count = feasible.size();
    if (!best) return std::nullopt;
    SearchResult result{*best, estimate(device, network, *best, caps), evaluated, feasible_count};
    return result;
}

} // namespace lpdla
