// Counts every heap allocation of a benchmark process (the binary that links heap_counter.cpp
// replaces the global operator new), so a benchmark can show the hot path allocates nothing.
#pragma once
#include <cstdint>

namespace lpdla_bench {

/// Allocations through operator new since the process started.
std::uint64_t heap_allocations();

} // namespace lpdla_bench
