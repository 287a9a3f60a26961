// OpenClRunner::conv_passes: one conv layer as several launches of lpdla_conv sharing a
// partial-sum buffer and a trip counter on the device, as a bit-sliced layer runs on the array
// (docs/KERNELS.md "Layers wider than the array").
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>

#include "lpdla/model/layer_precision.h"
#include "runner_impl.h"

namespace lpdla {
namespace {

std::int64_t max_abs(std::int64_t lo, std::int64_t hi) {
    return std::max(std::abs(lo), std::abs(hi));
}

// Largest |partial sum| any subset of the passes can bank: each product is at most
// max|a| * max|w|, Cg*R*S of them per output and pass, times 2^shift. long double holds the
// products of the int64 factors exactly enough for a comparison with 2^31 - 1.
long double partial_bound(const std::vector<ConvPass>& passes) {
    long double bound = 0;
    for (const ConvPass& p : passes) {
        const long double taps = static_cast<long double>(p.weights.in_per_group) *
                                 p.weights.kernel_h * p.weights.kernel_w;
        bound += taps * static_cast<long double>(max_abs(p.in_fmt.min(), p.in_fmt.max())) *
                 static_cast<long double>(
                     max_abs(ref::weight_min(p.weights.kind), ref::weight_max(p.weights.kind))) *
                 static_cast<long double>(std::int64_t(1) << p.shift);
    }
    return bound;
}

} // namespace

std::vector<ref::Tensor> OpenClRunner::conv_passes(const std::vector<ConvPass>& passes,
                                                   const std::vector<std::int32_t>& bias,
                                                   const ref::ConvGeometry& g,
                                                   const ref::Requant& q,
                                                   const ref::ActFormat& out_fmt,
                                                   KernelStats* stats) {
    const int A = impl_->cfg.act_bits;
    if (passes.empty()) throw Error("runner conv_passes: no passes");
    const int planes = activation_slices(out_fmt.bits, A);
    if (planes == 0) {
        throw Error(fmt::format("runner conv_passes: a {}-bit output cannot be stored as {}-bit "
                                "planes (1-bit values are +1/-1, not bits of a wider value)",
                                out_fmt.bits, A));
    }
    const ConvPass& first = passes.front();
    const Impl::ConvShape shape = impl_->conv_shape(first.in, first.weights, bias, g);
    for (const ConvPass& p : passes) {
        impl_->conv_shape(p.in, p.weights, bias, g); // kind and agreement with the geometry
        if (p.in.channels != first.in.channels || p.in.height != first.in.height ||
            p.in.width != first.in.width || p.weights.out_channels != first.weights.out_channels ||
            p.weights.kernel_h != first.weights.kernel_h ||
            p.weights.kernel_w != first.weights.kernel_w) {
            throw Error("runner conv_passes: the passes differ in shape");
        }
        if (p.shift < 0 || p.shift > 30)
            throw Error(fmt::format("runner conv_passes: shift {} outside 0..30", p.shift));
    }
    const bool single = passes.size() == 1 && first.shift == 0;
    if (!single && partial_bound(passes) > std::numeric_limits<std::int32_t>::max()) {
        throw Error(fmt::format("runner conv_passes: partial sums of {} passes over {} taps per "
                                "output could exceed int32 (bound {:.0f})",
                                passes.size(),
                                first.weights.in_per_group * first.weights.kernel_h *
                                    first.weights.kernel_w,
                                double(partial_bound(passes))));
    }

    const int K = first.weights.out_channels;
    const std::size_t plane_words = ref::packed_activation_words(K, shape.out_h, shape.out_w, A);
    const Impl::Buffer bb(impl_->ctx(), CL_MEM_READ_ONLY, shape.bias.size() * 4, shape.bias.data());
    const std::vector<std::uint32_t> zero_out(plane_words * std::size_t(planes));
    const Impl::Buffer bout(impl_->ctx(), CL_MEM_READ_WRITE, zero_out.size() * 4, zero_out.data());
    const std::vector<std::int32_t> zero_partial(
        single ? 0 : std::size_t(K) * shape.out_h * shape.out_w);
    const Impl::Buffer partial(impl_->ctx(), CL_MEM_READ_WRITE, zero_partial.size() * 4,
                               zero_partial.empty() ? nullptr : zero_partial.data());
    const Impl::Buffer trips = impl_->trip_counter();
    const Impl::RequantArgs rq(impl_->ctx(), first.weights.out_channels, q, {}, 0);

    // Every pass's operands and kernel object stay alive until the queue has run them all.
    std::vector<std::unique_ptr<Impl::Buffer>> operands;
    std::vector<std::unique_ptr<Impl::Kernel>> kernels;
    for (std::size_t i = 0; i < passes.size(); ++i) {
        const ConvPass& p = passes[i];
        impl_->check_format(p.in_fmt);
        ref::detail::check_activations(p.in, p.in_fmt, "runner pass input");
        const auto awords = ref::pack_activations(p.in, p.in_fmt);
        operands.push_back(std::make_unique<Impl::Buffer>(impl_->ctx(), CL_MEM_READ_ONLY,
                                                          awords.size() * 4, awords.data()));
        const auto wwords = ref::pack_weights(p.weights);
        operands.push_back(std::make_unique<Impl::Buffer>(impl_->ctx(), CL_MEM_READ_ONLY,
                                                          wwords.size() * 4, wwords.data()));
    }
    const bool first_launch = impl_->program->first_launch_of("lpdla_conv");
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < passes.size(); ++i) {
        const ConvPass& p = passes[i];
        const auto mode = single                   ? Impl::PassMode::single
                          : i + 1 == passes.size() ? Impl::PassMode::last
                                                   : Impl::PassMode::accumulate;
        kernels.push_back(std::make_unique<Impl::Kernel>(impl_->program->program, "lpdla_conv"));
        impl_->conv_args(*kernels.back(), *operands[2 * i], *operands[2 * i + 1], bb, bout, trips,
                         p.in, p.in_fmt, p.weights, g, rq, out_fmt.is_signed, shape,
                         {&partial, mode, p.shift, out_fmt.bits, planes});
        cl::check(clEnqueueTask(impl_->queue(), kernels.back()->k, 0, nullptr, nullptr),
                  "clEnqueueTask");
    }
    cl::check(clFinish(impl_->queue()), "clFinish (kernel execution)");
    const auto stop = std::chrono::steady_clock::now();

    std::vector<std::uint32_t> words(zero_out.size());
    cl_ulong n = 0;
    cl::check(clEnqueueReadBuffer(impl_->queue(), bout.mem, CL_TRUE, 0, words.size() * 4,
                                  words.data(), 0, nullptr, nullptr),
              "clEnqueueReadBuffer");
    cl::check(clEnqueueReadBuffer(impl_->queue(), trips.mem, CL_TRUE, 0, sizeof n, &n, 0, nullptr,
                                  nullptr),
              "clEnqueueReadBuffer");
    if (stats) {
        stats->trip_count = n;
        stats->wall_ms = std::chrono::duration<double, std::milli>(stop - start).count();
        stats->first_launch = first_launch;
    }
    std::vector<ref::Tensor> out;
    for (int j = 0; j < planes; ++j) {
        const auto begin = words.begin() + std::ptrdiff_t(plane_words) * j;
        out.push_back(ref::unpack_activations(
            std::vector<std::uint32_t>(begin, begin + std::ptrdiff_t(plane_words)), K, shape.out_h,
            shape.out_w, ref::activation_slice_format(out_fmt, A, j)));
    }
    return out;
}

} // namespace lpdla
