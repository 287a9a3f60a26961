// Failures a user can meet: a kernel that does not build, no OpenCL platform, a precision the
// kernels do not realise. Each must be a clear lpdla::Error (exit status 2 in the CLI).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

TEST(KernelFailures, BrokenSourceThrowsWithTheBuildLog) {
    const KernelConfig cfg = kernel_config(arch(4, 3, 2, 1, 2, WeightKind::int2));
    const std::string text = fmt::format("{}__kernel void broken(__global int* p) {{\n"
                                         "    p[0] = undeclared_name;\n}}\n",
                                         config_header(cfg, {}));
    try {
        OpenClRunner runner(cfg, text);
        FAIL() << "a broken kernel built";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        EXPECT_NE(msg.find("Build log"), std::string::npos) << msg;
        EXPECT_NE(msg.find("undeclared_name"), std::string::npos) << msg;
    }
}

TEST(KernelFailures, FloatBaselinesAndSixteenBitModesAreRefused) {
    for (const Precision p : {Precision{16, WeightKind::bfp16}, Precision{32, WeightKind::fp32},
                              Precision{16, WeightKind::int16}}) {
        ArchConfig a;
        a.precision = p;
        EXPECT_FALSE(kernel_precision_problem(p).empty()) << precision_label(p);
        EXPECT_THROW(kernel_config(a), Error) << precision_label(p);
    }
    // Stride folding is realised on the host: the kernels, and so the package, do not change.
    ArchConfig folded;
    folded.precision = Precision{2, WeightKind::ternary};
    folded.fold_strides = true;
    ArchConfig direct = folded;
    direct.fold_strides = false;
    EXPECT_EQ(kernel_config(folded), kernel_config(direct));
    EXPECT_NE(kernel_precision_problem(Precision{16, WeightKind::bfp16}).find("comparison only"),
              std::string::npos);
}

// Runs the CLI through the shell; returns the exit status and fills `output` (stdout+stderr).
int run_cli(const std::string& env_and_args, std::string& output) {
    const std::string cmd = fmt::format("{} 2>&1", env_and_args);
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) return -1;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               fmt::format("lpdla_kernel_test_{}_{}", name, ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::filesystem::path write_config(const std::filesystem::path& dir, int act_bits,
                                   const std::string& weights) {
    const auto path = dir / "config.json";
    std::ofstream(path) << R"({"schema": "lpdla.config/1", "k_vec": 4, "c_vec": 3, "q_vec": 2,)"
                        << R"( "lanes": 1, "act_bits": )" << act_bits << R"(, "weights": ")"
                        << weights << R"("})";
    return path;
}

std::string quoted(const std::filesystem::path& p) {
    return fmt::format("'{}'", p.string());
}

TEST(KernelFailuresCli, NoPlatformExitsTwoWithAClearMessage) {
    const auto dir = temp_dir("noplatform");
    std::filesystem::create_directories(dir / "vendors");
    std::string out;
    const int status = run_cli(fmt::format("OCL_ICD_VENDORS={} {} run --config {} --network "
                                           "alexnet --scale 0.3",
                                           quoted(dir / "vendors"), LPDLA_CLI,
                                           quoted(write_config(dir, 2, "int2"))),
                               out);
    EXPECT_EQ(status, 2) << out;
    EXPECT_NE(out.find("no OpenCL platform"), std::string::npos) << out;
    std::filesystem::remove_all(dir);
}

TEST(KernelFailuresCli, BrokenKernelSourceExitsTwoWithTheBuildLog) {
    const auto dir = temp_dir("broken");
    std::filesystem::create_directories(dir / "kernels");
    for (const auto& name : kernel_source_names()) {
        std::filesystem::copy_file(kernel_dir() / name, dir / "kernels" / name);
    }
    std::ofstream(dir / "kernels" / "lpdla_aux.cl", std::ios::app)
        << "\n__kernel void oops(void) { int x = not_a_symbol; }\n";
    std::string out;
    const int status = run_cli(fmt::format("{} run --kernel-dir {} --config {} --network alexnet "
                                           "--scale 0.3",
                                           LPDLA_CLI, quoted(dir / "kernels"),
                                           quoted(write_config(dir, 2, "int2"))),
                               out);
    EXPECT_EQ(status, 2) << out;
    EXPECT_NE(out.find("Build log"), std::string::npos) << out;
    EXPECT_NE(out.find("not_a_symbol"), std::string::npos) << out;
    std::filesystem::remove_all(dir);
}

TEST(KernelFailuresCli, FloatBaselineIsRefusedByKernelsAndRun) {
    const auto dir = temp_dir("baseline");
    const auto cfg = write_config(dir, 16, "bfp16");
    std::string out;
    EXPECT_EQ(run_cli(fmt::format("{} kernels --config {} --out {}", LPDLA_CLI, quoted(cfg),
                                  quoted(dir / "pkg")),
                      out),
              2)
        << out;
    EXPECT_NE(out.find("comparison only"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(dir / "pkg"));
    out.clear();
    EXPECT_EQ(
        run_cli(fmt::format("{} run --config {} --network alexnet", LPDLA_CLI, quoted(cfg)), out),
        2)
        << out;
    EXPECT_NE(out.find("comparison only"), std::string::npos) << out;
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla::test
