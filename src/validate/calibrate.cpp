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

} // namespace

std::vector<CalibrationPoint> calibration_points(const ValidationFile& file,
                                                 const DeviceLoader& load_device,
                                                 const NetworkLoader& load_network) {
    std::vector<CalibrationPoint> points;
    for (const auto& c : file.cases) {
        for (const auto& f : c.figures) {
            if (f.role != FigureRole::calibration || f.metric != Metric::images_per_s) continue;
            if (c.config_from_search)
                throw Error(fmt::format("case {}: a calibration figure needs a stated "
                                        "configuration, not config_from_search",
                                        c.id));
            Device device = load_device(c.device);
            const Network network = load_network(c.network, c.width);
            // The model is linear in the residual (it is added outside every max), so two
            // evaluations give the base and the number of residuals an image incurs.
            device.timing.residual_fraction = 0;
            const Estimate base = estimate(device, network, c.config);
            device.timing.residual_fraction = 1;
            const Estimate unit = estimate(device, network, c.config);
            CalibrationPoint p;
            p.case_id = c.id;
            p.published_images_per_s = f.published;
            p.fmax_mhz = base.arch.fmax_mhz;
            p.base_cycles = base.totals.cycles_per_image;
            p.invocations = unit.totals.cycles_per_image - base.totals.cycles_per_image;
            points.push_back(p);
        }
    }
    return points;
}

CalibrationFit fit_calibration(const std::vector<CalibrationPoint>& points, double max_share) {
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
              {"residual_fraction_unclamped", fit.unclamped_fraction}}},
            {"fit", rows}};
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
    return out;
}

} // namespace lpdla
