// ONNX model -> lpdla.network/1 document. Each supported node becomes one lpdla layer or is
// folded into one (BatchNormalization and a constant Add into the producing conv/fc's bias,
// Flatten/Reshape/Dropout/Identity/Softmax into nothing: the next layer reads the same data).
#include "lpdla/io/onnx_import.h"

#include <algorithm>
#include <array>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "onnx_model.h"

namespace lpdla {
using nlohmann::json;
using onnx_import::Attributes;
using onnx_import::Dims;
using onnx_import::dims_text;
using onnx_import::Model;
using onnx_import::node_name;

namespace {

// Input positions that carry parameters (weights, biases, scales, zero points), not feature maps.
const std::map<std::string, std::set<int>>& parameter_inputs() {
    static const std::map<std::string, std::set<int>> p = {
        {"Conv", {1, 2}},
        {"ConvInteger", {1, 2, 3}},
        {"QLinearConv", {1, 2, 3, 4, 5, 6, 7, 8}},
        {"Gemm", {1, 2}},
        {"MatMul", {1}},
        {"BatchNormalization", {1, 2, 3, 4}},
        {"Clip", {1, 2}},
        {"Reshape", {1}},
        {"Dropout", {1, 2}},
    };
    return p;
}

// Where an ONNX tensor's data comes from in lpdla's graph.
struct Source {
    std::string layer;      // the lpdla layer (or the network input) that produces it
    bool flattened = false; // a Flatten/Reshape view: only an FC may read it
    bool direct = false;    // the layer's own output (not a view), so a bias can fold into it
};

class Converter {
  public:
    explicit Converter(const Model& m) : m_(m) {}

    json run();
    // (ONNX tensor, lpdla layer) pairs whose shapes must agree.
    const std::vector<std::pair<std::string, std::string>>& checks() const { return checks_; }
    const std::map<std::string, std::string>& layer_nodes() const { return layer_node_; }

  private:
    const Model& m_;
    std::map<std::string, Source> tensors_;
    std::map<std::string, int> consumers_; // how many node inputs read each tensor
    std::map<std::string, std::size_t> layer_at_;
    std::map<std::string, std::string> layer_node_; // lpdla layer -> ONNX node it came from
    std::set<std::string> names_;
    json layers_ = json::array();
    std::vector<std::pair<std::string, std::string>> checks_;
    std::string image_;

    std::string find_image() const;
    const Source& data_input(const onnx::NodeProto& node, int index) const;
    Dims param_dims(const onnx::NodeProto& node, int index, std::size_t rank,
                    const char* what) const;
    Dims map_dims(const onnx::NodeProto& node, int index) const;
    bool has_input(const onnx::NodeProto& node, int index) const {
        return node.input_size() > index && !node.input(index).empty();
    }
    json& add_layer(const onnx::NodeProto& node, json layer, const std::string& input);
    void alias(const onnx::NodeProto& node, const Source& src);
    void fold_bias(const onnx::NodeProto& node, const std::string& data_tensor);
    [[noreturn]] void not_expressible(const onnx::NodeProto& node, const std::string& what) const {
        m_.fail_node(node, what + ": not in lpdla's layer set (docs/FORMATS.md \"ONNX import\")");
    }
    // [top, left, bottom, right] from pads / auto_pad, for a window of `kernel` with `dilation`.
    std::array<std::int64_t, 4> window_pads(const onnx::NodeProto& node, const Attributes& a,
                                            const Dims& in, const Dims& kernel, const Dims& stride,
                                            const Dims& dilation) const;
    static void set_window(json& layer, const std::array<std::int64_t, 4>& pads, const Dims& stride,
                           const Dims& dilation);

