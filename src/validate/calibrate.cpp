// Least-squares fit of the per-layer residual over the published throughputs (Eigen).
#include "lpdla/validate/calibrate.h"

#include <algorithm>
#include <iterator>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/version.h"

namespace lpdla {
using nlohmann::json;

namespace {

// Relative least squares: min over x of sum_i ((base_i + n_i x) / measured_i - 1)^2.
double least_squares(const std::vector<CalibrationPoint>& pts, std::size_t skip) {
    const std::size_t n = pts.size() - (skip < pts.size() ? 1 : 0);
    if (n == 0) return 0;
    const auto rows = static_cast<Eigen::Index>(n);
    Eigen::MatrixXd a(rows, 1);
    Eigen::VectorXd y(rows);
    Eigen::Index row = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (i == skip) continue;
        const double m = pts[i].measured_cycles();
        a(row, 0) = pts[i].invocations / m;
        y(row) = 1.0 - pts[i].base_cycles / m;
        ++row;
    }
    return a.colPivHouseholderQr().solve(y)(0);
}

// The largest residual that stays within `max_share` of every point's cycles.
double share_bound(const std::vector<CalibrationPoint>& pts, std::size_t skip, double max_share) {
    double bound = 1e300;
    for (std::size_t i = 0; i < pts.size(); ++i)
        if (i != skip && pts[i].invocations > 0)
            bound = std::min(bound,
                             max_share / (1 - max_share) * pts[i].base_cycles / pts[i].invocations);
    return bound;
}

double bounded_fit(const std::vector<CalibrationPoint>& pts, std::size_t skip, double max_share) {
    return std::clamp(least_squares(pts, skip), 0.0, share_bound(pts, skip, max_share));
}

double images_per_s(const CalibrationPoint& p, double residual) {
    return p.fmax_mhz * 1e6 / (p.base_cycles + p.invocations * residual);
}

double power_w(const PowerCalibrationPoint& p, double residual, double scale) {
    return p.static_w + scale * p.dynamic_w_unscaled +
           p.ddr_joules_per_image * images_per_s(p.timing, residual);
}

// Relative least squares for the scale s: min sum_i ((fixed_i + s d_i) / P_i - 1)^2.
double power_least_squares(const std::vector<PowerCalibrationPoint>& pts, double residual,
                           std::size_t skip) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (i == skip) continue;
        const double a = pts[i].dynamic_w_unscaled / pts[i].published_w;
        const double y = 1 - power_w(pts[i], residual, 0) / pts[i].published_w;
        num += a * y;
        den += a * a;
    }
    return den > 0 ? std::max(0.0, num / den) : 1.0;
}

CalibrationPoint timing_point(const Estimate& base, const Estimate& unit) {
    CalibrationPoint p;
    p.fmax_mhz = base.arch.fmax_mhz;
    p.base_cycles = base.totals.cycles_per_image;
    p.invocations = unit.totals.cycles_per_image - base.totals.cycles_per_image;
    return p;
}

// Calls visit(case, figure, device, base, unit) for every figure of `metric` with role
// "calibration": `base` is the case's estimate without the residual and `unit` with a residual
// of 1. The model is linear in the residual (it is added outside every max), so the two give the
// base cycles and the number of residuals an image incurs. The device has power scale 1.
template <typename Visit>
void for_each_calibration_figure(const ValidationFile& file, Metric metric,
                                 const DeviceLoader& load_device, const NetworkLoader& load_network,
                                 Visit visit) {
    for (const auto& c : file.cases)
        for (const auto& f : c.figures) {
            if (f.role != FigureRole::calibration || f.metric != metric) continue;
            if (c.config_from_search)
                throw Error(fmt::format("case {}: a calibration figure needs a stated "
                                        "configuration, not config_from_search",
                                        c.id));
            Device device = load_device(c.device);
            const Network network = load_network(c.network, c.width);
            device.power.dynamic_scale = 1;
            device.timing.residual_fraction = 0;
            const Estimate base = estimate(device, network, c.config);
            device.timing.residual_fraction = 1;
            const Estimate unit = estimate(device, network, c.config);
            visit(c, f, device, base, unit);
        }
}

} // namespace

