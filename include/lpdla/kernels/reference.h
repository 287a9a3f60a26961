#pragma once
// The C++ reference the kernels are checked against: integer arithmetic on unpacked tensors
// (Eigen for the convolution GEMMs), plus the packing the kernels read and write. Written from
// the layer definitions, not from the kernels, so the two can disagree.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "lpdla/model/precision.h"

namespace lpdla::ref {

// How an activation tensor is stored: `bits` per value; 1 bit means binary (+1/-1, stored as
// 1/0); otherwise two's complement when `is_signed` (an output that feeds an add before its
// ReLU) or unsigned (a ReLU output).
struct ActFormat {
    int bits = 8;
    bool is_signed = false;
    std::int64_t min() const;
    std::int64_t max() const;
};

// Channels x height x width, row-major (CHW), one integer per value.
struct Tensor {
    int channels = 0, height = 0, width = 0;
    std::vector<std::int64_t> values;

    Tensor() = default;
    Tensor(int c, int h, int w)
        : channels(c), height(h), width(w), values(std::size_t(c) * h * w) {}
    std::int64_t& at(int c, int y, int x) {
        return values[(std::size_t(c) * height + y) * width + x];
    }
    std::int64_t at(int c, int y, int x) const {
        return values[(std::size_t(c) * height + y) * width + x];
    }
};

// Weights [K][Cg][R][S] as integers in the range of their kind.
struct Weights {
    int out_channels = 0, in_per_group = 0, kernel_h = 1, kernel_w = 1;
    WeightKind kind = WeightKind::int8;
    std::vector<std::int64_t> values;
    std::int64_t at(int k, int c, int r, int s) const {
        return values[((std::size_t(k) * in_per_group + c) * kernel_h + r) * kernel_w + s];
    }
};

// pad_h / pad_w pad the top and left; the bottom and right take the same unless pad_bottom /
// pad_right say otherwise (ONNX's asymmetric pads and auto_pad SAME). Tap (r, s) of output
// (oy, ox) reads input (oy*stride_h - pad_h + r*dilation_h, ox*stride_w - pad_w + s*dilation_w).
struct ConvGeometry {
    int stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, groups = 1;
    int dilation_h = 1, dilation_w = 1;
    int pad_bottom = -1, pad_right = -1; // -1: as pad_h / pad_w
    int bottom() const { return pad_bottom < 0 ? pad_h : pad_bottom; }
    int right() const { return pad_right < 0 ? pad_w : pad_right; }
};

// As ConvGeometry, plus ceil mode (a last, partial window where floor mode drops it, unless it
// would start in the bottom/right padding) and count_include_pad (an average divides by the taps
// inside the padded input instead of the in-bounds taps only).
struct PoolGeometry {
    int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
    int dilation_h = 1, dilation_w = 1;
    int pad_bottom = -1, pad_right = -1; // -1: as pad_h / pad_w
    bool ceil_mode = false, count_include_pad = false;
    int bottom() const { return pad_bottom < 0 ? pad_h : pad_bottom; }
    int right() const { return pad_right < 0 ? pad_w : pad_right; }
};

// Per tensor (multiplier empty): out = saturate(round_half_up((acc + bias) * scale / 2^shift)).
// Per output channel k (multiplier non-empty, one per channel; channel_shift and offset likewise,
// offset may be empty for 0): out = saturate(round_half_even((acc + bias) * multiplier[k] /
// 2^channel_shift[k]) + offset[k]), the fixed-point form of a real scale (ONNX QLinearConv's
// x_scale * w_scale / y_scale, a folded batch norm's gamma / sqrt(var + eps)); offset carries the
// output zero point, or a folded batch norm's shift. round_half_even is ONNX's rounding.
struct Requant {
    Requant() = default;
    Requant(int scale_, int shift_) : scale(scale_), shift(shift_) {}
    int scale = 1, shift = 0;
    std::vector<std::int32_t> multiplier; // > 0 ... 2^31 - 1
    std::vector<int> channel_shift;       // 0 ... 62
    std::vector<std::int32_t> offset;
    bool per_channel() const { return !multiplier.empty(); }
};

// A real multiplier as an int32 mantissa in [2^30, 2^31) and a right shift (0..62): mantissa /
// 2^shift is `real` rounded to 31 significant bits (half to even). Throws lpdla::Error when
// real is not positive and finite or needs a shift outside 0..62 (real >= 2^31 or < 2^-32).
struct FixedPoint {
    std::int32_t mantissa = 0;
    int shift = 0;
};
FixedPoint fixed_point(double real);
// The multiplier a * b / c of three float scales (ONNX x_scale, w_scale, y_scale), derived
// exactly: the 31-bit mantissa is the correctly rounded quotient of the floats' exact values
// (128-bit integer arithmetic), not of a double-rounded product.
FixedPoint fixed_point_scale(float a, float b, float c);
// round_half_even(v * m / 2^shift) in exact integer arithmetic (v * m must fit int64).
std::int64_t round_shift_half_even(std::int64_t v, std::int32_t m, int shift);

// Output size of a sliding window (floor mode).
int window_out(int in, int kernel, int stride, int pad);
// The general form: pads before and after, dilation, ceil mode.
int window_out(int in, int kernel, int stride, int pad_begin, int pad_end, int dilation,
               bool ceil_mode);

// Integer accumulators (bias included) of a direct grouped convolution.
Tensor conv_accumulate(const Tensor& in, const Weights& w, const std::vector<std::int32_t>& bias,
                       const ConvGeometry& g);
std::int64_t requantise(std::int64_t acc, const Requant& q, const ActFormat& out);
// Output channel k's requantisation (the per-tensor form ignores k).
std::int64_t requantise(std::int64_t acc, const Requant& q, int k, const ActFormat& out);
Tensor requantise(const Tensor& acc, const Requant& q, const ActFormat& out);

// Zero points (ONNX ConvInteger, QLinearConv, MatMulInteger): the layer computes
// sum (x - input) * (w - weights[k]) over its taps, padding contributing 0 (a padded x equals the
// input zero point). weights holds one value (per tensor) or one per output channel.
struct ZeroPoints {
    std::int64_t input = 0;
    std::vector<std::int64_t> weights;
    std::int64_t weight(int k) const {
        return weights.empty() ? 0 : weights.size() == 1 ? weights[0] : weights[std::size_t(k)];
    }
};
// The definition, widened: `in` and `w` hold the stored (raw) integers, e.g. uint8 weights
// 0..255 in a Weights of kind int16; the reference subtracts the zero points in int64.
Tensor conv_accumulate_zp(const Tensor& in, const Weights& w, const ZeroPoints& zp,
                          const std::vector<std::int32_t>& bias, const ConvGeometry& g);
// A requantisation that maps the accumulators' spread onto the output range (some values
// saturate, most do not), so that tests exercise every output code.
Requant choose_requant(const Tensor& acc, const ActFormat& out, int scale = 3);

class Rng;
// The per-channel form with each channel's spread mapped onto the output range (as
// choose_requant per tensor): multiplier ~ 2 * out.max() / max|acc_k| times a seeded factor in
// [0.75, 1.25], offset a seeded value in [-3, 3]; what RunOptions::per_channel_requant (a folded
// batch norm's scale and shift on every conv/fc) uses.
Requant choose_channel_requant(const Tensor& acc, const ActFormat& out, Rng& rng);

// A batch norm after a conv folded into the conv's requantise stage: per channel k,
// y = gamma_k * (acc - mean_k) / sqrt(var_k + epsilon) + beta_k, with integer mean and beta (a
// quantised network's statistics), rounded half to even. mean_k joins the conv's bias (returned
// in `bias`, K values), gamma_k / sqrt(var_k + epsilon) becomes the fixed-point multiplier (a
// negative gamma a negative mantissa), beta_k the offset. Throws lpdla::Error when the sizes
// disagree, a variance plus epsilon is not positive, or a scale is outside fixed_point's range.
struct BatchNorm {
    std::vector<double> gamma, var;
    std::vector<std::int32_t> mean, beta;
    double epsilon = 1e-5;
};
Requant fold_batch_norm(const BatchNorm& bn, std::vector<std::int32_t>& bias);

// Pools over the in-bounds taps only; average rounds half away from zero.
Tensor max_pool(const Tensor& in, const PoolGeometry& g, const ActFormat& out);
Tensor avg_pool(const Tensor& in, const PoolGeometry& g, const ActFormat& out);
Tensor add(const Tensor& a, const Tensor& b, const ActFormat& out);
// Channel-wise concatenation: the parts' channels in order; every part has one height and width.
Tensor concat(const std::vector<Tensor>& parts);

// Value ranges and seeded random data. The generator is a plain 64-bit LCG so a seed means the
// same data on every platform and standard library.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
    std::uint64_t next();
    std::int64_t uniform(std::int64_t lo, std::int64_t hi); // inclusive
  private:
    std::uint64_t state_;
};
std::int64_t weight_min(WeightKind kind);
std::int64_t weight_max(WeightKind kind);
Tensor random_tensor(int c, int h, int w, const ActFormat& f, Rng& rng);
Weights random_weights(int k, int cg, int r, int s, WeightKind kind, Rng& rng);
std::vector<std::int32_t> random_bias(int k, int magnitude, Rng& rng);

