// ONNX conformance: every node test of libonnx-testdata whose op lpdla's kernels realise and whose
// values are integers runs through the C++ reference and the OpenCL kernels (8-bit activations,
// int8 weights, one program), and both must reproduce ONNX's expected output exactly, with the
// kernel's trip count equal to the model's loop iterations for the same layer (written as a
// network JSON layer, the model's inferred output shape equal to the kernel's). Every other case
// is skipped with the reason it cannot be expressed (docs/KERNELS.md "ONNX conformance").
//
//   lpdla_conformance [node_dir] [-v]   (default /usr/share/libonnx-testdata/data/node)
//
// Prints passed / skipped / failed counts and the skip reasons. Exit status 1 when a case
// fails, or when a case on the must-pass list (the expressible cases) is skipped.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/onnx_testdata.h"
#include "lpdla/kernels/opencl_runner.h"
#include "lpdla/kernels/reference.h"
#include "lpdla/model/performance.h"

namespace fs = std::filesystem;
using namespace lpdla;

namespace {

// The cases that must pass: lpdla's layer set expresses them and their values are integers.
// A change that makes any of them skip (or fail) fails the test.
const std::set<std::string> must_pass = {
#include "must_pass.inc"
};

struct Skip {
    std::string reason;
};

// What one case ran: the kernel's output beside the reference's and ONNX's.
struct Outcome {
    std::int64_t mismatches_ref = 0, mismatches_kernel = 0, values = 0;
    std::int64_t trips = 0, model_iterations = 0;
};

ArchConfig conformance_arch() {
    ArchConfig a;
    a.k_vec = 4, a.c_vec = 4, a.q_vec = 2, a.lanes = 2;
    a.precision = Precision{8, WeightKind::int8};
    a.fold_strides = false; // the direct loop nest; folding has its own tests
    return a;
}

bool integer_valued(const OnnxTensor& t) {
    return std::all_of(t.values.begin(), t.values.end(),
                       [](double v) { return std::isfinite(v) && v == std::floor(v); });
}

// The narrowest 8-bit format (unsigned first) that holds every value; nullopt if none does.
std::optional<ref::ActFormat> format_for(const std::vector<double>& values) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    if (values.empty()) return ref::ActFormat{8, false};
    if (*lo >= 0 && *hi <= 255) return ref::ActFormat{8, false};
    if (*lo >= -128 && *hi <= 127) return ref::ActFormat{8, true};
    return std::nullopt;
}

// A 4-D [1, C, H, W] tensor as lpdla's CHW tensor.
ref::Tensor to_tensor(const OnnxTensor& t, const std::vector<double>& values) {
    ref::Tensor out(int(t.dims[1]), int(t.dims[2]), int(t.dims[3]));
    for (std::size_t i = 0; i < values.size(); ++i) out.values[i] = std::int64_t(values[i]);
    return out;
}

std::int64_t mismatches(const ref::Tensor& got, const std::vector<double>& expected) {
    if (got.values.size() != expected.size()) return std::int64_t(expected.size());
    std::int64_t n = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) n += double(got.values[i]) != expected[i];
    return n;
}

// The model's loop iterations for a one-layer network (how `lpdla run` checks trip counts). With
// `got`, the model's inferred output shape (network JSON geometry: docs/FORMATS.md) must be the
// kernel's.
std::int64_t model_iterations(const nlohmann::json& layer, int c, int h, int w,
                              const ArchConfig& arch, const ref::Tensor* got = nullptr) {
    nlohmann::json l = layer;
    l["name"] = "case";
    if (!l.contains("inputs")) l["input"] = "data";
    const nlohmann::json doc = {
        {"schema", "lpdla.network/1"},
        {"name", "conformance"},
        {"input", {{"name", "data"}, {"channels", c}, {"height", h}, {"width", w}}},
        {"layers", nlohmann::json::array({l})}};
    const Network net = parse_network(doc, "<conformance case>");
    const Shape& out = net.layers.at(0).out;
    if (got && !(out == Shape{got->channels, got->height, got->width}))
        throw Error(fmt::format("the network model infers {}x{}x{} for {}, the kernel gives "
                                "{}x{}x{}",
                                out.channels, out.height, out.width, layer.dump(), got->channels,
                                got->height, got->width));
    return loop_choices(plan_network(net, false), arch).at(0).loop_iterations;
}

