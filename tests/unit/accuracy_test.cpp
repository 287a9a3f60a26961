// Accuracy tables: the shipped rows match FACTS.md §4, lookup is exact (unknown is never
// guessed), and user rows take precedence.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "lpdla/model/network.h"
#include "lpdla/validate/validate.h"
#include "test_support.h"

namespace lpdla {
namespace {

TEST(Accuracy, AlexNetRowsFromFacts) {
    const Network n = test::network("alexnet");
    const auto fp32 = lookup_accuracy(n, {32, WeightKind::fp32}, 1);
    ASSERT_TRUE(fp32);
    EXPECT_DOUBLE_EQ(fp32->top1, 0.571); // bvlc_alexnet, not the tensorpack variant's 59.7 %
    const auto colangelo = lookup_accuracy(n, {2, WeightKind::ternary}, 1);
    ASSERT_TRUE(colangelo);
    EXPECT_DOUBLE_EQ(colangelo->top1, 0.49);
    // LQ-Nets keeps conv1 and fc8 at full precision (alexnet_model.py): its rows answer that
    // assignment only, not an all-2-bit network.
    const Precision fp32_ends{32, WeightKind::fp32};
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::binary}, 1, fp32_ends)->top1, 0.557);
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::int2}, 1, fp32_ends)->top1, 0.574);
    EXPECT_FALSE(lookup_accuracy(n, {2, WeightKind::int2}, 1));
    EXPECT_FALSE(lookup_accuracy(n, {2, WeightKind::int2}, 1, Precision{8, WeightKind::int8}));
    // Colangelo's row does not state its first/last layers: it answers, marked as such.
    EXPECT_FALSE(colangelo->first_last_stated);
}

TEST(Accuracy, ResNet34RowsFromFacts) {
    const Network n = test::network("resnet34");
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {32, WeightKind::fp32}, 1)->top1, 0.73314);
    // LQ-Nets' resnet_model.py: conv0 unquantised, the final FullyConnected full precision.
    const Precision fp32_ends{32, WeightKind::fp32};
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::binary}, 1, fp32_ends)->top1, 0.666);
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::int2}, 1, fp32_ends)->top1, 0.698);
    EXPECT_FALSE(lookup_accuracy(n, {2, WeightKind::int2}, 1));
}

TEST(Accuracy, MissingCombinationIsUnknownNotGuessed) {
    const Network n = test::network("alexnet", 2);
    EXPECT_FALSE(lookup_accuracy(n, {2, WeightKind::ternary}, 2)); // no 2x row: not the 1x one
    EXPECT_FALSE(lookup_accuracy(test::network("resnet34"), {4, WeightKind::ternary}, 1));
}

TEST(Accuracy, UserRowsTakePrecedenceAndOtherNetworksAreSkipped) {
    const auto dir = std::filesystem::temp_directory_path() / "lpdla_accuracy_test";
    std::filesystem::create_directories(dir);
    const auto mine = dir / "alexnet_rows.json", other = dir / "resnet_rows.json";
    std::ofstream(mine) << R"({"schema": "lpdla.accuracy/1", "network": "alexnet", "rows": [
        {"weights": "ternary", "act_bits": 2, "width": 1, "top1": 0.5, "source": "test"},
        {"weights": "ternary", "act_bits": 2, "width": 2, "top1": 0.55, "source": "test"}]})";
    std::ofstream(other) << R"({"schema": "lpdla.accuracy/1", "network": "resnet34", "rows": [
        {"weights": "ternary", "act_bits": 2, "width": 1, "top1": 0.1, "source": "test"}]})";
    Network n = test::network("alexnet", 2);
    add_user_accuracy(n, {mine, other});
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::ternary}, 1)->top1, 0.5);
    EXPECT_DOUBLE_EQ(lookup_accuracy(n, {2, WeightKind::ternary}, 2)->top1, 0.55);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla
