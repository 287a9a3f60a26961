// `lpdla calibrate`: fit the per-layer residual over the published throughputs and, with
// --write, store it in the calibration file the device files name (docs/MODEL.md "Calibration").
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/validate/calibrate.h"

namespace lpdla::cli {

void add_calibrate_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand(
        "calibrate", "Fit the model's per-layer residual to the published throughputs "
                     "(validation cases with role \"calibration\"), with leave-one-out errors");
    struct Options {
        std::string cases, write;
    };
    auto opts = std::make_shared<Options>();
    auto out = std::make_shared<OutputOptions>();
    add_cases_option(*cmd, opts->cases);
    cmd->add_option("--write", opts->write,
                    "Write the fit (lpdla.calibration/1) to this file, e.g. "
                    "validation/calibration.json, the file the shipped devices name");
    out->add_to(*cmd);
    cmd->callback([opts, out, &global] {
        if (out->csv)
            throw Error("calibrate: --csv is not supported; use --json", ErrorKind::usage);
        const auto path = cases_path(opts->cases, global);
        const ValidationFile file = load_validation(path);
        const auto points = cli_calibration_points(file, global);
        if (points.empty())
            throw Error(path.string() + ": no images_per_s figure has role \"calibration\"");
        const CalibrationFit fit = fit_calibration(points, default_max_residual_share,
                                                   cli_power_calibration_points(file, global));
        const auto doc = calibration_to_json(fit, path.filename().string());
        if (!opts->write.empty()) write_file_atomic(opts->write, doc.dump(2) + "\n");
        emit(*out, out->json ? doc.dump(2) + "\n" : calibration_to_table(fit));
    });
}

} // namespace lpdla::cli