// A conv's or pool's window as network JSON keys: stride, pad [top, left, bottom, right],
// dilation.
nlohmann::json window_json(const std::vector<std::int64_t>& stride, const std::array<int, 4>& pads,
                           const std::vector<std::int64_t>& dilation) {
    return {
        {"stride", stride}, {"pad", {pads[0], pads[1], pads[2], pads[3]}}, {"dilation", dilation}};
}

std::vector<std::int64_t> ints_or(const OnnxNodeCase& c, const std::string& key,
                                  std::vector<std::int64_t> fallback) {
    auto it = c.ints.find(key);
    return it == c.ints.end() ? fallback : it->second;
}

// [top, left, bottom, right] from pads / auto_pad (SAME: the extent of a dilated kernel).
std::array<int, 4> window_pads(const OnnxNodeCase& c, const std::vector<std::int64_t>& in,
                               const std::vector<std::int64_t>& kernel,
                               const std::vector<std::int64_t>& stride,
                               const std::vector<std::int64_t>& dilation) {
    std::vector<std::int64_t> p = ints_or(c, "pads", {0, 0, 0, 0});
    const auto ap = c.strings.count("auto_pad") ? c.strings.at("auto_pad") : "NOTSET";
    if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
        p.assign(4, 0);
        for (int axis = 0; axis < 2; ++axis) {
            const std::int64_t n = in[2 + axis], s = stride[axis];
            const std::int64_t extent = (kernel[axis] - 1) * dilation[axis] + 1;
            const std::int64_t total =
                std::max<std::int64_t>(0, ((n + s - 1) / s - 1) * s + extent - n);
            const std::int64_t small = total / 2, large = total - small;
            p[axis] = ap == "SAME_UPPER" ? small : large;
            p[axis + 2] = ap == "SAME_UPPER" ? large : small;
        }
    } else if (ap == "VALID") {
        p = {0, 0, 0, 0};
    }
    if (p.size() != 4) throw Skip{"pads of a non-2-D window"};
    return {int(p[0]), int(p[1]), int(p[2]), int(p[3])};
}

void require_2d_map(const OnnxTensor& t) {
    if (t.dims.size() != 4)
        throw Skip{fmt::format("{}-D tensor: lpdla's maps are 2-D", t.dims.size() - 2)};
    if (t.dims[0] != 1) throw Skip{"batch > 1"};
}

void require_integers(const OnnxNodeCase& c) {
    for (const auto& t : c.inputs)
        if (t.present && t.type == "unsupported")
            throw Skip{"an input that is not a numeric tensor (sequence, optional, string)"};
    // QLinear ops' scales (inputs 1, 4, 6) are real: the requantise stage realises them.
    const bool qlinear = c.op_type.rfind("QLinear", 0) == 0;
    for (std::size_t i = 0; i < c.inputs.size(); ++i)
        if (c.inputs[i].present && !(qlinear && (i == 1 || i == 4 || i == 6)) &&
            !integer_valued(c.inputs[i]))
            throw Skip{"input values are not integers"};
    for (const auto& t : c.outputs)
        if (t.present && (t.type == "unsupported" || !integer_valued(t)))
            throw Skip{"expected values are not integers"};
}

ref::ActFormat fmt_or_skip(const std::vector<double>& v, const char* what) {
    auto f = format_for(v);
    if (!f) throw Skip{fmt::format("{} values exceed 8-bit activations", what)};
    return *f;
}

// The quantised ops' operands: ConvInteger / MatMulInteger (x, w, x_zero_point, w_zero_point)
// and QLinearConv / QLinearMatMul (x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
// y_zero_point[, bias]).
struct Quantised {
    const OnnxTensor* x = nullptr;
    const OnnxTensor* w = nullptr;
    ref::ZeroPoints zp;
    ref::Requant q{1, 0};
    std::optional<ref::ActFormat> out_fmt; // from y_zero_point's type (QLinear*)
    const OnnxTensor* bias = nullptr;
};

const OnnxTensor* optional_input(const OnnxNodeCase& c, std::size_t i) {
    return c.inputs.size() > i && c.inputs[i].present ? &c.inputs[i] : nullptr;
}

