// A small program that links lpdla's kernels component: builds the OpenCL kernels of a 4-bit /
// int4 configuration on the platform present (PoCL on a CPU), runs one 3x3 convolution on it and
// compares the output with the C++ reference, value by value.
//   kernel_check_example        exit status 0 when the kernel and the reference agree
#include <cstdio>

#include <lpdla/error.h>
#include <lpdla/io/data_paths.h>
#include <lpdla/kernels/kernelgen.h>
#include <lpdla/kernels/opencl_runner.h>
#include <lpdla/kernels/reference.h>

int main() {
    try {
        lpdla::ArchConfig arch;
        arch.k_vec = 8, arch.c_vec = 4, arch.q_vec = 2, arch.lanes = 1;
        arch.precision = {4, lpdla::WeightKind::int4};
        // The kernel sources ship with the data: found next to the installed library.
        lpdla::OpenClRunner runner(lpdla::kernel_config(arch), lpdla::data_dir() / "kernels");

        // 6 input channels of 9x9, 8 filters of 3x3, stride 1, padding 1: seeded random data in
        // the formats' ranges (unsigned 4-bit activations, int4 weights).
        const lpdla::ref::ActFormat fmt{4, false};
        lpdla::ref::Rng rng(42);
        const auto in = lpdla::ref::random_tensor(6, 9, 9, fmt, rng);
        const auto w = lpdla::ref::random_weights(8, 6, 3, 3, lpdla::WeightKind::int4, rng);
        const auto bias = lpdla::ref::random_bias(8, 20, rng);
        const lpdla::ref::ConvGeometry g{1, 1, 1, 1, 1};

        const auto acc = lpdla::ref::conv_accumulate(in, w, bias, g);
        const auto q = lpdla::ref::choose_requant(acc, fmt);
        const auto expected = lpdla::ref::requantise(acc, q, fmt);
        lpdla::KernelStats stats;
        const auto actual = runner.conv(in, fmt, w, bias, g, q, fmt, &stats);
        const auto mismatches = lpdla::ref::count_mismatches(expected, actual);
        std::printf("conv 6x9x9 -> 8x9x9 on %s: %lld of %zu values differ from the reference, "
                    "%llu main-loop trips\n",
                    runner.device_name().c_str(), static_cast<long long>(mismatches),
                    expected.values.size(), static_cast<unsigned long long>(stats.trip_count));
        return mismatches == 0 ? 0 : 1;
    } catch (const lpdla::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}
