#include "lpdla/model/resources.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/model/layer_precision.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/soft_logic.h"
#include "lpdla/model/winograd.h"

namespace lpdla {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// Everything the component tree needs, computed once and shared by the fast and full paths.
struct Breakdown {
    ResourceCounts products, adder_trees, accumulators, winograd, stick_registers, control,
        filter_caches, stream_buffer, aux, ddr_interfaces, shell, side_path, side_filter_caches;
    int acc_bits = 0, slice_shift_levels = 0;
};

// The intN weight kind of `bits` signed bits (what the widest wide layer's weights are sized as).
WeightKind int_kind_of_bits(int bits) {
    return bits <= 2   ? WeightKind::int2
           : bits <= 4 ? WeightKind::int4
           : bits <= 8 ? WeightKind::int8
                       : WeightKind::int16;
}

int ceil_log4(int v) {
    int levels = 0;
    for (int reach = 1; reach < v; reach *= 4) ++levels;
    return levels;
}

// The DSP side path (docs/MODEL.md §3 "DSP side path"): side_k_vec x lanes PEs of side_c_vec x
// q_vec multipliers at the widest wide layer's operand widths, each column's products summed by
// the DSP tree into an accumulator, plus the PE control and the input stick's registers; its
// ALMs are routed like the array's.
ResourceCounts side_path_resources(const ArchConfig& r, const Device& d) {
    ResourceCounts c;
    const auto& soft = d.soft;
    const int a_bits = r.wide_act_bits, w_bits = r.wide_weight_bits;
    const double pes = double(r.side_k_vec) * r.lanes;
    const double mults = pes * r.side_c_vec * r.q_vec;
    if (w_bits >= 32) {
        // FP32 (the only 32-bit layer kind): hard FP multiply-adds chained inside the DSP blocks,
        // as the array's own FP32 mode; the stick still travels through registers.
        c.dsp = std::ceil(mults / d.fp32_multiply_adds_per_block);
        c.alm = pes * soft.control_alms_per_pe * soft.routing_overhead;
        c.registers =
            pes * r.side_c_vec * double(r.q_vec + 2) * a_bits + c.alm * soft.registers_per_alm;
        return c;
    }
    const DspMode* mode = dsp_mode_for(d, a_bits, w_bits);
    if (!mode)
        throw Error(fmt::format("device {}: no DSP mode covers the side path's {}x{}-bit "
                                "multiplies; use wide_layers \"bit_slice\"",
                                d.name, a_bits, w_bits));
    const int pbits = a_bits + w_bits;
    const int acc_bits = pbits + r.accumulation_terms_log2;
    const bool pairs = d.dsp_chain_sums_pairs && mode->multipliers_per_block <= 2;
    const DotProductCost column =
        pairs ? dsp_product_tree((r.side_c_vec + 1) / 2, 2, pbits, acc_bits, soft)
              : dsp_product_tree(r.side_c_vec, 1, pbits, acc_bits, soft);
    const double trees = pes * r.q_vec;
    c.dsp = std::ceil(mults / mode->multipliers_per_block);
    c.alm = (mults * mode->correction_alms_per_multiplier +
             trees * (column.tree + column.accumulator) + pes * soft.control_alms_per_pe) *
            soft.routing_overhead;
    c.registers = trees * acc_bits + pes * r.side_c_vec * double(r.q_vec + 2) * a_bits +
                  c.alm * soft.registers_per_alm;
    return c;
}

Breakdown compute_breakdown(const ArchConfig& r, const Device& d) {
    Breakdown b;
    const auto& soft = d.soft;
    const Precision& p = r.precision;
    const WinogradTransform* wino =
        uses_winograd(p, r.mac_impl, r.q_vec) ? winograd_transform(r.q_vec) : nullptr;
    const int w_vec = wino ? wino->tile : r.q_vec;
    const double pes = double(r.k_vec) * r.lanes;
    const double mults = pes * r.c_vec * w_vec;
    const bool fp32 = p.weights == WeightKind::fp32;
    const DspOperandBits ops = dsp_operand_bits(r);
    // Winograd widens the activation operand, and so the product and the accumulator.
    const int pbits = wino ? ops.a_bits + ops.w_bits : product_bits(p);
    // Bit-sliced wide layers accumulate their full products: the accumulator is as wide as
    // theirs, and takes each pass's sum through a shifter (4:1 mux levels, one ALM a bit each).
    const bool slices = r.wide_act_bits > 0 && r.wide_layers == WideLayerMode::bit_slice;
    const int wide_pbits = slices ? r.wide_act_bits + r.wide_weight_bits : 0;
    const int acc_bits = fp32 ? 0 : std::max(pbits, wide_pbits) + r.accumulation_terms_log2;
    b.acc_bits = acc_bits;
    if (slices) {
        const int a_slices = activation_slices(r.wide_act_bits, p.act_bits);
        const int planes = weight_planes(int_kind_of_bits(r.wide_weight_bits), p.weights);
        const int max_shift = bit_slice_shift(std::max(0, a_slices - 1), std::max(0, planes - 1),
                                              p.act_bits, p.weights);
        b.slice_shift_levels = ceil_log4(max_shift + 1);
    }
    const double trees = pes * w_vec; // one adder tree and accumulator per PE column

    DotProductCost column;
    if (fp32) {
        // Hard FP multiply-adds chain inside the DSP blocks: no soft tree or accumulator.
        b.products.dsp = std::ceil(mults / d.fp32_multiply_adds_per_block);
    } else if (r.mac_impl == MacImpl::dsp) {
        const DspMode* mode = dsp_mode_for(d, ops.a_bits, ops.w_bits);
        if (!mode)
            throw Error(fmt::format("device {}: no DSP mode covers {}x{}-bit multiplies{}; use "
                                    "--mac-impl alm",
                                    d.name, ops.a_bits, ops.w_bits,
                                    wino ? " (after the Winograd input transform)" : ""));
        b.products.dsp = std::ceil(mults / mode->multipliers_per_block);
        b.products.alm = mults * mode->correction_alms_per_multiplier;
        // The DSP's sum-of-two adds product pairs in modes of at most two multipliers a block.
        const bool pairs = d.dsp_chain_sums_pairs && mode->multipliers_per_block <= 2;
        column = pairs ? dsp_product_tree((r.c_vec + 1) / 2, 2, pbits, acc_bits, soft)
                       : dsp_product_tree(r.c_vec, 1, pbits, acc_bits, soft);
    } else {
        column = soft_dot_product(r.c_vec, p, acc_bits, soft);
        b.products.alm = trees * column.products;
    }
    b.adder_trees.alm = trees * column.tree;
    b.accumulators.alm = trees * (column.accumulator +
                                  double(acc_bits) * b.slice_shift_levels * soft.alms_per_mux4_bit);
    b.accumulators.registers = trees * acc_bits;

    if (wino) {
        // B^T d once per lane and channel before the daisy chain (every PE sees the same
        // transformed stick); A^T m once per PE after accumulation, on accumulator-wide values.
        const int in_bits = ops.a_bits - wino->input_growth_bits;
        const double input = wino->input_pre_adders * adder_alms(in_bits + 1, soft) +
                             wino->input_post_adders * adder_alms(ops.a_bits, soft);
        const double output =
            wino->output_adders * adder_alms(acc_bits + wino->output_growth_bits, soft);
        b.winograd.alm = double(r.lanes) * r.c_vec * input + pes * output;
    }

    // The input stick travels down the daisy chain through registers in every PE: q_vec + 2
    // activations a channel, or the transformed tile with its wider values.
    b.stick_registers.registers =
        pes * r.c_vec * (wino ? double(w_vec) * ops.a_bits : double(r.q_vec + 2) * p.act_bits);
    b.control.alm = pes * soft.control_alms_per_pe;
    b.aux.alm = double(r.k_vec) * r.lanes * soft.aux_alms_per_lane_channel;

    // Memories sized by src/model/memory_sizing.cpp (0 = not sized yet: no blocks).
    b.filter_caches = filter_cache_resources(r, d);
    b.stream_buffer = stream_buffer_resources(r, d);
    if (runs_side_path(r)) {
        b.side_path = side_path_resources(r, d);
        b.side_filter_caches = side_filter_cache_resources(r, d);
    }

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

} // namespace

DspOperandBits dsp_operand_bits(const ArchConfig& r) {
    const Precision& p = r.precision;
    const bool bfp = p.weights == WeightKind::bfp16;
    DspOperandBits o{bfp ? bfp16_mantissa_bits : p.act_bits,
                     bfp ? bfp16_mantissa_bits : weight_storage_bits(p.weights)};
    // G's fractions are applied offline and the filters stored at their own width; only the
    // activations grow on chip, by the input transform's largest row sum.
    if (uses_winograd(p, r.mac_impl, r.q_vec))
        o.a_bits += winograd_transform(r.q_vec)->input_growth_bits;
    return o;
}

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
          &b.filter_caches, &b.stream_buffer, &b.aux, &b.ddr_interfaces, &b.shell, &b.side_path,
          &b.side_filter_caches})
        t += *c;
    return t;
}

