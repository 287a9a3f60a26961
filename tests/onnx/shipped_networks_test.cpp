// The networks generated from ONNX (tools/gen_onnx_networks.py -> lpdla import -> networks/):
// MAC totals against counts made a second way, here from the published architecture tables with
// the conv formula written out (OH*OW*K*(C/g)*R*S), not through lpdla's shape inference; and
// each shipped file still equals a fresh import of its committed .onnx model.
#include <gtest/gtest.h>

#include "../unit/test_support.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/performance.h"

namespace lpdla {
namespace {

std::int64_t conv_macs(std::int64_t out_hw, std::int64_t k, std::int64_t c_per_group,
                       std::int64_t r) {
    return out_hw * out_hw * k * c_per_group * r * r;
}

TEST(ShippedNetworks, ResNet18MatchesTheIssuesCount) {
    EXPECT_EQ(test::network("resnet18").macs(), 1'814'073'344);
}

TEST(ShippedNetworks, Vgg16MatchesFacts) {
    EXPECT_EQ(test::network("vgg16").macs(), 15'470'264'320); // FACTS.md §6
}

TEST(ShippedNetworks, ResNet50FromTheBottleneckTable) {
    // Stem 7x7/2 to 112x112, then stages at 56, 28, 14, 7 with widths 64..512, x4 expansion.
    std::int64_t m = conv_macs(112, 64, 3, 7);
    const int blocks[] = {3, 4, 6, 3}, sizes[] = {56, 28, 14, 7};
    std::int64_t in = 64;
    for (int s = 0; s < 4; ++s) {
        const std::int64_t w = 64 << s, out = 4 * w, hw = sizes[s];
        const std::int64_t hw_in = s == 0 ? 56 : 2 * hw; // conv1 of the first block: before stride
        for (int b = 0; b < blocks[s]; ++b) {
            m += conv_macs(b == 0 ? hw_in : hw, w, in, 1); // 1x1 reduce (stride on the 3x3)
            m += conv_macs(hw, w, w, 3);
            m += conv_macs(hw, out, w, 1);
            if (b == 0) m += conv_macs(hw, out, in, 1); // projection shortcut
            in = out;
        }
    }
    m += 2048 * 1000;
    EXPECT_EQ(m, 4'089'184'256); // the figure the generator asserts, reached a second way
    EXPECT_EQ(test::network("resnet50").macs(), m);
}

TEST(ShippedNetworks, MobileNetV1FromTable1) {
    std::int64_t m = conv_macs(112, 32, 3, 3);
    std::int64_t c = 32, hw = 112;
    const std::pair<int, int> rows[] = {{64, 1},  {128, 2},  {128, 1}, {256, 2}, {256, 1},
                                        {512, 2}, {512, 1},  {512, 1}, {512, 1}, {512, 1},
                                        {512, 1}, {1024, 2}, {1024, 1}};
    for (auto [k, stride] : rows) {
        hw /= stride;
        m += conv_macs(hw, c, 1, 3); // depthwise: one input channel per output channel
        m += conv_macs(hw, k, c, 1); // pointwise
        c = k;
    }
    m += 1024 * 1000;
    EXPECT_EQ(hw, 7);
    EXPECT_EQ(m / 1'000'000, 568); // the paper's Table 2 says 569 million (rounded)
    EXPECT_EQ(test::network("mobilenet_v1").macs(), m);
}

TEST(ShippedNetworks, MobileNetV2FromTable2) {
    std::int64_t m = conv_macs(112, 32, 3, 3);
    std::int64_t c = 32, hw = 112;
    struct Row {
        int t, c, n, s;
    };
    const Row rows[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                        {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    for (const Row& r : rows) {
        for (int i = 0; i < r.n; ++i) {
            const std::int64_t hidden = c * r.t, hw_in = hw;
            if (i == 0) hw /= r.s;
            if (r.t != 1) m += conv_macs(hw_in, hidden, c, 1); // expand, before the stride
            m += conv_macs(hw, hidden, 1, 3);                  // depthwise
            m += conv_macs(hw, r.c, hidden, 1);                // project
            c = r.c;
        }
    }
    m += conv_macs(7, 1280, 320, 1) + 1280 * 1000;
    EXPECT_EQ(m, 300'774'272);
    EXPECT_NEAR(double(m), 300e6, 1e6); // the paper's Table 3: 300 million
    EXPECT_EQ(test::network("mobilenet_v2").macs(), m);
}

TEST(ShippedNetworks, GoogLeNetFromTheInceptionTable) {
    // torchvision's GoogLeNet (Inception-v1) without the aux classifiers: stem 7x7/2 to 112, pool
    // to 56, 1x1 64 and 3x3 192 at 56, pool to 28; modules (in, 1x1, 3x3 reduce, 3x3, "5x5"
    // reduce, "5x5", pool proj) at 28, 14 and 7; global pool, fc 1024 -> 1000. torchvision's
    // "5x5" branch runs a 3x3 conv (r5 = 3); the paper's runs a 5x5.
    struct Module {
        std::int64_t hw, in, b1, b3r, b3, b5r, b5, proj;
    };
    const Module modules[] = {
        {28, 192, 64, 96, 128, 16, 32, 32},     {28, 256, 128, 128, 192, 32, 96, 64},
        {14, 480, 192, 96, 208, 16, 48, 64},    {14, 512, 160, 112, 224, 24, 64, 64},
        {14, 512, 128, 128, 256, 24, 64, 64},   {14, 512, 112, 144, 288, 32, 64, 64},
        {14, 528, 256, 160, 320, 32, 128, 128}, {7, 832, 256, 160, 320, 32, 128, 128},
        {7, 832, 384, 192, 384, 48, 128, 128}};
    // Weights of one module (conv only, no bias) for a "5x5" branch of r5 x r5.
    const auto module_weights = [](const Module& m, std::int64_t r5) {
        return m.in * m.b1 + m.in * m.b3r + m.b3r * 9 * m.b3 + m.in * m.b5r +
               m.b5r * r5 * r5 * m.b5 + m.in * m.proj;
    };
    // The paper's Table 1 (5x5 branch): inception (3a) 128M ops, (3b) 304M.
    EXPECT_EQ(module_weights(modules[0], 5) * 28 * 28 / 1'000'000, 128);
    EXPECT_EQ(module_weights(modules[1], 5) * 28 * 28 / 1'000'000, 304);

    std::int64_t macs =
        conv_macs(112, 64, 3, 7) + conv_macs(56, 64, 64, 1) + conv_macs(56, 192, 64, 3);
    std::int64_t weights = 64 * 3 * 49 + 64 * 64 + 192 * 64 * 9;
    std::int64_t channels = 64 + 64 + 192; // conv outputs: each has a BN (scale and shift)
    std::int64_t in = 192;
    for (const Module& m : modules) {
        EXPECT_EQ(m.in, in);
        macs += m.hw * m.hw * module_weights(m, 3);
        weights += module_weights(m, 3);
        channels += m.b1 + m.b3r + m.b3 + m.b5r + m.b5 + m.proj;
        in = m.b1 + m.b3 + m.b5 + m.proj; // the concat's channels
    }
    EXPECT_EQ(in, 1024);
    macs += 1024 * 1000;
    weights += 1024 * 1000;
    EXPECT_EQ(macs, 1'498'376'192);
    // torchvision's weights metadata: 1.498 GFLOPS (multiply-adds) and 6,624,904 parameters
    // (conv weights, two BN parameters per channel, the fc's weights and 1000 biases).
    EXPECT_EQ(macs / 1'000'000, 1498);
    EXPECT_EQ(weights + 2 * channels + 1000, 6'624'904);

    const Network net = test::network("googlenet");
    EXPECT_EQ(net.macs(), macs);
    EXPECT_EQ(net.weights(), weights);
    int concats = 0;
    for (const Layer& l : net.layers)
        if (l.type == LayerType::concat) {
            ++concats;
            EXPECT_EQ(l.inputs.size(), 4u) << l.name;
            EXPECT_EQ(l.macs(), 0) << l.name;
        }
    EXPECT_EQ(concats, 9);
    const int last = net.find("inception5b.concat");
    ASSERT_GE(last, 0);
    EXPECT_EQ(net.layers[std::size_t(last)].out, (Shape{1024, 7, 7}));
}

TEST(ShippedNetworks, DepthwiseConvUsesOneInputChannelOfThePeArray) {
    // MobileNet-v1 block1.dw: 3x3 depthwise over 32 channels at 112x112 (groups == channels).
    // Each group has one input and one output channel, so a trip of a k16 c8 q4 l1 array does
    // 4 MACs of its 512: 112 rows x 28 column tiles x 32 groups x 1 x 1 x 9 taps = 903,168
    // trips for 3,612,672 MACs, 1/128 of the array's work.
    const Network net = test::network("mobilenet_v1");
    const int index = net.find("block1.dw");
    ASSERT_GE(index, 0);
    EXPECT_EQ(net.layers[std::size_t(index)].macs(), 112 * 112 * 32 * 9);
    ArchConfig a;
    a.k_vec = 16, a.c_vec = 8, a.q_vec = 4, a.lanes = 1;
    a.precision = Precision{8, WeightKind::int8};
    a.fold_strides = false;
    const NetworkPlan plan = plan_network(net, false);
    const auto loops = loop_choices(plan, a);
    bool found = false;
    for (std::size_t i = 0; i < plan.layers.size(); ++i) {
        if (plan.layers[i].layer_index != index) continue;
        found = true;
        EXPECT_EQ(loops[i].loop_iterations, 903'168);
        EXPECT_DOUBLE_EQ(double(loops[i].macs) / (double(loops[i].loop_iterations) * 512),
                         1.0 / 128);
    }
    EXPECT_TRUE(found);
}

TEST(ShippedNetworks, EachGeneratedFileEqualsAFreshImportOfItsModel) {
    for (const char* name : {"resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2", "googlenet"}) {
        SCOPED_TRACE(name);
        const Network shipped = test::network(name);
        const Network imported =
            load_network(test::source_path(std::string("tests/onnx/models/") + name + ".onnx"));
        ASSERT_EQ(shipped.layers.size(), imported.layers.size());
        for (std::size_t i = 0; i < shipped.layers.size(); ++i) {
            EXPECT_EQ(shipped.layers[i].name, imported.layers[i].name);
            EXPECT_EQ(shipped.layers[i].out, imported.layers[i].out);
            EXPECT_EQ(shipped.layers[i].macs(), imported.layers[i].macs());
        }
    }
}

} // namespace
} // namespace lpdla
