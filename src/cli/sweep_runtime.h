#pragma once
// What a long sweep needs around the engine: a progress line on a terminal, a SIGINT handler that
// asks the engine to stop, and an output file that only appears complete (temp file + rename).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>

#include "lpdla/explore/sweep_engine.h"

namespace lpdla::cli {

// While alive, SIGINT sets control.stop instead of killing the process.
class InterruptGuard {
  public:
    explicit InterruptGuard(SweepControl& control);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    bool interrupted() const;
};

// Prints "configurations done/total, rate, ETA" to stderr every 250 ms, only if stderr is a TTY.
class ProgressLine {
  public:
    ProgressLine(const SweepControl& control, std::uint64_t total, bool enabled);
    ~ProgressLine(); // stops the thread and clears the line
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

  private:
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// A file written under a temporary name and renamed into place by commit(); destroyed without
// commit (error, interrupt), it removes the temporary so no partial output is ever left.
class PendingFile {
  public:
    explicit PendingFile(std::string path);
    ~PendingFile();
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;
    void write(std::string_view text);
    void commit();

  private:
    std::string path_, tmp_;
    std::FILE* file_ = nullptr;
};

} // namespace lpdla::cli
