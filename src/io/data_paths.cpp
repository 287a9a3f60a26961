#include "lpdla/io/data_paths.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla {
namespace fs = std::filesystem;

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
    for (const char* candidate : {LPDLA_SOURCE_DATA_DIR, LPDLA_INSTALL_DATA_DIR})
        if (fs::is_directory(fs::path(candidate) / "devices")) return candidate;
    throw Error("cannot find lpdla's data (devices/, networks/): pass --data-dir or set "
                "LPDLA_DATA_DIR",
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
        fs::path(name_or_path).extension() == ".json") {
        if (!fs::is_regular_file(name_or_path))
            throw Error(fmt::format("{}: no such file", name_or_path));
        return name_or_path;
    }
    const fs::path file = data_dir(override_dir) / kind_dir / (name_or_path + ".json");
    if (fs::is_regular_file(file)) return file;
    const auto names = list_data_names(kind_dir, override_dir);
    const std::string singular = kind_dir.substr(0, kind_dir.size() - 1);
    throw Error(fmt::format("unknown {} '{}': known {}s are {} (or give a path to a .json file)",
                            singular, name_or_path, singular, fmt::join(names, ", ")));
}

} // namespace lpdla
