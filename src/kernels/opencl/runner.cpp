// OpenClRunner: one kernel launch per layer, data packed as on the device.
#include <chrono>
#include <string_view>

#include <fmt/format.h>

#include "../reference/value_checks.h"
#include "cl_context.h"
#include "lpdla/error.h"
#include "lpdla/kernels/opencl_runner.h"

namespace lpdla {
namespace {

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

} // namespace

struct OpenClRunner::Impl {
    KernelConfig cfg;
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

    Buffer output(int c, int h, int w) const {
        const std::vector<std::uint32_t> zeros(ref::packed_activation_words(c, h, w, cfg.act_bits));
        return Buffer(ctx(), CL_MEM_READ_WRITE, zeros.size() * 4, zeros.data());
    }
    Buffer trip_counter() const {
        const cl_ulong zero = 0;
        return Buffer(ctx(), CL_MEM_READ_WRITE, sizeof zero, &zero);
    }
};

OpenClRunner::OpenClRunner(const KernelConfig& cfg, const std::filesystem::path& kernel_dir)
    : OpenClRunner(cfg, kernel_program_text(cfg, kernel_dir)) {}

OpenClRunner::OpenClRunner(const KernelConfig& cfg, const std::string& program_text)
    : impl_(std::make_unique<Impl>()) {
    impl_->cfg = cfg;
    impl_->program = cl::build_program(program_text);
}

OpenClRunner::~OpenClRunner() = default;
OpenClRunner::OpenClRunner(OpenClRunner&&) noexcept = default;
OpenClRunner& OpenClRunner::operator=(OpenClRunner&&) noexcept = default;

const KernelConfig& OpenClRunner::config() const {
    return impl_->cfg;
}
std::string OpenClRunner::device_name() const {
    return impl_->program->device->name;
}

ref::Tensor OpenClRunner::conv(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                               const ref::Weights& w, const std::vector<std::int32_t>& bias,
                               const ref::ConvGeometry& g, const ref::Requant& q,
                               const ref::ActFormat& out_fmt, KernelStats* stats) {
    impl_->check_format(out_fmt);
    if (w.kind != impl_->cfg.weights) {
        throw Error(fmt::format("runner: {} weights given to {} kernels", to_string(w.kind),
                                to_string(impl_->cfg.weights)));
    }
    if (g.groups < 1 || in.channels != w.in_per_group * g.groups || w.out_channels % g.groups) {
        throw Error(fmt::format("runner conv: {} input channels, {} per group x {} groups, {} "
                                "outputs do not agree",
                                in.channels, w.in_per_group, g.groups, w.out_channels));
    }
    ref::detail::check_weights(w, "runner conv weights");
    ref::detail::check_bias(bias, w.out_channels, "runner conv");
    // No bias is a zero bias, as in the reference: the kernel always reads one per channel.
    const std::vector<std::int32_t> bias_values =
        bias.empty() ? std::vector<std::int32_t>(std::size_t(w.out_channels), 0) : bias;
    const int OH = ref::window_out(in.height, w.kernel_h, g.stride_h, g.pad_h, g.bottom(),
                                   g.dilation_h, false);
    const int OW =
        ref::window_out(in.width, w.kernel_w, g.stride_w, g.pad_w, g.right(), g.dilation_w, false);
    const Buffer bin = impl_->input(in, in_fmt, "runner conv input");
    const auto wwords = ref::pack_weights(w);
    const Buffer bw(impl_->ctx(), CL_MEM_READ_ONLY, wwords.size() * 4, wwords.data());
    const Buffer bb(impl_->ctx(), CL_MEM_READ_ONLY, bias_values.size() * 4, bias_values.data());
    const Buffer bout = impl_->output(w.out_channels, OH, OW);
    const Buffer trips = impl_->trip_counter();
    Kernel k(impl_->program->program, "lpdla_conv");
    k.arg(bin);
    k.arg(bw);
    k.arg(bb);
    k.arg(bout);
    k.arg(trips);
    for (int v : {in.channels, in.height, in.width, w.out_channels, OH, OW, w.kernel_h, w.kernel_w,
                  g.stride_h, g.stride_w, g.pad_h, g.pad_w, g.groups, int(in_fmt.is_signed),
                  q.scale, q.shift, int(out_fmt.is_signed), g.dilation_h, g.dilation_w}) {
        k.arg(v);
    }
    return impl_->launch(k, bout, trips, w.out_channels, OH, OW, out_fmt, stats);
}

ref::Tensor OpenClRunner::pool(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                               const ref::PoolGeometry& g, bool average,
                               const ref::ActFormat& out_fmt, KernelStats* stats) {
    impl_->check_format(out_fmt);
    const int OH = ref::window_out(in.height, g.kernel_h, g.stride_h, g.pad_h, g.bottom(),
                                   g.dilation_h, g.ceil_mode);
    const int OW = ref::window_out(in.width, g.kernel_w, g.stride_w, g.pad_w, g.right(),
                                   g.dilation_w, g.ceil_mode);
    const Buffer bin = impl_->input(in, in_fmt, "runner pool input");
    const Buffer bout = impl_->output(in.channels, OH, OW);
    const Buffer trips = impl_->trip_counter();
    Kernel k(impl_->program->program, "lpdla_pool");
    k.arg(bin);
    k.arg(bout);
    k.arg(trips);
    // Mode 0 max, 1 average over the in-bounds taps, 2 average counting the padding.
    const int mode = average ? (g.count_include_pad ? 2 : 1) : 0;
    for (int v : {in.channels, in.height, in.width, OH, OW, g.kernel_h, g.kernel_w, g.stride_h,
                  g.stride_w, g.pad_h, g.pad_w, mode, int(in_fmt.is_signed), int(out_fmt.is_signed),
                  g.dilation_h, g.dilation_w, g.bottom(), g.right()}) {
        k.arg(v);
    }
    return impl_->launch(k, bout, trips, in.channels, OH, OW, out_fmt, stats);
}

ref::Tensor OpenClRunner::add(const ref::Tensor& a, const ref::ActFormat& a_fmt,
                              const ref::Tensor& b, const ref::ActFormat& b_fmt,
                              const ref::ActFormat& out_fmt, KernelStats* stats) {
    impl_->check_format(out_fmt);
    if (a.channels != b.channels || a.height != b.height || a.width != b.width) {
        throw Error("runner: add inputs differ in shape");
    }
    const Buffer ba = impl_->input(a, a_fmt, "runner add input a");
    const Buffer bb = impl_->input(b, b_fmt, "runner add input b");
    const Buffer bout = impl_->output(a.channels, a.height, a.width);
    const Buffer trips = impl_->trip_counter();
    Kernel k(impl_->program->program, "lpdla_add");
    k.arg(ba);
    k.arg(bb);
    k.arg(bout);
    k.arg(trips);
    for (int v : {a.channels, a.height, a.width, int(a_fmt.is_signed), int(b_fmt.is_signed),
                  int(out_fmt.is_signed)}) {
        k.arg(v);
    }
    return impl_->launch(k, bout, trips, a.channels, a.height, a.width, out_fmt, stats);
}

ref::Tensor OpenClRunner::identity(const ref::Tensor& in, const ref::ActFormat& fmt,
                                   KernelStats* stats) {
    const Buffer bin = impl_->input(in, fmt, "runner identity input");
    const Buffer bout = impl_->output(in.channels, in.height, in.width);
    const Buffer trips = impl_->trip_counter();
    Kernel k(impl_->program->program, "lpdla_identity");
    k.arg(bin);
    k.arg(bout);
    k.arg(trips);
    for (int v : {in.channels, in.height, in.width}) k.arg(v);
    return impl_->launch(k, bout, trips, in.channels, in.height, in.width, fmt, stats);
}

} // namespace lpdla
