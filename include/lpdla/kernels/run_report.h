#pragma once
// The report of a whole-network run on OpenCL (run_network): the JSON of `lpdla run --json`
// (schema lpdla.run/1) and its table, so a tool linking the library gets what the CLI prints.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/kernels/opencl_runner.h"

namespace lpdla {

// What the run was given; echoed so the report reproduces the run.
struct RunReportInputs {
    const Network* network = nullptr; // as run (input scaled); must outlive the call
    std::string platform_device;      // OpenClRunner::device_name()
    ArchConfig arch;                  // the configuration as run (defaults resolved)
    std::string config_device;        // the configuration's device name, "" if it names none
    double config_width = 0;          // the configuration's width, 0 if it names none
    RunOptions options;               // scale and seed
};

nlohmann::json run_report_to_json(const RunReportInputs& in,
                                  const std::vector<LayerRunResult>& results);
std::string run_report_to_table(const RunReportInputs& in,
                                const std::vector<LayerRunResult>& results);
// Executed layers whose output differs from the reference or whose trip count differs from the
// model's loop iterations: a correct run has none.
std::int64_t run_failures(const std::vector<LayerRunResult>& results);

} // namespace lpdla
