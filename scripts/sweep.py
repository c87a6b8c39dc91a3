#!/usr/bin/env python3
"""Measures this host and regenerates operators/ukernel-table.c from the results.

Steps (each can be skipped):
  1. kernels:   runs each family's test (TEST_BINARIES) and drops every variant that fails
                one of its tests: they include the adversarial rows of the
                accuracy contract (peaked rows, constant rows, long rows), so
                speed alone never picks an inaccurate kernel. Then runs
                bench/f32-<family>-bench for every family with a few N
                (--kernel-sizes) and picks, per family and ISA, the passing
                variant with the lowest geometric-mean ns/element, for each
                role of the operator's table (beta1 and non-temporal variants
                compete among themselves). ISAs the host lacks keep their
                current kernels.
  2. crossover: rebuilds softmax-operator-bench with the picked kernels, runs
                forced two-pass and three-pass single rows over a grid of N
                (--crossover-sizes) and places the three-pass/two-pass crossover
                where the rule "three-pass while 8*N <= share * LLC share"
                loses the least time; the LLC share is one core's part of the
                last-level cache (LLC size / processors sharing it). XNNPACK, oneDNN and the floor run on the same
                grid for the plot.
  3. write:     operators/ukernel-table.c, the table's rows and the share, with the host.
  4. verify:    rebuilds, runs the default choice beside both forced
                algorithms on the grid and reports the worst default / best
                forced ratio (goal: <= 1.05).
  5. plot:      ns/element against N (log x), one line per algorithm and peer,
                the bandwidth floor dashed (PNG, matplotlib via /usr/bin/python3).
  Optional --algorithms: runs bench/f32-softmax-bench (three-pass recomputing and
  reloading, two-pass, online normalizer, floor; per ISA) and plots it too.

JSON from --benchmark_out; standard library only (matplotlib for the plots,
in a separate process). Each time is the fastest of --repetitions runs.

  scripts/sweep.py --build-dir build-bench                # everything, ~10 min
  scripts/sweep.py --build-dir build-bench --no-write     # measure and report only
  scripts/sweep.py --skip-kernels --skip-verify           # crossover only
"""
import argparse
import collections
import datetime
import glob
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_common as cc  # noqa: E402

TABLE_C = os.path.join(cc.ROOT, "operators", "ukernel-table.c")
MICROKERNELS = os.path.join(cc.ROOT, "microkernels")
# Families whose variants the kernel step measures, and the shape (member of
# union twopass_f32_ukernel_fn) of their kernels.
FAMILIES = [
    ("f32-raddextexp", "reduce"),
    ("f32-vscaleextexp", "vunary"),
    ("f32-rmax", "reduce"),
    ("f32-rmin", "reduce"),
    ("f32-raddstoreexpminusmax", "raddstore"),
    ("f32-raddexpminusmax", "reduce"),
    ("f32-vscale", "vunary"),
    ("f32-vaffine", "vunary"),
]
# The 16-bit rows (bf16, f16) of the table: the two-pass roles only, kernels
# not measured here. Each row takes the kernel of its datatype's family with
# the exp core (avx2_p5, avx2_rr2_lut8_p3, ...), tile and accumulators of the
# ISA's f32 row of the same role (the nearest listed tile otherwise): the
# templates are the f32 ones, with conversions.
X16_DATATYPES = ["bf16", "f16"]
X16_FAMILIES = [("%s-%s" % (datatype, family), shape + "_x16")
                for datatype in X16_DATATYPES
                for family, shape in (("raddextexp", "reduce"), ("vscaleextexp", "vunary"),
                                      ("vaffine", "vunary"), ("rmax", "reduce"),
                                      ("rmin", "reduce"), ("raddexpminusmax", "reduce"),
                                      ("vscaleexpminusmax", "vunary"))]
# The 16-bit rows' roles: two-pass, and the three-pass fallback of rows
# beyond the two-pass kernels' range (recomputing the exps: a 16-bit output
# cannot hold unrounded ones).
X16_ROLES = ["raddextexp", "raddextexp_beta1", "vscaleextexp", "vscaleextexp_beta1",
             "vscaleextexp_nt", "vscaleextexp_nt_beta1", "vaffine", "rmax", "rmin",
             "raddexpminusmax", "vscaleexpminusmax"]
