// Safe outputs (issue 13): a lost stdout write is a non-zero exit; --out onto a device node, a
// FIFO or a directory never replaces it; two writers of one --out leave one complete result.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "test_support.h"

namespace lpdla {
namespace {
namespace fs = std::filesystem;

const std::string estimate = std::string(LPDLA_CLI) +
                             " estimate --device arria10_gx1150 --network alexnet --act-bits 8 "
                             "--weights int8 --json";

int shell(const std::string& cmd) {
    const int raw = std::system(cmd.c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

fs::path fresh_dir(const std::string& name) {
    const fs::path d =
        fs::temp_directory_path() / ("lpdla_safe_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

bool is_char_device(const char* path) {
    struct stat st {};
    return ::stat(path, &st) == 0 && S_ISCHR(st.st_mode);
}

TEST(SafeOutput, StdoutOnAFullDiskIsAnError) {
    if (!is_char_device("/dev/full")) GTEST_SKIP() << "no /dev/full";
    const fs::path err = fresh_dir("full") / "err";
    // The JSON report is a few kB: it fits the stdio buffer, so only the final flush fails.
    EXPECT_EQ(shell(estimate + " >/dev/full 2>" + err.string()), int(ErrorKind::runtime));
    EXPECT_NE(slurp(err).find("cannot write to standard output"), std::string::npos) << slurp(err);
    // A table is checked the same way.
    EXPECT_NE(shell(std::string(LPDLA_CLI) + " devices >/dev/full 2>/dev/null"), 0);
    EXPECT_EQ(shell(std::string(LPDLA_CLI) + " devices >/dev/null"), 0);
}

TEST(SafeOutput, OutOntoDeviceNodesWritesInPlace) {
    if (!is_char_device("/dev/full") || !is_char_device("/dev/null")) GTEST_SKIP();
    EXPECT_EQ(shell(estimate + " --out /dev/null"), 0);
    EXPECT_TRUE(is_char_device("/dev/null"));
    EXPECT_EQ(shell(estimate + " --out /dev/full 2>/dev/null"), int(ErrorKind::runtime));
    EXPECT_TRUE(is_char_device("/dev/full")); // not replaced by a regular file
}

TEST(SafeOutput, OutOntoAFifoWritesThroughIt) {
    const fs::path d = fresh_dir("fifo");
    const fs::path fifo = d / "pipe", got = d / "got";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // The reader opens the FIFO first; the CLI writes into it, never renames over it.
    EXPECT_EQ(shell("cat " + fifo.string() + " >" + got.string() + " & " + estimate + " --out " +
                    fifo.string() + "; s=$?; wait; exit $s"),
              0);
    struct stat st {};
    ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(slurp(got), test::run_cli(estimate.substr(estimate.find(' ') + 1)).out);
    fs::remove_all(d);
}

TEST(SafeOutput, OutOntoADirectoryIsRefused) {
    const fs::path d = fresh_dir("dir");
    fs::create_directory(d / "sub");
    EXPECT_EQ(shell(estimate + " --out " + (d / "sub").string() + " 2>/dev/null"),
              int(ErrorKind::bad_input));
    EXPECT_TRUE(fs::is_directory(d / "sub"));
    EXPECT_THROW(write_file_atomic(d / "sub", "x"), Error);
    fs::remove_all(d);
}

TEST(SafeOutput, OutThroughASymlinkReplacesTheTargetNotTheLink) {
    const fs::path d = fresh_dir("link");
    std::ofstream(d / "real") << "old";
    fs::create_symlink("real", d / "link");
    write_file_atomic(d / "link", "new");
    EXPECT_TRUE(fs::is_symlink(d / "link"));
    EXPECT_EQ(slurp(d / "real"), "new");
    fs::remove_all(d);
}

TEST(SafeOutput, ConcurrentWritersLeaveOneCompleteResult) {
    const fs::path d = fresh_dir("race");
    const fs::path out = d / "result.json";
    // Two different complete reports; whichever rename lands last wins, never a mix.
    const std::string a = estimate + " --k-vec 16";
    const std::string b = estimate + " --k-vec 32 --c-vec 16";
    const std::string want_a = test::run_cli(a.substr(a.find(' ') + 1)).out;
    const std::string want_b = test::run_cli(b.substr(b.find(' ') + 1)).out;
    ASSERT_NE(want_a, want_b);
    for (int round = 0; round < 5; ++round) {
        EXPECT_EQ(shell(a + " --out " + out.string() + " & p=$!; " + b + " --out " + out.string() +
                        " & q=$!; wait $p && wait $q"),
                  0);
        const std::string got = slurp(out);
        EXPECT_TRUE(got == want_a || got == want_b) << "round " << round << ": mixed output";
    }
    // No temporary file is left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++files;
    EXPECT_EQ(files, 1u);
    fs::remove_all(d);
}

} // namespace
} // namespace lpdla
