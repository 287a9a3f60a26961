#include "lpdla/io/json_io.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
using nlohmann::json;
using strict_json::child;
using strict_json::Reader;

namespace {

// Every number in a device file must carry a source or an "assumed" reason (DESIGN.md §3).
void check_traceable(const Reader& rd, const json& j, const std::string& path, bool covered) {
    if (j.is_object()) {
        const bool here =
            covered || (!path.empty() && ((j.contains("source") && j["source"].is_string()) ||
                                          (j.contains("assumed") && j["assumed"].is_string())));
        for (auto it = j.begin(); it != j.end(); ++it)
            check_traceable(rd, it.value(), child(path, it.key()), here);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            check_traceable(rd, j[i], child(path, i), covered);
    } else if (j.is_number() && !covered) {
        rd.fail(path, "number without a \"source\" or \"assumed\" reason; write {\"value\": N, "
                      "\"source\": \"...\"} or {\"value\": N, \"assumed\": \"why\"}");
    }
}

std::vector<MemoryShape> parse_shapes(const Reader& rd, const json& obj, const std::string& path) {
    const json& arr = rd.array(obj, "shapes", path);
    std::vector<MemoryShape> shapes;
    const auto p = child(path, "shapes");
    if (arr.empty()) rd.fail(p, "needs at least one [depth_words, width_bits] shape");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const json& s = arr[i];
        if (!s.is_array() || s.size() != 2 || !s[0].is_number_integer() ||
            !s[1].is_number_integer() || s[0].get<long long>() <= 0 || s[1].get<long long>() <= 0)
            rd.fail(child(p, i), "expected [depth_words, width_bits] with positive integers");
        shapes.push_back({s[0].get<std::int64_t>(), s[1].get<int>()});
    }
    return shapes;
}

MemoryBlock parse_memory_block(const Reader& rd, const json& obj, const std::string& path) {
    rd.object(obj, path);
    MemoryBlock b;
    b.bits = std::int64_t(rd.number(obj, "bits", path));
    b.fmax_mhz = rd.number_or(obj, "fmax_mhz", path, 0);
    b.shapes = parse_shapes(rd, obj, path);
    return b;
}

ResourceCounts parse_counts(const Reader& rd, const json& obj, const std::string& path, bool all) {
    rd.object(obj, path);
    ResourceCounts c;
    const auto get = [&](const char* key) {
        return all ? rd.non_negative(obj, key, path)
                   : (rd.has(obj, key) ? rd.non_negative(obj, key, path) : 0.0);
    };
    c.alm = get("alm");
    c.registers = get("registers");
    c.dsp = get("dsp");
    c.m20k = get("m20k");
    c.mlab = get("mlab");
    return c;
}

// The engine's pipeline depths and per-layer costs; the calibrated residual comes from the
// calibration file the device names (relative to the device file), written by `lpdla calibrate`.
void parse_timing(const Reader& rd, const json& t, const std::string& file, Device& d) {
    const std::string p = "/timing";
    TimingCoefficients& tc = d.timing;
    tc.control_overhead_fraction = rd.non_negative(t, "control_overhead_fraction", p);
    if (tc.control_overhead_fraction >= 1)
        rd.fail(p + "/control_overhead_fraction", "must be a fraction below 1");
    tc.accumulator_pipeline_cycles = rd.integer(t, "accumulator_pipeline_cycles", p, 0, 10000);
    tc.requantise_pipeline_cycles = rd.integer(t, "requantise_pipeline_cycles", p, 0, 10000);
    tc.aux_pipeline_cycles = rd.integer(t, "aux_pipeline_cycles", p, 0, 10000);
    if (rd.has(t, "calibration_file")) {
        const std::string rel = rd.string(t, "calibration_file", p);
        const auto path = std::filesystem::path(file).parent_path() / rel;
        tc.calibration_file = path.lexically_normal().string();
        const json cal = read_json_file(path);
        Reader cr(tc.calibration_file);
        cr.schema(cal, "lpdla.calibration/1");
        const json& coef = cr.object(cr.field(cal, "coefficients", ""), "/coefficients");
        tc.residual_fraction = cr.non_negative(coef, "residual_fraction", "/coefficients");
    }
}

