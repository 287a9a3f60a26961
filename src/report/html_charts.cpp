// Charts of the HTML report (html_charts.h). Plain SVG with inline attributes, sized in user
// units and scaled by CSS, so they print and zoom crisply.
#include "html_charts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "lpdla/report/plot.h"

namespace lpdla::html {
namespace {

// Okabe-Ito, as the scatter plots (plot_svg.cpp).
constexpr const char* palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                   "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
// Resource components outnumber eight: Okabe-Ito plus four of Tol's muted scheme, so no two
// components of the shipped tree share a colour.
constexpr const char* component_palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                             "#CC79A7", "#56B4E9", "#F0E442", "#000000",
                                             "#882255", "#44AA99", "#999933", "#AA4499"};

std::string svg_open(double w, double h, const std::string& label) {
    return fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0:.0f} {1:.0f}" )"
                       R"(width="{0:.0f}" height="{1:.0f}" role="img" aria-label="{2}" )"
                       R"(font-family="Helvetica, Arial, sans-serif" font-size="11">)"
                       "\n"
                       R"(<rect width="100%" height="100%" fill="white"/>)"
                       "\n",
                       w, h, escape(label));
}

std::string tick(double v) {
    return std::fabs(v) < 1e-12 ? "0" : fmt::format("{:g}", v);
}

} // namespace

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string grouped(double v) {
    if (!std::isfinite(v)) return "?";
    const bool negative = v < 0;
    const std::string digits = fmt::format("{:.0f}", std::fabs(v));
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return negative ? "-" + out : out;
}

std::string layer_cycles_svg(const ReportDesign& d) {
    const auto& layers = d.estimate.layers;
    std::vector<const LayerPerf*> shown;
    double longest = 0;
    for (const auto& l : layers)
        if (l.cycles_per_image > 0) {
            shown.push_back(&l);
            longest = std::max(longest, l.cycles_per_image);
        }
    constexpr double label_w = 150, bar_w = 560, row_h = 13, top = 44, right = 90;
    const double h = top + double(shown.size()) * row_h + 30;
    std::string out = svg_open(label_w + bar_w + right, h,
                               "cycles per layer of " + d.device_label + " / " + d.network.name);
    const struct {
        const char* name;
        double CycleBreakdown::*part;
    } parts[] = {{"compute", &CycleBreakdown::compute},
                 {"fill/drain", &CycleBreakdown::fill_drain},
                 {"control", &CycleBreakdown::control},
                 {"filter load", &CycleBreakdown::filter_load},
                 {"memory stall", &CycleBreakdown::memory_stall},
                 {"calibrated", &CycleBreakdown::calibrated}};
    double lx = label_w;
    for (std::size_t i = 0; i < std::size(parts); ++i) {
        out += fmt::format(R"(<rect x="{:.0f}" y="8" width="10" height="10" fill="{}"/>)"
                           R"(<text x="{:.0f}" y="17">{}</text>)",
                           lx, palette[i], lx + 14, parts[i].name);
        lx += 100;
    }
    out += fmt::format(R"(<text x="{:.0f}" y="34" fill="#444">cycles per image (bar length; )"
                       R"(longest layer {} cycles); right: share of the network's time</text>)"
                       "\n",
                       label_w, grouped(longest));
    const double total = d.estimate.totals.cycles_per_image;
    double y = top;
    for (const LayerPerf* l : shown) {
        const std::string& name = d.network.layers[std::size_t(l->layer_index)].name;
        out += fmt::format(R"(<text x="{:.0f}" y="{:.1f}" text-anchor="end">{}</text>)",
                           label_w - 6, y + 10, escape(name));
        double x = label_w;
        for (std::size_t i = 0; i < std::size(parts); ++i) {
            const double v = l->cycles.*(parts[i].part);
            if (!(v > 0)) continue;
            const double w = longest > 0 ? v / longest * bar_w : 0;
            out += fmt::format(
                R"(<rect x="{:.2f}" y="{:.1f}" width="{:.2f}" height="{:.0f}" fill="{}">)"
                R"(<title>{}: {} {} cycles</title></rect>)",
                x, y + 1, w, row_h - 2, palette[i], escape(name), parts[i].name, grouped(v));
            x += w;
        }
        out += fmt::format(R"(<text x="{:.0f}" y="{:.1f}" fill="#444">{:.1f} %</text>)"
                           "\n",
                           label_w + bar_w + 8, y + 10,
                           total > 0 ? 100 * l->cycles_per_image / total : 0.0);
        y += row_h;
    }
    out += "</svg>\n";
    return out;
}

std::vector<LayerRoofPoint> roofline_points(const ReportDesign& d) {
    std::vector<LayerRoofPoint> out;
    const double mhz = d.estimate.arch.fmax_mhz;
    for (const auto& l : d.estimate.layers) {
        if (l.macs <= 0 || !(l.cycles_per_image > 0)) continue;
        LayerRoofPoint p;
        p.name = d.network.layers[std::size_t(l.layer_index)].name;
        const double ops = 2.0 * double(l.macs); // 1 MAC = 2 ops
        p.ops_per_byte = l.ddr_bytes_per_image > 0 ? ops / l.ddr_bytes_per_image
                                                   : std::numeric_limits<double>::infinity();
        p.tops = ops * mhz * 1e6 / l.cycles_per_image / 1e12;
        out.push_back(p);
    }
    return out;
}

std::string roofline_svg(const std::string& title, const std::vector<const ReportDesign*>& ds) {
    constexpr double W = 800, H = 400, left = 70, right = 270, top = 30, bottom = 50;
    const double pw = W - left - right, ph = H - top - bottom;
    // Ranges: every finite layer point, every roof's ridge and peak.
    double xlo = std::numeric_limits<double>::infinity(), xhi = 0, ylo = xlo, yhi = 0;
    std::vector<std::vector<LayerRoofPoint>> pts;
    for (const ReportDesign* d : ds) {
        pts.push_back(roofline_points(*d));
        const double bw = d->estimate.arch.ddr_gbps * d->device.board.ddr_efficiency;
        const double peak = d->estimate.totals.peak_tops;
        const double ridge = bw > 0 ? peak * 1000 / bw : 1;
        xlo = std::min(xlo, ridge / 10);
        xhi = std::max(xhi, ridge * 10);
        yhi = std::max(yhi, peak);
        for (const auto& p : pts.back()) {
            if (std::isfinite(p.ops_per_byte)) {
                xlo = std::min(xlo, p.ops_per_byte);
                xhi = std::max(xhi, p.ops_per_byte);
            }
            if (p.tops > 0) ylo = std::min(ylo, p.tops), yhi = std::max(yhi, p.tops);
        }
    }
    if (!(xlo > 0) || !std::isfinite(xlo)) xlo = 0.1;
    if (!(xhi > xlo)) xhi = xlo * 100;
    if (!(ylo > 0) || !std::isfinite(ylo)) ylo = yhi > 0 ? yhi / 100 : 0.001;
    if (!(yhi > ylo)) yhi = ylo * 100;
    const std::vector<double> xt = log_ticks(xlo, xhi), yt = log_ticks(ylo, yhi);
    const double x0 = std::log10(xt.front()), x1 = std::log10(xt.back());
    const double y0 = std::log10(yt.front()), y1 = std::log10(yt.back());
    const auto X = [&](double v) { return left + (std::log10(v) - x0) / (x1 - x0) * pw; };
    const auto Y = [&](double v) { return top + ph - (std::log10(v) - y0) / (y1 - y0) * ph; };
    std::string out = svg_open(W, H, "roofline " + title);
    out += fmt::format(R"(<text x="{:.0f}" y="18" font-size="13" font-weight="bold">{}</text>)"
                       "\n",
                       left, escape(title));
    out += fmt::format(R"(<rect x="{:.0f}" y="{:.0f}" width="{:.0f}" height="{:.0f}" )"
                       R"(fill="none" stroke="#888"/>)",
                       left, top, pw, ph);
    for (double t : xt)
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.0f}" x2="{0:.1f}" y2="{2:.0f}" )"
                           R"(stroke="#e4e4e4"/><text x="{0:.1f}" y="{3:.0f}" )"
                           R"(text-anchor="middle">{4}</text>)",
                           X(t), top, top + ph, top + ph + 14, tick(t));
    for (double t : yt)
        out += fmt::format(R"(<line x1="{0:.0f}" y1="{1:.1f}" x2="{2:.0f}" y2="{1:.1f}" )"
                           R"(stroke="#e4e4e4"/><text x="{3:.0f}" y="{4:.1f}" )"
                           R"(text-anchor="end">{5}</text>)",
                           left, Y(t), left + pw, left - 5, Y(t) + 4, tick(t));
    out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}" text-anchor="middle">arithmetic )"
                       R"(intensity (ops per DDR byte, log); layers with no DDR traffic at the )"
                       R"(right edge</text>)",
                       left + pw / 2, H - 12);
    out += fmt::format(R"svg(<text x="16" y="{0:.0f}" text-anchor="middle" )svg"
                       R"svg(transform="rotate(-90 16 {0:.0f})">TOPS (log)</text>)svg"
                       "\n",
                       top + ph / 2);
    for (std::size_t i = 0; i < ds.size(); ++i) {
        const ReportDesign& d = *ds[i];
        const char* colour = palette[i % std::size(palette)];
        const double bw = d.estimate.arch.ddr_gbps * d.device.board.ddr_efficiency;
        const double peak = d.estimate.totals.peak_tops;
        // Roof: min(peak, bandwidth x intensity), bandwidth GB/s x ops/byte = Gops/s.
        const double ridge = bw > 0 ? peak * 1000 / bw : xt.front();
        const double xa = xt.front(), xb = xt.back();
        const double ya = std::max(yt.front(), bw * xa / 1000);
        const double xs = bw > 0 ? std::max(xa, ya * 1000 / bw) : xa;
        out += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="1.5" )"
                           R"(stroke-dasharray="5 3" points="{:.1f},{:.1f} {:.1f},{:.1f} )"
                           R"({:.1f},{:.1f}"/>)",
                           colour, X(xs), Y(ya), X(std::min(ridge, xb)), Y(peak), X(xb), Y(peak));
        for (const auto& p : pts[i]) {
            const double px = std::isfinite(p.ops_per_byte) ? X(p.ops_per_byte) : left + pw - 4;
            const double py = Y(std::max(p.tops, yt.front()));
            out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}" )"
                               R"(fill-opacity="0.8"><title>{}: {} ops/byte, {:.3g} TOPS)"
                               R"(</title></circle>)",
                               px, py, colour, escape(p.name),
                               std::isfinite(p.ops_per_byte) ? fmt::format("{:.3g}", p.ops_per_byte)
                                                             : "no DDR traffic",
                               p.tops);
        }
        const double ly = top + 12 + double(i) * 30;
        out +=
            fmt::format(R"(<circle cx="{:.0f}" cy="{:.0f}" r="4" fill="{}"/>)"
                        R"(<text x="{:.0f}" y="{:.0f}">{}</text>)"
                        R"(<text x="{:.0f}" y="{:.0f}" fill="#555">peak {:.3g} TOPS, DDR {:.3g} )"
                        R"(GB/s usable</text>)"
                        "\n",
                        left + pw + 14, ly - 4, colour, left + pw + 22, ly,
                        escape(d.network.name + " " + precision_label(d.estimate.arch.precision)),
                        left + pw + 22, ly + 13, peak, bw);
    }
    out += "</svg>\n";
    return out;
}

std::string resources_svg(const ReportDesign& d) {
    const auto& r = d.estimate.resources;
    const auto& caps = d.estimate.caps;
    const struct {
        const char* name;
        double ResourceCounts::*field;
        double cap;
    } kinds[] = {{"ALM", &ResourceCounts::alm, caps.alm},
                 {"registers", &ResourceCounts::registers, caps.registers},
                 {"DSP", &ResourceCounts::dsp, caps.dsp},
                 {"M20K", &ResourceCounts::m20k, caps.m20k},
                 {"MLAB", &ResourceCounts::mlab, caps.mlab}};
    constexpr double label_w = 80, bar_w = 520, row_h = 34, top = 30;
    std::string out = svg_open(label_w + bar_w + 250, top + row_h * 5 + 20 + 16 * 8,
                               "resources of " + d.device_label + " / " + d.network.name);
    out += fmt::format(R"(<text x="{:.0f}" y="16" fill="#444">bar: share of the device used, )"
                       R"(one segment per component; solid line: capacity (100 %); dashed: )"
                       R"(the cap</text>)"
                       "\n",
                       label_w);
    // Scale: 100 % of the device at 80 % of the bar, so use beyond capacity still shows.
    for (std::size_t k = 0; k < std::size(kinds); ++k) {
        const double avail = r.available.*(kinds[k].field);
        const double used = r.total.*(kinds[k].field);
        const double scale = std::max(1.25, avail > 0 ? used / avail * 1.05 : 1.25);
        const double y = top + double(k) * row_h;
        out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}" text-anchor="end">{}</text>)",
                           label_w - 6, y + 15, kinds[k].name);
        double x = label_w;
        for (std::size_t c = 0; c < r.components.size(); ++c) {
            const double v = r.components[c].use.*(kinds[k].field);
            if (!(v > 0) || !(avail > 0)) continue;
            const double w = v / avail / scale * bar_w;
            out += fmt::format(R"(<rect x="{:.2f}" y="{:.0f}" width="{:.2f}" height="20" )"
                               R"(fill="{}" stroke="white" stroke-width="0.5"><title>{}: {} )"
                               R"(({:.1f} % of the device)</title></rect>)",
                               x, y + 2, w, component_palette[c % std::size(component_palette)],
                               escape(r.components[c].name), grouped(v), 100 * v / avail);
            x += w;
        }
        const double full = label_w + bar_w / scale, capx = label_w + kinds[k].cap * bar_w / scale;
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.0f}" x2="{0:.1f}" y2="{2:.0f}" )"
                           R"(stroke="#000" stroke-width="1.5"/>)"
                           R"(<line x1="{3:.1f}" y1="{1:.0f}" x2="{3:.1f}" y2="{2:.0f}" )"
                           R"(stroke="#D55E00" stroke-dasharray="3 2" stroke-width="1.5"/>)",
                           full, y, y + 24, capx);
        const bool over = avail > 0 && used > avail * kinds[k].cap;
        out += fmt::format(R"(<text x="{:.0f}" y="{:.0f}"{}>{} of {} ({}){}</text>)"
                           "\n",
                           label_w + bar_w + 6, y + 15, over ? R"( fill="#D55E00")" : "",
                           grouped(used), grouped(avail),
                           avail > 0 ? fmt::format("{:.1f} %", 100 * used / avail) : "n/a",
                           over ? " over cap" : "");
    }
    // Legend: one entry per component.
    double ly = top + 5 * row_h + 12;
    for (std::size_t c = 0; c < r.components.size(); ++c) {
        const double lx = label_w + double(c % 3) * 210;
        if (c && c % 3 == 0) ly += 16;
        out += fmt::format(R"(<rect x="{:.0f}" y="{:.0f}" width="10" height="10" fill="{}"/>)"
                           R"(<text x="{:.0f}" y="{:.0f}">{}</text>)",
                           lx, ly - 9, component_palette[c % std::size(component_palette)], lx + 14,
                           ly, escape(r.components[c].name));
    }
    out += "\n</svg>\n";
    return out;
}

} // namespace lpdla::html
