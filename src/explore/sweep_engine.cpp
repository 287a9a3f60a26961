// The sweep engine: configurations are enumerated by index, their resources checked once per
// device, and the survivors evaluated against every (network, width) plan. Threads take chunks of
// the shard's indices; each reduces into its own accumulators, merged once at the end.
#include <algorithm>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/resources.h"
#include "power_constraints.h"

namespace lpdla {
namespace {

// Configurations per unit of work: large enough that claiming a chunk costs nothing next to
// evaluating it, small enough that threads finish together and progress moves smoothly.
constexpr std::uint64_t chunk_configs = 256;
// Completed chunks waiting for their turn in the --all stream, per thread; bounds memory.
constexpr std::uint64_t stream_window_per_thread = 4;

// The part of a configuration fixed by (device, precision, fmax, MAC choice): resolved once,
// since resolve_arch does not depend on the array shape.
struct Template {
    ArchConfig resolved;
    bool buildable = false; // a DSP mode exists and the MAC choice is not a duplicate
};

struct Engine {
    const SweepSpec& spec;
    const SweepInputs& in;
    const SweepOptions& opt;
    std::vector<Template> templates; // [((device * P + precision) * F + fmax) * M + mac]
    std::uint64_t local_configs = 0; // configurations in this shard

    Engine(const SweepSpec& s, const SweepInputs& i, const SweepOptions& o)
        : spec(s), in(i), opt(o) {
        const std::size_t P = spec.precisions.size(), F = spec.fmax_mhz.size(),
                          M = spec.mac_impl.size();
        templates.resize(spec.devices.size() * P * F * M);
        for (std::size_t d = 0; d < spec.devices.size(); ++d)
            for (std::size_t p = 0; p < P; ++p)
                for (std::size_t f = 0; f < F; ++f)
                    for (std::size_t m = 0; m < M; ++m) {
                        Template& t = templates[((d * P + p) * F + f) * M + m];
                        ArchConfig a = spec.fixed;
                        // A platform variant's knobs (name@ddr19.2@fc8), once per device.
                        if (d < in.platform.size()) {
                            if (in.platform[d].ddr_gbps > 0) a.ddr_gbps = in.platform[d].ddr_gbps;
                            if (in.platform[d].fc_batch > 0) a.fc_batch = in.platform[d].fc_batch;
                        }
                        a.precision = spec.precisions[p];
                        a.fmax_mhz = spec.fmax_mhz[f];
                        a.mac_impl = spec.mac_impl[m];
                        a.k_vec = spec.k_vec[0];
                        a.c_vec = spec.c_vec[0];
                        a.q_vec = spec.q_vec[0];
                        a.lanes = spec.lanes[0];
                        t.resolved = resolve_arch(a, in.devices[d]);
                        // "auto" and an explicit choice can resolve to the same MAC: evaluate once.
                        bool duplicate = false;
                        for (std::size_t e = 0; e < m; ++e)
                            duplicate |= resolve_mac_impl(a.precision, spec.mac_impl[e]) ==
                                         t.resolved.mac_impl;
                        if (duplicate) continue;
                        try {
                            (void)resource_totals(t.resolved, in.devices[d]);
                            t.buildable = true;
                        } catch (const Error&) {
                            t.buildable = false; // no DSP mode covers these operands on this part
                        }
                    }
        const std::uint64_t total = spec.total_configs();
        local_configs =
            total > opt.shard.index ? (total - opt.shard.index - 1) / opt.shard.count + 1 : 0;
    }

    double cost_of(const ResourceCounts& r, const Device& d, double power_w) const {
        const auto frac = [](double used, double avail) { return avail > 0 ? used / avail : 0.0; };
        switch (spec.cost) {
        case CostKind::alm:
            return r.alm;
        case CostKind::dsp:
            return r.dsp;
        case CostKind::m20k:
            return r.m20k;
        case CostKind::power:
            return power_w;
        case CostKind::area:
            break;
        }
        return std::max({frac(r.alm, d.available.alm), frac(r.dsp, d.available.dsp),
                         frac(r.m20k, d.available.m20k)});
    }

