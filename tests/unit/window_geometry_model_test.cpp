// Window geometry in the network model (issue 10): dilation, asymmetric pads, ceil-mode pools and
// count_include_pad read from the network JSON, their output sizes, MACs and loop nests, and the
// layers they keep from stride folding and Winograd. Every expected number is worked out by hand
// in the comment beside it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/performance.h"

namespace lpdla {
namespace {
using nlohmann::json;

json net_doc(int c, int h, int w, json layers) {
    return {{"schema", "lpdla.network/1"},
            {"name", "t"},
            {"input", {{"channels", c}, {"height", h}, {"width", w}}},
            {"layers", std::move(layers)}};
}

Network one_layer(int c, int h, int w, json layer) {
    layer["name"] = "l";
    layer["input"] = "data";
    return parse_network(net_doc(c, h, w, json::array({layer})), "t.json");
}

std::string error_of(int c, int h, int w, json layer) {
    try {
        one_layer(c, h, w, std::move(layer));
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        return e.what();
    }
    return "";
}

ArchConfig small_arch() {
    ArchConfig a;
    a.k_vec = 4, a.c_vec = 2, a.q_vec = 2, a.lanes = 2;
    a.precision = Precision{8, WeightKind::int8};
    a.mac_impl = MacImpl::dsp;
    return a;
}

TEST(WindowGeometryModel, DilatedConvOnASevenBySevenMap) {
    // 3x3 at dilation 2 spans 5 pixels: (7 - 5) / 1 + 1 = 3 outputs a side.
    const Network n = one_layer(
        2, 7, 7, {{"type", "conv"}, {"out_channels", 4}, {"kernel", 3}, {"dilation", {2, 2}}});
    const Layer& l = n.layers[0];
    EXPECT_EQ(l.dilation_h, 2);
    EXPECT_EQ(l.dilation_w, 2);
    EXPECT_EQ(l.out, (Shape{4, 3, 3}));
    // Per output position still K x C x R x S taps: 3 x 3 x 4 x 2 x 9 = 648; weights 4 x 2 x 9.
    EXPECT_EQ(l.macs(), 648);
    EXPECT_EQ(l.weights(), 72);
    // Loop nest (k_vec 4, c_vec 2, q_vec 2, lanes 2): ceil(3/2) x ceil(3/2) x 1 x ceil(4/4) x
    // ceil(2/2) x 3 x 3 = 2 x 2 x 9 = 36.
    const auto loops = loop_choices(plan_network(n, false), small_arch());
    EXPECT_EQ(loops[0].loop_iterations, 36);
    // Undilated, the same layer gives 5x5 outputs: 3 x 3 x 9 = 81 trips.
    const Network plain =
        one_layer(2, 7, 7, {{"type", "conv"}, {"out_channels", 4}, {"kernel", 3}});
    EXPECT_EQ(plain.layers[0].out, (Shape{4, 5, 5}));
    EXPECT_EQ(loop_choices(plan_network(plain, false), small_arch())[0].loop_iterations, 81);
}

TEST(WindowGeometryModel, DilationPerAxisAndOnPools) {
    // Dilation [1, 3] of a 3x3 on 9x9: height (9 - 3) + 1 = 7, width extent 7: (9 - 7) + 1 = 3.
    const Network n = one_layer(
        1, 9, 9, {{"type", "conv"}, {"out_channels", 1}, {"kernel", 3}, {"dilation", {1, 3}}});
    EXPECT_EQ(n.layers[0].out, (Shape{1, 7, 3}));
    // A 2x2 max pool at dilation 2 spans 3: (8 - 3) / 1 + 1 = 6.
    const Network p = one_layer(3, 8, 8, {{"type", "maxpool"}, {"kernel", 2}, {"dilation", 2}});
    EXPECT_EQ(p.layers[0].out, (Shape{3, 6, 6}));
}

TEST(WindowGeometryModel, AsymmetricPadsOnlyAtTheBottomAndRight) {
    // [top 0, left 0, bottom 1, right 1] (auto_pad SAME_UPPER of a 2x2): (5 + 1 - 2) + 1 = 5;
    // with no padding 4, with [1, 1] on both sides 6.
    const Network n = one_layer(
        3, 5, 5, {{"type", "conv"}, {"out_channels", 8}, {"kernel", 2}, {"pad", {0, 0, 1, 1}}});
    const Layer& l = n.layers[0];
    EXPECT_EQ(l.pad_h, 0);
    EXPECT_EQ(l.pad_w, 0);
    EXPECT_EQ(l.bottom(), 1);
    EXPECT_EQ(l.right(), 1);
    EXPECT_EQ(l.out, (Shape{8, 5, 5}));
    // 5 x 5 x 8 x 3 x 4 = 2400 MACs.
    EXPECT_EQ(l.macs(), 2400);
    // Stride 2, 3x3, pads [0, 0, 1, 1] on 8: (8 + 1 - 3) / 2 + 1 = 4 (rows 0..6 start windows).
    const Network s = one_layer(1, 8, 8,
                                {{"type", "conv"},
                                 {"out_channels", 1},
                                 {"kernel", 3},
                                 {"stride", 2},
                                 {"pad", {0, 0, 1, 1}}});
    EXPECT_EQ(s.layers[0].out, (Shape{1, 4, 4}));
    // Top and left only: [1, 2, 0, 0] of a 3x3 on 6x6: height 6 + 1 - 3 + 1 = 5, width 6.
    const Network t = one_layer(
        1, 6, 6, {{"type", "conv"}, {"out_channels", 1}, {"kernel", 3}, {"pad", {1, 2, 0, 0}}});
    EXPECT_EQ(t.layers[0].out, (Shape{1, 5, 6}));
    // The two-value and single forms keep meaning both sides.
    const Network two =
        one_layer(1, 6, 6, {{"type", "conv"}, {"out_channels", 1}, {"kernel", 3}, {"pad", {1, 0}}});
    EXPECT_EQ(two.layers[0].bottom(), 1);
    EXPECT_EQ(two.layers[0].right(), 0);
    EXPECT_EQ(two.layers[0].out, (Shape{1, 6, 4}));
}

TEST(WindowGeometryModel, CeilModePoolOnFiftySix) {
    // 3x3 stride 2 on 56: floor((56 - 3) / 2) + 1 = 27; ceil(53 / 2) + 1 = 28.
    const json pool = {{"type", "maxpool"}, {"kernel", 3}, {"stride", 2}};
    EXPECT_EQ(one_layer(64, 56, 56, pool).layers[0].out, (Shape{64, 27, 27}));
    json ceil = pool;
    ceil["ceil_mode"] = true;
    const Network n = one_layer(64, 56, 56, ceil);
    EXPECT_TRUE(n.layers[0].ceil_mode);
    EXPECT_EQ(n.layers[0].out, (Shape{64, 28, 28}));
    // The aux loop follows the output: ceil(28 / 2 lanes) x 28 x ceil(64 / 4) = 14 x 28 x 16.
    EXPECT_EQ(loop_choices(plan_network(n, false), small_arch())[0].loop_iterations, 6272);
    // Where every window fits, ceil mode changes nothing: (7 - 3) / 2 + 1 = 3 either way.
    EXPECT_EQ(one_layer(1, 7, 7, ceil).layers[0].out, (Shape{1, 3, 3}));
}

TEST(WindowGeometryModel, CeilModeDropsAWindowStartingInTheEndPadding) {
    // 2x2 stride 2, pad 1 on 5: span 5 + 2 - 2 = 5, ceil(5 / 2) + 1 = 4 windows starting at
    // padded rows 0, 2, 4, 6; row 6 is past the input (rows 1..5 of the padded map), so it is
    // dropped: 3 (ONNX, PyTorch).
    const Network n = one_layer(
        2, 5, 5,
        {{"type", "maxpool"}, {"kernel", 2}, {"stride", 2}, {"pad", 1}, {"ceil_mode", true}});
    EXPECT_EQ(n.layers[0].out, (Shape{2, 3, 3}));
    // Pads [0, 0, 1, 1] on 8: span 7, ceil 4 + 1 = 5 windows at 0, 2, 4, 6, 8; 8 = the input's
    // end: dropped, 4.
    const Network a = one_layer(1, 8, 8,
                                {{"type", "avgpool"},
                                 {"kernel", 2},
                                 {"stride", 2},
                                 {"pad", {0, 0, 1, 1}},
                                 {"ceil_mode", true}});
    EXPECT_EQ(a.layers[0].out, (Shape{1, 4, 4}));
    // The rule itself, per axis: kept when the last start (3 x 2 = 6) is inside 7 + 0.
    EXPECT_EQ(window_outputs(7, 2, 2, 0, 1, 1, true), 4);
    EXPECT_EQ(window_outputs(7, 2, 2, 0, 1, 1, false), 4);
    EXPECT_EQ(window_outputs(6, 2, 2, 0, 1, 1, true), 3);
}

TEST(WindowGeometryModel, CountIncludePadIsAnAveragePoolFlag) {
    // 3x3 stride 2 pad 1 on 8: (8 + 2 - 3) / 2 + 1 = 4; the flag changes the divisor only.
    const Network n = one_layer(2, 8, 8,
                                {{"type", "avgpool"},
                                 {"kernel", 3},
                                 {"stride", 2},
                                 {"pad", 1},
                                 {"count_include_pad", true}});
    EXPECT_TRUE(n.layers[0].count_include_pad);
    EXPECT_EQ(n.layers[0].out, (Shape{2, 4, 4}));
    EXPECT_FALSE(
        one_layer(2, 8, 8, {{"type", "avgpool"}, {"kernel", 3}}).layers[0].count_include_pad);
}

TEST(WindowGeometryModel, StrictErrorsNameTheKeyAndWhatIsValid) {
    const json conv = {{"type", "conv"}, {"out_channels", 4}, {"kernel", 3}};
    const auto with = [&](json layer, const char* key, json value) {
        layer[key] = std::move(value);
        return layer;
    };
    std::string e = error_of(3, 8, 8, with(conv, "pad", {1, 1, 1}));
    EXPECT_NE(e.find("/layers/0/pad: has 3 values; expected an integer, [height, width] or [top, "
                     "left, bottom, right]"),
              std::string::npos)
        << e;
    e = error_of(3, 8, 8, with(conv, "pad", {0, 0, -1, 0}));
    EXPECT_NE(e.find("/layers/0/pad/2"), std::string::npos) << e;
    e = error_of(3, 8, 8, with(conv, "pad", "same"));
    EXPECT_NE(e.find("/layers/0/pad: is not an integer or an array"), std::string::npos) << e;
    e = error_of(3, 8, 8, with(conv, "dilation", {0, 1}));
    EXPECT_NE(e.find("/layers/0/dilation/0"), std::string::npos) << e;
    e = error_of(3, 8, 8, with(conv, "dilation", {2, 2, 2}));
    EXPECT_NE(e.find("/layers/0/dilation"), std::string::npos) << e;
    e = error_of(3, 8, 8, {{"type", "fc"}, {"out_features", 10}, {"dilation", 2}});
    EXPECT_NE(e.find("/layers/0/dilation: applies to conv, maxpool and avgpool layers only, not "
                     "to a fc layer"),
              std::string::npos)
        << e;
    e = error_of(3, 8, 8, with(conv, "ceil_mode", true));
    EXPECT_NE(e.find("/layers/0/ceil_mode: applies to maxpool and avgpool layers only, not to a "
                     "conv layer (a conv has no ceil mode: pad its end instead)"),
              std::string::npos)
        << e;
    e = error_of(3, 8, 8,
                 {{"type", "maxpool"}, {"kernel", 2}, {"pad", 1}, {"count_include_pad", true}});
    EXPECT_NE(e.find("/layers/0/count_include_pad: applies to avgpool layers"), std::string::npos)
        << e;
    e = error_of(3, 8, 8, {{"type", "avgpool"}, {"global", true}, {"ceil_mode", true}});
    EXPECT_NE(e.find("/layers/0/ceil_mode: a global pool covers the whole map"), std::string::npos)
        << e;
    e = error_of(3, 8, 8, {{"type", "maxpool"}, {"kernel", 2}, {"ceil_mode", 1}});
    EXPECT_NE(e.find("/layers/0/ceil_mode"), std::string::npos) << e;
    // A dilated extent larger than the padded input: 3x3 at dilation 4 spans 9 > 8.
    e = error_of(3, 8, 8, with(conv, "dilation", 4));
    EXPECT_NE(e.find("kernel 3x3 dilated 4x4 (extent 9x9) with pad 0x0 is larger than its 8x8 "
                     "input"),
              std::string::npos)
        << e;
}

TEST(WindowGeometryModel, DilatedOrAsymmetricConvsDoNotFold) {
    // A 3x3 stride-2 conv over 8 channels on 16x16, pad 1: 8x8 outputs, 16 filters.
    // Direct (k_vec 4, c_vec 2, q_vec 2, lanes 2): 4 x 4 x 4 x 4 x 9 = 2304 trips.
    // Folded: 32 channels, a 2x2 kernel: 4 x 4 x 4 x 16 x 4 = 4096 -- longer, so use c_vec 32:
    // direct 4 x 4 x 4 x 1 x 9 = 576, folded 4 x 4 x 4 x 1 x 4 = 256.
    ArchConfig a = small_arch();
    a.c_vec = 32;
    a.fold_strides = true;
    const json conv = {
        {"type", "conv"}, {"out_channels", 16}, {"kernel", 3}, {"stride", 2}, {"pad", 1}};
    const Network plain = one_layer(8, 16, 16, conv);
    const auto folded = loop_choices(plan_network(plain, false), a);
    EXPECT_TRUE(folded[0].folded);
    EXPECT_EQ(folded[0].loop_iterations, 256);
    // Pads [1, 1, 0, 0]: (16 + 1 - 3) / 2 + 1 = 8 outputs still, but the fold's mapping assumes
    // equal padding on both sides (ref::fold_problem): direct, 576.
    json asym = conv;
    asym["pad"] = {1, 1, 0, 0};
    const Network an = one_layer(8, 16, 16, asym);
    ASSERT_EQ(an.layers[0].out, (Shape{16, 8, 8}));
    const auto al = loop_choices(plan_network(an, false), a);
    EXPECT_FALSE(al[0].folded);
    EXPECT_EQ(al[0].loop_iterations, 576);
    // Dilation 2, pad 2: (16 + 4 - 5) / 2 + 1 = 8 outputs; taps are not adjacent: direct, 576.
    json dil = conv;
    dil["dilation"] = 2;
    dil["pad"] = 2;
    const Network dn = one_layer(8, 16, 16, dil);
    ASSERT_EQ(dn.layers[0].out, (Shape{16, 8, 8}));
    const auto dl = loop_choices(plan_network(dn, false), a);
    EXPECT_FALSE(dl[0].folded);
    EXPECT_EQ(dl[0].loop_iterations, 576);
    // fold_stride leaves such a layer as it is.
    const PlannedLayer p = plan_network(dn, false).layers[0];
    EXPECT_FALSE(fold_geometry_ok(p));
    EXPECT_EQ(fold_stride(p).c_per_group, 8);
    EXPECT_EQ(fold_stride(p).stride_h, 2);
}

TEST(WindowGeometryModel, WinogradOnlyForUndilatedRows) {
    // A Winograd mode (int16 x 16-bit on DSPs, q_vec 2: F(2,3)).
    ArchConfig a = small_arch();
    a.precision = Precision{16, WeightKind::int16};
    a.mac_impl = MacImpl::dsp;
    a.fold_strides = false;
    const json conv = {{"type", "conv"}, {"out_channels", 4}, {"kernel", 3}, {"pad", 2}};
    // 3x3 pad 2 on 8x8: undilated 10x10 outputs, Winograd: 5 x 5 x 1 x 1 x 3 x ceil(3/3) = 75.
    const Network plain = one_layer(2, 8, 8, conv);
    const auto pl = loop_choices(plan_network(plain, false), a);
    EXPECT_TRUE(pl[0].winograd);
    EXPECT_EQ(pl[0].loop_iterations, 75);
    // Dilation 2 along the row: 8x8 outputs, direct: 4 x 4 x 3 x 3 = 144.
    json dil = conv;
    dil["dilation"] = 2;
    const auto dl = loop_choices(plan_network(one_layer(2, 8, 8, dil), false), a);
    EXPECT_FALSE(dl[0].winograd);
    EXPECT_EQ(dl[0].loop_iterations, 144);
    // Dilation only down the columns keeps the rows' taps adjacent: 8x10 outputs, Winograd:
    // 4 x 5 x 3 x 1 = 60.
    dil["dilation"] = {2, 1};
    const auto vl = loop_choices(plan_network(one_layer(2, 8, 8, dil), false), a);
    EXPECT_TRUE(vl[0].winograd);
    EXPECT_EQ(vl[0].loop_iterations, 60);
}

} // namespace
} // namespace lpdla
