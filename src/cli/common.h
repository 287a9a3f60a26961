#pragma once
// Helpers shared by subcommands: loading named data, and sending a report where it was asked.
#include <string>

#include "commands.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"

namespace lpdla::cli {

Device load_device_named(const std::string& name, const GlobalOptions& global);
Network load_network_named(const std::string& name, double width, const GlobalOptions& global);

// Output format flags every reporting subcommand takes.
struct OutputOptions {
    bool json = false;
    bool csv = false;
    std::string out_file; // empty = stdout
    void add_to(CLI::App& cmd);
};

// Writes to --out atomically, or to stdout.
void emit(const OutputOptions& out, const std::string& text);

// `--svg FILE` of sweep and merge: the Pareto fronts drawn as cost vs images/s (plot_cmd.cpp).
void add_svg_option(CLI::App& cmd, std::string& file);
void write_front_svg(const SweepResult& result, const std::string& file); // no-op if file empty

} // namespace lpdla::cli
