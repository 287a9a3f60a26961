#pragma once
// The HTML report shared by `lpdla report`, `sweep --html` and `estimate --html`, and what a
// sweep prints about its constraints (tally, accuracy rows from other variants).
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "lpdla/explore/constraint_tally.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/estimate.h"
#include "lpdla/report/html_report.h"

namespace lpdla::cli {

void add_html_option(CLI::App& cmd, std::string& file);

// The report of a sweep: inputs echoed, the fastest design of each (device, network) re-estimated
// in full (at most `max_designs`), assumptions of every device and network file used.
HtmlReportData sweep_report_data(const SweepResult& result, const SweepInputs& inputs,
                                 const GlobalOptions& global, std::vector<SweepPoint> cloud,
                                 std::optional<ConstraintTally> tally);
// The report of one estimate.
HtmlReportData estimate_report_data(const Estimate& e, const Device& device, const Network& network,
                                    const ArchConfig& requested, const UtilisationCaps& caps);
void write_html_report(const std::string& file, const HtmlReportData& data);

// Lines a sweep's table ends with: designs excluded for an unknown top-1, accuracy rows of
// another variant shown but not used.
std::string accuracy_summary(const SweepSpec& spec, const SweepInputs& inputs,
                             const std::optional<ConstraintTally>& tally);
nlohmann::json tally_to_json(const ConstraintTally& t);
nlohmann::json accuracy_rows_to_json(const SweepSpec& spec, const SweepInputs& inputs);

} // namespace lpdla::cli