    void conv(const onnx::NodeProto& node);
    void pool(const onnx::NodeProto& node);
    void gemm(const onnx::NodeProto& node);
    void add(const onnx::NodeProto& node);
    void concat(const onnx::NodeProto& node);
    void batch_norm(const onnx::NodeProto& node);
    void flatten(const onnx::NodeProto& node);
    void relu(const onnx::NodeProto& node);
    void lrn(const onnx::NodeProto& node);
    bool handle(const onnx::NodeProto& node);
};

std::string Converter::find_image() const {
    const auto& g = m_.proto.graph();
    std::set<std::string> params;
    for (const auto& node : g.node()) {
        auto it = parameter_inputs().find(node.op_type());
        if (it == parameter_inputs().end()) continue;
        for (int i : it->second)
            if (i < node.input_size()) params.insert(node.input(i));
    }
    std::vector<std::string> images;
    for (const auto& in : g.input())
        if (!m_.initialisers.count(in.name()) && !params.count(in.name()) &&
            consumers_.count(in.name()))
            images.push_back(in.name());
    if (images.empty()) m_.fail("the graph has no image input (every input is a parameter)");
    if (images.size() > 1)
        m_.fail(fmt::format("the graph has {} image inputs ({}); lpdla models networks with one",
                            images.size(), fmt::join(images, ", ")));
    return images[0];
}

const Source& Converter::data_input(const onnx::NodeProto& node, int index) const {
    if (!has_input(node, index)) m_.fail_node(node, fmt::format("input {} is missing", index));
    const std::string& t = node.input(index);
    auto it = tensors_.find(t);
    if (it != tensors_.end()) return it->second;
    if (m_.initialisers.count(t))
        m_.fail_node(node, fmt::format("input '{}' is a constant (an initialiser), not a feature "
                                       "map: not in lpdla's layer set",
                                       t));
    for (const auto& other : m_.proto.graph().node())
        for (const auto& out : other.output())
            if (out == t)
                m_.fail_node(node, fmt::format("input '{}' is produced by node '{}', which comes "
                                               "later or is not imported (the graph must be in "
                                               "topological order)",
                                               t, node_name(other)));
    m_.fail_node(node, fmt::format("input '{}' is dangling: no node produces it and it is not a "
                                   "graph input or initialiser",
                                   t));
}

Dims Converter::param_dims(const onnx::NodeProto& node, int index, std::size_t rank,
                           const char* what) const {
    if (!has_input(node, index))
        m_.fail_node(node, fmt::format("its {} (input {}) is missing", what, index));
    const std::string& t = node.input(index);
    const auto d = m_.shape(t);
    if (!d) {
        bool is_graph_input = false;
        for (const auto& in : m_.proto.graph().input()) is_graph_input |= in.name() == t;
        if (!is_graph_input && !tensors_.count(t))
            m_.fail_node(node, fmt::format("{} '{}' is dangling: no node produces it and it is "
                                           "not a graph input or initialiser",
                                           what, t));
        m_.fail_node(node, fmt::format("{} '{}' has no shape in the model", what, t));
    }
    if (rank && d->size() != rank)
        m_.fail_node(node, fmt::format("{} '{}' has shape {}; expected {} dimensions", what, t,
                                       dims_text(*d), rank));
    for (auto v : *d)
        if (v < 0)
            m_.fail_node(node, fmt::format("{} '{}' has shape {}: every dimension must be known",
                                           what, t, dims_text(*d)));
    return *d;
}

// The feature map a node reads, as [N, C, H, W] with known C, H, W.
Dims Converter::map_dims(const onnx::NodeProto& node, int index) const {
    const std::string& t = node.input(index);
    const auto d = m_.shape(t);
    if (!d) m_.fail_node(node, fmt::format("input '{}' has no shape in the model", t));
    if (d->size() != 4)
        m_.fail_node(node, fmt::format("input '{}' has shape {}: lpdla takes 2-D feature maps "
                                       "[N, C, H, W] only",
                                       t, dims_text(*d)));
    for (std::size_t i = 1; i < 4; ++i)
        if ((*d)[i] < 0)
            m_.fail_node(node, fmt::format("input '{}' has shape {}: C, H and W must be known", t,
                                           dims_text(*d)));
    return *d;
}

json& Converter::add_layer(const onnx::NodeProto& node, json layer, const std::string& input) {
    std::string name = node_name(node);
    for (int n = 2; names_.count(name); ++n) name = fmt::format("{}_{}", node_name(node), n);
    names_.insert(name);
    json out = {{"name", name}, {"type", layer.at("type")}};
    if (!input.empty()) out["input"] = input;
    for (auto it = layer.begin(); it != layer.end(); ++it)
        if (it.key() != "type") out[it.key()] = it.value();
    out["source"] = fmt::format("ONNX node '{}' ({})", node_name(node), node.op_type());
    layer_at_[name] = layers_.size();
    layer_node_[name] = node_name(node);
    layers_.push_back(std::move(out));
    tensors_[node.output(0)] = Source{name, false, true};
    checks_.emplace_back(node.output(0), name);
    return layers_.back();
}

void Converter::alias(const onnx::NodeProto& node, const Source& src) {
    Source s = src;
    s.direct = false;
    tensors_[node.output(0)] = s;
}

// A bias (BatchNormalization's shift, a constant Add) folds into the conv or FC that produced
// the tensor when nothing else reads that tensor.
void Converter::fold_bias(const onnx::NodeProto& node, const std::string& data_tensor) {
    const Source src = tensors_.at(data_tensor);
    auto at = layer_at_.find(src.layer);
    const std::string type =
        at == layer_at_.end() ? "input" : layers_[at->second]["type"].get<std::string>();
    if (!src.direct || (type != "conv" && type != "fc"))
        m_.fail_node(node, fmt::format("folds into the conv or FC before it, but its input '{}' "
                                       "comes from '{}' (a {})",
                                       data_tensor, src.layer, type));
    if (consumers_.at(data_tensor) > 1)
        m_.fail_node(node, fmt::format("folds into '{}', but '{}' is also read by another node",
                                       src.layer, data_tensor));
    layers_[at->second]["bias"] = true;
    tensors_[node.output(0)] = src;
    checks_.emplace_back(node.output(0), src.layer);
}

std::array<std::int64_t, 4> Converter::window_pads(const onnx::NodeProto& node, const Attributes& a,
                                                   const Dims& in, const Dims& kernel,
                                                   const Dims& stride, const Dims& dilation) const {
    const std::string auto_pad = a.text("auto_pad", "NOTSET");
    std::array<std::int64_t, 4> p{0, 0, 0, 0};
    if (auto_pad == "NOTSET") {
        const auto pads = a.integers("pads", {0, 0, 0, 0});
        if (pads.size() != 4)
            m_.fail_node(node, fmt::format("pads has {} values; 2-D windows take 4", pads.size()));
        for (std::size_t i = 0; i < 4; ++i) {
            if (pads[i] < 0) m_.fail_node(node, "negative pads are not valid");
            p[i] = pads[i];
        }
    } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
        for (int axis = 0; axis < 2; ++axis) {
            const std::int64_t n = in[2 + axis], s = stride[axis];
            const std::int64_t out = (n + s - 1) / s;
            const std::int64_t extent = (kernel[axis] - 1) * dilation[axis] + 1;
            const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + extent - n);
            const std::int64_t small = total / 2, large = total - small;
            p[axis] = auto_pad == "SAME_UPPER" ? small : large;
            p[axis + 2] = auto_pad == "SAME_UPPER" ? large : small;
        }
    } else if (auto_pad != "VALID") {
        m_.fail_node(node, fmt::format("auto_pad '{}' is not valid (NOTSET, SAME_UPPER, "
                                       "SAME_LOWER, VALID)",
                                       auto_pad));
    }
    return p;
}

