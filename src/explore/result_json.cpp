// Sweep outputs: the result JSON (and its reader, for `merge`), the CSVs and the terminal table.
// Numbers are written at full precision so a merged result equals an unsharded one exactly.
#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/json_io.h"
#include "lpdla/version.h"

namespace lpdla {
namespace {

using json = nlohmann::json;

json nullable(double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
}

json point_to_json(const SweepSpec& s, const SweepPoint& p) {
    const std::string& device = s.devices[p.device];
    const std::string& network = s.networks[p.network];
    const double width = s.widths[p.width];
    return {{"index", p.config_index},
            {"device", device},
            {"network", network},
            {"width", width},
            {"precision", precision_label(p.config.precision)},
            {"first_last", first_last_text(p.config.first_last)},
            {"images_per_s", p.obj.images_per_s},
            {"latency_ms", p.latency_ms},
            {"latency_ms_batched", p.latency_ms_batched},
            {"images_per_s_batch1", p.images_per_s_batch1},
            {"effective_tops", p.effective_tops},
            {"peak_tops", p.peak_tops},
            {"pe_utilisation", p.pe_utilisation},
            {"ddr_gbps_required", p.ddr_gbps_required},
            {"top1", nullable(p.obj.top1)},
            {"power_w", nullable(p.power_w)},
            {"cost", p.obj.cost},
            {"alm", p.resources.alm},
            {"registers", p.resources.registers},
            {"dsp", p.resources.dsp},
            {"m20k", p.resources.m20k},
            {"mlab", p.resources.mlab},
            {"config", config_to_json(p.config, device, network, width)}};
}

double number(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || !j[key].is_number())
        throw Error(fmt::format("{}/{}: expected a number", where, key));
    const double v = j[key].get<double>();
    if (!std::isfinite(v)) throw Error(fmt::format("{}/{}: expected a finite number", where, key));
    return v;
}

// A count or index: a non-negative JSON integer (checked before converting, so a float like
// 1e30 or -1 cannot reach an out-of-range cast).
std::uint64_t count_at(const json& obj, const char* key, const std::string& where) {
    const json& v = obj.at(key);
    if (!v.is_number_unsigned())
        throw Error(fmt::format("{}/{}: expected a non-negative integer, got {}", where, key,
                                v.is_structured() ? std::string(v.type_name()) : v.dump()));
    return v.get<std::uint64_t>();
}

double nullable_number(const json& j, const char* key, const std::string& where) {
    if (j.contains(key) && j[key].is_null()) return NAN;
    return number(j, key, where);
}

template <class T>
std::uint32_t index_of(const std::vector<T>& v, const T& x, const std::string& where) {
    const auto it = std::find(v.begin(), v.end(), x);
    if (it == v.end()) throw Error(fmt::format("{}: value not in the result's spec", where));
    return std::uint32_t(it - v.begin());
}

SweepPoint point_from_json(const SweepSpec& s, const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected a point object");
    SweepPoint p;
    if (!j.contains("index") || !j["index"].is_number_unsigned())
        throw Error(where + "/index: expected a non-negative integer");
    p.config_index = j["index"].get<std::uint64_t>();
    if (p.config_index >= s.total_configs()) throw Error(where + "/index: outside the spec's grid");
    const GridPoint g = decode_config_index(s, p.config_index);
    p.device = std::uint32_t(g.device);
    p.precision = std::uint32_t(g.precision);
    p.first_last = std::uint32_t(g.first_last);
    if (!j.contains("network") || !j["network"].is_string())
        throw Error(where + "/network: expected a string");
    p.network = index_of(s.networks, j["network"].get<std::string>(), where + "/network");
    p.width = index_of(s.widths, number(j, "width", where), where + "/width");
    if (!j.contains("config")) throw Error(where + "/config: missing");
    p.config = parse_config(j["config"], where + "/config").arch;
    p.obj.images_per_s = number(j, "images_per_s", where);
    p.obj.top1 = nullable_number(j, "top1", where);
    p.obj.cost = number(j, "cost", where);
    p.obj.order = p.config_index * s.widths.size() + p.width;
    p.latency_ms = number(j, "latency_ms", where);
    p.latency_ms_batched = number(j, "latency_ms_batched", where);
    p.images_per_s_batch1 = number(j, "images_per_s_batch1", where);
    p.effective_tops = number(j, "effective_tops", where);
    p.peak_tops = number(j, "peak_tops", where);
    p.pe_utilisation = number(j, "pe_utilisation", where);
    p.ddr_gbps_required = number(j, "ddr_gbps_required", where);
    p.power_w = nullable_number(j, "power_w", where);
    p.resources.alm = number(j, "alm", where);
    p.resources.registers = number(j, "registers", where);
    p.resources.dsp = number(j, "dsp", where);
    p.resources.m20k = number(j, "m20k", where);
    p.resources.mlab = number(j, "mlab", where);
    return p;
}

json optional_point(const SweepSpec& s, const std::optional<SweepPoint>& p) {
    return p ? point_to_json(s, *p) : json(nullptr);
}

std::optional<SweepPoint> optional_point_from(const SweepSpec& s, const json& j,
                                              const std::string& where) {
    if (j.is_null()) return std::nullopt;
    return point_from_json(s, j, where);
}

json counts_to_json(const SweepCounts& c) {
    return {{"configs", c.configs},
            {"configs_fitting", c.configs_fitting},
            {"configs_unbuildable", c.configs_unbuildable},
            {"points_evaluated", c.points_evaluated},
            {"points_feasible", c.points_feasible}};
}

} // namespace

