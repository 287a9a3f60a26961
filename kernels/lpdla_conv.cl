// Direct convolution (grouped, strided, padded, dilated; FC is a 1x1 convolution over the batch
// laid out as one row of OW = batch pixels). One trip of the (c0, r, s) loop is one PE-array cycle:
// LANES rows x Q_VEC columns x K_VEC output channels x C_VEC input channels of MACs, so the trip
// count is ceil(OH/LANES) * ceil(OW/Q_VEC) * groups * ceil(Kg/K_VEC) * ceil(Cg/C_VEC) * R * S,
// the model's loop iterations.
//
// Layouts: activations HWC with each pixel's channels packed from a word boundary; weights
// [K][R][S][Cg] with each (k, r, s) row packed from a word boundary; bias int32 per K.
//
// Passes (bit slicing, docs/KERNELS.md "Layers wider than the array"): a layer wider than the
// array runs as several launches, one per (activation slice, weight plane), each a full run of
// the loop nest over that pass's A_BITS slice and array-kind digit plane. Every pass but the
// last adds its accumulators, times 2^pass_shift, into `partial` (int32 per output value,
// index (oh * OW + ow) * K + k; the host zeroes it and bounds it); the last adds partial, its own
// shifted accumulators and the bias, then requantises. A single pass ignores `partial`.
// Requantise: per output channel k, (sum + bias[k]) * q_mul[k] / 2^q_shift[k] rounded (half to
// even when q_half_even, else half up) plus q_offset[k] (an output zero point, a folded batch
// norm's shift), saturated. A per-tensor scale is the same value in every channel.
// Zero points (docs/KERNELS.md "Numbers", zero points): padding reads pad_value (the input zero
// point) instead of 0, and each output subtracts w_zero[k] * (the sum of the activations its
// taps read, padding included): an adder over the C_VEC activations a lane reads each cycle,
// shared by the K_VEC outputs. The host folds the per-channel constants (zero point x weight
// sums) into the bias.
// Output: out_bits == A_BITS stores one tensor as always; a wider out_bits (the consumer is a
// bit-sliced layer) saturates into out_bits and stores out_planes A_BITS-packed planes, plane j
// (bits [j*A_BITS, (j+1)*A_BITS) of the value) at out + j * OH*OW*words_per_pixel.

#define LPDLA_PASS_SINGLE 0     // the whole layer in one pass: trips[0] = this pass's trips
#define LPDLA_PASS_ACCUMULATE 1 // first or middle pass: partial += acc * 2^pass_shift
#define LPDLA_PASS_LAST 2       // partial + acc * 2^pass_shift + bias, requantised

#define CV_WORDS ((C_VEC + 31) / 32)