ResourceReport estimate_resources(const ArchConfig& r, const Device& d,
                                  const UtilisationCaps& caps) {
    const Breakdown b = compute_breakdown(r, d);
    const WinogradTransform* wino =
        uses_winograd(r.precision, r.mac_impl, r.q_vec) ? winograd_transform(r.q_vec) : nullptr;
    const int w_vec = wino ? wino->tile : r.q_vec;
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
         fmt::format("{} x w_vec {} trees of c_vec {} products, {} adders (2 bits an ALM)", pe,
                     w_vec, r.c_vec, d.soft.ternary_adders ? "3:1" : "2:1")},
        {"pe_array.accumulators", b.accumulators,
         b.slice_shift_levels > 0
             ? fmt::format("{} x w_vec {} accumulators of {} bits (the wide layers' {}x{}-bit "
                           "products + {}), each behind a {}-level 4:1 pass shifter",
                           pe, w_vec, b.acc_bits, r.wide_act_bits, r.wide_weight_bits,
                           r.accumulation_terms_log2, b.slice_shift_levels)
             : fmt::format("{} x w_vec {} accumulators of product bits + {}", pe, w_vec,
                           r.accumulation_terms_log2)},
        {"pe_array.winograd_transforms", b.winograd,
         wino ? fmt::format("F({},3): B^T per lane x c_vec, A^T per PE", wino->outputs)
              : std::string("not used")},
        {"pe_array.stick_registers", b.stick_registers,
         wino ? fmt::format("{} x c_vec x {} transformed values of {} bits", pe, w_vec,
                            dsp_operand_bits(r).a_bits)
              : fmt::format("{} x c_vec x (q_vec + 2) x {} activation bits", pe,
                            r.precision.act_bits)},
        {"pe_array.control", b.control, fmt::format("{} x control_alms_per_pe", pe)},
        {"filter_caches", b.filter_caches,
         fmt::format("k_vec {} caches of {} words (double-buffered) x {} bits", r.k_vec,
                     2 * r.filter_cache_depth,
                     r.c_vec * weight_storage_bits(r.precision.weights) * (wino ? w_vec : 1))},
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
    if (runs_side_path(r)) {
        report.components.push_back(
            {"side_path.pe_array", b.side_path,
             fmt::format("side_k_vec {} x lanes {} x side_c_vec {} x q_vec {} DSP multipliers of "
                         "{}x{} bits, DSP adder trees, accumulators, control",
                         r.side_k_vec, r.lanes, r.side_c_vec, r.q_vec, r.wide_act_bits,
                         r.wide_weight_bits)});
        report.components.push_back(
            {"side_path.filter_caches", b.side_filter_caches,
             fmt::format("side_k_vec {} caches of {} words (double-buffered) x {} bits",
                         r.side_k_vec, 2 * r.side_filter_cache_depth,
                         r.side_c_vec * r.wide_weight_bits)});
    }
    for (const auto& c : report.components) report.total += c.use;
    report.fits = fits_device(report.total, report.available, caps, &report.limiting);
    return report;
}

} // namespace lpdla