// stride, pad ([h, w] when symmetric, else [top, left, bottom, right]) and dilation (when not
// 1): the network JSON's window keys.
void Converter::set_window(json& layer, const std::array<std::int64_t, 4>& pads, const Dims& stride,
                           const Dims& dilation) {
    layer["stride"] = {stride[0], stride[1]};
    if (pads[0] == pads[2] && pads[1] == pads[3])
        layer["pad"] = {pads[0], pads[1]};
    else
        layer["pad"] = {pads[0], pads[1], pads[2], pads[3]};
    if (dilation != Dims{1, 1}) layer["dilation"] = {dilation[0], dilation[1]};
}

// A tensor's element type (onnx::TensorProto_DataType) as the file or shape inference states
// it: an initialiser's data type, else a graph input's, value_info's or output's; 0 (undefined)
// when none says.
int elem_type(const Model& m, const std::string& tensor) {
    if (auto it = m.initialisers.find(tensor); it != m.initialisers.end())
        return it->second->data_type();
    const auto& g = m.proto.graph();
    for (const auto* list : {&g.input(), &g.value_info(), &g.output()})
        for (const auto& v : *list)
            if (v.name() == tensor && v.type().has_tensor_type())
                return v.type().tensor_type().elem_type();
    return 0;
}

// ConvInteger / QLinearConv: the layer's precision from its operands' types. ONNX admits int8 or
// uint8 for both; either runs as 8-bit activations x int8 weights (a uint8 weight with its zero
// point is realised on the int8 datapath, docs/KERNELS.md "Numbers", zero points). A type the file
// does not state is one of those two by the op's type constraint.
std::string quantised_precision(const Model& m, const onnx::NodeProto& node, int w_index) {
    for (int index : {0, w_index}) {
        const int t = elem_type(m, node.input(index));
        if (t != 0 && t != onnx::TensorProto_DataType_UINT8 && t != onnx::TensorProto_DataType_INT8)
            m.fail_node(node, fmt::format("{} '{}' has element type {}; {} takes int8 or uint8",
                                          index == 0 ? "input" : "weight", node.input(index),
                                          onnx::TensorProto_DataType_Name(t), node.op_type()));
    }
    return "8/int8";
}

