// Concat (issue 10): an inception-like block worked by hand. The concat is a view: its producers
// write at channel offsets of one stream-buffer region, so it costs no cycles and no DDR traffic,
// and what it changes is the live set (its inputs stay live until its readers have read them).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/model/estimate.h"
#include "lpdla/model/memory_sizing.h"
#include "lpdla/model/performance.h"
#include "test_support.h"

namespace lpdla {
namespace {

using nlohmann::json;

json conv(const char* name, const char* input, int k, int r) {
    return {{"name", name},      {"type", "conv"},   {"input", input},
            {"out_channels", k}, {"kernel", {r, r}}, {"pad", {r / 2, r / 2}}};
}

json relu(const char* name, const char* input) {
    return {{"name", name}, {"type", "relu"}, {"input", input}};
}

Network parse(int c, int hw, json layers) {
    const json doc = {{"schema", "lpdla.network/1"},
                      {"name", "inception_block"},
                      {"input", {{"name", "data"}, {"channels", c}, {"height", hw}, {"width", hw}}},
                      {"layers", std::move(layers)}};
    return parse_network(doc, "inception_block.json");
}

// 3x16x16 image; stem 3x3 conv to 8 channels; four branches of the stem (1x1; 1x1 reduce to 4
// then 3x3; 1x1 reduce to 2 then 5x5; 3x3 stride-1 max pool then 1x1 projection) joined by a
// concat of 8 + 8 + 4 + 4 = 24 channels; a 1x1 head of 10 channels reads the concat.
Network inception_block() {
    return parse(3, 16,
                 json::array({conv("stem", "data", 8, 3),
                              relu("stem_relu", "stem"),
                              conv("b1", "stem_relu", 8, 1),
                              relu("b1_relu", "b1"),
                              conv("b2_reduce", "stem_relu", 4, 1),
                              conv("b2", "b2_reduce", 8, 3),
                              relu("b2_relu", "b2"),
                              conv("b3_reduce", "stem_relu", 2, 1),
                              conv("b3", "b3_reduce", 4, 5),
                              relu("b3_relu", "b3"),
                              {{"name", "b4_pool"},
                               {"type", "maxpool"},
                               {"input", "stem_relu"},
                               {"kernel", {3, 3}},
                               {"stride", {1, 1}},
                               {"pad", {1, 1}}},
                              conv("b4", "b4_pool", 4, 1),
                              relu("b4_relu", "b4"),
                              {{"name", "cat"},
                               {"type", "concat"},
                               {"inputs", {"b1_relu", "b2_relu", "b3_relu", "b4_relu"}}},
                              conv("head", "cat", 10, 1)}));
}

TEST(Concat, ShapeAndMacsOfTheInceptionBlock) {
    const Network n = inception_block();
    const Layer& cat = n.layers[std::size_t(n.find("cat"))];
    EXPECT_EQ(cat.type, LayerType::concat);
    EXPECT_EQ(cat.out, (Shape{24, 16, 16}));
    EXPECT_EQ(cat.macs(), 0);
    EXPECT_EQ(cat.weights(), 0);
    EXPECT_EQ(n.layers[std::size_t(n.find("head"))].in, (Shape{24, 16, 16}));
    // 256 output pixels each: stem 8x3x9 = 216, b1 8x8 = 64, b2_reduce 4x8 = 32, b2 8x4x9 =
    // 288, b3_reduce 2x8 = 16, b3 4x2x25 = 200, b4 4x8 = 32, head 10x24 = 240; 1088 per pixel.
    EXPECT_EQ(n.macs(), 256 * 1088);
    EXPECT_EQ(n.macs(), 278'528);
}

TEST(Concat, InputsStayLiveUntilTheConcatsReaderAndNothingIsCopied) {
    const Network n = inception_block();
    const NetworkPlan plan = plan_network(n, false);
    const auto live = [&](const char* name) {
        return plan.layers[std::size_t(n.find(name))].live_elements;
    };
    // Stored maps (elements): stem 8x256 = 2048 (four readers), b1 2048, b2_reduce 1024, b2
    // 2048, b3_reduce 512, b3 1024, b4_pool 2048 (a separate pass: the stem has other readers),
    // b4 1024. The branch outputs b1, b2, b3 and b4 stay live until the head reads the concat.
    EXPECT_EQ(live("stem"), 2048);
    EXPECT_EQ(live("b1"), 2048 + 2048);
    EXPECT_EQ(live("b2"), 2048 + 2048 + 1024 + 2048);             // stem, b1, b2_reduce, b2
    EXPECT_EQ(live("b3"), 2048 + 2048 + 2048 + 512 + 1024);       // stem, b1, b2, b3_reduce, b3
    EXPECT_EQ(live("b4_pool"), 2048 + 2048 + 2048 + 1024 + 2048); // stem's last reader
    EXPECT_EQ(live("b4"), 2048 + 2048 + 1024 + 2048 + 1024);      // b1, b2, b3, b4_pool, b4
    // The head reads the concat's region, which is exactly the four branch outputs: 6144.
    EXPECT_EQ(live("head"), 6144);
    // The largest live set is at the pool: 9216 elements. A concat that copied its inputs into
    // a map of its own would hold 6144 + 6144 = 12288 at once.
    EXPECT_EQ(plan.conv_live_elements, 9216);
    ArchConfig a;
    a.precision = Precision{8, WeightKind::int8};
    // 9216 x 8 bits = 73,728 bits = 9 KiB exactly.
    EXPECT_EQ(stream_buffer_bits_needed(plan, a), 73'728);
    EXPECT_EQ(stream_buffer_kib_needed(plan, a), 9);
}

TEST(Concat, CostsNoCyclesAndNoTrafficEvenWhenMapsSpill) {
    const Network n = inception_block();
    ArchConfig a;
    a.k_vec = 4, a.c_vec = 4, a.q_vec = 4, a.lanes = 1;
    a.precision = Precision{8, WeightKind::int8};
    a.fold_strides = false;
    a.stream_buffer_kib = 1; // 8192 bits: every live set above 1024 elements spills
    const Estimate e = estimate(test::device_with_fixed_timing("arria10_gx1150"), n, a);
    const LayerPerf& cat = e.layers[std::size_t(n.find("cat"))];
    EXPECT_EQ(cat.loop_iterations, 0);
    EXPECT_EQ(cat.cycles.total(), 0);
    EXPECT_EQ(cat.cycles.compute, 0);
    EXPECT_EQ(cat.cycles.fill_drain, 0);
    EXPECT_EQ(cat.cycles.control, 0);
    EXPECT_EQ(cat.cycles.memory_stall, 0);
    EXPECT_EQ(cat.cycles_per_image, 0);
    EXPECT_EQ(cat.ddr_bytes_per_image, 0);
    EXPECT_FALSE(cat.spilled);
    // The head spills (6144 live elements) and reads the concat's region from DDR: the four
    // branch outputs, 6144 bytes at 8 bits, plus its 10 x 24 int8 weights; its own output has
    // no reader and is not stored.
    const LayerPerf& head = e.layers[std::size_t(n.find("head"))];
    EXPECT_TRUE(head.spilled);
    EXPECT_DOUBLE_EQ(head.ddr_bytes_per_image, 6144 + 240);
    // The model's loop for the head: 16 rows x ceil(16/4) x ceil(10/4) x ceil(24/4) = 1536.
    EXPECT_EQ(head.loop_iterations, 16 * 4 * 3 * 6);
}

TEST(Concat, APoolAfterAConcatRunsAsASeparatePass) {
    const Network n =
        parse(3, 8,
              json::array({conv("a", "data", 4, 1),
                           conv("b", "data", 4, 3),
                           {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a", "b"}}},
                           {{"name", "pool"},
                            {"type", "maxpool"},
                            {"input", "cat"},
                            {"kernel", {2, 2}},
                            {"stride", {2, 2}}}}));
    const NetworkPlan plan = plan_network(n, false);
    const PlannedLayer& pool = plan.layers[3];
    EXPECT_EQ(pool.aux_mode, AuxMode::separate_pass);
    EXPECT_EQ(pool.blocker, FusionBlocker::producer_is_concat);
    // a and b (4x8x8 each) are live while the pool runs; the pool's output has no reader.
    EXPECT_EQ(pool.live_elements, 2 * 256);
}

TEST(Concat, AConcatOfAConcatKeepsTheInnerInputsLiveUntilTheOuterReader) {
    const Network n =
        parse(2, 4,
              json::array({conv("a", "data", 1, 1),
                           conv("b", "data", 2, 1),
                           {{"name", "ab"}, {"type", "concat"}, {"inputs", {"a", "b"}}},
                           conv("c", "data", 3, 1),
                           {{"name", "abc"}, {"type", "concat"}, {"inputs", {"ab", "c"}}},
                           conv("d", "abc", 5, 1)}));
    EXPECT_EQ(n.layers[4].out, (Shape{6, 4, 4}));
    const NetworkPlan plan = plan_network(n, false);
    // While d runs: a, b and c (1 + 2 + 3 channels of 16 pixels) = 96; nothing copied.
    EXPECT_EQ(plan.layers[5].live_elements, 96);
    EXPECT_EQ(plan.conv_live_elements, 96);
}

TEST(Concat, RefusesShapesItCannotJoinNamingTheLayer) {
    const auto message = [](json layers) {
        try {
            parse(3, 8, std::move(layers));
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string hw =
        message(json::array({conv("a", "data", 4, 1),
                             {{"name", "p"},
                              {"type", "maxpool"},
                              {"input", "a"},
                              {"kernel", {2, 2}},
                              {"stride", {2, 2}}},
                             {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a", "p"}}}}));
    EXPECT_NE(hw.find("concat layer 'cat'"), std::string::npos) << hw;
    EXPECT_NE(hw.find("'a' (4x8x8)"), std::string::npos) << hw;
    EXPECT_NE(hw.find("'p' (4x4x4)"), std::string::npos) << hw;
    const std::string one = message(json::array(
        {conv("a", "data", 4, 1), {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a"}}}}));
    EXPECT_NE(one.find("two or more"), std::string::npos) << one;
    const std::string image =
        message(json::array({conv("a", "data", 3, 1),
                             {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a", "data"}}}}));
    EXPECT_NE(image.find("network input 'data'"), std::string::npos) << image;
    const std::string key = message(
        json::array({conv("a", "data", 3, 1),
                     conv("b", "data", 3, 1),
                     {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a", "b"}}, {"axis", 1}}}));
    EXPECT_NE(key.find("axis"), std::string::npos) << key;
}

TEST(Concat, GoogLeNetsLargestLiveSetIsAtInception3bsPoolBranch) {
    // While inception3b's pool branch (3x3 stride-1 max pool of the 3a concat, a separate pass:
    // three other branches read that map too) runs: 3a's four outputs, 256 x 28 x 28, still read
    // by the pool; 3b's 1x1, 3x3 and "5x5" branch outputs, (128 + 192 + 96) x 28 x 28, waiting
    // for 3b's concat's readers; the pool's output, 256 x 28 x 28. Every earlier map is smaller
    // (the stem's 112x112 conv streams into its fused pool and is never stored).
    const Network n = test::network("googlenet");
    const NetworkPlan plan = plan_network(n, false);
    const std::int64_t at_pool = (256 + 128 + 192 + 96 + 256) * 28 * 28;
    EXPECT_EQ(plan.layers[std::size_t(n.find("inception3b.branch4.0"))].live_elements, at_pool);
    EXPECT_EQ(plan.conv_live_elements, at_pool);
    EXPECT_EQ(at_pool, 727'552);
    ArchConfig a;
    a.precision = Precision{8, WeightKind::int8};
    EXPECT_EQ(stream_buffer_kib_needed(plan, a), 711); // 727,552 bytes = 710.5 KiB, rounded up
}

TEST(Concat, EstimateJsonOfGoogLeNetGivesEachConcatZeroCycles) {
    const auto r = test::run_cli("estimate --device arria10_gx1150 --network googlenet --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const json j = json::parse(r.out);
    int concats = 0;
    for (const json& l : j.at("layers")) {
        if (l.at("type") != "concat") continue;
        ++concats;
        EXPECT_EQ(l.at("loop_iterations"), 0) << l.at("name");
        EXPECT_EQ(l.at("cycles"), 0.0) << l.at("name");
        EXPECT_EQ(l.at("ddr_bytes"), 0.0) << l.at("name");
        for (const auto& [part, cycles] : l.at("cycle_breakdown").items())
            EXPECT_EQ(cycles, 0.0) << l.at("name") << " " << part;
    }
    EXPECT_EQ(concats, 9); // one per inception module, 3a to 5b
}

} // namespace
} // namespace lpdla
