// The operands of bit-sliced passes (ref::activation_slice, ref::weight_plane), with no OpenCL:
// hand-worked digits, and for every value of each range, slices and planes that stay inside the
// array's formats and add back, at their shifts, to the value they came from. The sums are
// written out here rather than taken from combine_activation_slices.
#include <gtest/gtest.h>

#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"
#include "lpdla/model/layer_precision.h"

namespace lpdla::test {
namespace {

ref::Tensor row(std::vector<std::int64_t> values) {
    ref::Tensor t(1, 1, int(values.size()));
    t.values = std::move(values);
    return t;
}

std::vector<std::int64_t> slice_values(const ref::Tensor& t, ref::ActFormat f, int array_bits) {
    std::vector<std::int64_t> out;
    for (int j = 0; j < activation_slices(f.bits, array_bits); ++j)
        out.push_back(ref::activation_slice(t, f, array_bits, j).values.at(0));
    return out;
}

TEST(BitSlicingReference, ActivationSlicesByHand) {
    // 216 = 0b11'01'10'00: 2-bit slices from the bottom 0, 2, 1, 3 (0 + 8 + 16 + 192 = 216).
    EXPECT_EQ(slice_values(row({216}), {8, false}, 2), (std::vector<std::int64_t>{0, 2, 1, 3}));
    // -100 = 0b10'01'11'00 in two's complement: 0, 3, 1 unsigned, then the top slice 0b10 read
    // signed, -2: 0 + 3*4 + 1*16 - 2*64 = -100.
    EXPECT_EQ(slice_values(row({-100}), {8, true}, 2), (std::vector<std::int64_t>{0, 3, 1, -2}));
    // 4-bit slices of -100 = 0b1001'1100: 12 and the signed top -7 (12 - 7*16 = -100).
    EXPECT_EQ(slice_values(row({-100}), {8, true}, 4), (std::vector<std::int64_t>{12, -7}));
    EXPECT_FALSE(ref::activation_slice_format({8, true}, 2, 0).is_signed);
    EXPECT_TRUE(ref::activation_slice_format({8, true}, 2, 3).is_signed);
    EXPECT_FALSE(ref::activation_slice_format({8, false}, 2, 3).is_signed);
    EXPECT_EQ(ref::activation_slice_format({8, false}, 4, 1).bits, 4);
}

TEST(BitSlicingReference, WeightPlanesByHand) {
    const auto planes = [](std::int64_t v, WeightKind layer, WeightKind array) {
        const ref::Weights w{1, 1, 1, 1, layer, {v}};
        std::vector<std::int64_t> out;
        for (int p = 0; p < weight_planes(layer, array); ++p) {
            const ref::Weights plane = ref::weight_plane(w, array, p);
            EXPECT_EQ(plane.kind, array);
            out.push_back(plane.values.at(0));
        }
        return out;
    };
    // -100 = 0b1001'1100. Ternary: bits 0..6 as 0/1 digits, then bit 7 as the digit -1
    // (4 + 8 + 16 - 128 = -100).
    EXPECT_EQ(planes(-100, WeightKind::int8, WeightKind::ternary),
              (std::vector<std::int64_t>{0, 0, 1, 1, 1, 0, 0, -1}));
    // int4 (3-bit digits): -100 & 7 = 4; (-100 >> 3) = -13, & 7 = 3; top -100 >> 6 = -2
    // (4 + 3*8 - 2*64 = -100).
    EXPECT_EQ(planes(-100, WeightKind::int8, WeightKind::int4),
              (std::vector<std::int64_t>{4, 3, -2}));
    // int2 (1-bit digits, 2-bit top): bits 0..5, then -100 >> 6 = -2 (28 - 128).
    EXPECT_EQ(planes(-100, WeightKind::int8, WeightKind::int2),
              (std::vector<std::int64_t>{0, 0, 1, 1, 1, 0, -2}));
    // 127 on ternary: seven ones and a zero sign digit.
    EXPECT_EQ(planes(127, WeightKind::int8, WeightKind::ternary),
              (std::vector<std::int64_t>{1, 1, 1, 1, 1, 1, 1, 0}));
    // A layer the array's range already holds runs as its own single plane.
    EXPECT_EQ(planes(-1, WeightKind::ternary, WeightKind::int2), (std::vector<std::int64_t>{-1}));
}

TEST(BitSlicingReference, SlicesOfEveryActivationAddBackToIt) {
    for (const int layer_bits : {2, 4, 8})
        for (const bool is_signed : {false, true})
            for (const int array_bits : {2, 4, 8}) {
                const ref::ActFormat f{layer_bits, is_signed};
                SCOPED_TRACE(testing::Message() << layer_bits << (is_signed ? "s" : "u") << " on "
                                                << array_bits << " bits");
                std::vector<std::int64_t> all;
                for (std::int64_t v = f.min(); v <= f.max(); ++v) all.push_back(v);
                const ref::Tensor t = row(all);
                const int n = activation_slices(layer_bits, array_bits);
                ASSERT_EQ(n, (layer_bits + array_bits - 1) / array_bits);
                std::vector<std::int64_t> sum(all.size(), 0);
                std::vector<ref::Tensor> slices;
                for (int j = 0; j < n; ++j) {
                    const ref::ActFormat sf = ref::activation_slice_format(f, array_bits, j);
                    slices.push_back(ref::activation_slice(t, f, array_bits, j));
                    for (std::size_t i = 0; i < all.size(); ++i) {
                        const std::int64_t s = slices.back().values[i];
                        ASSERT_GE(s, sf.min()) << all[i];
                        ASSERT_LE(s, sf.max()) << all[i];
                        sum[i] += s * (std::int64_t(1) << (j * array_bits));
                    }
                }
                EXPECT_EQ(sum, all);
                EXPECT_EQ(ref::combine_activation_slices(slices, f, array_bits).values, all);
            }
}

TEST(BitSlicingReference, DigitPlanesOfEveryWeightAddBackToIt) {
    for (const WeightKind layer : {WeightKind::ternary, WeightKind::int2, WeightKind::int4,
                                   WeightKind::int8, WeightKind::binary})
        for (const WeightKind array :
             {WeightKind::ternary, WeightKind::int2, WeightKind::int4, WeightKind::int8}) {
            SCOPED_TRACE(testing::Message() << to_string(layer) << " on " << to_string(array));
            ref::Weights w{1, 1, 1, 1, layer, {}};
            for (std::int64_t v = ref::weight_min(layer); v <= ref::weight_max(layer); ++v)
                if (layer != WeightKind::binary || v != 0) w.values.push_back(v);
            w.out_channels = int(w.values.size());
            const int n = weight_planes(layer, array);
            ASSERT_GE(n, 1);
            // Planes > 1 step by the digit width; one plane is the weight itself.
            const int d = n > 1 ? weight_digit_bits(array) : 0;
            std::vector<std::int64_t> sum(w.values.size(), 0);
            for (int p = 0; p < n; ++p) {
                const ref::Weights plane = ref::weight_plane(w, array, p);
                for (std::size_t i = 0; i < w.values.size(); ++i) {
                    ASSERT_GE(plane.values[i], ref::weight_min(array)) << w.values[i];
                    ASSERT_LE(plane.values[i], ref::weight_max(array)) << w.values[i];
                    if (p < n - 1) {
                        ASSERT_GE(plane.values[i], 0) << "low digits are unsigned";
                    }
                    sum[i] += plane.values[i] * (std::int64_t(1) << (p * d));
                }
            }
            EXPECT_EQ(sum, w.values);
        }
}

TEST(BitSlicingReference, ArraysThatCannotSliceAreRefused) {
    const ref::Tensor t = row({5});
    EXPECT_THROW(ref::activation_slice(t, {8, false}, 1, 0), Error);
    EXPECT_THROW(ref::activation_slice(t, {8, false}, 2, 4), Error); // only slices 0..3
    const ref::Weights w{1, 1, 1, 1, WeightKind::int8, {5}};
    try {
        ref::weight_plane(w, WeightKind::binary, 0);
        FAIL() << "binary digits accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no zero digit"), std::string::npos) << e.what();
    }
    EXPECT_THROW(ref::weight_plane(w, WeightKind::ternary, 8), Error); // only planes 0..7
}

} // namespace
} // namespace lpdla::test
