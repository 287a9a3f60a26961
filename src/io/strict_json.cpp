#include "lpdla/io/strict_json.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "lpdla/io/json_io.h"
#include "lpdla/io/suggest.h"

namespace lpdla {
namespace strict_json {
namespace {

// Builds the document from SAX events so the checks nlohmann's DOM parser cannot make (duplicate
// keys: it keeps the last; depth: it has none) happen while parsing, with the JSON path at hand.
// nlohmann 3.11's parser and destructor are iterative, but dump(), copies and lpdla's own tree
// walks recurse: 100,000 nested arrays crash those, so the depth is bounded here, before them.
class Builder final : public nlohmann::json_sax<json> {
  public:
    explicit Builder(const std::string& file) : file_(file) {}
    json take() { return std::move(root_); }

    bool null() override { return add(json(nullptr)); }
    bool boolean(bool v) override { return add(json(v)); }
    bool number_integer(number_integer_t v) override { return add(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return add(json(v)); }
    bool number_float(number_float_t v, const string_t& text) override {
        // The lexer reports overflow itself (parse_error 406); this catches anything else.
        if (!std::isfinite(v)) fail(here(), fmt::format("number '{}' is not finite", text));
        return add(json(v));
    }
    bool string(string_t& v) override { return add(json(std::move(v))); }
    bool binary(binary_t&) override { fail(here(), "binary values are not JSON"); }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool key(string_t& k) override {
        if (stack_.back()->contains(k))
            fail(child(path_.back(), k),
                 fmt::format("duplicate key '{}': each key may appear once per object", k));
        key_ = std::move(k);
        return true;
    }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception& e) override {
        // what() is "[json.exception.parse_error.101] parse error at line 1, column 9: ...";
        // drop the bracketed id, keep the position and reason.
        std::string what = e.what();
        if (const auto at = what.find("] "); what.rfind("[json.", 0) == 0 && at != what.npos)
            what.erase(0, at + 2);
        if (e.id == 406)
            what = "number overflows a double (" + what +
                   "); valid JSON numbers for "
                   "lpdla are finite";
        fail(here(), "malformed JSON: " + what);
    }

  private:
    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw Error(fmt::format("{}: {}: {}", file_, path.empty() ? "/" : path, what));
    }
    // The path of the value being read now.
    std::string here() const {
        if (stack_.empty()) return "";
        const json& top = *stack_.back();
        return top.is_array() ? child(path_.back(), top.size()) : child(path_.back(), key_);
    }
    json* place(json&& v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& top = *stack_.back();
        if (top.is_array()) {
            top.push_back(std::move(v));
            return &top.back();
        }
        return &(top[key_] = std::move(v));
    }
    bool add(json&& v) {
        place(std::move(v));
        return true;
    }
    bool open(json&& container) {
        if (stack_.size() >= max_depth)
            fail(here(), fmt::format("nested deeper than {} levels (lpdla's formats need fewer "
                                     "than 8)",
                                     max_depth));
        std::string path = here();
        // Pointers into the tree stay valid: only the innermost open container grows, and a
        // child is closed before its parent array grows again (std::map nodes never move).
        stack_.push_back(place(std::move(container)));
        path_.push_back(std::move(path));
        return true;
    }
    bool close() {
        stack_.pop_back();
        path_.pop_back();
        return true;
    }

    const std::string& file_;
    json root_;
    std::vector<json*> stack_;
    std::vector<std::string> path_;
    std::string key_;
};

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

json parse(std::string_view text, const std::string& file) {
    Builder b(file);
    json::sax_parse(text.begin(), text.end(), &b, json::input_format_t::json, true, false);
    return b.take();
}

bool is_note_key(std::string_view key) {
    return key == "comment" || key.starts_with("x-");
}

void check_keys(const json& obj, const std::vector<std::string>& allowed,
                const std::string& where) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& k = it.key();
        if (is_note_key(k) || std::find(allowed.begin(), allowed.end(), k) != allowed.end())
            continue;
        const std::string hint = did_you_mean(k, allowed);
        throw Error(fmt::format("{}/{}: unknown key{}; valid keys: {} (notes go in \"comment\" "
                                "or an \"x-...\" key)",
                                where, k, hint, join(allowed)));
    }
}

void Reader::fail(const std::string& path, const std::string& what) const {
    throw Error(fmt::format("{}: {}: {}", file_, path.empty() ? "/" : path, what));
}

const json& Reader::object(const json& j, const std::string& path) const {
    if (!j.is_object()) fail(path, "expected a JSON object");
    return j;
}

void Reader::keys(const json& obj, const std::string& path,
                  const std::vector<std::string_view>& allowed) const {
    object(obj, path);
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& k = it.key();
        if (is_note_key(k) || std::find(allowed.begin(), allowed.end(), k) != allowed.end() ||
            std::find(annotations_.begin(), annotations_.end(), k) != annotations_.end())
            continue;
        std::vector<std::string> valid(allowed.begin(), allowed.end());
        const std::string hint = did_you_mean(k, valid);
        fail(child(path, k), fmt::format("unknown key{}; valid keys: {}", hint, join(valid)));
    }
}

