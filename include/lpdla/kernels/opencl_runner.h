#pragma once
// Host runner on the OpenCL C API: builds the kernels for a configuration on whatever platform
// is present (PoCL on a CPU, an FPGA board's ICD) and runs layers on it; run_network() checks a
// whole network layer by layer against the C++ reference.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lpdla/kernels/kernelgen.h"
#include "lpdla/kernels/reference.h"
#include "lpdla/model/arch.h"
#include "lpdla/model/network.h"
#include "lpdla/model/performance.h"

namespace lpdla {

struct KernelStats {
    std::uint64_t trip_count = 0; // main-loop trips the kernel counted
    double wall_ms = 0;           // enqueue to completion, buffers excluded
    // The kernel's first launch in this process: wall_ms then includes any compile the platform
    // defers to the first enqueue (PoCL: seconds for a wide array, cached on disk afterwards).
    bool first_launch = false;
};

// One pass of a conv layer run in several (bit slicing): an input and weights at the array's
// precision, whose accumulators count 2^shift times.
struct ConvPass {
    ref::Tensor in;
    ref::ActFormat in_fmt;
    ref::Weights weights;
    int shift = 0;
};

class OpenClRunner {
  public:
    // Builds the program from kernel_dir's sources and the config header. Throws lpdla::Error
    // (bad input, exit status 2) when there is no platform or the build fails, with the log.
    OpenClRunner(const KernelConfig& cfg, const std::filesystem::path& kernel_dir);
    // Builds a given program text (the header must be in it); used to test build failures.
    OpenClRunner(const KernelConfig& cfg, const std::string& program_text);
    ~OpenClRunner();
    OpenClRunner(OpenClRunner&&) noexcept;
    OpenClRunner& operator=(OpenClRunner&&) noexcept;

    const KernelConfig& config() const;
    // Where the sources came from (empty for a program text): run_network builds the DSP side
    // path's kernels from the same directory.
    const std::filesystem::path& kernel_dir() const;
    std::string device_name() const;

