#include "lpdla/report/estimate_report.h"

#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/version.h"

namespace lpdla {
using nlohmann::json;

namespace {

json defaults_applied(const ArchConfig& req, const ArchConfig& res, const Device& d) {
    json j = json::object();
    if (req.fmax_mhz == 0)
        j["fmax_mhz"] = fmt::format("{} MHz: device default_fmax_mhz ({})", res.fmax_mhz, d.name);
    if (req.ddr_gbps == 0)
        j["ddr_gbps"] =
            fmt::format("{} GB/s: board peak, {} channels x {} GB/s ({})", res.ddr_gbps,
                        d.board.ddr_channels, d.board.ddr_gbps_per_channel, d.board.name);
    if (req.stream_buffer_kib == 0)
        j["stream_buffer_kib"] =
            fmt::format("{} KiB: auto, the network's largest live set of feature maps at {} bits",
                        res.stream_buffer_kib, res.precision.act_bits);
    if (req.filter_cache_depth == 0)
        j["filter_cache_depth"] =
            fmt::format("{} words: auto, the deepest filter a PE runs at c_vec {}",
                        res.filter_cache_depth, res.c_vec);
    if (req.mac_impl == MacImpl::automatic)
        j["mac_impl"] = fmt::format("{}: chosen for {}", to_string(res.mac_impl),
                                    precision_label(res.precision));
    return j;
}

template <typename... T>
void append_line(std::string& out, fmt::format_string<T...> format, T&&... args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<T>(args)...);
    out += '\n';
}

std::string pct(double used, double avail) {
    return avail > 0 ? fmt::format("{:.1f}%", 100.0 * used / avail) : "-";
}

} // namespace

json cycle_breakdown_to_json(const CycleBreakdown& c) {
    return {{"compute", c.compute},           {"fill_drain", c.fill_drain},
            {"control", c.control},           {"filter_load", c.filter_load},
            {"memory_stall", c.memory_stall}, {"calibrated", c.calibrated}};
}

json timing_to_json(const Device& d) {
    const TimingCoefficients& t = d.timing;
    return {{"control_overhead_fraction", t.control_overhead_fraction},
            {"accumulator_pipeline_cycles", t.accumulator_pipeline_cycles},
            {"requantise_pipeline_cycles", t.requantise_pipeline_cycles},
            {"aux_pipeline_cycles", t.aux_pipeline_cycles},
            {"residual_fraction", t.residual_fraction},
            {"calibration_file", t.calibration_file}};
}

json resources_to_json(const ResourceCounts& c) {
    return {{"alm", c.alm},
            {"registers", c.registers},
            {"dsp", c.dsp},
            {"m20k", c.m20k},
            {"mlab", c.mlab}};
}

