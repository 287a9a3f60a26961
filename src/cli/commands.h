#pragma once
// Each subcommand lives in its own file and registers itself on the app here.
#include <CLI/CLI.hpp>

namespace lpdla::cli {

// Options every subcommand shares.
struct GlobalOptions {
    std::string data_dir; // --data-dir: where devices/, networks/, kernels/ live
};

void add_devices_command(CLI::App& app, const GlobalOptions& global);
void add_networks_command(CLI::App& app, const GlobalOptions& global);
void add_import_command(CLI::App& app, const GlobalOptions& global); // ONNX -> network JSON
void add_estimate_command(CLI::App& app, const GlobalOptions& global);
void add_sweep_command(CLI::App& app, const GlobalOptions& global);
void add_merge_command(CLI::App& app, const GlobalOptions& global);
void add_validate_command(CLI::App& app, const GlobalOptions& global);
void add_calibrate_command(CLI::App& app, const GlobalOptions& global);
void add_tradeoff_command(CLI::App& app, const GlobalOptions& global);
void add_kernels_command(CLI::App& app, const GlobalOptions& global);
void add_plot_command(CLI::App& app, const GlobalOptions& global);
void add_report_command(CLI::App& app, const GlobalOptions& global); // HTML report
void add_run_command(CLI::App& app, const GlobalOptions& global); // needs OpenCL

} // namespace lpdla::cli
