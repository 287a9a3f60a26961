#pragma once
// Generates the kernel package for a configuration: lpdla_config.h (the only thing that
// parameterises kernels/*.cl) plus copies of the kernel sources. No OpenCL dependency.
#include <filesystem>
#include <string>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/precision.h"

namespace lpdla {

// What the kernels are specialised on: the array shape and the integer precision path.
struct KernelConfig {
    int k_vec = 16, c_vec = 8, q_vec = 4, lanes = 1;
    int act_bits = 8;
    WeightKind weights = WeightKind::int8;
    friend bool operator==(const KernelConfig&, const KernelConfig&) = default;
};

// Empty when the kernels realise this precision, else why not (block-FP16/FP32 baselines and
// 16-bit modes are modelled for comparison only).
std::string kernel_precision_problem(const Precision& p);
// Throws lpdla::Error (bad input) carrying kernel_precision_problem() or a bad vector size.
KernelConfig kernel_config(const ArchConfig& arch);
// Bits one packed weight takes in the kernels' layout: binary 1, ternary and int2 2, int4 4,
// int8 8.
int kernel_weight_bits(WeightKind kind);

// The config header's text; `figures` (may be empty) goes into its comment verbatim.
std::string config_header(const KernelConfig& cfg, const std::string& figures);
// Kernel source files in program order (after the config header).
const std::vector<std::string>& kernel_source_names();
// The program as one string: header then each source, as the host runner builds it.
std::string kernel_program_text(const KernelConfig& cfg, const std::filesystem::path& kernel_dir,
                                const std::string& figures = {});
// Writes lpdla_config.h, the sources and lpdla_top.cl (the single file an offline compiler
// takes) into out_dir atomically: a sibling temporary directory renamed into place. An existing
// out_dir is replaced only if it holds a previous package (its lpdla_config.h).
void write_kernel_package(const KernelConfig& cfg, const std::string& figures,
                          const std::filesystem::path& kernel_dir,
                          const std::filesystem::path& out_dir);

} // namespace lpdla
