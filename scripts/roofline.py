#!/usr/bin/env python3
"""A roofline of each kernel that the operator's table (operators/ukernel-table.c)
uses on this host's ISA: operations per element, the bound, predicted and
measured cycles per element (standard library only).

For each kernel of the table's rows for this host (AVX2 and scalar on an AVX2
host; AVX-512F rows too where the CPU has it):
  ops/element  the kernel's main loop (the longest loop of its objdump -d in
               BUILD/libtwopass_microkernels.a) counted by class: FMA/MUL,
               FP add/sub/max/min, shuffle/permute/blend/broadcast, other
               vector (integer, convert, logic, compare), loads (instructions
               with a memory source), stores, divided by the elements one
               iteration handles (the step of the pointer it loads through,
               else the table's tile); a loop with conditional
               branches inside (the scalar kernels) is counted over its whole
               address range, every side of each branch together: an upper
               bound, where callgrind's count is the executed one;
  FMA bound    FMA/MUL operations per element / 2 pipes (Zen 3 and 4 have two);
  bound        llvm-mca -mcpu=MCPU on that loop body: the busiest resource
               (per unit), its pressure per element, and the simulated cycles
               per element (the loop as llvm-mca's scheduler runs it, L1 hits);
  instr/elem   valgrind --tool=callgrind of the kernel's benchmark at N: the
               instructions executed inside the kernel / (calls x N), which
               counts the same on any run;
  measured     ns/element of the kernel benchmark (build/bench/f32-*-bench,
               the fastest of --repetitions, thread CPU time) x the clock
               (--ghz, default: /proc/cpuinfo's cpu MHz; boost clocks make
               the true count higher).

  scripts/roofline.py [--build-dir build] [--n 4096] [--markdown]
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_common as cc  # noqa: E402

TABLE_ROW = re.compile(r'\{(\w+|0), twopass_ukernel_role_(\w+), \{[^}]*\}, "(\w+)", (\d+)\}')
ARCHES = {"0": "scalar", "TWOPASS_ARCH_X86_AVX2_FMA": "avx2",
          "TWOPASS_ARCH_X86_AVX512F": "avx512f"}
CLASSES = ["FMA/MUL", "FP add/max", "shuffle", "other vec", "load", "store"]
# FMA/MUL pipes of Zen 3 (and Zen 4): the simplest compute bound, beside llvm-mca's.
FMA_PIPES = 2
# Friendlier names of llvm-mca's Zen 3 resources.
RESOURCES = {"Zn3FPP0": "FP0 (FMA/MUL)", "Zn3FPP1": "FP1 (FMA/MUL)", "Zn3FPP2": "FP2 (ADD)",
             "Zn3FPP3": "FP3 (ADD)", "Zn3FPP45": "FP4/5 (store data)", "Zn3FPSt": "FP store",
             "Zn3Load": "load ports", "Zn3Store": "store port", "Zn3LSU": "load/store units"}


def host_arches():
  flags = set()
  with open("/proc/cpuinfo") as f:
    for line in f:
      if line.startswith("flags"):
        flags = set(line.split(":", 1)[1].split())
        break
  arches = ["scalar"]
  if {"avx2", "fma"} <= flags:
    arches.append("avx2")
  if "avx512f" in flags:
    arches.append("avx512f")
  return arches


def cpu_mhz():
  with open("/proc/cpuinfo") as f:
    for line in f:
      if line.startswith("cpu MHz"):
        return float(line.split(":", 1)[1])
  return None


def table_kernels(arches):
  """[(symbol, arch, roles, tile)] of operators/ukernel-table.c, once per symbol."""
  with open(os.path.join(cc.ROOT, "operators", "ukernel-table.c")) as f:
    text = f.read()
  kernels = collections.OrderedDict()
  for arch, role, symbol, tile in TABLE_ROW.findall(text):
    if ARCHES.get(arch) not in arches:
      continue
    entry = kernels.setdefault(symbol, [symbol, ARCHES[arch], [], int(tile)])
    entry[2].append(role)
  return [tuple(k) for k in kernels.values()]


def disassemble(library, symbol):
  """[(address, mnemonic, operands)] of symbol in the archive (objdump -d, AT&T)."""
  out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "--disassemble=" + symbol,
                        library], check=True, stdout=subprocess.PIPE,
                       universal_newlines=True).stdout
  body = out.split("<%s>:" % symbol, 1)[1].split("\n\n", 1)[0]
  code = []
  for line in body.splitlines():
    parts = line.split("\t")
    if len(parts) < 2 or not parts[0].strip().endswith(":"):
      continue
    text = parts[1].split("#", 1)[0].strip()
    mnemonic, _, operands = text.partition(" ")
    code.append((int(parts[0].strip()[:-1], 16), mnemonic, operands.strip()))
  return code


def main_loop(code):
  """The instructions of the longest loop (a conditional backward jump), without the jump;
  a backward jmp is a cold path's return into the code, not a loop."""
  best = []
  for i, (address, mnemonic, operands) in enumerate(code):
    m = re.match(r"([0-9a-f]+) <", operands)
    if mnemonic.startswith("j") and mnemonic != "jmp" and m and int(m.group(1), 16) < address:
      start = int(m.group(1), 16)
      body = [c for c in code[:i] if c[0] >= start]
      if len(body) > len(best):
        best = body
  return best