Quantised quantised_operands(const OnnxNodeCase& c) {
    Quantised o;
    const bool qlinear = c.op_type.rfind("QLinear", 0) == 0;
    if (c.op_type == "Conv") {
        o.x = &c.inputs.at(0), o.w = &c.inputs.at(1), o.bias = optional_input(c, 2);
        return o;
    }
    o.x = &c.inputs.at(0);
    o.w = &c.inputs.at(qlinear ? 3 : 1);
    const OnnxTensor* xz = optional_input(c, 2);
    const OnnxTensor* wz = optional_input(c, qlinear ? 5 : 3);
    if (xz) o.zp.input = std::int64_t(xz->values.at(0));
    if (wz)
        for (double v : wz->values) o.zp.weights.push_back(std::int64_t(v));
    if (!qlinear) return o;
    // The real multiplier x_scale * w_scale[k] / y_scale per output channel, the output zero
    // point as the requantise offset; the output's format is y_zero_point's type.
    const OnnxTensor& ws = c.inputs.at(4);
    const OnnxTensor& yz = c.inputs.at(7);
    const int channels = int(o.w->dims.at(0));
    const int k_count = c.op_type == "QLinearConv" ? channels : int(o.w->dims.back());
    for (int k = 0; k < k_count; ++k) {
        const double w_scale = ws.values.size() == 1 ? ws.values[0] : ws.values.at(std::size_t(k));
        const auto f = ref::fixed_point_scale(float(c.inputs.at(1).values.at(0)), float(w_scale),
                                              float(c.inputs.at(6).values.at(0)));
        o.q.multiplier.push_back(f.mantissa);
        o.q.channel_shift.push_back(f.shift);
        o.q.offset.push_back(std::int32_t(yz.values.at(0)));
    }
    if (yz.type != "uint8" && yz.type != "int8")
        throw Skip{fmt::format("{} output type {}", c.op_type, yz.type)};
    o.out_fmt = ref::ActFormat{8, yz.type == "int8"};
    o.bias = optional_input(c, 8);
    return o;
}

// Stored weights: raw integers, uint8 ones in an int16 container (the runner stores them int8).
ref::Weights stored_weights(int k, int cg, int r, int s, const std::vector<double>& values,
                            bool zero_points) {
    ref::Weights wt;
    wt.out_channels = k, wt.in_per_group = cg, wt.kernel_h = r, wt.kernel_w = s;
    wt.kind = zero_points ? WeightKind::int16 : WeightKind::int8;
    for (double v : values) {
        if (!zero_points && (v < -128 || v > 127)) throw Skip{"weights exceed int8"};
        if (zero_points && (v < -128 || v > 255)) throw Skip{"weights exceed 8 bits"};
        wt.values.push_back(std::int64_t(v));
    }
    return wt;
}

struct ConvRun {
    ref::Tensor reference, kernel;
    KernelStats stats;
};

// The reference (the zero-point definition, widened) and the kernel (zero points as
// corrections) of one conv, requantised by q.
ConvRun conv_both(OpenClRunner& runner, const ref::Tensor& in, const ref::ActFormat& in_fmt,
                  const ref::Weights& wt, const ref::ZeroPoints& zp,
                  const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g,
                  const ref::Requant& q, const ref::ActFormat& out_fmt, bool zero_points) {
    ConvRun r;
    if (zero_points) {
        r.reference = ref::requantise(ref::conv_accumulate_zp(in, wt, zp, bias, g), q, out_fmt);
        r.kernel = runner.conv_zero_points(in, in_fmt, wt, zp, bias, g, q, out_fmt, &r.stats);
    } else {
        r.reference = ref::requantise(ref::conv_accumulate(in, wt, bias, g), q, out_fmt);
        r.kernel = runner.conv(in, in_fmt, wt, bias, g, q, out_fmt, &r.stats);
    }
    return r;
}

