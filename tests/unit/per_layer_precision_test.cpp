// Per-layer precision (issue 14): the model's cycles, resources and accuracy keying for layers
// at another precision than the array's, checked against hand-worked numbers.
#include <gtest/gtest.h>

#include <string>

#include "lpdla/error.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/precision_assignment.h"
#include "test_support.h"

namespace lpdla {
namespace {

// AlexNet on Arria 10 with the array k16 c8 q4, one lane, 2/ternary, direct loop nests.
ArchConfig small_ternary_array() {
    ArchConfig a;
    a.k_vec = 16;
    a.c_vec = 8;
    a.q_vec = 4;
    a.lanes = 1;
    a.precision = {2, WeightKind::ternary};
    a.fold_strides = false;
    return a;
}

const LayerPerf& layer(const Estimate& e, const Network& n, const std::string& name) {
    for (const auto& lp : e.layers)
        if (n.layers[std::size_t(lp.layer_index)].name == name) return lp;
    throw Error("no layer " + name);
}

TEST(PerLayerPrecision, EightBitConv1OnATwoBitArrayIsPassesTimesTheLoopNest) {
    const Network n = test::network("alexnet");
    const Device d = test::device_with_fixed_timing("arria10_gx1150");
    ArchConfig a = small_ternary_array();
    a.first_last = Precision{8, WeightKind::int8};
    const Estimate e = estimate(d, n, a);
    // conv1: 96 filters of 3 x 11 x 11 at stride 4 over 227 x 227 -> 55 x 55. One pass:
    // ceil(55/1) x ceil(55/4) x ceil(96/16) x ceil(3/8) x 11 x 11 = 55 x 14 x 6 x 1 x 121
    // = 559,020 trips. 8-bit activations on a 2-bit array: 4 slices; int8 weights on ternary
    // digits: 7 unsigned bit planes + a sign plane = 8; 32 passes -> 17,888,640 trips.
    const LayerPerf& conv1 = layer(e, n, "conv1");
    EXPECT_EQ(conv1.passes, 32);
    EXPECT_EQ(conv1.loop_iterations, 17'888'640);
    EXPECT_EQ(conv1.cycles.compute, 17'888'640.0);
    EXPECT_EQ(conv1.precision, (Precision{8, WeightKind::int8}));
    // fc8: 4096 -> 1000 over a batch of 32: ceil(32/4) x ceil(1000/16) x ceil(4096/8)
    // = 8 x 63 x 512 = 258,048 trips a pass, 32 passes -> 8,257,536 per batch.
    const LayerPerf& fc8 = layer(e, n, "fc8");
    EXPECT_EQ(fc8.passes, 32);
    EXPECT_EQ(fc8.loop_iterations, 8'257'536);
    // The layers in between keep the array's precision and one pass; conv2 as without first_last:
    // 27 x 7 x 2 groups x ceil(128/16) x ceil(48/8) x 5 x 5 = 453,600.
    const LayerPerf& conv2 = layer(e, n, "conv2");
    EXPECT_EQ(conv2.passes, 1);
    EXPECT_EQ(conv2.loop_iterations, 453'600);
    EXPECT_EQ(conv2.precision, (Precision{2, WeightKind::ternary}));
    // conv1's filters: 121 words a pass plane, 8 planes -> the filter cache holds 968 words.
    EXPECT_EQ(e.arch.filter_cache_depth, 968);
    // conv1's int8 weights (34,848 bytes) and fc8's (4,096,000 / 32 images) come from DDR at 8
    // bits, not 2: fc8 reads 128,000 bytes an image.
    EXPECT_NEAR(fc8.ddr_bytes_per_image, 4096.0 * 1000 / 32, 1e-6);
}

TEST(PerLayerPrecision, ALayerOverrideWinsOverFirstLast) {
    Network n = test::network("alexnet");
    const LayerPrecisionOverride o[] = {{"conv1", {8, WeightKind::ternary}}};
    apply_layer_precisions(n, o, "test");
    const Device d = test::device_with_fixed_timing("arria10_gx1150");
    ArchConfig a = small_ternary_array();
    a.first_last = Precision{8, WeightKind::int8};
    const Estimate e = estimate(d, n, a);
    // 8/ternary on 2/ternary: 4 activation slices, one weight plane.
    EXPECT_EQ(layer(e, n, "conv1").passes, 4);
    EXPECT_EQ(layer(e, n, "conv1").loop_iterations, 559'020 * 4);
    EXPECT_EQ(layer(e, n, "fc8").passes, 32);
    // A name that is not a conv/fc layer is refused with the valid names.
    const LayerPrecisionOverride bad[] = {{"pool1", {8, WeightKind::int8}}};
    try {
        apply_layer_precisions(n, bad, "--layer-precision");
        FAIL() << "pool1 accepted";
    } catch (const Error& err) {
        EXPECT_NE(std::string(err.what()).find("conv1"), std::string::npos) << err.what();
        EXPECT_NE(std::string(err.what()).find("--layer-precision"), std::string::npos);
    }
}

TEST(PerLayerPrecision, BitSlicingWidensTheAccumulatorsAndAddsTheShifter) {
    const Device d = test::device("arria10_gx1150");
    ArchConfig a = small_ternary_array();
    a.first_last = Precision{8, WeightKind::int8};
    const Estimate e = estimate(d, test::network("alexnet"), a);
    // 8x8-bit products + 14 bits of headroom = 30-bit accumulators (2/ternary alone: 3 + 14).
    // Shifts reach 3 x 2 (slices) + 7 x 1 (planes) = 13: 14 positions, two 4:1 mux levels.
    bool found = false;
    for (const auto& c : e.resources.components)
        if (c.name == "pe_array.accumulators") {
            found = true;
            EXPECT_NE(c.formula.find("of 30 bits"), std::string::npos) << c.formula;
            EXPECT_NE(c.formula.find("2-level"), std::string::npos) << c.formula;
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(e.arch.wide_act_bits, 8);
    EXPECT_EQ(e.arch.wide_weight_bits, 8);
}

TEST(PerLayerPrecision, DspSidePathResourcesByHand) {
    const Device d = test::device("arria10_gx1150");
    const Network n = test::network("alexnet");
    ArchConfig a = small_ternary_array();
    a.first_last = Precision{8, WeightKind::int8};
    a.wide_layers = WideLayerMode::dsp_side_path;
    const Estimate e = estimate(d, n, a);
    const ResourceComponent* pe = nullptr;
    const ResourceComponent* caches = nullptr;
    for (const auto& c : e.resources.components) {
        if (c.name == "side_path.pe_array") pe = &c;
        if (c.name == "side_path.filter_caches") caches = &c;
    }
    ASSERT_TRUE(pe && caches);
    // 16 PEs x 1 lane x 8 x 4 = 512 8x8-bit multipliers; the device's int8_shared_operand mode
    // packs 4 a DSP block -> 128 DSPs, with 7 correction ALMs per multiplier (3,584 ALMs, x 1.1
    // routing) before its adder trees and control.
    EXPECT_EQ(pe->use.dsp, 128);
    EXPECT_GT(pe->use.alm, 3584 * 1.1);
    // Registers: 64 accumulators of 16 + 14 bits (1,920) and the stick, 16 x 8 x (4 + 2) x 8
    // bits (6,144), before the ALMs' own.
    EXPECT_GT(pe->use.registers, 1920 + 6144);
    // conv1 on the side path: ceil(3/8) x 11 x 11 = 121 words of 8 x 8 bits, double-buffered 242
    // deep: one 512 x 40 shape is too narrow, two (80 bits) hold it -> 2 M20K x 16 caches.
    EXPECT_EQ(e.arch.side_filter_cache_depth, 121);
    EXPECT_EQ(caches->use.m20k, 32);
    // conv1 runs once on the side path: the same loop nest as the array's shape (side k/c =
    // array k/c by default), one pass.
    const LayerPerf& conv1 = layer(e, n, "conv1");
    EXPECT_TRUE(conv1.side_path);
    EXPECT_EQ(conv1.passes, 1);
    EXPECT_EQ(conv1.loop_iterations, 559'020);
    // The main array's accumulators stay at the array's width (no slicing).
    for (const auto& c : e.resources.components) {
        if (c.name == "pe_array.accumulators") {
            EXPECT_EQ(c.formula.find("pass shifter"), std::string::npos);
        }
    }
    // The side path costs DSPs that the array alone does not use.
    ArchConfig plain = small_ternary_array();
    const Estimate p = estimate(d, n, plain);
    EXPECT_EQ(e.resources.total.dsp - p.resources.total.dsp, 128);
}

TEST(PerLayerPrecision, ArraysThatCannotSliceAreRefusedNamingTheSidePath) {
    const Device d = test::device("arria10_gx1150");
    ArchConfig a = small_ternary_array();
    a.precision = {1, WeightKind::binary};
    a.first_last = Precision{8, WeightKind::int8};
    try {
        (void)estimate(d, test::network("alexnet"), a);
        FAIL() << "a binary array bit-sliced an 8-bit layer";
    } catch (const Error& err) {
        EXPECT_NE(std::string(err.what()).find("dsp_side_path"), std::string::npos) << err.what();
    }
    a.wide_layers = WideLayerMode::dsp_side_path;
    EXPECT_NO_THROW((void)estimate(d, test::network("alexnet"), a));
}

TEST(PerLayerPrecision, AccuracyIsKeyedByTheWholeAssignment) {
    Network n = test::network("alexnet");
    n.accuracy.clear();
    AccuracyEntry stated; // measured with first/last at FP32
    stated.weights = WeightKind::int2;
    stated.act_bits = 2;
    stated.top1 = 0.57;
    stated.first_last_stated = true;
    stated.first_last = Precision{32, WeightKind::fp32};
    AccuracyEntry unstated = stated; // the source does not say
    unstated.weights = WeightKind::ternary;
    unstated.top1 = 0.49;
    unstated.first_last_stated = false;
    unstated.first_last.reset();
    n.accuracy = {stated, unstated};
    const Precision int2{2, WeightKind::int2}, ternary{2, WeightKind::ternary};
    // The FP32-first/last row is not the accuracy of an all-2-bit or an 8-bit-first/last design.
    EXPECT_FALSE(lookup_accuracy(n, int2, 1.0).has_value());
    EXPECT_FALSE(lookup_accuracy(n, int2, 1.0, Precision{8, WeightKind::int8}).has_value());
    const auto fp32 = lookup_accuracy(n, int2, 1.0, Precision{32, WeightKind::fp32});
    ASSERT_TRUE(fp32.has_value());
    EXPECT_EQ(fp32->top1, 0.57);
    // An unstated row answers any assignment, and says it does not state its treatment.
    const auto any = lookup_accuracy(n, ternary, 1.0, Precision{8, WeightKind::int8});
    ASSERT_TRUE(any.has_value());
    EXPECT_FALSE(any->first_last_stated);
    EXPECT_EQ(describe_first_last(*any), "first/last layers not stated");
    // A stated row is preferred to an unstated one for the same assignment.
    AccuracyEntry same = unstated;
    same.top1 = 0.40;
    same.first_last_stated = true; // "none": at the row's precision like the rest
    n.accuracy.push_back(same);
    EXPECT_EQ(lookup_accuracy(n, ternary, 1.0)->top1, 0.40);
}

} // namespace
} // namespace lpdla
