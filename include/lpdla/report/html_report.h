#pragma once
// One self-contained HTML file a planner can send on (`lpdla report`, `sweep --html`,
// `estimate --html`): inline CSS and SVG only (no script, font or image from the network),
// readable printed. Sections, each a <section id="...">: question (every input, defaults marked),
// answer (best designs with resources, power, accuracy and its source), pareto (fronts on shared
// axes across devices), accuracy (top-1 vs images/s), layers (where each layer's cycles go),
// roofline (per device, each layer placed), resources (by component against capacity),
// assumptions (every "assumed" value in the data that shaped the result).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lpdla/explore/constraint_tally.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/estimate.h"

namespace lpdla {

// The section ids, in document order (tests check each is present).
inline constexpr const char* html_report_sections[] = {
    "question", "answer", "pareto", "accuracy", "layers", "roofline", "resources", "assumptions"};

struct ReportInput {
    std::string name, value;
    bool is_default = false; // the user did not set it: marked "default" in the report
};

// One design the report explains in full: re-estimated with the per-layer model.
struct ReportDesign {
    std::string role;         // "fastest", "fastest 2/ternary", "the design asked for", ...
    std::string device_label; // as the sweep names it (platform variant suffix included)
    Device device;
    Network network;
    Estimate estimate;
    bool accuracy_used = true; // false: another variant's row, shown but not used
};

// A value the data marks "assumed" (devices/*.json, networks/*.json), and where.
struct Assumption {
    std::string file, path, text;
};
// Every "assumed" string in a JSON file, with its JSON path ("/resources/alm/assumed" is reported
// as "/resources/alm"); the order is the file's.
std::vector<Assumption> collect_assumptions(const std::filesystem::path& json_file);

struct HtmlReportData {
    std::string title;
    std::string command;                // how it was made, echoed for reproduction
    std::vector<ReportInput> inputs;    // the question
    const SweepResult* sweep = nullptr; // absent for `estimate --html`
    std::vector<Device> sweep_devices;  // sweep->spec.devices order (capacities for the table)
    std::vector<SweepPoint> cloud;      // thinned feasible points behind the fronts (may be empty)
    std::optional<ConstraintTally> tally;
    // Per sweep (network, width) variant and precision, the accuracy row found (may be another
    // variant's): [network * widths + width][precision], as SweepInputs::variants.
    std::vector<std::vector<std::optional<AccuracyEntry>>> accuracy;
    std::vector<ReportDesign> designs;
    std::vector<std::string> notes;
    std::vector<Assumption> assumptions;
};

std::string render_html_report(const HtmlReportData& data);

// The question of a sweep: every spec field, marked default when equal to default_sweep_spec()'s
// (devices and networks: when every shipped one is swept).
std::vector<ReportInput> sweep_report_inputs(const SweepSpec& spec,
                                             const std::vector<std::string>& shipped_devices,
                                             const std::vector<std::string>& shipped_networks);
// The question of an estimate: every configuration knob, marked default when the user left it.
std::vector<ReportInput> estimate_report_inputs(const Device& device, const Network& network,
                                                const ArchConfig& requested,
                                                const UtilisationCaps& caps);

} // namespace lpdla
