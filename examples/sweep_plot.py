#!/usr/bin/env python3
"""A sweep from Python: the Pareto front of a 2-bit/ternary and an 8-bit/int8 AlexNet on an
Arria 10 GX 1150, printed, and plotted (area cost vs images/s) when matplotlib is installed.

    PYTHONPATH=<prefix>/lib/python3/dist-packages python3 examples/sweep_plot.py [out.png]
"""
import sys

import lpdla

result = lpdla.sweep(
    {
        "name": "python-example",
        "devices": ["arria10_gx1150"],
        "networks": ["alexnet"],
        "widths": [1],
        "k_vec": "16:128:16",
        "c_vec": [8, 16, 32],
        "q_vec": [2, 4, 7],
        "lanes": [1, 2, 4],
        "precisions": ["2/ternary", "8/int8"],
    },
    threads=2,
)
group = result["results"][0]
front = sorted(group["pareto"], key=lambda p: p["cost"])
print(f"lpdla {result['lpdla_version']}: {result['counts']['configs']} configurations, "
      f"{group['points_feasible']} feasible points, {len(front)} on the Pareto front")
print(f"{'precision':>10} {'k':>4} {'c':>3} {'q':>2} {'l':>2} {'images/s':>9} {'cost':>6}")
for p in front:
    c = p["config"]
    print(f"{p['precision']:>10} {c['k_vec']:4d} {c['c_vec']:3d} {c['q_vec']:2d} "
          f"{c['lanes']:2d} {p['images_per_s']:9.1f} {100 * p['cost']:5.1f}%")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: skipped the plot")
    sys.exit(0)

out = sys.argv[1] if len(sys.argv) > 1 else "sweep_front.png"
fig, ax = plt.subplots()
for precision in sorted({p["precision"] for p in front}):
    pts = [p for p in front if p["precision"] == precision]
    ax.plot([100 * p["cost"] for p in pts], [p["images_per_s"] for p in pts], "o-",
            label=precision)
ax.set_xlabel("area cost (% of the device)")
ax.set_ylabel("images/s")
ax.set_title("AlexNet on Arria 10 GX 1150: Pareto front")
ax.legend()
fig.savefig(out)
print(f"plot written to {out}")
