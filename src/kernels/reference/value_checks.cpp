// Range checks shared by the packing, the reference layers and the OpenCL runner.
#include "value_checks.h"

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla::ref::detail {
namespace {

std::string range_text(std::int64_t lo, std::int64_t hi, bool binary) {
    return binary ? "-1 or +1" : fmt::format("{}..{}", lo, hi);
}

bool in_range(std::int64_t v, std::int64_t lo, std::int64_t hi, bool binary) {
    return binary ? (v == -1 || v == 1) : (v >= lo && v <= hi);
}

} // namespace

void check_activations(const Tensor& t, const ActFormat& f, std::string_view what) {
    const std::size_t expected = std::size_t(t.channels) * t.height * t.width;
    if (t.channels < 0 || t.height < 0 || t.width < 0 || t.values.size() != expected)
        throw Error(fmt::format("{}: a {}x{}x{} tensor holds {} values, not {}", what, t.channels,
                                t.height, t.width, expected, t.values.size()));
    const bool binary = f.bits == 1;
    const std::int64_t lo = f.min(), hi = f.max();
    for (std::size_t i = 0; i < t.values.size(); ++i) {
        if (in_range(t.values[i], lo, hi, binary)) continue;
        const std::size_t plane = std::size_t(t.height) * t.width;
        throw Error(fmt::format(
            "{}: value {} at index {} (channel {}, row {}, column {}) is outside the range of {} "
            "activations: {}",
            what, t.values[i], i, i / plane, (i % plane) / t.width, i % t.width,
            binary ? std::string("binary")
                   : fmt::format("{} {}-bit", f.is_signed ? "signed" : "unsigned", f.bits),
            range_text(lo, hi, binary)));
    }
}

void check_weights(const Weights& w, std::string_view what) {
    const std::size_t expected =
        std::size_t(w.out_channels) * w.in_per_group * w.kernel_h * w.kernel_w;
    if (w.values.size() != expected)
        throw Error(fmt::format("{}: {}x{}x{}x{} weights hold {} values, not {}", what,
                                w.out_channels, w.in_per_group, w.kernel_h, w.kernel_w, expected,
                                w.values.size()));
    const bool binary = w.kind == WeightKind::binary;
    const std::int64_t lo = weight_min(w.kind), hi = weight_max(w.kind);
    for (std::size_t i = 0; i < w.values.size(); ++i) {
        if (in_range(w.values[i], lo, hi, binary)) continue;
        throw Error(fmt::format("{}: weight {} at index {} is outside the range of {} weights: {}",
                                what, w.values[i], i, to_string(w.kind),
                                range_text(lo, hi, binary)));
    }
}

void check_bias(const std::vector<std::int32_t>& bias, int out_channels, std::string_view what) {
    if (!bias.empty() && bias.size() != std::size_t(out_channels))
        throw Error(fmt::format("{}: {} bias values for {} output channels: give one per output "
                                "channel, or none for a zero bias",
                                what, bias.size(), out_channels));
}

} // namespace lpdla::ref::detail
