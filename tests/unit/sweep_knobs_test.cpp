// The stream buffer and stride folding as searched sweep knobs: parsed from a spec, enumerated
// by the grid, and evaluated exactly as `estimate` evaluates the same configuration.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "test_support.h"

namespace lpdla {
namespace {

using nlohmann::json;

TEST(SweepKnobs, SpecListsMultiplyTheGridAndRoundTrip) {
    const json doc = {{"schema", "lpdla.sweep/1"},
                      {"devices", {"arria10_gx1150"}},
                      {"networks", {"alexnet"}},
                      {"k_vec", {16, 32}},
                      {"c_vec", {16}},
                      {"q_vec", {4}},
                      {"lanes", {1}},
                      {"precisions", {"2/ternary"}},
                      {"stream_buffer_kib", {"auto", 16, 2048}},
                      {"fold_strides", {true, false}}};
    const SweepSpec s = parse_sweep_spec(doc, "knobs.json", default_sweep_spec());
    EXPECT_EQ(s.stream_buffer_kib, (std::vector<int>{0, 16, 2048}));
    EXPECT_EQ(s.fold_strides, (std::vector<bool>{true, false}));
    EXPECT_EQ(s.configs_per_device(), 2u * 3u * 2u); // k_vec x buffers x fold
    const json back = spec_to_json(s);
    EXPECT_EQ(back["stream_buffer_kib"], json({"auto", 16, 2048}));
    const SweepSpec again = parse_sweep_spec(back, "back.json", default_sweep_spec());
    EXPECT_EQ(again.stream_buffer_kib, s.stream_buffer_kib);
    EXPECT_EQ(again.fold_strides, s.fold_strides);
    EXPECT_EQ(again.configs_per_device(), s.configs_per_device());

    json bad = doc;
    bad["stream_buffer_kib"] = {"auto", -4};
    EXPECT_THROW(parse_sweep_spec(bad, "knobs.json", default_sweep_spec()), Error);
    bad = doc;
    bad["fold_strides"] = {"yes"};
    EXPECT_THROW(parse_sweep_spec(bad, "knobs.json", default_sweep_spec()), Error);
}

// Column values of the all-points CSV rows, by header name.
std::vector<std::map<std::string, std::string>> rows_of(const SweepSpec& s,
                                                        const std::string& csv) {
    const std::string header = all_points_csv_header(s);
    std::istringstream names_in(header.substr(header.find('\n') + 1));
    std::vector<std::string> names;
    for (std::string n; std::getline(names_in, n, ',');)
        names.push_back(n.back() == '\n' ? n.substr(0, n.size() - 1) : n);
    std::vector<std::map<std::string, std::string>> rows;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        std::istringstream cells(line);
        std::map<std::string, std::string> row;
        std::size_t i = 0;
        for (std::string c; std::getline(cells, c, ',') && i < names.size(); ++i) row[names[i]] = c;
        rows.push_back(row);
    }
    return rows;
}

TEST(SweepKnobs, EachGridPointEqualsEstimateOfTheSameConfiguration) {
    SweepSpec s = default_sweep_spec();
    s.devices = {"arria10_gx1150"};
    s.networks = {"alexnet"};
    s.k_vec = {16};
    s.c_vec = {16};
    s.q_vec = {4};
    s.lanes = {1};
    s.precisions = {parse_precision("2/ternary", "")};
    s.stream_buffer_kib = {0, 16};
    s.fold_strides = {true, false};
    std::string csv;
    SweepOptions o;
    o.all_points_sink = [&](std::string_view chunk) { csv.append(chunk); };
    const SweepInputs in = load_sweep_inputs(s, test::source_path(""));
    run_sweep(s, in, o);
    const auto rows = rows_of(s, csv);
    ASSERT_EQ(rows.size(), 4u);

    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    using Key = std::pair<int, bool>; // (explicit KiB or 0 = auto, fold)
    std::map<Key, double> images_per_s, m20k;
    for (const auto& row : rows) {
        ArchConfig a;
        a.k_vec = 16;
        a.c_vec = 16;
        a.q_vec = 4;
        a.lanes = 1;
        a.precision = parse_precision("2/ternary", "");
        const int kib = std::stoi(row.at("stream_buffer_kib"));
        const bool fold = row.at("fold_strides") == "true";
        // The sweep reports the sized buffer: the 16 KiB rows are the explicit ones.
        a.stream_buffer_kib = kib == 16 ? 16 : 0;
        a.fold_strides = fold;
        const Estimate e = estimate(dev, net, a);
        EXPECT_EQ(e.arch.stream_buffer_kib, kib);
        const double ips = std::stod(row.at("images_per_s"));
        EXPECT_NEAR(ips, e.totals.images_per_s, 1e-9 * ips);
        EXPECT_DOUBLE_EQ(std::stod(row.at("m20k")), e.resources.total.m20k);
        images_per_s[Key(a.stream_buffer_kib, fold)] = ips;
        m20k[Key(a.stream_buffer_kib, fold)] = e.resources.total.m20k;
    }
    // AlexNet at 2 bits needs ~104 KiB (docs/MODEL.md §3): 16 KiB spills (slower, fewer blocks).
    const Key spilled(16, true), sized(0, true), direct(0, false);
    EXPECT_LT(images_per_s[spilled], images_per_s[sized]);
    EXPECT_LT(m20k[spilled], m20k[sized]);
    // Folding is taken only where it shortens the loop: never slower.
    EXPECT_GT(images_per_s[sized], images_per_s[direct]); // conv1 (stride 4) folds
}

TEST(SweepKnobs, FirstLastIsAGridDigitAndEachPointEqualsEstimate) {
    // Spec syntax: a list of "none" / precisions, round-tripped; the grid grows by its length.
    json doc = {{"schema", "lpdla.sweep/1"},
                {"devices", {"arria10_gx1150"}},
                {"networks", {"alexnet"}},
                {"k_vec", {16, 32}},
                {"c_vec", {16}},
                {"q_vec", {4}},
                {"lanes", {1}},
                {"precisions", {"2/ternary", "1/binary"}},
                {"first_last", {"none", "8/int8"}}};
    SweepSpec s = parse_sweep_spec(doc, "fl.json", default_sweep_spec());
    ASSERT_EQ(s.first_last.size(), 2u);
    EXPECT_FALSE(s.first_last[0].has_value());
    EXPECT_EQ(*s.first_last[1], (Precision{8, WeightKind::int8}));
    EXPECT_EQ(s.configs_per_device(), 2u * 2u * 2u); // k_vec x precisions x first_last
    const SweepSpec again = parse_sweep_spec(spec_to_json(s), "back.json", default_sweep_spec());
    EXPECT_EQ(again.first_last, s.first_last);
    doc["first_last"] = {"none", "8/int9"};
    EXPECT_THROW(parse_sweep_spec(doc, "fl.json", default_sweep_spec()), Error);

    std::string csv;
    SweepOptions o;
    o.all_points_sink = [&](std::string_view chunk) { csv.append(chunk); };
    const SweepInputs in = load_sweep_inputs(s, test::source_path(""));
    const SweepResult r = run_sweep(s, in, o);
    // 1/binary with 8-bit first/last cannot bit-slice (no zero digit, +1/-1 activations): those
    // 2 configurations are unbuildable, the other 6 evaluated.
    EXPECT_EQ(r.counts.configs_unbuildable, 2u);
    const auto rows = rows_of(s, csv);
    ASSERT_EQ(rows.size(), 6u);
    const Device dev = test::device("arria10_gx1150");
    const Network net = test::network("alexnet");
    std::map<std::pair<int, std::string>, double> ternary_ips; // (k_vec, first_last)
    for (const auto& row : rows) {
        ArchConfig a;
        a.k_vec = std::stoi(row.at("k_vec"));
        a.c_vec = 16;
        a.q_vec = 4;
        a.lanes = 1;
        a.precision = parse_precision(row.at("precision"), "");
        a.first_last = parse_first_last(row.at("first_last"), "first_last");
        const Estimate e = estimate(dev, net, a);
        const double ips = std::stod(row.at("images_per_s"));
        EXPECT_NEAR(ips, e.totals.images_per_s, 1e-9 * ips) << row.at("first_last");
        EXPECT_DOUBLE_EQ(std::stod(row.at("alm")), e.resources.total.alm);
        if (a.precision.weights == WeightKind::ternary)
            ternary_ips[{a.k_vec, row.at("first_last")}] = ips;
    }
    // 32 passes of conv1 and fc8 cost throughput at both array sizes.
    for (int k : {16, 32}) EXPECT_LT(ternary_ips.at({k, "8/int8"}), ternary_ips.at({k, "none"}));
    // Accuracy is per (precision, first_last): Colangelo's unstated 2/ternary row answers both,
    // the best-by-precision table has one class per slot.
    ASSERT_EQ(r.groups.size(), 1u);
    EXPECT_EQ(r.groups[0].best_by_precision.size(), 2u * 2u);
}

} // namespace
} // namespace lpdla
