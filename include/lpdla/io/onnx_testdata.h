#pragma once
// ONNX's backend node tests (Debian libonnx-testdata, /usr/share/libonnx-testdata/data/node):
// one directory per case holding model.onnx (usually a single node) and test_data_set_0/
// {input,output}_N.pb. Read here, in the io component that links protobuf, into plain structs so
// that a conformance runner needs no ONNX header.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace lpdla {

struct OnnxTensor {
    bool present = false;           // false for an omitted optional input
    std::string name, type;         // type: "float", "uint8", "int8", "int32", "int64", ...
    std::vector<std::int64_t> dims; // empty for a scalar
    std::vector<double> values;     // row-major; exact for every integer type used by the tests
    std::int64_t elements() const;
};

struct OnnxNodeCase {
    std::string name;    // the directory name (test_conv_with_strides_padding)
    int node_count = 0;  // > 1 for the "_expanded" function bodies
    std::string op_type; // of the first node
    std::string domain;
    std::map<std::string, std::vector<std::int64_t>> ints; // INT and INTS attributes
    std::map<std::string, std::vector<double>> floats;     // FLOAT and FLOATS attributes
    std::map<std::string, std::string> strings;            // STRING attributes
    std::vector<OnnxTensor> inputs;  // in the node's input order (constants and data set inputs)
    std::vector<OnnxTensor> outputs; // expected, in the node's output order
};

// With read_data false only the model is read (op type, attributes, constant inputs). Tensors of
// a type this reader does not decode (strings, complex, float16) keep an empty `values` and
// type "unsupported". Throws lpdla::Error naming the file when a model or tensor does not parse.
OnnxNodeCase read_onnx_node_case(const std::filesystem::path& case_dir, bool read_data = true);

} // namespace lpdla
