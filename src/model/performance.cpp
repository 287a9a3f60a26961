#include "lpdla/model/performance.h"

#include <algorithm>

namespace lpdla {
namespace {

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// Layer dimensions and vector widths are ints: 32-bit division is about twice as fast as 64-bit
// on x86-64, and the loop nest takes several per layer per design point.
inline std::int64_t ceil_div32(int a, int b) {
    return std::int64_t((unsigned(a) + unsigned(b) - 1u) / unsigned(b));
}

int ceil_log2(int v) {
    int bits = 0;
    while ((1 << bits) < v) ++bits;
    return bits;
}

bool is_compute(LayerType t) {
    return t == LayerType::conv || t == LayerType::fc;
}

bool is_aux(LayerType t) {
    return t == LayerType::lrn || t == LayerType::maxpool || t == LayerType::avgpool ||
           t == LayerType::add;
}

// Same loop geometry: what plan shapes (loop-trip references) are compared on.
bool same_geometry(const PlannedLayer& a, const PlannedLayer& b) {
    return a.type == b.type && a.groups == b.groups && a.c_per_group == b.c_per_group &&
           a.k_per_group == b.k_per_group && a.out_h == b.out_h && a.out_w == b.out_w &&
           a.kernel_h == b.kernel_h && a.kernel_w == b.kernel_w && a.stride_h == b.stride_h &&
           a.stride_w == b.stride_w && a.pad_h == b.pad_h && a.pad_w == b.pad_w &&
           a.pad_bottom == b.pad_bottom && a.pad_right == b.pad_right &&
           a.dilation_h == b.dilation_h && a.dilation_w == b.dilation_w &&
           a.reads_image == b.reads_image && a.winograd_shape == b.winograd_shape &&
           a.macs == b.macs && a.weights == b.weights && a.in_elements == b.in_elements &&
           a.out_elements == b.out_elements && a.first_or_last == b.first_or_last &&
           a.precision == b.precision;
}

bool same_shape(const PlannedLayer& a, const PlannedLayer& b) {
    return same_geometry(a, b) && a.live_elements == b.live_elements &&
           a.spill_elements == b.spill_elements;
}

// Same work and same neighbours (references are deduplicated shapes, so indices compare content).
bool same_work(const PlannedLayer& a, const PlannedLayer& b) {
    return same_shape(a, b) && a.aux_mode == b.aux_mode && a.blocker == b.blocker &&
           a.stream_head == b.stream_head && a.stream_prev_aux == b.stream_prev_aux &&
           a.previous_compute == b.previous_compute;
}

// Bytes of the 8-bit image per pixel channel read by the first layer (assumed: 8-bit pixels).
constexpr double image_bytes_per_element = 1.0;

int add_shape(NetworkPlan& plan, const PlannedLayer& p) {
    for (std::size_t i = 0; i < plan.shapes.size(); ++i)
        if (same_geometry(plan.shapes[i], p)) return int(i);
    PlannedLayer s = p;
    s.count = 1;
    plan.shapes.push_back(s);
    return int(plan.shapes.size()) - 1;
}

PlannedLayer plan_layer(const Network& net, std::size_t i) {
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
    p.pad_h = l.pad_h;
    p.pad_w = l.pad_w;
    p.pad_bottom = l.bottom();
    p.pad_right = l.right();
    p.dilation_h = l.dilation_h;
    p.dilation_w = l.dilation_w;
    p.macs = l.macs();
    p.weights = l.weights();
    if (l.type == LayerType::conv || l.type == LayerType::fc) p.precision = l.precision;
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
        // F(q,3) needs unit stride and adjacent taps along the row; a 1-tap row gains nothing
        // from it. Vertical dilation only picks the input row each of the R row passes reads.
        p.winograd_shape = l.kernel_w >= 2 && l.stride_w == 1 && l.dilation_w == 1;
    } else {
        p.groups = 1;
        p.c_per_group = p.k_per_group = l.out.channels;
    }
    return p;
}

// The graph facts the plan needs: ReLU is folded into its producer (it rides in the requantise
// stage), so producers and consumers are seen through ReLUs.
struct Graph {
    std::vector<int> through_relu;           // layer -> the non-ReLU layer whose output it is
    std::vector<std::vector<int>> consumers; // non-ReLU layer -> non-ReLU consumers
    std::vector<int> image_consumers;
};

Graph analyse(const Network& net) {
    Graph g;
    const std::size_t n = net.layers.size();
    g.through_relu.resize(n);
    g.consumers.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Layer& l = net.layers[i];
        int src = int(i);
        if (l.type == LayerType::relu && !l.input_index.empty()) {
            const int in = l.input_index[0];
            src = in < 0 ? -1 : g.through_relu[std::size_t(in)];
        }
        g.through_relu[i] = src;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (net.layers[i].type == LayerType::relu) continue;
        for (int in : net.layers[i].input_index) {
            const int p = in < 0 ? -1 : g.through_relu[std::size_t(in)];
            if (p < 0)
                g.image_consumers.push_back(int(i));
            else
                g.consumers[std::size_t(p)].push_back(int(i));
        }
    }
    return g;
}

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

