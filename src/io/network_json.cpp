#include "lpdla/io/json_io.h"

#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "accuracy_json.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/onnx_import.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
using nlohmann::json;
using strict_json::child;
using strict_json::Reader;

namespace {

int widen_channels(int channels, double width, int groups) {
    const double per_group = std::round(channels * width / groups);
    return int(std::max(1.0, per_group)) * groups;
}

Shape pooled(const Reader& rd, const std::string& p, const Shape& in, const Layer& l) {
    Shape out;
    out.channels = l.out_channels;
    // The window's extent: a dilated kernel spans (k - 1) x d + 1 pixels.
    const int extent_h = (l.kernel_h - 1) * l.dilation_h + 1;
    const int extent_w = (l.kernel_w - 1) * l.dilation_w + 1;
    const int h = in.height + l.pad_h + l.bottom() - extent_h;
    const int w = in.width + l.pad_w + l.right() - extent_w;
    if (h < 0 || w < 0) {
        const std::string dilation =
            l.dilated() ? fmt::format(" dilated {}x{} (extent {}x{})", l.dilation_h, l.dilation_w,
                                      extent_h, extent_w)
                        : "";
        const std::string pad = l.asymmetric_pad()
                                    ? fmt::format("pads top {} left {} bottom {} right {}", l.pad_h,
                                                  l.pad_w, l.bottom(), l.right())
                                    : fmt::format("pad {}x{}", l.pad_h, l.pad_w);
        rd.fail(p, fmt::format("kernel {}x{}{} with {} is larger than its {}x{} input", l.kernel_h,
                               l.kernel_w, dilation, pad, in.height, in.width));
    }
    out.height = window_outputs(in.height, l.kernel_h, l.stride_h, l.pad_h, l.bottom(),
                                l.dilation_h, l.ceil_mode);
    out.width = window_outputs(in.width, l.kernel_w, l.stride_w, l.pad_w, l.right(), l.dilation_w,
                               l.ceil_mode);
    return out;
}

// "pad": an integer, [height, width] (bottom and right as top and left) or
// [top, left, bottom, right] (ONNX's order).
void read_pads(const Reader& rd, const json& lj, const std::string& p, Layer& l) {
    if (!rd.has(lj, "pad")) return;
    const json& v = lj.at("pad");
    const auto path = child(p, "pad");
    if (v.is_number()) {
        l.pad_h = l.pad_w = int(rd.integer_value(v, path, 0, 1024));
        return;
    }
    if (!v.is_array() || (v.size() != 2 && v.size() != 4))
        rd.fail(path, fmt::format("{}; expected an integer, [height, width] or [top, left, "
                                  "bottom, right]",
                                  v.is_array() ? fmt::format("has {} values", v.size())
                                               : std::string("is not an integer or an array")));
    int pads[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < v.size(); ++i)
        pads[i] = int(rd.integer_value(v[i], child(path, i), 0, 1024));
    l.pad_h = pads[0], l.pad_w = pads[1];
    if (v.size() == 4) l.pad_bottom = pads[2], l.pad_right = pads[3];
}

// A conv's or a (non-global) pool's window: kernel, stride, pads, dilation.
void read_window(const Reader& rd, const json& lj, const std::string& p, Layer& l) {
    std::tie(l.kernel_h, l.kernel_w) = rd.pair(lj, "kernel", p, 1, 1024, {0, 0});
    if (l.kernel_h == 0) rd.fail(child(p, "kernel"), "missing required field");
    std::tie(l.stride_h, l.stride_w) = rd.pair(lj, "stride", p, 1, 1024, {1, 1});
    read_pads(rd, lj, p, l);
    std::tie(l.dilation_h, l.dilation_w) = rd.pair(lj, "dilation", p, 1, 1024, {1, 1});
}

// Window keys on a layer that has no window (or not that part of one): a message that says
// which layer types take the key, where the generic unknown-key one would only list the keys.
void refuse_window_keys(const Reader& rd, const json& lj, const std::string& p, LayerType type,
                        bool global_pool) {
    const bool pool = type == LayerType::maxpool || type == LayerType::avgpool;
    const auto check = [&](const char* key, bool applies, const char* where, const char* hint) {
        if (!rd.has(lj, key)) return;
        if (!applies)
            rd.fail(child(p, key), fmt::format("applies to {} only, not to a {} layer{}", where,
                                               to_string(type), hint));
        if (global_pool)
            rd.fail(child(p, key), "a global pool covers the whole map: it has no window to "
                                   "dilate or round");
    };
    check("dilation", pool || type == LayerType::conv, "conv, maxpool and avgpool layers", "");
    check("ceil_mode", pool, "maxpool and avgpool layers",
          type == LayerType::conv ? " (a conv has no ceil mode: pad its end instead)" : "");
    check("count_include_pad", type == LayerType::avgpool, "avgpool layers",
          type == LayerType::maxpool ? " (a max ignores padding)" : "");
}

// The keys a layer of `type` may carry (docs/FORMATS.md "Network"): add a key here when the parser
// learns to read it; anything else is an error that suggests the closest valid key.
std::vector<std::string_view> layer_keys(LayerType type) {
    std::vector<std::string_view> k{"name", "type",  "input",  "inputs", "in_shape",
                                    "bias", "widen", "source", "assumed"};
    switch (type) {
    case LayerType::conv:
        k.insert(k.end(),
                 {"out_channels", "kernel", "stride", "pad", "dilation", "groups", "precision"});
        break;
    case LayerType::fc:
        k.insert(k.end(), {"out_features", "in_features", "precision"});
        break;
    case LayerType::lrn:
        k.insert(k.end(), {"size"});
        break;
    case LayerType::maxpool:
        k.insert(k.end(), {"global", "kernel", "stride", "pad", "dilation", "ceil_mode"});
        break;
    case LayerType::avgpool:
        k.insert(k.end(), {"global", "kernel", "stride", "pad", "dilation", "ceil_mode",
                           "count_include_pad"});
        break;
    case LayerType::relu:
    case LayerType::add:
    case LayerType::concat:
        break;
    }
    return k;
}

// Largest tensor, weight set and MAC count one layer may have, and the most layers: above any
// shipped network at the largest width multiplier (VGG-16 at width 64: fc6 has 4.2e11 weights, its
// largest conv 7.6e12 MACs), small enough that every count stays exact in double and the
// network's int64 sums cannot overflow (10,000 x 2^48 < 2^63).
constexpr double max_layer_elements = double(std::int64_t(1) << 40);
constexpr double max_layer_macs = double(std::int64_t(1) << 48);
constexpr std::size_t max_layers = 10000;

void check_layer_size(const Reader& rd, const std::string& p, const Layer& l) {
    // In double first: the int64 products in Layer::macs() would overflow (undefined) first.
    const double out = double(l.out.channels) * l.out.height * l.out.width;
    const double in_per_group = double(l.in.channels) / std::max(1, l.groups);
    const double weights = l.type == LayerType::fc
                               ? double(l.out_channels) * l.in.elements()
                               : double(l.out_channels) * in_per_group * l.kernel_h * l.kernel_w;
    const double macs = l.type == LayerType::conv ? out * in_per_group * l.kernel_h * l.kernel_w
                                                  : (l.type == LayerType::fc ? weights : 0);
    if (out > max_layer_elements || weights > max_layer_elements || macs > max_layer_macs)
        rd.fail(p, fmt::format("layer is too large to model: {}x{}x{} outputs, {:g} weights, "
                               "{:g} MACs (limits 2^40 outputs or weights, 2^48 MACs)",
                               l.out.channels, l.out.height, l.out.width, weights, macs));
}

} // namespace

