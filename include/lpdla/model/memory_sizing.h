#pragma once
// On-chip memories sized to the work (docs/MODEL.md §3 "Memory sizing"): the stream buffer holds
// the network's largest live set of feature maps, each filter cache the deepest filter a PE runs.
// A configuration's 0 ("auto") sizes are filled from the network plan; explicit sizes are kept.
#include <cstdint>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/performance.h"

namespace lpdla {

// Bits of stream buffer the plan needs: max(conv live set, FC live set x fc_batch) x act bits,
// and a layer of wider activations (first_last, its own precision) its live set at its width.
std::int64_t stream_buffer_bits_needed(const NetworkPlan& plan, const ArchConfig& resolved);
// Words per PE filter cache (one word = c_vec weights, x w_vec with Winograd): the deepest
// conv filter, ceil(C_g / c_vec) x R x S' as the layer runs (folded, Winograd rows).
std::int64_t filter_cache_words_needed(const NetworkPlan& plan, const ArchConfig& resolved);
// The auto stream buffer: stream_buffer_bits_needed in whole KiB (at least 1).
int stream_buffer_kib_needed(const NetworkPlan& plan, const ArchConfig& resolved);
// `resolved` with stream_buffer_kib (rounded up to whole KiB) and filter_cache_depth set to
// what the plan needs where they are 0.
ArchConfig size_memories(const ArchConfig& resolved, const NetworkPlan& plan);

// Blocks of the k_vec double-buffered filter caches (MLAB when shallow, else M20K).
ResourceCounts filter_cache_resources(const ArchConfig& resolved, const Device& device);
// The DSP side path's side_k_vec caches of side_filter_cache_depth words (runs_side_path only).
ResourceCounts side_filter_cache_resources(const ArchConfig& resolved, const Device& device);
// Words per side-path filter cache: the deepest conv filter the side path runs (0 when none).
std::int64_t side_filter_cache_words_needed(const NetworkPlan& plan, const ArchConfig& resolved);
// `resolved` with wide_act_bits / wide_weight_bits raised to the widest layer the plan runs in
// passes or on the side path (layers of their own precision; first_last is set by resolve_arch).
ArchConfig size_wide_layers(const ArchConfig& resolved, const NetworkPlan& plan);
// M20K of the stream buffer: its bits at a port of lanes x c_vec x (q_vec + 2) activations.
ResourceCounts stream_buffer_resources(const ArchConfig& resolved, const Device& device);

} // namespace lpdla
