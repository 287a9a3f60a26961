// Sweep inputs: loading the spec's devices and networks once, and the grid's index arithmetic.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/io/data_paths.h"
#include "lpdla/io/json_io.h"

namespace lpdla {

SweepInputs load_sweep_inputs(const SweepSpec& spec, const std::string& data_dir) {
    validate_sweep_spec(spec);
    {
        SweepSpec expanded = spec;
        expand_platform_variants(expanded);
        if (expanded.devices != spec.devices)
            throw Error(fmt::format("sweep spec {}: ddr_gbps / fc_batch lists are set but the "
                                    "devices are not expanded into platform variants (call "
                                    "expand_platform_variants)",
                                    spec.name),
                        ErrorKind::runtime);
    }
    SweepInputs in;
    // A platform variant is its device with per-device knobs: loaded once per sweep, here, so
    // the per-point loop never sees a label.
    for (const auto& d : spec.devices) {
        PlatformLabel label = parse_platform_label(d);
        Device dev = load_device(find_data_file("devices", label.device, data_dir));
        if (label.device != d) dev.display_name += " (" + d.substr(label.device.size() + 1) + ")";
        in.devices.push_back(std::move(dev));
        in.platform.push_back(std::move(label));
    }
    for (const auto& n : spec.networks) {
        const auto path = find_data_file("networks", n, data_dir);
        for (double w : spec.widths) {
            NetworkVariant v;
            Network net = load_network(path, w);
            for (const auto& file : spec.accuracy_files) {
                // A file names its network; rows for another network are not ours to add.
                if (read_json_file(file).value("network", std::string()) != net.name) continue;
                auto rows = load_accuracy_rows(file, net.name);
                net.accuracy.insert(net.accuracy.begin(), rows.begin(), rows.end());
            }
            v.name = n;
            v.width = w;
            v.plan = plan_network(net, /*merge_identical=*/true);
            for (const auto& p : spec.precisions)
                for (std::size_t f = 0; f < spec.first_last_choices(); ++f) {
                    const auto acc = lookup_accuracy(net, p, w, first_last_choice(spec, f));
                    // Another variant's figure is not this network's accuracy: shown, never used
                    // unless the user accepts it.
                    const bool usable =
                        acc && (!acc->other_variant || spec.accept_accuracy_from_variants);
                    v.top1.push_back(usable ? std::optional<double>(acc->top1) : std::nullopt);
                    v.accuracy.push_back(acc);
                }
            in.variants.push_back(std::move(v));
        }
    }
    return in;
}

std::string slot_label(const SweepSpec& spec, std::size_t slot) {
    const std::size_t fl = spec.first_last_choices();
    std::string label = precision_label(spec.precisions[slot / fl]);
    if (!spec.first_last.empty())
        label += " first/last " + first_last_text(spec.first_last[slot % fl]);
    return label;
}

std::optional<Precision> first_last_choice(const SweepSpec& spec, std::size_t first_last) {
    return spec.first_last.empty() ? spec.fixed.first_last : spec.first_last[first_last];
}

GridPoint decode_config_index(const SweepSpec& s, std::uint64_t i) {
    GridPoint g;
    const auto digit = [&i](std::size_t radix) {
        const int d = int(i % radix);
        i /= radix;
        return d;
    };
    g.k_vec = digit(s.k_vec.size());
    g.c_vec = digit(s.c_vec.size());
    g.q_vec = digit(s.q_vec.size());
    g.lanes = digit(s.lanes.size());
    g.mac = digit(s.mac_impl.size());
    g.fold = digit(s.fold_choices());
    g.buffer = digit(s.stream_buffer_choices());
    g.first_last = digit(s.first_last_choices());
    g.fmax = digit(s.fmax_mhz.size());
    g.precision = digit(s.precisions.size());
    g.device = digit(s.devices.size());
    return g;
}

Shard parse_shard(std::string_view text) {
    const auto bad = [&] {
        return Error(
            fmt::format("--shard '{}': write i/N with 0 <= i < N (e.g. 0/4 .. 3/4)", text));
    };
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) throw bad();
    Shard s;
    const auto parse = [&](std::string_view part, std::uint64_t& v) {
        const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (part.empty() || ec != std::errc() || ptr != part.data() + part.size()) throw bad();
    };
    parse(text.substr(0, slash), s.index);
    parse(text.substr(slash + 1), s.count);
    if (s.count == 0 || s.index >= s.count) throw bad();
    return s;
}

} // namespace lpdla
