// conv_bit_sliced: a layer wider than the array (issue 14) as activation slices x weight digit
// planes, each a full run of the unchanged loop nest. The host cuts the operands with the
// reference's helpers; the kernel only accumulates shifted partial sums (conv_passes).
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/opencl_runner.h"
#include "lpdla/model/layer_precision.h"

namespace lpdla {
namespace {

// Slices outer, planes inner: the order the model's pass count implies, and the one that
// keeps an input slice resident while the filter caches cycle through the planes.
std::vector<ConvPass> sliced_passes(const OpenClRunner& runner, const ref::Tensor& in,
                                    const ref::ActFormat& in_fmt, const ref::Weights& w,
                                    const char* what) {
    const KernelConfig& cfg = runner.config();
    const Precision layer{in_fmt.bits, w.kind};
    const Precision array{cfg.act_bits, cfg.weights};
    const std::string problem = bit_slice_problem(layer, array);
    if (!problem.empty()) throw Error(fmt::format("{}: {}", what, problem));
    const int slices = activation_slices(layer.act_bits, array.act_bits);
    const int planes = weight_planes(layer.weights, array.weights);
    std::vector<ref::Weights> digit_planes;
    for (int p = 0; p < planes; ++p) digit_planes.push_back(ref::weight_plane(w, cfg.weights, p));
    std::vector<ConvPass> passes;
    for (int s = 0; s < slices; ++s) {
        const ref::Tensor slice = ref::activation_slice(in, in_fmt, cfg.act_bits, s);
        const ref::ActFormat slice_fmt = ref::activation_slice_format(in_fmt, cfg.act_bits, s);
        for (int p = 0; p < planes; ++p)
            passes.push_back({slice, slice_fmt, digit_planes[std::size_t(p)],
                              bit_slice_shift(s, p, cfg.act_bits, cfg.weights)});
    }
    return passes;
}

} // namespace

ref::Tensor conv_bit_sliced(OpenClRunner& runner, const ref::Tensor& in,
                            const ref::ActFormat& in_fmt, const ref::Weights& w,
                            const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g,
                            const ref::Requant& q, const ref::ActFormat& out_fmt,
                            KernelStats* stats) {
    const auto planes = runner.conv_passes(sliced_passes(runner, in, in_fmt, w, "conv_bit_sliced"),
                                           bias, g, q, out_fmt, stats);
    if (out_fmt.bits == runner.config().act_bits) return planes.front();
    return ref::combine_activation_slices(planes, out_fmt, runner.config().act_bits);
}

std::vector<ref::Tensor> conv_bit_sliced_planes(OpenClRunner& runner, const ref::Tensor& in,
                                                const ref::ActFormat& in_fmt, const ref::Weights& w,
                                                const std::vector<std::int32_t>& bias,
                                                const ref::ConvGeometry& g, const ref::Requant& q,
                                                const ref::ActFormat& wide_fmt,
                                                KernelStats* stats) {
    return runner.conv_passes(sliced_passes(runner, in, in_fmt, w, "conv_bit_sliced_planes"), bias,
                              g, q, wide_fmt, stats);
}

} // namespace lpdla
