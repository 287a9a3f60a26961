// The library boundary of the reference and the runner: a value outside the range of its
// declared bits is an error naming its index and the range (the packing would otherwise
// truncate it into another number), and a missing bias means a zero bias in both.
#include <string>

#include "kernel_test_support.h"
#include "lpdla/kernels/reference.h"

namespace lpdla::test {
namespace {

// The message of the lpdla::Error `f` throws ("" if it throws none).
template <class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

ref::Tensor tensor(int c, int h, int w, std::vector<std::int64_t> values) {
    ref::Tensor t(c, h, w);
    t.values = std::move(values);
    return t;
}

TEST(Boundary, PackingSignedEightBitRejectsValuesOutsideMinus128To127) {
    // Truncated to 8 bits, 200 would come back as -56 and -132 as 124.
    const auto t = tensor(2, 1, 1, {200, -132});
    const std::string msg = error_of([&] { ref::pack_activations(t, {8, true}); });
    EXPECT_HAS(msg, "value 200 at index 0");
    EXPECT_HAS(msg, "-128..127");
    // The extremes themselves pack: 127 = 0x7F in bits 0-7, -128 = 0x80 in bits 8-15.
    const auto words = ref::pack_activations(tensor(2, 1, 1, {127, -128}), {8, true});
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0], 0x807Fu);
}

TEST(Boundary, PackingNamesTheIndexOfALaterValueAndTheUnsignedRange) {
    // CHW index 5 of a 2x2x2 tensor is channel 1, row 0, column 1.
    const auto t = tensor(2, 2, 2, {0, 15, 3, 7, 1, 16, 2, 2});
    const std::string msg = error_of([&] { ref::pack_activations(t, {4, false}); });
    EXPECT_HAS(msg, "value 16 at index 5 (channel 1, row 0, column 1)");
    EXPECT_HAS(msg, "unsigned 4-bit");
    EXPECT_HAS(msg, "0..15");
    EXPECT_HAS(error_of([&] {
                   ref::pack_activations(tensor(1, 1, 2, {-1, -1}), {4, false});
               }),
               "value -1 at index 0");
}

TEST(Boundary, BinaryActivationsAreMinusOneOrPlusOneOnly) {
    // 0 has no 1-bit code: it would be stored as -1.
    const std::string msg = error_of([&] {
        ref::pack_activations(tensor(3, 1, 1, {1, -1, 0}), {1, false});
    });
    EXPECT_HAS(msg, "value 0 at index 2");
    EXPECT_HAS(msg, "-1 or +1");
}

TEST(Boundary, PackingWeightsChecksTheirKindsRange) {
    ref::Weights w{2, 2, 1, 1, WeightKind::ternary, {1, 0, -1, 2}};
    std::string msg = error_of([&] { ref::pack_weights(w); });
    EXPECT_HAS(msg, "weight 2 at index 3");
    EXPECT_HAS(msg, "-1..1");
    w.kind = WeightKind::int4;
    w.values = {-9, 0, 7, -8};
    msg = error_of([&] { ref::pack_weights(w); });
    EXPECT_HAS(msg, "weight -9 at index 0");
    EXPECT_HAS(msg, "-8..7");
    w.kind = WeightKind::binary;
    w.values = {1, -1, 0, 1};
    EXPECT_HAS(error_of([&] { ref::pack_weights(w); }), "weight 0 at index 2");
    w.values = {1, -1, 1};
    EXPECT_HAS(error_of([&] { ref::pack_weights(w); }), "hold 4 values, not 3");
}

// A 1x1 conv of one input channel into two outputs over a 1x2 image: out[k] = w[k] * in + b[k].
struct TinyConv {
    ref::Tensor in = tensor(1, 1, 2, {3, 5});
    ref::Weights w{2, 1, 1, 1, WeightKind::int8, {2, -1}};
};

TEST(Boundary, ReferenceConvTakesNoBiasAsZeroAndRejectsAWrongCount) {
    const TinyConv c;
    const auto none = ref::conv_accumulate(c.in, c.w, {}, {});
    EXPECT_EQ(none.values, (std::vector<std::int64_t>{6, 10, -3, -5}));
    const auto biased = ref::conv_accumulate(c.in, c.w, {10, 20}, {});
    EXPECT_EQ(biased.values, (std::vector<std::int64_t>{16, 20, 17, 15}));
    const std::string msg = error_of([&] { ref::conv_accumulate(c.in, c.w, {1, 2, 3}, {}); });
    EXPECT_HAS(msg, "3 bias values for 2 output channels");
    ref::Weights bad = c.w;
    bad.values = {2, 128};
    EXPECT_HAS(error_of([&] { ref::conv_accumulate(c.in, bad, {}, {}); }), "weight 128 at index 1");
}

TEST(Boundary, RunnerIdentityRejectsAValueItsBitsCannotHold) {
    // Packed into 8 bits, 300 would come back as 44.
    auto& runner = runner_for(arch(4, 4, 2, 1, 8, WeightKind::int8));
    const std::string msg = error_of([&] {
        runner.identity(tensor(2, 1, 1, {300, 5}), {8, false}, nullptr);
    });
    EXPECT_HAS(msg, "value 300 at index 0");
    EXPECT_HAS(msg, "0..255");
    const auto same = runner.identity(tensor(2, 1, 1, {255, 5}), {8, false}, nullptr);
    EXPECT_EQ(same.values, (std::vector<std::int64_t>{255, 5}));
}

TEST(Boundary, RunnerConvTreatsNoBiasAsZeroLikeTheReference) {
    auto& runner = runner_for(arch(4, 4, 2, 1, 8, WeightKind::int8));
    const TinyConv c;
    const ref::ActFormat fmt{8, true};
    // scale 1, shift 0: the outputs are the accumulators, saturated to -128..127.
    const ref::Requant q{1, 0};
    const auto none = runner.conv(c.in, fmt, c.w, {}, {}, q, fmt, nullptr);
    EXPECT_EQ(none.values, (std::vector<std::int64_t>{6, 10, -3, -5}));
    const auto zero = runner.conv(c.in, fmt, c.w, {0, 0}, {}, q, fmt, nullptr);
    EXPECT_EQ(zero.values, none.values);
    const auto biased = runner.conv(c.in, fmt, c.w, {10, 20}, {}, q, fmt, nullptr);
    EXPECT_EQ(biased.values, (std::vector<std::int64_t>{16, 20, 17, 15}));
    const std::string msg = error_of([&] {
        runner.conv(c.in, fmt, c.w, {1, 2, 3}, {}, q, fmt, nullptr);
    });
    EXPECT_HAS(msg, "3 bias values for 2 output channels");
    EXPECT_HAS(error_of([&] {
                   runner.conv(tensor(1, 1, 2, {3, 128}), fmt, c.w, {}, {}, q, fmt, nullptr);
               }),
               "value 128 at index 1");
}

} // namespace
} // namespace lpdla::test
