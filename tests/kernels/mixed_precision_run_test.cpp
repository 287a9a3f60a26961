// `lpdla run` (run_network) over networks whose first and last layers run at 8/int8 on a
// 2/ternary array (issue 14): those layers run bit-sliced, the layer before the last writes its
// output in 8 bits for it, and every layer must match the reference with the model's trips.
// Trip counts are worked out by hand in the comments.
#include <fstream>

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

using nlohmann::json;

// The 4x3x2x1 2/ternary array bit_sliced_conv_test.cpp and precision_paths_test.cpp build.
ArchConfig ternary_first_last(bool fold_strides) {
    ArchConfig a = arch(4, 3, 2, 1, 2, WeightKind::ternary);
    a.first_last = Precision{8, WeightKind::int8};
    a.fold_strides = fold_strides;
    return a;
}

json small_layers(int conv1_stride) {
    return json::array({{{"name", "conv1"},
                         {"type", "conv"},
                         {"input", "data"},
                         {"out_channels", 4},
                         {"kernel", 3},
                         {"stride", conv1_stride},
                         {"pad", 1}},
                        {{"name", "relu1"}, {"type", "relu"}, {"input", "conv1"}},
                        {{"name", "conv2"},
                         {"type", "conv"},
                         {"input", "relu1"},
                         {"out_channels", 5},
                         {"kernel", 3},
                         {"pad", 1}},
                        {{"name", "fc"}, {"type", "fc"}, {"input", "conv2"}, {"out_features", 6}}});
}

const LayerRunResult& find(const std::vector<LayerRunResult>& rs, const std::string& name) {
    for (const auto& r : rs)
        if (r.name == name) return r;
    throw std::runtime_error("no result for " + name);
}

TEST(MixedPrecisionRun, FirstLastInt8OnTernaryArrayRunsBitSliced) {
    // 3x6x6 image (8-bit unsigned) -> conv1 8/int8, 4 filters 3x3 pad 1 -> ReLU -> conv2
    // 2/ternary, 5 filters -> fc 8/int8, 180 features -> 6, over a batch of 5.
    const Network net = network(3, 6, 6, small_layers(1));
    const auto rs = expect_bit_exact(net, ternary_first_last(false), 3);
    ASSERT_EQ(rs.size(), 4u);
    // Loop nest on k_vec 4, c_vec 3, q_vec 2, lanes 1:
    // ceil(OH/1) * ceil(OW/2) * groups * ceil(K/4) * ceil(C/3) * R * S.
    // conv1: 6 * 3 * 1 * 1 * 1 * 9 = 162 per pass; 4 slices x 8 planes = 32 passes: 5184.
    const auto& conv1 = find(rs, "conv1");
    EXPECT_EQ(conv1.passes, 32);
    EXPECT_EQ(conv1.precision, "8/int8");
    EXPECT_EQ(conv1.trip_count, 5184);
    EXPECT_EQ(conv1.values, 4 * 6 * 6);
    // conv2 at the array's precision, one pass: 6 * 3 * 1 * ceil(5/4) * ceil(4/3) * 9 = 648;
    // its output is requantised into 8 bits for the fc and written as four 2-bit planes.
    const auto& conv2 = find(rs, "conv2");
    EXPECT_EQ(conv2.passes, 1);
    EXPECT_EQ(conv2.precision, "2/ternary");
    EXPECT_EQ(conv2.trip_count, 648);
    EXPECT_NE(conv2.note.find("4 2-bit planes"), std::string::npos) << conv2.note;
    // fc as a 1x1 conv over a row of 5 images: 1 * ceil(5/2) * 1 * ceil(6/4) * ceil(180/3) =
    // 3 * 2 * 60 = 360 per pass; 32 passes: 11520.
    const auto& fc = find(rs, "fc");
    EXPECT_EQ(fc.passes, 32);
    EXPECT_EQ(fc.trip_count, 11520);
    EXPECT_EQ(fc.values, 6 * 5);
    EXPECT_FALSE(find(rs, "relu1").executed);
}

