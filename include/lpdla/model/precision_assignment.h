#pragma once
// Which precision each layer runs at (issue 14): the array's, the configuration's first_last for
// the first and last compute layers, or a layer's own (a network file's "precision" or a
// config's layer_precision override, which wins).
#include <span>
#include <string>

#include "lpdla/model/arch.h"
#include "lpdla/model/network.h"

namespace lpdla {

struct LayerPrecisionOverride {
    std::string layer; // a conv or fc layer's name
    Precision precision;
    friend bool operator==(const LayerPrecisionOverride&, const LayerPrecisionOverride&) = default;
};

// Sets Layer::precision of each named layer; throws lpdla::Error naming `what` (the flag or JSON
// path) and the layer when it is not a conv/fc layer of the network.
void apply_layer_precisions(Network& net, std::span<const LayerPrecisionOverride> overrides,
                            const std::string& what);
// Throws lpdla::Error naming the first layer whose own precision the configuration cannot run
// (wide_layer_problem), e.g. an 8/int8 layer on a 1/binary array in bit_slice mode.
void check_layer_precisions(const Network& net, const ArchConfig& resolved);
// "2/ternary" or "2/ternary, first/last 8/int8 (bit_slice)": the assignment a result describes.
std::string precision_assignment_label(const ArchConfig& arch);

} // namespace lpdla
