// Every precision path at three or more array shapes, over a small network that has every layer
// kind the kernels implement. Shapes are chosen so the vectors do not divide K (6, 10, 7, 3),
// C (5, 6, 3 per group, 10) or OW (9, 5, 3, and the FC batch of 5).
#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

using nlohmann::json;

const Network& mixed_network() {
    static const Network net = network(5, 7, 9, json::parse(R"([
      {"name": "conv_a", "type": "conv", "input": "data", "out_channels": 6, "kernel": 3, "pad": 1},
      {"name": "relu_a", "type": "relu", "input": "conv_a"},
      {"name": "norm_a", "type": "lrn", "input": "relu_a"},
      {"name": "pool_a", "type": "maxpool", "input": "norm_a", "kernel": 3, "stride": 2, "pad": 1},
      {"name": "conv_b", "type": "conv", "input": "pool_a", "out_channels": 10, "kernel": 3,
       "stride": 2, "pad": 1, "groups": 2},
      {"name": "relu_b", "type": "relu", "input": "conv_b"},
      {"name": "conv_c", "type": "conv", "input": "relu_b", "out_channels": 10, "kernel": 1},
      {"name": "add", "type": "add", "inputs": ["conv_c", "relu_b"]},
      {"name": "relu_add", "type": "relu", "input": "add"},
      {"name": "gap", "type": "avgpool", "input": "relu_add", "global": true},
      {"name": "fc1", "type": "fc", "input": "gap", "out_features": 7},
      {"name": "relu_fc1", "type": "relu", "input": "fc1"},
      {"name": "fc2", "type": "fc", "input": "relu_fc1", "out_features": 3}
    ])"));
    return net;
}

void check_all_layers(const ArchConfig& a) {
    const auto results = expect_bit_exact(mixed_network(), a);
    EXPECT_EQ(results.size(), mixed_network().layers.size());
}

// Binary x binary: XNOR + popcount. c_vec 40 spans two words of the bit vector.
TEST(BinaryPath, K4C3Q2L1) {
    check_all_layers(arch(4, 3, 2, 1, 1, WeightKind::binary));
}
TEST(BinaryPath, K3C4Q3L2) {
    check_all_layers(arch(3, 4, 3, 2, 1, WeightKind::binary));
}
TEST(BinaryPath, K2C40Q1L3) {
    // At c_vec 40 the model folds conv_b (3x3 stride 2), which binary weights cannot fold
    // exactly (no zero for the padding taps, ref::fold_problem): the direct nest until the
    // model declines such folds itself.
    ArchConfig a = arch(2, 40, 1, 3, 1, WeightKind::binary);
    a.fold_strides = false;
    check_all_layers(a);
}

// Ternary weights x A-bit activations: conditional add/subtract.
TEST(TernaryPath, A2K4C3Q2L1) {
    check_all_layers(arch(4, 3, 2, 1, 2, WeightKind::ternary));
}
TEST(TernaryPath, A4K3C4Q3L2) {
    check_all_layers(arch(3, 4, 3, 2, 4, WeightKind::ternary));
}
TEST(TernaryPath, A8K8C8Q4L1) {
    check_all_layers(arch(8, 8, 4, 1, 8, WeightKind::ternary));
}

// Binary weights with multi-bit activations take the add/subtract datapath too.
TEST(BinaryWeightPath, A4K3C4Q3L2) {
    check_all_layers(arch(3, 4, 3, 2, 4, WeightKind::binary));
}

// intN x intN, N <= 8: one multiplier per product.
TEST(IntPath, Int2K4C3Q2L1) {
    check_all_layers(arch(4, 3, 2, 1, 2, WeightKind::int2));
}
TEST(IntPath, Int4K3C4Q3L2) {
    check_all_layers(arch(3, 4, 3, 2, 4, WeightKind::int4));
}
TEST(IntPath, Int8K8C8Q4L1) {
    check_all_layers(arch(8, 8, 4, 1, 8, WeightKind::int8));
}
TEST(IntPath, A8Int4K5C7Q2L2) {
    check_all_layers(arch(5, 7, 2, 2, 8, WeightKind::int4));
}

// Other seeds, other data: still exact.
TEST(IntPath, OtherSeedsAreExactToo) {
    const ArchConfig a = arch(4, 3, 2, 1, 2, WeightKind::int2);
    expect_bit_exact(mixed_network(), a, 2);
    expect_bit_exact(mixed_network(), a, 3);
}

} // namespace
} // namespace lpdla::test
