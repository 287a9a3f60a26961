// Seeded test data: the same seed gives the same layer data on any platform.
#include "lpdla/error.h"
#include "lpdla/kernels/reference.h"

namespace lpdla::ref {

std::uint64_t Rng::next() {
    // Knuth's MMIX LCG; the high bits are the good ones, so callers get those.
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return state_ >> 17;
}

std::int64_t Rng::uniform(std::int64_t lo, std::int64_t hi) {
    const auto span = std::uint64_t(hi - lo + 1);
    return lo + std::int64_t(next() % span);
}

std::int64_t weight_min(WeightKind kind) {
    switch (kind) {
    case WeightKind::binary:
    case WeightKind::ternary:
        return -1;
    case WeightKind::int2:
        return -2;
    case WeightKind::int4:
        return -8;
    case WeightKind::int8:
        return -128;
    case WeightKind::int16: // the reference's widened weights (zero points), not a kernel kind
        return -32768;
    default:
        throw Error("weight kind not realised by the kernels");
    }
}

std::int64_t weight_max(WeightKind kind) {
    switch (kind) {
    case WeightKind::binary:
    case WeightKind::ternary:
        return 1;
    case WeightKind::int2:
        return 1;
    case WeightKind::int4:
        return 7;
    case WeightKind::int8:
        return 127;
    case WeightKind::int16:
        return 32767;
    default:
        throw Error("weight kind not realised by the kernels");
    }
}

Tensor random_tensor(int c, int h, int w, const ActFormat& f, Rng& rng) {
    Tensor t(c, h, w);
    for (auto& v : t.values) {
        v = f.bits == 1 ? (rng.uniform(0, 1) ? 1 : -1) : rng.uniform(f.min(), f.max());
    }
    return t;
}

Weights random_weights(int k, int cg, int r, int s, WeightKind kind, Rng& rng) {
    Weights w{k, cg, r, s, kind, std::vector<std::int64_t>(std::size_t(k) * cg * r * s)};
    for (auto& v : w.values) {
        v = kind == WeightKind::binary ? (rng.uniform(0, 1) ? 1 : -1)
                                       : rng.uniform(weight_min(kind), weight_max(kind));
    }
    return w;
}

std::vector<std::int32_t> random_bias(int k, int magnitude, Rng& rng) {
    std::vector<std::int32_t> b(std::size_t(k), 0);
    for (auto& v : b) v = std::int32_t(rng.uniform(-magnitude, magnitude));
    return b;
}

} // namespace lpdla::ref