def classify(mnemonic, operands):
  """The classes of one instruction (a load-op counts as load + its operation)."""
  args = split_operands(operands)
  classes = []
  store = bool(args) and "(" in args[-1] and not mnemonic.startswith(("cmp", "test"))
  if any("(" in a for a in args[:-1]) or (args and "(" in args[-1] and not store):
    if not mnemonic.startswith(("lea", "nop", "prefetch")):
      classes.append("load")
  if store:
    classes.append("store")
  op = mnemonic[1:] if mnemonic.startswith("v") else mnemonic
  if re.match(r"(f(n)?m(add|sub)|mul[sp][sd])", op):
    classes.append("FMA/MUL")
  elif re.match(r"(add|sub|max|min)[sp][sd]$", op):
    classes.append("FP add/max")
  elif re.match(r"(perm|shuf|pshuf|unpck|punpck|blend|pblend|insert|extract|broadcast|pbroadcast|"
                r"movshdup|movsldup|movhlps|movlhps|alignr|palignr)", op):
    if not (op.startswith("broadcast") and "(" in operands):  # a broadcast load is a load
      classes.append("shuffle")
  elif mnemonic.startswith("v") and not re.match(r"(mov|zeroupper|maskmov)", op):
    classes.append("other vec")
  elif not mnemonic.startswith("v") and re.match(r"(cvt|and|or|xor|round|sqrt|div)[sp][sd]", op):
    classes.append("other vec")
  return classes


def split_operands(operands):
  """AT&T operands split on the commas outside parentheses."""
  args, depth, current = [], 0, ""
  for ch in operands:
    depth += ch == "("
    depth -= ch == ")"
    if ch == "," and depth == 0:
      args.append(current)
      current = ""
    else:
      current += ch
  return [a for a in args + [current] if a]


def elements_per_iteration(loop, tile):
  """Floats one iteration reads: the step of a pointer that the loop loads through
  (add/sub $imm or lea imm(%r),%r), / 4; the table's tile when none is found (a
  compiler may vectorize a scalar kernel: its u1 loop then handles 4 or 8)."""
  memory = re.findall(r"\(([^)]*)\)", " ".join(o for _, m, o in loop
                                                if "load" in classify(m, o)))
  bases = set(re.findall(r"%\w+", " ".join(memory)))
  for _, mnemonic, operands in loop:
    m = re.match(r"\$(-?0x[0-9a-f]+|-?\d+),(%\w+)$", operands)
    if m and mnemonic.startswith(("add", "sub")) and m.group(2) in bases:
      step = int(m.group(1), 0)
      step = abs(step - (1 << 64) if step >= (1 << 63) else step)  # objdump's 64-bit two's complement
      if step and step % 4 == 0:
        return step // 4
    m = re.match(r"(-?0x[0-9a-f]+)\((%\w+)\),(%\w+)$", operands)
    if m and mnemonic.startswith("lea") and m.group(2) == m.group(3) and m.group(2) in bases:
      return abs(int(m.group(1), 16)) // 4
  return tile


