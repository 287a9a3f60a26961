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

// Valid ranges (docs/FORMATS.md "Device: valid ranges"): wide enough for every Intel FPGA from
// Cyclone 10 GX to Agilex 7 with room to spare, narrow enough that a typo (an extra zero run, a
// sign) or a hostile value cannot make the model overflow or divide by zero.
constexpr double max_fmax_mhz = 2000; // no FPGA fabric block clocks above ~1 GHz
constexpr double max_alm = 1e7;       // the largest devices have ~3.5 M ALMs
constexpr double max_registers = 1e8; // 4 per ALM
constexpr double max_blocks = 1e6;    // DSP, M20K, MLAB counts
constexpr std::int64_t max_block_bits = 1 << 20;

// Keys that make a number traceable (DESIGN.md §3); allowed in every object of a device file.
const std::vector<std::string> annotations{"source", "assumed", "reasoning", "estimated"};

// Every number in a device file must carry a source or an "assumed" reason (DESIGN.md §3).
// Recursion is bounded by strict_json::max_depth for parsed files; `depth` also bounds a document
// a program built in memory.
void check_traceable(const Reader& rd, const json& j, const std::string& path, bool covered,
                     std::size_t depth = 0) {
    if (depth > strict_json::max_depth)
        rd.fail(path, fmt::format("nested deeper than {} levels", strict_json::max_depth));
    if (j.is_object()) {
        const bool here =
            covered || (!path.empty() && ((j.contains("source") && j["source"].is_string()) ||
                                          (j.contains("assumed") && j["assumed"].is_string())));
        for (auto it = j.begin(); it != j.end(); ++it)
            check_traceable(rd, it.value(), child(path, it.key()), here, depth + 1);
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            check_traceable(rd, j[i], child(path, i), covered, depth + 1);
    } else if (j.is_number() && !covered) {
        rd.fail(path, "number without a \"source\" or \"assumed\" reason; write {\"value\": N, "
                      "\"source\": \"...\"} or {\"value\": N, \"assumed\": \"why\"}");
    }
}

std::vector<MemoryShape> parse_shapes(const Reader& rd, const json& obj, const std::string& path,
                                      std::int64_t bits) {
    const json& arr = rd.array(obj, "shapes", path);
    std::vector<MemoryShape> shapes;
    const auto p = child(path, "shapes");
    if (arr.empty()) rd.fail(p, "needs at least one [depth_words, width_bits] shape");
    for (std::size_t i = 0; i < arr.size(); ++i) {
        const json& s = arr[i];
        const auto pi = child(p, i);
        if (!s.is_array() || s.size() != 2)
            rd.fail(pi, "expected [depth_words, width_bits] with positive integers");
        const auto depth = rd.integer_value(s[0], child(pi, 0), 1, max_block_bits);
        const auto width = rd.integer_value(s[1], child(pi, 1), 1, 1024);
        if (depth * width > bits)
            rd.fail(pi, fmt::format("{} x {} bits is more than the block's {} bits", depth, width,
                                    bits));
        shapes.push_back({depth, int(width)});
    }
    return shapes;
}

MemoryBlock parse_memory_block(const Reader& rd, const json& obj, const std::string& path) {
    rd.keys(obj, path, {"bits", "fmax_mhz", "shapes"});
    MemoryBlock b;
    b.bits = rd.integer64(obj, "bits", path, 1, max_block_bits);
    b.fmax_mhz =
        rd.has(obj, "fmax_mhz") ? rd.positive(obj, "fmax_mhz", path, max_fmax_mhz, " MHz") : 0;
    b.shapes = parse_shapes(rd, obj, path, b.bits);
    return b;
}

ResourceCounts parse_counts(const Reader& rd, const json& obj, const std::string& path, bool all) {
    rd.keys(obj, path, {"alm", "registers", "dsp", "m20k", "mlab"});
    ResourceCounts c;
    const auto get = [&](const char* key, double hi) {
        return all ? rd.non_negative(obj, key, path, hi)
                   : (rd.has(obj, key) ? rd.non_negative(obj, key, path, hi) : 0.0);
    };
    c.alm = get("alm", max_alm);
    c.registers = get("registers", max_registers);
    c.dsp = get("dsp", max_blocks);
    c.m20k = get("m20k", max_blocks);
    c.mlab = get("mlab", max_blocks);
    return c;
}

