#pragma once
// The runner's OpenCL objects and per-launch helpers, shared by the files that launch kernels
// (runner.cpp: one launch per layer; conv_passes.cpp: a layer in several passes).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "../reference/value_checks.h"
#include "cl_context.h"
#include "lpdla/error.h"
#include "lpdla/kernels/opencl_runner.h"

namespace lpdla {
namespace cl {

// RAII for the per-launch objects.
struct Buffer {
    cl_mem mem = nullptr;
    Buffer(cl_context ctx, cl_mem_flags flags, std::size_t bytes, const void* host) {
        cl_int err = CL_SUCCESS;
        // OpenCL rejects zero-sized buffers; a word of slack costs nothing.
        mem = clCreateBuffer(ctx, flags | (host ? CL_MEM_COPY_HOST_PTR : 0), bytes == 0 ? 4 : bytes,
                             bytes == 0 ? nullptr : const_cast<void*>(host), &err);
        cl::check(err, "clCreateBuffer");
    }
    ~Buffer() {
        if (mem) clReleaseMemObject(mem);
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
};

struct Kernel {
    cl_kernel k = nullptr;
    int next_arg = 0;
    std::string name;
    Kernel(cl_program p, const char* kernel_name) : name(kernel_name) {
        cl_int err = CL_SUCCESS;
        k = clCreateKernel(p, kernel_name, &err);
        cl::check(err, kernel_name);
    }
    ~Kernel() {
        if (k) clReleaseKernel(k);
    }
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;
    void arg(const Buffer& b) {
        cl::check(clSetKernelArg(k, next_arg++, sizeof(cl_mem), &b.mem), "clSetKernelArg");
    }
    void arg(int v) {
        const cl_int x = v;
        cl::check(clSetKernelArg(k, next_arg++, sizeof x, &x), "clSetKernelArg");
    }
};

} // namespace cl

struct OpenClRunner::Impl {
    using Buffer = cl::Buffer;
    using Kernel = cl::Kernel;

    KernelConfig cfg;
    std::filesystem::path kernel_dir; // empty when built from a program text
    std::shared_ptr<cl::Program> program;

    cl_context ctx() const { return program->device->context; }
    cl_command_queue queue() const { return program->device->queue; }

    void check_format(const ref::ActFormat& f) const {
        if (f.bits != cfg.act_bits) {
            throw Error(fmt::format("runner: a {}-bit tensor given to {}-bit kernels", f.bits,
                                    cfg.act_bits));
        }
    }

    Buffer input(const ref::Tensor& t, const ref::ActFormat& f, std::string_view what) const {
        check_format(f);
        ref::detail::check_activations(t, f, what);
        const auto words = ref::pack_activations(t, f);
        return Buffer(ctx(), CL_MEM_READ_ONLY, words.size() * 4, words.data());
    }

    // Runs the kernel as one work item and reads back the trip counter and the output.
    ref::Tensor launch(Kernel& k, const Buffer& out, const Buffer& trips, int c, int h, int w,
                       const ref::ActFormat& out_fmt, KernelStats* stats) const {
        const bool first = program->first_launch_of(k.name);
        const auto start = std::chrono::steady_clock::now();
        cl::check(clEnqueueTask(queue(), k.k, 0, nullptr, nullptr), "clEnqueueTask");
        cl::check(clFinish(queue()), "clFinish (kernel execution)");
        const auto stop = std::chrono::steady_clock::now();
        std::vector<std::uint32_t> words(ref::packed_activation_words(c, h, w, cfg.act_bits));
        cl_ulong n = 0;
        cl::check(clEnqueueReadBuffer(queue(), out.mem, CL_TRUE, 0, words.size() * 4, words.data(),
                                      0, nullptr, nullptr),
                  "clEnqueueReadBuffer");
        cl::check(
            clEnqueueReadBuffer(queue(), trips.mem, CL_TRUE, 0, sizeof n, &n, 0, nullptr, nullptr),
            "clEnqueueReadBuffer");
        if (stats) {
            stats->trip_count = n;
            stats->wall_ms = std::chrono::duration<double, std::milli>(stop - start).count();
            stats->first_launch = first;
        }
        return ref::unpack_activations(words, c, h, w, out_fmt);
    }