Outcome run_conv(OpenClRunner& runner, const OnnxNodeCase& c, const ArchConfig& arch) {
    const bool zero_points = c.op_type != "Conv";
    const Quantised op = quantised_operands(c);
    const OnnxTensor& x = *op.x;
    const OnnxTensor& w = *op.w;
    require_2d_map(x);
    if (w.dims.size() != 4) throw Skip{"non-2-D convolution"};
    // Zero points: the runner pads with the input's and corrects for the weights' (per tensor
    // or per channel) around the int8 datapath (docs/KERNELS.md "Numbers", zero points).
    const ref::ActFormat in_fmt = fmt_or_skip(x.values, "input");
    const ref::ActFormat out_fmt =
        op.out_fmt ? *op.out_fmt : fmt_or_skip(c.outputs.at(0).values, "output");
    const ref::Weights wt = stored_weights(int(w.dims[0]), int(w.dims[1]), int(w.dims[2]),
                                           int(w.dims[3]), w.values, zero_points);
    std::vector<std::int32_t> bias(std::size_t(wt.out_channels), 0);
    if (op.bias)
        for (std::size_t k = 0; k < bias.size(); ++k) bias[k] = std::int32_t(op.bias->values[k]);
    const std::vector<std::int64_t> kernel{w.dims[2], w.dims[3]};
    const auto stride = ints_or(c, "strides", {1, 1});
    const auto dilation = ints_or(c, "dilations", {1, 1});
    const auto pads = window_pads(c, x.dims, kernel, stride, dilation);
    ref::ConvGeometry g{int(stride[0]), int(stride[1]), pads[0], pads[1],
                        int(ints_or(c, "group", {1})[0])};
    g.dilation_h = int(dilation[0]), g.dilation_w = int(dilation[1]);
    g.pad_bottom = pads[2], g.pad_right = pads[3];
    const ref::Tensor in = to_tensor(x, x.values);
    const ConvRun r = conv_both(runner, in, in_fmt, wt, op.zp, bias, g, op.q, out_fmt, zero_points);
    Outcome o;
    o.values = std::int64_t(c.outputs[0].values.size());
    o.mismatches_ref = mismatches(r.reference, c.outputs[0].values);
    o.mismatches_kernel = mismatches(r.kernel, c.outputs[0].values);
    o.trips = std::int64_t(r.stats.trip_count);
    nlohmann::json layer = window_json(stride, pads, dilation);
    layer.update({{"type", "conv"},
                  {"out_channels", wt.out_channels},
                  {"kernel", kernel},
                  {"groups", g.groups}});
    o.model_iterations = model_iterations(layer, in.channels, in.height, in.width, arch, &r.kernel);
    return o;
}

// MatMulInteger / QLinearMatMul of a 2-D [M, K] x [K, N]: an FC layer of N outputs over a batch
// of M (a 1x1 conv over one row of M pixels, as the kernels run FC), compared transposed. A 3-D
// [B, M, K] x [B, K, N] is B such layers, one per weight matrix.
Outcome run_matmul(OpenClRunner& runner, const OnnxNodeCase& c, const ArchConfig& arch) {
    const Quantised op = quantised_operands(c);
    const OnnxTensor& a = *op.x;
    const OnnxTensor& b = *op.w;
    const std::size_t rank = a.dims.size();
    if (rank < 2 || rank > 3 || b.dims.size() != rank || (rank == 3 && a.dims[0] != b.dims[0]))
        throw Skip{"a MatMul other than 2-D, or 3-D with a weight matrix per batch"};
    const int batches = rank == 3 ? int(a.dims[0]) : 1;
    const int M = int(a.dims[rank - 2]), K = int(a.dims[rank - 1]), N = int(b.dims[rank - 1]);
    if (op.zp.weights.size() > 1) throw Skip{"MatMul with per-column weight zero points"};
    const ref::ActFormat in_fmt = fmt_or_skip(a.values, "input");
    const ref::ActFormat out_fmt =
        op.out_fmt ? *op.out_fmt : fmt_or_skip(c.outputs.at(0).values, "output");
    ArchConfig fc_arch = arch;
    fc_arch.fc_batch = M;
    Outcome o;
    for (int bt = 0; bt < batches; ++bt) {
        const std::size_t a0 = std::size_t(bt) * M * K, b0 = std::size_t(bt) * K * N,
                          y0 = std::size_t(bt) * M * N;
        ref::Tensor in(K, 1, M); // channel k of pixel m = A[m][k]
        for (int m = 0; m < M; ++m)
            for (int k = 0; k < K; ++k)
                in.at(k, 0, m) = std::int64_t(a.values[a0 + std::size_t(m * K + k)]);
        std::vector<double> wv(std::size_t(N) * K); // weight [n][k] = B[k][n]
        for (int k = 0; k < K; ++k)
            for (int n = 0; n < N; ++n)
                wv[std::size_t(n * K + k)] = b.values[b0 + std::size_t(k * N + n)];
        const ref::Weights wt = stored_weights(N, K, 1, 1, wv, true);
        const ConvRun r = conv_both(runner, in, in_fmt, wt, op.zp, {}, {}, op.q, out_fmt, true);
        std::vector<double> expected(std::size_t(N) * M); // [n][m] = Y[m][n]
        for (int m = 0; m < M; ++m)
            for (int n = 0; n < N; ++n)
                expected[std::size_t(n * M + m)] =
                    c.outputs.at(0).values[y0 + std::size_t(m * N + n)];
        o.values += std::int64_t(expected.size());
        o.mismatches_ref += mismatches(r.reference, expected);
        o.mismatches_kernel += mismatches(r.kernel, expected);
        o.trips += std::int64_t(r.stats.trip_count);
        o.model_iterations +=
            model_iterations({{"type", "fc"}, {"out_features", N}}, K, 1, 1, fc_arch);
    }
    return o;
}