Dims two(const Model& m, const onnx::NodeProto& node, const Attributes& a, const char* name,
         Dims fallback) {
    Dims v = a.integers(name, fallback);
    if (v.size() != 2)
        m.fail_node(node,
                    fmt::format("{} has {} values; lpdla takes 2-D windows only", name, v.size()));
    for (auto x : v)
        if (x < 1) m.fail_node(node, fmt::format("{} must be positive", name));
    return v;
}

void Converter::conv(const onnx::NodeProto& node) {
    const bool qlinear = node.op_type() == "QLinearConv";
    const int w_index = qlinear ? 3 : 1;
    const Source& src = data_input(node, 0);
    if (src.flattened)
        m_.fail_node(node, fmt::format("reads '{}', a flattened tensor", node.input(0)));
    const Dims in = map_dims(node, 0);
    const Dims w = param_dims(node, w_index, 4, "weight");
    const Attributes a(m_, node);
    const std::int64_t groups = a.integer("group", 1);
    if (groups < 1 || in[1] % groups != 0 || w[0] % groups != 0 || w[1] * groups != in[1])
        m_.fail_node(node, fmt::format("group {} does not fit input channels {} and weight {}",
                                       groups, in[1], dims_text(w)));
    const Dims kernel{w[2], w[3]};
    if (a.has("kernel_shape") && two(m_, node, a, "kernel_shape", {}) != kernel)
        m_.fail_node(node,
                     fmt::format("kernel_shape disagrees with the weight shape {}", dims_text(w)));
    const Dims stride = two(m_, node, a, "strides", {1, 1});
    const Dims dilation = two(m_, node, a, "dilations", {1, 1});
    json layer = {{"type", "conv"}, {"out_channels", w[0]}, {"kernel", {w[2], w[3]}}};
    set_window(layer, window_pads(node, a, in, kernel, stride, dilation), stride, dilation);
    layer["groups"] = groups;
    layer["bias"] = has_input(node, qlinear ? 8 : 2) && node.op_type() != "ConvInteger";
    // Float Conv runs at the array's precision; the quantised ops state theirs.
    if (node.op_type() != "Conv") layer["precision"] = quantised_precision(m_, node, w_index);
    add_layer(node, layer, src.layer);
}

void Converter::pool(const onnx::NodeProto& node) {
    const Source& src = data_input(node, 0);
    if (src.flattened)
        m_.fail_node(node, fmt::format("reads '{}', a flattened tensor", node.input(0)));
    const Dims in = map_dims(node, 0);
    const std::string& op = node.op_type();
    const bool average = op == "AveragePool" || op == "GlobalAveragePool";
    json layer = {{"type", average ? "avgpool" : "maxpool"}};
    if (op.rfind("Global", 0) == 0) {
        layer["global"] = true;
        add_layer(node, layer, src.layer);
        return;
    }
    const Attributes a(m_, node);
    if (node.output_size() > 1 && !node.output(1).empty())
        not_expressible(node, "the argmax (Indices) output");
    const Dims kernel = two(m_, node, a, "kernel_shape", {});
    const Dims stride = two(m_, node, a, "strides", {1, 1});
    const Dims dilation = two(m_, node, a, "dilations", {1, 1});
    const auto pads = window_pads(node, a, in, kernel, stride, dilation);
    layer["kernel"] = {kernel[0], kernel[1]};
    set_window(layer, pads, stride, dilation);
    if (a.integer("ceil_mode", 0) != 0) layer["ceil_mode"] = true;
    // count_include_pad only with padding: without it every tap is in bounds either way.
    if (average && a.integer("count_include_pad", 0) != 0 &&
        std::any_of(pads.begin(), pads.end(), [](auto p) { return p != 0; }))
        layer["count_include_pad"] = true;
    add_layer(node, layer, src.layer);
}

