#pragma once
// Internal to the ONNX importer: the parsed model, every tensor shape it knows and typed access
// to node attributes. Errors name the file and the node or tensor.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace lpdla::onnx_import {

// A tensor's dimensions; -1 where the model leaves a dimension symbolic or unknown.
using Dims = std::vector<std::int64_t>;
std::string dims_text(const Dims& d); // "1x64x56x56", "?" for unknown dimensions

struct Model {
    std::string file;
    onnx::ModelProto proto; // as read; value_info completed by ONNX shape inference
    // Shapes the file itself declares (graph inputs, outputs, value_info, initialiser dims),
    // and the shapes ONNX shape inference derives from the inputs and initialisers.
    std::map<std::string, Dims> declared, inferred;
    std::map<std::string, const onnx::TensorProto*> initialisers;

    // What the file says or ONNX infers about a tensor (declared first); empty when neither.
    std::optional<Dims> shape(const std::string& tensor) const;
    // "file: node 'n' (Op): what" as an lpdla::Error (bad input).
    [[noreturn]] void fail_node(const onnx::NodeProto& node, const std::string& what) const;
    [[noreturn]] void fail(const std::string& what) const;
};

// Parses the file; a file that is not an ONNX model, or a graph without nodes, throws naming it.
Model load_model(const std::string& file);

// A node's display name: its name, else its first output.
std::string node_name(const onnx::NodeProto& node);

// Node attributes by name, with the ONNX defaults the caller gives.
class Attributes {
  public:
    Attributes(const Model& model, const onnx::NodeProto& node);
    bool has(const std::string& name) const;
    std::int64_t integer(const std::string& name, std::int64_t fallback) const;
    float number(const std::string& name, float fallback) const;
    std::string text(const std::string& name, const std::string& fallback) const;
    std::vector<std::int64_t> integers(const std::string& name,
                                       std::vector<std::int64_t> fallback) const;

  private:
    const onnx::AttributeProto* find(const std::string& name, int type) const;
    const Model& model_;
    const onnx::NodeProto& node_;
};

} // namespace lpdla::onnx_import
