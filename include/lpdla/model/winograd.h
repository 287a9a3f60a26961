#pragma once
// 1-D Winograd F(m, 3) transforms the PE array may run (docs/MODEL.md §2): their operand growth
// and adder counts, derived from the transform matrices (Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", CVPR 2016).
namespace lpdla {

struct WinogradTransform {
    int outputs = 0;            // m: outputs of a 3-tap row per pass
    int tile = 0;               // m + 2 inputs = multipliers per channel
    int input_growth_bits = 0;  // ceil(log2(largest row sum of |B^T|))
    int output_growth_bits = 0; // ceil(log2(largest row sum of |A^T|))
    // Two-operand adders per channel tile for B^T d with shared subexpressions: `pre` adders one
    // bit wider than the input, `post` adders as wide as the transformed input.
    int input_pre_adders = 0;
    int input_post_adders = 0;
    int output_adders = 0; // two-operand adders per output tile for A^T m
};

// F(2,3) for q_vec 2, F(4,3) for q_vec 4; nullptr otherwise (those q_vec run direct: larger tiles
// have coefficients too large for the 16-bit DSP modes, and no source here uses them).
const WinogradTransform* winograd_transform(int q_vec);

} // namespace lpdla
