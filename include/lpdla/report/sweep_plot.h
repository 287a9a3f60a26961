#pragma once
// Plots of sweep results: the Pareto front of every (device, network) against two chosen figures,
// one series per precision and width.
#include <optional>
#include <string>
#include <string_view>

#include "lpdla/explore/sweep_engine.h"
#include "lpdla/report/plot.h"

namespace lpdla {

// A figure of a sweep point that a plot axis can show.
enum class PlotMetric {
    images_per_s,
    effective_tops,
    peak_tops,
    top1,
    cost,
    alm,
    dsp,
    m20k,
    power_w,
    images_per_w,
    latency_ms
};
std::optional<PlotMetric> parse_plot_metric(std::string_view name);
std::string plot_metric_names(); // the valid names, comma separated, for error messages

// The metric's value for a point in the axis's unit (top-1 and area cost in %); NaN if unknown.
double plot_metric_value(const SweepSpec& spec, const SweepPoint& point, PlotMetric metric);

// One panel per (device, network) of the result with its Pareto front.
PlotFigure sweep_front_figure(const SweepResult& result, PlotMetric x, PlotMetric y,
                              bool log_y = false);

struct FrontFigureOptions {
    bool log_x = false, log_y = false;
    bool shared_axes = false; // every panel on the same ranges
    // One panel per network with every device's front in it (one colour per device): the
    // device-vs-device view. Otherwise one panel per (device, network), a series per precision.
    bool panel_per_network = false;
    // Points drawn as a light cloud behind the fronts (e.g. every feasible point, thinned);
    // matched to panels by their device and network indices.
    const std::vector<SweepPoint>* cloud = nullptr;
};
PlotFigure sweep_front_figure(const SweepResult& result, PlotMetric x, PlotMetric y,
                              const FrontFigureOptions& options);

} // namespace lpdla
