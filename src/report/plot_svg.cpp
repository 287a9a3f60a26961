// SVG scatter plots (include/lpdla/plot.h). Plain SVG 1.1 with inline attributes only, so the
// file opens in any browser and survives being pasted into documents.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "html_charts.h"
#include "lpdla/report/plot.h"

namespace lpdla {
namespace {

// Colour-blind-safe qualitative palette (Okabe and Ito 2008), with black last.
constexpr const char* palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                   "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
constexpr int palette_size = int(std::size(palette));

// Layout, in SVG user units (pixels at 100 %).
constexpr double panel_w = 460, panel_h = 330;
constexpr double margin_left = 74, margin_right = 16, margin_top = 34, margin_bottom = 62;
constexpr double header_h = 58, legend_w = 200;

// One escaping for every SVG and HTML text lpdla writes (src/report/html_charts.h).
using html::escape;

// Tick labels: short, and free of the binary noise of i * step (0.30000000000000004).
std::string tick_label(double v) {
    if (std::fabs(v) < 1e-12) return "0";
    return fmt::format("{:g}", v);
}

int wrap(int i, int n) {
    return ((i % n) + n) % n;
}

void marker(std::string& out, int kind, double x, double y, const char* fill,
            const std::string& tooltip) {
    const std::string tip =
        tooltip.empty() ? std::string() : fmt::format("<title>{}</title>", escape(tooltip));
    switch (wrap(kind, 3)) {
    case 0:
        out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}">{}</circle>)", x, y,
                           fill, tip);
        break;
    case 1:
        out += fmt::format(
            R"(<rect x="{:.1f}" y="{:.1f}" width="7.5" height="7.5" fill="{}">{}</rect>)", x - 3.75,
            y - 3.75, fill, tip);
        break;
    default:
        out += fmt::format(
            R"(<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}">{}</polygon>)",
            x, y - 5, x - 4.5, y + 3.5, x + 4.5, y + 3.5, fill, tip);
    }
    out += '\n';
}

struct Axis {
    std::vector<double> ticks;
    bool log = false;
    double lo() const { return ticks.front(); }
    double hi() const { return ticks.back(); }
    // Position in [0, 1] along the axis.
    double fraction(double v) const {
        if (log) return (std::log10(v) - std::log10(lo())) / (std::log10(hi()) - std::log10(lo()));
        return (v - lo()) / (hi() - lo());
    }
};

bool drawable(const PlotPoint& p, const PlotFigure& fig) {
    return std::isfinite(p.x) && std::isfinite(p.y) && (!fig.log_y || p.y > 0) &&
           (!fig.log_x || p.x > 0);
}

struct Range {
    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin, ymax = -xmin;
    std::size_t drawn = 0, left_out = 0;
    void add(const PlotPanel& panel, const PlotFigure& fig) {
        for (const auto& s : panel.series)
            for (const auto& p : s.points) {
                if (!drawable(p, fig)) {
                    if (!s.background) ++left_out;
                    continue;
                }
                ++drawn;
                xmin = std::min(xmin, p.x);
                xmax = std::max(xmax, p.x);
                ymin = std::min(ymin, p.y);
                ymax = std::max(ymax, p.y);
            }
    }
};

Axis make_axis(double lo, double hi, bool log) {
    return Axis{log ? log_ticks(lo, hi) : nice_ticks(lo, hi, 6), log};
}

