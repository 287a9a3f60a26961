#include "lpdla/io/json_io.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"

namespace lpdla {
using nlohmann::json;

namespace {

std::string child(const std::string& path, const std::string& key) {
    return path + "/" + key;
}
std::string child(const std::string& path, std::size_t index) {
    return path + "/" + std::to_string(index);
}

// Reads typed fields and reports problems as "file: /json/path: what is wrong".
class Reader {
  public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw Error(fmt::format("{}: {}: {}", file_, path.empty() ? "/" : path, what));
    }

    const json& object(const json& j, const std::string& path) const {
        if (!j.is_object()) fail(path, "expected a JSON object");
        return j;
    }
    const json& field(const json& obj, const std::string& key, const std::string& path) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(child(path, key), "missing required field");
        return *it;
    }
    bool has(const json& obj, const std::string& key) const { return obj.contains(key); }

    // A number either bare or as {"value": N, "source"|"assumed": ...}.
    double number(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (v.is_object()) return number(v, "value", child(path, key));
        if (!v.is_number()) fail(child(path, key), "expected a number");
        const double d = v.get<double>();
        if (!std::isfinite(d)) fail(child(path, key), "expected a finite number");
        return d;
    }
    double number_or(const json& obj, const std::string& key, const std::string& path,
                     double fallback) const {
        return has(obj, key) ? number(obj, key, path) : fallback;
    }
    double non_negative(const json& obj, const std::string& key, const std::string& path) const {
        const double d = number(obj, key, path);
        if (d < 0) fail(child(path, key), fmt::format("{} is negative; expected >= 0", d));
        return d;
    }
    int integer(const json& obj, const std::string& key, const std::string& path, int lo,
                int hi) const {
        const double d = number(obj, key, path);
        if (d != std::floor(d) || d < lo || d > hi)
            fail(child(path, key),
                 fmt::format("{} is not valid: expected an integer in {}..{}", d, lo, hi));
        return int(d);
    }
    int integer_or(const json& obj, const std::string& key, const std::string& path, int lo, int hi,
                   int fallback) const {
        return has(obj, key) ? integer(obj, key, path, lo, hi) : fallback;
    }
    std::string string(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_string()) fail(child(path, key), "expected a string");
        return v.get<std::string>();
    }
    std::string string_or(const json& obj, const std::string& key, const std::string& path,
                          const std::string& fallback) const {
        return has(obj, key) ? string(obj, key, path) : fallback;
    }
    bool boolean_or(const json& obj, const std::string& key, const std::string& path,
                    bool fallback) const {
        if (!has(obj, key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_boolean()) fail(child(path, key), "expected true or false");
        return v.get<bool>();
    }
    const json& array(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_array()) fail(child(path, key), "expected an array");
        return v;
    }
    // [a, b] or a single integer meaning [a, a].
    std::pair<int, int> pair(const json& obj, const std::string& key, const std::string& path,
                             int lo, int hi, std::pair<int, int> fallback) const {
        if (!has(obj, key)) return fallback;
        const json& v = obj.at(key);
        const auto p = child(path, key);
        if (v.is_number()) {
            const int x = integer(obj, key, path, lo, hi);
            return {x, x};
        }
        if (!v.is_array() || v.size() != 2) fail(p, "expected an integer or [height, width]");
        json holder = {{"h", v[0]}, {"w", v[1]}};
        return {integer(holder, "h", p, lo, hi), integer(holder, "w", p, lo, hi)};
    }
    void schema(const json& doc, const std::string& expected) const {
        object(doc, "");
        const std::string got = string(doc, "schema", "");
        if (got != expected)
            fail("/schema", fmt::format("is '{}'; this file must be '{}'", got, expected));
    }
    const std::string& file() const { return file_; }

  private:
    std::string file_;
};

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

json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open file", path.string()));
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return json::parse(ss.str());
    } catch (const json::parse_error& e) {
        throw Error(fmt::format("{}: malformed JSON: {}", path.string(), e.what()));
    }
}

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

