// What-if knobs of the sweep: DDR bandwidth and FC batch lists as platform variants of each
// device, and the batch-1 latency constraint, checked against the model called directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/constraint_tally.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/estimate.h"
#include "test_support.h"

namespace lpdla {
namespace {

SweepSpec tiny_spec() {
    SweepSpec s = default_sweep_spec();
    s.name = "whatif";
    s.devices = {"arria10_gx1150"};
    s.networks = {"alexnet"};
    s.k_vec = {32, 64};
    s.c_vec = {16, 32};
    s.q_vec = {4};
    s.lanes = {1, 2};
    s.precisions = {parse_precision("2/ternary", "")};
    return s;
}

TEST(WhatIf, PlatformVariantsExpandOncePerValue) {
    SweepSpec s = tiny_spec();
    s.devices = {"arria10_gx1150", "stratix10_gx2800"};
    s.ddr_gbps = {0, 4.8};
    s.fc_batch = {1, 32};
    expand_platform_variants(s);
    const std::vector<std::string> want = {
        "arria10_gx1150@fc1",          "arria10_gx1150@fc32",         "arria10_gx1150@ddr4.8@fc1",
        "arria10_gx1150@ddr4.8@fc32",  "stratix10_gx2800@fc1",        "stratix10_gx2800@fc32",
        "stratix10_gx2800@ddr4.8@fc1", "stratix10_gx2800@ddr4.8@fc32"};
    EXPECT_EQ(s.devices, want);
    SweepSpec again = s;
    expand_platform_variants(again); // labelled names stay as they are
    EXPECT_EQ(again.devices, want);
    const PlatformLabel p = parse_platform_label("arria10_gx1150@ddr4.8@fc32");
    EXPECT_EQ(p.device, "arria10_gx1150");
    EXPECT_DOUBLE_EQ(p.ddr_gbps, 4.8);
    EXPECT_EQ(p.fc_batch, 32);
    EXPECT_THROW(parse_platform_label("arria10_gx1150@hbm9"), Error);
    EXPECT_THROW(parse_platform_label("arria10_gx1150@fc0"), Error);
}

TEST(WhatIf, UnexpandedListsAreRefused) {
    SweepSpec s = tiny_spec();
    s.ddr_gbps = {4.8};
    EXPECT_THROW(load_sweep_inputs(s, test::source_path("")), Error);
}

TEST(WhatIf, DdrVariantMatchesAnEstimateAtThatBandwidth) {
    SweepSpec s = tiny_spec();
    s.ddr_gbps = {0, 2};
    expand_platform_variants(s);
    ASSERT_EQ(s.devices.size(), 2u);
    const SweepInputs in = load_sweep_inputs(s, test::source_path(""));
    const SweepResult r = run_sweep(s, in, {});
    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    ASSERT_EQ(r.groups.size(), 2u);
    const SweepPoint& board = *r.groups[0].best.images_per_s;
    const SweepPoint& slow = *r.groups[1].best.images_per_s;
    // The board's own bandwidth is its peak; the variant runs at the 2 GB/s asked for.
    EXPECT_DOUBLE_EQ(board.config.ddr_gbps, dev.ddr_gbps_peak());
    EXPECT_DOUBLE_EQ(slow.config.ddr_gbps, 2.0);
    // Second method: estimate() with the bandwidth set explicitly gives the same throughput.
    ArchConfig a = slow.config;
    const Estimate e = estimate(dev, net, a);
    EXPECT_NEAR(e.totals.images_per_s, slow.obj.images_per_s, 1e-9 * slow.obj.images_per_s);
    // Less bandwidth can only add memory stalls: never faster.
    EXPECT_LE(slow.obj.images_per_s, board.obj.images_per_s);
}

TEST(WhatIf, FcBatchVariantCarriesItsBatch) {
    SweepSpec s = tiny_spec();
    s.fc_batch = {1, 64};
    expand_platform_variants(s);
    const SweepInputs in = load_sweep_inputs(s, test::source_path(""));
    const SweepResult r = run_sweep(s, in, {});
    ASSERT_EQ(r.groups.size(), 2u);
    const SweepPoint& b1 = *r.groups[0].best.images_per_s;
    const SweepPoint& b64 = *r.groups[1].best.images_per_s;
    EXPECT_EQ(b1.config.fc_batch, 1);
    EXPECT_EQ(b64.config.fc_batch, 64);
    // At FC batch 1 the batched latency is the batch-1 latency: one image, nothing to wait for.
    EXPECT_NEAR(b1.latency_ms_batched, b1.latency_ms, 1e-9 * b1.latency_ms);
}

TEST(WhatIf, LatencyConstraintTallyMatchesBruteForce) {
    SweepSpec s = tiny_spec();
    const SweepInputs open_in = load_sweep_inputs(s, test::source_path(""));
    // Threshold between the fastest and slowest feasible design's batch-1 latency.
    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    std::vector<double> latencies;
    for (int lanes : s.lanes)
        for (int c : s.c_vec)
            for (int k : s.k_vec) {
                ArchConfig a;
                a.precision = s.precisions[0];
                a.k_vec = k, a.c_vec = c, a.q_vec = 4, a.lanes = lanes;
                const Estimate e = estimate(dev, net, a, s.constraints.caps);
                if (e.fits) latencies.push_back(e.totals.latency_ms);
            }
    ASSERT_GE(latencies.size(), 2u);
    std::sort(latencies.begin(), latencies.end());
    const double threshold = (latencies.front() + latencies.back()) / 2;
    const auto above =
        std::count_if(latencies.begin(), latencies.end(), [&](double l) { return l > threshold; });
    s.constraints.max_latency_ms = threshold;
    const ConstraintTally t = tally_constraints(s, open_in);
    EXPECT_EQ(t.max_latency_ms, std::uint64_t(above));
    EXPECT_EQ(t.feasible, latencies.size() - std::uint64_t(above));
    EXPECT_EQ(t.points, 8u);
    EXPECT_EQ(t.resource_caps + t.max_latency_ms + t.feasible, t.points);
    // The engine applies the same constraint: as many feasible points, none above the limit.
    const SweepResult r = run_sweep(s, open_in);
    EXPECT_EQ(r.counts.points_feasible, t.feasible);
    for (const auto& g : r.groups)
        for (const auto& p : g.pareto) EXPECT_LE(p.latency_ms, threshold);
}

TEST(WhatIf, SpecJsonRoundTripsTheNewKnobs) {
    SweepSpec s = tiny_spec();
    s.ddr_gbps = {4.8, 19.2};
    s.fc_batch = {1, 8};
    s.accept_accuracy_from_variants = true;
    s.constraints.max_latency_ms = 2.5;
    expand_platform_variants(s);
    const SweepSpec back = parse_sweep_spec(spec_to_json(s), "", SweepSpec{});
    EXPECT_EQ(back.devices, s.devices);
    EXPECT_EQ(back.ddr_gbps, s.ddr_gbps);
    EXPECT_EQ(back.fc_batch, s.fc_batch);
    EXPECT_TRUE(back.accept_accuracy_from_variants);
    ASSERT_TRUE(back.constraints.max_latency_ms);
    EXPECT_DOUBLE_EQ(*back.constraints.max_latency_ms, 2.5);
}

} // namespace
} // namespace lpdla
