// Constraint tally (include/lpdla/explore/constraint_tally.h): the engine's decisions replayed
// point by point, with a counter per constraint instead of a reduction.
#include "lpdla/explore/constraint_tally.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/resources.h"
#include "power_constraints.h"

namespace lpdla {

ConstraintTally& ConstraintTally::operator+=(const ConstraintTally& o) {
    configs += o.configs;
    configs_unbuildable += o.configs_unbuildable;
    points += o.points;
    resource_caps += o.resource_caps;
    min_images_per_s += o.min_images_per_s;
    max_latency_ms += o.max_latency_ms;
    top1_unknown += o.top1_unknown;
    top1_other_variant += o.top1_other_variant;
    min_top1 += o.min_top1;
    max_power_w += o.max_power_w;
    feasible += o.feasible;
    return *this;
}

namespace {

// The configuration of grid point g, resolved as the engine resolves it; nullopt when the engine
// would not build it (no DSP mode, or a MAC choice that duplicates an earlier one).
std::optional<ArchConfig> resolved_config(const SweepSpec& s, const SweepInputs& in,
                                          const GridPoint& g) {
    ArchConfig a = s.fixed;
    if (std::size_t(g.device) < in.platform.size()) {
        const PlatformLabel& p = in.platform[std::size_t(g.device)];
        if (p.ddr_gbps > 0) a.ddr_gbps = p.ddr_gbps;
        if (p.fc_batch > 0) a.fc_batch = p.fc_batch;
    }
    a.precision = s.precisions[std::size_t(g.precision)];
    a.fmax_mhz = s.fmax_mhz[std::size_t(g.fmax)];
    a.mac_impl = s.mac_impl[std::size_t(g.mac)];
    a.k_vec = s.k_vec[std::size_t(g.k_vec)];
    a.c_vec = s.c_vec[std::size_t(g.c_vec)];
    a.q_vec = s.q_vec[std::size_t(g.q_vec)];
    a.lanes = s.lanes[std::size_t(g.lanes)];
    const Device& dev = in.devices[std::size_t(g.device)];
    ArchConfig r = resolve_arch(a, dev);
    if (!s.stream_buffer_kib.empty())
        r.stream_buffer_kib = s.stream_buffer_kib[std::size_t(g.buffer)];
    if (!s.fold_strides.empty()) r.fold_strides = s.fold_strides[std::size_t(g.fold)];
    if (!s.first_last.empty() && !apply_first_last(r, s.first_last[std::size_t(g.first_last)]))
        return std::nullopt;
    for (int e = 0; e < g.mac; ++e)
        if (resolve_mac_impl(a.precision, s.mac_impl[std::size_t(e)]) == r.mac_impl)
            return std::nullopt;
    try {
        (void)resource_totals(r, dev);
    } catch (const Error&) {
        return std::nullopt;
    }
    return r;
}

void tally_config(const SweepSpec& s, const SweepInputs& in, std::uint64_t index,
                  ConstraintTally& t) {
    ++t.configs;
    const GridPoint g = decode_config_index(s, index);
    const auto r = resolved_config(s, in, g);
    if (!r) {
        ++t.configs_unbuildable;
        return;
    }
    const Device& dev = in.devices[std::size_t(g.device)];
    const auto& c = s.constraints;
    const std::size_t W = s.widths.size(), N = s.networks.size();
    t.points += N * W;
    const ResourceCounts base = resource_totals(*r, dev);
    if (!fits_device(base, dev.available, c.caps)) {
        t.resource_caps += N * W;
        return;
    }
    const bool drop_unknown = c.require_known_top1 || c.min_top1.has_value();
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t w = 0; w < W; ++w) {
            const NetworkVariant& v = in.variants[n * W + w];
            // Memories sized to the network as the engine sizes them (size_memories' result).
            const ArchConfig rv = size_memories(*r, v.plan);
            ResourceCounts res = base;
            if (r->filter_cache_depth == 0) res += filter_cache_resources(rv, dev);
            if (r->stream_buffer_kib == 0) res += stream_buffer_resources(rv, dev);
            if (runs_side_path(*r) && r->side_filter_cache_depth == 0)
                res += side_filter_cache_resources(rv, dev);
            const PerfTotals perf = evaluate_plan(v.plan, rv, dev);
            if (!fits_device(res, dev.available, c.caps)) {
                ++t.resource_caps;
                continue;
            }
            if (perf.images_per_s < c.min_images_per_s) {
                ++t.min_images_per_s;
                continue;
            }
            if (c.max_latency_ms && perf.latency_ms > *c.max_latency_ms) {
                ++t.max_latency_ms;
                continue;
            }
            const std::size_t slot =
                accuracy_slot(s, std::size_t(g.precision), std::size_t(g.first_last));
            const auto& top1 = v.top1[slot];
            if (!top1 && drop_unknown) {
                ++t.top1_unknown;
                const auto& row = v.accuracy.size() > slot ? v.accuracy[slot] : std::nullopt;
                if (row) ++t.top1_other_variant;
                continue;
            }
            if (top1 && c.min_top1 && *top1 < *c.min_top1) {
                ++t.min_top1;
                continue;
            }
            if (c.max_power_w && !(sweep_point_power_w(rv, dev, res, perf) <= *c.max_power_w)) {
                ++t.max_power_w;
                continue;
            }
            ++t.feasible;
        }
}

std::string count(std::uint64_t n) {
    // 1234567 -> "1,234,567": counts in messages are read, not parsed.
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

ConstraintTally tally_constraints(const SweepSpec& spec, const SweepInputs& in, const Shard& shard,
                                  unsigned threads) {
    validate_sweep_spec(spec);
    const std::uint64_t total = spec.total_configs();
    const std::uint64_t local =
        total > shard.index ? (total - shard.index - 1) / shard.count + 1 : 0;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = unsigned(std::max<std::uint64_t>(1, std::min<std::uint64_t>(threads, local)));
    std::vector<ConstraintTally> parts(threads);
    // Thread t takes every threads-th configuration of the shard: the tally is a sum, so the
    // split does not change it.
    const auto work = [&](unsigned t) {
        for (std::uint64_t j = t; j < local; j += threads)
            tally_config(spec, in, shard.index + j * shard.count, parts[t]);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    ConstraintTally sum;
    for (const auto& p : parts) sum += p;
    return sum;
}

std::string describe_tally(const ConstraintTally& t) {
    std::string out = fmt::format("{} points ({} configurations x networks x widths",
                                  count(t.points), count(t.configs - t.configs_unbuildable));
    if (t.configs_unbuildable)
        out += fmt::format("; {} configurations not buildable on their device",
                           count(t.configs_unbuildable));
    out += ")";
    const struct {
        const char* name;
        std::uint64_t n;
    } rows[] = {{"resource caps", t.resource_caps}, {"min images/s", t.min_images_per_s},
                {"max latency", t.max_latency_ms},  {"top-1 unknown", t.top1_unknown},
                {"min top-1", t.min_top1},          {"max power", t.max_power_w}};
    for (const auto& r : rows)
        if (r.n) out += fmt::format("; {} removed {}", r.name, count(r.n));
    out += fmt::format("; {} feasible", count(t.feasible));
    return out;
}

std::string top1_exclusion_note(const ConstraintTally& t) {
    if (t.top1_unknown == 0) return {};
    std::string out = fmt::format("{} designs excluded: top-1 unknown", count(t.top1_unknown));
    if (t.top1_other_variant)
        out += fmt::format(" ({} of them have a row measured on another variant of the network "
                           "only; --accept-accuracy-from-variants uses it)",
                           count(t.top1_other_variant));
    return out;
}

} // namespace lpdla
