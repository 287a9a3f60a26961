#pragma once
// The strict JSON reader every lpdla loader shares: a bounded parse (nesting depth, duplicate keys,
// number overflow) and typed field access whose errors read "file: /json/path: what is wrong", so
// a caller (the CLI or a program linking lpdla) can tell the user exactly what to fix. The checks
// live here, in the library, so every loader and every program gets the same errors.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"

namespace lpdla::strict_json {
using json = nlohmann::json;

// Deepest nesting of arrays/objects a file may have. lpdla's formats need at most 5 levels; the
// limit stops a hostile file before anything recursive (dump(), a copy, a tree walk) can overflow
// the stack (docs/FORMATS.md "Limits").
inline constexpr std::size_t max_depth = 64;
// Largest file read_json_file accepts (a merged sweep result is the biggest lpdla writes).
inline constexpr std::uintmax_t max_file_bytes = std::uintmax_t(1) << 28;

// Parses `text` strictly: syntax errors, nesting deeper than max_depth, duplicate keys and numbers
// that overflow a double are lpdla::Error (bad input) naming `file` and the JSON path.
json parse(std::string_view text, const std::string& file);

inline std::string child(const std::string& path, const std::string& key) {
    return path + "/" + key;
}
inline std::string child(const std::string& path, std::size_t index) {
    return path + "/" + std::to_string(index);
}

// A key every object may carry for notes: "comment" or anything starting "x-".
bool is_note_key(std::string_view key);

// Throws "where/key: unknown key (did you mean 'k'?)" for the first key of `obj` that is neither
// in `allowed` nor a note key. For parsers that format their own paths (sweep spec, cases).
void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& where);

// Reads typed fields and reports problems as "file: /json/path: what is wrong".
class Reader {
  public:
    // `annotations`: extra keys allowed in every object of this file (a device's "source",
    // "assumed", ... that make each number traceable).
    explicit Reader(std::string file, std::vector<std::string> annotations = {})
        : file_(std::move(file)), annotations_(std::move(annotations)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const;

    const json& object(const json& j, const std::string& path) const;
    // Fails on the first key of `obj` not in `allowed`, not an annotation and not a note key,
    // suggesting the closest valid one.
    void keys(const json& obj, const std::string& path,
              const std::vector<std::string_view>& allowed) const;
    const json& field(const json& obj, const std::string& key, const std::string& path) const;
    bool has(const json& obj, const std::string& key) const { return obj.contains(key); }

    // A finite number, either bare or as {"value": N, "source"|"assumed": ...}.
    double number(const json& obj, const std::string& key, const std::string& path) const;
    double number_or(const json& obj, const std::string& key, const std::string& path,
                     double fallback) const {
        return has(obj, key) ? number(obj, key, path) : fallback;
    }
    // A number in [lo, hi]; `unit` (e.g. " MHz") goes into the message.
    double number_in(const json& obj, const std::string& key, const std::string& path, double lo,
                     double hi, const char* unit = "") const;
    // A number in (0, hi].
    double positive(const json& obj, const std::string& key, const std::string& path, double hi,
                    const char* unit = "") const;
    double non_negative(const json& obj, const std::string& key, const std::string& path,
                        double hi = 1e15) const {
        return number_in(obj, key, path, 0, hi);
    }
    // An integer in [lo, hi], range-checked before conversion (no wrap, no undefined behaviour).
    std::int64_t integer64(const json& obj, const std::string& key, const std::string& path,
                           std::int64_t lo, std::int64_t hi) const;
    int integer(const json& obj, const std::string& key, const std::string& path, int lo,
                int hi) const {
        return int(integer64(obj, key, path, lo, hi));
    }
    int integer_or(const json& obj, const std::string& key, const std::string& path, int lo, int hi,
                   int fallback) const {
        return has(obj, key) ? integer(obj, key, path, lo, hi) : fallback;
    }
    // An array element (or any bare value) that must be an integer in [lo, hi].
    std::int64_t integer_value(const json& v, const std::string& path, std::int64_t lo,
                               std::int64_t hi) const;
    std::string string(const json& obj, const std::string& key, const std::string& path) const;
    std::string string_or(const json& obj, const std::string& key, const std::string& path,
                          const std::string& fallback) const {
        return has(obj, key) ? string(obj, key, path) : fallback;
    }
    bool boolean_or(const json& obj, const std::string& key, const std::string& path,
                    bool fallback) const;
    const json& array(const json& obj, const std::string& key, const std::string& path) const;
    // [a, b] or a single integer meaning [a, a].
    std::pair<int, int> pair(const json& obj, const std::string& key, const std::string& path,
                             int lo, int hi, std::pair<int, int> fallback) const;
    void schema(const json& doc, const std::string& expected) const;
    const std::string& file() const { return file_; }

  private:
    std::string file_;
    std::vector<std::string> annotations_;
};

} // namespace lpdla::strict_json
