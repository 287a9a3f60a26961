#pragma once
// lpdla::Error: the one exception type the library throws; its message tells the user what to fix.
#include <stdexcept>
#include <string>

namespace lpdla {

// Exit status a CLI maps an error to (documented in docs/CLI.md).
enum class ErrorKind {
    usage = 1,
    bad_input = 2,
    nothing_feasible = 3,
    runtime = 4,
    validation_failed = 5 // a published case outside its tolerance
};

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message, ErrorKind kind = ErrorKind::bad_input)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

  private:
    ErrorKind kind_;
};

} // namespace lpdla
