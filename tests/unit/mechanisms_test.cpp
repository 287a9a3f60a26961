// Model v2's named mechanisms around the loop nest, each on a network small enough to work by
// hand: fused aux layers that do and do not throttle their producer, a separate aux pass, an
// exposed filter load with a memory stall, and stream-buffer sizing with a residual shortcut.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/performance.h"
#include "test_support.h"

namespace lpdla {
namespace {

using nlohmann::json;

json conv(const char* name, const char* input, int k, int r, int pad) {
    return {{"name", name},     {"type", "conv"},   {"input", input},   {"out_channels", k},
            {"kernel", {r, r}}, {"stride", {1, 1}}, {"pad", {pad, pad}}};
}

json pool(const char* name, const char* input, int r, int stride) {
    return {{"name", name},     {"type", "maxpool"},          {"input", input},
            {"kernel", {r, r}}, {"stride", {stride, stride}}, {"pad", {0, 0}}};
}

Network net(json layers) {
    const json doc = {{"schema", "lpdla.network/1"},
                      {"name", "hand"},
                      {"input", {{"name", "data"}, {"channels", 4}, {"height", 8}, {"width", 8}}},
                      {"layers", layers}};
    return parse_network(doc, "hand.json");
}

Device device() {
    return test::device_with_fixed_timing("arria10_gx1150");
}

// k_vec 8, c_vec 4, q_vec 4, 1 lane, 8/int8 direct, 200 MHz.
ArchConfig config(double ddr_gbps = 1000) {
    ArchConfig a;
    a.k_vec = 8;
    a.c_vec = 4;
    a.q_vec = 4;
    a.lanes = 1;
    a.precision = {8, WeightKind::int8};
    a.mac_impl = MacImpl::dsp;
    a.fmax_mhz = 200;
    a.ddr_gbps = ddr_gbps;
    return a;
}

TEST(Mechanisms, FusedPoolThatKeepsUpCostsOnlyItsPipeline) {
    // conv 1x1, 4 -> 8 channels on 8x8: 8 rows x ceil(8/4) x ceil(8/8) x ceil(4/4) = 16 loops.
    // maxpool 2x2/2 -> 4x4: ceil(4/1) x 4 x ceil(8/8) = 16 outputs a channel group: not slower.
    const Estimate e =
        estimate(device(), net({conv("c", "data", 8, 1, 0), pool("p", "c", 2, 2)}), config());
    EXPECT_EQ(e.layers[0].loop_iterations, 16);
    EXPECT_EQ(e.layers[1].loop_iterations, 16);
    EXPECT_EQ(e.layers[1].aux_mode, AuxMode::fused);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles.compute, 0);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles.fill_drain, 16);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles.control, 0); // no pass of its own to sequence
    EXPECT_DOUBLE_EQ(e.layers[1].cycles_per_image, 16);
    EXPECT_EQ(e.layers[1].bound, Bound::fused);
}

TEST(Mechanisms, FusedPoolThatIsSlowerThrottlesItsProducer) {
    // maxpool 1x1/1 keeps 8x8: 8 x 8 x 1 = 64 aux loops against the conv's 16: 48 exposed.
    const Estimate e =
        estimate(device(), net({conv("c", "data", 8, 1, 0), pool("p", "c", 1, 1)}), config());
    EXPECT_EQ(e.layers[1].loop_iterations, 64);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles.compute, 48);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles_per_image, 48 + 16);
    EXPECT_EQ(e.layers[1].bound, Bound::compute);
    // Behind a 3x3 conv (16 x 9 = 144 loops) the same pool keeps up.
    const Estimate slow_conv =
        estimate(device(), net({conv("c", "data", 8, 3, 1), pool("p", "c", 1, 1)}), config());
    EXPECT_EQ(slow_conv.layers[0].loop_iterations, 144);
    EXPECT_DOUBLE_EQ(slow_conv.layers[1].cycles.compute, 0);
}

TEST(Mechanisms, PoolOnTheImageIsASeparatePass) {
    // Nothing streams into a pool that reads the image: its own pass, 16 loops (4 channels on
    // k_vec 8: one group), its pipeline, and 1 % control: (16 + 16) x 1.01 = 32.32.
    const Estimate e =
        estimate(device(), net({pool("p", "data", 2, 2), conv("c", "p", 8, 1, 0)}), config());
    EXPECT_EQ(e.layers[0].aux_mode, AuxMode::separate_pass);
    EXPECT_EQ(e.layers[0].blocker, FusionBlocker::producer_not_compute);
    EXPECT_DOUBLE_EQ(e.layers[0].cycles.compute, 16);
    EXPECT_DOUBLE_EQ(e.layers[0].cycles_per_image, 32.32);
}

TEST(Mechanisms, FirstFilterLoadNotHiddenByThePreviousLayerIsExposed) {
    // 1 GB/s x 0.8 efficiency at 200 MHz = 4 bytes a cycle.
    // conv a: 1x1, 4 -> 8: 16 loops; conv b: 3x3 pad 1, 8 -> 16: 8 x 2 x 2 x 2 x 9 = 576 loops.
    // b's first k_vec block, 8 filters x 8 x 9 int8 weights = 576 bytes = 144 cycles, loads
    // while a runs 16 loops: 128 exposed. a's first block (8 x 4 = 32 bytes, 8 cycles) loads
    // while the previous image's b runs: hidden.
    const Device d = device();
    const Estimate e =
        estimate(d, net({conv("a", "data", 8, 1, 0), conv("b", "a", 16, 3, 1)}), config(1.0));
    ASSERT_DOUBLE_EQ(d.board.ddr_efficiency, 0.8);
    EXPECT_EQ(e.layers[1].loop_iterations, 576);
    EXPECT_DOUBLE_EQ(e.layers[1].cycles.filter_load, 128);
    EXPECT_DOUBLE_EQ(e.layers[0].cycles.filter_load, 0);
    // a reads 32 weight bytes and the 256-byte image: 72 cycles of DDR against a busy
    // 16 + fill (2 x 8 + 2 + 2 + 6 = 26) + control 0.42 = 42.42: a 29.58-cycle memory stall.
    EXPECT_DOUBLE_EQ(e.layers[0].cycles.fill_drain, 26);
    EXPECT_NEAR(e.layers[0].cycles.memory_stall, 72 - 42.42, 1e-9);
    EXPECT_EQ(e.layers[0].bound, Bound::memory);
}

TEST(Mechanisms, StreamBufferHoldsTheResidualShortcut) {
    // data -> a (3x3, 8 ch) -> b (3x3, 8 ch) -> add(b, a) -> c (1x1, 8 ch).
    // a's output (8x8x8 = 512) is read by b and by the add: stored until the add.
    // b's output streams into the fused add: never stored. The add's output is read by c:
    // stored. Live: at a 512, at b 512, at the add 512 + 512 = 1024, at c 512 (c's output has
    // no reader). At 8 bits: 8,192 bits = 1 KiB.
    json layers = {conv("a", "data", 8, 3, 1),
                   conv("b", "a", 8, 3, 1),
                   {{"name", "add"}, {"type", "add"}, {"inputs", {"b", "a"}}},
                   conv("c", "add", 8, 1, 0)};
    const Network n = net(layers);
    const NetworkPlan plan = plan_network(n, false);
    EXPECT_EQ(plan.conv_live_elements, 1024);
    EXPECT_EQ(plan.layers[2].aux_mode, AuxMode::fused);
    const ArchConfig r = resolve_arch(config(), device());
    EXPECT_EQ(stream_buffer_bits_needed(plan, r), 8192);
    const Estimate e = estimate(device(), n, config());
    EXPECT_EQ(e.arch.stream_buffer_kib, 1);
    for (const auto& l : e.layers) EXPECT_FALSE(l.spilled);
    // Deepest filter: b's ceil(8 / c_vec 4) x 3 x 3 = 18 words per PE.
    EXPECT_EQ(e.arch.filter_cache_depth, 18);
}

TEST(Mechanisms, LatencyAtBatchOneStreamsTheFcWeightsPerImage) {
    // conv a (1x1, 4 -> 8 on 8x8) then fc f (512 -> 16), 4 bytes of DDR a cycle, fc_batch 4.
    // a: 16 loops + fill 26 + control 0.42 = 42.42 busy; 32 weight + 256 image bytes = 72
    // cycles of DDR: 72 a image. f: ceil(4/4) x ceil(16/8) x ceil(512/4) = 256 loops whatever
    // the batch (q_vec 4 >= 4 images); its 8,192 weight bytes take 2,048 cycles per invocation.
    // Batched: 72 + 2048 / 4 = 584 cycles an image; one image waits for four to pass a:
    // 4 x 72 + 2048 = 2,336 cycles. Batch 1: 72 + 2048 = 2,120 cycles.
    const json layers = {conv("a", "data", 8, 1, 0),
                         {{"name", "f"}, {"type", "fc"}, {"input", "a"}, {"out_features", 16}}};
    ArchConfig a = config(1.0);
    a.fc_batch = 4;
    const Estimate e = estimate(device(), net(layers), a);
    EXPECT_EQ(e.layers[1].loop_iterations, 256);
    EXPECT_NEAR(e.layers[0].cycles_per_image, 72, 1e-9);
    EXPECT_NEAR(e.layers[1].cycles_per_image, 512, 1e-9);
    EXPECT_NEAR(e.totals.images_per_s, 200e6 / 584, 1e-6);
    EXPECT_NEAR(e.totals.latency_ms_batched, 2336 / 200e3, 1e-12);
    EXPECT_NEAR(e.totals.latency_ms, 2120 / 200e3, 1e-12);
    EXPECT_NEAR(e.totals.images_per_s_batch1, 200e6 / 2120, 1e-6);
}

TEST(Mechanisms, BreakdownSumsToTheLayerCycles) {
    const Network n = test::network("resnet34");
    const Device d = test::device("stratix10_gx2800");
    ArchConfig a = config(0);
    a.fmax_mhz = 0;
    a.precision = {4, WeightKind::ternary};
    a.mac_impl = MacImpl::automatic;
    const Estimate e = estimate(d, n, a);
    double sum = 0;
    for (const auto& l : e.layers) {
        EXPECT_NEAR(l.cycles.total(), l.cycles_per_image, 1e-6 * (1 + l.cycles_per_image));
        sum += l.cycles_per_image;
    }
    EXPECT_NEAR(sum, e.totals.cycles_per_image, 1e-6 * sum);
    EXPECT_NEAR(e.totals.cycles.total(), e.totals.cycles_per_image, 1e-6 * sum);
}

} // namespace
} // namespace lpdla
