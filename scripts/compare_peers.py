#!/usr/bin/env python3
"""Times twopass beside the modern softmax peers, in one process.

The Python part of scripts/compare.sh (run with the virtual environment's
Python, build/venv/bin/python). For each shape, thread count and operation
(softmax at beta = 1, softmax at beta = 0.5, log-softmax) it times, on the
same input and in interleaved rounds:

  twopass   the twopass package (import twopass; twopass.Softmax, which keeps
            the C operator between calls), into a preallocated output
  LiteRT    ai-edge-litert's Interpreter on a one-operator .tflite model
            written here from the schema module the wheel ships (no
            TensorFlow), default resolver: the XNNPACK delegate takes SOFTMAX
            at beta = 1; SOFTMAX at other betas and LOG_SOFTMAX stay on
            TFLite's builtin kernels (the table marks those cells with *)
  ORT       onnxruntime, a one-node ONNX model (Softmax / LogSoftmax, opset 13,
            axis -1; at beta != 1 a Mul by beta before the Softmax, since ONNX
            has no beta: one more pass over the data), IOBinding to the input
            and a preallocated output (OrtValue.ortvalue_from_numpy, no copies)
  PyTorch   (--with-torch) torch.softmax / torch.log_softmax(x, -1, out=y) on
            torch.from_numpy views; beta != 1: torch.mul(x, beta, out=tmp) first
  floor     one read pass over x plus one copy pass x -> y, with ordinary or
            non-temporal stores, the faster of the two: bench/floor.c through
            libtwopass_floor.so, the same code as the C part's floor

Method. Every peer's first call is checked against twopass's output (not
timed). Then --rounds rounds; in each, every peer in a new random order takes
one sample: after a 5 ms pause and one untimed call (which wakes up the
peer's worker threads, if any), as many back-to-back calls as fill
--min-time (at least one). At one thread a sample is timed whole, with the
process's CPU time (all of a 1-thread run is on this process's threads; time
other processes held the core is left out), and gives its time per call. At
2 threads it is wall time, and each call of 20 us or more is timed by itself,
the sample giving its fastest call (on a shared machine, a 2-thread call
waits whenever the scheduler runs something else on the second core: the
fastest call is one that had both). --timer real: wall time at one thread
too (long calls timed one by one as well). A peer's time is its fastest sample. Times include each binding's Python call (about 1-10
us; it dominates rows below ~16Ki elements). ns per element = time / (rows x
columns). Ratios: peer's time / twopass's time in the same run (above 1:
twopass is faster).

Then the goals table of issue 16 (scripts/goals.py): from these times, the C
part's JSON (--c-json: the default against the forced algorithms) and an
accuracy check run here (twopass's softmax of one random row per N against
numpy float64 with the max subtracted).

Writes OUT_DIR/softmax-peers.json and, with the C part's JSON
(--c-json), the plot: one row of N floats, softmax at beta = 1, 1 thread,
every peer of both parts.
"""
import argparse
import ctypes
import datetime
import json
import math
import os
import platform
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_common as cc  # noqa: E402
import goals  # noqa: E402

MI = 1 << 20
SINGLE_ROWS = [1000, 4096, 16384, 65536, 262144, MI, 4 * MI, 16 * MI, 64 * MI]
BATCHES = [(1024, 1000), (256, 4096), (32, 32000), (8, 128256), (8, 256000), (64, 262144)]
QUICK_SHAPES = [(1, 4096), (1, MI), (1, 16 * MI), (256, 4096), (8, 128256)]
# (label, beta, log)
OPS = {"softmax": ("softmax", 1.0, False), "beta0.5": ("softmax b=0.5", 0.5, False),
       "log": ("log-softmax", 1.0, True)}
PEERS = ["twopass", "litert", "ort", "torch", "floor"]
NAMES = {"twopass": "twopass", "litert": "LiteRT", "ort": "ORT", "torch": "PyTorch",
         "floor": "floor"}
PAUSE = 0.005
# With wall time (2 threads), calls at least this long are timed one by one.
SINGLE_CALL_NS = 20000


