#!/usr/bin/python3
"""Build shape-only ONNX models of published CNN architectures, and the import-error fixtures.

Needs python3-onnx (Debian). The models carry no weights: every weight, bias and batch-norm
parameter is a graph input with its shape, which is all lpdla's importer reads. Each network is
written the way a framework exports it (conv without bias + BatchNormalization + Relu, Flatten
before Gemm, Dropout, Softmax), so the import exercises the folding.

Independently of lpdla, this script walks each architecture as it builds it (output sizes,
MACs = OH*OW*K*(C/groups)*R*S per conv and K*C per FC) and asserts the totals against the
published counts:

  AlexNet (Caffe bvlc_alexnet, two towers as group=2)  724,406,816 MACs   (FACTS.md §3)
  ResNet-34 (torchvision)                             3,663,761,408 MACs  (FACTS.md §3)
  ResNet-18 (torchvision)                             1,814,073,344 MACs  (issue 10)
  ResNet-50 (torchvision v1.5)                        4,089,184,256 MACs  (torchvision: 4.09 G)
  MobileNet-v1 1.0-224                                569 million, rounded (Howard et al., Table 2)
  MobileNet-v2 1.0-224                                300 million, within 1 M (Sandler et al.)
  GoogLeNet (torchvision, no aux classifiers)         1,498,376,192 MACs (torchvision: 1.498 G)

Writes tests/onnx/models/<net>.onnx and tests/onnx/errors/*.onnx. With --lpdla PATH it also
runs `PATH import` on each model of SHIPPED and writes networks/<net>.json.

Usage: /usr/bin/python3 tools/gen_onnx_networks.py [--lpdla build/lpdla]
"""
import argparse
import json
import os
import subprocess
import sys

import onnx
from onnx import TensorProto, helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "tests", "onnx", "models")
ERRORS = os.path.join(ROOT, "tests", "onnx", "errors")
OPSET = 13


def out_size(n, k, s, p0, p1, d=1, ceil=False):
    span = n + p0 + p1 - ((k - 1) * d + 1)
    assert span >= 0, (n, k, s, p0, p1)
    return (span + (s - 1 if ceil else 0)) // s + 1