std::string cost_description(CostKind k) {
    switch (k) {
    case CostKind::area:
        return "area (largest of the ALM, DSP and M20K fractions of the device)";
    case CostKind::alm:
        return "ALMs";
    case CostKind::dsp:
        return "DSP blocks";
    case CostKind::m20k:
        return "M20K blocks";
    case CostKind::power:
        return "power (W)";
    }
    return "?";
}

namespace {
std::string fmt_top1(double t) {
    return std::isnan(t) ? std::string("unknown") : fmt::format("{:.1f} %", t * 100);
}

std::string fmt_cost(CostKind k, double c) {
    if (k == CostKind::area) return fmt::format("{:.1f} %", c * 100);
    return k == CostKind::power ? fmt::format("{:.1f} W", c) : fmt::format("{:.4g}", c);
}

} // namespace

std::string describe_sweep_point(const SweepSpec& s, const SweepPoint& p) {
    return fmt::format("{} w{} k{} c{} q{} l{} {}: {:.1f} img/s, top-1 {}, cost {}",
                       precision_assignment_label(p.config), s.widths[p.width], p.config.k_vec,
                       p.config.c_vec, p.config.q_vec, p.config.lanes, to_string(p.config.mac_impl),
                       p.obj.images_per_s, fmt_top1(p.obj.top1), fmt_cost(s.cost, p.obj.cost));
}

json sweep_result_to_json(const SweepResult& r) {
    const SweepSpec& s = r.spec;
    json groups = json::array();
    for (const auto& g : r.groups) {
        json pareto = json::array();
        for (const auto& p : g.pareto) pareto.push_back(point_to_json(s, p));
        json by_precision = json::array();
        for (std::size_t i = 0; i < g.best_by_precision.size(); ++i)
            by_precision.push_back(
                {{"precision",
                  precision_label(s.precisions[i / s.widths.size() / s.first_last_choices()])},
                 {"first_last", first_last_text(first_last_choice(s, i / s.widths.size() %
                                                                         s.first_last_choices()))},
                 {"width", s.widths[i % s.widths.size()]},
                 {"point", optional_point(s, g.best_by_precision[i])}});
        groups.push_back({{"device", s.devices[g.device]},
                          {"network", s.networks[g.network]},
                          {"points_evaluated", g.points_evaluated},
                          {"points_feasible", g.points_feasible},
                          {"best",
                           {{"images_per_s", optional_point(s, g.best.images_per_s)},
                            {"effective_tops", optional_point(s, g.best.effective_tops)},
                            {"top1", optional_point(s, g.best.top1)},
                            {"cost", optional_point(s, g.best.cost)}}},
                          {"pareto", pareto},
                          {"best_by_precision", by_precision}});
    }
    return {{"schema", "lpdla.sweep-result/1"},
            {"lpdla_version", version_string},
            {"spec_name", s.name},
            {"spec_file", s.source},
            {"spec", spec_to_json(s)},
            {"shard", {{"index", r.shard.index}, {"count", r.shard.count}}},
            {"shards_merged", r.shards_merged},
            {"cost", std::string(to_string(s.cost))},
            {"counts", counts_to_json(r.counts)},
            {"results", groups}};
}