    // Cache-line aligned: each thread updates its counters per configuration.
    struct alignas(64) Worker {
        std::vector<GroupAccumulator> acc; // [device * networks + network]
        SweepCounts counts;
        std::string csv;
    };

    void evaluate_config(std::uint64_t g, const GridPoint& gp, Worker& w) const {
        const std::size_t P = spec.precisions.size(), F = spec.fmax_mhz.size(),
                          M = spec.mac_impl.size();
        const Template& t =
            templates[((std::size_t(gp.device) * P + gp.precision) * F + gp.fmax) * M + gp.mac];
        ++w.counts.configs;
        if (!t.buildable) {
            ++w.counts.configs_unbuildable;
            return;
        }
        ArchConfig r = t.resolved;
        r.k_vec = spec.k_vec[gp.k_vec];
        r.c_vec = spec.c_vec[gp.c_vec];
        r.q_vec = spec.q_vec[gp.q_vec];
        r.lanes = spec.lanes[gp.lanes];
        if (!spec.stream_buffer_kib.empty())
            r.stream_buffer_kib = spec.stream_buffer_kib[gp.buffer];
        if (!spec.fold_strides.empty()) r.fold_strides = spec.fold_strides[gp.fold];
        // A first/last precision the array cannot run in its wide_layers mode (e.g. 8-bit on a
        // binary array without the side path) is not a design.
        if (!spec.first_last.empty() && !apply_first_last(r, spec.first_last[gp.first_last])) {
            ++w.counts.configs_unbuildable;
            return;
        }
        const Device& dev = in.devices[gp.device];
        // Resources depend on the configuration and device, except memories sized to each
        // network ("auto"), which only add: reject on the rest before any network.
        const ResourceCounts base = resource_totals(r, dev);
        if (!fits_device(base, dev.available, spec.constraints.caps)) return;
        ++w.counts.configs_fitting;
        const bool auto_buffer = r.stream_buffer_kib == 0, auto_caches = r.filter_cache_depth == 0;
        const bool auto_side_caches = runs_side_path(r) && r.side_filter_cache_depth == 0;

        const std::size_t W = spec.widths.size(), N = spec.networks.size();
        const auto& c = spec.constraints;
        const bool power_early = spec.cost == CostKind::power || c.max_power_w.has_value();
        for (std::size_t n = 0; n < N; ++n) {
            GroupAccumulator& acc = w.acc[std::size_t(gp.device) * N + n];
            std::uint64_t feasible = 0;
            for (std::size_t wi = 0; wi < W; ++wi) {
                const NetworkVariant& v = in.variants[n * W + wi];
                ArchConfig rv = r;
                ResourceCounts res = base;
                // Auto memories (size_memories in one pass): the buffer from the plan's live
                // set; the caches from the deepest filter evaluate_plan meets, so an unbounded
                // depth until then (an auto cache never overflows).
                if (auto_buffer) rv.stream_buffer_kib = stream_buffer_kib_needed(v.plan, rv);
                if (auto_caches) rv.filter_cache_depth = std::numeric_limits<int>::max();
                if (auto_side_caches) rv.side_filter_cache_depth = std::numeric_limits<int>::max();
                const PerfTotals perf = evaluate_plan(v.plan, rv, dev);
                if (auto_buffer || auto_caches || auto_side_caches) {
                    if (auto_caches) {
                        rv.filter_cache_depth = int(perf.filter_words_needed);
                        res += filter_cache_resources(rv, dev);
                    }
                    if (auto_side_caches) {
                        rv.side_filter_cache_depth = int(perf.side_filter_words_needed);
                        res += side_filter_cache_resources(rv, dev);
                    }
                    if (auto_buffer) res += stream_buffer_resources(rv, dev);
                    if (!fits_device(res, dev.available, c.caps)) continue;
                }
                if (perf.images_per_s < c.min_images_per_s) continue;
                if (c.max_latency_ms && perf.latency_ms > *c.max_latency_ms) continue;
                const std::size_t slot =
                    accuracy_slot(spec, std::size_t(gp.precision), std::size_t(gp.first_last));
                const std::optional<double>& top1 = v.top1[slot];
                // An unknown top-1 never passes a minimum (library callers included).
                if (!top1 && (c.require_known_top1 || c.min_top1)) continue;
                if (top1 && c.min_top1 && *top1 < *c.min_top1) continue;
                // Power is only needed this early when it constrains or is the cost.
                double power = power_early ? sweep_point_power_w(rv, dev, res, perf) : NAN;
                if (c.max_power_w && !(power <= *c.max_power_w)) continue;
                ++feasible;
                const Objectives obj{perf.images_per_s, top1 ? *top1 : NAN,
                                     cost_of(res, dev, power), g * W + wi};
                if (!opt.all_points_sink &&
                    !acc.wants(obj, perf.effective_tops, slot, std::uint32_t(wi)))
                    continue;
                if (!power_early) power = sweep_point_power_w(rv, dev, res, perf);
                SweepPoint p;
                p.obj = obj;
                p.config_index = g;
                p.device = std::uint32_t(gp.device);
                p.network = std::uint32_t(n);
                p.width = std::uint32_t(wi);
                p.precision = std::uint32_t(gp.precision);
                p.first_last = std::uint32_t(gp.first_last);
                p.config = rv;
                p.latency_ms = perf.latency_ms;
                p.latency_ms_batched = perf.latency_ms_batched;
                p.images_per_s_batch1 = perf.images_per_s_batch1;
                p.effective_tops = perf.effective_tops;
                p.peak_tops = perf.peak_tops;
                p.pe_utilisation = perf.pe_utilisation;
                p.ddr_gbps_required = perf.ddr_gbps_required;
                p.power_w = power;
                p.resources = res;
                acc.add(p);
                if (opt.all_points_sink) append_point_csv(w.csv, spec, p);
            }
            acc.count(W, feasible);
            w.counts.points_evaluated += W;
            w.counts.points_feasible += feasible;
        }
    }

