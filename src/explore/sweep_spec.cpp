#include "lpdla/explore/sweep_spec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/strict_json.h"
#include "lpdla/model/network.h"

namespace lpdla {
namespace {

using json = nlohmann::json;

// The largest list one axis may expand to: a typo like "1:100000000" should fail fast, not
// silently make a sweep that runs for days.
constexpr std::size_t max_axis_values = 100000;

// O(n log n): a linear search per value made "1:100000" take seconds (found by fuzz_axis;
// tests/fuzz/regression/axis/dedupe_quadratic.txt).
template <class T> void dedupe_in_order(std::vector<T>& v) {
    std::vector<T> out;
    out.reserve(v.size());
    std::set<T> seen;
    for (const T& x : v)
        if (seen.insert(x).second) out.push_back(x);
    v = std::move(out);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = s.find(sep);
        parts.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        s.remove_prefix(at + 1);
    }
}

double parse_number(std::string_view text, std::string_view what) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        throw Error(fmt::format("{}: '{}' is not a number", what, text));
    return v;
}

// lo:hi[:step | :*factor] over reals; integers go through the same path and are checked after.
std::vector<double> expand_range(std::string_view text, std::string_view what) {
    const auto parts = split(text, ':');
    if (parts.size() < 2 || parts.size() > 3)
        throw Error(fmt::format("{}: '{}' is not a range; write lo:hi, lo:hi:step or lo:hi:*2",
                                what, text));
    const double lo = parse_number(parts[0], what), hi = parse_number(parts[1], what);
    if (lo > hi)
        throw Error(fmt::format("{}: range '{}' is inverted (min {} > max {}); write it low:high",
                                what, text, lo, hi));
    bool geometric = false;
    double step = 1;
    if (parts.size() == 3) {
        std::string_view s = parts[2];
        geometric = !s.empty() && s.front() == '*';
        if (geometric) s.remove_prefix(1);
        step = parse_number(s, what);
        if (geometric ? !(step > 1) : !(step > 0))
            throw Error(fmt::format("{}: range '{}' needs a step {}", what, text,
                                    geometric ? "factor > 1 (e.g. *2)" : "> 0"));
        if (geometric && !(lo > 0))
            throw Error(fmt::format("{}: geometric range '{}' must start above 0", what, text));
    }
    std::vector<double> out;
    // Index-based stepping so a fractional step (0.25) does not accumulate rounding error.
    for (std::size_t i = 0;; ++i) {
        const double v = geometric ? lo * std::pow(step, double(i)) : lo + double(i) * step;
        if (v > hi * (1 + 1e-12)) break;
        out.push_back(v);
        if (out.size() > max_axis_values)
            throw Error(fmt::format("{}: range '{}' expands to more than {} values", what, text,
                                    max_axis_values));
    }
    return out;
}

std::vector<int> to_ints(const std::vector<double>& v, std::string_view what) {
    std::vector<int> out;
    out.reserve(v.size());
    for (double x : v) {
        if (x != std::floor(x) || std::abs(x) > 1e9)
            throw Error(fmt::format("{}: {} is not an integer", what, x));
        out.push_back(int(x));
    }
    return out;
}

double number_at(const json& obj, const char* key, const std::string& where) {
    if (!obj[key].is_number())
        throw Error(fmt::format("{}/{}: expected a number, got {}", where, key,
                                obj[key].is_structured() ? obj[key].type_name() : obj[key].dump()));
    return obj[key].get<double>();
}

// Unknown keys are errors that suggest the closest valid key ("comment" and "x-..." notes pass).
void check_keys(const json& obj, const std::set<std::string>& known, const std::string& where) {
    strict_json::check_keys(obj, std::vector<std::string>(known.begin(), known.end()), where);
}

