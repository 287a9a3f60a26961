// libFuzzer harness for lpdla's result input (tests/fuzz/fuzz_targets.h, docs/FUZZING.md).
#include <cstddef>
#include <cstdint>

#include "fuzz_targets.h"
#include "lpdla/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        lpdla::fuzz::result({reinterpret_cast<const char*>(data), size});
    } catch (const lpdla::Error&) {
        // A clear bad-input error is the expected outcome for most inputs.
    }
    return 0;
}
