#pragma once
// Numeric precision of a design: activation bits, weight kind, and how MACs are built (DSP or ALM).
#include <optional>
#include <string>
#include <string_view>

namespace lpdla {

enum class WeightKind { binary, ternary, int2, int4, int8, int16, bfp16, fp32 };
enum class MacImpl { automatic, dsp, alm };

struct Precision {
    int act_bits = 8;
    WeightKind weights = WeightKind::int8;
    friend bool operator==(const Precision&, const Precision&) = default;
};

std::string_view to_string(WeightKind kind);
std::string_view to_string(MacImpl impl);
std::optional<WeightKind> parse_weight_kind(std::string_view text);
std::optional<MacImpl> parse_mac_impl(std::string_view text);

// Bits one stored weight occupies (ternary packs into 2 bits; block-FP16 counts its 16-bit word).
int weight_storage_bits(WeightKind kind);
// Empty when valid, otherwise what would be valid (activation bits allowed for that weight kind).
std::string precision_problem(const Precision& p);
// "2/ternary" style label used in tables and file names.
std::string precision_label(const Precision& p);
// Parses "A/W" (e.g. "2/ternary", "16/bfp16", "32/fp32"); throws lpdla::Error naming `what`.
Precision parse_precision(std::string_view text, std::string_view what);

// MAC implementation after resolving `automatic`: binary/ternary and sub-8-bit operands go to soft
// logic (Colangelo et al. 2018), everything else to DSP blocks.
MacImpl resolve_mac_impl(const Precision& p, MacImpl requested);
// Whether the PE array runs 1-D Winograd F(q_vec, 3): only the 16-bit DSP modes (DLA's block-FP16,
// int16) and only F(2,3) or F(4,3) (include/lpdla/model/winograd.h); other q_vec run direct.
bool uses_winograd(const Precision& p, MacImpl resolved, int q_vec);
// Block-FP16 mantissas on the DSP: sign + 11 significand bits aligned to the block exponent.
inline constexpr int bfp16_mantissa_bits = 12;
// Bit width of one product before the adder tree (binary: the XNOR bit feeding a popcount).
int product_bits(const Precision& p);
// True for the two baselines that the kernels do not realise (modelled for comparison only).
bool is_float_baseline(WeightKind kind);

} // namespace lpdla