    // Adds `step` to a grid position digit by digit (k_vec fastest), the odometer equivalent of
    // decode_config_index(g + step) without its eight divisions per configuration.
    void advance(GridPoint& gp, std::uint64_t step) const {
        int* digits[] = {&gp.k_vec,  &gp.c_vec,      &gp.q_vec, &gp.lanes,     &gp.mac,   &gp.fold,
                         &gp.buffer, &gp.first_last, &gp.fmax,  &gp.precision, &gp.device};
        const std::size_t radix[] = {spec.k_vec.size(),
                                     spec.c_vec.size(),
                                     spec.q_vec.size(),
                                     spec.lanes.size(),
                                     spec.mac_impl.size(),
                                     spec.fold_choices(),
                                     spec.stream_buffer_choices(),
                                     spec.first_last_choices(),
                                     spec.fmax_mhz.size(),
                                     spec.precisions.size(),
                                     spec.devices.size()};
        std::uint64_t carry = step;
        for (std::size_t i = 0; i < std::size(radix) && carry; ++i) {
            const std::uint64_t v = std::uint64_t(*digits[i]) + carry;
            if (v < radix[i]) {
                *digits[i] = int(v);
                return;
            }
            *digits[i] = int(v % radix[i]);
            carry = v / radix[i];
        }
    }

