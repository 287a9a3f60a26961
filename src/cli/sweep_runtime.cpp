#include "sweep_runtime.h"

#include <chrono>
#include <csignal>
#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"

namespace lpdla::cli {
namespace {

// Signal handlers may only touch lock-free atomics; the guard owns this pointer's lifetime.
std::atomic<SweepControl*> g_control{nullptr};
std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_interrupted.store(true);
    if (SweepControl* c = g_control.load()) c->stop.store(true);
    // Stays installed: a repeated SIGINT (e.g. `timeout` signals the child and its process group)
    // must not kill the process between stopping and removing its temporary files. Workers stop
    // within one chunk (milliseconds).
}

std::string duration(double s) {
    if (!(s >= 0) || s > 1e7) return "?";
    const auto t = std::uint64_t(s + 0.5);
    return t >= 3600 ? fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
                     : fmt::format("{}:{:02}", t / 60, t % 60);
}

} // namespace

InterruptGuard::InterruptGuard(SweepControl& control) {
    g_interrupted.store(false);
    g_control.store(&control);
    std::signal(SIGINT, on_sigint);
}

InterruptGuard::~InterruptGuard() {
    std::signal(SIGINT, SIG_DFL);
    g_control.store(nullptr);
}

bool InterruptGuard::interrupted() const {
    return g_interrupted.load();
}

ProgressLine::ProgressLine(const SweepControl& control, std::uint64_t total, bool enabled) {
    if (!enabled || !::isatty(STDERR_FILENO)) return;
    thread_ = std::thread([this, &control, total] {
        using clock = std::chrono::steady_clock;
        const auto start = clock::now();
        while (!done_.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            const double secs = std::chrono::duration<double>(clock::now() - start).count();
            const auto done = control.configs_done.load(std::memory_order_relaxed);
            const double rate = secs > 0 ? double(done) / secs : 0;
            std::fprintf(
                stderr,
                "\r\033[Ksweep: %llu/%llu configurations (%.1f %%), %.0f configurations/s, ETA %s",
                (unsigned long long)done, (unsigned long long)total,
                total ? 100.0 * double(done) / double(total) : 100.0, rate,
                duration(rate > 0 ? double(total - done) / rate : -1).c_str());
            std::fflush(stderr);
        }
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    });
}

ProgressLine::~ProgressLine() {
    done_.store(true);
    if (thread_.joinable()) thread_.join();
}

PendingFile::PendingFile(std::string path) : path_(std::move(path)) {
    // A device node or FIFO is written in place (never replaced by a regular file); a regular
    // file through a temporary no concurrent writer shares ("x": fail rather than share).
    tmp_ = output_written_in_place(path_) ? path_ : unique_temp_path(path_);
    file_ = std::fopen(tmp_.c_str(), tmp_ == path_ ? "wb" : "wbx");
    if (!file_)
        throw Error(
            fmt::format("{}: cannot write (check the directory exists and is writable)", path_));
}

PendingFile::~PendingFile() {
    if (file_) {
        std::fclose(file_);
        if (tmp_ != path_) std::remove(tmp_.c_str());
    }
}

void PendingFile::write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
        throw Error(fmt::format("{}: write failed (disk full?)", tmp_), ErrorKind::runtime);
}

void PendingFile::commit() {
    const bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    std::error_code ec;
    if (ok && tmp_ != path_) std::filesystem::rename(tmp_, path_, ec);
    if (!ok || ec) {
        if (tmp_ != path_) std::remove(tmp_.c_str());
        throw Error(
            fmt::format("{}: could not finish writing{}", path_, ec ? ": " + ec.message() : ""),
            ErrorKind::runtime);
    }
}

} // namespace lpdla::cli
