// `lpdla estimate` end to end: JSON fields, input echo, and bad input exiting 2 with a clear
// message naming the file/JSON path or flag.
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lpdla {
namespace {

using test::run_cli;

const std::string base = "estimate --device arria10_gx1150 --network alexnet --act-bits 2 "
                         "--weights ternary --k-vec 64 --c-vec 32 --q-vec 4";

std::string temp_file(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("lpdla_test_" + name);
    std::ofstream(path) << text;
    return path.string();
}

TEST(CliEstimate, JsonHasTheDocumentedFields) {
    const auto r = run_cli(base + " --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["network"]["macs"], 724'406'816);
    for (const char* key : {"images_per_s", "latency_ms", "effective_tops", "peak_tops"})
        EXPECT_GT(j["totals"][key].get<double>(), 0) << key;
    for (const char* key : {"alm", "dsp", "m20k"})
        EXPECT_TRUE(j["resources"]["total"].contains(key));
    EXPECT_TRUE(j["fits"].is_boolean());
    ASSERT_GE(j["layers"].size(), 8u);
    EXPECT_EQ(j["layers"][0]["name"], "conv1");
    EXPECT_EQ(j["layers"][0]["macs"], 105'415'200); // 96*55*55*3*11*11
    EXPECT_TRUE(j["layers"][0].contains("cycles"));
    EXPECT_TRUE(j["layers"][0].contains("bound"));
    // Every input that shaped the result is echoed, defaults included.
    const auto& cfg = j["inputs"]["config"];
    EXPECT_EQ(cfg["k_vec"], 64);
    EXPECT_EQ(cfg["weights"], "ternary");
    EXPECT_EQ(cfg["mac_impl"], "alm");
    EXPECT_GT(cfg["fmax_mhz"].get<double>(), 0);
    EXPECT_TRUE(j["inputs"]["defaults_applied"].contains("fmax_mhz"));
    EXPECT_DOUBLE_EQ(j["accuracy"]["top1"].get<double>(), 0.49);
}

TEST(CliEstimate, ConfigFileRoundTripsAndFlagsOverride) {
    const auto first = nlohmann::json::parse(run_cli(base + " --json").out);
    const auto cfg = temp_file("cfg.json", first["inputs"]["config"].dump());
    const auto again = run_cli("estimate --config " + cfg + " --json");
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(nlohmann::json::parse(again.out)["totals"], first["totals"]);
    const auto over = run_cli("estimate --config " + cfg + " --k-vec 32 --json");
    ASSERT_EQ(over.status, 0) << over.err;
    EXPECT_EQ(nlohmann::json::parse(over.out)["inputs"]["config"]["k_vec"], 32);
}

TEST(CliEstimate, CsvAndTableAndOutFile) {
    const auto csv = run_cli(base + " --csv");
    ASSERT_EQ(csv.status, 0);
    EXPECT_EQ(csv.out.rfind("name,type,macs", 0), 0u);
    const auto table = run_cli(base);
    EXPECT_NE(table.out.find("images/s"), std::string::npos);
    EXPECT_NE(table.out.find("fits:"), std::string::npos);
    const auto out = std::filesystem::temp_directory_path() / "lpdla_test_out.json";
    std::filesystem::remove(out);
    ASSERT_EQ(run_cli(base + " --json --out " + out.string()).status, 0);
    EXPECT_TRUE(std::filesystem::exists(out));
}

TEST(CliEstimate, FoldStridesRunsConv1AsThreeByThreeOver48Channels) {
    const std::string args = "estimate --device arria10_gx1150 --network alexnet --act-bits 4 "
                             "--weights int4 --k-vec 32 --c-vec 16 --q-vec 4 --json";
    // Folding is the default (model v2: one semantics everywhere); --no-fold-strides runs direct.
    const auto direct = nlohmann::json::parse(run_cli(args + " --no-fold-strides").out);
    const auto folded = nlohmann::json::parse(run_cli(args).out);
    // Direct: 55 rows x ceil(55/4)=14 x ceil(96/32)=3 x ceil(3/16)=1 x 11 x 11 = 279,510.
    EXPECT_EQ(direct["layers"][0]["loop_iterations"], 279'510);
    // Folded 4x4: 48 channels, ceil(11/4)=3 taps: 55 x 14 x 3 x ceil(48/16)=3 x 3 x 3 = 62,370.
    EXPECT_EQ(folded["layers"][0]["loop_iterations"], 62'370);
    EXPECT_EQ(folded["layers"][0]["folded"], true);
    EXPECT_EQ(folded["inputs"]["config"]["fold_strides"], true);
}

struct BadCase {
    std::string args;
    std::string must_mention;
};

TEST(CliEstimate, BadInputExitsTwoWithAClearMessage) {
    const std::string dev =
        " --network alexnet --act-bits 2 --weights ternary --k-vec 8 --c-vec 8 --q-vec 4";
    const std::string net =
        " --device arria10_gx1150 --act-bits 2 --weights ternary --k-vec 8 --c-vec 8 --q-vec 4";
    const std::string good = " --device arria10_gx1150 --network alexnet";
    const auto malformed = temp_file("bad.json", "{\"schema\": \"lpdla.device/1\", ");
    const auto mismatch = temp_file(
        "mismatch.json",
        R"({"schema":"lpdla.network/1","name":"m","input":{"channels":3,"height":8,"width":8},
            "layers":[{"name":"a","type":"conv","input":"data","out_channels":4,"kernel":3,"pad":1},
                      {"name":"b","type":"conv","input":"data","out_channels":8,"kernel":3,"pad":1},
                      {"name":"s","type":"add","inputs":["a","b"]}]})");
    const auto declared = temp_file(
        "declared.json",
        R"({"schema":"lpdla.network/1","name":"d","input":{"channels":3,"height":8,"width":8},
            "layers":[{"name":"a","type":"conv","input":"data","out_channels":4,"kernel":3},
                      {"name":"b","type":"conv","input":"a","in_shape":[4,8,8],"out_channels":4,"kernel":3}]})");
    const auto untraced =
        temp_file("untraced.json", R"({"schema":"lpdla.device/1","name":"x","family":"f",
            "resources":{"alm":100,"registers":400,"dsp":1,"m20k":1,"mlab":1}})");
    const std::vector<BadCase> cases = {
        {"estimate --device " + malformed + dev, "malformed JSON"},
        {"estimate --device " + malformed + dev, malformed},
        {"estimate --device stratix99" + dev, "unknown device 'stratix99'"},
        {"estimate --network vgg99" + net, "unknown network 'vgg99'"},
        {"estimate --network " + mismatch + net, "/layers/2/inputs"},
        {"estimate --network " + mismatch + net, "shapes must match"},
        {"estimate --network " + declared + net, "/layers/1/in_shape"},
        {"estimate --device " + untraced + dev, "/resources/alm"},
        {"estimate" + good + " --act-bits 2 --weights ternary --k-vec 0", "--k-vec"},
        {"estimate" + good + " --act-bits 2 --weights ternary --c-vec -4", "--c-vec"},
        {"estimate" + good + " --act-bits 2 --weights ternary --q-vec 0", "--q-vec"},
        {"estimate" + good + " --act-bits 2 --weights int3", "--weights int3"},
        {"estimate" + good + " --act-bits 3 --weights ternary", "activation bits 3"},
        {"estimate" + good + " --act-bits 8 --weights bfp16", "16/bfp16"},
        {"estimate" + good + " --mac-impl fpga", "--mac-impl"},
        {"estimate" + good + " --fmax-mhz -5", "--fmax-mhz"},
        {"estimate" + good + " --k-vec abc", "--k-vec"},
    };
    for (const auto& c : cases) {
        const auto r = run_cli(c.args);
        EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
        EXPECT_NE(r.err.find(c.must_mention), std::string::npos)
            << c.args << "\nstderr: " << r.err << "\nexpected to mention: " << c.must_mention;
        EXPECT_TRUE(r.out.empty()) << c.args;
    }
}

TEST(CliEstimate, FailedRunLeavesNoOutputFile) {
    const auto out = std::filesystem::temp_directory_path() / "lpdla_test_never.json";
    std::filesystem::remove(out);
    EXPECT_EQ(run_cli("estimate --device nope --network alexnet --out " + out.string()).status, 2);
    EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(CliEstimate, DevicesAndNetworksList) {
    const auto d = run_cli("devices --json");
    ASSERT_EQ(d.status, 0) << d.err;
    EXPECT_GE(nlohmann::json::parse(d.out).size(), 6u);
    const auto n = run_cli("networks --json");
    ASSERT_EQ(n.status, 0) << n.err;
    bool saw_resnet = false;
    for (const auto& row : nlohmann::json::parse(n.out))
        if (row["name"] == "resnet34") saw_resnet = row["macs"] == 3'663'761'408;
    EXPECT_TRUE(saw_resnet);
}

} // namespace
} // namespace lpdla

namespace lpdla {
namespace {

TEST(CliEstimate, PerLayerPrecisionFlagsShowInTableJsonAndEchoedConfig) {
    // First/last 8/int8 on a 2/ternary array, conv2 named at 4/ternary (2 activation slices,
    // one weight plane), fold off so the passes multiply the direct nest.
    const std::string cmd = test::run_cli("estimate --device arria10_gx1150 --network alexnet "
                                          "--act-bits 2 --weights ternary --k-vec 16 --c-vec 8 "
                                          "--q-vec 4 --no-fold-strides --first-last 8/int8 "
                                          "--layer-precision conv2=4/ternary --json")
                                .out;
    const auto j = nlohmann::json::parse(cmd);
    std::map<std::string, nlohmann::json> layer;
    for (const auto& l : j["layers"]) layer[l["name"].get<std::string>()] = l;
    EXPECT_EQ(layer["conv1"]["precision"], "8/int8");
    EXPECT_EQ(layer["conv1"]["passes"], 32);
    EXPECT_EQ(layer["conv2"]["precision"], "4/ternary");
    EXPECT_EQ(layer["conv2"]["passes"], 2);
    EXPECT_EQ(layer["conv3"]["precision"], "2/ternary");
    EXPECT_EQ(layer["conv3"]["passes"], 1);
    EXPECT_EQ(layer["fc8"]["passes"], 32);
    EXPECT_TRUE(layer["pool1"]["precision"].is_null());
    EXPECT_EQ(j["precision"]["assignment"], "2/ternary, first/last 8/int8 (bit_slice)");
    // The echoed configuration reproduces the estimate: first_last and the named layer.
    const auto& cfg = j["inputs"]["config"];
    EXPECT_EQ(cfg["first_last"], "8/int8");
    EXPECT_EQ(cfg["layer_precision"]["conv2"], "4/ternary");
    const auto path = std::filesystem::temp_directory_path() / "lpdla_test_fl_config.json";
    std::ofstream(path) << cfg.dump();
    const auto again =
        nlohmann::json::parse(test::run_cli("estimate --config " + path.string() + " --json").out);
    EXPECT_EQ(again["totals"]["images_per_s"], j["totals"]["images_per_s"]);
    // The table has a precision and a passes column.
    const auto table = test::run_cli("estimate --config " + path.string());
    EXPECT_NE(table.out.find("precision passes"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("layer precisions: 2/ternary, first/last 8/int8"), std::string::npos);
    // Bad input names the flag and what is valid.
    const auto bad = test::run_cli("estimate --device arria10_gx1150 --network alexnet "
                                   "--layer-precision pool1=8/int8");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("--layer-precision"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("conv1"), std::string::npos) << bad.err;
    const auto binary = test::run_cli("estimate --device arria10_gx1150 --network alexnet "
                                      "--act-bits 1 --weights binary --first-last 8/int8");
    EXPECT_EQ(binary.status, 2);
    EXPECT_NE(binary.err.find("dsp_side_path"), std::string::npos) << binary.err;
    std::filesystem::remove(path);
}

} // namespace
} // namespace lpdla