void Converter::gemm(const onnx::NodeProto& node) {
    const Source& src = data_input(node, 0);
    const Dims b = param_dims(node, 1, 2, "weight");
    const Attributes a(m_, node);
    const bool gemm = node.op_type() == "Gemm";
    if (gemm && a.integer("transA", 0) != 0) not_expressible(node, "transA 1");
    const bool trans_b = gemm && a.integer("transB", 0) != 0;
    const std::int64_t in_features = trans_b ? b[1] : b[0];
    const std::int64_t out_features = trans_b ? b[0] : b[1];
    json layer = {{"type", "fc"}, {"out_features", out_features}, {"in_features", in_features}};
    layer["bias"] = gemm && has_input(node, 2);
    add_layer(node, layer, src.layer);
}

void Converter::add(const onnx::NodeProto& node) {
    if (node.input_size() != 2) m_.fail_node(node, "expected two inputs");
    const bool c0 = !tensors_.count(node.input(0)), c1 = !tensors_.count(node.input(1));
    if (c0 != c1) {
        // One operand is not a feature map: a bias on the conv or FC before it.
        const int data = c0 ? 1 : 0;
        param_dims(node, 1 - data, 0, "bias");
        fold_bias(node, node.input(data));
        return;
    }
    const Source& a = data_input(node, 0);
    const Source& b = data_input(node, 1);
    const Dims da = map_dims(node, 0), db = map_dims(node, 1);
    if (da != db)
        not_expressible(node,
                        fmt::format("broadcasting Add of {} and {}", dims_text(da), dims_text(db)));
    json layer = {{"type", "add"}, {"inputs", {a.layer, b.layer}}};
    add_layer(node, layer, "");
}

void Converter::concat(const onnx::NodeProto& node) {
    if (node.input_size() < 2)
        m_.fail_node(node, fmt::format("has {} input(s); lpdla's concat joins two or more",
                                       node.input_size()));
    std::int64_t axis = Attributes(m_, node).integer("axis", 0);
    json inputs = json::array();
    for (int i = 0; i < node.input_size(); ++i) {
        const Source& s = data_input(node, i);
        if (s.flattened)
            m_.fail_node(node, fmt::format("reads '{}', a flattened tensor", node.input(i)));
        const Dims d = map_dims(node, i);
        if (axis < 0) axis += std::int64_t(d.size());
        inputs.push_back(s.layer);
    }
    if (axis != 1)
        not_expressible(node, fmt::format("concat along axis {} (lpdla concatenates channels of "
                                          "[N, C, H, W] maps: axis 1 or -3 only)",
                                          Attributes(m_, node).integer("axis", 0)));
    add_layer(node, {{"type", "concat"}, {"inputs", inputs}}, "");
}

void Converter::batch_norm(const onnx::NodeProto& node) {
    data_input(node, 0);
    for (int i = 1; i <= 4; ++i) param_dims(node, i, 1, "parameter");
    if (node.output_size() > 1)
        for (int i = 1; i < node.output_size(); ++i)
            if (!node.output(i).empty()) not_expressible(node, "training-mode outputs");
    fold_bias(node, node.input(0));
}

void Converter::flatten(const onnx::NodeProto& node) {
    const Source& src = data_input(node, 0);
    if (node.op_type() == "Reshape") {
        const auto out = m_.shape(node.output(0));
        if (out && out->size() != 2 && *out != m_.shape(node.input(0)).value_or(Dims{}))
            not_expressible(node, fmt::format("a reshape to {} (only a flatten before an FC)",
                                              dims_text(*out)));
    } else if (Attributes(m_, node).integer("axis", 1) > 1) {
        not_expressible(node, "a flatten that keeps spatial dimensions (axis > 1)");
    }
    Source s = src;
    s.flattened = true;
    s.direct = false;
    tensors_[node.output(0)] = s;
}

void Converter::relu(const onnx::NodeProto& node) {
    // Clip (ReLU6) and LeakyRelu become ReLU: the requantise stage saturates into the output
    // format, which is where lpdla's ReLU sits; their cost is the same.
    add_layer(node, {{"type", "relu"}}, data_input(node, 0).layer);
}

