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
    ResourceCounts& operator+=(const ResourceCounts& c) {
        alm += c.alm;
        registers += c.registers;
        dsp += c.dsp;
        m20k += c.m20k;
        mlab += c.mlab;
        return *this;
    }
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

// How soft arithmetic maps onto the ALM (docs/MODEL.md §3); the structure itself is in
// include/lpdla/model/soft_logic.h.
struct SoftLogicCoefficients {
    double alms_per_adder_bit = 0.5; // two dedicated adder bits per ALM
    bool ternary_adders = false;     // shared-arithmetic mode: one 3:1 adder per ALM pair of bits
    bool products_in_adder_luts = true; // a product's logic rides in the first adder level's LUTs
    double alms_per_product_bit = 0.5;  // a product bit in LUTs of its own (<= 4-input function)
    double registers_per_alm = 0;
    double aux_alms_per_lane_channel = 0;
    double control_alms_per_pe = 0;
    double routing_overhead = 1.0;
    double alms_per_mux4_bit = 1.0; // a 4:1 mux bit is one 6-input LUT function
};

struct PowerCoefficients {
    double static_w = 0;
    double alm_uw_per_mhz = 0, dsp_uw_per_mhz = 0, m20k_uw_per_mhz = 0, register_uw_per_mhz = 0;
    double ddr_pj_per_byte = 0;
    double default_activity = 0;
    // Calibrated (lpdla calibrate) factor on the four fabric coefficients above: their values are
    // assumed, their common scale is fitted on the published power figures (docs/MODEL.md).
    double dynamic_scale = 1;
    std::string calibration_file; // where dynamic_scale came from, "" = none (scale 1)
};

// Pipeline depths and per-layer costs of the engine around its loop nest (docs/MODEL.md §4); every
// field is named in the device file's "timing" section with its source or reason.
struct TimingCoefficients {
    double control_overhead_fraction = 0; // sequencing cost per layer, fraction of busy cycles
    int accumulator_pipeline_cycles = 0;  // accumulate + write-back registers
    int requantise_pipeline_cycles = 0;   // scale, round, saturate, ReLU of a layer's outputs
    int aux_pipeline_cycles = 0;          // pool / LRN / add stage latency on the output stream
    double residual_fraction = 0; // calibrated (lpdla calibrate): share of a pass's busy cycles
    std::string calibration_file; // where residual_fraction came from, "" = none
};

// Highest clock each block family is specified for (docs/MODEL.md §4 "Clock limits").
struct ClockLimits {
    double dsp_fmax_mhz = 0; // 0 = no limit stated
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
    ClockLimits clock_limits; // with m20k.fmax_mhz and mlab.fmax_mhz
    TimingCoefficients timing;
    BoardSpec board;
    SoftLogicCoefficients soft;
    PowerCoefficients power;
    bool has_estimated_counts = false; // some counts were estimated, not published

    double ddr_gbps_peak() const { return board.ddr_channels * board.ddr_gbps_per_channel; }
};

// The DSP mode used for a multiply of a_bits x w_bits operands, or nullptr if none covers them.
const DspMode* dsp_mode_for(const Device& device, int a_bits, int w_bits);

} // namespace lpdla
