#pragma once
// Process-wide OpenCL state: one device, context and queue, and built programs cached by their
// source text (PoCL compiles each distinct config header once per process).
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <CL/cl.h>

namespace lpdla::cl {

// Throws lpdla::Error (bad input) naming the call and the OpenCL error when status != CL_SUCCESS.
void check(cl_int status, const char* what);
const char* error_name(cl_int status);

struct Device {
    cl_platform_id platform = nullptr;
    cl_device_id device = nullptr;
    cl_context context = nullptr;
    cl_command_queue queue = nullptr;
    std::string name;
    ~Device();
};

// The first device of the first platform that has one; throws when there is none.
std::shared_ptr<Device> shared_device();

struct Program {
    std::shared_ptr<Device> device;
    cl_program program = nullptr;
    ~Program();
    // True the first time a kernel of this program is launched: platforms that compile at the
    // first enqueue (PoCL specialises each kernel then) spend seconds there, so timings say so.
    bool first_launch_of(const std::string& kernel);

  private:
    std::mutex launched_mutex_;
    std::set<std::string> launched_;
};

// Builds (or returns the cached build of) a program; a failed build throws with the build log.
std::shared_ptr<Program> build_program(const std::string& source);

} // namespace lpdla::cl