    // A conv's shape checked against the configuration; the output size and the bias the kernel
    // reads (no bias is a zero bias, as in the reference: the kernel reads one per channel).
    struct ConvShape {
        int out_h = 0, out_w = 0;
        std::vector<std::int32_t> bias;
    };
    ConvShape conv_shape(const ref::Tensor& in, const ref::Weights& w,
                         const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g) const {
        if (w.kind != cfg.weights) {
            throw Error(fmt::format("runner: {} weights given to {} kernels", to_string(w.kind),
                                    to_string(cfg.weights)));
        }
        if (g.groups < 1 || in.channels != w.in_per_group * g.groups || w.out_channels % g.groups) {
            throw Error(fmt::format("runner conv: {} input channels, {} per group x {} groups, {} "
                                    "outputs do not agree",
                                    in.channels, w.in_per_group, g.groups, w.out_channels));
        }
        ref::detail::check_weights(w, "runner conv weights");
        ref::detail::check_bias(bias, w.out_channels, "runner conv");
        ConvShape s;
        s.bias = bias.empty() ? std::vector<std::int32_t>(std::size_t(w.out_channels), 0) : bias;
        s.out_h = ref::window_out(in.height, w.kernel_h, g.stride_h, g.pad_h, g.bottom(),
                                  g.dilation_h, false);
        s.out_w = ref::window_out(in.width, w.kernel_w, g.stride_w, g.pad_w, g.right(),
                                  g.dilation_w, false);
        return s;
    }

    // How one launch of lpdla_conv combines with the others of its layer (kernels/lpdla_conv.cl).
    enum class PassMode { single = 0, accumulate = 1, last = 2 };
    struct PassArgs {
        const Buffer* partial = nullptr; // int32 per output value; unused by a single pass
        PassMode mode = PassMode::single;
        int shift = 0;    // the pass's accumulators are multiplied by 2^shift
        int out_bits = 0; // > act_bits: the output is stored as planes for a wide consumer
        int out_planes = 1;
    };
    // The requantise stage's per-channel operands and the zero-point correction (kernel
    // arguments pad_value .. q_half_even): a per-tensor scale repeated in every channel.
    struct RequantArgs {
        std::vector<std::int32_t> zero_v, mul_v, shift_v, offset_v;
        Buffer w_zero, mul, shift, offset;
        int pad_value = 0, half_even = 0;
        RequantArgs(cl_context ctx, int K, const ref::Requant& q, std::vector<std::int32_t> wz,
                    int pad)
            : zero_v(wz.empty() ? std::vector<std::int32_t>(std::size_t(K), 0) : std::move(wz)),
              mul_v(per_channel(q.per_channel(), q.multiplier, q.scale, K, "multiplier")),
              shift_v(per_channel(q.per_channel(), as_int32(q.channel_shift), q.shift, K,
                                  "channel_shift")),
              offset_v(per_channel(q.per_channel() && !q.offset.empty(), q.offset, 0, K, "offset")),
              w_zero(ctx, CL_MEM_READ_ONLY, zero_v.size() * 4, zero_v.data()),
              mul(ctx, CL_MEM_READ_ONLY, mul_v.size() * 4, mul_v.data()),
              shift(ctx, CL_MEM_READ_ONLY, shift_v.size() * 4, shift_v.data()),
              offset(ctx, CL_MEM_READ_ONLY, offset_v.size() * 4, offset_v.data()), pad_value(pad),
              half_even(q.per_channel() ? 1 : 0) {
            if (zero_v.size() != std::size_t(K))
                throw Error(fmt::format("runner conv: {} weight zero points for {} outputs",
                                        zero_v.size(), K));
            for (int sh : shift_v)
                if (sh < 0 || sh > 62)
                    throw Error(fmt::format("runner conv: requantise shift {} outside 0..62", sh));
        }
        static std::vector<std::int32_t> as_int32(const std::vector<int>& v) {
            return std::vector<std::int32_t>(v.begin(), v.end());
        }
        static std::vector<std::int32_t> per_channel(bool given, const std::vector<std::int32_t>& v,
                                                     int fallback, int K, const char* what) {
            if (!given) return std::vector<std::int32_t>(std::size_t(K), fallback);
            if (v.size() != std::size_t(K))
                throw Error(fmt::format("runner conv: requantise {} has {} values for {} output "
                                        "channels",
                                        what, v.size(), K));
            return v;
        }
    };

