// `lpdla merge`: combine the JSON results of `sweep --shard i/N` runs into the result of the
// whole sweep (identical to running it unsharded).
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/json_io.h"

namespace lpdla::cli {

void add_merge_command(CLI::App& app, const GlobalOptions&) {
    auto* cmd = app.add_subcommand("merge",
                                   "Merge sweep shard results (sweep --shard i/N --json) into one");
    auto files = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<OutputOptions>();
    auto svg = std::make_shared<std::string>();
    cmd->add_option("results", *files, "Shard result JSON files (all N shards of one sweep)")
        ->required();
    out->add_to(*cmd);
    add_svg_option(*cmd, *svg);
    cmd->callback([files, out, svg] {
        std::vector<SweepResult> shards;
        for (const auto& f : *files) shards.push_back(sweep_result_from_json(read_json_file(f), f));
        const SweepResult merged = merge_sweep_results(shards);
        if (out->json)
            emit(*out, sweep_result_to_json(merged).dump(2) + "\n");
        else if (out->csv)
            emit(*out, sweep_result_to_csv(merged));
        else
            emit(*out, sweep_result_to_table(merged));
        write_front_svg(merged, *svg);
    });
}

} // namespace lpdla::cli