def parse_args():
  p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  p.add_argument("--build-dir", default=os.path.join(cc.ROOT, "build"))
  p.add_argument("--out-dir", help="where to write the JSON and PNG (default: BUILD_DIR/compare)")
  p.add_argument("--plot", help="PNG path (default: OUT_DIR/softmax-compare.png)")
  p.add_argument("--c-json", help="the C part's JSON (scripts/compare.py), drawn in the plot too "
                 "(default: OUT_DIR/softmax-compare.json when it exists)")
  p.add_argument("--quick", action="store_true",
                 help="%d shapes, 2 rounds, shorter samples: about a minute" % len(QUICK_SHAPES))
  p.add_argument("--shapes", help="comma-separated ROWSxCOLS or N (one row), e.g. 1x4096,256x4096,64Mi")
  p.add_argument("--ops", default="softmax,beta0.5,log",
                 help="comma-separated of softmax (beta 1), beta0.5, log (default: all three)")
  p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
  p.add_argument("--no-threads", action="store_true", help="1 thread only")
  p.add_argument("--rounds", type=int, help="rounds per configuration (default 5; --quick 2)")
  p.add_argument("--min-time", type=float,
                 help="seconds per sample (default 0.02; --quick 0.01)")
  p.add_argument("--with-torch", action="store_true", help="time PyTorch too")
  p.add_argument("--peers", help="comma-separated subset of litert, ort, torch, floor to time "
                 "beside twopass (default: all; torch only with --with-torch)")
  p.add_argument("--timer", choices=["auto", "real"], default="auto",
                 help="auto (default): process CPU time at 1 thread, wall time at 2 (the fastest "
                 "call); real: wall time everywhere")
  p.add_argument("--pause", type=float, default=PAUSE,
                 help="seconds between two samples, for the previous peer's spinning worker threads "
                 "to go to sleep (default %g)" % PAUSE)
  p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
  p.add_argument("--no-plot", action="store_true")
  return p.parse_args()


def parse_shape(text):
  text = text.strip()
  if "x" in text:
    rows, cols = text.split("x", 1)
    return int(rows), cc.parse_count(cols)
  return 1, cc.parse_count(text)


def shape_name(shape):
  return "%dx%s" % (shape[0], cc.short_count(shape[1]))


# ---- Models ------------------------------------------------------------------
def tflite_model(shape, beta, log):
  """A .tflite flatbuffer: one SOFTMAX (beta) or LOG_SOFTMAX over the last axis."""
  import flatbuffers
  from ai_edge_litert import schema_py_generated as s
  code = s.BuiltinOperator.LOG_SOFTMAX if log else s.BuiltinOperator.SOFTMAX
  opcode = s.OperatorCodeT()
  opcode.builtinCode = code
  opcode.deprecatedBuiltinCode = min(code, 127)
  opcode.version = 1
  tensors = []
  for i, name in enumerate(("x", "y")):
    t = s.TensorT()
    t.shape = list(shape)
    t.type = s.TensorType.FLOAT32
    t.buffer = i + 1
    t.name = name
    tensors.append(t)
  op = s.OperatorT()
  op.opcodeIndex = 0
  op.inputs = [0]
  op.outputs = [1]
  if log:
    op.builtinOptionsType = s.BuiltinOptions.LogSoftmaxOptions
    op.builtinOptions = s.LogSoftmaxOptionsT()
  else:
    op.builtinOptionsType = s.BuiltinOptions.SoftmaxOptions
    op.builtinOptions = s.SoftmaxOptionsT()
    op.builtinOptions.beta = beta
  graph = s.SubGraphT()
  graph.tensors = tensors
  graph.inputs = [0]
  graph.outputs = [1]
  graph.operators = [op]
  graph.name = "main"
  model = s.ModelT()
  model.version = 3
  model.operatorCodes = [opcode]
  model.subgraphs = [graph]
  model.buffers = [s.BufferT() for _ in range(3)]  # 0: the empty sentinel
  model.description = "twopass compare_peers"
  builder = flatbuffers.Builder(1024)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


# ONNX ModelProto, protobuf wire format written by hand (field numbers from
# onnx.proto): no onnx package needed for a one- or two-node graph.
def _varint(value):
  out = bytearray()
  while True:
    byte = value & 0x7F
    value >>= 7
    if value:
      out.append(byte | 0x80)
    else:
      out.append(byte)
      return bytes(out)


def _field(number, value):
  if isinstance(value, int):
    return _varint(number << 3) + _varint(value)
  if isinstance(value, str):
    value = value.encode()
  return _varint(number << 3 | 2) + _varint(len(value)) + value


