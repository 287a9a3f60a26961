#pragma once
// Power model: FPGA static power plus dynamic power of the used resources at the clock, scaled by
// a toggle-activity factor, plus DDR energy per byte moved (docs/MODEL.md "Power"). A pure function
// of value types, cheap enough for the sweep's hot path (no allocation).
#include "lpdla/model/device.h"

namespace lpdla {

struct PowerBreakdown {
    double static_w = 0;
    double alm_w = 0, register_w = 0, dsp_w = 0, m20k_w = 0; // dynamic, per resource kind
    double ddr_w = 0;
    double activity = 0; // the toggle rate used (the device default unless overridden)

    double dynamic_w() const { return alm_w + register_w + dsp_w + m20k_w; }
    double total_w() const { return static_w + dynamic_w() + ddr_w; }
};

// power = static_w + 1e-6 * fmax_MHz * activity * dynamic_scale * sum(used_r * uW_per_MHz_r)
//               + 1e-12 * ddr_pj_per_byte * ddr_bytes_per_s.
// `activity` < 0 selects the device's default_activity. MLABs are costed as ALMs' LUT RAM inside
// the ALM coefficient's share (not separately: no sourced MLAB coefficient).
PowerBreakdown estimate_power(const ResourceCounts& used, const Device& device, double fmax_mhz,
                              double ddr_bytes_per_s, double activity = -1);

// Efficiency figures with a guard against a zero power (returns 0 then).
double per_watt(double value, double watts);

} // namespace lpdla
