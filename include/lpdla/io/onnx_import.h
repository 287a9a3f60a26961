#pragma once
// ONNX import: an ONNX model file (the format training frameworks export) becomes lpdla's network
// JSON (schema lpdla.network/1), so that `--network model.onnx` works wherever a network is
// accepted and `lpdla import` can write the JSON for a user to edit and keep.
//
// Only shapes are read: a model whose weights are graph inputs without data (shape-only) imports
// the same as one with initialisers. Shapes come from the model (initialisers, declared value
// info, ONNX shape inference) and are checked against lpdla's own shape inference. Supported
// ops and how each maps are listed in docs/FORMATS.md "ONNX import". Every failure throws
// lpdla::Error (bad input, exit status 2) naming the file and the node or tensor.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lpdla {

// True for a path ending in .onnx (how the CLI and loaders tell ONNX from lpdla JSON).
bool is_onnx_file(const std::filesystem::path& path);

// The ONNX op types the importer maps (sorted), for messages and documentation.
const std::vector<std::string>& onnx_supported_ops();

// Reads, converts and checks an ONNX model; returns the lpdla.network/1 document (its "name" is
// the file's stem). Each layer's output shape from lpdla's inference must equal the shape the
// model gives the tensor the layer stands for.
nlohmann::json import_onnx_network(const std::filesystem::path& file);

} // namespace lpdla