// Pools, and ReLU / Clip / Identity as a 1x1 max pool whose output format does the clamping.
Outcome run_pool(OpenClRunner& runner, const OnnxNodeCase& c, const ArchConfig& arch) {
    const OnnxTensor& x = c.inputs.at(0);
    const std::string& op = c.op_type;
    OnnxTensor x4 = x;
    const bool elementwise = op == "Relu" || op == "Clip" || op == "Identity";
    if (elementwise) {
        // Element-wise: any shape is a 1 x 1 x N map.
        x4.dims = {1, 1, 1, x.elements()};
    }
    require_2d_map(x4);
    if (c.outputs.size() > 1 && c.outputs[1].present) throw Skip{"the Indices output"};
    const ref::ActFormat in_fmt = fmt_or_skip(x.values, "input");
    ref::ActFormat out_fmt = fmt_or_skip(c.outputs.at(0).values, "output");
    if (op == "Clip") {
        const double lo_data = *std::min_element(x.values.begin(), x.values.end());
        const double hi_data = *std::max_element(x.values.begin(), x.values.end());
        const double lo =
            c.inputs.size() > 1 && c.inputs[1].present ? c.inputs[1].values.at(0) : -1e300;
        const double hi =
            c.inputs.size() > 2 && c.inputs[2].present ? c.inputs[2].values.at(0) : 1e300;
        // The kernels clamp only at the output format's bounds: a bound that binds must be one.
        const bool lo_ok = lo <= lo_data || lo == double(out_fmt.min());
        const bool hi_ok = hi >= hi_data || hi == double(out_fmt.max());
        if (!lo_ok || !hi_ok) throw Skip{"Clip bounds other than the 8-bit output format's range"};
    }
    if (op == "Relu") out_fmt = ref::ActFormat{8, false};
    ref::PoolGeometry g;
    bool average = op == "AveragePool" || op == "GlobalAveragePool";
    nlohmann::json layer = {{"type", average ? "avgpool" : "maxpool"}};
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
        g.kernel_h = int(x4.dims[2]), g.kernel_w = int(x4.dims[3]);
        layer["global"] = true;
    } else if (elementwise) {
        layer["kernel"] = 1;
    } else {
        const auto kernel = ints_or(c, "kernel_shape", {});
        if (kernel.size() != 2) throw Skip{fmt::format("{}-D pool", kernel.size())};
        const auto stride = ints_or(c, "strides", {1, 1});
        const auto dilation = ints_or(c, "dilations", {1, 1});
        const auto pads = window_pads(c, x4.dims, kernel, stride, dilation);
        g = {int(kernel[0]), int(kernel[1]), int(stride[0]), int(stride[1]), pads[0], pads[1]};
        g.dilation_h = int(dilation[0]), g.dilation_w = int(dilation[1]);
        g.pad_bottom = pads[2], g.pad_right = pads[3];
        g.ceil_mode = ints_or(c, "ceil_mode", {0})[0] != 0;
        g.count_include_pad = average && ints_or(c, "count_include_pad", {0})[0] != 0;
        layer.update(window_json(stride, pads, dilation));
        layer["kernel"] = kernel;
        layer["ceil_mode"] = g.ceil_mode;
        if (average) layer["count_include_pad"] = g.count_include_pad;
    }
    const ref::Tensor in = to_tensor(x4, x.values);
    const ref::Tensor expected_ref =
        average ? ref::avg_pool(in, g, out_fmt) : ref::max_pool(in, g, out_fmt);
    KernelStats stats;
    const ref::Tensor got = runner.pool(in, in_fmt, g, average, out_fmt, &stats);
    Outcome o;
    o.values = std::int64_t(c.outputs[0].values.size());
    o.mismatches_ref = mismatches(expected_ref, c.outputs[0].values);
    o.mismatches_kernel = mismatches(got, c.outputs[0].values);
    o.trips = std::int64_t(stats.trip_count);
    o.model_iterations = model_iterations(layer, in.channels, in.height, in.width, arch, &got);
    return o;
}

