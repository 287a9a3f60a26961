#pragma once
// Soft-logic arithmetic of the PE array costed from the ALM's structure (docs/MODEL.md §3): adders
// at two bits per ALM, 3:1 reductions where the ALM has a ternary-adder mode, products as LUT
// functions folded into the first adder level. Pure functions, no allocation (the sweep's path).
#include "lpdla/model/device.h"
#include "lpdla/model/precision.h"

namespace lpdla {

// Bits of the sum of `terms` signed values of `bits` bits each: bits + ceil(log2(terms)).
int sum_bits(int bits, int terms);

// ALMs of one adder (two or three operands) `bits` wide: ceil(bits x alms_per_adder_bit); both
// adder bits of an ALM sit on one carry chain, so an odd-width chain wastes half an ALM.
double adder_alms(int bits, const SoftLogicCoefficients& soft);

struct Reduction {
    double alms = 0;
    int adders = 0;
    int operands = 0; // left after the reduction
    int leaves = 0;   // most leaves any remaining operand sums
};
// Adds `operands` values, each the sum of `leaves` signed leaves of `leaf_bits` bits (at most
// `total_leaves` in all), level by level (3:1 when soft.ternary_adders, else 2:1, leftovers pass
// to the next level) until at most `stop` remain. A level's adders are as wide as the sum of the
// most leaves one of them covers.
Reduction reduce_operands(int operands, int leaves, int leaf_bits, int total_leaves, int stop,
                          const SoftLogicCoefficients& soft);

// How a soft product enters the adder tree: binary and ternary weights are one plane of
// conditional negate/zero (binary x 1-bit: one XNOR bit); intN weights are min(A, N) planes of
// AND partial products of the wider operand (max(A, N) + 1 signed bits), shifted and summed.
struct SoftOperands {
    int planes = 1;
    int leaf_bits = 1;
};
SoftOperands soft_operands(const Precision& p);

struct DotProductCost {
    double products = 0;    // product bits in LUTs of their own (not folded into an adder)
    double tree = 0;        // adder tree, including the first level that absorbs the products
    double accumulator = 0; // the accumulate adder (absorbs the tree's last level when 3:1)
};
// One PE column: a c_vec-wide soft dot product of precision p into an accumulator of acc_bits.
DotProductCost soft_dot_product(int c_vec, const Precision& p, int acc_bits,
                                const SoftLogicCoefficients& soft);
// The adder tree and accumulator behind DSP products: `inputs` values of `bits` bits, each
// already the sum of `leaves` products (2 when the DSP's sum-of-two adds pairs).
DotProductCost dsp_product_tree(int inputs, int leaves, int bits, int acc_bits,
                                const SoftLogicCoefficients& soft);

} // namespace lpdla
