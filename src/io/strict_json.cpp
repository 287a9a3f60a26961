#include "lpdla/io/json_io.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
using nlohmann::json;
using strict_json::child;
using strict_json::Reader;

json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open file", path.string()));
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return json::parse(ss.str());
    } catch (const json::parse_error& e) {
        throw Error(fmt::format("{}: malformed JSON: {}", path.string(), e.what()));
    }
}

} // namespace lpdla
