#pragma once
// Reproducing published results: a bounded configuration search, the validation cases
// (validation/cases.json, schema lpdla.validation/1) and the precision x width trade-off table.
// The library side of `lpdla validate` and `lpdla tradeoff`; no printing here.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/network.h"
#include "lpdla/model/resources.h"

namespace lpdla {

// ---- bounded search ------------------------------------------------------------------------

// The grid searched for "the best configuration the model finds", run by the sweep engine (so
// validate, tradeoff and sweep agree); memories follow the base configuration (auto = sized).
struct SearchGrid {
    std::vector<int> k_vec{16, 32, 48, 64, 96, 128, 192, 256};
    std::vector<int> c_vec{4, 8, 16, 32, 64};
    std::vector<int> q_vec{2, 4, 8};
    std::vector<int> lanes{1, 2, 4};
    std::size_t size() const { return k_vec.size() * c_vec.size() * q_vec.size() * lanes.size(); }
};

struct SearchResult {
    ArchConfig arch; // resolved
    Estimate estimate;
    std::size_t evaluated = 0, feasible = 0;
};

// The fitting configuration with the most images/s, every knob outside the grid taken from `base`
// (precision, clock, fold_strides, ...). With `throughput_slack` s > 0: the configuration with the
// fewest ALMs among those within (1 - s) of the top images/s (the economical design a designer
// would build: area minimised under a throughput target, as Intel's architecture optimizer does,
// FACTS.md §1). Ties keep grid order. Empty when nothing in the grid fits. Deterministic.
std::optional<SearchResult> best_configuration(const Device& device, const Network& network,
                                               const ArchConfig& base,
                                               const UtilisationCaps& caps = {},
                                               const SearchGrid& grid = {},
                                               double throughput_slack = 0);

// ---- validation cases ----------------------------------------------------------------------

enum class Metric {
    images_per_s,
    effective_gops,
    effective_tops,
    peak_tops,
    power_w,
    images_per_s_per_w,
    top1
};
std::string_view to_string(Metric m);
std::string_view metric_unit(Metric m);

// What a published figure can tell about the model. Only predictions (and calibration figures'
// leave-one-out errors) are validation; the others show provenance or arithmetic.
enum class FigureRole {
    prediction,      // not used to fit anything: out of sample
    calibration,     // an input of `lpdla calibrate`: in sample (its LOO error is the test)
    provenance,      // copied into the model's data from the same source (e.g. a top-1 row)
    by_construction, // the configuration was chosen to carry this figure (e.g. peak TOPS)
};
std::string_view to_string(FigureRole role);

struct PublishedFigure {
    Metric metric = Metric::images_per_s;
    FigureRole role = FigureRole::prediction;
    double published = 0;
    std::optional<double> tolerance; // relative; none = reported for reference, not checked
    std::string note;
};

// One published design: where it runs, how we configure the model for it and why, and its figures.
struct ValidationCase {
    std::string id, source, design, rationale;
    std::string device, network;
    double width = 1;
    ArchConfig config;               // as written (defaults unresolved)
    bool config_from_search = false; // the stated configuration is best_configuration(config)
    double search_slack = 0;         // throughput_slack for that search
    bool show_best = false; // report the best configuration at the same precision beside it
    bool require_fit = true;
    std::vector<PublishedFigure> figures;
};

struct ValidationFile {
    std::string version;
    std::vector<ValidationCase> cases;
};

ValidationFile parse_validation(const nlohmann::json& doc, const std::string& file);
ValidationFile load_validation(const std::filesystem::path& path);

struct FigureResult {
    std::string name; // "<case id>.<metric>"
    PublishedFigure figure;
    std::optional<double> modeled; // empty when the model has no value (e.g. unknown top-1)
    std::optional<double> rel_error;
    std::optional<double> loo_rel_error; // calibration figures: refitted without this case
    std::string status;                  // "pass", "fail" or "reference"
};

struct CaseResult {
    const ValidationCase* source_case = nullptr;
    Estimate estimate;                // the stated configuration
    std::optional<SearchResult> best; // when show_best
    std::vector<FigureResult> figures;
    bool fits = false;
    bool passed() const;
};

// The modeled value of a metric for an estimate (top-1 from the accuracy table; none if unknown).
std::optional<double> metric_value(Metric m, const Estimate& e);
// Runs one case; `device` and `network` are the case's, already loaded (network at its width).
CaseResult run_case(const ValidationCase& c, const Device& device, const Network& network);
// `lpdla validate --json`: {schema, version, passed, cases[] (one per figure), designs[]}.
nlohmann::json validation_to_json(const ValidationFile& file,
                                  const std::vector<CaseResult>& results);
std::string validation_to_table(const ValidationFile& file, const std::vector<CaseResult>& results);

// User accuracy rows (--accuracy FILE, schema lpdla.accuracy/1): rows of every file that names
// this network go in front of the shipped table (they take precedence); other files are skipped.
void add_user_accuracy(Network& network, const std::vector<std::filesystem::path>& files);

// ---- trade-off table -----------------------------------------------------------------------

struct TradeoffRow {
    Precision precision;
    double width = 1;
    std::optional<SearchResult> best; // empty: nothing fits
    std::optional<AccuracyEntry> accuracy;
};

// The precisions of the seed paper's exploration (2/ternary, 2/binary, 4/ternary, 4/int4, 8/int8,
// 16/bfp16) and widths 1, 2, 3.
std::vector<Precision> tradeoff_precisions();
std::vector<double> tradeoff_widths();

// One row per (precision, width): the best configuration. `network_at_width(w)` loads the network
// widened by w (the caller owns I/O and user accuracy rows).
template <typename LoadNetwork>
std::vector<TradeoffRow>
tradeoff_table(const Device& device, LoadNetwork&& network_at_width, const ArchConfig& base,
               const std::vector<Precision>& precisions, const std::vector<double>& widths,
               const UtilisationCaps& caps = {}) {
    std::vector<TradeoffRow> rows;
    for (const Precision& p : precisions) {
        for (double w : widths) {
            const Network net = network_at_width(w);
            ArchConfig a = base;
            a.precision = p;
            TradeoffRow row{p, w, best_configuration(device, net, a, caps),
                            lookup_accuracy(net, p, w)};
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

nlohmann::json tradeoff_to_json(const Device& device, const Network& network_1x,
                                const std::vector<TradeoffRow>& rows);
std::string tradeoff_to_markdown(const Device& device, const Network& network_1x,
                                 const std::vector<TradeoffRow>& rows);

} // namespace lpdla