// JSON forms of an axis: [1, 2, 3], "1,2,3" / "8:128:8", a single number, or
// {"min": lo, "max": hi, "step": s} / {"min": lo, "max": hi, "factor": 2}.
std::vector<double> real_axis_from_json(const json& v, const std::string& what) {
    if (v.is_number()) return {v.get<double>()};
    if (v.is_string()) return parse_real_axis(v.get<std::string>(), what);
    if (v.is_array()) {
        std::vector<double> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_number())
                throw Error(fmt::format("{}/{}: expected a number, got {}", what, i, v[i].dump()));
            out.push_back(v[i].get<double>());
        }
        if (out.empty())
            throw Error(fmt::format("{}: the list is empty; give at least one value", what));
        return out;
    }
    if (v.is_object()) {
        check_keys(v, {"min", "max", "step", "factor"}, what);
        if (!v.contains("min") || !v.contains("max") || !v["min"].is_number() ||
            !v["max"].is_number())
            throw Error(fmt::format("{}: a range object needs numeric \"min\" and \"max\"", what));
        const double lo = v["min"].get<double>(), hi = v["max"].get<double>();
        if (lo > hi)
            throw Error(fmt::format("{}: min {} > max {}; the range is inverted", what, lo, hi));
        std::string text = fmt::format("{}:{}", lo, hi);
        if (v.contains("factor") && v.contains("step"))
            throw Error(fmt::format("{}: give \"step\" or \"factor\", not both", what));
        if (v.contains("factor"))
            text += fmt::format(":*{}", number_at(v, "factor", what));
        else if (v.contains("step"))
            text += fmt::format(":{}", number_at(v, "step", what));
        return parse_real_axis(text, what);
    }
    throw Error(fmt::format("{}: expected a list, a range string or a {{min, max}} object", what));
}

std::vector<std::string> words_from_json(const json& v, const std::string& what) {
    if (v.is_string()) return parse_word_list(v.get<std::string>(), what);
    if (!v.is_array()) throw Error(fmt::format("{}: expected a list of strings", what));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string() || v[i].get<std::string>().empty())
            throw Error(fmt::format("{}/{}: expected a non-empty string", what, i));
        out.push_back(v[i].get<std::string>());
    }
    if (out.empty())
        throw Error(fmt::format("{}: the list is empty; give at least one value", what));
    return out;
}

void parse_constraints(const json& c, const std::string& where, SweepConstraints& out) {
    if (!c.is_object()) throw Error(fmt::format("{}: expected an object", where));
    check_keys(c,
               {"max_alm_pct", "max_registers_pct", "max_dsp_pct", "max_m20k_pct", "max_mlab_pct",
                "min_images_per_s", "min_top1", "require_known_top1", "max_power_w",
                "max_latency_ms", "comment"},
               where);
    const std::pair<const char*, double*> caps[] = {{"max_alm_pct", &out.caps.alm},
                                                    {"max_registers_pct", &out.caps.registers},
                                                    {"max_dsp_pct", &out.caps.dsp},
                                                    {"max_m20k_pct", &out.caps.m20k},
                                                    {"max_mlab_pct", &out.caps.mlab}};
    for (auto [key, field] : caps)
        if (c.contains(key)) *field = number_at(c, key, where) / 100;
    if (c.contains("min_images_per_s"))
        out.min_images_per_s = number_at(c, "min_images_per_s", where);
    if (c.contains("min_top1")) {
        if (c["min_top1"].is_null())
            out.min_top1.reset();
        else
            out.min_top1 = number_at(c, "min_top1", where);
    }
    if (c.contains("require_known_top1")) {
        if (!c["require_known_top1"].is_boolean())
            throw Error(fmt::format("{}/require_known_top1: expected true or false", where));
        out.require_known_top1 = c["require_known_top1"].get<bool>();
    }
    if (c.contains("max_power_w")) {
        if (c["max_power_w"].is_null())
            out.max_power_w.reset();
        else
            out.max_power_w = number_at(c, "max_power_w", where);
    }
    if (c.contains("max_latency_ms")) {
        if (c["max_latency_ms"].is_null())
            out.max_latency_ms.reset();
        else
            out.max_latency_ms = number_at(c, "max_latency_ms", where);
    }
    // An unknown top-1 never passes a minimum: a point whose accuracy nobody measured cannot be
    // said to reach it.
    if (out.min_top1) out.require_known_top1 = true;
}