void draw_panel(std::string& out, const PlotPanel& panel, const PlotFigure& fig, double ox,
                double oy, const Range* shared) {
    const double w = panel_w - margin_left - margin_right;
    const double h = panel_h - margin_top - margin_bottom;
    const double left = ox + margin_left, top = oy + margin_top;
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="14" font-weight="bold">{}</text>)"
                       "\n",
                       left, oy + 20, escape(panel.title));

    Range own;
    own.add(panel, fig);
    const Range& range = shared ? *shared : own;
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" )"
                       R"(fill="none" stroke="#888"/>)"
                       "\n",
                       left, top, w, h);
    std::string note = panel.note;
    if (own.left_out > 0)
        note += fmt::format("{}{} point{} not drawn (value unknown{})", note.empty() ? "" : "; ",
                            own.left_out, own.left_out == 1 ? "" : "s",
                            fig.log_y || fig.log_x ? " or <= 0" : "");
    if (!note.empty())
        out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" fill="#555">{}</text>)"
                           "\n",
                           left, oy + panel_h - 6, escape(note));
    if (own.drawn == 0 || range.drawn == 0) {
        out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" fill="#555" )"
                           R"(text-anchor="middle">no points to draw</text>)"
                           "\n",
                           left + w / 2, top + h / 2);
        return;
    }

    const Axis xa = make_axis(range.xmin, range.xmax, fig.log_x);
    const Axis ya = make_axis(range.ymin, range.ymax, fig.log_y);
    for (double t : xa.ticks) {
        const double x = left + xa.fraction(t) * w;
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" )"
                           R"(stroke="#e4e4e4"/>)"
                           R"(<text x="{0:.1f}" y="{3:.1f}" font-size="11" )"
                           R"(text-anchor="middle">{4}</text>)"
                           "\n",
                           x, top, top + h, top + h + 15, tick_label(t));
    }
    for (double t : ya.ticks) {
        const double y = top + h - ya.fraction(t) * h;
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" )"
                           R"(stroke="#e4e4e4"/>)"
                           R"(<text x="{3:.1f}" y="{4:.1f}" font-size="11" )"
                           R"(text-anchor="end">{5}</text>)"
                           "\n",
                           left, y, left + w, left - 6, y + 4, tick_label(t));
    }
    out +=
        fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle">{}</text>)"
                    "\n",
                    left + w / 2, top + h + 34, escape(fig.x_label + (fig.log_x ? " (log)" : "")));
    const double ly = top + h / 2, lx = ox + 16;
    out += fmt::format(R"(<text x="{0:.1f}" y="{1:.1f}" font-size="12" text-anchor="middle" )"
                       R"svg(transform="rotate(-90 {0:.1f} {1:.1f})">{2}</text>)svg"
                       "\n",
                       lx, ly, escape(fig.y_label + (fig.log_y ? " (log)" : "")));
    // The cloud first, so the front is drawn over it; one dot per 2x2-unit cell is all the eye
    // can tell apart, and keeps a cloud of a million points a few kilobytes.
    std::set<std::pair<int, int>> dots;
    for (const auto& s : panel.series)
        if (s.background)
            for (const auto& p : s.points) {
                if (!drawable(p, fig)) continue;
                const double cx = left + xa.fraction(p.x) * w, cy = top + h - ya.fraction(p.y) * h;
                if (!dots.emplace(int(cx / 2), int(cy / 2)).second) continue;
                out += fmt::format(R"(<circle cx="{:.0f}" cy="{:.0f}" r="1.5" fill="#c4c4c4"/>)",
                                   cx, cy);
            }
    out += '\n';
    for (const auto& s : panel.series)
        if (!s.background)
            for (const auto& p : s.points)
                if (drawable(p, fig))
                    marker(out, s.marker, left + xa.fraction(p.x) * w,
                           top + h - ya.fraction(p.y) * h, palette[wrap(s.colour, palette_size)],
                           p.tooltip);
}

} // namespace

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
    if (hi < lo) std::swap(lo, hi);
    if (hi == lo) {
        // A constant: give the axis extent around it without inventing negative values.
        if (lo == 0) {
            hi = 1;
        } else {
            const double pad = std::fabs(lo) * 0.1;
            lo = lo > 0 ? std::max(0.0, lo - pad) : lo - pad;
            hi += pad;
        }
    }
    const double raw = (hi - lo) / std::max(1, max_ticks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= raw * (1 - 1e-9)) {
            step = m * magnitude;
            break;
        }
    // The small slack keeps a bound that is already a multiple of the step from adding a tick.
    const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
    const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
    std::vector<double> ticks;
    for (long long i = first; i <= last; ++i) ticks.push_back(double(i) * step);
    if (ticks.size() < 2) ticks.push_back(ticks.back() + step);
    return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
    if (hi < lo) std::swap(lo, hi);
    const int d0 = int(std::floor(std::log10(lo) + 1e-9));
    int d1 = int(std::ceil(std::log10(hi) - 1e-9));
    if (d1 <= d0) d1 = d0 + 1;
    const bool dense = d1 - d0 <= 2;
    std::vector<double> ticks;
    for (int d = d0; d <= d1; ++d) {
        const double decade = std::pow(10.0, d);
        ticks.push_back(decade);
        if (dense && d < d1) {
            ticks.push_back(2 * decade);
            ticks.push_back(5 * decade);
        }
    }
    return ticks;
}

std::string render_svg(const PlotFigure& fig) {
    return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>)") + "\n" +
           render_svg_element(fig);
}

std::string render_svg_element(const PlotFigure& fig) {
    const int n = int(fig.panels.size());
    const int cols = n >= 2 ? 2 : 1;
    const int rows = std::max(1, (n + cols - 1) / cols);
    const double width = cols * panel_w + legend_w, height = header_h + rows * panel_h + 8;

    std::string out;
    out +=
        fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0:.0f}" height="{1:.0f}" )"
                    R"(viewBox="0 0 {0:.0f} {1:.0f}" font-family="Helvetica, Arial, sans-serif">)"
                    "\n"
                    R"(<rect width="100%" height="100%" fill="white"/>)"
                    "\n",
                    width, height);
    out += fmt::format(R"(<text x="16" y="24" font-size="17" font-weight="bold">{}</text>)"
                       "\n",
                       escape(fig.title));
    if (!fig.subtitle.empty())
        out += fmt::format(R"(<text x="16" y="44" font-size="12" fill="#444">{}</text>)"
                           "\n",
                           escape(fig.subtitle));
    Range shared;
    if (fig.shared_axes)
        for (const auto& p : fig.panels) shared.add(p, fig);
    for (int i = 0; i < n; ++i)
        draw_panel(out, fig.panels[std::size_t(i)], fig, (i % cols) * panel_w,
                   header_h + (i / cols) * panel_h, fig.shared_axes ? &shared : nullptr);

    // One legend entry per series name, ordered by colour then marker so that the legend reads
    // the same whichever panel a series first appears in.
    std::vector<const PlotSeries*> legend;
    for (const auto& p : fig.panels)
        for (const auto& s : p.series)
            if (!s.background &&
                std::none_of(legend.begin(), legend.end(),
                             [&](const PlotSeries* l) { return l->name == s.name; }))
                legend.push_back(&s);
    std::stable_sort(legend.begin(), legend.end(), [](const PlotSeries* a, const PlotSeries* b) {
        return std::pair(a->colour, a->marker) < std::pair(b->colour, b->marker);
    });
    const double lx = cols * panel_w + 10;
    for (std::size_t i = 0; i < legend.size(); ++i) {
        const double y = header_h + margin_top + 8 + double(i) * 18;
        marker(out, legend[i]->marker, lx + 6, y - 4,
               palette[wrap(legend[i]->colour, palette_size)], "");
        out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="12">{}</text>)"
                           "\n",
                           lx + 18, y, escape(legend[i]->name));
    }
    out += "</svg>\n";
    return out;
}

} // namespace lpdla