// The engine's pipeline depths and per-layer costs; the calibrated residual comes from the
// calibration file the device names (relative to the device file), written by `lpdla calibrate`.
void parse_timing(const Reader& rd, const json& t, const std::string& file, Device& d) {
    const std::string p = "/timing";
    rd.keys(t, p,
            {"control_overhead_fraction", "accumulator_pipeline_cycles",
             "requantise_pipeline_cycles", "aux_pipeline_cycles", "calibration_file",
             "calibration_source"});
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
        // A residual of 10x the modelled busy time would mean the model explains nothing.
        tc.residual_fraction = cr.non_negative(coef, "residual_fraction", "/coefficients", 10);
        // Files written before the power fit carry no scale: the coefficients then stand as
        // written (scale 1), and reports echo which file (if any) gave the scale.
        if (cr.has(coef, "dynamic_power_scale")) {
            d.power.dynamic_scale =
                cr.number_in(coef, "dynamic_power_scale", "/coefficients", 0.01, 100);
            d.power.calibration_file = tc.calibration_file;
        }
    }
}

bool is_estimated(const json& j, std::size_t depth = 0) {
    if (j.is_object() && depth <= strict_json::max_depth) {
        if (j.contains("estimated") && j["estimated"] == true) return true;
        for (const auto& v : j)
            if (is_estimated(v, depth + 1)) return true;
    }
    return false;
}

} // namespace

