// Resource model: M20K packing by hand, DSP counts per precision mode, monotonicity.
#include <string>

#include <gtest/gtest.h>

#include "lpdla/model/estimate.h"
#include "lpdla/model/resources.h"
#include "test_support.h"

namespace lpdla {
namespace {

const Device& a10() {
    static const Device d = test::device("arria10_gx1150");
    return d;
}

TEST(Resources, M20kBlocksForHandSizedBuffers) {
    const MemoryBlock& m = a10().m20k;
    EXPECT_EQ(memory_blocks(m, 40, 512), 1);  // exactly one 512x40
    EXPECT_EQ(memory_blocks(m, 41, 512), 2);  // one bit too wide: two 512x40 (or 512x32)
    EXPECT_EQ(memory_blocks(m, 20, 1024), 1); // 1Kx20
    EXPECT_EQ(memory_blocks(m, 8, 4096), 2);  // 2 x 2Kx8 deep, or 2 x 4Kx4 wide
    EXPECT_EQ(memory_blocks(m, 1, 16384), 1); // 16Kx1
    EXPECT_EQ(memory_blocks(m, 100, 100), 3); // 3 x 512x40 side by side
    // 64 x 2048: 512x32 gives 2 x 4 = 8, 1Kx16 4 x 2 = 8, 2Kx8 8 x 1 = 8, 2Kx10 7 x 1 = 7 (best).
    EXPECT_EQ(memory_blocks(m, 64, 2048), 7);
    EXPECT_EQ(memory_blocks(a10().mlab, 20, 32), 1);
    EXPECT_EQ(memory_blocks(m, 0, 100), 0);
}

ArchConfig cfg(Precision p, int k = 16, int c = 8, int q = 4, int lanes = 1) {
    ArchConfig a;
    a.k_vec = k;
    a.c_vec = c;
    a.q_vec = q;
    a.lanes = lanes;
    a.precision = p;
    return resolve_arch(a, a10());
}

double pe_dsp(const ArchConfig& a) {
    for (const auto& c : estimate_resources(a, a10()).components)
        if (c.name == "pe_array.products") return c.use.dsp;
    return -1;
}

TEST(Resources, DspCountPerPrecisionMode) {
    // k 16 x c 8 x q 4 = 512 multipliers (direct); Winograd F(4,3) modes use w_vec = 6: 768.
    EXPECT_EQ(pe_dsp(cfg({8, WeightKind::int8})),
              512 / 4); // INT8 pairs sharing an operand: 4/block
    // int16 under F(4,3): B^T's largest row (4, 0, -5, 0, 1, 0) sums to 10, so activations grow
    // 4 bits to 20 > 18: one 27x27 per block (was two 18x19 before the growth was counted).
    EXPECT_EQ(pe_dsp(cfg({16, WeightKind::int16})), 768 / 1);
    EXPECT_EQ(pe_dsp(cfg({16, WeightKind::bfp16})), 768 / 2); // 12 + 4 = 16-bit mantissas, 18x19
    EXPECT_EQ(pe_dsp(cfg({32, WeightKind::fp32})), 512);      // one hard FP32 MAC per block
    EXPECT_EQ(pe_dsp(cfg({8, WeightKind::int4})), 512 / 4);   // 8x4 fits the INT8 mode
    EXPECT_EQ(pe_dsp(cfg({16, WeightKind::int8})), 512 / 2);  // 16x8 needs 18x19
}

TEST(Resources, WinogradOnlyAtF23AndF43WithOperandWidthsFromTheTransform) {
    // int16 F(2,3): 16 + 1 = 17 bits fits 18x19; k 16 x c 8 x w_vec 4 = 512 multipliers, 2/block.
    const ArchConfig f23 = cfg({16, WeightKind::int16}, 16, 8, 2);
    EXPECT_EQ(dsp_operand_bits(f23).a_bits, 17);
    EXPECT_EQ(pe_dsp(f23), 512 / 2);
    EXPECT_EQ(dsp_operand_bits(cfg({16, WeightKind::int16}, 16, 8, 4)).a_bits, 20);
    EXPECT_EQ(dsp_operand_bits(cfg({16, WeightKind::bfp16}, 16, 8, 4)).a_bits, 16);
    EXPECT_EQ(dsp_operand_bits(cfg({16, WeightKind::bfp16}, 16, 8, 4)).w_bits, 12);
    // q_vec 3 and 8 run direct: 16 x 8 x 3 = 384 and 16 x 8 x 8 = 1024 multipliers on 18x19.
    for (int q : {3, 8}) {
        const ArchConfig direct = cfg({16, WeightKind::bfp16}, 16, 8, q);
        EXPECT_FALSE(uses_winograd(direct.precision, direct.mac_impl, q)) << q;
        EXPECT_EQ(dsp_operand_bits(direct).a_bits, 12);
        EXPECT_EQ(pe_dsp(direct), 16 * 8 * q / 2) << q;
    }
    // Low-precision and soft modes never run Winograd, whatever q_vec.
    EXPECT_FALSE(uses_winograd({8, WeightKind::int8}, MacImpl::dsp, 4));
    EXPECT_FALSE(uses_winograd({16, WeightKind::int16}, MacImpl::alm, 4));
}

double component_alm(const ArchConfig& a, const std::string& name) {
    for (const auto& c : estimate_resources(a, a10()).components)
        if (c.name == name) return c.use.alm;
    return -1;
}

TEST(Resources, PeArithmeticOfOneTernaryColumnByHand) {
    // One PE (k 1, lanes 1) of c_vec 32 x q_vec 1, 2/ternary on Arria 10. Products fold into the
    // first adder level: 0. Tree: 16 adders of 4 bits (32 ALMs), then 3:1: 5 of 6 bits (15) and
    // 2 of 8 bits (8) = 55; accumulator 3 + 14 = 17 bits = 9 ALMs. Routing overhead x 1.1.
    const ArchConfig a = cfg({2, WeightKind::ternary}, 1, 32, 1, 1);
    EXPECT_EQ(component_alm(a, "pe_array.products"), 0);
    EXPECT_NEAR(component_alm(a, "pe_array.adder_trees"), 55 * 1.1, 1e-9);
    EXPECT_NEAR(component_alm(a, "pe_array.accumulators"), 9 * 1.1, 1e-9);
    // The same column costs q_vec x lanes x k_vec times as much in a larger array.
    const ArchConfig big = cfg({2, WeightKind::ternary}, 8, 32, 3, 2);
    EXPECT_NEAR(component_alm(big, "pe_array.adder_trees"), 8 * 3 * 2 * 55 * 1.1, 1e-9);
}

TEST(Resources, WinogradTransformAlmsByHand) {
    // bfp16, F(4,3), k 1, c 8, lanes 1. Input per channel: 8 pre-adders of 12 + 1 = 13 bits
    // (7 ALMs) and 6 adders of 16 bits (8): 104; x 8 channels = 832. Output per PE: 10 adders
    // of accumulator 16 + 12 + 14 = 42 bits + 5 growth = 47 bits (24 ALMs): 240. x 1.1.
    EXPECT_NEAR(
        component_alm(cfg({16, WeightKind::bfp16}, 1, 8, 4, 1), "pe_array.winograd_transforms"),
        (832 + 240) * 1.1, 1e-9);
    // F(2,3): input 4 adders of 13 bits (7) x 8 channels = 224; output 4 adders of
    // (13 + 12 + 14) + 2 = 41 bits (21): 84.
    EXPECT_NEAR(
        component_alm(cfg({16, WeightKind::bfp16}, 1, 8, 2, 1), "pe_array.winograd_transforms"),
        (224 + 84) * 1.1, 1e-9);
    EXPECT_EQ(
        component_alm(cfg({16, WeightKind::bfp16}, 1, 8, 3, 1), "pe_array.winograd_transforms"), 0);
}

TEST(Resources, TernaryAndBinaryUseNoDspInThePeArray) {
    for (Precision p : {Precision{2, WeightKind::ternary}, Precision{1, WeightKind::binary},
                        Precision{4, WeightKind::ternary}, Precision{4, WeightKind::int4}}) {
        const ArchConfig a = cfg(p, 64, 32, 4, 2);
        EXPECT_EQ(a.mac_impl, MacImpl::alm) << precision_label(p);
        EXPECT_EQ(pe_dsp(a), 0) << precision_label(p);
        EXPECT_EQ(resource_totals(a, a10()).dsp, a10().board.shell.dsp) << precision_label(p);
    }
}

TEST(Resources, OverridingMacImplMovesTernaryIntoDsp) {
    ArchConfig a;
    a.precision = {2, WeightKind::ternary};
    a.mac_impl = MacImpl::dsp;
    const ArchConfig r = resolve_arch(a, a10());
    EXPECT_EQ(r.mac_impl, MacImpl::dsp);
    EXPECT_GT(pe_dsp(r), 0);
}

TEST(Resources, MorePesNeverFewerResources) {
    for (Precision p : {Precision{2, WeightKind::ternary}, Precision{8, WeightKind::int8},
                        Precision{16, WeightKind::bfp16}}) {
        ResourceCounts prev{};
        for (int k = 1; k <= 128; k += 7) {
            const ResourceCounts t = resource_totals(cfg(p, k, 8, 4, 1), a10());
            EXPECT_GE(t.alm, prev.alm) << precision_label(p) << " k " << k;
            EXPECT_GE(t.dsp, prev.dsp);
            EXPECT_GE(t.m20k, prev.m20k);
            EXPECT_GE(t.registers, prev.registers);
            prev = t;
        }
        for (int lanes = 1; lanes <= 4; ++lanes) {
            const ResourceCounts a = resource_totals(cfg(p, 32, 8, 4, lanes), a10());
            const ResourceCounts b = resource_totals(cfg(p, 32, 8, 4, lanes + 1), a10());
            EXPECT_GE(b.alm, a.alm);
            EXPECT_GE(b.dsp, a.dsp);
        }
    }
}

TEST(Resources, TotalsEqualComponentTree) {
    const ArchConfig a = cfg({16, WeightKind::bfp16}, 48, 8, 4, 1);
    const ResourceReport r = estimate_resources(a, a10());
    const ResourceCounts fast = resource_totals(a, a10());
    EXPECT_DOUBLE_EQ(r.total.alm, fast.alm);
    EXPECT_DOUBLE_EQ(r.total.dsp, fast.dsp);
    EXPECT_DOUBLE_EQ(r.total.m20k, fast.m20k);
}

TEST(Resources, FitsRespectsCaps) {
    const ResourceCounts avail{100, 400, 10, 10, 10};
    UtilisationCaps caps;
    std::string why;
    EXPECT_TRUE(fits_device({85, 0, 10, 10, 0}, avail, caps, &why));
    EXPECT_FALSE(fits_device({86, 0, 10, 10, 0}, avail, caps, &why));
    EXPECT_EQ(why, "alm");
    EXPECT_FALSE(fits_device({10, 0, 11, 0, 0}, avail, caps, &why));
    EXPECT_EQ(why, "dsp");
}

TEST(Performance, HigherFmaxNeverLowerThroughputAndPeakAtLeastEffective) {
    const Network n = test::network("alexnet");
    for (Precision p : {Precision{2, WeightKind::ternary}, Precision{8, WeightKind::int8},
                        Precision{16, WeightKind::bfp16}}) {
        double prev = 0;
        for (double f = 100; f <= 450; f += 50) { // 450 MHz: the device file's DSP limit
            ArchConfig a;
            a.k_vec = 32;
            a.c_vec = 16;
            a.precision = p;
            a.fmax_mhz = f;
            const Estimate e = estimate(a10(), n, a);
            EXPECT_GE(e.totals.images_per_s, prev) << precision_label(p) << " " << f;
            EXPECT_GE(e.totals.peak_tops, e.totals.effective_tops);
            prev = e.totals.images_per_s;
        }
    }
}

TEST(Performance, PeakAtLeastEffectiveAcrossShapes) {
    const Network n = test::network("resnet34");
    for (int k : {3, 16, 64})
        for (int c : {3, 8, 32})
            for (int q : {1, 3, 4})
                for (int lanes : {1, 3}) {
                    ArchConfig a;
                    a.k_vec = k, a.c_vec = c, a.q_vec = q, a.lanes = lanes;
                    a.precision = {16, WeightKind::bfp16};
                    const Estimate e = estimate(a10(), n, a);
                    EXPECT_GE(e.totals.peak_tops * (1 + 1e-12), e.totals.effective_tops);
                    for (const auto& l : e.layers) EXPECT_LE(l.utilisation, 1.0 + 1e-12);
                }
}

} // namespace
} // namespace lpdla
