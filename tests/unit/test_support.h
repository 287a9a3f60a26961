#pragma once
// Paths and loaders shared by the unit tests.
#include <string>

#include "lpdla/io/json_io.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"

namespace lpdla::test {

inline std::string source_path(const std::string& rel) {
    return std::string(LPDLA_SOURCE_DIR) + "/" + rel;
}
inline Device device(const std::string& name) {
    return load_device(source_path("devices/" + name + ".json"));
}
inline Network network(const std::string& name, double width = 1.0) {
    return load_network(source_path("networks/" + name + ".json"), width);
}

// A shipped device with the timing coefficients fixed to the values the hand-worked cycle tests
// assume (control 1 %, accumulator 2, requantise 6, aux 16 stages, no calibrated residual), so
// those tests do not move when the device file or the calibration changes.
inline Device device_with_fixed_timing(const std::string& name) {
    Device d = device(name);
    d.timing.control_overhead_fraction = 0.01;
    d.timing.accumulator_pipeline_cycles = 2;
    d.timing.requantise_pipeline_cycles = 6;
    d.timing.aux_pipeline_cycles = 16;
    d.timing.residual_fraction = 0;
    return d;
}

// Runs the CLI with arguments; returns the exit status, captures stdout and stderr.
struct CliResult {
    int status = -1;
    std::string out, err;
};
CliResult run_cli(const std::string& args);

} // namespace lpdla::test
