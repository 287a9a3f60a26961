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

// Runs the CLI with arguments; returns the exit status, captures stdout and stderr.
struct CliResult {
    int status = -1;
    std::string out, err;
};
CliResult run_cli(const std::string& args);

} // namespace lpdla::test
