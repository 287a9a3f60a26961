// The published cases as golden tests: every figure with a tolerance in validation/cases.json
// must stay inside it, and every case must fit its device. A model change that moves a figure
// outside its tolerance fails here. Also: the calibration mechanisms, the search and the CLI.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/model/performance.h"
#include "lpdla/validate/validate.h"
#include "test_support.h"

namespace lpdla {
namespace {

ValidationFile shipped() {
    return load_validation(test::source_path("validation/cases.json"));
}

TEST(Validate, PublishedCasesWithinTolerance) {
    const ValidationFile file = shipped();
    ASSERT_GE(file.cases.size(), 3u);
    for (const auto& c : file.cases) {
        const Device d = test::device(c.device);
        const Network n = test::network(c.network, c.width);
        const CaseResult r = run_case(c, d, n);
        EXPECT_TRUE(r.fits) << c.id << " does not fit: " << r.estimate.resources.limiting;
        for (const auto& f : r.figures) {
            if (!f.figure.tolerance) continue;
            ASSERT_TRUE(f.modeled) << f.name;
            EXPECT_LE(std::abs(*f.rel_error), *f.figure.tolerance)
                << f.name << ": published " << f.figure.published << ", modeled " << *f.modeled;
        }
        EXPECT_TRUE(r.passed()) << c.id;
    }
}

TEST(Validate, KeyCasesPresent) {
    const ValidationFile file = shipped();
    const auto find = [&](const std::string& id) -> const ValidationCase* {
        for (const auto& c : file.cases)
            if (c.id == id) return &c;
        return nullptr;
    };
    const auto* dla = find("dla_aydonat2017_alexnet_a10");
    ASSERT_TRUE(dla);
    EXPECT_EQ(dla->config.fmax_mhz, 303);
    EXPECT_EQ(dla->config.precision, (Precision{16, WeightKind::bfp16}));
    ASSERT_TRUE(find("colangelo2018_alexnet_2t_a10"));
    ASSERT_TRUE(find("colangelo2018_resnet34w2_s10"));
}

TEST(Validate, ParseErrorsNameThePath) {
    const auto expect_error = [](const char* text, const char* where) {
        try {
            parse_validation(nlohmann::json::parse(text), "cases.json");
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
        }
    };
    expect_error(R"({"schema": "x", "version": "1", "cases": []})", "/schema");
    expect_error(R"({"schema": "lpdla.validation/1", "version": "1", "cases": [{"id": "a"}]})",
                 "/cases/0/source");
    expect_error(R"({"schema": "lpdla.validation/1", "version": "1", "cases": [{"id": "a",
        "source": "s", "design": "d", "rationale": "r", "device": "arria10_gx1150",
        "network": "alexnet", "config": {}, "figures": [{"metric": "fps", "published": 1}]}]})",
                 "/cases/0/figures/0/metric");
}

TEST(Validate, WinogradCoversLongRowsInPasses) {
    // A 5-tap row at stride 1 takes ceil(5/3) = 2 F(q,3) passes; a 3-tap row one.
    PlannedLayer l;
    l.type = LayerType::conv;
    l.out_h = l.out_w = 8;
    l.groups = 1;
    l.c_per_group = l.k_per_group = 16;
    l.kernel_h = l.kernel_w = 5;
    ArchConfig a;
    a.k_vec = 16;
    a.c_vec = 16;
    a.q_vec = 4;
    a.lanes = 1;
    EXPECT_EQ(conv_loop_iterations(l, a, true), 8 * 2 * 1 * 1 * 5 * 2);
    EXPECT_EQ(conv_loop_iterations(l, a, false), 8 * 2 * 1 * 1 * 5 * 5);
}

