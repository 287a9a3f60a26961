// The replacement operator new/delete live in their own translation unit: when GCC 12 can inline
// them into a caller (as it did under -fsanitize with -O2), it pairs std::allocator's new with
// this file's free() and reports -Wmismatched-new-delete, which -Werror turns into a failed build.
#include "heap_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
// Relaxed is enough: the total is read after the worker threads are joined.
std::atomic<std::uint64_t> allocation_count{0};
} // namespace

std::uint64_t lpdla_bench::heap_allocations() {
    return allocation_count.load(std::memory_order_relaxed);
}

void* operator new(std::size_t bytes) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
