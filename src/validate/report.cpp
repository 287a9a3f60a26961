// Writers for `lpdla validate`: JSON (cases[] one per published figure, designs[] one per case)
// and a readable side-by-side table.
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/io/json_io.h"
#include "lpdla/model/power.h"
#include "lpdla/report/estimate_report.h"
#include "lpdla/validate/validate.h"
#include "lpdla/version.h"

namespace lpdla {
using nlohmann::json;

namespace {

json opt(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

json summary(const Estimate& e, const ValidationCase& c) {
    const auto& t = e.totals;
    return {{"config", config_to_json(e.arch, c.device, c.network, c.width)},
            {"images_per_s", t.images_per_s},
            {"effective_tops", t.effective_tops},
            {"peak_tops", t.peak_tops},
            {"pe_utilisation", t.pe_utilisation},
            {"power_w", e.power.total_w()},
            {"images_per_s_per_w", per_watt(t.images_per_s, e.power.total_w())},
            {"resources", resources_to_json(e.resources.total)},
            {"available", resources_to_json(e.resources.available)},
            {"fits", e.fits},
            {"limiting", e.resources.limiting}};
}

std::string config_label(const ArchConfig& a) {
    return fmt::format(
        "k_vec {} c_vec {} q_vec {} lanes {}, {} ({}), {} MHz, stream buffer {} KiB{}; {}", a.k_vec,
        a.c_vec, a.q_vec, a.lanes, precision_label(a.precision), to_string(a.mac_impl), a.fmax_mhz,
        a.stream_buffer_kib, a.fold_strides ? ", strides folded" : "",
        // Which first/last treatment the case models (issue 14): stated, never implied.
        a.first_last && *a.first_last != a.precision
            ? fmt::format("first/last layers at {} ({})", precision_label(*a.first_last),
                          to_string(a.wide_layers))
            : std::string("first/last layers at the array's precision"));
}

template <typename... T> void line(std::string& out, fmt::format_string<T...> format, T&&... args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<T>(args)...);
    out += '\n';
}

} // namespace

json validation_to_json(const ValidationFile& file, const std::vector<CaseResult>& results) {
    json cases = json::array(), designs = json::array();
    bool all = true;
    for (const auto& r : results) {
        const ValidationCase& c = *r.source_case;
        all = all && r.passed();
        for (const auto& f : r.figures) {
            cases.push_back(
                {{"name", f.name},
                 {"design", c.id},
                 {"metric", to_string(f.figure.metric)},
                 {"published", f.figure.published},
                 {"modeled", opt(f.modeled)},
                 {"rel_error", opt(f.rel_error)},
                 {"role", to_string(f.figure.role)},
                 {"loo_rel_error", opt(f.loo_rel_error)},
                 {"unit", metric_unit(f.figure.metric)},
                 {"tolerance", opt(f.figure.tolerance)},
                 {"status", f.status},
                 {"note", f.figure.note},
                 {"source", c.source},
                 {"configuration", config_to_json(r.estimate.arch, c.device, c.network, c.width)},
                 {"fits", r.fits},
                 {"rationale", c.rationale}});
        }
        json d = {{"id", c.id},
                  {"design", c.design},
                  {"source", c.source},
                  {"rationale", c.rationale},
                  {"config_from_search", c.config_from_search},
                  {"passed", r.passed()},
                  {"stated", summary(r.estimate, c)}};
        if (r.best) {
            d["best_at_precision"] = summary(r.best->estimate, c);
            d["best_at_precision"]["search"] = {{"evaluated", r.best->evaluated},
                                                {"feasible", r.best->feasible}};
            d["best_over_stated"] =
                r.estimate.totals.images_per_s > 0
                    ? r.best->estimate.totals.images_per_s / r.estimate.totals.images_per_s
                    : 0.0;
        }
        designs.push_back(std::move(d));
    }
    return {{"schema", "lpdla.validation-report/1"},
            {"lpdla_version", version_string},
            {"version", file.version},
            {"passed", all},
            {"cases", cases},
            {"designs", designs}};
}

std::string validation_to_table(const ValidationFile& file,
                                const std::vector<CaseResult>& results) {
    std::string out;
    line(out, "lpdla validate: published results side by side (cases version {})", file.version);
    for (const auto& r : results) {
        const ValidationCase& c = *r.source_case;
        line(out, "");
        line(out, "{}: {}", c.id, c.design);
        line(out, "  source      {}", c.source);
        line(out, "  config      {}{}", config_label(r.estimate.arch),
             c.config_from_search ? " (the model's best at this precision)" : "");
        const auto& u = r.estimate.resources.total;
        const auto& av = r.estimate.resources.available;
        line(out,
             "  resources   ALM {:.0f} ({:.0f}%), DSP {:.0f} ({:.0f}%), M20K {:.0f} ({:.0f}%): {}",
             u.alm, 100 * u.alm / av.alm, u.dsp, av.dsp > 0 ? 100 * u.dsp / av.dsp : 0.0, u.m20k,
             100 * u.m20k / av.m20k,
             r.fits ? "fits" : "DOES NOT FIT (" + r.estimate.resources.limiting + ")");
        line(out, "  why         {}", c.rationale);
        line(out, "  {:<20} {:>10} {:>10} {:>8} {:>8} {:>5} {:<15} {}", "figure", "published",
             "modeled", "error", "LOO err", "tol", "role", "status");
        for (const auto& f : r.figures)
            line(out, "  {:<20} {:>10.4g} {:>10} {:>8} {:>8} {:>5} {:<15} {}{}",
                 to_string(f.figure.metric), f.figure.published,
                 f.modeled ? fmt::format("{:.4g}", *f.modeled) : "unknown",
                 f.rel_error ? fmt::format("{:+.1f}%", 100 * *f.rel_error) : "-",
                 f.loo_rel_error ? fmt::format("{:+.1f}%", 100 * *f.loo_rel_error) : "-",
                 f.figure.tolerance ? fmt::format("{:.0f}%", 100 * *f.figure.tolerance) : "-",
                 to_string(f.figure.role), f.status,
                 f.figure.note.empty() ? "" : "  (" + f.figure.note + ")");
        if (r.best) {
            const auto& b = r.best->estimate;
            line(out,
                 "  best found  {}: {:.0f} images/s ({:.2f}x the stated), {:.2f} effective / "
                 "{:.2f} peak TOPS, {:.1f} W",
                 config_label(b.arch), b.totals.images_per_s,
                 r.estimate.totals.images_per_s > 0
                     ? b.totals.images_per_s / r.estimate.totals.images_per_s
                     : 0.0,
                 b.totals.effective_tops, b.totals.peak_tops, b.power.total_w());
        }
        line(out, "  => {}", r.passed() ? "PASS" : "FAIL");
    }
    std::size_t failed = 0;
    for (const auto& r : results) failed += r.passed() ? 0 : 1;
    line(out, "");
    line(out, "{} of {} designs within tolerance", results.size() - failed, results.size());
    return out;
}

} // namespace lpdla
