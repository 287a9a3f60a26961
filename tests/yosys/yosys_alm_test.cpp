// The model's ALM counts for the PE's arithmetic against yosys's synth_intel_alm (Cyclone 10 GX,
// the Arria 10 ALM), for the same structure: tests/yosys/*.v describe the variant of the model's
// arithmetic that yosys can express (2:1 adders on the carry chain, products in LUTs of their
// own), and the model is asked for that variant. What this checks is the costing of that
// structure: two adder bits per ALM and product bits as small LUTs two to an ALM.
//
// yosys reports cells, not ALMs: a MISTRAL_ALUT_ARITH cell is one adder bit (half an ALM), a LUT
// of up to 4 inputs half an ALM, a 5- or 6-input LUT a whole one. Tolerance: the model may exceed
// yosys by up to 15 % and never fall below it, because the model rounds every adder up to whole
// ALMs (an odd-width chain wastes half an ALM) and counts a row's constant sign-extension bit as
// a LUT bit that yosys removes.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "lpdla/io/json_io.h"
#include "lpdla/model/soft_logic.h"

namespace lpdla {
namespace {

const std::string source_dir = LPDLA_SOURCE_DIR;

bool have_yosys() {
    return std::system("command -v yosys > /dev/null 2>&1") == 0;
}

std::map<std::string, int> cells(const std::string& args) {
    const std::string cmd = source_dir + "/tests/yosys/count_cells.sh " + args + " 2>&1";
    std::map<std::string, int> counts;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return counts;
    std::array<char, 512> line{};
    while (fgets(line.data(), int(line.size()), pipe)) {
        std::istringstream in(line.data());
        std::string name;
        int n = 0;
        if (in >> name >> n) counts[name] = n;
    }
    pclose(pipe);
    return counts;
}

double yosys_alms(const std::map<std::string, int>& c) {
    const auto n = [&](const char* name) {
        const auto it = c.find(name);
        return it == c.end() ? 0.0 : double(it->second);
    };
    return n("MISTRAL_ALUT_ARITH") / 2 + n("MISTRAL_ALUT6") + n("MISTRAL_ALUT5") +
           (n("MISTRAL_ALUT4") + n("MISTRAL_ALUT3") + n("MISTRAL_ALUT2") + n("MISTRAL_NOT")) / 2;
}

// The Arria 10 device file's coefficients, switched to what yosys implements.
SoftLogicCoefficients yosys_variant() {
    SoftLogicCoefficients s = load_device(source_dir + "/devices/arria10_gx1150.json").soft;
    s.ternary_adders = false;
    s.products_in_adder_luts = false;
    return s;
}

#define REQUIRE_YOSYS()                                                                            \
    if (!have_yosys())                                                                             \
    GTEST_SKIP()                                                                                   \
        << "yosys is not installed (Debian package yosys; scripts/setup.sh installs it): "         \
           "ALM counts not compared with synthesis"

void expect_within(double model, double yosys, const std::string& what) {
    EXPECT_GE(model, yosys) << what;
    EXPECT_LE(model, yosys * 1.15) << what;
}

TEST(YosysAlms, TernaryDotProductOf32TwoBitActivations) {
    REQUIRE_YOSYS();
    const auto c = cells("dot_ternary.v dot_ternary N=32 A=2");
    ASSERT_GT(c.count("MISTRAL_ALUT_ARITH"), 0u) << "no adder cells: did synthesis fail?";
    const DotProductCost m = soft_dot_product(32, {2, WeightKind::ternary}, 17, yosys_variant());
    // Adder bits: 16 x 4 + 8 x 5 + 4 x 6 + 2 x 7 + 1 x 8 = 150 cells.
    EXPECT_EQ(c.at("MISTRAL_ALUT_ARITH"), 150);
    expect_within(m.products + m.tree, yosys_alms(c), "2/ternary c_vec 32");
}

TEST(YosysAlms, SoftMultiplier8x8) {
    REQUIRE_YOSYS();
    const auto c = cells("soft_multiplier.v soft_multiplier A=8 W=8");
    const DotProductCost m = soft_dot_product(1, {8, WeightKind::int8}, 30, yosys_variant());
    expect_within(m.products + m.tree, yosys_alms(c), "8 x 8");
}

TEST(YosysAlms, SoftMultiplier4x4) {
    REQUIRE_YOSYS();
    const auto c = cells("soft_multiplier.v soft_multiplier A=4 W=4");
    const DotProductCost m = soft_dot_product(1, {4, WeightKind::int4}, 22, yosys_variant());
    expect_within(m.products + m.tree, yosys_alms(c), "4 x 4");
}

} // namespace
} // namespace lpdla
