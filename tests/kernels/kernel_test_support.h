#pragma once
// Shared by the kernel tests: one built runner per configuration per process (PoCL compiles
// each distinct header once), small networks written inline, and the two checks every run
// must pass (zero mismatches, trip count == the model's loop iterations).
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"
#include "lpdla/kernels/opencl_runner.h"
#include "lpdla/model/estimate.h"

namespace lpdla::test {

inline std::filesystem::path kernel_dir() {
    return std::filesystem::path(LPDLA_SOURCE_DIR) / "kernels";
}

inline ArchConfig arch(int k, int c, int q, int lanes, int act_bits, WeightKind w,
                       int fc_batch = 5) {
    ArchConfig a;
    a.k_vec = k, a.c_vec = c, a.q_vec = q, a.lanes = lanes;
    a.precision = Precision{act_bits, w};
    a.fc_batch = fc_batch;
    return a;
}

inline OpenClRunner& runner_for(const ArchConfig& a) {
    static std::map<std::string, std::unique_ptr<OpenClRunner>> cache;
    const KernelConfig cfg = kernel_config(a);
    const std::string key = config_header(cfg, {});
    auto& slot = cache[key];
    if (!slot) slot = std::make_unique<OpenClRunner>(cfg, kernel_dir());
    return *slot;
}

// A network from an input shape and a layer list, parsed by the library's own loader.
inline Network network(int c, int h, int w, nlohmann::json layers) {
    nlohmann::json doc = {
        {"schema", "lpdla.network/1"},
        {"name", "test"},
        {"input", {{"name", "data"}, {"channels", c}, {"height", h}, {"width", w}}},
        {"layers", std::move(layers)}};
    return parse_network(doc, "<test network>");
}

// Runs and checks every executed layer; returns the results for further checks.
inline std::vector<LayerRunResult> expect_bit_exact(const Network& net, const ArchConfig& a,
                                                    std::uint64_t seed = 1,
                                                    std::vector<std::string> layers = {}) {
    RunOptions options;
    options.seed = seed;
    options.layers = std::move(layers);
    // With fold_strides (the default) the kernels follow the model's per-layer choice, which
    // the model makes on a device.
    if (a.fold_strides) {
        options.model = estimate(load_device(std::filesystem::path(LPDLA_SOURCE_DIR) / "devices" /
                                             "arria10_gx1150.json"),
                                 net, a)
                            .layers;
    }
    auto results = run_network(runner_for(a), net, a, options);
    int executed = 0;
    for (const auto& r : results) {
        if (!r.executed) continue;
        ++executed;
        EXPECT_EQ(r.mismatches, 0) << r.name << " (" << r.type << "): " << r.mismatches << " of "
                                   << r.values << " values differ";
        EXPECT_EQ(r.trip_count, r.model_cycles) << r.name << " (" << r.type << ")";
        EXPECT_GT(r.trip_count, 0) << r.name;
    }
    EXPECT_GT(executed, 0);
    return results;
}

} // namespace lpdla::test
