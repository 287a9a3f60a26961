// `lpdla report`: the sweep (or a saved sweep result) as one self-contained HTML file; and the
// pieces `sweep --html` and `estimate --html` share with it.
#include "report_cmd.h"

#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/report/point_cloud.h"
#include "sweep_flags.h"

namespace lpdla::cli {
namespace {

// Designs explained in full (per-layer bars, roofline, resources): enough for one per (device,
// network) of a typical question, few enough that the document stays readable and printable.
constexpr std::size_t max_designs = 12;

Network load_with_accuracy(const std::string& name, double width, const SweepSpec& spec,
                           const GlobalOptions& global) {
    Network net = load_network_named(name, width, global);
    for (const auto& file : spec.accuracy_files) {
        if (read_json_file(file).value("network", std::string()) != net.name) continue;
        auto rows = load_accuracy_rows(file, net.name);
        net.accuracy.insert(net.accuracy.begin(), rows.begin(), rows.end());
    }
    return net;
}

std::vector<Assumption> assumptions_of(const std::vector<std::string>& files) {
    std::vector<Assumption> out;
    std::set<std::string> seen;
    for (const auto& f : files) {
        if (f.empty() || !seen.insert(f).second) continue;
        auto a = collect_assumptions(f);
        out.insert(out.end(), a.begin(), a.end());
    }
    return out;
}

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("{}: cannot read (no such file?)", file));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct ReportOptions {
    std::string result_file, cloud_file, out_file = "lpdla_report.html";
    SweepRunOptions run;
};

} // namespace

void add_html_option(CLI::App& cmd, std::string& file) {
    cmd.add_option("--html", file,
                   "Also write a self-contained HTML report (question, answer, fronts, per-layer "
                   "cycles, roofline, resources, assumptions) to FILE");
}

void write_html_report(const std::string& file, const HtmlReportData& data) {
    write_file_atomic(file, render_html_report(data));
}

HtmlReportData sweep_report_data(const SweepResult& r, const SweepInputs& in,
                                 const GlobalOptions& global, std::vector<SweepPoint> cloud,
                                 std::optional<ConstraintTally> tally) {
    const SweepSpec& s = r.spec;
    HtmlReportData d;
    d.title = fmt::format("lpdla design-space report: sweep \"{}\"", s.name);
    d.command = "lpdla sweep (spec " + (s.source.empty() ? "command line" : s.source) + ")";
    d.inputs = sweep_report_inputs(s, list_data_names("devices", global.data_dir),
                                   list_data_names("networks", global.data_dir));
    d.sweep = &r;
    d.sweep_devices = in.devices;
    d.cloud = std::move(cloud);
    d.tally = tally;
    for (const auto& v : in.variants) d.accuracy.push_back(v.accuracy);
    if (tally) {
        d.notes.push_back("Constraints: " + describe_tally(*tally) + ".");
        if (auto n = top1_exclusion_note(*tally); !n.empty()) d.notes.push_back(n + ".");
    }
    if (r.counts.points_feasible == 0)
        d.notes.push_back("Nothing is feasible: relax the constraint that removed the most.");
    std::vector<std::string> files;
    for (const auto& dev : in.devices) files.push_back(dev.source_file);
    std::size_t skipped = 0;
    for (const auto& g : r.groups) {
        if (!g.best.images_per_s) continue;
        if (d.designs.size() == max_designs) {
            ++skipped;
            continue;
        }
        const SweepPoint& p = *g.best.images_per_s;
        ReportDesign x;
        x.role = "fastest";
        x.device_label = s.devices[p.device];
        x.device = in.devices[p.device];
        x.network = load_with_accuracy(s.networks[p.network], s.widths[p.width], s, global);
        x.estimate = estimate(x.device, x.network, p.config, s.constraints.caps);
        x.accuracy_used = !std::isnan(p.obj.top1);
        d.designs.push_back(std::move(x));
    }
    if (skipped)
        d.notes.push_back(fmt::format("{} more (device, network) pairs have a fastest design not "
                                      "explained below; --json lists them all.",
                                      skipped));
    for (const auto& n : s.networks) {
        const auto f = find_data_file("networks", n, global.data_dir);
        files.push_back(f.string());
    }
    d.assumptions = assumptions_of(files);
    return d;
}

HtmlReportData estimate_report_data(const Estimate& e, const Device& device, const Network& network,
                                    const ArchConfig& requested, const UtilisationCaps& caps) {
    HtmlReportData d;
    d.title = fmt::format("lpdla estimate: {} on {}", network.display_name, device.display_name);
    d.command = "lpdla estimate";
    d.inputs = estimate_report_inputs(device, network, requested, caps);
    ReportDesign x;
    x.role = "the design asked for";
    x.device_label = device.name;
    x.device = device;
    x.network = network;
    x.estimate = e;
    x.accuracy_used = e.accuracy && !e.accuracy->other_variant;
    d.designs.push_back(std::move(x));
    d.assumptions = assumptions_of({device.source_file, network.source_file});
    return d;
}