void parse_fixed(const json& f, const std::string& where, ArchConfig& a) {
    if (!f.is_object()) throw Error(fmt::format("{}: expected an object", where));
    check_keys(f,
               {"fc_batch", "ddr_gbps", "stream_buffer_kib", "filter_cache_depth",
                "accumulation_terms_log2", "fold_strides", "comment", "first_last", "wide_layers",
                "side_k_vec", "side_c_vec", "side_filter_cache_depth"},
               where);
    const auto integer = [&](const char* key, int& field) {
        if (!f.contains(key)) return;
        const std::string_view k = key;
        if (f[key].is_string() && f[key].get<std::string>() == "auto" &&
            (k == "stream_buffer_kib" || k == "filter_cache_depth" || k == "side_k_vec" ||
             k == "side_c_vec" || k == "side_filter_cache_depth")) {
            field = 0; // sized to each network (docs/MODEL.md §3 "Memory sizing") or the array's
            return;
        }
        const double v = number_at(f, key, where);
        // Range-checked before the int conversion (1e300 would be undefined); the real limits
        // are arch_problem's, checked by validate_sweep_spec.
        if (v != std::floor(v) || std::abs(v) > 1e9)
            throw Error(
                fmt::format("{}/{}: {} is not an integer in the valid range", where, key, v));
        field = int(v);
    };
    integer("fc_batch", a.fc_batch);
    integer("stream_buffer_kib", a.stream_buffer_kib);
    integer("filter_cache_depth", a.filter_cache_depth);
    integer("accumulation_terms_log2", a.accumulation_terms_log2);
    integer("side_k_vec", a.side_k_vec);
    integer("side_c_vec", a.side_c_vec);
    integer("side_filter_cache_depth", a.side_filter_cache_depth);
    if (f.contains("first_last")) {
        if (!f["first_last"].is_string())
            throw Error(where + "/first_last: expected \"none\" or a precision such as \"8/int8\"");
        a.first_last = parse_first_last(f["first_last"].get<std::string>(), where + "/first_last");
    }
    if (f.contains("wide_layers") &&
        (!f["wide_layers"].is_string() ||
         !parse_wide_layer_mode(f["wide_layers"].get<std::string>(), a.wide_layers)))
        throw Error(where + "/wide_layers: valid values are \"bit_slice\", \"dsp_side_path\"");
    if (f.contains("ddr_gbps")) a.ddr_gbps = number_at(f, "ddr_gbps", where);
    if (f.contains("fold_strides")) {
        if (!f["fold_strides"].is_boolean())
            throw Error(fmt::format("{}/fold_strides: expected true or false", where));
        a.fold_strides = f["fold_strides"].get<bool>();
    }
}

// "stream_buffer_kib": ["auto", 256, 1024] (or one value): KiB, "auto" = 0 = sized to the network.
std::vector<int> buffer_axis_from_json(const json& v, const std::string& where) {
    std::vector<int> out;
    for (const json& item : v.is_array() ? v : json::array({v})) {
        if (item.is_string() && item.get<std::string>() == "auto") {
            out.push_back(0);
        } else if (item.is_number_integer() && item.get<std::int64_t>() >= 1 &&
                   item.get<std::int64_t>() <= (1 << 20)) {
            out.push_back(int(item.get<std::int64_t>()));
        } else {
            throw Error(fmt::format("{}: {} is not \"auto\" or a size in KiB (1 .. 1048576)", where,
                                    item.dump()));
        }
    }
    if (out.empty()) throw Error(where + ": empty list; give \"auto\" or sizes in KiB");
    return out;
}

// Every (act_bits, weights) pair that is a valid precision, in list order.
std::vector<Precision> cross_precisions(const std::vector<int>& acts,
                                        const std::vector<std::string>& weights,
                                        const std::string& where) {
    std::vector<Precision> out;
    for (const auto& w : weights) {
        const auto kind = parse_weight_kind(w);
        if (!kind)
            throw Error(fmt::format("{}: unknown weight kind '{}'; valid: binary, ternary, int2, "
                                    "int4, int8, int16, bfp16, fp32",
                                    where, w));
        for (int a : acts)
            if (Precision p{a, *kind}; precision_problem(p).empty()) out.push_back(p);
    }
    if (out.empty())
        throw Error(fmt::format("{}: no valid (act_bits, weights) pair in the cross product (e.g. "
                                "bfp16 needs 16-bit activations)",
                                where));
    return out;
}

void check_range(const std::string& spec, const char* key, double v, double lo, double hi,
                 const char* unit = "") {
    if (!(v >= lo && v <= hi))
        throw Error(fmt::format("sweep spec {}: {} = {}{} is out of range: valid is {}..{}", spec,
                                key, v, unit, lo, hi));
}

} // namespace

