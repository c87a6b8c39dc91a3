#!/usr/bin/env python3
"""The goals of issue 16, evaluated on one run of scripts/compare.sh.

Pure functions (standard library only): scripts/compare_peers.py calls
measurements_from_runs() and evaluate() with its results, the C part's JSON
(scripts/compare.py) and the accuracy it measured in the same process, and
prints table_rows(). Run alone, it evaluates saved JSON again:

  scripts/goals.py [--peers-json build/compare/softmax-peers.json]
                   [--c-json build/compare/softmax-compare.json] [--markdown]

A goal over several shapes (or N) is "met" only when every one of them was
measured and meets it; "NOT met" as soon as one measured shape misses it;
"incomplete" when all those measured meet it but some were not measured
(--quick measures fewer shapes); "not measured" when none was.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_common as cc  # noqa: E402

MI = 1 << 20
IN_CACHE = ["1x4096", "1x16384", "1x65536", "1x262144", "1x%d" % MI,
            "256x4096", "1024x1000", "8x128256"]
L2_TO_LLC = ["1x%d" % (4 * MI), "64x262144"]
OUT_OF_CACHE = ["1x%d" % (16 * MI), "1x%d" % (64 * MI)]
BATCHES = ["1024x1000", "256x4096", "32x32000", "8x128256", "8x256000", "64x262144"]
ONE_BIG_ROW = ["1x%d" % (16 * MI)]
# Every shape of compare_peers.py's full run, for the log-softmax and beta goals.
ALL_SHAPES = ["1x%d" % n for n in (1000, 4096, 16384, 65536, 262144, MI, 4 * MI, 16 * MI,
                                   64 * MI)] + BATCHES
# N of the accuracy check (compare_peers.py) and of the C part's sizes (compare.py).
ACCURACY_N = [1000, 10000, 100000, 1000000, 4 * MI, 16 * MI, 64 * MI]
ACCURACY_N_QUICK = [1000, 100000, 16 * MI]
SWEEP_N = [1000, 4096, 16384, 65536, 262144, MI, 4 * MI, 16 * MI, 64 * MI]


def key(shape):
  """(rows, cols) or "RxC" -> "RxC" with plain numbers."""
  if isinstance(shape, str):
    return shape
  return "%dx%d" % tuple(shape)


def label(shape):
  rows, cols = (int(v) for v in shape.split("x"))
  return "%dx%s" % (rows, cc.short_count(cols))


def measurements_from_runs(peers_results, c_results=None, accuracy=None):
  """The inputs of evaluate() from the two parts' JSON.

  peers_results: compare_peers.py's entries (shape, threads, op, ns_per_element);
  c_results: compare.py's "results" (single_row_ns_per_element); accuracy:
  {N: max relative error}. Returns {"ns": {(op, threads, "RxC"): {peer: ns}},
  "forced": {N: {"default", "two_pass", "three_pass"}}, "accuracy": {N: err}}."""
  ns = {}
  for e in peers_results:
    ns[(e["op"], e["threads"], key(e["shape"]))] = e["ns_per_element"]
  forced = {}
  for n, t in ((c_results or {}).get("single_row_ns_per_element") or {}).items():
    forced[int(n)] = {"default": t.get("twopass"), "two_pass": t.get("twopass_2p"),
                      "three_pass": t.get("twopass_3p")}
  return {"ns": ns, "forced": forced,
          "accuracy": {int(n): e for n, e in (accuracy or {}).items()}}


def judge(values, required, threshold, higher):
  """values: {item: value or None}; status of "every required item meets threshold"."""
  measured = {k: v for k, v in values.items() if k in required and v is not None}
  if not measured:
    return "not measured", None, measured
  meets = (lambda v: v >= threshold) if higher else (lambda v: v <= threshold)
  worst_item = (min if higher else max)(measured, key=lambda k: measured[k])
  if not all(meets(v) for v in measured.values()):
    status = "NOT met"
  elif len(measured) < len(required):
    status = "incomplete (%d of %d)" % (len(measured), len(required))
  else:
    status = "met"
  return status, worst_item, measured


def goal(name, target, values, required, threshold, higher=True, unit="x", show=label,
         geomean=False, noun="shape"):
  status, worst, measured = judge(values, required, threshold, higher)
  if worst is None:
    text = "-"
  else:
    text = "worst %s (%s)" % (fmt(measured[worst], unit), show(worst))
    if geomean:
      text += ", geomean %s" % fmt(cc.geomean(list(measured.values())), unit)
    text += ", %d %s%s" % (len(measured), noun, "" if len(measured) == 1 or noun == "N" else "s")
  return {"goal": name, "target": target, "measured": text, "status": status,
          "worst": None if worst is None else measured[worst]}


def fmt(value, unit):
  if unit == "x":
    return "%.2fx" % value
  if unit == "e":
    return "%.2g" % value
  return "%.3f" % value


def speedups(ns, peer, shapes, op="softmax", threads=1):
  """{shape: peer's time / twopass's time}."""
  out = {}
  for s in shapes:
    t = ns.get((op, threads, s), {})
    tp, other = t.get("twopass"), t.get(peer)
    out[s] = other / tp if tp and other else None
  return out


def time_ratios(ns, shapes, num, den, peer_num="twopass", peer_den="twopass"):
  """{shape: time of num / time of den}, num and den (op, threads) pairs."""
  out = {}
  for s in shapes:
    a = ns.get(num + (s,), {}).get(peer_num)
    b = ns.get(den + (s,), {}).get(peer_den)
    out[s] = a / b if a and b else None
  return out


def default_vs_forced(forced):
  """{N: default's time / the faster forced algorithm's}."""
  out = {}
  for n, t in forced.items():
    times = [t.get("two_pass"), t.get("three_pass")]
    if t.get("default") and all(times):
      out[n] = t["default"] / min(times)
  return out


def evaluate(m, quick=False):
  """The goal rows of issue 16 from measurements_from_runs()'s dict m."""
  ns = m["ns"]
  n_label = cc.short_count
  sm1 = ("softmax", 1)
  rows = [
      goal("in cache: twopass vs LiteRT (XNNPACK)", ">= 1.3x, every shape",
           speedups(ns, "litert", IN_CACHE), IN_CACHE, 1.3, geomean=True),
      goal("in cache: twopass vs ONNX Runtime", ">= 1.6x, every shape",
           speedups(ns, "ort", IN_CACHE), IN_CACHE, 1.6, geomean=True),
      goal("L2 to LLC: twopass vs LiteRT", ">= 1.25x, every shape",
           speedups(ns, "litert", L2_TO_LLC), L2_TO_LLC, 1.25, geomean=True),
      goal("out of cache: twopass time / floor time", "<= 1.10",
           time_ratios(ns, OUT_OF_CACHE, sm1, sm1, peer_den="floor"), OUT_OF_CACHE, 1.10,
           higher=False, unit="r"),
      goal("out of cache: twopass vs LiteRT", ">= 1.5x, every shape",
           speedups(ns, "litert", OUT_OF_CACHE), OUT_OF_CACHE, 1.5, geomean=True),
      goal("log-softmax time / softmax (beta 1) time", "<= 1.05, every shape",
           time_ratios(ns, ALL_SHAPES, ("log", 1), sm1), ALL_SHAPES, 1.05, higher=False,
           unit="r"),
      goal("softmax beta 0.5 time / beta 1 time", "<= 1.05, every shape",
           time_ratios(ns, ALL_SHAPES, ("beta0.5", 1), sm1), ALL_SHAPES, 1.05, higher=False,
           unit="r"),
      goal("2 threads, batches: 1-thread time / 2-thread time", ">= 1.8x, every batch",
           time_ratios(ns, BATCHES, sm1, ("softmax", 2)), BATCHES, 1.8),
      goal("2 threads, one 16Mi row: 1-thread time / 2-thread time", ">= 1.8x",
           time_ratios(ns, ONE_BIG_ROW, sm1, ("softmax", 2)), ONE_BIG_ROW, 1.8),
      goal("accuracy: max relative error per output", "<= 3e-6, every N",
           m["accuracy"], ACCURACY_N_QUICK if quick else ACCURACY_N, 3e-6, higher=False,
           unit="e", show=lambda n: "N=" + n_label(n), noun="N"),
      goal("default time / faster forced algorithm's", "<= 1.03, every N",
           default_vs_forced(m["forced"]), SWEEP_N, 1.03, higher=False, unit="r",
           show=lambda n: "N=" + n_label(n), noun="N"),
  ]
  return rows


