#include "lpdla/model/layer_precision.h"

#include <fmt/format.h>

namespace lpdla {
namespace {

// Signed bits of the array's weight range that the top digit may use: ternary {-1, 0, +1} holds a
// 1-bit signed digit {-1, 0}; intN holds N bits. 0: no zero (binary) or not an integer path.
int top_digit_bits(WeightKind array) {
    switch (array) {
    case WeightKind::ternary:
        return 1;
    case WeightKind::int2:
        return 2;
    case WeightKind::int4:
        return 4;
    case WeightKind::int8:
        return 8;
    case WeightKind::int16:
        return 16;
    default:
        return 0;
    }
}

// Two's-complement bits of a layer's integer weights (0 for the ones that are not intN).
int int_weight_bits(WeightKind layer) {
    switch (layer) {
    case WeightKind::int2:
        return 2;
    case WeightKind::int4:
        return 4;
    case WeightKind::int8:
        return 8;
    case WeightKind::int16:
        return 16;
    default:
        return 0;
    }
}

} // namespace

std::string_view to_string(WideLayerMode mode) {
    return mode == WideLayerMode::dsp_side_path ? "dsp_side_path" : "bit_slice";
}

bool parse_wide_layer_mode(std::string_view text, WideLayerMode& out) {
    if (text == "bit_slice") {
        out = WideLayerMode::bit_slice;
        return true;
    }
    if (text == "dsp_side_path") {
        out = WideLayerMode::dsp_side_path;
        return true;
    }
    return false;
}

int activation_slices(int layer_act_bits, int array_act_bits) {
    if (layer_act_bits == array_act_bits) return 1;
    // One-bit values decode as +1/-1, which no slice of a wider value (or wider slice) is.
    if (layer_act_bits == 1 || array_act_bits == 1) return 0;
    return (layer_act_bits + array_act_bits - 1) / array_act_bits;
}

int weight_digit_bits(WeightKind array) {
    const int top = top_digit_bits(array);
    return top <= 2 ? top == 0 ? 0 : 1 : top - 1;
}

int weight_planes(WeightKind layer, WeightKind array) {
    if (layer == array) return 1;
    if (is_float_baseline(layer) || is_float_baseline(array)) return 0;
    const int top = top_digit_bits(array);
    if (top == 0) return 0; // binary arrays: no zero digit
    // +1/-1 and {-1, 0, +1} fit every integer array with a zero (ternary and up).
    if (layer == WeightKind::binary || layer == WeightKind::ternary) return 1;
    const int bits = int_weight_bits(layer);
    if (bits <= top) return 1;
    const int digit = weight_digit_bits(array);
    return 1 + (bits - top + digit - 1) / digit;
}

int bit_slice_passes(const Precision& layer, const Precision& array) {
    return activation_slices(layer.act_bits, array.act_bits) *
           weight_planes(layer.weights, array.weights);
}

std::string bit_slice_problem(const Precision& layer, const Precision& array) {
    if (is_float_baseline(layer.weights) || is_float_baseline(array.weights))
        return fmt::format("layer precision {} on a {} array: block-FP16 and FP32 are modelled "
                           "for whole networks only",
                           precision_label(layer), precision_label(array));
    if (activation_slices(layer.act_bits, array.act_bits) == 0)
        return fmt::format("a {} array cannot run {}-bit activations in slices (1-bit activations "
                           "are +1/-1, not a bit of a wider value); use wide_layers "
                           "\"dsp_side_path\"",
                           precision_label(array), layer.act_bits);
    if (weight_planes(layer.weights, array.weights) == 0)
        return fmt::format("a {} array cannot run {} weights as digit planes (binary weights "
                           "have no zero digit); use wide_layers \"dsp_side_path\"",
                           precision_label(array), to_string(layer.weights));
    return "";
}

std::string side_path_problem(const Precision& layer) {
    // FP32 runs on the hard floating-point DSP modes (the full-precision first and last layers
    // of the published networks); block-FP16 needs DLA's shared-exponent logic, not modelled here.
    if (layer.weights == WeightKind::bfp16)
        return "a DSP side path runs integer or FP32 layers, not block-FP16 (16/bfp16)";
    if (layer.act_bits < 2)
        return fmt::format("a DSP side path multiplies integers of 2 bits or more, not {}-bit "
                           "(+1/-1) activations",
                           layer.act_bits);
    return "";
}

int signed_weight_bits(WeightKind kind) {
    if (kind == WeightKind::binary || kind == WeightKind::ternary) return 2;
    return weight_storage_bits(kind);
}

int bit_slice_shift(int slice, int plane, int array_act_bits, WeightKind array) {
    return slice * array_act_bits + plane * weight_digit_bits(array);
}

} // namespace lpdla
