// SVG plots: tick placement and point coordinates worked by hand, escaping, what is left out,
// the sweep figure's series and metric units, and `lpdla plot` / `sweep --svg` end to end.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/explore/sweep_engine.h"
#include "lpdla/report/plot.h"
#include "lpdla/report/sweep_plot.h"
#include "test_support.h"

namespace lpdla {
namespace {

void expect_ticks(const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size()) << fmt::format("got {}", fmt::join(got, ", "));
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9) << i;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(Plot, NiceTicksAreRoundStepsCoveringTheRange) {
    // 3128 / 6 = 521 per interval: 500 is too small, so 1000 apart.
    expect_ticks(nice_ticks(0, 3128, 6), {0, 1000, 2000, 3000, 4000});
    // 0.278 / 5 = 0.056: 0.05 too small, 0.1 apart, from floor(5.69) to ceil(8.47) tenths.
    expect_ticks(nice_ticks(0.569, 0.847, 5), {0.5, 0.6, 0.7, 0.8, 0.9});
    // Bounds on a multiple of the step add no extra tick.
    expect_ticks(nice_ticks(50, 100, 6), {50, 60, 70, 80, 90, 100});
    expect_ticks(nice_ticks(-3, 12, 5), {-5, 0, 5, 10, 15});
    // A single value is widened by 10 % each side: 6.3..7.7, 0.35 per interval, 0.5 apart.
    expect_ticks(nice_ticks(7, 7, 4), {6, 6.5, 7, 7.5, 8});
    // All zero (a DSP count of an ALM-only design): 0..1, never negative; 1/4 = 0.25 per
    // interval, so 0.5 apart.
    expect_ticks(nice_ticks(0, 0, 4), {0, 0.5, 1});
}

TEST(Plot, LogTicksAreDecadesWithTwoAndFiveWhenTheSpanIsShort) {
    expect_ticks(log_ticks(17.6, 3128), {10, 100, 1000, 10000});
    expect_ticks(log_ticks(3, 40), {1, 2, 5, 10, 20, 50, 100});
    expect_ticks(log_ticks(100, 100), {100, 200, 500, 1000});
}

PlotFigure hand_figure() {
    PlotFigure f;
    f.title = "t";
    f.x_label = "x";
    f.y_label = "y";
    PlotPanel p;
    p.title = "a<b & \"c\"";
    p.series.push_back({"first", 0, 0, {{0, 0, "origin"}, {10, 10, "top right"}}});
    p.series.push_back({"second", 1, 2, {{5, 5, "middle"}, {NAN, 3, "unknown x"}}});
    f.panels.push_back(p);
    return f;
}

TEST(Plot, PointsLandWhereTheAxesPutThem) {
    const std::string svg = render_svg(hand_figure());
    // One panel: plot area from x = 74 to 74 + (460 - 74 - 16) = 444, y = 58 + 34 = 92 to
    // 92 + (330 - 34 - 62) = 326; both axes tick 0..10 in steps of 2.
    EXPECT_NE(svg.find(R"(<circle cx="74.0" cy="326.0" r="4")"), std::string::npos) << svg;
    EXPECT_NE(svg.find(R"(<circle cx="444.0" cy="92.0" r="4")"), std::string::npos);
    // (5, 5) at the centre (259, 209) as a triangle: apex 5 up, base 3.5 down, 9 wide.
    EXPECT_NE(svg.find(R"(points="259.0,204.0 254.5,212.5 263.5,212.5")"), std::string::npos);
    EXPECT_EQ(count(svg, "<title>"), 3u);                        // the NaN point is not drawn ...
    EXPECT_NE(svg.find("1 point not drawn"), std::string::npos); // ... and is counted
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
    EXPECT_EQ(count(svg, "<text"), count(svg, "</text>"));
}

TEST(Plot, TextIsEscaped) {
    const std::string svg = render_svg(hand_figure());
    EXPECT_NE(svg.find("a&lt;b &amp; &quot;c&quot;"), std::string::npos);
    EXPECT_EQ(svg.find("a<b"), std::string::npos);
}

TEST(Plot, LogAxisLeavesOutNonPositiveValuesAndEmptyPanelsSaySo) {
    PlotFigure f = hand_figure();
    f.log_y = true;
    f.panels.push_back(PlotPanel{"empty", "", {}});
    const std::string svg = render_svg(f);
    // (0, 0) cannot sit on a log axis; (NaN, 3) is unknown: 2 of 4 drawn.
    EXPECT_EQ(count(svg, "<title>"), 2u);
    EXPECT_NE(svg.find("2 points not drawn (value unknown or &lt;= 0)"), std::string::npos);
    EXPECT_NE(svg.find("no points to draw"), std::string::npos);
    EXPECT_NE(svg.find("y (log)"), std::string::npos);
}

SweepPoint point(std::uint32_t precision, std::uint32_t width, double ips, double top1, double cost,
                 double power) {
    SweepPoint p;
    p.precision = precision;
    p.width = width;
    p.obj = {ips, top1, cost, 0};
    p.power_w = power;
    p.resources.alm = 1000;
    return p;
}

TEST(SweepPlot, OneSeriesPerPrecisionAndWidthInTheAxisUnits) {
    SweepResult r;
    r.spec = default_sweep_spec();
    r.spec.devices = {"dev"};
    r.spec.networks = {"net"};
    r.spec.widths = {1, 2};
    r.spec.precisions = {parse_precision("2/ternary", ""), parse_precision("8/int8", "")};
    r.spec.cost = CostKind::area;
    GroupResult g;
    g.pareto = {point(0, 0, 3000, 0.49, 0.85, 40), point(0, 1, 1700, NAN, 0.85, 42),
                point(1, 0, 1200, 0.58, 0.99, 50)};
    r.groups.push_back(g);

    EXPECT_EQ(parse_plot_metric("images_per_w"), PlotMetric::images_per_w);
    EXPECT_FALSE(parse_plot_metric("speed"));
    const PlotFigure f = sweep_front_figure(r, PlotMetric::cost, PlotMetric::top1);
    ASSERT_EQ(f.panels.size(), 1u);
    EXPECT_EQ(f.panels[0].title, "dev / net");
    const auto& s = f.panels[0].series; // empty (8/int8, width 2) is dropped
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].name, "2/ternary width 1");
    EXPECT_EQ(s[1].name, "2/ternary width 2");
    EXPECT_EQ(s[2].name, "8/int8 width 1");
    EXPECT_EQ(s[1].marker, 1); // same colour as width 1, other marker
    EXPECT_EQ(s[1].colour, s[0].colour);
    EXPECT_NEAR(s[0].points[0].x, 85, 1e-12);  // area cost in %
    EXPECT_NEAR(s[0].points[0].y, 49, 1e-12);  // top-1 in %
    EXPECT_TRUE(std::isnan(s[1].points[0].y)); // unknown accuracy stays unknown
    EXPECT_NEAR(plot_metric_value(r.spec, g.pareto[2], PlotMetric::images_per_w), 24, 1e-12);
    EXPECT_EQ(plot_metric_value(r.spec, g.pareto[2], PlotMetric::alm), 1000);
    r.spec.cost = CostKind::power;
    EXPECT_EQ(plot_metric_value(r.spec, g.pareto[2], PlotMetric::cost), 0.99); // not scaled
}

