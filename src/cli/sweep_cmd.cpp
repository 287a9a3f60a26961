// `lpdla sweep`: explore a grid of configurations x devices x networks x widths under
// constraints; report bests, Pareto fronts and (optionally) every feasible point.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "sweep_flags.h"
#include "sweep_runtime.h"

namespace lpdla::cli {
namespace {

struct SweepRunOptions {
    unsigned threads = 0;
    std::string shard = "0/1", all_file, svg_file;
    bool quiet = false;
};

// Exit status for an interrupted sweep: the shell convention for SIGINT (128 + 2).
constexpr int interrupted_status = 130;

void run(const SweepFlags& flags, const SweepRunOptions& ro, const OutputOptions& out,
         const CLI::App& cmd, const GlobalOptions& global) {
    const SweepSpec spec = flags.build(cmd, global);
    const SweepInputs inputs = load_sweep_inputs(spec, global.data_dir);
    SweepControl control;
    SweepOptions opt;
    opt.threads = ro.threads;
    opt.shard = parse_shard(ro.shard);
    opt.control = &control;

    std::optional<PendingFile> all;
    bool all_failed = false;
    if (!ro.all_file.empty()) {
        all.emplace(ro.all_file);
        all->write(all_points_csv_header(spec));
        // Runs on worker threads: failures stop the sweep rather than escape the thread.
        opt.all_points_sink = [&](std::string_view rows) {
            try {
                all->write(rows);
            } catch (const Error&) {
                all_failed = true;
                control.stop.store(true);
            }
        };
    }

    SweepResult result;
    bool interrupted = false;
    {
        InterruptGuard guard(control);
        const std::uint64_t all_configs = spec.total_configs();
        const std::uint64_t total = all_configs > opt.shard.index
                                        ? (all_configs - opt.shard.index - 1) / opt.shard.count + 1
                                        : 0;
        ProgressLine progress(control, total, !ro.quiet);
        result = run_sweep(spec, inputs, opt);
        interrupted = guard.interrupted();
    }
    if (all_failed)
        throw Error(fmt::format("{}: write failed (disk full?)", ro.all_file), ErrorKind::runtime);
    if (interrupted) {
        all.reset(); // removes the temporary; --out was never started
        std::fprintf(stderr, "lpdla: sweep interrupted; no output written\n");
        std::exit(interrupted_status);
    }
    if (all) all->commit();
    if (out.json)
        emit(out, sweep_result_to_json(result).dump(2) + "\n");
    else if (out.csv)
        emit(out, sweep_result_to_csv(result));
    else
        emit(out, sweep_result_to_table(result));
    write_front_svg(result, ro.svg_file);
    // A shard with nothing feasible is a normal part of a split sweep; a whole sweep is not.
    if (result.counts.points_feasible == 0 && opt.shard.count == 1)
        throw Error(fmt::format("sweep \"{}\": no configuration fits the constraints ({} "
                                "configurations, {} fit the resource caps); relax the caps or "
                                "the min_* constraints, or widen the grid",
                                spec.name, result.counts.configs, result.counts.configs_fitting),
                    ErrorKind::nothing_feasible);
}

} // namespace

void add_sweep_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd =
        app.add_subcommand("sweep", "Explore configurations x devices x networks x widths: bests, "
                                    "Pareto fronts, every feasible point");
    // A later flag overrides an earlier one, as flags override the spec file.
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    auto flags = std::make_shared<SweepFlags>();
    auto ro = std::make_shared<SweepRunOptions>();
    auto out = std::make_shared<OutputOptions>();
    flags->add_to(*cmd);
    cmd->add_option("--threads", ro->threads, "Worker threads (default: all cores)");
    cmd->add_option("--shard", ro->shard,
                    "Evaluate slice i of N (i/N, 0-based); combine with `lpdla merge`");
    cmd->add_option("--all", ro->all_file, "Stream every feasible point to this CSV file");
    add_svg_option(*cmd, ro->svg_file);
    cmd->add_flag("--quiet", ro->quiet, "No progress line even on a terminal");
    out->add_to(*cmd);
    cmd->callback([cmd, flags, ro, out, &global] { run(*flags, *ro, *out, *cmd, global); });
}

} // namespace lpdla::cli