Outcome run_add(OpenClRunner& runner, const OnnxNodeCase& c, const ArchConfig& arch) {
    const OnnxTensor& a = c.inputs.at(0);
    const OnnxTensor& b = c.inputs.at(1);
    if (a.dims != b.dims) throw Skip{"broadcasting Add"};
    OnnxTensor m = a;
    m.dims = {1, 1, 1, a.elements()};
    const ref::ActFormat fa = fmt_or_skip(a.values, "input");
    const ref::ActFormat fb = fmt_or_skip(b.values, "input");
    const ref::ActFormat out_fmt = fmt_or_skip(c.outputs.at(0).values, "output");
    const ref::Tensor ta = to_tensor(m, a.values), tb = to_tensor(m, b.values);
    KernelStats stats;
    const ref::Tensor got = runner.add(ta, fa, tb, fb, out_fmt, &stats);
    Outcome o;
    o.values = std::int64_t(c.outputs[0].values.size());
    o.mismatches_ref = mismatches(ref::add(ta, tb, out_fmt), c.outputs[0].values);
    o.mismatches_kernel = mismatches(got, c.outputs[0].values);
    o.trips = std::int64_t(stats.trip_count);
    o.model_iterations = model_iterations({{"type", "add"}, {"inputs", {"data", "data"}}},
                                          ta.channels, ta.height, ta.width, arch);
    return o;
}

// Concat is channel-wise in lpdla: along `axis` of a tensor whose dimensions before it are all 1
// (a leading [1, ...] batch), each input is a map of d[axis] channels and the rest as H x W (one
// dimension after the axis: H x 1; none: 1 x 1). Along any other axis it is not expressible.
// No kernel runs the concat itself (the model's 0 cycles): each input goes through the identity
// pass (a 1x1 pool: the producer writing its map in the device packing, into the output format)
// and the device outputs are placed at their channel offsets; trips are those identity passes'.
Outcome run_concat(OpenClRunner& runner, const OnnxNodeCase& c, const ArchConfig& arch) {
    const OnnxTensor& first = c.inputs.at(0);
    const auto rank = std::int64_t(first.dims.size());
    std::int64_t axis = ints_or(c, "axis", {0})[0];
    if (axis < 0) axis += rank;
    if (rank == 0 || axis < 0 || axis >= rank) throw Skip{"concat of scalars"};
    if (rank - axis > 3)
        throw Skip{fmt::format("concat along axis {} of a {}-D tensor: more than 2 dimensions "
                               "after the channels",
                               axis, rank)};
    const ref::ActFormat out_fmt = fmt_or_skip(c.outputs.at(0).values, "output");
    std::vector<ref::Tensor> parts, device_parts;
    Outcome o;
    for (const OnnxTensor& t : c.inputs) {
        for (std::int64_t i = 0; i < axis; ++i)
            if (t.dims[std::size_t(i)] != 1)
                throw Skip{"concat along an axis after a dimension > 1 (lpdla concatenates the "
                           "channels of [1, C, H, W] maps only)"};
        OnnxTensor m = t;
        m.dims = {1, t.dims[std::size_t(axis)], 1, 1};
        for (std::int64_t i = axis + 1, slot = 2; i < rank; ++i, ++slot)
            m.dims[std::size_t(slot)] = t.dims[std::size_t(i)];
        const ref::ActFormat in_fmt = fmt_or_skip(t.values, "input");
        parts.push_back(to_tensor(m, t.values));
        KernelStats stats;
        device_parts.push_back(
            runner.pool(parts.back(), in_fmt, ref::PoolGeometry{}, false, out_fmt, &stats));
        o.trips += std::int64_t(stats.trip_count);
        o.model_iterations +=
            model_iterations({{"type", "maxpool"}, {"kernel", {1, 1}}}, int(m.dims[1]),
                             int(m.dims[2]), int(m.dims[3]), arch);
    }
    o.values = std::int64_t(c.outputs[0].values.size());
    o.mismatches_ref = mismatches(ref::concat(parts), c.outputs[0].values);
    o.mismatches_kernel = mismatches(ref::concat(device_parts), c.outputs[0].values);
    return o;
}

