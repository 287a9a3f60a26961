// Reduction of sweep points to bests and fronts: shared by the threads of one run and by `merge`,
// which is why every choice here is a total order (ties fall to the lower grid order) and the
// result depends only on the set of points added, never on the order they arrive in.
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lpdla/error.h"
#include "lpdla/explore/sweep_engine.h"

namespace lpdla {
namespace {

bool faster(const SweepPoint& a, const SweepPoint& b) {
    if (a.obj.images_per_s != b.obj.images_per_s) return a.obj.images_per_s > b.obj.images_per_s;
    return a.obj.order < b.obj.order;
}

bool more_tops(const SweepPoint& a, const SweepPoint& b) {
    if (a.effective_tops != b.effective_tops) return a.effective_tops > b.effective_tops;
    return a.obj.order < b.obj.order;
}

// Only points with a known top-1 compete; among equals the faster one wins.
bool more_accurate(const SweepPoint& a, const SweepPoint& b) {
    if (a.obj.top1 != b.obj.top1) return a.obj.top1 > b.obj.top1;
    return faster(a, b);
}

bool cheaper(const SweepPoint& a, const SweepPoint& b) {
    if (a.obj.cost != b.obj.cost) return a.obj.cost < b.obj.cost;
    return faster(a, b);
}

template <class Better>
void keep_best(std::optional<SweepPoint>& slot, const SweepPoint& p, Better better) {
    if (!slot || better(p, *slot)) slot = p;
}

} // namespace

GroupAccumulator::GroupAccumulator(std::uint32_t device, std::uint32_t network, std::size_t slots,
                                   std::size_t widths, std::size_t first_lasts)
    : device_(device), network_(network), widths_(widths), first_lasts_(first_lasts),
      by_precision_(slots * widths), fronts_(slots * widths) {}

void GroupAccumulator::add(const SweepPoint& p) {
    keep_best(best_.images_per_s, p, faster);
    keep_best(best_.effective_tops, p, more_tops);
    if (top1_known(p.obj)) keep_best(best_.top1, p, more_accurate);
    keep_best(best_.cost, p, cheaper);
    const std::size_t cls =
        (std::size_t(p.precision) * first_lasts_ + p.first_last) * widths_ + p.width;
    keep_best(by_precision_[cls], p, faster);
    // Every point of a (precision, width) class shares one top-1 for this network, so the class
    // front only needs the two remaining objectives.
    fronts_[cls].insert(p);
}

bool GroupAccumulator::wants(const Objectives& o, double effective_tops, std::size_t slot,
                             std::uint32_t width) const {
    // Ties go to the lower order; a candidate's order is fresh, so on a tie it may still win.
    const auto beats = [&](const std::optional<SweepPoint>& b, double mine, double theirs,
                           bool more) {
        return !b || (more ? mine > theirs : mine < theirs) ||
               (mine == theirs && o.order < b->obj.order);
    };
    const std::size_t cls = slot * widths_ + width;
    const auto& b = best_;
    return beats(b.images_per_s, o.images_per_s,
                 b.images_per_s ? b.images_per_s->obj.images_per_s : 0, true) ||
           beats(b.effective_tops, effective_tops,
                 b.effective_tops ? b.effective_tops->effective_tops : 0, true) ||
           (top1_known(o) && beats(b.top1, o.top1, b.top1 ? b.top1->obj.top1 : 0, true)) ||
           beats(b.cost, o.cost, b.cost ? b.cost->obj.cost : 0, false) ||
           beats(by_precision_[cls], o.images_per_s,
                 by_precision_[cls] ? by_precision_[cls]->obj.images_per_s : 0, true) ||
           fronts_[cls].admits(o);
}

void GroupAccumulator::absorb(const GroupAccumulator& other) {
    evaluated_ += other.evaluated_;
    feasible_ += other.feasible_;
    const BestPoints& b = other.best_;
    if (b.images_per_s) keep_best(best_.images_per_s, *b.images_per_s, faster);
    if (b.effective_tops) keep_best(best_.effective_tops, *b.effective_tops, more_tops);
    if (b.top1) keep_best(best_.top1, *b.top1, more_accurate);
    if (b.cost) keep_best(best_.cost, *b.cost, cheaper);
    for (std::size_t i = 0; i < by_precision_.size(); ++i) {
        if (other.by_precision_[i]) keep_best(by_precision_[i], *other.by_precision_[i], faster);
        for (const auto& p : other.fronts_[i].items()) fronts_[i].insert(p);
    }
}

GroupResult GroupAccumulator::finish() const {
    GroupResult g;
    g.device = device_;
    g.network = network_;
    g.points_evaluated = evaluated_;
    g.points_feasible = feasible_;
    g.best = best_;
    g.best_by_precision = by_precision_;
    std::vector<SweepPoint> candidates;
    for (const auto& f : fronts_)
        candidates.insert(candidates.end(), f.items().begin(), f.items().end());
    g.pareto = pareto_filter(std::move(candidates));
    return g;
}

namespace {

// The first top-level key in which two expanded specs differ, so a refusal says what to fix.
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b) {
    for (const auto& [key, value] : a.items())
        if (!b.contains(key) || b.at(key) != value) return key;
    for (const auto& [key, value] : b.items())
        if (!a.contains(key)) return key;
    return "?";
}

// The indices in [0, n) that `present` lacks, as "1-2,4,7-9" (the syntax of `sbatch --array`, so
// a resume can paste it). Walks the gaps, not [0, n): N is whatever a shard file says.
std::string missing_ranges(const std::set<std::uint64_t>& present, std::uint64_t n) {
    constexpr std::size_t max_ranges = 64; // beyond that, a list no one pastes
    std::string out;
    std::size_t ranges = 0;
    std::uint64_t next = 0; // the lowest index not yet accounted for
    // Records the missing run [lo, hi].
    const auto gap = [&](std::uint64_t lo, std::uint64_t hi) {
        if (ranges++ == max_ranges) out += ",...";
        if (ranges > max_ranges) return;
        if (!out.empty()) out += ',';
        out += lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
    };
    for (std::uint64_t i : present) {
        if (i > next) gap(next, i - 1);
        next = i + 1;
    }
    if (next < n) gap(next, n - 1);
    return out;
}

// Throws unless `shards` are each shard of one N-way split of one spec exactly once.
void check_complete_split(const std::vector<SweepResult>& shards) {
    if (shards.empty()) throw Error("merge: no sweep results given");
    const SweepResult& first = shards.front();
    const nlohmann::json spec = spec_to_json(first.spec);
    const std::uint64_t n = first.shard.count;
    std::set<std::uint64_t> seen;
    for (const auto& s : shards) {
        if (s.shards_merged != 1)
            throw Error(fmt::format("merge: an input is already a merge of {} shards (spec {}); "
                                    "merge the shard files themselves",
                                    s.shards_merged, s.spec.source));
        const nlohmann::json other = spec_to_json(s.spec);
        if (other != spec)
            throw Error(fmt::format(
                "merge: shard {}/{} was made by a different spec than shard {}/{} (they differ "
                "in \"{}\"; spec files {} and {}); merge only shards of one sweep",
                s.shard.index, s.shard.count, first.shard.index, first.shard.count,
                first_difference(spec, other), s.spec.source, first.spec.source));
        if (s.shard.count != n)
            throw Error(fmt::format("merge: shard {}/{} does not belong to the {}-way split of "
                                    "shard {}/{}; merge the shards of one --shard i/N run",
                                    s.shard.index, s.shard.count, n, first.shard.index, n));
        if (s.shard.index >= n)
            throw Error(fmt::format("merge: shard {}/{} is not a shard: its index must be below {}",
                                    s.shard.index, n, n));
        if (!seen.insert(s.shard.index).second)
            throw Error(fmt::format("merge: shard {}/{} is given twice", s.shard.index, n));
    }
    const std::uint64_t missing = n - seen.size();
    if (missing == 0) return;
    std::uint64_t first_missing = 0;
    while (seen.count(first_missing)) ++first_missing;
    if (missing == 1)
        throw Error(fmt::format("merge: shard {}/{} is missing; a merged front needs every shard: "
                                "re-run `lpdla sweep --shard {}/{}` with the same spec",
                                first_missing, n, first_missing, n));
    throw Error(fmt::format("merge: shard {}/{} is missing, and {} more: shards {} of {} are "
                            "missing (the list in sbatch --array syntax); a merged front needs "
                            "every shard: re-run `lpdla sweep --shard i/{}` for each with the "
                            "same spec",
                            first_missing, n, missing - 1, missing_ranges(seen, n), n, n));
}

} // namespace

