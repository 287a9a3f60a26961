// A small program that links lpdla as a library: how many images/s does a 2-bit/ternary AlexNet
// reach on an Arria 10 GX 1150 as the PE array grows, and does it still fit?
//   build/examples/estimate_example
// The device and network are shipped names: the library finds its data next to where it is
// installed (docs/LIBRARY.md "Data"); a path to a .json file works as well.
#include <cstdio>

#include <lpdla/error.h>
#include <lpdla/io/json_io.h>
#include <lpdla/model/estimate.h>
#include <lpdla/version.h>

int main() {
    try {
        const auto device = lpdla::load_device("arria10_gx1150");
        const auto network = lpdla::load_network("alexnet");
        std::printf("lpdla %s, device from %s\n", lpdla::version_string,
                    device.source_file.c_str());
        lpdla::ArchConfig arch;
        arch.precision = {2, lpdla::WeightKind::ternary};
        arch.c_vec = 32;
        for (int k : {16, 32, 64, 128}) {
            arch.k_vec = k;
            const auto e = lpdla::estimate(device, network, arch);
            std::printf("k_vec %3d: %8.1f images/s, %5.2f effective TOPS, %6.0f ALMs, fits %s\n", k,
                        e.totals.images_per_s, e.totals.effective_tops, e.resources.total.alm,
                        e.fits ? "yes" : "no");
        }
    } catch (const lpdla::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    return 0;
}