std::string_view to_string(CostKind kind) {
    switch (kind) {
    case CostKind::area:
        return "area";
    case CostKind::alm:
        return "alm";
    case CostKind::dsp:
        return "dsp";
    case CostKind::m20k:
        return "m20k";
    case CostKind::power:
        return "power";
    }
    return "?";
}

std::optional<CostKind> parse_cost_kind(std::string_view text) {
    for (CostKind k :
         {CostKind::area, CostKind::alm, CostKind::dsp, CostKind::m20k, CostKind::power})
        if (to_string(k) == text) return k;
    return std::nullopt;
}

std::vector<double> parse_real_axis(std::string_view text, std::string_view what) {
    std::vector<double> out;
    if (trim(text).empty())
        throw Error(fmt::format("{}: the list is empty; give at least one value", what));
    for (auto item : split(text, ',')) {
        if (item.empty()) throw Error(fmt::format("{}: '{}' has an empty item", what, text));
        if (item.find(':') != std::string_view::npos) {
            const auto r = expand_range(item, what);
            out.insert(out.end(), r.begin(), r.end());
        } else {
            out.push_back(parse_number(item, what));
        }
    }
    dedupe_in_order(out);
    return out;
}

std::vector<int> parse_int_axis(std::string_view text, std::string_view what) {
    return to_ints(parse_real_axis(text, what), what);
}

std::vector<std::string> parse_word_list(std::string_view text, std::string_view what) {
    std::vector<std::string> out;
    if (trim(text).empty())
        throw Error(fmt::format("{}: the list is empty; give at least one value", what));
    for (auto item : split(text, ',')) {
        if (item.empty()) throw Error(fmt::format("{}: '{}' has an empty item", what, text));
        out.emplace_back(item);
    }
    dedupe_in_order(out);
    return out;
}

std::uint64_t SweepSpec::configs_per_device() const {
    return std::uint64_t(k_vec.size()) * c_vec.size() * q_vec.size() * lanes.size() *
           precisions.size() * fmax_mhz.size() * mac_impl.size() * stream_buffer_choices() *
           fold_choices() * first_last_choices();
}

SweepSpec default_sweep_spec() {
    SweepSpec s;
    s.source = "command line";
    // FPGA AI Suite-like shapes (k_vec up to 128, c_vec up to 64, lanes 1/2/4) plus the wider
    // c_vec that only low precisions afford; the resource check prunes what does not fit.
    s.k_vec = parse_int_axis("8:128:8", "k_vec");
    s.c_vec = parse_int_axis("4:256:*2", "c_vec");
    s.q_vec = parse_int_axis("1:8:*2", "q_vec");
    s.lanes = {1, 2, 4};
    for (const char* p : {"2/ternary", "2/binary", "4/ternary", "4/int4", "8/int8", "16/bfp16"})
        s.precisions.push_back(parse_precision(p, "default precisions"));
    return s;
}

