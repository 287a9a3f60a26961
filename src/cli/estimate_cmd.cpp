// `lpdla estimate`: one configuration, one device, one network.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "arch_flags.h"
#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "lpdla/report/estimate_report.h"
#include "report_cmd.h"

namespace lpdla::cli {

void add_estimate_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("estimate",
                                   "Resources, per-layer cycles, throughput and accuracy of one "
                                   "configuration");
    auto flags = std::make_shared<ArchFlags>();
    auto out = std::make_shared<OutputOptions>();
    auto html = std::make_shared<std::string>();
    flags->add_to(*cmd);
    out->add_to(*cmd);
    add_html_option(*cmd, *html);
    cmd->callback([cmd, flags, out, html, &global] {
        const ResolvedInputs in = flags->resolve(*cmd, global);
        const Estimate e = estimate(in.device, in.network, in.arch, in.caps);
        const EstimateContext ctx{&in.device, &in.network, in.arch};
        if (out->json)
            emit(*out, estimate_to_json(e, ctx).dump(2) + "\n");
        else if (out->csv)
            emit(*out, estimate_to_csv(e, ctx));
        else
            emit(*out, estimate_to_table(e, ctx));
        if (!html->empty())
            write_html_report(*html,
                              estimate_report_data(e, in.device, in.network, in.arch, in.caps));
    });
}

} // namespace lpdla::cli
