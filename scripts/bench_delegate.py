#!/usr/bin/env python3
"""The twopass TFLite delegate against LiteRT's default, in one process.

For softmax-only models (SOFTMAX beta 1, SOFTMAX beta 0.5, LOG_SOFTMAX) and a
range of shapes, times Interpreter.invoke() with LiteRT's default (its XNNPACK
delegate takes SOFTMAX with beta 1; TFLite's own kernels run beta != 1 and
LOG_SOFTMAX) and with libtwopass_tflite_delegate.so, at 1 and 2 threads
(Interpreter(num_threads=t), and the delegate's num_threads=t). The
configurations run in interleaved rounds; each round times a batch of invokes
(after a 30 ms pause, for the previous configuration's threads to go idle, and
one untimed invoke),
and the table shows the best round, in ns per element, and the ratio
default / twopass (> 1: the delegate is faster). Prints a Markdown table.

  build/tflite-venv/bin/python scripts/bench_delegate.py [--quick] [--rounds N]
      [--library build/libtwopass_tflite_delegate.so] [--threads 1,2]
"""

import argparse
import ctypes
import os
import platform
import sys
import time
from importlib import metadata

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "delegate", "test"))
import models  # noqa: E402

from ai_edge_litert import interpreter as tfl  # noqa: E402

SHAPES = [[1, 1000], [1, 4096], [8, 4096], [64, 4096], [256, 4096], [1, 1000000],
          [1, 4194304], [1, 16777216]]
QUICK_SHAPES = [[1, 1000], [1, 4096], [64, 4096], [1, 1000000], [1, 4194304]]
OPS = [("SOFTMAX", 1.0), ("SOFTMAX", 0.5), ("LOG_SOFTMAX",)]


def op_name(op):
    return "softmax beta=%g" % op[1] if op[0] == "SOFTMAX" else "log_softmax"


class Case:
    def __init__(self, shape, op, threads, delegate):
        self.shape, self.op, self.threads = shape, op, threads
        model = models.model_bytes(shape, [op])
        x = (np.random.default_rng(1).standard_normal(shape) * 3).astype(np.float32)
        self.runs = {}
        for name, delegates in (("default", []), ("twopass", [delegate])):
            it = tfl.Interpreter(model_content=model, num_threads=threads,
                                 experimental_delegates=delegates)
            it.allocate_tensors()
            it.set_tensor(it.get_input_details()[0]["index"], x)
            it.invoke()
            self.runs[name] = it
        # Who runs the op by default: XNNPACK's delegate node or TFLite's kernel.
        names = [o["op_name"] for o in self.runs["default"]._get_ops_details()]
        self.default_runner = "XNNPACK" if "DELEGATE" in names else "TFLite"
        out = {k: it.get_tensor(it.get_output_details()[0]["index"]) for k, it in self.runs.items()}
        self.max_diff = float(np.abs(out["default"] - out["twopass"]).max())
        self.best = {k: float("inf") for k in self.runs}
        elements = int(np.prod(shape))
        # About 20 ms of work per timed batch at ~1 ns/element, at least 3 invokes.
        self.reps = max(3, min(2000, int(20e6 / max(elements, 1))))

    def time_round(self):
        for name, it in self.runs.items():
            invoke = it.invoke
            # Let the worker threads of the configuration timed before (which
            # spin for a while after their work) fall asleep, then warm up.
            time.sleep(0.03)
            invoke()
            start = time.perf_counter_ns()
            for _ in range(self.reps):
                invoke()
            ns = (time.perf_counter_ns() - start) / self.reps
            self.best[name] = min(self.best[name], ns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", default=os.path.join(ROOT, "build",
                                                          "libtwopass_tflite_delegate.so"))
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--quick", action="store_true", help="fewer shapes and rounds")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    shapes = QUICK_SHAPES if args.quick else SHAPES
    threads = [int(t) for t in args.threads.split(",")]

    counter = ctypes.CDLL(args.library).twopass_tflite_delegate_claimed_nodes
    counter.restype = ctypes.c_uint64
    before = counter()
    # One delegate per thread count, as an application would have: its nodes
    # share its pool.
    delegates = {t: tfl.load_delegate(args.library, {"num_threads": str(t)}) for t in threads}
    cases = [Case(shape, op, t, delegates[t]) for t in threads for op in OPS for shape in shapes]
    if counter() - before != len(cases):
        sys.exit("the delegate did not take every node (%d of %d)" % (counter() - before,
                                                                      len(cases)))
    for r in range(rounds):
        for case in cases:
            case.time_round()
        print("round %d/%d done" % (r + 1, rounds), file=sys.stderr)

    print("ai-edge-litert %s, Python %s, %s, %d CPUs; best of %d interleaved rounds; ns per element "
          "of one Interpreter.invoke() (Python's call included)" % (
              metadata.version("ai-edge-litert"), platform.python_version(), platform.machine(),
              os.cpu_count(), rounds))
    print()
    print("| op | shape | threads | default runs on | default ns/el | twopass ns/el | "
          "default / twopass | max abs diff |")
    print("|---|---|---|---|---|---|---|---|")
    for case in cases:
        elements = float(np.prod(case.shape))
        d = case.best["default"] / elements
        t = case.best["twopass"] / elements
        print("| %s | %s | %d | %s | %.3f | %.3f | %.2fx | %.1e |" % (
            op_name(case.op), "x".join(map(str, case.shape)), case.threads, case.default_runner,
            d, t, d / t, case.max_diff))


if __name__ == "__main__":
    main()
