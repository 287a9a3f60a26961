// run_network: the whole network layer by layer on the device, each layer checked against the
// reference and its trip count set beside the model's loop iterations.
#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layer_widths.h"
#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/kernels/opencl_runner.h"
#include "lpdla/model/layer_precision.h"
#include "lpdla/model/performance.h"

namespace lpdla {
namespace {

// A layer's output as the reference made it, and how it is stored.
struct Value {
    ref::Tensor t;
    ref::ActFormat fmt;
    bool batched = false; // an FC output: K x 1 x fc_batch images
};

bool requantises(LayerType t) {
    return t == LayerType::conv || t == LayerType::fc || t == LayerType::add;
}

// Seeds per layer, so that running a subset of layers sees the same data.
ref::Rng layer_rng(std::uint64_t seed, std::size_t layer, std::uint64_t stream) {
    return ref::Rng(seed * 1000003ull + layer * 7919ull + stream);
}

// Roughly the spread of the accumulators, so the bias moves outputs without swamping them.
int bias_magnitude(std::int64_t fan_in, const ref::ActFormat& a, WeightKind w) {
    const double act = double(std::max<std::int64_t>(std::abs(a.min()), a.max()));
    const double wt = double(std::max(std::abs(ref::weight_min(w)), ref::weight_max(w)));
    return int(std::sqrt(double(fan_in)) * act * wt / 2) + 1;
}

// An FC input: image 0 is the producer's map flattened in device order (h, w, c), the other
// images of the batch are seeded random in the same format.
ref::Tensor fc_batch_input(const Value& v, int batch, ref::Rng& rng) {
    if (v.batched) return v.t;
    const ref::Tensor& m = v.t;
    const int features = m.channels * m.height * m.width;
    ref::Tensor in = ref::random_tensor(features, 1, batch, v.fmt, rng);
    int f = 0;
    for (int y = 0; y < m.height; ++y)
        for (int x = 0; x < m.width; ++x)
            for (int c = 0; c < m.channels; ++c) in.at(f++, 0, 0) = m.at(c, y, x);
    return in;
}

// A conv layer's window as the kernels take it.
ref::ConvGeometry conv_geometry(const Layer& l) {
    ref::ConvGeometry g{l.stride_h, l.stride_w, l.pad_h, l.pad_w, l.groups};
    g.dilation_h = l.dilation_h, g.dilation_w = l.dilation_w;
    g.pad_bottom = l.bottom(), g.pad_right = l.right();
    return g;
}

// A pool layer's window as the kernels take it (a global pool: the whole map, no padding).
ref::PoolGeometry pool_geometry(const Layer& l) {
    ref::PoolGeometry g{l.kernel_h, l.kernel_w, l.stride_h, l.stride_w, l.pad_h, l.pad_w};
    g.dilation_h = l.dilation_h, g.dilation_w = l.dilation_w;
    g.pad_bottom = l.bottom(), g.pad_right = l.right();
    g.ceil_mode = l.ceil_mode;
    g.count_include_pad = l.type == LayerType::avgpool && l.count_include_pad;
    return g;
}

// What a folded conv runs: the space-to-depth shape the stride-1 kernel sees.
std::string folded_note(const Layer& l) {
    const int sh = l.stride_h, sw = l.stride_w;
    const int r = (l.kernel_h + sh - 1) / sh, s = (l.kernel_w + sw - 1) / sw;
    return fmt::format("stride-folded: {}x{}x{} input, {}x{} kernel at stride 1",
                       l.in.channels * sh * sw, l.out.height + r - 1, l.out.width + s - 1, r, s);
}

// The model decides which layers fold; a fold the formats cannot realise exactly is refused
// before any kernel runs, naming the layer.
void check_folds(const Network& net, const ArchConfig& arch, const RunOptions& options,
                 const std::vector<Precision>& precision, const std::set<std::string>& selected) {
    if (options.model.empty()) {
        if (arch.fold_strides) {
            throw Error("fold_strides: which layers run stride-folded is the model's per-layer "
                        "choice; pass its result (RunOptions::model, e.g. Estimate::layers on a "
                        "device) to run_network",
                        ErrorKind::bad_input);
        }
        return;
    }
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (!options.model[i].folded) continue;
        // A bit-sliced layer folds its wide operands before they are cut into slices and
        // planes, so the layer's own formats decide whether the fold is exact.
        const Precision& p = precision[i];
        const ref::ActFormat act{p.act_bits, false};
        if (l.type != LayerType::conv) {
            throw Error(fmt::format("layer '{}': the model folds a {} layer; only convolutions "
                                    "fold",
                                    l.name, to_string(l.type)));
        }
        if (!selected.empty() && selected.count(l.name) == 0) continue;
        const ref::Weights w{
            l.out_channels, l.in.channels / l.groups, l.kernel_h, l.kernel_w, p.weights, {}};
        const ref::ConvGeometry g = conv_geometry(l);
        if (auto problem = ref::fold_problem(act, w, g); !problem.empty()) {
            throw Error(fmt::format("layer '{}': the model runs it stride-folded (fold_strides), "
                                    "which the kernels cannot realise exactly at {}: {}",
                                    l.name, precision_label(p), problem),
                        ErrorKind::bad_input);
        }
    }
}

// What a layer run through conv_bit_sliced did: its passes, and an output wider than the array
// (stored as planes for a wide consumer).
std::string sliced_note(int passes, const ref::ActFormat& out, int array_bits) {
    std::string note = fmt::format("bit-sliced: {} pass{}", passes, passes == 1 ? "" : "es");
    if (out.bits != array_bits)
        note += fmt::format(", output as {} {}-bit planes for a reader at {} bits",
                            activation_slices(out.bits, array_bits), array_bits, out.bits);
    return note;
}

} // namespace

