#pragma once
// An FPGA part plus its board: resource counts, DSP modes, memory shapes, clock, DDR and cost
// coefficients. Loaded from devices/<name>.json (see docs/FORMATS.md); every field is sourced
// there.
#include <cstdint>
#include <string>
#include <vector>

namespace lpdla {

struct ResourceCounts {
    double alm = 0, registers = 0, dsp = 0, m20k = 0, mlab = 0;
};

struct MemoryShape {
    std::int64_t depth_words = 0;
    int width_bits = 0;
};

struct MemoryBlock {
    std::int64_t bits = 0;
    double fmax_mhz = 0;
    std::vector<MemoryShape> shapes;
};

struct DspMode {
    std::string name;
    int max_a_bits = 0;
    int max_w_bits = 0;
    int multipliers_per_block = 0;
    double correction_alms_per_multiplier = 0;
};

struct SoftLogicCoefficients {
    double alms_per_adder_bit = 0.5;
    double ternary_product_alms_per_bit = 0;
    double binary_xnor_alms_per_product = 0;
    double soft_multiplier_alms_per_partial_product_bit = 0;
    double registers_per_alm = 0;
    double aux_alms_per_lane_channel = 0;
    double control_alms_per_pe = 0;
    double routing_overhead = 1.0;
};

struct PowerCoefficients {
    double static_w = 0;
    double alm_uw_per_mhz = 0, dsp_uw_per_mhz = 0, m20k_uw_per_mhz = 0, register_uw_per_mhz = 0;
    double ddr_pj_per_byte = 0;
    double default_activity = 0;
};

struct BoardSpec {
    std::string name;
    int ddr_channels = 0;
    double ddr_gbps_per_channel = 0;
    double ddr_efficiency = 1.0;
    double interface_alm_per_channel = 0, interface_m20k_per_channel = 0;
    ResourceCounts shell;
};

struct Device {
    std::string name;         // file stem, e.g. "arria10_gx1150"
    std::string display_name; // e.g. "Intel Arria 10 GX 1150 (10AX115)"
    std::string family;       // arria10 | stratix10 | agilex7 | cyclone10
    std::string source_file;  // the JSON it came from (for reports)
    ResourceCounts available;
    MemoryBlock m20k, mlab;
    std::vector<DspMode> dsp_modes; // first mode covering both operand widths wins
    double fp32_multiply_adds_per_block = 1;
    bool dsp_chain_sums_pairs = true;
    double default_fmax_mhz = 0;
    BoardSpec board;
    SoftLogicCoefficients soft;
    PowerCoefficients power;
    bool has_estimated_counts = false; // some counts were estimated, not published

    double ddr_gbps_peak() const { return board.ddr_channels * board.ddr_gbps_per_channel; }
};

// The DSP mode used for a multiply of a_bits x w_bits operands, or nullptr if none covers them.
const DspMode* dsp_mode_for(const Device& device, int a_bits, int w_bits);

} // namespace lpdla
