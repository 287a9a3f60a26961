#include "lpdla/model/resources.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// Block-FP16 mantissa operand width on the DSP (sign + 11 significand bits, aligned).
constexpr int bfp16_operand_bits = 12;

double adder_tree_alms(int inputs, int input_bits, double alms_per_bit) {
    double alms = 0;
    int width = input_bits;
    for (int n = inputs; n > 1; n = (n + 1) / 2) {
        ++width;
        alms += double(n / 2) * width * alms_per_bit;
    }
    return alms;
}

// Everything the component tree needs, computed once and shared by the fast and full paths.
struct Breakdown {
    ResourceCounts products, adder_trees, accumulators, winograd, stick_registers, control,
        filter_caches, stream_buffer, aux, ddr_interfaces, shell;
};

Breakdown compute_breakdown(const ArchConfig& r, const Device& d) {
    Breakdown b;
    const auto& soft = d.soft;
    const Precision& p = r.precision;
    const bool winograd = uses_winograd(p, r.mac_impl);
    const int w_vec = winograd ? r.q_vec + 2 : r.q_vec;
    const double pes = double(r.k_vec) * r.lanes;
    const double mults = pes * r.c_vec * w_vec;
    const int a_bits = p.act_bits;
    const int w_bits = weight_storage_bits(p.weights);
    const int pbits = product_bits(p);
    const bool fp32 = p.weights == WeightKind::fp32;

    // Products: DSP blocks (packed per mode) or soft logic.
    int tree_inputs = r.c_vec;
    int tree_bits = pbits;
    if (fp32) {
        b.products.dsp = std::ceil(mults / d.fp32_multiply_adds_per_block);
    } else if (r.mac_impl == MacImpl::dsp) {
        const int oa = p.weights == WeightKind::bfp16 ? bfp16_operand_bits : a_bits;
        const int ow = p.weights == WeightKind::bfp16 ? bfp16_operand_bits : w_bits;
        const DspMode* mode = dsp_mode_for(d, oa, ow);
        if (!mode)
            throw Error(fmt::format("device {}: no DSP mode covers {}x{}-bit multiplies; use "
                                    "--mac-impl alm",
                                    d.name, oa, ow));
        b.products.dsp = std::ceil(mults / mode->multipliers_per_block);
        b.products.alm = mults * mode->correction_alms_per_multiplier;
        if (d.dsp_chain_sums_pairs && mode->multipliers_per_block <= 2) {
            tree_inputs = (r.c_vec + 1) / 2; // the DSP's sum-of-two does the first tree level
            tree_bits = pbits + 1;
        }
    } else if (p.weights == WeightKind::binary && a_bits == 1) {
        b.products.alm = mults * soft.binary_xnor_alms_per_product;
    } else if (p.weights == WeightKind::binary || p.weights == WeightKind::ternary) {
        b.products.alm = mults * soft.ternary_product_alms_per_bit * (a_bits + 1);
    } else {
        b.products.alm =
            mults * soft.soft_multiplier_alms_per_partial_product_bit * a_bits * w_bits;
    }

    // One adder tree per PE column, summing c_vec products (hard FP adds chain in the DSPs).
    const double trees = pes * w_vec;
    if (!fp32)
        b.adder_trees.alm =
            trees * adder_tree_alms(tree_inputs, tree_bits, soft.alms_per_adder_bit);

    const int acc_bits = fp32 ? 0 : pbits + r.accumulation_terms_log2;
    b.accumulators.alm = trees * acc_bits * soft.alms_per_adder_bit;
    b.accumulators.registers = trees * acc_bits;

    if (winograd) {
        const int in_bits = (p.weights == WeightKind::bfp16 ? bfp16_operand_bits : a_bits) + 2;
        const double input_adders = double(r.lanes) * r.c_vec * w_vec * 2; // B^T d, shared by PEs
        const double output_adders = pes * r.q_vec * 3;                    // A^T m per PE
        b.winograd.alm =
            (input_adders * in_bits + output_adders * acc_bits) * soft.alms_per_adder_bit;
    }

    // The input stick travels down the daisy chain through registers in every PE.
    b.stick_registers.registers = pes * r.c_vec * (r.q_vec + 2) * a_bits;
    b.control.alm = pes * soft.control_alms_per_pe;
    b.aux.alm = double(r.k_vec) * r.lanes * soft.aux_alms_per_lane_channel;

    // Filter caches: one per PE (lanes share filters), double-buffered.
    const int cache_width = r.c_vec * w_bits * (winograd ? w_vec : 1);
    const std::int64_t cache_depth = std::int64_t(r.filter_cache_depth) * 2;
    if (cache_depth <= mlab_max_depth_words)
        b.filter_caches.mlab = r.k_vec * memory_blocks(d.mlab, cache_width, cache_depth);
    else
        b.filter_caches.m20k = r.k_vec * memory_blocks(d.m20k, cache_width, cache_depth);

    // Stream buffer: ping-pong feature maps; each lane reads c_vec x (q_vec + 2) values a cycle.
    const int sb_width = r.lanes * r.c_vec * (r.q_vec + 2) * a_bits;
    const std::int64_t sb_depth = ceil_div(stream_buffer_bits(r), sb_width);
    b.stream_buffer.m20k = memory_blocks(d.m20k, sb_width, sb_depth);

    const double routed = soft.routing_overhead;
    for (ResourceCounts* c :
         {&b.products, &b.adder_trees, &b.accumulators, &b.winograd, &b.control, &b.aux}) {
        c->alm *= routed;
        c->registers += c->alm * soft.registers_per_alm;
    }

    b.ddr_interfaces.alm = d.board.ddr_channels * d.board.interface_alm_per_channel;
    b.ddr_interfaces.m20k = d.board.ddr_channels * d.board.interface_m20k_per_channel;
    b.ddr_interfaces.registers = b.ddr_interfaces.alm * soft.registers_per_alm;
    b.shell = d.board.shell;
    return b;
}

