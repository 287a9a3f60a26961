// Sweep throughput: (configuration x network) evaluations per second, AlexNet and ResNet-34
// separately, on one thread and on all threads. Not a test: numbers depend on the machine.
//
//   ./build/bench_sweep [data_dir] [network ...]   (data_dir "" or absent: $LPDLA_DATA_DIR, then
//                                                   the source tree; networks: AlexNet, ResNet-34)
//
// "engine" runs the real sweep (resources once per configuration, constraints, Pareto and best
// tracking) over one network at width 1, so the resource check is amortised over a single
// network: the least favourable case. "evaluate_plan" times the per-network model call alone
// (one thread). "all / CPU-s" divides by the CPU time the process used, which is the per-core
// rate even when other jobs share the cores; "all / threads" divides wall-clock rate by threads.
// The last lines count heap allocations (support/heap_counter.cpp replaces operator new): the model
// call must make none per design point, and the engine only a few per thousand (front and best
// updates).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/performance.h"
#include "support/heap_counter.h"

namespace {

using clock_type = std::chrono::steady_clock;

lpdla::SweepSpec bench_spec(const std::string& network) {
    lpdla::SweepSpec s = lpdla::default_sweep_spec();
    s.name = "bench";
    s.source = "bench_sweep";
    s.devices = {"stratix10_gx2800"};
    s.networks = {network};
    s.widths = {1};
    s.k_vec = lpdla::parse_int_axis("4:128:4", "k_vec");
    s.c_vec = lpdla::parse_int_axis("4:256:*2", "c_vec");
    s.q_vec = lpdla::parse_int_axis("1:8", "q_vec");
    s.lanes = {1, 2, 4};
    // No caps: every configuration is evaluated, so evaluations/s measures the model.
    s.constraints.caps = {1.0, 1.0, 1.0, 1.0, 1.0};
    return s;
}

// CPU seconds used by the whole process (all threads): rates per CPU second are rates per core,
// and stay meaningful when other work shares the machine.
double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

struct Rate {
    double per_wall_s = 0, per_cpu_s = 0;
};

// Repeats the sweep until at least `min_seconds` have passed.
Rate engine_rate(const lpdla::SweepSpec& s, const lpdla::SweepInputs& in, unsigned threads,
                 double min_seconds) {
    lpdla::SweepOptions o;
    o.threads = threads;
    std::uint64_t evaluated = 0;
    const auto start = clock_type::now();
    const double cpu0 = cpu_seconds();
    double secs = 0;
    do {
        evaluated += lpdla::run_sweep(s, in, o).counts.points_evaluated;
        secs = std::chrono::duration<double>(clock_type::now() - start).count();
    } while (secs < min_seconds);
    return {double(evaluated) / secs, double(evaluated) / (cpu_seconds() - cpu0)};
}

struct PlanRun {
    double per_s = 0;
    std::uint64_t evaluations = 0;
};

// Whole passes over the grid until at least `min_seconds` have passed (0: one pass).
PlanRun evaluate_plan_rate(const lpdla::SweepSpec& s, const lpdla::SweepInputs& in,
                           double min_seconds) {
    lpdla::ArchConfig a = s.fixed;
    a.precision = s.precisions[0];
    const lpdla::Device& dev = in.devices[0];
    const lpdla::ArchConfig base = lpdla::resolve_arch(a, dev);
    double sink = 0;
    std::uint64_t n = 0;
    const auto start = clock_type::now();
    double secs = 0;
    do {
        for (const auto& p : s.precisions)
            for (int k : s.k_vec)
                for (int c : s.c_vec)
                    for (int q : s.q_vec)
                        for (int lanes : s.lanes) {
                            lpdla::ArchConfig r = base;
                            r.precision = p;
                            r.mac_impl = lpdla::resolve_mac_impl(p, lpdla::MacImpl::automatic);
                            r.k_vec = k, r.c_vec = c, r.q_vec = q, r.lanes = lanes;
                            sink += lpdla::evaluate_plan(in.variants[0].plan, r, dev).images_per_s;
                            ++n;
                        }
        secs = std::chrono::duration<double>(clock_type::now() - start).count();
    } while (secs < min_seconds);
    if (sink < 0) std::printf("impossible\n"); // keeps the loop from being optimised away
    return {double(n) / secs, n};
}

} // namespace

