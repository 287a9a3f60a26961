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
#include "lpdla/model/estimate.h"
#include "lpdla/version.h"

namespace lpdla::cli {
namespace {

struct RunFlags {
    std::string config_file, network, kernel_dir;
    std::vector<std::string> layers;
    double scale = 1.0;
    std::uint64_t seed = 1;
    bool json = false;
};

std::string table(const std::vector<LayerRunResult>& rs, const std::string& header) {
    std::string t = header;
    t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9}  {}\n", "layer", "type", "mismatches",
                     "trip_count", "model_cycles", "wall_ms", "note");
    for (const auto& r : rs) {
        if (r.executed) {
            // '*': the kernel's first launch, whose time includes a deferred compile.
            t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9.3f}{} {}\n", r.name, r.type,
                             r.mismatches, r.trip_count, r.model_cycles, r.wall_ms,
                             r.first_launch ? "*" : " ", r.note);
        } else {
            t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9}  {}\n", r.name, r.type, "-",
                             "-", r.model_cycles, "-", r.note);
        }
    }
    std::string folded;
    for (const auto& r : rs) {
        if (r.folded) folded += (folded.empty() ? "" : ", ") + r.name;
    }
    if (!folded.empty())
        t += fmt::format("stride-folded as the model chose (space-to-depth on the host, then the "
                         "stride-1 conv kernel): {}\n",
                         folded);
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.first_launch; }))
        t += "* first launch of that kernel: wall_ms includes any compile the OpenCL platform "
             "defers "
             "to the first enqueue (PoCL caches it on disk; a second run times the kernel alone)\n";
    return t;
}

void run(const RunFlags& f, const GlobalOptions& global) {
    const ConfigFile cfg = load_config(f.config_file);
    const KernelConfig kc = kernel_config(cfg.arch); // refuses the float baselines
    const std::string net_name = f.network.empty() ? cfg.network : f.network;
    if (net_name.empty()) {
        throw Error("--network is required (or a \"network\" in --config)", ErrorKind::usage);
    }
    const Network net = load_scaled_network(find_data_file("networks", net_name, global.data_dir),
                                            cfg.width, f.scale);
    ArchConfig arch = cfg.arch;
    RunOptions options;
    if (!cfg.device.empty()) {
        // The model's per-layer result, as `estimate` computes it, decides which layers run
        // stride-folded and gives the loop iterations the trip counts must equal.
        const Estimate e = estimate(
            load_device(find_data_file("devices", cfg.device, global.data_dir)), net, arch);
        arch = e.arch;
        options.model = e.layers;
    } else if (arch.fold_strides) {
        throw Error(fmt::format("{}: fold_strides needs a \"device\" in the configuration: which "
                                "layers run stride-folded is the model's per-layer choice, "
                                "evaluated on a device",
                                f.config_file),
                    ErrorKind::bad_input);
    }
    const auto kernel_dir = f.kernel_dir.empty() ? data_dir(global.data_dir) / "kernels"
                                                 : std::filesystem::path(f.kernel_dir);
    OpenClRunner runner(kc, kernel_dir);
    options.scale = f.scale;
    options.seed = f.seed;
    options.layers = f.layers;
    const auto results = run_network(runner, net, arch, options);

    std::int64_t bad = 0;
    for (const auto& r : results) {
        if (r.executed && (r.mismatches != 0 || r.trip_count != r.model_cycles)) ++bad;
    }
    if (f.json) {
        nlohmann::json j = {{"schema", "lpdla.run/1"},
                            {"lpdla_version", version_string},
                            {"network", net.name},
                            {"device", runner.device_name()},
                            {"config", config_to_json(arch, cfg.device, net.name, cfg.width)},
                            {"scale", f.scale},
                            {"seed", f.seed},
                            {"input", {net.input.channels, net.input.height, net.input.width}},
                            {"layers", nlohmann::json::array()}};
        for (const auto& r : results) {
            nlohmann::json l = {{"name", r.name},
                                {"type", r.type},
                                {"executed", r.executed},
                                {"mismatches", r.mismatches},
                                {"values", r.values},
                                {"trip_count", r.trip_count},
                                {"model_cycles", r.model_cycles},
                                {"folded", r.folded},
                                {"wall_ms", r.wall_ms},
                                {"first_launch", r.first_launch}};
            if (!r.note.empty()) l["note"] = r.note;
            j["layers"].push_back(std::move(l));
        }
        fmt::print("{}\n", j.dump(2));
    } else {
        fmt::print("{}", table(results,
                               fmt::format("{} at scale {} (input {}x{}x{}), {} on {}, "
                                           "seed {}\n",
                                           net.name, f.scale, net.input.channels, net.input.height,
                                           net.input.width, precision_label(arch.precision),
                                           runner.device_name(), f.seed)));
    }
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
