// The reference on its own, against cases worked by hand (the arithmetic is in the comments).
#include <gtest/gtest.h>

#include "lpdla/kernels/reference.h"

namespace lpdla::ref {
namespace {

// v(y, x) = 5y + x + 1 over a 5x5 map: 1..25 row by row.
Tensor ramp5x5() {
    Tensor t(1, 5, 5);
    for (int y = 0; y < 5; ++y)
        for (int x = 0; x < 5; ++x) t.at(0, y, x) = 5 * y + x + 1;
    return t;
}

Weights kernel3x3(std::vector<std::int64_t> v) {
    return Weights{1, 1, 3, 3, WeightKind::int8, std::move(v)};
}

std::vector<std::int64_t> plane(const Tensor& t, int c = 0) {
    std::vector<std::int64_t> v;
    for (int y = 0; y < t.height; ++y)
        for (int x = 0; x < t.width; ++x) v.push_back(t.at(c, y, x));
    return v;
}

TEST(Reference, Conv3x3Over5x5NoPadding) {
    // w = [1 2 3; 4 5 6; 7 8 9], no padding: out(y, x) = sum w_ij v(y+i, x+j)
    // = 45 v(y, x) + 5 * sum_ij i w_ij + sum_ij j w_ij = 45 v(y, x) + 5 * 63 + 51.
    // out(0, 0): 1+4+9 + 24+35+48 + 77+96+117 = 411 = 45 + 366.
    const auto out = conv_accumulate(ramp5x5(), kernel3x3({1, 2, 3, 4, 5, 6, 7, 8, 9}), {}, {});
    ASSERT_EQ(out.height, 3);
    ASSERT_EQ(out.width, 3);
    EXPECT_EQ(plane(out), (std::vector<std::int64_t>{411, 456, 501, 636, 681, 726, 861, 906, 951}));
}

TEST(Reference, Conv3x3Over5x5PaddedLaplacian) {
    // The Laplacian of a linear map is 0 inside; on the border each missing (zero-padded)
    // neighbour contributes minus the value the ramp would have had there:
    // top -(x - 4), bottom -(x + 26), left -5y, right -(5y + 6).
    // out(0, 0): -4*1 + 2 + 6 = 4;  out(4, 4): -4*25 + 20 + 24 = -56.
    const auto out =
        conv_accumulate(ramp5x5(), kernel3x3({0, 1, 0, 1, -4, 1, 0, 1, 0}), {}, {1, 1, 1, 1, 1});
    EXPECT_EQ(plane(out), (std::vector<std::int64_t>{4,   3,   2,   1,   -6,  //
                                                     -5,  0,   0,   0,   -11, //
                                                     -10, 0,   0,   0,   -16, //
                                                     -15, 0,   0,   0,   -21, //
                                                     -46, -27, -28, -29, -56}));
}

TEST(Reference, StrideTwoPicksEveryOtherOutputAndBiasAdds) {
    // The padded Laplacian above at stride 2 keeps rows and columns 0, 2, 4; bias 10 adds.
    const auto out =
        conv_accumulate(ramp5x5(), kernel3x3({0, 1, 0, 1, -4, 1, 0, 1, 0}), {10}, {2, 2, 1, 1, 1});
    EXPECT_EQ(plane(out), (std::vector<std::int64_t>{14, 12, 4, 0, 10, -6, -36, -18, -46}));
}

TEST(Reference, GroupsSeeOnlyTheirOwnChannels) {
    // Two groups of one channel, 1x1 kernels: output 0 = 2 * in0, output 1 = -3 * in1.
    Tensor in(2, 1, 2);
    in.values = {1, 2, 10, 20};
    const Weights w{2, 1, 1, 1, WeightKind::int4, {2, -3}};
    const auto out = conv_accumulate(in, w, {}, {1, 1, 0, 0, 2});
    EXPECT_EQ(out.values, (std::vector<std::int64_t>{2, 4, -30, -60}));
}

TEST(Reference, RequantRoundsScalesAndSaturates) {
    const ActFormat u4{4, false}, s4{4, true}, bin{1, false};
    // (411 * 3 + 8) >> 4 = 1241 / 16 = 77 -> saturates at 15 (unsigned 4-bit).
    EXPECT_EQ(requantise(411, {3, 4}, u4), 15);
    // (20 * 3 + 8) >> 4 = 68 / 16 = 4.
    EXPECT_EQ(requantise(20, {3, 4}, u4), 4);
    // Negative: ReLU for unsigned, -8 floor for signed; (-20 * 3 + 8) >> 4 = -52 / 16 -> -4.
    EXPECT_EQ(requantise(-20, {3, 4}, u4), 0);
    EXPECT_EQ(requantise(-20, {3, 4}, s4), -4);
    EXPECT_EQ(requantise(-411, {3, 4}, s4), -8);
    // Binary keeps the sign; zero counts as +1.
    EXPECT_EQ(requantise(-5, {1, 0}, bin), -1);
    EXPECT_EQ(requantise(0, {1, 0}, bin), 1);
}

TEST(Reference, PoolsIgnorePaddingAndAverageRoundsHalfAway) {
    Tensor in(1, 2, 2);
    in.values = {1, 2, 3, 6};
    const ActFormat u8{8, false};
    // 2x2 window, stride 1, pad 1: 3x3 outputs; corners see one tap each.
    const auto mx = max_pool(in, {2, 2, 1, 1, 1, 1}, u8);
    EXPECT_EQ(plane(mx), (std::vector<std::int64_t>{1, 2, 2, 3, 6, 6, 3, 6, 6}));
    // Global average: (1 + 2 + 3 + 6) / 4 = 3; top row pair (1 + 2) / 2 = 1.5 -> 2.
    EXPECT_EQ(avg_pool(in, {2, 2, 1, 1, 0, 0}, u8).values, (std::vector<std::int64_t>{3}));
    EXPECT_EQ(avg_pool(in, {1, 2, 1, 1, 0, 0}, u8).values, (std::vector<std::int64_t>{2, 5}));
    Tensor neg(1, 1, 2);
    neg.values = {-1, -2}; // -1.5 -> -2
    EXPECT_EQ(avg_pool(neg, {1, 2, 1, 1, 0, 0}, ActFormat{8, true}).values,
              (std::vector<std::int64_t>{-2}));
}

TEST(Reference, AddSaturatesIntoTheOutputFormat) {
    Tensor a(1, 1, 3), b(1, 1, 3);
    a.values = {-3, 5, 1};
    b.values = {1, 14, 2};
    EXPECT_EQ(add(a, b, ActFormat{4, false}).values, (std::vector<std::int64_t>{0, 15, 3}));
    EXPECT_EQ(add(a, b, ActFormat{4, true}).values, (std::vector<std::int64_t>{-2, 7, 3}));
}

TEST(Reference, PackingPutsValueZeroInTheLowBitsAndPixelsOnWordBoundaries) {
    // Three channels of 4 bits, two pixels: each pixel one word, 0x321 and 0xfa5 (-6 = 0xa,
    // -1 = 0xf). A value outside -8..7 is refused (tests/kernels/boundary_test.cpp).
    Tensor t(3, 1, 2);
    t.values = {1, 5, 2, -6, 3, -1}; // CHW: c0 = {1, 5}, c1 = {2, -6}, c2 = {3, -1}
    const ActFormat s4{4, true};
    const auto words = pack_activations(t, s4);
    EXPECT_EQ(words, (std::vector<std::uint32_t>{0x321u, 0xfa5u}));
    Tensor back = unpack_activations(words, 3, 1, 2, s4);
    EXPECT_EQ(back.values, t.values);
    // The same bits read unsigned: 0xf is 15.
    EXPECT_EQ(unpack_activations(words, 3, 1, 2, ActFormat{4, false}).values,
              (std::vector<std::int64_t>{1, 5, 2, 10, 3, 15}));
    // 33 binary channels of one pixel take two words; +1 -> bit set.
    Tensor b(33, 1, 1);
    for (int c = 0; c < 33; ++c) b.values[c] = c % 2 ? 1 : -1;
    EXPECT_EQ(pack_activations(b, ActFormat{1, false}),
              (std::vector<std::uint32_t>{0xAAAAAAAAu, 0x0u}));
}

TEST(Reference, TernaryWeightsPackAsTwoBitCodes) {
    // Codes: 0 -> 00, +1 -> 01, -1 -> 11; row (k, r, s) = {+1, -1, 0} -> 0b00'11'01 = 0x0d.
    const Weights w{1, 3, 1, 1, WeightKind::ternary, {1, -1, 0}};
    EXPECT_EQ(pack_weights(w), (std::vector<std::uint32_t>{0x0du}));
}

TEST(Reference, SeededDataIsReproducibleAndInRange) {
    Rng a(7), b(7);
    const auto ta = random_tensor(4, 3, 3, ActFormat{2, false}, a);
    const auto tb = random_tensor(4, 3, 3, ActFormat{2, false}, b);
    EXPECT_EQ(ta.values, tb.values);
    for (auto v : ta.values) EXPECT_TRUE(v >= 0 && v <= 3);
}

} // namespace
} // namespace lpdla::ref
