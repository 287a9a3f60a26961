// `lpdla merge`: combine the JSON results of `sweep --shard i/N` runs into the result of the
// whole sweep (identical to running it unsharded).
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
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
        // Which file holds which shard, so a shard given twice names both files (a shell glob
        // over two output directories is the usual cause). Other refusals are merge's own.
        std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> input_of;
        for (std::size_t i = 0; i < files->size(); ++i) {
            shards.push_back(sweep_result_from_json(read_json_file((*files)[i]), (*files)[i]));
            const SweepResult& r = shards.back();
            const auto [it, fresh] = input_of.emplace(std::pair{r.shard.count, r.shard.index}, i);
            if (!fresh && r.shards_merged == 1 &&
                spec_to_json(shards[it->second].spec) == spec_to_json(r.spec))
                throw Error(fmt::format("merge: shard {}/{} is given twice: {} and {}",
                                        r.shard.index, r.shard.count, (*files)[it->second],
                                        (*files)[i]));
        }
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