SweepSpec parse_sweep_spec(const json& doc, const std::string& file, SweepSpec s) {
    const std::string where = file.empty() ? std::string("sweep spec") : file;
    if (!doc.is_object()) throw Error(fmt::format("{}: expected a JSON object", where));
    if (!doc.contains("schema") || doc["schema"] != "lpdla.sweep/1")
        throw Error(fmt::format("{}/schema: expected \"lpdla.sweep/1\"", where));
    check_keys(doc,
               {"schema",
                "name",
                "comment",
                "devices",
                "networks",
                "widths",
                "k_vec",
                "c_vec",
                "q_vec",
                "lanes",
                "precisions",
                "act_bits",
                "weights",
                "fmax_mhz",
                "mac_impl",
                "fixed",
                "constraints",
                "cost",
                "accuracy_files",
                "ddr_gbps",
                "fc_batch",
                "accept_accuracy_from_variants",
                "stream_buffer_kib",
                "fold_strides",
                "first_last"},
               where);
    const auto path = [&](const char* key) { return fmt::format("{}/{}", where, key); };
    s.source = file;
    if (doc.contains("name")) {
        if (!doc["name"].is_string()) throw Error(path("name") + ": expected a string");
        s.name = doc["name"].get<std::string>();
    }
    if (doc.contains("devices")) s.devices = words_from_json(doc["devices"], path("devices"));
    if (doc.contains("networks")) s.networks = words_from_json(doc["networks"], path("networks"));
    if (doc.contains("widths")) s.widths = real_axis_from_json(doc["widths"], path("widths"));
    if (doc.contains("fmax_mhz"))
        s.fmax_mhz = real_axis_from_json(doc["fmax_mhz"], path("fmax_mhz"));
    const std::pair<const char*, std::vector<int>*> int_axes[] = {
        {"k_vec", &s.k_vec}, {"c_vec", &s.c_vec}, {"q_vec", &s.q_vec}, {"lanes", &s.lanes}};
    for (auto [key, field] : int_axes)
        if (doc.contains(key))
            *field = to_ints(real_axis_from_json(doc[key], path(key)), path(key));
    if (doc.contains("precisions") && (doc.contains("act_bits") || doc.contains("weights")))
        throw Error(where +
                    ": give either \"precisions\" (pairs) or \"act_bits\" x \"weights\", not both");
    if (doc.contains("precisions")) {
        s.precisions.clear();
        for (const auto& p : words_from_json(doc["precisions"], path("precisions")))
            s.precisions.push_back(parse_precision(p, path("precisions")));
    } else if (doc.contains("act_bits") || doc.contains("weights")) {
        if (!doc.contains("act_bits") || !doc.contains("weights"))
            throw Error(where + ": \"act_bits\" and \"weights\" go together (their cross product)");
        s.precisions = cross_precisions(
            to_ints(real_axis_from_json(doc["act_bits"], path("act_bits")), path("act_bits")),
            words_from_json(doc["weights"], path("weights")), where);
    }
    if (doc.contains("mac_impl")) {
        s.mac_impl.clear();
        for (const auto& m : words_from_json(doc["mac_impl"], path("mac_impl"))) {
            const auto impl = parse_mac_impl(m);
            if (!impl)
                throw Error(fmt::format("{}: '{}' is not auto, dsp or alm", path("mac_impl"), m));
            s.mac_impl.push_back(*impl);
        }
    }
    if (doc.contains("fixed")) parse_fixed(doc["fixed"], path("fixed"), s.fixed);
    if (doc.contains("stream_buffer_kib"))
        s.stream_buffer_kib =
            buffer_axis_from_json(doc["stream_buffer_kib"], path("stream_buffer_kib"));
    if (doc.contains("fold_strides")) {
        const json& f = doc["fold_strides"];
        s.fold_strides.clear();
        for (const json& v : f.is_array() ? f : json::array({f})) {
            if (!v.is_boolean())
                throw Error(fmt::format("{}: expected true, false or a list of them, got {}",
                                        path("fold_strides"), v.dump()));
            s.fold_strides.push_back(v.get<bool>());
        }
        if (s.fold_strides.empty())
            throw Error(path("fold_strides") + ": empty list; give true, false or both");
    }
    if (doc.contains("first_last")) {
        s.first_last.clear();
        for (const auto& w : words_from_json(doc["first_last"], path("first_last")))
            s.first_last.push_back(parse_first_last(w, path("first_last")));
    }
    if (doc.contains("accuracy_files"))
        s.accuracy_files = words_from_json(doc["accuracy_files"], path("accuracy_files"));
    if (doc.contains("ddr_gbps"))
        s.ddr_gbps = real_axis_from_json(doc["ddr_gbps"], path("ddr_gbps"));
    if (doc.contains("fc_batch"))
        s.fc_batch =
            to_ints(real_axis_from_json(doc["fc_batch"], path("fc_batch")), path("fc_batch"));
    if (doc.contains("accept_accuracy_from_variants")) {
        if (!doc["accept_accuracy_from_variants"].is_boolean())
            throw Error(path("accept_accuracy_from_variants") + ": expected true or false");
        s.accept_accuracy_from_variants = doc["accept_accuracy_from_variants"].get<bool>();
    }
    if (doc.contains("constraints"))
        parse_constraints(doc["constraints"], path("constraints"), s.constraints);
    if (doc.contains("cost")) {
        const auto kind = doc["cost"].is_string() ? parse_cost_kind(doc["cost"].get<std::string>())
                                                  : std::nullopt;
        if (!kind)
            throw Error(fmt::format("{}: {} is not a cost; valid: area, alm, dsp, m20k, power",
                                    path("cost"), doc["cost"].dump()));
        s.cost = *kind;
    }
    return s;
}

