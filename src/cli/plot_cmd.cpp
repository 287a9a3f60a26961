// `lpdla plot`: draw the Pareto fronts of a sweep (or merged) result as an SVG file; and the
// `--svg FILE` option sweep and merge share, which draws the default axes.
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/json_io.h"
#include "lpdla/report/sweep_plot.h"

namespace lpdla::cli {
namespace {

struct PlotOptions {
    std::string result_file, x = "cost", y = "images_per_s";
    bool log_y = false;
    OutputOptions out;
};

CLI::Validator metric_validator() {
    return CLI::Validator(
        [](std::string& name) -> std::string {
            if (parse_plot_metric(name)) return {};
            return fmt::format("unknown metric \"{}\"; valid: {}", name, plot_metric_names());
        },
        "METRIC");
}

} // namespace

void add_svg_option(CLI::App& cmd, std::string& file) {
    cmd.add_option("--svg", file,
                   "Also draw the Pareto fronts (cost vs images/s) to this SVG file (`lpdla plot` "
                   "draws other axes)");
}

void write_front_svg(const SweepResult& result, const std::string& file) {
    if (file.empty()) return;
    write_file_atomic(
        file, render_svg(sweep_front_figure(result, PlotMetric::cost, PlotMetric::images_per_s)));
}

void add_plot_command(CLI::App& app, const GlobalOptions&) {
    auto* cmd = app.add_subcommand(
        "plot", "Draw the Pareto fronts of a sweep or merge result (--json output) as SVG");
    auto o = std::make_shared<PlotOptions>();
    cmd->add_option("result", o->result_file, "Sweep result JSON (sweep --json, merge --json)")
        ->required();
    cmd->add_option("--x", o->x, "Horizontal axis: " + plot_metric_names() + " (default cost)")
        ->check(metric_validator());
    cmd->add_option("--y", o->y,
                    "Vertical axis: " + plot_metric_names() + " (default images_per_s)")
        ->check(metric_validator());
    cmd->add_flag("--log-y", o->log_y, "Logarithmic vertical axis");
    cmd->add_option("--out", o->out.out_file, "Write the SVG to FILE (atomically), not stdout");
    cmd->callback([o] {
        const SweepResult result =
            sweep_result_from_json(read_json_file(o->result_file), o->result_file);
        emit(o->out, render_svg(sweep_front_figure(result, *parse_plot_metric(o->x),
                                                   *parse_plot_metric(o->y), o->log_y)));
    });
}

} // namespace lpdla::cli