void Converter::lrn(const onnx::NodeProto& node) {
    const Source& s = data_input(node, 0);
    const std::int64_t size = Attributes(m_, node).integer("size", 0);
    if (size < 1) m_.fail_node(node, "attribute 'size' is missing");
    add_layer(node, {{"type", "lrn"}, {"size", size}}, s.layer);
}

// One branch per op of onnx_supported_ops(); false for any other op.
bool Converter::handle(const onnx::NodeProto& node) {
    const std::string& op = node.op_type();
    if (op == "Conv" || op == "ConvInteger" || op == "QLinearConv")
        conv(node);
    else if (op == "Gemm" || op == "MatMul")
        gemm(node);
    else if (op == "BatchNormalization")
        batch_norm(node);
    else if (op == "Relu" || op == "Clip" || op == "LeakyRelu")
        relu(node);
    else if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
             op == "GlobalMaxPool")
        pool(node);
    else if (op == "Add")
        add(node);
    else if (op == "Concat")
        concat(node);
    else if (op == "Flatten" || op == "Reshape")
        flatten(node);
    else if (op == "Softmax" || op == "Dropout" || op == "Identity")
        alias(node, data_input(node, 0));
    else if (op == "LRN")
        lrn(node);
    else
        return false;
    return true;
}

json Converter::run() {
    const auto& g = m_.proto.graph();
    for (const auto& node : g.node())
        for (const auto& in : node.input())
            if (!in.empty()) ++consumers_[in];
    for (const auto& out : g.output()) ++consumers_[out.name()];
    image_ = find_image();
    const Dims image = m_.shape(image_).value_or(Dims{});
    if (image.size() != 4 || image[1] < 1 || image[2] < 1 || image[3] < 1)
        m_.fail(fmt::format("graph input '{}' has shape {}: lpdla needs an image [N, C, H, W] "
                            "with known C, H and W",
                            image_, image.empty() ? "unknown" : dims_text(image)));
    tensors_[image_] = Source{image_, false, false};
    names_.insert(image_);

    for (const auto& node : g.node()) {
        if (!node.domain().empty() && node.domain() != "ai.onnx")
            m_.fail_node(node, fmt::format("op domain '{}' is not supported; supported ops "
                                           "(default domain): {}",
                                           node.domain(), fmt::join(onnx_supported_ops(), ", ")));
        if (node.output_size() < 1 || node.output(0).empty()) m_.fail_node(node, "has no output");
        if (!handle(node))
            m_.fail_node(node, fmt::format("op type '{}' is not supported; supported ops: {}",
                                           node.op_type(), fmt::join(onnx_supported_ops(), ", ")));
    }
    if (layers_.empty()) m_.fail("the graph has no layer lpdla models (only pass-through ops)");
    for (const auto& out : g.output()) {
        auto it = tensors_.find(out.name());
        if (it == tensors_.end())
            m_.fail(fmt::format("graph output '{}' is dangling: no node produces it", out.name()));
        // The class scores: their count is fixed by the task, not by the width multiplier.
        if (auto at = layer_at_.find(it->second.layer); at != layer_at_.end())
            layers_[at->second]["widen"] = false;
    }
    const auto& opset = m_.proto.opset_import();
    std::int64_t version = 0;
    for (const auto& o : opset)
        if (o.domain().empty() || o.domain() == "ai.onnx") version = o.version();
    const std::string stem = std::filesystem::path(m_.file).stem().string();
    json doc = {
        {"schema", "lpdla.network/1"},
        {"name", stem},
        {"display_name", g.name().empty() ? stem : g.name()},
        {"source",
         fmt::format("imported from ONNX file {} (IR version {}, opset {}, "
                     "producer '{}' {})",
                     std::filesystem::path(m_.file).filename().string(), m_.proto.ir_version(),
                     version, m_.proto.producer_name(), m_.proto.producer_version())},
        {"input",
         {{"name", image_}, {"channels", image[1]}, {"height", image[2]}, {"width", image[3]}}},
        {"layers", layers_}};
    return doc;
}

