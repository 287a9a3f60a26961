// ONNX import of the window geometry the layer set now carries (issue 10): dilation, asymmetric
// pads, auto_pad SAME_UPPER / SAME_LOWER with an odd total, ceil_mode (including a last window
// that would start in the end padding, where Debian's ONNX 1.12 shape inference disagrees with
// ONNX 1.16+, PyTorch and lpdla) and count_include_pad. Fixture: tools/gen_onnx_window_geometry.py
// (shape only, committed); every expected number is worked out by hand in that script's header.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../unit/test_support.h"
#include "lpdla/io/onnx_import.h"

namespace lpdla {
namespace {

std::string fixture() {
    return test::source_path("tests/onnx/geometry/window_geometry.onnx");
}

const Layer& layer(const Network& n, const char* name) {
    const int i = n.find(name);
    EXPECT_GE(i, 0) << name;
    return n.layers.at(std::size_t(i));
}

TEST(OnnxWindowGeometry, ImportCarriesEveryGeometry) {
    const Network n = load_network(fixture());
    ASSERT_EQ(n.layers.size(), 9u);

    const Layer& dil = layer(n, "conv_dilated");
    EXPECT_EQ(dil.dilation_h, 2);
    EXPECT_EQ(dil.dilation_w, 2);
    EXPECT_EQ(dil.out, (Shape{4, 4, 4}));
    EXPECT_EQ(dil.macs(), 4 * 4 * 4 * 3 * 9); // 1728: per output still 3 x 3 x 3 taps

    const Layer& asym = layer(n, "conv_asym");
    EXPECT_EQ(asym.pad_h, 0);
    EXPECT_EQ(asym.pad_w, 0);
    EXPECT_EQ(asym.bottom(), 1);
    EXPECT_EQ(asym.right(), 1);
    EXPECT_EQ(asym.stride_h, 2);
    EXPECT_EQ(asym.out, (Shape{4, 4, 4}));

    // SAME of a 2x2 at stride 1 pads 1 in total: SAME_UPPER puts it at the end, SAME_LOWER at
    // the start.
    const Layer& up = layer(n, "conv_same_up");
    EXPECT_EQ(up.pad_h, 0);
    EXPECT_EQ(up.bottom(), 1);
    EXPECT_EQ(up.right(), 1);
    EXPECT_EQ(up.out, (Shape{4, 8, 8}));
    const Layer& low = layer(n, "conv_same_low");
    EXPECT_EQ(low.pad_h, 1);
    EXPECT_EQ(low.pad_w, 1);
    EXPECT_EQ(low.bottom(), 0);
    EXPECT_EQ(low.right(), 0);
    EXPECT_EQ(low.out, (Shape{4, 8, 8}));
    EXPECT_EQ(low.macs(), 8 * 8 * 4 * 3 * 4); // 3072

    const Layer& ceil = layer(n, "pool_ceil");
    EXPECT_TRUE(ceil.ceil_mode);
    EXPECT_EQ(ceil.out, (Shape{3, 4, 4})); // floor mode would give 3

    // ONNX 1.12's inference says 5 (it keeps the window starting at the input's end); the pool
    // computes 4, and so does the conv after it.
    const Layer& drop = layer(n, "pool_drop");
    EXPECT_TRUE(drop.ceil_mode);
    EXPECT_EQ(drop.bottom(), 1);
    EXPECT_EQ(drop.out, (Shape{3, 4, 4}));
    EXPECT_EQ(layer(n, "after_drop").out, (Shape{4, 4, 4}));

    const Layer& avg = layer(n, "avg_incl_pad");
    EXPECT_EQ(avg.type, LayerType::avgpool);
    EXPECT_TRUE(avg.count_include_pad);
    EXPECT_EQ(avg.out, (Shape{3, 4, 4}));

    const Layer& pd = layer(n, "pool_dilated");
    EXPECT_EQ(pd.dilation_h, 2);
    EXPECT_EQ(pd.out, (Shape{3, 6, 6}));
    EXPECT_FALSE(pd.ceil_mode);
}

TEST(OnnxWindowGeometry, ImportedJsonWritesTheNewKeysAndReloadsTheSame) {
    const nlohmann::json doc = import_onnx_network(fixture());
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& l : doc["layers"]) by_name[l["name"].get<std::string>()] = l;
    EXPECT_EQ(by_name["conv_dilated"]["dilation"], nlohmann::json({2, 2}));
    EXPECT_EQ(by_name["conv_asym"]["pad"], nlohmann::json({0, 0, 1, 1}));
    EXPECT_EQ(by_name["conv_same_low"]["pad"], nlohmann::json({1, 1, 0, 0}));
    EXPECT_EQ(by_name["pool_ceil"]["ceil_mode"], true);
    EXPECT_EQ(by_name["avg_incl_pad"]["count_include_pad"], true);
    EXPECT_EQ(by_name["avg_incl_pad"]["pad"], nlohmann::json({1, 1})); // symmetric: two values
    EXPECT_FALSE(by_name["conv_same_up"].contains("dilation"));
    EXPECT_FALSE(by_name["pool_dilated"].contains("ceil_mode"));

    const std::string out = ::testing::TempDir() + "/window_geometry.json";
    const auto r = test::run_cli("import " + fixture() + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const Network reloaded = load_network(out);
    const Network imported = load_network(fixture());
    ASSERT_EQ(reloaded.layers.size(), imported.layers.size());
    for (std::size_t i = 0; i < imported.layers.size(); ++i) {
        const Layer& a = reloaded.layers[i];
        const Layer& b = imported.layers[i];
        SCOPED_TRACE(b.name);
        EXPECT_EQ(a.out, b.out);
        EXPECT_EQ(a.bottom(), b.bottom());
        EXPECT_EQ(a.right(), b.right());
        EXPECT_EQ(a.dilation_w, b.dilation_w);
        EXPECT_EQ(a.ceil_mode, b.ceil_mode);
        EXPECT_EQ(a.count_include_pad, b.count_include_pad);
    }
}

} // namespace
} // namespace lpdla
