#!/usr/bin/env python3
"""Compares twopass softmax with XNNPACK and oneDNN on this machine.

Runs build-dir/bench/softmax-operator-bench (usually through
scripts/compare.sh, which installs and builds first), prints the table
(N, twopass, XNNPACK, oneDNN, floor, speedups) and the 2-thread scaling, and
writes a plot
(ns/element against N). Progress goes to stderr. Standard library only; the
plot runs scripts/plot_softmax.py with a Python that has matplotlib.

The goals table of issue 16 is printed by the Python part
(scripts/compare_peers.py through scripts/goals.py), which reads this part's
JSON for the default-versus-forced goal (the twopass, 2-pass and 3-pass columns).

Each number is the fastest of --repetitions runs (interleaved in random
order), each run lasting at least --min-time seconds: on a shared or noisy
machine the fastest run is the least disturbed one.
"""
import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_common as cc  # noqa: E402

SINGLE_ROW_IMPLS = ["twopass", "twopass_2p", "twopass_3p", "xnnpack", "onednn", "floor"]
THREAD_IMPLS = ["twopass", "xnnpack", "floor"]
# "floor" in the tables: the faster of the benchmarks floor (read + plain copy)
# and floor_nt (read + non-temporal copy), see merge_floor.
RUN_NAMES = {"floor": "floor|floor_nt"}
DEFAULT_SIZES = [1000, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]
QUICK_SIZES = [4096, 65536, 1048576, 16777216, 67108864]
BATCHES = ["64x1000", "64x32000", "16x256000", "64x1048576"]
BIG = 67108864

LABELS = {
    "twopass": "twopass (default choice)",
    "twopass_2p": "twopass, forced two-pass",
    "twopass_3p": "twopass, forced three-pass",
    "xnnpack": "XNNPACK softmax (system)",
    "onednn": "oneDNN softmax",
    "floor": "bandwidth floor (read + cheaper copy)",
}
STYLES = {
    "twopass": dict(color="tab:red", width=2.4),
    "twopass_2p": dict(color="tab:orange", style="dotted"),
    "twopass_3p": dict(color="tab:purple", style="dotted"),
    "xnnpack": dict(color="tab:blue"),
    "onednn": dict(color="tab:green"),
    "floor": dict(color="black", style="dashed", marker="."),
}


def parse_args():
  p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  p.add_argument("--build-dir", default=os.path.join(cc.ROOT, "build"))
  p.add_argument("--sizes", help="comma-separated single-row N (default: 1000 .. 64Mi)")
  p.add_argument("--quick", action="store_true",
                 help="5 sizes, 1 repetition, no batches: about a minute")
  p.add_argument("--repetitions", type=int, default=3)
  p.add_argument("--min-time", type=float, default=0.05,
                 help="seconds per run of one benchmark (default 0.05)")
  p.add_argument("--no-threads", action="store_true", help="skip the 2-thread runs")
  p.add_argument("--out-dir", help="where to write the JSON and PNG (default: BUILD_DIR/compare)")
  p.add_argument("--plot", help="PNG path (default: OUT_DIR/softmax-compare.png)")
  p.add_argument("--no-plot", action="store_true",
                 help="no plot (scripts/compare.sh: scripts/compare_peers.py draws it)")
  p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
  p.add_argument("--timer", choices=["auto", "real", "cpu"], default="auto",
                 help="auto (default): the benchmark thread's CPU time for 1-thread runs "
                 "(robust on a shared machine), wall time for 2-thread runs; real: wall "
                 "time everywhere")
  return p.parse_args()


def ns_per_element(runs, impl, shape, threads=1, wall=False):
  """ns/element of one benchmark; wall=True: the fastest wall time whatever --timer says."""
  entry = runs.get("%s/%s/t%d" % (impl, shape, threads))
  if not entry or "ns" not in entry:
    return None
  rows, channels = (int(v) for v in shape.split("x"))
  return (entry["real_min_ns"] if wall else entry["ns"]) / (rows * channels)


def fmt(value, digits=3):
  return "-" if value is None else ("%.*f" % (digits, value))


def ratio(a, b):
  return None if a is None or b is None or a == 0 else b / a


table = cc.table