void validate_sweep_spec(const SweepSpec& s) {
    const std::string& n = s.source.empty() ? s.name : s.source;
    const auto nonempty = [&](const char* key, std::size_t size) {
        if (size == 0)
            throw Error(
                fmt::format("sweep spec {}: '{}' is empty; give at least one value", n, key));
    };
    nonempty("devices", s.devices.size());
    nonempty("networks", s.networks.size());
    nonempty("widths", s.widths.size());
    nonempty("k_vec", s.k_vec.size());
    nonempty("c_vec", s.c_vec.size());
    nonempty("q_vec", s.q_vec.size());
    nonempty("lanes", s.lanes.size());
    nonempty("precisions", s.precisions.size());
    nonempty("fmax_mhz", s.fmax_mhz.size());
    nonempty("mac_impl", s.mac_impl.size());
    // The same limits resolve_arch enforces, checked once here instead of per point.
    for (int v : s.k_vec) check_range(n, "k_vec", v, 1, 4096);
    for (int v : s.c_vec) check_range(n, "c_vec", v, 1, 1024);
    for (int v : s.q_vec) check_range(n, "q_vec", v, 1, 64);
    for (int v : s.lanes) check_range(n, "lanes", v, 1, 64);
    for (double v : s.widths) {
        if (!(v > 0 && v <= max_width_multiplier))
            throw Error(fmt::format("sweep spec {}: width {} is out of range: valid is (0, {}]", n,
                                    v, max_width_multiplier));
    }
    for (double v : s.fmax_mhz) check_range(n, "fmax_mhz", v, 0, 2000, " MHz");
    for (int v : s.stream_buffer_kib) check_range(n, "stream_buffer_kib", v, 0, 1 << 20, " KiB");
    for (const auto& p : s.precisions)
        if (auto problem = precision_problem(p); !problem.empty())
            throw Error(
                fmt::format("sweep spec {}: precision {}: {}", n, precision_label(p), problem));
    if (auto problem = arch_problem(s.fixed); !problem.empty())
        throw Error(fmt::format("sweep spec {}: fixed: {}", n, problem));
    const auto& c = s.constraints;
    const std::pair<const char*, double> caps[] = {{"max_alm_pct", c.caps.alm},
                                                   {"max_registers_pct", c.caps.registers},
                                                   {"max_dsp_pct", c.caps.dsp},
                                                   {"max_m20k_pct", c.caps.m20k},
                                                   {"max_mlab_pct", c.caps.mlab}};
    for (auto [key, v] : caps)
        if (!(v > 0 && v <= 1))
            throw Error(fmt::format("sweep spec {}: constraints.{} = {} is out of range: valid is "
                                    "(0, 100]",
                                    n, key, v * 100));
    if (!(c.min_images_per_s >= 0))
        throw Error(fmt::format("sweep spec {}: constraints.min_images_per_s = {} must be >= 0", n,
                                c.min_images_per_s));
    if (c.min_top1 && !(*c.min_top1 >= 0 && *c.min_top1 <= 1))
        throw Error(fmt::format("sweep spec {}: constraints.min_top1 = {} is a fraction: valid is "
                                "0..1 (e.g. 0.55 for 55 %)",
                                n, *c.min_top1));
    if (c.max_power_w && !(*c.max_power_w > 0))
        throw Error(fmt::format("sweep spec {}: constraints.max_power_w = {} must be > 0", n,
                                *c.max_power_w));
    if (c.max_latency_ms && !(*c.max_latency_ms > 0))
        throw Error(fmt::format("sweep spec {}: constraints.max_latency_ms = {} must be > 0", n,
                                *c.max_latency_ms));
    for (double v : s.ddr_gbps) check_range(n, "ddr_gbps", v, 0, 10000, " GB/s");
    for (int v : s.fc_batch) check_range(n, "fc_batch", v, 1, 4096);
    for (const auto& d : s.devices) (void)parse_platform_label(d);
    if (s.total_configs() / s.devices.size() != s.configs_per_device() ||
        s.configs_per_device() > (std::uint64_t(1) << 50))
        throw Error(fmt::format("sweep spec {}: the grid is too large to enumerate", n));
}

