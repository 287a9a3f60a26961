#include "lpdla/model/network.h"

#include <cmath>

#include <fmt/format.h>

#include "lpdla/error.h"

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
    case LayerType::concat:
        return "concat";
    }
    return "?";
}

int window_outputs(int in, int kernel, int stride, int pad_begin, int pad_end, int dilation,
                   bool ceil_mode) {
    const int span = in + pad_begin + pad_end - ((kernel - 1) * dilation + 1);
    if (!ceil_mode) return span / stride + 1;
    int out = (span + stride - 1) / stride + 1;
    // The last window must start inside the input or its begin padding.
    if ((out - 1) * stride >= in + pad_begin) --out;
    return out;
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

Shape concat_shape(std::string_view layer, const std::vector<std::string>& inputs,
                   const std::vector<Shape>& shapes) {
    const auto listed = [&] {
        std::string text;
        for (std::size_t i = 0; i < shapes.size(); ++i)
            text += fmt::format("{}'{}' ({}x{}x{})", i ? ", " : "",
                                i < inputs.size() ? inputs[i] : std::string("?"),
                                shapes[i].channels, shapes[i].height, shapes[i].width);
        return text;
    };
    if (shapes.size() < 2)
        throw Error(fmt::format("concat layer '{}' has {} input(s) ({}); it joins two or more",
                                layer, shapes.size(), listed()));
    Shape out{0, shapes[0].height, shapes[0].width};
    for (const Shape& s : shapes) {
        if (s.height != out.height || s.width != out.width)
            throw Error(fmt::format("concat layer '{}' joins channels of maps of one height and "
                                    "width, but its inputs are {}",
                                    layer, listed()));
        out.channels += s.channels;
    }
    return out;
}

int Network::find(std::string_view layer_name) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == layer_name) return int(i);
    return -1;
}

bool accuracy_from_other_variant(const Network& net, const AccuracyEntry& row) {
    return !row.variant.empty() && row.variant != net.variant;
}

std::optional<AccuracyEntry> lookup_accuracy(const Network& net, const Precision& p, double width,
                                             const std::optional<Precision>& first_last) {
    // A first/last precision equal to the rest's is no special treatment.
    const auto normal = [](const std::optional<Precision>& fl, const Precision& rest) {
        return fl && *fl == rest ? std::optional<Precision>() : fl;
    };
    const std::optional<Precision> wanted = normal(first_last, p);
    const AccuracyEntry* best = nullptr;
    int best_rank = -1;
    for (const auto& row : net.accuracy) {
        if (row.weights != p.weights || row.act_bits != p.act_bits) continue;
        if (std::abs(row.width - width) > 1e-9) continue;
        if (row.first_last_stated && normal(row.first_last, p) != wanted) continue;
        // This network's own variant first, then a stated first/last treatment.
        const int rank =
            (accuracy_from_other_variant(net, row) ? 0 : 2) + (row.first_last_stated ? 1 : 0);
        if (rank > best_rank) best = &row, best_rank = rank;
    }
    if (!best) return std::nullopt;
    AccuracyEntry row = *best;
    row.other_variant = accuracy_from_other_variant(net, row);
    return row;
}

std::string describe_first_last(const AccuracyEntry& row) {
    if (!row.first_last_stated) return "first/last layers not stated";
    if (!row.first_last) return "first/last layers at the same precision";
    return "first/last layers at " + precision_label(*row.first_last);
}

std::string describe_accuracy(const AccuracyEntry& row) {
    const std::string fp32 =
        row.fp32_top1 ? fmt::format("FP32 {:.1f} %", 100 * *row.fp32_top1) : "FP32 unknown";
    if (row.other_variant)
        return fmt::format("{:.1f} % on {}, {}", 100 * row.top1, row.variant, fp32);
    return fmt::format("{:.1f} % ({})", 100 * row.top1, fp32);
}

} // namespace lpdla
