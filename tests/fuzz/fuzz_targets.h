#pragma once
// One entry point per lpdla input format, shared by the libFuzzer harnesses (fuzz_<format>.cpp,
// built with clang when LPDLA_FUZZ=ON) and the regression replay test (tests/unit, any compiler).
// Each takes raw bytes as a user could put them in a file and must either succeed or throw
// lpdla::Error: anything else (another exception, a crash, a sanitizer report, a hang) is a bug.
#include <string>
#include <string_view>
#include <vector>

namespace lpdla::fuzz {

using Target = void (*)(std::string_view data);

struct NamedTarget {
    const char* format; // also the folder under tests/fuzz/regression/ and tests/fuzz/corpus/
    Target run;
};

void device(std::string_view data);
void network(std::string_view data);
void config(std::string_view data);
void sweep_spec(std::string_view data);
void axis(std::string_view data); // "4,8:64:*2": the axis syntax of flags and specs, not JSON
void accuracy(std::string_view data);
void result(std::string_view data); // a sweep result, as `lpdla merge` reads it
void cases(std::string_view data);  // validation cases

const std::vector<NamedTarget>& all_targets();

} // namespace lpdla::fuzz