std::vector<PowerCalibrationPoint> power_calibration_points(const ValidationFile& file,
                                                            const DeviceLoader& load_device,
                                                            const NetworkLoader& load_network) {
    std::vector<PowerCalibrationPoint> points;
    for_each_calibration_figure(file, Metric::power_w, load_device, load_network,
                                [&](const auto& c, const auto& f, const Device& device,
                                    const Estimate& base, const Estimate& unit) {
                                    PowerCalibrationPoint p;
                                    p.case_id = c.id;
                                    p.published_w = f.published;
                                    p.static_w = base.power.static_w;
                                    p.dynamic_w_unscaled = base.power.dynamic_w();
                                    // DDR watts = joules per image x images/s (docs/MODEL.md
                                    // "Power").
                                    p.ddr_joules_per_image = 1e-12 * device.power.ddr_pj_per_byte *
                                                             base.totals.ddr_bytes_per_image;
                                    p.timing = timing_point(base, unit);
                                    p.timing.case_id = c.id;
                                    points.push_back(p);
                                });
    return points;
}

std::vector<CalibrationPoint> calibration_points(const ValidationFile& file,
                                                 const DeviceLoader& load_device,
                                                 const NetworkLoader& load_network) {
    std::vector<CalibrationPoint> points;
    for_each_calibration_figure(file, Metric::images_per_s, load_device, load_network,
                                [&](const auto& c, const auto& f, const Device&,
                                    const Estimate& base, const Estimate& unit) {
                                    CalibrationPoint p = timing_point(base, unit);
                                    p.case_id = c.id;
                                    p.published_images_per_s = f.published;
                                    points.push_back(p);
                                });
    return points;
}

CalibrationFit fit_calibration(const std::vector<CalibrationPoint>& points, double max_share,
                               const std::vector<PowerCalibrationPoint>& power_points) {
    CalibrationFit fit;
    fit.max_share = max_share;
    fit.unclamped_fraction = least_squares(points, points.size());
    fit.residual_fraction = bounded_fit(points, points.size(), max_share);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const CalibrationPoint& p = points[i];
        CalibrationRow r;
        r.case_id = p.case_id;
        r.published_images_per_s = p.published_images_per_s;
        r.in_sample_images_per_s = images_per_s(p, fit.residual_fraction);
        r.in_sample_error = r.in_sample_images_per_s / p.published_images_per_s - 1;
        r.loo_residual_fraction = points.size() > 1 ? std::max(0.0, least_squares(points, i)) : 0.0;
        r.loo_images_per_s = images_per_s(p, r.loo_residual_fraction);
        r.loo_error = r.loo_images_per_s / p.published_images_per_s - 1;
        const double total = p.base_cycles + p.invocations * fit.residual_fraction;
        r.calibrated_share = total > 0 ? p.invocations * fit.residual_fraction / total : 0;
        fit.rows.push_back(r);
    }
    const double r = fit.residual_fraction;
    fit.dynamic_power_scale = power_least_squares(power_points, r, power_points.size());
    for (std::size_t i = 0; i < power_points.size(); ++i) {
        const PowerCalibrationPoint& p = power_points[i];
        PowerCalibrationRow row;
        row.case_id = p.case_id;
        row.published_w = p.published_w;
        row.in_sample_w = power_w(p, r, fit.dynamic_power_scale);
        row.in_sample_error = row.in_sample_w / p.published_w - 1;
        if (power_points.size() > 1) {
            row.loo_w = power_w(p, r, power_least_squares(power_points, r, i));
            row.loo_error = *row.loo_w / p.published_w - 1;
        }
        fit.power_rows.push_back(row);
    }
    return fit;
}

