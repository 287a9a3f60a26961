#pragma once
// `lpdla calibrate`: fits the model's one free timing coefficient, the busy-cycle residual
// (TimingCoefficients::residual_fraction), by least squares over every published throughput
// in the validation cases whose role is "calibration", and reports in-sample and leave-one-out
// errors (docs/MODEL.md "Calibration"). The library side; no printing here.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/validate/validate.h"

namespace lpdla {

// One published throughput, reduced to what the fit needs: the model's cycles per image without
// the residual (base) and the cycles one unit of residual fraction adds (the busy cycles of the
// layer passes an image runs; named `invocations` for the fit's design-matrix column).
struct CalibrationPoint {
    std::string case_id;
    double published_images_per_s = 0, fmax_mhz = 0;
    double base_cycles = 0, invocations = 0;
    double measured_cycles() const { return fmax_mhz * 1e6 / published_images_per_s; }
};

// One published power figure: the model's static and DDR terms, and its fabric dynamic power at
// dynamic_power_scale 1 (linear in the scale); DDR watts follow the case's images/s, so the point
// keeps its timing to evaluate it at the fitted residual.
struct PowerCalibrationPoint {
    std::string case_id;
    double published_w = 0;
    double static_w = 0, dynamic_w_unscaled = 0, ddr_joules_per_image = 0;
    CalibrationPoint timing; // published_images_per_s unused
};

struct PowerCalibrationRow {
    std::string case_id;
    double published_w = 0, in_sample_w = 0, in_sample_error = 0;
    std::optional<double> loo_w, loo_error; // none when the fit has a single point
};

struct CalibrationRow {
    std::string case_id;
    double published_images_per_s = 0;
    double in_sample_images_per_s = 0, in_sample_error = 0; // fitted on every point
    double loo_residual_fraction = 0;                       // fitted without this point
    double loo_images_per_s = 0, loo_error = 0;
    double calibrated_share = 0; // residual cycles / all cycles of the case, in-sample
};

// A coefficient without a source may account for at most this share of any case's cycles
// (issue 9's rule): the fit is bounded by it.
inline constexpr double default_max_residual_share = 0.10;

struct CalibrationFit {
    double residual_fraction = 0; // least squares, bounded to [0, the share bound]
    double max_share = default_max_residual_share;
    double unclamped_fraction = 0; // the least-squares value before clamping
    std::vector<CalibrationRow> rows;
    // Fabric dynamic power scale (PowerCoefficients::dynamic_scale): relative least squares over
    // the power figures with role "calibration", at the fitted residual; 1 when there are none.
    double dynamic_power_scale = 1;
    std::vector<PowerCalibrationRow> power_rows;
};

using DeviceLoader = std::function<Device(const std::string& name)>;
using NetworkLoader = std::function<Network(const std::string& name, double width)>;

// The calibration points of a validation file: each case's images_per_s figures with role
// "calibration", at the stated configuration. Throws lpdla::Error for a case whose configuration
// comes from a search (the fit needs a fixed design).
std::vector<CalibrationPoint> calibration_points(const ValidationFile& file,
                                                 const DeviceLoader& load_device,
                                                 const NetworkLoader& load_network);
// The power figures (metric power_w) with role "calibration", evaluated at dynamic scale 1.
std::vector<PowerCalibrationPoint> power_calibration_points(const ValidationFile& file,
                                                            const DeviceLoader& load_device,
                                                            const NetworkLoader& load_network);
// Minimises the sum of squared relative errors in cycles per image, bounded so that the residual
// is at most `max_share` of any point's cycles; every row's leave-one-out error refits without it
// (a single point's LOO uses a residual of 0).
// The power scale is then fitted the same way (relative error in watts) over `power_points`.
CalibrationFit fit_calibration(const std::vector<CalibrationPoint>& points,
                               double max_share = default_max_residual_share,
                               const std::vector<PowerCalibrationPoint>& power_points = {});
// The calibration data file (schema lpdla.calibration/1) the device files name.
nlohmann::json calibration_to_json(const CalibrationFit& fit, const std::string& cases_file);
std::string calibration_to_table(const CalibrationFit& fit);

} // namespace lpdla
