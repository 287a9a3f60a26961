// `lpdla tradeoff`: the precision x width exploration of the seed paper: for each precision pair
// and width multiplier, the best configuration the model finds on one device for one network.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.h"
#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/validate/validate.h"

namespace lpdla::cli {

void add_tradeoff_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand(
        "tradeoff", "Best images/s, TOPS, resources, power and top-1 per precision x width");
    struct Options {
        std::string device = "arria10_gx1150", network = "alexnet", config;
        std::vector<std::string> precisions, accuracy;
        std::vector<double> widths;
    };
    auto opts = std::make_shared<Options>();
    auto out = std::make_shared<OutputOptions>();
    cmd->add_option("--device", opts->device, "Device name or JSON path (default arria10_gx1150)");
    cmd->add_option("--network", opts->network, "Network name or JSON path (default alexnet)");
    cmd->add_option("--precision", opts->precisions,
                    "Precision A/W, repeatable (default: 2/ternary 2/binary 4/ternary 4/int4 "
                    "8/int8 16/bfp16)");
    cmd->add_option("--width", opts->widths, "Width multiplier, repeatable (default: 1 2 3)");
    cmd->add_option("--config", opts->config,
                    "Fixed knobs (lpdla.config/1) for every row, e.g. fmax_mhz, fold_strides; the "
                    "array shape is searched");
    cmd->add_option("--accuracy", opts->accuracy,
                    "Extra accuracy rows (lpdla.accuracy/1), repeatable");
    out->add_to(*cmd);
    cmd->callback([opts, out, &global] {
        if (out->csv) throw Error("tradeoff: --csv is not supported; use --json", ErrorKind::usage);
        std::vector<Precision> precisions;
        for (const auto& p : opts->precisions)
            precisions.push_back(parse_precision(p, "--precision"));
        if (precisions.empty()) precisions = tradeoff_precisions();
        std::vector<double> widths = opts->widths.empty() ? tradeoff_widths() : opts->widths;
        for (double w : widths)
            if (!(w > 0)) throw Error(fmt::format("--width {}: must be positive", w));
        ArchConfig base;
        if (!opts->config.empty()) base = load_config(opts->config).arch;
        const Device device = load_device_named(opts->device, global);
        const std::vector<std::filesystem::path> acc(opts->accuracy.begin(), opts->accuracy.end());
        auto load = [&](double w) {
            Network n = load_network_named(opts->network, w, global);
            add_user_accuracy(n, acc);
            return n;
        };
        const Network net1 = load(1.0);
        const auto rows = tradeoff_table(device, load, base, precisions, widths);
        if (out->json)
            emit(*out, tradeoff_to_json(device, net1, rows).dump(2) + "\n");
        else
            emit(*out, tradeoff_to_markdown(device, net1, rows));
    });
}

} // namespace lpdla::cli
