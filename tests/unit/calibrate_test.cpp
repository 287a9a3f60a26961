// lpdla calibrate's two fits on hand-made points whose answers are worked out by hand: the
// busy-cycle residual (relative least squares in cycles, bounded) and the fabric dynamic power
// scale (relative least squares in watts, at the fitted residual), with leave-one-out rows.
#include <gtest/gtest.h>

#include "lpdla/model/power.h"
#include "lpdla/validate/calibrate.h"
#include "test_support.h"

namespace lpdla {
namespace {

// 100 MHz; published images/s -> measured cycles = 1e8 / images/s.
CalibrationPoint timing(const char* id, double published, double base, double invocations) {
    CalibrationPoint p;
    p.case_id = id;
    p.published_images_per_s = published;
    p.fmax_mhz = 100;
    p.base_cycles = base;
    p.invocations = invocations;
    return p;
}

PowerCalibrationPoint power(const char* id, double published_w, double static_w, double dynamic_w,
                            double ddr_j, const CalibrationPoint& t) {
    PowerCalibrationPoint p;
    p.case_id = id;
    p.published_w = published_w;
    p.static_w = static_w;
    p.dynamic_w_unscaled = dynamic_w;
    p.ddr_joules_per_image = ddr_j;
    p.timing = t;
    return p;
}

TEST(Calibrate, ConsistentPointsGiveTheirCommonResidualAndScale) {
    // A: 1e6 measured cycles = 950,000 + 0.1 x 500,000; B: 2e6 = 1.9e6 + 0.1 x 1e6.
    const auto a = timing("a", 100, 950'000, 500'000);
    const auto b = timing("b", 50, 1'900'000, 1'000'000);
    // At 100 and 50 img/s, 0.02 and 0.04 J/image are 2 W of DDR each:
    // 10 + 2 + 14 s = 40 and 8 + 2 + 10 s = 30 both give s = 2.
    const auto fit = fit_calibration(
        {a, b}, 0.10, {power("a", 40, 10, 14, 0.02, a), power("b", 30, 8, 10, 0.04, b)});
    EXPECT_NEAR(fit.residual_fraction, 0.1, 1e-12);
    EXPECT_NEAR(fit.dynamic_power_scale, 2.0, 1e-12);
    ASSERT_EQ(fit.power_rows.size(), 2u);
    for (const auto& r : fit.power_rows) {
        EXPECT_NEAR(r.in_sample_error, 0, 1e-12);
        ASSERT_TRUE(r.loo_error);
        EXPECT_NEAR(*r.loo_error, 0, 1e-12);
    }
    EXPECT_NEAR(fit.rows[0].calibrated_share, 50'000.0 / 1e6, 1e-12);
}

TEST(Calibrate, DisagreeingPointsSplitTheDifference) {
    // Alone, A wants residual 0.1 and B 0.2 (1.8e6 + 0.2 x 1e6 = 2e6). Relative least squares:
    // columns 0.5 and 0.5, targets 0.05 and 0.1, so x = 0.075 / 0.5 = 0.15 (below the bound
    // min(0.1/0.9 x 1.9, 0.1/0.9 x 1.8) = 0.2).
    const auto a = timing("a", 100, 950'000, 500'000);
    const auto b = timing("b", 50, 1'800'000, 1'000'000);
    // Power: at residual 0.15 A runs 1e8 / 1.025e6 = 97.561 img/s, B 1e8 / 1.95e6 = 51.282; with
    // no DDR term the scale is (0.35 x 0.7 + 0.25 x 0.75) / (0.35^2 + 0.25^2) = 0.4325 / 0.185.
    const auto fit =
        fit_calibration({a, b}, 0.10, {power("a", 40, 12, 14, 0, a), power("b", 40, 10, 10, 0, b)});
    EXPECT_NEAR(fit.residual_fraction, 0.15, 1e-12);
    EXPECT_NEAR(fit.rows[0].in_sample_images_per_s, 1e8 / 1.025e6, 1e-9);
    EXPECT_NEAR(fit.rows[0].loo_residual_fraction, 0.2, 1e-12);    // B alone
    EXPECT_NEAR(fit.rows[0].loo_images_per_s, 1e8 / 1.05e6, 1e-9); // -4.76 %
    EXPECT_NEAR(fit.rows[1].loo_residual_fraction, 0.1, 1e-12);    // A alone
    const double s = 0.4325 / 0.185;
    EXPECT_NEAR(fit.dynamic_power_scale, s, 1e-12);
    EXPECT_NEAR(fit.power_rows[0].in_sample_w, 12 + 14 * s, 1e-9); // +11.8 %
    ASSERT_TRUE(fit.power_rows[0].loo_w);
    EXPECT_NEAR(*fit.power_rows[0].loo_w, 12 + 14 * 3.0, 1e-9); // B alone: s = 3, +35 %
    EXPECT_NEAR(*fit.power_rows[0].loo_error, 54.0 / 40 - 1, 1e-12);
}

TEST(Calibrate, ResidualIsBoundedByItsShareOfCycles) {
    // Alone, A wants 0.5 (1e6 = 750,000 + 0.5 x 500,000), but a residual may take at most 10 %
    // of the case's cycles: 0.1 / 0.9 x 750,000 / 500,000 = 1/6.
    const auto fit = fit_calibration({timing("a", 100, 750'000, 500'000)}, 0.10);
    EXPECT_NEAR(fit.unclamped_fraction, 0.5, 1e-12);
    EXPECT_NEAR(fit.residual_fraction, 1.0 / 6, 1e-12);
    EXPECT_NEAR(fit.rows[0].calibrated_share, 0.10, 1e-12);
    EXPECT_DOUBLE_EQ(fit.dynamic_power_scale, 1.0); // no power figure: the coefficients stand
    EXPECT_TRUE(fit.power_rows.empty());
}

TEST(Calibrate, OnePowerFigureHasNoLeaveOneOut) {
    const auto a = timing("a", 100, 950'000, 500'000);
    const auto fit = fit_calibration({a}, 0.10, {power("a", 40, 10, 14, 0.02, a)});
    EXPECT_NEAR(fit.dynamic_power_scale, 2.0, 1e-12);
    ASSERT_EQ(fit.power_rows.size(), 1u);
    EXPECT_FALSE(fit.power_rows[0].loo_w);
    EXPECT_FALSE(fit.power_rows[0].loo_error);
}

TEST(Calibrate, ShippedDevicesReadThePowerScaleFromTheCalibrationFile) {
    // The scale multiplies the four fabric terms and nothing else.
    Device d = test::device("arria10_gx1150");
    EXPECT_GT(d.power.dynamic_scale, 0);
    EXPECT_NE(d.power.calibration_file.find("calibration.json"), std::string::npos);
    ResourceCounts used;
    used.alm = 100'000;
    used.registers = 200'000;
    used.dsp = 1'000;
    used.m20k = 1'000;
    d.power.dynamic_scale = 1;
    const PowerBreakdown one = estimate_power(used, d, 300, 1e9);
    d.power.dynamic_scale = 2.5;
    const PowerBreakdown scaled = estimate_power(used, d, 300, 1e9);
    EXPECT_DOUBLE_EQ(scaled.static_w, one.static_w);
    EXPECT_DOUBLE_EQ(scaled.ddr_w, one.ddr_w);
    EXPECT_NEAR(scaled.dynamic_w(), 2.5 * one.dynamic_w(), 1e-12);
    // 1e-6 x 300 MHz x 0.125 x (1e5 x 0.58 + 2e5 x 0.17 + 1e3 x 200 + 1e3 x 86) uW/MHz, scale 1.
    EXPECT_NEAR(one.dynamic_w(), 1e-6 * 300 * 0.125 * (58'000 + 34'000 + 200'000 + 86'000), 1e-9);
}

} // namespace
} // namespace lpdla
