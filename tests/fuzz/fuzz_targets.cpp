#include "fuzz_targets.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/explore/sweep_spec.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/strict_json.h"
#include "lpdla/model/precision.h"

namespace lpdla::fuzz {
namespace {

nlohmann::json parse(std::string_view data, const char* file) {
    return strict_json::parse(data, file);
}

// A device's calibration_file resolves relative to the device's folder: as the shipped devices'
// folder, so seeds reach everything after "timing" (read_json_file refuses device nodes, so no
// path the fuzzer writes can block or stream without end).
const std::string device_file = std::string(LPDLA_FUZZ_SOURCE_DIR) + "/devices/fuzz.json";

// Touches every number a caller would use so UBSan sees any overflow in the derived values.
void use(double v) {
    volatile double sink = v;
    (void)sink;
}

} // namespace

void device(std::string_view data) {
    const Device d = parse_device(parse(data, device_file.c_str()), device_file);
    use(d.ddr_gbps_peak());
}

void network(std::string_view data) {
    const auto doc = parse(data, "fuzz/network.json");
    for (double width : {1.0, 2.0}) {
        const Network n = parse_network(doc, "fuzz/network.json", width);
        std::int64_t macs = 0, weights = 0;
        for (const auto& l : n.layers) macs += l.macs(), weights += l.weights();
        use(double(macs) + double(weights));
    }
}

void config(std::string_view data) {
    const ConfigFile c = parse_config(parse(data, "fuzz/config.json"), "fuzz/config.json");
    use(c.width + c.arch.fmax_mhz);
}

void sweep_spec(std::string_view data) {
    SweepSpec s =
        parse_sweep_spec(parse(data, "fuzz/spec.json"), "fuzz/spec.json", default_sweep_spec());
    if (s.devices.empty()) s.devices = {"arria10_gx1150"};
    if (s.networks.empty()) s.networks = {"alexnet"};
    validate_sweep_spec(s);
}

void axis(std::string_view data) {
    // The same text through every axis parser, as a flag or a spec string could reach them.
    for (auto f : {+[](std::string_view t) { use(double(parse_int_axis(t, "fuzz").size())); },
                   +[](std::string_view t) { use(double(parse_real_axis(t, "fuzz").size())); },
                   +[](std::string_view t) { use(double(parse_word_list(t, "fuzz").size())); },
                   +[](std::string_view t) { use(parse_precision(t, "fuzz").act_bits); }}) {
        try {
            f(data);
        } catch (const Error&) {
        }
    }
}

void accuracy(std::string_view data) {
    const auto rows =
        parse_accuracy_file(parse(data, "fuzz/accuracy.json"), "fuzz/accuracy.json", "alexnet");
    for (const auto& r : rows) use(r.top1 + r.width);
}

void result(std::string_view data) {
    const SweepResult r =
        sweep_result_from_json(parse(data, "fuzz/result.json"), "fuzz/result.json");
    (void)r;
}

} // namespace lpdla::fuzz