def onnx_model(shape, beta, log):
  """ONNX: y = Softmax(x) or LogSoftmax(x), axis -1; beta != 1: of Mul(x, beta)."""
  def value_info(name):
    dims = b"".join(_field(1, _field(1, d)) for d in shape)       # TensorShapeProto.dim
    tensor = _field(1, 1) + _field(2, dims)                          # elem_type FLOAT, shape
    return _field(1, name) + _field(2, _field(1, tensor))            # name, type.tensor_type

  def node(inputs, outputs, op_type, name, attributes=b""):
    return (b"".join(_field(1, i) for i in inputs) + b"".join(_field(2, o) for o in outputs) +
            _field(3, name) + _field(4, op_type) + attributes)

  axis = _field(5, _field(1, "axis") + _field(3, (1 << 64) - 1) + _field(20, 2))  # INT -1
  nodes = b""
  initializers = b""
  source = "x"
  if beta != 1.0:
    # TensorProto: data_type FLOAT (2), name (8), raw_data (9); a scalar.
    initializers = _field(5, _field(2, 1) + _field(8, "beta") + _field(9, struct.pack("<f", beta)))
    nodes += _field(1, node(["x", "beta"], ["xb"], "Mul", "scale"))
    source = "xb"
  nodes += _field(1, node([source], ["y"], "LogSoftmax" if log else "Softmax", "softmax", axis))
  graph = nodes + _field(2, "main") + initializers + _field(11, value_info("x")) + \
      _field(12, value_info("y"))
  opset = _field(1, "") + _field(2, 13)
  return _field(1, 8) + _field(2, "twopass compare_peers") + _field(7, graph) + _field(8, opset)


# ---- Peers -------------------------------------------------------------------
class Floor:
  def __init__(self, build_dir):
    path = None
    for candidate in (os.path.join(build_dir, "bench", "libtwopass_floor.so"),
                      os.path.join(build_dir, "libtwopass_floor.so")):
      if os.path.exists(candidate):
        path = candidate
        break
    if path is None:
      raise SystemExit("libtwopass_floor.so not found in %s/bench: cmake --build %s --target "
                       "twopass-floor" % (build_dir, build_dir))
    self.lib = ctypes.CDLL(path)
    self.lib.twopass_floor_threads.argtypes = [ctypes.c_size_t, ctypes.c_void_p, ctypes.c_void_p,
                                               ctypes.c_int, ctypes.c_size_t]
    self.lib.twopass_floor_threads.restype = ctypes.c_int
    self.lib.twopass_floor_isa.restype = ctypes.c_char_p
    self.isa = self.lib.twopass_floor_isa().decode()

  def fn(self, x, y, nt, threads):
    run, n, px, py = self.lib.twopass_floor_threads, x.size, x.ctypes.data, y.ctypes.data

    def call(keep=(x, y)):  # keep: the arrays live as long as the call (ctypes has only addresses)
      if run(n, px, py, nt, threads) != 0:
        raise RuntimeError("twopass_floor_threads failed")
    return call


