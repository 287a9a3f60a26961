// The operands of a bit-sliced layer's passes: activation slices and weight digit planes, cut
// from the layer's own values by the rule of include/lpdla/model/layer_precision.h. Written
// from that rule, not from the kernels, so the host and the reference can disagree.
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"
#include "lpdla/model/layer_precision.h"
#include "value_checks.h"

namespace lpdla::ref {
namespace {

int slices_or_throw(const ActFormat& layer, int array_bits, int slice, const char* what) {
    const int n = activation_slices(layer.bits, array_bits);
    if (n == 0) {
        throw Error(fmt::format("{}: {}-bit activations cannot be cut into {}-bit slices (1-bit "
                                "activations are +1/-1, not a bit of a wider value)",
                                what, layer.bits, array_bits));
    }
    if (slice < 0 || slice >= n) {
        throw Error(fmt::format("{}: slice {} of {} ({}-bit values on a {}-bit array)", what, slice,
                                n, layer.bits, array_bits));
    }
    return n;
}

// Digit `index` of v: `bits` wide and unsigned below the top, the rest of v (its sign
// included) at the top. >> of a negative int64 is arithmetic (C++20).
std::int64_t digit(std::int64_t v, int index, int bits, bool top) {
    const std::int64_t rest = v >> (index * bits);
    return top ? rest : rest & ((std::int64_t(1) << bits) - 1);
}

} // namespace

ActFormat activation_slice_format(const ActFormat& layer, int array_bits, int slice) {
    const int n = slices_or_throw(layer, array_bits, slice, "activation_slice_format");
    return ActFormat{array_bits, layer.is_signed && slice == n - 1};
}

Tensor activation_slice(const Tensor& t, const ActFormat& layer, int array_bits, int slice) {
    const int n = slices_or_throw(layer, array_bits, slice, "activation_slice");
    detail::check_activations(t, layer, "activation_slice input");
    Tensor out(t.channels, t.height, t.width);
    for (std::size_t i = 0; i < t.values.size(); ++i)
        out.values[i] = digit(t.values[i], slice, array_bits, slice == n - 1);
    return out;
}

Tensor combine_activation_slices(const std::vector<Tensor>& slices, const ActFormat& layer,
                                 int array_bits) {
    const int n = slices_or_throw(layer, array_bits, 0, "combine_activation_slices");
    if (int(slices.size()) != n) {
        throw Error(fmt::format("combine_activation_slices: {} slices given, {}-bit values on a "
                                "{}-bit array have {}",
                                slices.size(), layer.bits, array_bits, n));
    }
    Tensor out(slices[0].channels, slices[0].height, slices[0].width);
    for (int j = 0; j < n; ++j) {
        const Tensor& s = slices[std::size_t(j)];
        if (s.channels != out.channels || s.height != out.height || s.width != out.width)
            throw Error(fmt::format("combine_activation_slices: slice {} differs in shape", j));
        detail::check_activations(s, activation_slice_format(layer, array_bits, j),
                                  "combine_activation_slices slice");
        for (std::size_t i = 0; i < s.values.size(); ++i)
            out.values[i] += s.values[i] * (std::int64_t(1) << (j * array_bits));
    }
    detail::check_activations(out, layer, "combine_activation_slices result");
    return out;
}

Weights weight_plane(const Weights& w, WeightKind array, int plane) {
    const int n = weight_planes(w.kind, array);
    if (n == 0) {
        throw Error(fmt::format("weight_plane: {} weights cannot be cut into {} digits (binary "
                                "weights have no zero digit; block-FP16 and FP32 are not "
                                "integers)",
                                to_string(w.kind), to_string(array)));
    }
    if (plane < 0 || plane >= n) {
        throw Error(fmt::format("weight_plane: plane {} of {} ({} weights on {} digits)", plane, n,
                                to_string(w.kind), to_string(array)));
    }
    detail::check_weights(w, "weight_plane input");
    Weights out = w;
    out.kind = array;
    // One plane: the layer's weights already lie in the array's range (e.g. ternary on int2).
    if (n == 1) return out;
    const int d = weight_digit_bits(array);
    for (auto& v : out.values) v = digit(v, plane, d, plane == n - 1);
    return out;
}

} // namespace lpdla::ref
