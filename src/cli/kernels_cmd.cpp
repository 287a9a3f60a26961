// `lpdla kernels`: the OpenCL kernel package (config header + sources) for one configuration.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/kernels/kernelgen.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/performance.h"

namespace lpdla::cli {
namespace {

struct ModelFigures {
    std::string text;                // for the header comment
    std::vector<std::string> folded; // layers the host runs stride-folded
};

// The model's predictions for the header comment: the full estimate when the configuration
// names a device and a network, the loop iterations alone when it names only a network. With
// fold_strides, which layers fold is the estimate's per-layer choice, so it needs the device.
ModelFigures model_figures(const ConfigFile& cfg, const GlobalOptions& global) {
    if (cfg.network.empty()) {
        return {"No network named in the configuration: no model figures.", {}};
    }
    const double width = cfg.width > 0 ? cfg.width : 1.0;
    const Network net = load_network_named(cfg.network, width, global);
    ModelFigures m;
    std::string& text = m.text;
    text = fmt::format("Model figures for {} (width {}):\n", net.name, width);
    ArchConfig arch = cfg.arch;
    std::vector<LayerPerf> perf;
    if (!cfg.device.empty()) {
        const Device dev = load_device_named(cfg.device, global);
        const Estimate e = estimate(dev, net, arch);
        arch = e.arch;
        perf = e.layers;
        text += fmt::format("  device {}: {:.1f} images/s, latency {:.3f} ms, {:.3f} effective "
                            "TOPS of {:.3f} peak, fits: {}\n",
                            dev.name, e.totals.images_per_s, e.totals.latency_ms,
                            e.totals.effective_tops, e.totals.peak_tops, e.fits ? "yes" : "no");
    }
    const NetworkPlan plan = plan_network(net, false);
    // Without a device, the model's device-free loop choice (which layers fold, their trips).
    if (perf.empty()) perf = loop_choices(plan, arch);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
        const PlannedLayer& l = plan.layers[i];
        if (l.type == LayerType::relu) continue;
        const bool compute = l.type == LayerType::conv || l.type == LayerType::fc;
        const bool folded = compute && !perf.empty() && perf[i].folded;
        const std::int64_t n = !compute       ? aux_loop_iterations(l, arch)
                               : perf.empty() ? conv_loop_iterations(l, arch, false)
                                              : perf[i].loop_iterations;
        total += n;
        const std::string& name = net.layers[l.layer_index].name;
        if (folded) m.folded.push_back(name);
        text += fmt::format("  {:<24} {:>8} main-loop trips {}{}\n", name, to_string(l.type), n,
                            folded ? " (stride-folded on the host)" : "");
    }
    text += fmt::format("  total main-loop trips per image (FC per batch of {}): {}\n",
                        arch.fc_batch, total);
    return m;
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
        const ModelFigures figures = model_figures(cfg, global);
        write_kernel_package(kc, figures.text, data_dir(global.data_dir) / "kernels", *out_dir);
        fmt::print("wrote {}: lpdla_config.h, lpdla_top.cl", *out_dir);
        for (const auto& name : kernel_source_names()) fmt::print(", {}", name);
        fmt::print("\n");
        // The package is the same either way: folding is a host-side rearrangement.
        if (!figures.folded.empty()) {
            fmt::print("stride-folded by the host (space-to-depth, then the stride-1 conv "
                       "kernel): {}\n",
                       fmt::join(figures.folded, ", "));
        }
    });
}

} // namespace lpdla::cli
