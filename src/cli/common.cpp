#include "common.h"

#include <cstdio>

#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"

namespace lpdla::cli {

Device load_device_named(const std::string& name, const GlobalOptions& global) {
    return load_device(find_data_file("devices", name, global.data_dir));
}

Network load_network_named(const std::string& name, double width, const GlobalOptions& global) {
    return load_network(find_data_file("networks", name, global.data_dir), width);
}

void OutputOptions::add_to(CLI::App& cmd) {
    auto* j = cmd.add_flag("--json", json, "Print JSON");
    auto* c = cmd.add_flag("--csv", csv, "Print CSV");
    j->excludes(c);
    cmd.add_option("--out", out_file, "Write the report to FILE (atomically) instead of stdout");
}

void emit(const OutputOptions& out, const std::string& text) {
    if (out.out_file.empty()) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
    } else {
        write_file_atomic(out.out_file, text);
    }
}

} // namespace lpdla::cli
