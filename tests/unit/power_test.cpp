// Power model properties: static only at zero activity, monotone in every resource and in the
// clock, linear in DDR traffic; and the estimate report carries the power fields.
#include <gtest/gtest.h>

#include "lpdla/model/estimate.h"
#include "lpdla/model/power.h"
#include "test_support.h"

namespace lpdla {
namespace {

const ResourceCounts typical{200'000, 400'000, 1'000, 2'000, 0};

TEST(Power, ZeroActivityAndNoTrafficLeavesStaticOnly) {
    for (const char* name : {"arria10_gx1150", "stratix10_gx2800", "cyclone10_gx220"}) {
        const Device d = test::device(name);
        const PowerBreakdown p = estimate_power(typical, d, 300, 0, 0.0);
        EXPECT_DOUBLE_EQ(p.dynamic_w(), 0) << name;
        EXPECT_DOUBLE_EQ(p.total_w(), d.power.static_w) << name;
    }
}

TEST(Power, DefaultActivityComesFromTheDevice) {
    const Device d = test::device("arria10_gx1150");
    EXPECT_DOUBLE_EQ(estimate_power(typical, d, 300, 0).activity, d.power.default_activity);
}

TEST(Power, MonotoneInEachResourceAndInTheClock) {
    const Device d = test::device("arria10_gx1150");
    const double base = estimate_power(typical, d, 300, 1e9).total_w();
    for (double ResourceCounts::*field : {&ResourceCounts::alm, &ResourceCounts::registers,
                                          &ResourceCounts::dsp, &ResourceCounts::m20k}) {
        ResourceCounts more = typical;
        more.*field *= 1.5;
        EXPECT_GT(estimate_power(more, d, 300, 1e9).total_w(), base);
    }
    double prev = 0;
    for (double f : {100.0, 200.0, 300.0, 400.0}) {
        const double w = estimate_power(typical, d, f, 1e9).total_w();
        EXPECT_GT(w, prev);
        prev = w;
    }
    // Dynamic power is proportional to the clock (CV^2f at fixed activity).
    EXPECT_NEAR(estimate_power(typical, d, 400, 0).dynamic_w(),
                2 * estimate_power(typical, d, 200, 0).dynamic_w(), 1e-9);
}

TEST(Power, DdrEnergyPerByte) {
    const Device d = test::device("arria10_gx1150");
    const double gbps = 10e9;
    EXPECT_NEAR(estimate_power({}, d, 300, gbps, 0).ddr_w, d.power.ddr_pj_per_byte * 1e-12 * gbps,
                1e-12);
}

TEST(Power, EstimateCarriesPowerAndEfficiency) {
    const Device d = test::device("arria10_gx1150");
    const Network n = test::network("alexnet");
    ArchConfig a;
    a.precision = {8, WeightKind::int8};
    const Estimate e = estimate(d, n, a);
    EXPECT_GT(e.power.total_w(), d.power.static_w);
    const PowerBreakdown direct =
        estimate_power(e.resources.total, d, e.arch.fmax_mhz,
                       e.totals.ddr_bytes_per_image * e.totals.images_per_s);
    EXPECT_DOUBLE_EQ(e.power.total_w(), direct.total_w());
    EXPECT_DOUBLE_EQ(per_watt(5, 0), 0);
}

TEST(Power, ReportPrintsPowerFields) {
    const auto r = test::run_cli("estimate --device arria10_gx1150 --network alexnet --json");
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* key :
         {"\"power_w\"", "\"images_per_s_per_w\"", "\"tops_per_w\"", "\"static_w\""})
        EXPECT_NE(r.out.find(key), std::string::npos) << key;
}

} // namespace
} // namespace lpdla