using CaseRunner = Outcome (*)(OpenClRunner&, const OnnxNodeCase&, const ArchConfig&);
const std::map<std::string, CaseRunner>& runners() {
    static const std::map<std::string, CaseRunner> r = {{"Conv", run_conv},
                                                        {"ConvInteger", run_conv},
                                                        {"QLinearConv", run_conv},
                                                        {"MaxPool", run_pool},
                                                        {"AveragePool", run_pool},
                                                        {"GlobalAveragePool", run_pool},
                                                        {"GlobalMaxPool", run_pool},
                                                        {"Relu", run_pool},
                                                        {"Clip", run_pool},
                                                        {"Identity", run_pool},
                                                        {"Add", run_add},
                                                        {"MatMulInteger", run_matmul},
                                                        {"QLinearMatMul", run_matmul},
                                                        {"Concat", run_concat}};
    return r;
}

} // namespace

int main(int argc, char** argv) {
    fs::path dir = "/usr/share/libonnx-testdata/data/node";
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-v")
            verbose = true;
        else
            dir = a;
    }
    if (!fs::is_directory(dir)) {
        std::fprintf(stderr,
                     "onnx conformance: %s is not a directory (apt-get install "
                     "libonnx-testdata; scripts/setup.sh does)\n",
                     dir.string().c_str());
        return 1;
    }
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory()) cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());

    const ArchConfig arch = conformance_arch();
    OpenClRunner runner(kernel_config(arch), fs::path(LPDLA_SOURCE_DIR) / "kernels");
    int passed = 0, failed = 0;
    std::map<std::string, std::vector<std::string>> skipped; // reason -> cases
    std::set<std::string> passed_names;
    for (const auto& path : cases) {
        const std::string name = path.filename().string();
        try {
            OnnxNodeCase c = read_onnx_node_case(path, false);
            if (c.node_count != 1) throw Skip{"a multi-node graph (function body expanded)"};
            if (!c.domain.empty() && c.domain != "ai.onnx")
                throw Skip{fmt::format("op of domain {}", c.domain)};
            auto it = runners().find(c.op_type);
            if (it == runners().end())
                throw Skip{fmt::format("op {} has no lpdla kernel", c.op_type)};
            c = read_onnx_node_case(path, true);
            require_integers(c);
            const Outcome o = it->second(runner, c, arch);
            const bool ok =
                o.mismatches_ref == 0 && o.mismatches_kernel == 0 && o.trips == o.model_iterations;
            if (ok) {
                ++passed;
                passed_names.insert(name);
            } else {
                ++failed;
            }
            if (!ok || verbose)
                std::printf("%s %s: %lld values, reference %lld and kernel %lld differ from ONNX; "
                            "trips %lld, model %lld\n",
                            ok ? "pass" : "FAIL", name.c_str(), (long long)o.values,
                            (long long)o.mismatches_ref, (long long)o.mismatches_kernel,
                            (long long)o.trips, (long long)o.model_iterations);
        } catch (const Skip& s) {
            skipped[s.reason].push_back(name);
        } catch (const Error& e) {
            ++failed;
            std::printf("FAIL %s: %s\n", name.c_str(), e.what());
        }
    }
    int skipped_total = 0;
    for (const auto& [reason, names] : skipped) skipped_total += int(names.size());
    std::printf("\nONNX node conformance (%s): %zu cases: %d passed, %d skipped, %d failed\n",
                dir.string().c_str(), cases.size(), passed, skipped_total, failed);
    std::printf("skipped, by reason:\n");
    for (const auto& [reason, names] : skipped) {
        std::printf("  %4zu  %s", names.size(), reason.c_str());
        if (reason.rfind("op ", 0) != 0 || verbose)
            std::printf(": %s", fmt::format("{}", fmt::join(names, " ")).c_str());
        std::printf("\n");
    }
    int missing = 0;
    for (const auto& name : must_pass)
        if (!passed_names.count(name)) {
            ++missing;
            std::printf("FAIL %s: expressible (must pass) but did not pass\n", name.c_str());
        }
    return failed == 0 && missing == 0 ? 0 : 1;
}
