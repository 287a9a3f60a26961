"""lpdla: performance, resource and accuracy model of low-precision CNN accelerators on Intel
FPGAs, from Python.

    import lpdla
    r = lpdla.estimate(device="stratix10_gx2800", network="resnet34", act_bits=2,
                       weights="ternary", k_vec=64, c_vec=32, q_vec=4)
    r["totals"]["images_per_s"]

Results are dicts with the keys of the CLI's JSON reports (docs/FORMATS.md); errors raise
lpdla.Error with the CLI's message. See docs/LIBRARY.md.
"""
from ._lpdla import (  # noqa: F401
    Device,
    Error,
    Network,
    __version__,
    data_dir,
    devices,
    estimate,
    load_device,
    load_network,
    networks,
    sweep,
)

__all__ = ["Device", "Error", "Network", "data_dir", "devices", "estimate", "load_device",
           "load_network", "networks", "sweep"]
