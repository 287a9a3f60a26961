#!/usr/bin/env python3
"""same_result.py A.json B.json: exit 0 when two sweep results (lpdla.sweep-result/1) are the same
sweep outcome, 1 (naming the first difference) otherwise. Compared: every key except those that
describe how the result was produced rather than what it is (shards_merged, and any timing or host
field a later version may add). Numbers are compared as the text the tool wrote, so byte for byte.
"""
import json
import sys

PROVENANCE = {"shards_merged", "elapsed_s", "wall_s", "seconds", "host", "hostname", "started",
              "finished", "date", "threads"}
# Annotations `lpdla sweep` adds from its own inputs and its own shard's constraint pass (the
# accuracy rows shown beside top-1, what each constraint removed); `lpdla merge` writes the sweep
# outcome only (recounting the tally would be a second pass over the whole grid), so they are not
# part of what must match.
ANNOTATIONS = {"accuracy_rows", "constraint_tally"}


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f, parse_float=str, parse_int=str)
    if doc.get("schema") != "lpdla.sweep-result/1":
        sys.exit(f"same_result: {path} is not a sweep result")
    return {k: v for k, v in doc.items() if k not in PROVENANCE and k not in ANNOTATIONS}


def first_difference(a, b, where=""):
    if type(a) is not type(b):
        return where or "/"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}/{k}"
            d = first_difference(a[k], b[k], f"{where}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{where}/{i}")
            if d:
                return d
        return None if len(a) == len(b) else f"{where} (lengths {len(a)} and {len(b)})"
    return None if a == b else f"{where} ({a} vs {b})"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: same_result.py A.json B.json")
    a, b = load(sys.argv[1]), load(sys.argv[2])
    d = first_difference(a, b)
    if d:
        print(f"same_result: {sys.argv[1]} and {sys.argv[2]} differ at {d}", file=sys.stderr)
        return 1
    fronts = sum(len(g["pareto"]) for g in a["results"])
    print(f"same_result: identical ({len(a['results'])} groups, {fronts} Pareto points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
