#pragma once
// A CNN as a layer graph with inferred shapes. Loaded from networks/<name>.json; the width
// multiplier (WRPN-style) is applied at load time, never stored as another file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lpdla/model/precision.h"

namespace lpdla {

enum class LayerType { conv, fc, relu, lrn, maxpool, avgpool, add };
std::string_view to_string(LayerType type);

struct Shape {
    int channels = 0, height = 0, width = 0;
    std::int64_t elements() const { return std::int64_t(channels) * height * width; }
    friend bool operator==(const Shape&, const Shape&) = default;
};

struct Layer {
    std::string name;
    LayerType type = LayerType::conv;
    std::vector<std::string> inputs; // producer names ("data" = the image)
    std::vector<int> input_index;    // producer layer indices, -1 = the image
    // conv / pool geometry (fc: kernel 1x1 over a 1x1 map)
    int out_channels = 0;
    int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, groups = 1;
    bool global_pool = false;
    bool bias = false;
    bool widen = true; // width multiplier applies to its outputs
    int lrn_size = 0;
    Shape in, out; // inferred

    std::int64_t macs() const;    // conv: OH*OW*K*(C/g)*R*S; fc: K*C; others 0
    std::int64_t weights() const; // conv/fc weight count (biases excluded)
};

struct AccuracyEntry {
    WeightKind weights = WeightKind::fp32;
    int act_bits = 32;
    double width = 1;
    double top1 = 0;
    std::optional<double> top5;
    std::string source;
    std::string variant; // non-empty when measured on a variant of the network
};

// Largest width multiplier accepted anywhere (estimate, sweep): beyond it channel counts leave
// the range any FPGA buffer could hold, so a larger value is taken as a typo.
constexpr double max_width_multiplier = 64;

struct Network {
    std::string name, display_name, source, source_file;
    double width = 1;
    std::string input_name = "data";
    Shape input;
    std::vector<Layer> layers;
    std::vector<AccuracyEntry> accuracy;

    std::int64_t macs() const;
    std::int64_t weights() const;
    int find(std::string_view layer_name) const; // index or -1
};

// Exact lookup: same weight kind, activation bits and width, variant-free rows first; else empty.
std::optional<AccuracyEntry> lookup_accuracy(const Network& net, const Precision& p, double width);

} // namespace lpdla
