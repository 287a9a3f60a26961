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
#include "lpdla/report/point_cloud.h"
#include "report_cmd.h"
#include "sweep_flags.h"
#include "sweep_runtime.h"

namespace lpdla::cli {
namespace {

// Exit status for an interrupted sweep: the shell convention for SIGINT (128 + 2).
constexpr int interrupted_status = 130;

void run(const SweepFlags& flags, SweepRunOptions ro, const OutputOptions& out, const CLI::App& cmd,
         const GlobalOptions& global) {
    const SweepSpec spec = flags.build(cmd, global);
    ro.cloud = !ro.html_file.empty();
    ro.tally = !ro.html_file.empty();
    const SweepRun sr = run_sweep_cli(spec, ro, global);
    const SweepResult& result = sr.result;
    if (out.json) {
        nlohmann::json j = sweep_result_to_json(result);
        if (sr.tally) j["constraint_tally"] = tally_to_json(*sr.tally);
        j["accuracy_rows"] = accuracy_rows_to_json(sr.spec, sr.inputs);
        emit(out, j.dump(2) + "\n");
    } else if (out.csv) {
        emit(out, sweep_result_to_csv(result));
    } else {
        emit(out, sweep_result_to_table(result) + accuracy_summary(sr.spec, sr.inputs, sr.tally));
    }
    write_front_svg(result, ro.svg_file);
    if (!ro.html_file.empty())
        write_html_report(ro.html_file,
                          sweep_report_data(result, sr.inputs, global, sr.cloud, sr.tally));
    throw_if_nothing_feasible(sr);
}

} // namespace

SweepRun run_sweep_cli(const SweepSpec& spec, const SweepRunOptions& ro,
                       const GlobalOptions& global) {
    SweepRun sr;
    sr.spec = spec;
    sr.inputs = load_sweep_inputs(spec, global.data_dir);
    SweepControl control;
    SweepOptions opt;
    opt.threads = ro.threads;
    opt.shard = parse_shard(ro.shard);
    opt.control = &control;
    sr.shard = opt.shard;

    std::optional<PendingFile> all;
    std::optional<PointCloud> cloud;
    if (ro.cloud) cloud.emplace(sr.spec);
    bool all_failed = false;
    if (!ro.all_file.empty()) all.emplace(ro.all_file);
    if (all) all->write(all_points_csv_header(spec));
    if (all || cloud) {
        // Runs on worker threads (one chunk at a time, in order): failures stop the sweep rather
        // than escape the thread.
        opt.all_points_sink = [&](std::string_view rows) {
            try {
                if (all) all->write(rows);
                if (cloud) cloud->add_csv(rows);
            } catch (const Error&) {
                all_failed = true;
                control.stop.store(true);
            }
        };
    }

    bool interrupted = false;
    {
        InterruptGuard guard(control);
        const std::uint64_t all_configs = spec.total_configs();
        const std::uint64_t total = all_configs > opt.shard.index
                                        ? (all_configs - opt.shard.index - 1) / opt.shard.count + 1
                                        : 0;
        ProgressLine progress(control, total, !ro.quiet);
        sr.result = run_sweep(spec, sr.inputs, opt);
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
    if (cloud) sr.cloud = cloud->points();
    // The tally is a second pass over the grid: only when its counts are reported.
    const auto& c = spec.constraints;
    const bool whole_sweep_empty = sr.result.counts.points_feasible == 0 && opt.shard.count == 1;
    if (ro.tally || whole_sweep_empty || c.min_top1 || c.require_known_top1)
        sr.tally = tally_constraints(spec, sr.inputs, opt.shard, ro.threads);
    return sr;
}

void throw_if_nothing_feasible(const SweepRun& sr) {
    // A shard with nothing feasible is a normal part of a split sweep; a whole sweep is not.
    if (sr.result.counts.points_feasible != 0 || sr.shard.count != 1) return;
    throw Error(fmt::format("sweep \"{}\": nothing feasible: {}; relax the constraint that "
                            "removed the most, or widen the grid",
                            sr.spec.name,
                            sr.tally ? describe_tally(*sr.tally)
                                     : fmt::format("{} configurations, {} fit the resource caps",
                                                   sr.result.counts.configs,
                                                   sr.result.counts.configs_fitting)),
                ErrorKind::nothing_feasible);
}

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
    add_html_option(*cmd, ro->html_file);
    cmd->add_flag("--quiet", ro->quiet, "No progress line even on a terminal");
    out->add_to(*cmd);
    cmd->callback([cmd, flags, ro, out, &global] { run(*flags, *ro, *out, *cmd, global); });
}

} // namespace lpdla::cli