    void run_chunk(std::uint64_t chunk, Worker& w) const {
        const std::uint64_t lo = chunk * chunk_configs;
        const std::uint64_t hi = std::min(local_configs, lo + chunk_configs);
        std::uint64_t g = opt.shard.index + lo * opt.shard.count;
        GridPoint gp = decode_config_index(spec, g);
        for (std::uint64_t j = lo; j < hi; ++j, g += opt.shard.count) {
            evaluate_config(g, gp, w);
            if (j + 1 < hi) advance(gp, opt.shard.count);
        }
        if (opt.control) opt.control->configs_done.fetch_add(hi - lo, std::memory_order_relaxed);
    }
};

bool stop_requested(const SweepOptions& o) {
    return o.control && o.control->stop.load(std::memory_order_relaxed);
}

} // namespace

SweepResult run_sweep(const SweepSpec& spec, const SweepInputs& in, const SweepOptions& opt) {
    validate_sweep_spec(spec);
    check_sweep_power_supported(spec);
    if (in.devices.size() != spec.devices.size() ||
        in.variants.size() != spec.networks.size() * spec.widths.size())
        throw Error("run_sweep: inputs do not match the spec (use load_sweep_inputs)",
                    ErrorKind::runtime);
    if (opt.shard.count == 0 || opt.shard.index >= opt.shard.count)
        throw Error(fmt::format("shard {}/{}: need 0 <= i < N", opt.shard.index, opt.shard.count));
    const Engine engine(spec, in, opt);
    const std::uint64_t chunks = (engine.local_configs + chunk_configs - 1) / chunk_configs;
    unsigned threads =
        opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = unsigned(std::max<std::uint64_t>(1, std::min<std::uint64_t>(threads, chunks)));

    std::vector<Engine::Worker> workers(threads);
    for (auto& w : workers)
        for (std::size_t d = 0; d < spec.devices.size(); ++d)
            for (std::size_t n = 0; n < spec.networks.size(); ++n)
                w.acc.emplace_back(std::uint32_t(d), std::uint32_t(n),
                                   spec.precisions.size() * spec.first_last_choices(),
                                   spec.widths.size(), spec.first_last_choices());

    // Chunks are claimed in order; with a sink, finished chunks are written strictly in order so
    // the --all file is identical for any thread count, and a claim waits while too many
    // finished chunks are queued (memory stays bounded by the window, not the grid).
    std::mutex mutex;
    std::condition_variable cv;
    std::uint64_t next_claim = 0, next_commit = 0;
    std::map<std::uint64_t, std::string> pending;
    const std::uint64_t window = stream_window_per_thread * threads;
    const bool streaming = bool(opt.all_points_sink);

    const auto work = [&](Engine::Worker& w) {
        for (;;) {
            std::uint64_t chunk;
            {
                std::unique_lock lock(mutex);
                if (streaming)
                    cv.wait(lock, [&] {
                        return next_claim < next_commit + window || stop_requested(opt);
                    });
                if (next_claim >= chunks || stop_requested(opt)) return;
                chunk = next_claim++;
            }
            engine.run_chunk(chunk, w);
            if (!streaming) continue;
            std::unique_lock lock(mutex);
            pending.emplace(chunk, std::move(w.csv));
            w.csv = std::string();
            for (auto it = pending.find(next_commit); it != pending.end();
                 it = pending.find(next_commit)) {
                if (!stop_requested(opt)) opt.all_points_sink(it->second);
                pending.erase(it);
                ++next_commit;
            }
            cv.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(workers[t]));
    work(workers[0]);
    for (auto& t : pool) t.join();

    SweepResult result;
    result.spec = spec;
    result.shard = opt.shard;
    for (std::size_t t = 1; t < workers.size(); ++t)
        for (std::size_t gi = 0; gi < workers[0].acc.size(); ++gi)
            workers[0].acc[gi].absorb(workers[t].acc[gi]);
    for (const auto& w : workers) result.counts += w.counts;
    for (const auto& a : workers[0].acc) result.groups.push_back(a.finish());
    return result;
}

} // namespace lpdla