SweepResult sweep_result_from_json(const json& doc, const std::string& file) {
    if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != "lpdla.sweep-result/1")
        throw Error(fmt::format("{}: not a sweep result (schema lpdla.sweep-result/1); produce one "
                                "with `lpdla sweep --json --out FILE`",
                                file));
    SweepResult r;
    try {
        r.spec = parse_sweep_spec(doc.at("spec"), file + "/spec", SweepSpec{});
        r.spec.source = doc.at("spec_file").get<std::string>();
        validate_sweep_spec(r.spec);
        r.shard.index = count_at(doc.at("shard"), "index", file + "/shard");
        r.shard.count = count_at(doc.at("shard"), "count", file + "/shard");
        r.shards_merged = count_at(doc, "shards_merged", file);
        const json& c = doc.at("counts");
        const std::string cp = file + "/counts";
        r.counts = {count_at(c, "configs", cp), count_at(c, "configs_fitting", cp),
                    count_at(c, "configs_unbuildable", cp), count_at(c, "points_evaluated", cp),
                    count_at(c, "points_feasible", cp)};
        const SweepSpec& s = r.spec;
        const json& results = doc.at("results");
        for (std::size_t i = 0; i < results.size(); ++i) {
            const json& gj = results[i];
            const std::string where = fmt::format("{}/results/{}", file, i);
            GroupResult g;
            g.device = index_of(s.devices, gj.at("device").get<std::string>(), where + "/device");
            g.network =
                index_of(s.networks, gj.at("network").get<std::string>(), where + "/network");
            g.points_evaluated = count_at(gj, "points_evaluated", where);
            g.points_feasible = count_at(gj, "points_feasible", where);
            const json& b = gj.at("best");
            g.best.images_per_s =
                optional_point_from(s, b.at("images_per_s"), where + "/best/images_per_s");
            g.best.effective_tops =
                optional_point_from(s, b.at("effective_tops"), where + "/best/effective_tops");
            g.best.top1 = optional_point_from(s, b.at("top1"), where + "/best/top1");
            g.best.cost = optional_point_from(s, b.at("cost"), where + "/best/cost");
            const json& pareto = gj.at("pareto");
            for (std::size_t k = 0; k < pareto.size(); ++k)
                g.pareto.push_back(
                    point_from_json(s, pareto[k], fmt::format("{}/pareto/{}", where, k)));
            const json& bp = gj.at("best_by_precision");
            for (std::size_t k = 0; k < bp.size(); ++k)
                g.best_by_precision.push_back(optional_point_from(
                    s, bp[k].at("point"), fmt::format("{}/best_by_precision/{}", where, k)));
            r.groups.push_back(std::move(g));
        }
    } catch (const json::exception& e) {
        throw Error(fmt::format("{}: malformed sweep result: {}", file, e.what()));
    }
    return r;
}

std::string all_points_csv_header(const SweepSpec& s) {
    return fmt::format("# lpdla sweep spec \"{}\" ({}); cost = {}\n"
                       "index,device,network,width,precision,k_vec,c_vec,q_vec,lanes,mac_impl,"
                       "fmax_mhz,images_per_s,latency_ms,latency_ms_batched,images_per_s_batch1,"
                       "effective_tops,peak_tops,pe_utilisation,"
                       "top1,power_w,cost,alm,registers,dsp,m20k,mlab,stream_buffer_kib,"
                       "fold_strides,first_last,wide_layers\n",
                       s.name, s.source, to_string(s.cost));
}

void append_point_csv(std::string& out, const SweepSpec& s, const SweepPoint& p) {
    const ArchConfig& c = p.config;
    auto it = fmt::format_to(
        std::back_inserter(out), "{},{},{},{},{}/{},{},{},{},{},{},{},{},{},{},{},{},{},{},",
        p.config_index, s.devices[p.device], s.networks[p.network], s.widths[p.width],
        c.precision.act_bits, to_string(c.precision.weights), c.k_vec, c.c_vec, c.q_vec, c.lanes,
        to_string(c.mac_impl), c.fmax_mhz, p.obj.images_per_s, p.latency_ms, p.latency_ms_batched,
        p.images_per_s_batch1, p.effective_tops, p.peak_tops, p.pe_utilisation);
    if (!std::isnan(p.obj.top1)) it = fmt::format_to(it, "{}", p.obj.top1);
    *it++ = ',';
    if (!std::isnan(p.power_w)) it = fmt::format_to(it, "{}", p.power_w);
    fmt::format_to(it, ",{},{},{},{},{},{},{},{},{},{}\n", p.obj.cost, p.resources.alm,
                   p.resources.registers, p.resources.dsp, p.resources.m20k, p.resources.mlab,
                   c.stream_buffer_kib, c.fold_strides, first_last_text(c.first_last),
                   to_string(c.wide_layers));
}