namespace {

int widen_channels(int channels, double width, int groups) {
    const double per_group = std::round(channels * width / groups);
    return int(std::max(1.0, per_group)) * groups;
}

Shape pooled(const Reader& rd, const std::string& p, const Shape& in, const Layer& l) {
    Shape out;
    out.channels = l.out_channels;
    const int h = in.height + 2 * l.pad_h - l.kernel_h;
    const int w = in.width + 2 * l.pad_w - l.kernel_w;
    if (h < 0 || w < 0)
        rd.fail(p, fmt::format("kernel {}x{} with pad {}x{} is larger than its {}x{} input",
                               l.kernel_h, l.kernel_w, l.pad_h, l.pad_w, in.height, in.width));
    out.height = h / l.stride_h + 1;
    out.width = w / l.stride_w + 1;
    return out;
}

AccuracyEntry parse_accuracy_row(const Reader& rd, const json& row, const std::string& p) {
    rd.object(row, p);
    AccuracyEntry e;
    const auto kind = rd.string(row, "weights", p);
    const auto wk = parse_weight_kind(kind);
    if (!wk)
        rd.fail(child(p, "weights"),
                fmt::format("unknown weight kind '{}'; valid: binary, ternary, "
                            "int2, int4, int8, int16, bfp16, fp32",
                            kind));
    e.weights = *wk;
    e.act_bits = rd.integer(row, "act_bits", p, 1, 32);
    e.width = rd.number_or(row, "width", p, 1.0);
    e.top1 = rd.number(row, "top1", p);
    if (e.top1 < 0 || e.top1 > 1) rd.fail(child(p, "top1"), "must be a fraction in [0, 1]");
    if (rd.has(row, "top5")) e.top5 = rd.number(row, "top5", p);
    e.source = rd.string(row, "source", p);
    e.variant = rd.string_or(row, "variant", p, "");
    return e;
}

} // namespace