# f32 roles not measured here: each takes the exp core, tile and accumulators
# of the ISA's f32 row of another role (the nearest listed tile otherwise),
# as the 16-bit rows do. vscaleexpminusmax does the exps of raddexpminusmax.
DERIVED_FAMILIES = [("f32-vscaleexpminusmax", "vunary")]
DERIVED_ROLES = {"vscaleexpminusmax": "raddexpminusmax"}
SHAPES = dict(FAMILIES + X16_FAMILIES + DERIVED_FAMILIES)
# The test executable (build/test/<name>-test) of each family, and the prefix
# its test names give the family's variants ("" where the suffix is the
# variant alone): rmax and rmin share one test, and so do
# raddstoreexpminusmax and raddexpminusmax (F32_RMINMAX.nan/rmax_avx2_u64_acc4).
TEST_BINARIES = {
    "f32-raddextexp": ("f32-raddextexp", ""),
    "f32-vscaleextexp": ("f32-vscaleextexp", ""),
    "f32-rmax": ("f32-rminmax", "rmax_"),
    "f32-rmin": ("f32-rminmax", "rmin_"),
    "f32-raddstoreexpminusmax": ("f32-expminusmax", "raddstoreexpminusmax_"),
    "f32-raddexpminusmax": ("f32-expminusmax", "raddexpminusmax_"),
    "f32-vscale": ("f32-vscale", ""),
    "f32-vaffine": ("f32-vaffine", ""),
}
# The operator's roles (enum twopass_ukernel_role), in the table's order:
# (role, family, store, beta1). A store of "nt" picks among the family's
# non-temporal variants (names with "_nt_"), or its ordinary ones where an ISA
# has none; "" among the ordinary. beta1 picks among the beta1 variants.
ROLES = [
    ("raddextexp", "f32-raddextexp", "", False),
    ("raddextexp_beta1", "f32-raddextexp", "", True),
    ("vscaleextexp", "f32-vscaleextexp", "", False),
    ("vscaleextexp_beta1", "f32-vscaleextexp", "", True),
    ("vscaleextexp_nt", "f32-vscaleextexp", "nt", False),
    ("vscaleextexp_nt_beta1", "f32-vscaleextexp", "nt", True),
    ("rmax", "f32-rmax", "", False),
    ("rmin", "f32-rmin", "", False),
    ("raddstoreexpminusmax", "f32-raddstoreexpminusmax", "", False),
    ("raddexpminusmax", "f32-raddexpminusmax", "", False),
    ("vscale", "f32-vscale", "", False),
    ("vaffine", "f32-vaffine", "", False),
    ("vscaleexpminusmax", "f32-vscaleexpminusmax", "", False),
]
ISAS = [("avx512f", "TWOPASS_ARCH_X86_AVX512F"),
        ("avx2", "TWOPASS_ARCH_X86_AVX2_FMA"),
        ("scalar", "0")]
SHARE = "twopass_three_pass_max_llc_share"
DEFAULT_KERNEL_SIZES = "4096,32768,262144"
# 8 KiB .. 32 MiB in half-octave steps: L1 to well past the L3 for x + y.
DEFAULT_CROSSOVER_SIZES = ",".join(str(int(round(2 ** (e / 2.0)))) for e in range(26, 51))
PEERS = ["xnnpack", "onednn", "floor"]


def parse_args():
  p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                              formatter_class=argparse.RawDescriptionHelpFormatter,
                              epilog=__doc__.split("\n\n", 1)[1])
  p.add_argument("--build-dir", default=os.path.join(cc.ROOT, "build-bench"))
  p.add_argument("--kernel-sizes", default=DEFAULT_KERNEL_SIZES,
                 help="N for picking kernel variants (default %s)" % DEFAULT_KERNEL_SIZES)
  p.add_argument("--crossover-sizes", default=DEFAULT_CROSSOVER_SIZES,
                 help="single-row N grid for the crossover (default 2^13 .. 2^25, half octaves)")
  p.add_argument("--repetitions", type=int, default=3)
  p.add_argument("--min-time", type=float, default=0.05)
  p.add_argument("--timer", choices=["auto", "real", "cpu"], default="auto",
                 help="auto (default): thread CPU time for 1-thread runs (robust on a shared "
                 "machine); real: wall time")
  p.add_argument("--families", default="",
                 help="comma-separated families the kernel step measures (default: all); "
                      "the others keep their current rows")
  p.add_argument("--skip-kernels", action="store_true")
  p.add_argument("--skip-crossover", action="store_true")
  p.add_argument("--skip-verify", action="store_true")
  p.add_argument("--skip-peers", action="store_true", help="no XNNPACK/oneDNN/floor lines")
  p.add_argument("--no-write", action="store_true",
                 help="report only; leave operators/ukernel-table.c as it is")
  p.add_argument("--table", default=TABLE_C, help="the kernel table file to regenerate")
  p.add_argument("--algorithms", action="store_true",
                 help="also run the algorithm comparison (f32-softmax-bench) and plot it")
  p.add_argument("--algorithm-sizes", default="1000,3000,10000,30000,100000,300000,1000000,"
                 "3000000,10000000,30000000,100000000")
  p.add_argument("--plot", help="PNG of the crossover sweep (default BUILD_DIR/sweep/sweep.png)")
  p.add_argument("--algorithm-plot",
                 help="PNG of the algorithm comparison (default BUILD_DIR/sweep/f32-softmax.png)")
  return p.parse_args()


