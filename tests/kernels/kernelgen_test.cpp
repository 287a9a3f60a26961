// The generated package: header values, sources copied, atomic replacement of a previous one.
#include <fstream>
#include <sstream>

#include "kernel_test_support.h"

namespace lpdla::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(KernelGen, HeaderStatesTheConfigurationAndDefinesTheKnobs) {
    const KernelConfig cfg = kernel_config(arch(16, 8, 4, 2, 2, WeightKind::ternary));
    const std::string h = config_header(cfg, "predicted: 123 trips\nsecond line");
    EXPECT_NE(h.find("#define K_VEC 16\n"), std::string::npos);
    EXPECT_NE(h.find("#define C_VEC 8\n"), std::string::npos);
    EXPECT_NE(h.find("#define Q_VEC 4\n"), std::string::npos);
    EXPECT_NE(h.find("#define LANES 2\n"), std::string::npos);
    EXPECT_NE(h.find("#define A_BITS 2\n"), std::string::npos);
    EXPECT_NE(h.find("#define W_BITS 2\n"), std::string::npos);
    EXPECT_NE(h.find("2/ternary"), std::string::npos);
    // 16 x 8 x 4 x 2 MACs per trip; figures stay inside the comment.
    EXPECT_NE(h.find("MACs per main-loop trip: 1024"), std::string::npos);
    EXPECT_NE(h.find("// second line\n"), std::string::npos);
}

TEST(KernelGen, PackageHoldsHeaderSourcesAndTopFileAndReplacesAnOldOne) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("lpdla_kernelgen_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const auto out = dir / "pkg";
    write_kernel_package(kernel_config(arch(4, 4, 2, 1, 8, WeightKind::int8)), "", kernel_dir(),
                         out);
    write_kernel_package(kernel_config(arch(8, 4, 2, 1, 4, WeightKind::int4)), "", kernel_dir(),
                         out);
    EXPECT_NE(slurp(out / "lpdla_config.h").find("#define K_VEC 8\n"), std::string::npos);
    for (const auto& name : kernel_source_names()) {
        EXPECT_EQ(slurp(out / name), slurp(kernel_dir() / name)) << name;
        EXPECT_NE(slurp(out / "lpdla_top.cl").find(name), std::string::npos);
    }
    // Only the package is left: no temporary directories beside it.
    int entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        entries += bool(e.path().c_str());
    EXPECT_EQ(entries, 1);
    // A directory that is not a package is never replaced.
    std::filesystem::create_directories(dir / "other");
    EXPECT_THROW(write_kernel_package(kernel_config(arch(4, 4, 2, 1, 8, WeightKind::int8)), "",
                                      kernel_dir(), dir / "other"),
                 Error);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace lpdla::test
