#include "lpdla/model/precision_assignment.h"

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {

void apply_layer_precisions(Network& net, std::span<const LayerPrecisionOverride> overrides,
                            const std::string& what) {
    for (const auto& o : overrides) {
        const int i = net.find(o.layer);
        if (i < 0 || (net.layers[std::size_t(i)].type != LayerType::conv &&
                      net.layers[std::size_t(i)].type != LayerType::fc)) {
            std::string compute;
            int listed = 0;
            for (const Layer& l : net.layers)
                if ((l.type == LayerType::conv || l.type == LayerType::fc) && listed++ < 8)
                    compute += (compute.empty() ? "" : ", ") + l.name;
            throw Error(fmt::format("{}: '{}' is not a conv or fc layer of network {}; valid are "
                                    "its conv/fc layer names ({}{})",
                                    what, o.layer, net.name, compute, listed > 8 ? ", ..." : ""));
        }
        if (auto problem = precision_problem(o.precision); !problem.empty())
            throw Error(fmt::format("{}: layer '{}': {}", what, o.layer, problem));
        net.layers[std::size_t(i)].precision = o.precision;
    }
}

void check_layer_precisions(const Network& net, const ArchConfig& resolved) {
    for (const Layer& l : net.layers) {
        if (!l.precision || *l.precision == resolved.precision) continue;
        if (auto problem = wide_layer_problem(*l.precision, resolved); !problem.empty())
            throw Error(fmt::format("network {}, layer '{}' at {}: {}", net.name, l.name,
                                    precision_label(*l.precision), problem));
    }
}

std::string precision_assignment_label(const ArchConfig& a) {
    if (!a.first_last || *a.first_last == a.precision) return precision_label(a.precision);
    return fmt::format("{}, first/last {} ({})", precision_label(a.precision),
                       precision_label(*a.first_last), to_string(a.wide_layers));
}

} // namespace lpdla
