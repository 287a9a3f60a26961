"""The Python module against the C++ library it wraps. Run with PYTHONPATH pointing at the
package (the build tree's python/ or an installed prefix's lib/python3/dist-packages)."""
import json
import os
import subprocess

import pytest

import lpdla

# A sweep small enough to run in a test: 2 k_vec values x 1 x 1 x 1, one precision, one width.
SMALL_SPEC = {
    "name": "pytest",
    "devices": ["arria10_gx1150"],
    "networks": ["alexnet"],
    "widths": [1],
    "k_vec": [16, 32],
    "c_vec": [8],
    "q_vec": [4],
    "lanes": [1],
    "precisions": ["2/ternary"],
    "mac_impl": ["alm"],
}


def test_version_is_the_projects_and_is_in_every_report():
    major, minor, patch = (int(x) for x in lpdla.__version__.split("."))
    assert (major, minor) >= (0, 1)
    r = lpdla.estimate("arria10_gx1150", "alexnet", k_vec=16, c_vec=8)
    assert r["lpdla_version"] == lpdla.__version__
    assert lpdla.sweep(SMALL_SPEC)["lpdla_version"] == lpdla.__version__


def test_shipped_names_and_paths_load_the_same_file():
    assert "arria10_gx1150" in lpdla.devices()
    assert "alexnet" in lpdla.networks()
    by_name = lpdla.load_device("arria10_gx1150")
    by_path = lpdla.load_device(os.path.join(lpdla.data_dir(), "devices", "arria10_gx1150.json"))
    assert by_name.name == by_path.name == "arria10_gx1150"
    assert by_name.available == by_path.available
    # The Arria 10 GX 1150 has 1518 DSP blocks and 2713 M20Ks (Intel's device overview).
    assert by_name.available["dsp"] == 1518
    assert by_name.available["m20k"] == 2713


def test_network_macs_match_a_hand_count():
    net = lpdla.load_network("alexnet")
    assert net.input == (3, 227, 227)
    assert net.layers[0] == "conv1"
    r = lpdla.estimate("arria10_gx1150", net, act_bits=2, weights="ternary", k_vec=16, c_vec=8)
    conv1 = r["layers"][0]
    # conv1: 96 filters of 11x11x3 at stride 4 over 227x227 -> 55x55 outputs.
    assert conv1["name"] == "conv1"
    assert conv1["macs"] == 55 * 55 * 96 * 11 * 11 * 3
    wide = lpdla.load_network("alexnet", width=2)
    assert wide.width == 2
    assert wide.macs > net.macs


def test_estimate_keywords_are_configuration_fields():
    r = lpdla.estimate(device="stratix10_gx2800", network="resnet34", act_bits=2,
                       weights="ternary", k_vec=64, c_vec=32, q_vec=4, fc_batch=8)
    cfg = r["inputs"]["config"]
    assert (cfg["k_vec"], cfg["c_vec"], cfg["q_vec"], cfg["fc_batch"]) == (64, 32, 4, 8)
    assert r["precision"]["label"] == "2/ternary"
    assert r["totals"]["images_per_s"] > 0
    # The same estimate with the width as a keyword sees a network twice as wide.
    w2 = lpdla.estimate("stratix10_gx2800", "resnet34", act_bits=2, weights="ternary", k_vec=64,
                        c_vec=32, q_vec=4, width=2)
    assert w2["network"]["width"] == 2
    assert w2["network"]["macs"] > r["network"]["macs"]


def test_bad_keywords_raise_the_config_parsers_errors():
    with pytest.raises(lpdla.Error) as e:
        lpdla.estimate("arria10_gx1150", "alexnet", k_vect=16)
    # The library's strict parser (issue 13): the key, and the valid one it was probably meant as.
    assert "/k_vect: unknown key (did you mean 'k_vec'?)" in str(e.value)
    assert e.value.kind == 2
    with pytest.raises(lpdla.Error) as e:
        lpdla.estimate("arria10_gx1150", "alexnet", weights="int3")
    assert "unknown weight kind 'int3'" in str(e.value)
    with pytest.raises(lpdla.Error) as e:
        lpdla.estimate("no_such_part", "alexnet")
    assert "unknown device 'no_such_part'" in str(e.value)
    assert "arria10_gx1150" in str(e.value)
    with pytest.raises(TypeError):
        lpdla.estimate("arria10_gx1150", "alexnet", k_vec=object())


def test_sweep_points_reproduce_with_estimate():
    r = lpdla.sweep(SMALL_SPEC, threads=1)
    assert r["schema"] == "lpdla.sweep-result/1"
    assert r["counts"]["configs"] == 2
    best = r["results"][0]["best"]["images_per_s"]
    assert best is not None
    # A point's config is a lpdla.config/1 object: fed back to estimate, it gives the same figure.
    cfg = {k: v for k, v in best["config"].items() if k not in ("schema", "device", "network")}
    again = lpdla.estimate(best["config"]["device"], best["config"]["network"], **cfg)
    assert again["totals"]["images_per_s"] == pytest.approx(best["images_per_s"], rel=1e-12)


def test_sweep_keywords_replace_spec_fields(tmp_path):
    half = lpdla.sweep(SMALL_SPEC, k_vec=[16])
    assert half["counts"]["configs"] == 1
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(dict(SMALL_SPEC, schema="lpdla.sweep/1")))
    from_file = lpdla.sweep(str(spec_file))
    assert from_file["counts"] == lpdla.sweep(SMALL_SPEC)["counts"]
    with pytest.raises(lpdla.Error) as e:
        lpdla.sweep(SMALL_SPEC, k_vecs=[16])
    assert "k_vecs" in str(e.value)


def test_data_is_found_in_the_installed_prefix_without_an_environment_variable():
    prefix = os.environ.get("LPDLA_TEST_PREFIX")
    if not prefix:
        pytest.skip("LPDLA_TEST_PREFIX not set (only the install check sets it)")
    assert "LPDLA_DATA_DIR" not in os.environ
    assert os.path.realpath(lpdla.data_dir()).startswith(os.path.realpath(prefix))


def test_the_cli_reports_the_same_numbers():
    cli = os.environ.get("LPDLA_CLI")
    if not cli:
        pytest.skip("LPDLA_CLI not set")
    out = subprocess.run([cli, "estimate", "--device", "arria10_gx1150", "--network", "alexnet",
                          "--act-bits", "4", "--weights", "int4", "--k-vec", "32", "--c-vec", "16",
                          "--json"], check=True, capture_output=True, text=True).stdout
    via_cli = json.loads(out)
    via_py = lpdla.estimate("arria10_gx1150", "alexnet", act_bits=4, weights="int4", k_vec=32,
                            c_vec=16)
    assert via_py.keys() == via_cli.keys()
    assert via_py["totals"] == via_cli["totals"]
    assert via_py["resources"]["total"] == via_cli["resources"]["total"]