SweepResult merge_sweep_results(const std::vector<SweepResult>& shards) {
    check_complete_split(shards);
    const SweepResult& first = shards.front();
    const SweepSpec& spec_ref = first.spec;
    const std::size_t nets = spec_ref.networks.size();
    std::vector<GroupAccumulator> acc;
    for (std::size_t d = 0; d < spec_ref.devices.size(); ++d)
        for (std::size_t k = 0; k < nets; ++k)
            acc.emplace_back(std::uint32_t(d), std::uint32_t(k),
                             spec_ref.precisions.size() * spec_ref.first_last_choices(),
                             spec_ref.widths.size(), spec_ref.first_last_choices());
    SweepResult out;
    out.spec = first.spec;
    out.shard = Shard{};
    out.shards_merged = shards.size();
    for (const auto& s : shards) {
        out.counts += s.counts;
        for (const auto& g : s.groups) {
            GroupAccumulator& a = acc.at(std::size_t(g.device) * nets + g.network);
            a.count(g.points_evaluated, g.points_feasible);
            // The union of each shard's bests and front contains the global bests and front.
            for (const auto* b :
                 {&g.best.images_per_s, &g.best.effective_tops, &g.best.top1, &g.best.cost})
                if (*b) a.add(**b);
            for (const auto& p : g.best_by_precision)
                if (p) a.add(*p);
            for (const auto& p : g.pareto) a.add(p);
        }
    }
    for (const auto& a : acc) out.groups.push_back(a.finish());
    return out;
}

} // namespace lpdla
