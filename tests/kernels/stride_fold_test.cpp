// Stride folding (space-to-depth) as the kernels realise it: the host rearranges input and
// weights, the unchanged stride-1 conv kernel runs, and the result must equal the reference of
// the original strided conv bit for bit, with the trip count of the model's folded loop nest.
// The expected values below are worked out by hand in the comments, not taken from the code.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "kernel_test_support.h"
#include "lpdla/model/estimate.h"

namespace lpdla::test {
namespace {

// Also used for constants at namespace scope, so a wrong size throws rather than asserts.
ref::Tensor tensor(int c, int h, int w, std::vector<std::int64_t> values) {
    ref::Tensor t(c, h, w);
    if (values.size() != t.values.size()) throw std::logic_error("tensor: wrong value count");
    t.values = std::move(values);
    return t;
}

ref::Weights weights(int k, int cg, int r, int s, WeightKind kind,
                     std::vector<std::int64_t> values) {
    ref::Weights w{k, cg, r, s, kind, std::move(values)};
    if (w.values.size() != std::size_t(k) * cg * r * s)
        throw std::logic_error("weights: wrong value count");
    return w;
}

const ref::ActFormat act8{8, false};

// A 4x4 ramp 1..16 (row-major), one 2x2 kernel [[1, 2], [3, 4]] at stride 2. Folded: four
// channels of 2x2, channel (dr * 2 + ds) holding pixels (2Y + dr, 2X + ds):
//   ch0 = [1 3; 9 11], ch1 = [2 4; 10 12], ch2 = [5 7; 13 15], ch3 = [6 8; 14 16],
// and a 1x1 kernel [1, 2, 3, 4] over them. Output (0,0) = 1*1 + 2*2 + 5*3 + 6*4 = 44,
// (0,1) = 3 + 8 + 21 + 32 = 64, (1,0) = 9 + 20 + 39 + 56 = 124, (1,1) = 11 + 24 + 45 + 64 = 144.
const ref::Tensor ramp4 = tensor(1, 4, 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
const ref::Weights k2x2 = weights(1, 1, 2, 2, WeightKind::int8, {1, 2, 3, 4});
const ref::ConvGeometry stride2{2, 2, 0, 0, 1};
const std::vector<std::int64_t> ramp4_out = {44, 64, 124, 144};

TEST(StrideFoldReference, FourByFourStrideTwoFoldsToOneByOne) {
    const ref::FoldedConv f = ref::fold_conv(ramp4, act8, k2x2, stride2);
    EXPECT_EQ(f.input.channels, 4);
    EXPECT_EQ(f.input.height, 2);
    EXPECT_EQ(f.input.width, 2);
    EXPECT_EQ(f.input.values,
              (std::vector<std::int64_t>{1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16}));
    EXPECT_EQ(f.weights.in_per_group, 4);
    EXPECT_EQ(f.weights.kernel_h, 1);
    EXPECT_EQ(f.weights.kernel_w, 1);
    EXPECT_EQ(f.weights.values, (std::vector<std::int64_t>{1, 2, 3, 4}));
    EXPECT_EQ(f.geometry.stride_h, 1);
    EXPECT_EQ(f.geometry.pad_h, 0);
    EXPECT_EQ(ref::conv_accumulate(f.input, f.weights, {}, f.geometry).values, ramp4_out);
    EXPECT_EQ(ref::conv_accumulate(ramp4, k2x2, {}, stride2).values, ramp4_out);
}

// A 3x3 ramp 1..9 and a 3x3 kernel 1..9 (w(r, s) = 3r + s + 1) at stride 2, padding 1: a 2x2
// output. Folded: the kernel pads to 4x4 with zeros and becomes 2x2 over 4 phase channels; the
// padded 5x5 input is cut to the (2 + 2 - 1) = 3 rows and columns the folded kernel reads.
// By hand (in(y, x) = 3y + x + 1, taps outside the input skipped):
//   out(0,0) = w(1,1)in(0,0) + w(1,2)in(0,1) + w(2,1)in(1,0) + w(2,2)in(1,1) = 5+12+32+45 = 94
//   out(0,1) = w(1,0)in(0,1) + w(1,1)in(0,2) + w(2,0)in(1,1) + w(2,1)in(1,2) = 8+15+35+48 = 106
//   out(1,0) = w(0,1)in(1,0) + w(0,2)in(1,1) + w(1,1)in(2,0) + w(1,2)in(2,1) = 8+15+35+48 = 106
//   out(1,1) = w(0,0)in(1,1) + w(0,1)in(1,2) + w(1,0)in(2,1) + w(1,1)in(2,2) = 5+12+32+45 = 94
TEST(StrideFoldReference, PaddingIsAppliedBeforeFoldingAndZeroTapsPadTheKernel) {
    const ref::Tensor in = tensor(1, 3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const ref::Weights w = weights(1, 1, 3, 3, WeightKind::int8, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const ref::ConvGeometry g{2, 2, 1, 1, 1};
    const ref::FoldedConv f = ref::fold_conv(in, act8, w, g);
    ASSERT_EQ(f.input.channels, 4);
    ASSERT_EQ(f.input.height, 3);
    ASSERT_EQ(f.input.width, 3);
    // Folded pixel (Y, X) of phase (dr, ds) is padded pixel (2Y + dr, 2X + ds) = in(2Y+dr-1, ..).
    EXPECT_EQ(f.input.at(0, 0, 0), 0); // padded (0, 0): padding
    EXPECT_EQ(f.input.at(3, 0, 0), 1); // padded (1, 1) = in(0, 0)
    EXPECT_EQ(f.input.at(0, 1, 1), 5); // padded (2, 2) = in(1, 1)
    EXPECT_EQ(f.input.at(1, 1, 0), 4); // phase (0, 1): padded (2, 1) = in(1, 0)
    EXPECT_EQ(f.input.at(2, 1, 2), 0); // phase (1, 0): padded (3, 4), the right padding
    EXPECT_EQ(f.input.at(3, 2, 2), 0); // padded (5, 5): past the padding, read by zero taps only
    // Phase (0, 0) keeps taps (0,0), (0,2), (2,0), (2,2); phase (1, 1) keeps only tap (1, 1).
    ASSERT_EQ(f.weights.kernel_h, 2);
    EXPECT_EQ(f.weights.at(0, 0, 0, 0), 1);
    EXPECT_EQ(f.weights.at(0, 0, 0, 1), 3);
    EXPECT_EQ(f.weights.at(0, 0, 1, 0), 7);
    EXPECT_EQ(f.weights.at(0, 0, 1, 1), 9);
    EXPECT_EQ(f.weights.at(0, 3, 0, 0), 5);
    EXPECT_EQ(f.weights.at(0, 3, 0, 1), 0);
    EXPECT_EQ(f.weights.at(0, 3, 1, 0), 0);
    EXPECT_EQ(f.weights.at(0, 3, 1, 1), 0);
    const std::vector<std::int64_t> by_hand = {94, 106, 106, 94};
    EXPECT_EQ(ref::conv_accumulate(f.input, f.weights, {}, f.geometry).values, by_hand);
    EXPECT_EQ(ref::conv_accumulate(in, w, {}, g).values, by_hand);
}

TEST(StrideFoldReference, GroupsFoldWithinTheirOwnChannels) {
    // Two groups of one channel each, 2x2 kernel at stride 2 over a 2x2 map: group 1's four
    // phases are folded channels 4..7, so input channel 1's pixel (1, 0) (phase (1, 0)) lands
    // on folded channel 4 + 2 = 6.
    const ref::Tensor in = tensor(2, 2, 2, {1, 2, 3, 4, 10, 20, 30, 40});
    const ref::Weights w = weights(2, 1, 2, 2, WeightKind::int4, {1, 1, 1, 1, 1, -1, 2, 0});
    const ref::ConvGeometry g{2, 2, 0, 0, 2};
    const ref::FoldedConv f = ref::fold_conv(in, act8, w, g);
    EXPECT_EQ(f.input.values, (std::vector<std::int64_t>{1, 2, 3, 4, 10, 20, 30, 40}));
    EXPECT_EQ(f.input.at(6, 0, 0), 30);
    EXPECT_EQ(f.weights.in_per_group, 4);
    EXPECT_EQ(f.geometry.groups, 2);
    // Group 0: 1+2+3+4 = 10; group 1: 10 - 20 + 2*30 + 0 = 50.
    const std::vector<std::int64_t> by_hand = {10, 50};
    EXPECT_EQ(ref::conv_accumulate(f.input, f.weights, {}, f.geometry).values, by_hand);
    EXPECT_EQ(ref::conv_accumulate(in, w, {}, g).values, by_hand);
}

TEST(StrideFoldReference, FoldedConvEqualsTheStridedConvOverManyGeometries) {
    // A second method for the same number: the reference's direct strided conv.
    ref::Rng rng(42);
    int checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const int groups = int(rng.uniform(1, 3));
        const int cg = int(rng.uniform(1, 3)), kg = int(rng.uniform(1, 2));
        const int r = int(rng.uniform(1, 7)), s = int(rng.uniform(1, 7));
        const ref::ConvGeometry g{int(rng.uniform(1, 4)), int(rng.uniform(1, 4)),
                                  int(rng.uniform(0, 3)), int(rng.uniform(0, 3)), groups};
        const int h = int(rng.uniform(1, 13)), w = int(rng.uniform(1, 13));
        if (ref::window_out(h, r, g.stride_h, g.pad_h) < 1 ||
            ref::window_out(w, s, g.stride_w, g.pad_w) < 1)
            continue;
        const ref::ActFormat act4{4, true};
        const ref::Tensor in = ref::random_tensor(cg * groups, h, w, act4, rng);
        const ref::Weights wt = ref::random_weights(kg * groups, cg, r, s, WeightKind::int4, rng);
        const auto bias = ref::random_bias(kg * groups, 20, rng);
        const ref::FoldedConv f = ref::fold_conv(in, act4, wt, g);
        ASSERT_EQ(ref::conv_accumulate(f.input, f.weights, bias, f.geometry).values,
                  ref::conv_accumulate(in, wt, bias, g).values)
            << fmt::format("{}x{} input, {}x{} kernel, stride {}x{}, pad {}x{}, {} groups", h, w, r,
                           s, g.stride_h, g.stride_w, g.pad_h, g.pad_w, groups);
        ++checked;
    }
    EXPECT_GT(checked, 150);
}

TEST(StrideFoldReference, ExactOnlyWhereTheFormatsHaveAZero) {
    const ref::ActFormat bin1{1, false}, act2{2, false};
    const auto w = [](WeightKind kind, int r, int s) { return ref::Weights{4, 3, r, s, kind, {}}; };
    // Binary weights: 11 is not a multiple of 4, so one zero tap per row would be needed.
    EXPECT_NE(ref::fold_problem(act2, w(WeightKind::binary, 11, 11), {4, 4, 0, 0, 1})
                  .find("binary weights"),
              std::string::npos);
    EXPECT_EQ(ref::fold_problem(act2, w(WeightKind::binary, 4, 4), {2, 2, 0, 0, 1}), "");
    EXPECT_EQ(ref::fold_problem(act2, w(WeightKind::ternary, 11, 11), {4, 4, 0, 0, 1}), "");
    // 1-bit activations: padding would land inside a folded pixel.
    EXPECT_NE(
        ref::fold_problem(bin1, w(WeightKind::ternary, 3, 3), {2, 2, 1, 1, 1}).find("padding"),
        std::string::npos);
    EXPECT_EQ(ref::fold_problem(bin1, w(WeightKind::ternary, 3, 3), {2, 2, 0, 0, 1}), "");
    EXPECT_THROW(ref::fold_conv(ref::Tensor(3, 12, 12), act2, w(WeightKind::binary, 11, 11),
                                {4, 4, 0, 0, 1}),
                 Error);
}

// ---- on the device ----

std::vector<LayerPerf> model_of(const Network& net, const ArchConfig& a) {
    const Device dev =
        load_device(std::filesystem::path(LPDLA_SOURCE_DIR) / "devices" / "arria10_gx1150.json");
    return estimate(dev, net, a).layers;
}

std::vector<LayerRunResult> run_as_modelled(const Network& net, ArchConfig a, std::uint64_t seed) {
    a.fold_strides = true;
    RunOptions options;
    options.seed = seed;
    options.model = model_of(net, a);
    auto results = run_network(runner_for(a), net, a, options);
    for (const auto& r : results) {
        if (!r.executed) continue;
        EXPECT_EQ(r.mismatches, 0) << r.name << ": " << r.mismatches << " of " << r.values;
        EXPECT_EQ(r.trip_count, r.model_cycles) << r.name;
    }
    return results;
}

const LayerRunResult& find(const std::vector<LayerRunResult>& rs, const std::string& name) {
    for (const auto& r : rs)
        if (r.name == name) return r;
    throw std::runtime_error("no result for " + name);
}

// AlexNet's conv1 shape (11x11 stride 4 over 3 channels) on a 67x67 image, then a 3x3 stride-2
// conv with padding 1 in 2 groups, then a 1x1 stride-2 conv the model does not fold.
Network alexnet_like() {
    using nlohmann::json;
    return network(3, 67, 67,
                   json::array({{{"name", "conv1"},
                                 {"type", "conv"},
                                 {"input", "data"},
                                 {"out_channels", 16},
                                 {"kernel", {11, 11}},
                                 {"stride", {4, 4}},
                                 {"pad", {0, 0}}},
                                {{"name", "relu1"}, {"type", "relu"}, {"input", "conv1"}},
                                {{"name", "conv2"},
                                 {"type", "conv"},
                                 {"input", "relu1"},
                                 {"out_channels", 8},
                                 {"kernel", {3, 3}},
                                 {"stride", {2, 2}},
                                 {"pad", {1, 1}},
                                 {"groups", 2}},
                                {{"name", "relu2"}, {"type", "relu"}, {"input", "conv2"}},
                                {{"name", "conv3"},
                                 {"type", "conv"},
                                 {"input", "relu2"},
                                 {"out_channels", 8},
                                 {"kernel", {1, 1}},
                                 {"stride", {2, 2}},
                                 {"pad", {0, 0}}}}));
}

TEST(StrideFoldDevice, AlexNetLikeStridedConvsAreExactWithTheModelsTrips) {
    const Network net = alexnet_like();
    // k_vec 4, c_vec 16, q_vec 2, 2 lanes. conv1: 15x15 outputs (56 / 4 + 1), 16 outputs.
    //   direct: ceil(15/2) * ceil(15/2) * ceil(16/4) * ceil(3/16) * 11*11 = 8*8*4*1*121 = 30976
    //   folded: 48 channels, 3x3 kernel: 8*8*4*ceil(48/16)*9 = 6912 -> folds.
    // conv2: 16x15x15 in, 2 groups of 8 in / 4 out, 8x8 outputs ((15 + 2 - 3) / 2 + 1):
    //   direct: ceil(8/2) * ceil(8/2) * 2 * ceil(4/4) * ceil(8/16) * 9 = 4*4*2*1*1*9 = 288
    //   folded: 32 channels a group, 2x2 kernel: 4*4*2*1*ceil(32/16)*4 = 256 -> folds.
    // conv3: 1x1 stride 2 over 8 channels, 4x4 outputs:
    //   direct: 2*2*1*ceil(8/4)*ceil(8/16)*1 = 8; folded: 2*2*1*2*ceil(32/16)*1 = 16 -> direct.
    for (const ArchConfig& a :
         {arch(4, 16, 2, 2, 2, WeightKind::ternary), arch(4, 16, 2, 2, 8, WeightKind::int8)}) {
        SCOPED_TRACE(precision_label(a.precision));
        const auto rs = run_as_modelled(net, a, 3);
        EXPECT_TRUE(find(rs, "conv1").folded);
        EXPECT_EQ(find(rs, "conv1").trip_count, 6912);
        EXPECT_NE(find(rs, "conv1").note.find("48x17x17 input, 3x3 kernel"), std::string::npos)
            << find(rs, "conv1").note;
        EXPECT_TRUE(find(rs, "conv2").folded);
        EXPECT_EQ(find(rs, "conv2").trip_count, 256);
        EXPECT_FALSE(find(rs, "conv3").folded);
        EXPECT_EQ(find(rs, "conv3").trip_count, 8);
    }
}

TEST(StrideFoldDevice, XnorPathAndANonSquareStride) {
    using nlohmann::json;
    // 1/binary: exact when the kernel is a multiple of the stride and there is no padding.
    // k_vec 4, c_vec 16, q_vec 2, 1 lane.
    //   a: 4x4 stride 2 over 3 channels of 10x10 -> 4x4 outputs, 8 of them.
    //      direct: 4 * 2 * 2 * 1 * 16 = 256; folded 12 channels, 2x2: 4*2*2*1*4 = 64.
    //   b: 3x4 stride (1, 2) over 8 channels of 4x4 -> 2x1 outputs, 8 of them.
    //      direct: 2 * 1 * 2 * 1 * 12 = 48; folded 16 channels, 3x2: 2*1*2*1*6 = 24.
    const Network net = network(3, 10, 10,
                                json::array({{{"name", "a"},
                                              {"type", "conv"},
                                              {"input", "data"},
                                              {"out_channels", 8},
                                              {"kernel", {4, 4}},
                                              {"stride", {2, 2}},
                                              {"pad", {0, 0}}},
                                             {{"name", "b"},
                                              {"type", "conv"},
                                              {"input", "a"},
                                              {"out_channels", 8},
                                              {"kernel", {3, 4}},
                                              {"stride", {1, 2}},
                                              {"pad", {0, 0}}}}));
    const auto rs = run_as_modelled(net, arch(4, 16, 2, 1, 1, WeightKind::binary), 7);
    EXPECT_TRUE(find(rs, "a").folded);
    EXPECT_EQ(find(rs, "a").trip_count, 64);
    EXPECT_TRUE(find(rs, "b").folded);
    EXPECT_EQ(find(rs, "b").trip_count, 24);
}

TEST(StrideFoldDevice, SingleLayerPathGivesTheHandWorkedOutputInOneTrip) {
    // The 4x4 ramp and 2x2 kernel above on the int8 path, requantise scale 1 shift 0 (identity
    // below the 8-bit ceiling): the kernel must print 44, 64, 124, 144. Folded, the 2x2 output,
    // 1 output channel and 4 folded channels fit one trip of a 4x16x2x2 array; direct, the 2x2
    // kernel takes R * S = 4 trips.
    OpenClRunner& runner = runner_for(arch(4, 16, 2, 2, 8, WeightKind::int8));
    KernelStats folded, direct;
    const ref::Requant identity{1, 0};
    const ref::Tensor out =
        conv_folded(runner, ramp4, act8, k2x2, {0}, stride2, identity, act8, &folded);
    EXPECT_EQ(out.values, ramp4_out);
    EXPECT_EQ(folded.trip_count, 1u);
    EXPECT_EQ(runner.conv(ramp4, act8, k2x2, {0}, stride2, identity, act8, &direct).values,
              ramp4_out);
    EXPECT_EQ(direct.trip_count, 4u);
}

TEST(StrideFoldDevice, AFoldTheFormatsCannotRealiseIsRefusedNamingTheLayer) {
    // 2/binary: conv1 (11x11 stride 4) would need a zero tap per row, which binary weights do
    // not have, so the model runs it direct; a per-layer choice that folds it anyway (handed in
    // by a caller) is refused before any kernel runs, naming the layer.
    ArchConfig a = arch(2, 16, 1, 1, 2, WeightKind::binary);
    a.fold_strides = true;
    const Network net = alexnet_like();
    RunOptions options;
    options.model = model_of(net, a);
    EXPECT_FALSE(options.model.at(0).folded);
    options.model.at(0).folded = true;
    try {
        run_network(runner_for(a), net, a, options);
        FAIL() << "an inexact fold ran";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        EXPECT_NE(msg.find("'conv1'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("binary weights"), std::string::npos) << msg;
    }
}

// ---- the CLI ----

int run_cli(const std::string& args, std::string& output) {
    FILE* pipe = popen(fmt::format("{} 2>&1", args).c_str(), "r");
    if (!pipe) return -1;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(StrideFoldCli, KernelsAndRunReportTheFoldedLayers) {
    const auto dir = std::filesystem::temp_directory_path() /
                     fmt::format("lpdla_stride_fold_cli_{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto config = dir / "fold.json";
    // The array of the device tests above, so PoCL's disk cache already holds the build.
    std::ofstream(config) << R"({"schema": "lpdla.config/1", "device": "arria10_gx1150",)"
                          << R"( "network": "alexnet", "width": 0.25, "k_vec": 4, "c_vec": 16,)"
                          << R"( "q_vec": 2, "lanes": 2, "act_bits": 2, "weights": "ternary",)"
                          << R"( "fold_strides": true})";
    std::string out;
    ASSERT_EQ(run_cli(fmt::format("{} kernels --config '{}' --out '{}'", LPDLA_CLI, config.string(),
                                  (dir / "pkg").string()),
                      out),
              0)
        << out;
    EXPECT_NE(out.find("stride-folded by the host (space-to-depth, then the stride-1 conv "
                       "kernel): conv1\n"),
              std::string::npos)
        << out;

    out.clear();
    // 227 * 0.3 = 68: conv1 gives 15x15 (57 / 4 + 1), folded to 48 channels and a 3x3 kernel.
    ASSERT_EQ(run_cli(fmt::format("{} run --config '{}' --scale 0.3 --layers conv1,conv2 --json",
                                  LPDLA_CLI, config.string()),
                      out),
              0)
        << out;
    const auto j = nlohmann::json::parse(out.substr(out.find('{')));
    ASSERT_EQ(j.at("layers").size(), 2u);
    const auto& conv1 = j["layers"][0];
    EXPECT_EQ(conv1.at("name"), "conv1");
    EXPECT_TRUE(conv1.at("folded").get<bool>());
    EXPECT_EQ(conv1.at("mismatches"), 0);
    EXPECT_EQ(conv1.at("trip_count"), conv1.at("model_cycles"));
    // ceil(15/2) * ceil(15/2) * ceil(24/4) * ceil(48/16) * 3*3 (96 * 0.25 = 24 outputs)
    EXPECT_EQ(conv1.at("trip_count"), 8 * 8 * 6 * 3 * 9);
    EXPECT_FALSE(j["layers"][1].at("folded").get<bool>()); // stride 1
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla::test
