#pragma once
// The guard that keeps NaN and infinity out of every report: a non-finite figure means the inputs
// (device coefficients, network shapes, configuration) combine into something the model cannot
// represent, so it is a bad-input error naming them, never a "nan images/s" line or a JSON null.
#include "lpdla/model/estimate.h"

namespace lpdla {

// Throws lpdla::Error (bad input) naming the first non-finite figure and the device file, network
// file and configuration that produced it.
void check_finite(const Estimate& e, const Device& device, const Network& network);

} // namespace lpdla
