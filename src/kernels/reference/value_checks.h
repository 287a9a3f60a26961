#pragma once
// Checks at the boundary of the reference and the runner: a value outside the range of its
// declared bits would be truncated by the packing and silently come back as another number, so
// it is an error naming the value's index and the valid range.
#include <cstdint>
#include <string_view>
#include <vector>

#include "lpdla/kernels/reference.h"

namespace lpdla::ref::detail {

// Every value of t in f's range (binary: -1 or +1), and as many values as the shape says.
void check_activations(const Tensor& t, const ActFormat& f, std::string_view what);
// Every weight in its kind's range (binary: -1 or +1), and as many as the shape says.
void check_weights(const Weights& w, std::string_view what);
// One bias per output channel, or none for a zero bias (the reference and the runner agree).
void check_bias(const std::vector<std::int32_t>& bias, int out_channels, std::string_view what);

} // namespace lpdla::ref::detail
