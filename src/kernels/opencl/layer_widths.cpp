// plan_layer_widths: which layers of a mixed-precision network run bit-sliced, and the width each
// stored value must have for its consumers (docs/KERNELS.md "Layers wider than the array").
#include "layer_widths.h"

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/kernelgen.h"
#include "lpdla/model/layer_precision.h"

namespace lpdla {
namespace {

bool is_compute(LayerType t) {
    return t == LayerType::conv || t == LayerType::fc;
}

// The layers that read value `v` (-1: the image) as their input, looking through ReLUs: a ReLU
// is fused into its producer's requantise stage, so its readers read the producer's output.
void readers(const std::vector<std::vector<int>>& consumers, const Network& net, int v,
             std::vector<int>& out) {
    for (int j : consumers[std::size_t(v + 1)]) {
        if (net.layers[std::size_t(j)].type == LayerType::relu)
            readers(consumers, net, j, out);
        else
            out.push_back(j);
    }
}

std::string value_name(const Network& net, int v) {
    return v < 0 ? std::string("the image")
                 : fmt::format("layer '{}'", net.layers[std::size_t(v)].name);
}

} // namespace

LayerWidths plan_layer_widths(const Network& net, const NetworkPlan& plan, const ArchConfig& arch,
                              const std::vector<LayerPerf>& model) {
    const std::size_t n = net.layers.size();
    const int array_bits = arch.precision.act_bits;
    LayerWidths w;
    w.precision.assign(n, arch.precision);
    w.sliced.assign(n, false);
    w.side.assign(n, false);
    w.out_bits.assign(n, array_bits);
    for (std::size_t i = 0; i < n; ++i) {
        if (!is_compute(net.layers[i].type)) continue;
        const Precision& p = layer_precision(plan.layers.at(i), arch);
        w.precision[i] = p;
        if (p == arch.precision) continue;
        const std::string& name = net.layers[i].name;
        const std::string label = precision_label(p), array = precision_label(arch.precision);
        if (model.at(i).side_path) {
            // The side path runs the layer whole at its own precision, so only that precision
            // must have a kernel; the array's slicing limits do not apply.
            if (const std::string problem = kernel_precision_problem(p); !problem.empty())
                throw Error(fmt::format("layer '{}' runs at {} on the DSP side path (wide_layers "
                                        "dsp_side_path), which is modelled only: {}",
                                        name, label, problem),
                            ErrorKind::bad_input);
            w.side[i] = true;
            continue;
        }
        if (p.act_bits < array_bits)
            throw Error(fmt::format("layer '{}' runs at {} on a {} array: its activations are "
                                    "narrower than the array's, and no requantise stage writes "
                                    "fewer bits than the array's; `run` realises only layers at "
                                    "least as wide as the array (bit slicing)",
                                    name, label, array),
                        ErrorKind::bad_input);
        if (const std::string problem = bit_slice_problem(p, arch.precision); !problem.empty())
            throw Error(
                fmt::format("layer '{}' runs at {} on a {} array: {}", name, label, array, problem),
                ErrorKind::bad_input);
        w.sliced[i] = true;
    }

    std::vector<std::vector<int>> consumers(n + 1);
    for (std::size_t j = 0; j < n; ++j)
        for (int src : net.layers[j].input_index) consumers[std::size_t(src + 1)].push_back(int(j));
    // A value is stored at its readers' input width: a conv/fc reads its own activation bits,
    // an aux layer the array's. Readers that disagree cannot share one stored value.
    const auto width_of = [&](int v) {
        std::vector<int> rs;
        readers(consumers, net, v, rs);
        if (rs.empty()) return array_bits; // a network output: back at the array's width
        const auto bits = [&](int j) {
            const Layer& l = net.layers[std::size_t(j)];
            return is_compute(l.type) ? w.precision[std::size_t(j)].act_bits : array_bits;
        };
        for (int j : rs) {
            if (bits(j) != bits(rs.front()))
                throw Error(fmt::format("{} is read by '{}' at {} bits and by '{}' at {} bits: "
                                        "`run` stores each value in one activation format",
                                        value_name(net, v),
                                        net.layers[std::size_t(rs.front())].name, bits(rs.front()),
                                        net.layers[std::size_t(j)].name, bits(j)),
                            ErrorKind::bad_input);
        }
        return bits(rs.front());
    };
    w.image_bits = width_of(-1);
    for (std::size_t i = 0; i < n; ++i) {
        const Layer& l = net.layers[i];
        if (l.type == LayerType::relu) {
            const int src = l.input_index.at(0);
            w.out_bits[i] = src < 0 ? w.image_bits : w.out_bits[std::size_t(src)];
            continue;
        }
        w.out_bits[i] = width_of(int(i));
        if (w.side[i]) {
            // The side kernel requantises straight into its readers' width: narrower than its
            // own activations (saturated, stored in its own packing) or as planes of its width.
            const int side_bits = w.precision[i].act_bits;
            if (activation_slices(w.out_bits[i], side_bits) == 0)
                throw Error(fmt::format("layer '{}' runs on the DSP side path at {} bits and "
                                        "feeds a reader at {} bits, which the side kernel "
                                        "cannot write (1-bit values are +1/-1, not a saturated "
                                        "or sliced integer)",
                                        l.name, side_bits, w.out_bits[i]),
                            ErrorKind::bad_input);
            continue;
        }
        if (w.out_bits[i] == array_bits) continue;
        if (l.type == LayerType::concat)
            throw Error(fmt::format("concat layer '{}' feeds a layer at {} bits: its inputs are "
                                    "stored at the array's {}-bit width (the readers of a "
                                    "concat's producers are the concat), which `run` does not "
                                    "widen",
                                    l.name, w.out_bits[i], array_bits),
                        ErrorKind::bad_input);
        if (!is_compute(l.type))
            throw Error(fmt::format("layer '{}' ({}) feeds a layer at {} bits: the {} kernel "
                                    "writes the array's {}-bit activations only; only conv/fc "
                                    "layers requantise into a wider format",
                                    l.name, to_string(l.type), w.out_bits[i], to_string(l.type),
                                    array_bits),
                        ErrorKind::bad_input);
        // A wider output comes back as planes from the passes path (conv_passes), even for a
        // layer that itself runs at the array's precision in one pass.
        w.sliced[i] = true;
    }
    return w;
}

} // namespace lpdla
