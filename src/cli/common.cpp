#include "common.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "lpdla/error.h"
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
        // Checked here for an early, clear error; finish_stdout checks every other write too.
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
            std::fflush(stdout) != 0)
            throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)),
                        ErrorKind::runtime);
    } else {
        write_file_atomic(out.out_file, text);
    }
}

int finish_stdout(int code) {
    errno = 0;
    const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout);
    const int err = errno;
    // fclose reports what the final write(2) returned; after it nothing may print to stdout.
    const bool close_failed = std::fclose(stdout) != 0;
    if (!failed && !close_failed) return code;
    std::fprintf(stderr, "lpdla: error: cannot write to standard output: %s\n",
                 std::strerror(err     ? err
                               : errno ? errno
                                       : EIO));
    return code != 0 ? code : int(ErrorKind::runtime);
}

void add_cases_option(CLI::App& cmd, std::string& cases) {
    cmd.add_option("--cases", cases,
                   "Validation cases (lpdla.validation/1); default: validation/cases.json in the "
                   "data directory");
}

std::filesystem::path cases_path(const std::string& cases, const GlobalOptions& global) {
    return cases.empty() ? data_dir(global.data_dir) / "validation" / "cases.json"
                         : std::filesystem::path(cases);
}

std::vector<CalibrationPoint> cli_calibration_points(const ValidationFile& file,
                                                     const GlobalOptions& global) {
    return calibration_points(
        file, [&](const std::string& n) { return load_device_named(n, global); },
        [&](const std::string& n, double w) { return load_network_named(n, w, global); });
}

std::vector<PowerCalibrationPoint> cli_power_calibration_points(const ValidationFile& file,
                                                                const GlobalOptions& global) {
    return power_calibration_points(
        file, [&](const std::string& n) { return load_device_named(n, global); },
        [&](const std::string& n, double w) { return load_network_named(n, w, global); });
}

} // namespace lpdla::cli
