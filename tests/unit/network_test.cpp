// Network loading: shape inference, MAC totals from FACTS.md §3, the width multiplier.
#include <gtest/gtest.h>

#include "lpdla/error.h"
#include "test_support.h"

namespace lpdla {
namespace {

TEST(Network, AlexNetMacsMatchPublishedCount) {
    const Network n = test::network("alexnet");
    EXPECT_EQ(n.macs(), 724'406'816); // FACTS.md §3: conv 665,784,864 + FC 58,621,952
    EXPECT_EQ(n.weights(), 60'954'656);
    std::int64_t conv = 0;
    for (const auto& l : n.layers)
        if (l.type == LayerType::conv) conv += l.macs();
    EXPECT_EQ(conv, 665'784'864);
}

TEST(Network, ResNet34MacsMatchPublishedCount) {
    const Network n = test::network("resnet34");
    EXPECT_EQ(n.macs(), 3'663'761'408); // FACTS.md §3
    EXPECT_EQ(n.weights(), 21'779'648);
}

TEST(Network, AlexNetShapesAreInferred) {
    const Network n = test::network("alexnet");
    const auto& conv1 = n.layers[n.find("conv1")];
    EXPECT_EQ(conv1.out, (Shape{96, 55, 55})); // (227 - 11) / 4 + 1 = 55
    EXPECT_EQ(n.layers[n.find("pool1")].out, (Shape{96, 27, 27}));
    EXPECT_EQ(n.layers[n.find("conv2")].groups, 2);
    EXPECT_EQ(n.layers[n.find("pool5")].out, (Shape{256, 6, 6}));
    EXPECT_EQ(n.layers[n.find("fc6")].in.elements(), 9216);
}

TEST(Network, WidthMultiplierKeepsImageChannelsAndClassifier) {
    const Network w2 = test::network("resnet34", 2.0);
    EXPECT_EQ(w2.layers[w2.find("conv1")].in.channels, 3);
    EXPECT_EQ(w2.layers[w2.find("conv1")].out_channels, 128);
    EXPECT_EQ(w2.layers[w2.find("fc")].out_channels, 1000);
    // Hand count: conv1 doubles (only outputs widen), every other conv quadruples,
    // fc doubles (only its inputs widen).
    const std::int64_t conv1 = 118'013'952, fc = 512'000;
    const std::int64_t rest = 3'663'761'408 - conv1 - fc;
    EXPECT_EQ(w2.macs(), 2 * conv1 + 4 * rest + 2 * fc);
}

TEST(Network, GroupedAlexNetWidened) {
    const Network w3 = test::network("alexnet", 3.0);
    EXPECT_EQ(w3.layers[w3.find("conv2")].out_channels, 768);
    EXPECT_EQ(w3.layers[w3.find("fc8")].out_channels, 1000);
}

TEST(Network, AccuracyLookupIsExact) {
    const Network n = test::network("alexnet");
    const auto row = lookup_accuracy(n, Precision{2, WeightKind::ternary}, 1.0);
    ASSERT_TRUE(row.has_value());
    EXPECT_DOUBLE_EQ(row->top1, 0.49); // Colangelo et al. 2018 abstract
    EXPECT_FALSE(lookup_accuracy(n, Precision{2, WeightKind::ternary}, 2.0).has_value());
    EXPECT_FALSE(lookup_accuracy(n, Precision{4, WeightKind::int4}, 1.0).has_value());
}

} // namespace
} // namespace lpdla
