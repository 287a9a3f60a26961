// lpdla: command-line front end over the library. Exit codes: 0 ok, 1 usage, 2 bad input,
// 3 nothing feasible, 4 runtime failure (docs/CLI.md).
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "common.h"
#include "lpdla/error.h"
#include "lpdla/version.h"
#include "suggest_cli.h"

int main(int argc, char** argv) {
    CLI::App app{"lpdla: performance, resource and accuracy model of low-precision DLA-style CNN "
                 "accelerators on Intel FPGAs"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("lpdla ") + lpdla::version_string,
                         "Print the version and exit");
    lpdla::cli::GlobalOptions global;
    app.add_option("--data-dir", global.data_dir,
                   "Directory holding devices/, networks/ and kernels/ (default: $LPDLA_DATA_DIR, "
                   "then the built-in location)");
    lpdla::cli::add_devices_command(app, global);
    lpdla::cli::add_networks_command(app, global);
    lpdla::cli::add_import_command(app, global);
    lpdla::cli::add_estimate_command(app, global);
    lpdla::cli::add_validate_command(app, global);
    lpdla::cli::add_calibrate_command(app, global);
    lpdla::cli::add_tradeoff_command(app, global);
    lpdla::cli::add_sweep_command(app, global);
    lpdla::cli::add_merge_command(app, global);
    lpdla::cli::add_plot_command(app, global);
    lpdla::cli::add_report_command(app, global);
    lpdla::cli::add_kernels_command(app, global);
    lpdla::cli::add_run_command(app, global);
    try {
        // A misspelt subcommand: name the closest one (CLI11 only says one is required).
        if (const auto msg = lpdla::cli::unknown_subcommand_message(app, argc, argv)) {
            std::fprintf(stderr, "lpdla: error: %s\n", msg->c_str());
            return int(lpdla::ErrorKind::usage);
        }
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        if (code == 0) return lpdla::cli::finish_stdout(0); // --help, --version
        // Unknown flags: the closest valid flag of the subcommand, after CLI11's message.
        if (dynamic_cast<const CLI::ExtrasError*>(&e))
            std::fputs(lpdla::cli::unknown_flag_hints(app, argc, argv).c_str(), stderr);
        // A value that does not convert or validate is bad input, not a usage mistake.
        const bool bad_value = dynamic_cast<const CLI::ConversionError*>(&e) ||
                               dynamic_cast<const CLI::ValidationError*>(&e);
        return int(bad_value ? lpdla::ErrorKind::bad_input : lpdla::ErrorKind::usage);
    } catch (const lpdla::Error& e) {
        std::fprintf(stderr, "lpdla: error: %s\n", e.what());
        return int(e.kind());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lpdla: internal error: %s\n", e.what());
        return int(lpdla::ErrorKind::runtime);
    }
    // A report lost to a full disk or a closed pipe must not exit 0.
    return lpdla::cli::finish_stdout(0);
}
