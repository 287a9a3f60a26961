// The run report is the library's (the CLI only prints it): what counts as a failed layer, and
// what the JSON echoes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kernel_test_support.h"
#include "lpdla/kernels/run_report.h"
#include "lpdla/version.h"

namespace lpdla::test {
namespace {

LayerRunResult layer(const char* name, bool executed, std::int64_t mismatches, std::int64_t trips,
                     std::int64_t model) {
    LayerRunResult r;
    r.name = name;
    r.type = "conv";
    r.executed = executed;
    r.mismatches = mismatches;
    r.trip_count = trips;
    r.model_cycles = model;
    return r;
}

TEST(RunReport, FailuresAreExecutedLayersThatDifferInValuesOrTrips) {
    const std::vector<LayerRunResult> rs = {
        layer("ok", true, 0, 10, 10), layer("values", true, 3, 10, 10),
        layer("trips", true, 0, 11, 10), layer("fused", false, 0, 0, 10),
        layer("both", true, 1, 9, 10)};
    EXPECT_EQ(run_failures(rs), 3); // values, trips, both; a fused layer ran nothing
    EXPECT_EQ(run_failures({rs[0], rs[3]}), 0);
}

TEST(RunReport, JsonEchoesTheRunAndCarriesTheVersion) {
    const Network net = network(3, 8, 8, nlohmann::json::parse(R"([
      {"name": "c", "type": "conv", "input": "data", "out_channels": 4, "kernel": 3, "pad": 1}
    ])"));
    RunReportInputs in{&net, "some device", arch(4, 4, 2, 1, 8, WeightKind::int8), "", 0, {}};
    in.options.scale = 0.5;
    in.options.seed = 7;
    auto r = layer("c", true, 0, 32, 32);
    r.note = "first";
    const auto j = run_report_to_json(in, {r});
    EXPECT_EQ(j["schema"], "lpdla.run/1");
    EXPECT_EQ(j["lpdla_version"], LPDLA_VERSION_STRING);
    EXPECT_EQ(j["device"], "some device");
    EXPECT_EQ(j["seed"], 7);
    EXPECT_EQ(j["input"], nlohmann::json({3, 8, 8}));
    ASSERT_EQ(j["layers"].size(), 1u);
    EXPECT_EQ(j["layers"][0]["trip_count"], 32);
    EXPECT_EQ(j["layers"][0]["note"], "first");
    EXPECT_EQ(j["config"]["k_vec"], 4);
    const std::string table = run_report_to_table(in, {r});
    EXPECT_NE(table.find("test at scale 0.5 (input 3x8x8), 8/int8 on some device, seed 7"),
              std::string::npos)
        << table;
}

} // namespace
} // namespace lpdla::test
