#include "lpdla/model/performance.h"

#include <algorithm>

namespace lpdla {
namespace {

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

int ceil_log2(int v) {
    int bits = 0;
    while ((1 << bits) < v) ++bits;
    return bits;
}

bool is_compute(LayerType t) {
    return t == LayerType::conv || t == LayerType::fc;
}

bool same_work(const PlannedLayer& a, const PlannedLayer& b) {
    return a.type == b.type && a.groups == b.groups && a.c_per_group == b.c_per_group &&
           a.k_per_group == b.k_per_group && a.out_h == b.out_h && a.out_w == b.out_w &&
           a.kernel_h == b.kernel_h && a.kernel_w == b.kernel_w && a.stride_h == b.stride_h &&
           a.stride_w == b.stride_w && a.reads_image == b.reads_image &&
           a.winograd_shape == b.winograd_shape && a.macs == b.macs && a.weights == b.weights &&
           a.in_elements == b.in_elements && a.out_elements == b.out_elements;
}

// Bytes of the 8-bit image per pixel channel read by the first layer (assumed: 8-bit pixels).
constexpr double image_bytes_per_element = 1.0;

} // namespace

std::string_view to_string(Bound bound) {
    switch (bound) {
    case Bound::compute:
        return "compute";
    case Bound::memory:
        return "memory";
    case Bound::fused:
        return "fused";
    }
    return "?";
}

NetworkPlan plan_network(const Network& net, bool merge_identical) {
    NetworkPlan plan;
    plan.macs = net.macs();
    plan.image_elements = net.input.elements();
    plan.layers.reserve(net.layers.size());
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        PlannedLayer p;
        p.type = l.type;
        p.layer_index = int(i);
        p.out_h = l.out.height;
        p.out_w = l.out.width;
        p.kernel_h = l.kernel_h;
        p.kernel_w = l.kernel_w;
        p.stride_h = l.stride_h;
        p.stride_w = l.stride_w;
        p.macs = l.macs();
        p.weights = l.weights();
        p.out_elements = l.out.elements();
        for (int src : l.input_index) {
            if (src < 0) p.reads_image = true;
            p.in_elements += src < 0 ? net.input.elements() : net.layers[src].out.elements();
        }
        if (l.type == LayerType::fc) {
            p.groups = 1;
            p.c_per_group = int(l.in.elements());
            p.k_per_group = l.out_channels;
            p.out_h = p.out_w = 1;
            p.kernel_h = p.kernel_w = 1;
        } else if (l.type == LayerType::conv) {
            p.groups = l.groups;
            p.c_per_group = l.in.channels / l.groups;
            p.k_per_group = l.out_channels / l.groups;
            // F(q,3) needs unit stride along the row; a 1-tap row gains nothing from it.
            p.winograd_shape = l.kernel_w >= 2 && l.stride_w == 1;
        } else {
            p.groups = 1;
            p.c_per_group = p.k_per_group = l.out.channels;
        }
        if (merge_identical) {
            auto same = std::find_if(plan.layers.begin(), plan.layers.end(),
                                     [&](const PlannedLayer& q) { return same_work(q, p); });
            if (same != plan.layers.end()) {
                ++same->count;
                continue;
            }
        }
        plan.layers.push_back(p);
    }
    return plan;
}

std::int64_t conv_loop_iterations(const PlannedLayer& l, const ArchConfig& r, bool winograd) {
    const std::int64_t out_w = l.type == LayerType::fc ? r.fc_batch : l.out_w;
    return ceil_div(l.out_h, r.lanes) * ceil_div(out_w, r.q_vec) * l.groups *
           ceil_div(l.k_per_group, r.k_vec) * ceil_div(l.c_per_group, r.c_vec) * l.kernel_h *
           (winograd ? ceil_div(l.kernel_w, 3) : l.kernel_w);
}

PlannedLayer fold_stride(const PlannedLayer& l) {
    if (l.type != LayerType::conv || (l.stride_h == 1 && l.stride_w == 1)) return l;
    // Input pixel (y, x) goes to channel (y % sh, x % sw) of a map sh x sw times smaller: the
    // outputs and MACs stay, the kernel shrinks to ceil(R/sh) x ceil(S/sw) over sh*sw x C_g
    // channels (zero taps pad the kernel up to a multiple of the stride).
    PlannedLayer f = l;
    f.c_per_group = l.c_per_group * l.stride_h * l.stride_w;
    f.kernel_h = int(ceil_div(l.kernel_h, l.stride_h));
    f.kernel_w = int(ceil_div(l.kernel_w, l.stride_w));
    f.stride_h = f.stride_w = 1;
    f.winograd_shape = f.kernel_w >= 2;
    return f;
}

std::int64_t aux_loop_iterations(const PlannedLayer& l, const ArchConfig& r) {
    return ceil_div(l.out_h, r.lanes) * l.out_w * ceil_div(l.k_per_group, r.k_vec);
}