def count_ops(loop, tile):
  counts = collections.Counter()
  for _, mnemonic, operands in loop:
    counts.update(classify(mnemonic, operands))
  return {c: counts[c] / tile for c in CLASSES}


def branches(loop):
  """Conditional jumps inside the loop body: a branchy loop (the scalar kernels'
  range checks) has paths that the static counts and llvm-mca add together."""
  return sum(1 for _, m, _ in loop if m.startswith("j") and m != "jmp")


def llvm_mca(loop, mcpu, iterations=400):
  """(simulated cycles per iteration, busiest resource, its pressure per iteration)."""
  with tempfile.NamedTemporaryFile("w", suffix=".s", delete=False) as f:
    f.write("\n".join("%s %s" % (m, o) for _, m, o in loop) + "\n")
    path = f.name
  try:
    out = subprocess.run(["llvm-mca", "-mcpu=" + mcpu, "-iterations=%d" % iterations, path],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True).stdout
  finally:
    os.unlink(path)
  cycles = int(re.search(r"Total Cycles:\s+(\d+)", out).group(1)) / iterations
  names = dict(re.findall(r"^\[([\d.]+)\]\s+- (\w+)", out, re.M))
  pressure_block = out.split("Resource pressure per iteration:", 1)[1].strip().splitlines()
  ids = re.findall(r"\[([\d.]+)\]", pressure_block[0])
  values = pressure_block[1].split()
  per_unit = collections.defaultdict(list)
  for rid, value in zip(ids, values):
    per_unit[names[rid]].append(0.0 if value == "-" else float(value))
  busiest = max(per_unit, key=lambda r: sum(per_unit[r]) / len(per_unit[r]))
  return cycles, busiest, sum(per_unit[busiest]) / len(per_unit[busiest])


def callgrind_instructions(binary, bench_name, symbol, n):
  """Instructions executed in symbol per element, from callgrind's self cost and calls."""
  handle, out_path = tempfile.mkstemp(prefix="twopass-callgrind-")
  os.close(handle)
  try:
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_path, binary,
                    "--sizes=%d" % n, "--benchmark_filter=^%s(/|$)" % re.escape(bench_name),
                    "--benchmark_min_time=0.01"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ir, calls = parse_callgrind(out_path, symbol)
  finally:
    os.unlink(out_path)
  return ir / (calls * n) if calls else None


def parse_callgrind(path, symbol):
  """(self Ir of symbol, calls to symbol) from a callgrind output file."""
  names, ir, calls = {}, 0, 0
  current, in_call, callee = None, False, None
  with open(path) as f:
    for line in f:
      m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
      if m:
        if m.group(3):
          names[m.group(2)] = m.group(3)
        if m.group(1) == "fn":
          current = names.get(m.group(2))
        else:
          callee = names.get(m.group(2))
        continue
      if line.startswith("calls="):
        in_call = True
        if callee == symbol:
          calls += int(line.split("=", 1)[1].split()[0])
        continue
      if line[:1].isdigit() or line[:1] in "+-*":
        if in_call:
          in_call = False  # the inclusive cost of the call, not self cost
        elif current == symbol:
          ir += int(line.split()[1])
  return ir, calls


def bench_of(symbol):
  """(binary name, benchmark family, short kernel name) of the kernel's benchmark."""
  family, short = re.match(r"twopass_(\w+?)_ukernel__(\w+)", symbol).groups()
  return family.replace("_", "-") + "-bench", family, short


