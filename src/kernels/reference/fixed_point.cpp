// Real-valued requantisation in integers: a scale as an int32 mantissa and a right shift, derived
// exactly from ONNX's float scales, and the zero-point convolution by its definition.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"
#include "value_checks.h"

namespace lpdla::ref {
namespace {

__extension__ typedef unsigned __int128 u128;

// round_half_even(num / 2^shift) of a non-negative 128-bit value.
u128 round_half_even_u(u128 num, int shift) {
    if (shift <= 0) return num << -shift;
    const u128 q = num >> shift, rem = num - (q << shift), half = u128(1) << (shift - 1);
    return rem > half || (rem == half && (q & 1)) ? q + 1 : q;
}

// A positive float as integer * 2^exponent, the integer below 2^24.
void split(float v, std::uint64_t& integer, int& exponent) {
    int e = 0;
    const float f = std::frexp(v, &e); // v = f * 2^e, f in [0.5, 1)
    integer = std::uint64_t(std::ldexp(f, 24));
    exponent = e - 24;
}

FixedPoint checked(u128 mantissa, int shift, double real) {
    // Rounding may carry the mantissa to 2^31: halve it (exact, the low bit is 0).
    if (mantissa == (u128(1) << 31)) mantissa >>= 1, --shift;
    if (shift < 0 || shift > 62)
        throw Error(fmt::format("requantise: the scale {} needs a right shift of {}; the "
                                "requantise stage shifts by 0..62 (scales in [2^-32, 2^31))",
                                real, shift));
    return FixedPoint{std::int32_t(mantissa), shift};
}

} // namespace

FixedPoint fixed_point(double real) {
    if (!(real > 0) || !std::isfinite(real))
        throw Error(fmt::format("requantise: scale {} is not a positive finite number", real));
    int e = 0;
    const double f = std::frexp(real, &e); // real = f * 2^e, f in [0.5, 1): 53 bits
    const auto integer = u128(std::ldexp(f, 53));
    // mantissa = real * 2^shift in [2^30, 2^31): shift = 31 - e; integer * 2^(e-53+shift).
    const int shift = 31 - e;
    return checked(round_half_even_u(integer, 53 - 31), shift, real);
}

FixedPoint fixed_point_scale(float a, float b, float c) {
    if (!(a > 0) || !(b > 0) || !(c > 0) || !std::isfinite(a) || !std::isfinite(b) ||
        !std::isfinite(c))
        throw Error(
            fmt::format("requantise: scales {}, {}, {} are not all positive and finite", a, b, c));
    std::uint64_t ia = 0, ib = 0, ic = 0;
    int ea = 0, eb = 0, ec = 0;
    split(a, ia, ea), split(b, ib, eb), split(c, ic, ec);
    // a*b/c = (ia*ib/ic) * 2^(ea+eb-ec), ia*ib in [2^46, 2^48), ic in [2^23, 2^24): the quotient
    // lies in (2^22, 2^25). Scaled by 2^t with t = 33 the integer quotient has 55..58 bits, so
    // rounding it once to 31 bits below is exact (a tie in the quotient shows as a remainder).
    const int t = 33;
    const u128 n = (u128(ia) * ib) << t;
    const u128 q = n / ic, rem = n % ic;
    int bits = 0;
    while ((q >> bits) > 1) ++bits; // q in [2^bits, 2^(bits+1))
    const int drop = bits + 1 - 31; // keep 31 significant bits
    // round_half_even(q.rem / 2^drop): the remainder below q's last bit breaks ties upwards.
    const u128 kept = q >> drop, low = q - (kept << drop), half = u128(1) << (drop - 1);
    const bool up = low > half || (low == half && (rem != 0 || (kept & 1)));
    const u128 mantissa = kept + (up ? 1 : 0);
    // value = mantissa * 2^(drop - t + ea + eb - ec) = mantissa / 2^shift
    const int shift = t - drop - ea - eb + ec;
    return checked(mantissa, shift, double(a) * double(b) / double(c));
}

std::int64_t round_shift_half_even(std::int64_t v, std::int32_t m, int shift) {
    const std::int64_t p = v * std::int64_t(m);
    if (shift <= 0) return p;
    // floor division by 2^shift, then the remainder decides: above half up, at half to even.
    const std::int64_t floor = p >> shift; // arithmetic shift: floor for negatives too
    const std::int64_t rem = p - floor * (std::int64_t(1) << shift);
    const std::int64_t half = std::int64_t(1) << (shift - 1);
    return rem > half || (rem == half && (floor & 1)) ? floor + 1 : floor;
}

Requant choose_channel_requant(const Tensor& acc, const ActFormat& out, Rng& rng) {
    Requant q;
    const std::size_t plane = std::size_t(acc.height) * acc.width;
    for (int k = 0; k < acc.channels; ++k) {
        std::int64_t peak = 1;
        for (std::size_t i = 0; i < plane; ++i)
            peak = std::max(peak, std::abs(acc.values[std::size_t(k) * plane + i]));
        const double factor = 0.75 + 0.5 * double(rng.uniform(0, 1000)) / 1000.0;
        const auto f = fixed_point(2.0 * double(out.max()) / double(peak) * factor);
        q.multiplier.push_back(f.mantissa);
        q.channel_shift.push_back(f.shift);
        q.offset.push_back(std::int32_t(rng.uniform(-3, 3)));
    }
    return q;
}

Requant fold_batch_norm(const BatchNorm& bn, std::vector<std::int32_t>& bias) {
    const std::size_t K = bn.gamma.size();
    if (bn.var.size() != K || bn.mean.size() != K || bn.beta.size() != K ||
        (!bias.empty() && bias.size() != K))
        throw Error(fmt::format("fold_batch_norm: gamma, var, mean, beta and the conv's bias "
                                "must have one value per channel ({}, {}, {}, {}, {})",
                                K, bn.var.size(), bn.mean.size(), bn.beta.size(), bias.size()));
    if (bias.empty()) bias.assign(K, 0);
    Requant q;
    for (std::size_t k = 0; k < K; ++k) {
        const double denom = bn.var[k] + bn.epsilon;
        if (!(denom > 0))
            throw Error(fmt::format("fold_batch_norm: channel {}: var + epsilon = {} is not "
                                    "positive",
                                    k, denom));
        const double scale = bn.gamma[k] / std::sqrt(denom);
        const FixedPoint f = fixed_point(std::abs(scale));
        q.multiplier.push_back(scale < 0 ? -f.mantissa : f.mantissa);
        q.channel_shift.push_back(f.shift);
        q.offset.push_back(bn.beta[k]);
        bias[k] -= bn.mean[k];
    }
    return q;
}

Tensor conv_accumulate_zp(const Tensor& in, const Weights& w, const ZeroPoints& zp,
                          const std::vector<std::int32_t>& bias, const ConvGeometry& g) {
    if (zp.weights.size() > 1 && zp.weights.size() != std::size_t(w.out_channels))
        throw Error(fmt::format("reference conv: {} weight zero points for {} output channels: "
                                "give one, or one per channel",
                                zp.weights.size(), w.out_channels));
    detail::check_weights(w, "reference conv (zero points)");
    Tensor x = in;
    for (auto& v : x.values) v -= zp.input;
    // Widened: w - zero point spans up to 9 bits for 8-bit weights; int64 values, a container
    // kind wide enough for any 8-bit weight minus its zero point.
    Weights wide = w;
    wide.kind = WeightKind::int16;
    const std::size_t per_k = std::size_t(w.in_per_group) * w.kernel_h * w.kernel_w;
    for (std::size_t i = 0; i < wide.values.size(); ++i)
        wide.values[i] -= zp.weight(int(i / per_k));
    return conv_accumulate(x, wide, bias, g);
}

} // namespace lpdla::ref
