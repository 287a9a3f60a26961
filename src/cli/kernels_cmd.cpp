// `lpdla kernels`: the OpenCL kernel package (config header + sources) for one configuration.
#include <fmt/format.h>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/kernels/kernelgen.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/performance.h"

namespace lpdla::cli {
namespace {

// The model's predictions for the header comment: the full estimate when the configuration
// names a device and a network, the loop iterations alone when it names only a network.
std::string model_figures(const ConfigFile& cfg, const GlobalOptions& global) {
    if (cfg.network.empty()) {
        return "No network named in the configuration: no model figures.";
    }
    const double width = cfg.width > 0 ? cfg.width : 1.0;
    const Network net = load_network_named(cfg.network, width, global);
    std::string text = fmt::format("Model figures for {} (width {}):\n", net.name, width);
    ArchConfig arch = cfg.arch;
    if (!cfg.device.empty()) {
        const Device dev = load_device_named(cfg.device, global);
        const Estimate e = estimate(dev, net, arch);
        arch = e.arch;
        text += fmt::format("  device {}: {:.1f} images/s, latency {:.3f} ms, {:.3f} effective "
                            "TOPS of {:.3f} peak, fits: {}\n",
                            dev.name, e.totals.images_per_s, e.totals.latency_ms,
                            e.totals.effective_tops, e.totals.peak_tops, e.fits ? "yes" : "no");
    }
    const NetworkPlan plan = plan_network(net, false);
    std::int64_t total = 0;
    for (const PlannedLayer& l : plan.layers) {
        if (l.type == LayerType::relu) continue;
        const bool compute = l.type == LayerType::conv || l.type == LayerType::fc;
        const std::int64_t n =
            compute ? conv_loop_iterations(l, arch, false) : aux_loop_iterations(l, arch);
        total += n;
        text += fmt::format("  {:<24} {:>8} main-loop trips {}\n", net.layers[l.layer_index].name,
                            to_string(l.type), n);
    }
    text += fmt::format("  total main-loop trips per image (FC per batch of {}): {}\n",
                        arch.fc_batch, total);
    return text;
}

} // namespace

void add_kernels_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("kernels", "Write the OpenCL kernels (config header + sources) "
                                              "that realise a configuration");
    auto config_file = std::make_shared<std::string>();
    auto out_dir = std::make_shared<std::string>();
    cmd->add_option("--config", *config_file, "Configuration JSON (lpdla.config/1)")->required();
    cmd->add_option("--out", *out_dir, "Directory to write (replaced atomically)")->required();
    cmd->callback([config_file, out_dir, &global] {
        const ConfigFile cfg = load_config(*config_file);
        const KernelConfig kc = kernel_config(cfg.arch); // refuses the float baselines
        const std::string figures = model_figures(cfg, global);
        write_kernel_package(kc, figures, data_dir(global.data_dir) / "kernels", *out_dir);
        fmt::print("wrote {}: lpdla_config.h, lpdla_top.cl", *out_dir);
        for (const auto& name : kernel_source_names()) fmt::print(", {}", name);
        fmt::print("\n");
    });
}

} // namespace lpdla::cli
