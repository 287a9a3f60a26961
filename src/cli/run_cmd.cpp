// `lpdla run`: builds the kernels on the OpenCL platform present and checks a network on it,
// layer by layer, against the C++ reference and the model's loop iterations.
#include "commands.h"
#include <algorithm>

#ifdef LPDLA_HAVE_OPENCL

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/kernels/opencl_runner.h"
#include "lpdla/kernels/run_report.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/precision_assignment.h"

namespace lpdla::cli {
namespace {

struct RunFlags {
    std::string config_file, network, kernel_dir, first_last;
    std::vector<std::string> layers;
    double scale = 1.0;
    std::uint64_t seed = 1;
    bool json = false;
};

void run(const RunFlags& f, const GlobalOptions& global) {
    ConfigFile cfg = load_config(f.config_file);
    // The first/last layers at their own precision run bit-sliced (docs/KERNELS.md).
    if (!f.first_last.empty()) cfg.arch.first_last = parse_first_last(f.first_last, "--first-last");
    const KernelConfig kc = kernel_config(cfg.arch); // refuses the float baselines
    const std::string net_name = f.network.empty() ? cfg.network : f.network;
    if (net_name.empty()) {
        throw Error("--network is required (or a \"network\" in --config)", ErrorKind::usage);
    }
    Network net = load_scaled_network(find_data_file("networks", net_name, global.data_dir),
                                      cfg.width, f.scale);
    // The config's per-layer precisions, as estimate applies them, so both see the same layers.
    apply_layer_precisions(net, cfg.layer_precision, f.config_file + ": /layer_precision");
    ArchConfig arch = cfg.arch;
    RunOptions options;
    if (!cfg.device.empty()) {
        // The model's per-layer result, as `estimate` computes it, decides which layers run
        // stride-folded and gives the loop iterations the trip counts must equal.
        const Estimate e = estimate(
            load_device(find_data_file("devices", cfg.device, global.data_dir)), net, arch);
        arch = e.arch;
        options.model = e.layers;
    }
    const auto kernel_dir = f.kernel_dir.empty() ? data_dir(global.data_dir) / "kernels"
                                                 : std::filesystem::path(f.kernel_dir);
    OpenClRunner runner(kc, kernel_dir);
    options.scale = f.scale;
    options.seed = f.seed;
    options.layers = f.layers;
    const auto results = run_network(runner, net, arch, options);

    const std::int64_t bad = run_failures(results);
    const RunReportInputs report{&net, runner.device_name(), arch, cfg.device, cfg.width, options};
    if (f.json)
        fmt::print("{}\n", run_report_to_json(report, results).dump(2));
    else
        fmt::print("{}", run_report_to_table(report, results));
    if (bad > 0) {
        throw Error(fmt::format("{} layer(s) differ from the reference or from the model's loop "
                                "iterations",
                                bad),
                    ErrorKind::runtime);
    }
}

} // namespace

void add_run_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("run", "Run a network on the OpenCL platform present and check "
                                          "every layer against the reference and the model");
    auto f = std::make_shared<RunFlags>();
    cmd->add_option("--config", f->config_file, "Configuration JSON (lpdla.config/1)")->required();
    cmd->add_option("--network", f->network, "Network name or JSON path (default: the config's)");
    cmd->add_option("--layers", f->layers, "Only run these layers on the device (comma-separated)")
        ->delimiter(',');
    cmd->add_option("--scale", f->scale, "Multiply the input height and width by S in (0, 1]")
        ->capture_default_str();
    cmd->add_option("--seed", f->seed, "Seed of the random weights and inputs")
        ->capture_default_str();
    cmd->add_flag("--json", f->json,
                  "Print JSON: layers[].{name, mismatches, trip_count, "
                  "model_cycles, folded, wall_ms}");
    cmd->add_option("--first-last", f->first_last,
                    "Precision of the first and last conv/fc layers, e.g. 8/int8 (overrides the "
                    "config's first_last); they run bit-sliced on the array");
    cmd->add_option("--kernel-dir", f->kernel_dir, "Kernel sources (default: <data dir>/kernels)");
    cmd->callback([f, &global] { run(*f, global); });
}

} // namespace lpdla::cli

#else

#include "lpdla/error.h"

namespace lpdla::cli {

void add_run_command(CLI::App& app, const GlobalOptions&) {
    auto* cmd = app.add_subcommand("run", "Run a network on OpenCL (unavailable: built without "
                                          "OpenCL)");
    cmd->allow_extras();
    cmd->callback([] {
        throw Error("lpdla was built without OpenCL (LPDLA_WITH_OPENCL=OFF or ocl-icd missing): "
                    "`run` is unavailable; `kernels` still writes the kernel package",
                    ErrorKind::bad_input);
    });
}

} // namespace lpdla::cli

#endif