def main():
  args = parse_args()
  binary = cc.find_binary(args.build_dir, "softmax-operator-bench")
  if binary is None:
    sys.exit("softmax-operator-bench not found in %s: run scripts/compare.sh, or build with "
             "cmake --build %s --target softmax-operator-bench" % (args.build_dir, args.build_dir))
  if args.sizes:
    sizes = [cc.parse_count(s) for s in args.sizes.split(",")]
  else:
    sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
  repetitions = 1 if args.quick and args.repetitions == 3 else args.repetitions
  out_dir = args.out_dir or os.path.join(args.build_dir, "compare")
  os.makedirs(out_dir, exist_ok=True)
  png = args.plot or os.path.join(out_dir, "softmax-compare.png")

  run_names = lambda impls: "|".join(RUN_NAMES.get(i, i) for i in impls)  # noqa: E731
  patterns = ["^(%s)/1x[0-9]+/t1/" % run_names(SINGLE_ROW_IMPLS)]
  threads = "1" if args.no_threads else "1,2"
  if not args.no_threads:
    shapes = ["1x%d" % BIG] if BIG in sizes else []
    if not args.quick:
      shapes += ["16x256000", "64x1048576"]
    if shapes:
      patterns.append("^(%s)/(%s)/t[12]/" % (run_names(THREAD_IMPLS), "|".join(shapes)))
  bench_args = ["--sizes=" + ",".join(str(s) for s in sizes), "--threads=" + threads,
                "--benchmark_filter=" + "|".join("(%s)" % p for p in patterns)]
  cc.log("twopass comparison: %s" % " ".join([os.path.relpath(binary)] + bench_args))
  runs, context = cc.run_benchmark(binary, bench_args, repetitions=repetitions,
                                   min_time=args.min_time, label="softmax-operator-bench",
                                   timer=args.timer)
  merge_floor(runs)
  host = cc.host_description(context)
  errors = {name: e["error"] for name, e in runs.items() if "error" in e and "ns" not in e}

  # ---- Single rows, one thread ----------------------------------------------
  headers = ["N", "twopass", "algo", "2-pass", "3-pass", "XNNPACK", "oneDNN", "floor",
             "vs XNNPACK", "vs oneDNN", "floor/twopass"]
  rows = []
  series = {impl: [] for impl in SINGLE_ROW_IMPLS}
  results = {"host": host, "date": datetime.date.today().isoformat(), "sizes": sizes,
             "timer": args.timer, "repetitions": repetitions, "min_time": args.min_time,
             "single_row_ns_per_element": {}, "threads": {}, "errors": errors}
  for n in sizes:
    shape = "1x%d" % n
    t = {impl: ns_per_element(runs, impl, shape) for impl in SINGLE_ROW_IMPLS}
    results["single_row_ns_per_element"][n] = t
    for impl in SINGLE_ROW_IMPLS:
      if t[impl] is not None:
        series[impl].append([n, t[impl]])
    entry = runs.get("twopass/%s/t1" % shape, {})
    algo = {2: "2P", 3: "3P"}.get(int(entry.get("passes", 0)), "?")
    rows.append([cc.short_count(n), fmt(t["twopass"]), algo, fmt(t["twopass_2p"]),
                 fmt(t["twopass_3p"]), fmt(t["xnnpack"]), fmt(t["onednn"]), fmt(t["floor"]),
                 fmt(ratio(t["twopass"], t["xnnpack"]), 2) + "x",
                 fmt(ratio(t["twopass"], t["onednn"]), 2) + "x",
                 fmt(None if t["floor"] is None or not t["twopass"]
                     else 100.0 * t["floor"] / t["twopass"], 0) + "%"])
  print()
  print("Softmax, one row of N floats, 1 thread: ns per element (lower is better); fastest of %d "
        "run(s); %s" % (repetitions, {"auto": "thread CPU time", "cpu": "thread CPU time",
                                     "real": "wall time"}[args.timer]))
  print("Host: %s" % host)
  print(table(headers, rows, args.markdown))
  print("algo: what the default chose (2P two-pass, 3P three-pass); vs X: X's time / twopass's; "
        "floor: one read pass + the cheaper of a plain and a non-temporal copy pass.")

  # ---- Threads --------------------------------------------------------------
  thread_rows = []
  for shape in ["1x%d" % BIG, "16x256000", "64x1048576"]:
    t1 = {impl: ns_per_element(runs, impl, shape, 1, wall=True) for impl in THREAD_IMPLS}
    t2 = {impl: ns_per_element(runs, impl, shape, 2, wall=True) for impl in THREAD_IMPLS}
    if all(v is None for v in t2.values()):
      continue
    results["threads"][shape] = {"t1": t1, "t2": t2}
    thread_rows.append([shape, fmt(t1["twopass"]), fmt(t2["twopass"]),
                        fmt(ratio(t2["twopass"], t1["twopass"]), 2) + "x",
                        fmt(t1["xnnpack"]), fmt(t2["xnnpack"]),
                        fmt(ratio(t2["xnnpack"], t1["xnnpack"]), 2) + "x",
                        fmt(t1["floor"]), fmt(t2["floor"])])
  if thread_rows:
    print()
    print("Threads: ns per element, 1 and 2 threads, wall time (scaling = 1-thread time / "
          "2-thread time)")
    print(table(["rows x N", "twopass t1", "twopass t2", "scaling", "XNNPACK t1", "XNNPACK t2",
                 "scaling", "floor t1", "floor t2"], thread_rows, args.markdown))

  if errors:
    print()
    print("Skipped or failed:")
    for name, message in sorted(errors.items()):
      print("  %s: %s" % (name, message))

  json_path = os.path.join(out_dir, "softmax-compare.json")
  with open(json_path, "w") as f:
    json.dump({"results": results, "runs": runs, "context": context}, f, indent=1, default=str)
  spec = {
      "title": "Softmax, one row of N floats, 1 thread",
      "subtitle": host,
      "xlabel": "N (elements in the row)",
      "ylabel": "ns per element (lower is better)",
      "series": [dict(label=LABELS[impl], points=series[impl], **STYLES[impl])
                 for impl in SINGLE_ROW_IMPLS if series[impl]],
      "vlines": cc.cache_lines(context),
  }
  print()
  if not args.no_plot and cc.plot(spec, png):
    print("Plot: %s" % os.path.abspath(png))
  print("Raw results: %s" % os.path.abspath(json_path))


def merge_floor(runs):
  """runs["floor/S/tT"] becomes the faster of floor (plain copy) and floor_nt (non-temporal
  copy) for that shape and thread count; the plain one stays as floor_copy/S/tT."""
  for name in [n for n in runs if n.startswith("floor/")]:
    plain = runs[name]
    nt = runs.get("floor_nt/" + name[len("floor/"):])
    runs["floor_copy/" + name[len("floor/"):]] = plain
    if nt and "ns" in nt and ("ns" not in plain or nt["ns"] < plain["ns"]):
      merged = dict(nt)
      merged["real_min_ns"] = min(nt.get("real_min_ns", nt["ns"]),
                                  plain.get("real_min_ns", float("inf")))
      runs[name] = merged


if __name__ == "__main__":
  main()
