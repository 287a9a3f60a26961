// `merge` refusals, each with a message that names what to re-run or fix: a missing shard (its
// index, and a list of indices a resume can pass to `sbatch --array`), a repeated shard, shards of
// different specs or different splits, and an input that is already merged. A repaired set of
// shards (the missing one re-run) merges to the unsharded result.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"
#include "test_support.h"

namespace lpdla {
namespace {

namespace fs = std::filesystem;

// 2 k_vec x 2 c_vec x 2 lanes x 2 precisions = 16 configurations on one device: every shard of
// up to a 16-way split holds at least one configuration.
SweepSpec tiny_spec() {
    SweepSpec s = default_sweep_spec();
    s.name = "merge-failure";
    s.source = "merge_failure_test";
    s.devices = {"arria10_gx1150"};
    s.networks = {"alexnet"};
    s.k_vec = {16, 32};
    s.c_vec = {8, 16};
    s.q_vec = {4};
    s.lanes = {1, 2};
    s.precisions = {parse_precision("2/ternary", ""), parse_precision("8/int8", "")};
    return s;
}

std::vector<SweepResult> shards_of(const SweepSpec& spec, std::uint64_t n,
                                   const std::vector<std::uint64_t>& which) {
    const SweepInputs in = load_sweep_inputs(spec, test::source_path(""));
    std::vector<SweepResult> out;
    for (std::uint64_t i : which) {
        SweepOptions o;
        o.shard = {i, n};
        o.threads = 1;
        out.push_back(run_sweep(spec, in, o));
    }
    return out;
}

// The message of the lpdla::Error that merging `shards` throws ("" when it does not throw).
std::string refusal(const std::vector<SweepResult>& shards) {
    try {
        merge_sweep_results(shards);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(MergeFailure, OneMissingShardIsNamedByIndex) {
    const std::string m = refusal(shards_of(tiny_spec(), 4, {3, 0, 1}));
    EXPECT_NE(m.find("shard 2/4 is missing"), std::string::npos) << m;
    EXPECT_NE(m.find("--shard 2/4"), std::string::npos) << m; // the command that repairs it
}

TEST(MergeFailure, SeveralMissingShardsAreListedAsAnArrayRange) {
    // Of 8 shards only 0, 3 and 7 are present: 1, 2, 4, 5, 6 are missing.
    const std::string m = refusal(shards_of(tiny_spec(), 8, {0, 3, 7}));
    EXPECT_NE(m.find("shard 1/8 is missing, and 4 more: shards 1-2,4-6 of 8 are missing"),
              std::string::npos)
        << m;
    // A gap of one index between runs stays a list, not a range.
    const std::string gaps = refusal(shards_of(tiny_spec(), 6, {0, 2, 4}));
    EXPECT_NE(gaps.find("shard 1/6 is missing, and 2 more: shards 1,3,5 of 6"), std::string::npos)
        << gaps;
}

// Shard files say what N is; a refusal must not walk or list all of a huge split.
TEST(MergeFailure, MissingListsStayShortWhateverN) {
    const SweepResult one = shards_of(tiny_spec(), 2, {0}).front();
    std::vector<SweepResult> shards(70, one);
    for (std::uint64_t k = 0; k < shards.size(); ++k) shards[k].shard = {2 * k, 200};
    // Present: 0, 2, .., 138. Missing runs: 1, 3, .., 139 (70 of them) and 140-199; the 64th
    // run is 127, and the list stops there.
    const std::string m = refusal(shards);
    EXPECT_NE(m.find("shard 1/200 is missing, and 129 more: shards 1,3,5,7,"), std::string::npos)
        << m;
    EXPECT_NE(m.find(",125,127,... of 200 are missing"), std::string::npos) << m;
    shards.resize(1);
    shards[0].shard = {5, 1000000000000};
    const std::string huge = refusal(shards);
    EXPECT_NE(huge.find("shard 0/1000000000000 is missing, and 999999999998 more: shards "
                        "0-4,6-999999999999 of"),
              std::string::npos)
        << huge;
    shards[0].shard = {7, 4}; // a hand-edited file: no such shard
    EXPECT_NE(refusal(shards).find("shard 7/4 is not a shard"), std::string::npos);
}

TEST(MergeFailure, ARepeatedShardIsRefused) {
    const std::string m = refusal(shards_of(tiny_spec(), 2, {0, 1, 0}));
    EXPECT_NE(m.find("shard 0/2 is given twice"), std::string::npos) << m;
}

TEST(MergeFailure, ShardsOfDifferentSpecsAreRefusedNamingTheKey) {
    SweepSpec other = tiny_spec();
    other.lanes = {1, 4};
    std::vector<SweepResult> shards = shards_of(tiny_spec(), 2, {0});
    shards.push_back(shards_of(other, 2, {1}).front());
    const std::string m = refusal(shards);
    EXPECT_NE(m.find("shard 1/2 was made by a different spec than shard 0/2"), std::string::npos)
        << m;
    EXPECT_NE(m.find("differ in \"lanes\""), std::string::npos) << m;
    // A constraint is part of the spec too: the same grid under another cap is another sweep.
    SweepSpec capped = tiny_spec();
    capped.constraints.caps.alm = 0.5;
    shards.back() = shards_of(capped, 2, {1}).front();
    const std::string c = refusal(shards);
    EXPECT_NE(c.find("differ in \"constraints\""), std::string::npos) << c;
}

TEST(MergeFailure, ShardsOfDifferentSplitsAreRefused) {
    std::vector<SweepResult> shards = shards_of(tiny_spec(), 2, {0});
    shards.push_back(shards_of(tiny_spec(), 3, {1}).front());
    const std::string m = refusal(shards);
    EXPECT_NE(m.find("shard 1/3 does not belong to the 2-way split"), std::string::npos) << m;
}

TEST(MergeFailure, AnAlreadyMergedResultIsRefused) {
    const SweepResult merged = merge_sweep_results(shards_of(tiny_spec(), 2, {0, 1}));
    EXPECT_EQ(merged.shards_merged, 2u);
    const std::string m = refusal({merged, shards_of(tiny_spec(), 2, {0}).front()});
    EXPECT_NE(m.find("already a merge of 2 shards"), std::string::npos) << m;
    EXPECT_EQ(refusal({}), "merge: no sweep results given");
}

TEST(MergeFailure, TheMissingShardReRunCompletesTheMerge) {
    const SweepSpec spec = tiny_spec();
    std::vector<SweepResult> shards = shards_of(spec, 4, {0, 1, 3});
    ASSERT_NE(refusal(shards), "");
    shards.push_back(shards_of(spec, 4, {2}).front()); // the re-run of the failed task
    const nlohmann::json merged = sweep_result_to_json(merge_sweep_results(shards));
    const nlohmann::json whole =
        sweep_result_to_json(run_sweep(spec, load_sweep_inputs(spec, test::source_path("")), {}));
    EXPECT_EQ(merged["results"].dump(), whole["results"].dump());
    EXPECT_EQ(merged["counts"], whole["counts"]);
    EXPECT_EQ(merged["counts"]["configs"], 16); // 2 x 2 x 2 x 2, worked out above
}

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/lpdla_merge_XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

TEST(MergeFailure, CliExitsTwoNamesBothFilesOfARepeatedShardAndWritesNothing) {
    TempDir dir;
    const std::string sweep = " --devices arria10_gx1150 --networks alexnet --k-vec 16,32 "
                              "--c-vec 8,16 --q-vec 4 --lanes 1,2 --precisions 2/ternary,8/int8 "
                              "--quiet --json";
    const auto path = [&](const std::string& name) { return (dir.path / name).string(); };
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(test::run_cli(fmt::format("sweep{} --shard {}/2 --out {}", sweep, i,
                                            path(fmt::format("s{}.json", i))))
                      .status,
                  0);
    fs::copy_file(path("s0.json"), path("copy_of_s0.json"));
    const std::string out = path("merged.json");
    const auto twice = test::run_cli(fmt::format("merge {} {} {} --json --out {}", path("s0.json"),
                                                 path("s1.json"), path("copy_of_s0.json"), out));
    EXPECT_EQ(twice.status, 2);
    EXPECT_NE(twice.err.find("shard 0/2 is given twice: " + path("s0.json") + " and " +
                             path("copy_of_s0.json")),
              std::string::npos)
        << twice.err;
    EXPECT_FALSE(fs::exists(out));

    const auto missing =
        test::run_cli(fmt::format("merge {} --json --out {}", path("s1.json"), out));
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("shard 0/2 is missing"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(out));

    // A file that is not a sweep result is bad input naming the file.
    std::ofstream(path("other.json")) << R"({"schema": "lpdla.config/1"})";
    const auto foreign =
        test::run_cli(fmt::format("merge {} {}", path("s0.json"), path("other.json")));
    EXPECT_EQ(foreign.status, 2);
    EXPECT_NE(foreign.err.find(path("other.json") + ": not a sweep result"), std::string::npos)
        << foreign.err;
}

} // namespace
} // namespace lpdla
