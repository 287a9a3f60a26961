// Device data layout: several low-bit values per 32-bit word, as the stream buffer and filter
// caches hold them.
#include <fmt/format.h>

#include "lpdla/error.h"
#include "lpdla/kernels/kernelgen.h"
#include "lpdla/kernels/reference.h"
#include "value_checks.h"

namespace lpdla::ref {
namespace {

void check_bits(int bits) {
    if (bits != 1 && bits != 2 && bits != 4 && bits != 8) {
        throw Error(fmt::format("packing: {} bits per value do not divide a 32-bit word", bits));
    }
}

std::uint32_t encode(std::int64_t v, int bits) {
    if (bits == 1) return v > 0 ? 1u : 0u;         // binary: +1 -> 1, -1 -> 0
    return std::uint32_t(v) & ((1u << bits) - 1u); // two's complement (range checked before)
}

std::int64_t decode(std::uint32_t raw, int bits, bool is_signed) {
    if (bits == 1) return raw ? 1 : -1;
    if (is_signed && (raw >> (bits - 1))) return std::int64_t(raw) - (std::int64_t(1) << bits);
    return raw;
}

int words_for(int values, int bits) {
    const int per_word = 32 / bits;
    return (values + per_word - 1) / per_word;
}

} // namespace

std::size_t packed_activation_words(int c, int h, int w, int bits) {
    check_bits(bits);
    return std::size_t(h) * w * words_for(c, bits);
}

std::vector<std::uint32_t> pack_activations(const Tensor& t, const ActFormat& f) {
    check_bits(f.bits);
    detail::check_activations(t, f, "pack_activations");
    const int per_word = 32 / f.bits;
    const int wpp = words_for(t.channels, f.bits);
    std::vector<std::uint32_t> words(
        packed_activation_words(t.channels, t.height, t.width, f.bits));
    for (int y = 0; y < t.height; ++y)
        for (int x = 0; x < t.width; ++x)
            for (int c = 0; c < t.channels; ++c) {
                const std::size_t idx = (std::size_t(y) * t.width + x) * wpp + c / per_word;
                words[idx] |= encode(t.at(c, y, x), f.bits) << ((c % per_word) * f.bits);
            }
    return words;
}

Tensor unpack_activations(const std::vector<std::uint32_t>& words, int c, int h, int w,
                          const ActFormat& f) {
    if (words.size() != packed_activation_words(c, h, w, f.bits)) {
        throw Error(fmt::format("unpack: {} words do not hold a {}x{}x{} tensor of {}-bit values",
                                words.size(), c, h, w, f.bits));
    }
    const int per_word = 32 / f.bits;
    const int wpp = words_for(c, f.bits);
    const std::uint32_t mask = f.bits == 32 ? ~0u : (1u << f.bits) - 1u;
    Tensor t(c, h, w);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < c; ++ch) {
                const std::uint32_t word = words[(std::size_t(y) * w + x) * wpp + ch / per_word];
                t.at(ch, y, x) =
                    decode((word >> ((ch % per_word) * f.bits)) & mask, f.bits, f.is_signed);
            }
    return t;
}

std::vector<std::uint32_t> pack_weights(const Weights& w) {
    const int bits = kernel_weight_bits(w.kind);
    detail::check_weights(w, "pack_weights");
    const int per_word = 32 / bits;
    const int wpr = words_for(w.in_per_group, bits);
    std::vector<std::uint32_t> words(std::size_t(w.out_channels) * w.kernel_h * w.kernel_w * wpr);
    for (int k = 0; k < w.out_channels; ++k)
        for (int r = 0; r < w.kernel_h; ++r)
            for (int s = 0; s < w.kernel_w; ++s)
                for (int c = 0; c < w.in_per_group; ++c) {
                    const std::size_t row = (std::size_t(k) * w.kernel_h + r) * w.kernel_w + s;
                    words[row * wpr + c / per_word] |= encode(w.at(k, c, r, s), bits)
                                                       << ((c % per_word) * bits);
                }
    return words;
}

} // namespace lpdla::ref
