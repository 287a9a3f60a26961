// The shapes the issue names, taken from the shipped network files (scaled in space and width so
// PoCL runs them in seconds): AlexNet's stride-4 conv1 and grouped conv2, and a ResNet-34 basic
// block with its projection shortcut.
#include <map>

#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

std::filesystem::path network_file(const char* name) {
    return std::filesystem::path(LPDLA_SOURCE_DIR) / "networks" / (std::string(name) + ".json");
}

const LayerRunResult& find(const std::vector<LayerRunResult>& rs, const std::string& name) {
    for (const auto& r : rs)
        if (r.name == name) return r;
    throw std::runtime_error("no result for " + name);
}

TEST(AlexNetShapes, WholeNetworkScaledIsExact) {
    // 227 * 0.3 = 68: conv1 (11x11 stride 4) gives 15x15, pool5 still 1x1.
    const Network net = load_scaled_network(network_file("alexnet"), 0.125, 0.3);
    const int conv1 = net.find("conv1"), conv2 = net.find("conv2");
    ASSERT_GE(conv1, 0);
    ASSERT_EQ(net.layers[conv1].stride_h, 4);
    ASSERT_EQ(net.layers[conv1].kernel_h, 11);
    ASSERT_EQ(net.layers[conv2].groups, 2);
    const auto rs = expect_bit_exact(net, arch(6, 5, 3, 2, 8, WeightKind::int8, 4));
    EXPECT_TRUE(find(rs, "conv1").executed);
    EXPECT_TRUE(find(rs, "conv2").executed);
    EXPECT_TRUE(find(rs, "fc8").executed);
    EXPECT_NE(find(rs, "norm1").note.find("identity"), std::string::npos);
    // A kernel's first launch (whose time may include PoCL's deferred compile) is flagged once
    // per process at most: conv2 reuses conv1's kernel, and no layer type is flagged twice.
    EXPECT_FALSE(find(rs, "conv2").first_launch);
    std::map<std::string, int> flagged;
    for (const auto& r : rs) flagged[r.type] += r.first_launch;
    for (const auto& [type, n] : flagged) EXPECT_LE(n, 1) << type;
}

TEST(AlexNetShapes, GroupedConv2TernaryIsExact) {
    const Network net = load_scaled_network(network_file("alexnet"), 0.25, 0.3);
    expect_bit_exact(net, arch(4, 3, 2, 1, 2, WeightKind::ternary), 5, {"conv1", "conv2"});
}

TEST(ResNet34Shapes, ProjectionBlockIsExactOnEveryPath) {
    // layer2.0: stride-2 3x3 conv, 3x3 conv, 1x1 stride-2 projection, add, ReLU.
    const Network net = load_scaled_network(network_file("resnet34"), 0.125, 0.15);
    const std::vector<std::string> block = {"layer2.0.conv1", "layer2.0.relu1",
                                            "layer2.0.conv2", "layer2.0.downsample",
                                            "layer2.0.add",   "layer2.0.relu2"};
    ASSERT_EQ(net.layers[net.find("layer2.0.downsample")].stride_h, 2);
    for (const ArchConfig& a :
         {arch(4, 3, 2, 1, 2, WeightKind::ternary), arch(4, 3, 2, 1, 1, WeightKind::binary),
          arch(8, 8, 4, 1, 8, WeightKind::int8)}) {
        SCOPED_TRACE(precision_label(a.precision));
        const auto rs = expect_bit_exact(net, a, 11, block);
        EXPECT_EQ(rs.size(), block.size());
        EXPECT_TRUE(find(rs, "layer2.0.add").executed);
    }
}

TEST(ResNet34Shapes, WholeNetworkScaledIsExact) {
    const Network net = load_scaled_network(network_file("resnet34"), 0.125, 0.15);
    expect_bit_exact(net, arch(3, 4, 3, 2, 4, WeightKind::int4));
}

TEST(NetworkScaling, TooSmallAScaleNamesTheProblem) {
    try {
        load_scaled_network(network_file("alexnet"), 1.0, 0.01);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("too small"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace lpdla::test