# ---- Lists and the kernel table --------------------------------------------------

def read_lists():
  """family -> list of (isa, kernel name, tile, accumulators, beta1), from microkernels/*/gen/."""
  arch_to_isa = {arch: isa for isa, arch in ISAS}
  lists = {}
  for family, _ in FAMILIES + X16_FAMILIES + DERIVED_FAMILIES:
    entries = []
    for path in glob.glob(os.path.join(MICROKERNELS, "*", "gen", family + ".h")):
      with open(path) as f:
        for m in re.finditer(r"TWOPASS_UKERNEL\((\w+),\s*(\w+),\s*(\d+),\s*(\d+),\s*(\d)\)",
                             f.read()):
          entries.append((arch_to_isa.get(m.group(1), m.group(1)), m.group(2),
                          int(m.group(3)), int(m.group(4)), m.group(5) == "1"))
    lists[family] = entries
  return lists


# A row; the datatype column is absent in tables older than the 16-bit rows.
ROW = re.compile(r"\{(\w+), (?:twopass_datatype_(\w+), )?twopass_ukernel_role_(\w+), "
                 r"\{\.\w+ = (\w+)\}, \"\w+\", \d+\},")


def read_table(path):
  """{(isa, role): kernel name, SHARE: text}, the host line and the notes of the table file."""
  arch_to_isa = {arch: isa for isa, arch in ISAS}
  values = collections.OrderedDict()
  with open(path) as f:
    text = f.read()
  for m in ROW.finditer(text):
    if m.group(2) in (None, "f32"):  # the 16-bit rows follow from the f32 ones (x16_rows)
      values[(arch_to_isa.get(m.group(1), m.group(1)), m.group(3))] = m.group(4)
  m = re.search(r"^const double %s = ([0-9.eE+-]+);" % SHARE, text, re.MULTILINE)
  if m:
    values[SHARE] = m.group(1)
  host = re.search(r"^//   host: (.*)$", text, re.MULTILINE)
  notes = {m.group(1): m.group(2) for m in
           re.finditer(r"^//   (kernels|crossover): (.*)$", text, re.MULTILINE)}
  return values, (host.group(1) if host else "not measured"), notes, text


def store_kind(name):
  return "nt" if "_nt_" in name else ""


def is_beta1(name):
  return "_beta1_" in name


def role_variants(entries, isa, store, beta1):
  """Kernel names of one ISA for a role: its store kind (the ordinary ones if
  the ISA has none) and its beta1 flag."""
  names = [e[1] for e in entries if e[0] == isa and e[4] == beta1]
  chosen = [n for n in names if store_kind(n) == store]
  return chosen or [n for n in names if store_kind(n) == ""]


def kernel_name(family, variant):
  return "twopass_%s_ukernel__%s" % (family.replace("-", "_"), variant)


def format_share(value):
  return "%.6g" % value


def tile_and_accumulators(name):
  m = re.search(r"_u(\d+)(?:_acc(\d+))?$", name)
  return (int(m.group(1)), int(m.group(2) or 1)) if m else (0, 0)


def exp_core(name):
  """The ISA and algorithm tokens of a kernel name (its exp core: avx2_p5,
  avx2_rr2_lut8_p3), without datatype, family, beta1, nt, tile and accumulators."""
  variant = name.split("_ukernel__", 1)[-1]
  return re.sub(r"(?:_beta1)?(?:_nt)?_u\d+(?:_acc\d+)?$", "", variant)


