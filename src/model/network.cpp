#include "lpdla/model/network.h"

#include <cmath>

namespace lpdla {

std::string_view to_string(LayerType type) {
    switch (type) {
    case LayerType::conv:
        return "conv";
    case LayerType::fc:
        return "fc";
    case LayerType::relu:
        return "relu";
    case LayerType::lrn:
        return "lrn";
    case LayerType::maxpool:
        return "maxpool";
    case LayerType::avgpool:
        return "avgpool";
    case LayerType::add:
        return "add";
    }
    return "?";
}

std::int64_t Layer::weights() const {
    if (type == LayerType::fc) return std::int64_t(out_channels) * in.elements();
    if (type != LayerType::conv) return 0;
    return std::int64_t(out_channels) * (in.channels / groups) * kernel_h * kernel_w;
}

std::int64_t Layer::macs() const {
    if (type == LayerType::fc) return weights();
    if (type != LayerType::conv) return 0;
    return std::int64_t(out.height) * out.width * weights();
}

std::int64_t Network::macs() const {
    std::int64_t total = 0;
    for (const auto& l : layers) total += l.macs();
    return total;
}

std::int64_t Network::weights() const {
    std::int64_t total = 0;
    for (const auto& l : layers) total += l.weights();
    return total;
}

int Network::find(std::string_view layer_name) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == layer_name) return int(i);
    return -1;
}

std::optional<AccuracyEntry> lookup_accuracy(const Network& net, const Precision& p, double width) {
    const AccuracyEntry* variant_match = nullptr;
    for (const auto& row : net.accuracy) {
        if (row.weights != p.weights || row.act_bits != p.act_bits) continue;
        if (std::abs(row.width - width) > 1e-9) continue;
        if (row.variant.empty()) return row;
        if (!variant_match) variant_match = &row;
    }
    if (variant_match) return *variant_match;
    return std::nullopt;
}

} // namespace lpdla
