#include "lpdla/model/finite.h"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {

void check_finite(const Estimate& e, const Device& device, const Network& network) {
    const auto fail = [&](const std::string& what, double v) {
        const ArchConfig& a = e.arch;
        throw Error(fmt::format(
            "{} = {} is not a finite number: the inputs are outside what the model can represent "
            "(device {} from {}, network {} from {} at width {}, k_vec {} c_vec {} q_vec {} lanes "
            "{} {}/{} at {} MHz, DDR {} GB/s); check the device's clock, bandwidth and "
            "coefficients",
            what, v, device.name, device.source_file.empty() ? "memory" : device.source_file,
            network.name, network.source_file.empty() ? "memory" : network.source_file,
            network.width, a.k_vec, a.c_vec, a.q_vec, a.lanes, a.precision.act_bits,
            to_string(a.precision.weights), a.fmax_mhz, a.ddr_gbps));
    };
    const auto check = [&](const char* what, double v) {
        if (!std::isfinite(v)) fail(what, v);
    };
    const PerfTotals& t = e.totals;
    for (auto [what, v] : {std::pair{"cycles per image", t.cycles_per_image},
                           {"images/s", t.images_per_s},
                           {"latency (ms)", t.latency_ms},
                           {"effective TOPS", t.effective_tops},
                           {"peak TOPS", t.peak_tops},
                           {"PE utilisation", t.pe_utilisation},
                           {"DDR bytes per image", t.ddr_bytes_per_image},
                           {"DDR GB/s required", t.ddr_gbps_required},
                           {"fmax (MHz)", e.arch.fmax_mhz},
                           {"DDR GB/s", e.arch.ddr_gbps},
                           {"power (W)", e.power.total_w()}})
        check(what, v);
    const ResourceCounts& r = e.resources.total;
    for (auto [what, v] : {std::pair{"ALMs", r.alm},
                           {"registers", r.registers},
                           {"DSPs", r.dsp},
                           {"M20Ks", r.m20k},
                           {"MLABs", r.mlab}})
        check(what, v);
    for (const LayerPerf& l : e.layers) {
        const std::string name =
            l.layer_index >= 0 && std::size_t(l.layer_index) < network.layers.size()
                ? network.layers[std::size_t(l.layer_index)].name
                : std::string("?");
        for (auto [what, v] : {std::pair{"cycles per image", l.cycles_per_image},
                               {"DDR bytes per image", l.ddr_bytes_per_image},
                               {"utilisation", l.utilisation}})
            if (!std::isfinite(v)) fail(fmt::format("layer '{}' {}", name, what), v);
    }
}

} // namespace lpdla
