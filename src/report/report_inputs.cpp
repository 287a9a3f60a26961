// What a report echoes: the question (every input, defaults marked) and the assumptions in the
// data files behind the answer (include/lpdla/report/html_report.h).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/report/html_report.h"

namespace lpdla {
namespace {

using json = nlohmann::json;

std::string show(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "none";
    if (v.is_array()) {
        std::string out;
        for (const auto& x : v) out += (out.empty() ? "" : ", ") + show(x);
        return out.empty() ? "(empty)" : out;
    }
    return v.dump();
}

// Flattens {"a": 1, "b": {"c": 2}} into "a" and "b.c", comparing each against the default.
void flatten(const json& value, const json& defaults, const std::string& prefix,
             std::vector<ReportInput>& out) {
    for (const auto& [key, v] : value.items()) {
        if (key == "schema") continue;
        const std::string name = prefix.empty() ? key : prefix + "." + key;
        const json d = defaults.is_object() && defaults.contains(key) ? defaults[key] : json();
        if (v.is_object()) {
            flatten(v, d, name, out);
            continue;
        }
        out.push_back({name, show(v), !d.is_null() && d == v});
    }
}

void walk(const json& v, const std::string& path, const std::string& file,
          std::vector<Assumption>& out) {
    if (v.is_object()) {
        for (const auto& [key, child] : v.items()) {
            if (key == "assumed" && child.is_string()) {
                out.push_back({file, path.empty() ? "/" : path, child.get<std::string>()});
                continue;
            }
            walk(child, path + "/" + key, file, out);
        }
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i)
            walk(v[i], path + "/" + std::to_string(i), file, out);
    }
}

} // namespace

std::vector<Assumption> collect_assumptions(const std::filesystem::path& file) {
    std::vector<Assumption> out;
    walk(read_json_file(file), "", file.filename().string(), out);
    return out;
}

std::vector<ReportInput> sweep_report_inputs(const SweepSpec& spec,
                                             const std::vector<std::string>& shipped_devices,
                                             const std::vector<std::string>& shipped_networks) {
    SweepSpec def = default_sweep_spec();
    def.devices = shipped_devices;
    def.networks = shipped_networks;
    def.name = spec.name;
    std::vector<ReportInput> out;
    out.push_back({"spec source", spec.source.empty() ? "command line" : spec.source, false});
    flatten(spec_to_json(spec), spec_to_json(def), "", out);
    // Knobs left to the engine's defaults are inputs too: say what they mean.
    for (auto& in : out) {
        if (in.name == "fixed.stream_buffer_kib" && in.value == "auto")
            in.value = "auto (sized to each network)";
        if (in.name == "fmax_mhz" && in.value == "0") in.value = "0 (each device's default clock)";
        if (in.name == "fixed.ddr_gbps" && in.value == "0") in.value = "0 (each board's peak)";
    }
    return out;
}

std::vector<ReportInput> estimate_report_inputs(const Device& device, const Network& network,
                                                const ArchConfig& a, const UtilisationCaps& caps) {
    const ArchConfig d;
    const UtilisationCaps dc;
    std::vector<ReportInput> out = {
        {"device", device.name + " (" + device.display_name + ")", false},
        {"network", network.name + " (" + network.display_name + ")", false},
        {"width", fmt::format("{:g}", network.width), network.width == 1},
        {"precision", precision_label(a.precision), false},
        {"k_vec", std::to_string(a.k_vec), a.k_vec == d.k_vec},
        {"c_vec", std::to_string(a.c_vec), a.c_vec == d.c_vec},
        {"q_vec", std::to_string(a.q_vec), a.q_vec == d.q_vec},
        {"lanes", std::to_string(a.lanes), a.lanes == d.lanes},
        {"mac_impl", std::string(to_string(a.mac_impl)), a.mac_impl == d.mac_impl},
        {"fmax_mhz", a.fmax_mhz == 0 ? "0 (device default)" : fmt::format("{:g}", a.fmax_mhz),
         a.fmax_mhz == d.fmax_mhz},
        {"ddr_gbps", a.ddr_gbps == 0 ? "0 (board peak)" : fmt::format("{:g}", a.ddr_gbps),
         a.ddr_gbps == d.ddr_gbps},
        {"fc_batch", std::to_string(a.fc_batch), a.fc_batch == d.fc_batch},
        {"stream_buffer_kib",
         a.stream_buffer_kib == 0 ? "auto" : std::to_string(a.stream_buffer_kib),
         a.stream_buffer_kib == d.stream_buffer_kib},
        {"filter_cache_depth",
         a.filter_cache_depth == 0 ? "auto" : std::to_string(a.filter_cache_depth),
         a.filter_cache_depth == d.filter_cache_depth},
        {"accumulation_terms_log2", std::to_string(a.accumulation_terms_log2),
         a.accumulation_terms_log2 == d.accumulation_terms_log2},
        {"fold_strides", a.fold_strides ? "true" : "false", a.fold_strides == d.fold_strides},
        {"max_alm_pct", fmt::format("{:g}", 100 * caps.alm), caps.alm == dc.alm},
        {"max_dsp_pct", fmt::format("{:g}", 100 * caps.dsp), caps.dsp == dc.dsp},
        {"max_m20k_pct", fmt::format("{:g}", 100 * caps.m20k), caps.m20k == dc.m20k},
    };
    return out;
}

} // namespace lpdla
