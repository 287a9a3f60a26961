#include "lpdla/io/json_io.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "accuracy_json.h"
#include "lpdla/error.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
using nlohmann::json;
using strict_json::child;
using strict_json::Reader;

AccuracyEntry parse_accuracy_row(const Reader& rd, const json& row, const std::string& p) {
    rd.keys(row, p,
            {"weights", "act_bits", "width", "top1", "top5", "fp32_top1", "source", "assumed",
             "variant", "scheme", "note", "first_last"});
    AccuracyEntry e;
    const auto kind = rd.string(row, "weights", p);
    const auto wk = parse_weight_kind(kind);
    if (!wk)
        rd.fail(child(p, "weights"),
                fmt::format("unknown weight kind '{}'; valid: binary, ternary, "
                            "int2, int4, int8, int16, bfp16, fp32",
                            kind));
    e.weights = *wk;
    e.act_bits = rd.integer(row, "act_bits", p, 1, 32);
    e.width = rd.has(row, "width") ? rd.positive(row, "width", p, max_width_multiplier) : 1.0;
    e.top1 = rd.number(row, "top1", p);
    if (e.top1 < 0 || e.top1 > 1) rd.fail(child(p, "top1"), "must be a fraction in [0, 1]");
    if (rd.has(row, "top5")) e.top5 = rd.number_in(row, "top5", p, 0, 1);
    e.source = rd.string(row, "source", p);
    e.variant = rd.string_or(row, "variant", p, "");
    if (rd.has(row, "first_last")) {
        const std::string text = rd.string(row, "first_last", p);
        try {
            e.first_last = parse_first_last(text, child(p, "first_last"));
        } catch (const Error& err) {
            rd.fail(child(p, "first_last"),
                    std::string(err.what()) + " (\"none\" = at the row's precision like the rest)");
        }
        e.first_last_stated = true;
    }
    if (rd.has(row, "fp32_top1")) {
        e.fp32_top1 = rd.number(row, "fp32_top1", p);
        if (*e.fp32_top1 < 0 || *e.fp32_top1 > 1)
            rd.fail(child(p, "fp32_top1"), "must be a fraction in [0, 1]");
    }
    return e;
}

std::vector<AccuracyEntry> load_accuracy_rows(const std::filesystem::path& path,
                                              const std::string& network_name) {
    return parse_accuracy_file(read_json_file(path), path.string(), network_name);
}

std::vector<AccuracyEntry> parse_accuracy_file(const json& doc, const std::string& file,
                                               const std::string& network_name) {
    Reader rd(file);
    rd.schema(doc, "lpdla.accuracy/1");
    rd.keys(doc, "", {"schema", "network", "rows", "source"});
    const std::string net = rd.string(doc, "network", "");
    if (net != network_name)
        rd.fail("/network",
                fmt::format("is '{}' but the rows are being added to '{}'", net, network_name));
    std::vector<AccuracyEntry> rows;
    const json& arr = rd.array(doc, "rows", "");
    for (std::size_t i = 0; i < arr.size(); ++i)
        rows.push_back(parse_accuracy_row(rd, arr[i], child("/rows", i)));
    return rows;
}

} // namespace lpdla
