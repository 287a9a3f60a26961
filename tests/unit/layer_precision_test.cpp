// Bit-slicing arithmetic (include/lpdla/model/layer_precision.h), checked by hand and, for the
// digit planes, by brute force: every weight of the layer's range must be some sum of in-range
// digits at the planes' shifts, found by enumeration rather than by the decomposition rule.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "lpdla/model/layer_precision.h"

namespace lpdla {
namespace {

TEST(LayerPrecision, ActivationSlicesByHand) {
    EXPECT_EQ(activation_slices(8, 2), 4); // 8-bit image on a 2-bit array: four 2-bit slices
    EXPECT_EQ(activation_slices(8, 4), 2);
    EXPECT_EQ(activation_slices(16, 2), 8);
    EXPECT_EQ(activation_slices(4, 8), 1); // narrower runs natively
    EXPECT_EQ(activation_slices(2, 2), 1);
    EXPECT_EQ(activation_slices(1, 1), 1);
    EXPECT_EQ(activation_slices(8, 1), 0); // +1/-1 arrays cannot slice
    EXPECT_EQ(activation_slices(1, 4), 0);
}

TEST(LayerPrecision, WeightPlanesByHand) {
    // Ternary: 1-bit digits, top digit {-1, 0}: int8 = 7 unsigned bits + a sign plane.
    EXPECT_EQ(weight_planes(WeightKind::int8, WeightKind::ternary), 8);
    EXPECT_EQ(weight_planes(WeightKind::int2, WeightKind::ternary), 2);
    // int2 {-2..1}: 1-bit low digits, 2-bit signed top: 6 low planes + the top.
    EXPECT_EQ(weight_planes(WeightKind::int8, WeightKind::int2), 7);
    // int4: 3-bit low digits, 4-bit top: 8 = 3 + 3 + 2 bits -> 3 planes (shifts 0, 3, 6).
    EXPECT_EQ(weight_planes(WeightKind::int8, WeightKind::int4), 3);
    EXPECT_EQ(weight_planes(WeightKind::int4, WeightKind::int2), 3);
    EXPECT_EQ(weight_planes(WeightKind::int8, WeightKind::int8), 1);
    EXPECT_EQ(weight_planes(WeightKind::int4, WeightKind::int8), 1);
    EXPECT_EQ(weight_planes(WeightKind::ternary, WeightKind::int2), 1);
    EXPECT_EQ(weight_planes(WeightKind::binary, WeightKind::ternary), 1);
    EXPECT_EQ(weight_planes(WeightKind::int8, WeightKind::binary), 0); // no zero digit
    EXPECT_EQ(weight_planes(WeightKind::ternary, WeightKind::binary), 0);
    EXPECT_EQ(weight_planes(WeightKind::bfp16, WeightKind::int8), 0);
}

TEST(LayerPrecision, PassesAndShiftsByHand) {
    // conv1 at 8/int8 on a 2/ternary array: 4 activation slices x 8 weight planes.
    EXPECT_EQ(bit_slice_passes({8, WeightKind::int8}, {2, WeightKind::ternary}), 32);
    EXPECT_EQ(bit_slice_passes({8, WeightKind::ternary}, {2, WeightKind::ternary}), 4);
    EXPECT_EQ(bit_slice_passes({8, WeightKind::int8}, {4, WeightKind::int4}), 6);
    EXPECT_EQ(bit_slice_passes({8, WeightKind::int8}, {1, WeightKind::binary}), 0);
    EXPECT_EQ(bit_slice_shift(1, 2, 2, WeightKind::int4), 2 + 6);
    EXPECT_EQ(bit_slice_shift(3, 7, 2, WeightKind::ternary), 6 + 7);
    EXPECT_TRUE(bit_slice_problem({8, WeightKind::int8}, {2, WeightKind::ternary}).empty());
    EXPECT_NE(
        bit_slice_problem({8, WeightKind::int8}, {1, WeightKind::binary}).find("dsp_side_path"),
        std::string::npos);
    EXPECT_TRUE(side_path_problem({8, WeightKind::int8}).empty());
    EXPECT_FALSE(side_path_problem({1, WeightKind::binary}).empty());
    WideLayerMode m{};
    EXPECT_TRUE(parse_wide_layer_mode("dsp_side_path", m));
    EXPECT_EQ(m, WideLayerMode::dsp_side_path);
    EXPECT_FALSE(parse_wide_layer_mode("side", m));
}

// Every value of `bits`-bit two's complement is reachable as sum(digit_p << shift_p) with low
// digits in [0, 2^d) and the top digit in the array's range [lo, hi]: enumerated, not derived.
void expect_planes_cover(int bits, WeightKind array, int lo, int hi) {
    const int planes = weight_planes(bits == 8 ? WeightKind::int8 : WeightKind::int4, array);
    const int d = weight_digit_bits(array);
    ASSERT_GT(planes, 1);
    std::vector<bool> reached(std::size_t(1) << bits, false);
    const std::int64_t low_combos = std::int64_t(1) << (d * (planes - 1));
    for (std::int64_t low = 0; low < low_combos; ++low) // the low digits, packed
        for (int top = lo; top <= hi; ++top) {
            const std::int64_t v = low + (std::int64_t(top) << (d * (planes - 1)));
            const std::int64_t min = -(std::int64_t(1) << (bits - 1));
            if (v >= min && v < -min) reached[std::size_t(v - min)] = true;
        }
    for (std::size_t i = 0; i < reached.size(); ++i)
        EXPECT_TRUE(reached[i]) << "weight " << std::int64_t(i) - (std::int64_t(1) << (bits - 1))
                                << " has no digits on " << to_string(array);
}

TEST(LayerPrecision, DigitPlanesCoverTheLayerRange) {
    expect_planes_cover(8, WeightKind::ternary, -1, 1);
    expect_planes_cover(8, WeightKind::int2, -2, 1);
    expect_planes_cover(8, WeightKind::int4, -8, 7);
    expect_planes_cover(4, WeightKind::int2, -2, 1);
}

} // namespace
} // namespace lpdla