TEST(MixedPrecisionRun, FoldedWideFirstLayerFoldsThenSlices) {
    // A 1-channel 9x9 image and a stride-2 conv1 (3x3, pad 1: 5x5 outputs). Direct: 5 * 3 * 1 *
    // 1 * 9 = 135 trips per pass; folded to 4 channels of a 2x2 kernel: 5 * 3 * 1 *
    // ceil(4/3) * 4 = 120, so the model (estimate on a device) folds it: 32 * 120 = 3840.
    const Network net = network(1, 9, 9, small_layers(2));
    const auto rs = expect_bit_exact(net, ternary_first_last(true), 4);
    const auto& conv1 = find(rs, "conv1");
    EXPECT_TRUE(conv1.folded);
    EXPECT_EQ(conv1.passes, 32);
    EXPECT_EQ(conv1.trip_count, 3840);
    // fc: 5 x 5 x 5 = 125 features: 3 * 2 * ceil(125/3) = 252 per pass, 32 passes: 8064.
    EXPECT_EQ(find(rs, "fc").trip_count, 8064);
}

TEST(MixedPrecisionRun, NarrowerWeightsRunInOnePass) {
    // conv2 at 2/binary on the 2/ternary array: +1/-1 weights are one ternary digit plane and
    // 2-bit activations one slice, so it runs bit-sliced in 1 pass of 648 trips (as above),
    // checked against the reference conv with binary weights.
    json layers = small_layers(1);
    layers[2]["precision"] = "2/binary";
    const Network net = network(3, 6, 6, layers);
    const auto rs = expect_bit_exact(net, arch(4, 3, 2, 1, 2, WeightKind::ternary, 5), 5);
    const auto& conv2 = find(rs, "conv2");
    EXPECT_EQ(conv2.precision, "2/binary");
    EXPECT_EQ(conv2.passes, 1);
    EXPECT_EQ(conv2.trip_count, 648);
    EXPECT_EQ(find(rs, "conv1").passes, 1);
}

// The 2/ternary array with its wide layers on a DSP side path of 2 PEs x 3-wide dot products
// (q_vec 2 and lanes 1 as the array's), so the side loop differs from the array's in k_vec.
ArchConfig ternary_side_path(bool fold_strides) {
    ArchConfig a = ternary_first_last(fold_strides);
    a.wide_layers = WideLayerMode::dsp_side_path;
    a.side_k_vec = 2;
    a.side_c_vec = 3;
    return a;
}

TEST(MixedPrecisionRun, FirstLastInt8OnDspSidePathRunsInOnePass) {
    // The network of FirstLastInt8OnTernaryArrayRunsBitSliced; conv1 and fc at 8/int8 now run
    // whole on the side array's own 8/int8 kernel instead of in 32 passes.
    const Network net = network(3, 6, 6, small_layers(1));
    const auto rs = expect_bit_exact(net, ternary_side_path(false), 3);
    ASSERT_EQ(rs.size(), 4u);
    // Side loop on k_vec 2, c_vec 3, q_vec 2, lanes 1:
    // ceil(OH/1) * ceil(OW/2) * groups * ceil(Kg/2) * ceil(Cg/3) * R * S.
    // conv1 (3 -> 4 channels, 6x6 out, 3x3): 6 * 3 * 1 * 2 * 1 * 9 = 324, one pass; its output
    // goes to conv2 at the array's 2 bits, which the 8-bit side kernel requantises into.
    const auto& conv1 = find(rs, "conv1");
    EXPECT_EQ(conv1.passes, 1);
    EXPECT_EQ(conv1.precision, "8/int8");
    EXPECT_EQ(conv1.trip_count, 324);
    EXPECT_EQ(conv1.model_cycles, 324);
    EXPECT_NE(conv1.note.find("side path"), std::string::npos) << conv1.note;
    // conv2 stays on the array as before: 648 trips, output as four 2-bit planes for the fc.
    const auto& conv2 = find(rs, "conv2");
    EXPECT_EQ(conv2.passes, 1);
    EXPECT_EQ(conv2.trip_count, 648);
    // fc, 180 features -> 6 over a row of 5 images: 1 * ceil(5/2) * 1 * ceil(6/2) *
    // ceil(180/3) = 3 * 3 * 60 = 540, one pass.
    const auto& fc = find(rs, "fc");
    EXPECT_EQ(fc.passes, 1);
    EXPECT_EQ(fc.precision, "8/int8");
    EXPECT_EQ(fc.trip_count, 540);
    EXPECT_EQ(fc.values, 6 * 5);
}

