#include "lpdla/io/suggest.h"

#include <algorithm>
#include <cctype>

namespace lpdla {

namespace {
char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // One row of the Levenshtein table; names are short, so this is never on a hot path.
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitute = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string closest_name(std::string_view given, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    for (const auto& candidate : candidates) {
        const std::size_t d = edit_distance(given, candidate);
        if (d == 0) return "";
        if (best.empty() || d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    // A prefix ("arria10" for "arria10_gx1150") is a plausible short form whatever its length.
    for (const auto& candidate : candidates) {
        if (given.size() >= 3 && candidate.size() > given.size() &&
            edit_distance(given, std::string_view(candidate).substr(0, given.size())) == 0) {
            return candidate;
        }
    }
    const std::size_t longer = std::max(given.size(), best.size());
    const std::size_t limit = std::max<std::size_t>(2, longer / 3);
    return best_distance <= limit ? best : "";
}

std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates) {
    const std::string name = closest_name(given, candidates);
    return name.empty() ? "" : " (did you mean '" + name + "'?)";
}

} // namespace lpdla
