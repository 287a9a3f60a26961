// `lpdla sweep` / `lpdla merge` end to end: exit codes, messages, files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lpdla {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/lpdla_sweep_XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

const std::string small =
    " --devices arria10_gx1150 --networks alexnet --k-vec 8:64:8 --c-vec 8,16 "
    "--q-vec 4 --lanes 1,2 --precisions 2/ternary,8/int8 --quiet";

void expect_bad_spec(const std::string& args, const std::string& message) {
    const auto r = test::run_cli("sweep " + args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << "stderr: " << r.err;
}

TEST(SweepCli, BadSpecsExitTwoWithAClearMessage) {
    TempDir dir;
    const auto spec = [&](const std::string& name, const std::string& body) {
        return "--spec " + dir.write(name, R"({"schema": "lpdla.sweep/1", )" + body + "}");
    };
    expect_bad_spec(spec("empty.json",
                         R"("devices": ["arria10_gx1150"], "networks": ["alexnet"], "lanes": [])"),
                    "the list is empty");
    expect_bad_spec(spec("dev.json", R"("devices": ["arria99"], "networks": ["alexnet"])"),
                    "arria99");
    expect_bad_spec(
        spec("inv.json",
             R"("devices": ["arria10_gx1150"], "networks": ["alexnet"], "k_vec": "128:8")"),
        "inverted");
    expect_bad_spec(
        spec(
            "minmax.json",
            R"("devices": ["arria10_gx1150"], "networks": ["alexnet"], "c_vec": {"min": 64, "max": 4})"),
        "min 64 > max 4");
    expect_bad_spec(small + " --k-vec 64:8", "--k-vec: range '64:8' is inverted");
    expect_bad_spec(small + " --devices ''", "--devices: the list is empty");
    expect_bad_spec(small + " --devices nosuchpart", "nosuchpart");
    expect_bad_spec(small + " --shard 3/3", "--shard '3/3'");
    // The same width limit as estimate (max_width_multiplier), so any sweepable width estimates.
    expect_bad_spec(small + " --widths 65", "width 65 is out of range: valid is (0, 64]");
    EXPECT_EQ(test::run_cli("estimate --device arria10_gx1150 --network alexnet --width 65").status,
              2);
    EXPECT_EQ(test::run_cli("sweep" + small + " --widths 40").status, 0);
    expect_bad_spec("--spec " + dir.path.string() + "/missing.json", "missing.json");
}

TEST(SweepCli, NothingFeasibleExitsThree) {
    const auto r = test::run_cli("sweep" + small + " --min-images-per-s 1e9");
    EXPECT_EQ(r.status, 3) << r.err;
    // Says which constraint removed the points (issue 12): here the images/s minimum.
    EXPECT_NE(r.err.find("nothing feasible"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("min images/s removed"), std::string::npos) << r.err;
}

TEST(SweepCli, OutputsNameTheSpecAndCarryUsableConfigs) {
    TempDir dir;
    const auto out = (dir.path / "r.json").string(), all = (dir.path / "all.csv").string();
    const auto r =
        test::run_cli("sweep" + small + " --name mini --json --out " + out + " --all " + all);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto doc = nlohmann::json::parse(std::ifstream(out));
    EXPECT_EQ(doc["spec_name"], "mini");
    const auto& best = doc["results"][0]["best"]["images_per_s"];
    for (const char* key :
         {"images_per_s", "effective_tops", "peak_tops", "top1", "alm", "dsp", "m20k"})
        EXPECT_TRUE(best.contains(key)) << key;
    // The point's config is valid `estimate --config` input and gives the same images/s.
    const auto cfg = dir.write("cfg.json", best["config"].dump());
    const auto e = test::run_cli("estimate --config " + cfg + " --json");
    ASSERT_EQ(e.status, 0) << e.err;
    const auto totals = nlohmann::json::parse(e.out)["totals"];
    EXPECT_EQ(totals["images_per_s"], best["images_per_s"]);
    if (!best["power_w"].is_null()) { // once the power model is in, the two must agree
        EXPECT_NEAR(totals["power_w"].get<double>(), best["power_w"].get<double>(), 1e-9);
    }
    std::ifstream csv(all);
    std::string first;
    std::getline(csv, first);
    EXPECT_NE(first.find("\"mini\""), std::string::npos);
    // No temporary files are left next to the outputs.
    int files = 0;
    for ([[maybe_unused]] const auto& f : fs::directory_iterator(dir.path)) ++files;
    EXPECT_EQ(files, 3);
}

TEST(SweepCli, ShardsMergeFromTheCommandLine) {
    TempDir dir;
    std::string parts;
    for (int i = 0; i < 3; ++i) {
        const std::string f = fmt::format("{}/s{}.json", dir.path.string(), i);
        ASSERT_EQ(
            test::run_cli(fmt::format("sweep{} --json --shard {}/3 --out {}", small, i, f)).status,
            0);
        parts += " " + f;
    }
    const auto whole = test::run_cli("sweep" + small + " --json");
    const auto merged = test::run_cli("merge" + parts + " --json");
    ASSERT_EQ(merged.status, 0) << merged.err;
    EXPECT_EQ(nlohmann::json::parse(merged.out)["results"],
              nlohmann::json::parse(whole.out)["results"]);
    const auto missing = test::run_cli("merge " + (dir.path / "s0.json").string());
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("shard 1/3 is missing"), std::string::npos) << missing.err;
}

TEST(SweepCli, InterruptLeavesNoOutputFiles) {
    TempDir dir;
    const std::string out = (dir.path / "r.json").string(), all = (dir.path / "all.csv").string();
    // A grid of ~25 million configurations: far from done when SIGINT arrives after a second.
    const std::string cmd =
        fmt::format("timeout --preserve-status -s INT 1 {} sweep --devices "
                    "arria10_gx1150,stratix10_gx2800 --networks alexnet,resnet34 "
                    "--widths 1:3 --k-vec 1:512 --c-vec 1:128 --q-vec 1:16 --lanes 1:4 --json "
                    "--out {} --all {} "
                    "2>/dev/null",
                    LPDLA_CLI, out, all);
    const int raw = std::system(cmd.c_str());
    EXPECT_EQ(WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, 130);
    EXPECT_TRUE(fs::is_empty(dir.path)); // neither output nor a temporary remains
}

TEST(SweepCli, DefaultSweepRunsFromTheRepositoryRoot) {
    // No --quiet: stderr is not a terminal here, so there must be no progress output.
    const auto r =
        test::run_cli("sweep --spec " + test::source_path("examples/default_sweep.json"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    for (const char* s :
         {"arria10_gx1150 / alexnet", "stratix10_gx2800 / resnet34", "2/ternary", "16/bfp16"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

} // namespace
} // namespace lpdla