nlohmann::json tally_to_json(const ConstraintTally& t) {
    return {{"configs", t.configs},
            {"configs_unbuildable", t.configs_unbuildable},
            {"points", t.points},
            {"removed_by",
             {{"resource_caps", t.resource_caps},
              {"min_images_per_s", t.min_images_per_s},
              {"max_latency_ms", t.max_latency_ms},
              {"top1_unknown", t.top1_unknown},
              {"min_top1", t.min_top1},
              {"max_power_w", t.max_power_w}}},
            {"top1_unknown_other_variant", t.top1_other_variant},
            {"feasible", t.feasible}};
}

nlohmann::json accuracy_rows_to_json(const SweepSpec& s, const SweepInputs& in) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& v : in.variants)
        for (std::size_t p = 0; p < v.accuracy.size(); ++p) {
            const auto& row = v.accuracy[p];
            nlohmann::json j = {
                {"network", v.name},
                {"width", v.width},
                {"precision", precision_label(s.precisions[p / s.first_last_choices()])},
                {"first_last", first_last_text(first_last_choice(s, p % s.first_last_choices()))}};
            if (!row) {
                j["top1"] = nullptr;
                j["used"] = false;
            } else {
                j["top1"] = row->top1;
                j["variant"] = row->variant;
                j["fp32_top1"] = row->fp32_top1 ? nlohmann::json(*row->fp32_top1) : nullptr;
                j["other_variant"] = row->other_variant;
                j["used"] = v.top1[p].has_value();
                j["source"] = row->source;
                j["row_first_last"] = describe_first_last(*row);
            }
            rows.push_back(j);
        }
    return rows;
}

std::string accuracy_summary(const SweepSpec& s, const SweepInputs& in,
                             const std::optional<ConstraintTally>& tally) {
    std::string out;
    for (const auto& v : in.variants)
        for (std::size_t p = 0; p < v.accuracy.size(); ++p) {
            const auto& row = v.accuracy[p];
            if (!row || !row->other_variant) continue;
            out += fmt::format("  {} width {:g} {}: top-1 {}: {}\n", v.name, v.width,
                               slot_label(s, p), describe_accuracy(*row),
                               v.top1[p] ? "used (--accept-accuracy-from-variants)"
                                         : "shown, not used (another variant; "
                                           "--accept-accuracy-from-variants uses it)");
        }
    if (!out.empty()) out = "Accuracy rows measured on another variant of the network:\n" + out;
    if (tally) {
        out += "Constraints: " + describe_tally(*tally) + "\n";
        if (auto n = top1_exclusion_note(*tally); !n.empty()) out += n + "\n";
    }
    return out;
}

void add_report_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand(
        "report", "Run a sweep (same flags as `sweep`) or read a saved result, and write one "
                  "self-contained HTML report to hand on");
    cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    auto flags = std::make_shared<SweepFlags>();
    auto o = std::make_shared<ReportOptions>();
    flags->add_to(*cmd);
    cmd->add_option("--result", o->result_file,
                    "Report on this sweep or merge result (--json) instead of running a sweep");
    cmd->add_option("--cloud", o->cloud_file,
                    "With --result: the sweep's --all CSV, drawn as the cloud behind the fronts");
    cmd->add_option("--out", o->out_file, "HTML file to write (default lpdla_report.html)");
    cmd->add_option("--threads", o->run.threads, "Worker threads (default: all cores)");
    cmd->add_flag("--quiet", o->run.quiet, "No progress line even on a terminal");
    cmd->callback([cmd, flags, o, &global] {
        if (!o->result_file.empty()) {
            const SweepResult r =
                sweep_result_from_json(read_json_file(o->result_file), o->result_file);
            SweepSpec spec = r.spec;
            const SweepInputs in = load_sweep_inputs(spec, global.data_dir);
            std::vector<SweepPoint> cloud;
            if (!o->cloud_file.empty()) {
                PointCloud pc(r.spec);
                pc.add_csv(read_text(o->cloud_file), o->cloud_file);
                cloud = pc.points();
            }
            write_html_report(o->out_file, sweep_report_data(r, in, global, cloud, std::nullopt));
        } else {
            if (!o->cloud_file.empty())
                throw Error("--cloud goes with --result (a sweep run here draws its own cloud)",
                            ErrorKind::usage);
            SweepRunOptions ro = o->run;
            ro.cloud = ro.tally = true;
            const SweepRun sr = run_sweep_cli(flags->build(*cmd, global), ro, global);
            write_html_report(o->out_file,
                              sweep_report_data(sr.result, sr.inputs, global, sr.cloud, sr.tally));
            std::fputs((accuracy_summary(sr.spec, sr.inputs, sr.tally)).c_str(), stdout);
        }
        std::printf("HTML report written to %s\n", o->out_file.c_str());
    });
}

} // namespace lpdla::cli
