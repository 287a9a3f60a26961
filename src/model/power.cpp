#include "lpdla/model/power.h"

namespace lpdla {

PowerBreakdown estimate_power(const ResourceCounts& used, const Device& device, double fmax_mhz,
                              double ddr_bytes_per_s, double activity) {
    const PowerCoefficients& c = device.power;
    PowerBreakdown p;
    p.activity = activity < 0 ? c.default_activity : activity;
    // Coefficients are uW per MHz at activity 1.0 (every node toggling each cycle), hence the
    // 1e-6 to watts and the activity scale (docs/FORMATS.md "Device file").
    const double scale = 1e-6 * fmax_mhz * p.activity * c.dynamic_scale;
    p.static_w = c.static_w;
    p.alm_w = scale * used.alm * c.alm_uw_per_mhz;
    p.register_w = scale * used.registers * c.register_uw_per_mhz;
    p.dsp_w = scale * used.dsp * c.dsp_uw_per_mhz;
    p.m20k_w = scale * used.m20k * c.m20k_uw_per_mhz;
    p.ddr_w = 1e-12 * c.ddr_pj_per_byte * ddr_bytes_per_s;
    return p;
}

double per_watt(double value, double watts) {
    return watts > 0 ? value / watts : 0;
}

} // namespace lpdla
