#include "lpdla/model/arch.h"

#include <algorithm>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {

std::string arch_problem(const ArchConfig& a) {
    const auto range = [](const char* name, long long v, long long lo, long long hi) {
        return (v < lo || v > hi)
                   ? fmt::format("{} = {} is out of range: valid is {}..{}", name, v, lo, hi)
                   : std::string();
    };
    for (auto problem :
         {range("k_vec", a.k_vec, 1, 4096), range("c_vec", a.c_vec, 1, 1024),
          range("q_vec", a.q_vec, 1, 64), range("lanes", a.lanes, 1, 64),
          range("fc_batch", a.fc_batch, 1, 4096),
          range("stream_buffer_kib", a.stream_buffer_kib, 0, 1 << 20),
          range("filter_cache_depth", a.filter_cache_depth, 0, 1 << 20),
          range("accumulation_terms_log2", a.accumulation_terms_log2, 0, 40),
          range("side_k_vec", a.side_k_vec, 0, 4096), range("side_c_vec", a.side_c_vec, 0, 1024),
          range("wide_act_bits", a.wide_act_bits, 0, 32),
          range("wide_weight_bits", a.wide_weight_bits, 0, 32),
          range("side_filter_cache_depth", a.side_filter_cache_depth, 0, 1 << 20)})
        if (!problem.empty()) return problem;
    if (!(a.fmax_mhz >= 0) || a.fmax_mhz > 2000)
        return fmt::format("fmax_mhz = {} is out of range: valid is 0 (device default) or up to "
                           "2000 MHz",
                           a.fmax_mhz);
    if (!(a.ddr_gbps >= 0) || a.ddr_gbps > 100000)
        return fmt::format("ddr_gbps = {} is out of range: valid is 0 (board default) or a "
                           "positive GB/s",
                           a.ddr_gbps);
    if (auto problem = precision_problem(a.precision); !problem.empty()) return problem;
    if (a.first_last) {
        if (auto problem = precision_problem(*a.first_last); !problem.empty())
            return "first_last: " + problem;
        if (*a.first_last != a.precision) {
            auto problem = wide_layer_problem(*a.first_last, a);
            if (!problem.empty()) return "first_last: " + problem;
        }
    }
    return "";
}

bool apply_first_last(ArchConfig& r, const std::optional<Precision>& first_last) {
    r.first_last = first_last;
    // The first and last layers are in every network: their width is known before any plan.
    if (!first_last || bit_slice_passes(*first_last, r.precision) == 1) return true;
    if (!wide_layer_problem(*first_last, r).empty()) return false;
    r.wide_act_bits = std::max(r.wide_act_bits, first_last->act_bits);
    r.wide_weight_bits = std::max(r.wide_weight_bits, signed_weight_bits(first_last->weights));
    return true;
}

std::string wide_layer_problem(const Precision& layer, const ArchConfig& a) {
    return a.wide_layers == WideLayerMode::dsp_side_path ? side_path_problem(layer)
                                                         : bit_slice_problem(layer, a.precision);
}

bool runs_side_path(const ArchConfig& a) {
    return a.wide_layers == WideLayerMode::dsp_side_path &&
           ((a.first_last && *a.first_last != a.precision) || a.wide_act_bits > 0);
}

ArchConfig resolve_arch(const ArchConfig& arch, const Device& device) {
    if (auto problem = arch_problem(arch); !problem.empty()) throw Error(problem);
    ArchConfig r = arch;
    if (r.fmax_mhz == 0) r.fmax_mhz = device.default_fmax_mhz;
    if (r.ddr_gbps == 0) r.ddr_gbps = device.ddr_gbps_peak();
    r.mac_impl = resolve_mac_impl(r.precision, r.mac_impl);
    if (r.side_k_vec == 0) r.side_k_vec = r.k_vec;
    if (r.side_c_vec == 0) r.side_c_vec = r.c_vec;
    apply_first_last(r, r.first_last);
    if (auto limit = fmax_limit(r, device); r.fmax_mhz > limit.mhz)
        throw Error(fmt::format("fmax_mhz = {} exceeds {} of {} ({} MHz, device file {}); valid is "
                                "up to {} MHz",
                                r.fmax_mhz, limit.what, device.name, limit.mhz,
                                device.source_file.empty() ? device.name : device.source_file,
                                limit.mhz));
    return r;
}

FmaxLimit fmax_limit(const ArchConfig& resolved, const Device& device) {
    // The stream buffer always sits in M20K; MLABs and DSPs bound the clock only when used, and
    // mac_impl tells whether the products are on DSPs (resources decide MLAB use: shallow caches).
    FmaxLimit limit{device.m20k.fmax_mhz, "the M20K block limit"};
    if (limit.mhz <= 0) limit = {1e9, "no stated limit"};
    if (device.mlab.fmax_mhz > 0 && device.mlab.fmax_mhz < limit.mhz)
        limit = {device.mlab.fmax_mhz, "the MLAB block limit"};
    const bool dsp = resolved.mac_impl == MacImpl::dsp || runs_side_path(resolved);
    if (dsp && device.clock_limits.dsp_fmax_mhz > 0 && device.clock_limits.dsp_fmax_mhz < limit.mhz)
        limit = {device.clock_limits.dsp_fmax_mhz, "the DSP block limit"};
    return limit;
}

int multipliers_per_pe(const ArchConfig& r) {
    return r.c_vec * (uses_winograd(r.precision, r.mac_impl, r.q_vec) ? r.q_vec + 2 : r.q_vec);
}

std::int64_t stream_buffer_bits(const ArchConfig& r) {
    return std::int64_t(r.stream_buffer_kib) * 8192;
}

double peak_macs_per_cycle(const ArchConfig& r) {
    const int taps = uses_winograd(r.precision, r.mac_impl, r.q_vec) ? 3 : 1;
    return double(r.k_vec) * r.c_vec * r.q_vec * r.lanes * taps;
}

} // namespace lpdla
