#include "suggest_cli.h"

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lpdla/io/suggest.h"

namespace lpdla::cli {
namespace {

// Options of the top-level app that take a value (the word after them is not a subcommand).
bool takes_value(const CLI::App& app, std::string_view word) {
    if (word.find('=') != std::string_view::npos) return false;
    for (const CLI::Option* o : app.get_options())
        for (const auto& name : o->get_lnames())
            if (word == "--" + name) return o->get_expected_min() > 0;
    return false;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(sub->get_name());
    return names;
}

// The subcommand word in argv and its position, or -1.
int subcommand_position(const CLI::App& app, int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view w = argv[i];
        if (w.empty() || w.front() != '-') return i;
        if (takes_value(app, w)) ++i;
    }
    return -1;
}

} // namespace

std::optional<std::string> unknown_subcommand_message(const CLI::App& app, int argc,
                                                      const char* const* argv) {
    const int at = subcommand_position(app, argc, argv);
    if (at < 0) return std::nullopt;
    const std::string word = argv[at];
    const auto names = subcommand_names(app);
    for (const auto& n : names)
        if (n == word) return std::nullopt;
    return fmt::format("unknown subcommand '{}'{}; valid subcommands: {} (lpdla --help)", word,
                       did_you_mean(word, names), fmt::join(names, ", "));
}

std::string unknown_flag_hints(const CLI::App& app, int argc, const char* const* argv) {
    const int at = subcommand_position(app, argc, argv);
    const CLI::App* cmd = &app;
    if (at >= 0) {
        for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
            if (sub->get_name() == argv[at]) cmd = sub;
    }
    std::vector<std::string> flags;
    for (const CLI::App* a : {cmd, &app})
        for (const CLI::Option* o : a->get_options())
            for (const auto& name : o->get_lnames()) flags.push_back("--" + name);
    std::string out;
    for (int i = at < 0 ? 1 : at + 1; i < argc; ++i) {
        std::string w = argv[i];
        if (w.rfind("--", 0) != 0) continue;
        w = w.substr(0, w.find('='));
        bool known = false;
        for (const auto& f : flags) known |= f == w;
        if (known) continue;
        const std::string hint = did_you_mean(w, flags);
        out += fmt::format("{}: unknown flag of `lpdla{}`{}\n", w,
                           cmd == &app ? "" : " " + cmd->get_name(),
                           hint.empty() ? "; --help lists the valid ones" : hint);
    }
    return out;
}

} // namespace lpdla::cli
