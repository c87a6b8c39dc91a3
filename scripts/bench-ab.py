#!/usr/bin/env python3
"""Times two builds of one Google Benchmark binary against each other.

Runs the benchmarks matching a filter with binary A, then B, alternating for
a number of rounds (so that both see the same machine noise), and prints for
every case the median (or fastest) time of each and the ratio B/A. Standard library only.

Usage: bench-ab.py A_BINARY B_BINARY [--filter REGEX] [--rounds N] [--min-time S]
                   [--metric real_time|cpu_time] [--stat median|min]
Example (the operator benchmark before and after a change):
  scripts/bench-ab.py /tmp/before/softmax-operator-bench build/bench/softmax-operator-bench \
      --filter '^twopass(_log)?(_2p|_3p)?/.*/t1/' --rounds 3
"""
import argparse
import json
import statistics
import subprocess
import sys


def run(binary, pattern, min_time, metric):
  out = subprocess.run(
      [binary, "--benchmark_filter=" + pattern, "--benchmark_format=json",
       "--benchmark_min_time=%g" % min_time],
      check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
  return {b["name"]: b[metric] for b in json.loads(out)["benchmarks"]
          if b.get("run_type", "iteration") == "iteration"}


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("a")
  parser.add_argument("b")
  parser.add_argument("--filter", default=".")
  parser.add_argument("--rounds", type=int, default=3)
  parser.add_argument("--min-time", type=float, default=0.2)
  # cpu_time is steadier than real_time for one-thread cases on a busy host.
  parser.add_argument("--metric", choices=("real_time", "cpu_time"), default="real_time")
  # The fastest round is the least disturbed one on a shared host.
  parser.add_argument("--stat", choices=("median", "min"), default="median")
  args = parser.parse_args()
  times = {"a": {}, "b": {}}
  for _ in range(args.rounds):
    for key in ("a", "b"):
      for name, t in run(getattr(args, key), args.filter, args.min_time, args.metric).items():
        times[key].setdefault(name, []).append(t)
  names = [n for n in times["a"] if n in times["b"]]
  if not names:
    sys.exit("no benchmark matched in both binaries")
  ratios = []
  print("%-48s %12s %12s %7s" % ("case", "A", "B", "B/A"))
  for name in names:
    stat = statistics.median if args.stat == "median" else min
    a = stat(times["a"][name])
    b = stat(times["b"][name])
    ratios.append(b / a)
    print("%-48s %12.1f %12.1f %7.3f" % (name, a, b, b / a))
  print("B/A: geometric mean %.3f, min %.3f, max %.3f over %d cases, %d rounds" %
        (statistics.geometric_mean(ratios), min(ratios), max(ratios), len(ratios), args.rounds))


if __name__ == "__main__":
  main()