void add(ResourceCounts& to, const ResourceCounts& c) {
    to.alm += c.alm;
    to.registers += c.registers;
    to.dsp += c.dsp;
    to.m20k += c.m20k;
    to.mlab += c.mlab;
}

} // namespace

double memory_blocks(const MemoryBlock& block, int width_bits, std::int64_t depth_words) {
    if (width_bits <= 0 || depth_words <= 0) return 0;
    double best = std::numeric_limits<double>::infinity();
    // The sweep calls this twice per configuration. Below 2^53 the quotient of two integers is
    // rounded less than its distance to the next integer, so ceil of the double quotient equals
    // the integer ceil_div exactly, and independent divsd pipeline where idiv serialises.
    constexpr std::int64_t exact_limit = std::int64_t(1) << 53;
    if (depth_words < exact_limit) {
        for (const auto& s : block.shapes) {
            const double n = std::ceil(double(width_bits) / double(s.width_bits)) *
                             std::ceil(double(depth_words) / double(s.depth_words));
            if (n < best) best = n;
        }
        return best;
    }
    for (const auto& s : block.shapes) {
        const double n = double(ceil_div(width_bits, s.width_bits)) *
                         double(ceil_div(depth_words, s.depth_words));
        if (n < best) best = n;
    }
    return best;
}

bool fits_device(const ResourceCounts& t, const ResourceCounts& a, const UtilisationCaps& caps,
                 std::string* limiting) {
    const struct {
        const char* name;
        double used, avail, cap;
    } checks[] = {{"alm", t.alm, a.alm, caps.alm},
                  {"registers", t.registers, a.registers, caps.registers},
                  {"dsp", t.dsp, a.dsp, caps.dsp},
                  {"m20k", t.m20k, a.m20k, caps.m20k},
                  {"mlab", t.mlab, a.mlab, caps.mlab}};
    for (const auto& c : checks) {
        if (c.used > c.avail * c.cap) {
            if (limiting) *limiting = c.name;
            return false;
        }
    }
    if (limiting) limiting->clear();
    return true;
}

ResourceCounts resource_totals(const ArchConfig& r, const Device& d) {
    const Breakdown b = compute_breakdown(r, d);
    ResourceCounts t;
    for (const ResourceCounts* c :
         {&b.products, &b.adder_trees, &b.accumulators, &b.winograd, &b.stick_registers, &b.control,
          &b.filter_caches, &b.stream_buffer, &b.aux, &b.ddr_interfaces, &b.shell})
        add(t, *c);
    return t;
}

ResourceReport estimate_resources(const ArchConfig& r, const Device& d,
                                  const UtilisationCaps& caps) {
    const Breakdown b = compute_breakdown(r, d);
    const bool winograd = uses_winograd(r.precision, r.mac_impl);
    const int w_vec = winograd ? r.q_vec + 2 : r.q_vec;
    ResourceReport report;
    report.available = d.available;
    const auto pe = fmt::format("k_vec {} x lanes {}", r.k_vec, r.lanes);
    report.components = {
        {"pe_array.products", b.products,
         r.precision.weights == WeightKind::fp32
             ? fmt::format("{} x c_vec {} x w_vec {} FP32 multiply-adds, hard FP DSP", pe, r.c_vec,
                           w_vec)
             : fmt::format("{} x c_vec {} x w_vec {} multipliers in {}", pe, r.c_vec, w_vec,
                           to_string(r.mac_impl))},
        {"pe_array.adder_trees", b.adder_trees,
         fmt::format("{} x w_vec {} trees of c_vec {} products, {} bits", pe, w_vec, r.c_vec,
                     product_bits(r.precision))},
        {"pe_array.accumulators", b.accumulators,
         fmt::format("{} x w_vec {} accumulators of product bits + {}", pe, w_vec,
                     r.accumulation_terms_log2)},
        {"pe_array.winograd_transforms", b.winograd,
         winograd ? "input transform per lane x c_vec, output transform per PE" : "not used"},
        {"pe_array.stick_registers", b.stick_registers,
         fmt::format("{} x c_vec x (q_vec + 2) x {} activation bits", pe, r.precision.act_bits)},
        {"pe_array.control", b.control, fmt::format("{} x control_alms_per_pe", pe)},
        {"filter_caches", b.filter_caches,
         fmt::format("k_vec {} caches of {} words (double-buffered) x {} bits", r.k_vec,
                     2 * r.filter_cache_depth,
                     r.c_vec * weight_storage_bits(r.precision.weights) * (winograd ? w_vec : 1))},
        {"stream_buffer", b.stream_buffer,
         fmt::format("{} KiB, port {} bits (lanes x c_vec x (q_vec + 2) x act bits)",
                     r.stream_buffer_kib,
                     r.lanes * r.c_vec * (r.q_vec + 2) * r.precision.act_bits)},
        {"aux_modules", b.aux,
         "pool/LRN/ReLU/requantise: k_vec x lanes x aux_alms_per_lane_channel"},
        {"ddr_interfaces", b.ddr_interfaces,
         fmt::format("{} channels x interface cost", d.board.ddr_channels)},
        {"board_shell", b.shell, "fixed BSP overhead (device file)"},
    };
    for (const auto& c : report.components) add(report.total, c.use);
    report.fits = fits_device(report.total, report.available, caps, &report.limiting);
    return report;
}

} // namespace lpdla