TEST(MixedPrecisionRun, FoldedSidePathLayerFoldsAsTheArray) {
    // A 1-channel 9x9 image, conv1 stride 2 (5x5 outputs) on the side path. Direct: 5 * 3 * 1 *
    // ceil(4/2) * ceil(1/3) * 9 = 270; folded to 4 channels of a 2x2 kernel: 5 * 3 * 1 * 2 *
    // ceil(4/3) * 4 = 240, fewer, so the model folds it.
    const Network net = network(1, 9, 9, small_layers(2));
    const auto rs = expect_bit_exact(net, ternary_side_path(true), 4);
    const auto& conv1 = find(rs, "conv1");
    EXPECT_TRUE(conv1.folded);
    EXPECT_EQ(conv1.passes, 1);
    EXPECT_EQ(conv1.trip_count, 240);
    // fc: 125 features: 1 * 3 * 1 * 3 * ceil(125/3) = 9 * 42 = 378.
    EXPECT_EQ(find(rs, "fc").trip_count, 378);
}

void expect_refused(const ArchConfig& a, const std::string& words) {
    const Network net = network(3, 6, 6, small_layers(1));
    try {
        run_network(runner_for(arch(4, 3, 2, 1, 2, WeightKind::ternary)), net, a, {});
        FAIL() << "ran; expected an error about " << words;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'conv1'"), std::string::npos) << e.what();
    }
}

TEST(MixedPrecisionRun, Fp32SidePathAndNarrowerLayersAreRefused) {
    // FP32 first/last layers on the side path are modelled (hard floating-point DSPs) but have
    // no kernel.
    ArchConfig side = ternary_side_path(false);
    side.first_last = Precision{32, WeightKind::fp32};
    expect_refused(side, "modelled only");
    ArchConfig narrow = ternary_first_last(false);
    narrow.first_last = Precision{1, WeightKind::binary};
    expect_refused(narrow, "narrower than the array's");
}

// ---- the CLI ----

