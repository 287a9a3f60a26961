#pragma once
// The strict JSON reader every lpdla loader shares: typed field access whose errors read
// "file: /json/path: what is wrong", so a caller (the CLI or a program linking lpdla) can tell the
// user exactly what to fix.
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"

namespace lpdla::strict_json {
using json = nlohmann::json;

inline std::string child(const std::string& path, const std::string& key) {
    return path + "/" + key;
}
inline std::string child(const std::string& path, std::size_t index) {
    return path + "/" + std::to_string(index);
}

// Reads typed fields and reports problems as "file: /json/path: what is wrong".
class Reader {
  public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw Error(fmt::format("{}: {}: {}", file_, path.empty() ? "/" : path, what));
    }

    const json& object(const json& j, const std::string& path) const {
        if (!j.is_object()) fail(path, "expected a JSON object");
        return j;
    }
    const json& field(const json& obj, const std::string& key, const std::string& path) const {
        auto it = obj.find(key);
        if (it == obj.end()) fail(child(path, key), "missing required field");
        return *it;
    }
    bool has(const json& obj, const std::string& key) const { return obj.contains(key); }

    // A number either bare or as {"value": N, "source"|"assumed": ...}.
    double number(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (v.is_object()) return number(v, "value", child(path, key));
        if (!v.is_number()) fail(child(path, key), "expected a number");
        const double d = v.get<double>();
        if (!std::isfinite(d)) fail(child(path, key), "expected a finite number");
        return d;
    }
    double number_or(const json& obj, const std::string& key, const std::string& path,
                     double fallback) const {
        return has(obj, key) ? number(obj, key, path) : fallback;
    }
    double non_negative(const json& obj, const std::string& key, const std::string& path) const {
        const double d = number(obj, key, path);
        if (d < 0) fail(child(path, key), fmt::format("{} is negative; expected >= 0", d));
        return d;
    }
    int integer(const json& obj, const std::string& key, const std::string& path, int lo,
                int hi) const {
        const double d = number(obj, key, path);
        if (d != std::floor(d) || d < lo || d > hi)
            fail(child(path, key),
                 fmt::format("{} is not valid: expected an integer in {}..{}", d, lo, hi));
        return int(d);
    }
    int integer_or(const json& obj, const std::string& key, const std::string& path, int lo, int hi,
                   int fallback) const {
        return has(obj, key) ? integer(obj, key, path, lo, hi) : fallback;
    }
    std::string string(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_string()) fail(child(path, key), "expected a string");
        return v.get<std::string>();
    }
    std::string string_or(const json& obj, const std::string& key, const std::string& path,
                          const std::string& fallback) const {
        return has(obj, key) ? string(obj, key, path) : fallback;
    }
    bool boolean_or(const json& obj, const std::string& key, const std::string& path,
                    bool fallback) const {
        if (!has(obj, key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_boolean()) fail(child(path, key), "expected true or false");
        return v.get<bool>();
    }
    const json& array(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_array()) fail(child(path, key), "expected an array");
        return v;
    }
    // [a, b] or a single integer meaning [a, a].
    std::pair<int, int> pair(const json& obj, const std::string& key, const std::string& path,
                             int lo, int hi, std::pair<int, int> fallback) const {
        if (!has(obj, key)) return fallback;
        const json& v = obj.at(key);
        const auto p = child(path, key);
        if (v.is_number()) {
            const int x = integer(obj, key, path, lo, hi);
            return {x, x};
        }
        if (!v.is_array() || v.size() != 2) fail(p, "expected an integer or [height, width]");
        json holder = {{"h", v[0]}, {"w", v[1]}};
        return {integer(holder, "h", p, lo, hi), integer(holder, "w", p, lo, hi)};
    }
    void schema(const json& doc, const std::string& expected) const {
        object(doc, "");
        const std::string got = string(doc, "schema", "");
        if (got != expected)
            fail("/schema", fmt::format("is '{}'; this file must be '{}'", got, expected));
    }
    const std::string& file() const { return file_; }

  private:
    std::string file_;
};

} // namespace lpdla::strict_json
