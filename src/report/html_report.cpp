// The HTML report (include/lpdla/report/html_report.h): one document, inline CSS and SVG, no
// script. Every number in it comes from the sweep result or a re-estimate of its designs.
#include "lpdla/report/html_report.h"
#include "lpdla/report/estimate_report.h"

#include <cmath>
#include <map>

#include <fmt/format.h>

#include "html_charts.h"
#include "lpdla/report/plot.h"
#include "lpdla/report/sweep_plot.h"
#include "lpdla/version.h"

namespace lpdla {
namespace {

using html::escape;
using html::grouped;

constexpr const char* css = R"(
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 2em auto; max-width: 1100px;
       padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
.meta { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.default { color: #888; font-style: italic; }
.warn { color: #b04000; }
.note { background: #fff8e6; border-left: 4px solid #E69F00; padding: 0.4em 0.8em; margin: 0.6em 0; }
svg { max-width: 100%; height: auto; display: block; margin: 0.4em 0; }
nav a { margin-right: 1em; }
code { background: #f3f3f3; padding: 0 0.2em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav { display: none; }
  h2 { page-break-after: avoid; }
  section { page-break-before: always; }
  section#question { page-break-before: avoid; }
  svg, table, .design { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)";

std::string pct(double used, double avail) {
    return avail > 0 ? fmt::format("{:.1f} %", 100 * used / avail) : "n/a";
}

std::string num(double v, const char* spec = "{:.4g}") {
    return std::isfinite(v) ? fmt::format(fmt::runtime(spec), v) : "unknown";
}

std::string over_caps(const ReportDesign& d) {
    return resources_over_caps(d.estimate);
}

std::string accuracy_cell(double top1, const std::optional<AccuracyEntry>& row) {
    if (!row) return "unknown (no accuracy row)";
    const std::string src = " <span class=\"meta\">" + escape(row->source) + "</span>";
    if (!std::isnan(top1))
        return escape(describe_accuracy(*row)) +
               (row->other_variant ? " <span class=\"warn\">(another variant, accepted)</span>"
                                   : "") +
               src;
    return "unknown for constraints; <span class=\"warn\">" + escape(describe_accuracy(*row)) +
           " (another variant: not used)</span>" + src;
}

void section(std::string& out, const char* id, const std::string& title) {
    out += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, escape(title));
}

void question(std::string& out, const HtmlReportData& d) {
    section(out, "question", "The question asked");
    if (!d.command.empty()) out += "<p>Made by <code>" + escape(d.command) + "</code></p>\n";
    out += "<table><tr><th>input</th><th>value</th><th></th></tr>\n";
    for (const auto& in : d.inputs)
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", escape(in.name),
                           escape(in.value),
                           in.is_default ? "<span class=\"default\">default</span>" : "set");
    out += "</table>\n</section>\n";
}

const std::optional<AccuracyEntry>* accuracy_of(const HtmlReportData& d, const SweepPoint& p) {
    const std::size_t v = std::size_t(p.network) * d.sweep->spec.widths.size() + p.width;
    const std::size_t slot = accuracy_slot(d.sweep->spec, p.precision, p.first_last);
    if (v >= d.accuracy.size() || slot >= d.accuracy[v].size()) return nullptr;
    return &d.accuracy[v][slot];
}

void design_row(std::string& out, const HtmlReportData& d, const SweepPoint& p,
                const Device* device) {
    const SweepSpec& s = d.sweep->spec;
    const ArchConfig& c = p.config;
    const auto* acc = accuracy_of(d, p);
    const ResourceCounts av = device ? device->available : ResourceCounts{};
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{:g}</td><td>{}</td><td>k{} c{} q{} l{} "
        "{} {:g} MHz</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape(s.devices[p.device]), escape(s.networks[p.network]), s.widths[p.width],
        precision_label(c.precision), c.k_vec, c.c_vec, c.q_vec, c.lanes, to_string(c.mac_impl),
        c.fmax_mhz, num(p.obj.images_per_s, "{:.1f}"), num(p.images_per_s_batch1, "{:.1f}"),
        num(p.latency_ms, "{:.3f}"),
        fmt::format("{} (fc_batch {})", num(p.latency_ms_batched, "{:.3f}"), c.fc_batch),
        pct(p.resources.alm, av.alm), pct(p.resources.dsp, av.dsp), pct(p.resources.m20k, av.m20k),
        num(p.power_w, "{:.1f}"),
        acc ? accuracy_cell(p.obj.top1, *acc)
            : std::string(std::isnan(p.obj.top1) ? "unknown" : num(100 * p.obj.top1, "{:.1f} %")));
}

void answer(std::string& out, const HtmlReportData& d) {
    section(out, "answer", "The answer");
    for (const auto& n : d.notes) out += "<p class=\"note\">" + escape(n) + "</p>\n";
    const std::string head =
        "<table><tr><th>device</th><th>network</th><th>width</th><th>precision</th>"
        "<th>configuration</th><th>images/s (FC batched)</th><th>images/s (batch 1)</th>"
        "<th>latency ms (batch 1)</th><th>latency ms (FC batched)</th><th>ALM</th><th>DSP</th>"
        "<th>M20K</th><th>power W</th><th>top-1 and its source</th></tr>\n";
    if (d.sweep) {
        const SweepResult& r = *d.sweep;
        out += fmt::format(
            "<p>{} configurations, {} fit the resource caps; {} (configuration, network, width) "
            "points evaluated, {} feasible. Below: the fastest feasible design per device, "
            "network, precision and width (images/s with FC layers batched; batch-1 columns: one "
            "image alone, FC weights streamed for it).</p>\n",
            grouped(double(r.counts.configs)), grouped(double(r.counts.configs_fitting)),
            grouped(double(r.counts.points_evaluated)), grouped(double(r.counts.points_feasible)));
        out += head;
        std::size_t rows = 0;
        for (const auto& g : r.groups) {
            const Device* dev =
                g.device < d.sweep_devices.size() ? &d.sweep_devices[g.device] : nullptr;
            for (const auto& p : g.best_by_precision)
                if (p) {
                    design_row(out, d, *p, dev);
                    ++rows;
                }
        }
        out += "</table>\n";
        if (rows == 0)
            out += "<p class=\"warn\">No design is feasible under the constraints.</p>\n";
    }
    if (!d.designs.empty()) {
        out += "<h3>Designs explained below</h3>\n<table><tr><th>role</th><th>device</th>"
               "<th>network</th><th>precision</th><th>images/s (FC batched)</th><th>images/s "
               "(batch 1)</th><th>latency ms (batch 1)</th><th>latency ms (FC batched)</th>"
               "<th>power W</th><th>fits</th><th>top-1 and its source</th></tr>\n";
        for (const auto& x : d.designs) {
            const auto& t = x.estimate.totals;
            const std::string over = over_caps(x);
            std::string acc = "unknown (no accuracy row)";
            if (x.estimate.accuracy)
                acc = accuracy_cell(x.accuracy_used ? x.estimate.accuracy->top1 : NAN,
                                    x.estimate.accuracy);
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.1f}</td><td "
                "class=\"num\">{:.1f}</td><td class=\"num\">{:.3f}</td><td class=\"num\">{:.3f} "
                "(fc_batch {})</td><td class=\"num\">{:.1f}</td><td>{}</td><td>{}</td></tr>\n",
                escape(x.role), escape(x.device_label), escape(x.network.name),
                precision_label(x.estimate.arch.precision), t.images_per_s, t.images_per_s_batch1,
                t.latency_ms, t.latency_ms_batched, x.estimate.arch.fc_batch,
                x.estimate.power.total_w(),
                over.empty() ? "yes" : "<span class=\"warn\">NO: " + escape(over) + "</span>", acc);
        }
        out += "</table>\n";
    }
    out += "</section>\n";
}

void pareto(std::string& out, const HtmlReportData& d) {
    section(out, "pareto", "Pareto fronts, every device on shared axes");
    if (!d.sweep) {
        out += "<p>One design was estimated: there is no front. <code>lpdla sweep --html "
               "FILE</code> or <code>lpdla report</code> explores the design space.</p>\n";
        out += "</section>\n";
        return;
    }
    FrontFigureOptions o;
    o.panel_per_network = true;
    o.shared_axes = true;
    o.log_y = true;
    o.cloud = d.cloud.empty() ? nullptr : &d.cloud;
    out += "<p>Each panel is one network; every device's front (images/s, top-1, cost) in its "
           "colour, all panels on the same axes" +
           std::string(d.cloud.empty() ? "" : "; grey: every feasible design (thinned)") +
           ".</p>\n";
    out += render_svg_element(
        sweep_front_figure(*d.sweep, PlotMetric::cost, PlotMetric::images_per_s, o));
    out += "</section>\n";
}

void accuracy(std::string& out, const HtmlReportData& d) {
    section(out, "accuracy", "Accuracy against images/s");
    if (d.sweep) {
        const SweepResult& r = *d.sweep;
        const SweepSpec& s = r.spec;
        PlotFigure fig;
        fig.title = "top-1 vs images/s: fastest design per precision";
        fig.subtitle = "only top-1 values used for constraints are drawn; unknown and "
                       "other-variant ones are counted under each panel";
        fig.x_label = "images/s";
        fig.y_label = "top-1 (%)";
        fig.log_x = true;
        fig.shared_axes = true;
        for (std::uint32_t n = 0; n < s.networks.size(); ++n) {
            PlotPanel panel;
            panel.title = s.networks[n];
            for (const auto& g : r.groups) {
                if (g.network != n) continue;
                PlotSeries ser;
                ser.name = s.devices[g.device];
                ser.colour = int(g.device);
                ser.marker = int(g.device / 8);
                for (const auto& p : g.best_by_precision)
                    if (p)
                        ser.points.push_back(
                            {p->obj.images_per_s, 100 * p->obj.top1, describe_sweep_point(s, *p)});
                if (!ser.points.empty()) panel.series.push_back(std::move(ser));
            }
            fig.panels.push_back(std::move(panel));
        }
        out += render_svg_element(fig);
        out += "<h3>Accuracy rows behind the answer</h3>\n<table><tr><th>network</th><th>width</th>"
               "<th>precision</th><th>top-1</th><th>measured on</th><th>its FP32 top-1</th>"
               "<th>used for constraints</th><th>source</th></tr>\n";
        for (std::size_t v = 0; v < d.accuracy.size(); ++v)
            for (std::size_t p = 0; p < d.accuracy[v].size(); ++p) {
                const auto& row = d.accuracy[v][p];
                const std::string net = s.networks[v / s.widths.size()];
                const double w = s.widths[v % s.widths.size()];
                if (!row) {
                    out += fmt::format("<tr><td>{}</td><td>{:g}</td><td>{}</td><td>unknown</td>"
                                       "<td></td><td></td><td>no (unknown)</td><td></td></tr>\n",
                                       escape(net), w, escape(slot_label(s, p)));
                    continue;
                }
                const bool used = !row->other_variant || s.accept_accuracy_from_variants;
                out += fmt::format(
                    "<tr><td>{}</td><td>{:g}</td><td>{}</td><td class=\"num\">{:.1f} %</td><td>{}"
                    "</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                    escape(net), w, escape(slot_label(s, p)), 100 * row->top1,
                    escape(row->variant.empty() ? "this network" : row->variant) + ", " +
                        escape(describe_first_last(*row)) +
                        (row->other_variant ? " <span class=\"warn\">(another variant)</span>"
                                            : ""),
                    row->fp32_top1 ? fmt::format("{:.1f} %", 100 * *row->fp32_top1) : "unknown",
                    used ? "yes" : "<span class=\"warn\">no: another variant</span>",
                    escape(row->source));
            }
        out += "</table>\n";
    } else {
        for (const auto& x : d.designs) {
            out += "<p>" + escape(x.network.name) + " at " +
                   precision_label(x.estimate.arch.precision) + ": ";
            out += x.estimate.accuracy
                       ? accuracy_cell(x.accuracy_used ? x.estimate.accuracy->top1 : NAN,
                                       x.estimate.accuracy)
                       : "top-1 unknown (no accuracy row for this precision and width)";
            out += "</p>\n";
        }
    }
    out += "</section>\n";
}

std::string design_title(const ReportDesign& x) {
    const ArchConfig& a = x.estimate.arch;
    return fmt::format("{}: {} / {} {} k{} c{} q{} l{} {} {:g} MHz", x.role, x.device_label,
                       x.network.name, precision_label(a.precision), a.k_vec, a.c_vec, a.q_vec,
                       a.lanes, to_string(a.mac_impl), a.fmax_mhz);
}

void layers(std::string& out, const HtmlReportData& d) {
    section(out, "layers", "Where the cycles go, layer by layer");
    out += "<p>Per image: compute (the loop nest), fill/drain (pipeline depths), control "
           "(sequencing), filter load (not hidden by the previous layer), memory stall (DDR "
           "beyond the busy cycles), calibrated (fitted residual). docs/MODEL.md §4-5.</p>\n";
    for (const auto& x : d.designs) {
        out += "<div class=\"design\"><h3>" + escape(design_title(x)) + "</h3>\n";
        out += html::layer_cycles_svg(x) + "</div>\n";
    }
    out += "</section>\n";
}

void roofline(std::string& out, const HtmlReportData& d) {
    section(out, "roofline", "Roofline per device");
    out += "<p>Each layer at its arithmetic intensity (2 x MACs per DDR byte) and the TOPS it "
           "achieves; dashed: the design's roof, min(peak TOPS, usable DDR GB/s x intensity). A "
           "layer far under its roof loses time to fill/drain, control or filter loads, not to "
           "bandwidth.</p>\n";
    std::map<std::string, std::vector<const ReportDesign*>> by_device;
    std::vector<std::string> order;
    for (const auto& x : d.designs) {
        if (!by_device.count(x.device_label)) order.push_back(x.device_label);
        by_device[x.device_label].push_back(&x);
    }
    for (const auto& dev : order) out += html::roofline_svg(dev, by_device[dev]);
    out += "</section>\n";
}

void resources(std::string& out, const HtmlReportData& d) {
    section(out, "resources", "Resources by component against capacity");
    for (const auto& x : d.designs) {
        out += "<div class=\"design\"><h3>" + escape(design_title(x)) + "</h3>\n";
        const std::string over = over_caps(x);
        out += over.empty()
                   ? std::string("<p>fits: every resource under its cap</p>\n")
                   : "<p class=\"warn\">fits: NO, over its cap: " + escape(over) + "</p>\n";
        out += html::resources_svg(x);
        out += "<table><tr><th>component</th><th>ALM</th><th>registers</th><th>DSP</th>"
               "<th>M20K</th><th>MLAB</th><th>how</th></tr>\n";
        for (const auto& c : x.estimate.resources.components)
            out += fmt::format(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td "
                "class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                "<td>{}</td></tr>\n",
                escape(c.name), grouped(c.use.alm), grouped(c.use.registers), grouped(c.use.dsp),
                grouped(c.use.m20k), grouped(c.use.mlab), escape(c.formula));
        out += "</table></div>\n";
    }
    out += "</section>\n";
}

void assumptions(std::string& out, const HtmlReportData& d) {
    section(out, "assumptions", "Assumptions behind the result");
    out += fmt::format("<p>{} values in the device and network files this result used are marked "
                       "\"assumed\" (not published figures); each shaped the numbers above.</p>\n",
                       d.assumptions.size());
    out += "<table><tr><th>file</th><th>where</th><th>assumption</th></tr>\n";
    for (const auto& a : d.assumptions)
        out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                           escape(a.file), escape(a.path), escape(a.text));
    out += "</table>\n</section>\n";
}

} // namespace

std::string render_html_report(const HtmlReportData& d) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<title>" + escape(d.title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n";
    out += "<h1>" + escape(d.title) + "</h1>\n";
    out += fmt::format("<p class=\"meta\">lpdla {}: analytical model, not a measurement; every "
                       "figure traces to docs/MODEL.md and the data files.</p>\n",
                       version_string);
    out += "<nav>";
    for (const char* id : html_report_sections) out += fmt::format("<a href=\"#{0}\">{0}</a>", id);
    out += "</nav>\n";
    question(out, d);
    answer(out, d);
    pareto(out, d);
    accuracy(out, d);
    layers(out, d);
    roofline(out, d);
    resources(out, d);
    assumptions(out, d);
    out += "</body>\n</html>\n";
    return out;
}

} // namespace lpdla
