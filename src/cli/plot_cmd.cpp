// `lpdla plot`: draw the Pareto fronts of a sweep (or merged) result as an SVG file; and the
// `--svg FILE` option sweep and merge share, which draws the default axes.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/json_io.h"
#include "lpdla/report/point_cloud.h"
#include "lpdla/report/sweep_plot.h"

namespace lpdla::cli {
namespace {

struct PlotOptions {
    std::string result_file, cloud_file, x = "cost", y = "images_per_s";
    bool log_x = false, log_y = false, shared_axes = false, by_network = false;
    OutputOptions out;
};

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("--cloud {}: cannot read (no such file?)", file));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

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
    cmd->add_flag("--log-x", o->log_x, "Logarithmic horizontal axis");
    cmd->add_flag("--log-y", o->log_y, "Logarithmic vertical axis");
    cmd->add_flag("--shared-axes", o->shared_axes, "Every panel on the same x and y ranges");
    cmd->add_flag("--by-network", o->by_network,
                  "One panel per network with every device's front in its own colour");
    cmd->add_option("--cloud", o->cloud_file,
                    "The sweep's --all CSV: every feasible point drawn light behind the fronts");
    cmd->add_option("--out", o->out.out_file, "Write the SVG to FILE (atomically), not stdout");
    cmd->callback([o] {
        const SweepResult result =
            sweep_result_from_json(read_json_file(o->result_file), o->result_file);
        std::vector<SweepPoint> cloud;
        if (!o->cloud_file.empty()) {
            PointCloud pc(result.spec);
            pc.add_csv(read_text(o->cloud_file), o->cloud_file);
            cloud = pc.points();
        }
        FrontFigureOptions f;
        f.log_x = o->log_x;
        f.log_y = o->log_y;
        f.shared_axes = o->shared_axes;
        f.panel_per_network = o->by_network;
        f.cloud = o->cloud_file.empty() ? nullptr : &cloud;
        emit(o->out, render_svg(sweep_front_figure(result, *parse_plot_metric(o->x),
                                                   *parse_plot_metric(o->y), f)));
    });
}

} // namespace lpdla::cli