    // Sets every argument of lpdla_conv, in the kernel's order.
    void conv_args(Kernel& k, const Buffer& in, const Buffer& wts, const Buffer& bias,
                   const Buffer& out, const Buffer& trips, const ref::Tensor& in_shape,
                   const ref::ActFormat& in_fmt, const ref::Weights& w_shape,
                   const ref::ConvGeometry& g, const RequantArgs& q, bool out_signed,
                   const ConvShape& shape, const PassArgs& pass) const {
        k.arg(in);
        k.arg(wts);
        k.arg(bias);
        k.arg(out);
        k.arg(trips);
        for (int v : {in_shape.channels, in_shape.height, in_shape.width, w_shape.out_channels,
                      shape.out_h, shape.out_w, w_shape.kernel_h, w_shape.kernel_w, g.stride_h,
                      g.stride_w, g.pad_h, g.pad_w, g.groups, int(in_fmt.is_signed),
                      int(out_signed), g.dilation_h, g.dilation_w}) {
            k.arg(v);
        }
        k.arg(*pass.partial);
        for (int v : {int(pass.mode), pass.shift, pass.out_bits, pass.out_planes, q.pad_value})
            k.arg(v);
        k.arg(q.w_zero);
        k.arg(q.mul);
        k.arg(q.shift);
        k.arg(q.offset);
        k.arg(q.half_even);
    }

    // One single-pass conv launch (OpenClRunner::conv and conv_zero_points).
    ref::Tensor conv_single(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                            const ref::Weights& w, const std::vector<std::int32_t>& bias,
                            const ref::ConvGeometry& g, const ref::Requant& q,
                            const ref::ActFormat& out_fmt, std::vector<std::int32_t> w_zero,
                            int pad_value, KernelStats* stats) const {
        check_format(out_fmt);
        const ConvShape shape = conv_shape(in, w, bias, g);
        const Buffer bin = input(in, in_fmt, "runner conv input");
        const auto wwords = ref::pack_weights(w);
        const Buffer bw(ctx(), CL_MEM_READ_ONLY, wwords.size() * 4, wwords.data());
        const Buffer bb(ctx(), CL_MEM_READ_ONLY, shape.bias.size() * 4, shape.bias.data());
        const Buffer bout = output(w.out_channels, shape.out_h, shape.out_w);
        const Buffer trips = trip_counter();
        const RequantArgs rq(ctx(), w.out_channels, q, std::move(w_zero), pad_value);
        // A single pass never touches the partial sums; the kernel still takes a buffer.
        const Buffer no_partial(ctx(), CL_MEM_READ_WRITE, 0, nullptr);
        Kernel k(program->program, "lpdla_conv");
        conv_args(k, bin, bw, bb, bout, trips, in, in_fmt, w, g, rq, out_fmt.is_signed, shape,
                  {&no_partial, PassMode::single, 0, out_fmt.bits, 1});
        return launch(k, bout, trips, w.out_channels, shape.out_h, shape.out_w, out_fmt, stats);
    }

    Buffer output(int c, int h, int w) const {
        const std::vector<std::uint32_t> zeros(ref::packed_activation_words(c, h, w, cfg.act_bits));
        return Buffer(ctx(), CL_MEM_READ_WRITE, zeros.size() * 4, zeros.data());
    }
    Buffer trip_counter() const {
        const cl_ulong zero = 0;
        return Buffer(ctx(), CL_MEM_READ_WRITE, sizeof zero, &zero);
    }
};

} // namespace lpdla
