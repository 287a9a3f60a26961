// Plot options the report relies on: shared axes across panels, log x, a constant value that
// still gets a sane axis, and the background cloud drawn behind without a legend entry.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "lpdla/report/plot.h"

namespace lpdla {
namespace {

// The x tick labels of each panel, in order: "<text ... text-anchor="middle">LABEL</text>"
// directly after a vertical grid line.
std::vector<std::vector<std::string>> x_ticks(const std::string& svg) {
    std::vector<std::vector<std::string>> panels;
    const std::regex title(R"(font-weight="bold">)");
    const std::regex tick(
        R"re(stroke="#e4e4e4"/><text x="[0-9.]+" y="[0-9.]+" font-size="11" text-anchor="middle">([^<]*)</text>)re");
    std::size_t pos = 0;
    std::vector<std::size_t> starts;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), title);
         it != std::sregex_iterator(); ++it)
        starts.push_back(std::size_t(it->position()));
    starts.push_back(svg.size());
    for (std::size_t i = 1; i + 1 < starts.size(); ++i) { // the first bold text is the title
        const std::string part = svg.substr(starts[i], starts[i + 1] - starts[i]);
        std::vector<std::string> labels;
        for (auto it = std::sregex_iterator(part.begin(), part.end(), tick);
             it != std::sregex_iterator(); ++it)
            labels.push_back((*it)[1]);
        panels.push_back(labels);
    }
    (void)pos;
    return panels;
}

PlotFigure two_panels() {
    PlotFigure f;
    f.title = "t";
    f.x_label = "x";
    f.y_label = "y";
    PlotPanel a, b;
    a.title = "a";
    b.title = "b";
    a.series.push_back({"s", 0, 0, {{1, 1, ""}, {2, 2, ""}}, false});
    b.series.push_back({"s", 0, 0, {{10, 1, ""}, {50, 5, ""}}, false});
    f.panels = {a, b};
    return f;
}

TEST(ReportPlot, SharedAxesGiveEveryPanelTheSameTicks) {
    PlotFigure f = two_panels();
    const auto own = x_ticks(render_svg(f));
    ASSERT_EQ(own.size(), 2u);
    EXPECT_NE(own[0], own[1]); // 1..2 and 10..50 on their own axes
    f.shared_axes = true;
    const auto shared = x_ticks(render_svg(f));
    ASSERT_EQ(shared.size(), 2u);
    EXPECT_EQ(shared[0], shared[1]);
    // 1..50 with at most ~6 intervals: steps of 10 from 0 (nice_ticks), worked by hand.
    EXPECT_EQ(shared[0], (std::vector<std::string>{"0", "10", "20", "30", "40", "50"}));
}

TEST(ReportPlot, LogXUsesDecades) {
    PlotFigure f = two_panels();
    f.shared_axes = true;
    f.log_x = true;
    const auto t = x_ticks(render_svg(f));
    // 1..50 spans two decades: 1 2 5 10 20 50 100.
    EXPECT_EQ(t[0], (std::vector<std::string>{"1", "2", "5", "10", "20", "50", "100"}));
}

TEST(ReportPlot, ConstantValuesGetANonNegativeAxis) {
    const auto zero = nice_ticks(0, 0, 6);
    EXPECT_DOUBLE_EQ(zero.front(), 0); // not -1: a DSP count of 0 is not negative
    EXPECT_GT(zero.back(), 0);
    const auto five = nice_ticks(5, 5, 6);
    EXPECT_GE(five.front(), 0);
    EXPECT_LT(five.front(), 5);
    EXPECT_GT(five.back(), 5);
}

TEST(ReportPlot, CloudIsDrawnBehindWithoutLegendOrTooltip) {
    PlotFigure f;
    f.title = "t";
    PlotPanel p;
    p.title = "p";
    PlotSeries cloud{"all feasible points", 0, 0, {}, true};
    for (int i = 0; i < 100; ++i) cloud.points.push_back({double(i), double(i % 7), "hidden"});
    p.series.push_back(cloud);
    p.series.push_back({"front", 1, 0, {{50, 3, "front point"}}, false});
    f.panels = {p};
    const std::string svg = render_svg(f);
    EXPECT_EQ(svg.find("all feasible points"), std::string::npos); // no legend entry
    EXPECT_EQ(svg.find("hidden"), std::string::npos);              // no tooltips
    EXPECT_NE(svg.find("front point"), std::string::npos);
    EXPECT_LT(svg.find("#c4c4c4"), svg.find("front point")); // cloud first, front over it
    EXPECT_EQ(svg.find("not drawn"), std::string::npos);
}

} // namespace
} // namespace lpdla
