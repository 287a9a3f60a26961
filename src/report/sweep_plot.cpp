// Sweep results as plots (include/lpdla/sweep_plot.h).
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "lpdla/report/sweep_plot.h"

namespace lpdla {
namespace {

struct MetricInfo {
    PlotMetric metric;
    const char* name;
    const char* label;
};

constexpr MetricInfo metrics[] = {
    {PlotMetric::images_per_s, "images_per_s", "images/s"},
    {PlotMetric::effective_tops, "effective_tops", "effective TOPS"},
    {PlotMetric::peak_tops, "peak_tops", "peak TOPS"},
    {PlotMetric::top1, "top1", "top-1 (%)"},
    {PlotMetric::cost, "cost", "cost"},
    {PlotMetric::alm, "alm", "ALMs"},
    {PlotMetric::dsp, "dsp", "DSP blocks"},
    {PlotMetric::m20k, "m20k", "M20K blocks"},
    {PlotMetric::power_w, "power_w", "power (W)"},
    {PlotMetric::images_per_w, "images_per_w", "images/s/W"},
    {PlotMetric::latency_ms, "latency_ms", "latency (ms)"},
};

const MetricInfo& info(PlotMetric m) {
    for (const auto& i : metrics)
        if (i.metric == m) return i;
    return metrics[0];
}

std::string axis_label(const SweepSpec& spec, PlotMetric m) {
    if (m != PlotMetric::cost) return info(m).label;
    // The sweep's cost objective, whichever resource it was set to measure.
    if (spec.cost == CostKind::area) return "area cost (% of device: largest of ALM, DSP, M20K)";
    return "cost: " + cost_description(spec.cost);
}

} // namespace

std::optional<PlotMetric> parse_plot_metric(std::string_view name) {
    for (const auto& i : metrics)
        if (name == i.name) return i.metric;
    return std::nullopt;
}

std::string plot_metric_names() {
    std::string out;
    for (const auto& i : metrics) out += (out.empty() ? "" : ", ") + std::string(i.name);
    return out;
}

double plot_metric_value(const SweepSpec& spec, const SweepPoint& p, PlotMetric m) {
    switch (m) {
    case PlotMetric::images_per_s:
        return p.obj.images_per_s;
    case PlotMetric::effective_tops:
        return p.effective_tops;
    case PlotMetric::peak_tops:
        return p.peak_tops;
    case PlotMetric::top1:
        return p.obj.top1 * 100; // NaN stays NaN: unknown accuracy is not drawn
    case PlotMetric::cost:
        return spec.cost == CostKind::area ? p.obj.cost * 100 : p.obj.cost;
    case PlotMetric::alm:
        return p.resources.alm;
    case PlotMetric::dsp:
        return p.resources.dsp;
    case PlotMetric::m20k:
        return p.resources.m20k;
    case PlotMetric::power_w:
        return p.power_w;
    case PlotMetric::images_per_w:
        return p.power_w > 0 ? p.obj.images_per_s / p.power_w : NAN;
    case PlotMetric::latency_ms:
        return p.latency_ms;
    }
    return NAN;
}

PlotFigure sweep_front_figure(const SweepResult& r, PlotMetric x, PlotMetric y, bool log_y) {
    FrontFigureOptions o;
    o.log_y = log_y;
    return sweep_front_figure(r, x, y, o);
}

PlotFigure sweep_front_figure(const SweepResult& r, PlotMetric x, PlotMetric y,
                              const FrontFigureOptions& o) {
    const SweepSpec& s = r.spec;
    PlotFigure fig;
    fig.title = fmt::format("Pareto fronts (images/s, top-1, cost): {} vs {}", info(y).label,
                            info(x).label);
    fig.subtitle = fmt::format(
        "sweep \"{}\"{}: {} configurations, {} feasible points; {}{}; hover a point for its "
        "configuration",
        s.name, r.shards_merged > 1 ? fmt::format(" ({} shards merged)", r.shards_merged) : "",
        r.counts.configs, r.counts.points_feasible,
        o.panel_per_network
            ? "one series per device"
            : std::string("one series per precision") + (s.widths.size() > 1 ? " and width" : ""),
        o.cloud ? "; grey: every feasible point (thinned)" : "");
    fig.x_label = axis_label(s, x);
    fig.y_label = axis_label(s, y);
    fig.log_y = o.log_y;
    fig.log_x = o.log_x;
    fig.shared_axes = o.shared_axes;
    const auto tooltip = [&](const SweepPoint& p, double px, double py) {
        return fmt::format("{} | {} {:.4g}, {} {:.4g}", describe_sweep_point(s, p), info(x).label,
                           px, info(y).label, py);
    };
    const auto cloud_series = [&](std::uint32_t device, std::uint32_t network, bool any_device) {
        PlotSeries c;
        c.name = "all feasible points";
        c.background = true;
        if (!o.cloud) return c;
        for (const auto& p : *o.cloud)
            if ((any_device || p.device == device) && p.network == network)
                c.points.push_back({plot_metric_value(s, p, x), plot_metric_value(s, p, y), {}});
        return c;
    };
    if (o.panel_per_network) {
        for (std::uint32_t n = 0; n < s.networks.size(); ++n) {
            PlotPanel panel;
            panel.title = s.networks[n] + ": every device";
            if (o.cloud) panel.series.push_back(cloud_series(0, n, true));
            std::size_t front = 0;
            for (const auto& g : r.groups) {
                if (g.network != n) continue;
                PlotSeries ser;
                ser.name = s.devices[g.device];
                ser.colour = int(g.device);
                ser.marker = int(g.device / 8);
                for (const auto& p : g.pareto) {
                    const double px = plot_metric_value(s, p, x), py = plot_metric_value(s, p, y);
                    ser.points.push_back({px, py, tooltip(p, px, py)});
                }
                front += ser.points.size();
                if (!ser.points.empty()) panel.series.push_back(std::move(ser));
            }
            panel.note = fmt::format("{} front points", front);
            fig.panels.push_back(std::move(panel));
        }
        return fig;
    }
    for (const auto& g : r.groups) {
        PlotPanel panel;
        panel.title = s.devices[g.device] + " / " + s.networks[g.network];
        panel.note = fmt::format("{} front points", g.pareto.size());
        if (o.cloud) panel.series.push_back(cloud_series(g.device, g.network, false));
        // Series in (precision, width) order so colours and legend are the same in every panel.
        std::vector<PlotSeries> series(s.precisions.size() * s.widths.size());
        for (std::size_t pi = 0; pi < s.precisions.size(); ++pi)
            for (std::size_t wi = 0; wi < s.widths.size(); ++wi) {
                auto& ser = series[pi * s.widths.size() + wi];
                ser.name = precision_label(s.precisions[pi]);
                if (s.widths.size() > 1) ser.name += fmt::format(" width {:g}", s.widths[wi]);
                ser.colour = int(pi);
                ser.marker = int(wi);
            }
        for (const auto& p : g.pareto) {
            const double px = plot_metric_value(s, p, x), py = plot_metric_value(s, p, y);
            series[p.precision * s.widths.size() + p.width].points.push_back(
                {px, py, tooltip(p, px, py)});
        }
        for (auto& ser : series)
            if (!ser.points.empty()) panel.series.push_back(std::move(ser));
        fig.panels.push_back(std::move(panel));
    }
    return fig;
}

} // namespace lpdla
