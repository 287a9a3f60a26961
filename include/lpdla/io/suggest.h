#pragma once
// "Did you mean ...?": the closest valid name to a misspelt one, for error messages.
#include <string>
#include <string_view>
#include <vector>

namespace lpdla {

// Edit distance (insert, delete, substitute, each 1; case-insensitive) between two names.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `given`, or "" when none is close enough to be a plausible typo
// (distance above a third of the longer name, minimum 2) or `given` is itself a candidate.
std::string closest_name(std::string_view given, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" : ready to append to a message.
std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates);

} // namespace lpdla
