// Errors that help: the CLI names the closest valid subcommand, flag, device, network or weight
// kind, and "nothing feasible" says what each constraint removed.
#include <gtest/gtest.h>

#include "test_support.h"

namespace lpdla {
namespace {

TEST(SuggestCli, UnknownSubcommand) {
    const auto r = test::run_cli("swep");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("unknown subcommand 'swep' (did you mean 'sweep'?)"), std::string::npos)
        << r.err;
}

TEST(SuggestCli, UnknownFlag) {
    const auto r = test::run_cli("sweep --ddr-gbs 19.2");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("--ddr-gbs: unknown flag of `lpdla sweep` (did you mean '--ddr-gbps'?)"),
              std::string::npos)
        << r.err;
}

TEST(SuggestCli, UnknownDeviceNetworkAndWeightKind) {
    const auto dev = test::run_cli("estimate --device arria10 --network alexnet");
    EXPECT_EQ(dev.status, 2);
    EXPECT_NE(dev.err.find("unknown device 'arria10' (did you mean 'arria10_gx1150'?)"),
              std::string::npos)
        << dev.err;
    const auto net = test::run_cli("estimate --device arria10_gx1150 --network alexnt");
    EXPECT_EQ(net.status, 2);
    EXPECT_NE(net.err.find("(did you mean 'alexnet'?)"), std::string::npos) << net.err;
    const auto w = test::run_cli("sweep --devices arria10_gx1150 --networks alexnet "
                                 "--precisions 2/ternery --quiet");
    EXPECT_EQ(w.status, 2);
    EXPECT_NE(w.err.find("(did you mean 'ternary'?)"), std::string::npos) << w.err;
}

TEST(SuggestCli, NothingFeasibleSaysWhatEachConstraintRemoved) {
    // 1 configuration on one device; a 1,000,000 images/s minimum removes it. Worked out: k 16
    // c 16 q 4 l 1 2/ternary fits the caps (a few % of Arria 10), so resource caps remove 0 and
    // min images/s removes the single point.
    const auto r = test::run_cli(
        "sweep --devices arria10_gx1150 --networks alexnet --precisions 2/ternary --k-vec 16 "
        "--c-vec 16 --q-vec 4 --lanes 1 --min-images-per-s 1000000 --quiet");
    EXPECT_EQ(r.status, 3);
    EXPECT_NE(r.err.find("nothing feasible: 1 points"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("min images/s removed 1; 0 feasible"), std::string::npos) << r.err;
}

} // namespace
} // namespace lpdla