// Whether a ceil-mode pool drops its last window along `axis` (0: height, 1: width) because it
// would start in the end padding. ONNX's shape inference does so since ONNX 1.16
// (onnx/onnx#5741), as PyTorch and lpdla do; older inference (Debian's ONNX 1.12) counts that
// window, one more output than the pool computes.
bool drops_last_window(const Layer& l, int axis) {
    if (!l.ceil_mode) return false;
    const int in = axis == 0 ? l.in.height : l.in.width;
    const int k = axis == 0 ? l.kernel_h : l.kernel_w;
    const int s = axis == 0 ? l.stride_h : l.stride_w;
    const int d = axis == 0 ? l.dilation_h : l.dilation_w;
    const int pads = axis == 0 ? l.pad_h + l.bottom() : l.pad_w + l.right();
    const int kept = (in + pads - ((k - 1) * d + 1) + s - 1) / s + 1;
    return kept != (axis == 0 ? l.out.height : l.out.width);
}

// lpdla's shape inference over the converted document, each layer's output beside the shape
// the ONNX model gives the same tensor.
void check_shapes(const Model& m, const Converter& conv, const json& doc) {
    Network net;
    try {
        net = parse_network(doc, m.file, 1.0);
    } catch (const Error& e) {
        std::string what = e.what();
        std::smatch match;
        static const std::regex layer_path("/layers/([0-9]+)");
        if (std::regex_search(what, match, layer_path)) {
            const auto index = std::stoul(match[1].str());
            const std::string layer = doc["layers"][index]["name"];
            throw Error(fmt::format("{} (layer '{}' from ONNX node '{}')", what, layer,
                                    conv.layer_nodes().at(layer)));
        }
        throw;
    }
    // Layers at or after a pool that drops its last ceil-mode window: ONNX inference older than
    // 1.16 gives them other sizes (one more output there, and whatever follows from it), so only
    // the shapes the file declares are checked for them.
    std::vector<bool> after_drop(net.layers.size(), false);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        after_drop[i] = drops_last_window(l, 0) || drops_last_window(l, 1);
        for (int src : l.input_index)
            if (src >= 0 && after_drop[std::size_t(src)]) after_drop[i] = true;
    }
    for (const auto& [tensor, layer_name] : conv.checks()) {
        const std::size_t index = std::size_t(net.find(layer_name));
        const Layer& l = net.layers[index];
        for (const auto* table : {&m.declared, &m.inferred}) {
            if (table == &m.inferred && after_drop[index]) continue;
            auto it = table->find(tensor);
            if (it == table->end()) continue;
            const Dims& d = it->second;
            Dims lp;
            if (d.size() == 4)
                lp = {d[0], l.out.channels, l.out.height, l.out.width};
            else if (d.size() == 2)
                lp = {d[0], l.out.elements()};
            else
                continue;
            bool same = true;
            for (std::size_t i = 1; i < d.size(); ++i) same &= d[i] < 0 || d[i] == lp[i];
            if (!same)
                throw Error(fmt::format("{}: tensor '{}' (output of node '{}'): the model {} "
                                        "shape {} but lpdla infers {} for layer '{}' ({})",
                                        m.file, tensor, conv.layer_nodes().at(layer_name),
                                        table == &m.declared ? "declares" : "infers", dims_text(d),
                                        dims_text(lp), layer_name, to_string(l.type)));
        }
    }
}

} // namespace

bool is_onnx_file(const std::filesystem::path& path) {
    return path.extension() == ".onnx";
}

const std::vector<std::string>& onnx_supported_ops() {
    static const std::vector<std::string> ops = {"Add",
                                                 "AveragePool",
                                                 "BatchNormalization",
                                                 "Clip",
                                                 "Concat",
                                                 "Conv",
                                                 "ConvInteger",
                                                 "Dropout",
                                                 "Flatten",
                                                 "Gemm",
                                                 "GlobalAveragePool",
                                                 "GlobalMaxPool",
                                                 "Identity",
                                                 "LRN",
                                                 "LeakyRelu",
                                                 "MatMul",
                                                 "MaxPool",
                                                 "QLinearConv",
                                                 "Relu",
                                                 "Reshape",
                                                 "Softmax"};
    return ops;
}

json import_onnx_network(const std::filesystem::path& file) {
    const Model m = onnx_import::load_model(file.string());
    Converter conv(m);
    json doc = conv.run();
    check_shapes(m, conv, doc);
    return doc;
}

} // namespace lpdla