Network parse_network(const json& doc, const std::string& file, double width) {
    Reader rd(file);
    rd.schema(doc, "lpdla.network/1");
    if (!(width > 0) || width > max_width_multiplier)
        throw Error(fmt::format("width multiplier {} is not valid: expected a positive number up "
                                "to {} (e.g. 1, 2, 3)",
                                width, max_width_multiplier));
    Network net;
    net.source_file = file;
    net.width = width;
    net.name = rd.string(doc, "name", "");
    net.display_name = rd.string_or(doc, "display_name", "", net.name);
    net.source = rd.string_or(doc, "source", "", "");
    const json& input = rd.object(rd.field(doc, "input", ""), "/input");
    net.input_name = rd.string_or(input, "name", "/input", "data");
    net.input.channels = rd.integer(input, "channels", "/input", 1, 1 << 20);
    net.input.height = rd.integer(input, "height", "/input", 1, 1 << 16);
    net.input.width = rd.integer(input, "width", "/input", 1, 1 << 16);

    const json& layers = rd.array(doc, "layers", "");
    if (layers.empty()) rd.fail("/layers", "a network needs at least one layer");
    std::set<std::string> names{net.input_name};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto p = child("/layers", i);
        const json& lj = rd.object(layers[i], p);
        Layer l;
        l.name = rd.string(lj, "name", p);
        if (!names.insert(l.name).second)
            rd.fail(child(p, "name"), fmt::format("layer name '{}' is used twice", l.name));
        const std::string type = rd.string(lj, "type", p);
        static const std::pair<const char*, LayerType> types[] = {
            {"conv", LayerType::conv},       {"fc", LayerType::fc},
            {"relu", LayerType::relu},       {"lrn", LayerType::lrn},
            {"maxpool", LayerType::maxpool}, {"avgpool", LayerType::avgpool},
            {"add", LayerType::add}};
        bool known = false;
        for (auto [n, t] : types)
            if (type == n) l.type = t, known = true;
        if (!known)
            rd.fail(child(p, "type"), fmt::format("unknown layer type '{}'; valid: conv, fc, relu, "
                                                  "lrn, maxpool, avgpool, add",
                                                  type));
        if (rd.has(lj, "inputs")) {
            for (const auto& v : rd.array(lj, "inputs", p)) {
                if (!v.is_string()) rd.fail(child(p, "inputs"), "expected an array of layer names");
                l.inputs.push_back(v.get<std::string>());
            }
        } else {
            l.inputs.push_back(rd.string(lj, "input", p));
        }
        const std::size_t want_inputs = l.type == LayerType::add ? 2 : 1;
        if (l.inputs.size() != want_inputs)
            rd.fail(p, fmt::format("a {} layer takes {} input(s), got {}", type, want_inputs,
                                   l.inputs.size()));
        std::vector<Shape> in_shapes;
        for (const auto& name : l.inputs) {
            if (name == net.input_name) {
                l.input_index.push_back(-1);
                in_shapes.push_back(net.input);
                continue;
            }
            const int src = net.find(name);
            if (src < 0)
                rd.fail(p, fmt::format("input '{}' is not an earlier layer nor the network input "
                                       "'{}'",
                                       name, net.input_name));
            l.input_index.push_back(src);
            in_shapes.push_back(net.layers[src].out);
        }
        l.in = in_shapes[0];
        if (rd.has(lj, "in_shape")) {
            const json& s = lj["in_shape"];
            if (!s.is_array() || s.size() != 3)
                rd.fail(child(p, "in_shape"), "expected [channels, height, width]");
            const Shape declared{s[0].get<int>(), s[1].get<int>(), s[2].get<int>()};
            if (width == 1.0 && !(declared == l.in))
                rd.fail(child(p, "in_shape"),
                        fmt::format("declares input {}x{}x{} but producer '{}' gives {}x{}x{}",
                                    declared.channels, declared.height, declared.width, l.inputs[0],
                                    l.in.channels, l.in.height, l.in.width));
        }
        l.bias = rd.boolean_or(lj, "bias", p, false);
        l.widen = rd.boolean_or(lj, "widen", p, true);
        const double w = l.widen ? width : 1.0;
        switch (l.type) {
        case LayerType::conv: {
            l.groups = rd.integer_or(lj, "groups", p, 1, 1 << 16, 1);
            l.out_channels =
                widen_channels(rd.integer(lj, "out_channels", p, 1, 1 << 20), w, l.groups);
            std::tie(l.kernel_h, l.kernel_w) = rd.pair(lj, "kernel", p, 1, 1024, {0, 0});
            if (l.kernel_h == 0) rd.fail(child(p, "kernel"), "missing required field");
            std::tie(l.stride_h, l.stride_w) = rd.pair(lj, "stride", p, 1, 1024, {1, 1});
            std::tie(l.pad_h, l.pad_w) = rd.pair(lj, "pad", p, 0, 1024, {0, 0});
            if (l.in.channels % l.groups != 0 || l.out_channels % l.groups != 0)
                rd.fail(
                    child(p, "groups"),
                    fmt::format("groups {} must divide input channels {} and output channels {}",
                                l.groups, l.in.channels, l.out_channels));
            l.out = pooled(rd, p, l.in, l);
            break;
        }
        case LayerType::fc:
            l.out_channels = widen_channels(rd.integer(lj, "out_features", p, 1, 1 << 24), w, 1);
            if (rd.has(lj, "in_features")) {
                const int declared = rd.integer(lj, "in_features", p, 1, 1 << 30);
                if (width == 1.0 && declared != l.in.elements())
                    rd.fail(child(p, "in_features"),
                            fmt::format("declares {} inputs but producer '{}' gives {}", declared,
                                        l.inputs[0], l.in.elements()));
            }
            l.out = {l.out_channels, 1, 1};
            break;
        case LayerType::relu:
        case LayerType::lrn:
            l.lrn_size = l.type == LayerType::lrn ? rd.integer_or(lj, "size", p, 1, 1024, 5) : 0;
            l.out_channels = l.in.channels;
            l.out = l.in;
            break;
        case LayerType::maxpool:
        case LayerType::avgpool:
            l.out_channels = l.in.channels;
            l.global_pool = rd.boolean_or(lj, "global", p, false);
            if (l.global_pool) {
                l.kernel_h = l.in.height, l.kernel_w = l.in.width;
            } else {
                std::tie(l.kernel_h, l.kernel_w) = rd.pair(lj, "kernel", p, 1, 1024, {0, 0});
                if (l.kernel_h == 0) rd.fail(child(p, "kernel"), "missing required field");
                std::tie(l.stride_h, l.stride_w) = rd.pair(lj, "stride", p, 1, 1024, {1, 1});
                std::tie(l.pad_h, l.pad_w) = rd.pair(lj, "pad", p, 0, 1024, {0, 0});
            }
            l.out = pooled(rd, p, l.in, l);
            break;
        case LayerType::add:
            if (!(in_shapes[0] == in_shapes[1]))
                rd.fail(child(p, "inputs"),
                        fmt::format("element-wise add of '{}' ({}x{}x{}) and '{}' ({}x{}x{}): "
                                    "shapes must match",
                                    l.inputs[0], in_shapes[0].channels, in_shapes[0].height,
                                    in_shapes[0].width, l.inputs[1], in_shapes[1].channels,
                                    in_shapes[1].height, in_shapes[1].width));
            l.out_channels = l.in.channels;
            l.out = l.in;
            break;
        }
        net.layers.push_back(std::move(l));
    }
    if (rd.has(doc, "accuracy")) {
        const json& rows = rd.array(doc, "accuracy", "");
        for (std::size_t i = 0; i < rows.size(); ++i)
            net.accuracy.push_back(parse_accuracy_row(rd, rows[i], child("/accuracy", i)));
    }
    return net;
}

