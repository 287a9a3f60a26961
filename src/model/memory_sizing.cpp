#include "lpdla/model/memory_sizing.h"

#include <algorithm>

#include "lpdla/model/resources.h"

namespace lpdla {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

} // namespace

std::int64_t stream_buffer_bits_needed(const NetworkPlan& plan, const ArchConfig& r) {
    const std::int64_t elements =
        std::max(plan.conv_live_elements, plan.fc_live_elements_per_image * r.fc_batch);
    std::int64_t bits = elements * r.precision.act_bits;
    // First/last layers wider than the array: their live sets at their width (precomputed by
    // the plan, no per-layer walk on the sweep's path).
    if (!plan.has_own_precision) {
        if (r.first_last && r.first_last->act_bits > r.precision.act_bits)
            bits =
                std::max(bits, std::max(plan.first_last_conv_live_elements,
                                        plan.first_last_fc_live_elements_per_image * r.fc_batch) *
                                   r.first_last->act_bits);
        return bits;
    }
    for (const PlannedLayer& l : plan.layers) {
        if (!l.precision && !(l.first_or_last && r.first_last)) continue;
        const int a = layer_precision(l, r).act_bits;
        if (a <= r.precision.act_bits) continue;
        const std::int64_t batch = l.type == LayerType::fc ? r.fc_batch : 1;
        bits = std::max(bits, l.live_elements * a * batch);
    }
    return bits;
}

std::int64_t side_filter_cache_words_needed(const NetworkPlan& plan, const ArchConfig& r) {
    std::int64_t words = 0;
    for (const PlannedLayer& l : plan.layers) {
        if (l.type != LayerType::conv) continue;
        const LoopChoice lc = choose_loop(l, r);
        if (lc.side_path) words = std::max(words, lc.filter_words(r.side_c_vec));
    }
    return words;
}

ArchConfig size_wide_layers(const ArchConfig& resolved, const NetworkPlan& plan) {
    ArchConfig r = resolved;
    for (const PlannedLayer& l : plan.layers) {
        if (!l.precision || bit_slice_passes(*l.precision, r.precision) == 1) continue;
        r.wide_act_bits = std::max(r.wide_act_bits, l.precision->act_bits);
        r.wide_weight_bits = std::max(r.wide_weight_bits, signed_weight_bits(l.precision->weights));
    }
    return r;
}

std::int64_t filter_cache_words_needed(const NetworkPlan& plan, const ArchConfig& r) {
    std::int64_t words = 1;
    for (const PlannedLayer& l : plan.layers) {
        if (l.type != LayerType::conv) continue; // FC weights stream from DDR
        const LoopChoice lc = choose_loop(l, r);
        if (!lc.side_path) words = std::max(words, lc.filter_words(r.c_vec));
    }
    return words;
}

int stream_buffer_kib_needed(const NetworkPlan& plan, const ArchConfig& r) {
    return int(std::max<std::int64_t>(1, ceil_div(stream_buffer_bits_needed(plan, r), 8192)));
}

ArchConfig size_memories(const ArchConfig& resolved, const NetworkPlan& plan) {
    ArchConfig r = resolved;
    if (r.stream_buffer_kib == 0) r.stream_buffer_kib = stream_buffer_kib_needed(plan, r);
    if (r.filter_cache_depth == 0) r.filter_cache_depth = int(filter_cache_words_needed(plan, r));
    if (r.side_filter_cache_depth == 0 && runs_side_path(r))
        r.side_filter_cache_depth = int(side_filter_cache_words_needed(plan, r));
    return r;
}

namespace {

// `count` filter caches of `width` bits, each double-buffered: MLAB when shallow, else M20K.
ResourceCounts double_buffered_caches(int count, int width, int depth_words, const Device& d) {
    ResourceCounts c;
    const std::int64_t depth = std::int64_t(depth_words) * 2;
    if (depth <= mlab_max_depth_words)
        c.mlab = count * memory_blocks(d.mlab, width, depth);
    else
        c.m20k = count * memory_blocks(d.m20k, width, depth);
    return c;
}

} // namespace

ResourceCounts filter_cache_resources(const ArchConfig& r, const Device& d) {
    const bool winograd = uses_winograd(r.precision, r.mac_impl, r.q_vec);
    const int w_vec = winograd ? r.q_vec + 2 : r.q_vec;
    // One cache per PE (lanes share filters); Winograd stores transformed filters, w_vec wide.
    const int width = r.c_vec * weight_storage_bits(r.precision.weights) * (winograd ? w_vec : 1);
    return double_buffered_caches(r.k_vec, width, r.filter_cache_depth, d);
}

ResourceCounts side_filter_cache_resources(const ArchConfig& r, const Device& d) {
    const int width = r.side_c_vec * r.wide_weight_bits;
    return double_buffered_caches(r.side_k_vec, width, r.side_filter_cache_depth, d);
}

ResourceCounts stream_buffer_resources(const ArchConfig& r, const Device& d) {
    ResourceCounts c;
    // Ping-pong feature maps; each lane reads c_vec x (q_vec + 2) activations a cycle (bit slices
    // are stored as planes of the array's width), the side path side_c_vec of its own width.
    int width = r.lanes * r.c_vec * (r.q_vec + 2) * r.precision.act_bits;
    if (runs_side_path(r))
        width = std::max(width, r.lanes * r.side_c_vec * (r.q_vec + 2) * r.wide_act_bits);
    c.m20k = memory_blocks(d.m20k, width, ceil_div(stream_buffer_bits(r), width));
    return c;
}

} // namespace lpdla