TEST(Validate, StrideFoldingKeepsWorkAndShrinksKernel) {
    const Network n = test::network("alexnet");
    const NetworkPlan plan = plan_network(n, false);
    const PlannedLayer& conv1 = plan.layers.at(n.find("conv1"));
    const PlannedLayer f = fold_stride(conv1);
    EXPECT_EQ(f.c_per_group, 3 * 16);
    EXPECT_EQ(f.kernel_h, 3);
    EXPECT_EQ(f.kernel_w, 3);
    EXPECT_EQ(f.stride_w, 1);
    EXPECT_EQ(f.out_w, conv1.out_w);
    EXPECT_EQ(f.macs, conv1.macs);
    // Folding never makes a layer slower (the cheaper loop nest is taken).
    const Device d = test::device("arria10_gx1150");
    ArchConfig a;
    a.precision = {16, WeightKind::bfp16};
    a.k_vec = 48;
    a.stream_buffer_kib = 1024;
    a.fold_strides = false;
    ArchConfig folded = a;
    folded.fold_strides = true;
    const auto r0 = resolve_arch(a, d), r1 = resolve_arch(folded, d);
    const auto direct = evaluate_plan(plan, r0, d), fold = evaluate_plan(plan, r1, d);
    EXPECT_GT(fold.images_per_s, direct.images_per_s);
    const NetworkPlan resnet = plan_network(test::network("resnet34"), true);
    EXPECT_GE(evaluate_plan(resnet, r1, d).images_per_s, evaluate_plan(resnet, r0, d).images_per_s);
}

TEST(Validate, SearchIsDeterministicAndFits) {
    const Device d = test::device("arria10_gx1150");
    const Network n = test::network("alexnet");
    ArchConfig base;
    base.precision = {8, WeightKind::int8};
    SearchGrid small;
    small.k_vec = {16, 32, 64};
    small.c_vec = {8, 16};
    small.q_vec = {4};
    small.lanes = {1, 2};
    const auto a = best_configuration(d, n, base, {}, small);
    const auto b = best_configuration(d, n, base, {}, small);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->arch, b->arch);
    EXPECT_TRUE(a->estimate.fits);
    EXPECT_EQ(a->evaluated, small.size());
    // The economical pick is never faster than the fastest, and within its slack.
    const auto eco = best_configuration(d, n, base, {}, small, 0.1);
    ASSERT_TRUE(eco);
    EXPECT_LE(eco->estimate.totals.images_per_s, a->estimate.totals.images_per_s);
    EXPECT_GE(eco->estimate.totals.images_per_s, 0.9 * a->estimate.totals.images_per_s);
    EXPECT_LE(eco->estimate.resources.total.alm, a->estimate.resources.total.alm);
}

TEST(Validate, CliJsonFieldsAndExitCodes) {
    const auto ok = test::run_cli("validate --json");
    ASSERT_EQ(ok.status, 0) << ok.err;
    const auto j = nlohmann::json::parse(ok.out);
    ASSERT_FALSE(j["cases"].empty());
    for (const auto& c : j["cases"])
        for (const char* key : {"name", "published", "modeled", "rel_error", "unit", "source",
                                "configuration", "rationale", "status"})
            EXPECT_TRUE(c.contains(key)) << key;

    // A published figure the model cannot meet: the run reports it and exits 5.
    auto doc = nlohmann::json::parse(std::ifstream(test::source_path("validation/cases.json")));
    doc["cases"][0]["figures"][0]["published"] = 1.0;
    const auto path = std::filesystem::temp_directory_path() / "lpdla_validate_failing.json";
    std::ofstream(path) << doc.dump();
    const auto bad = test::run_cli("validate --cases " + path.string());
    EXPECT_EQ(bad.status, 5) << bad.err;
    EXPECT_NE(bad.out.find("fail"), std::string::npos);
    std::filesystem::remove(path);
}

TEST(Validate, TradeoffRowsPerPrecisionAndWidth) {
    const auto r = test::run_cli(
        "tradeoff --device arria10_gx1150 --network alexnet --precision 2/ternary --precision "
        "8/int8 --width 1 --width 2 --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["rows"].size(), 4u);
    EXPECT_DOUBLE_EQ(j["rows"][0]["top1"]["value"].get<double>(), 0.49);
    EXPECT_EQ(j["rows"][1]["top1"], "unknown"); // 2/ternary at 2x: no published row
}

} // namespace
} // namespace lpdla
