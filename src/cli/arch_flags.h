#pragma once
// The flags that describe one configuration (shared by estimate, kernels, run): --config FILE
// first, then any flag given explicitly overrides the file.
#include <string>

#include "commands.h"
#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"
#include "lpdla/model/network.h"
#include "lpdla/model/resources.h"

namespace lpdla::cli {

struct ResolvedInputs {
    Device device;
    Network network;
    ArchConfig arch; // as requested (defaults still 0); estimate() resolves it
    UtilisationCaps caps;
};

struct ArchFlags {
    std::string config_file, device, network, weights, mac_impl, accuracy_file;
    std::string first_last, layer_precision, wide_layers;
    int side_k_vec = 0, side_c_vec = 0;
    double width = 1, fmax_mhz = 0, ddr_gbps = 0;
    int k_vec = 0, c_vec = 0, q_vec = 0, lanes = 0, act_bits = 0, fc_batch = 0;
    int stream_buffer_kib = 0, filter_cache_depth = 0;
    double max_alm_pct = 85, max_dsp_pct = 100, max_m20k_pct = 100;
    bool fold_strides = true;

    void add_to(CLI::App& cmd);
    ResolvedInputs resolve(const CLI::App& cmd, const GlobalOptions& global) const;
};

} // namespace lpdla::cli
