// Validation cases: parsing validation/cases.json (schema lpdla.validation/1) and running each
// published design through the model. Reports live in validate_report.cpp.
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/strict_json.h"
#include "lpdla/model/power.h"
#include "lpdla/validate/validate.h"

namespace lpdla {
using nlohmann::json;

namespace {

struct MetricInfo {
    Metric metric;
    std::string_view name, unit;
};

constexpr MetricInfo metrics[] = {
    {Metric::images_per_s, "images_per_s", "images/s"},
    {Metric::effective_gops, "effective_gops", "GOPS (2 ops per conv+fc MAC)"},
    {Metric::effective_tops, "effective_tops", "TOPS (2 ops per conv+fc MAC)"},
    {Metric::peak_tops, "peak_tops", "TOPS (2 ops per MAC of the array, every cycle)"},
    {Metric::power_w, "power_w", "W"},
    {Metric::images_per_s_per_w, "images_per_s_per_w", "images/s/W"},
    {Metric::top1, "top1", "fraction (ImageNet top-1)"},
};

[[noreturn]] void fail(const std::string& file, const std::string& path, const std::string& what) {
    throw Error(fmt::format("{}: {}: {}", file, path.empty() ? "/" : path, what));
}

std::string text(const json& obj, const char* key, const std::string& file, const std::string& path,
                 bool required = true) {
    if (!obj.contains(key)) {
        if (required) fail(file, path + "/" + key, "missing required field");
        return {};
    }
    if (!obj[key].is_string()) fail(file, path + "/" + key, "expected a string");
    return obj[key].get<std::string>();
}

double number(const json& obj, const char* key, const std::string& file, const std::string& path) {
    if (!obj.contains(key)) fail(file, path + "/" + key, "missing required field");
    if (!obj[key].is_number()) fail(file, path + "/" + key, "expected a number");
    const double v = obj[key].get<double>();
    // Published figures and tolerances are finite and below any physical rate lpdla models.
    if (!std::isfinite(v) || std::abs(v) > 1e15)
        fail(file, path + "/" + key, fmt::format("{} is out of range: valid is up to 1e15", v));
    return v;
}

bool flag(const json& obj, const char* key, bool fallback, const std::string& file,
          const std::string& path) {
    if (!obj.contains(key)) return fallback;
    if (!obj[key].is_boolean()) fail(file, path + "/" + key, "expected true or false");
    return obj[key].get<bool>();
}

PublishedFigure parse_figure(const json& f, const std::string& file, const std::string& path) {
    if (!f.is_object()) fail(file, path, "expected an object");
    strict_json::check_keys(f, {"metric", "published", "tolerance", "note", "role"},
                            fmt::format("{}: {}", file, path));
    PublishedFigure fig;
    const std::string m = text(f, "metric", file, path);
    bool known = false;
    for (const auto& info : metrics)
        if (info.name == m) {
            fig.metric = info.metric;
            known = true;
        }
    if (!known)
        fail(file, path + "/metric",
             fmt::format("unknown metric '{}'; valid: images_per_s, effective_gops, "
                         "effective_tops, peak_tops, power_w, images_per_s_per_w, top1",
                         m));
    fig.published = number(f, "published", file, path);
    if (!(fig.published > 0)) fail(file, path + "/published", "must be positive");
    if (f.contains("tolerance")) {
        fig.tolerance = number(f, "tolerance", file, path);
        if (!(*fig.tolerance >= 0)) fail(file, path + "/tolerance", "must be >= 0 (a fraction)");
    }
    fig.note = text(f, "note", file, path, false);
    if (f.contains("role")) {
        const std::string role = text(f, "role", file, path);
        bool found = false;
        for (FigureRole r : {FigureRole::prediction, FigureRole::calibration,
                             FigureRole::provenance, FigureRole::by_construction})
            if (to_string(r) == role) {
                fig.role = r;
                found = true;
            }
        if (!found)
            fail(file, path + "/role",
                 fmt::format("unknown role '{}'; valid: prediction, calibration, provenance, "
                             "by_construction",
                             role));
    }
    return fig;
}

} // namespace

std::string_view to_string(Metric m) {
    for (const auto& info : metrics)
        if (info.metric == m) return info.name;
    return "?";
}

std::string_view to_string(FigureRole role) {
    switch (role) {
    case FigureRole::calibration:
        return "calibration";
    case FigureRole::provenance:
        return "provenance";
    case FigureRole::by_construction:
        return "by_construction";
    default:
        return "prediction";
    }
}

std::string_view metric_unit(Metric m) {
    for (const auto& info : metrics)
        if (info.metric == m) return info.unit;
    return "";
}

ValidationFile parse_validation(const json& doc, const std::string& file) {
    if (!doc.is_object()) fail(file, "", "expected a JSON object");
    if (text(doc, "schema", file, "") != "lpdla.validation/1")
        fail(file, "/schema", "expected \"lpdla.validation/1\"");
    strict_json::check_keys(doc, {"schema", "version", "cases"}, fmt::format("{}: ", file));
    ValidationFile v;
    v.version = text(doc, "version", file, "");
    if (!doc.contains("cases") || !doc["cases"].is_array())
        fail(file, "/cases", "expected an array of cases");
    for (std::size_t i = 0; i < doc["cases"].size(); ++i) {
        const json& c = doc["cases"][i];
        const std::string p = fmt::format("/cases/{}", i);
        if (!c.is_object()) fail(file, p, "expected an object");
        strict_json::check_keys(c,
                                {"id", "source", "design", "rationale", "device", "network", "width",
                                 "config", "config_from_search", "show_best", "search_slack",
                                 "require_fit", "figures"},
                                fmt::format("{}: {}", file, p));
        ValidationCase vc;
        vc.id = text(c, "id", file, p);
        vc.source = text(c, "source", file, p);
        vc.design = text(c, "design", file, p);
        vc.rationale = text(c, "rationale", file, p);
        vc.device = text(c, "device", file, p);
        vc.network = text(c, "network", file, p);
        vc.width = c.contains("width") ? number(c, "width", file, p) : 1.0;
        if (!(vc.width > 0 && vc.width <= max_width_multiplier))
            fail(file, p + "/width",
                 fmt::format("{} is out of range: valid is above 0 up to {}", vc.width,
                             max_width_multiplier));
        if (!c.contains("config") || !c["config"].is_object())
            fail(file, p + "/config", "expected a configuration object (lpdla.config/1 fields)");
        json cfg = c["config"];
        if (!cfg.contains("schema")) cfg["schema"] = "lpdla.config/1";
        vc.config = parse_config(cfg, fmt::format("{} ({}/config)", file, p)).arch;
        vc.config_from_search = flag(c, "config_from_search", false, file, p);
        vc.show_best = flag(c, "show_best", false, file, p);
        if (c.contains("search_slack")) {
            vc.search_slack = number(c, "search_slack", file, p);
            if (!(vc.search_slack >= 0 && vc.search_slack < 1))
                fail(file, p + "/search_slack", "must be in [0, 1)");
        }
        vc.require_fit = flag(c, "require_fit", true, file, p);
        if (!c.contains("figures") || !c["figures"].is_array() || c["figures"].empty())
            fail(file, p + "/figures", "expected a non-empty array of published figures");
        for (std::size_t j = 0; j < c["figures"].size(); ++j)
            vc.figures.push_back(
                parse_figure(c["figures"][j], file, fmt::format("{}/figures/{}", p, j)));
        for (const auto& other : v.cases)
            if (other.id == vc.id) fail(file, p + "/id", fmt::format("duplicate id '{}'", vc.id));
        v.cases.push_back(std::move(vc));
    }
    return v;
}

ValidationFile load_validation(const std::filesystem::path& path) {
    return parse_validation(read_json_file(path), path.string());
}

void add_user_accuracy(Network& network, const std::vector<std::filesystem::path>& files) {
    std::vector<AccuracyEntry> rows;
    for (const auto& f : files) {
        const json doc = read_json_file(f);
        if (doc.is_object() && doc.contains("network") && doc["network"].is_string() &&
            doc["network"].get<std::string>() != network.name)
            continue; // rows for another network of the run
        auto more = load_accuracy_rows(f, network.name);
        rows.insert(rows.end(), more.begin(), more.end());
    }
    rows.insert(rows.end(), network.accuracy.begin(), network.accuracy.end());
    network.accuracy = std::move(rows);
}

std::optional<double> metric_value(Metric m, const Estimate& e) {
    const auto& t = e.totals;
    switch (m) {
    case Metric::images_per_s:
        return t.images_per_s;
    case Metric::effective_gops:
        return t.effective_tops * 1e3;
    case Metric::effective_tops:
        return t.effective_tops;
    case Metric::peak_tops:
        return t.peak_tops;
    case Metric::power_w:
        return e.power.total_w();
    case Metric::images_per_s_per_w:
        return per_watt(t.images_per_s, e.power.total_w());
    case Metric::top1:
        if (e.accuracy) return e.accuracy->top1;
        return std::nullopt;
    }
    return std::nullopt;
}

bool CaseResult::passed() const {
    if (source_case && source_case->require_fit && !fits) return false;
    for (const auto& f : figures)
        if (f.status == "fail") return false;
    return true;
}

CaseResult run_case(const ValidationCase& c, const Device& device, const Network& network) {
    CaseResult r;
    r.source_case = &c;
    if (c.config_from_search) {
        auto found = best_configuration(device, network, c.config, {}, {}, c.search_slack);
        if (!found)
            throw Error(fmt::format("case {}: no configuration in the search grid fits {}", c.id,
                                    device.name),
                        ErrorKind::nothing_feasible);
        r.estimate = found->estimate;
        if (c.show_best)
            r.best = c.search_slack > 0 ? best_configuration(device, network, c.config)
                                        : std::move(found);
    } else {
        r.estimate = estimate(device, network, c.config);
        if (c.show_best) r.best = best_configuration(device, network, c.config);
    }
    r.fits = r.estimate.fits;
    for (const auto& fig : c.figures) {
        FigureResult fr;
        fr.name = fmt::format("{}.{}", c.id, to_string(fig.metric));
        fr.figure = fig;
        fr.modeled = metric_value(fig.metric, r.estimate);
        if (fr.modeled) fr.rel_error = (*fr.modeled - fig.published) / fig.published;
        if (!fig.tolerance)
            fr.status = "reference";
        else
            fr.status = fr.rel_error && std::abs(*fr.rel_error) <= *fig.tolerance ? "pass" : "fail";
        r.figures.push_back(std::move(fr));
    }
    return r;
}

} // namespace lpdla
