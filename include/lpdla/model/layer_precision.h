#pragma once
// How an array built for one precision runs a layer of another (issue 14, docs/MODEL.md §4
// "Layers at another precision"): activation bit-slices and weight digit planes, each pass a full
// run of the layer's loop nest whose partial sums are shifted and accumulated.
#include <cstdint>
#include <string>

#include "lpdla/model/precision.h"

namespace lpdla {

// What the configuration does with a layer wider than the array.
enum class WideLayerMode {
    bit_slice,     // the array runs it in passes (activation slices x weight planes)
    dsp_side_path, // a DSP array beside the soft-logic one runs it in one pass
};
std::string_view to_string(WideLayerMode mode);
bool parse_wide_layer_mode(std::string_view text, WideLayerMode& out);

// Activation slices of an `layer_act_bits` input on an `array_act_bits` array: ceil(layer /
// array); slices below the top are unsigned, the top one carries the sign of a signed input.
// 0 when the array cannot slice (1-bit arrays decode +1/-1; a 1-bit layer needs a 1-bit array).
int activation_slices(int layer_act_bits, int array_act_bits);

// Digit planes of a `layer` weight on an `array` weight datapath: two's-complement digits, the
// low ones unsigned of digit_bits (ternary and int2 arrays: 1 bit, intN: N-1 bits), the top one
// signed within the array's range. 1 when the array's range holds the layer's weights, 0 when
// the array cannot represent the digits (binary +1/-1 weights have no zero).
int weight_planes(WeightKind layer, WeightKind array);
// Bits of one low (unsigned) digit on an array of `array` weights (0 for binary / float).
int weight_digit_bits(WeightKind array);

// Passes of a bit-sliced layer: activation_slices x weight_planes (0 when it cannot be sliced).
int bit_slice_passes(const Precision& layer, const Precision& array);
// Empty when the array bit-slices `layer`, else why not and what to use instead.
std::string bit_slice_problem(const Precision& layer, const Precision& array);
// Empty when a DSP side path can run `layer`: integer weights with activations of 2 bits or
// more, or FP32 on the hard floating-point DSPs.
std::string side_path_problem(const Precision& layer);

// Bits of a weight as a signed multiplier operand: binary (+1/-1) and ternary take 2, intN N.
int signed_weight_bits(WeightKind kind);

// Shift (in bits) of pass (activation slice s, weight plane p): the partial sum of that pass is
// multiplied by 2^shift before it is accumulated.
int bit_slice_shift(int slice, int plane, int array_act_bits, WeightKind array);

} // namespace lpdla
