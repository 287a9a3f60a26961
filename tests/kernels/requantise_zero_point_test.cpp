// Real-valued requantisation (an int32 mantissa and a right shift per output channel, rounded half
// to even, plus an offset) and zero points, in the reference and on PoCL, against values worked
// out by hand and against double-precision arithmetic.
#include <cmath>

#include "kernel_test_support.h"
#include "lpdla/kernels/reference.h"

namespace lpdla::test {
namespace {

TEST(FixedPoint, MantissaAndShiftOfHandPickedScales) {
    // 0.5 = 2^30 / 2^31; 1.0 = 2^30 / 2^30; 0.375 = 3 * 2^29 / 2^32.
    EXPECT_EQ(ref::fixed_point(0.5).mantissa, 1 << 30);
    EXPECT_EQ(ref::fixed_point(0.5).shift, 31);
    EXPECT_EQ(ref::fixed_point(1.0).shift, 30);
    EXPECT_EQ(ref::fixed_point(0.375).mantissa, 3 << 29);
    EXPECT_EQ(ref::fixed_point(0.375).shift, 32);
    // 1/3 = (2^32 / 3) / 2^32, 2^32 / 3 = 1431655765.33 rounds down.
    EXPECT_EQ(ref::fixed_point(1.0 / 3).mantissa, 1431655765);
    EXPECT_EQ(ref::fixed_point(1.0 / 3).shift, 32);
    EXPECT_THROW(ref::fixed_point(0.0), Error);
    EXPECT_THROW(ref::fixed_point(std::ldexp(1.0, 31)), Error); // needs a left shift
}

TEST(FixedPoint, ScaleOfThreeFloatsRoundsTheExactQuotientOnce) {
    // 0.5 * 0.25 / 0.125 = 1 exactly; 1 * 1 / 3 as above.
    EXPECT_EQ(ref::fixed_point_scale(0.5f, 0.25f, 0.125f).mantissa, 1 << 30);
    EXPECT_EQ(ref::fixed_point_scale(0.5f, 0.25f, 0.125f).shift, 30);
    EXPECT_EQ(ref::fixed_point_scale(1.0f, 1.0f, 3.0f).mantissa, 1431655765);
    // (1 + 2^-23)(1 + 2^-8) = 1 + 2^-8 + 2^-23 + 2^-31: times 2^30 it is 2^30 + 2^22 + 2^7 + 1/2,
    // a tie, kept even: 2^30 + 2^22 + 128.
    const float a = 1.0f + std::ldexp(1.0f, -23), b = 1.0f + std::ldexp(1.0f, -8);
    EXPECT_EQ(ref::fixed_point_scale(a, b, 1.0f).mantissa, (1 << 30) + (1 << 22) + 128);
    EXPECT_EQ(ref::fixed_point_scale(a, b, 1.0f).shift, 30);
    // (1 + 3 * 2^-23)(1 + 2^-8) times 2^30 = 2^30 + 2^22 + 385 + 1/2: the tie goes up to even 386.
    const float a3 = 1.0f + 3 * std::ldexp(1.0f, -23);
    EXPECT_EQ(ref::fixed_point_scale(a3, b, 1.0f).mantissa, (1 << 30) + (1 << 22) + 386);
}

TEST(FixedPoint, RoundsHalfToEven) {
    // v * m / 2^shift with m / 2^shift = 1/2 and 1/4.
    const std::int32_t half = 1 << 30;
    EXPECT_EQ(ref::round_shift_half_even(3, half, 31), 2);   // 1.5
    EXPECT_EQ(ref::round_shift_half_even(5, half, 31), 2);   // 2.5
    EXPECT_EQ(ref::round_shift_half_even(-3, half, 31), -2); // -1.5
    EXPECT_EQ(ref::round_shift_half_even(-5, half, 31), -2); // -2.5
    EXPECT_EQ(ref::round_shift_half_even(7, 1, 2), 2);       // 1.75
    EXPECT_EQ(ref::round_shift_half_even(-7, 1, 2), -2);     // -1.75
    EXPECT_EQ(ref::round_shift_half_even(-6, 1, 2), -2);     // -1.5
    EXPECT_EQ(ref::round_shift_half_even(-9, 1, 2), -2);     // -2.25
    EXPECT_EQ(ref::round_shift_half_even(10, 1, 2), 2);      // 2.5
}

TEST(FixedPoint, AgreesWithDoublePrecisionOverAccumulatorRanges) {
    // A dyadic scale is exact in both: every accumulator, ties included (acc = 4: 1.5 -> 2).
    const auto exact = ref::fixed_point(0.375);
    for (std::int64_t acc = -70000; acc <= 70000; ++acc)
        ASSERT_EQ(ref::round_shift_half_even(acc, exact.mantissa, exact.shift),
                  std::int64_t(std::nearbyint(double(acc) * 0.375)))
            << acc;
    // ONNX test_qlinearconv's scales (x_scale * w_scale / y_scale ~ 0.0039216) and a scale of
    // 1/3: rounding the product of the double quotient agrees with the fixed point.
    const float xs = 0.003692046971991658f, ws = 0.0017279457533732057f, ys = 0.001626812620088458f;
    const auto q = ref::fixed_point_scale(xs, ws, ys);
    const double m = double(xs) * double(ws) / double(ys);
    const auto third = ref::fixed_point_scale(1.0f, 1.0f, 3.0f);
    for (std::int64_t acc = -(1 << 20); acc <= (1 << 20); acc += 7) {
        ASSERT_EQ(ref::round_shift_half_even(acc, q.mantissa, q.shift),
                  std::int64_t(std::nearbyint(double(acc) * m)))
            << acc;
        ASSERT_EQ(ref::round_shift_half_even(acc, third.mantissa, third.shift),
                  std::int64_t(std::nearbyint(double(acc) / 3.0)))
            << acc;
    }
}

ref::Requant per_channel(std::vector<double> scales, std::vector<std::int32_t> offsets) {
    ref::Requant q;
    for (double s : scales) {
        const auto f = ref::fixed_point(s);
        q.multiplier.push_back(f.mantissa);
        q.channel_shift.push_back(f.shift);
    }
    q.offset = std::move(offsets);
    return q;
}

TEST(Requantise, PerChannelScaleOffsetOnPoCL) {
    // A 1x1 conv copying a 1 x 1 x 4 input [1, 3, 5, 7] into two channels. Channel 0: x 0.5,
    // + 10: 0.5, 1.5, 2.5, 3.5 round to 0, 2, 2, 4, so 10 12 12 14. Channel 1: x 1.5, - 3:
    // 1.5, 4.5, 7.5, 10.5 round to 2, 4, 8, 10, so -1 1 5 7.
    ref::Tensor in(1, 1, 4);
    in.values = {1, 3, 5, 7};
    ref::Weights w;
    w.out_channels = 2, w.in_per_group = 1, w.values = {1, 1};
    const ref::Requant q = per_channel({0.5, 1.5}, {10, -3});
    const ref::ActFormat s8{8, true};
    const std::vector<std::int64_t> expected{10, 12, 12, 14, -1, 1, 5, 7};
    EXPECT_EQ(ref::requantise(ref::conv_accumulate(in, w, {}, {}), q, s8).values, expected);
    const ArchConfig a = arch(4, 4, 2, 2, 8, WeightKind::int8);
    KernelStats stats;
    EXPECT_EQ(runner_for(a).conv(in, {8, false}, w, {}, {}, q, s8, &stats).values, expected);
    // ceil(1/2) rows x ceil(4/2) columns x ceil(2/4) x ceil(1/4) x 1 x 1 taps.
    EXPECT_EQ(stats.trip_count, 2u);
}

TEST(ZeroPoints, Uint8WeightsWithZeroPoint255AndPaddingOnPoCL) {
    // Input 1 x 1 x 3 uint8 [200, 10, 255], zero point 100: x - 100 = [100, -90, 155], padded
    // by one column each side with the zero point, i.e. [0, 100, -90, 155, 0] after subtraction.
    // A 1x2 kernel, four outputs. Channel 0: uint8 weights [0, 255], zero point 255, so
    // [-255, 0]: -255 * [0, 100, -90, 155] = 0, -25500, 22950, -39525; bias 128. Channel 1:
    // [3, 250], zero point 0: 3 * p[i] + 250 * p[i+1] = 25000, -22200, 38480, 465; bias -17.
    ref::Tensor in(1, 1, 3);
    in.values = {200, 10, 255};
    ref::Weights w;
    w.out_channels = 2, w.in_per_group = 1, w.kernel_h = 1, w.kernel_w = 2;
    w.kind = WeightKind::int16; // holds the uint8 values
    w.values = {0, 255, 3, 250};
    const ref::ZeroPoints zp{100, {255, 0}};
    const std::vector<std::int32_t> bias{128, -17};
    ref::ConvGeometry g;
    g.pad_w = 1;
    const std::vector<std::int64_t> acc{128, -25372, 23078, -39397, 24983, -22217, 38463, 448};
    EXPECT_EQ(ref::conv_accumulate_zp(in, w, zp, bias, g).values, acc);
    // Channel 0 x 1/256 + 128: 0.5 -> 0 (tie, even), -99.1 -> -99, 90.1 -> 90, -153.9 -> -154,
    // then + 128: 128, 29, 218, -26 (saturates to 0). Channel 1 x 1/128: 195.2 -> 195, -173.6
    // (saturates to 0), 300.5 -> 300 (saturates to 255), 3.5 -> 4 (tie, even).
    const ref::Requant q = per_channel({1.0 / 256, 1.0 / 128}, {128, 0});
    const ref::ActFormat u8{8, false};
    const std::vector<std::int64_t> expected{128, 29, 218, 0, 195, 0, 255, 4};
    EXPECT_EQ(ref::requantise(ref::conv_accumulate_zp(in, w, zp, bias, g), q, u8).values, expected);
    const ArchConfig a = arch(4, 4, 2, 2, 8, WeightKind::int8);
    KernelStats stats;
    EXPECT_EQ(runner_for(a).conv_zero_points(in, u8, w, zp, bias, g, q, u8, &stats).values,
              expected);
    // ceil(1/2) x ceil(4/2) x ceil(2/4) x ceil(1/4) x 1 x 2 taps: the loop nest is unchanged.
    EXPECT_EQ(stats.trip_count, 4u);
}

TEST(ZeroPoints, RandomInt8AndUint8WeightsMatchTheDefinitionOnPoCL) {
    // Per-tensor and per-channel zero points, strides, groups and padding: the kernel's
    // correction terms against the reference's widened definition.
    const ArchConfig a = arch(4, 4, 2, 2, 8, WeightKind::int8);
    ref::Rng rng(17);
    for (int trial = 0; trial < 6; ++trial) {
        const bool u8_weights = trial % 2 == 0;
        const int groups = trial < 4 ? 1 : 2, cg = 3, k = 6;
        const ref::ActFormat in_fmt{8, trial % 3 == 1};
        const ref::Tensor in = ref::random_tensor(cg * groups, 6, 5, in_fmt, rng);
        ref::Weights w;
        w.out_channels = k, w.in_per_group = cg, w.kernel_h = 3, w.kernel_w = 3;
        w.kind = WeightKind::int16;
        for (int i = 0; i < k * cg * 9; ++i)
            w.values.push_back(u8_weights ? rng.uniform(0, 255) : rng.uniform(-128, 127));
        ref::ZeroPoints zp;
        zp.input = rng.uniform(in_fmt.min(), in_fmt.max());
        const int zps = trial < 2 ? 1 : k;
        for (int i = 0; i < zps; ++i)
            zp.weights.push_back(u8_weights ? rng.uniform(0, 255) : rng.uniform(-128, 127));
        ref::ConvGeometry g;
        g.stride_h = 1 + trial % 2, g.pad_h = 1, g.pad_w = 1, g.groups = groups;
        const auto bias = ref::random_bias(k, 1000, rng);
        std::vector<double> scales;
        for (int i = 0; i < k; ++i) scales.push_back(1.0 / (900.0 + 37.0 * i));
        const ref::Requant q = per_channel(scales, {3, -2, 0, 5, 1, 127});
        const ref::ActFormat out_fmt{8, true};
        const auto expected =
            ref::requantise(ref::conv_accumulate_zp(in, w, zp, bias, g), q, out_fmt);
        const auto got =
            runner_for(a).conv_zero_points(in, in_fmt, w, zp, bias, g, q, out_fmt, nullptr);
        EXPECT_EQ(ref::count_mismatches(expected, got), 0) << "trial " << trial;
    }
}

TEST(BatchNorm, FoldedIntoTheRequantiseStageOnPoCL) {
    // A 1x1 conv copying [1, 3, 5, 7] into two channels, then a batch norm with epsilon 1.
    // Channel 0: gamma 1, var 3 (scale 1 / sqrt(4) = 1/2), mean 0, beta 10: 0.5 1.5 2.5 3.5
    // round to 0 2 2 4, so 10 12 12 14. Channel 1: gamma -3, var 0 (scale -3), mean 2, beta -1:
    // (acc - 2) * -3 = 3 -3 -9 -15, so 2 -4 -10 -16.
    ref::Tensor in(1, 1, 4);
    in.values = {1, 3, 5, 7};
    ref::Weights w;
    w.out_channels = 2, w.in_per_group = 1, w.values = {1, 1};
    std::vector<std::int32_t> bias;
    ref::BatchNorm bn;
    bn.gamma = {1, -3}, bn.var = {3, 0}, bn.mean = {0, 2}, bn.beta = {10, -1};
    bn.epsilon = 1;
    const ref::Requant q = ref::fold_batch_norm(bn, bias);
    // The mean joins the bias; 1/2 = 2^30 / 2^31, -3 = -(3 * 2^29) / 2^29.
    EXPECT_EQ(bias, (std::vector<std::int32_t>{0, -2}));
    EXPECT_EQ(q.multiplier, (std::vector<std::int32_t>{1 << 30, -(3 << 29)}));
    EXPECT_EQ(q.channel_shift, (std::vector<int>{31, 29}));
    const ref::ActFormat s8{8, true};
    const std::vector<std::int64_t> expected{10, 12, 12, 14, 2, -4, -10, -16};
    EXPECT_EQ(ref::requantise(ref::conv_accumulate(in, w, bias, {}), q, s8).values, expected);
    const ArchConfig a = arch(4, 4, 2, 2, 8, WeightKind::int8);
    EXPECT_EQ(runner_for(a).conv(in, {8, false}, w, bias, {}, q, s8, nullptr).values, expected);
}

TEST(BatchNorm, RunNetworkRequantisesPerChannelDirectAndBitSliced) {
    // Each conv/fc with a per-channel real scale and offset (a folded batch norm): the direct
    // loop nest, a stride-2 conv, and a layer wider than a 4-bit array (bit-sliced passes,
    // requantised once at the end), all bit-exact with the trips the model counts. (Folded and
    // side-path launches share the same requantise arguments but are not run here.)
    const Network net =
        network(3, 9, 9,
                {{{"name", "c1"},
                  {"type", "conv"},
                  {"input", "data"},
                  {"out_channels", 6},
                  {"kernel", 3},
                  {"pad", 1},
                  {"bias", true}},
                 {{"name", "r1"}, {"type", "relu"}, {"input", "c1"}},
                 {{"name", "c2"},
                  {"type", "conv"},
                  {"input", "r1"},
                  {"out_channels", 5},
                  {"kernel", 3},
                  {"stride", 2},
                  {"precision", "8/int8"}},
                 {{"name", "fc"}, {"type", "fc"}, {"input", "c2"}, {"out_features", 4}}});
    for (const ArchConfig& base :
         {arch(4, 4, 2, 2, 8, WeightKind::int8), arch(4, 4, 2, 2, 4, WeightKind::int4)}) {
        ArchConfig a = base;
        a.fold_strides = false;
        RunOptions options;
        options.per_channel_requant = true;
        int executed = 0;
        for (const auto& r : run_network(runner_for(a), net, a, options)) {
            if (!r.executed) continue;
            ++executed;
            EXPECT_EQ(r.mismatches, 0) << r.name << " at " << precision_label(a.precision);
            EXPECT_EQ(r.trip_count, r.model_cycles) << r.name;
        }
        EXPECT_EQ(executed, 3);
    }
}

} // namespace
} // namespace lpdla::test
