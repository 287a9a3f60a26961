// The precision x width trade-off table (the seed paper's exploration): writers and the fixed
// axes. The search itself is best_configuration() (validate_search.cpp).
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

std::vector<Precision> tradeoff_precisions() {
    return {{2, WeightKind::ternary}, {2, WeightKind::binary}, {4, WeightKind::ternary},
            {4, WeightKind::int4},    {8, WeightKind::int8},   {16, WeightKind::bfp16}};
}

std::vector<double> tradeoff_widths() {
    return {1, 2, 3};
}

json tradeoff_to_json(const Device& device, const Network& network_1x,
                      const std::vector<TradeoffRow>& rows) {
    json out = json::array();
    for (const auto& row : rows) {
        json j = {{"precision", precision_label(row.precision)}, {"width", row.width}};
        if (row.best) {
            const Estimate& e = row.best->estimate;
            const auto& t = e.totals;
            j["images_per_s"] = t.images_per_s;
            j["effective_tops"] = t.effective_tops;
            j["peak_tops"] = t.peak_tops;
            j["pe_utilisation"] = t.pe_utilisation;
            j["power_w"] = e.power.total_w();
            j["images_per_s_per_w"] = per_watt(t.images_per_s, e.power.total_w());
            j["tops_per_w"] = per_watt(t.effective_tops, e.power.total_w());
            j["resources"] = resources_to_json(e.resources.total);
            j["config"] = config_to_json(e.arch, device.name, network_1x.name, row.width);
        } else {
            j["images_per_s"] = nullptr;
            j["note"] = "nothing in the search grid fits";
        }
        if (row.accuracy)
            j["top1"] = {{"value", row.accuracy->top1},
                         {"source", row.accuracy->source},
                         {"variant", row.accuracy->variant}};
        else
            j["top1"] = "unknown";
        out.push_back(std::move(j));
    }
    return {{"schema", "lpdla.tradeoff/1"},
            {"lpdla_version", version_string},
            {"device", device.name},
            {"network", network_1x.name},
            {"ops_convention", "2 ops per network MAC (conv + fc) of the widened network"},
            {"rows", out}};
}

std::string tradeoff_to_markdown(const Device& device, const Network& network_1x,
                                 const std::vector<TradeoffRow>& rows) {
    std::string out = fmt::format("{} on {} (best configuration per row, default clock)\n\n",
                                  network_1x.display_name, device.display_name);
    out +=
        "| A/W | width | images/s | eff. TOPS | peak TOPS | k,c,q,lanes | ALM % | DSP % | M20K % | "
        "power W | img/s/W | top-1 |\n";
    out += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    const auto& av = device.available;
    for (const auto& row : rows) {
        const std::string top1 =
            row.accuracy ? fmt::format("{:.1f} %{}", 100 * row.accuracy->top1,
                                       row.accuracy->variant.empty() ? "" : " (variant)")
                         : "unknown";
        if (!row.best) {
            fmt::format_to(std::back_inserter(out),
                           "| {} | {}x | nothing fits | | | | | | | | | {} |\n",
                           precision_label(row.precision), row.width, top1);
            continue;
        }
        const Estimate& e = row.best->estimate;
        const auto& t = e.totals;
        const auto& u = e.resources.total;
        const auto& a = e.arch;
        fmt::format_to(
            std::back_inserter(out),
            "| {} | {}x | {:.0f} | {:.2f} | {:.2f} | {},{},{},{} | {:.0f} | {:.0f} | {:.0f} | "
            "{:.1f} | {:.1f} | {} |\n",
            precision_label(row.precision), row.width, t.images_per_s, t.effective_tops,
            t.peak_tops, a.k_vec, a.c_vec, a.q_vec, a.lanes, 100 * u.alm / av.alm,
            av.dsp > 0 ? 100 * u.dsp / av.dsp : 0.0, 100 * u.m20k / av.m20k, e.power.total_w(),
            per_watt(t.images_per_s, e.power.total_w()), top1);
    }
    return out;
}

} // namespace lpdla
