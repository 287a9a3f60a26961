#include "lpdla/model/winograd.h"

#include <array>

namespace lpdla {
namespace {

// Lavin & Gray (CVPR 2016) transforms. G (the filter transform, with its fractions) is applied
// offline to the stored filters and costs nothing on chip.
constexpr std::array<std::array<int, 4>, 4> f23_bt{{
    {1, 0, -1, 0},
    {0, 1, 1, 0},
    {0, -1, 1, 0},
    {0, 1, 0, -1},
}};
constexpr std::array<std::array<int, 4>, 2> f23_at{{{1, 1, 1, 0}, {0, 1, -1, -1}}};
constexpr std::array<std::array<int, 6>, 6> f43_bt{{
    {4, 0, -5, 0, 1, 0},
    {0, -4, -4, 1, 1, 0},
    {0, 4, -4, -1, 1, 0},
    {0, -2, -1, 2, 1, 0},
    {0, 2, -1, -2, 1, 0},
    {0, 4, 0, -5, 0, 1},
}};
constexpr std::array<std::array<int, 6>, 4> f43_at{{
    {1, 1, 1, 1, 1, 0},
    {0, 1, -1, 2, -2, 0},
    {0, 1, 1, 4, 4, 0},
    {0, 1, -1, 8, -8, 1},
}};

// Bits a value grows through a row of the matrix: ceil(log2(max over rows of sum |coefficient|)).
template <class Matrix> constexpr int growth_bits(const Matrix& m) {
    int worst = 1;
    for (const auto& row : m) {
        int sum = 0;
        for (int c : row) sum += c < 0 ? -c : c;
        if (sum > worst) worst = sum;
    }
    int bits = 0;
    while ((1 << bits) < worst) ++bits;
    return bits;
}

// F(2,3): each B^T row is one add/sub of two inputs (4 adders); A^T: y0 = m0 + m1 + m2,
// y1 = m1 - m2 - m3 (4 adders).
constexpr WinogradTransform f23{2, 4, growth_bits(f23_bt), growth_bits(f23_at), 0, 4, 4};
// F(4,3), B^T d with shared terms: pre-adds d1+d2, d1-d2, d3+d4, d4-d3, d4-d2, d3-d1, d0-d2,
// d5-d3 (8); then row0 = 4(d0-d2) + (d4-d2), row1 = (d3+d4) - 4(d1+d2), row2 = 4(d1-d2) +
// (d4-d3), row3/4 = (d4-d2) -+ 2(d3-d1), row5 = (d5-d3) - 4(d3-d1): 6 adders of shifted terms.
// A^T m: p = m1+m2, q = m1-m2, r = m3+m4, s = m3-m4 (4); y0 = m0+p+r (2), y1 = q+2s (1),
// y2 = p+4r (1), y3 = q+8s+m5 (2): 10 adders.
constexpr WinogradTransform f43{4, 6, growth_bits(f43_bt), growth_bits(f43_at), 8, 6, 10};

static_assert(f23.input_growth_bits == 1 && f23.output_growth_bits == 2);
static_assert(f43.input_growth_bits == 4 && f43.output_growth_bits == 5);

} // namespace

const WinogradTransform* winograd_transform(int q_vec) {
    if (q_vec == 2) return &f23;
    if (q_vec == 4) return &f43;
    return nullptr;
}

} // namespace lpdla
