#pragma once
// The sweep specification (schema lpdla.sweep/1): which devices, networks, widths and array
// shapes to explore, under which constraints, with which cost. Parsed from JSON or built from CLI
// flags; every list is expanded and validated here so the engine never sees a bad value.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/model/arch.h"
#include "lpdla/model/precision.h"
#include "lpdla/model/resources.h"

namespace lpdla {

// What the "min cost" objective and the Pareto front's third axis minimise.
enum class CostKind { area, alm, dsp, m20k, power };
std::string_view to_string(CostKind kind);
std::optional<CostKind> parse_cost_kind(std::string_view text);

struct SweepConstraints {
    UtilisationCaps caps; // fraction of the device per resource kind
    double min_images_per_s = 0;
    std::optional<double> min_top1;    // applies where top-1 is known (see require_known_top1)
    bool require_known_top1 = false;   // drop points whose top-1 is unknown
    std::optional<double> max_power_w; // needs the power model
    // On the batch-1 latency (PerfTotals::latency_ms: one image, FC weights streamed for it).
    std::optional<double> max_latency_ms;
    friend bool operator==(const SweepConstraints&, const SweepConstraints&) = default;
};

struct SweepSpec {
    std::string name = "sweep"; // a label carried into every output
    std::string source;         // the spec file, or "command line"
    std::vector<std::string> devices, networks;
    std::vector<double> widths{1.0};
    std::vector<int> k_vec, c_vec, q_vec, lanes;
    std::vector<Precision> precisions;
    // Searched memory and loop-nest knobs; empty = fixed's single value. stream_buffer_kib 0 =
    // auto (sized to each network); an explicit size that a network outgrows spills to DDR.
    std::vector<int> stream_buffer_kib;
    std::vector<bool> fold_strides;
    // Per-layer precision (issue 14): the first and last compute layers' precision, each entry
    // "none" (nullopt: at the array's precision) or a precision; empty = fixed's.
    std::vector<std::optional<Precision>> first_last;
    std::size_t stream_buffer_choices() const {
        return std::max<std::size_t>(1, stream_buffer_kib.size());
    }
    std::size_t fold_choices() const { return std::max<std::size_t>(1, fold_strides.size()); }
    std::size_t first_last_choices() const { return std::max<std::size_t>(1, first_last.size()); }
    std::vector<double> fmax_mhz{0.0}; // 0 = the device's default clock
    std::vector<MacImpl> mac_impl{MacImpl::automatic};
    ArchConfig fixed; // the knobs not swept (fc_batch, ddr_gbps, stream buffer, caches)
    // What-if platform knobs, each a list (empty = fixed's single value): every device is swept
    // once per (ddr_gbps, fc_batch) as a "platform variant" labelled "name@ddr19.2@fc8"
    // (expand_platform_variants); 0 in ddr_gbps = the board's own peak.
    std::vector<double> ddr_gbps;
    std::vector<int> fc_batch;
    std::vector<std::string> accuracy_files; // extra lpdla.accuracy/1 rows, ahead of the shipped
    // Rows measured on another variant of a network (AccuracyEntry::other_variant) count as its
    // top-1 for constraints and objectives; off by default: they are shown but not used.
    bool accept_accuracy_from_variants = false;
    SweepConstraints constraints;
    CostKind cost = CostKind::area;

    // Configurations per device (the product of the architecture axes).
    std::uint64_t configs_per_device() const;
    std::uint64_t total_configs() const { return configs_per_device() * devices.size(); }
};

// Defaults for anything a spec or the flags omit (devices/networks stay empty: the caller fills
// them with every shipped one).
SweepSpec default_sweep_spec();

// Parses a spec document over `base` (keys present replace base's); throws lpdla::Error (bad
// input) naming `file` and the JSON path of the first problem.
SweepSpec parse_sweep_spec(const nlohmann::json& doc, const std::string& file, SweepSpec base);
// Replaces every plain device name by its platform variants (one per ddr_gbps x fc_batch value,
// "arria10_gx1150@ddr19.2@fc8"; the value 0 / an empty list adds no suffix). Names that already
// carry "@" are kept, so expanding twice changes nothing. The CLI calls it once the device list
// is known; load_sweep_inputs refuses a spec whose lists are not expanded.
void expand_platform_variants(SweepSpec& spec);
// A device label split into the device name and its platform knobs (0 = not overridden); throws
// lpdla::Error naming the label when a suffix is not ddr<GB/s> or fc<batch>.
struct PlatformLabel {
    std::string device;
    double ddr_gbps = 0;
    int fc_batch = 0;
};
PlatformLabel parse_platform_label(const std::string& label);

// The expanded spec, as written into results (parse_sweep_spec(spec_to_json(s)) == s).
nlohmann::json spec_to_json(const SweepSpec& spec);
// Throws lpdla::Error naming the first empty list or out-of-range value; `where` prefixes messages.
void validate_sweep_spec(const SweepSpec& spec);

// Axis syntax shared by the spec and the flags: "4,8,16", "8:128" (step 1), "8:128:8" (step 8),
// "4:256:*2" (powers of two from 4). Throws lpdla::Error naming `what` for an empty list, an
// inverted range (lo > hi), a zero/negative step, or text that is not a number.
std::vector<int> parse_int_axis(std::string_view text, std::string_view what);
std::vector<double> parse_real_axis(std::string_view text, std::string_view what);
// Comma-separated words ("a,b,c"); empty items are rejected.
std::vector<std::string> parse_word_list(std::string_view text, std::string_view what);

} // namespace lpdla