const json& Reader::field(const json& obj, const std::string& key, const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end()) fail(child(path, key), "missing required field");
    return *it;
}

double Reader::number(const json& obj, const std::string& key, const std::string& path) const {
    const json& v = field(obj, key, path);
    if (v.is_object()) {
        keys(v, child(path, key), {"value"});
        return number(v, "value", child(path, key));
    }
    if (!v.is_number()) fail(child(path, key), "expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(child(path, key), "expected a finite number");
    return d;
}

double Reader::number_in(const json& obj, const std::string& key, const std::string& path,
                         double lo, double hi, const char* unit) const {
    const double d = number(obj, key, path);
    if (!(d >= lo && d <= hi))
        fail(child(path, key),
             fmt::format("{}{} is out of range: valid is {}..{}{}", d, unit, lo, hi, unit));
    return d;
}

double Reader::positive(const json& obj, const std::string& key, const std::string& path, double hi,
                        const char* unit) const {
    const double d = number(obj, key, path);
    if (!(d > 0 && d <= hi))
        fail(child(path, key),
             fmt::format("{}{} is out of range: valid is above 0 up to {}{}", d, unit, hi, unit));
    return d;
}

std::int64_t Reader::integer_value(const json& v, const std::string& path, std::int64_t lo,
                                   std::int64_t hi) const {
    const auto bad = [&](const std::string& got) {
        fail(path, fmt::format("{} is not valid: expected an integer in {}..{}", got, lo, hi));
    };
    // Compare in the value's own type before converting: a float like 5.5e71 or an unsigned
    // 2^64-1 must never reach a narrowing cast.
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (hi < 0 || u > std::uint64_t(hi) || std::int64_t(u) < lo) bad(std::to_string(u));
        return std::int64_t(u);
    }
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        if (i < lo || i > hi) bad(std::to_string(i));
        return i;
    }
    if (!v.is_number()) fail(path, fmt::format("expected an integer in {}..{}", lo, hi));
    const double d = v.get<double>();
    // lo and hi are far below 2^53 in every lpdla field, so the comparison is exact.
    if (!std::isfinite(d) || d != std::floor(d) || d < double(lo) || d > double(hi))
        bad(fmt::format("{}", d));
    return std::int64_t(d);
}

std::int64_t Reader::integer64(const json& obj, const std::string& key, const std::string& path,
                               std::int64_t lo, std::int64_t hi) const {
    const json& v = field(obj, key, path);
    if (v.is_object()) {
        keys(v, child(path, key), {"value"});
        return integer64(v, "value", child(path, key), lo, hi);
    }
    return integer_value(v, child(path, key), lo, hi);
}

std::string Reader::string(const json& obj, const std::string& key, const std::string& path) const {
    const json& v = field(obj, key, path);
    if (!v.is_string()) fail(child(path, key), "expected a string");
    return v.get<std::string>();
}

bool Reader::boolean_or(const json& obj, const std::string& key, const std::string& path,
                        bool fallback) const {
    if (!has(obj, key)) return fallback;
    const json& v = obj.at(key);
    if (!v.is_boolean()) fail(child(path, key), "expected true or false");
    return v.get<bool>();
}

const json& Reader::array(const json& obj, const std::string& key, const std::string& path) const {
    const json& v = field(obj, key, path);
    if (!v.is_array()) fail(child(path, key), "expected an array");
    return v;
}

std::pair<int, int> Reader::pair(const json& obj, const std::string& key, const std::string& path,
                                 int lo, int hi, std::pair<int, int> fallback) const {
    if (!has(obj, key)) return fallback;
    const json& v = obj.at(key);
    const auto p = child(path, key);
    if (v.is_number()) {
        const int x = int(integer_value(v, p, lo, hi));
        return {x, x};
    }
    if (!v.is_array() || v.size() != 2) fail(p, "expected an integer or [height, width]");
    return {int(integer_value(v[0], child(p, 0), lo, hi)),
            int(integer_value(v[1], child(p, 1), lo, hi))};
}

void Reader::schema(const json& doc, const std::string& expected) const {
    object(doc, "");
    const std::string got = string(doc, "schema", "");
    if (got != expected)
        fail("/schema", fmt::format("is '{}'; this file must be '{}'", got, expected));
}

} // namespace strict_json

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::error_code ec;
    const auto type = std::filesystem::status(path, ec).type();
    if (type == std::filesystem::file_type::directory)
        throw Error(fmt::format("{}: is a directory, not a JSON file", path.string()));
    // A device node (/dev/zero, a terminal) could stream without end or block; a FIFO (a shell's
    // <(...)) is fine, it ends when its writer does.
    if (type == std::filesystem::file_type::character || type == std::filesystem::file_type::block)
        throw Error(fmt::format("{}: is a device, not a JSON file", path.string()));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(fmt::format("{}: cannot open file", path.string()));
    std::string text;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, std::size_t(in.gcount()));
        if (text.size() > strict_json::max_file_bytes)
            throw Error(fmt::format("{}: larger than {} MiB; not an lpdla file", path.string(),
                                    strict_json::max_file_bytes >> 20));
    }
    if (in.bad()) throw Error(fmt::format("{}: read error", path.string()));
    return strict_json::parse(text, path.string());
}

} // namespace lpdla