    // Each call packs its inputs as on the device, runs one kernel and unpacks the output.
    // Activation formats must have the configuration's act_bits.
    ref::Tensor conv(const ref::Tensor& in, const ref::ActFormat& in_fmt, const ref::Weights& w,
                     const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g,
                     const ref::Requant& q, const ref::ActFormat& out_fmt, KernelStats* stats);
    // A conv with zero points (ONNX ConvInteger, QLinearConv, MatMulInteger as a 1x1 conv):
    // `in` holds the stored integers (in_fmt), `w` the stored weights, int8 (-128..127) or uint8
    // (0..255) values in a Weights of a kind that holds them (int16 for uint8); the layer is
    // sum (x - zp.input) * (w - zp.weight(k)) + bias, requantised by q, bit-exact with
    // ref::conv_accumulate_zp. One pass of int8 kernels, no widening: uint8 weights are stored
    // as w - 128 and every zero point becomes a correction (docs/KERNELS.md "Numbers", zero
    // points): padding reads zp.input, the kernel subtracts (zp.weight(k) - offset) x the window's
    // activation sum, and the host folds the per-channel constants into the bias. Throws
    // lpdla::Error when the kernels' weights are not int8, zp.input is outside in_fmt, the
    // weights are neither int8 nor uint8 valued, or the folded bias leaves int32.
    ref::Tensor conv_zero_points(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                                 const ref::Weights& w, const ref::ZeroPoints& zp,
                                 const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g,
                                 const ref::Requant& q, const ref::ActFormat& out_fmt,
                                 KernelStats* stats);
    // One conv layer as passes of the conv kernel, in order: each pass but the last adds its
    // accumulators times 2^shift into an int32 partial sum per output value, the last adds its
    // own, the partial sums and the bias, then requantises (docs/KERNELS.md "Layers wider than
    // the array"). Every pass has the configuration's precision and the same shapes. Throws
    // lpdla::Error when a partial sum could leave int32 (bound from the formats' ranges). The
    // output comes back as activation_slices(out_fmt.bits, act_bits) planes (one when out_fmt
    // has the configuration's act_bits): plane j holds bits [j*A, (j+1)*A) of the value
    // saturated into out_fmt, in ref::activation_slice_format(out_fmt, A, j). stats: the trips
    // of all passes, counted by the kernel, and the wall time from first enqueue to last finish.
    std::vector<ref::Tensor> conv_passes(const std::vector<ConvPass>& passes,
                                         const std::vector<std::int32_t>& bias,
                                         const ref::ConvGeometry& g, const ref::Requant& q,
                                         const ref::ActFormat& out_fmt, KernelStats* stats);
    ref::Tensor pool(const ref::Tensor& in, const ref::ActFormat& in_fmt,
                     const ref::PoolGeometry& g, bool average, const ref::ActFormat& out_fmt,
                     KernelStats* stats);
    ref::Tensor add(const ref::Tensor& a, const ref::ActFormat& a_fmt, const ref::Tensor& b,
                    const ref::ActFormat& b_fmt, const ref::ActFormat& out_fmt, KernelStats* stats);
    ref::Tensor identity(const ref::Tensor& in, const ref::ActFormat& fmt, KernelStats* stats);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A strided conv run stride-folded: ref::fold_conv() rearranges input and weights on the host,
// then the unchanged stride-1 conv kernel runs. Bit-exact with runner.conv() over the original
// geometry; the trips are those of the folded loop nest (fold_stride() in the model). Throws
// lpdla::Error (bad input) carrying ref::fold_problem() when the formats cannot fold exactly.
ref::Tensor conv_folded(OpenClRunner& runner, const ref::Tensor& in, const ref::ActFormat& in_fmt,
                        const ref::Weights& w, const std::vector<std::int32_t>& bias,
                        const ref::ConvGeometry& g, const ref::Requant& q,
                        const ref::ActFormat& out_fmt, KernelStats* stats);

// A conv layer wider than the array (bit slicing, include/lpdla/model/layer_precision.h): `in`
// in the layer's in_fmt (e.g. 8-bit) and `w` of the layer's kind (e.g. int8) are cut into
// activation slices and weight digit planes (ref::activation_slice, ref::weight_plane) and run
// as bit_slice_passes() passes, slices outer, planes inner, each shifted by bit_slice_shift().
// Bit-exact with ref::conv_accumulate + ref::requantise at the layer's precision; trips are
// passes x the layer's loop nest. out_fmt may be the array's width or wider (then the planes
// conv_passes returns are recombined). Throws lpdla::Error (bad input) carrying
// bit_slice_problem() when the array cannot slice the layer (binary weights, 1-bit activations).
ref::Tensor conv_bit_sliced(OpenClRunner& runner, const ref::Tensor& in,
                            const ref::ActFormat& in_fmt, const ref::Weights& w,
                            const std::vector<std::int32_t>& bias, const ref::ConvGeometry& g,
                            const ref::Requant& q, const ref::ActFormat& out_fmt,
                            KernelStats* stats);
// The same, with the output left as the planes a wide consumer's passes read: plane j is
// ref::activation_slice(output, wide_fmt, act_bits, j) of the output saturated into wide_fmt.
// in_fmt and w may be the array's own precision (a narrow layer feeding a wide one).
std::vector<ref::Tensor> conv_bit_sliced_planes(OpenClRunner& runner, const ref::Tensor& in,
                                                const ref::ActFormat& in_fmt, const ref::Weights& w,
                                                const std::vector<std::int32_t>& bias,
                                                const ref::ConvGeometry& g, const ref::Requant& q,
                                                const ref::ActFormat& wide_fmt, KernelStats* stats);

// ---- whole-network check (`lpdla run`) ----

struct RunOptions {
    double scale = 1.0; // input height and width multiplied by this
    std::uint64_t seed = 1;
    std::vector<std::string> layers; // empty = all; else names of layers to run on the device
    // The model's result per network layer (Estimate::layers, or evaluate_plan over
    // plan_network(net, false)): a layer runs stride-folded exactly when its LayerPerf::folded
    // says so, and its trip count is checked against LayerPerf::loop_iterations. Empty: every
    // layer runs its direct loop nest, which needs fold_strides off.
    std::vector<LayerPerf> model;
    // Every conv/fc requantises per output channel (ref::choose_channel_requant: a real scale
    // and an offset per channel, rounded half to even), as a batch norm folded into its conv
    // does; false: one integer scale and shift per layer (ref::choose_requant).
    bool per_channel_requant = false;
};

struct LayerRunResult {
    std::string name;
    std::string type;
    bool executed = false;       // ran a kernel (false: fused ReLU or not selected)
    std::string note;            // e.g. "fused into conv1's requantise stage"
    std::int64_t mismatches = 0; // output values differing from the reference
    std::int64_t values = 0;     // output values compared
    std::int64_t trip_count = 0;
    std::int64_t model_cycles = 0; // the model's loop iterations for the layer
    bool folded = false;           // ran stride-folded, as the model decided
    // conv/fc: the precision it ran at, and the passes it took (bit slicing: activation slices x
    // weight planes; 1 for a layer at the array's precision).
    std::string precision;
    int passes = 1;
    double wall_ms = 0;
    bool first_launch = false; // wall_ms may include the platform's kernel compile
};

// The network with its input height and width scaled (shapes re-inferred); throws lpdla::Error
// naming the first layer that no longer fits when the scale is too small.
Network load_scaled_network(const std::filesystem::path& file, double width, double scale);

// Runs every layer (ReLU fused into its producer, LRN as identity, a conv the model folds via
// conv_folded()) with seeded random weights and inputs; each layer gets the reference's outputs
// of its producers as input, so a mismatch is attributed to the layer that made it. FC layers
// run over a batch of arch.fc_batch images: image 0 carries the network's data, the rest are
// seeded random. A conv/fc at another precision (first_last, Layer::precision) runs through
// conv_bit_sliced in the model's passes, its input stored at its own activation width
// (docs/KERNELS.md "Layers wider than the array"); on the DSP side path (LayerPerf::side_path)
// it runs in one pass of the conv kernel built for side_k_vec x side_c_vec at its precision (a
// second runner from runner.kernel_dir(), built once per side configuration). Throws
// lpdla::Error before any launch when options.model folds a layer the precision cannot fold
// exactly (ref::fold_problem), or for a layer at another precision the kernels do not realise
// (a side-path precision without a kernel such as FP32, activations narrower than the array's,
// an array that cannot slice it).
std::vector<LayerRunResult> run_network(OpenClRunner& runner, const Network& net,
                                        const ArchConfig& arch, const RunOptions& options);

} // namespace lpdla