def check_names(values):
  """Makes every kernel of the table a kernel of the current lists.

  The lists may change while a sweep runs (kernels renamed or removed): a name
  no longer listed becomes the listed kernel of the same ISA, store kind and
  beta1 flag with the same tile and accumulators, else the largest one, with a
  warning.
  """
  lists = read_lists()
  for isa, _ in ISAS:
    for role, family, store, beta1 in ROLES:
      names = role_variants(lists[family], isa, store, beta1)
      if not names or values.get((isa, role)) in names:
        continue
      shape = tile_and_accumulators(values.get((isa, role), ""))
      same = [e[1] for e in lists[family] if e[1] in names and (e[2], e[3]) == shape]
      replacement = same[0] if same else names[-1]
      cc.log("warning: %s %s: %s is not in microkernels/*/gen/%s.h (changed during the sweep?); "
             "using %s" % (isa, role, values.get((isa, role)), family, replacement))
      values[(isa, role)] = replacement


def like_row(entries, names, model):
  """The kernel of `names` most like the kernel `model`: its exp core (a family
  without it: any core), then its tile and accumulators, else the nearest tile
  (fewer accumulators first)."""
  tile, accumulators = tile_and_accumulators(model)
  core = exp_core(model)
  shapes = {e[1]: (e[2], e[3]) for e in entries}
  return min(names, key=lambda n: (exp_core(n) != core, shapes[n] != (tile, accumulators),
                                   abs(shapes[n][0] - tile), shapes[n][1]))


def derive_rows(values, lists):
  """Sets the f32 rows of DERIVED_ROLES from the rows they follow."""
  for isa, _ in ISAS:
    for role, family, store, beta1 in ROLES:
      if role in DERIVED_ROLES and (isa, DERIVED_ROLES[role]) in values:
        names = role_variants(lists[family], isa, store, beta1)
        if names:
          values[(isa, role)] = like_row(lists[family], names,
                                         values[(isa, DERIVED_ROLES[role])])


def x16_rows(values, lists, isa):
  """(datatype, role, family, kernel name) of the 16-bit rows of one ISA."""
  rows = []
  for datatype in X16_DATATYPES:
    for role, family, store, beta1 in ROLES:
      if role not in X16_ROLES:
        continue
      x16_family = family.replace("f32-", datatype + "-", 1)
      names = role_variants(lists[x16_family], isa, store, beta1)
      if not names:
        sys.exit("sweep.py: no %s kernels for %s %s in microkernels/*/gen/%s.h" %
                 (isa, datatype, role, x16_family))
      rows.append((datatype, role, x16_family,
                   like_row(lists[x16_family], names, values[(isa, role)])))
  return rows


def write_table(path, values, host, notes):
  lists = read_lists()
  derive_rows(values, lists)
  check_names(values)
  tiles = {e[1]: e[2] for entries in lists.values() for e in entries}
  lines = [
      "// The operator's kernel table: the microkernel of every (ISA, datatype, role),",
      "// and the three-pass/two-pass crossover (declared in operators/ukernel-table.h).",
      "// Generated by scripts/sweep.py from benchmark results on the host below; rerun",
      "// it (see docs/performance.md) rather than editing by hand.",
      "//   host: " + host,
  ]
  lines += ["//   " + note for note in notes]
  lines += ["//   bf16, f16 rows: not measured; the exp core, tile and accumulators of the ISA's"
            " f32 row of the role"]
  lines += ["//   f32 %s rows: not measured; those of the ISA's f32 %s row" % (role, source)
            for role, source in DERIVED_ROLES.items()]
  lines += ['#include "operators/ukernel-table.h"', "",
            "const struct twopass_ukernel twopass_ukernel_table[] = {"]
  for isa, arch in ISAS:
    rows = [("f32", role, family, values[(isa, role)]) for role, family, _, _ in ROLES]
    for datatype, role, family, name in rows + x16_rows(values, lists, isa):
      lines.append('  {%s, twopass_datatype_%s, twopass_ukernel_role_%s, {.%s = %s}, "%s", %d},' % (
          arch, datatype, role, SHAPES[family], name, name, tiles.get(name, 0)))
  lines += [
      "};",
      "",
      "const size_t twopass_ukernel_table_size =",
      "    sizeof(twopass_ukernel_table) / sizeof(twopass_ukernel_table[0]);",
      "",
      "const double %s = %s;" % (SHARE, values[SHARE]),
  ]
  text = "\n".join(lines) + "\n"
  old = open(path).read() if os.path.exists(path) else None
  if text != old:
    with open(path, "w") as f:
      f.write(text)
  cc.log("wrote %s" % os.path.relpath(path))