json calibration_to_json(const CalibrationFit& fit, const std::string& cases_file) {
    json rows = json::array();
    for (const auto& r : fit.rows)
        rows.push_back({{"case", r.case_id},
                        {"published_images_per_s", r.published_images_per_s},
                        {"in_sample_images_per_s", r.in_sample_images_per_s},
                        {"in_sample_error", r.in_sample_error},
                        {"loo_residual_fraction", r.loo_residual_fraction},
                        {"loo_images_per_s", r.loo_images_per_s},
                        {"loo_error", r.loo_error},
                        {"calibrated_share", r.calibrated_share}});
    json power_rows = json::array();
    for (const auto& r : fit.power_rows)
        power_rows.push_back({{"case", r.case_id},
                              {"published_w", r.published_w},
                              {"in_sample_w", r.in_sample_w},
                              {"in_sample_error", r.in_sample_error},
                              {"loo_w", r.loo_w ? json(*r.loo_w) : json(nullptr)},
                              {"loo_error", r.loo_error ? json(*r.loo_error) : json(nullptr)}});
    return {{"schema", "lpdla.calibration/1"},
            {"lpdla_version", version_string},
            {"comment", "Written by `lpdla calibrate` (docs/MODEL.md 'Calibration'); device files "
                        "name this file in timing.calibration_file."},
            {"cases_file", cases_file},
            {"method", "least squares on relative cycle error over the images_per_s figures "
                       "with role 'calibration', clamped to [0, the value at which the residual "
                       "is max_share of some case's cycles]"},
            {"max_share", fit.max_share},
            {"coefficients",
             {{"residual_fraction", fit.residual_fraction},
              {"residual_fraction_unclamped", fit.unclamped_fraction},
              {"dynamic_power_scale", fit.dynamic_power_scale}}},
            {"power_method", "least squares on relative power error over the power_w figures "
                             "with role 'calibration', at the fitted residual; scales every "
                             "device's four fabric dynamic coefficients (1 when no figure)"},
            {"fit", rows},
            {"power_fit", power_rows}};
}

std::string calibration_to_table(const CalibrationFit& fit) {
    std::string out = fmt::format(
        "lpdla calibrate: residual_fraction = {:.4f} (least squares {:.4f}; bounded to [0, a "
        "{:.0f}% share of any case's cycles])\n\n",
        fit.residual_fraction, fit.unclamped_fraction, 100 * fit.max_share);
    fmt::format_to(std::back_inserter(out), "{:<34} {:>10} {:>10} {:>9} {:>10} {:>9} {:>10}\n",
                   "case", "published", "in-sample", "error", "LOO", "LOO err", "residual");
    for (const auto& r : fit.rows)
        fmt::format_to(std::back_inserter(out),
                       "{:<34} {:>10.1f} {:>10.1f} {:>+8.1f}% {:>10.1f} {:>+8.1f}% {:>9.1f}%\n",
                       r.case_id, r.published_images_per_s, r.in_sample_images_per_s,
                       100 * r.in_sample_error, r.loo_images_per_s, 100 * r.loo_error,
                       100 * r.calibrated_share);
    out += "(residual = share of the case's cycles that the fitted residual accounts for)\n";
    fmt::format_to(std::back_inserter(out),
                   "\ndynamic_power_scale = {:.4f} (least squares over {} power figure{}; scales "
                   "the devices' fabric dynamic coefficients)\n",
                   fit.dynamic_power_scale, fit.power_rows.size(),
                   fit.power_rows.size() == 1 ? "" : "s");
    if (!fit.power_rows.empty()) {
        fmt::format_to(std::back_inserter(out), "{:<34} {:>10} {:>10} {:>9} {:>10} {:>9}\n", "case",
                       "published", "in-sample", "error", "LOO", "LOO err");
        for (const auto& r : fit.power_rows)
            fmt::format_to(
                std::back_inserter(out), "{:<34} {:>9.1f}W {:>9.1f}W {:>+8.1f}% {:>10} {:>9}\n",
                r.case_id, r.published_w, r.in_sample_w, 100 * r.in_sample_error,
                r.loo_w ? fmt::format("{:.1f}W", *r.loo_w) : "-",
                r.loo_error ? fmt::format("{:+.1f}%", 100 * *r.loo_error) : "- (one figure)");
    }
    return out;
}

} // namespace lpdla
