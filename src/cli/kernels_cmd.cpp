// `lpdla kernels`: the OpenCL kernel package (config header + sources) for one configuration.
#include <algorithm>

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
        // A concat runs no kernel: its producers wrote its channels (0 trips, as the model).
        const std::int64_t n = l.type == LayerType::concat ? 0
                               : !compute                  ? aux_loop_iterations(l, arch)
                               : perf.empty()              ? conv_loop_iterations(l, arch, false)
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

// The precisions the configuration runs on the DSP side path: with wide_layers dsp_side_path,
// a first_last or per-layer precision the array cannot run in one pass goes there whole (as the
// model's choose_loop decides), each needing a conv kernel of its own precision.
std::vector<Precision> side_path_precisions(const ConfigFile& cfg) {
    std::vector<Precision> out;
    if (cfg.arch.wide_layers != WideLayerMode::dsp_side_path) return out;
    std::vector<Precision> wide;
    if (cfg.arch.first_last) wide.push_back(*cfg.arch.first_last);
    for (const auto& o : cfg.layer_precision) wide.push_back(o.precision);
    for (const Precision& p : wide) {
        if (p == cfg.arch.precision || bit_slice_passes(p, cfg.arch.precision) == 1) continue;
        if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    }
    return out;
}

// Writes one package per side-path precision beside the array's, in out_dir/side_path_<A>_<W>
// (run_network builds the same configuration); a precision without a kernel is reported as
// modelled only instead of failing the array's package.
void write_side_packages(const ConfigFile& cfg, const std::filesystem::path& kernel_dir,
                         const std::filesystem::path& out_dir) {
    for (const Precision& p : side_path_precisions(cfg)) {
        if (const std::string problem = kernel_precision_problem(p); !problem.empty()) {
            fmt::print("DSP side path at {}: modelled only, no package ({})\n", precision_label(p),
                       problem);
            continue;
        }
        ArchConfig side = cfg.arch;
        side.k_vec = cfg.arch.side_k_vec > 0 ? cfg.arch.side_k_vec : cfg.arch.k_vec;
        side.c_vec = cfg.arch.side_c_vec > 0 ? cfg.arch.side_c_vec : cfg.arch.c_vec;
        side.precision = p;
        const KernelConfig kc = kernel_config(side);
        const std::string name = fmt::format("side_path_{}_{}", p.act_bits, to_string(p.weights));
        write_kernel_package(kc,
                             fmt::format("DSP side path (wide_layers dsp_side_path): the layers at "
                                         "{} run here whole, in one pass of this conv kernel.",
                                         precision_label(p)),
                             kernel_dir, out_dir / name);
        fmt::print("wrote {}: the DSP side path's package ({} x {} at {})\n",
                   (out_dir / name).string(), kc.k_vec, kc.c_vec, precision_label(p));
    }
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
        write_side_packages(cfg, data_dir(global.data_dir) / "kernels", *out_dir);
        // The package is the same either way: folding is a host-side rearrangement.
        if (!figures.folded.empty()) {
            fmt::print("stride-folded by the host (space-to-depth, then the stride-1 conv "
                       "kernel): {}\n",
                       fmt::join(figures.folded, ", "));
        }
    });
}

} // namespace lpdla::cli
