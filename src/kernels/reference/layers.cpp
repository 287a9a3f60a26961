// Reference layers: what each layer computes, in plain integer arithmetic.
#include <algorithm>
#include <cstdlib>

#include <Eigen/Core>
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"
#include "value_checks.h"

namespace lpdla::ref {
namespace {

using Matrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::int64_t saturate(std::int64_t v, const ActFormat& f) {
    if (f.bits == 1) return v >= 0 ? 1 : -1; // binary activations keep the sign only
    return std::clamp(v, f.min(), f.max());
}

} // namespace

std::int64_t ActFormat::min() const {
    if (bits == 1) return -1;
    return is_signed ? -(std::int64_t(1) << (bits - 1)) : 0;
}

std::int64_t ActFormat::max() const {
    if (bits == 1) return 1;
    return is_signed ? (std::int64_t(1) << (bits - 1)) - 1 : (std::int64_t(1) << bits) - 1;
}

int window_out(int in, int kernel, int stride, int pad) {
    return (in + 2 * pad - kernel) / stride + 1;
}

int window_out(int in, int kernel, int stride, int pad_begin, int pad_end, int dilation,
               bool ceil_mode) {
    // Truncating division as in the floor-mode form above, so that both agree everywhere.
    const int span = in + pad_begin + pad_end - ((kernel - 1) * dilation + 1);
    int out = (ceil_mode && span > 0 ? span + stride - 1 : span) / stride + 1;
    // A ceil-mode window that would start inside the end padding is dropped (ONNX, PyTorch).
    if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;
    return out;
}

Tensor conv_accumulate(const Tensor& in, const Weights& w, const std::vector<std::int32_t>& bias,
                       const ConvGeometry& g) {
    const int K = w.out_channels, R = w.kernel_h, S = w.kernel_w;
    const int Cg = w.in_per_group;
    if (g.groups < 1 || in.channels != Cg * g.groups || K % g.groups != 0) {
        throw Error(fmt::format("reference conv: {} input channels, {} per group x {} groups, {} "
                                "outputs do not agree",
                                in.channels, Cg, g.groups, K));
    }
    detail::check_weights(w, "reference conv");
    detail::check_bias(bias, K, "reference conv");
    if (in.values.size() != std::size_t(in.channels) * in.height * in.width)
        throw Error(fmt::format("reference conv: a {}x{}x{} input holds {} values", in.channels,
                                in.height, in.width, in.values.size()));
    const int OH = window_out(in.height, R, g.stride_h, g.pad_h, g.bottom(), g.dilation_h, false);
    const int OW = window_out(in.width, S, g.stride_w, g.pad_w, g.right(), g.dilation_w, false);
    const int Kg = K / g.groups;
    Tensor out(K, OH, OW);
    // Per group: out[Kg x OH*OW] = W[Kg x Cg*R*S] * im2col[Cg*R*S x OH*OW].
    for (int grp = 0; grp < g.groups; ++grp) {
        Matrix wm(Kg, Cg * R * S);
        for (int k = 0; k < Kg; ++k)
            for (int c = 0; c < Cg; ++c)
                for (int r = 0; r < R; ++r)
                    for (int s = 0; s < S; ++s)
                        wm(k, (c * R + r) * S + s) = w.at(grp * Kg + k, c, r, s);
        Matrix cols = Matrix::Zero(Cg * R * S, OH * OW);
        for (int c = 0; c < Cg; ++c)
            for (int r = 0; r < R; ++r)
                for (int s = 0; s < S; ++s)
                    for (int oy = 0; oy < OH; ++oy)
                        for (int ox = 0; ox < OW; ++ox) {
                            const int y = oy * g.stride_h - g.pad_h + r * g.dilation_h;
                            const int x = ox * g.stride_w - g.pad_w + s * g.dilation_w;
                            if (y >= 0 && y < in.height && x >= 0 && x < in.width) {
                                cols((c * R + r) * S + s, oy * OW + ox) = in.at(grp * Cg + c, y, x);
                            }
                        }
        const Matrix prod = wm * cols;
        for (int k = 0; k < Kg; ++k)
            for (int p = 0; p < OH * OW; ++p) {
                const int kk = grp * Kg + k;
                out.values[std::size_t(kk) * OH * OW + p] =
                    prod(k, p) + (bias.empty() ? 0 : bias[kk]);
            }
    }
    return out;
}

std::int64_t requantise(std::int64_t acc, const Requant& q, const ActFormat& out) {
    if (q.per_channel())
        throw Error("reference requantise: a per-channel requantisation needs the channel");
    return requantise(acc, q, 0, out);
}

std::int64_t requantise(std::int64_t acc, const Requant& q, int k, const ActFormat& out) {
    if (!q.per_channel()) {
        const std::int64_t round = q.shift > 0 ? std::int64_t(1) << (q.shift - 1) : 0;
        return saturate((acc * q.scale + round) >> q.shift, out);
    }
    const auto kk = std::size_t(k);
    if (kk >= q.multiplier.size() || kk >= q.channel_shift.size() ||
        (!q.offset.empty() && kk >= q.offset.size()))
        throw Error(fmt::format("reference requantise: channel {} has no multiplier, shift or "
                                "offset ({} / {} / {} given)",
                                k, q.multiplier.size(), q.channel_shift.size(), q.offset.size()));
    const std::int64_t offset = q.offset.empty() ? 0 : q.offset[kk];
    return saturate(round_shift_half_even(acc, q.multiplier[kk], q.channel_shift[kk]) + offset,
                    out);
}

Tensor requantise(const Tensor& acc, const Requant& q, const ActFormat& out) {
    Tensor t = acc;
    const std::size_t plane = std::size_t(acc.height) * acc.width;
    for (std::size_t i = 0; i < t.values.size(); ++i)
        t.values[i] = requantise(t.values[i], q, plane ? int(i / plane) : 0, out);
    return t;
}

Requant choose_requant(const Tensor& acc, const ActFormat& out, int scale) {
    std::int64_t peak = 0;
    for (auto v : acc.values) peak = std::max(peak, std::abs(v) * scale);
    Requant q{scale, 0};
    // The largest accumulator lands at about twice the top code: most values spread over the
    // range, the extremes saturate.
    const std::int64_t target = 2 * out.max();
    while ((peak >> q.shift) > target) ++q.shift;
    return q;
}

namespace {

// `reduce(taps, padded)`: the in-bounds taps, and how many taps lie inside the padded input.
template <class Reduce>
Tensor pool(const Tensor& in, const PoolGeometry& g, const ActFormat& out, Reduce reduce) {
    const int OH = window_out(in.height, g.kernel_h, g.stride_h, g.pad_h, g.bottom(), g.dilation_h,
                              g.ceil_mode);
    const int OW =
        window_out(in.width, g.kernel_w, g.stride_w, g.pad_w, g.right(), g.dilation_w, g.ceil_mode);
    Tensor t(in.channels, OH, OW);
    std::vector<std::int64_t> taps;
    for (int c = 0; c < in.channels; ++c)
        for (int oy = 0; oy < OH; ++oy)
            for (int ox = 0; ox < OW; ++ox) {
                taps.clear();
                std::int64_t padded = 0;
                for (int r = 0; r < g.kernel_h; ++r)
                    for (int s = 0; s < g.kernel_w; ++s) {
                        const int y = oy * g.stride_h - g.pad_h + r * g.dilation_h;
                        const int x = ox * g.stride_w - g.pad_w + s * g.dilation_w;
                        if (y >= 0 && y < in.height && x >= 0 && x < in.width) {
                            taps.push_back(in.at(c, y, x));
                        }
                        padded += y >= -g.pad_h && y < in.height + g.bottom() && x >= -g.pad_w &&
                                  x < in.width + g.right();
                    }
                t.at(c, oy, ox) = taps.empty() ? 0 : saturate(reduce(taps, padded), out);
            }
    return t;
}

} // namespace

Tensor max_pool(const Tensor& in, const PoolGeometry& g, const ActFormat& out) {
    return pool(in, g, out, [](const std::vector<std::int64_t>& taps, std::int64_t) {
        return *std::max_element(taps.begin(), taps.end());
    });
}

Tensor avg_pool(const Tensor& in, const PoolGeometry& g, const ActFormat& out) {
    return pool(in, g, out, [&g](const std::vector<std::int64_t>& taps, std::int64_t padded) {
        std::int64_t sum = 0;
        for (auto v : taps) sum += v;
        // Padding counts as zeros when count_include_pad says so.
        const auto n = g.count_include_pad ? padded : std::int64_t(taps.size());
        // Half away from zero: 2.5 -> 3, -2.5 -> -3.
        return sum >= 0 ? (sum + n / 2) / n : -((-sum + n / 2) / n);
    });
}

Tensor add(const Tensor& a, const Tensor& b, const ActFormat& out) {
    if (a.channels != b.channels || a.height != b.height || a.width != b.width) {
        throw Error(fmt::format("reference add: shapes {}x{}x{} and {}x{}x{} differ", a.channels,
                                a.height, a.width, b.channels, b.height, b.width));
    }
    Tensor t = a;
    for (std::size_t i = 0; i < t.values.size(); ++i) {
        t.values[i] = saturate(a.values[i] + b.values[i], out);
    }
    return t;
}

Tensor concat(const std::vector<Tensor>& parts) {
    if (parts.empty()) throw Error("reference concat: no inputs");
    int channels = 0;
    for (const Tensor& p : parts) {
        if (p.height != parts[0].height || p.width != parts[0].width)
            throw Error(fmt::format("reference concat: a {}x{}x{} part beside a {}x{}x{} one: "
                                    "heights and widths must agree",
                                    p.channels, p.height, p.width, parts[0].channels,
                                    parts[0].height, parts[0].width));
        channels += p.channels;
    }
    // CHW: each part is a contiguous run of channels, so the parts follow one another.
    Tensor t(channels, parts[0].height, parts[0].width);
    std::size_t at = 0;
    for (const Tensor& p : parts) {
        std::copy(p.values.begin(), p.values.end(), t.values.begin() + std::ptrdiff_t(at));
        at += p.values.size();
    }
    return t;
}

std::int64_t count_mismatches(const Tensor& expected, const Tensor& actual) {
    if (expected.channels != actual.channels || expected.height != actual.height ||
        expected.width != actual.width || expected.values.size() != actual.values.size()) {
        return std::int64_t(std::max(expected.values.size(), actual.values.size()));
    }
    std::int64_t n = 0;
    for (std::size_t i = 0; i < expected.values.size(); ++i)
        n += expected.values[i] != actual.values[i];
    return n;
}

} // namespace lpdla::ref
