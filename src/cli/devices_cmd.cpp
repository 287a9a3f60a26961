// `lpdla devices`: the shipped FPGA descriptions with their headline resources.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"
#include "lpdla/report/estimate_report.h"

namespace lpdla::cli {

void add_devices_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("devices", "List the FPGA device descriptions");
    auto out = std::make_shared<OutputOptions>();
    out->add_to(*cmd);
    cmd->callback([out, &global] {
        nlohmann::json list = nlohmann::json::array();
        std::string table = fmt::format("{:<18} {:<42} {:>9} {:>6} {:>6} {:>6} {:>9}\n", "name",
                                        "part", "ALM", "DSP", "M20K", "MHz", "DDR GB/s");
        std::string csv =
            "name,display_name,family,alm,dsp,m20k,default_fmax_mhz,ddr_gbps,estimated\n";
        for (const auto& name : list_data_names("devices", global.data_dir)) {
            const Device d = load_device_named(name, global);
            list.push_back({{"name", d.name},
                            {"display_name", d.display_name},
                            {"family", d.family},
                            {"file", d.source_file},
                            {"available", resources_to_json(d.available)},
                            {"default_fmax_mhz", d.default_fmax_mhz},
                            {"ddr_gbps", d.ddr_gbps_peak()},
                            {"board", d.board.name},
                            {"estimated_counts", d.has_estimated_counts}});
            table += fmt::format("{:<18} {:<42} {:>9.0f} {:>6.0f} {:>6.0f} {:>6.0f} {:>9.1f}{}\n",
                                 d.name, d.display_name, d.available.alm, d.available.dsp,
                                 d.available.m20k, d.default_fmax_mhz, d.ddr_gbps_peak(),
                                 d.has_estimated_counts ? "  (some counts estimated)" : "");
            csv += fmt::format("{},\"{}\",{},{},{},{},{},{},{}\n", d.name, d.display_name, d.family,
                               d.available.alm, d.available.dsp, d.available.m20k,
                               d.default_fmax_mhz, d.ddr_gbps_peak(), d.has_estimated_counts);
        }
        emit(*out, out->json ? list.dump(2) + "\n" : out->csv ? csv : table);
    });
}

} // namespace lpdla::cli
