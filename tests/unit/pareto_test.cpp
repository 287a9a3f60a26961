// Pareto front on a hand-made point set; every expectation below is worked by hand in comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "lpdla/explore/pareto.h"

namespace lpdla {
namespace {

struct P {
    Objectives obj;
    char name;
};

P pt(char name, double ips, double top1, double cost, std::uint64_t order) {
    return {{ips, top1, cost, order}, name};
}

// A (100, 50 %, 10)   kept: nothing known is both faster and no costlier
// B (200, 50 %, 20)   kept
// C (150, 50 %, 25)   dominated by B (faster, same top-1, cheaper)
// D (150, 60 %, 25)   kept: B is faster and cheaper, but D is more accurate
// E ( 90, 40 %, 10)   dominated by A (faster, more accurate, same cost)
// I (100, 50 %, 10)   an exact tie with A: neither dominates, both kept, A first (lower order)
// F (300,  ?  , 50)   kept: the unknown-accuracy class only competes with itself
// G (250,  ?  , 60)   dominated by F
// H ( 50,  ?  ,  5)   kept: cheapest unknown
// K (1000, ?  ,100)   kept; it does not dominate A, B, D although faster: their top-1 is known
std::vector<P> hand_set() {
    return {pt('A', 100, 0.5, 10, 0),   pt('B', 200, 0.5, 20, 1), pt('C', 150, 0.5, 25, 2),
            pt('D', 150, 0.6, 25, 3),   pt('E', 90, 0.4, 10, 4),  pt('F', 300, NAN, 50, 5),
            pt('G', 250, NAN, 60, 6),   pt('H', 50, NAN, 5, 7),   pt('I', 100, 0.5, 10, 8),
            pt('K', 1000, NAN, 100, 10)};
}

std::string names(const std::vector<P>& v) {
    std::string s;
    for (const auto& p : v) s += p.name;
    return s;
}

TEST(Pareto, DominanceRules) {
    EXPECT_TRUE(dominates({200, 0.5, 20, 0}, {150, 0.5, 25, 1}));
    EXPECT_FALSE(dominates({200, 0.5, 20, 0}, {150, 0.6, 25, 1})); // less accurate
    EXPECT_FALSE(dominates({100, 0.5, 10, 0}, {100, 0.5, 10, 1})); // identical: no strict gain
    EXPECT_FALSE(dominates({1000, NAN, 1, 0}, {1, 0.1, 99, 1}));   // unknown vs known
    EXPECT_FALSE(dominates({1, 0.9, 1, 0}, {0.5, NAN, 2, 1}));     // known vs unknown
    EXPECT_TRUE(dominates({300, NAN, 50, 0}, {250, NAN, 60, 1}));
}

TEST(Pareto, FilterHandMadeSet) {
    // front_order: images/s descending, then top-1, cost, order.
    EXPECT_EQ(names(pareto_filter(hand_set())), "KFBDAIH");
}

TEST(Pareto, ClassFrontsThenFilterMatchInAnyInsertionOrder) {
    auto set = hand_set();
    std::mt19937 rng(7);
    for (int round = 0; round < 50; ++round) {
        std::shuffle(set.begin(), set.end(), rng);
        // One Front2D per accuracy class, as the sweep keeps them: 40 %, 50 %, 60 %, unknown.
        Front2D<P> f40, f50, f60, fu;
        for (const auto& p : set) {
            Front2D<P>& f = std::isnan(p.obj.top1) ? fu
                            : p.obj.top1 == 0.4    ? f40
                            : p.obj.top1 == 0.5    ? f50
                                                   : f60;
            f.insert(p);
        }
        // Within 50 %: C falls to B; A and I tie. Unknown: G falls to F.
        EXPECT_EQ(names(f50.items()), "AIB"); // cost ascending, ties by order
        EXPECT_EQ(names(fu.items()), "HFK");
        std::vector<P> all;
        for (auto* f : {&f40, &f50, &f60, &fu})
            all.insert(all.end(), f->items().begin(), f->items().end());
        EXPECT_EQ(names(pareto_filter(all)), "KFBDAIH");
    }
}

TEST(Pareto, Front2DDropsEntriesTheNewPointDominatesAndIgnoresRepeats) {
    Front2D<P> f;
    EXPECT_TRUE(f.insert(pt('a', 10, NAN, 10, 0)));
    EXPECT_TRUE(f.insert(pt('b', 20, NAN, 20, 1)));
    EXPECT_TRUE(f.insert(pt('c', 30, NAN, 30, 2)));
    EXPECT_FALSE(f.insert(pt('x', 15, NAN, 20, 3))); // b is as cheap and faster
    EXPECT_FALSE(f.insert(pt('b', 20, NAN, 20, 1))); // the same point again
    EXPECT_TRUE(f.insert(pt('d', 25, NAN, 15, 4)));  // beats b (faster, cheaper)
    EXPECT_EQ(names(f.items()), "adc");
    EXPECT_TRUE(f.insert(pt('e', 40, NAN, 5, 5))); // beats everything
    EXPECT_EQ(names(f.items()), "e");
}

} // namespace
} // namespace lpdla
