#include "onnx_model.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/shape_inference/implementation.h>

#include "lpdla/error.h"

namespace lpdla::onnx_import {
namespace {

Dims dims_of(const onnx::TypeProto& type) {
    Dims d;
    if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return d;
    for (const auto& dim : type.tensor_type().shape().dim())
        d.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    return d;
}

void collect(const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& infos,
             std::map<std::string, Dims>& into) {
    for (const auto& vi : infos) {
        if (!vi.has_type() || !vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
            continue;
        into[vi.name()] = dims_of(vi.type());
    }
}

} // namespace

std::string dims_text(const Dims& d) {
    if (d.empty()) return "scalar";
    std::vector<std::string> parts;
    for (auto v : d) parts.push_back(v < 0 ? "?" : std::to_string(v));
    return fmt::format("{}", fmt::join(parts, "x"));
}

std::optional<Dims> Model::shape(const std::string& tensor) const {
    if (auto it = declared.find(tensor); it != declared.end()) return it->second;
    if (auto it = inferred.find(tensor); it != inferred.end()) return it->second;
    return std::nullopt;
}

void Model::fail_node(const onnx::NodeProto& node, const std::string& what) const {
    throw Error(fmt::format("{}: node '{}' ({}): {}", file, node_name(node), node.op_type(), what));
}

void Model::fail(const std::string& what) const {
    throw Error(fmt::format("{}: {}", file, what));
}

std::string node_name(const onnx::NodeProto& node) {
    if (!node.name().empty()) return node.name();
    if (node.output_size() > 0 && !node.output(0).empty()) return node.output(0);
    return "(unnamed " + node.op_type() + ")";
}

Model load_model(const std::string& file) {
    Model m;
    m.file = file;
    std::ifstream in(file, std::ios::binary);
    if (!in) m.fail("cannot open file");
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!m.proto.ParseFromString(bytes.str()))
        m.fail("not a valid ONNX model: the protobuf message does not parse (corrupt or "
               "truncated file?)");
    if (!m.proto.has_graph() || m.proto.graph().node_size() == 0)
        m.fail("not a usable ONNX model: it has no graph nodes (corrupt file, or not a model?)");
    const auto& g = m.proto.graph();
    for (const auto& t : g.initializer()) {
        m.initialisers[t.name()] = &t;
        m.declared[t.name()] = Dims(t.dims().begin(), t.dims().end());
    }
    collect(g.input(), m.declared);
    collect(g.output(), m.declared);
    collect(g.value_info(), m.declared);

    // ONNX's own shape inference on a copy without the declared intermediate shapes, so that a
    // file declaring a wrong shape is reported by lpdla's check (naming the tensor) rather than
    // as ONNX's merge error; outputs keep their types.
    onnx::ModelProto copy = m.proto;
    copy.mutable_graph()->clear_value_info();
    for (auto& out : *copy.mutable_graph()->mutable_output())
        out.mutable_type()->mutable_tensor_type()->clear_shape();
    try {
        onnx::shape_inference::InferShapes(copy);
    } catch (const std::exception& e) {
        m.fail(fmt::format("ONNX shape inference failed: {}", e.what()));
    }
    collect(copy.graph().value_info(), m.inferred);
    collect(copy.graph().output(), m.inferred);
    return m;
}

Attributes::Attributes(const Model& model, const onnx::NodeProto& node)
    : model_(model), node_(node) {}

const onnx::AttributeProto* Attributes::find(const std::string& name, int type) const {
    for (const auto& a : node_.attribute()) {
        if (a.name() != name) continue;
        if (int(a.type()) != type)
            model_.fail_node(node_, fmt::format("attribute '{}' has the wrong type", name));
        return &a;
    }
    return nullptr;
}

bool Attributes::has(const std::string& name) const {
    for (const auto& a : node_.attribute())
        if (a.name() == name) return true;
    return false;
}

std::int64_t Attributes::integer(const std::string& name, std::int64_t fallback) const {
    const auto* a = find(name, onnx::AttributeProto::INT);
    return a ? a->i() : fallback;
}

float Attributes::number(const std::string& name, float fallback) const {
    const auto* a = find(name, onnx::AttributeProto::FLOAT);
    return a ? a->f() : fallback;
}

std::string Attributes::text(const std::string& name, const std::string& fallback) const {
    const auto* a = find(name, onnx::AttributeProto::STRING);
    return a ? a->s() : fallback;
}

std::vector<std::int64_t> Attributes::integers(const std::string& name,
                                               std::vector<std::int64_t> fallback) const {
    const auto* a = find(name, onnx::AttributeProto::INTS);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

} // namespace lpdla::onnx_import