Device parse_device(const json& doc, const std::string& file) {
    Reader rd(file, annotations);
    rd.schema(doc, "lpdla.device/1");
    rd.keys(doc, "",
            {"schema", "name", "display_name", "family", "resources", "memory_blocks", "dsp",
             "clock", "timing", "board", "soft_logic", "power"});
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
    rd.keys(mem, "/memory_blocks", {"m20k", "mlab"});
    d.m20k = parse_memory_block(rd, rd.field(mem, "m20k", "/memory_blocks"), "/memory_blocks/m20k");
    d.mlab = parse_memory_block(rd, rd.field(mem, "mlab", "/memory_blocks"), "/memory_blocks/mlab");

    const json& dsp = rd.object(rd.field(doc, "dsp", ""), "/dsp");
    rd.keys(dsp, "/dsp",
            {"modes", "fp32_multiply_adds_per_block", "chain_sums_pairs", "chain_source"});
    const json& modes = rd.array(dsp, "modes", "/dsp");
    for (std::size_t i = 0; i < modes.size(); ++i) {
        const auto p = child("/dsp/modes", i);
        const json& m = rd.object(modes[i], p);
        rd.keys(m, p,
                {"name", "max_a_bits", "max_w_bits", "multipliers_per_block",
                 "correction_alms_per_multiplier"});
        DspMode mode;
        mode.name = rd.string(m, "name", p);
        mode.max_a_bits = rd.integer(m, "max_a_bits", p, 1, 64);
        mode.max_w_bits = rd.integer(m, "max_w_bits", p, 1, 64);
        mode.multipliers_per_block = rd.integer(m, "multipliers_per_block", p, 1, 64);
        mode.correction_alms_per_multiplier =
            rd.non_negative(m, "correction_alms_per_multiplier", p, 1000);
        d.dsp_modes.push_back(mode);
    }
    d.fp32_multiply_adds_per_block = rd.positive(dsp, "fp32_multiply_adds_per_block", "/dsp", 64);
    d.dsp_chain_sums_pairs = rd.boolean_or(dsp, "chain_sums_pairs", "/dsp", false);

    const json& clock = rd.object(rd.field(doc, "clock", ""), "/clock");
    rd.keys(clock, "/clock", {"default_fmax_mhz", "dsp_fmax_mhz"});
    d.default_fmax_mhz = rd.positive(clock, "default_fmax_mhz", "/clock", max_fmax_mhz, " MHz");
    d.clock_limits.dsp_fmax_mhz =
        rd.has(clock, "dsp_fmax_mhz")
            ? rd.positive(clock, "dsp_fmax_mhz", "/clock", max_fmax_mhz, " MHz")
            : 0;
    if (d.default_fmax_mhz > d.m20k.fmax_mhz && d.m20k.fmax_mhz > 0)
        rd.fail("/clock/default_fmax_mhz", fmt::format("{} MHz is above the M20K limit of {} MHz",
                                                       d.default_fmax_mhz, d.m20k.fmax_mhz));
    if (rd.has(doc, "timing")) parse_timing(rd, rd.object(doc["timing"], "/timing"), file, d);

    const json& board = rd.object(rd.field(doc, "board", ""), "/board");
    rd.keys(board, "/board",
            {"name", "ddr_channels", "ddr_gbps_per_channel", "ddr_efficiency",
             "interface_alm_per_channel", "interface_m20k_per_channel", "shell"});
    d.board.name = rd.string(board, "name", "/board");
    d.board.ddr_channels = rd.integer(board, "ddr_channels", "/board", 1, 256);
    d.board.ddr_gbps_per_channel =
        rd.positive(board, "ddr_gbps_per_channel", "/board", 1000, " GB/s");
    d.board.ddr_efficiency = rd.positive(board, "ddr_efficiency", "/board", 1);
    d.board.interface_alm_per_channel =
        rd.non_negative(board, "interface_alm_per_channel", "/board", 1e6);
    d.board.interface_m20k_per_channel =
        rd.non_negative(board, "interface_m20k_per_channel", "/board", 1e4);
    d.board.shell = parse_counts(rd, rd.field(board, "shell", "/board"), "/board/shell", false);
    for (auto [used, have, key] : {std::tuple{d.board.shell.alm, d.available.alm, "alm"},
                                   {d.board.shell.registers, d.available.registers, "registers"},
                                   {d.board.shell.dsp, d.available.dsp, "dsp"},
                                   {d.board.shell.m20k, d.available.m20k, "m20k"},
                                   {d.board.shell.mlab, d.available.mlab, "mlab"}})
        if (used > have)
            rd.fail(
                std::string("/board/shell/") + key,
                fmt::format("{} is more than the device's {} (/resources/{})", used, have, key));

    const json& soft = rd.object(rd.field(doc, "soft_logic", ""), "/soft_logic");
    const std::string sp = "/soft_logic";
    rd.keys(soft, sp,
            {"alms_per_adder_bit", "ternary_adders", "products_in_adder_luts",
             "alms_per_product_bit", "registers_per_alm", "aux_alms_per_lane_channel",
             "control_alms_per_pe", "routing_overhead", "alms_per_mux4_bit"});
    d.soft.alms_per_adder_bit = rd.non_negative(soft, "alms_per_adder_bit", sp, 100);
    // Structural flags: a bare true/false or {"value": true, "source"|"assumed": "..."}.
    const auto flag = [&](const char* key) {
        const json& v = rd.field(soft, key, sp);
        if (v.is_object()) rd.keys(v, child(sp, key), {"value"});
        const json& b = v.is_object() ? rd.field(v, "value", child(sp, key)) : v;
        if (!b.is_boolean())
            rd.fail(child(sp, key) + (v.is_object() ? "/value" : ""), "expected true or false");
        return b.get<bool>();
    };
    d.soft.ternary_adders = flag("ternary_adders");
    d.soft.products_in_adder_luts = flag("products_in_adder_luts");
    d.soft.alms_per_product_bit = rd.non_negative(soft, "alms_per_product_bit", sp, 100);
    d.soft.registers_per_alm = rd.non_negative(soft, "registers_per_alm", sp, 16);
    d.soft.aux_alms_per_lane_channel = rd.non_negative(soft, "aux_alms_per_lane_channel", sp, 1e4);
    d.soft.control_alms_per_pe = rd.non_negative(soft, "control_alms_per_pe", sp, 1e6);
    d.soft.routing_overhead = rd.number_in(soft, "routing_overhead", sp, 1, 10);
    d.soft.alms_per_mux4_bit = rd.non_negative(soft, "alms_per_mux4_bit", sp, 100);

    if (rd.has(doc, "power")) {
        const json& pw = rd.object(doc["power"], "/power");
        const std::string pp = "/power";
        rd.keys(pw, pp,
                {"static_w", "alm_uw_per_mhz", "dsp_uw_per_mhz", "m20k_uw_per_mhz",
                 "register_uw_per_mhz", "ddr_pj_per_byte", "default_activity"});
        d.power.static_w = rd.non_negative(pw, "static_w", pp, 1000);
        d.power.alm_uw_per_mhz = rd.non_negative(pw, "alm_uw_per_mhz", pp, 1e3);
        d.power.dsp_uw_per_mhz = rd.non_negative(pw, "dsp_uw_per_mhz", pp, 1e3);
        d.power.m20k_uw_per_mhz = rd.non_negative(pw, "m20k_uw_per_mhz", pp, 1e3);
        d.power.register_uw_per_mhz = rd.non_negative(pw, "register_uw_per_mhz", pp, 1e3);
        d.power.ddr_pj_per_byte = rd.non_negative(pw, "ddr_pj_per_byte", pp, 1e5);
        d.power.default_activity = rd.number_in(pw, "default_activity", pp, 0, 1);
    }
    d.has_estimated_counts = is_estimated(doc);
    return d;
}

Device load_device(const std::filesystem::path& name_or_path) {
    const auto file = find_data_file("devices", name_or_path.string());
    return parse_device(read_json_file(file), file.string());
}

} // namespace lpdla
