// Stride folding (space-to-depth): the host-side rearrangement that lets the stride-1 conv
// kernel run a strided conv. Layout and channel order: include/lpdla/kernels/reference.h.
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"

namespace lpdla::ref {
namespace {

int ceil_div(int a, int b) {
    return (a + b - 1) / b;
}

void check_geometry(int channels, const Weights& w, const ConvGeometry& g) {
    if (g.stride_h < 1 || g.stride_w < 1 || g.pad_h < 0 || g.pad_w < 0 || g.groups < 1 ||
        channels != w.in_per_group * g.groups) {
        throw Error(fmt::format("stride fold: stride {}x{}, pad {}x{}, {} groups of {} channels "
                                "do not describe a conv over {} channels",
                                g.stride_h, g.stride_w, g.pad_h, g.pad_w, g.groups, w.in_per_group,
                                channels));
    }
}

} // namespace

std::string fold_problem(const ActFormat& in_fmt, const Weights& w, const ConvGeometry& g) {
    // The space-to-depth mapping below assumes adjacent taps and equal padding on both sides.
    if (g.dilation_h != 1 || g.dilation_w != 1)
        return fmt::format("dilation {}x{} is not folded", g.dilation_h, g.dilation_w);
    if (g.bottom() != g.pad_h || g.right() != g.pad_w) return "asymmetric padding is not folded";
    if (w.kind == WeightKind::binary &&
        (w.kernel_h % g.stride_h != 0 || w.kernel_w % g.stride_w != 0)) {
        return fmt::format("binary weights (+1/-1) have no zero for the taps that pad a {}x{} "
                           "kernel to a multiple of the stride {}x{}",
                           w.kernel_h, w.kernel_w, g.stride_h, g.stride_w);
    }
    if (in_fmt.bits == 1 && (g.pad_h > 0 || g.pad_w > 0)) {
        return fmt::format("1-bit activations (+1/-1) have no zero for the padding {}x{}, which "
                           "folding moves inside pixels the kernels cannot mask",
                           g.pad_h, g.pad_w);
    }
    return {};
}

Tensor fold_input(const Tensor& in, int kernel_h, int kernel_w, const ConvGeometry& g,
                  std::int64_t fill) {
    if (g.stride_h < 1 || g.stride_w < 1 || g.pad_h < 0 || g.pad_w < 0 || g.groups < 1 ||
        in.channels % g.groups != 0) {
        throw Error(fmt::format("stride fold: stride {}x{}, pad {}x{} and {} groups do not fit a "
                                "{}-channel input",
                                g.stride_h, g.stride_w, g.pad_h, g.pad_w, g.groups, in.channels));
    }
    const int sh = g.stride_h, sw = g.stride_w;
    const int OH = window_out(in.height, kernel_h, sh, g.pad_h);
    const int OW = window_out(in.width, kernel_w, sw, g.pad_w);
    if (OH < 1 || OW < 1) {
        throw Error(fmt::format("stride fold: a {}x{} kernel does not fit the padded {}x{} input",
                                kernel_h, kernel_w, in.height, in.width));
    }
    const int Cg = in.channels / g.groups;
    // Exactly the rows and columns the folded kernel reads: the stride-1 conv then has the
    // original OH x OW outputs and needs no padding of its own.
    Tensor out(in.channels * sh * sw, OH + ceil_div(kernel_h, sh) - 1,
               OW + ceil_div(kernel_w, sw) - 1);
    for (int grp = 0; grp < g.groups; ++grp)
        for (int dr = 0; dr < sh; ++dr)
            for (int ds = 0; ds < sw; ++ds)
                for (int c = 0; c < Cg; ++c) {
                    const int oc = (grp * sh * sw + dr * sw + ds) * Cg + c;
                    for (int Y = 0; Y < out.height; ++Y)
                        for (int X = 0; X < out.width; ++X) {
                            const int y = Y * sh + dr - g.pad_h;
                            const int x = X * sw + ds - g.pad_w;
                            const bool inside = y >= 0 && y < in.height && x >= 0 && x < in.width;
                            out.at(oc, Y, X) = inside ? in.at(grp * Cg + c, y, x) : fill;
                        }
                }
    return out;
}

Weights fold_weights(const Weights& w, const ConvGeometry& g) {
    check_geometry(w.in_per_group * g.groups, w, g);
    const int sh = g.stride_h, sw = g.stride_w;
    Weights f;
    f.out_channels = w.out_channels;
    f.in_per_group = w.in_per_group * sh * sw;
    f.kernel_h = ceil_div(w.kernel_h, sh);
    f.kernel_w = ceil_div(w.kernel_w, sw);
    f.kind = w.kind;
    f.values.assign(std::size_t(f.out_channels) * f.in_per_group * f.kernel_h * f.kernel_w, 0);
    for (int k = 0; k < f.out_channels; ++k)
        for (int dr = 0; dr < sh; ++dr)
            for (int ds = 0; ds < sw; ++ds)
                for (int c = 0; c < w.in_per_group; ++c) {
                    const int fc = (dr * sw + ds) * w.in_per_group + c;
                    for (int r = 0; r < f.kernel_h; ++r)
                        for (int s = 0; s < f.kernel_w; ++s) {
                            const int orig_r = r * sh + dr, orig_s = s * sw + ds;
                            if (orig_r >= w.kernel_h || orig_s >= w.kernel_w) continue;
                            f.values[((std::size_t(k) * f.in_per_group + fc) * f.kernel_h + r) *
                                         f.kernel_w +
                                     s] = w.at(k, c, orig_r, orig_s);
                        }
                }
    return f;
}

FoldedConv fold_conv(const Tensor& in, const ActFormat& in_fmt, const Weights& w,
                     const ConvGeometry& g) {
    check_geometry(in.channels, w, g);
    if (auto problem = fold_problem(in_fmt, w, g); !problem.empty()) {
        throw Error("stride fold is not exact: " + problem, ErrorKind::bad_input);
    }
    // Binary activations have no 0; fold_problem() guarantees only zero taps read the fill.
    const std::int64_t fill = in_fmt.bits == 1 ? -1 : 0;
    return FoldedConv{fold_input(in, w.kernel_h, w.kernel_w, g, fill), fold_weights(w, g),
                      ConvGeometry{1, 1, 0, 0, g.groups}};
}

} // namespace lpdla::ref
