#include "lpdla/io/json_io.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
using nlohmann::json;
using strict_json::child;
using strict_json::Reader;

namespace {

// "auto" (or 0, or absent) = sized to the network; else a positive integer up to `hi`.
int auto_or_integer(const Reader& rd, const json& doc, const std::string& key, int hi) {
    if (!rd.has(doc, key)) return 0;
    const json& v = doc.at(key);
    if (v.is_string()) {
        if (v.get<std::string>() == "auto") return 0;
        rd.fail("/" + key, fmt::format("'{}' is not valid: expected \"auto\" or an integer in "
                                       "1..{}",
                                       v.get<std::string>(), hi));
    }
    return rd.integer(doc, key, "", 0, hi);
}

} // namespace

ConfigFile parse_config(const json& doc, const std::string& file) {
    Reader rd(file);
    rd.schema(doc, "lpdla.config/1");
    if (doc.contains("pipeline_overhead_cycles"))
        rd.fail("/pipeline_overhead_cycles",
                "removed in model v2: per-layer time now comes from named mechanisms (fill/drain, "
                "control, filter load, memory stalls) and the device's calibrated residual "
                "(docs/MODEL.md §4); delete the field");
    // The keys a configuration may carry (docs/FORMATS.md "Configuration").
    rd.keys(doc, "",
            {"schema",
             "device",
             "network",
             "width",
             "k_vec",
             "c_vec",
             "q_vec",
             "lanes",
             "act_bits",
             "weights",
             "mac_impl",
             "fmax_mhz",
             "ddr_gbps",
             "fc_batch",
             "stream_buffer_kib",
             "filter_cache_depth",
             "accumulation_terms_log2",
             "fold_strides",
             "first_last",
             "wide_layers",
             "side_k_vec",
             "side_c_vec",
             "side_filter_cache_depth",
             "layer_precision"});
    ConfigFile c;
    ArchConfig& a = c.arch;
    c.device = rd.string_or(doc, "device", "", "");
    c.network = rd.string_or(doc, "network", "", "");
    c.width = rd.has(doc, "width") ? rd.positive(doc, "width", "", max_width_multiplier) : 0;
    a.k_vec = rd.integer_or(doc, "k_vec", "", 1, 4096, a.k_vec);
    a.c_vec = rd.integer_or(doc, "c_vec", "", 1, 1024, a.c_vec);
    a.q_vec = rd.integer_or(doc, "q_vec", "", 1, 64, a.q_vec);
    a.lanes = rd.integer_or(doc, "lanes", "", 1, 64, a.lanes);
    a.precision.act_bits = rd.integer_or(doc, "act_bits", "", 1, 32, a.precision.act_bits);
    if (rd.has(doc, "weights")) {
        const auto w = rd.string(doc, "weights", "");
        const auto kind = parse_weight_kind(w);
        if (!kind)
            rd.fail("/weights", fmt::format("unknown weight kind '{}'; valid: binary, ternary, "
                                            "int2, int4, int8, int16, bfp16, fp32",
                                            w));
        a.precision.weights = *kind;
    }
    if (auto problem = precision_problem(a.precision); !problem.empty())
        rd.fail("/act_bits", problem);
    if (rd.has(doc, "mac_impl")) {
        const auto m = parse_mac_impl(rd.string(doc, "mac_impl", ""));
        if (!m) rd.fail("/mac_impl", "valid values: auto, dsp, alm");
        a.mac_impl = *m;
    }
    a.fmax_mhz = rd.number_or(doc, "fmax_mhz", "", 0);
    a.ddr_gbps = rd.number_or(doc, "ddr_gbps", "", 0);
    a.fc_batch = rd.integer_or(doc, "fc_batch", "", 1, 4096, a.fc_batch);
    a.stream_buffer_kib = auto_or_integer(rd, doc, "stream_buffer_kib", 1 << 20);
    a.filter_cache_depth = auto_or_integer(rd, doc, "filter_cache_depth", 1 << 20);
    a.accumulation_terms_log2 =
        rd.integer_or(doc, "accumulation_terms_log2", "", 0, 40, a.accumulation_terms_log2);
    if (rd.has(doc, "fold_strides")) {
        if (!doc["fold_strides"].is_boolean()) rd.fail("/fold_strides", "must be true or false");
        a.fold_strides = doc["fold_strides"].get<bool>();
    }
    if (rd.has(doc, "first_last")) {
        try {
            a.first_last = parse_first_last(rd.string(doc, "first_last", ""), "first_last");
        } catch (const Error& e) {
            rd.fail("/first_last", e.what());
        }
    }
    if (rd.has(doc, "wide_layers") &&
        !parse_wide_layer_mode(rd.string(doc, "wide_layers", ""), a.wide_layers))
        rd.fail("/wide_layers", "valid values: bit_slice, dsp_side_path");
    a.side_k_vec = auto_or_integer(rd, doc, "side_k_vec", 4096);
    a.side_c_vec = auto_or_integer(rd, doc, "side_c_vec", 1024);
    a.side_filter_cache_depth = auto_or_integer(rd, doc, "side_filter_cache_depth", 1 << 20);
    if (rd.has(doc, "layer_precision")) {
        const json& lp = rd.object(doc["layer_precision"], "/layer_precision");
        for (const auto& [name, v] : lp.items()) {
            const std::string path = child("/layer_precision", name);
            if (!v.is_string()) rd.fail(path, "expected a precision string such as \"8/int8\"");
            try {
                c.layer_precision.push_back({name, parse_precision(v.get<std::string>(), path)});
            } catch (const Error& e) {
                rd.fail(path, e.what());
            }
        }
    }
    if (auto problem = arch_problem(a); !problem.empty()) rd.fail("/", problem);
    return c;
}