LPDLA_KERNEL void lpdla_conv(__global const uint* restrict in, __global const uint* restrict wts,
                             __global const int* restrict bias, __global uint* restrict out,
                             __global ulong* restrict trips, const int C, const int H, const int W,
                             const int K, const int OH, const int OW, const int R, const int S,
                             const int stride_h, const int stride_w, const int pad_h,
                             const int pad_w, const int groups, const int in_signed,
                             const int out_signed,
                             const int dil_h, const int dil_w, __global int* restrict partial,
                             const int pass_mode, const int pass_shift, const int out_bits,
                             const int out_planes, const int pad_value,
                             __global const int* restrict w_zero,
                             __global const int* restrict q_mul,
                             __global const int* restrict q_shift,
                             __global const int* restrict q_offset, const int q_half_even) {
    const int Cg = C / groups;
    const int Kg = K / groups;
    const int in_wpp = (C + ACT_PER_WORD - 1) / ACT_PER_WORD;
    const int out_wpp = (K + ACT_PER_WORD - 1) / ACT_PER_WORD;
    const int w_wpr = (Cg + W_PER_WORD - 1) / W_PER_WORD;
    ulong n = 0;

    for (int oh0 = 0; oh0 < OH; oh0 += LANES)
    for (int ow0 = 0; ow0 < OW; ow0 += Q_VEC)
    for (int g = 0; g < groups; ++g)
    for (int k0 = 0; k0 < Kg; k0 += K_VEC) {
        int acc[LANES][Q_VEC][K_VEC];
        int xsum[LANES][Q_VEC]; // activations read, for the weight zero point's correction
#pragma unroll
        for (int l = 0; l < LANES; ++l)
#pragma unroll
            for (int q = 0; q < Q_VEC; ++q) {
                xsum[l][q] = 0;
#pragma unroll
                for (int k = 0; k < K_VEC; ++k) acc[l][q][k] = 0;
            }

        for (int c0 = 0; c0 < Cg; c0 += C_VEC)
        for (int r = 0; r < R; ++r)
        for (int s = 0; s < S; ++s) {
            ++n;
#if LPDLA_PATH_XNOR
            // Bit vectors of C_VEC channels: XNOR then popcount replaces C_VEC multiplies.
            // Padding and channel tails are masked out, so they contribute 0, not -1.
            uint abits[LANES][Q_VEC][CV_WORDS], amask[LANES][Q_VEC][CV_WORDS];
            uint wbits[K_VEC][CV_WORDS];
#pragma unroll
            for (int l = 0; l < LANES; ++l)
#pragma unroll
                for (int q = 0; q < Q_VEC; ++q)
#pragma unroll
                    for (int w = 0; w < CV_WORDS; ++w) abits[l][q][w] = amask[l][q][w] = 0;
#pragma unroll
            for (int k = 0; k < K_VEC; ++k)
#pragma unroll
                for (int w = 0; w < CV_WORDS; ++w) wbits[k][w] = 0;
#pragma unroll
            for (int l = 0; l < LANES; ++l) {
                const int y = (oh0 + l) * stride_h - pad_h + r * dil_h;
#pragma unroll
                for (int q = 0; q < Q_VEC; ++q) {
                    const int x = (ow0 + q) * stride_w - pad_w + s * dil_w;
                    const bool pos_ok = oh0 + l < OH && ow0 + q < OW && y >= 0 && y < H &&
                                        x >= 0 && x < W;
#pragma unroll
                    for (int c = 0; c < C_VEC; ++c) {
                        if (pos_ok && c0 + c < Cg) {
                            const int ch = g * Cg + c0 + c;
                            const uint word = in[(y * W + x) * in_wpp + ch / ACT_PER_WORD];
                            abits[l][q][c / 32] |= ((word >> (ch % ACT_PER_WORD)) & 1u)
                                                   << (c % 32);
                            amask[l][q][c / 32] |= 1u << (c % 32);
                        }
                    }
                }
            }
#pragma unroll
            for (int k = 0; k < K_VEC; ++k) {
                const int kk = g * Kg + k0 + k;
                const int row = ((kk * R + r) * S + s) * w_wpr;
#pragma unroll
                for (int c = 0; c < C_VEC; ++c) {
                    if (k0 + k < Kg && c0 + c < Cg) {
                        const int cc = c0 + c;
                        const uint word = wts[row + cc / W_PER_WORD];
                        wbits[k][c / 32] |= ((word >> (cc % W_PER_WORD)) & 1u) << (c % 32);
                    }
                }
            }
#pragma unroll
            for (int l = 0; l < LANES; ++l)
#pragma unroll
                for (int q = 0; q < Q_VEC; ++q)
#pragma unroll
                    for (int k = 0; k < K_VEC; ++k) {
                        int sum = 0;
#pragma unroll
                        for (int w = 0; w < CV_WORDS; ++w) {
                            const uint m = amask[l][q][w];
                            sum += 2 * (int)popcount(~(abits[l][q][w] ^ wbits[k][w]) & m) -
                                   (int)popcount(m);
                        }
                        acc[l][q][k] += sum;
                    }
#else
            int a[LANES][Q_VEC][C_VEC];
#pragma unroll
            for (int l = 0; l < LANES; ++l) {
                const int y = (oh0 + l) * stride_h - pad_h + r * dil_h;
#pragma unroll
                for (int q = 0; q < Q_VEC; ++q) {
                    const int x = (ow0 + q) * stride_w - pad_w + s * dil_w;
                    const bool out_ok = oh0 + l < OH && ow0 + q < OW;
                    const bool pos_ok = out_ok && y >= 0 && y < H && x >= 0 && x < W;
                    int sum = 0;
#pragma unroll
                    for (int c = 0; c < C_VEC; ++c) {
                        a[l][q][c] = (out_ok && c0 + c < Cg)
                                         ? (pos_ok ? lpdla_load_act(in, y * W + x, in_wpp,
                                                                    g * Cg + c0 + c, in_signed)
                                                   : pad_value)
                                         : 0;
                        sum += a[l][q][c];
                    }
                    xsum[l][q] += sum;
                }
            }
#pragma unroll
            for (int k = 0; k < K_VEC; ++k) {
                const int kk = g * Kg + k0 + k;
                const int row = ((kk * R + r) * S + s) * w_wpr;
#pragma unroll
                for (int c = 0; c < C_VEC; ++c) {
                    const int cc = c0 + c;
                    const bool ok = k0 + k < Kg && cc < Cg;
                    const uint raw =
                        ok ? lpdla_field(wts[row + cc / W_PER_WORD], cc % W_PER_WORD, W_BITS, W_MASK)
                           : 0u;
#if LPDLA_PATH_ADDSUB
                    // Ternary codes 00 = 0, 01 = +1, 11 = -1; binary 1 = +1, 0 = -1. The PE
                    // adds, subtracts or skips the activation: no multiplier.
#if W_KIND == W_KIND_BINARY
                    const bool nonzero = ok;
                    const bool negative = raw == 0u;
#else
                    const bool nonzero = (raw & 1u) != 0u;
                    const bool negative = (raw & 2u) != 0u;
#endif
#pragma unroll
                    for (int l = 0; l < LANES; ++l)
#pragma unroll
                        for (int q = 0; q < Q_VEC; ++q)
                            acc[l][q][k] += nonzero ? (negative ? -a[l][q][c] : a[l][q][c]) : 0;
#else
                    // Two's-complement intN weight times the activation: one multiplier.
                    const int wv = (raw >> (W_BITS - 1)) ? (int)raw - (1 << W_BITS) : (int)raw;
#pragma unroll
                    for (int l = 0; l < LANES; ++l)
#pragma unroll
                        for (int q = 0; q < Q_VEC; ++q) acc[l][q][k] += a[l][q][c] * wv;
#endif
                }
            }
#endif
        }

        // Requantise stage: bias, scale and shift, then saturate (ReLU when unsigned). A pass
        // other than the last only banks its shifted partial sums: requantising a partial sum
        // would round and saturate a number that is not the layer's.
#pragma unroll
        for (int l = 0; l < LANES; ++l)
#pragma unroll
            for (int q = 0; q < Q_VEC; ++q)
#pragma unroll
                for (int k = 0; k < K_VEC; ++k) {
                    const int oh = oh0 + l, ow = ow0 + q, kk = g * Kg + k0 + k;
                    if (oh < OH && ow < OW && k0 + k < Kg) {
                        const int pi = (oh * OW + ow) * K + kk;
                        // A multiply, not <<: shifting a negative value left is undefined.
                        const long a_k = (long)acc[l][q][k] - (long)w_zero[kk] * xsum[l][q];
                        const long shifted = a_k * (1l << pass_shift);
                        const long sum = pass_mode == LPDLA_PASS_SINGLE
                                             ? a_k
                                             : (long)partial[pi] + shifted;
                        if (pass_mode == LPDLA_PASS_ACCUMULATE) {
                            partial[pi] = (int)sum;
                        } else {
                            const long v = lpdla_requant(sum + bias[kk], q_mul[kk], q_shift[kk],
                                                         q_half_even) +
                                           q_offset[kk];
                            if (out_bits == A_BITS)
                                lpdla_store_act(out, oh * OW + ow, out_wpp, kk,
                                                lpdla_encode(v, out_signed));
                            else
                                lpdla_store_planes(out, oh * OW + ow, out_wpp, kk, v, out_bits,
                                                   out_signed, out_planes, OH * OW * out_wpp);
                        }
                    }
                }
    }
    // Passes share one counter, so it ends holding the layer's trips over all of them.
    if (pass_mode == LPDLA_PASS_SINGLE)
        trips[0] = n;
    else
        trips[0] += n;
}
