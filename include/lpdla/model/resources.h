#pragma once
// Resource model: the accelerator as a tree of components, each costing ALM, registers, DSP,
// M20K and MLAB. Depends on the configuration and device only, never on the network.
#include <string>
#include <vector>

#include "lpdla/model/arch.h"
#include "lpdla/model/device.h"

namespace lpdla {

struct ResourceComponent {
    std::string name; // e.g. "pe_array.products"
    ResourceCounts use;
    std::string formula; // how it was computed, for reports
};

struct UtilisationCaps {
    double alm = 0.85, registers = 1.0, dsp = 1.0, m20k = 1.0, mlab = 1.0; // fraction of device
};

struct ResourceReport {
    std::vector<ResourceComponent> components;
    ResourceCounts total;
    ResourceCounts available;
    bool fits = false;
    std::string limiting; // first resource over its cap, empty when it fits
};

// M20K (or MLAB) blocks for a memory of width_bits x depth_words: the cheapest shape, tiling
// width and depth (DESIGN.md §3).
double memory_blocks(const MemoryBlock& block, int width_bits, std::int64_t depth_words);
// Buffers this shallow go to MLABs instead of M20Ks (assumed: MLAB depth, FACTS.md §2).
inline constexpr std::int64_t mlab_max_depth_words = 32;

// Operand widths of one PE multiplier on a DSP: block-FP16 mantissas or the integer widths, the
// activation widened by the Winograd input transform when the configuration runs one (int16 under
// F(4,3) becomes 20 bits and no longer fits 18x19).
struct DspOperandBits {
    int a_bits = 0, w_bits = 0;
};
DspOperandBits dsp_operand_bits(const ArchConfig& resolved);

// Full component tree for a resolved configuration.
ResourceReport estimate_resources(const ArchConfig& resolved, const Device& device,
                                  const UtilisationCaps& caps = {});
// Totals only, no allocation: the sweep's fast path (must equal estimate_resources().total).
ResourceCounts resource_totals(const ArchConfig& resolved, const Device& device);
// Whether totals fit under caps; names the first resource over its cap in `limiting` if given.
bool fits_device(const ResourceCounts& total, const ResourceCounts& available,
                 const UtilisationCaps& caps, std::string* limiting = nullptr);

} // namespace lpdla
