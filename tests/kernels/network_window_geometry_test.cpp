// run_network carries the window geometry of the network model (issue 10) to the kernels: a
// dilated conv, an asymmetrically padded strided conv, ceil-mode pools (one dropping a window that
// would start in the end padding) and a count_include_pad average, each bit-exact against the
// reference with its trip count equal to the model's loop iterations and to the count worked out
// by hand below.
#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

TEST(NetworkWindowGeometry, EachLayerBitExactWithHandWorkedTrips) {
    // k_vec 4, c_vec 16, q_vec 2, lanes 2: a c_vec wide enough that stride folding would pay off
    // for conv_a (direct 72 trips, folded 2 x 2 x 2 x ceil(16/16) x 2 x 2 = 32) if its padding
    // allowed it.
    const ArchConfig a = arch(4, 16, 2, 2, 8, WeightKind::int8);
    const Network net = network(3, 13, 13, nlohmann::json::parse(R"([
      {"name": "conv_d", "type": "conv", "input": "data", "out_channels": 4, "kernel": 3,
       "dilation": [2, 2]},
      {"name": "relu_d", "type": "relu", "input": "conv_d"},
      {"name": "conv_a", "type": "conv", "input": "relu_d", "out_channels": 8, "kernel": 3,
       "stride": 2, "pad": [0, 0, 1, 1]},
      {"name": "relu_a", "type": "relu", "input": "conv_a"},
      {"name": "pool_c", "type": "maxpool", "input": "relu_a", "kernel": 3, "stride": 2,
       "ceil_mode": true},
      {"name": "pool_d", "type": "maxpool", "input": "relu_a", "kernel": 2, "stride": 2,
       "pad": [0, 0, 1, 1], "ceil_mode": true},
      {"name": "avg_i", "type": "avgpool", "input": "relu_a", "kernel": 3, "pad": 1,
       "count_include_pad": true},
      {"name": "conv_s", "type": "conv", "input": "relu_a", "out_channels": 4, "kernel": 2,
       "pad": [1, 1, 0, 0]}
    ])"));
    // Shapes by hand: conv_d 13 - 5 + 1 = 9; conv_a (9 + 1 - 3) / 2 + 1 = 4; pool_c ceil(1/2) + 1
    // = 2 (floor mode 1); pool_d ceil(3/2) + 1 = 3 windows at 0, 2, 4, the one at 4 = the input's
    // end dropped: 2; avg_i (4 + 2 - 3) + 1 = 4; conv_s 4 + 1 - 2 + 1 = 4.
    const std::map<std::string, Shape> shapes = {{"conv_d", {4, 9, 9}}, {"conv_a", {8, 4, 4}},
                                                 {"pool_c", {8, 2, 2}}, {"pool_d", {8, 2, 2}},
                                                 {"avg_i", {8, 4, 4}},  {"conv_s", {4, 4, 4}}};
    for (const auto& [name, shape] : shapes) EXPECT_EQ(net.layers[net.find(name)].out, shape);
    // Trips: conv ceil(OH/2) x ceil(OW/2) x ceil(K/4) x ceil(C/16) x R x S; aux ceil(OH/2) x OW x
    // ceil(C/4). conv_d 5 x 5 x 1 x 1 x 9; conv_a 2 x 2 x 2 x 1 x 9; pool_c 1 x 2 x 2; pool_d the
    // same; avg_i 2 x 4 x 2; conv_s 2 x 2 x 1 x 1 x 4.
    const std::map<std::string, std::int64_t> trips = {{"conv_d", 225}, {"conv_a", 72},
                                                       {"pool_c", 4},   {"pool_d", 4},
                                                       {"avg_i", 16},   {"conv_s", 16}};
    const auto results = expect_bit_exact(net, a);
    int checked = 0;
    for (const auto& r : results) {
        auto it = trips.find(r.name);
        if (it == trips.end()) continue;
        ++checked;
        EXPECT_EQ(r.trip_count, it->second) << r.name;
        EXPECT_EQ(r.model_cycles, it->second) << r.name;
        EXPECT_FALSE(r.folded) << r.name;
    }
    EXPECT_EQ(checked, 6);
}

TEST(NetworkWindowGeometry, ImportedOnnxGeometryRunsBitExact) {
    // The importer's fixture (tests/onnx/geometry, tools/gen_onnx_window_geometry.py): dilation,
    // asymmetric and SAME pads, ceil mode, count_include_pad, a dilated pool, through the model
    // and the kernels.
    const Network net = load_network(std::filesystem::path(LPDLA_SOURCE_DIR) / "tests" / "onnx" /
                                     "geometry" / "window_geometry.onnx");
    ASSERT_EQ(net.layers.size(), 9u);
    const auto results = expect_bit_exact(net, arch(4, 4, 2, 2, 8, WeightKind::int8));
    EXPECT_EQ(results.size(), 9u);
}

} // namespace
} // namespace lpdla::test
