#!/usr/bin/python3
"""Build the ONNX fixture of window geometries the importer must carry (issue 10): dilation,
asymmetric pads, auto_pad SAME_UPPER / SAME_LOWER with an odd total, ceil-mode pools (one whose
last window would start in the end padding) and count_include_pad.

Needs python3-onnx (Debian); the committed tests/onnx/geometry/window_geometry.onnx means no test
needs Python. Shape only: weights are graph inputs without data. Each branch reads the 3x8x8
image and ends in a graph output whose shape is declared as worked out by hand below (ONNX and
PyTorch rules: out = floor or ceil((in + pad_begin + pad_end - ((k - 1) * d + 1)) / s) + 1, a
ceil-mode window that would start in the end padding dropped):

  conv_dilated   Conv 4x3x3x3, dilation 2, no pad:        (8 - 5) / 1 + 1          = 4
  conv_asym      Conv 4x3x3x3, stride 2, pads [0,0,1,1]:   (8 + 1 - 3) / 2 + 1      = 4
  conv_same_up   Conv 4x3x2x2, SAME_UPPER (total 1: 0,1):  ceil(8 / 1)              = 8
  conv_same_low  Conv 4x3x2x2, SAME_LOWER (total 1: 1,0):  ceil(8 / 1)              = 8
  pool_ceil      MaxPool 3x3 s2, ceil_mode:                ceil((8 - 3) / 2) + 1    = 4 (floor 3)
  pool_drop      MaxPool 2x2 s2, pads [0,0,1,1], ceil:     ceil((8 + 1 - 2) / 2) + 1 = 5, the
                 last window starts at 8 = in + pad_begin: dropped                  = 4
  after_drop     Conv 4x3x1x1 on pool_drop:                                         = 4
  avg_incl_pad   AveragePool 3x3 s2, pads 1, count_include_pad: (8 + 2 - 3) / 2 + 1 = 4
  pool_dilated   MaxPool 2x2, dilation 2:                  (8 - 3) / 1 + 1          = 6

Usage: /usr/bin/python3 tools/gen_onnx_window_geometry.py
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_onnx_networks as gen  # noqa: E402  (the Graph builder and its bookkeeping)

OUT = os.path.join(gen.ROOT, "tests", "onnx", "geometry")


def pool(g, op, name, x, k, stride, pads=(0, 0, 0, 0), dilation=1, ceil=False,
         count_include_pad=False, out_hw=None):
    attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=list(pads))
    if dilation != 1:
        attrs["dilations"] = [dilation, dilation]
    if ceil:
        attrs["ceil_mode"] = 1
    if count_include_pad:
        attrs["count_include_pad"] = 1
    g.nodes.append(helper.make_node(op, [x], [name], name=name, **attrs))
    g.shape[name] = (g.shape[x][0], out_hw, out_hw)
    return name


def window_geometry():
    g = gen.Graph("window_geometry", 3, 8, 8)
    outs = {
        g.conv("conv_dilated", "data", 4, 3, dilation=2): 4,
        g.conv("conv_asym", "data", 4, 3, stride=2, pads=[0, 0, 1, 1]): 4,
        g.conv("conv_same_up", "data", 4, 2, auto_pad="SAME_UPPER"): 8,
        g.conv("conv_same_low", "data", 4, 2, auto_pad="SAME_LOWER"): 8,
        pool(g, "MaxPool", "pool_ceil", "data", 3, 2, ceil=True, out_hw=4): 4,
        g.conv("after_drop",
               pool(g, "MaxPool", "pool_drop", "data", 2, 2, pads=(0, 0, 1, 1), ceil=True,
                    out_hw=4), 4, 1): 4,
        pool(g, "AveragePool", "avg_incl_pad", "data", 3, 2, pads=(1, 1, 1, 1),
             count_include_pad=True, out_hw=4): 4,
        pool(g, "MaxPool", "pool_dilated", "data", 2, 1, dilation=2, out_hw=6): 6,
    }
    outputs = []
    for name, hw in outs.items():
        assert g.shape[name][1:] == (hw, hw), (name, g.shape[name])
        outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT,
                                                     [1, g.shape[name][0], hw, hw]))
    graph = helper.make_graph(g.nodes, g.name, g.inputs, outputs)
    m = helper.make_model(graph, producer_name="lpdla tools/gen_onnx_window_geometry.py",
                          opset_imports=[helper.make_opsetid("", gen.OPSET)])
    onnx.checker.check_model(m)
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "window_geometry.onnx")
    onnx.save(window_geometry(), path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