class Graph:
    """A feature-map graph built node by node, with its own shape and MAC bookkeeping."""

    def __init__(self, name, c, h, w, input_name="data"):
        self.name = name
        self.nodes = []
        self.inputs = [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, c, h, w])]
        self.shape = {input_name: (c, h, w)}
        self.macs = 0
        self.per_layer = {}
        self.value_info = []
        self.flat = set()  # tensors that are [N, features], not maps
        self.inits = []  # constants (the ReLU6 bounds); weights stay shape-only graph inputs

    def _param(self, name, dims):
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, list(dims)))
        return name

    def conv(self, name, x, k, r, stride=1, pad=0, groups=1, bias=False, pads=None,
             dilation=1, auto_pad=None):
        c, h, w = self.shape[x]
        assert c % groups == 0 and k % groups == 0
        ins = [x, self._param(name + ".weight", (k, c // groups, r, r))]
        if bias:
            ins.append(self._param(name + ".bias", (k,)))
        pads = pads or [pad, pad, pad, pad]
        attrs = dict(kernel_shape=[r, r], strides=[stride, stride], group=groups)
        if dilation != 1:
            attrs["dilations"] = [dilation, dilation]
        if auto_pad:
            attrs["auto_pad"] = auto_pad
            oh, ow = -(-h // stride), -(-w // stride)
        else:
            attrs["pads"] = pads
            oh = out_size(h, r, stride, pads[0], pads[2], dilation)
            ow = out_size(w, r, stride, pads[1], pads[3], dilation)
        self.nodes.append(helper.make_node("Conv", ins, [name], name=name, **attrs))
        self.shape[name] = (k, oh, ow)
        m = oh * ow * k * (c // groups) * r * r
        self.per_layer[name] = m
        self.macs += m
        return name

    def bn(self, name, x):
        c = self.shape[x][0]
        ps = [self._param(f"{name}.{p}", (c,)) for p in ("scale", "shift", "mean", "var")]
        self.nodes.append(helper.make_node("BatchNormalization", [x] + ps, [name], name=name))
        self.shape[name] = self.shape[x]
        return name

    def act(self, name, x, op="Relu"):
        ins = [x]
        if op == "Clip":  # ReLU6: bounds 0 and 6 as the opset-11+ constant inputs
            ins += ["relu6.min", "relu6.max"]
            if not any(t.name == "relu6.min" for t in self.inits):
                self.inits += [helper.make_tensor("relu6.min", TensorProto.FLOAT, [], [0.0]),
                               helper.make_tensor("relu6.max", TensorProto.FLOAT, [], [6.0])]
        self.nodes.append(helper.make_node(op, ins, [name], name=name))
        self.shape[name] = self.shape[x]
        if x in self.flat:
            self.flat.add(name)
        return name

    def lrn(self, name, x, size=5):
        self.nodes.append(helper.make_node("LRN", [x], [name], name=name, size=size, alpha=1e-4,
                                           beta=0.75, bias=1.0))
        self.shape[name] = self.shape[x]
        return name

    def pool(self, op, name, x, k, stride, pad=0, ceil=False):
        c, h, w = self.shape[x]
        attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4)
        if ceil:
            attrs["ceil_mode"] = 1
        self.nodes.append(helper.make_node(op, [x], [name], name=name, **attrs))
        self.shape[name] = (c, out_size(h, k, stride, pad, pad, ceil=ceil),
                            out_size(w, k, stride, pad, pad, ceil=ceil))
        return name

    def global_avg(self, name, x):
        self.nodes.append(helper.make_node("GlobalAveragePool", [x], [name], name=name))
        self.shape[name] = (self.shape[x][0], 1, 1)
        return name

    def add(self, name, a, b):
        assert self.shape[a] == self.shape[b], (name, self.shape[a], self.shape[b])
        self.nodes.append(helper.make_node("Add", [a, b], [name], name=name))
        self.shape[name] = self.shape[a]
        return name

    def concat(self, name, xs):
        hw = {self.shape[x][1:] for x in xs}
        assert len(hw) == 1, (name, hw)
        self.nodes.append(helper.make_node("Concat", xs, [name], name=name, axis=1))
        self.shape[name] = (sum(self.shape[x][0] for x in xs),) + hw.pop()
        return name

    def flatten(self, name, x):
        self.nodes.append(helper.make_node("Flatten", [x], [name], name=name, axis=1))
        c, h, w = self.shape[x]
        self.shape[name] = (c * h * w, 1, 1)
        self.flat.add(name)
        return name

    def gemm(self, name, x, k):
        c = self.shape[x][0] * self.shape[x][1] * self.shape[x][2]
        ins = [x, self._param(name + ".weight", (k, c)), self._param(name + ".bias", (k,))]
        self.nodes.append(helper.make_node("Gemm", ins, [name], name=name, transB=1))
        self.shape[name] = (k, 1, 1)
        self.flat.add(name)
        self.per_layer[name] = k * c
        self.macs += k * c
        return name

    def passthrough(self, op, name, x):
        self.nodes.append(helper.make_node(op, [x], [name], name=name))
        self.shape[name] = self.shape[x]
        if x in self.flat:
            self.flat.add(name)
        return name

    def out_dims(self, x):
        c, h, w = self.shape[x]
        return [1, c] if x in self.flat else [1, c, h, w]

    def model(self, output):
        out = helper.make_tensor_value_info(output, TensorProto.FLOAT, self.out_dims(output))
        graph = helper.make_graph(self.nodes, self.name, self.inputs, [out],
                                  initializer=self.inits, value_info=self.value_info)
        m = helper.make_model(graph, producer_name="lpdla tools/gen_onnx_networks.py",
                              opset_imports=[helper.make_opsetid("", OPSET)])
        onnx.checker.check_model(m)
        return m


def conv_bn(g, name, bn, x, k, r, stride=1, pad=0, groups=1, relu=None, op="Relu"):
    y = g.bn(bn, g.conv(name, x, k, r, stride, pad, groups))
    return g.act(relu, y, op) if relu else y


def resnet_basic(name, blocks, expected_macs):
    """torchvision ResNet-18/34: basic blocks, 1x1 stride-2 projection shortcuts."""
    g = Graph(name, 3, 224, 224)
    x = conv_bn(g, "conv1", "bn1", "data", 64, 7, 2, 3, relu="relu1")
    x = g.pool("MaxPool", "pool1", x, 3, 2, 1)
    channels = 64
    for stage, n in enumerate(blocks):
        k = 64 << stage
        for b in range(n):
            p = f"layer{stage + 1}.{b}"
            stride = 2 if b == 0 and stage > 0 else 1
            y = conv_bn(g, p + ".conv1", p + ".bn1", x, k, 3, stride, 1, relu=p + ".relu1")
            y = conv_bn(g, p + ".conv2", p + ".bn2", y, k, 3, 1, 1)
            short = x
            if stride != 1 or channels != k:
                short = conv_bn(g, p + ".downsample", p + ".downsample.bn", x, k, 1, stride, 0)
            x = g.act(p + ".relu2", g.add(p + ".add", y, short))
            channels = k
    x = g.flatten("flatten", g.global_avg("avgpool", x))
    x = g.passthrough("Softmax", "prob", g.gemm("fc", x, 1000))
    assert g.macs == expected_macs, (name, g.macs)
    return g.model(x)


def resnet50(expected_macs):
    """torchvision ResNet-50 (v1.5: the stride on the 3x3 conv of each bottleneck)."""
    g = Graph("resnet50", 3, 224, 224)
    x = conv_bn(g, "conv1", "bn1", "data", 64, 7, 2, 3, relu="relu1")
    x = g.pool("MaxPool", "pool1", x, 3, 2, 1)
    channels = 64
    for stage, n in enumerate([3, 4, 6, 3]):
        width = 64 << stage
        out = width * 4
        for b in range(n):
            p = f"layer{stage + 1}.{b}"
            stride = 2 if b == 0 and stage > 0 else 1
            y = conv_bn(g, p + ".conv1", p + ".bn1", x, width, 1, 1, 0, relu=p + ".relu1")
            y = conv_bn(g, p + ".conv2", p + ".bn2", y, width, 3, stride, 1, relu=p + ".relu2")
            y = conv_bn(g, p + ".conv3", p + ".bn3", y, out, 1, 1, 0)
            short = x
            if stride != 1 or channels != out:
                short = conv_bn(g, p + ".downsample", p + ".downsample.bn", x, out, 1, stride, 0)
            x = g.act(p + ".relu3", g.add(p + ".add", y, short))
            channels = out
    x = g.flatten("flatten", g.global_avg("avgpool", x))
    x = g.passthrough("Softmax", "prob", g.gemm("fc", x, 1000))
    assert g.macs == expected_macs, ("resnet50", g.macs)
    return g.model(x)


def mobilenet_v1():
    """MobileNet-v1 1.0-224 (Howard et al. 2017, Table 1): depthwise 3x3 + pointwise 1x1 pairs."""
    g = Graph("mobilenet_v1", 3, 224, 224)
    x = conv_bn(g, "conv0", "conv0.bn", "data", 32, 3, 2, 1, relu="conv0.relu")
    channels = 32
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + \
        [(1024, 2), (1024, 1)]
    for i, (k, stride) in enumerate(plan, start=1):
        p = f"block{i}"
        x = conv_bn(g, p + ".dw", p + ".dw.bn", x, channels, 3, stride, 1, groups=channels,
                    relu=p + ".dw.relu")
        x = conv_bn(g, p + ".pw", p + ".pw.bn", x, k, 1, 1, 0, relu=p + ".pw.relu")
        channels = k
    x = g.flatten("flatten", g.global_avg("avgpool", x))
    x = g.passthrough("Softmax", "prob", g.gemm("fc", x, 1000))
    # The paper's Table 2: 569 million mult-adds for 1.0 MobileNet-224.
    assert round(g.macs / 1e6) == 569, g.macs
    return g.model(x)


def mobilenet_v2():
    """MobileNet-v2 1.0-224 (Sandler et al. 2018, Table 2): inverted residuals, ReLU6 as Clip."""
    g = Graph("mobilenet_v2", 3, 224, 224)
    x = conv_bn(g, "conv0", "conv0.bn", "data", 32, 3, 2, 1, relu="conv0.relu6", op="Clip")
    channels = 32
    blocks = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
              (6, 160, 3, 2), (6, 320, 1, 1)]
    i = 0
    for t, c, n, s in blocks:
        for j in range(n):
            i += 1
            p = f"block{i}"
            stride = s if j == 0 else 1
            hidden = channels * t
            y = x
            if t != 1:
                y = conv_bn(g, p + ".expand", p + ".expand.bn", y, hidden, 1, 1, 0,
                            relu=p + ".expand.relu6", op="Clip")
            y = conv_bn(g, p + ".dw", p + ".dw.bn", y, hidden, 3, stride, 1, groups=hidden,
                        relu=p + ".dw.relu6", op="Clip")
            y = conv_bn(g, p + ".project", p + ".project.bn", y, c, 1, 1, 0)
            x = g.add(p + ".add", y, x) if stride == 1 and channels == c else y
            channels = c
    x = conv_bn(g, "conv_last", "conv_last.bn", x, 1280, 1, 1, 0, relu="conv_last.relu6",
                op="Clip")
    x = g.flatten("flatten", g.global_avg("avgpool", x))
    x = g.passthrough("Softmax", "prob", g.gemm("fc", x, 1000))
    # The paper's Table 3: 300 million multiply-adds for MobileNetV2 (1.0, 224).
    assert abs(g.macs / 1e6 - 300) < 1, g.macs
    return g.model(x)


# torchvision GoogLeNet's Inception modules: (name, in, 1x1, 3x3 reduce, 3x3, "5x5" reduce, "5x5",
# pool proj), torchvision/models/googlenet.py (Szegedy et al. 2015, Table 1's channel counts).
GOOGLENET_MODULES = [
    ("inception3a", 192, 64, 96, 128, 16, 32, 32),
    ("inception3b", 256, 128, 128, 192, 32, 96, 64),
    ("inception4a", 480, 192, 96, 208, 16, 48, 64),
    ("inception4b", 512, 160, 112, 224, 24, 64, 64),
    ("inception4c", 512, 128, 128, 256, 24, 64, 64),
    ("inception4d", 512, 112, 144, 288, 32, 64, 64),
    ("inception4e", 528, 256, 160, 320, 32, 128, 128),
    ("inception5a", 832, 256, 160, 320, 32, 128, 128),
    ("inception5b", 832, 384, 192, 384, 48, 128, 128),
]


def googlenet():
    """torchvision GoogLeNet (Inception-v1) without the aux classifiers, 224x224.

    As torchvision defines it, the branch it calls "5x5" runs a 3x3 conv (a known deviation from
    the paper that torchvision keeps for its weights); every conv is conv + BN + ReLU. The
    stride-2 max pools are ceil_mode=True with no padding, as in torchvision (112->56->28->14, no
    window dropped); 2x2/2 pool4 (14->7) is exact either way.
    """
    g = Graph("googlenet", 3, 224, 224)

    def basic(name, x, k, r, stride=1, pad=0):
        return conv_bn(g, name + ".conv", name + ".bn", x, k, r, stride, pad, relu=name + ".relu")

    x = basic("conv1", "data", 64, 7, 2, 3)
    x = g.pool("MaxPool", "maxpool1", x, 3, 2, ceil=True)
    x = basic("conv2", x, 64, 1)
    x = basic("conv3", x, 192, 3, 1, 1)
    x = g.pool("MaxPool", "maxpool2", x, 3, 2, ceil=True)
    for name, c, ch1, ch3r, ch3, ch5r, ch5, proj in GOOGLENET_MODULES:
        assert g.shape[x][0] == c, (name, g.shape[x])
        b1 = basic(name + ".branch1", x, ch1, 1)
        b2 = basic(name + ".branch2.1", basic(name + ".branch2.0", x, ch3r, 1), ch3, 3, 1, 1)
        b3 = basic(name + ".branch3.1", basic(name + ".branch3.0", x, ch5r, 1), ch5, 3, 1, 1)
        p = g.pool("MaxPool", name + ".branch4.0", x, 3, 1, 1, ceil=True)
        b4 = basic(name + ".branch4.1", p, proj, 1)
        x = g.concat(name + ".concat", [b1, b2, b3, b4])
        if name == "inception3b":
            x = g.pool("MaxPool", "maxpool3", x, 3, 2, ceil=True)
        elif name == "inception4e":
            x = g.pool("MaxPool", "maxpool4", x, 2, 2)
    assert g.shape[x] == (1024, 7, 7), g.shape[x]
    x = g.flatten("flatten", g.global_avg("avgpool", x))
    x = g.passthrough("Dropout", "dropout", x)
    x = g.passthrough("Softmax", "prob", g.gemm("fc", x, 1000))
    # torchvision's GoogLeNet weights metadata: 1.498 GFLOPS (multiply-adds) at 224x224.
    assert g.macs == 1_498_376_192, g.macs
    assert round(g.macs / 1e6) == 1498, g.macs
    return g.model(x)


def alexnet():
    """Caffe bvlc_alexnet; the two towers exported as group=2 convolutions."""
    g = Graph("alexnet", 3, 227, 227)
    x = g.act("relu1", g.conv("conv1", "data", 96, 11, 4, 0, bias=True))
    x = g.pool("MaxPool", "pool1", g.lrn("norm1", x), 3, 2)
    x = g.act("relu2", g.conv("conv2", x, 256, 5, 1, 2, groups=2, bias=True))
    x = g.pool("MaxPool", "pool2", g.lrn("norm2", x), 3, 2)
    x = g.act("relu3", g.conv("conv3", x, 384, 3, 1, 1, bias=True))
    x = g.act("relu4", g.conv("conv4", x, 384, 3, 1, 1, groups=2, bias=True))
    x = g.act("relu5", g.conv("conv5", x, 256, 3, 1, 1, groups=2, bias=True))
    x = g.flatten("flatten", g.pool("MaxPool", "pool5", x, 3, 2))
    x = g.passthrough("Dropout", "drop6", g.act("relu6", g.gemm("fc6", x, 4096)))
    x = g.passthrough("Dropout", "drop7", g.act("relu7", g.gemm("fc7", x, 4096)))
    x = g.passthrough("Softmax", "prob", g.gemm("fc8", x, 1000))
    assert g.per_layer["conv1"] == 105_415_200
    assert g.macs == 724_406_816, g.macs
    return g.model(x)


def small_net(name="small"):
    """conv -> relu -> conv: the base the error fixtures break one way each."""
    g = Graph(name, 3, 16, 16)
    x = g.act("relu1", g.conv("conv1", "data", 8, 3, 1, 1, bias=True))
    x = g.conv("conv2", x, 4, 3, 2, 1, bias=True)
    return g, x


def error_fixtures():
    out = {}
    g, x = small_net("unsupported_op")
    x = g.passthrough("Sigmoid", "act2", x)  # a real ONNX op lpdla has no layer for
    out["unsupported_op"] = g.model(x).SerializeToString()

    g, x = small_net("dangling_input")
    g.nodes[2].input[0] = "ghost"  # conv2 reads a tensor nothing produces
    m = helper.make_model(helper.make_graph(g.nodes, g.name, g.inputs, [
        helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 4, 8, 8])]),
        opset_imports=[helper.make_opsetid("", OPSET)])
    out["dangling_input"] = m.SerializeToString()

    g, x = small_net("shape_mismatch")
    # The file declares conv1's output as 15x15 where 3x3 pad 1 stride 1 keeps 16x16.
    g.value_info.append(helper.make_tensor_value_info("conv1", TensorProto.FLOAT, [1, 8, 15, 15]))
    m = helper.make_model(helper.make_graph(g.nodes, g.name, g.inputs, [
        helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 4, 8, 8])],
        value_info=g.value_info), opset_imports=[helper.make_opsetid("", OPSET)])
    out["shape_mismatch"] = m.SerializeToString()

    g, x = small_net("concat_axis")
    y = g.conv("conv3", "relu1", 4, 3, 2, 1)  # 4x8x8 beside conv2's 4x8x8
    g.nodes.append(helper.make_node("Concat", [x, y], ["cat"], name="cat", axis=2))
    g.shape["cat"] = (4, 16, 8)  # rows joined: along H, which lpdla's concat does not do
    out["concat_axis"] = g.model("cat").SerializeToString()

    g, x = small_net("concat_shapes")
    # conv2 is 4x8x8, relu1 8x16x16: channels can join only at one height and width.
    g.nodes.append(helper.make_node("Concat", [x, "relu1"], ["cat"], name="cat", axis=1))
    m = helper.make_model(helper.make_graph(g.nodes, g.name, g.inputs, [
        helper.make_tensor_value_info("cat", TensorProto.FLOAT, [1, 12, 8, 8])]),
        opset_imports=[helper.make_opsetid("", OPSET)])
    out["concat_shapes"] = m.SerializeToString()

    g, x = small_net("corrupt")
    good = g.model(x).SerializeToString()
    bad = good[: len(good) // 2]  # cut inside a nested message: the length prefix overruns
    try:
        onnx.load_from_string(bad)
        raise AssertionError("the truncated model still parses; cut elsewhere")
    except AssertionError:
        raise
    except Exception:
        pass
    out["corrupt"] = bad
    out["small"] = good
    return out


GEN = ("shape-only ONNX built by tools/gen_onnx_networks.py from the architecture definition "
       "and imported with `lpdla import`; BN folded into the conv (bias), ReLU6 as relu")
# name -> (display name, source) of the networks/<name>.json written from the imported models.
SHIPPED = {
    "resnet18": ("ResNet-18 (torchvision, BN folded)",
                 "torchvision ResNet-18 (He et al. 2016: basic blocks [2,2,2,2], 1x1 stride-2 "
                 "projection shortcuts), 224x224x3; 1,814,073,344 MACs (issue 10), asserted by "
                 "the generator's own count; " + GEN),
    "resnet50": ("ResNet-50 (torchvision v1.5, BN folded)",
                 "torchvision ResNet-50 (He et al. 2016 bottlenecks [3,4,6,3]; v1.5: stride on "
                 "the 3x3 conv), 224x224x3; 4,089,184,256 MACs by the generator's own count "
                 "(torchvision's model table: 4.09 GFLOPS as multiply-adds); " + GEN),
    "mobilenet_v1": ("MobileNet-v1 1.0-224 (BN folded)",
                     "Howard et al. 2017 (arXiv 1704.04861) Table 1, width 1.0, 224x224x3; "
                     "Table 2: 569 million mult-adds (the generator's count rounds to it); "
                     "padding symmetric as in PyTorch ports; " + GEN),
    "googlenet": ("GoogLeNet / Inception-v1 (torchvision, no aux classifiers, BN folded)",
                  "torchvision GoogLeNet (torchvision/models/googlenet.py; Szegedy et al. 2015, "
                  "arXiv 1409.4842, Table 1 channel counts) without the aux classifiers, "
                  "224x224x3; as torchvision, the branch it calls 5x5 runs a 3x3 conv and the "
                  "stride-2 max pools are ceil-mode without padding; 1,498,376,192 MACs by the generator's own count (torchvision's "
                  "weights metadata: 1.498 GFLOPS as multiply-adds, 6,624,904 parameters); concat "
                  "in the stream buffer; " + GEN),
    "mobilenet_v2": ("MobileNet-v2 1.0-224 (BN folded)",
                     "Sandler et al. 2018 (arXiv 1801.04381) Table 2, width 1.0, 224x224x3; "
                     "Table 3: 300 million multiply-adds (the generator's count, 300,774,272, "
                     "within 1 M); " + GEN),
}


def write_shipped(lpdla, name, display, source):
    path = os.path.join(ROOT, "networks", name + ".json")
    subprocess.run([lpdla, "import", os.path.join(MODELS, name + ".onnx"), "--out", path],
                   check=True)
    with open(path) as f:
        net = json.load(f)
    net["display_name"] = display
    net["source"] = source
    net["input"]["source"] = source
    net["accuracy"] = []
    net["notes"] = ("Generated: edit tools/gen_onnx_networks.py, not this file. No accuracy rows "
                    "recorded yet (FACTS.md has none for this network).")
    order = ["schema", "name", "display_name", "source", "input", "layers", "accuracy", "notes"]
    lines = []
    for key in order:
        if key == "layers":
            body = ",\n".join("    " + json.dumps(l, ensure_ascii=False) for l in net[key])
            lines.append(f'  "layers": [\n{body}\n  ]')
        else:
            lines.append(f'  "{key}": ' + json.dumps(net[key], ensure_ascii=False))
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lpdla", help="the lpdla binary, to write networks/<net>.json by import")
    args = ap.parse_args()
    os.makedirs(MODELS, exist_ok=True)
    os.makedirs(ERRORS, exist_ok=True)
    models = {
        "alexnet": alexnet(),
        "resnet34": resnet_basic("resnet34", [3, 4, 6, 3], 3_663_761_408),
        "resnet18": resnet_basic("resnet18", [2, 2, 2, 2], 1_814_073_344),
        "resnet50": resnet50(4_089_184_256),
        "mobilenet_v1": mobilenet_v1(),
        "mobilenet_v2": mobilenet_v2(),
        "googlenet": googlenet(),
    }
    for name, m in models.items():
        onnx.save(m, os.path.join(MODELS, name + ".onnx"))
    for name, data in error_fixtures().items():
        with open(os.path.join(ERRORS, name + ".onnx"), "wb") as f:
            f.write(data)
    for name, (display, source) in SHIPPED.items():
        if args.lpdla:
            write_shipped(args.lpdla, name, display, source)
    print(f"wrote {len(models)} models to {MODELS} and the error fixtures to {ERRORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
