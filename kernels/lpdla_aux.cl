// Auxiliary layers: pooling, element-wise add (ResNet shortcuts) and the identity stand-in for
// LRN. One trip is one aux-unit cycle over LANES output rows x K_VEC channels of one output
// column, so the trip count is ceil(OH/LANES) * OW * ceil(C/K_VEC), the model's aux iterations.
// A pool window is reduced inside the trip, as a line-buffered pool unit does.

#define LPDLA_POOL_MAX 0
#define LPDLA_POOL_AVG 1
#define LPDLA_POOL_AVG_INCLUDE_PAD 2

LPDLA_KERNEL void lpdla_pool(__global const uint* restrict in, __global uint* restrict out,
                             __global ulong* restrict trips, const int C, const int H, const int W,
                             const int OH, const int OW, const int R, const int S,
                             const int stride_h, const int stride_w, const int pad_h,
                             const int pad_w, const int mode, const int in_signed,
                             const int out_signed, const int dil_h, const int dil_w,
                             const int pad_b, const int pad_r) {
    const int wpp = (C + ACT_PER_WORD - 1) / ACT_PER_WORD;
    ulong n = 0;
    for (int oh0 = 0; oh0 < OH; oh0 += LANES)
    for (int ow = 0; ow < OW; ++ow)
    for (int c0 = 0; c0 < C; c0 += K_VEC) {
        ++n;
#pragma unroll
        for (int l = 0; l < LANES; ++l)
#pragma unroll
            for (int k = 0; k < K_VEC; ++k) {
                const int oh = oh0 + l, c = c0 + k;
                if (oh < OH && c < C) {
                    // Max over the in-bounds taps; the average divides by them too, or with
                    // LPDLA_POOL_AVG_INCLUDE_PAD by every tap inside the padded input (a ceil-mode
                    // window's overhang past the padding never counts).
                    long best = 0, sum = 0;
                    int count = 0, padded = 0;
                    for (int r = 0; r < R; ++r)
                        for (int s = 0; s < S; ++s) {
                            const int y = oh * stride_h - pad_h + r * dil_h;
                            const int x = ow * stride_w - pad_w + s * dil_w;
                            if (y >= 0 && y < H && x >= 0 && x < W) {
                                const long v = lpdla_load_act(in, y * W + x, wpp, c, in_signed);
                                best = (count == 0 || v > best) ? v : best;
                                sum += v;
                                ++count;
                            }
                            if (y >= -pad_h && y < H + pad_b && x >= -pad_w && x < W + pad_r)
                                ++padded;
                        }
                    long v = best;
                    if (mode == LPDLA_POOL_AVG_INCLUDE_PAD && count > 0) count = padded;
                    if (mode != LPDLA_POOL_MAX && count > 0) {
                        // Round half away from zero; the reference does the same.
                        v = sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
                    }
                    lpdla_store_act(out, oh * OW + ow, wpp, c, lpdla_encode(v, out_signed));
                }
            }
    }
    trips[0] = n;
}

LPDLA_KERNEL void lpdla_add(__global const uint* restrict a, __global const uint* restrict b,
                            __global uint* restrict out, __global ulong* restrict trips,
                            const int C, const int H, const int W, const int a_signed,
                            const int b_signed, const int out_signed) {
    const int wpp = (C + ACT_PER_WORD - 1) / ACT_PER_WORD;
    ulong n = 0;
    for (int h0 = 0; h0 < H; h0 += LANES)
    for (int x = 0; x < W; ++x)
    for (int c0 = 0; c0 < C; c0 += K_VEC) {
        ++n;
#pragma unroll
        for (int l = 0; l < LANES; ++l)
#pragma unroll
            for (int k = 0; k < K_VEC; ++k) {
                const int y = h0 + l, c = c0 + k;
                if (y < H && c < C) {
                    const int p = y * W + x;
                    const long v = (long)lpdla_load_act(a, p, wpp, c, a_signed) +
                                   lpdla_load_act(b, p, wpp, c, b_signed);
                    lpdla_store_act(out, p, wpp, c, lpdla_encode(v, out_signed));
                }
            }
    }
    trips[0] = n;
}

// LRN has no integer definition in lpdla: the aux unit passes the data through unchanged so
// that the layer still costs the cycles the model gives it.
LPDLA_KERNEL void lpdla_identity(__global const uint* restrict in, __global uint* restrict out,
                                 __global ulong* restrict trips, const int C, const int H,
                                 const int W) {
    const int wpp = (C + ACT_PER_WORD - 1) / ACT_PER_WORD;
    ulong n = 0;
    for (int h0 = 0; h0 < H; h0 += LANES)
    for (int x = 0; x < W; ++x)
    for (int c0 = 0; c0 < C; c0 += K_VEC) {
        ++n;
#pragma unroll
        for (int l = 0; l < LANES; ++l)
#pragma unroll
            for (int k = 0; k < K_VEC; ++k) {
                const int y = h0 + l, c = c0 + k;
                if (y < H && c < C) {
                    const int p = y * W + x;
                    const uint word = in[p * wpp + c / ACT_PER_WORD];
                    lpdla_store_act(out, p, wpp, c,
                                    lpdla_field(word, c % ACT_PER_WORD, A_BITS, ACT_MASK));
                }
            }
    }
    trips[0] = n;
}