bool is_estimated(const json& j) {
    if (j.is_object()) {
        if (j.contains("estimated") && j["estimated"] == true) return true;
        for (const auto& v : j)
            if (is_estimated(v)) return true;
    }
    return false;
}

} // namespace

Device parse_device(const json& doc, const std::string& file) {
    Reader rd(file);
    rd.schema(doc, "lpdla.device/1");
    check_traceable(rd, doc, "", false);
    Device d;
    d.source_file = file;
    d.name = rd.string(doc, "name", "");
    d.display_name = rd.string_or(doc, "display_name", "", d.name);
    d.family = rd.string(doc, "family", "");
    d.available = parse_counts(rd, rd.field(doc, "resources", ""), "/resources", true);
    for (auto [v, key] :
         {std::pair{d.available.alm, "alm"}, {d.available.dsp, "dsp"}, {d.available.m20k, "m20k"}})
        if (v <= 0) rd.fail(std::string("/resources/") + key, "must be positive");
    const json& mem = rd.object(rd.field(doc, "memory_blocks", ""), "/memory_blocks");
    d.m20k = parse_memory_block(rd, rd.field(mem, "m20k", "/memory_blocks"), "/memory_blocks/m20k");
    d.mlab = parse_memory_block(rd, rd.field(mem, "mlab", "/memory_blocks"), "/memory_blocks/mlab");

    const json& dsp = rd.object(rd.field(doc, "dsp", ""), "/dsp");
    const json& modes = rd.array(dsp, "modes", "/dsp");
    for (std::size_t i = 0; i < modes.size(); ++i) {
        const auto p = child("/dsp/modes", i);
        const json& m = rd.object(modes[i], p);
        DspMode mode;
        mode.name = rd.string(m, "name", p);
        mode.max_a_bits = rd.integer(m, "max_a_bits", p, 1, 64);
        mode.max_w_bits = rd.integer(m, "max_w_bits", p, 1, 64);
        mode.multipliers_per_block = rd.integer(m, "multipliers_per_block", p, 1, 64);
        mode.correction_alms_per_multiplier =
            rd.non_negative(m, "correction_alms_per_multiplier", p);
        d.dsp_modes.push_back(mode);
    }
    d.fp32_multiply_adds_per_block = rd.number(dsp, "fp32_multiply_adds_per_block", "/dsp");
    if (d.fp32_multiply_adds_per_block <= 0)
        rd.fail("/dsp/fp32_multiply_adds_per_block", "must be positive");
    d.dsp_chain_sums_pairs = rd.boolean_or(dsp, "chain_sums_pairs", "/dsp", false);

    const json& clock = rd.object(rd.field(doc, "clock", ""), "/clock");
    d.default_fmax_mhz = rd.number(clock, "default_fmax_mhz", "/clock");
    if (d.default_fmax_mhz <= 0) rd.fail("/clock/default_fmax_mhz", "must be positive");
    d.clock_limits.dsp_fmax_mhz = rd.number_or(clock, "dsp_fmax_mhz", "/clock", 0);
    if (d.clock_limits.dsp_fmax_mhz < 0) rd.fail("/clock/dsp_fmax_mhz", "must be positive");
    for (auto [v, key] : {std::pair{d.m20k.fmax_mhz, "/memory_blocks/m20k/fmax_mhz"},
                          {d.mlab.fmax_mhz, "/memory_blocks/mlab/fmax_mhz"}})
        if (v < 0) rd.fail(key, "must be positive");
    if (d.default_fmax_mhz > d.m20k.fmax_mhz && d.m20k.fmax_mhz > 0)
        rd.fail("/clock/default_fmax_mhz", fmt::format("{} MHz is above the M20K limit of {} MHz",
                                                       d.default_fmax_mhz, d.m20k.fmax_mhz));
    if (rd.has(doc, "timing")) parse_timing(rd, rd.object(doc["timing"], "/timing"), file, d);

    const json& board = rd.object(rd.field(doc, "board", ""), "/board");
    d.board.name = rd.string(board, "name", "/board");
    d.board.ddr_channels = rd.integer(board, "ddr_channels", "/board", 1, 1024);
    d.board.ddr_gbps_per_channel = rd.number(board, "ddr_gbps_per_channel", "/board");
    if (d.board.ddr_gbps_per_channel <= 0)
        rd.fail("/board/ddr_gbps_per_channel", "must be positive");
    d.board.ddr_efficiency = rd.number(board, "ddr_efficiency", "/board");
    if (d.board.ddr_efficiency <= 0 || d.board.ddr_efficiency > 1)
        rd.fail("/board/ddr_efficiency", "must be in (0, 1]");
    d.board.interface_alm_per_channel =
        rd.non_negative(board, "interface_alm_per_channel", "/board");
    d.board.interface_m20k_per_channel =
        rd.non_negative(board, "interface_m20k_per_channel", "/board");
    d.board.shell = parse_counts(rd, rd.field(board, "shell", "/board"), "/board/shell", false);

    const json& soft = rd.object(rd.field(doc, "soft_logic", ""), "/soft_logic");
    const std::string sp = "/soft_logic";
    d.soft.alms_per_adder_bit = rd.non_negative(soft, "alms_per_adder_bit", sp);
    // Structural flags: a bare true/false or {"value": true, "source"|"assumed": "..."}.
    const auto flag = [&](const char* key) {
        const json& v = rd.field(soft, key, sp);
        const json& b = v.is_object() ? rd.field(v, "value", child(sp, key)) : v;
        if (!b.is_boolean())
            rd.fail(child(sp, key) + (v.is_object() ? "/value" : ""), "expected true or false");
        return b.get<bool>();
    };
    d.soft.ternary_adders = flag("ternary_adders");
    d.soft.products_in_adder_luts = flag("products_in_adder_luts");
    d.soft.alms_per_product_bit = rd.non_negative(soft, "alms_per_product_bit", sp);
    d.soft.registers_per_alm = rd.non_negative(soft, "registers_per_alm", sp);
    d.soft.aux_alms_per_lane_channel = rd.non_negative(soft, "aux_alms_per_lane_channel", sp);
    d.soft.control_alms_per_pe = rd.non_negative(soft, "control_alms_per_pe", sp);
    d.soft.routing_overhead = rd.number(soft, "routing_overhead", sp);
    if (d.soft.routing_overhead < 1) rd.fail(sp + "/routing_overhead", "must be >= 1");

    if (rd.has(doc, "power")) {
        const json& pw = rd.object(doc["power"], "/power");
        const std::string pp = "/power";
        d.power.static_w = rd.non_negative(pw, "static_w", pp);
        d.power.alm_uw_per_mhz = rd.non_negative(pw, "alm_uw_per_mhz", pp);
        d.power.dsp_uw_per_mhz = rd.non_negative(pw, "dsp_uw_per_mhz", pp);
        d.power.m20k_uw_per_mhz = rd.non_negative(pw, "m20k_uw_per_mhz", pp);
        d.power.register_uw_per_mhz = rd.non_negative(pw, "register_uw_per_mhz", pp);
        d.power.ddr_pj_per_byte = rd.non_negative(pw, "ddr_pj_per_byte", pp);
        d.power.default_activity = rd.non_negative(pw, "default_activity", pp);
        if (d.power.default_activity > 1) rd.fail(pp + "/default_activity", "must be in [0, 1]");
    }
    d.has_estimated_counts = is_estimated(doc);
    return d;
}

Device load_device(const std::filesystem::path& name_or_path) {
    const auto file = find_data_file("devices", name_or_path.string());
    return parse_device(read_json_file(file), file.string());
}

} // namespace lpdla
