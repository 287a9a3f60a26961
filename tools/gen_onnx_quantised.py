#!/usr/bin/python3
"""Build tests/onnx/models/quantised.onnx: a shape-only quantised graph for the importer's
precision-from-types test (issue 10).

  data (uint8 1x3x8x8) -> QLinearConv q1 (uint8 weights, per-channel scales and zero points,
  int32 bias, 3x3 pad 1; uint8 output) -> ConvInteger c2 (int8 weights 1x1; int32 output)

Weights, scales and zero points are graph inputs with their types and shapes, no values, as in
tools/gen_onnx_networks.py. Usage: /usr/bin/python3 tools/gen_onnx_quantised.py
"""
import os

import onnx
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "onnx", "models", "quantised.onnx")


def main():
    u8, i8, f32, i32 = TensorProto.UINT8, TensorProto.INT8, TensorProto.FLOAT, TensorProto.INT32
    vi = helper.make_tensor_value_info
    inputs = [
        vi("data", u8, [1, 3, 8, 8]),
        vi("q1.x_scale", f32, []), vi("q1.x_zero_point", u8, []),
        vi("q1.weight", u8, [8, 3, 3, 3]), vi("q1.w_scale", f32, [8]),
        vi("q1.w_zero_point", u8, [8]), vi("q1.y_scale", f32, []),
        vi("q1.y_zero_point", u8, []), vi("q1.bias", i32, [8]),
        vi("c2.weight", i8, [4, 8, 1, 1]), vi("c2.x_zero_point", u8, []),
    ]
    nodes = [
        helper.make_node("QLinearConv",
                         ["data", "q1.x_scale", "q1.x_zero_point", "q1.weight", "q1.w_scale",
                          "q1.w_zero_point", "q1.y_scale", "q1.y_zero_point", "q1.bias"],
                         ["q1"], name="q1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("ConvInteger", ["q1", "c2.weight", "c2.x_zero_point"], ["c2"],
                         name="c2", kernel_shape=[1, 1]),
    ]
    graph = helper.make_graph(nodes, "quantised", inputs, [vi("c2", i32, [1, 4, 8, 8])])
    m = helper.make_model(graph, producer_name="lpdla tools/gen_onnx_quantised.py",
                          opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    with open(OUT, "wb") as f:
        f.write(m.SerializeToString())
    print("wrote", OUT)

    # The same graph with c2's weight declared int16, a type ConvInteger does not admit: the
    # importer must refuse it naming the tensor (written without the checker, which would too).
    for v in m.graph.input:
        if v.name == "c2.weight":
            v.type.tensor_type.elem_type = TensorProto.INT16
    bad = os.path.join(ROOT, "tests", "onnx", "errors", "quantised_int16_weight.onnx")
    with open(bad, "wb") as f:
        f.write(m.SerializeToString())
    print("wrote", bad)


if __name__ == "__main__":
    main()