// Under the ASan build, LeakSanitizer's exit scan of dynamic TLS crashes its own tracer (SIGSEGV
// at a stale DTLS block, "LeakSanitizer has encountered a fatal error", exit 134) once PoCL has
// loaded and unloaded modules with TLS during `lpdla run` of a network given by path; the run
// itself passes ASan and UBSan. use_tls=0 keeps leak checking on but stops treating TLS as roots
// (it can only add false leak reports, not hide leaks). Without LSan the variable is ignored.
int run_cli(const std::string& args, std::string& output) {
    FILE* pipe = popen(
        fmt::format("LSAN_OPTIONS=\"${{LSAN_OPTIONS:+$LSAN_OPTIONS:}}use_tls=0\" {} 2>/dev/null",
                    args)
            .c_str(),
        "r");
    if (!pipe) return -1;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(MixedPrecisionRunCli, FirstLastFlagRunsTheWideLayers) {
    const auto dir =
        std::filesystem::temp_directory_path() / fmt::format("lpdla_mixed_run_cli_{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "net.json") << json{
        {"schema", "lpdla.network/1"},
        {"name", "small"},
        {"input", {{"name", "data"}, {"channels", 3}, {"height", 6}, {"width", 6}}},
        {"layers", small_layers(1)}}.dump();
    // The array of the tests above (PoCL's disk cache holds its build), no device: the model's
    // device-free loop choice gives the trips.
    std::ofstream(dir / "cfg.json") << R"({"schema": "lpdla.config/1", "k_vec": 4, "c_vec": 3,)"
                                    << R"( "q_vec": 2, "lanes": 1, "act_bits": 2,)"
                                    << R"( "weights": "ternary", "fc_batch": 5,)"
                                    << R"( "fold_strides": false})";
    std::string out;
    ASSERT_EQ(
        run_cli(fmt::format("{} run --config '{}' --network '{}' --first-last 8/int8 --json",
                            LPDLA_CLI, (dir / "cfg.json").string(), (dir / "net.json").string()),
                out),
        0)
        << out;
    const auto j = json::parse(out.substr(out.find('{')));
    const auto& layers = j.at("layers");
    ASSERT_EQ(layers.size(), 4u);
    // The trips of the library test above: 5184, (ReLU), 648, 11520.
    const std::int64_t trips[] = {5184, 0, 648, 11520};
    for (std::size_t i = 0; i < 4; ++i) {
        SCOPED_TRACE(layers[i].at("name").get<std::string>());
        EXPECT_EQ(layers[i].at("mismatches"), 0);
        EXPECT_EQ(layers[i].at("trip_count"), trips[i]);
        EXPECT_EQ(layers[i].at("model_cycles"), trips[i]);
    }
    EXPECT_EQ(layers[0].at("passes"), 32);
    EXPECT_EQ(layers[3].at("passes"), 32);
    EXPECT_EQ(layers[3].at("precision"), "8/int8");
    std::filesystem::remove_all(dir);
}

TEST(MixedPrecisionRunCli, KernelsWritesTheSidePathPackage) {
    // A 2/ternary array whose 8/int8 first/last layers run on a 2 x 3 DSP side path: `kernels`
    // writes the array's package and, beside it, the side path's 8/int8 one.
    const auto dir = std::filesystem::temp_directory_path() /
                     fmt::format("lpdla_side_kernels_cli_{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "cfg.json") << R"({"schema": "lpdla.config/1", "k_vec": 4, "c_vec": 3,)"
                                    << R"( "q_vec": 2, "lanes": 1, "act_bits": 2,)"
                                    << R"( "weights": "ternary", "first_last": "8/int8",)"
                                    << R"( "wide_layers": "dsp_side_path", "side_k_vec": 2,)"
                                    << R"( "side_c_vec": 3})";
    std::string out;
    ASSERT_EQ(run_cli(fmt::format("{} kernels --config '{}' --out '{}'", LPDLA_CLI,
                                  (dir / "cfg.json").string(), (dir / "pkg").string()),
                      out),
              0)
        << out;
    const auto read = [](const std::filesystem::path& f) {
        std::ifstream in(f);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string array = read(dir / "pkg" / "lpdla_config.h");
    EXPECT_NE(array.find("#define K_VEC 4\n"), std::string::npos) << array;
    EXPECT_NE(array.find("#define A_BITS 2\n"), std::string::npos) << array;
    const std::string side = read(dir / "pkg" / "side_path_8_int8" / "lpdla_config.h");
    EXPECT_NE(side.find("#define K_VEC 2\n#define C_VEC 3\n#define Q_VEC 2\n#define LANES 1\n"),
              std::string::npos)
        << side;
    EXPECT_NE(side.find("#define A_BITS 8\n#define W_BITS 8\n"), std::string::npos) << side;
    EXPECT_TRUE(std::filesystem::exists(dir / "pkg" / "side_path_8_int8" / "lpdla_top.cl"));
    EXPECT_NE(out.find("side_path_8_int8"), std::string::npos) << out;
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla::test
