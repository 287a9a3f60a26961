// ONNX import: the shipped architectures exported as a framework would (conv + BatchNormalization
// + Relu, Flatten + Gemm, Dropout, Softmax) import to exactly the hand-written networks, and
// every broken model exits 2 naming what is wrong. Fixtures: tools/gen_onnx_networks.py (shape
// only, no weights), committed so that no test needs Python.
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../unit/test_support.h"
#include "lpdla/error.h"
#include "lpdla/io/onnx_import.h"

namespace lpdla {
namespace {

using test::run_cli;
using test::source_path;

std::string model(const std::string& name) {
    return source_path("tests/onnx/models/" + name + ".onnx");
}
std::string fixture(const std::string& name) {
    return source_path("tests/onnx/errors/" + name + ".onnx");
}

// Every field the model reads, layer by layer (names included: the exporter names its nodes as
// torchvision / Caffe name their layers).
void expect_same_network(const Network& imported, const Network& shipped) {
    ASSERT_EQ(imported.layers.size(), shipped.layers.size());
    EXPECT_EQ(imported.input, shipped.input);
    for (std::size_t i = 0; i < shipped.layers.size(); ++i) {
        const Layer& a = imported.layers[i];
        const Layer& b = shipped.layers[i];
        SCOPED_TRACE(fmt::format("layer {} '{}'", i, b.name));
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.type, b.type);
        EXPECT_EQ(a.inputs, b.inputs);
        EXPECT_EQ(a.out_channels, b.out_channels);
        EXPECT_EQ(a.kernel_h, b.kernel_h);
        EXPECT_EQ(a.kernel_w, b.kernel_w);
        EXPECT_EQ(a.stride_h, b.stride_h);
        EXPECT_EQ(a.stride_w, b.stride_w);
        EXPECT_EQ(a.pad_h, b.pad_h);
        EXPECT_EQ(a.pad_w, b.pad_w);
        EXPECT_EQ(a.groups, b.groups);
        EXPECT_EQ(a.bias, b.bias);
        EXPECT_EQ(a.global_pool, b.global_pool);
        EXPECT_EQ(a.widen, b.widen);
        EXPECT_EQ(a.lrn_size, b.lrn_size);
        EXPECT_EQ(a.in, b.in);
        EXPECT_EQ(a.out, b.out);
        EXPECT_EQ(a.macs(), b.macs());
    }
}

TEST(OnnxImport, ResNet34EqualsTheShippedNetworkLayerByLayer) {
    const Network imported = load_network(model("resnet34"));
    expect_same_network(imported, test::network("resnet34"));
    EXPECT_EQ(imported.macs(), 3'663'761'408); // FACTS.md §3
}

TEST(OnnxImport, TwoTowerAlexNetEqualsTheShippedNetworkLayerByLayer) {
    const Network imported = load_network(model("alexnet"));
    expect_same_network(imported, test::network("alexnet"));
    EXPECT_EQ(imported.macs(), 724'406'816); // FACTS.md §3
}

TEST(OnnxImport, WidthMultiplierAppliesButNotToTheClassifier) {
    const Network wide = load_network(model("alexnet"), 2.0);
    const Network shipped = test::network("alexnet", 2.0);
    EXPECT_EQ(wide.macs(), shipped.macs());
    EXPECT_EQ(wide.layers.back().out_channels, 1000);
}

TEST(OnnxImport, ImportCommandWritesJsonThatLoadsToTheSameNetwork) {
    const std::string out = ::testing::TempDir() + "/imported_resnet34.json";
    const auto r = run_cli("import " + model("resnet34") + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("3663761408 MACs"), std::string::npos) << r.err;
    const Network reloaded = load_network(out);
    expect_same_network(reloaded, test::network("resnet34"));
    EXPECT_EQ(reloaded.name, "resnet34");
    // One layer a line, so the file is readable and editable.
    std::ifstream in(out);
    int lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    EXPECT_GT(lines, int(reloaded.layers.size()));
}

TEST(OnnxImport, EstimateAcceptsAnOnnxNetwork) {
    const std::string args = " --device arria10_gx1150 --act-bits 8 --weights int8 --k-vec 32 "
                             "--c-vec 16 --q-vec 4 --lanes 1 --json";
    const auto onnx = run_cli("estimate --network " + model("alexnet") + args);
    const auto json = run_cli("estimate --network alexnet" + args);
    ASSERT_EQ(onnx.status, 0) << onnx.err;
    ASSERT_EQ(json.status, 0) << json.err;
    const auto a = nlohmann::json::parse(onnx.out), b = nlohmann::json::parse(json.out);
    EXPECT_EQ(a["totals"]["images_per_s"], b["totals"]["images_per_s"]);
    EXPECT_EQ(a["network"]["macs"], b["network"]["macs"]);
    EXPECT_EQ(a["totals"]["cycles_per_image"], b["totals"]["cycles_per_image"]);
}

// Each broken model: exit 2, and the message names the file plus the node or tensor.
struct BadModel {
    const char* fixture;
    std::vector<std::string> says;
};

class OnnxImportErrors : public ::testing::TestWithParam<BadModel> {};

TEST_P(OnnxImportErrors, ExitTwoNamingTheCulprit) {
    const auto& bad = GetParam();
    const auto r = run_cli("import " + fixture(bad.fixture));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(fixture(bad.fixture)), std::string::npos) << r.err;
    for (const auto& s : bad.says)
        EXPECT_NE(r.err.find(s), std::string::npos) << s << "\n" << r.err;
    // The same model behind --network fails the same way.
    const auto e = run_cli("estimate --device arria10_gx1150 --network " + fixture(bad.fixture));
    EXPECT_EQ(e.status, 2) << e.err;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, OnnxImportErrors,
    ::testing::Values(
        BadModel{"unsupported_op",
                 {"node 'act2' (Sigmoid)", "op type 'Sigmoid' is not supported",
                  "supported ops: Add, AveragePool, BatchNormalization"}},
        BadModel{"dangling_input", {"node 'conv2' (Conv)", "'ghost'", "dangling"}},
        BadModel{"shape_mismatch",
                 {"tensor 'conv1'", "declares shape 1x8x15x15", "lpdla infers 1x8x16x16"}},
        BadModel{"corrupt", {"not a valid ONNX model"}},
        BadModel{"concat_axis",
                 {"node 'cat' (Concat)", "concat along axis 2", "axis 1 or -3 only"}},
        BadModel{"concat_shapes",
                 {"node 'cat'", "concat layer 'cat'", "'conv2' (4x8x8)", "'relu1' (8x16x16)"}},
        // tools/gen_onnx_quantised.py: ConvInteger with an int16 weight.
        BadModel{"quantised_int16_weight",
                 {"node 'c2' (ConvInteger)", "weight 'c2.weight'", "element type INT16",
                  "takes int8 or uint8"}}),
    [](const auto& info) { return std::string(info.param.fixture); });

TEST(OnnxImport, ControlModelOfTheErrorFixturesImports) {
    // The fixtures above are this model broken one way each; unbroken it imports.
    const Network n = load_network(fixture("small"));
    ASSERT_EQ(n.layers.size(), 3u);
    // conv1 16x16x8 (3x3x3 each), conv2 8x8x4 (3x3x8 each), by hand.
    EXPECT_EQ(n.macs(), 16 * 16 * 8 * 27 + 8 * 8 * 4 * 72);
}

TEST(OnnxImport, MissingFileAndWrongExtension) {
    const auto missing = run_cli("import /nonexistent/model.onnx");
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("/nonexistent/model.onnx"), std::string::npos);
    const auto json = run_cli("import " + source_path("networks/alexnet.json"));
    EXPECT_EQ(json.status, 2);
    EXPECT_NE(json.err.find("expected an ONNX model file"), std::string::npos);
}