std::string first_last_text(const std::optional<Precision>& first_last) {
    return first_last ? precision_label(*first_last) : std::string("none");
}

std::optional<Precision> parse_first_last(std::string_view text, std::string_view what) {
    if (text == "none") return std::nullopt;
    return parse_precision(text, what);
}

ConfigFile load_config(const std::filesystem::path& path) {
    return parse_config(read_json_file(path), path.string());
}

json config_to_json(const ArchConfig& a, const std::string& device, const std::string& network,
                    double width) {
    json j = {{"schema", "lpdla.config/1"}};
    if (!device.empty()) j["device"] = device;
    if (!network.empty()) j["network"] = network;
    if (width > 0) j["width"] = width;
    j["k_vec"] = a.k_vec;
    j["c_vec"] = a.c_vec;
    j["q_vec"] = a.q_vec;
    j["lanes"] = a.lanes;
    j["act_bits"] = a.precision.act_bits;
    j["weights"] = std::string(to_string(a.precision.weights));
    j["mac_impl"] = std::string(to_string(a.mac_impl));
    j["fmax_mhz"] = a.fmax_mhz;
    j.update(fixed_knobs_to_json(a));
    return j;
}

json fixed_knobs_to_json(const ArchConfig& a) {
    return {
        {"ddr_gbps", a.ddr_gbps},
        {"fc_batch", a.fc_batch},
        {"stream_buffer_kib", a.stream_buffer_kib == 0 ? json("auto") : json(a.stream_buffer_kib)},
        {"filter_cache_depth",
         a.filter_cache_depth == 0 ? json("auto") : json(a.filter_cache_depth)},
        {"accumulation_terms_log2", a.accumulation_terms_log2},
        {"fold_strides", a.fold_strides},
        {"first_last", first_last_text(a.first_last)},
        {"wide_layers", std::string(to_string(a.wide_layers))},
        {"side_k_vec", a.side_k_vec == 0 ? json("auto") : json(a.side_k_vec)},
        {"side_c_vec", a.side_c_vec == 0 ? json("auto") : json(a.side_c_vec)},
        {"side_filter_cache_depth",
         a.side_filter_cache_depth == 0 ? json("auto") : json(a.side_filter_cache_depth)}};
}

} // namespace lpdla
