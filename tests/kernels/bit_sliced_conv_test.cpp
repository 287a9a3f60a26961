// Layers wider than the array (issue 14) on the device: an 8-bit conv1-like layer with int8 (or
// ternary) weights runs on 2/ternary, 2/int2 and 4/int4 arrays as activation slices x weight
// planes, and must equal the reference conv at the LAYER's precision bit for bit, with a trip
// count of passes x the model's loop iterations. Expected numbers are worked out by hand in the
// comments or come from ref::conv_accumulate at the layer's precision, which knows nothing of
// slicing.
#include "kernel_test_support.h"
#include "lpdla/model/layer_precision.h"

namespace lpdla::test {
namespace {

// The arrays reuse configurations other kernel tests build (precision_paths_test.cpp), so PoCL
// compiles nothing extra when the suite runs in one process.
const ArchConfig ternary2 = arch(4, 3, 2, 1, 2, WeightKind::ternary);
const ArchConfig int2_2 = arch(4, 3, 2, 1, 2, WeightKind::int2);
const ArchConfig int4_4 = arch(3, 4, 3, 2, 4, WeightKind::int4);

ref::Tensor tensor(int c, int h, int w, std::vector<std::int64_t> values) {
    ref::Tensor t(c, h, w);
    t.values = std::move(values);
    return t;
}

TEST(BitSlicedConv, HandWorkedTwoTapLayerOnATernaryArray) {
    // One 1x2 input pixel row, two filters of one 1x2 tap row, bias 5, requantise scale 1 shift 8
    // (v = (acc + 128) >> 8). int8 weights -100, 37 and 100, -37:
    //   unsigned input 200, 57:  acc0 = -20000 + 2109 + 5 = -17886 -> (-17758) >> 8 = -70
    //                            acc1 =  20000 - 2109 + 5 =  17896 ->   18024  >> 8 =  70
    //   signed input -56, 100:   acc0 =   5600 + 3700 + 5 =   9305 ->    9433  >> 8 =  36
    //                            acc1 =  -5600 - 3700 + 5 =  -9295 ->  (-9167) >> 8 = -36
    // (>> rounds down: -17758 / 256 = -69.4 -> -70, -9167 / 256 = -35.8 -> -36.) Into a 2-bit
    // ReLU output the same values saturate to 0 or 3.
    // 2/ternary: 4 slices x 8 planes = 32 passes, each ceil(1/1) * ceil(1/2) * 1 group *
    // ceil(2/4) * ceil(1/3) * R 1 * S 2 = 2 trips on this 4x3x2x1 array: 64 trips.
    OpenClRunner& runner = runner_for(ternary2);
    const ref::Weights w{2, 1, 1, 2, WeightKind::int8, {-100, 37, 100, -37}};
    const std::vector<std::int32_t> bias{5, 5};
    const ref::Requant q{1, 8};
    const ref::ConvGeometry g{};
    const ref::ActFormat wide{8, true}, relu2{2, false};
    struct Case {
        ref::Tensor in;
        ref::ActFormat fmt;
        std::vector<std::int64_t> wide_out, relu_out;
    };
    for (const Case& c : {Case{tensor(1, 1, 2, {200, 57}), {8, false}, {-70, 70}, {0, 3}},
                          Case{tensor(1, 1, 2, {-56, 100}), {8, true}, {36, -36}, {3, 0}}}) {
        SCOPED_TRACE(c.fmt.is_signed ? "signed input" : "unsigned input");
        KernelStats st;
        EXPECT_EQ(conv_bit_sliced(runner, c.in, c.fmt, w, bias, g, q, wide, &st).values,
                  c.wide_out);
        EXPECT_EQ(st.trip_count, 64u);
        EXPECT_EQ(conv_bit_sliced(runner, c.in, c.fmt, w, bias, g, q, relu2, &st).values,
                  c.relu_out);
        EXPECT_EQ(st.trip_count, 64u);
        // The reference agrees with the hand-worked numbers at the layer's precision.
        EXPECT_EQ(ref::requantise(ref::conv_accumulate(c.in, w, bias, g), q, wide).values,
                  c.wide_out);
    }
}

// conv1-like: 3 channels of 9x9, 5 filters of 3x3 at stride 2, padding 1: 5x5 outputs.
Network conv1_network() {
    return network(3, 9, 9,
                   nlohmann::json::array({{{"name", "conv1"},
                                           {"type", "conv"},
                                           {"input", "data"},
                                           {"out_channels", 5},
                                           {"kernel", {3, 3}},
                                           {"stride", {2, 2}},
                                           {"pad", {1, 1}}}}));
}

// Runs the layer sliced on `a` into the array's ReLU format and into a wide signed 8-bit one
// (which shows accumulation errors the 2-bit output would saturate away); both must equal the
// reference at the layer's precision, with `trips` trips.
void expect_conv1_exact(const ArchConfig& a, const ref::ActFormat& in_fmt, WeightKind kind,
                        int passes, std::int64_t trips, std::uint64_t seed) {
    SCOPED_TRACE(testing::Message() << in_fmt.bits << (in_fmt.is_signed ? "s/" : "u/")
                                    << to_string(kind) << " on " << precision_label(a.precision));
    const Precision layer{in_fmt.bits, kind};
    ASSERT_EQ(bit_slice_passes(layer, a.precision), passes);
    const PlannedLayer planned = plan_network(conv1_network(), false).layers.at(0);
    ASSERT_EQ(trips, passes * conv_loop_iterations(planned, a, false));
    // And through the model's own path: the layer's precision as the configuration's first_last
    // (loop_choices, as `lpdla run` and `estimate` take it), direct like the kernel here.
    ArchConfig m = a;
    m.fold_strides = false;
    m.first_last = layer;
    const auto model = loop_choices(plan_network(conv1_network(), false), m);
    ASSERT_EQ(model.at(0).passes, passes);
    ASSERT_EQ(model.at(0).loop_iterations, trips);

    ref::Rng rng(seed);
    const ref::Tensor in = ref::random_tensor(3, 9, 9, in_fmt, rng);
    const ref::Weights w = ref::random_weights(5, 3, 3, 3, kind, rng);
    const auto bias = ref::random_bias(5, 300, rng);
    const ref::ConvGeometry g{2, 2, 1, 1, 1};
    const ref::Tensor acc = ref::conv_accumulate(in, w, bias, g);
    for (const ref::ActFormat out_fmt :
         {ref::ActFormat{a.precision.act_bits, false}, ref::ActFormat{8, true}}) {
        const ref::Requant q = ref::choose_requant(acc, out_fmt);
        const ref::Tensor expected = ref::requantise(acc, q, out_fmt);
        KernelStats st;
        const ref::Tensor got =
            conv_bit_sliced(runner_for(a), in, in_fmt, w, bias, g, q, out_fmt, &st);
        EXPECT_EQ(ref::count_mismatches(expected, got), 0)
            << "output " << out_fmt.bits << " bits, " << expected.values.size() << " values";
        EXPECT_EQ(std::int64_t(st.trip_count), trips);
    }
}

// Per pass on the 4x3x2x1 arrays: ceil(5/1) * ceil(5/2) * 1 * ceil(5/4) * ceil(3/3) * 3*3 =
// 5 * 3 * 2 * 1 * 9 = 270 trips.
TEST(BitSlicedConv, Conv1Int8OnTernaryArrayIs32Passes) {
    // 4 slices x 8 planes = 32 passes: 32 * 270 = 8640.
    expect_conv1_exact(ternary2, {8, false}, WeightKind::int8, 32, 8640, 11);
    expect_conv1_exact(ternary2, {8, true}, WeightKind::int8, 32, 8640, 12);
}

TEST(BitSlicedConv, Conv1Int8OnInt2ArrayIs28Passes) {
    // 4 slices x 7 planes (six 1-bit digits and a 2-bit top) = 28 passes: 28 * 270 = 7560.
    expect_conv1_exact(int2_2, {8, false}, WeightKind::int8, 28, 7560, 13);
    expect_conv1_exact(int2_2, {8, true}, WeightKind::int8, 28, 7560, 14);
}

TEST(BitSlicedConv, Conv1Int8OnInt4ArrayIs6Passes) {
    // 2 slices x 3 planes (3-bit digits at shifts 0, 3 and a 4-bit top at 6) = 6 passes. Per
    // pass on the 3x4x3x2 array: ceil(5/2) * ceil(5/3) * ceil(5/3) * ceil(3/4) * 9 =
    // 3 * 2 * 2 * 1 * 9 = 108 trips: 6 * 108 = 648.
    expect_conv1_exact(int4_4, {8, false}, WeightKind::int8, 6, 648, 15);
    expect_conv1_exact(int4_4, {8, true}, WeightKind::int8, 6, 648, 16);
}

TEST(BitSlicedConv, EightBitTernaryLayerOnTernaryArrayIs4Passes) {
    // Ternary weights run as they are; only the activations slice: 4 passes, 4 * 270 = 1080.
    expect_conv1_exact(ternary2, {8, false}, WeightKind::ternary, 4, 1080, 17);
    expect_conv1_exact(ternary2, {8, true}, WeightKind::ternary, 4, 1080, 18);
}

TEST(BitSlicedConv, LastFcLayerAt8BitsOnTernaryArray) {
    // The other layer networks keep wide: an 8/int8 FC (20 features -> 6) over a batch of
    // fc_batch = 5 images, run as the kernels run FC: a 1x1 conv over one row of 5 pixels.
    // Per pass on the 4x3x2x1 array: 1 * ceil(5/2) * 1 * ceil(6/4) * ceil(20/3) * 1 =
    // 3 * 2 * 7 = 42 trips; 32 passes: 1344.
    const ArchConfig& a = ternary2;
    const Network net =
        network(20, 1, 1,
                nlohmann::json::array(
                    {{{"name", "fc"}, {"type", "fc"}, {"input", "data"}, {"out_features", 6}}}));
    const PlannedLayer planned = plan_network(net, false).layers.at(0);
    const std::int64_t passes = bit_slice_passes({8, WeightKind::int8}, a.precision);
    EXPECT_EQ(passes * conv_loop_iterations(planned, a, false), 1344);
    ArchConfig m = a;
    m.first_last = Precision{8, WeightKind::int8};
    const auto model = loop_choices(plan_network(net, false), m);
    EXPECT_EQ(model.at(0).loop_iterations, 1344);
    EXPECT_EQ(model.at(0).passes, 32);
    ref::Rng rng(19);
    for (const ref::ActFormat in_fmt : {ref::ActFormat{8, false}, ref::ActFormat{8, true}}) {
        const ref::Tensor in = ref::random_tensor(20, 1, a.fc_batch, in_fmt, rng);
        const ref::Weights w = ref::random_weights(6, 20, 1, 1, WeightKind::int8, rng);
        const auto bias = ref::random_bias(6, 300, rng);
        const ref::Tensor acc = ref::conv_accumulate(in, w, bias, {});
        const ref::ActFormat out_fmt{8, true}; // logits: signed, no ReLU
        const ref::Requant q = ref::choose_requant(acc, out_fmt);
        KernelStats st;
        const ref::Tensor got =
            conv_bit_sliced(runner_for(a), in, in_fmt, w, bias, {}, q, out_fmt, &st);
        EXPECT_EQ(ref::count_mismatches(ref::requantise(acc, q, out_fmt), got), 0);
        EXPECT_EQ(st.trip_count, 1344u);
    }
}

TEST(BitSlicedConv, NarrowLayerWritesPlanesAWideConsumerReads) {
    // A 2/ternary layer whose consumer is an 8-bit layer: its output is requantised into 8 bits
    // and stored as four 2-bit planes. The planes must add back (plane j times 4^j, the top one
    // signed for a signed output) to the reference output in 8 bits, and each must be the slice
    // the consumer's passes read. Then the consumer (8/int8, 5 filters of 3x3, padding 1) runs
    // straight from those planes: slice j of its passes is plane j, with no host re-slicing.
    OpenClRunner& runner = runner_for(ternary2);
    ref::Rng rng(21);
    const ref::ActFormat narrow{2, false};
    const ref::Tensor in = ref::random_tensor(4, 6, 6, narrow, rng);
    const ref::Weights w = ref::random_weights(6, 4, 3, 3, WeightKind::ternary, rng);
    const auto bias = ref::random_bias(6, 4, rng);
    const ref::ConvGeometry pad1{1, 1, 1, 1, 1};
    const ref::Tensor acc = ref::conv_accumulate(in, w, bias, pad1);
    for (const ref::ActFormat wide : {ref::ActFormat{8, false}, ref::ActFormat{8, true}}) {
        SCOPED_TRACE(wide.is_signed ? "signed 8-bit output" : "unsigned 8-bit output");
        // Accumulators of 36 taps of 0..3 times -1..1 spread over about +-30: times 7 they
        // reach every plane (and saturate now and then), with all bits in use, unlike a power
        // of two.
        const ref::Requant q{7, 0};
        const ref::Tensor expected = ref::requantise(acc, q, wide);
        KernelStats st;
        const auto planes = conv_bit_sliced_planes(runner, in, narrow, w, bias, pad1, q, wide, &st);
        ASSERT_EQ(planes.size(), 4u);
        // One pass of the narrow layer: ceil(6/1) * ceil(6/2) * ceil(6/4) * ceil(4/3) * 9 =
        // 6 * 3 * 2 * 2 * 9 = 648 trips.
        EXPECT_EQ(st.trip_count, 648u);
        std::vector<std::int64_t> sum(expected.values.size(), 0);
        for (int j = 0; j < 4; ++j) {
            for (std::size_t i = 0; i < sum.size(); ++i) {
                const std::int64_t p = planes[std::size_t(j)].values[i];
                EXPECT_GE(p, j == 3 && wide.is_signed ? -2 : 0);
                EXPECT_LE(p, j == 3 && wide.is_signed ? 1 : 3);
                sum[i] += p << (2 * j);
            }
            EXPECT_EQ(planes[std::size_t(j)].values,
                      ref::activation_slice(expected, wide, 2, j).values)
                << "plane " << j;
        }
        EXPECT_EQ(sum, expected.values);
        std::int64_t distinct_high = 0; // the planes above the first carry information
        for (auto v : expected.values) distinct_high += (v > 3 || v < 0);
        EXPECT_GT(distinct_high, std::int64_t(expected.values.size()) / 4);

        const ref::Weights w2 = ref::random_weights(5, 6, 3, 3, WeightKind::int8, rng);
        const auto bias2 = ref::random_bias(5, 300, rng);
        const ref::Tensor acc2 = ref::conv_accumulate(expected, w2, bias2, pad1);
        const ref::Requant q2 = ref::choose_requant(acc2, wide);
        std::vector<ConvPass> passes;
        for (int s = 0; s < 4; ++s)
            for (int p = 0; p < 8; ++p)
                passes.push_back({planes[std::size_t(s)], ref::activation_slice_format(wide, 2, s),
                                  ref::weight_plane(w2, WeightKind::ternary, p),
                                  bit_slice_shift(s, p, 2, WeightKind::ternary)});
        const auto out2 = runner.conv_passes(passes, bias2, pad1, q2, wide, &st);
        EXPECT_EQ(ref::count_mismatches(ref::requantise(acc2, q2, wide),
                                        ref::combine_activation_slices(out2, wide, 2)),
                  0);
        // 32 passes of ceil(6/1) * ceil(6/2) * ceil(5/4) * ceil(6/3) * 9 = 6*3*2*2*9 = 648.
        EXPECT_EQ(st.trip_count, 32u * 648u);
    }
}

TEST(BitSlicedConv, ArraysThatCannotSliceRefuseWithTheModelsReason) {
    const ref::ActFormat in_fmt{8, false};
    ref::Rng rng(5);
    const ref::Tensor in = ref::random_tensor(3, 4, 4, in_fmt, rng);
    const ref::Weights w = ref::random_weights(2, 3, 3, 3, WeightKind::int8, rng);
    // Configurations other kernel tests build: 1/binary (XNOR) and 4/binary.
    for (const ArchConfig& a :
         {arch(4, 3, 2, 1, 1, WeightKind::binary), arch(3, 4, 3, 2, 4, WeightKind::binary)}) {
        const std::string reason = bit_slice_problem({8, WeightKind::int8}, a.precision);
        ASSERT_FALSE(reason.empty());
        SCOPED_TRACE(reason);
        try {
            conv_bit_sliced(runner_for(a), in, in_fmt, w, {}, {}, {1, 0},
                            {a.precision.act_bits, false}, nullptr);
            FAIL() << "ran on " << precision_label(a.precision);
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::bad_input);
            EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
        }
    }
    // The 1-bit array fails on its activations, the 4-bit one on its weights.
    EXPECT_NE(
        bit_slice_problem({8, WeightKind::int8}, {1, WeightKind::binary}).find("1-bit activations"),
        std::string::npos);
    EXPECT_NE(
        bit_slice_problem({8, WeightKind::int8}, {4, WeightKind::binary}).find("no zero digit"),
        std::string::npos);
}

TEST(BitSlicedConv, PartialSumsThatCouldLeaveInt32AreRefused) {
    // 8-bit unsigned slices and int8 digits on 2/ternary: the passes bank at most
    // Cg*R*S * (3 * (1 + 4 + 16 + 64)) * (1 * (1 + 2 + ... + 64) + 128) = taps * 255 * 255.
    // 2^31 / 65025 = 33025.6, so 3 x 3 taps over 3672 channels (33048 taps) may overflow.
    const ref::ActFormat in_fmt{8, false};
    const ref::Tensor in(3672, 3, 3);
    const ref::Weights w{
        1, 3672, 3, 3, WeightKind::int8, std::vector<std::int64_t>(std::size_t(3672) * 9, 0)};
    try {
        conv_bit_sliced(runner_for(ternary2), in, in_fmt, w, {}, {}, {1, 0}, {2, false}, nullptr);
        FAIL() << "a possible int32 overflow ran";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("int32"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace lpdla::test
