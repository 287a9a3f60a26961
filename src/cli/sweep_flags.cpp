#include "sweep_flags.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/suggest.h"

namespace lpdla::cli {

void SweepFlags::add_to(CLI::App& cmd) {
    const char* axis = " (comma list, lo:hi, lo:hi:step or lo:hi:*2)";
    cmd.add_option("--spec", spec_file, "Sweep spec JSON (lpdla.sweep/1); flags override it");
    cmd.add_option("--name", name, "Label carried into every output (default: the spec's name)");
    cmd.add_option("--devices", devices, "Devices, comma list (default: every shipped device)");
    cmd.add_option("--networks", networks, "Networks, comma list (default: every shipped network)");
    cmd.add_option("--widths", widths, std::string("Width multipliers") + axis);
    cmd.add_option("--k-vec", k_vec, std::string("PEs") + axis);
    cmd.add_option("--c-vec", c_vec, std::string("Dot-product widths") + axis);
    cmd.add_option("--q-vec", q_vec, std::string("Output columns per PE") + axis);
    cmd.add_option("--lanes", lanes, std::string("Lanes") + axis);
    cmd.add_option("--act-bits", act_bits,
                   std::string("Activation bits") + axis +
                       "; crossed with --weights, invalid pairs dropped");
    cmd.add_option(
        "--weights", weights,
        "Weight kinds, comma list (binary, ternary, int2, int4, int8, int16, bfp16, fp32)");
    cmd.add_option("--precisions", precisions,
                   "Precision pairs, comma list (e.g. 2/ternary,4/int4,16/bfp16)");
    cmd.add_option("--fmax-mhz", fmax_mhz, std::string("Clocks in MHz, 0 = device default") + axis);
    cmd.add_option("--mac-impl", mac_impl, "MAC implementations, comma list of auto, dsp, alm");
    cmd.add_option("--cost", cost, "Cost objective: area (default), alm, dsp, m20k, power");
    cmd.add_option("--max-alm-pct", max_alm_pct, "ALM utilisation cap, percent (default 85)");
    cmd.add_option("--max-dsp-pct", max_dsp_pct, "DSP utilisation cap, percent (default 100)");
    cmd.add_option("--max-m20k-pct", max_m20k_pct, "M20K utilisation cap, percent (default 100)");
    cmd.add_option("--ddr-gbps", ddr_gbps,
                   std::string("What-if DDR bandwidths in GB/s, 0 = the board's; each device is "
                               "swept once per value as device@ddrX") +
                       axis);
    cmd.add_option("--fc-batch", fc_batch,
                   std::string("What-if FC batch sizes (images through the FC layers at once); "
                               "each device is swept once per value as device@fcN") +
                       axis);
    cmd.add_option("--stream-buffer-kib", stream_buffer_kib,
                   std::string("Stream buffer sizes in KiB, or auto (sized to each network)") +
                       axis);
    cmd.add_option("--min-images-per-s", min_images_per_s,
                   "Drop points slower than this (images/s with FC batching)");
    cmd.add_option("--max-latency-ms", max_latency_ms,
                   "Drop points whose batch-1 latency (one image, FC weights streamed for it) is "
                   "above this, in ms");
    cmd.add_option("--min-top1", min_top1,
                   "Drop points whose top-1 (fraction, e.g. 0.55) is lower or unknown");
    cmd.add_flag("--require-known-top1", require_known_top1, "Drop points whose top-1 is unknown");
    cmd.add_flag("--accept-accuracy-from-variants", accept_variants,
                 "Use accuracy rows measured on another variant of a network (e.g. tensorpack "
                 "AlexNet for Caffe AlexNet) as its top-1; by default they are shown, not used");
    cmd.add_option("--first-last", first_last,
                   "First/last conv/fc layer precisions to search, e.g. none,8/int8,32/fp32 (none "
                   "= the array's precision)");
    cmd.add_option("--wide-layers", wide_layers,
                   "How layers wider than the array run: bit_slice (default) or dsp_side_path");
    cmd.add_flag("--fold-strides,!--no-fold-strides", fold_strides,
                 "Let strided convs run stride-folded (space-to-depth) when cheaper (the default); "
                 "`run` folds "
                 "the same layers on the host (docs/KERNELS.md)");
    cmd.add_option("--accuracy", accuracy_files,
                   "Extra accuracy rows (lpdla.accuracy/1 JSON); repeatable, each for the network "
                   "it names");
    cmd.add_option("--max-power-w", max_power_w,
                   "Drop points above this power (needs the power model)");
}

namespace {

const std::vector<std::string> weight_kinds = {"binary", "ternary", "int2",  "int4",
                                               "int8",   "int16",   "bfp16", "fp32"};

// --precisions items: a misspelt weight kind gets the closest valid one named.
Precision parse_precision_flag(const std::string& item) {
    const auto slash = item.find('/');
    if (slash != std::string::npos && !parse_weight_kind(item.substr(slash + 1)))
        throw Error(fmt::format("--precisions: '{}': unknown weight kind '{}'{}; valid: {}", item,
                                item.substr(slash + 1),
                                did_you_mean(item.substr(slash + 1), weight_kinds),
                                fmt::join(weight_kinds, ", ")));
    return parse_precision(item, "--precisions");
}

// --act-bits / --weights given alone cross with the other half of the spec's current pairs.
std::vector<Precision> crossed(const SweepSpec& s, const std::string& act_flag,
                               const std::string& w_flag) {
    std::vector<int> acts;
    std::vector<WeightKind> kinds;
    if (!act_flag.empty()) {
        acts = parse_int_axis(act_flag, "--act-bits");
    } else {
        for (const auto& p : s.precisions)
            if (std::find(acts.begin(), acts.end(), p.act_bits) == acts.end())
                acts.push_back(p.act_bits);
    }
    if (!w_flag.empty()) {
        for (const auto& w : parse_word_list(w_flag, "--weights")) {
            const auto k = parse_weight_kind(w);
            if (!k)
                throw Error(fmt::format("--weights: unknown weight kind '{}'{}; valid: {}", w,
                                        did_you_mean(w, weight_kinds),
                                        fmt::join(weight_kinds, ", ")));
            kinds.push_back(*k);
        }
    } else {
        for (const auto& p : s.precisions)
            if (std::find(kinds.begin(), kinds.end(), p.weights) == kinds.end())
                kinds.push_back(p.weights);
    }
    std::vector<Precision> out;
    for (WeightKind k : kinds)
        for (int a : acts)
            if (Precision p{a, k}; precision_problem(p).empty()) out.push_back(p);
    if (out.empty())
        throw Error("--act-bits x --weights: no valid pair (e.g. bfp16 needs 16-bit activations, "
                    "fp32 needs 32)");
    return out;
}

// --stream-buffer-kib "auto,512,1024": auto is 0 (sized to each network, the default); each value
// is a grid axis (SweepSpec::stream_buffer_kib).
void apply_stream_buffer_flag(SweepSpec& s, const std::string& text) {
    std::vector<int> sizes;
    for (const auto& w : parse_word_list(text, "--stream-buffer-kib")) {
        if (w == "auto") {
            sizes.push_back(0);
            continue;
        }
        for (int v : parse_int_axis(w, "--stream-buffer-kib")) {
            if (v < 1)
                throw Error(fmt::format("--stream-buffer-kib: {} is not valid: give auto or a "
                                        "size in KiB >= 1",
                                        v));
            sizes.push_back(v);
        }
    }
    s.stream_buffer_kib = sizes;
}

} // namespace

SweepSpec SweepFlags::build(const CLI::App& cmd, const GlobalOptions& global) const {
    SweepSpec s = default_sweep_spec();
    if (!spec_file.empty()) s = parse_sweep_spec(read_json_file(spec_file), spec_file, s);
    if (cmd.count("--name")) s.name = name;
    if (cmd.count("--devices")) s.devices = parse_word_list(devices, "--devices");
    if (cmd.count("--networks")) s.networks = parse_word_list(networks, "--networks");
    if (cmd.count("--widths")) s.widths = parse_real_axis(widths, "--widths");
    if (cmd.count("--k-vec")) s.k_vec = parse_int_axis(k_vec, "--k-vec");
    if (cmd.count("--c-vec")) s.c_vec = parse_int_axis(c_vec, "--c-vec");
    if (cmd.count("--q-vec")) s.q_vec = parse_int_axis(q_vec, "--q-vec");
    if (cmd.count("--lanes")) s.lanes = parse_int_axis(lanes, "--lanes");
    if (cmd.count("--fmax-mhz")) s.fmax_mhz = parse_real_axis(fmax_mhz, "--fmax-mhz");
    if (cmd.count("--precisions")) {
        if (cmd.count("--act-bits") || cmd.count("--weights"))
            throw Error("give either --precisions or --act-bits/--weights, not both");
        s.precisions.clear();
        for (const auto& p : parse_word_list(precisions, "--precisions"))
            s.precisions.push_back(parse_precision_flag(p));
    } else if (cmd.count("--act-bits") || cmd.count("--weights")) {
        s.precisions = crossed(s, cmd.count("--act-bits") ? act_bits : "",
                               cmd.count("--weights") ? weights : "");
    }
    if (cmd.count("--mac-impl")) {
        s.mac_impl.clear();
        for (const auto& m : parse_word_list(mac_impl, "--mac-impl")) {
            const auto impl = parse_mac_impl(m);
            if (!impl) throw Error(fmt::format("--mac-impl: '{}' is not auto, dsp or alm", m));
            s.mac_impl.push_back(*impl);
        }
    }
    if (cmd.count("--cost")) {
        const auto k = parse_cost_kind(cost);
        if (!k) throw Error(fmt::format("--cost {}: valid are area, alm, dsp, m20k, power", cost));
        s.cost = *k;
    }
    auto& c = s.constraints;
    if (cmd.count("--max-alm-pct")) c.caps.alm = max_alm_pct / 100;
    if (cmd.count("--max-dsp-pct")) c.caps.dsp = max_dsp_pct / 100;
    if (cmd.count("--max-m20k-pct")) c.caps.m20k = max_m20k_pct / 100;
    if (cmd.count("--min-images-per-s")) c.min_images_per_s = min_images_per_s;
    if (cmd.count("--min-top1")) c.min_top1 = min_top1;
    if (cmd.count("--require-known-top1")) c.require_known_top1 = require_known_top1;
    if (cmd.count("--max-power-w")) c.max_power_w = max_power_w;
    if (cmd.count("--max-latency-ms")) c.max_latency_ms = max_latency_ms;
    if (c.min_top1) c.require_known_top1 = true; // an unknown top-1 never passes a minimum
    if (cmd.count("--accept-accuracy-from-variants")) s.accept_accuracy_from_variants = true;
    if (cmd.count("--ddr-gbps")) s.ddr_gbps = parse_real_axis(ddr_gbps, "--ddr-gbps");
    if (cmd.count("--fc-batch")) s.fc_batch = parse_int_axis(fc_batch, "--fc-batch");
    if (cmd.count("--stream-buffer-kib")) apply_stream_buffer_flag(s, stream_buffer_kib);
    if (cmd.count("--fold-strides") || cmd.count("--no-fold-strides"))
        s.fixed.fold_strides = fold_strides;
    if (cmd.count("--first-last")) {
        s.first_last.clear();
        for (const auto& w : parse_word_list(first_last, "--first-last"))
            s.first_last.push_back(parse_first_last(w, "--first-last"));
    }
    if (cmd.count("--wide-layers") && !parse_wide_layer_mode(wide_layers, s.fixed.wide_layers))
        throw Error(fmt::format("--wide-layers {}: valid values are bit_slice, dsp_side_path",
                                wide_layers));
    for (const auto& file : accuracy_files) s.accuracy_files.push_back(file);
    if (s.devices.empty()) s.devices = list_data_names("devices", global.data_dir);
    if (s.networks.empty()) s.networks = list_data_names("networks", global.data_dir);
    expand_platform_variants(s);
    validate_sweep_spec(s);
    return s;
}

} // namespace lpdla::cli