def llc_share_bytes(context):
  """One core's share of the last-level cache (LLC / processors sharing it):
  from the benchmark context when it reports it, else cpuinfo's L3 (or L2)
  divided by the processors that share cpu0's L3 per sysfs."""
  if context.get("cpuinfo_llc_share_bytes"):
    return int(context["cpuinfo_llc_share_bytes"])
  l2 = int(context.get("cpuinfo_l2_cache_bytes", 0)) or 1 << 20
  l3 = int(context.get("cpuinfo_l3_cache_bytes", 0))
  if not l3:
    return l2
  sharing = 1
  try:
    with open("/sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list") as f:
      for part in f.read().strip().split(","):
        first, _, last = part.partition("-")
        sharing += (int(last) - int(first) if last else 0) + 1
      sharing -= 1
  except (OSError, ValueError):
    sharing = 1
  return l3 // max(sharing, 1)


def build(build_dir, targets, table_path=None, original=None):
  """Builds targets; on failure puts back the table file as it was and exits."""
  cc.log("building %s in %s" % (", ".join(targets), build_dir))
  result = subprocess.run(["cmake", "--build", build_dir, "-j", str(os.cpu_count() or 2),
                           "--target"] + targets, stdout=sys.stderr)
  if result.returncode != 0:
    if table_path and original is not None:
      with open(table_path, "w") as f:
        f.write(original)
      cc.log("build failed: %s restored as it was" % os.path.relpath(table_path))
    sys.exit("build of %s failed" % ", ".join(targets))


# ---- Step 1: kernels --------------------------------------------------------------

def failed_variants_in_report(report, prefix):
  """Variants with a failed test in a gtest JSON report: the test names'
  suffixes that start with `prefix`, without it (skips pass)."""
  with open(report) as f:
    suites = json.load(f)["testsuites"]
  failed = set()
  for suite in suites:
    for test in suite["testsuite"]:
      if test.get("failures"):
        suffix = test["name"].rsplit("/", 1)[-1]
        if suffix.startswith(prefix):
          failed.add(suffix[len(prefix):])
  return failed


