// Replays every input the fuzzers ever found (tests/fuzz/regression/<format>/) plus the reported
// inputs of issue 13 through the same entry points the libFuzzer harnesses use: each must parse or
// throw lpdla::Error, nothing else (no other exception; under ASan+UBSan no report, no crash).
// Needs no clang: docs/FUZZING.md.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "fuzz_targets.h"
#include "lpdla/error.h"
#include "test_support.h"

namespace lpdla {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

enum class Outcome { parsed, bad_input, other_exception };

Outcome run(fuzz::Target target, const std::string& data, std::string& message) {
    try {
        target(data);
        return Outcome::parsed;
    } catch (const Error& e) {
        message = e.what();
        return Outcome::bad_input;
    } catch (const std::exception& e) {
        message = e.what();
        return Outcome::other_exception;
    }
}

TEST(FuzzReplay, EveryRegressionInputParsesOrIsABadInputError) {
    std::size_t replayed = 0;
    for (const auto& t : fuzz::all_targets()) {
        const auto dir =
            std::filesystem::path(test::source_path("tests/fuzz/regression")) / t.format;
        ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::string message;
            const Outcome o = run(t.run, slurp(entry.path()), message);
            EXPECT_NE(o, Outcome::other_exception) << entry.path() << ": " << message;
            ++replayed;
        }
    }
    // 23 inputs were committed with this test; the corpus only grows.
    EXPECT_GE(replayed, 23u);
}

// The reported inputs are all bad input, not merely "not a crash".
TEST(FuzzReplay, ReportedInputsAreRejectedWithTheirJsonPath) {
    const auto reg = std::filesystem::path(test::source_path("tests/fuzz/regression"));
    const struct {
        fuzz::Target target;
        const char* file;
        const char* expect; // a fragment of the message: the JSON path and the rule
    } cases[] = {
        {fuzz::device, "device/nested_100k_arrays.json", "nested deeper than 64 levels"},
        {fuzz::sweep_spec, "sweep_spec/nested_100k_arrays.json", "nested deeper than 64"},
        {fuzz::sweep_spec, "sweep_spec/nested_10k_objects.json", "/devices/a/a/a"},
        {fuzz::network, "network/number_overflow_1e400.json",
         "/input/height: malformed JSON: "
         "number overflows a double"},
        {fuzz::accuracy, "accuracy/number_overflow.json", "/rows/0/top1: malformed JSON"},
        {fuzz::device, "device/bits_5p5e71.json",
         "/memory_blocks/m20k/bits: 5.5e+71 is not valid: expected an integer in 1..1048576"},
        {fuzz::device, "device/bits_negative.json", "/memory_blocks/m20k/bits: -5 is not valid"},
        {fuzz::device, "device/default_fmax_1e308.json",
         "/clock/default_fmax_mhz: 1e+308 MHz is out of range"},
        {fuzz::network, "network/in_shape_3e9.json",
         "/layers/0/in_shape/0: 3000000000 is not valid"},
        {fuzz::network, "network/unknown_key_strides.json",
         "/layers/0/strides: unknown key (did you mean 'stride'?)"},
        {fuzz::network, "network/duplicate_key.json", "/name: duplicate key 'name'"},
        {fuzz::network, "network/huge_layer.json", "/layers/0: layer is too large to model"},
        {fuzz::sweep_spec, "sweep_spec/range_typo_stepp.json",
         "/k_vec/stepp: unknown key (did you mean 'step'?)"},
        {fuzz::sweep_spec, "sweep_spec/factor_not_number.json", "/k_vec/factor: expected a number"},
        {fuzz::sweep_spec, "sweep_spec/fixed_fc_batch_1e300.json", "/fixed/fc_batch: 1e+300"},
        {fuzz::config, "config/unknown_key.json", "/k_vecc: unknown key (did you mean 'k_vec'?)"},
        {fuzz::config, "config/width_huge.json", "/width: 1e+300 is out of range"},
    };
    for (const auto& c : cases) {
        std::string message;
        EXPECT_EQ(run(c.target, slurp(reg / c.file), message), Outcome::bad_input) << c.file;
        EXPECT_NE(message.find(c.expect), std::string::npos)
            << c.file << "\n  message: " << message << "\n  expected: " << c.expect;
    }
}

// The shipped files are the seed corpus: each must parse (a harness that rejected everything
// would fuzz nothing).
TEST(FuzzReplay, ShippedFilesAreAcceptedByTheirHarness) {
    const std::pair<fuzz::Target, const char*> seeds[] = {{fuzz::device, "devices"},
                                                          {fuzz::network, "networks"},
                                                          {fuzz::sweep_spec, "examples"},
                                                          {fuzz::cases, "validation/cases.json"}};
    std::size_t parsed = 0;
    for (auto [target, rel] : seeds) {
        const std::filesystem::path p = test::source_path(rel);
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::directory_iterator(p))
                if (e.path().extension() == ".json") files.push_back(e.path());
        } else {
            files.push_back(p);
        }
        for (const auto& f : files) {
            std::string message;
            EXPECT_EQ(run(target, slurp(f), message), Outcome::parsed) << f << ": " << message;
            ++parsed;
        }
    }
    EXPECT_GE(parsed, 12u); // 6 devices, 3 networks, 2 example specs, the cases
}

} // namespace
} // namespace lpdla