// Device packing: activations HWC, each pixel's channels from a word boundary, value i of a word
// at bits [i*bits, (i+1)*bits); weights [K][R][S][Cg] with each row from a word boundary.
std::vector<std::uint32_t> pack_activations(const Tensor& t, const ActFormat& f);
Tensor unpack_activations(const std::vector<std::uint32_t>& words, int c, int h, int w,
                          const ActFormat& f);
std::vector<std::uint32_t> pack_weights(const Weights& w);
std::size_t packed_activation_words(int c, int h, int w, int bits);

// Positions where two tensors of the same shape differ (a shape mismatch counts every value).
std::int64_t count_mismatches(const Tensor& expected, const Tensor& actual);

// ---- Stride folding (space-to-depth), src/kernels/reference/stride_fold.cpp ----
// A conv of stride (sh, sw) and padding (ph, pw) becomes a stride-1, unpadded conv with the same
// groups and outputs. The input is padded first, then folded: padded pixel (y', x') of channel
// c of group g (c counted within the group, Cg channels a group) goes to folded pixel
// (y' / sh, x' / sw), channel g * Cg*sh*sw + ((y' % sh) * sw + x' % sw) * Cg + c: phase-major,
// the group's channels innermost, so each group's folded channels stay contiguous. The kernel
// becomes ceil(R/sh) x ceil(S/sw) over Cg*sh*sw channels: tap (r', s') of phase (dr, ds) is the
// original tap (r'*sh + dr, s'*sw + ds), zero past R or S.
struct FoldedConv {
    Tensor input;          // (C*sh*sw) x (OH + R' - 1) x (OW + S' - 1)
    Weights weights;       // K x Cg*sh*sw x R' x S', same kind
    ConvGeometry geometry; // stride 1, pad 0, the original groups
};