def make_peers(args, np, modules, floor, x, shape, threads, beta, log):
  """name -> (call, output array or None, note); errors as (None, None, message)."""
  peers = {}

  # twopass
  import twopass
  y_tp = np.empty_like(x)
  op = twopass.Softmax(beta=beta, log=log, threads=threads)
  peers["twopass"] = (lambda: op(x, out=y_tp), y_tp, "")

  selected = set(args.peers.split(",")) if args.peers else set(PEERS)

  # LiteRT
  if "litert" in selected:
    try:
      from ai_edge_litert import interpreter as litert
      interp = litert.Interpreter(model_content=tflite_model(shape, beta, log), num_threads=threads)
      interp.allocate_tensors()
      ops = [d["op_name"] for d in interp._get_ops_details()]
      delegated = "DELEGATE" in ops
      index_in = interp.get_input_details()[0]["index"]
      index_out = interp.get_output_details()[0]["index"]
      interp.set_tensor(index_in, x)
      peers["litert"] = (interp.invoke, lambda: interp.get_tensor(index_out),
                         "xnnpack" if delegated else "builtin")
    except Exception as e:  # noqa: BLE001  (any failure is a table cell)
      peers["litert"] = (None, None, "error: %s" % e)

  # ONNX Runtime
  if "ort" in selected:
    try:
      import onnxruntime as ort
      options = ort.SessionOptions()
      options.intra_op_num_threads = threads
      options.inter_op_num_threads = 1
      options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
      session = ort.InferenceSession(onnx_model(shape, beta, log), options,
                                     providers=["CPUExecutionProvider"])
      y_ort = np.empty_like(x)
      binding = session.io_binding()
      binding.bind_ortvalue_input("x", ort.OrtValue.ortvalue_from_numpy(x))
      binding.bind_ortvalue_output("y", ort.OrtValue.ortvalue_from_numpy(y_ort))
      peers["ort"] = (lambda: session.run_with_iobinding(binding), y_ort,
                      "" if beta == 1.0 else "Mul+Softmax")
    except Exception as e:  # noqa: BLE001
      peers["ort"] = (None, None, "error: %s" % e)

  # PyTorch
  if args.with_torch and "torch" in selected:
    torch = modules["torch"]
    xt = torch.from_numpy(x)
    y_t = np.empty_like(x)
    yt = torch.from_numpy(y_t)
    fn = torch.log_softmax if log else torch.softmax
    if beta == 1.0:
      call = lambda: fn(xt, -1, out=yt)  # noqa: E731
    else:
      tmp = torch.empty_like(xt)

      def call():
        torch.mul(xt, beta, out=tmp)
        fn(tmp, -1, out=yt)
    peers["torch"] = (call, y_t, "" if beta == 1.0 else "mul+softmax")

  # The floor: both copies, reported as the faster.
  if "floor" in selected:
    y_floor = np.empty_like(x)
    peers["floor_copy"] = (floor.fn(x, y_floor, 0, threads), None, "")
    peers["floor_nt"] = (floor.fn(x, y_floor, 1, threads), None, "")
  return peers


def check(np, reference, output, log):
  """"" when output is twopass's (the reference) within a sanity margin.

  Not an accuracy test: the peers sum in float32 lanes, so on long rows they
  are further from the exact result than twopass (about 1e-3 relative at 16Mi
  elements); wrong axis, beta or data show up as far larger differences."""
  if output is None:
    return ""
  a = np.asarray(output, dtype=np.float32).reshape(reference.shape)
  if not np.all(np.isfinite(a)):
    return "non-finite output"
  if log:
    diff, limit = float(np.max(np.abs(a - reference))), 1e-2
  else:
    diff = float(np.max(np.abs(a - reference) / np.max(reference, axis=-1, keepdims=True)))
    limit = 1e-2
  if diff > limit:
    return "differs from twopass by %.3g (limit %.3g%s)" % (
        diff, limit, "" if log else ", relative to the row's largest value")
  return ""


def accuracy(np, twopass, sizes, seed=20261201):
  """{N: max relative error per output} of twopass.softmax on one random row of N
  floats (uniform in [-20, 20)) against float64 numpy: exp(x - max) / sum."""
  rng = np.random.default_rng(seed)
  errors = {}
  for n in sizes:
    x = rng.random(n, dtype=np.float32) * 40.0 - 20.0
    y = twopass.softmax(x).astype(np.float64)
    ref = x.astype(np.float64)
    ref -= ref.max()
    np.exp(ref, out=ref)
    ref /= ref.sum()
    y -= ref
    np.abs(y, out=y)
    y /= ref
    errors[n] = float(y.max())
    cc.log("  accuracy N=%s: max relative error %.3g" % (cc.short_count(n), errors[n]))
    del x, y, ref
  return errors


def twopass_isa(np, twopass):
  """The ISA twopass's default operator runs on this host (twopass_get_operator_info)."""
  op = twopass.Softmax()
  op(np.zeros((1, 4096), np.float32))
  return op.info["isa"]


