#include "lpdla/model/soft_logic.h"

#include <algorithm>
#include <cmath>

namespace lpdla {
namespace {

int ceil_log2(int v) {
    int bits = 0;
    while ((1 << bits) < v) ++bits;
    return bits;
}

// With a ternary-adder mode the accumulator adds the tree's last two operands and its own
// feedback in one 3:1 adder, so the tree stops at two operands.
int tree_stop(const SoftLogicCoefficients& soft) {
    return soft.ternary_adders ? 2 : 1;
}

} // namespace

int sum_bits(int bits, int terms) {
    return bits + ceil_log2(std::max(terms, 1));
}

double adder_alms(int bits, const SoftLogicCoefficients& soft) {
    return std::ceil(bits * soft.alms_per_adder_bit);
}

Reduction reduce_operands(int operands, int leaves, int leaf_bits, int total_leaves, int stop,
                          const SoftLogicCoefficients& soft) {
    Reduction r;
    r.operands = operands;
    r.leaves = leaves;
    stop = std::max(stop, 1);
    while (r.operands > stop) {
        const int arity = soft.ternary_adders && r.operands >= 3 ? 3 : 2;
        const int adders = r.operands / arity;
        const int covered = std::min(r.leaves * arity, std::max(total_leaves, 1));
        r.alms += adders * adder_alms(sum_bits(leaf_bits, covered), soft);
        r.adders += adders;
        r.operands = adders + r.operands % arity;
        r.leaves = covered;
    }
    return r;
}

SoftOperands soft_operands(const Precision& p) {
    switch (p.weights) {
    case WeightKind::binary:
        // XNOR of sign bits for 1-bit activations; otherwise +-a as a conditional invert (the
        // two's-complement +1 of every negative weight is a per-filter constant in the bias).
        return {1, p.act_bits == 1 ? 1 : p.act_bits + 1};
    case WeightKind::ternary:
        return {1, p.act_bits + 1}; // invert / pass / zero, same bias trick
    default: {
        // Partial products: one plane per bit of the narrower operand, each an AND row of the
        // wider operand; the weight's sign row is inverted (its +1s again go to the bias).
        const int w = weight_storage_bits(p.weights);
        return {std::min(p.act_bits, w), std::max(p.act_bits, w) + 1};
    }
    }
}

DotProductCost soft_dot_product(int c_vec, const Precision& p, int acc_bits,
                                const SoftLogicCoefficients& soft) {
    const SoftOperands ops = soft_operands(p);
    const int stop = tree_stop(soft);
    DotProductCost plane;
    int operands = c_vec, leaves = 1;
    if (soft.products_in_adder_luts) {
        // A first-level adder bit pair of two products needs at most 8 ALM inputs (two
        // activation bits and the weight's control bits per operand), so the product logic
        // rides in the adder's LUTs; only an unpaired product needs LUTs of its own.
        const int pairs = c_vec / 2;
        plane.tree += pairs * adder_alms(ops.leaf_bits + 1, soft);
        if (c_vec % 2) plane.products += ops.leaf_bits * soft.alms_per_product_bit;
        operands = pairs + c_vec % 2;
        leaves = c_vec >= 2 ? 2 : 1;
    } else {
        plane.products += double(c_vec) * ops.leaf_bits * soft.alms_per_product_bit;
    }
    const Reduction r = reduce_operands(operands, leaves, ops.leaf_bits, c_vec, stop, soft);
    DotProductCost c;
    c.products = plane.products * ops.planes;
    c.tree = (plane.tree + r.alms) * ops.planes;
    if (ops.planes > 1) {
        // Shift-and-add of the planes' sums: every adder taken as wide as the full result
        // (conservative: the low bits of a shifted plane pass without an adder bit).
        const int width = sum_bits(ops.leaf_bits, c_vec) + ops.planes;
        c.tree += reduce_operands(ops.planes * r.operands, 1, width, 1, stop, soft).alms;
    }
    c.accumulator = adder_alms(acc_bits, soft);
    return c;
}

DotProductCost dsp_product_tree(int inputs, int leaves, int bits, int acc_bits,
                                const SoftLogicCoefficients& soft) {
    DotProductCost c;
    c.tree = reduce_operands(inputs, leaves, bits, inputs * leaves, tree_stop(soft), soft).alms;
    c.accumulator = adder_alms(acc_bits, soft);
    return c;
}

} // namespace lpdla
