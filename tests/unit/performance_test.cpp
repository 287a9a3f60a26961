// Cycle model: a small conv layer's loop iterations and cycles worked by hand.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/performance.h"
#include "test_support.h"

namespace lpdla {
namespace {

// One conv layer: C x 7 x 7 input, K outputs, 3x3, stride 1, pad 1 -> K x 7 x 7.
Network one_conv(int c, int k, int hw) {
    const nlohmann::json doc = {
        {"schema", "lpdla.network/1"},
        {"name", "one_conv"},
        {"input", {{"name", "data"}, {"channels", c}, {"height", hw}, {"width", hw}}},
        {"layers",
         {{{"name", "conv"},
           {"type", "conv"},
           {"input", "data"},
           {"out_channels", k},
           {"kernel", {3, 3}},
           {"stride", {1, 1}},
           {"pad", {1, 1}}}}}};
    return parse_network(doc, "one_conv.json");
}

ArchConfig arch(int k, int c, int q, int lanes, Precision p) {
    ArchConfig a;
    a.k_vec = k;
    a.c_vec = c;
    a.q_vec = q;
    a.lanes = lanes;
    a.precision = p;
    a.fmax_mhz = 200;
    a.ddr_gbps = 1000; // so the layer is compute-bound and cycles are the loop nest's
    return a;
}

TEST(Performance, ConvCyclesWhenVectorsDoNotDivide) {
    // C=5, K=6, 7x7 outputs; k_vec 4, c_vec 2, q_vec 3, lanes 2, direct (8/int8):
    // ceil(7/2)=4 rows x ceil(7/3)=3 column groups x ceil(6/4)=2 x ceil(5/2)=3 x 3 x 3 = 648.
    const Network n = one_conv(5, 6, 7);
    const Estimate e = estimate(test::device_with_fixed_timing("arria10_gx1150"), n,
                                arch(4, 2, 3, 2, {8, WeightKind::int8}));
    ASSERT_EQ(e.layers.size(), 1u);
    EXPECT_EQ(e.layers[0].loop_iterations, 648);
    // fill/drain = 2 x k_vec 4 (stick in, results out through the chain) + ceil(log2(c_vec 2))
    // = 1 tree level + accumulator 2 + requantise 6 = 17.
    const CycleBreakdown& c = e.layers[0].cycles;
    EXPECT_DOUBLE_EQ(c.compute, 648);
    EXPECT_DOUBLE_EQ(c.fill_drain, 17);
    // control = 1 % of the busy 665 cycles.
    EXPECT_DOUBLE_EQ(c.control, 6.65);
    // The only compute layer prefetches its filters while the previous image's run of itself
    // (648 cycles) goes on: 6 x 5 x 9 bytes at 4000 bytes/cycle hide completely.
    EXPECT_DOUBLE_EQ(c.filter_load, 0);
    EXPECT_DOUBLE_EQ(c.memory_stall, 0);
    EXPECT_DOUBLE_EQ(c.calibrated, 0);
    EXPECT_DOUBLE_EQ(e.layers[0].cycles_per_image, 671.65);
    EXPECT_EQ(e.layers[0].bound, Bound::compute);
    // 5*6*49*9 = 13,230 MACs over 671.65 cycles at a peak of 4*2*3*2 = 48 MACs/cycle.
    EXPECT_EQ(e.layers[0].macs, 13'230);
    EXPECT_NEAR(e.layers[0].utilisation, 13'230.0 / (671.65 * 48.0), 1e-12);
    EXPECT_NEAR(e.totals.images_per_s, 200e6 / 671.65, 1e-6);
}

TEST(Performance, ConvCyclesWhenVectorsDivideAndWithWinograd) {
    // C=8, K=8, 8x8: k 4, c 4, q 4, lanes 2: 4 x 2 x 2 x 2 x 3 x 3 = 288 direct.
    const Network n = one_conv(8, 8, 8);
    const Device d = test::device("arria10_gx1150");
    const Estimate direct = estimate(d, n, arch(4, 4, 4, 2, {8, WeightKind::int8}));
    EXPECT_EQ(direct.layers[0].loop_iterations, 288);
    EXPECT_FALSE(direct.layers[0].winograd);
    // 16/int16 runs F(4,3): the S=3 factor goes, 4 x 2 x 2 x 2 x 3 = 96.
    const Estimate wino = estimate(d, n, arch(4, 4, 4, 2, {16, WeightKind::int16}));
    EXPECT_TRUE(wino.layers[0].winograd);
    EXPECT_EQ(wino.layers[0].loop_iterations, 96);
    // All work is useful here: 8*8*64*9 MACs = 36,864 = 96 iterations x 4*4*4*2*3 MACs.
    EXPECT_EQ(96 * 4 * 4 * 4 * 2 * 3, 36'864);
}

TEST(Performance, MemoryBoundWhenBandwidthIsTiny) {
    // 8x8x8 int8 conv: 8*8*9 weights = 576 bytes; maps fit on chip; image 512 bytes read.
    const Network n = one_conv(8, 8, 8);
    const Device d = test::device("arria10_gx1150");
    ArchConfig a = arch(4, 4, 4, 2, {8, WeightKind::int8});
    a.ddr_gbps = 0.001; // 1 MB/s; at 200 MHz and efficiency e: bytes/cycle = 1e3*0.001*e/200
    const Estimate e = estimate(d, n, a);
    const double bytes = 576 + 512;
    const double eff = d.board.ddr_efficiency;
    EXPECT_DOUBLE_EQ(e.layers[0].ddr_bytes_per_image, bytes);
    EXPECT_NEAR(e.layers[0].memory_cycles, bytes / (1e3 * 0.001 * eff / 200), 1e-6);
    EXPECT_EQ(e.layers[0].bound, Bound::memory);
}

TEST(Performance, FcRunsAsOneByOneConvOverTheBatch) {
    // AlexNet fc6: 9216 -> 4096; k 32, c 16, q 4, batch 32: ceil(32/4) x ceil(4096/32) x
    // ceil(9216/16) = 8 x 128 x 576 = 589,824 iterations per batch.
    const Network n = test::network("alexnet");
    const Device d = test::device("arria10_gx1150");
    ArchConfig a = arch(32, 16, 4, 1, {8, WeightKind::int8});
    a.fc_batch = 32;
    const Estimate e = estimate(d, n, a);
    const auto& fc6 = e.layers[n.find("fc6")];
    EXPECT_EQ(fc6.loop_iterations, 589'824);
    // Weights stream once per batch: 37,748,736 bytes / 32 images.
    EXPECT_DOUBLE_EQ(fc6.ddr_bytes_per_image, 37'748'736.0 / 32);
}

TEST(Performance, MergedPlanGivesTheSameTotals) {
    const Network n = test::network("resnet34");
    const Device d = test::device("stratix10_gx2800");
    const ArchConfig a = resolve_arch(arch(32, 16, 4, 2, {4, WeightKind::ternary}), d);
    const PerfTotals full = evaluate_plan(plan_network(n, false), a, d);
    const NetworkPlan merged = plan_network(n, true);
    EXPECT_LT(merged.layers.size(), n.layers.size() / 2);
    const PerfTotals fast = evaluate_plan(merged, a, d);
    EXPECT_NEAR(fast.images_per_s, full.images_per_s, 1e-9 * full.images_per_s);
    EXPECT_NEAR(fast.ddr_bytes_per_image, full.ddr_bytes_per_image, 1e-6);
}

} // namespace
} // namespace lpdla
