#pragma once
// "Did you mean ...?" for the command line itself: an unknown subcommand or flag named with the
// closest valid one (include/lpdla/io/suggest.h), before CLI11's generic message.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace lpdla::cli {

// When argv's first word that is not a global option is not a subcommand: the message to print
// ("unknown subcommand 'swep' (did you mean 'sweep'?); valid: ..."), else nothing.
std::optional<std::string> unknown_subcommand_message(const CLI::App& app, int argc,
                                                      const char* const* argv);
// For an error about arguments CLI11 did not expect: each unknown --flag with its closest valid
// flag of the subcommand used, e.g. "--ddr-gbs: unknown flag of `lpdla sweep` (did you mean
// '--ddr-gbps'?)"; empty when there is nothing to suggest.
std::string unknown_flag_hints(const CLI::App& app, int argc, const char* const* argv);

} // namespace lpdla::cli
