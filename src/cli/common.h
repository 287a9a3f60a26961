#pragma once
// Helpers shared by subcommands: loading named data, and sending a report where it was asked.
#include <string>

#include "commands.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/validate/calibrate.h"

namespace lpdla::cli {

Device load_device_named(const std::string& name, const GlobalOptions& global);
Network load_network_named(const std::string& name, double width, const GlobalOptions& global);
// `--cases FILE` (validate, calibrate): the option, and the file it names or the shipped one.
void add_cases_option(CLI::App& cmd, std::string& cases);
std::filesystem::path cases_path(const std::string& cases, const GlobalOptions& global);
// The calibration points of a validation file, devices and networks loaded as the CLI does.
std::vector<CalibrationPoint> cli_calibration_points(const ValidationFile& file,
                                                     const GlobalOptions& global);
std::vector<PowerCalibrationPoint> cli_power_calibration_points(const ValidationFile& file,
                                                                const GlobalOptions& global);

// Output format flags every reporting subcommand takes.
struct OutputOptions {
    bool json = false;
    bool csv = false;
    std::string out_file; // empty = stdout
    void add_to(CLI::App& cmd);
};

// Writes to --out atomically, or to stdout.
void emit(const OutputOptions& out, const std::string& text);
// Flushes and closes standard output; a failed or short write anywhere before (a full disk,
// a closed pipe) makes this return the runtime exit code with a message, else `code`.
int finish_stdout(int code);

// `--svg FILE` of sweep and merge: the Pareto fronts drawn as cost vs images/s (plot_cmd.cpp).
void add_svg_option(CLI::App& cmd, std::string& file);
void write_front_svg(const SweepResult& result, const std::string& file); // no-op if file empty

} // namespace lpdla::cli
