#pragma once
// Pareto fronts over (throughput max, top-1 max, cost min) with unknown accuracy handled as
// incomparable: a point whose top-1 is unknown neither dominates nor is dominated by a point
// whose top-1 is known, so unknown-accuracy designs form their own (throughput, cost) front
// instead of being ranked as if their accuracy were zero (docs/FORMATS.md, "Sweep result").
//
// Two stages keep the sweep's hot path cheap: Front2D keeps, for one accuracy class (a fixed
// top-1, or unknown), the (throughput, cost) staircase with O(log n) rejection of the common
// dominated point; pareto_filter then removes points dominated across classes once, at the end.
// Ties (identical objectives) are all kept, ordered by `order`, so the front is a pure function
// of the point set: the same whatever the thread count or sharding.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace lpdla {

struct Objectives {
    double images_per_s = 0; // maximise
    double top1 = NAN;       // maximise; NaN = unknown
    double cost = 0;         // minimise
    std::uint64_t order = 0; // deterministic tie-break: lower first
};

inline bool top1_known(const Objectives& o) {
    return !std::isnan(o.top1);
}

// a dominates b: comparable (both top-1 known or both unknown), no worse in every objective,
// strictly better in at least one.
inline bool dominates(const Objectives& a, const Objectives& b) {
    const bool ka = top1_known(a), kb = top1_known(b);
    if (ka != kb) return false;
    const bool acc_ge = !ka || a.top1 >= b.top1;
    const bool acc_gt = ka && a.top1 > b.top1;
    return a.images_per_s >= b.images_per_s && acc_ge && a.cost <= b.cost &&
           (a.images_per_s > b.images_per_s || acc_gt || a.cost < b.cost);
}

// Presentation order of a front: fastest first, then more accurate, cheaper, lower order.
inline bool front_order(const Objectives& a, const Objectives& b) {
    if (a.images_per_s != b.images_per_s) return a.images_per_s > b.images_per_s;
    const double ta = top1_known(a) ? a.top1 : -1, tb = top1_known(b) ? b.top1 : -1;
    if (ta != tb) return ta > tb;
    if (a.cost != b.cost) return a.cost < b.cost;
    return a.order < b.order;
}

// The (throughput, cost) front of points sharing one accuracy class. T exposes `Objectives obj`.
// Invariant: sorted by (cost, order); cost and throughput both strictly increase between
// distinct entries, and equal-cost entries have equal throughput (exact ties).
template <class T> class Front2D {
  public:
    // Keeps p if no entry dominates it and drops entries p dominates; returns whether p was kept.
    bool insert(const T& p) {
        const Objectives& o = p.obj;
        if (!admits(o)) return false;
        auto lo = std::lower_bound(items_.begin(), items_.end(), o.cost,
                                   [](const T& e, double c) { return e.obj.cost < c; });
        auto end = lo;
        while (end != items_.end() &&
               (end->obj.images_per_s < o.images_per_s ||
                (end->obj.images_per_s == o.images_per_s && end->obj.cost > o.cost)))
            ++end;
        lo = items_.erase(lo, end);
        // Among exact ties, keep `order` ascending.
        while (lo != items_.end() && lo->obj.cost == o.cost && lo->obj.order < o.order) ++lo;
        // The same point offered twice (merge sees a shard's best also on its front) is kept once.
        if (lo != items_.end() && lo->obj.cost == o.cost && lo->obj.order == o.order) return false;
        items_.insert(lo, p);
        return true;
    }
    // Whether no entry dominates o: the O(log n) test the sweep runs before building a point.
    bool admits(const Objectives& o) const {
        // The entry with the highest throughput among those no more costly than o.
        auto hi = std::upper_bound(items_.begin(), items_.end(), o.cost,
                                   [](double c, const T& e) { return c < e.obj.cost; });
        if (hi == items_.begin()) return true;
        const Objectives& q = std::prev(hi)->obj;
        return q.images_per_s < o.images_per_s ||
               (q.images_per_s == o.images_per_s && q.cost == o.cost);
    }
    const std::vector<T>& items() const { return items_; }
    void clear() { items_.clear(); }

  private:
    std::vector<T> items_;
};

// The non-dominated subset of `points`, in front_order. O(n x front size).
template <class T> std::vector<T> pareto_filter(std::vector<T> points) {
    std::sort(points.begin(), points.end(),
              [](const T& a, const T& b) { return front_order(a.obj, b.obj); });
    // Any dominator sorts before what it dominates, and dominance is transitive, so checking
    // against the points already kept is enough.
    std::vector<T> front;
    for (const T& p : points) {
        const bool dominated = std::any_of(front.begin(), front.end(),
                                           [&](const T& q) { return dominates(q.obj, p.obj); });
        if (!dominated) front.push_back(p);
    }
    return front;
}

} // namespace lpdla
