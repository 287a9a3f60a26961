// `lpdla networks`: the shipped network descriptions with their MACs and accuracy rows.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/io/data_paths.h"

namespace lpdla::cli {

void add_networks_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("networks", "List the network descriptions");
    auto out = std::make_shared<OutputOptions>();
    auto width = std::make_shared<double>(1.0);
    out->add_to(*cmd);
    cmd->add_option("--width", *width, "Width multiplier applied before counting (WRPN-style)");
    cmd->callback([out, width, &global] {
        nlohmann::json list = nlohmann::json::array();
        std::string table = fmt::format("{:<12} {:<48} {:>7} {:>15} {:>12} {:>9}\n", "name",
                                        "description", "layers", "MACs", "weights", "acc rows");
        std::string csv = "name,display_name,width,layers,macs,weights,accuracy_rows\n";
        for (const auto& name : list_data_names("networks", global.data_dir)) {
            const Network n = load_network_named(name, *width, global);
            list.push_back({{"name", n.name},
                            {"display_name", n.display_name},
                            {"file", n.source_file},
                            {"width", n.width},
                            {"layers", n.layers.size()},
                            {"macs", n.macs()},
                            {"weights", n.weights()},
                            {"input", {n.input.channels, n.input.height, n.input.width}},
                            {"accuracy_rows", n.accuracy.size()}});
            table +=
                fmt::format("{:<12} {:<48} {:>7} {:>15} {:>12} {:>9}\n", n.name, n.display_name,
                            n.layers.size(), n.macs(), n.weights(), n.accuracy.size());
            csv += fmt::format("{},\"{}\",{},{},{},{},{}\n", n.name, n.display_name, n.width,
                               n.layers.size(), n.macs(), n.weights(), n.accuracy.size());
        }
        emit(*out, out->json ? list.dump(2) + "\n" : out->csv ? csv : table);
    });
}

} // namespace lpdla::cli
