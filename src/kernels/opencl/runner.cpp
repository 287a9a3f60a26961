// OpenClRunner: one kernel launch per layer, data packed as on the device.
#include "runner_impl.h"

namespace lpdla {

using cl::Buffer;
using cl::Kernel;

OpenClRunner::OpenClRunner(const KernelConfig& cfg, const std::filesystem::path& kernel_dir)
    : OpenClRunner(cfg, kernel_program_text(cfg, kernel_dir)) {
    impl_->kernel_dir = kernel_dir;
}

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
const std::filesystem::path& OpenClRunner::kernel_dir() const {
    return impl_->kernel_dir;
}
std::string OpenClRunner::device_name() const {
    return impl_->program->device->name;
}

ref::Tensor OpenClRunner::conv(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                               const ref::Weights& w, const std::vector<std::int32_t>& bias,
                               const ref::ConvGeometry& g, const ref::Requant& q,
                               const ref::ActFormat& out_fmt, KernelStats* stats) {
    return impl_->conv_single(in, in_fmt, w, bias, g, q, out_fmt, {}, 0, stats);
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
