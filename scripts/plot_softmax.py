#!/usr/bin/python3
"""Draws ns/element against N (log x axis) from a JSON spec; used by
scripts/compare.py and scripts/sweep.py. Needs matplotlib (Debian:
python3-matplotlib; run it with /usr/bin/python3).

usage: plot_softmax.py SPEC.json OUT.png

SPEC: {"title": str, "subtitle": str, "xlabel": str, "ylabel": str,
       "series": [{"label": str, "points": [[N, ns_per_element], ...],
                   "style": "solid" | "dashed" | "dotted", "color": str (optional),
                   "marker": str (optional), "width": float (optional)}],
       "vlines": [{"x": N, "label": str}]}   (optional: cache-size markers)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402


def count_label(x, _):
  for value, suffix in ((1 << 20, "Mi"), (1 << 10, "Ki")):
    if x >= value and x % value == 0:
      return "%d%s" % (x // value, suffix)
  for value, suffix in ((10**6, "M"), (10**3, "k")):
    if x >= value and x % value == 0:
      return "%d%s" % (x // value, suffix)
  return "%g" % x


def main():
  if len(sys.argv) != 3:
    sys.exit(__doc__)
  with open(sys.argv[1]) as f:
    spec = json.load(f)
  fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
  for series in spec["series"]:
    points = sorted(p for p in series["points"] if p[1] is not None)
    if not points:
      continue
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    style = {"solid": "-", "dashed": "--", "dotted": ":"}[series.get("style", "solid")]
    ax.plot(xs, ys, style, label=series["label"], color=series.get("color"),
            marker=series.get("marker", "o"), markersize=3.5,
            linewidth=series.get("width", 1.6))
  for vline in spec.get("vlines", []):
    ax.axvline(vline["x"], color="0.75", linewidth=0.8, zorder=0)
    ax.text(vline["x"], 0.01, " " + vline["label"], transform=ax.get_xaxis_transform(),
            fontsize=8, color="0.45", va="bottom", rotation=90)
  ax.set_xscale("log", base=2)
  ax.xaxis.set_major_formatter(FuncFormatter(count_label))
  ax.set_ylim(bottom=0)
  ax.set_xlabel(spec.get("xlabel", "N (elements)"))
  ax.set_ylabel(spec.get("ylabel", "ns per element (lower is better)"))
  title = spec.get("title", "")
  if spec.get("subtitle"):
    title += "\n" + spec["subtitle"]
  ax.set_title(title, fontsize=10)
  ax.grid(True, which="major", color="0.9")
  ax.legend(fontsize=8, loc="best")
  fig.tight_layout()
  fig.savefig(sys.argv[2])


if __name__ == "__main__":
  main()
