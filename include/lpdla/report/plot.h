#pragma once
// Scatter plots as self-contained SVG files (no plotting dependency): a grid of panels sharing
// axis labels, series told apart by colour and marker, a hover tooltip on every point.
#include <string>
#include <vector>

namespace lpdla {

struct PlotPoint {
    double x = 0, y = 0;
    std::string tooltip; // shown on hover (SVG <title>)
};

struct PlotSeries {
    std::string name; // legend entry; series of the same name share one entry
    int colour = 0;   // index into an 8-colour palette (wraps)
    int marker = 0;   // 0 circle, 1 square, 2 triangle (wraps)
    std::vector<PlotPoint> points;
    // A background cloud (e.g. every feasible point behind the front): drawn first, small and
    // light, no legend entry, no tooltip, not counted as left out.
    bool background = false;
};

struct PlotPanel {
    std::string title;
    std::string note; // small print under the panel (e.g. what was left out)
    std::vector<PlotSeries> series;
};

struct PlotFigure {
    std::string title, subtitle, x_label, y_label;
    bool log_y = false; // points with y <= 0 are then left out (and counted in the panel)
    bool log_x = false; // likewise for x
    // Every panel on the same x and y ranges, so panels (e.g. devices) compare at a glance.
    bool shared_axes = false;
    std::vector<PlotPanel> panels;
};

// Tick positions 1, 2 or 5 x 10^k apart whose span covers [lo, hi], with at most about max_ticks
// intervals; a zero-width range is widened so the axis still has extent, never below 0 when the
// value is >= 0 (all-zero becomes 0..1, not -1..1).
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);
// Powers of ten covering [lo, hi] (both > 0), with 2x and 5x between them when the span is at
// most two decades.
std::vector<double> log_ticks(double lo, double hi);

// The figure as a standalone SVG document; non-finite points are left out and counted.
std::string render_svg(const PlotFigure& figure);
// The same drawing as an <svg> element to inline in HTML (no XML declaration).
std::string render_svg_element(const PlotFigure& figure);

} // namespace lpdla