def measure(peers, threads, args, rounds, min_time, seed):
  """name -> {"min_ns", "median_ns", "samples"} (per call)."""
  cpu = args.timer == "auto" and threads == 1
  clock = time.process_time_ns if cpu else time.perf_counter_ns
  names = [n for n, p in peers.items() if p[0] is not None]
  calls, single = {}, {}
  for name in names:
    fn = peers[name][0]
    elapsed = None
    for _ in range(3):  # the fastest of 3: the first call may wake up sleeping threads
      start = time.perf_counter_ns()
      fn()
      t = max(time.perf_counter_ns() - start, 1)
      elapsed = t if elapsed is None else min(elapsed, t)
    calls[name] = max(1, min(100000, int(math.ceil(min_time * 1e9 / elapsed))))
    single[name] = elapsed >= SINGLE_CALL_NS
  samples = {name: [] for name in names}
  rng = random.Random(seed)
  for _ in range(rounds):
    order = list(names)
    rng.shuffle(order)
    for name in order:
      fn, k = peers[name][0], calls[name]
      time.sleep(args.pause)
      fn()  # untimed: wakes up the peer's worker threads, if it has any
      if not cpu and single[name]:
        # Wall time: each call timed by itself, the sample's fastest call.
        best = None
        for _ in range(k):
          start = clock()
          fn()
          elapsed = clock() - start
          best = elapsed if best is None or elapsed < best else best
        samples[name].append(best)
      else:
        start = clock()
        for _ in range(k):
          fn()
        samples[name].append((clock() - start) / k)
  out = {}
  for name, values in samples.items():
    values.sort()
    out[name] = {"min_ns": values[0], "median_ns": values[len(values) // 2],
                 "samples_ns": values, "calls_per_sample": calls[name],
                 "timer": "process_cpu" if cpu else
                 ("wall, fastest call" if single[name] else "wall")}
  return out


def main():
  args = parse_args()
  try:
    import numpy as np
    import twopass
  except ImportError as e:
    raise SystemExit("compare_peers.py: %s: run it with the virtual environment's Python "
                     "(build/venv/bin/python) after pip install ./python (scripts/compare.sh "
                     "does both)" % e)
  modules = {}
  if args.with_torch:
    try:
      import torch
    except ImportError:
      raise SystemExit("compare_peers.py --with-torch: torch is not installed in %s "
                       "(scripts/compare.sh --with-torch installs it)" % sys.prefix)
    modules["torch"] = torch
  versions = {"twopass": getattr(twopass, "__version__", "?"), "numpy": np.__version__}
  for name, module in (("ai-edge-litert", "ai_edge_litert"), ("onnxruntime", "onnxruntime")):
    try:
      from importlib.metadata import version
      versions[name] = version(name)
    except Exception:  # noqa: BLE001
      versions[name] = "?"
  if args.with_torch:
    versions["torch"] = modules["torch"].__version__

  if args.shapes:
    shapes = [parse_shape(s) for s in args.shapes.split(",")]
  elif args.quick:
    shapes = list(QUICK_SHAPES)
  else:
    shapes = [(1, n) for n in SINGLE_ROWS] + list(BATCHES)
  thread_counts = [1] if args.no_threads else [int(t) for t in args.threads.split(",")]
  ops = [o.strip() for o in args.ops.split(",")]
  for o in ops:
    if o not in OPS:
      raise SystemExit("unknown op %r (softmax, beta0.5, log)" % o)
  rounds = args.rounds or (2 if args.quick else 5)
  min_time = args.min_time or (0.01 if args.quick else 0.02)
  out_dir = args.out_dir or os.path.join(args.build_dir, "compare")
  os.makedirs(out_dir, exist_ok=True)
  floor = Floor(args.build_dir)

  host = host_description()
  cc.log("peers: %d shapes x %d thread counts x %d ops, %d rounds, min time %gs; %s" % (
      len(shapes), len(thread_counts), len(ops), rounds, min_time,
      ", ".join("%s %s" % kv for kv in versions.items())))
  results = []
  start = time.time()
  total = len(shapes) * len(thread_counts) * len(ops)
  done = 0
  data_rng = np.random.default_rng(20200111)
  for shape in shapes:
    rows, cols = shape
    n = rows * cols
    x = (data_rng.random(n, dtype=np.float32) * 40.0 - 20.0).reshape(shape)  # as bench/utils.cc
    for threads in thread_counts:
      if args.with_torch:
        modules["torch"].set_num_threads(threads)
      for op_key in ops:
        label, beta, log = OPS[op_key]
        peers = make_peers(args, np, modules, floor, x, shape, threads, beta, log)
        errors = {}
        notes = {name: p[2] for name, p in peers.items() if p[2]}
        # First calls, and the checks against twopass's output.
        for name in list(peers):
          fn, output, note = peers[name]
          if fn is None:
            errors[name] = note
            continue
          try:
            fn()
            if name != "twopass":
              out = output() if callable(output) else output
              message = check(np, peers["twopass"][1], out, log)
              if message:
                raise RuntimeError(message)
          except Exception as e:  # noqa: BLE001
            errors[name] = str(e)
            peers[name] = (None, None, str(e))
        timing = measure(peers, threads, args, rounds, min_time,
                         seed=hash((rows, cols, threads, op_key)) & 0xFFFFFFFF)
        ns = {name: t["min_ns"] / n for name, t in timing.items()}
        floor_names = [f for f in ("floor_copy", "floor_nt") if f in ns]
        if floor_names:
          best = min(floor_names, key=lambda f: ns[f])
          ns["floor"] = ns[best]
          notes["floor"] = "NT copy" if best == "floor_nt" else "plain copy"
        entry = {"shape": list(shape), "threads": threads, "op": op_key, "beta": beta, "log": log,
                 "ns_per_element": ns, "timing": timing, "notes": notes, "errors": errors}
        results.append(entry)
        del peers
        done += 1
        cc.log("  [%3d/%d %s] %s t%d %s: %s" % (
            done, total, cc.format_seconds(time.time() - start), shape_name(shape), threads,
            label, "  ".join("%s %s" % (NAMES.get(p, p), fmt(ns.get(p)))
                            for p in PEERS if p in ns or p in errors)))
    del x

  # ---- The table -----------------------------------------------------------
  shown = [p for p in PEERS if p != "torch" or args.with_torch]
  headers = ["shape", "threads", "op"]
  for p in shown:
    headers.append(NAMES[p] if p == "twopass" else "%s (x)" % NAMES[p])
  rows = []
  order = {o: i for i, o in enumerate(ops)}
  for e in sorted(results, key=lambda e: (order[e["op"]], e["threads"],
                                          e["shape"][0] != 1, e["shape"][0] * e["shape"][1])):
    ns = e["ns_per_element"]
    tp = ns.get("twopass")
    row = [shape_name(e["shape"]), str(e["threads"]), OPS[e["op"]][0], fmt(tp)]
    for p in shown[1:]:
      if p in e["errors"]:
        row.append("error")
        continue
      v = ns.get(p)
      mark = "*" if p == "litert" and e["notes"].get("litert") == "builtin" else ""
      mark += "+" if p in ("ort", "torch") and e["beta"] != 1.0 else ""
      row.append("-" if v is None else "%s%s (%s)" % (fmt(v), mark, fmt(ratio(tp, v), 2)))
    rows.append(row)
  print()
  print("Softmax beside the modern peers, one process, interleaved rounds: ns per element "
        "(lower is better), fastest of %d samples; (x) = that peer's time / twopass's time" % rounds)
  print("Host: %s" % host)
  print("Versions: %s" % ", ".join("%s %s" % kv for kv in versions.items()))
  print(cc.table(headers, rows, args.markdown))
  print("*: LiteRT ran TFLite's builtin kernel (its XNNPACK delegate takes SOFTMAX only at beta = 1 "
        "and never LOG_SOFTMAX); +: ORT/PyTorch have no beta, so Mul by beta, then softmax (one "
        "more pass); floor: one read pass + the cheaper of a plain and a non-temporal copy (%s, "
        "bench/floor.c); timer: %s." % (
            floor.isa, "process CPU time at 1 thread, wall time at 2 (calls of 20 us or more: "
            "the fastest call)" if args.timer == "auto" else "wall time (calls of 20 us or more: "
            "the fastest call)"))
  errors = [(e, name, message) for e in results for name, message in e["errors"].items()]
  for e, name, message in errors:
    print("  %s %s t%d %s: %s" % (NAMES.get(name, name), shape_name(e["shape"]), e["threads"],
                                  OPS[e["op"]][0], message))
  isa = twopass_isa(np, twopass)
  cc.log("accuracy of twopass's outputs against float64 numpy:")
  errors_by_n = accuracy(np, twopass, goals.ACCURACY_N_QUICK if args.quick else goals.ACCURACY_N)
  c_json = args.c_json or os.path.join(out_dir, "softmax-compare.json")
  summary = summarize(results, shown, ops, thread_counts)
  if summary:
    print()
    print("Geometric mean of (x) over the shapes:")
    print(cc.table(["op", "threads"] + ["%s (x)" % NAMES[p] for p in shown[1:]], summary,
                   args.markdown))
  c_results = None
  if os.path.exists(c_json):
    with open(c_json) as f:
      c_results = json.load(f).get("results")
  m = goals.measurements_from_runs(results, c_results, errors_by_n)
  goals.print_table(goals.evaluate(m, quick=args.quick), isa, args.markdown)

  json_path = os.path.join(out_dir, "softmax-peers.json")
  with open(json_path, "w") as f:
    json.dump({"host": host, "date": datetime.date.today().isoformat(), "versions": versions,
               "rounds": rounds, "min_time": min_time, "timer": args.timer,
               "floor_isa": floor.isa, "isa": isa, "quick": args.quick,
               "accuracy": errors_by_n, "results": results}, f, indent=1)
  if not args.no_plot:
    png = args.plot or os.path.join(out_dir, "softmax-compare.png")
    if cc.plot(plot_spec(results, host, c_json if os.path.exists(c_json) else None), png):
      print("Plot: %s" % os.path.abspath(png))
  print("Raw results: %s" % os.path.abspath(json_path))
  return 1 if any(name == "twopass" for _, name, _ in errors) else 0


def fmt(value, digits=3):
  return "-" if value is None else ("%.*f" % (digits, value))


def ratio(base, value):
  return None if base is None or value is None or base == 0 else value / base


def summarize(results, shown, ops, thread_counts):
  rows = []
  for op_key in ops:
    for threads in thread_counts:
      entries = [e for e in results if e["op"] == op_key and e["threads"] == threads]
      if not entries:
        continue
      row = [OPS[op_key][0], str(threads)]
      for p in shown[1:]:
        values = [ratio(e["ns_per_element"].get("twopass"), e["ns_per_element"].get(p))
                  for e in entries]
        values = [v for v in values if v]
        row.append("%.2f (%d)" % (cc.geomean(values), len(values)) if values else "-")
      rows.append(row)
  return rows


def host_description():
  model = "unknown CPU"
  flags = set()
  try:
    with open("/proc/cpuinfo") as f:
      for line in f:
        if line.startswith("model name") and model == "unknown CPU":
          model = line.split(":", 1)[1].strip()
        elif line.startswith("flags") and not flags:
          flags = set(line.split(":", 1)[1].split())
  except OSError:
    pass
  isa = "AVX-512F" if "avx512f" in flags else ("AVX2+FMA" if {"avx2", "fma"} <= flags else "SSE")
  return "%s, %d CPUs, %s, %s" % (model, os.cpu_count() or 0, isa, platform.python_version())


PLOT_STYLES = {
    "twopass": dict(label="twopass (Python package)", color="tab:red", width=2.4),
    "litert": dict(label="LiteRT (XNNPACK delegate)", color="tab:blue"),
    "ort": dict(label="ONNX Runtime", color="tab:green"),
    "torch": dict(label="PyTorch", color="tab:orange"),
    "floor": dict(label="bandwidth floor (read + cheaper copy)", color="black", style="dashed",
                  marker="."),
}
C_STYLES = {
    "twopass": dict(label="twopass, C benchmark", color="tab:red", style="dotted", width=1.2),
    "xnnpack": dict(label="XNNPACK 2022 (Debian), C", color="tab:cyan", style="dotted", width=1.2),
    "onednn": dict(label="oneDNN 2.6 (Debian), C", color="tab:olive", style="dotted", width=1.2),
}


def plot_spec(results, host, c_json):
  series = []
  for p, style in PLOT_STYLES.items():
    points = [[e["shape"][1], e["ns_per_element"][p]] for e in results
              if e["shape"][0] == 1 and e["threads"] == 1 and e["op"] == "softmax"
              and e["ns_per_element"].get(p) is not None]
    if points:
      series.append(dict(points=points, **style))
  vlines = []
  if c_json:
    with open(c_json) as f:
      c = json.load(f)
    single = c.get("results", {}).get("single_row_ns_per_element", {})
    for impl, style in C_STYLES.items():
      points = [[int(n), t[impl]] for n, t in single.items() if t.get(impl) is not None]
      if points:
        series.append(dict(points=points, **style))
    vlines.extend(cc.cache_lines(c.get("context", {})))
  return {"title": "Softmax (beta = 1), one row of N floats, 1 thread",
          "subtitle": host, "xlabel": "N (elements in the row)",
          "ylabel": "ns per element (lower is better)", "series": series, "vlines": vlines}


if __name__ == "__main__":
  sys.exit(main())
