#include "test_support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace lpdla::test {

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
} // namespace

CliResult run_cli(const std::string& args) {
    char out_tmpl[] = "/tmp/lpdla_out_XXXXXX";
    char err_tmpl[] = "/tmp/lpdla_err_XXXXXX";
    const int out_fd = mkstemp(out_tmpl);
    const int err_fd = mkstemp(err_tmpl);
    close(out_fd);
    close(err_fd);
    const std::string cmd =
        std::string(LPDLA_CLI) + " " + args + " >" + out_tmpl + " 2>" + err_tmpl;
    const int raw = std::system(cmd.c_str());
    CliResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out_tmpl);
    r.err = slurp(err_tmpl);
    std::remove(out_tmpl);
    std::remove(err_tmpl);
    return r;
}

} // namespace lpdla::test