// Empty when the fold is exact in these formats, else why not: binary weights have no zero for
// the taps that pad the kernel to a multiple of the stride, and 1-bit activations have no zero
// for padding that lands inside a folded pixel (the kernels mask only whole pixels).
std::string fold_problem(const ActFormat& in_fmt, const Weights& w, const ConvGeometry& g);
// The folded input: `fill` where the padded input has no pixel (padding, and the rows and
// columns past it that only zero taps read).
Tensor fold_input(const Tensor& in, int kernel_h, int kernel_w, const ConvGeometry& g,
                  std::int64_t fill);
Weights fold_weights(const Weights& w, const ConvGeometry& g);
// Both, with the fill of in_fmt (0, or -1 for binary activations, which only zero taps read);
// throws lpdla::Error carrying fold_problem().
FoldedConv fold_conv(const Tensor& in, const ActFormat& in_fmt, const Weights& w,
                     const ConvGeometry& g);

// ---- Bit slicing, src/kernels/reference/bit_slicing.cpp ----
// A layer wider than the array runs as passes over pieces of its operands
// (include/lpdla/model/layer_precision.h). Activation slice j of activation_slices(layer.bits,
// array_bits) holds bits [j*A, (j+1)*A) of each value (A = array_bits): unsigned below the top,
// the top one the arithmetic shift v >> j*A (signed when the layer is). Weight plane p of
// weight_planes(w.kind, array) holds digit p (d = weight_digit_bits(array) bits): unsigned below
// the top, the top one v >> p*d, in the array's kind. So v = sum_j slice_j * 2^(j*A) and
// w = sum_p plane_p * 2^(p*d), and the products' partial sums shift by bit_slice_shift().
// Each throws lpdla::Error naming bit_slice_problem's reason when the array cannot slice.
ActFormat activation_slice_format(const ActFormat& layer, int array_bits, int slice);
Tensor activation_slice(const Tensor& t, const ActFormat& layer, int array_bits, int slice);
// The inverse: sum_j slice_j * 2^(j*A), checked to fall in `layer`.
Tensor combine_activation_slices(const std::vector<Tensor>& slices, const ActFormat& layer,
                                 int array_bits);
Weights weight_plane(const Weights& w, WeightKind array, int plane);

} // namespace lpdla::ref
