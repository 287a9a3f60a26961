#include "lpdla/model/precision.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/model/winograd.h"

namespace lpdla {
namespace {

struct KindInfo {
    WeightKind kind;
    std::string_view name;
    int storage_bits;
};

constexpr std::array<KindInfo, 8> kinds{{
    {WeightKind::binary, "binary", 1},
    {WeightKind::ternary, "ternary", 2},
    {WeightKind::int2, "int2", 2},
    {WeightKind::int4, "int4", 4},
    {WeightKind::int8, "int8", 8},
    {WeightKind::int16, "int16", 16},
    {WeightKind::bfp16, "bfp16", 16},
    {WeightKind::fp32, "fp32", 32},
}};

const KindInfo& info(WeightKind kind) {
    for (const auto& k : kinds)
        if (k.kind == kind) return k;
    return kinds[0];
}

} // namespace

std::string_view to_string(WeightKind kind) {
    return info(kind).name;
}

std::string_view to_string(MacImpl impl) {
    switch (impl) {
    case MacImpl::dsp:
        return "dsp";
    case MacImpl::alm:
        return "alm";
    default:
        return "auto";
    }
}

std::optional<WeightKind> parse_weight_kind(std::string_view text) {
    for (const auto& k : kinds)
        if (k.name == text) return k.kind;
    return std::nullopt;
}

std::optional<MacImpl> parse_mac_impl(std::string_view text) {
    if (text == "auto") return MacImpl::automatic;
    if (text == "dsp") return MacImpl::dsp;
    if (text == "alm") return MacImpl::alm;
    return std::nullopt;
}

int weight_storage_bits(WeightKind kind) {
    return info(kind).storage_bits;
}

bool is_float_baseline(WeightKind kind) {
    return kind == WeightKind::bfp16 || kind == WeightKind::fp32;
}

std::string precision_problem(const Precision& p) {
    if (p.weights == WeightKind::bfp16) {
        return p.act_bits == 16 ? "" : "block-FP16 weights take 16-bit activations (16/bfp16)";
    }
    if (p.weights == WeightKind::fp32) {
        return p.act_bits == 32 ? "" : "fp32 weights take 32-bit activations (32/fp32)";
    }
    switch (p.act_bits) {
    case 1:
    case 2:
    case 4:
    case 8:
    case 16:
        return "";
    default:
        return fmt::format("activation bits {} not supported: valid are 1, 2, 4, 8, 16",
                           p.act_bits);
    }
}

std::string precision_label(const Precision& p) {
    return fmt::format("{}/{}", p.act_bits, to_string(p.weights));
}

Precision parse_precision(std::string_view text, std::string_view what) {
    const auto slash = text.find('/');
    const auto fail = [&](const std::string& why) {
        throw Error(fmt::format("{}: '{}' is not a precision ({}); write ACT_BITS/WEIGHTS, e.g. "
                                "2/ternary, 4/int4, 8/int8, 16/bfp16, 32/fp32",
                                what, text, why));
    };
    if (slash == std::string_view::npos) fail("no '/'");
    Precision p;
    const auto bits = text.substr(0, slash);
    const auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), p.act_bits);
    if (ec != std::errc() || ptr != bits.data() + bits.size()) fail("activation bits not a number");
    const auto kind = parse_weight_kind(text.substr(slash + 1));
    if (!kind)
        fail("unknown weight kind; valid: binary, ternary, int2, int4, int8, int16, bfp16, fp32");
    p.weights = *kind;
    if (auto problem = precision_problem(p); !problem.empty()) fail(problem);
    return p;
}

MacImpl resolve_mac_impl(const Precision& p, MacImpl requested) {
    if (is_float_baseline(p.weights)) return MacImpl::dsp; // hard FP / 18x19 mantissas only
    if (requested != MacImpl::automatic) return requested;
    if (p.weights == WeightKind::binary || p.weights == WeightKind::ternary) return MacImpl::alm;
    const int w = weight_storage_bits(p.weights);
    return (p.act_bits <= 4 && w <= 4) ? MacImpl::alm : MacImpl::dsp;
}

bool uses_winograd(const Precision& p, MacImpl resolved, int q_vec) {
    if (resolved != MacImpl::dsp || !winograd_transform(q_vec)) return false;
    return p.weights == WeightKind::bfp16 || (p.weights == WeightKind::int16 && p.act_bits == 16);
}

int product_bits(const Precision& p) {
    switch (p.weights) {
    case WeightKind::binary:
        return p.act_bits == 1 ? 1 : p.act_bits + 1;
    case WeightKind::ternary:
        return p.act_bits + 1;
    case WeightKind::bfp16:
        return 2 * bfp16_mantissa_bits;
    case WeightKind::fp32:
        return 32;
    default:
        return p.act_bits + weight_storage_bits(p.weights);
    }
}

} // namespace lpdla
