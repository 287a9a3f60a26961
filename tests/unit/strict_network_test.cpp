// Strict network and configuration parsing: unknown keys per layer type, integer ranges, the
// per-layer size bound that keeps Layer::macs() inside int64 (docs/FORMATS.md).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"

namespace lpdla {
namespace {
using nlohmann::json;

json tiny() {
    return json::parse(R"({"schema": "lpdla.network/1", "name": "t",
        "input": {"channels": 3, "height": 32, "width": 32},
        "layers": [{"name": "c1", "type": "conv", "input": "data", "out_channels": 8, "kernel": 3},
                   {"name": "r1", "type": "relu", "input": "c1"},
                   {"name": "fc", "type": "fc", "input": "r1", "out_features": 10}]})");
}

std::string error_of(const json& doc) {
    try {
        parse_network(doc, "t.json");
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        return e.what();
    }
    return "";
}

TEST(StrictNetwork, TinyNetworkParsesWithHandWorkedShapes) {
    const Network n = parse_network(tiny(), "t.json");
    // 32 - 3 + 1 = 30; fc sees 8 x 30 x 30 = 7200 inputs.
    EXPECT_EQ(n.layers[0].out.height, 30);
    EXPECT_EQ(n.layers[2].in.elements(), 7200);
}

TEST(StrictNetwork, UnknownLayerKeysAreErrorsWithASuggestion) {
    json d = tiny();
    d["layers"][0]["strides"] = 2;
    // (The list of valid keys grows as the parser learns layer features; only its start is fixed.)
    EXPECT_EQ(error_of(d).rfind("t.json: /layers/0/strides: unknown key (did you mean 'stride'?); "
                                "valid keys: name, type, input",
                                0),
              0u)
        << error_of(d);
    d = tiny();
    d["layers"][0]["output_padding"] = 1; // not modelled: must not be silently ignored
    EXPECT_NE(error_of(d).find("/layers/0/output_padding: unknown key"), std::string::npos);
    d = tiny();
    d["layers"][1]["kernel"] = 3; // meaningless on a relu
    EXPECT_NE(error_of(d).find("/layers/1/kernel: unknown key"), std::string::npos);
    d = tiny();
    d["layers"][1]["comment"] = "fused in hardware";
    d["x-exporter"] = "onnx";
    EXPECT_EQ(error_of(d), "");
}

TEST(StrictNetwork, IntegerFieldsRangeCheckedWithoutWrap) {
    json d = tiny();
    d["layers"][0]["in_shape"] = {3e9, 32, 32};
    EXPECT_EQ(error_of(d), "t.json: /layers/0/in_shape/0: 3000000000 is not valid: expected an "
                           "integer in 1..1073741824");
    d = tiny();
    d["input"]["height"] = 1.5;
    EXPECT_NE(error_of(d).find("/input/height: 1.5 is not valid"), std::string::npos);
    d = tiny();
    d["layers"][0]["stride"] = {2, 0};
    EXPECT_NE(error_of(d).find("/layers/0/stride/1: 0 is not valid: expected an integer in "
                               "1..1024"),
              std::string::npos);
}

TEST(StrictNetwork, LayersTooLargeToModelAreRejected) {
    json d = tiny();
    d["input"] = {{"channels", 1 << 20}, {"height", 1 << 16}, {"width", 1 << 16}};
    d["layers"][0]["out_channels"] = 1 << 20;
    d["layers"][0]["kernel"] = 1;
    // 2^20 x 2^16 x 2^16 outputs = 2^52 > 2^40.
    EXPECT_NE(error_of(d).find("/layers/0: layer is too large to model"), std::string::npos);
}

TEST(StrictConfig, UnknownKeyAndRanges) {
    const auto err = [](const char* text) {
        try {
            parse_config(json::parse(text), "c.json");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(err(R"({"schema": "lpdla.config/1", "k_vecc": 16})")
                  .find("c.json: /k_vecc: unknown key (did you mean 'k_vec'?)"),
              std::string::npos);
    EXPECT_EQ(err(R"({"schema": "lpdla.config/1", "k_vec": 5.5e71})"),
              "c.json: /k_vec: 5.5e+71 is not valid: expected an integer in 1..4096");
    EXPECT_NE(err(R"({"schema": "lpdla.config/1", "width": 0})").find("/width: 0 is out of range"),
              std::string::npos);
    EXPECT_EQ(err(R"({"schema": "lpdla.config/1", "k_vec": 16, "comment": "ok"})"), "");
}

TEST(StrictAccuracy, RowsAreStrict) {
    const auto err = [](const char* text) {
        try {
            parse_accuracy_file(json::parse(text), "a.json", "alexnet");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    const char* head = R"({"schema": "lpdla.accuracy/1", "network": "alexnet", "rows": [)";
    EXPECT_EQ(err((std::string(head) +
                   R"({"weights": "int8", "act_bits": 8, "top1": 0.5, "source": "s"}]})")
                      .c_str()),
              "");
    EXPECT_NE(
        err((std::string(head) +
             R"({"weights": "int8", "act_bits": 8, "top1": 0.5, "source": "s", "top_1": 1}]})")
                .c_str())
            .find("a.json: /rows/0/top_1: unknown key (did you mean 'top1'?)"),
        std::string::npos);
    EXPECT_NE(
        err((std::string(head) +
             R"({"weights": "int8", "act_bits": 8, "top1": 0.5, "top5": 1.2, "source": "s"}]})")
                .c_str())
            .find("/rows/0/top5: 1.2 is out of range: valid is 0..1"),
        std::string::npos);
}

} // namespace
} // namespace lpdla
