#include "lpdla/model/device.h"

namespace lpdla {

const DspMode* dsp_mode_for(const Device& device, int a_bits, int w_bits) {
    for (const auto& mode : device.dsp_modes)
        if (a_bits <= mode.max_a_bits && w_bits <= mode.max_w_bits) return &mode;
    return nullptr;
}

} // namespace lpdla
