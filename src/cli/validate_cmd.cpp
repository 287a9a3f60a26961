// `lpdla validate`: the published cases (validation/cases.json) side by side with the model.
// Exits 5 when a figure falls outside its tolerance or a design does not fit (docs/CLI.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/validate/calibrate.h"
#include "lpdla/validate/validate.h"

namespace lpdla::cli {

namespace {
// Not one of ErrorKind's input/feasibility codes: the run worked, the model disagrees.
constexpr auto validation_failed = ErrorKind::validation_failed;
} // namespace

void add_validate_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("validate",
                                   "Reproduce the published results (validation/cases.json) and "
                                   "compare them with the model");
    struct Options {
        std::string cases;
        std::vector<std::string> accuracy;
    };
    auto opts = std::make_shared<Options>();
    auto out = std::make_shared<OutputOptions>();
    add_cases_option(*cmd, opts->cases);
    cmd->add_option("--accuracy", opts->accuracy,
                    "Extra accuracy rows (lpdla.accuracy/1), repeatable; each applies to the "
                    "network it names");
    out->add_to(*cmd);
    cmd->callback([opts, out, &global] {
        if (out->csv) throw Error("validate: --csv is not supported; use --json", ErrorKind::usage);
        const auto path = cases_path(opts->cases, global);
        const ValidationFile file = load_validation(path);
        const std::vector<std::filesystem::path> acc(opts->accuracy.begin(), opts->accuracy.end());
        std::vector<CaseResult> results;
        for (const auto& c : file.cases) {
            const Device device = load_device_named(c.device, global);
            Network network = load_network_named(c.network, c.width, global);
            add_user_accuracy(network, acc);
            results.push_back(run_case(c, device, network));
        }
        // Calibration figures are in sample: their leave-one-out error is the test that counts.
        const auto points = cli_calibration_points(file, global);
        const CalibrationFit fit = fit_calibration(points, default_max_residual_share,
                                                   cli_power_calibration_points(file, global));
        for (auto& r : results)
            for (auto& f : r.figures) {
                if (f.figure.role != FigureRole::calibration) continue;
                const std::string& id = r.source_case->id;
                if (f.figure.metric == Metric::images_per_s)
                    for (const auto& row : fit.rows)
                        if (row.case_id == id) f.loo_rel_error = row.loo_error;
                if (f.figure.metric == Metric::power_w)
                    for (const auto& row : fit.power_rows)
                        if (row.case_id == id) f.loo_rel_error = row.loo_error;
            }
        if (out->json)
            emit(*out, validation_to_json(file, results).dump(2) + "\n");
        else
            emit(*out, validation_to_table(file, results));
        std::size_t failed = 0;
        for (const auto& r : results) failed += r.passed() ? 0 : 1;
        if (failed)
            throw Error(fmt::format("{} of {} validation cases outside tolerance (see the report)",
                                    failed, results.size()),
                        validation_failed);
    });
}

} // namespace lpdla::cli
