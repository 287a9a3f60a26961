// Shared helpers for the lpdla kernels: value packing, decoding and requantisation.
// Parameterised only by the generated lpdla_config.h, which must come first in the program
// (kernels/lpdla_top.cl in a generated package includes it; the host runner prepends it).
#ifndef K_VEC
#error "lpdla_config.h must be included before the kernel sources"
#endif

#define W_KIND_BINARY 0
#define W_KIND_TERNARY 1
#define W_KIND_INT2 2
#define W_KIND_INT4 3
#define W_KIND_INT8 4

// Activations and weights are packed little-end first: value i of a word sits at bits
// [i*BITS, (i+1)*BITS). A pixel's channels start on a word boundary so that a C_VEC slice
// is a contiguous run of words, as the stream buffer delivers it.
#define ACT_PER_WORD (32 / A_BITS)
#define W_PER_WORD (32 / W_BITS)
#define ACT_MASK ((uint)((1ul << A_BITS) - 1ul))
#define W_MASK ((uint)((1ul << W_BITS) - 1ul))

// Which PE datapath the configuration builds: one per precision family of the issue.
#if W_KIND == W_KIND_BINARY && A_BITS == 1
#define LPDLA_PATH_XNOR 1
#elif W_KIND == W_KIND_BINARY || W_KIND == W_KIND_TERNARY
#define LPDLA_PATH_ADDSUB 1
#else
#define LPDLA_PATH_MUL 1
#endif

#ifdef INTELFPGA_CL
// Single work-item kernels: the offline compiler pipelines the loops instead of replicating
// work items, which is how the DLA daisy chain is built.
#define LPDLA_KERNEL __kernel __attribute__((max_global_work_dim(0))) __attribute__((uses_global_work_offset(0)))
#else
#define LPDLA_KERNEL __kernel
#endif

inline uint lpdla_field(uint word, int slot, int bits, uint mask) {
    return (word >> (slot * bits)) & mask;
}

// A stored activation as an integer. One-bit activations are binary: set = +1, clear = -1.
inline int lpdla_decode_act(uint raw, int is_signed) {
#if A_BITS == 1
    return raw ? 1 : -1;
#else
    if (is_signed && (raw >> (A_BITS - 1))) return (int)raw - (1 << A_BITS);
    return (int)raw;
#endif
}

inline int lpdla_load_act(__global const uint* restrict t, int pixel, int words_per_pixel, int c,
                          int is_signed) {
    const uint word = t[pixel * words_per_pixel + c / ACT_PER_WORD];
    return lpdla_decode_act(lpdla_field(word, c % ACT_PER_WORD, A_BITS, ACT_MASK), is_signed);
}

// Saturates a value into the output format. Unsigned outputs are the ReLU outputs (clamping at
// zero is the ReLU), signed ones feed an add before their ReLU; binary outputs take the sign.
inline uint lpdla_encode(long v, int out_signed) {
#if A_BITS == 1
    return v >= 0 ? 1u : 0u;
#else
    const long lo = out_signed ? -(1l << (A_BITS - 1)) : 0l;
    const long hi = out_signed ? (1l << (A_BITS - 1)) - 1l : (1l << A_BITS) - 1l;
    v = v < lo ? lo : (v > hi ? hi : v);
    return (uint)v & ACT_MASK;
#endif
}

// Requantisation: (acc * mul) / 2^shift as a DSP multiply (int32 x int32) and a shift, rounded
// half up (an integer scale, the per-tensor form) or half to even (a real scale's fixed-point
// mantissa, ONNX's rounding): the bits shifted out decide, a tie goes to the even neighbour.
inline long lpdla_requant(long acc, int mul, int shift, int half_even) {
    const long p = acc * (long)mul;
    if (shift == 0) return p;
    const long fl = p >> shift; // arithmetic: the floor, negatives included
    const long rem = p - fl * (1l << shift);
    const long tie = 1l << (shift - 1);
    const int up = rem > tie || (rem == tie && (!half_even || (fl & 1l)));
    return fl + (up ? 1l : 0l);
}

// Writes one value into its slot of a packed word. Single work-item kernels own the whole
// buffer, so read-modify-write is race-free.
inline void lpdla_store_act(__global uint* restrict t, int pixel, int words_per_pixel, int c,
                            uint value) {
    const int idx = pixel * words_per_pixel + c / ACT_PER_WORD;
    const int sh = (c % ACT_PER_WORD) * A_BITS;
    t[idx] = (t[idx] & ~(ACT_MASK << sh)) | ((value & ACT_MASK) << sh);
}

// A value for a consumer wider than the array: saturated into `bits` (> A_BITS), then stored as
// `planes` A_BITS-wide planes, plane j (bits [j*A_BITS, (j+1)*A_BITS), the top one the arithmetic
// shift, i.e. two's complement when signed) at t + j * plane_words: the slices the consumer's
// passes read, without a host round trip to cut them.
inline void lpdla_store_planes(__global uint* restrict t, int pixel, int words_per_pixel, int c,
                               long v, int bits, int out_signed, int planes, int plane_words) {
    const long lo = out_signed ? -(1l << (bits - 1)) : 0l;
    const long hi = out_signed ? (1l << (bits - 1)) - 1l : (1l << bits) - 1l;
    v = v < lo ? lo : (v > hi ? hi : v);
    for (int j = 0; j < planes; ++j)
        lpdla_store_act(t + j * plane_words, pixel, words_per_pixel, c,
                        (uint)(v >> (j * A_BITS)) & ACT_MASK);
}