def measure_ns(build_dir, kernels, n, repetitions):
  """{symbol: ns per element} from the kernel benchmarks, one binary run per family."""
  by_binary = collections.defaultdict(list)
  for symbol, *_ in kernels:
    binary, family, short = bench_of(symbol)
    by_binary[binary].append((symbol, "%s/%s/%d" % (family, short, n)))
  ns = {}
  for binary, items in by_binary.items():
    path = cc.find_binary(build_dir, binary)
    if path is None:
      cc.log("%s not built: cmake --build %s --target %s" % (binary, build_dir, binary))
      continue
    pattern = "^(%s)(/|$)" % "|".join(re.escape(name) for _, name in items)
    runs, _ = cc.run_benchmark(path, ["--sizes=%d" % n, "--benchmark_filter=" + pattern],
                               repetitions=repetitions, min_time=0.05, timer="cpu")
    for symbol, name in items:
      entry = runs.get(name, {})
      if "ns" in entry:
        ns[symbol] = entry["ns"] / n
  return ns


def roofline_rows(args, kernels):
  library = os.path.join(args.build_dir, "libtwopass_microkernels.a")
  ghz = args.ghz or cpu_mhz() / 1000.0
  ns = measure_ns(args.build_dir, kernels, args.n, args.repetitions)
  rows = []
  for symbol, arch, roles, tile in kernels:
    loop = main_loop(disassemble(library, symbol))
    tile = elements_per_iteration(loop, tile)
    ops = count_ops(loop, tile)
    cycles, busiest, pressure = llvm_mca(loop, args.mcpu)
    binary, family, short = bench_of(symbol)
    path = cc.find_binary(args.build_dir, binary)
    instructions = None
    if path and not args.no_callgrind:
      instructions = callgrind_instructions(path, "%s/%s/%d" % (family, short, args.n), symbol,
                                            args.n)
    measured = ns.get(symbol)
    cc.log("  %s: %d instructions in the main loop, %d elements" % (short, len(loop), tile))
    rows.append([short, arch, ",".join(roles), str(tile), str(branches(loop))] +
                ["%.3g" % ops[c] for c in CLASSES] + [
        "%.3f" % (ops["FMA/MUL"] / FMA_PIPES),
        RESOURCES.get(busiest, busiest), "%.3f" % (pressure / tile), "%.3f" % (cycles / tile),
        "-" if instructions is None else "%.2f" % instructions,
        "-" if measured is None else "%.3f" % measured,
        "-" if measured is None else "%.3f" % (measured * ghz)])
  return rows, ghz


HEADERS = (["kernel", "ISA", "roles", "elem/iter", "branches in loop"] + ["%s /elem" % c for c in CLASSES] +
           ["FMA/MUL / %d pipes" % FMA_PIPES, "bound (llvm-mca)", "bound cyc/elem", "mca cyc/elem", "instr/elem (callgrind)",
            "ns/elem", "measured cyc/elem"])


def main():
  p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  p.add_argument("--build-dir", default=os.path.join(cc.ROOT, "build"))
  p.add_argument("--n", type=int, default=4096, help="elements per kernel call (default 4096)")
  p.add_argument("--repetitions", type=int, default=3)
  p.add_argument("--mcpu", default="znver3", help="llvm-mca's CPU model (default znver3)")
  p.add_argument("--ghz", type=float, help="the clock for cycles = ns x GHz (default: cpu MHz "
                 "of /proc/cpuinfo)")
  p.add_argument("--no-callgrind", action="store_true")
  p.add_argument("--markdown", action="store_true")
  args = p.parse_args()
  kernels = table_kernels(host_arches())
  rows, ghz = roofline_rows(args, kernels)
  print()
  print("Roofline of the operator's kernels on this host (%s), N = %d, clock %.3f GHz; "
        "ops per element of the main loop (objdump), bound and cycles per element from "
        "llvm-mca -mcpu=%s, instructions per element from callgrind, measured = ns x clock:" % (
            ", ".join(host_arches()), args.n, ghz, args.mcpu))
  print(cc.table(HEADERS, rows, args.markdown))


if __name__ == "__main__":
  main()
