#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"

namespace lpdla {

void write_file_atomic(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + fmt::format(".tmp.{}", ::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(fmt::format("{}: cannot write (check the directory exists and is "
                                    "writable)",
                                    path.string()));
        out << text;
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            throw Error(fmt::format("{}: write failed", path.string()));
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw Error(fmt::format("{}: cannot rename into place: {}", path.string(), ec.message()));
    }
}

} // namespace lpdla
