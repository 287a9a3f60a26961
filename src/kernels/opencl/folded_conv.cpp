// conv_folded: a strided conv as host-side space-to-depth plus the stride-1 conv kernel, which
// is how the DLA's layer compiler reshapes a strided first layer (docs/KERNELS.md "Stride
// folding"). The kernel itself knows nothing of folding.
#include "lpdla/kernels/opencl_runner.h"

namespace lpdla {

ref::Tensor conv_folded(OpenClRunner& runner, const ref::Tensor& in, const ref::ActFormat& in_fmt,
                        const ref::Weights& w, const std::vector<std::int32_t>& bias,
                        const ref::ConvGeometry& g, const ref::Requant& q,
                        const ref::ActFormat& out_fmt, KernelStats* stats) {
    const ref::FoldedConv f = ref::fold_conv(in, in_fmt, w, g);
    return runner.conv(f.input, in_fmt, f.weights, bias, f.geometry, q, out_fmt, stats);
}

} // namespace lpdla
