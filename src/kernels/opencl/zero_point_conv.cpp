// OpenClRunner::conv_zero_points: zero points as corrections around the unchanged int8 datapath.
// With weights stored as ws = w - c (c = 0 for int8 values, 128 for uint8) and wz' = wz - c,
//   sum (x - xz)(ws - wz') = sum x*ws - wz' * sum x - xz * sum ws + N * xz * wz'
// over all N = Cg*R*S taps, when a padded x reads xz (then it contributes (xz - xz) = 0, as the
// definition wants). The kernel computes the first two terms (pad_value = xz; w_zero = wz'); the
// last two are per-channel constants folded into the bias here.
#include <limits>

#include "runner_impl.h"

namespace lpdla {

ref::Tensor OpenClRunner::conv_zero_points(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                                           const ref::Weights& w, const ref::ZeroPoints& zp,
                                           const std::vector<std::int32_t>& bias,
                                           const ref::ConvGeometry& g, const ref::Requant& q,
                                           const ref::ActFormat& out_fmt, KernelStats* stats) {
    if (impl_->cfg.weights != WeightKind::int8)
        throw Error(fmt::format("runner conv_zero_points: zero points need int8 kernels, not {}",
                                to_string(impl_->cfg.weights)));
    if (in_fmt.bits == 1 || zp.input < in_fmt.min() || zp.input > in_fmt.max())
        throw Error(fmt::format("runner conv_zero_points: input zero point {} is not a value of "
                                "the input's {}-bit format (padding stores it)",
                                zp.input, in_fmt.bits));
    const int K = w.out_channels;
    if (zp.weights.size() > 1 && zp.weights.size() != std::size_t(K))
        throw Error(fmt::format("runner conv_zero_points: {} weight zero points for {} outputs",
                                zp.weights.size(), K));
    bool int8_valued = true, uint8_valued = true;
    for (auto v : w.values) {
        int8_valued = int8_valued && v >= -128 && v <= 127;
        uint8_valued = uint8_valued && v >= 0 && v <= 255;
    }
    if (!int8_valued && !uint8_valued)
        throw Error("runner conv_zero_points: weights are neither int8 (-128..127) nor uint8 "
                    "(0..255) values");
    const std::int64_t c = int8_valued ? 0 : 128;
    ref::Weights ws = w;
    ws.kind = WeightKind::int8;
    for (auto& v : ws.values) v -= c;
    const std::int64_t taps = std::int64_t(w.in_per_group) * w.kernel_h * w.kernel_w;
    std::vector<std::int32_t> folded(std::size_t(K), 0), w_zero(std::size_t(K), 0);
    for (int k = 0; k < K; ++k) {
        const std::int64_t wz = zp.weight(k) - c;
        std::int64_t sum_w = 0;
        for (std::int64_t i = 0; i < taps; ++i) sum_w += ws.values[std::size_t(k * taps + i)];
        const std::int64_t b =
            (bias.empty() ? 0 : bias[std::size_t(k)]) - zp.input * sum_w + taps * zp.input * wz;
        if (b < std::numeric_limits<std::int32_t>::min() ||
            b > std::numeric_limits<std::int32_t>::max() ||
            wz < std::numeric_limits<std::int32_t>::min() ||
            wz > std::numeric_limits<std::int32_t>::max())
            throw Error(fmt::format("runner conv_zero_points: channel {}'s folded bias {} leaves "
                                    "int32",
                                    k, b));
        folded[std::size_t(k)] = std::int32_t(b);
        w_zero[std::size_t(k)] = std::int32_t(wz);
    }
    return impl_->conv_single(in, in_fmt, ws, folded, g, q, out_fmt, std::move(w_zero),
                              int(zp.input), stats);
}

} // namespace lpdla
