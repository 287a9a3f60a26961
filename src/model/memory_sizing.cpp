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
    return elements * r.precision.act_bits;
}

std::int64_t filter_cache_words_needed(const NetworkPlan& plan, const ArchConfig& r) {
    std::int64_t words = 1;
    for (const PlannedLayer& l : plan.layers) {
        if (l.type != LayerType::conv) continue; // FC weights stream from DDR
        words = std::max(words, choose_loop(l, r).filter_words(r.c_vec));
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
    return r;
}

ResourceCounts filter_cache_resources(const ArchConfig& r, const Device& d) {
    ResourceCounts c;
    const bool winograd = uses_winograd(r.precision, r.mac_impl, r.q_vec);
    const int w_vec = winograd ? r.q_vec + 2 : r.q_vec;
    // One cache per PE (lanes share filters); Winograd stores transformed filters, w_vec wide.
    const int width = r.c_vec * weight_storage_bits(r.precision.weights) * (winograd ? w_vec : 1);
    const std::int64_t depth = std::int64_t(r.filter_cache_depth) * 2;
    if (depth <= mlab_max_depth_words)
        c.mlab = r.k_vec * memory_blocks(d.mlab, width, depth);
    else
        c.m20k = r.k_vec * memory_blocks(d.m20k, width, depth);
    return c;
}

ResourceCounts stream_buffer_resources(const ArchConfig& r, const Device& d) {
    ResourceCounts c;
    // Ping-pong feature maps; each lane reads c_vec x (q_vec + 2) activations a cycle.
    const int width = r.lanes * r.c_vec * (r.q_vec + 2) * r.precision.act_bits;
    c.m20k = memory_blocks(d.m20k, width, ceil_div(stream_buffer_bits(r), width));
    return c;
}

} // namespace lpdla
