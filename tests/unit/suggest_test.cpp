#include "lpdla/io/suggest.h"

#include <gtest/gtest.h>

using namespace lpdla;

TEST(Suggest, EditDistanceByHand) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u); // k->s, e->i, +g
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("Stride", "stride"), 0u); // case-insensitive
    EXPECT_EQ(edit_distance("strides", "stride"), 1u);
}

TEST(Suggest, ClosestNameFindsTyposAndPrefixes) {
    const std::vector<std::string> commands{"estimate", "sweep", "validate", "calibrate"};
    EXPECT_EQ(closest_name("swep", commands), "sweep");
    EXPECT_EQ(closest_name("estmate", commands), "estimate");
    EXPECT_EQ(closest_name("xyzzy", commands), "");
    EXPECT_EQ(closest_name("sweep", commands), ""); // already valid
    const std::vector<std::string> devices{"arria10_gx1150", "stratix10_gx2800", "agilex7_agf027"};
    EXPECT_EQ(closest_name("arria10", devices), "arria10_gx1150");
    EXPECT_EQ(did_you_mean("stratix10", devices), " (did you mean 'stratix10_gx2800'?)");
    EXPECT_EQ(did_you_mean("zzz", devices), "");
}