json estimate_to_json(const Estimate& e, const EstimateContext& ctx) {
    const Device& d = *ctx.device;
    const Network& n = *ctx.network;
    json j;
    j["schema"] = "lpdla.estimate/1";
    j["lpdla_version"] = version_string;
    j["inputs"] = {
        {"device",
         {{"name", d.name}, {"file", d.source_file}, {"estimated_counts", d.has_estimated_counts}}},
        {"network", {{"name", n.name}, {"file", n.source_file}, {"width", n.width}}},
        {"config", config_to_json(e.arch, d.name, n.name, n.width)},
        {"defaults_applied", defaults_applied(ctx.requested, e.arch, d)},
        {"ddr_efficiency", d.board.ddr_efficiency},
        {"timing", timing_to_json(d)},
        {"power",
         {{"dynamic_power_scale", d.power.dynamic_scale},
          {"calibration_file", d.power.calibration_file},
          {"activity", e.power.activity}}},
        {"caps",
         {{"alm", e.caps.alm},
          {"registers", e.caps.registers},
          {"dsp", e.caps.dsp},
          {"m20k", e.caps.m20k},
          {"mlab", e.caps.mlab}}}};
    // Layers at their own precision (network file or --layer-precision), so the echoed config
    // reproduces the estimate.
    json own = json::object();
    for (const Layer& l : n.layers)
        if (l.precision) own[l.name] = precision_label(*l.precision);
    if (!own.empty()) j["inputs"]["config"]["layer_precision"] = own;
    j["network"] = {
        {"name", n.name}, {"macs", n.macs()}, {"weights", n.weights()}, {"width", n.width}};
    j["precision"] = {{"label", precision_label(e.arch.precision)},
                      {"assignment", precision_assignment_label(e.arch)},
                      {"first_last", first_last_text(e.arch.first_last)},
                      {"wide_layers", to_string(e.arch.wide_layers)},
                      {"act_bits", e.arch.precision.act_bits},
                      {"weights", to_string(e.arch.precision.weights)},
                      {"mac_impl", to_string(e.arch.mac_impl)},
                      {"winograd", uses_winograd(e.arch.precision, e.arch.mac_impl, e.arch.q_vec)}};
    const auto& t = e.totals;
    j["totals"] = {{"images_per_s", t.images_per_s},
                   {"latency_ms", t.latency_ms},
                   {"latency_ms_batched", t.latency_ms_batched},
                   {"images_per_s_batch1", t.images_per_s_batch1},
                   {"cycles_per_image", t.cycles_per_image},
                   {"effective_tops", t.effective_tops},
                   {"peak_tops", t.peak_tops},
                   {"pe_utilisation", t.pe_utilisation},
                   {"ddr_bytes_per_image", t.ddr_bytes_per_image},
                   {"ddr_gbps_required", t.ddr_gbps_required},
                   {"power_w", e.power.total_w()},
                   {"images_per_s_per_w", per_watt(t.images_per_s, e.power.total_w())},
                   {"tops_per_w", per_watt(t.effective_tops, e.power.total_w())},
                   {"cycle_breakdown", cycle_breakdown_to_json(t.cycles)},
                   {"ops_convention", "2 ops per network MAC (conv + fc), padded work excluded"}};
    const auto& p = e.power;
    j["power"] = {{"total_w", p.total_w()},     {"static_w", p.static_w},
                  {"dynamic_w", p.dynamic_w()}, {"alm_w", p.alm_w},
                  {"register_w", p.register_w}, {"dsp_w", p.dsp_w},
                  {"m20k_w", p.m20k_w},         {"ddr_w", p.ddr_w},
                  {"activity", p.activity},     {"fmax_mhz", e.arch.fmax_mhz}};
    json comps = json::array();
    for (const auto& c : e.resources.components)
        comps.push_back(
            {{"name", c.name}, {"use", resources_to_json(c.use)}, {"formula", c.formula}});
    j["resources"] = {{"components", comps},
                      {"total", resources_to_json(e.resources.total)},
                      {"available", resources_to_json(e.resources.available)},
                      {"limiting", e.resources.limiting}};
    j["fits"] = e.fits;
    if (e.accuracy)
        j["accuracy"] = {
            {"top1", e.accuracy->top1},
            {"top5", e.accuracy->top5 ? json(*e.accuracy->top5) : json(nullptr)},
            {"source", e.accuracy->source},
            {"variant", e.accuracy->variant},
            {"fp32_top1", e.accuracy->fp32_top1 ? json(*e.accuracy->fp32_top1) : json(nullptr)},
            {"other_variant", e.accuracy->other_variant},
            {"first_last_stated", e.accuracy->first_last_stated},
            {"first_last", describe_first_last(*e.accuracy)}};
    else
        j["accuracy"] = {{"top1", nullptr},
                         {"note", "unknown: no row for this precision assignment (precision, "
                                  "first/last layers) and width"}};
    json layers = json::array();
    for (const auto& lp : e.layers) {
        const Layer& l = n.layers[lp.layer_index];
        const bool compute = l.type == LayerType::conv || l.type == LayerType::fc;
        layers.push_back({{"name", l.name},
                          {"type", to_string(l.type)},
                          {"precision", compute ? json(precision_label(lp.precision)) : json()},
                          {"passes", lp.passes},
                          {"side_path", lp.side_path},
                          {"macs", lp.macs},
                          {"loop_iterations", lp.loop_iterations},
                          {"memory_cycles", lp.memory_cycles},
                          {"cycles", lp.cycles_per_image},
                          {"cycle_breakdown", cycle_breakdown_to_json(lp.cycles)},
                          {"dominant", lp.cycles.dominant()},
                          {"bound", to_string(lp.bound)},
                          {"aux_mode", to_string(lp.aux_mode)},
                          {"not_fused_because", to_string(lp.blocker)},
                          {"filter_overflow", lp.filter_overflow},
                          {"utilisation", lp.utilisation},
                          {"ddr_bytes", lp.ddr_bytes_per_image},
                          {"winograd", lp.winograd},
                          {"spilled", lp.spilled},
                          {"folded", lp.folded},
                          {"out_shape", {l.out.channels, l.out.height, l.out.width}}});
    }
    j["layers"] = layers;
    return j;
}

std::string resources_over_caps(const Estimate& e) {
    const auto& t = e.resources.total;
    const auto& a = e.resources.available;
    const struct {
        const char* name;
        double used, avail, cap;
    } kinds[] = {{"ALM", t.alm, a.alm, e.caps.alm},
                 {"registers", t.registers, a.registers, e.caps.registers},
                 {"DSP", t.dsp, a.dsp, e.caps.dsp},
                 {"M20K", t.m20k, a.m20k, e.caps.m20k},
                 {"MLAB", t.mlab, a.mlab, e.caps.mlab}};
    std::string out;
    for (const auto& k : kinds)
        if (k.used > k.avail * k.cap)
            out += fmt::format("{}{} {} (cap {:g} %)", out.empty() ? "" : ", ", k.name,
                               k.avail > 0 ? fmt::format("{:.1f} %", 100 * k.used / k.avail)
                                           : std::string("n/a"),
                               100 * k.cap);
    return out;
}

std::string estimate_to_table(const Estimate& e, const EstimateContext& ctx) {
    const Device& d = *ctx.device;
    const Network& n = *ctx.network;
    const auto& a = e.arch;
    std::string out;
    append_line(out, "lpdla estimate: {} on {}", n.display_name, d.display_name);
    append_line(out, "  network   {} width {}x, {} MACs/image, {} weights", n.name, n.width,
                n.macs(), n.weights());
    append_line(
        out,
        "  config    k_vec {} c_vec {} q_vec {} lanes {}, precision {} ({}{}), fmax {} MHz, "
        "DDR {} GB/s x {} efficiency",
        a.k_vec, a.c_vec, a.q_vec, a.lanes, precision_label(a.precision), to_string(a.mac_impl),
        uses_winograd(a.precision, a.mac_impl, a.q_vec) ? ", Winograd F(q,3)" : "", a.fmax_mhz,
        a.ddr_gbps, d.board.ddr_efficiency);
    append_line(out, "            fc_batch {}, stream buffer {} KiB, filter cache {} words",
                a.fc_batch, a.stream_buffer_kib, a.filter_cache_depth);
    append_line(out, "            layer precisions: {}{}", precision_assignment_label(a),
                runs_side_path(a)
                    ? fmt::format(", side path k_vec {} x c_vec {}, filter cache {} "
                                  "words",
                                  a.side_k_vec, a.side_c_vec, a.side_filter_cache_depth)
                    : std::string());
    append_line(out, "");
    append_line(out, "{:<22} {:>8} {:>10} {:>6} {:>14} {:>13} {:>8} {:>12} {:>6} {:>13}", "layer",
                "type", "precision", "passes", "MACs", "cycles", "bound", "mostly", "util",
                "DDR bytes");
    for (const auto& lp : e.layers) {
        const Layer& l = n.layers[lp.layer_index];
        if (l.type == LayerType::relu) continue;
        const bool compute = l.type == LayerType::conv || l.type == LayerType::fc;
        append_line(
            out, "{:<22} {:>8} {:>10} {:>6} {:>14} {:>13.0f} {:>8} {:>12} {:>6} {:>13.0f}{}",
            l.name, to_string(l.type), compute ? precision_label(lp.precision) : "-",
            !compute       ? std::string("-")
            : lp.side_path ? std::string("side")
                           : std::to_string(lp.passes),
            lp.macs, lp.cycles_per_image, to_string(lp.bound),
            lp.cycles_per_image > 0 ? lp.cycles.dominant() : "-",
            lp.macs ? fmt::format("{:.0f}%", 100 * lp.utilisation) : "-", lp.ddr_bytes_per_image,
            lp.spilled                              ? "  (spills)"
            : lp.aux_mode == AuxMode::separate_pass ? "  (separate pass)"
            : lp.folded                             ? "  (stride-folded)"
                                                    : "");
    }
    append_line(out, "(ReLU rides in its producer's requantise stage; fused pool/LRN/add cost only "
                     "the cycles their producer's stream cannot cover; a concat costs nothing: its "
                     "producers write at channel offsets of its region)");
    const auto& cb = e.totals.cycles;
    append_line(out,
                "cycles/image: compute {:.0f}, fill/drain {:.0f}, control {:.0f}, filter load "
                "{:.0f}, memory stall {:.0f}, calibrated {:.0f}",
                cb.compute, cb.fill_drain, cb.control, cb.filter_load, cb.memory_stall,
                cb.calibrated);
    append_line(out, "");
    const auto& t = e.totals;
    append_line(
        out,
        "totals: {:.1f} images/s with FC batch {} ({:.1f} at batch 1); latency {:.3f} ms at batch "
        "1, {:.3f} ms with FC batching; {:.3f} effective TOPS of {:.3f} peak ({:.1f}% PE "
        "utilisation)",
        t.images_per_s, a.fc_batch, t.images_per_s_batch1, t.latency_ms, t.latency_ms_batched,
        t.effective_tops, t.peak_tops, 100 * t.pe_utilisation);
    append_line(out, "        DDR {:.2f} MB/image, {:.2f} GB/s required of {:.2f} usable",
                t.ddr_bytes_per_image / 1e6, t.ddr_gbps_required,
                a.ddr_gbps * d.board.ddr_efficiency);
    const auto& p = e.power;
    append_line(out,
                "        power {:.1f} W (static {:.1f}, ALM {:.1f}, registers {:.1f}, DSP {:.1f}, "
                "M20K {:.1f}, "
                "DDR {:.1f}; activity {}, dynamic scale {:.3f}), {:.1f} images/s/W, {:.3f} TOPS/W",
                p.total_w(), p.static_w, p.alm_w, p.register_w, p.dsp_w, p.m20k_w, p.ddr_w,
                p.activity, d.power.dynamic_scale, per_watt(t.images_per_s, p.total_w()),
                per_watt(t.effective_tops, p.total_w()));
    if (e.accuracy)
        append_line(out, "        top-1 {}{}; {} ({})", describe_accuracy(*e.accuracy),
                    e.accuracy->other_variant ? ": measured on another variant, not this network"
                                              : "",
                    e.accuracy->first_last_stated
                        ? describe_first_last(*e.accuracy)
                        : "the row does not state its first/last layers' precision",
                    e.accuracy->source);
    else
        append_line(out, "        top-1 unknown (no accuracy row for {} at width {})",
                    precision_assignment_label(a), n.width);
    append_line(out, "");
    append_line(out, "{:<30} {:>11} {:>11} {:>8} {:>8} {:>8}", "resources", "ALM", "registers",
                "DSP", "M20K", "MLAB");
    for (const auto& c : e.resources.components)
        append_line(out, "{:<30} {:>11.0f} {:>11.0f} {:>8.0f} {:>8.0f} {:>8.0f}", c.name, c.use.alm,
                    c.use.registers, c.use.dsp, c.use.m20k, c.use.mlab);
    const auto& u = e.resources.total;
    const auto& av = e.resources.available;
    append_line(out, "{:<30} {:>11.0f} {:>11.0f} {:>8.0f} {:>8.0f} {:>8.0f}", "total", u.alm,
                u.registers, u.dsp, u.m20k, u.mlab);
    append_line(out, "{:<30} {:>11.0f} {:>11.0f} {:>8.0f} {:>8.0f} {:>8.0f}", "available", av.alm,
                av.registers, av.dsp, av.m20k, av.mlab);
    append_line(out, "{:<30} {:>11} {:>11} {:>8} {:>8} {:>8}", "used", pct(u.alm, av.alm),
                pct(u.registers, av.registers), pct(u.dsp, av.dsp), pct(u.m20k, av.m20k),
                pct(u.mlab, av.mlab));
    append_line(out, "fits: {}{}", e.fits ? "yes" : "NO",
                e.fits ? fmt::format(" (caps: ALM {:.0f}%, others {:.0f}%)", 100 * e.caps.alm,
                                     100 * e.caps.dsp)
                       : fmt::format(" (over its cap: {})", resources_over_caps(e)));
    return out;
}

std::string estimate_to_csv(const Estimate& e, const EstimateContext& ctx) {
    const Network& n = *ctx.network;
    std::string out =
        "name,type,macs,loop_iterations,cycles,bound,utilisation,ddr_bytes,winograd,spilled\n";
    for (const auto& lp : e.layers) {
        const Layer& l = n.layers[lp.layer_index];
        out += fmt::format("{},{},{},{},{:.1f},{},{:.4f},{:.0f},{},{}\n", l.name, to_string(l.type),
                           lp.macs, lp.loop_iterations, lp.cycles_per_image, to_string(lp.bound),
                           lp.utilisation, lp.ddr_bytes_per_image, lp.winograd ? 1 : 0,
                           lp.spilled ? 1 : 0);
    }
    const auto& t = e.totals;
    out += fmt::format("TOTAL,,{},,{:.1f},,{:.4f},{:.0f},,\n", t.macs, t.cycles_per_image,
                       t.pe_utilisation, t.ddr_bytes_per_image);
    return out;
}

} // namespace lpdla
