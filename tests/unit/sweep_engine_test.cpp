// The sweep engine against an independent brute-force loop over the public model API, plus
// determinism across thread counts and shard + merge equality.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/performance.h"
#include "lpdla/model/resources.h"
#include "test_support.h"

namespace lpdla {
namespace {

SweepSpec small_spec() {
    SweepSpec s = default_sweep_spec();
    s.name = "test";
    s.source = "sweep_engine_test";
    s.devices = {"arria10_gx1150"};
    s.networks = {"alexnet"};
    s.widths = {1, 2};
    s.k_vec = parse_int_axis("8:64:8", "k_vec");
    s.c_vec = {4, 16, 64};
    s.q_vec = {2, 4};
    s.lanes = {1, 2};
    // 2/ternary (top-1 49.0 %), 2/binary (55.7 %), 4/int4 (unknown), 8/int8 (58.0 % on another
    // variant: unknown for the sweep), width 1.
    s.precisions = {parse_precision("2/ternary", ""), parse_precision("2/binary", ""),
                    parse_precision("4/int4", ""), parse_precision("8/int8", "")};
    // The shipped rows behind these precisions (LQ-Nets, tensorpack) keep the first and last
    // layers at full precision: the sweep models that (a hard-FP side path of 8 x 8), so the rows
    // are the accuracy of the assignment swept; Colangelo's row does not say and answers any.
    s.fixed.first_last = Precision{32, WeightKind::fp32};
    s.fixed.wide_layers = WideLayerMode::dsp_side_path;
    s.fixed.side_k_vec = 8;
    s.fixed.side_c_vec = 8;
    return s;
}

SweepInputs inputs_for(const SweepSpec& s) {
    return load_sweep_inputs(s, test::source_path(""));
}

TEST(SweepEngine, MatchesBruteForceUnderConstraints) {
    SweepSpec s = small_spec();
    s.constraints.caps.alm = 0.5;
    s.constraints.min_images_per_s = 300;
    // Drops 2/ternary (49 %) and every unknown top-1 (4/int4; 8/int8, whose row is another
    // variant's; widths without rows): a minimum is never met by an unmeasured accuracy.
    s.constraints.min_top1 = 0.5;
    const SweepResult r = run_sweep(s, inputs_for(s), {});

    // Independent loop: resolve_arch + estimate_resources + size_memories + evaluate_plan, no
    // engine code. A configuration "fits" before its auto-sized memories (they only add); a point
    // is feasible when it still fits with the memories its network needs.
    const Device dev = test::device("arria10_gx1150");
    std::uint64_t fitting = 0, feasible = 0;
    double best_ips = 0;
    for (const auto& p : s.precisions)
        for (int lanes : s.lanes)
            for (int q : s.q_vec)
                for (int c : s.c_vec)
                    for (int k : s.k_vec) {
                        ArchConfig a = s.fixed;
                        a.precision = p;
                        a.k_vec = k, a.c_vec = c, a.q_vec = q, a.lanes = lanes;
                        const ArchConfig res = resolve_arch(a, dev);
                        if (!estimate_resources(res, dev, s.constraints.caps).fits) continue;
                        ++fitting;
                        for (double w : s.widths) {
                            const Network net = test::network("alexnet", w);
                            const NetworkPlan plan = plan_network(net, false);
                            const ArchConfig sized = size_memories(res, plan);
                            if (!estimate_resources(sized, dev, s.constraints.caps).fits) continue;
                            const double ips = evaluate_plan(plan, sized, dev).images_per_s;
                            const auto acc = lookup_accuracy(net, p, w, a.first_last);
                            const bool known = acc && !acc->other_variant;
                            if (ips < 300 || !known || acc->top1 < 0.5) continue;
                            ++feasible;
                            best_ips = std::max(best_ips, ips);
                        }
                    }
    EXPECT_EQ(r.counts.configs, s.total_configs());
    EXPECT_EQ(r.counts.configs_fitting, fitting);
    EXPECT_EQ(r.counts.points_feasible, feasible);
    ASSERT_EQ(r.groups.size(), 1u);
    const GroupResult& g = r.groups[0];
    ASSERT_TRUE(g.best.images_per_s);
    // Merged and unmerged plans agree to rounding (the sweep uses the merged one).
    EXPECT_NEAR(g.best.images_per_s->obj.images_per_s, best_ips, best_ips * 1e-12);
    for (const auto& p : g.pareto) {
        EXPECT_GE(p.obj.images_per_s, 300);
        EXPECT_LE(p.resources.alm, 0.5 * dev.available.alm);
        EXPECT_TRUE(std::isnan(p.obj.top1) || p.obj.top1 >= 0.5);
    }
    // Per (precision, width): ternary is filtered out, and so is int4 (unknown top-1).
    const std::size_t W = s.widths.size();
    EXPECT_FALSE(g.best_by_precision[0 * W + 0]);
    EXPECT_FALSE(g.best_by_precision[2 * W + 0]);
    ASSERT_TRUE(g.best_by_precision[1 * W + 0]); // 2/binary, 55.7 %
    ASSERT_TRUE(g.best.top1);
    // 8/int8's 58.0 % was measured on tensorpack's AlexNet, not this one: not used. The best known
    // is 2/binary's 55.7 % (LQ-Nets).
    EXPECT_DOUBLE_EQ(g.best.top1->obj.top1, 0.557);
}

TEST(SweepEngine, RequireKnownTop1DropsUnknown) {
    SweepSpec s = small_spec();
    s.constraints.require_known_top1 = true;
    const SweepResult r = run_sweep(s, inputs_for(s), {});
    for (const auto& p : r.groups[0].pareto) EXPECT_FALSE(std::isnan(p.obj.top1));
    // Only width 1 has accuracy rows, 4/int4 has none and 8/int8 only another variant's: 2
    // precisions x 1 width remain.
    int classes = 0;
    for (const auto& b : r.groups[0].best_by_precision) classes += b.has_value();
    EXPECT_EQ(classes, 2);
}

TEST(SweepEngine, PointConfigReproducesItsNumbers) {
    const SweepSpec s = small_spec();
    const SweepResult r = run_sweep(s, inputs_for(s), {});
    const Device dev = test::device("arria10_gx1150");
    for (const auto& p : r.groups[0].pareto) {
        const ArchConfig a = resolve_arch(p.config, dev);
        EXPECT_EQ(a, p.config); // the reported config is already resolved
        const Network net = test::network("alexnet", s.widths[p.width]);
        const PerfTotals t = evaluate_plan(plan_network(net, true), a, dev);
        EXPECT_EQ(t.images_per_s, p.obj.images_per_s);
        EXPECT_EQ(resource_totals(a, dev).alm, p.resources.alm);
    }
}

TEST(SweepEngine, IdenticalForAnyThreadCount) {
    SweepSpec s = small_spec();
    s.devices = {"arria10_gx1150", "stratix10_gx2800"};
    s.k_vec = parse_int_axis("4:128:4", "k_vec"); // > 4 chunks of 256 configurations
    const SweepInputs in = inputs_for(s);
    std::string reference, reference_all;
    for (unsigned threads : {1u, 2u, 4u}) {
        std::string all;
        SweepOptions o;
        o.threads = threads;
        o.all_points_sink = [&all](std::string_view rows) { all += rows; };
        const std::string json = sweep_result_to_json(run_sweep(s, in, o)).dump();
        if (threads == 1) {
            reference = json;
            reference_all = all;
            EXPECT_GT(all.size(), 1000u);
        } else {
            EXPECT_EQ(json, reference) << threads << " threads";
            EXPECT_EQ(all, reference_all) << threads << " threads";
        }
    }
    // Without a sink the engine skips building points that cannot matter: same result.
    SweepOptions o;
    o.threads = 2;
    EXPECT_EQ(sweep_result_to_json(run_sweep(s, in, o)).dump(), reference);
}

TEST(SweepEngine, ThreeShardsMergeToTheUnshardedResultExactly) {
    SweepSpec s = small_spec();
    s.networks = {"alexnet", "resnet34"};
    const SweepInputs in = inputs_for(s);
    const nlohmann::json whole = sweep_result_to_json(run_sweep(s, in, {}));
    std::vector<SweepResult> shards;
    std::uint64_t configs = 0;
    for (std::uint64_t i = 0; i < 3; ++i) {
        SweepOptions o;
        o.shard = {i, 3};
        o.threads = 2;
        const SweepResult part = run_sweep(s, in, o);
        configs += part.counts.configs;
        // Through JSON and back, exactly as `lpdla merge` reads shard files.
        shards.push_back(sweep_result_from_json(sweep_result_to_json(part), "shard"));
    }
    EXPECT_EQ(configs, s.total_configs()); // the slices partition the grid
    // Shards in any order give the same merge.
    std::swap(shards[0], shards[2]);
    const nlohmann::json merged = sweep_result_to_json(merge_sweep_results(shards));
    EXPECT_EQ(merged["results"].dump(), whole["results"].dump());
    EXPECT_EQ(merged["counts"], whole["counts"]);
    EXPECT_EQ(merged["spec"], whole["spec"]);
    EXPECT_EQ(merged["shards_merged"], 3);
}

TEST(SweepEngine, MergeRejectsMissingOrForeignShards) {
    const SweepSpec s = small_spec();
    const SweepInputs in = inputs_for(s);
    SweepOptions o;
    o.shard = {0, 2};
    const SweepResult a = run_sweep(s, in, o);
    EXPECT_THROW(merge_sweep_results({a}), Error);    // shard 1/2 missing
    EXPECT_THROW(merge_sweep_results({a, a}), Error); // repeated
    SweepSpec other = s;
    other.lanes = {1};
    o.shard = {1, 2};
    EXPECT_THROW(merge_sweep_results(
                     {a, run_sweep(other, load_sweep_inputs(other, test::source_path("")), o)}),
                 Error);
}

TEST(SweepEngine, DuplicateMacChoicesAreEvaluatedOnce) {
    SweepSpec s = small_spec();
    s.precisions = {parse_precision("2/ternary", "")}; // auto resolves to alm for ternary
    s.mac_impl = {MacImpl::automatic, MacImpl::alm};
    const SweepResult r = run_sweep(s, inputs_for(s), {});
    EXPECT_EQ(r.counts.configs, s.total_configs());
    EXPECT_EQ(r.counts.configs_unbuildable, s.total_configs() / 2); // every "alm" twin
    s.mac_impl = {MacImpl::automatic};
    const SweepResult once = run_sweep(s, inputs_for(s), {});
    EXPECT_EQ(r.counts.points_feasible, once.counts.points_feasible);
}

TEST(SweepEngine, StopRequestEndsEarly) {
    SweepSpec s = small_spec();
    SweepControl control;
    control.stop = true;
    SweepOptions o;
    o.control = &control;
    EXPECT_EQ(run_sweep(s, inputs_for(s), o).counts.configs, 0u);
}

} // namespace
} // namespace lpdla