std::string_view to_string(AuxMode mode) {
    switch (mode) {
    case AuxMode::fused:
        return "fused";
    case AuxMode::separate_pass:
        return "separate_pass";
    default:
        return "none";
    }
}

std::string_view to_string(FusionBlocker why) {
    switch (why) {
    case FusionBlocker::producer_not_compute:
        return "its input is the image or a separate aux pass, not a PE-array output stream";
    case FusionBlocker::producer_output_shared:
        return "its producer's output is also read by another layer, so it is stored whole";
    case FusionBlocker::producer_not_previous:
        return "its producer ran earlier, not just before it, so its stream is gone";
    case FusionBlocker::producer_is_concat:
        return "its input is a concat, which no single output stream carries: it is read whole "
               "from the stream buffer";
    default:
        return "";
    }
}

std::string_view CycleBreakdown::dominant() const {
    const std::pair<double, std::string_view> parts[] = {
        {compute, "compute"},         {fill_drain, "fill_drain"},     {control, "control"},
        {filter_load, "filter_load"}, {memory_stall, "memory_stall"}, {calibrated, "calibrated"}};
    const auto* best = &parts[0];
    for (const auto& p : parts)
        if (p.first > best->first) best = &p;
    return best->second;
}

NetworkPlan plan_network(const Network& net, bool merge_identical) {
    NetworkPlan plan;
    plan.macs = net.macs();
    plan.image_elements = net.input.elements();
    const std::size_t n = net.layers.size();
    const Graph g = analyse(net);

    std::vector<PlannedLayer> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = plan_layer(net, i);
    // The first and last compute layers: the ones published low-precision networks keep wide.
    int first_compute = -1, last_compute = -1;
    for (std::size_t i = 0; i < n; ++i)
        if (is_compute(net.layers[i].type)) {
            if (first_compute < 0) first_compute = int(i);
            last_compute = int(i);
        }
    if (first_compute >= 0) {
        all[std::size_t(first_compute)].first_or_last = true;
        all[std::size_t(last_compute)].first_or_last = true;
    }

    // Fusion: an aux layer rides on the output stream of the layer that ran just before it when
    // that stream is its input and nobody else needs the unpooled map.
    std::vector<int> head(n, -1);        // stream head (network index) of fused aux layers
    std::vector<int> stream_from(n, -1); // the layer whose output stream a fused aux reads
    int previous = -1;                   // last non-ReLU layer in execution order
    for (std::size_t i = 0; i < n; ++i) {
        PlannedLayer& p = all[i];
        const LayerType t = net.layers[i].type;
        if (t == LayerType::relu) continue;
        if (is_aux(t)) {
            bool reads_previous = false;
            for (int in : net.layers[i].input_index)
                reads_previous |= in >= 0 && g.through_relu[std::size_t(in)] == previous;
            const bool previous_streams =
                previous >= 0 && (is_compute(net.layers[std::size_t(previous)].type) ||
                                  all[std::size_t(previous)].aux_mode == AuxMode::fused);
            if (!reads_previous)
                p.blocker = previous >= 0 ? FusionBlocker::producer_not_previous
                                          : FusionBlocker::producer_not_compute;
            else if (net.layers[std::size_t(previous)].type == LayerType::concat)
                p.blocker = FusionBlocker::producer_is_concat;
            else if (!previous_streams)
                p.blocker = FusionBlocker::producer_not_compute;
            else if (g.consumers[std::size_t(previous)].size() != 1)
                p.blocker = FusionBlocker::producer_output_shared;
            if (p.blocker == FusionBlocker::none) {
                p.aux_mode = AuxMode::fused;
                stream_from[i] = previous;
                const bool prev_is_aux = all[std::size_t(previous)].aux_mode == AuxMode::fused;
                head[i] = prev_is_aux ? head[std::size_t(previous)] : previous;
                p.stream_head = add_shape(plan, all[std::size_t(head[i])]);
                if (prev_is_aux) p.stream_prev_aux = add_shape(plan, all[std::size_t(previous)]);
            } else {
                p.aux_mode = AuxMode::separate_pass;
            }
        }
        previous = int(i);
    }

    // Filter prefetch: each compute layer loads its first filters while the compute layer before
    // it runs; the first one while the last one of the previous image runs (images stream).
    std::vector<int> compute_layers;
    for (std::size_t i = 0; i < n; ++i)
        if (is_compute(net.layers[i].type)) compute_layers.push_back(int(i));
    for (std::size_t c = 0; c < compute_layers.size(); ++c) {
        const int prev = compute_layers[c == 0 ? compute_layers.size() - 1 : c - 1];
        all[std::size_t(compute_layers[c])].previous_compute =
            add_shape(plan, all[std::size_t(prev)]);
    }

    // Live feature maps: a layer's output is stored unless its only consumer is an aux layer
    // fused onto it; it stays live from its producer to its last consumer. The image streams in
    // from DDR and is not stored.
    std::vector<bool> stored(n, false);
    std::vector<int> last_use(n, -1);
    const auto is_concat = [&](std::size_t i) { return net.layers[i].type == LayerType::concat; };
    for (std::size_t i = 0; i < n; ++i) {
        if (net.layers[i].type == LayerType::relu) continue;
        const auto& cons = g.consumers[i];
        for (int c : cons) last_use[i] = std::max(last_use[i], c);
        const bool streamed = cons.size() == 1 && stream_from[std::size_t(cons[0])] == int(i);
        stored[i] = !cons.empty() && !streamed && !is_concat(i);
    }
    // A concat is a view: its producers write at channel offsets of one region, which its
    // readers read whole. So it stores nothing itself; each input is stored and stays live until
    // the concat's last reader (a concat of concats: the outer one's), walked from the back so
    // that an outer concat has extended an inner one before the inner one hands it on.
    for (std::size_t i = n; i-- > 0;) {
        if (!is_concat(i)) continue;
        for (int in : net.layers[i].input_index) {
            const int p = in < 0 ? -1 : g.through_relu[std::size_t(in)];
            if (p < 0) continue; // refused by the network parser: the image is never stored
            last_use[std::size_t(p)] = std::max(last_use[std::size_t(p)], last_use[i]);
            if (!is_concat(std::size_t(p))) stored[std::size_t(p)] = true;
        }
    }
    for (std::size_t step = 0; step < n; ++step) {
        // A concat runs nothing: nothing is live "while it runs", and it moves no data.
        if (net.layers[step].type == LayerType::relu || is_concat(step)) continue;
        std::int64_t live = 0;
        for (std::size_t t = 0; t <= step; ++t)
            if (stored[t] && last_use[t] >= int(step)) live += all[t].out_elements;
        all[step].live_elements = live;
        // What spills when the buffer is too small: the stored inputs it reads, its stored output.
        std::int64_t touched = stored[step] ? all[step].out_elements : 0;
        for (int in : net.layers[step].input_index) {
            const int p = in < 0 ? -1 : g.through_relu[std::size_t(in)];
            // Reading a concat reads its stored inputs, which fill its output exactly.
            if (p >= 0 && (stored[std::size_t(p)] || is_concat(std::size_t(p))))
                touched += all[std::size_t(p)].out_elements;
        }
        all[step].spill_elements = touched;
        const bool fc = net.layers[step].type == LayerType::fc;
        (fc ? plan.fc_live_elements_per_image : plan.conv_live_elements) =
            std::max(fc ? plan.fc_live_elements_per_image : plan.conv_live_elements, live);
        if (all[step].first_or_last)
            (fc ? plan.first_last_fc_live_elements_per_image : plan.first_last_conv_live_elements) =
                std::max(fc ? plan.first_last_fc_live_elements_per_image
                            : plan.first_last_conv_live_elements,
                         live);
        plan.has_own_precision |= all[step].precision.has_value();
    }

    plan.layers.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        PlannedLayer& p = all[i];
        // Every referenced shape came from some layer; the one that survives merging carries its
        // index, so evaluate_plan learns each shape's loop from the layer itself.
        for (std::size_t s = 0; s < plan.shapes.size(); ++s)
            if (same_geometry(plan.shapes[s], p)) p.shape = int(s);
        if (merge_identical) {
            // ReLUs and concats cost nothing and the merged plan reports no layer: leaving them
            // out spares the sweep a pass over ~40 % of GoogLeNet's layers per design point.
            if (p.type == LayerType::relu || p.type == LayerType::concat) continue;
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

namespace {

std::int64_t loop_iterations(const PlannedLayer& l, const ArchConfig& r, bool winograd,
                             int c_per_group, int kernel_h, int kernel_w) {
    const int out_w = l.type == LayerType::fc ? r.fc_batch : l.out_w;
    return ceil_div32(l.out_h, r.lanes) * ceil_div32(out_w, r.q_vec) * l.groups *
           ceil_div32(l.k_per_group, r.k_vec) * ceil_div32(c_per_group, r.c_vec) * kernel_h *
           (winograd ? ceil_div32(kernel_w, 3) : kernel_w);
}

} // namespace

std::int64_t conv_loop_iterations(const PlannedLayer& l, const ArchConfig& r, bool winograd) {
    return loop_iterations(l, r, winograd, l.c_per_group, l.kernel_h, l.kernel_w);
}

std::int64_t LoopChoice::filter_words(int c_vec) const {
    return ceil_div32(c_per_group, c_vec) * kernel_h *
           (winograd ? ceil_div32(kernel_w, 3) : kernel_w) * weight_planes;
}

const Precision& layer_precision(const PlannedLayer& l, const ArchConfig& r) {
    if (l.precision) return *l.precision;
    if (l.first_or_last && r.first_last) return *r.first_last;
    return r.precision;
}

bool fold_geometry_ok(const PlannedLayer& l) {
    const bool symmetric = (l.pad_bottom < 0 || l.pad_bottom == l.pad_h) &&
                           (l.pad_right < 0 || l.pad_right == l.pad_w);
    return symmetric && l.dilation_h == 1 && l.dilation_w == 1;
}

PlannedLayer fold_stride(const PlannedLayer& l) {
    if (l.type != LayerType::conv || (l.stride_h == 1 && l.stride_w == 1) || !fold_geometry_ok(l))
        return l;
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

namespace {

LoopChoice array_loop(const PlannedLayer& l, const ArchConfig& r);

} // namespace

LoopChoice choose_loop(const PlannedLayer& l, const ArchConfig& r) {
    const Precision& p = layer_precision(l, r);
    if (p == r.precision || !is_compute(l.type)) return array_loop(l, r);
    // Another precision: natively when the array's range holds it (one pass), else in passes or
    // on the side path.
    const int passes = bit_slice_passes(p, r.precision);
    LoopChoice c;
    if (passes != 1 && r.wide_layers == WideLayerMode::dsp_side_path) {
        // The side path is a DSP array of side_k_vec x side_c_vec at the layer's precision,
        // direct (no Winograd: mac_impl alm keeps uses_winograd off) but folding as the array.
        ArchConfig side = r;
        side.k_vec = r.side_k_vec;
        side.c_vec = r.side_c_vec;
        side.precision = p;
        side.mac_impl = MacImpl::alm;
        c = array_loop(l, side);
        c.side_path = true;
    } else {
        c = array_loop(l, r);
        // passes == 0 (the array cannot slice) is refused before modelling (wide_layer_problem);
        // one pass keeps the loop if it slips through.
        c.passes = std::max(1, passes);
        c.weight_planes = std::max(1, weight_planes(p.weights, r.precision.weights));
        c.iterations *= c.passes;
    }
    c.other_precision = true;
    c.precision = p;
    return c;
}

namespace {

LoopChoice array_loop(const PlannedLayer& l, const ArchConfig& r) {
    const bool winograd_mode = uses_winograd(r.precision, r.mac_impl, r.q_vec);
    LoopChoice c;
    c.precision = r.precision;
    c.c_per_group = l.c_per_group;
    c.k_per_group = l.k_per_group;
    c.kernel_h = l.kernel_h;
    c.kernel_w = l.kernel_w;
    c.winograd = winograd_mode && l.winograd_shape;
    c.iterations = conv_loop_iterations(l, r, c.winograd);
    // Binary weights (+1/-1) have no zero for the taps that pad a kernel to a multiple of the
    // stride, and 1-bit activations none for padding that lands inside a folded pixel: such a
    // layer cannot fold exactly (ref::fold_problem) and runs direct; so does a dilated or
    // asymmetrically padded one, which the space-to-depth mapping does not describe.
    const bool pads_kernel = l.kernel_h % l.stride_h != 0 || l.kernel_w % l.stride_w != 0;
    const bool foldable = !(r.precision.weights == WeightKind::binary && pads_kernel) &&
                          !(r.precision.act_bits == 1 && (l.pad_h > 0 || l.pad_w > 0)) &&
                          fold_geometry_ok(l);
    if (r.fold_strides && foldable && l.type == LayerType::conv &&
        (l.stride_h > 1 || l.stride_w > 1)) {
        // The layer compiler picks the cheaper of the direct and the folded loop nest
        // (fold_stride's shape, without copying the layer).
        const int c_folded = l.c_per_group * l.stride_h * l.stride_w;
        const int r_folded = int(ceil_div32(l.kernel_h, l.stride_h));
        const int s_folded = int(ceil_div32(l.kernel_w, l.stride_w));
        const bool fw = winograd_mode && s_folded >= 2;
        const std::int64_t folded = loop_iterations(l, r, fw, c_folded, r_folded, s_folded);
        if (folded < c.iterations) {
            c.iterations = folded;
            c.winograd = fw;
            c.folded = true;
            c.c_per_group = c_folded;
            c.kernel_h = r_folded;
            c.kernel_w = s_folded;
        }
    }
    return c;
}

} // namespace

std::vector<LayerPerf> loop_choices(const NetworkPlan& plan, ArchConfig arch) {
    arch.mac_impl = resolve_mac_impl(arch.precision, arch.mac_impl);
    if (arch.side_k_vec == 0) arch.side_k_vec = arch.k_vec;
    if (arch.side_c_vec == 0) arch.side_c_vec = arch.c_vec;
    std::vector<LayerPerf> out(plan.layers.size());
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
        const PlannedLayer& l = plan.layers[i];
        LayerPerf& p = out[i];
        p.layer_index = l.layer_index;
        p.macs = l.macs;
        if (is_compute(l.type)) {
            const LoopChoice lc = choose_loop(l, arch);
            p.loop_iterations = lc.iterations;
            p.folded = lc.folded;
            p.winograd = lc.winograd;
            p.precision = lc.precision;
            p.passes = lc.passes;
            p.side_path = lc.side_path;
        } else if (is_aux(l.type)) {
            p.loop_iterations = aux_loop_iterations(l, arch);
        }
    }
    return out;
}

namespace {

// What every layer of one evaluate_plan call shares: derived once, not per layer.
struct EvalContext {
    const NetworkPlan& plan;
    const ArchConfig& r;
    const TimingCoefficients& tc;
    double cycles_per_byte, a_bits, w_bits, buffer_bits, compute_fill, aux_fill, side_fill;
    // Loop trips of each referenced plan shape (stream heads, previous compute layers), taken
    // from the layer that carries it; shapes past the array are planned again when asked.
    static constexpr std::size_t cached_shapes = 128;
    std::int64_t* shape_iterations; // [cached_shapes]

    std::int64_t iterations_of_shape(int index) const {
        if (std::size_t(index) < cached_shapes) return shape_iterations[index];
        return choose_loop(plan.shapes[std::size_t(index)], r).iterations;
    }
};

// One layer invocation (FC: one batch of fc_batch images) under `r` (the context's
// configuration, or a copy with another fc_batch); `lc` is its loop under `r` (compute layers).
// Fills perf's loop facts, returns the invocation's cycles and puts its DDR traffic in `bytes`.
// Inlined: it runs for every layer of every design point, and its result would otherwise go
// through memory.
[[gnu::always_inline]] inline CycleBreakdown
evaluate_layer(const EvalContext& x, const ArchConfig& r, const PlannedLayer& l,
               const LoopChoice& lc, LayerPerf& perf, double& bytes) {
    const double batch = l.type == LayerType::fc ? r.fc_batch : 1;
    CycleBreakdown c;
    bytes = 0;
    if (l.type == LayerType::relu || l.type == LayerType::concat) {
        // ReLU runs inside the requantise stage of its producer; a concat is where its producers
        // wrote (channel offsets of one stream-buffer region): neither has a pass of its own.
        perf.bound = Bound::fused;
        return c;
    }
    const bool compute = is_compute(l.type);
    // A layer at its own precision: its input maps at its activation width (the live test counts
    // the whole live set at the wider of the two), its weights at its weight width.
    const bool own = compute && lc.other_precision;
    const double a_bits = own ? std::max(x.a_bits, double(lc.precision.act_bits)) : x.a_bits;
    // Spills when the maps live at this step do not fit: it then reads its stored inputs from DDR
    // and writes its stored output there (tiled by rows, halo re-reads ignored).
    perf.spilled = double(l.live_elements) * a_bits * batch > x.buffer_bits;
    bytes = perf.spilled ? double(l.spill_elements) * a_bits * batch / 8 : 0;
    if (compute) {
        const double w_bits = own ? double(weight_storage_bits(lc.precision.weights)) : x.w_bits;
        perf.loop_iterations = lc.iterations;
        perf.winograd = lc.winograd;
        perf.folded = lc.folded;
        perf.precision = lc.precision;
        perf.passes = lc.passes;
        perf.side_path = lc.side_path;
        c.compute = double(lc.iterations);
        // The passes of a bit-sliced layer run back to back inside each output tile (the
        // accumulator shifts each pass's sum in), so the pipeline fills once, as for any layer.
        c.fill_drain = lc.side_path ? x.side_fill : x.compute_fill;
        const int k_vec = lc.side_path ? r.side_k_vec : r.k_vec;
        double weight_reads = 1;
        if (l.type == LayerType::conv) {
            // Filters are double-buffered: only what the previous layer's run time cannot hide of
            // the first k_vec filters' load is exposed.
            const double first_bytes = double(std::min(k_vec, lc.k_per_group)) *
                                       double(lc.c_per_group) * lc.kernel_h * lc.kernel_w * w_bits /
                                       8;
            const double window =
                l.previous_compute >= 0 ? double(x.iterations_of_shape(l.previous_compute)) : 0.0;
            c.filter_load = std::max(0.0, first_bytes * x.cycles_per_byte - window);
            // A filter deeper than the cache is re-streamed for every row tile.
            perf.filter_overflow = lc.side_path
                                       ? lc.filter_words(r.side_c_vec) > r.side_filter_cache_depth
                                       : lc.filter_words(r.c_vec) > r.filter_cache_depth;
            if (perf.filter_overflow) weight_reads = double(ceil_div32(l.out_h, r.lanes));
        }
        bytes += double(l.weights) * w_bits / 8 * weight_reads;
    } else {
        perf.loop_iterations = aux_loop_iterations(l, r);
        c.fill_drain = x.aux_fill;
        if (l.aux_mode == AuxMode::fused) {
            // Runs beside its producer: only the part of its run the stream cannot cover
            // throttles it.
            const double head = double(x.iterations_of_shape(l.stream_head));
            const double prev =
                l.stream_prev_aux >= 0
                    ? double(aux_loop_iterations(x.plan.shapes[std::size_t(l.stream_prev_aux)], r))
                    : 0.0;
            c.compute = std::max(0.0, double(perf.loop_iterations) - std::max(head, prev));
        } else {
            c.compute = double(perf.loop_iterations);
        }
    }
    if (l.reads_image) bytes += double(l.in_elements) * image_bytes_per_element * batch;
    const bool own_pass = is_compute(l.type) || l.aux_mode != AuxMode::fused;
    c.control = own_pass ? x.tc.control_overhead_fraction * (c.compute + c.fill_drain) : 0;
    // The fitted residual scales with the pass's work, so it can never dominate a design.
    c.calibrated = own_pass ? x.tc.residual_fraction * (c.compute + c.fill_drain) : 0;
    perf.memory_cycles = bytes * x.cycles_per_byte;
    const double busy = c.compute + c.fill_drain + c.control;
    c.memory_stall = std::max(0.0, perf.memory_cycles - busy);
    perf.bound = c.memory_stall > 0              ? Bound::memory
                 : (!own_pass && c.compute == 0) ? Bound::fused
                                                 : Bound::compute;
    return c;
}

// The loop of every compute layer, computed once per evaluate_plan call (a stack array: the hot
// path allocates nothing); layers past the array are planned when reached.
constexpr std::size_t cached_loops = 256;
// Storage left uninitialised: only the compute layers' slots are written, then read. Zeroing
// 256 slots per call cost more than planning the loops.
union LoopSlot {
    LoopChoice loop;
    LoopSlot() {}
};

} // namespace

PerfTotals evaluate_plan(const NetworkPlan& plan, const ArchConfig& r, const Device& device,
                         std::span<LayerPerf> per_layer) {
    const TimingCoefficients& tc = device.timing;
    // Chain fill and drain: the input stick reaches the last of k_vec PEs one hop a cycle and the
    // results leave the same way; then one register per adder-tree level, the accumulator and
    // the requantise stage (docs/MODEL.md §4).
    std::int64_t shape_iterations[EvalContext::cached_shapes]; // written before read
    EvalContext x{plan,
                  r,
                  tc,
                  r.fmax_mhz / (r.ddr_gbps * device.board.ddr_efficiency * 1e3),
                  double(r.precision.act_bits),
                  double(weight_storage_bits(r.precision.weights)),
                  double(stream_buffer_bits(r)),
                  2.0 * r.k_vec + ceil_log2(r.c_vec) + tc.accumulator_pipeline_cycles +
                      tc.requantise_pipeline_cycles,
                  double(tc.aux_pipeline_cycles),
                  2.0 * r.side_k_vec + ceil_log2(r.side_c_vec) + tc.accumulator_pipeline_cycles +
                      tc.requantise_pipeline_cycles,
                  shape_iterations};
    const std::size_t n_layers = plan.layers.size();
    LoopSlot loops[cached_loops];
    std::int64_t filter_words = 1, side_filter_words = 0;
    for (std::size_t i = 0; i < n_layers; ++i) {
        const PlannedLayer& l = plan.layers[i];
        if (!is_compute(l.type)) continue;
        const LoopChoice lc = choose_loop(l, r);
        if (i < cached_loops) loops[i].loop = lc;
        if (l.shape >= 0 && std::size_t(l.shape) < EvalContext::cached_shapes)
            x.shape_iterations[l.shape] = lc.iterations;
        if (l.type != LayerType::conv) continue;
        if (lc.side_path)
            side_filter_words = std::max(side_filter_words, lc.filter_words(r.side_c_vec));
        else
            filter_words = std::max(filter_words, lc.filter_words(r.c_vec));
    }
    const double peak = peak_macs_per_cycle(r);
    // The side path's peak, for its layers' utilisation and the design's peak when it is larger.
    const double side_peak = double(r.side_k_vec) * r.side_c_vec * r.q_vec * r.lanes;
    bool ran_side_path = false;

    double ddr_bytes = 0, non_fc_cycles = 0, fc_invocation_cycles = 0, fc_batch1_cycles = 0;
    CycleBreakdown sum;
    bool has_fc = false;
    const bool report_layers = !per_layer.empty();
    LayerPerf scratch; // the sweep reads no per-layer facts: one record, never reset
    LoopChoice uncached;
    for (std::size_t i = 0; i < n_layers; ++i) {
        const PlannedLayer& l = plan.layers[i];
        LayerPerf& perf = report_layers ? per_layer[i] : scratch;
        if (report_layers) {
            perf = LayerPerf{};
            perf.layer_index = l.layer_index;
            perf.macs = l.macs;
            perf.aux_mode = l.aux_mode;
            perf.blocker = l.blocker;
        }
        const bool fc = l.type == LayerType::fc;
        const double batch = fc ? r.fc_batch : 1;
        const bool compute = is_compute(l.type);
        if (compute && i >= cached_loops) uncached = choose_loop(l, r);
        const LoopChoice& lc = compute && i < cached_loops ? loops[i].loop : uncached;
        double bytes = 0;
        CycleBreakdown c = evaluate_layer(x, r, l, lc, perf, bytes); // per invocation
        const double invocation_cycles = c.total();
        if (batch != 1) {
            // Hot path of the sweep: divide only where it changes a bit (x / 1 == x).
            c.compute /= batch;
            c.fill_drain /= batch;
            c.control /= batch;
            c.filter_load /= batch;
            c.memory_stall /= batch;
            c.calibrated /= batch;
        }
        const double ddr_bytes_per_image = batch == 1 ? bytes : bytes / batch;
        if (report_layers) {
            perf.cycles = c;
            perf.cycles_per_image = batch == 1 ? invocation_cycles : invocation_cycles / batch;
            perf.ddr_bytes_per_image = ddr_bytes_per_image;
            if (perf.cycles_per_image > 0)
                perf.utilisation =
                    double(l.macs) / (perf.cycles_per_image * (lc.side_path ? side_peak : peak));
        }
        ran_side_path |= compute && lc.side_path;
        const double n = l.count;
        sum.compute += c.compute * n;
        sum.fill_drain += c.fill_drain * n;
        sum.control += c.control * n;
        sum.filter_load += c.filter_load * n;
        sum.memory_stall += c.memory_stall * n;
        sum.calibrated += c.calibrated * n;
        ddr_bytes += ddr_bytes_per_image * n;
        if (fc) {
            has_fc = true;
            fc_invocation_cycles += invocation_cycles * n;
            // Batch 1: the same layer with its weights streamed for one image.
            if (r.fc_batch == 1) {
                fc_batch1_cycles += invocation_cycles * n;
            } else {
                ArchConfig single_image = r;
                single_image.fc_batch = 1;
                double single_bytes = 0;
                const LoopChoice single_loop = choose_loop(l, single_image);
                fc_batch1_cycles +=
                    evaluate_layer(x, single_image, l, single_loop, scratch, single_bytes).total() *
                    n;
            }
        } else {
            non_fc_cycles += invocation_cycles * n;
        }
    }

    PerfTotals t;
    t.macs = plan.macs;
    t.cycles = sum;
    t.filter_words_needed = filter_words;
    t.side_filter_words_needed = side_filter_words;
    const double cycles = sum.total();
    const double cycles_per_ms = r.fmax_mhz * 1e3;
    t.cycles_per_image = cycles;
    t.images_per_s = cycles > 0 ? r.fmax_mhz * 1e6 / cycles : 0;
    const double batch1_cycles = non_fc_cycles + fc_batch1_cycles;
    t.images_per_s_batch1 = batch1_cycles > 0 ? r.fmax_mhz * 1e6 / batch1_cycles : 0;
    t.latency_ms = batch1_cycles / cycles_per_ms;
    // Batched: the FC layers wait for fc_batch images to pass the conv layers first.
    const double batched_cycles =
        has_fc ? non_fc_cycles * r.fc_batch + fc_invocation_cycles : non_fc_cycles;
    t.latency_ms_batched = batched_cycles / cycles_per_ms;
    t.effective_tops = 2.0 * double(plan.macs) * t.images_per_s / 1e12;
    t.peak_tops =
        2.0 * (ran_side_path ? std::max(peak, side_peak) : peak) * r.fmax_mhz * 1e6 / 1e12;
    t.pe_utilisation = t.peak_tops > 0 ? t.effective_tops / t.peak_tops : 0;
    t.ddr_bytes_per_image = ddr_bytes;
    t.ddr_gbps_required = ddr_bytes * t.images_per_s / 1e9;
    return t;
}

} // namespace lpdla