PerfTotals evaluate_plan(const NetworkPlan& plan, const ArchConfig& r, const Device& device,
                         std::span<LayerPerf> per_layer) {
    const double bytes_per_cycle = r.ddr_gbps * device.board.ddr_efficiency * 1e3 / r.fmax_mhz;
    const double cycles_per_byte = 1.0 / bytes_per_cycle;
    const double a_bits = r.precision.act_bits;
    const double w_bits = weight_storage_bits(r.precision.weights);
    const double buffer_bits = double(stream_buffer_bits(r));
    const double peak = peak_macs_per_cycle(r);
    const bool winograd_mode = uses_winograd(r.precision, r.mac_impl);
    const std::int64_t fill = r.k_vec + ceil_log2(r.c_vec) + r.pipeline_overhead_cycles;
    const std::int64_t aux_fill = r.pipeline_overhead_cycles;

    double cycles = 0, ddr_bytes = 0, non_fc_cycles = 0, fc_invocation_cycles = 0;
    bool has_fc = false;
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
        const PlannedLayer& l = plan.layers[i];
        LayerPerf perf;
        perf.layer_index = l.layer_index;
        perf.macs = l.macs;
        double invocation_cycles = 0, bytes = 0;
        double batch = 1;
        if (l.type == LayerType::relu) {
            perf.bound = Bound::fused; // ReLU runs inside the requantise stage of its producer
        } else {
            const bool fc = l.type == LayerType::fc;
            batch = fc ? r.fc_batch : 1;
            const bool compute_layer = is_compute(l.type);
            perf.winograd = compute_layer && winograd_mode && l.winograd_shape;
            perf.loop_iterations = compute_layer ? conv_loop_iterations(l, r, perf.winograd)
                                                 : aux_loop_iterations(l, r);
            if (compute_layer && r.fold_strides && (l.stride_h > 1 || l.stride_w > 1)) {
                // The layer compiler picks the cheaper of the direct and the folded loop nest.
                const PlannedLayer f = fold_stride(l);
                const bool fw = winograd_mode && f.winograd_shape;
                const std::int64_t folded = conv_loop_iterations(f, r, fw);
                if (folded < perf.loop_iterations) {
                    perf.loop_iterations = folded;
                    perf.winograd = fw;
                    perf.folded = true;
                }
            }
            perf.fill_drain_cycles = compute_layer ? fill : aux_fill;
            const double map_bits = double(l.in_elements + l.out_elements) * a_bits * batch;
            perf.spilled = map_bits > buffer_bits;
            bytes = (perf.spilled ? map_bits / 8 : 0) + double(l.weights) * w_bits / 8 +
                    (l.reads_image ? double(l.in_elements) * image_bytes_per_element * batch : 0);
            perf.memory_cycles = bytes * cycles_per_byte;
            const double compute = double(perf.loop_iterations + perf.fill_drain_cycles);
            perf.bound = perf.memory_cycles > compute ? Bound::memory : Bound::compute;
            invocation_cycles = std::max(compute, perf.memory_cycles);
        }
        // Hot path of the sweep: skip the divisions that cannot change a bit (x / 1 == x) and the
        // per-layer utilisation nobody reads when per_layer is empty.
        perf.cycles_per_image = batch == 1 ? invocation_cycles : invocation_cycles / batch;
        perf.ddr_bytes_per_image = batch == 1 ? bytes : bytes / batch;
        if (!per_layer.empty() && perf.cycles_per_image > 0)
            perf.utilisation = double(l.macs) / (perf.cycles_per_image * peak);
        cycles += perf.cycles_per_image * l.count;
        ddr_bytes += perf.ddr_bytes_per_image * l.count;
        if (l.type == LayerType::fc) {
            has_fc = true;
            fc_invocation_cycles += invocation_cycles * l.count;
        } else {
            non_fc_cycles += invocation_cycles * l.count;
        }
        if (!per_layer.empty()) per_layer[i] = perf;
    }

    PerfTotals t;
    t.macs = plan.macs;
    t.cycles_per_image = cycles;
    t.images_per_s = cycles > 0 ? r.fmax_mhz * 1e6 / cycles : 0;
    const double latency_cycles =
        has_fc ? non_fc_cycles * r.fc_batch + fc_invocation_cycles : non_fc_cycles;
    t.latency_ms = latency_cycles / (r.fmax_mhz * 1e3);
    t.effective_tops = 2.0 * double(plan.macs) * t.images_per_s / 1e12;
    t.peak_tops = 2.0 * peak * r.fmax_mhz * 1e6 / 1e12;
    t.pe_utilisation = t.peak_tops > 0 ? t.effective_tops / t.peak_tops : 0;
    t.ddr_bytes_per_image = ddr_bytes;
    t.ddr_gbps_required = ddr_bytes * t.images_per_s / 1e9;
    return t;
}

} // namespace lpdla