TEST(OnnxImport, QuantisedConvsTakeTheirPrecisionFromTheTensorTypes) {
    // tools/gen_onnx_quantised.py: uint8 data -> QLinearConv q1 (uint8 weights, int32 bias)
    // -> ConvInteger c2 (int8 weights). Both are 8-bit activations x int8 weights.
    const nlohmann::json doc = import_onnx_network(model("quantised"));
    ASSERT_EQ(doc.at("layers").size(), 2u);
    EXPECT_EQ(doc["layers"][0].at("precision"), "8/int8");
    EXPECT_EQ(doc["layers"][1].at("precision"), "8/int8");
    const Network net = load_network(model("quantised"));
    ASSERT_EQ(net.layers.size(), 2u);
    for (const Layer& l : net.layers) {
        ASSERT_TRUE(l.precision.has_value()) << l.name;
        EXPECT_EQ(l.precision->act_bits, 8) << l.name;
        EXPECT_EQ(l.precision->weights, WeightKind::int8) << l.name;
    }
    EXPECT_TRUE(net.layers[0].bias);  // QLinearConv's int32 bias
    EXPECT_FALSE(net.layers[1].bias); // ConvInteger has none
    // A float Conv runs at the array's precision: no per-layer precision.
    for (const Layer& l : load_network(model("resnet18")).layers)
        EXPECT_FALSE(l.precision.has_value()) << l.name;
}

} // namespace
} // namespace lpdla