void expand_platform_variants(SweepSpec& s) {
    if (s.ddr_gbps.empty() && s.fc_batch.empty()) return;
    const std::vector<double> ddrs = s.ddr_gbps.empty() ? std::vector<double>{0} : s.ddr_gbps;
    const std::vector<int> batches = s.fc_batch.empty() ? std::vector<int>{0} : s.fc_batch;
    std::vector<std::string> out;
    for (const auto& d : s.devices) {
        if (d.find('@') != std::string::npos) {
            out.push_back(d);
            continue;
        }
        for (double ddr : ddrs)
            for (int fc : batches) {
                std::string label = d;
                if (ddr > 0) label += fmt::format("@ddr{:g}", ddr);
                if (fc > 0) label += fmt::format("@fc{}", fc);
                out.push_back(label);
            }
    }
    dedupe_in_order(out);
    s.devices = std::move(out);
}

PlatformLabel parse_platform_label(const std::string& label) {
    PlatformLabel p;
    const auto parts = split(label, '@');
    p.device = std::string(parts[0]);
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string_view part = parts[i];
        const auto bad = [&] {
            return Error(fmt::format("device '{}': '@{}' is not a platform variant; write "
                                     "name@ddr<GB/s> and/or name@fc<batch> (e.g. "
                                     "arria10_gx1150@ddr19.2@fc8)",
                                     label, part));
        };
        if (part.substr(0, 3) == "ddr") {
            p.ddr_gbps = parse_number(part.substr(3), label);
            if (!(p.ddr_gbps > 0)) throw bad();
        } else if (part.substr(0, 2) == "fc") {
            const double v = parse_number(part.substr(2), label);
            if (v != std::floor(v) || v < 1 || v > 4096) throw bad();
            p.fc_batch = int(v);
        } else {
            throw bad();
        }
    }
    return p;
}

json spec_to_json(const SweepSpec& s) {
    json j = {{"schema", "lpdla.sweep/1"}, {"name", s.name}};
    j["devices"] = s.devices;
    j["networks"] = s.networks;
    j["widths"] = s.widths;
    j["k_vec"] = s.k_vec;
    j["c_vec"] = s.c_vec;
    j["q_vec"] = s.q_vec;
    j["lanes"] = s.lanes;
    json precisions = json::array();
    for (const auto& p : s.precisions) precisions.push_back(precision_label(p));
    j["precisions"] = precisions;
    j["fmax_mhz"] = s.fmax_mhz;
    json impls = json::array();
    for (MacImpl m : s.mac_impl) impls.push_back(std::string(to_string(m)));
    j["mac_impl"] = impls;
    j["fixed"] = fixed_knobs_to_json(s.fixed);
    if (!s.stream_buffer_kib.empty()) {
        json sizes = json::array();
        for (int kib : s.stream_buffer_kib) sizes.push_back(kib == 0 ? json("auto") : json(kib));
        j["stream_buffer_kib"] = sizes;
    }
    if (!s.fold_strides.empty()) j["fold_strides"] = s.fold_strides;
    if (!s.first_last.empty()) {
        json fl = json::array();
        for (const auto& p : s.first_last) fl.push_back(first_last_text(p));
        j["first_last"] = fl;
    }
    if (!s.accuracy_files.empty()) j["accuracy_files"] = s.accuracy_files;
    if (!s.ddr_gbps.empty()) j["ddr_gbps"] = s.ddr_gbps;
    if (!s.fc_batch.empty()) j["fc_batch"] = s.fc_batch;
    if (s.accept_accuracy_from_variants) j["accept_accuracy_from_variants"] = true;
    const auto& c = s.constraints;
    json cj = {
        {"max_alm_pct", c.caps.alm * 100},           {"max_registers_pct", c.caps.registers * 100},
        {"max_dsp_pct", c.caps.dsp * 100},           {"max_m20k_pct", c.caps.m20k * 100},
        {"max_mlab_pct", c.caps.mlab * 100},         {"min_images_per_s", c.min_images_per_s},
        {"require_known_top1", c.require_known_top1}};
    cj["min_top1"] = c.min_top1 ? json(*c.min_top1) : json(nullptr);
    cj["max_power_w"] = c.max_power_w ? json(*c.max_power_w) : json(nullptr);
    if (c.max_latency_ms) cj["max_latency_ms"] = *c.max_latency_ms;
    j["constraints"] = cj;
    j["cost"] = std::string(to_string(s.cost));
    return j;
}

} // namespace lpdla
