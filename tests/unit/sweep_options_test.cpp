// Sweep options that reach into the model: user accuracy rows and stride folding.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace lpdla {
namespace {

using test::run_cli;

const std::string grid = "sweep --devices arria10_gx1150 --networks alexnet --precisions 4/int4 "
                         "--k-vec 32,64 --c-vec 16 --q-vec 4 --lanes 1 --json";

TEST(SweepOptions, AccuracyFileMakesTop1Known) {
    const auto path = std::filesystem::temp_directory_path() / "lpdla_sweep_acc.json";
    std::ofstream(path) << R"({"schema":"lpdla.accuracy/1","network":"alexnet","rows":[
        {"weights":"int4","act_bits":4,"width":1,"top1":0.5432,"source":"test row"}]})";
    const auto without = run_cli(grid);
    ASSERT_EQ(without.status, 0) << without.err;
    const auto j0 = nlohmann::json::parse(without.out);
    EXPECT_TRUE(j0.dump().find("0.5432") == std::string::npos);
    const auto with = run_cli(grid + " --accuracy " + path.string());
    ASSERT_EQ(with.status, 0) << with.err;
    EXPECT_NE(with.out.find("0.5432"), std::string::npos);
}

// The largest "images_per_s" anywhere in a sweep result.
double max_images_per_s(const nlohmann::json& j) {
    double best = 0;
    if (j.is_object() || j.is_array()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (j.is_object() && it.key() == "images_per_s" && it->is_number())
                best = std::max(best, it->get<double>());
            best = std::max(best, max_images_per_s(*it));
        }
    }
    return best;
}

TEST(SweepOptions, FoldStridesSpeedsUpAlexNetAndIsEchoed) {
    const auto direct = run_cli(grid + " --no-fold-strides");
    const auto folded = run_cli(grid); // folding is the default
    ASSERT_EQ(direct.status, 0) << direct.err;
    ASSERT_EQ(folded.status, 0) << folded.err;
    const auto d = nlohmann::json::parse(direct.out);
    const auto f = nlohmann::json::parse(folded.out);
    EXPECT_EQ(d.dump().find("\"fold_strides\":true"), std::string::npos);
    EXPECT_NE(f.dump().find("\"fold_strides\":true"), std::string::npos);
    // conv1 (11x11/4 over 3 channels) wastes most of a 16-wide dot product; folded it runs
    // 3x3 over 48 channels, so the same arrays get faster.
    EXPECT_GT(max_images_per_s(f), 1.2 * max_images_per_s(d));
}

} // namespace
} // namespace lpdla
