#include "cl_context.h"

#include <map>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "lpdla/error.h"

namespace lpdla::cl {

const char* error_name(cl_int status) {
    switch (status) {
    case CL_SUCCESS:
        return "CL_SUCCESS";
    case CL_DEVICE_NOT_FOUND:
        return "CL_DEVICE_NOT_FOUND";
    case CL_OUT_OF_RESOURCES:
        return "CL_OUT_OF_RESOURCES";
    case CL_OUT_OF_HOST_MEMORY:
        return "CL_OUT_OF_HOST_MEMORY";
    case CL_BUILD_PROGRAM_FAILURE:
        return "CL_BUILD_PROGRAM_FAILURE";
    case CL_INVALID_VALUE:
        return "CL_INVALID_VALUE";
    case CL_INVALID_KERNEL_NAME:
        return "CL_INVALID_KERNEL_NAME";
    case CL_INVALID_KERNEL_ARGS:
        return "CL_INVALID_KERNEL_ARGS";
    case CL_INVALID_ARG_SIZE:
        return "CL_INVALID_ARG_SIZE";
    case CL_INVALID_BUFFER_SIZE:
        return "CL_INVALID_BUFFER_SIZE";
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
        return "CL_MEM_OBJECT_ALLOCATION_FAILURE";
    case -1001:
        return "CL_PLATFORM_NOT_FOUND_KHR";
    default:
        return "OpenCL error";
    }
}

void check(cl_int status, const char* what) {
    if (status != CL_SUCCESS) {
        throw Error(fmt::format("OpenCL: {} failed: {} ({})", what, error_name(status), status),
                    ErrorKind::bad_input);
    }
}

Device::~Device() {
    if (queue) clReleaseCommandQueue(queue);
    if (context) clReleaseContext(context);
}

namespace {

std::shared_ptr<Device> open_device() {
    cl_uint n_platforms = 0;
    const cl_int status = clGetPlatformIDs(0, nullptr, &n_platforms);
    if (status == -1001 || (status == CL_SUCCESS && n_platforms == 0)) {
        throw Error("no OpenCL platform found: install an ICD (e.g. pocl-opencl-icd for the CPU) "
                    "or check OCL_ICD_VENDORS / /etc/OpenCL/vendors",
                    ErrorKind::bad_input);
    }
    check(status, "clGetPlatformIDs");
    std::vector<cl_platform_id> platforms(n_platforms);
    check(clGetPlatformIDs(n_platforms, platforms.data(), nullptr), "clGetPlatformIDs");
    for (cl_platform_id p : platforms) {
        cl_device_id dev = nullptr;
        cl_uint n = 0;
        if (clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &dev, &n) != CL_SUCCESS || n == 0) continue;
        auto d = std::make_shared<Device>();
        d->platform = p;
        d->device = dev;
        cl_int err = CL_SUCCESS;
        d->context = clCreateContext(nullptr, 1, &dev, nullptr, nullptr, &err);
        check(err, "clCreateContext");
        d->queue = clCreateCommandQueue(d->context, dev, 0, &err);
        check(err, "clCreateCommandQueue");
        char name[256] = {};
        clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof name - 1, name, nullptr);
        d->name = name;
        return d;
    }
    throw Error("OpenCL platforms found but none has a device", ErrorKind::bad_input);
}

std::mutex cache_mutex;

} // namespace

std::shared_ptr<Device> shared_device() {
    static std::shared_ptr<Device> device;
    std::lock_guard lock(cache_mutex);
    if (!device) device = open_device();
    return device;
}

Program::~Program() {
    if (program) clReleaseProgram(program);
}

bool Program::first_launch_of(const std::string& kernel) {
    std::lock_guard lock(launched_mutex_);
    return launched_.insert(kernel).second;
}

std::shared_ptr<Program> build_program(const std::string& source) {
    auto device = shared_device();
    static std::map<std::string, std::shared_ptr<Program>> cache;
    std::lock_guard lock(cache_mutex);
    if (auto it = cache.find(source); it != cache.end()) return it->second;

    auto prog = std::make_shared<Program>();
    prog->device = device;
    const char* text = source.c_str();
    const std::size_t length = source.size();
    cl_int err = CL_SUCCESS;
    prog->program = clCreateProgramWithSource(device->context, 1, &text, &length, &err);
    check(err, "clCreateProgramWithSource");
    err = clBuildProgram(prog->program, 1, &device->device, "-cl-std=CL1.2", nullptr, nullptr);
    if (err != CL_SUCCESS) {
        std::size_t log_size = 0;
        clGetProgramBuildInfo(prog->program, device->device, CL_PROGRAM_BUILD_LOG, 0, nullptr,
                              &log_size);
        std::string log(log_size, '\0');
        if (log_size > 0) {
            clGetProgramBuildInfo(prog->program, device->device, CL_PROGRAM_BUILD_LOG, log_size,
                                  log.data(), nullptr);
        }
        while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
        throw Error(fmt::format("OpenCL: building the kernels on {} failed ({}). Build log:\n{}",
                                device->name, error_name(err), log),
                    ErrorKind::bad_input);
    }
    cache.emplace(source, prog);
    return prog;
}

} // namespace lpdla::cl
