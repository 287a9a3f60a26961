// The entry points that need the validate component (kept apart so the other harnesses link only
// model, io and explore).
#include <nlohmann/json.hpp>

#include "fuzz_targets.h"
#include "lpdla/io/strict_json.h"
#include "lpdla/validate/validate.h"

namespace lpdla::fuzz {

void cases(std::string_view data) {
    const ValidationFile v =
        parse_validation(strict_json::parse(data, "fuzz/cases.json"), "fuzz/cases.json");
    (void)v;
}

const std::vector<NamedTarget>& all_targets() {
    static const std::vector<NamedTarget> targets{
        {"device", device}, {"network", network},   {"config", config}, {"sweep_spec", sweep_spec},
        {"axis", axis},     {"accuracy", accuracy}, {"result", result}, {"cases", cases}};
    return targets;
}

} // namespace lpdla::fuzz
