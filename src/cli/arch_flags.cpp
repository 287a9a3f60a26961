#include "arch_flags.h"

#include <fmt/format.h>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/explore/sweep_spec.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/suggest.h"

namespace lpdla::cli {

void ArchFlags::add_to(CLI::App& cmd) {
    cmd.add_option("--config", config_file,
                   "Configuration JSON (lpdla.config/1); flags override it");
    cmd.add_option("--device", device,
                   "Device name (see `lpdla devices`) or path to a device JSON");
    cmd.add_option("--network", network,
                   "Network name (see `lpdla networks`) or path to a network JSON");
    cmd.add_option("--width", width, "Width multiplier (WRPN-style), default 1");
    cmd.add_option("--act-bits", act_bits, "Activation bits: 1, 2, 4, 8, 16 (32 with fp32)");
    cmd.add_option("--weights", weights,
                   "Weight kind: binary, ternary, int2, int4, int8, int16, bfp16, fp32");
    cmd.add_option("--mac-impl", mac_impl, "MAC implementation: auto (default), dsp, alm");
    cmd.add_option("--k-vec", k_vec, "PEs (output channels in parallel)");
    cmd.add_option("--c-vec", c_vec, "Dot-product width (input channels per cycle)");
    cmd.add_option("--q-vec", q_vec, "Output columns per PE per cycle");
    cmd.add_option("--lanes", lanes, "Output rows in parallel (PE array copies)");
    cmd.add_option("--fmax-mhz", fmax_mhz, "Assumed clock (default: the device's)");
    cmd.add_option("--ddr-gbps", ddr_gbps, "External memory bandwidth (default: the board's peak)");
    cmd.add_option("--fc-batch", fc_batch, "Images batched through FC layers (default 32)");
    cmd.add_option("--stream-buffer-kib", stream_buffer_kib,
                   "On-chip feature-map buffer, KiB (default 0 = auto: the network's largest live "
                   "set of feature maps)");
    cmd.add_option("--filter-cache-depth", filter_cache_depth,
                   "Filter cache words per PE (default 0 = auto: the deepest filter a PE runs)");
    cmd.add_option("--max-alm-pct", max_alm_pct, "ALM utilisation cap in percent (default 85)");
    cmd.add_option("--max-dsp-pct", max_dsp_pct, "DSP utilisation cap in percent (default 100)");
    cmd.add_option("--max-m20k-pct", max_m20k_pct, "M20K utilisation cap in percent (default 100)");
    cmd.add_option("--accuracy", accuracy_file, "Extra accuracy rows (lpdla.accuracy/1 JSON)");
    cmd.add_option("--first-last", first_last,
                   "Precision of the first and last conv/fc layers, e.g. 8/int8 or 32/fp32 (as the "
                   "published low-precision networks keep them); none = the array's (default)");
    cmd.add_option("--layer-precision", layer_precision,
                   "Per-layer precision overrides by name, e.g. conv1=8/int8,fc8=8/int8 (wins over "
                   "--first-last)");
    cmd.add_option("--wide-layers", wide_layers,
                   "How layers wider than the array run: bit_slice (passes on the array, the "
                   "default) or dsp_side_path (a DSP array beside it)");
    cmd.add_option("--side-k-vec", side_k_vec, "DSP side path PEs (default: the array's k_vec)");
    cmd.add_option("--side-c-vec", side_c_vec,
                   "DSP side path dot-product width (default: the array's c_vec)");
    cmd.add_flag("--fold-strides,!--no-fold-strides", fold_strides,
                 "Let strided convs run stride-folded (space-to-depth) when cheaper (the "
                 "default); `run` folds the same layers on the host (docs/KERNELS.md)");
}

namespace {

void check_positive(const CLI::App& cmd, const char* flag, long long value) {
    if (cmd.count(flag) && value <= 0)
        throw Error(fmt::format("{} {}: must be a positive integer", flag, value));
}

} // namespace

ResolvedInputs ArchFlags::resolve(const CLI::App& cmd, const GlobalOptions& global) const {
    ConfigFile cfg;
    if (!config_file.empty()) cfg = load_config(config_file);
    ArchConfig& a = cfg.arch;
    for (auto [flag, v] : {std::pair{"--k-vec", k_vec},
                           {"--c-vec", c_vec},
                           {"--q-vec", q_vec},
                           {"--lanes", lanes},
                           {"--act-bits", act_bits},
                           {"--fc-batch", fc_batch},
                           {"--filter-cache-depth", filter_cache_depth},
                           {"--side-k-vec", side_k_vec},
                           {"--side-c-vec", side_c_vec}})
        check_positive(cmd, flag, v);
    if (cmd.count("--k-vec")) a.k_vec = k_vec;
    if (cmd.count("--c-vec")) a.c_vec = c_vec;
    if (cmd.count("--q-vec")) a.q_vec = q_vec;
    if (cmd.count("--lanes")) a.lanes = lanes;
    if (cmd.count("--act-bits")) a.precision.act_bits = act_bits;
    if (cmd.count("--fc-batch")) a.fc_batch = fc_batch;
    if (cmd.count("--filter-cache-depth")) a.filter_cache_depth = filter_cache_depth;
    if (cmd.count("--stream-buffer-kib")) {
        if (stream_buffer_kib < 0)
            throw Error(
                fmt::format("--stream-buffer-kib {}: must be >= 0 (0 = auto, sized to the network)",
                            stream_buffer_kib));
        a.stream_buffer_kib = stream_buffer_kib;
    }
    if (cmd.count("--fmax-mhz")) {
        if (!(fmax_mhz > 0)) throw Error(fmt::format("--fmax-mhz {}: must be positive", fmax_mhz));
        a.fmax_mhz = fmax_mhz;
    }
    if (cmd.count("--ddr-gbps")) {
        if (!(ddr_gbps > 0)) throw Error(fmt::format("--ddr-gbps {}: must be positive", ddr_gbps));
        a.ddr_gbps = ddr_gbps;
    }
    if (cmd.count("--weights")) {
        const auto kind = parse_weight_kind(weights);
        if (!kind)
            throw Error(fmt::format("--weights {}: unknown weight kind{}; valid: binary, ternary, "
                                    "int2, int4, int8, int16, bfp16, fp32",
                                    weights,
                                    did_you_mean(weights, {"binary", "ternary", "int2", "int4",
                                                           "int8", "int16", "bfp16", "fp32"})));
        a.precision.weights = *kind;
    }
    if (auto problem = precision_problem(a.precision); !problem.empty())
        throw Error(
            fmt::format("--act-bits/--weights {}: {}", precision_label(a.precision), problem));
    if (cmd.count("--first-last")) a.first_last = parse_first_last(first_last, "--first-last");
    if (cmd.count("--wide-layers") && !parse_wide_layer_mode(wide_layers, a.wide_layers))
        throw Error(fmt::format("--wide-layers {}: valid values are bit_slice, dsp_side_path{}",
                                wide_layers,
                                did_you_mean(wide_layers, {"bit_slice", "dsp_side_path"})));
    if (cmd.count("--side-k-vec")) a.side_k_vec = side_k_vec;
    if (cmd.count("--side-c-vec")) a.side_c_vec = side_c_vec;
    if (cmd.count("--layer-precision"))
        for (const auto& item : parse_word_list(layer_precision, "--layer-precision")) {
            const auto eq = item.find('=');
            if (eq == std::string::npos || eq == 0)
                throw Error(fmt::format("--layer-precision: '{}' is not LAYER=PRECISION (e.g. "
                                        "conv1=8/int8)",
                                        item));
            cfg.layer_precision.push_back(
                {item.substr(0, eq),
                 parse_precision(item.substr(eq + 1), "--layer-precision " + item)});
        }
    if (cmd.count("--fold-strides") || cmd.count("--no-fold-strides"))
        a.fold_strides = fold_strides;
    if (cmd.count("--mac-impl")) {
        const auto impl = parse_mac_impl(mac_impl);
        if (!impl)
            throw Error(fmt::format("--mac-impl {}: valid values are auto, dsp, alm", mac_impl));
        a.mac_impl = *impl;
    }
    for (auto [flag, v] : {std::pair{"--max-alm-pct", max_alm_pct},
                           {"--max-dsp-pct", max_dsp_pct},
                           {"--max-m20k-pct", max_m20k_pct}})
        if (!(v > 0 && v <= 100)) throw Error(fmt::format("{} {}: must be in (0, 100]", flag, v));

    const std::string dev = cmd.count("--device") ? device : cfg.device;
    const std::string net = cmd.count("--network") ? network : cfg.network;
    if (dev.empty())
        throw Error("--device is required (or a \"device\" in --config)", ErrorKind::usage);
    if (net.empty())
        throw Error("--network is required (or a \"network\" in --config)", ErrorKind::usage);
    const double w = cmd.count("--width") ? width : (cfg.width > 0 ? cfg.width : 1.0);
    if (!(w > 0)) throw Error(fmt::format("--width {}: must be positive", w));

    ResolvedInputs in{load_device_named(dev, global), load_network_named(net, w, global), a, {}};
    apply_layer_precisions(in.network, cfg.layer_precision,
                           config_file.empty() || cmd.count("--layer-precision")
                               ? "--layer-precision"
                               : config_file + ": /layer_precision");
    if (!accuracy_file.empty()) {
        auto rows = load_accuracy_rows(accuracy_file, in.network.name);
        // User rows come first so they take precedence over the shipped table.
        rows.insert(rows.end(), in.network.accuracy.begin(), in.network.accuracy.end());
        in.network.accuracy = std::move(rows);
    }
    in.caps.alm = max_alm_pct / 100;
    in.caps.dsp = max_dsp_pct / 100;
    in.caps.m20k = max_m20k_pct / 100;
    if (auto problem = arch_problem(in.arch); !problem.empty()) throw Error(problem);
    return in;
}

} // namespace lpdla::cli
