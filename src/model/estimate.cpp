#include "lpdla/model/estimate.h"

#include "lpdla/model/finite.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/precision_assignment.h"

namespace lpdla {

Estimate estimate(const Device& device, const Network& network, const ArchConfig& arch,
                  const UtilisationCaps& caps) {
    Estimate e;
    const NetworkPlan plan = plan_network(network, false);
    const ArchConfig resolved = size_wide_layers(resolve_arch(arch, device), plan);
    check_layer_precisions(network, resolved);
    e.arch = size_memories(resolved, plan);
    e.caps = caps;
    e.resources = estimate_resources(e.arch, device, caps);
    e.layers.resize(plan.layers.size());
    e.totals = evaluate_plan(plan, e.arch, device, e.layers);
    e.power = estimate_power(e.resources.total, device, e.arch.fmax_mhz,
                             e.totals.ddr_bytes_per_image * e.totals.images_per_s);
    e.accuracy = lookup_accuracy(network, e.arch.precision, network.width, e.arch.first_last);
    e.fits = e.resources.fits;
    check_finite(e, device, network); // no NaN/inf ever reaches a report (issue 13)
    return e;
}

} // namespace lpdla