int main(int argc, char** argv) {
    const std::string data_dir = argc > 1 ? argv[1] : std::string(); // "" = the usual lookup
    const unsigned all = std::max(1u, std::thread::hardware_concurrency());
    std::printf(
        "bench_sweep: (configuration x network) evaluations per second, hardware threads: %u\n",
        all);
    std::printf("%-9s %15s %15s %15s %15s %15s\n", "network", "evaluate_plan", "engine 1 thr",
                "engine all thr", "all / threads", "all / CPU-s");
    double per_core_sum = 0, per_cpu_sum = 0;
    // Networks after the data directory (`bench_sweep "" resnet50 mobilenet_v2`): the shipped
    // networks' rates side by side (issue 10: none may be more than 2x slower per network).
    std::vector<std::string> nets{"alexnet", "resnet34"};
    if (argc > 2) nets.assign(argv + 2, argv + argc);
    for (const std::string& name : nets) {
        const char* net = name.c_str();
        const lpdla::SweepSpec s = bench_spec(net);
        const lpdla::SweepInputs in = lpdla::load_sweep_inputs(s, data_dir);
        const double raw = evaluate_plan_rate(s, in, 1.0).per_s;
        const Rate one = engine_rate(s, in, 1, 1.5);
        const Rate many = engine_rate(s, in, all, 1.5);
        per_core_sum += many.per_wall_s / all;
        per_cpu_sum += many.per_cpu_s;
        std::printf("%-9s %15.0f %15.0f %15.0f %15.0f %15.0f\n", net, raw, one.per_wall_s,
                    many.per_wall_s, many.per_wall_s / all, many.per_cpu_s);
    }
    std::printf("engine, all threads, mean of the %zu networks: %.0f evaluations/s per core "
                "(wall / threads), %.0f per CPU-second\n",
                nets.size(), per_core_sum / double(nets.size()), per_cpu_sum / double(nets.size()));
    // Issue 14's knob on: every configuration with 8-bit first and last layers (bit-sliced, or
    // unbuildable where the array cannot slice: those are not evaluations).
    for (const std::string& name : nets) {
        lpdla::SweepSpec s = bench_spec(name);
        s.first_last = {lpdla::Precision{8, lpdla::WeightKind::int8}};
        const lpdla::SweepInputs in = lpdla::load_sweep_inputs(s, data_dir);
        const Rate one = engine_rate(s, in, 1, 1.5);
        std::printf("%-9s engine 1 thread with first_last 8/int8: %.0f evaluations/s\n",
                    name.c_str(), one.per_wall_s);
    }

    // Heap allocations per evaluation, ResNet-34 (the larger plan), one pass each.
    const lpdla::SweepSpec s = bench_spec("resnet34");
    const lpdla::SweepInputs in = lpdla::load_sweep_inputs(s, data_dir);
    std::uint64_t before = lpdla_bench::heap_allocations();
    const PlanRun plan_pass = evaluate_plan_rate(s, in, 0.0);
    const std::uint64_t plan_allocs = lpdla_bench::heap_allocations() - before;
    lpdla::SweepOptions o;
    o.threads = 1;
    before = lpdla_bench::heap_allocations();
    const auto r = lpdla::run_sweep(s, in, o);
    const std::uint64_t engine_allocs = lpdla_bench::heap_allocations() - before;
    std::printf("heap allocations: evaluate_plan %llu in %llu evaluations; engine (1 thread) %llu "
                "in %llu evaluations (%.3f per 1000; bests and fronts only)\n",
                static_cast<unsigned long long>(plan_allocs),
                static_cast<unsigned long long>(plan_pass.evaluations),
                static_cast<unsigned long long>(engine_allocs),
                static_cast<unsigned long long>(r.counts.points_evaluated),
                1000.0 * double(engine_allocs) / double(r.counts.points_evaluated));
    return 0;
}
