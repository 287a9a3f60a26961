#pragma once
// run_network's plan for layers at another precision than the array (issue 14): which layers
// run bit-sliced, and at how many bits each stored value (the image, a layer's output) must be
// kept so that its consumers read it in their own activation format.
#include <string>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/network.h"
#include "lpdla/model/performance.h"

namespace lpdla {

struct LayerWidths {
    // Per network layer: the precision it runs at (the array's for non-compute layers) and
    // whether its conv runs through conv_bit_sliced (its own precision differs, or its output
    // is wider than the array's activations).
    std::vector<Precision> precision;
    std::vector<bool> sliced;
    // Whether the layer runs on the DSP side path (LayerPerf::side_path): one pass of the conv
    // kernel built for the side array at the layer's own precision, never sliced.
    std::vector<bool> side;
    // Activation bits each value is stored in: its consumers' input width. image_bits for the
    // network input, out_bits per layer (a ReLU passes its producer's value through).
    int image_bits = 0;
    std::vector<int> out_bits;
};

// Throws lpdla::Error (bad input) before any launch for what the kernels cannot realise: a
// layer on the DSP side path at a precision the kernels do not build (kernel_precision_problem:
// FP32, 16-bit; modelled only) or whose output its readers cannot take, activations narrower than
// the array's (no requantise stage writes them), a precision the array cannot slice, consumers of
// one value that need different widths, or an aux layer (pool, add, LRN) between a producer and a
// wide consumer (the aux kernels run at the array's width only). `model`: the model's loop choice
// per network layer (LayerPerf::passes, side_path).
LayerWidths plan_layer_widths(const Network& net, const NetworkPlan& plan, const ArchConfig& arch,
                              const std::vector<LayerPerf>& model);

} // namespace lpdla
