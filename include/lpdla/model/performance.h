#pragma once
// Performance model: per-layer cycles from the loop nest the kernels run, DDR traffic, and the
// totals (images/s, latency, TOPS). See docs/MODEL.md for every equation.
#include <cstdint>
#include <span>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"

namespace lpdla {

// One layer reduced to the numbers the cycle model needs; identical layers merge (count > 1).
struct PlannedLayer {
    LayerType type = LayerType::conv;
    int layer_index = -1; // first network layer this stands for
    int count = 1;        // how many identical network layers it stands for
    int groups = 1, c_per_group = 0, k_per_group = 0;
    int out_h = 0, out_w = 0, kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    bool reads_image = false; // first layer: the image comes from DDR
    bool winograd_shape =
        false; // rows of >= 2 taps at stride 1: F(q,3) passes apply in Winograd modes
    std::int64_t macs = 0, weights = 0, in_elements = 0, out_elements = 0;
};

struct NetworkPlan {
    std::vector<PlannedLayer> layers;
    std::int64_t macs = 0;
    std::int64_t image_elements = 0;
};

// Flattens the network for the model; `merge_identical` folds repeated layers (the sweep's path).
NetworkPlan plan_network(const Network& net, bool merge_identical);

enum class Bound { compute, memory, fused };
std::string_view to_string(Bound bound);

struct LayerPerf {
    int layer_index = -1;
    std::int64_t macs = 0;            // per image
    std::int64_t loop_iterations = 0; // main-loop trips per invocation (FC: per batch)
    std::int64_t fill_drain_cycles = 0;
    double memory_cycles = 0;    // per invocation
    double cycles_per_image = 0; // max(compute, memory), FC divided by the batch
    double ddr_bytes_per_image = 0;
    double utilisation = 0; // macs / (cycles * peak MACs per cycle)
    Bound bound = Bound::compute;
    bool winograd = false;
    bool spilled = false; // feature maps did not fit the stream buffer and went to DDR
    bool folded = false;  // ran stride-folded (ArchConfig::fold_strides)
};

struct PerfTotals {
    double cycles_per_image = 0;
    double images_per_s = 0;
    double latency_ms = 0; // one image, including the wait for the FC batch to fill
    double effective_tops = 0;
    double peak_tops = 0;
    double pe_utilisation = 0;
    double ddr_bytes_per_image = 0;
    double ddr_gbps_required = 0;
    std::int64_t macs = 0;
};

// The hot path: no allocation. `per_layer`, when not empty, must have plan.layers.size() entries.
PerfTotals evaluate_plan(const NetworkPlan& plan, const ArchConfig& resolved, const Device& device,
                         std::span<LayerPerf> per_layer = {});

// Main-loop trips of one invocation of a conv/fc layer (FC over a batch of `fc_batch` images):
// ceil(OH/lanes) * ceil(OW/q_vec) * groups * ceil(Kg/k_vec) * ceil(Cg/c_vec) * R *
// (Winograd ? ceil(S/3) : S): a Winograd PE covers a row of S taps in ceil(S/3) F(q,3) passes.
std::int64_t conv_loop_iterations(const PlannedLayer& layer, const ArchConfig& resolved,
                                  bool winograd);
// The same layer as a stride-1 conv over stride_h*stride_w times the channels with a
// ceil(R/stride_h) x ceil(S/stride_w) kernel (space-to-depth); the layer itself for stride 1.
PlannedLayer fold_stride(const PlannedLayer& layer);
// Aux layers (pool, LRN, add): ceil(OH/lanes) * OW * ceil(C/k_vec).
std::int64_t aux_loop_iterations(const PlannedLayer& layer, const ArchConfig& resolved);

} // namespace lpdla