Network parse_network(const json& doc, const std::string& file, double width) {
    Reader rd(file);
    rd.schema(doc, "lpdla.network/1");
    if (!(width > 0) || width > max_width_multiplier)
        throw Error(fmt::format("width multiplier {} is not valid: expected a positive number up "
                                "to {} (e.g. 1, 2, 3)",
                                width, max_width_multiplier));
    Network net;
    net.source_file = file;
    net.width = width;
    rd.keys(doc, "",
            {"schema", "name", "display_name", "source", "variant", "notes", "input", "layers",
             "accuracy"});
    net.name = rd.string(doc, "name", "");
    net.display_name = rd.string_or(doc, "display_name", "", net.name);
    net.source = rd.string_or(doc, "source", "", "");
    net.variant = rd.string_or(doc, "variant", "", "");
    const json& input = rd.object(rd.field(doc, "input", ""), "/input");
    rd.keys(input, "/input", {"name", "channels", "height", "width", "source", "assumed"});
    net.input_name = rd.string_or(input, "name", "/input", "data");
    net.input.channels = rd.integer(input, "channels", "/input", 1, 1 << 20);
    net.input.height = rd.integer(input, "height", "/input", 1, 1 << 16);
    net.input.width = rd.integer(input, "width", "/input", 1, 1 << 16);

    const json& layers = rd.array(doc, "layers", "");
    if (layers.empty()) rd.fail("/layers", "a network needs at least one layer");
    if (layers.size() > max_layers)
        rd.fail("/layers", fmt::format("{} layers; at most {}", layers.size(), max_layers));
    std::set<std::string> names{net.input_name};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto p = child("/layers", i);
        const json& lj = rd.object(layers[i], p);
        Layer l;
        l.name = rd.string(lj, "name", p);
        if (!names.insert(l.name).second)
            rd.fail(child(p, "name"), fmt::format("layer name '{}' is used twice", l.name));
        const std::string type = rd.string(lj, "type", p);
        static const std::pair<const char*, LayerType> types[] = {
            {"conv", LayerType::conv},       {"fc", LayerType::fc},
            {"relu", LayerType::relu},       {"lrn", LayerType::lrn},
            {"maxpool", LayerType::maxpool}, {"avgpool", LayerType::avgpool},
            {"add", LayerType::add},         {"concat", LayerType::concat}};
        bool known = false;
        for (auto [n, t] : types)
            if (type == n) l.type = t, known = true;
        if (!known)
            rd.fail(child(p, "type"), fmt::format("unknown layer type '{}'; valid: conv, fc, relu, "
                                                  "lrn, maxpool, avgpool, add, concat",
                                                  type));
        refuse_window_keys(rd, lj, p, l.type,
                           rd.has(lj, "global") && lj.at("global").is_boolean() &&
                               lj.at("global").get<bool>());
        rd.keys(lj, p, layer_keys(l.type));
        if (rd.has(lj, "inputs")) {
            for (const auto& v : rd.array(lj, "inputs", p)) {
                if (!v.is_string()) rd.fail(child(p, "inputs"), "expected an array of layer names");
                l.inputs.push_back(v.get<std::string>());
            }
        } else {
            l.inputs.push_back(rd.string(lj, "input", p));
        }
        const std::size_t want_inputs = l.type == LayerType::add ? 2 : 1;
        if (l.type == LayerType::concat) {
            if (l.inputs.size() < 2)
                rd.fail(p, fmt::format("a concat layer takes two or more \"inputs\", got {}",
                                       l.inputs.size()));
        } else if (l.inputs.size() != want_inputs)
            rd.fail(p, fmt::format("a {} layer takes {} input(s), got {}", type, want_inputs,
                                   l.inputs.size()));
        std::vector<Shape> in_shapes;
        for (const auto& name : l.inputs) {
            if (name == net.input_name) {
                l.input_index.push_back(-1);
                in_shapes.push_back(net.input);
                continue;
            }
            const int src = net.find(name);
            if (src < 0)
                rd.fail(p, fmt::format("input '{}' is not an earlier layer nor the network input "
                                       "'{}'",
                                       name, net.input_name));
            l.input_index.push_back(src);
            in_shapes.push_back(net.layers[src].out);
        }
        l.in = in_shapes[0];
        if (rd.has(lj, "in_shape")) {
            const json& s = lj["in_shape"];
            if (!s.is_array() || s.size() != 3)
                rd.fail(child(p, "in_shape"), "expected [channels, height, width]");
            const auto sp = child(p, "in_shape");
            const Shape declared{int(rd.integer_value(s[0], child(sp, 0), 1, 1 << 30)),
                                 int(rd.integer_value(s[1], child(sp, 1), 1, 1 << 16)),
                                 int(rd.integer_value(s[2], child(sp, 2), 1, 1 << 16))};
            if (width == 1.0 && !(declared == l.in))
                rd.fail(child(p, "in_shape"),
                        fmt::format("declares input {}x{}x{} but producer '{}' gives {}x{}x{}",
                                    declared.channels, declared.height, declared.width, l.inputs[0],
                                    l.in.channels, l.in.height, l.in.width));
        }
        l.bias = rd.boolean_or(lj, "bias", p, false);
        if (rd.has(lj, "precision")) {
            // The layer's own precision (issue 14), e.g. a first layer kept at 8 bits.
            const std::string text = rd.string(lj, "precision", p);
            try {
                l.precision = parse_precision(text, child(p, "precision"));
            } catch (const Error& e) {
                rd.fail(child(p, "precision"), e.what());
            }
        }
        l.widen = rd.boolean_or(lj, "widen", p, true);
        const double w = l.widen ? width : 1.0;
        switch (l.type) {
        case LayerType::conv: {
            l.groups = rd.integer_or(lj, "groups", p, 1, 1 << 16, 1);
            l.out_channels =
                widen_channels(rd.integer(lj, "out_channels", p, 1, 1 << 20), w, l.groups);
            read_window(rd, lj, p, l);
            if (l.in.channels % l.groups != 0 || l.out_channels % l.groups != 0)
                rd.fail(
                    child(p, "groups"),
                    fmt::format("groups {} must divide input channels {} and output channels {}",
                                l.groups, l.in.channels, l.out_channels));
            l.out = pooled(rd, p, l.in, l);
            break;
        }
        case LayerType::fc:
            l.out_channels = widen_channels(rd.integer(lj, "out_features", p, 1, 1 << 24), w, 1);
            if (rd.has(lj, "in_features")) {
                const int declared = rd.integer(lj, "in_features", p, 1, 1 << 30);
                if (width == 1.0 && declared != l.in.elements())
                    rd.fail(child(p, "in_features"),
                            fmt::format("declares {} inputs but producer '{}' gives {}", declared,
                                        l.inputs[0], l.in.elements()));
            }
            l.out = {l.out_channels, 1, 1};
            break;
        case LayerType::relu:
        case LayerType::lrn:
            l.lrn_size = l.type == LayerType::lrn ? rd.integer_or(lj, "size", p, 1, 1024, 5) : 0;
            l.out_channels = l.in.channels;
            l.out = l.in;
            break;
        case LayerType::maxpool:
        case LayerType::avgpool:
            l.out_channels = l.in.channels;
            l.global_pool = rd.boolean_or(lj, "global", p, false);
            if (l.global_pool) {
                l.kernel_h = l.in.height, l.kernel_w = l.in.width;
            } else {
                read_window(rd, lj, p, l);
                l.ceil_mode = rd.boolean_or(lj, "ceil_mode", p, false);
                l.count_include_pad = rd.boolean_or(lj, "count_include_pad", p, false);
            }
            l.out = pooled(rd, p, l.in, l);
            break;
        case LayerType::add:
            if (!(in_shapes[0] == in_shapes[1]))
                rd.fail(child(p, "inputs"),
                        fmt::format("element-wise add of '{}' ({}x{}x{}) and '{}' ({}x{}x{}): "
                                    "shapes must match",
                                    l.inputs[0], in_shapes[0].channels, in_shapes[0].height,
                                    in_shapes[0].width, l.inputs[1], in_shapes[1].channels,
                                    in_shapes[1].height, in_shapes[1].width));
            l.out_channels = l.in.channels;
            l.out = l.in;
            break;
        case LayerType::concat:
            // The image streams in from DDR and is never stored, so no producer writes it at a
            // channel offset of the concat's region (docs/MODEL.md §3).
            for (std::size_t k = 0; k < l.input_index.size(); ++k)
                if (l.input_index[k] < 0)
                    rd.fail(child(p, "inputs"),
                            fmt::format("concat layer '{}' joins the network input '{}': the "
                                        "image streams from DDR and is never stored on chip; "
                                        "only layers' outputs can be concatenated",
                                        l.name, l.inputs[k]));
            try {
                l.out = concat_shape(l.name, l.inputs, in_shapes);
            } catch (const Error& e) {
                rd.fail(child(p, "inputs"), e.what());
            }
            l.out_channels = l.out.channels;
            break;
        }
        check_layer_size(rd, p, l);
        net.layers.push_back(std::move(l));
    }
    if (rd.has(doc, "accuracy")) {
        const json& rows = rd.array(doc, "accuracy", "");
        for (std::size_t i = 0; i < rows.size(); ++i)
            net.accuracy.push_back(parse_accuracy_row(rd, rows[i], child("/accuracy", i)));
    }
    return net;
}

Network load_network(const std::filesystem::path& name_or_path, double width) {
    const auto file = find_data_file("networks", name_or_path.string());
    return parse_network(is_onnx_file(file) ? import_onnx_network(file) : read_json_file(file),
                         file.string(), width);
}

} // namespace lpdla