Network load_network(const std::filesystem::path& name_or_path, double width) {
    const auto file = find_data_file("networks", name_or_path.string());
    return parse_network(read_json_file(file), file.string(), width);
}

std::vector<AccuracyEntry> load_accuracy_rows(const std::filesystem::path& path,
                                              const std::string& network_name) {
    const json doc = read_json_file(path);
    Reader rd(path.string());
    rd.schema(doc, "lpdla.accuracy/1");
    const std::string net = rd.string(doc, "network", "");
    if (net != network_name)
        rd.fail("/network",
                fmt::format("is '{}' but the rows are being added to '{}'", net, network_name));
    std::vector<AccuracyEntry> rows;
    const json& arr = rd.array(doc, "rows", "");
    for (std::size_t i = 0; i < arr.size(); ++i)
        rows.push_back(parse_accuracy_row(rd, arr[i], child("/rows", i)));
    return rows;
}

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
    static const std::set<std::string> known{"schema",
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
                                             "comment"};
    if (doc.contains("pipeline_overhead_cycles"))
        rd.fail("/pipeline_overhead_cycles",
                "removed in model v2: per-layer time now comes from named mechanisms (fill/drain, "
                "control, filter load, memory stalls) and the device's calibrated residual "
                "(docs/MODEL.md §4); delete the field");
    for (auto it = doc.begin(); it != doc.end(); ++it)
        if (!known.count(it.key()))
            rd.fail("/" + it.key(), "unknown field; valid fields: device, network, width, k_vec, "
                                    "c_vec, q_vec, lanes, act_bits, weights, mac_impl, fmax_mhz, "
                                    "ddr_gbps, fc_batch, stream_buffer_kib, filter_cache_depth, "
                                    "accumulation_terms_log2, fold_strides");
    ConfigFile c;
    ArchConfig& a = c.arch;
    c.device = rd.string_or(doc, "device", "", "");
    c.network = rd.string_or(doc, "network", "", "");
    c.width = rd.number_or(doc, "width", "", 0);
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
    if (auto problem = arch_problem(a); !problem.empty()) rd.fail("/", problem);
    return c;
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
        {"fold_strides", a.fold_strides}};
}

void write_file_atomic(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + fmt::format(".tmp.{}", ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(fmt::format("{}: cannot write (check the directory exists and is "
                                    "writable)",
                                    path.string()));
        out << text;
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            throw Error(fmt::format("{}: write failed", path.string()));
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw Error(fmt::format("{}: cannot rename into place: {}", path.string(), ec.message()));
    }
}

} // namespace lpdla
