#include "lpdla/io/data_paths.h"

#include <algorithm>
#include <cstdlib>

#include <dlfcn.h>
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/io/suggest.h"

// Defined (weakly) in a program built with find_package(lpdla): cmake/lpdla_data_hint.cpp.in.
extern "C" __attribute__((weak)) const char* lpdla_consumer_data_dir();

namespace lpdla {
namespace fs = std::filesystem;
namespace {

bool holds_data(const fs::path& dir) {
    std::error_code ec;
    return !dir.empty() && fs::is_directory(dir / "devices", ec);
}

// The install layouts put a binary in bin/, lib/, lib/<multiarch>/ or a Python package folder
// (lib/python3/dist-packages/lpdla/): the data is under an ancestor of its folder.
fs::path installed_data_near(const fs::path& binary) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(binary, ec).parent_path();
    if (ec || !dir.is_absolute()) return {};
    for (int up = 0; up <= 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
        if (holds_data(dir / LPDLA_DATA_SUBDIR)) return dir / LPDLA_DATA_SUBDIR;
        if (dir == dir.root_path()) break;
    }
    return {};
}

fs::path executable_path() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe;
}

// The file that holds this function: the shared library, or the executable or plugin a static
// library was linked into.
fs::path library_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&installed_data_near), &info) == 0 ||
        !info.dli_fname || !*info.dli_fname)
        return {};
    return info.dli_fname;
}

} // namespace

fs::path data_dir(const std::string& override_dir) {
    if (!override_dir.empty()) {
        if (!fs::is_directory(override_dir))
            throw Error(fmt::format("--data-dir {}: not a directory", override_dir),
                        ErrorKind::usage);
        return override_dir;
    }
    if (const char* env = std::getenv("LPDLA_DATA_DIR"); env && *env) {
        if (!fs::is_directory(env))
            throw Error(fmt::format("LPDLA_DATA_DIR={}: not a directory", env), ErrorKind::usage);
        return env;
    }
    const fs::path exe = executable_path();
    // Only an absolute path names the library's file for sure (glibc gives argv[0] for the
    // executable itself, which step 5 covers anyway).
    if (const fs::path lib = library_path(); lib.is_absolute() && lib != exe)
        if (auto dir = installed_data_near(lib); !dir.empty()) return dir;
    if (lpdla_consumer_data_dir)
        if (const fs::path hint = lpdla_consumer_data_dir(); holds_data(hint)) return hint;
    if (!exe.empty())
        if (auto dir = installed_data_near(exe); !dir.empty()) return dir;
    for (const char* candidate : {LPDLA_SOURCE_DATA_DIR, LPDLA_INSTALL_DATA_DIR})
        if (holds_data(candidate)) return candidate;
    throw Error(fmt::format("cannot find lpdla's data (devices/, networks/): looked next to the "
                            "library and the executable ({}), in {} and {}; pass --data-dir or "
                            "set LPDLA_DATA_DIR",
                            exe.string(), LPDLA_SOURCE_DATA_DIR, LPDLA_INSTALL_DATA_DIR),
                ErrorKind::usage);
}

std::vector<std::string> list_data_names(const std::string& kind_dir,
                                         const std::string& override_dir) {
    std::vector<std::string> names;
    const fs::path dir = data_dir(override_dir) / kind_dir;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

fs::path find_data_file(const std::string& kind_dir, const std::string& name_or_path,
                        const std::string& override_dir) {
    if (name_or_path.find('/') != std::string::npos ||
        fs::path(name_or_path).extension() == ".json" ||
        fs::path(name_or_path).extension() == ".onnx") {
        if (!fs::is_regular_file(name_or_path))
            throw Error(fmt::format("{}: no such file", name_or_path));
        return name_or_path;
    }
    const fs::path file = data_dir(override_dir) / kind_dir / (name_or_path + ".json");
    if (fs::is_regular_file(file)) return file;
    const auto names = list_data_names(kind_dir, override_dir);
    const std::string singular = kind_dir.substr(0, kind_dir.size() - 1);
    throw Error(fmt::format("unknown {} '{}'{}; known {}s are {} (or give a path to a .json file)",
                            singular, name_or_path, did_you_mean(name_or_path, names), singular,
                            fmt::join(names, ", ")));
}

} // namespace lpdla