def failing_variants(build_dir, family, reports=None):
  """Variants of a family with a failed test in its test executable. `reports`
  (test name -> JSON report) runs each shared executable once."""
  test, prefix = TEST_BINARIES[family]
  reports = {} if reports is None else reports
  if test not in reports:
    binary = os.path.join(build_dir, "test", test + "-test")
    report = os.path.join(build_dir, "sweep", test + "-test.json")
    os.makedirs(os.path.dirname(report), exist_ok=True)
    subprocess.run([binary, "--gtest_brief=1", "--gtest_output=json:" + report],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reports[test] = report
  return failed_variants_in_report(reports[test], prefix)


def measured_families(args):
  """The families the kernel step measures (--families; default all): the
  others keep their current rows."""
  return [family for family, _ in FAMILIES
          if not args.families or family in args.families.split(",")]


def sweep_kernels(args, lists):
  """Returns {(family, isa, store): (best variant, {variant: geomean ns/elem})}, context."""
  best = {}
  context = {}
  reports = {}
  sizes = [cc.parse_count(s) for s in args.kernel_sizes.split(",")]
  for family in measured_families(args):
    if not lists[family]:
      cc.log("%s: no kernels in the lists" % family)
      continue
    binary = cc.find_binary(args.build_dir, family + "-bench")
    if binary is None:
      cc.log("%s-bench not built in %s: skipped" % (family, args.build_dir))
      continue
    failed = failing_variants(args.build_dir, family, reports)
    for variant in sorted(failed):
      cc.log("  %-26s %s fails its tests: never a default" % (family, variant))
    runs, context = cc.run_benchmark(binary, ["--sizes=" + ",".join(map(str, sizes))],
                                     repetitions=args.repetitions, min_time=args.min_time,
                                     label=family, timer=args.timer)
    per_variant = collections.defaultdict(dict)
    for name, entry in runs.items():
      if "ns" not in entry:
        continue
      _, variant, n = name.split("/")
      per_variant[variant][int(n)] = entry["ns"] / int(n)
    by_isa = collections.defaultdict(dict)
    for variant, times in per_variant.items():
      if len(times) == len(sizes) and variant not in failed:
        # Non-temporal variants compete among themselves (for the _nt roles),
        # and so do the beta1 variants (for the _beta1 roles).
        key = (variant.split("_")[0], store_kind(variant), is_beta1(variant))
        by_isa[key][variant] = cc.geomean(times.values())
    for (isa, store, beta1), scores in by_isa.items():
      ranked = sorted(scores.items(), key=lambda kv: kv[1])
      best[(family, isa, store, beta1)] = (ranked[0][0], scores)
      runner = ("; next %s +%.1f%%" % (ranked[1][0], 100 * (ranked[1][1] / ranked[0][1] - 1))
                if len(ranked) > 1 else "")
      label = " ".join([isa] + ([store] if store else []) + (["beta1"] if beta1 else []))
      cc.log("  %-26s %-14s best %-28s %.4f ns/elem%s" % (family, label, ranked[0][0],
                                                         ranked[0][1], runner))
  return best, context


# ---- Step 2: crossover ---------------------------------------------------------------

def operator_grid(args, impls, sizes, label):
  binary = cc.find_binary(args.build_dir, "softmax-operator-bench")
  if binary is None:
    sys.exit("softmax-operator-bench not built in %s" % args.build_dir)
  runs, context = cc.run_benchmark(
      binary, ["--sizes=" + ",".join(map(str, sizes)), "--threads=1",
               "--benchmark_filter=^(%s)/1x[0-9]+/t1/" % "|".join(impls)],
      repetitions=args.repetitions, min_time=args.min_time, label=label, timer=args.timer)
  table = collections.defaultdict(dict)
  for name, entry in runs.items():
    if "ns" in entry:
      impl, shape, _ = name.split("/")
      n = int(shape.split("x")[1])
      table[impl][n] = entry["ns"] / n
  return table, context


def find_crossover(t2, t3, sizes):
  """Threshold T (in N) minimising the time lost by "three-pass iff N <= T"."""
  sizes = [n for n in sizes if n in t2 and n in t3]
  candidates = [0] + sizes
  losses = []
  for threshold in candidates:
    loss = 0.0
    for n in sizes:
      chosen = t3[n] if n <= threshold else t2[n]
      loss += chosen / min(t2[n], t3[n]) - 1.0
    losses.append(loss)
  # Ties: the smallest threshold among equal losses (within 0.1%).
  best_loss = min(losses)
  index = next(i for i, loss in enumerate(losses) if loss <= best_loss + 1e-3)
  return candidates, index, sizes


# ---- main ------------------------------------------------------------------------------

def main():
  args = parse_args()
  sweep_dir = os.path.join(args.build_dir, "sweep")
  os.makedirs(sweep_dir, exist_ok=True)
  lists = read_lists()
  current, old_host, old_notes, original = read_table(args.table)
  values = collections.OrderedDict(current)
  notes = []
  # What a skipped step (or an ISA this host lacks) keeps comes from the old
  # file: say so, and on which host it was measured.

  def kept_note(step):
    note = old_notes.get(step)
    if note is None:
      return None
    return "%s: %s" % (step, note if " [kept from " in note else
                       "%s [kept from %s]" % (note, old_host))
  context = {}
  report = {"date": datetime.date.today().isoformat()}

  # 1. Kernels.
  if not args.skip_kernels:
    # The kernels' tests gate the choice (configure with TWOPASS_BUILD_TESTS=ON),
    # and the benchmarks measure it: both built from the current sources.
    measured = measured_families(args)
    build(args.build_dir, sorted({TEST_BINARIES[family][0] + "-test" for family in measured} |
                                 {family + "-bench" for family in measured}))
    best, context = sweep_kernels(args, lists)
    report["kernels"] = {"/".join(filter(None, (k[0], k[1], k[2], "beta1" if k[3] else ""))):
                         {"best": v[0], "ns_per_element": v[1]} for k, v in best.items()}
    measured_isas = sorted({key[1] for key in best})
    kept_isas = [isa for isa, _ in ISAS if isa not in measured_isas]
    if args.families:
      # Only some families measured: every other row is what the old file says.
      notes.append("kernels: %s measured (best geometric-mean ns/element at N = %s, %s); "
                   "the other rows as before: %s" % (
                       ", ".join(measured), args.kernel_sizes,
                       ", ".join(measured_isas) or "none measured",
                       old_notes.get("kernels", "not measured")))
    else:
      notes.append("kernels: best geometric-mean ns/element at N = %s (%s)%s" % (
          args.kernel_sizes, ", ".join(measured_isas) or "none measured",
          "; %s kept from %s" % (", ".join(kept_isas), old_host) if kept_isas else ""))
  else:
    best = {}
    notes.append(kept_note("kernels"))
  for isa, _ in ISAS:
    for role, family, store, beta1 in ROLES:
      if role in DERIVED_ROLES:
        continue  # write_table derives it
      names = role_variants(lists[family], isa, store, beta1)
      if store and (family, isa, store, beta1) not in best:
        store = ""  # no such variant for this ISA: the ordinary one
      if (family, isa, store, beta1) in best:
        values[(isa, role)] = kernel_name(family, best[(family, isa, store, beta1)][0])
      elif (isa, role) not in values or values[(isa, role)] not in names:
        if names:
          # Not measurable here and the current name is not built: the list's
          # largest variant keeps the operator compiling.
          values[(isa, role)] = names[-1]
          cc.log("warning: %s %s: %s not in the lists and not measured; using %s" %
                 (isa, role, current.get((isa, role)), names[-1]))
        else:
          cc.log("warning: %s %s: no such kernels in microkernels/*/gen/%s.h; kept %s" %
                 (isa, role, family, values.get((isa, role))))
  host = old_host

  plot_series = {}
  if not args.skip_crossover:
    if not args.no_write:
      write_table(args.table, values, host, notes + ["crossover: not measured yet"])
      build(args.build_dir, ["softmax-operator-bench"], args.table, original)
    sizes = [cc.parse_count(s) for s in args.crossover_sizes.split(",")]
    impls = ["twopass_2p", "twopass_3p"] + ([] if args.skip_peers else PEERS)
    table, context = operator_grid(args, impls, sizes, "crossover grid")
    l2 = int(context.get("cpuinfo_l2_cache_bytes", 0)) or 1 << 20
    llc_share = llc_share_bytes(context)
    candidates, index, used = find_crossover(table["twopass_2p"], table["twopass_3p"], sizes)
    threshold = candidates[index]
    following = [n for n in used if n > threshold]
    if threshold == 0:
      boundary = used[0] / 2 ** 0.5
      cc.log("warning: two-pass was best at every N of the grid")
    elif not following:
      boundary = threshold * 2 ** 0.5
      cc.log("warning: three-pass was best at every N of the grid")
    else:
      boundary = (threshold * following[0]) ** 0.5
    share = 8.0 * boundary / llc_share
    values[SHARE] = format_share(share)
    print("\nCrossover (single row, 1 thread; ns/element, fastest of %d runs):" % args.repetitions)
    print("%12s %10s %10s %8s  %s" % ("N", "two-pass", "three-pass", "3p/2p", "8N/LLC share"))
    for n in used:
      print("%12d %10.4f %10.4f %8.3f  %6.3f%s" % (
          n, table["twopass_2p"][n], table["twopass_3p"][n],
          table["twopass_3p"][n] / table["twopass_2p"][n], 8.0 * n / llc_share,
          "   <- three-pass up to here" if n == threshold else ""))
    limit = float(values[SHARE]) * llc_share
    print("three-pass while 8*N <= %s x LLC share (%d KiB; %.3g x L2 of %d KiB): N <= %d" % (
        values[SHARE], llc_share >> 10, limit / l2, l2 >> 10, int(limit / 8)))
    notes.append("crossover: three-pass while 8*N <= share * (LLC / processors sharing it), "
                 "measured on N = %s .. %s (single rows, 1 thread); LLC share %d KiB, so the "
                 "limit is %.3g x L2 (%d KiB)" % (cc.short_count(used[0]), cc.short_count(used[-1]),
                                               llc_share >> 10, limit / l2, l2 >> 10))
    report["crossover"] = {"share": float(values[SHARE]), "llc_share_bytes": llc_share,
                           "l2_cache_bytes": l2, "two_pass": table["twopass_2p"],
                           "three_pass": table["twopass_3p"]}
    plot_series = dict(table)
  if context.get("twopass_host"):
    host = "%s; %s" % (context["twopass_host"], report["date"])

  if args.skip_crossover:
    notes.append(kept_note("crossover"))
  notes = [note for note in notes if note]

  # 3. Write.
  if not args.no_write:
    write_table(args.table, values, host, notes)
  else:
    print("\n--no-write: %s left as it is. Would write:" % os.path.relpath(args.table))
    for key, value in values.items():
      if current.get(key) != value:
        print("  %s: %s -> %s" % (key, current.get(key), value))

  # 4. Verify the default choice (on binaries rebuilt with the new table).
  if not args.no_write and (args.algorithms or not (args.skip_verify or args.skip_crossover)):
    build(args.build_dir, ["softmax-operator-bench"] +
          (["f32-softmax-bench"] if args.algorithms else []), args.table, original)
  if not args.skip_verify and not args.skip_crossover:
    sizes = [cc.parse_count(s) for s in args.crossover_sizes.split(",")]
    table, _ = operator_grid(args, ["twopass", "twopass_2p", "twopass_3p"], sizes,
                             "verify default choice")
    worst = None
    for n in sorted(table["twopass"]):
      if n in table["twopass_2p"] and n in table["twopass_3p"]:
        loss = table["twopass"][n] / min(table["twopass_2p"][n], table["twopass_3p"][n])
        if worst is None or loss > worst[0]:
          worst = (loss, n)
    if worst:
      print("\nDefault vs better forced algorithm: worst %.3f at N = %d (goal <= 1.05): %s" % (
          worst[0], worst[1], "met" if worst[0] <= 1.05 else "NOT met"))
      report["verify"] = {"worst_ratio": worst[0], "at": worst[1], "default": table["twopass"]}
    plot_series["twopass"] = table["twopass"]

  # 5. Plots.
  if plot_series:
    labels = [("twopass", "twopass (default choice)", dict(color="tab:red", width=2.4)),
              ("twopass_2p", "two-pass (extended exponent)", dict(color="tab:orange")),
              ("twopass_3p", "three-pass (reloading)", dict(color="tab:purple")),
              ("xnnpack", "XNNPACK softmax (system)", dict(color="tab:blue")),
              ("onednn", "oneDNN softmax", dict(color="tab:green")),
              ("floor", "bandwidth floor (read + copy)",
               dict(color="black", style="dashed", marker="."))]
    series = [dict(label=label, points=sorted(plot_series[key].items()), **style)
              for key, label, style in labels if plot_series.get(key)]
    vlines = []
    if "crossover" in report:
      vlines.append({"x": float(values[SHARE]) * report["crossover"]["llc_share_bytes"] / 8,
                     "label": "crossover"})
    png = args.plot or os.path.join(sweep_dir, "sweep.png")
    if cc.plot({"title": "twopass operators, one row of N floats, 1 thread",
                "subtitle": host, "xlabel": "N (elements in the row)", "series": series,
                "vlines": vlines}, png):
      print("Plot: %s" % os.path.abspath(png))

  if args.algorithms:
    run_algorithms(args, sweep_dir, report)

  json_path = os.path.join(sweep_dir, "sweep.json")
  with open(json_path, "w") as f:
    json.dump(report, f, indent=1, default=str)
  print("Raw results: %s" % os.path.abspath(json_path))


def run_algorithms(args, sweep_dir, report):
  binary = cc.find_binary(args.build_dir, "f32-softmax-bench")
  if binary is None:
    cc.log("f32-softmax-bench not built: algorithm comparison skipped")
    return
  runs, context = cc.run_benchmark(
      binary, ["--sizes=" + args.algorithm_sizes,
               "--benchmark_filter=^f32_softmax/(avx512f|avx2|memory)/",
               "--iteration_clock=" + ("wall" if args.timer == "real" else "cpu")],
      repetitions=args.repetitions, min_time=args.min_time, label="algorithm comparison")
  table = collections.defaultdict(dict)
  for name, entry in runs.items():
    if "ns" in entry:
      _, isa, algorithm, n = name.split("/")
      table["%s/%s" % (isa, algorithm)][int(n)] = entry["ns"] / int(n)
  report["algorithms"] = table
  sizes = sorted({n for t in table.values() for n in t})
  keys = sorted(table)
  print("\nAlgorithm comparison (kernels composed, cold outputs; ns/element):")
  print("%-34s" % "ISA/algorithm" + "".join("%9s" % cc.short_count(n) for n in sizes))
  for key in keys:
    print("%-34s" % key + "".join("%9s" % ("%.3f" % table[key][n] if n in table[key] else "-")
                                  for n in sizes))
  colors = {"three_pass_recompute": "tab:purple", "three_pass_reload": "tab:blue",
            "two_pass": "tab:red", "online": "tab:green", "floor": "black"}
  series = []
  for key in keys:
    isa, algorithm = key.split("/")
    series.append(dict(label=key.replace("memory/", "").replace("_", " "),
                       points=sorted(table[key].items()), color=colors.get(algorithm),
                       style="dashed" if algorithm == "floor" else
                       ("dotted" if isa == "avx2" else "solid")))
  png = args.algorithm_plot or os.path.join(sweep_dir, "f32-softmax.png")
  if cc.plot({"title": "Softmax algorithms (kernels composed; outputs cold), 1 thread",
              "subtitle": cc.host_description(context), "xlabel": "N (elements)",
              "series": series}, png):
    print("Plot: %s" % os.path.abspath(png))


if __name__ == "__main__":
  main()
