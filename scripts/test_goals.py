"""Unit tests of scripts/goals.py on fake timings (scripts/test.sh runs them)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import goals  # noqa: E402


def peers_entries(twopass=1.0, litert=2.0, ort=2.0, floor=0.95, log=1.0, beta=1.0, t2=0.5,
                  shapes=None):
  """compare_peers.py-style entries: every shape, ops and threads, the given ns/element."""
  entries = []
  for s in shapes or goals.ALL_SHAPES:
    shape = [int(v) for v in s.split("x")]
    for op, factor in (("softmax", 1.0), ("log", log), ("beta0.5", beta)):
      for threads, tf in ((1, 1.0), (2, t2)):
        ns = {"twopass": twopass * factor * tf, "litert": litert, "ort": ort, "floor": floor}
        entries.append({"shape": shape, "threads": threads, "op": op, "ns_per_element": ns})
  return entries


def c_results(default=1.0, two=1.0, three=1.2, sizes=goals.SWEEP_N):
  return {"single_row_ns_per_element": {
      str(n): {"twopass": default, "twopass_2p": two, "twopass_3p": three} for n in sizes}}


def status(rows, prefix):
  matches = [r for r in rows if r["goal"].startswith(prefix)]
  assert len(matches) == 1, prefix
  return matches[0]["status"]


def evaluate(entries, c=None, accuracy=None, quick=False):
  m = goals.measurements_from_runs(entries, c if c is not None else c_results(),
                                   accuracy if accuracy is not None else
                                   {n: 1e-7 for n in goals.ACCURACY_N})
  return goals.evaluate(m, quick=quick)


def test_all_met():
  rows = evaluate(peers_entries())
  assert [r["status"] for r in rows] == ["met"] * len(rows)


def test_all_not_met():
  rows = evaluate(peers_entries(litert=1.2, ort=1.5, floor=0.5, log=1.1, beta=1.06, t2=0.6),
                  c_results(default=1.1), {n: 4e-6 for n in goals.ACCURACY_N})
  assert [r["status"] for r in rows] == ["NOT met"] * len(rows)


def test_one_shape_misses_the_goal():
  entries = peers_entries()
  for e in entries:
    if e["shape"] == [1024, 1000] and e["op"] == "softmax" and e["threads"] == 1:
      e["ns_per_element"]["litert"] = 1.25  # 1.25x < 1.3x at one shape only
  rows = evaluate(entries)
  assert status(rows, "in cache: twopass vs LiteRT") == "NOT met"
  row = [r for r in rows if r["goal"].startswith("in cache: twopass vs LiteRT")][0]
  assert "1.25x (1024x1000)" in row["measured"] and "geomean" in row["measured"]
  assert status(rows, "in cache: twopass vs ONNX") == "met"


def test_thresholds_are_inclusive():
  rows = evaluate(peers_entries(litert=1.5, floor=1 / 1.10, log=1.05))
  assert status(rows, "out of cache: twopass vs LiteRT") == "met"
  assert status(rows, "out of cache: twopass time / floor") == "met"
  assert status(rows, "log-softmax") == "met"
  assert status(rows, "L2 to LLC") == "met"          # 1.5x >= 1.25x
  assert status(rows, "in cache: twopass vs LiteRT") == "met"


def test_missing_shapes_are_incomplete_or_not_measured():
  entries = peers_entries(shapes=["1x4096", "1x%d" % (16 << 20)])
  rows = evaluate(entries, c_results(sizes=[4096]), {1000: 1e-7})
  assert status(rows, "in cache: twopass vs LiteRT") == "incomplete (1 of 8)"
  assert status(rows, "L2 to LLC") == "not measured"
  assert status(rows, "2 threads, one 16Mi row") == "met"
  assert status(rows, "2 threads, batches") == "not measured"
  assert status(rows, "accuracy") == "incomplete (1 of 7)"
  assert status(rows, "default time") == "incomplete (1 of 9)"


def test_a_miss_among_missing_shapes_is_not_met():
  entries = peers_entries(shapes=["1x4096"], litert=1.0)
  assert status(evaluate(entries), "in cache: twopass vs LiteRT") == "NOT met"


def test_quick_accuracy_needs_fewer_n():
  rows = evaluate(peers_entries(), accuracy={n: 1e-7 for n in goals.ACCURACY_N_QUICK},
                  quick=True)
  assert status(rows, "accuracy") == "met"


def test_default_vs_forced_uses_the_faster_forced_time():
  rows = evaluate(peers_entries(), c_results(default=1.03, two=1.2, three=1.0))
  assert status(rows, "default time") == "met"
  rows = evaluate(peers_entries(), c_results(default=1.04, two=1.2, three=1.0))
  assert status(rows, "default time") == "NOT met"
