// Sweep spec parsing: axis syntax, validation messages, JSON round trip.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_spec.h"

namespace lpdla {
namespace {

using json = nlohmann::json;

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        return e.what();
    }
    return "no error";
}

TEST(SweepSpec, AxisSyntax) {
    EXPECT_EQ(parse_int_axis("4,8,16", "x"), (std::vector<int>{4, 8, 16}));
    EXPECT_EQ(parse_int_axis("8:32:8", "x"), (std::vector<int>{8, 16, 24, 32}));
    EXPECT_EQ(parse_int_axis("4:64:*2", "x"), (std::vector<int>{4, 8, 16, 32, 64}));
    EXPECT_EQ(parse_int_axis("1:3", "x"), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(parse_int_axis("1:3,2,7", "x"), (std::vector<int>{1, 2, 3, 7})); // deduplicated
    EXPECT_EQ(parse_real_axis("0.5:1.5:0.25", "w"), (std::vector<double>{0.5, 0.75, 1, 1.25, 1.5}));
}

TEST(SweepSpec, AxisErrorsNameTheProblem) {
    EXPECT_NE(error_of([] { parse_int_axis("128:8", "--k-vec"); }).find("inverted"),
              std::string::npos);
    EXPECT_NE(error_of([] { parse_int_axis("", "--k-vec"); }).find("empty"), std::string::npos);
    EXPECT_NE(error_of([] { parse_int_axis("8:64:0", "--k-vec"); }).find("step"),
              std::string::npos);
    EXPECT_NE(error_of([] { parse_int_axis("4,x", "--k-vec"); }).find("'x' is not a number"),
              std::string::npos);
    EXPECT_NE(error_of([] { parse_int_axis("1.5", "--k-vec"); }).find("not an integer"),
              std::string::npos);
}

TEST(SweepSpec, JsonFormsAndRoundTrip) {
    const json doc = json::parse(R"({
        "schema": "lpdla.sweep/1", "name": "t", "devices": ["arria10_gx1150"],
        "networks": "alexnet,resnet34", "widths": [1, 2], "k_vec": {"min": 8, "max": 32, "step": 8},
        "c_vec": {"min": 4, "max": 16, "factor": 2}, "q_vec": 4, "lanes": "1:2",
        "act_bits": [2, 4, 16], "weights": ["ternary", "bfp16"],
        "constraints": {"max_alm_pct": 70, "min_top1": 0.5}, "cost": "dsp"})");
    const SweepSpec s = parse_sweep_spec(doc, "t.json", default_sweep_spec());
    EXPECT_EQ(s.k_vec, (std::vector<int>{8, 16, 24, 32}));
    EXPECT_EQ(s.c_vec, (std::vector<int>{4, 8, 16}));
    EXPECT_EQ(s.q_vec, (std::vector<int>{4}));
    // The cross product keeps only valid pairs: 2/ternary, 4/ternary, 16/ternary, 16/bfp16.
    ASSERT_EQ(s.precisions.size(), 4u);
    EXPECT_EQ(precision_label(s.precisions[3]), "16/bfp16");
    EXPECT_DOUBLE_EQ(s.constraints.caps.alm, 0.70);
    EXPECT_EQ(s.cost, CostKind::dsp);
    EXPECT_EQ(s.configs_per_device(), 4u * 3 * 1 * 2 * 4 * 1 * 1);
    const SweepSpec back = parse_sweep_spec(spec_to_json(s), "", default_sweep_spec());
    EXPECT_EQ(spec_to_json(back), spec_to_json(s));
}

TEST(SweepSpec, ValidationMessages) {
    const auto parse = [](const std::string& text) {
        SweepSpec s = parse_sweep_spec(json::parse(text), "bad.json", default_sweep_spec());
        s.devices = {"arria10_gx1150"};
        s.networks = {"alexnet"};
        validate_sweep_spec(s);
    };
    EXPECT_NE(error_of([&] { parse(R"({"schema": "lpdla.sweep/1", "k_vec": []})"); }).find("empty"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  parse(R"({"schema": "lpdla.sweep/1", "k_vec": {"min": 64, "max": 8}})");
              }).find("min 64 > max 8"),
              std::string::npos);
    EXPECT_NE(
        error_of([&] { parse(R"({"schema": "lpdla.sweep/1", "lanes": "4:1"})"); }).find("inverted"),
        std::string::npos);
    EXPECT_NE(error_of([&] {
                  parse(R"({"schema": "lpdla.sweep/1", "k_vec": [0, 8]})");
              }).find("k_vec = 0"),
              std::string::npos);
    EXPECT_NE(
        error_of([&] { parse(R"({"schema": "lpdla.sweep/1", "colour": 1})"); }).find("unknown key"),
        std::string::npos);
    EXPECT_NE(error_of([&] {
                  parse(R"({"schema": "lpdla.sweep/1", "constraints": {"min_top1": 55}})");
              }).find("fraction"),
              std::string::npos);
    EXPECT_NE(error_of([&] { parse(R"({"schema": "lpdla.sweep/2"})"); }).find("schema"),
              std::string::npos);
}

} // namespace
} // namespace lpdla
