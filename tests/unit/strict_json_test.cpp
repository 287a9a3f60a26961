// The strict parse every lpdla loader shares (lpdla/io/strict_json.h): bounded depth, duplicate
// keys, number overflow, unknown keys with a suggestion, integers checked before conversion.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/io/strict_json.h"

namespace lpdla {
namespace {
using nlohmann::json;
using strict_json::Reader;

std::string parse_error(const std::string& text) {
    try {
        strict_json::parse(text, "f.json");
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        return e.what();
    }
    return "(parsed)";
}

std::string nested(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

TEST(StrictJson, DepthLimitIsSixtyFourLevels) {
    EXPECT_NO_THROW(strict_json::parse(nested(64), "f.json"));
    EXPECT_NE(parse_error(nested(65)).find("nested deeper than 64 levels"), std::string::npos);
    // The reported crash: 100,000 levels is an error, not a stack overflow.
    EXPECT_NE(parse_error(nested(100000)).find("f.json: /0/0/0"), std::string::npos);
}

TEST(StrictJson, DuplicateKeyNamesFileAndPath) {
    EXPECT_EQ(parse_error(R"({"a": {"b": 1, "b": 2}})"),
              "f.json: /a/b: duplicate key 'b': each key may appear once per object");
    // The same key in sibling objects is fine.
    EXPECT_NO_THROW(strict_json::parse(R"([{"b": 1}, {"b": 2}])", "f.json"));
}

TEST(StrictJson, NumberOverflowIsBadInputAtItsPath) {
    const auto m = parse_error(R"({"layers": [{"k": 1e400}]})");
    EXPECT_NE(m.find("f.json: /layers/0/k: malformed JSON: number overflows a double"),
              std::string::npos)
        << m;
    EXPECT_NE(parse_error("[-1e400]").find("/0: malformed JSON: number overflows"),
              std::string::npos);
    // Not an overflow: underflow to 0 and the largest double are finite.
    EXPECT_NO_THROW(strict_json::parse("[1e-400, 1.7976931348623157e308]", "f.json"));
}

TEST(StrictJson, SyntaxErrorsNameTheFile) {
    EXPECT_NE(parse_error(R"({"a": 1} x)").find("f.json: /: malformed JSON:"), std::string::npos);
    EXPECT_NE(parse_error("").find("malformed JSON"), std::string::npos);
    EXPECT_NE(parse_error(R"({"a": NaN})").find("malformed JSON"), std::string::npos);
}

TEST(StrictJson, UnknownKeySuggestsClosestAndAllowsNotes) {
    const Reader rd("n.json");
    const json ok = json::parse(R"({"stride": 1, "comment": "why", "x-origin": "onnx"})");
    EXPECT_NO_THROW(rd.keys(ok, "/layers/3", {"stride", "pad"}));
    try {
        rd.keys(json::parse(R"({"strides": 2})"), "/layers/3", {"stride", "pad"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "n.json: /layers/3/strides: unknown key (did you mean "
                                         "'stride'?); valid keys: stride, pad");
    }
    // Nothing close: no suggestion, still the list.
    try {
        rd.keys(json::parse(R"({"zzzzzz": 2})"), "", {"stride", "pad"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "n.json: /zzzzzz: unknown key; valid keys: stride, pad");
    }
}

TEST(StrictJson, IntegersAreRangeCheckedBeforeConversion) {
    const Reader rd("f.json");
    const auto get = [&](const std::string& text) {
        return rd.integer64(json::parse(text), "n", "/x", -5, 1000);
    };
    EXPECT_EQ(get(R"({"n": 1000})"), 1000);
    EXPECT_EQ(get(R"({"n": -5})"), -5);
    EXPECT_EQ(get(R"({"n": 12.0})"), 12); // a float with an integer value is an integer
    EXPECT_EQ(get(R"({"n": {"value": 7}})"), 7);
    // "source" is an annotation only where the file's reader allows it (device files).
    EXPECT_THROW(get(R"({"n": {"value": 7, "source": "s"}})"), Error);
    EXPECT_EQ(Reader("d.json", {"source"})
                  .integer64(json::parse(R"({"n": {"value": 7, "source": "s"}})"), "n", "", 0, 9),
              7);
    for (const char* bad :
         {R"({"n": 1001})", R"({"n": -6})", R"({"n": 1.5})", R"({"n": 5.5e71})",
          R"({"n": 18446744073709551615})", R"({"n": -9223372036854775808})", R"({"n": "3"})"}) {
        EXPECT_THROW(get(bad), Error) << bad;
    }
    try {
        get(R"({"n": 3e9})");
    } catch (const Error& e) {
        // No wrap to -2147483648 in the message.
        EXPECT_EQ(std::string(e.what()),
                  "f.json: /x/n: 3000000000 is not valid: expected an integer in -5..1000");
    }
}

TEST(StrictJson, NumbersMustBeFiniteAndInRange) {
    const Reader rd("f.json");
    json j = {{"v", std::numeric_limits<double>::quiet_NaN()}}; // a document built in memory
    EXPECT_THROW(rd.number(j, "v", ""), Error);
    j["v"] = 2001.0;
    EXPECT_THROW(rd.positive(j, "v", "/clock", 2000, " MHz"), Error);
    j["v"] = 0.0;
    EXPECT_THROW(rd.positive(j, "v", "/clock", 2000, " MHz"), Error);
    j["v"] = 2000.0;
    EXPECT_EQ(rd.positive(j, "v", "/clock", 2000, " MHz"), 2000.0);
}

TEST(StrictJson, ReadJsonFileRefusesDirectoriesAndNamesTheFile) {
    const auto dir = std::filesystem::temp_directory_path();
    try {
        read_json_file(dir);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos);
    }
    const auto f = dir / "lpdla_strict_dup.json";
    std::ofstream(f) << R"({"schema": "x", "schema": "y"})";
    try {
        read_json_file(f);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  f.string() + ": /schema: duplicate key 'schema': each key may appear once per "
                               "object");
    }
    std::filesystem::remove(f);
}

} // namespace
} // namespace lpdla
