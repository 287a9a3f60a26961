// The window geometry ONNX models use beyond lpdla's original layer set: dilation, asymmetric
// padding, ceil-mode pools and count_include_pad averages. Each case is worked out by hand; the
// reference and the kernels must both give it, with trip counts worked out by hand too (they are
// the model's loop nest: dilation and padding change the output size only, never the taps per
// output).
#include "kernel_test_support.h"
#include "lpdla/kernels/reference.h"

namespace lpdla::test {
namespace {

// k_vec 4, c_vec 4, q_vec 2, lanes 2, 8-bit activations, int8 weights.
OpenClRunner& runner8() {
    return runner_for(arch(4, 4, 2, 2, 8, WeightKind::int8));
}

ref::Tensor ramp(int h, int w, int first = 0) {
    ref::Tensor t(1, h, w);
    for (int i = 0; i < h * w; ++i) t.values[std::size_t(i)] = first + i;
    return t;
}

ref::Weights ones(int r, int s) {
    ref::Weights w;
    w.out_channels = 1, w.in_per_group = 1, w.kernel_h = r, w.kernel_w = s;
    w.kind = WeightKind::int8;
    w.values.assign(std::size_t(r * s), 1);
    return w;
}

void expect_values(const ref::Tensor& t, int h, int w, const std::vector<std::int64_t>& v) {
    EXPECT_EQ(t.height, h);
    EXPECT_EQ(t.width, w);
    EXPECT_EQ(t.values, v);
}

const ref::ActFormat u8{8, false};

TEST(WindowGeometry, DilatedConvReadsEveryOtherPixel) {
    // 5x5 ramp (value 5y + x), 3x3 ones at dilation 2: the taps are rows and columns 0, 2, 4:
    // 0+2+4 + 10+12+14 + 20+22+24 = 108, one output.
    ref::ConvGeometry g;
    g.dilation_h = g.dilation_w = 2;
    const auto in = ramp(5, 5);
    const auto want = std::vector<std::int64_t>{108};
    expect_values(ref::requantise(ref::conv_accumulate(in, ones(3, 3), {}, g), {1, 0}, u8), 1, 1,
                  want);
    KernelStats stats;
    expect_values(runner8().conv(in, u8, ones(3, 3), {}, g, {1, 0}, u8, &stats), 1, 1, want);
    EXPECT_EQ(stats.trip_count, 9u); // one output tile, one channel tile, 3x3 taps
}

TEST(WindowGeometry, AsymmetricPaddingOnlyAtTheBottomAndRight) {
    // 3x3 ramp 1..9, 2x2 ones, pads top 0, left 0, bottom 1, right 1 (auto_pad SAME_UPPER):
    // a 3x3 output whose last row and column see the padding.
    ref::ConvGeometry g;
    g.pad_bottom = g.pad_right = 1;
    const auto in = ramp(3, 3, 1);
    const std::vector<std::int64_t> want{12, 16, 9, 24, 28, 15, 15, 17, 9};
    expect_values(ref::requantise(ref::conv_accumulate(in, ones(2, 2), {}, g), {1, 0}, u8), 3, 3,
                  want);
    KernelStats stats;
    expect_values(runner8().conv(in, u8, ones(2, 2), {}, g, {1, 0}, u8, &stats), 3, 3, want);
    EXPECT_EQ(stats.trip_count, 16u); // ceil(3/2) rows x ceil(3/2) columns x 2x2 taps
}

TEST(WindowGeometry, CeilModeMaxPoolKeepsThePartialWindow) {
    // 4x4 ramp 0..15, 3x3 stride 2: floor mode gives 1x1, ceil mode 2x2 with windows over rows
    // (and columns) 0-2 and 2-3: maxima 10, 11, 14, 15.
    ref::PoolGeometry g{3, 3, 2, 2, 0, 0};
    g.ceil_mode = true;
    const auto in = ramp(4, 4);
    const std::vector<std::int64_t> want{10, 11, 14, 15};
    expect_values(ref::max_pool(in, g, u8), 2, 2, want);
    KernelStats stats;
    expect_values(runner8().pool(in, u8, g, false, u8, &stats), 2, 2, want);
    EXPECT_EQ(stats.trip_count, 2u); // ceil(2/2) row tiles x 2 columns x 1 channel tile
}

TEST(WindowGeometry, CeilModeDropsAWindowThatWouldStartInThePadding) {
    // 5 wide, kernel 2, stride 2, pad 1 each side: ceil((5+2-2)/2)+1 = 4, but window 4 would
    // start at padded column 6 = past the input (5 + left pad 1), so 3 remain (ONNX, PyTorch).
    EXPECT_EQ(ref::window_out(5, 2, 2, 1, 1, 1, true), 3);
    EXPECT_EQ(ref::window_out(4, 3, 2, 0, 0, 1, true), 2);
    EXPECT_EQ(ref::window_out(4, 3, 2, 0, 0, 1, false), 1);
    EXPECT_EQ(ref::window_out(5, 3, 1, 0, 0, 2, false), 1); // dilated extent 5
}

TEST(WindowGeometry, AverageCountingThePaddingDividesByFour) {
    // [[4, 8], [12, 16]], 2x2 average, stride 1, pad 1: every window holds 4 taps of the padded
    // input, so the corner is 4/4 = 1 and an edge (4+8)/4 = 3; in-bounds only they are 4 and 6.
    ref::PoolGeometry g{2, 2, 1, 1, 1, 1};
    ref::Tensor in(1, 2, 2);
    in.values = {4, 8, 12, 16};
    g.count_include_pad = true;
    const std::vector<std::int64_t> with_pad{1, 3, 2, 4, 10, 6, 3, 7, 4};
    expect_values(ref::avg_pool(in, g, u8), 3, 3, with_pad);
    KernelStats stats;
    expect_values(runner8().pool(in, u8, g, true, u8, &stats), 3, 3, with_pad);
    EXPECT_EQ(stats.trip_count, 6u); // ceil(3/2) row tiles x 3 columns
    g.count_include_pad = false;
    const std::vector<std::int64_t> in_bounds{4, 6, 8, 8, 10, 12, 12, 14, 16};
    expect_values(ref::avg_pool(in, g, u8), 3, 3, in_bounds);
    expect_values(runner8().pool(in, u8, g, true, u8, &stats), 3, 3, in_bounds);
}

TEST(WindowGeometry, DilatedMaxPool) {
    // 5x5 ramp, 2x2 max pool at dilation 2, stride 1: output 3x3, taps (y, x), (y, x+2),
    // (y+2, x), (y+2, x+2): the maximum is always the last, 5(y+2) + x + 2.
    ref::PoolGeometry g{2, 2, 1, 1, 0, 0};
    g.dilation_h = g.dilation_w = 2;
    const auto in = ramp(5, 5);
    const std::vector<std::int64_t> want{12, 13, 14, 17, 18, 19, 22, 23, 24};
    expect_values(ref::max_pool(in, g, u8), 3, 3, want);
    KernelStats stats;
    expect_values(runner8().pool(in, u8, g, false, u8, &stats), 3, 3, want);
}

TEST(WindowGeometry, StrideFoldRefusesDilationAndAsymmetricPadding) {
    ref::ConvGeometry g{2, 2, 1, 1, 1};
    g.dilation_h = 2;
    EXPECT_NE(ref::fold_problem(u8, ones(3, 3), g).find("dilation"), std::string::npos);
    g.dilation_h = 1;
    g.pad_bottom = 0;
    EXPECT_NE(ref::fold_problem(u8, ones(3, 3), g).find("asymmetric"), std::string::npos);
}

} // namespace
} // namespace lpdla::test
