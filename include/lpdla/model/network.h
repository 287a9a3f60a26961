#pragma once
// A CNN as a layer graph with inferred shapes. Loaded from networks/<name>.json; the width
// multiplier (WRPN-style) is applied at load time, never stored as another file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lpdla/model/precision.h"

namespace lpdla {

// concat: channel-wise, of 2+ inputs at one height and width; it has no work of its own (its
// producers write at channel offsets of one stream-buffer region, docs/MODEL.md §3).
enum class LayerType { conv, fc, relu, lrn, maxpool, avgpool, add, concat };
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
    // pad_h / pad_w pad the top and left; the bottom and right take the same unless pad_bottom /
    // pad_right say otherwise (-1: as pad_h / pad_w; ONNX's asymmetric pads, auto_pad SAME).
    // Dilation puts a window's taps d pixels apart: it spans (k - 1) x d + 1 pixels.
    int pad_bottom = -1, pad_right = -1, dilation_h = 1, dilation_w = 1;
    // Pools: ceil mode (a last, partial window where floor mode drops it, unless it would start in
    // the end padding) and, for avgpool, count_include_pad (divide by the taps inside the padded
    // input, not only the in-bounds ones).
    bool ceil_mode = false, count_include_pad = false;
    bool global_pool = false;
    bool bias = false;
    bool widen = true; // width multiplier applies to its outputs
    int lrn_size = 0;
    // conv / fc: the precision this layer runs at when it differs from the array's (issue 14):
    // a network file's "precision" or a config's layer_precision override; empty = the array's
    // (or the configuration's first_last precision for the first and last compute layers).
    std::optional<Precision> precision;
    Shape in, out; // inferred

    int bottom() const { return pad_bottom < 0 ? pad_h : pad_bottom; }
    int right() const { return pad_right < 0 ? pad_w : pad_right; }
    bool asymmetric_pad() const { return bottom() != pad_h || right() != pad_w; }
    bool dilated() const { return dilation_h != 1 || dilation_w != 1; }

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
    // The network variant the row was measured on, and that variant's own FP32 top-1 (the
    // baseline its low-precision figure should be read against). A row whose variant differs from
    // the network's own (Network::variant) is not a measurement of this network.
    std::string variant;
    std::optional<double> fp32_top1;
    bool other_variant = false; // set by lookup_accuracy: measured on another variant
    // How the row's first and last compute layers ran (issue 14): stated as the row's own
    // precision (empty first_last: like every other layer) or another one ("32/fp32": full
    // precision, as WRPN, DoReFa and LQ-Nets keep them); unstated when the source does not say.
    bool first_last_stated = false;
    std::optional<Precision> first_last;
};

// Outputs of a sliding window along one axis: floor (or, in ceil mode, ceil) of
// (in + pad_begin + pad_end - ((kernel - 1) x dilation + 1)) / stride, plus 1; a ceil-mode last
// window that would start in the end padding is dropped (ONNX, PyTorch). The window's extent must
// fit the padded input (callers check: the result is meaningless otherwise).
int window_outputs(int in, int kernel, int stride, int pad_begin, int pad_end, int dilation,
                   bool ceil_mode);

// The output of a channel-wise concat of `shapes` (the inputs' channels in order, their common
// height and width). Throws lpdla::Error naming `layer`, the inputs and their shapes when there
// are fewer than two or their heights or widths differ.
Shape concat_shape(std::string_view layer, const std::vector<std::string>& inputs,
                   const std::vector<Shape>& shapes);

// Largest width multiplier accepted anywhere (estimate, sweep): beyond it channel counts leave
// the range any FPGA buffer could hold, so a larger value is taken as a typo.
constexpr double max_width_multiplier = 64;

struct Network {
    std::string name, display_name, source, source_file;
    std::string variant; // which variant of the network this file describes ("Caffe bvlc_alexnet")
    double width = 1;
    std::string input_name = "data";
    Shape input;
    std::vector<Layer> layers;
    std::vector<AccuracyEntry> accuracy;

    std::int64_t macs() const;
    std::int64_t weights() const;
    int find(std::string_view layer_name) const; // index or -1
};

// Whether a row was measured on a variant other than the one the network file describes: its
// variant is named and differs from Network::variant (a file naming no variant of its own counts
// every named row as another variant's).
bool accuracy_from_other_variant(const Network& net, const AccuracyEntry& row);

// The row's first/last treatment as text: "as the rest", a precision, or "not stated".
std::string describe_first_last(const AccuracyEntry& row);

// Exact lookup: same weight kind, activation bits and width, and a first/last treatment equal to
// `first_last` (empty = like the rest) or not stated (stated rows first); rows of the network's own
// variant first, else another variant's row with other_variant set (callers must not treat it as
// this network's accuracy unless the user accepts variants); else empty.
std::optional<AccuracyEntry> lookup_accuracy(const Network& net, const Precision& p, double width,
                                             const std::optional<Precision>& first_last = {});

// "58.0 % on tensorpack AlexNet, FP32 59.7 %" for another variant's row, "57.4 % (FP32 57.1 %)"
// for the network's own; the wording every report uses.
std::string describe_accuracy(const AccuracyEntry& row);

} // namespace lpdla
