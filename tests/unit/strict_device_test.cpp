// Valid ranges of a device file (docs/FORMATS.md "Device: valid ranges"), one test per rule, each
// a copy of a shipped device with one field changed; the expected messages name the JSON path.
#include <fstream>
#include <functional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "test_support.h"

namespace lpdla {
namespace {
using nlohmann::json;

json shipped() {
    return json::parse(std::ifstream(test::source_path("devices/arria10_gx1150.json")));
}

// The error parsing the shipped device after `change`, or "" when it parses.
std::string error_after(const std::function<void(json&)>& change) {
    json d = shipped();
    change(d);
    try {
        parse_device(d, test::source_path("devices/arria10_gx1150.json"));
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_input);
        return e.what();
    }
    return "";
}

void expect_error(const std::function<void(json&)>& change, const std::string& fragment) {
    const std::string m = error_after(change);
    EXPECT_NE(m.find(fragment), std::string::npos)
        << "message: " << m << "\nexpected: " << fragment;
}

TEST(StrictDevice, ShippedDeviceParses) {
    EXPECT_EQ(error_after([](json&) {}), "");
}

TEST(StrictDevice, BlockBitsArePositiveIntegersUpTo2To20) {
    expect_error([](json& d) { d["memory_blocks"]["m20k"]["bits"] = -5; },
                 "/memory_blocks/m20k/bits: -5 is not valid: expected an integer in 1..1048576");
    expect_error([](json& d) { d["memory_blocks"]["mlab"]["bits"] = 640.5; },
                 "/memory_blocks/mlab/bits: 640.5 is not valid");
    expect_error([](json& d) { d["memory_blocks"]["m20k"]["bits"] = 5.5e71; },
                 "/memory_blocks/m20k/bits: 5.5e+71 is not valid");
}

TEST(StrictDevice, ShapesFitTheBlock) {
    // 512 x 41 = 20,992 bits > the M20K's 20,480.
    expect_error(
        [](json& d) {
            d["memory_blocks"]["m20k"]["shapes"][0] = {512, 41};
        },
        "/memory_blocks/m20k/shapes/0: 512 x 41 bits is more than the block's 20480 bits");
    expect_error(
        [](json& d) {
            d["memory_blocks"]["m20k"]["shapes"][1] = {512, 0};
        },
        "/memory_blocks/m20k/shapes/1/1: 0 is not valid");
}

TEST(StrictDevice, ClocksArePositiveAndAtMost2000MHz) {
    expect_error([](json& d) { d["clock"]["default_fmax_mhz"]["value"] = 1e308; },
                 "/clock/default_fmax_mhz: 1e+308 MHz is out of range: valid is above 0 up to "
                 "2000 MHz");
    expect_error([](json& d) { d["clock"]["default_fmax_mhz"]["value"] = 0; },
                 "/clock/default_fmax_mhz: 0 MHz is out of range");
    expect_error([](json& d) { d["clock"]["dsp_fmax_mhz"]["value"] = -1; },
                 "/clock/dsp_fmax_mhz: -1 MHz is out of range");
    expect_error([](json& d) { d["memory_blocks"]["mlab"]["fmax_mhz"] = 2001; },
                 "/memory_blocks/mlab/fmax_mhz: 2001 MHz is out of range");
}

TEST(StrictDevice, BoardFieldsInRange) {
    expect_error([](json& d) { d["board"]["ddr_channels"]["value"] = 0; },
                 "/board/ddr_channels/value: 0 is not valid: expected an integer in 1..256");
    expect_error([](json& d) { d["board"]["ddr_gbps_per_channel"]["value"] = 0; },
                 "/board/ddr_gbps_per_channel: 0 GB/s is out of range");
    expect_error([](json& d) { d["board"]["ddr_efficiency"]["value"] = 1.01; },
                 "/board/ddr_efficiency: 1.01 is out of range");
    // A shell larger than the device cannot be built around.
    expect_error([](json& d) { d["board"]["shell"]["m20k"] = 5000; },
                 "/board/shell/m20k: 5000 is more than the device's 2713");
}

TEST(StrictDevice, CountsAndCoefficientsInRange) {
    expect_error([](json& d) { d["resources"]["alm"]["value"] = -1; },
                 "/resources/alm: -1 is out of range: valid is 0..10000000");
    expect_error([](json& d) { d["resources"]["dsp"]["value"] = 0; }, "/resources/dsp: must be "
                                                                      "positive");
    expect_error([](json& d) { d["soft_logic"]["routing_overhead"]["value"] = 0.9; },
                 "/soft_logic/routing_overhead: 0.9 is out of range: valid is 1..10");
    expect_error([](json& d) { d["power"]["default_activity"]["value"] = 2; },
                 "/power/default_activity: 2 is out of range: valid is 0..1");
    expect_error([](json& d) { d["dsp"]["modes"][0]["max_a_bits"] = 65; },
                 "/dsp/modes/0/max_a_bits: 65 is not valid: expected an integer in 1..64");
}

TEST(StrictDevice, UnknownKeysSuggestTheValidOne) {
    expect_error(
        [](json& d) {
            d["clock"]["default_fmax"] = {{"value", 300}, {"source", "s"}};
        },
        "/clock/default_fmax: unknown key (did you mean 'default_fmax_mhz'?)");
    expect_error([](json& d) { d["board"]["shell"]["alms"] = 5; },
                 "/board/shell/alms: unknown key (did you mean 'alm'?)");
    expect_error([](json& d) { d["clock"]["default_fmax_mhz"]["vaule"] = 5; },
                 "/clock/default_fmax_mhz/vaule: unknown key (did you mean 'value'?)");
    // Notes and the traceability keys stay allowed anywhere.
    EXPECT_EQ(error_after([](json& d) {
                  d["comment"] = "a note";
                  d["board"]["x-vendor-id"] = "abc";
                  d["clock"]["default_fmax_mhz"]["reasoning"] = "why";
              }),
              "");
}

} // namespace
} // namespace lpdla
