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
    // Sets every argument of lpdla_conv, in the kernel's order.
    void conv_args(Kernel& k, const Buffer& in, const Buffer& wts, const Buffer& bias,
                   const Buffer& out, const Buffer& trips, const ref::Tensor& in_shape,
                   const ref::ActFormat& in_fmt, const ref::Weights& w_shape,
                   const ref::ConvGeometry& g, const ref::Requant& q, bool out_signed,
                   const ConvShape& shape, const PassArgs& pass) const {
        k.arg(in);
        k.arg(wts);
        k.arg(bias);
        k.arg(out);
        k.arg(trips);
        for (int v : {in_shape.channels, in_shape.height, in_shape.width, w_shape.out_channels,
                      shape.out_h, shape.out_w, w_shape.kernel_h, w_shape.kernel_w, g.stride_h,
                      g.stride_w, g.pad_h, g.pad_w, g.groups, int(in_fmt.is_signed), q.scale,
                      q.shift, int(out_signed), g.dilation_h, g.dilation_w}) {
            k.arg(v);
        }
        k.arg(*pass.partial);
        for (int v : {int(pass.mode), pass.shift, pass.out_bits, pass.out_planes}) k.arg(v);
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
