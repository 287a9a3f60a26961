// Concat through run_network: an inception block's branches run on the kernels, their outputs
// placed at channel offsets of one region, bit-exact against the reference's concatenation, and
// every compute layer's trip count equal to the model's loop iterations.
#include "kernel_test_support.h"

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

// 1x1, 3x3 and 5x5 branches and a pool branch into a concat, a 1x1 conv reading it.
json inception_layers() {
    return json::array({conv("stem", "data", 8, 3),
                        relu("stem_relu", "stem"),
                        conv("b1", "stem_relu", 8, 1),
                        relu("b1_relu", "b1"),
                        conv("b2_reduce", "stem_relu", 4, 1),
                        relu("b2_reduce_relu", "b2_reduce"),
                        conv("b2", "b2_reduce_relu", 8, 3),
                        relu("b2_relu", "b2"),
                        conv("b3_reduce", "stem_relu", 2, 1),
                        relu("b3_reduce_relu", "b3_reduce"),
                        conv("b3", "b3_reduce_relu", 4, 5),
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
                        conv("head", "cat", 10, 1)});
}

TEST(ConcatRun, InceptionBlockIsBitExactWithModelTrips) {
    const Network net = test::network(3, 12, 12, inception_layers());
    const ArchConfig a = test::arch(4, 4, 4, 2, 8, WeightKind::int8);
    const auto results = test::expect_bit_exact(net, a);
    // Model loop iterations of each compute layer, worked from the loop nest (direct; no layer
    // is strided, so nothing folds): ceil(12/2) rows x ceil(12/4) column groups x
    // ceil(K/4) x ceil(C/4) x R x S.
    const std::map<std::string, std::int64_t> trips = {
        {"stem", 6 * 3 * 2 * 1 * 9}, {"b1", 6 * 3 * 2 * 2},        {"b2_reduce", 6 * 3 * 1 * 2},
        {"b2", 6 * 3 * 2 * 1 * 9},   {"b3_reduce", 6 * 3 * 1 * 2}, {"b3", 6 * 3 * 1 * 1 * 25},
        {"b4", 6 * 3 * 1 * 2},       {"head", 6 * 3 * 3 * 6}};
    int compute = 0;
    bool saw_concat = false;
    for (const auto& r : results) {
        if (auto it = trips.find(r.name); it != trips.end()) {
            ++compute;
            EXPECT_TRUE(r.executed) << r.name;
            EXPECT_EQ(r.trip_count, it->second) << r.name;
            EXPECT_EQ(r.model_cycles, it->second) << r.name;
        }
        if (r.name == "cat") {
            saw_concat = true;
            EXPECT_EQ(r.type, "concat");
            EXPECT_FALSE(r.executed); // no kernel: the producers wrote its channels
            EXPECT_EQ(r.trip_count, 0);
            EXPECT_EQ(r.model_cycles, 0);
            EXPECT_EQ(r.values, 24 * 12 * 12);
            EXPECT_EQ(r.mismatches, 0);
            EXPECT_NE(r.note.find("'b3_relu' at channel 16"), std::string::npos) << r.note;
            EXPECT_NE(r.note.find("'b4_relu' at channel 20"), std::string::npos) << r.note;
        }
    }
    EXPECT_EQ(compute, 8);
    EXPECT_TRUE(saw_concat);
}

TEST(ConcatRun, RefusesInputsOfDifferentActivationFormatsNamingTheLayer) {
    // 'a' feeds a ReLU (unsigned outputs), 'b' does not (signed): one region cannot hold both.
    const Network net = test::network(
        3, 6, 6,
        json::array({conv("a", "data", 4, 1),
                     relu("a_relu", "a"),
                     conv("b", "data", 4, 1),
                     {{"name", "cat"}, {"type", "concat"}, {"inputs", {"a_relu", "b"}}},
                     conv("head", "cat", 4, 1)}));
    ArchConfig a = test::arch(4, 4, 4, 1, 8, WeightKind::int8);
    a.fold_strides = false;
    try {
        run_network(test::runner_for(a), net, a, RunOptions{});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("layer 'cat'"), std::string::npos) << what;
        EXPECT_NE(what.find("8-bit unsigned"), std::string::npos) << what;
        EXPECT_NE(what.find("8-bit signed"), std::string::npos) << what;
    }
}

} // namespace
} // namespace lpdla
