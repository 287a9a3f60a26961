// Soft-logic arithmetic of one PE column, counted by hand from the ALM's structure
// (docs/MODEL.md §3): adders at ceil(bits / 2) ALMs; the first level pairs products with the
// product logic in the adder's LUTs; later levels 3:1 on Arria 10 (shared arithmetic), 2:1 on
// Stratix 10; a level's adders are as wide as leaf bits + ceil(log2(most leaves one covers)).
// Accumulators are product bits + 14 (the default accumulation_terms_log2).
#include <gtest/gtest.h>

#include "lpdla/model/soft_logic.h"
#include "lpdla/model/winograd.h"
#include "test_support.h"

namespace lpdla {
namespace {

const SoftLogicCoefficients& a10() {
    static const SoftLogicCoefficients s = test::device("arria10_gx1150").soft;
    return s;
}
const SoftLogicCoefficients& s10() {
    static const SoftLogicCoefficients s = test::device("stratix10_gx2800").soft;
    return s;
}

double column_alms(int c_vec, Precision p, int acc_bits, const SoftLogicCoefficients& soft) {
    const DotProductCost c = soft_dot_product(c_vec, p, acc_bits, soft);
    return c.products + c.tree + c.accumulator;
}

TEST(SoftLogic, DeviceFilesStateTheAlmStructure) {
    EXPECT_EQ(a10().alms_per_adder_bit, 0.5);
    EXPECT_TRUE(a10().ternary_adders);  // Arria 10 shared-arithmetic mode
    EXPECT_FALSE(s10().ternary_adders); // Stratix 10 ALM: normal, extended LUT, arithmetic only
    EXPECT_TRUE(a10().products_in_adder_luts);
}

TEST(SoftLogic, AdderCostsTwoBitsAnAlmRoundedUp) {
    EXPECT_EQ(adder_alms(4, a10()), 2);
    EXPECT_EQ(adder_alms(5, a10()), 3); // the odd bit still takes an ALM of its chain
    EXPECT_EQ(adder_alms(17, a10()), 9);
    EXPECT_EQ(sum_bits(3, 32), 8);
    EXPECT_EQ(sum_bits(3, 6), 6);
    EXPECT_EQ(sum_bits(9, 1), 9);
}

TEST(SoftLogic, OperandsPerPrecision) {
    EXPECT_EQ(soft_operands({1, WeightKind::binary}).leaf_bits, 1); // XNOR bit
    EXPECT_EQ(soft_operands({2, WeightKind::ternary}).leaf_bits, 3);
    EXPECT_EQ(soft_operands({4, WeightKind::int4}).planes, 4);
    EXPECT_EQ(soft_operands({4, WeightKind::int4}).leaf_bits, 5);
    EXPECT_EQ(soft_operands({8, WeightKind::int2}).planes, 2); // two weight-bit rows of 8 + 1 bits
    EXPECT_EQ(soft_operands({8, WeightKind::int2}).leaf_bits, 9);
}

// 2/ternary, leaves of 3 bits (conditional invert/zero of a 2-bit activation).
TEST(SoftLogic, TwoBitTernaryOnArria10) {
    // c_vec 32: level 1, 16 adders of 4 bits = 16 x 2 = 32 (products inside them).
    // 3:1 level, 16 operands of 2 leaves: 5 adders (1 passes) covering 6 leaves, 3 + 3 = 6 bits,
    // 3 ALMs each = 15; 6 operands: 2 adders covering 18 leaves, 3 + 5 = 8 bits = 4 each = 8;
    // 2 operands left go into the accumulator's 3:1 adder of 17 bits = 9. 32 + 15 + 8 + 9 = 64.
    const DotProductCost c = soft_dot_product(32, {2, WeightKind::ternary}, 17, a10());
    EXPECT_EQ(c.products, 0);
    EXPECT_EQ(c.tree, 55);
    EXPECT_EQ(c.accumulator, 9);
    EXPECT_DOUBLE_EQ(column_alms(32, {2, WeightKind::ternary}, 17, a10()) / 32, 2.0); // per MAC
    // c_vec 64: 32 x 2 = 64; 32 -> 10 adders of 6 bits (30), 12 -> 4 of 8 bits (16), 4 -> 1 of
    // 3 + ceil(log2 54) = 9 bits (5), 2 left; + 9 = 124.
    EXPECT_EQ(column_alms(64, {2, WeightKind::ternary}, 17, a10()), 124);
}

TEST(SoftLogic, TwoBitTernaryOnStratix10HasOnlyTwoInputAdders) {
    // c_vec 32: 16 x 2 (4 bits) + 8 x 3 (5 bits) + 4 x 3 (6) + 2 x 4 (7) + 1 x 4 (8) = 80,
    // accumulator 17 bits = 9: 89.
    EXPECT_EQ(column_alms(32, {2, WeightKind::ternary}, 17, s10()), 89);
}

TEST(SoftLogic, FourBitTernary) {
    // Leaves 5 bits. c_vec 32: 16 x 3 (6 bits) + 5 x 4 (8) + 2 x 5 (10) = 78; acc 19 bits = 10.
    EXPECT_EQ(column_alms(32, {4, WeightKind::ternary}, 19, a10()), 88);
    // c_vec 64: 32 x 3 + 10 x 4 + 4 x 5 + 1 x 6 (5 + 6 = 11 bits) = 162; + 10.
    EXPECT_EQ(column_alms(64, {4, WeightKind::ternary}, 19, a10()), 172);
}

TEST(SoftLogic, FourBitByInt4AsFourPartialProductPlanes) {
    // Four planes (one per weight bit) of AND rows, 5 signed bits; each plane is the 4/ternary
    // tree (78 at c_vec 32) ending in 2 operands; 8 plane operands shift-add at 5 + 5 + 4 = 14
    // bits (7 ALMs): 8 -> 2 adders + 2 -> 1 adder + 1 -> 2: 3 adders = 21; acc 22 bits = 11.
    // 4 x 78 + 21 + 11 = 344, 10.75 ALMs per MAC.
    EXPECT_EQ(column_alms(32, {4, WeightKind::int4}, 22, a10()), 344);
    // c_vec 64: 4 x 162 + 3 x ceil((5 + 6 + 4) / 2) = 648 + 24, + 11 = 683.
    EXPECT_EQ(column_alms(64, {4, WeightKind::int4}, 22, a10()), 683);
}

TEST(SoftLogic, BinaryTimesBinaryIsXnorAndPopcount) {
    // 1-bit leaves: 16 x 1 (2 bits) + 5 x 2 (4 bits) + 2 x 3 (6 bits) = 32; acc 15 bits = 8.
    EXPECT_EQ(column_alms(32, {1, WeightKind::binary}, 15, a10()), 40);
    // c_vec 64: 32 x 1 + 10 x 2 + 4 x 3 + 1 x 4 (1 + 6 = 7 bits) = 68; + 8.
    EXPECT_EQ(column_alms(64, {1, WeightKind::binary}, 15, a10()), 76);
}

TEST(SoftLogic, EightBitSoftMultipliersAsEightPlanes) {
    // Leaves 9 bits. Plane at c_vec 32: 16 x 5 (10 bits) + 5 x 6 (12) + 2 x 7 (14) = 124; 8
    // planes 992; 16 plane operands at 9 + 5 + 8 = 22 bits (11 ALMs): 16 -> 5 (+1) -> 2: 7 adders
    // = 77; acc 30 bits = 15. 1084 = 33.9 ALMs per MAC.
    EXPECT_EQ(column_alms(32, {8, WeightKind::int8}, 30, a10()), 1084);
    // c_vec 64: plane 32 x 5 + 10 x 6 + 4 x 7 + 1 x 8 (15 bits) = 256; 8 x 256 + 7 x 12 (23 bits)
    // + 15 = 2147.
    EXPECT_EQ(column_alms(64, {8, WeightKind::int8}, 30, a10()), 2147);
}

TEST(SoftLogic, UnmergedProductsCostTwoBitsAnAlm) {
    // Without folding: 32 products x 3 bits x 0.5 = 48 ALMs of their own.
    SoftLogicCoefficients plain = s10();
    plain.products_in_adder_luts = false;
    const DotProductCost c = soft_dot_product(32, {2, WeightKind::ternary}, 17, plain);
    EXPECT_EQ(c.products, 48);
    // Binary tree from 32 leaves: 16 x 2 + 8 x 3 + 4 x 3 + 2 x 4 + 1 x 4 = 80.
    EXPECT_EQ(c.tree, 80);
    // An odd c_vec leaves one product unpaired even when folding: 3 bits x 0.5.
    EXPECT_EQ(soft_dot_product(3, {2, WeightKind::ternary}, 17, a10()).products, 1.5);
}

TEST(SoftLogic, TreeBehindDspSumOfTwo) {
    // 8 pair sums of 16-bit products: 3:1 -> 2 adders covering 6 products, 16 + 3 = 19 bits
    // (10 ALMs each), 2 pass -> 4 operands -> 1 adder covering all 16, 20 bits (10), 1 passes ->
    // 2 left for the accumulator's 3:1 adder of 30 bits (15).
    const DotProductCost c = dsp_product_tree(8, 2, 16, 30, a10());
    EXPECT_EQ(c.tree, 2 * 10 + 10);
    EXPECT_EQ(c.accumulator, 15);
}

TEST(Winograd, OnlyF23AndF43WithGrowthFromTheirMatrices) {
    ASSERT_NE(winograd_transform(2), nullptr);
    ASSERT_NE(winograd_transform(4), nullptr);
    for (int q : {1, 3, 5, 6, 8, 16}) EXPECT_EQ(winograd_transform(q), nullptr) << q;
    const WinogradTransform& f23 = *winograd_transform(2);
    const WinogradTransform& f43 = *winograd_transform(4);
    EXPECT_EQ(f23.tile, 4);
    EXPECT_EQ(f43.tile, 6);
    // F(2,3) B^T rows are +-d_i +-d_j: |row| sums to 2, one bit. F(4,3) row 0 is (4, 0, -5, 0,
    // 1, 0): 10, four bits. A^T: F(2,3) (1, 1, 1, 0) = 3, two bits; F(4,3) (0, 1, -1, 8, -8, 1)
    // = 19, five bits.
    EXPECT_EQ(f23.input_growth_bits, 1);
    EXPECT_EQ(f43.input_growth_bits, 4);
    EXPECT_EQ(f23.output_growth_bits, 2);
    EXPECT_EQ(f43.output_growth_bits, 5);
    EXPECT_EQ(f23.input_pre_adders + f23.input_post_adders, 4);
    EXPECT_EQ(f43.input_pre_adders + f43.input_post_adders, 14);
}

TEST(Winograd, TransformsComputeTheCorrelation) {
    // y = A^T [(G g) . (B^T d)] equals the 3-tap correlation y_i = sum_k d_{i+k} g_k; checked with
    // integers by scaling G's fractions (F(4,3): 1/4, 1/6, 1/12, 1/24) by 24.
    const double d[6] = {3, -1, 4, 1, -5, 9}, g[3] = {2, -7, 1};
    const double bt[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                             {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    const double g24[6][3] = {{6, 0, 0}, {-4, -4, -4}, {-4, 4, -4},
                              {1, 2, 4}, {1, -2, 4},   {0, 0, 24}};
    const double at[4][6] = {
        {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
    double m[6];
    for (int i = 0; i < 6; ++i) {
        double u = 0, v = 0;
        for (int k = 0; k < 3; ++k) u += g24[i][k] * g[k];
        for (int k = 0; k < 6; ++k) v += bt[i][k] * d[k];
        m[i] = u * v / 24;
    }
    for (int i = 0; i < 4; ++i) {
        double y = 0;
        for (int k = 0; k < 6; ++k) y += at[i][k] * m[k];
        EXPECT_DOUBLE_EQ(y, d[i] * g[0] + d[i + 1] * g[1] + d[i + 2] * g[2]) << i;
    }
}

} // namespace
} // namespace lpdla
