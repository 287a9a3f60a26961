#pragma once
// Performance model: per-layer cycles from the loop nest the kernels run plus the named mechanisms
// around it (fill/drain, control, exposed filter load, memory stalls, calibrated residual), DDR
// traffic, and the totals (images/s, latency, TOPS). See docs/MODEL.md §4-5 for every equation.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"

namespace lpdla {

// How an aux layer (pool, LRN, element-wise add) runs.
enum class AuxMode {
    none,          // conv, fc, relu (ReLU always sits in its producer's requantise stage), concat
    fused,         // on its producer's output stream: costs only what it cannot overlap
    separate_pass, // reads its input from the stream buffer in a pass of its own
};
// Why an aux layer could not be fused (AuxMode::separate_pass), for reports.
enum class FusionBlocker {
    none,
    producer_not_compute,   // its input comes from the image or from a separate aux pass
    producer_output_shared, // its producer's unpooled output is also read by another layer
    producer_not_previous,  // its producer ran earlier, not just before it
    producer_is_concat,     // its input is a concat: several producers' maps, stored whole
};
std::string_view to_string(AuxMode mode);
std::string_view to_string(FusionBlocker why);

// One layer reduced to the numbers the cycle model needs; identical layers merge (count > 1).
struct PlannedLayer {
    LayerType type = LayerType::conv;
    int layer_index = -1; // first network layer this stands for
    int count = 1;        // how many identical network layers it stands for
    int groups = 1, c_per_group = 0, k_per_group = 0;
    int out_h = 0, out_w = 0, kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    int pad_h = 0, pad_w = 0;
    // As Layer: bottom/right pads (-1: as pad_h / pad_w) and dilation. Neither changes the loop
    // nest per output (the output size carries them); both keep a layer from stride folding.
    int pad_bottom = -1, pad_right = -1, dilation_h = 1, dilation_w = 1;
    bool reads_image = false;    // first layer: the image comes from DDR
    bool winograd_shape = false; // rows of >= 2 adjacent taps (undilated) at stride 1: F(q,3)
                                 // passes apply in Winograd modes
    std::int64_t macs = 0, weights = 0, in_elements = 0, out_elements = 0;
    // Feature-map elements on chip while it runs (every stored map still needed), and those it
    // reads and writes itself (stored inputs, stored output): the spill test and its traffic.
    std::int64_t live_elements = 0, spill_elements = 0;
    // Aux layers: fused or not, and on whose stream (index into NetworkPlan::shapes, -1 = none);
    // `stream_prev_aux` is the fused aux just before it on the same stream (its rate bounds the
    // stream too).
    AuxMode aux_mode = AuxMode::none;
    FusionBlocker blocker = FusionBlocker::none;
    int stream_head = -1, stream_prev_aux = -1;
    // Compute layers: the compute layer that runs just before (index into NetworkPlan::shapes),
    // during which this layer's first filters are prefetched.
    int previous_compute = -1;
    // Its own index in NetworkPlan::shapes when other layers refer to its shape, else -1.
    int shape = -1;
    // Compute layers: the network's first or last one (ArchConfig::first_last applies), and the
    // layer's own precision when it states one (Layer::precision, which wins over first_last).
    bool first_or_last = false;
    std::optional<Precision> precision;
};

struct NetworkPlan {
    std::vector<PlannedLayer> layers;
    // Distinct layer shapes that layers refer to (stream heads, previous compute layers, fused
    // aux neighbours), deduplicated so that equal references compare equal when merging.
    std::vector<PlannedLayer> shapes;
    std::int64_t macs = 0;
    std::int64_t image_elements = 0;
    // Largest set of feature-map elements that must be on chip at once (docs/MODEL.md §3 "Memory
    // sizing"): while conv/aux layers run (per image), and while FC layers run (per image of the
    // batch, multiplied by fc_batch).
    std::int64_t conv_live_elements = 0, fc_live_elements_per_image = 0;
    // The same for the first and last compute layers alone (their live sets at a wider
    // first_last precision), and whether any layer states its own precision: the memory sizing's
    // fast path when neither applies.
    std::int64_t first_last_conv_live_elements = 0, first_last_fc_live_elements_per_image = 0;
    bool has_own_precision = false;
};

// Flattens the network for the model; `merge_identical` folds repeated layers (the sweep's path).
NetworkPlan plan_network(const Network& net, bool merge_identical);

enum class Bound { compute, memory, fused };
std::string_view to_string(Bound bound);

// Where a layer's cycles go, per image (FC: per batch divided by the batch). Sums to the layer's
// cycles_per_image.
struct CycleBreakdown {
    double compute = 0;      // the loop nest (one iteration per clock); fused aux: the throttle
    double fill_drain = 0;   // PE chain, adder tree, accumulator, requantise, aux pipeline depth
    double control = 0;      // per-layer sequencing, a fraction of the busy cycles
    double filter_load = 0;  // the first filters' DDR load that the previous layer did not hide
    double memory_stall = 0; // DDR traffic (spills, FC weights, the image) beyond the busy cycles
    double calibrated = 0;   // the fitted per-layer residual (lpdla calibrate)
    double total() const {
        return compute + fill_drain + control + filter_load + memory_stall + calibrated;
    }
    // The largest part's name ("compute", "fill_drain", ...).
    std::string_view dominant() const;
};

struct LayerPerf {
    int layer_index = -1;
    std::int64_t macs = 0; // per image
    std::int64_t loop_iterations =
        0;                       // main-loop trips per invocation (FC: per batch): the kernels'
    CycleBreakdown cycles;       // per image
    double memory_cycles = 0;    // DDR transfer time per invocation
    double cycles_per_image = 0; // cycles.total()
    double ddr_bytes_per_image = 0;
    double utilisation = 0; // macs / (cycles * peak MACs per cycle)
    Bound bound = Bound::compute;
    AuxMode aux_mode = AuxMode::none;
    FusionBlocker blocker = FusionBlocker::none;
    bool winograd = false;
    bool spilled = false;         // feature maps did not fit the stream buffer and went to DDR
    bool folded = false;          // ran stride-folded (ArchConfig::fold_strides)
    bool filter_overflow = false; // a filter exceeds filter_cache_depth: re-read per row tile
    // The precision it ran at (conv/fc; the array's unless first_last or its own says otherwise),
    // the passes the array took (bit slicing: activation slices x weight planes), and whether it
    // ran on the DSP side path instead.
    Precision precision;
    int passes = 1;
    bool side_path = false;
};

struct PerfTotals {
    double cycles_per_image = 0;
    double images_per_s = 0; // FC layers run over batches of fc_batch images
    // One image alone: FC weights streamed for it (batch 1), and its throughput if every image
    // ran so.
    double latency_ms = 0, images_per_s_batch1 = 0;
    // One image with FC batching: it waits for fc_batch images to pass the conv layers.
    double latency_ms_batched = 0;
    double effective_tops = 0;
    double peak_tops = 0;
    double pe_utilisation = 0;
    double ddr_bytes_per_image = 0;
    double ddr_gbps_required = 0;
    std::int64_t macs = 0;
    CycleBreakdown cycles; // summed over layers, per image
    // The deepest conv filter as run, in filter-cache words per PE (FC weights stream): what an
    // auto-sized filter cache holds (memory_sizing.h).
    std::int64_t filter_words_needed = 0;
    // The same for the DSP side path's caches (0 when no layer runs there).
    std::int64_t side_filter_words_needed = 0;
};

// The hot path: no allocation. `resolved` must have its memories sized (size_memories, or explicit
// sizes). `per_layer`, when not empty, must have plan.layers.size() entries.
PerfTotals evaluate_plan(const NetworkPlan& plan, const ArchConfig& resolved, const Device& device,
                         std::span<LayerPerf> per_layer = {});

// Main-loop trips of one invocation of a conv/fc layer (FC over a batch of `fc_batch` images):
// ceil(OH/lanes) * ceil(OW/q_vec) * groups * ceil(Kg/k_vec) * ceil(Cg/c_vec) * R *
// (Winograd ? ceil(S/3) : S): a Winograd PE covers a row of S taps in ceil(S/3) F(q,3) passes.
std::int64_t conv_loop_iterations(const PlannedLayer& layer, const ArchConfig& resolved,
                                  bool winograd);
// The same layer as a stride-1 conv over stride_h*stride_w times the channels with a
// ceil(R/stride_h) x ceil(S/stride_w) kernel (space-to-depth); the layer itself for stride 1 and
// for a geometry that cannot fold (fold_geometry_ok).
PlannedLayer fold_stride(const PlannedLayer& layer);
// Whether the space-to-depth mapping holds for the layer's window: undilated (adjacent taps) and
// padded alike on both sides, as ref::fold_problem requires of the kernels.
bool fold_geometry_ok(const PlannedLayer& layer);
// Aux layers (pool, LRN, add): ceil(OH/lanes) * OW * ceil(C/k_vec).
std::int64_t aux_loop_iterations(const PlannedLayer& layer, const ArchConfig& resolved);

// The loop nest a compute layer runs under `resolved`: direct or folded (whichever is shorter
// when fold_strides is on), Winograd when the mode and shape allow it; a layer at another
// precision than the array's repeats it once per bit-slicing pass, or runs it on the DSP side
// path (side_k_vec x side_c_vec, direct).
struct LoopChoice {
    std::int64_t iterations = 0; // all passes
    bool winograd = false, folded = false;
    // The layer as run (the folded shape when folded): what its filters occupy.
    int c_per_group = 0, k_per_group = 0, kernel_h = 1, kernel_w = 1;
    bool other_precision = false; // `precision` differs from the array's
    bool side_path = false;
    int passes = 1, weight_planes = 1;
    Precision precision; // as run
    // Filter-cache words per PE its filters need: ceil(Cg / c_vec) x R x (S, or ceil(S/3) taps
    // groups under Winograd) x weight planes (c_vec: the array's, or side_c_vec on the side path).
    std::int64_t filter_words(int c_vec) const;
};
// The precision a planned compute layer runs at under `resolved` (its own, first_last, or the
// array's).
const Precision& layer_precision(const PlannedLayer& layer, const ArchConfig& resolved);
LoopChoice choose_loop(const PlannedLayer& layer, const ArchConfig& resolved);
// Per layer, the loop the model runs (loop_iterations, folded, winograd; nothing timed): the part
// of evaluate_plan that needs no device, for the kernels. mac_impl is resolved here.
std::vector<LayerPerf> loop_choices(const NetworkPlan& plan, ArchConfig arch);

} // namespace lpdla
