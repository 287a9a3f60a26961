#include "lpdla/io/onnx_testdata.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include "lpdla/error.h"

namespace lpdla {
namespace fs = std::filesystem;
namespace {

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("{}: cannot open file", file.string()));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// raw_data holds little-endian values of T; the typed fields hold them widened.
template <typename T> void from_raw(const std::string& raw, std::vector<double>& out) {
    const std::size_t n = raw.size() / sizeof(T);
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
        out.push_back(double(v));
    }
}

OnnxTensor decode(const onnx::TensorProto& t) {
    OnnxTensor out;
    out.present = true;
    out.name = t.name();
    out.dims.assign(t.dims().begin(), t.dims().end());
    const std::string& raw = t.raw_data();
    auto& v = out.values;
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
        out.type = "float";
        if (!raw.empty()) from_raw<float>(raw, v);
        for (float f : t.float_data()) v.push_back(f);
        break;
    case onnx::TensorProto::DOUBLE:
        out.type = "double";
        if (!raw.empty()) from_raw<double>(raw, v);
        for (double d : t.double_data()) v.push_back(d);
        break;
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::BOOL: {
        const int type = t.data_type();
        out.type = type == onnx::TensorProto::UINT8    ? "uint8"
                   : type == onnx::TensorProto::INT8   ? "int8"
                   : type == onnx::TensorProto::UINT16 ? "uint16"
                   : type == onnx::TensorProto::INT16  ? "int16"
                   : type == onnx::TensorProto::INT32  ? "int32"
                                                       : "bool";
        if (!raw.empty()) {
            if (type == onnx::TensorProto::UINT8 || type == onnx::TensorProto::BOOL)
                from_raw<std::uint8_t>(raw, v);
            else if (type == onnx::TensorProto::INT8)
                from_raw<std::int8_t>(raw, v);
            else if (type == onnx::TensorProto::UINT16)
                from_raw<std::uint16_t>(raw, v);
            else if (type == onnx::TensorProto::INT16)
                from_raw<std::int16_t>(raw, v);
            else
                from_raw<std::int32_t>(raw, v);
        }
        // int32_data holds the small integer types widened (sign-extended for the signed ones).
        for (auto x : t.int32_data()) v.push_back(double(x));
        break;
    }
    case onnx::TensorProto::INT64:
        out.type = "int64";
        if (!raw.empty()) from_raw<std::int64_t>(raw, v);
        for (auto x : t.int64_data()) v.push_back(double(x));
        break;
    default:
        out.type = "unsupported";
        break;
    }
    // A sequence or optional value read as a tensor: its element count does not add up.
    if (out.type != "unsupported" && std::int64_t(v.size()) != out.elements()) {
        out.type = "unsupported";
        v.clear();
    }
    return out;
}

OnnxTensor read_tensor(const fs::path& file) {
    onnx::TensorProto t;
    if (!t.ParseFromString(read_bytes(file)))
        throw Error(fmt::format("{}: not an ONNX TensorProto", file.string()));
    return decode(t);
}

} // namespace

std::int64_t OnnxTensor::elements() const {
    std::int64_t n = 1;
    for (auto d : dims) n *= d;
    return n;
}

OnnxNodeCase read_onnx_node_case(const fs::path& case_dir, bool read_data) {
    const fs::path model_file = case_dir / "model.onnx";
    onnx::ModelProto model;
    if (!model.ParseFromString(read_bytes(model_file)) || !model.has_graph() ||
        model.graph().node_size() == 0)
        throw Error(fmt::format("{}: not an ONNX model with a graph", model_file.string()));
    const auto& g = model.graph();
    const auto& node = g.node(0);
    OnnxNodeCase c;
    c.name = case_dir.filename().string();
    c.node_count = g.node_size();
    c.op_type = node.op_type();
    c.domain = node.domain();
    for (const auto& a : node.attribute()) {
        switch (a.type()) {
        case onnx::AttributeProto::INT:
            c.ints[a.name()] = {a.i()};
            break;
        case onnx::AttributeProto::INTS:
            c.ints[a.name()].assign(a.ints().begin(), a.ints().end());
            break;
        case onnx::AttributeProto::FLOAT:
            c.floats[a.name()] = {a.f()};
            break;
        case onnx::AttributeProto::FLOATS:
            c.floats[a.name()].assign(a.floats().begin(), a.floats().end());
            break;
        case onnx::AttributeProto::STRING:
            c.strings[a.name()] = a.s();
            break;
        default:
            break;
        }
    }
    // The data set's input_N.pb are the graph inputs in order; constants are initialisers.
    std::map<std::string, OnnxTensor> known;
    for (const auto& t : g.initializer()) known[t.name()] = decode(t);
    const fs::path data = case_dir / "test_data_set_0";
    if (read_data) {
        for (int i = 0; i < g.input_size(); ++i) {
            const fs::path f = data / fmt::format("input_{}.pb", i);
            if (!fs::exists(f)) continue;
            OnnxTensor t = read_tensor(f);
            t.name = g.input(i).name();
            known[t.name] = std::move(t);
        }
    }
    for (const auto& in : node.input()) {
        auto it = known.find(in);
        c.inputs.push_back(in.empty() || it == known.end() ? OnnxTensor{} : it->second);
        c.inputs.back().name = in;
    }
    if (read_data) {
        for (int i = 0; i < g.output_size(); ++i) {
            const fs::path f = data / fmt::format("output_{}.pb", i);
            c.outputs.push_back(fs::exists(f) ? read_tensor(f) : OnnxTensor{});
            c.outputs.back().name = g.output(i).name();
        }
    }
    return c;
}

} // namespace lpdla