def table_rows(rows, isa):
  return [[r["goal"], r["target"], r["measured"], r["status"], isa] for r in rows]


HEADERS = ["goal (issue 16)", "target", "measured", "status", "ISA"]


def print_table(rows, isa, markdown):
  print()
  print("Goals of issue 16 (softmax beta 1, 1 thread unless stated; ratios of times measured "
        "in this run, one process per part):")
  print(cc.table(HEADERS, table_rows(rows, isa), markdown))
  print("Sources: the Python part (twopass package, LiteRT, ORT, floor = read + the cheaper of "
        "a plain and an NT copy, interleaved in one process); accuracy: twopass's outputs on "
        "random rows, uniform in [-20, 20), against numpy float64 softmax with the max "
        "subtracted (not long double); default vs forced: the C part's columns (twopass, 2-pass, "
        "3-pass) of softmax-operator-bench. A goal is met only if every shape meets it.")


def main():
  p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  out = os.path.join(cc.ROOT, "build", "compare")
  p.add_argument("--peers-json", default=os.path.join(out, "softmax-peers.json"))
  p.add_argument("--c-json", default=os.path.join(out, "softmax-compare.json"))
  p.add_argument("--markdown", action="store_true")
  args = p.parse_args()
  with open(args.peers_json) as f:
    peers = json.load(f)
  c_results = None
  if os.path.exists(args.c_json):
    with open(args.c_json) as f:
      c_results = json.load(f).get("results")
  m = measurements_from_runs(peers["results"], c_results, peers.get("accuracy"))
  print_table(evaluate(m, quick=peers.get("quick", False)), peers.get("isa", "?"), args.markdown)


if __name__ == "__main__":
  main()