std::string sweep_result_to_csv(const SweepResult& r) {
    const SweepSpec& s = r.spec;
    std::string out = all_points_csv_header(s);
    // Same columns as --all, with the row's role in front.
    out.insert(out.find('\n') + 1, "role,");
    for (const auto& g : r.groups) {
        const auto row = [&](const char* role, const std::optional<SweepPoint>& p) {
            if (!p) return;
            out += role;
            out += ',';
            append_point_csv(out, s, *p);
        };
        row("best_images_per_s", g.best.images_per_s);
        row("best_effective_tops", g.best.effective_tops);
        row("best_top1", g.best.top1);
        row("best_cost", g.best.cost);
        for (const auto& p : g.best_by_precision) row("best_by_precision", p);
        for (const auto& p : g.pareto) row("pareto", p);
    }
    return out;
}

std::string sweep_result_to_table(const SweepResult& r) {
    const SweepSpec& s = r.spec;
    const auto& c = r.counts;
    std::string out = fmt::format(
        "Sweep \"{}\" ({}){}: {} configurations, {} fit the caps, {} (configuration, network, "
        "width) points evaluated, {} feasible. Cost: {}.\n",
        s.name, s.source,
        r.shards_merged > 1 ? fmt::format(", {} shards merged", r.shards_merged)
        : r.shard.count > 1 ? fmt::format(", shard {}/{}", r.shard.index, r.shard.count)
                            : std::string(),
        c.configs, c.configs_fitting, c.points_evaluated, c.points_feasible,
        cost_description(s.cost));
    // The precision column fits the longest slot label ("2/ternary first/last 32/fp32").
    std::size_t label_width = 10;
    for (std::size_t i = 0; i < s.precisions.size() * s.first_last_choices(); ++i)
        label_width = std::max(label_width, slot_label(s, i).size());
    for (const auto& g : r.groups) {
        out += fmt::format("\n{} / {}: fastest configuration per precision and width\n",
                           s.devices[g.device], s.networks[g.network]);
        out += fmt::format("  {:<{}} {:>5} {:>5} {:>5} {:>5} {:>5} {:>4} {:>11} {:>9} {:>8} {:>9} "
                           "{:>7} {:>5} {:>5} {:>6}\n",
                           "precision", label_width, "width", "k_vec", "c_vec", "q_vec", "lanes",
                           "mac", "images/s", "eff TOPS", "top-1", "latency", "ALM", "DSP", "M20K",
                           "power");
        for (std::size_t i = 0; i < g.best_by_precision.size(); ++i) {
            const auto& p = g.best_by_precision[i];
            const std::string label = slot_label(s, i / s.widths.size());
            const double width = s.widths[i % s.widths.size()];
            if (!p) {
                out += fmt::format("  {:<{}} {:>5} {}\n", label, label_width, width,
                                   "nothing feasible");
                continue;
            }
            const auto& a = p->config;
            out += fmt::format(
                "  {:<{}} {:>5} {:>5} {:>5} {:>5} {:>5} {:>4} {:>11.1f} {:>9.3f} {:>8} "
                "{:>7.2f}ms {:>7} {:>5} {:>5} {:>6}\n",
                label, label_width, width, a.k_vec, a.c_vec, a.q_vec, a.lanes,
                to_string(a.mac_impl), p->obj.images_per_s, p->effective_tops,
                fmt_top1(p->obj.top1), p->latency_ms, fmt::format("{:.0f}", p->resources.alm),
                fmt::format("{:.0f}", p->resources.dsp), fmt::format("{:.0f}", p->resources.m20k),
                std::isnan(p->power_w) ? std::string("-") : fmt::format("{:.1f}W", p->power_w));
        }
        if (g.best.images_per_s)
            out += "  best images/s:  " + describe_sweep_point(s, *g.best.images_per_s) + "\n";
        if (g.best.top1) out += "  best top-1:     " + describe_sweep_point(s, *g.best.top1) + "\n";
        if (g.best.cost) out += "  lowest cost:    " + describe_sweep_point(s, *g.best.cost) + "\n";
        out += fmt::format(
            "  Pareto front (images/s, top-1, cost): {} points; --json or --csv lists them\n",
            g.pareto.size());
    }
    return out;
}

} // namespace lpdla