Network load_scaled_network(const std::filesystem::path& file, double width, double scale) {
    if (!(scale > 0 && scale <= 1)) {
        throw Error(fmt::format("--scale {} must be in (0, 1]", scale));
    }
    nlohmann::json doc = read_json_file(file);
    auto& input = doc.at("input");
    for (const char* dim : {"height", "width"}) {
        const int full = input.at(dim).get<int>();
        input[dim] = std::max(1, int(std::lround(full * scale)));
    }
    try {
        return parse_network(doc, file.string(), width > 0 ? width : 1.0);
    } catch (const Error& e) {
        throw Error(fmt::format("at --scale {} the input is {}x{}, too small for the network: {}",
                                scale, input["height"].get<int>(), input["width"].get<int>(),
                                e.what()));
    }
}

std::vector<LayerRunResult> run_network(OpenClRunner& runner, const Network& net,
                                        const ArchConfig& arch, const RunOptions& options) {
    const KernelConfig& cfg = runner.config();
    const NetworkPlan plan = plan_network(net, false);
    std::set<std::string> selected(options.layers.begin(), options.layers.end());
    for (const auto& name : selected) {
        if (net.find(name) < 0) {
            throw Error(fmt::format("--layers: '{}' is not a layer of {}", name, net.name));
        }
    }
    // Without an estimate on a device, the model's device-free loop choice decides the folds.
    RunOptions own;
    const RunOptions* opts = &options;
    if (options.model.empty() && arch.fold_strides) {
        own = options;
        own.model = loop_choices(plan, arch);
        opts = &own;
    }
    if (!opts->model.empty() && opts->model.size() != net.layers.size()) {
        throw Error(fmt::format("run_network: the model has {} layers, the network {} {}",
                                opts->model.size(), net.name, net.layers.size()));
    }
    // The model's loop per layer (passes of a bit-sliced layer, the side path) decides how a
    // layer at another precision runs; the kernels then follow it.
    const std::vector<LayerPerf> choices =
        opts->model.empty() ? loop_choices(plan, arch) : opts->model;
    const LayerWidths widths = plan_layer_widths(net, plan, arch, choices);
    check_folds(net, arch, *opts, widths.precision, selected);

    // ReLUs run in their producer's requantise stage: that producer stores unsigned outputs.
    std::vector<bool> relu_follows(net.layers.size(), false);
    for (const Layer& l : net.layers) {
        if (l.type != LayerType::relu) continue;
        const int src = l.input_index.at(0);
        if (src < 0 || !requantises(net.layers[src].type)) {
            throw Error(fmt::format("layer '{}': a ReLU after {} cannot be fused into a "
                                    "requantise stage, which is the only place the kernels apply "
                                    "ReLU",
                                    l.name,
                                    src < 0 ? "the input" : to_string(net.layers[src].type)));
        }
        relu_follows[src] = true;
    }

    // Unsigned, as every image; as wide as the first layer reads it (8 bits for an 8-bit conv1).
    const ref::ActFormat image_fmt{widths.image_bits, false};
    ref::Rng image_rng = layer_rng(opts->seed, net.layers.size(), 0);
    const Value image{ref::random_tensor(net.input.channels, net.input.height, net.input.width,
                                         image_fmt, image_rng),
                      image_fmt, false};

    // The DSP side path's kernels, built on first use (one program per side configuration:
    // each side-path precision has its own), from the array runner's kernel directory.
    std::vector<std::unique_ptr<OpenClRunner>> side_runners;
    const auto side_runner = [&](const Layer& l, const Precision& p) -> OpenClRunner& {
        ArchConfig side = arch;
        side.k_vec = arch.side_k_vec > 0 ? arch.side_k_vec : arch.k_vec;
        side.c_vec = arch.side_c_vec > 0 ? arch.side_c_vec : arch.c_vec;
        side.precision = p;
        const KernelConfig sc = kernel_config(side);
        for (const auto& r : side_runners)
            if (r->config() == sc) return *r;
        if (runner.kernel_dir().empty()) {
            throw Error(fmt::format("layer '{}' runs on the DSP side path, whose kernels are "
                                    "built from the array runner's kernel directory; this runner "
                                    "was built from a program text",
                                    l.name));
        }
        side_runners.push_back(std::make_unique<OpenClRunner>(sc, runner.kernel_dir()));
        return *side_runners.back();
    };

    std::vector<Value> values;
    values.reserve(net.layers.size());
    // Per layer, what the kernels wrote, kept only where a concat reads it (through a ReLU).
    std::vector<ref::Tensor> device_values;
    device_values.reserve(net.layers.size());
    std::vector<bool> feeds_concat(net.layers.size(), false);
    for (std::size_t j = net.layers.size(); j-- > 0;) {
        const Layer& c = net.layers[j];
        if (c.type != LayerType::concat && !(c.type == LayerType::relu && feeds_concat[j]))
            continue;
        for (int src : c.input_index)
            if (src >= 0) feeds_concat[std::size_t(src)] = true;
    }
    std::vector<LayerRunResult> results;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        const auto input = [&](int n) -> const Value& {
            const int src = l.input_index.at(n);
            return src < 0 ? image : values[src];
        };
        const bool run = selected.empty() || selected.count(l.name) > 0;
        LayerRunResult res;
        res.name = l.name;
        res.type = std::string(to_string(l.type));
        const PlannedLayer& pl = plan.layers.at(i);
        const bool compute = l.type == LayerType::conv || l.type == LayerType::fc;
        // A compute layer's loop nest (direct or folded) is the model's choice; an aux layer's
        // pass is the aux loop whether or not the model fuses it on its producer's stream.
        if (l.type == LayerType::relu || l.type == LayerType::concat) {
            res.model_cycles = 0;
        } else if (!compute) {
            res.model_cycles = aux_loop_iterations(pl, arch);
        } else if (!opts->model.empty()) {
            res.model_cycles = opts->model[i].loop_iterations;
            res.folded = opts->model[i].folded;
        } else if (widths.precision[i] != arch.precision) {
            res.model_cycles = choices[i].loop_iterations; // passes x the loop nest
        } else {
            res.model_cycles = conv_loop_iterations(pl, arch, false);
        }
        ref::Rng rng = layer_rng(opts->seed, i, 1);
        KernelStats stats;
        Value out;
        ref::Tensor device_out;

        if (l.type != LayerType::relu && input(0).batched && l.type != LayerType::fc) {
            throw Error(fmt::format("layer '{}': {} after an FC layer is not supported by the "
                                    "runner",
                                    l.name, res.type));
        }
        switch (l.type) {
        case LayerType::conv:
        case LayerType::fc: {
            const bool fc = l.type == LayerType::fc;
            const Value& src = input(0);
            const ref::Tensor in = fc ? fc_batch_input(src, arch.fc_batch, rng) : src.t;
            const int groups = fc ? 1 : l.groups;
            const int cg = in.channels / groups;
            const WeightKind kind = widths.precision[i].weights;
            const ref::Weights w = ref::random_weights(l.out_channels, cg, fc ? 1 : l.kernel_h,
                                                       fc ? 1 : l.kernel_w, kind, rng);
            const auto bias = ref::random_bias(
                l.out_channels,
                bias_magnitude(std::int64_t(cg) * w.kernel_h * w.kernel_w, src.fmt, kind), rng);
            const ref::ConvGeometry g = fc ? ref::ConvGeometry{} : conv_geometry(l);
            // As wide as its readers take it: a wide consumer's input, else the array's width.
            out.fmt = ref::ActFormat{widths.out_bits[i], !relu_follows[i]};
            out.batched = fc;
            res.precision = precision_label(widths.precision[i]);
            const ref::Tensor acc = ref::conv_accumulate(in, w, bias, g);
            const ref::Requant q = options.per_channel_requant
                                       ? ref::choose_channel_requant(acc, out.fmt, rng)
                                       : ref::choose_requant(acc, out.fmt);
            out.t = ref::requantise(acc, q, out.fmt);
            if (run && widths.side[i]) {
                // One pass of the ordinary conv kernel on the side array at the layer's own
                // precision; it requantises straight into out.fmt (narrower than its own
                // activations: saturated; wider: as planes of its width).
                OpenClRunner& side = side_runner(l, widths.precision[i]);
                const KernelConfig& sc = side.config();
                res.note = fmt::format("DSP side path: {} x {} array", sc.k_vec, sc.c_vec);
                std::vector<ConvPass> pass{ConvPass{in, src.fmt, w, 0}};
                ref::ConvGeometry sg = g;
                if (res.folded) {
                    // The side path folds as the array does (the model's side loop).
                    res.note += "; " + folded_note(l);
                    ref::FoldedConv f = ref::fold_conv(in, src.fmt, w, g);
                    pass = {ConvPass{std::move(f.input), src.fmt, std::move(f.weights), 0}};
                    sg = f.geometry;
                }
                const auto planes = side.conv_passes(pass, bias, sg, q, out.fmt, &stats);
                device_out = planes.size() == 1
                                 ? planes.front()
                                 : ref::combine_activation_slices(planes, out.fmt, sc.act_bits);
            } else if (run && widths.sliced[i]) {
                res.passes = bit_slice_passes(widths.precision[i], arch.precision);
                res.note = sliced_note(res.passes, out.fmt, cfg.act_bits);
                if (res.folded) {
                    // Fold the wide operands, then slice the folded layer: the model's loop is
                    // passes x the folded nest.
                    res.note += "; " + folded_note(l);
                    const ref::FoldedConv f = ref::fold_conv(in, src.fmt, w, g);
                    device_out = conv_bit_sliced(runner, f.input, src.fmt, f.weights, bias,
                                                 f.geometry, q, out.fmt, &stats);
                } else {
                    device_out =
                        conv_bit_sliced(runner, in, src.fmt, w, bias, g, q, out.fmt, &stats);
                }
            } else if (run && res.folded) {
                res.note = folded_note(l);
                device_out = conv_folded(runner, in, src.fmt, w, bias, g, q, out.fmt, &stats);
            } else if (run) {
                device_out = runner.conv(in, src.fmt, w, bias, g, q, out.fmt, &stats);
            }
            break;
        }
        case LayerType::maxpool:
        case LayerType::avgpool: {
            const Value& src = input(0);
            const ref::PoolGeometry g = pool_geometry(l);
            const bool avg = l.type == LayerType::avgpool;
            out.fmt = src.fmt;
            out.t = avg ? ref::avg_pool(src.t, g, out.fmt) : ref::max_pool(src.t, g, out.fmt);
            if (run) device_out = runner.pool(src.t, src.fmt, g, avg, out.fmt, &stats);
            break;
        }
        case LayerType::add: {
            const Value& a = input(0);
            const Value& b = input(1);
            out.fmt = ref::ActFormat{cfg.act_bits, !relu_follows[i]};
            out.t = ref::add(a.t, b.t, out.fmt);
            if (run) device_out = runner.add(a.t, a.fmt, b.t, b.fmt, out.fmt, &stats);
            break;
        }
        case LayerType::lrn: {
            out = input(0);
            res.note = "LRN run as identity: it has no integer definition";
            if (run) device_out = runner.identity(out.t, out.fmt, &stats);
            break;
        }
        case LayerType::relu: {
            out = input(0);
            res.note = fmt::format("fused into the requantise stage of '{}'", l.inputs.at(0));
            break;
        }
        case LayerType::concat: {
            // No kernel: the producers' outputs sit at channel offsets of one region, which is
            // the concat (the model's 0 cycles). Here the device outputs of its producers are
            // placed so, and compared with the reference's concatenation.
            std::vector<ref::Tensor> parts, device_parts;
            std::string offsets;
            int channel = 0;
            out.fmt = input(0).fmt;
            for (std::size_t n = 0; n < l.input_index.size(); ++n) {
                const Value& v = input(int(n));
                if (v.fmt.bits != out.fmt.bits || v.fmt.is_signed != out.fmt.is_signed)
                    throw Error(fmt::format("layer '{}': concat of '{}' ({}-bit {}) and '{}' "
                                            "({}-bit {}): `run` joins values of one activation "
                                            "format only",
                                            l.name, l.inputs[0], out.fmt.bits,
                                            out.fmt.is_signed ? "signed" : "unsigned", l.inputs[n],
                                            v.fmt.bits, v.fmt.is_signed ? "signed" : "unsigned"),
                                ErrorKind::bad_input);
                parts.push_back(v.t);
                const int src = l.input_index[n];
                const ref::Tensor* dev = src >= 0 ? &device_values[std::size_t(src)] : nullptr;
                device_parts.push_back(dev && !dev->values.empty() ? *dev : v.t);
                offsets += fmt::format("{}'{}' at channel {}", n ? ", " : "", l.inputs[n], channel);
                channel += v.t.channels;
            }
            out.t = ref::concat(parts);
            if (run) device_out = ref::concat(device_parts);
            res.note = "no kernel: its producers' outputs at channel offsets of one region (" +
                       offsets + ")";
            break;
        }
        }
        if (run) {
            const bool launched = l.type != LayerType::relu && l.type != LayerType::concat;
            res.executed = launched;
            res.values = std::int64_t(out.t.values.size());
            // A concat launches nothing, but its region is checked: every channel as its
            // producer wrote it.
            if (l.type == LayerType::concat)
                res.mismatches = ref::count_mismatches(out.t, device_out);
            if (launched) {
                res.mismatches = ref::count_mismatches(out.t, device_out);
                res.trip_count = std::int64_t(stats.trip_count);
                res.wall_ms = stats.wall_ms;
                res.first_launch = stats.first_launch;
            }
            results.push_back(res);
        }
        // A ReLU's value is its producer's; a layer not run has no device output.
        if (l.type == LayerType::relu) {
            const int src = l.input_index.at(0);
            device_values.push_back(src < 0 ? ref::Tensor() : device_values[std::size_t(src)]);
        } else {
            device_values.push_back(run && feeds_concat[i] ? std::move(device_out) : ref::Tensor());
        }
        values.push_back(std::move(out));
    }
    return results;
}

} // namespace lpdla
