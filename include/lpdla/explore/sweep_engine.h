#pragma once
// Design-space exploration (`lpdla sweep`): the grid of a SweepSpec evaluated against every
// (network, width), constrained, reduced to the best point per objective and the Pareto front per
// (device, network). Deterministic whatever the thread count, shardable across machines, memory
// bounded whatever the grid size (the grid is enumerated by index, never materialised).
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lpdla/explore/pareto.h"
#include "lpdla/explore/sweep_spec.h"
#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/model/performance.h"

namespace lpdla {

// One network at one width, planned once for the whole sweep.
struct NetworkVariant {
    std::string name; // as named in the spec
    double width = 1;
    NetworkPlan plan;
    // Per accuracy slot (accuracy_slot: spec precision x first_last choice), the top-1 of the
    // exact lookup (nullopt = unknown).
    std::vector<std::optional<double>> top1;
    // Per accuracy slot, the row the lookup found, even when not used as top-1 (another
    // variant's row without accept_accuracy_from_variants): what reports show beside it.
    std::vector<std::optional<AccuracyEntry>> accuracy;
};

// Everything the engine needs besides the spec, loaded once.
struct SweepInputs {
    std::vector<Device> devices; // spec.devices order (platform variants loaded)
    // Per device, the platform knobs of its label ("name@ddr19.2@fc8"; 0 = the spec's fixed
    // value): applied to every configuration of that device.
    std::vector<PlatformLabel> platform;
    std::vector<NetworkVariant> variants; // network-major: [network * widths + width]
};
// Loads the spec's devices and networks (each network once per width); throws lpdla::Error
// (bad input) for an unknown name.
SweepInputs load_sweep_inputs(const SweepSpec& spec, const std::string& data_dir = {});

// Position of a configuration in the grid (mixed radix, fastest first: k_vec, c_vec, q_vec, lanes,
// mac, fold, buffer, first_last, fmax, precision, device).
struct GridPoint {
    int device = 0, precision = 0, fmax = 0, first_last = 0, buffer = 0, fold = 0, mac = 0,
        lanes = 0, q_vec = 0, c_vec = 0, k_vec = 0;
};
// Index into NetworkVariant::top1 / accuracy: accuracy is keyed by the whole precision
// assignment (the array's precision and the first/last layers' choice).
inline std::size_t accuracy_slot(const SweepSpec& spec, std::size_t precision,
                                 std::size_t first_last) {
    return precision * spec.first_last_choices() + first_last;
}
// "2/ternary" or, when the spec sweeps first_last, "2/ternary first/last 8/int8".
std::string slot_label(const SweepSpec& spec, std::size_t slot);
// The first/last choice of a slot's configuration (the spec's list, or fixed's).
std::optional<Precision> first_last_choice(const SweepSpec& spec, std::size_t first_last);
GridPoint decode_config_index(const SweepSpec& spec, std::uint64_t index);

struct Shard {
    std::uint64_t index = 0,
                  count = 1; // this run evaluates config indices i with i % count == index
};
// Parses "i/N" (0 <= i < N); throws lpdla::Error (bad input) otherwise.
Shard parse_shard(std::string_view text);

// One feasible (configuration, network, width) on one device, with everything outputs report.
struct SweepPoint {
    Objectives obj;                 // images/s, top-1, cost, order (config index x widths + width)
    std::uint64_t config_index = 0; // global grid index (includes the device)
    std::uint32_t device = 0, network = 0, width = 0, precision = 0; // indices into the spec
    std::uint32_t first_last = 0; // index into spec.first_last (0 when the spec has no list)
    ArchConfig config;            // resolved: usable as `estimate --config`
    // latency_ms: one image at FC batch 1; latency_ms_batched: with fc_batch (PerfTotals).
    double latency_ms = 0, latency_ms_batched = 0, images_per_s_batch1 = 0;
    double effective_tops = 0, peak_tops = 0, pe_utilisation = 0;
    double ddr_gbps_required = 0;
    double power_w = NAN; // NaN while no power model is wired in
    ResourceCounts resources;
};

struct BestPoints {
    std::optional<SweepPoint> images_per_s, effective_tops, top1, cost;
};

struct GroupResult {
    std::uint32_t device = 0, network = 0;
    std::uint64_t points_evaluated = 0, points_feasible = 0;
    BestPoints best;
    std::vector<SweepPoint> pareto; // front_order
    // Fastest point per (accuracy slot, width): [slot * widths + width] (accuracy_slot: the
    // precision and, when the spec sweeps it, the first/last choice), empty when none feasible.
    std::vector<std::optional<SweepPoint>> best_by_precision;
};

struct SweepCounts {
    std::uint64_t configs = 0;             // configurations (device included) in this shard
    std::uint64_t configs_fitting = 0;     // passed the resource caps
    std::uint64_t configs_unbuildable = 0; // no DSP mode / duplicate MAC choice: never evaluated
    std::uint64_t points_evaluated = 0;    // (configuration, network, width) evaluations
    std::uint64_t points_feasible = 0;
    SweepCounts& operator+=(const SweepCounts& o) {
        configs += o.configs;
        configs_fitting += o.configs_fitting;
        configs_unbuildable += o.configs_unbuildable;
        points_evaluated += o.points_evaluated;
        points_feasible += o.points_feasible;
        return *this;
    }
    friend bool operator==(const SweepCounts&, const SweepCounts&) = default;
};

struct SweepResult {
    SweepSpec spec;
    Shard shard;
    std::uint64_t shards_merged = 1;
    SweepCounts counts;
    std::vector<GroupResult> groups; // device-major: [device * networks + network]
};

// Shared with a caller thread: request a stop, watch progress.
struct SweepControl {
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> configs_done{0};
};

struct SweepOptions {
    unsigned threads = 0; // 0 = all hardware threads
    Shard shard;
    SweepControl* control = nullptr;
    // When set, receives CSV rows (all_points_csv_header columns) of every feasible point, in
    // grid order, a chunk at a time: the caller streams them without the engine holding them.
    std::function<void(std::string_view)> all_points_sink;
};

// Runs the sweep. Returns early (with partial results) only if control->stop was set; the caller
// must treat such a result as interrupted.
SweepResult run_sweep(const SweepSpec& spec, const SweepInputs& inputs,
                      const SweepOptions& options = {});

// Combines shard results of one spec into the result of the whole grid (identical to an
// unsharded run); throws lpdla::Error if the specs differ or shards are missing or repeated.
SweepResult merge_sweep_results(const std::vector<SweepResult>& shards);

// Reduction of points into one group's bests and front (used by the engine and by merge).
// Cache-line aligned because each thread updates its own accumulators' counters constantly.
class alignas(64) GroupAccumulator {
  public:
    // `slots`: accuracy slots (precisions x first/last choices, of which `first_lasts`).
    GroupAccumulator(std::uint32_t device, std::uint32_t network, std::size_t slots,
                     std::size_t widths, std::size_t first_lasts = 1);
    void add(const SweepPoint& p);
    // Whether a point with these figures would change a best or enter its class front; false
    // lets the engine skip building most points (adding them would change nothing).
    bool wants(const Objectives& o, double effective_tops, std::size_t slot,
               std::uint32_t width) const;
    void absorb(const GroupAccumulator& other);
    void count(std::uint64_t evaluated, std::uint64_t feasible) {
        evaluated_ += evaluated;
        feasible_ += feasible;
    }
    GroupResult finish() const;

  private:
    std::uint32_t device_, network_;
    std::size_t widths_, first_lasts_;
    std::uint64_t evaluated_ = 0, feasible_ = 0;
    BestPoints best_;
    std::vector<std::optional<SweepPoint>> by_precision_;
    std::vector<Front2D<SweepPoint>> fronts_; // one per (precision, width): one accuracy class
};

// Outputs (docs/FORMATS.md "Sweep result").
nlohmann::json sweep_result_to_json(const SweepResult& r);
SweepResult sweep_result_from_json(const nlohmann::json& doc, const std::string& file);
std::string sweep_result_to_csv(const SweepResult& r);   // best and Pareto rows
std::string sweep_result_to_table(const SweepResult& r); // terminal summary
std::string all_points_csv_header(const SweepSpec& spec);
// "2/ternary w1 k104 c16 q7 l4 alm: 3128.4 img/s, top-1 49.0 %, cost 84.7 %"
std::string describe_sweep_point(const SweepSpec& spec, const SweepPoint& point);
std::string cost_description(CostKind kind); // what the cost objective measures, in words
void append_point_csv(std::string& out, const SweepSpec& spec, const SweepPoint& p);

} // namespace lpdla
