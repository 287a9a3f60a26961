#!/usr/bin/env python3
"""Generate networks/alexnet.json and networks/resnet34.json (schema lpdla.network/1).

Python 3, standard library only. Besides writing the files, this script walks each
generated layer graph independently (shape inference + MAC and weight counting) and
asserts the totals against FACTS.md section 3:

  AlexNet (Caffe bvlc_alexnet, groups=2 in conv2/4/5): 724,406,816 MACs
      (conv 665,784,864 + FC 58,621,952), 60,954,656 weights + 10,568 biases
  ResNet-34 (torchvision): 3,663,761,408 MACs, 21,779,648 weights

MAC convention (1 MAC = 2 ops): conv OH*OW*K*(C/groups)*R*S; fc K*C.
Pooling/conv output size: floor((H + 2p - k) / s) + 1.

Usage: python3 tools/gen_networks.py [--check]   (--check: verify only, write nothing)
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "networks")

# ---------------------------------------------------------------------------
# Network definitions
# ---------------------------------------------------------------------------

ALEXNET_SRC = ("FACTS.md §3: AlexNet, Caffe bvlc_alexnet (original two-tower net as group=2 "
               "in conv2/4/5), 227x227x3; layer list and 724,406,816 MACs from there")


def conv(name, inp, k, r, s=None, stride=1, pad=0, groups=1, bias=True, src=None, **extra):
    s = r if s is None else s
    d = {"name": name, "type": "conv", "input": inp, "out_channels": k,
         "kernel": [r, s], "stride": [stride, stride], "pad": [pad, pad],
         "groups": groups, "bias": bias}
    d.update(extra)
    if src:
        d["source"] = src
    return d


def relu(name, inp):
    return {"name": name, "type": "relu", "input": inp}


def pool(kind, name, inp, k, stride, pad, src):
    return {"name": name, "type": kind, "input": inp, "kernel": [k, k],
            "stride": [stride, stride], "pad": [pad, pad], "source": src}


def fc(name, inp, k, bias=True, src=None, widen=None):
    d = {"name": name, "type": "fc", "input": inp, "out_features": k, "bias": bias}
    if widen is not None:
        d["widen"] = widen
    if src:
        d["source"] = src
    return d


def alexnet():
    S = "FACTS.md §3: Caffe bvlc_alexnet layer list (MACs asserted by tools/gen_networks.py)"
    lrn_assumed = ("LRN local_size 5 as in the Caffe bvlc_alexnet prototxt (Krizhevsky et al. "
                   "2012); FACTS.md §3 only says 'LRN'. Carries no MACs in the model")
    L = [
        conv("conv1", "data", 96, 11, stride=4, pad=0, src=S),
        relu("relu1", "conv1"),
        {"name": "norm1", "type": "lrn", "input": "relu1", "size": 5, "assumed": lrn_assumed},
        pool("maxpool", "pool1", "norm1", 3, 2, 0, S),
        conv("conv2", "pool1", 256, 5, pad=2, groups=2, src=S),
        relu("relu2", "conv2"),
        {"name": "norm2", "type": "lrn", "input": "relu2", "size": 5, "assumed": lrn_assumed},
        pool("maxpool", "pool2", "norm2", 3, 2, 0, S),
        conv("conv3", "pool2", 384, 3, pad=1, src=S),
        relu("relu3", "conv3"),
        conv("conv4", "relu3", 384, 3, pad=1, groups=2, src=S),
        relu("relu4", "conv4"),
        conv("conv5", "relu4", 256, 3, pad=1, groups=2, src=S),
        relu("relu5", "conv5"),
        pool("maxpool", "pool5", "relu5", 3, 2, 0, S),
        fc("fc6", "pool5", 4096, src=S),
        relu("relu6", "fc6"),
        fc("fc7", "relu6", 4096, src=S),
        relu("relu7", "fc7"),
        fc("fc8", "relu7", 1000, src=S, widen=False),
    ]
    acc4 = "FACTS.md §4"
    own = "Caffe bvlc_alexnet"
    tp = "tensorpack AlexNet"
    own_base = {"variant": own, "fp32_top1": 0.571}
    # FACTS.md §4 lists these rows under AlexNet without naming a variant: read as measured on
    # this network, whose FP32 baseline they are compared with (an assumption, said so).
    listed = dict(own_base, assumed="FACTS.md §4 lists the row under AlexNet without naming a "
                  "variant: taken as measured on Caffe bvlc_alexnet, FP32 baseline 57.1 %")
    tp_base = {"variant": tp, "fp32_top1": 0.597}
    tp_src = acc4 + ": tensorpack DoReFa-Net README"
    accuracy = [
        dict({"weights": "fp32", "act_bits": 32, "width": 1, "top1": 0.571, "scheme": "FP32 (Caffe)",
              "source": acc4 + ": BVLC bvlc_alexnet readme"}, **own_base),
        dict({"weights": "ternary", "act_bits": 2, "width": 1, "top1": 0.49,
              "scheme": "Colangelo et al. on Arria 10",
              "source": acc4 + ": Colangelo et al., arXiv 1806.11547 abstract",
              "note": "the abstract does not state a width multiplier; width 1 is an assumption"},
             **listed),
        dict({"weights": "binary", "act_bits": 2, "width": 1, "top1": 0.557, "scheme": "LQ-Nets",
              "source": acc4 + ": microsoft/lq-nets README"}, **listed),
        dict({"weights": "int2", "act_bits": 2, "width": 1, "top1": 0.574, "scheme": "LQ-Nets",
              "source": acc4 + ": microsoft/lq-nets README",
              "note": "LQ-Nets 2-bit weights use learned (non-uniform) levels; recorded as int2"},
             **listed),
        {"weights": "fp32", "act_bits": 32, "width": 1, "top1": 0.597, "scheme": "FP32 (tensorpack)",
         **tp_base, "source": tp_src},
        {"weights": "ternary", "act_bits": 32, "width": 1, "top1": 0.580, "scheme": "TTQ",
         **tp_base, "source": tp_src + " (error 42.0 %)"},
        {"weights": "binary", "act_bits": 32, "width": 1, "top1": 0.557, "scheme": "BWN",
         **tp_base, "source": tp_src + " (error 44.3 %)"},
        {"weights": "binary", "act_bits": 1, "width": 1, "top1": 0.485, "scheme": "BNN",
         **tp_base, "source": tp_src + " (error 51.5 %)"},
        {"weights": "binary", "act_bits": 2, "width": 1, "top1": 0.534, "scheme": "DoReFa",
         **tp_base, "source": tp_src + " (error 46.6 %)"},
        {"weights": "int8", "act_bits": 8, "width": 1, "top1": 0.580, "scheme": "DoReFa",
         **tp_base, "source": tp_src + " (error 42.0 %)"},
    ]
    return {
        "schema": "lpdla.network/1",
        "name": "alexnet",
        "display_name": "AlexNet (Caffe bvlc_alexnet, two towers)",
        "variant": own,
        "source": ALEXNET_SRC + "; 60,954,656 weights + 10,568 biases",
        "input": {"name": "data", "channels": 3, "height": 227, "width": 227, "source": ALEXNET_SRC},
        "layers": L,
        "accuracy": accuracy,
        "notes": ("Dropout layers are omitted (identity at inference). Every row names the variant it "
                  "was measured on and that variant's FP32 top-1; rows of tensorpack's AlexNet "
                  "are not measurements of this exact network and are not used for "
                  "constraints unless asked (sweep --accept-accuracy-from-variants). WRPN width-multiplier tables were not available (FACTS.md §4): "
                  "rows for widths above 1 must come from users."),
    }


RESNET_SRC = ("FACTS.md §3: ResNet-34 (torchvision / He et al.), basic blocks [3,4,6,3], 1x1 "
              "projection shortcuts with stride 2 at stages 2-4, 224x224x3, 3,663,761,408 MACs")


def resnet34():
    S = RESNET_SRC
    stem_pool = ("torchvision resnet34 stem maxpool 3x3 stride 2 pad 1 (not spelled out in "
                 "FACTS.md); consistent with FACTS.md §3 per-layer MACs, which imply 56x56 "
                 "maps in stage 1 after a 112x112 conv1")
    bias_note = ("FACTS.md §3: torchvision ResNet-34 geometry (per-layer MACs asserted by "
                 "tools/gen_networks.py); bias=true is the folded BN shift")
    L = [
        conv("conv1", "data", 64, 7, stride=2, pad=3, src=bias_note),
        relu("relu1", "conv1"),
        {"name": "pool1", "type": "maxpool", "input": "relu1", "kernel": [3, 3],
         "stride": [2, 2], "pad": [1, 1], "assumed": stem_pool},
    ]
    prev = "pool1"
    in_ch = 64
    for stage, (blocks, ch) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512]), start=1):
        for b in range(blocks):
            p = f"layer{stage}.{b}"
            stride = 2 if (stage > 1 and b == 0) else 1
            L.append(conv(p + ".conv1", prev, ch, 3, stride=stride, pad=1, src=bias_note))
            L.append(relu(p + ".relu1", p + ".conv1"))
            L.append(conv(p + ".conv2", p + ".relu1", ch, 3, stride=1, pad=1, src=bias_note))
            shortcut = prev
            if stride != 1 or in_ch != ch:
                L.append(conv(p + ".downsample", prev, ch, 1, stride=stride, pad=0, src=bias_note))
                shortcut = p + ".downsample"
            L.append({"name": p + ".add", "type": "add", "inputs": [p + ".conv2", shortcut]})
            L.append(relu(p + ".relu2", p + ".add"))
            prev = p + ".relu2"
            in_ch = ch
    L.append({"name": "avgpool", "type": "avgpool", "input": prev, "global": True})
    L.append(fc("fc", "avgpool", 1000, src=S, widen=False))
    acc4 = "FACTS.md §4"
    own = "torchvision ResNet-34"
    own_base = {"variant": own, "fp32_top1": 0.73314}
    listed = dict(own_base, assumed="FACTS.md §4 lists the row under ResNet-34 without naming a "
                  "variant: taken as measured on torchvision ResNet-34, FP32 baseline 73.3 %")
    accuracy = [
        dict({"weights": "fp32", "act_bits": 32, "width": 1, "top1": 0.73314,
              "scheme": "FP32 (torchvision)",
              "source": acc4 + ": pytorch.org torchvision model zoo"}, **own_base),
        dict({"weights": "binary", "act_bits": 2, "width": 1, "top1": 0.666, "scheme": "LQ-Nets",
              "source": acc4 + ": microsoft/lq-nets README"}, **listed),
        dict({"weights": "int2", "act_bits": 2, "width": 1, "top1": 0.698, "scheme": "LQ-Nets",
              "source": acc4 + ": microsoft/lq-nets README",
              "note": "LQ-Nets 2-bit weights use learned (non-uniform) levels; recorded as int2"},
             **listed),
    ]
    return {
        "schema": "lpdla.network/1",
        "name": "resnet34",
        "display_name": "ResNet-34 (torchvision, BN folded)",
        "variant": "torchvision ResNet-34",
        "source": RESNET_SRC + "; 21,779,648 weights",
        "input": {"name": "data", "channels": 3, "height": 224, "width": 224, "source": RESNET_SRC},
        "layers": L,
        "accuracy": accuracy,
        "notes": ("Not representable as rows (FACTS.md §4): LQ-Nets 3-bit weights / 3-bit "
                  "activations, top-1 71.9 % (3 is not a supported precision); Colangelo et al. "
                  "(arXiv 1806.11547) 'modified' widened low-precision ResNet-34 at FP32 - 3.7 "
                  "points (derived 69.6 %), precision and width not stated in the abstract. "
                  "WRPN width tables were not available: rows for widths above 1 must come "
                  "from users. Batch-norm is folded into the preceding conv (bias=true)."),
    }


VGG16_SRC = ("FACTS.md §6: VGG-16 (torchvision definition, 224x224): 15,470,264,320 MACs "
             "(FC 123,633,664), 138,357,544 parameters; 13 3x3/1 pad-1 convs in five stages "
             "of 64, 128, 256, 512, 512 channels, 2x2/2 max-pools, fc 4096-4096-1000")


def vgg16():
    S = VGG16_SRC
    L = []
    prev, n = "data", 0
    for stage, (convs, ch) in enumerate(zip([2, 2, 3, 3, 3], [64, 128, 256, 512, 512]), start=1):
        for c in range(1, convs + 1):
            name = f"conv{stage}_{c}"
            L.append(conv(name, prev, ch, 3, stride=1, pad=1, src=S))
            L.append(relu("relu" + name[4:], name))
            prev = "relu" + name[4:]
        L.append(pool("maxpool", f"pool{stage}", prev, 2, 2, 0, S))
        prev = f"pool{stage}"
    L.append(fc("fc6", prev, 4096, src=S))
    L.append(relu("relu6", "fc6"))
    L.append(fc("fc7", "relu6", 4096, src=S))
    L.append(relu("relu7", "fc7"))
    L.append(fc("fc8", "relu7", 1000, src=S, widen=False))
    return {
        "schema": "lpdla.network/1",
        "name": "vgg16",
        "display_name": "VGG-16 (torchvision)",
        "variant": "torchvision VGG-16",
        "source": S,
        "input": {"name": "data", "channels": 3, "height": 224, "width": 224, "source": S},
        "layers": L,
        "accuracy": [
            {"weights": "fp32", "act_bits": 32, "width": 1, "top1": 0.71592,
             "scheme": "FP32 (torchvision)", "source": "FACTS.md §6: torchvision VGG-16 FP32",
             "variant": "torchvision VGG-16", "fp32_top1": 0.71592},
        ],
        "notes": ("torchvision's adaptive average pool before fc6 is the identity at 224x224 "
                  "(7x7 in, 7x7 out) and is omitted; dropout is inference-time identity."),
    }


def check_vgg16(a):
    sh = a["shapes"]
    assert sh["pool5"] == (512, 7, 7), sh["pool5"]
    assert a["fc_macs"] == 123_633_664, a["fc_macs"]
    assert a["macs"] == 15_470_264_320, a["macs"]
    # 138,357,544 parameters = weights + biases (FACTS.md §6)
    assert a["weights"] + a["biases"] == 138_357_544, a["weights"] + a["biases"]


# ---------------------------------------------------------------------------
# Independent checker: shape inference + MAC / weight counts from the JSON dicts
# ---------------------------------------------------------------------------

def out_dim(h, k, s, p):
    return (h + 2 * p - k) // s + 1


def analyse(net):
    inp = net["input"]
    shapes = {inp["name"]: (inp["channels"], inp["height"], inp["width"])}
    names = set(shapes)
    conv_macs = fc_macs = weights = biases = 0
    per_layer = {}
    for L in net["layers"]:
        n, t = L["name"], L["type"]
        assert n not in names, f"duplicate layer name {n}"
        names.add(n)
        if t == "add":
            a, b = (shapes[x] for x in L["inputs"])
            assert a == b, f"{n}: add shape mismatch {a} vs {b}"
            shapes[n] = a
            continue
        c, h, w = shapes[L["input"]]
        if t == "conv":
            k, (r, s), (sh, sw), (ph, pw), g = (L["out_channels"], L["kernel"], L["stride"],
                                                 L["pad"], L["groups"])
            assert c % g == 0 and k % g == 0, f"{n}: groups do not divide channels"
            oh, ow = out_dim(h, r, sh, ph), out_dim(w, s, sw, pw)
            m = oh * ow * k * (c // g) * r * s
            conv_macs += m
            weights += k * (c // g) * r * s
            biases += k if L["bias"] else 0
            shapes[n] = (k, oh, ow)
        elif t == "fc":
            k = L["out_features"]
            m = k * c * h * w
            fc_macs += m
            weights += m
            biases += k if L["bias"] else 0
            shapes[n] = (k, 1, 1)
        elif t in ("maxpool", "avgpool"):
            if L.get("global"):
                shapes[n] = (c, 1, 1)
            else:
                (r, s), (sh, sw), (ph, pw) = L["kernel"], L["stride"], L["pad"]
                shapes[n] = (c, out_dim(h, r, sh, ph), out_dim(w, s, sw, pw))
            m = 0
        elif t in ("relu", "lrn"):
            shapes[n] = (c, h, w)
            m = 0
        else:
            raise AssertionError(f"{n}: unknown type {t}")
        per_layer[n] = m
    return {"conv_macs": conv_macs, "fc_macs": fc_macs, "macs": conv_macs + fc_macs,
            "weights": weights, "biases": biases, "shapes": shapes, "per_layer": per_layer}


def check_alexnet(a):
    sh = a["shapes"]
    assert sh["conv1"] == (96, 55, 55) and sh["pool1"] == (96, 27, 27), sh["pool1"]
    assert sh["pool2"] == (256, 13, 13) and sh["pool5"] == (256, 6, 6)
    assert a["conv_macs"] == 665_784_864, a["conv_macs"]
    assert a["fc_macs"] == 58_621_952, a["fc_macs"]
    assert a["macs"] == 724_406_816, a["macs"]
    assert a["weights"] == 60_954_656, a["weights"]
    assert a["biases"] == 10_568, a["biases"]


def check_resnet34(a):
    sh, pl = a["shapes"], a["per_layer"]
    assert sh["conv1"] == (64, 112, 112) and sh["pool1"] == (64, 56, 56)
    assert sh["layer4.2.relu2"] == (512, 7, 7) and sh["avgpool"] == (512, 1, 1)
    assert pl["conv1"] == 118_013_952
    assert pl["fc"] == 512_000
    for n, m in pl.items():
        if n.endswith(".downsample"):
            assert m == 6_422_528, (n, m)
        elif n.endswith((".conv1", ".conv2")) and n.startswith("layer"):
            stride2 = n.endswith(".0.conv1") and not n.startswith("layer1")
            assert m == (57_802_752 if stride2 else 115_605_504), (n, m)
    assert a["macs"] == 3_663_761_408, a["macs"]
    assert a["weights"] == 21_779_648, a["weights"]


# ---------------------------------------------------------------------------
# Output: readable JSON, one layer / accuracy row per line
# ---------------------------------------------------------------------------

def dump(net):
    def one(x):
        return json.dumps(x, ensure_ascii=False)
    parts = []
    for key, val in net.items():
        if key in ("layers", "accuracy"):
            rows = ",\n".join("    " + one(r) for r in val)
            parts.append(f'  "{key}": [\n{rows}\n  ]')
        else:
            parts.append(f"  {one(key)}: {one(val)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    assert json.loads(text) == net
    return text


def main():
    check_only = "--check" in sys.argv[1:]
    for build, check in ((alexnet, check_alexnet), (resnet34, check_resnet34),
                         (vgg16, check_vgg16)):
        net = build()
        a = analyse(net)
        check(a)
        # the emitted text must analyse identically
        text = dump(net)
        assert analyse(json.loads(text))["macs"] == a["macs"]
        print(f"{net['name']}: {a['macs']:,} MACs (conv {a['conv_macs']:,} + fc {a['fc_macs']:,}), "
              f"{a['weights']:,} weights + {a['biases']:,} biases, {len(net['layers'])} layers")
        if not check_only:
            os.makedirs(OUT_DIR, exist_ok=True)
            with open(os.path.join(OUT_DIR, net["name"] + ".json"), "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()
