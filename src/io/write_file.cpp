// write_file_atomic: a complete result or none, never a half-written or mixed file, and never a
// device node, FIFO or directory replaced by a regular file.
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lpdla/error.h"
#include "lpdla/io/json_io.h"

namespace lpdla {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int err) {
    throw Error(fmt::format("{}: {}: {}", path.string(), what, std::strerror(err)),
                ErrorKind::runtime);
}

// Writes all of `text` to fd, retrying short writes and EINTR; returns 0 or the errno.
int write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        done += std::size_t(n);
    }
    return 0;
}

// A device node (/dev/null, /dev/stdout) or a FIFO: there is no file to replace, so write into
// it as it is.
void write_in_place(const std::filesystem::path& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(path, "cannot open for writing", errno);
    const int err = write_all(fd, text);
    const int close_err = ::close(fd) == 0 ? 0 : errno;
    if (err) fail(path, "write failed", err);
    if (close_err) fail(path, "write failed", close_err);
}

// Creates a temporary no other writer uses; O_EXCL turns a clash (another host on a shared file
// system) into a retry, never a shared file.
int create_unique_temp(const std::filesystem::path& target, std::string& name) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = unique_temp_path(target);
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

// The file a rename should replace: what a symbolic link points at, not the link itself.
std::filesystem::path resolve_target(const std::filesystem::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    std::error_code ec;
    auto target = std::filesystem::weakly_canonical(path, ec);
    if (ec) fail(path, "cannot resolve the symbolic link", ec.value());
    return target;
}

} // namespace

bool output_written_in_place(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return false; // a new file
    if (S_ISDIR(st.st_mode))
        throw Error(fmt::format("{}: is a directory; give a file name for --out", path.string()));
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return true;
    if (!S_ISREG(st.st_mode))
        throw Error(fmt::format("{}: is not a regular file, a device or a FIFO; refusing to "
                                "replace it",
                                path.string()));
    return false;
}

std::string unique_temp_path(const std::filesystem::path& path) {
    static std::atomic<unsigned> counter{0};
    thread_local std::random_device rd;
    return fmt::format("{}.tmp.{}.{}.{:08x}", path.string(), ::getpid(), counter++, rd());
}

void write_file_atomic(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path target = resolve_target(path);
    if (output_written_in_place(target)) return write_in_place(target, text);
    std::string tmp;
    const int fd = create_unique_temp(target, tmp);
    if (fd < 0)
        fail(path, "cannot create a file there (check the directory exists and is writable)",
             errno);
    int err = write_all(fd, text);
    // The data must be on disk before the rename makes it the result, or a crash could leave an
    // empty file under the final name.
    if (!err && ::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && !err) err = errno;
    if (err) {
        ::unlink(tmp.c_str());
        fail(path, "write failed", err);
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        err = errno;
        ::unlink(tmp.c_str());
        fail(path, "cannot rename into place", err);
    }
}

} // namespace lpdla
