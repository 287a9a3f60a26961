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

} // namespace
} // namespace lpdla
