#pragma once
// The accelerator configuration: the knobs of the DLA template (DESIGN.md §3). A config with
// zeros in its optional fields is resolved against a device (resolve_arch) before modelling.
#include <cstdint>
#include <string>

#include <optional>

#include "lpdla/model/device.h"
#include "lpdla/model/layer_precision.h"
#include "lpdla/model/precision.h"

namespace lpdla {

struct ArchConfig {
    int k_vec = 16; // PEs in the daisy chain = output channels in parallel
    int c_vec = 8;  // dot-product width = input channels per cycle
    int q_vec = 4;  // output columns per PE per cycle
    int lanes = 1;  // output rows in parallel (copies of the PE array)
    Precision precision;
    MacImpl mac_impl = MacImpl::automatic;
    double fmax_mhz = 0; // 0 = the device's default_fmax_mhz
    double ddr_gbps = 0; // 0 = the board's peak (channels x GB/s per channel)
    int fc_batch = 32;   // assumed: images batched through FC layers
    // On-chip memories, 0 = auto: sized to what the network needs at this configuration
    // (include/lpdla/model/memory_sizing.h); an explicit size is kept, and a network that does not
    // fit it spills to DDR.
    int stream_buffer_kib = 0;        // feature maps, both ping-pong halves
    int filter_cache_depth = 0;       // words per PE, doubled for double buffering
    int accumulation_terms_log2 = 14; // assumed: accumulator headroom, 2^14 >= FC6's 9216 inputs
    // Stride folding (space-to-depth): a stride-s conv may run as a stride-1 conv over s*s times
    // the channels with a ceil(R/s) x ceil(S/s) kernel, whichever takes fewer cycles (DLA reshaped
    // AlexNet's conv1 this way; docs/MODEL.md §4). On by default, in estimate, sweep, validate and
    // tradeoff alike: folding needs no hardware (the host rearranges the maps, docs/KERNELS.md) and
    // the model takes the cheaper loop nest per layer, so turning it on never slows a design.
    bool fold_strides = true;
    // Per-layer precision (docs/MODEL.md §4 "Layers at another precision"): the first and last
    // compute layers run at `first_last` when set (a layer's own Layer::precision wins), as the
    // published low-precision networks keep them; layers wider than the array run as
    // `wide_layers` says.
    std::optional<Precision> first_last;
    WideLayerMode wide_layers = WideLayerMode::bit_slice;
    // The DSP side path's dot-product shape (q_vec and lanes are the array's: it writes the same
    // output stream); 0 = the array's k_vec / c_vec.
    int side_k_vec = 0, side_c_vec = 0;
    // Sized from the network like the memories (size_memories; 0 = not sized or none wider): the
    // widest activation and weight bits of the layers wider than the array, which set the
    // accumulators' width (bit slicing) or the side path's multipliers, and the side path's
    // filter cache depth in words.
    int wide_act_bits = 0, wide_weight_bits = 0, side_filter_cache_depth = 0;

    friend bool operator==(const ArchConfig&, const ArchConfig&) = default;
};

// The configuration with every "0 = default" field replaced by the device's value and mac_impl
// resolved; throws lpdla::Error if a field is out of range (message names the field).
ArchConfig resolve_arch(const ArchConfig& arch, const Device& device);
// The highest clock the configuration's blocks are specified for on the device, and which block.
struct FmaxLimit {
    double mhz = 0;
    const char* what = "";
};
FmaxLimit fmax_limit(const ArchConfig& resolved, const Device& device);
// Empty string when valid, else a message naming the first bad field and what is valid.
std::string arch_problem(const ArchConfig& arch);

// Empty when the configuration can run a layer of precision `layer` (wider or narrower than the
// array) as its wide_layers mode says, else why not.
std::string wide_layer_problem(const Precision& layer, const ArchConfig& arch);
// Sets first_last on a resolved configuration and raises wide_act_bits / wide_weight_bits to it;
// false (configuration unusable) when wide_layer_problem refuses it.
bool apply_first_last(ArchConfig& resolved, const std::optional<Precision>& first_last);
// Whether the configuration builds a DSP side path: mode dsp_side_path and some layer to run on
// it (first_last differs from the array, or sized wide layers).
bool runs_side_path(const ArchConfig& arch);

// Multipliers per PE per lane: c_vec x (Winograd ? q_vec + 2 : q_vec).
int multipliers_per_pe(const ArchConfig& resolved);
// Bits of on-chip stream buffer (ping-pong, both halves) the configuration has.
std::int64_t stream_buffer_bits(const ArchConfig& resolved);
// Network MACs the array can do per cycle at best (Winograd counts 3 taps per output).
double peak_macs_per_cycle(const ArchConfig& resolved);

} // namespace lpdla
