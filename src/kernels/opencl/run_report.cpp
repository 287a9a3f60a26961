// Writers for a whole-network run: JSON (lpdla.run/1) and the table `lpdla run` prints.
#include "lpdla/kernels/run_report.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/version.h"

namespace lpdla {

nlohmann::json run_report_to_json(const RunReportInputs& in,
                                  const std::vector<LayerRunResult>& results) {
    const Network& net = *in.network;
    nlohmann::json j = {
        {"schema", "lpdla.run/1"},
        {"lpdla_version", version_string},
        {"network", net.name},
        {"device", in.platform_device},
        {"config", config_to_json(in.arch, in.config_device, net.name, in.config_width)},
        {"scale", in.options.scale},
        {"seed", in.options.seed},
        {"input", {net.input.channels, net.input.height, net.input.width}},
        {"layers", nlohmann::json::array()}};
    for (const auto& r : results) {
        nlohmann::json l = {{"name", r.name},
                            {"type", r.type},
                            {"executed", r.executed},
                            {"mismatches", r.mismatches},
                            {"values", r.values},
                            {"trip_count", r.trip_count},
                            {"model_cycles", r.model_cycles},
                            {"folded", r.folded},
                            {"wall_ms", r.wall_ms},
                            {"first_launch", r.first_launch}};
        if (!r.precision.empty()) {
            l["precision"] = r.precision;
            l["passes"] = r.passes;
        }
        if (!r.note.empty()) l["note"] = r.note;
        j["layers"].push_back(std::move(l));
    }
    return j;
}

std::string run_report_to_table(const RunReportInputs& in, const std::vector<LayerRunResult>& rs) {
    const Network& net = *in.network;
    std::string t =
        fmt::format("{} at scale {} (input {}x{}x{}), {} on {}, seed {}\n", net.name,
                    in.options.scale, net.input.channels, net.input.height, net.input.width,
                    precision_label(in.arch.precision), in.platform_device, in.options.seed);
    t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9}  {}\n", "layer", "type", "mismatches",
                     "trip_count", "model_cycles", "wall_ms", "note");
    for (const auto& r : rs) {
        if (r.executed) {
            // '*': the kernel's first launch, whose time includes a deferred compile.
            t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9.3f}{} {}\n", r.name, r.type,
                             r.mismatches, r.trip_count, r.model_cycles, r.wall_ms,
                             r.first_launch ? "*" : " ", r.note);
        } else {
            t += fmt::format("{:<24} {:<8} {:>10} {:>12} {:>12} {:>9}  {}\n", r.name, r.type, "-",
                             "-", r.model_cycles, "-", r.note);
        }
    }
    std::string folded;
    for (const auto& r : rs) {
        if (r.folded) folded += (folded.empty() ? "" : ", ") + r.name;
    }
    if (!folded.empty())
        t += fmt::format("stride-folded as the model chose (space-to-depth on the host, then the "
                         "stride-1 conv kernel): {}\n",
                         folded);
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.first_launch; }))
        t += "* first launch of that kernel: wall_ms includes any compile the OpenCL platform "
             "defers "
             "to the first enqueue (PoCL caches it on disk; a second run times the kernel alone)\n";
    return t;
}

std::int64_t run_failures(const std::vector<LayerRunResult>& results) {
    return std::count_if(results.begin(), results.end(), [](const LayerRunResult& r) {
        return r.executed && (r.mismatches != 0 || r.trip_count != r.model_cycles);
    });
}

} // namespace lpdla
