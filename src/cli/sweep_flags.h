#pragma once
// `lpdla sweep` flags: a spec file first, then any flag given explicitly overrides it; what is
// still unset falls back to default_sweep_spec() and every shipped device and network.
#include <string>
#include <vector>

#include "commands.h"
#include "lpdla/explore/constraint_tally.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/explore/sweep_spec.h"

namespace lpdla::cli {

struct SweepFlags {
    std::string spec_file, name, devices, networks, widths, k_vec, c_vec, q_vec, lanes;
    std::string act_bits, weights, precisions, fmax_mhz, mac_impl, cost;
    std::string ddr_gbps, fc_batch, stream_buffer_kib; // what-if lists
    std::string first_last, wide_layers;               // per-layer precision (issue 14)
    double max_alm_pct = 0, max_dsp_pct = 0, max_m20k_pct = 0, min_images_per_s = 0, min_top1 = 0,
           max_power_w = 0, max_latency_ms = 0;
    bool require_known_top1 = false, fold_strides = true, accept_variants = false;
    std::vector<std::string> accuracy_files;

    void add_to(CLI::App& cmd);
    SweepSpec build(const CLI::App& cmd, const GlobalOptions& global) const;
};

struct SweepRunOptions {
    unsigned threads = 0;
    std::string shard = "0/1", all_file, svg_file, html_file;
    bool quiet = false;
    bool cloud = false; // collect the thinned cloud of feasible points (for plots and reports)
    bool tally = false; // count what each constraint removed even when something is feasible
};

// A sweep as the CLI runs it (sweep_cmd.cpp): progress line, SIGINT, --all streamed, and the
// constraint tally when it is needed (a top-1 constraint, nothing feasible, or asked).
struct SweepRun {
    SweepSpec spec;
    SweepInputs inputs;
    SweepResult result;
    std::vector<SweepPoint> cloud;
    std::optional<ConstraintTally> tally;
    Shard shard;
};
SweepRun run_sweep_cli(const SweepSpec& spec, const SweepRunOptions& options,
                       const GlobalOptions& global);
// The "nothing feasible" error of a whole (unsharded) sweep, naming what each constraint removed.
void throw_if_nothing_feasible(const SweepRun& run);

} // namespace lpdla::cli