TEST(PlotCli, DrawsEveryFrontPointOfASweepAndRejectsBadInput) {
    const std::string dir = std::filesystem::temp_directory_path() / "lpdla_plot_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string res = dir + "/r.json", svg = dir + "/f.svg", svg2 = dir + "/g.svg";
    const auto sweep = test::run_cli(
        "sweep --devices arria10_gx1150 --networks alexnet --k-vec 8:64:8 --c-vec 8,16 "
        "--q-vec 4 --lanes 1,2 --precisions 2/ternary,8/int8 --quiet --json --out " +
        res + " --svg " + svg);
    ASSERT_EQ(sweep.status, 0) << sweep.err;
    const auto doc = nlohmann::json::parse(std::ifstream(res));
    std::size_t front = 0, unknown_top1 = 0;
    for (const auto& g : doc["results"]) {
        front += g["pareto"].size();
        for (const auto& p : g["pareto"]) unknown_top1 += p["top1"].is_null();
    }
    ASSERT_GT(front, 0u);
    std::stringstream text;
    text << std::ifstream(svg).rdbuf();
    EXPECT_EQ(count(text.str(), "<title>"), front); // cost vs images/s: every point has both

    const auto plot = test::run_cli("plot " + res + " --x power_w --y top1 --out " + svg2);
    ASSERT_EQ(plot.status, 0) << plot.err;
    std::stringstream text2;
    text2 << std::ifstream(svg2).rdbuf();
    EXPECT_EQ(count(text2.str(), "<title>"), front - unknown_top1);

    const auto bad_axis = test::run_cli("plot " + res + " --y speed");
    EXPECT_EQ(bad_axis.status, 2);
    EXPECT_NE(bad_axis.err.find("unknown metric \"speed\"; valid: images_per_s"), std::string::npos)
        << bad_axis.err;
    const auto missing = test::run_cli("plot " + dir + "/none.json");
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("none.json"), std::string::npos) << missing.err;
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla
