#pragma once
// `lpdla sweep` flags: a spec file first, then any flag given explicitly overrides it; what is
// still unset falls back to default_sweep_spec() and every shipped device and network.
#include <string>
#include <vector>

#include "commands.h"
#include "lpdla/explore/sweep_spec.h"

namespace lpdla::cli {

struct SweepFlags {
    std::string spec_file, name, devices, networks, widths, k_vec, c_vec, q_vec, lanes;
    std::string act_bits, weights, precisions, fmax_mhz, mac_impl, cost;
    double max_alm_pct = 0, max_dsp_pct = 0, max_m20k_pct = 0, min_images_per_s = 0, min_top1 = 0,
           max_power_w = 0;
    bool require_known_top1 = false, fold_strides = true;
    std::vector<std::string> accuracy_files;

    void add_to(CLI::App& cmd);
    SweepSpec build(const CLI::App& cmd, const GlobalOptions& global) const;
};

} // namespace lpdla::cli
