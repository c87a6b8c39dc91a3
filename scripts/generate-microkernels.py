#!/usr/bin/env python3
"""Generates every microkernel variant from microkernels/grid.py, then the lists.

For every family of the grid, each variant is its template expanded by
scripts/xngen.py into microkernels/<folder>/gen/<family>-<variant>.c; a
generated file the grid no longer names is deleted. Then, from the generated
kernels:
  * microkernels/<folder>/gen/<family>.h lists the family's kernels as
    TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators, beta1)
    entries, which the declarations, tests and benchmarks expand;
  * cmake/microkernels.cmake and microkernels/microkernels.bzl name the sources
    per ISA for CMake and Bazel: all of them (tests, benchmarks) and the PROD
    ones, the kernels that operators/ukernel-table.c names (the library), so
    the library never drifts from the operator's table.
Standard library only; files are rewritten only when they change. Run from
anywhere (scripts/generate-all.sh runs it).
"""
import ast
import collections
import glob
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
MICROKERNELS = os.path.join(ROOT, "microkernels")
TABLE_C = os.path.join(ROOT, "operators", "ukernel-table.c")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xngen import render, write_if_changed  # noqa: E402

# ISA (first token of the template name) -> (arch flags macro, sources variable).
ISAS = collections.OrderedDict([
    ("scalar", ("0", "SCALAR")),
    ("avx2", ("TWOPASS_ARCH_X86_AVX2_FMA", "AVX2")),
    ("avx512f", ("TWOPASS_ARCH_X86_AVX512F", "AVX512F")),
])
# Name tokens, in this order: ISA, algorithm tokens, beta1, nt, u<N>, acc<N>.
NAME = re.compile(r"^void (twopass_((?:f32|bf16|f16)_[a-z]+)_ukernel__([a-z0-9]+)(?:_(?:rr1|rr2|lut8|p3|p5|scalef))*"
                  r"(_beta1)?(?:_nt)?_u(\d+)(?:_acc(\d+))?)\(", re.MULTILINE)
HEADER = "// Auto-generated file. Do not edit!\n//   Generator: scripts/generate-microkernels.py\n"

Kernel = collections.namedtuple(
    "Kernel", "family isa name tile accumulators beta1 path template defines")


def read_grid():
  with open(os.path.join(MICROKERNELS, "grid.py")) as f:
    tree = ast.parse(f.read())
  scope = {}
  for node in tree.body:  # assignments of literals only
    if not isinstance(node, ast.Assign):
      sys.exit("microkernels/grid.py: only assignments of literals")
    value = ast.literal_eval(ast.Expression(_resolve(node.value, scope)))
    for target in node.targets:
      scope[target.id] = value
  return scope["FAMILIES"]


def _resolve(node, scope):
  """Replaces the names of earlier assignments by their literal values."""
  class Resolver(ast.NodeTransformer):
    def visit_Name(self, name):
      return ast.copy_location(ast.parse(repr(scope[name.id]), mode="eval").body, name)
  return ast.fix_missing_locations(Resolver().visit(node))


def variant_tokens(template, exp, tile, accumulators, beta1, nt):
  """ISA and algorithm tokens of the template (and of its exp core, if the
  grid gives one), then beta1, nt, u<N>, acc<N>."""
  tokens = template[:-len(".c.in")].split("-")
  tokens += exp.split("-") if exp else []
  tokens += ["beta1"] if beta1 else []
  tokens += ["nt"] if nt else []
  tokens += ["u%d" % tile] + (["acc%d" % accumulators] if accumulators > 1 else [])
  return tokens


def expand_grid(families):
  """Every variant of the grid as a Kernel (not yet generated)."""
  kernels = []
  for family, spec in families.items():
    folder = os.path.join("microkernels", spec["folder"])
    for template, variants in spec["templates"].items():
      path = os.path.join(folder, template)
      with open(os.path.join(ROOT, path)) as f:
        uses_accumulators = "ACCUMULATORS" in f.read()
      shapes = [(tile, acc, False) for tile, acc in variants]
      shapes += [(tile, 1, True) for tile in spec["nt"].get(template, [])]
      exps = spec.get("exps", {}).get(template, [None])
      for exp, beta1 in ((e, b) for e in exps for b in ((False, True) if spec["beta1"] else (False,))):
        for tile, accumulators, nt in shapes:
          tokens = variant_tokens(template, exp, tile, accumulators, beta1, nt)
          defines = dict(spec["defines"], ELEMENT_TILE=tile)
          if exp:
            defines["EXP"] = exp
          if uses_accumulators:
            defines["ACCUMULATORS"] = accumulators
          if beta1:
            defines["BETA1"] = 1
          if nt:
            defines["NONTEMPORAL"] = 1
          kernels.append(Kernel(
              family=family, isa=tokens[0],
              name="twopass_%s_ukernel__%s" % (family.replace("-", "_"), "_".join(tokens)),
              tile=tile, accumulators=accumulators, beta1=beta1,
              path=os.path.join(folder, "gen", "%s-%s.c" % (family, "-".join(tokens))),
              template=path, defines=defines))
  return kernels


def generate(kernel):
  text = render(os.path.join(ROOT, kernel.template), kernel.defines)
  match = NAME.search(text)
  if not match or match.group(1) != kernel.name:
    sys.exit("%s: defines %s, the grid expects %s" % (
        kernel.template, match.group(1) if match else "no kernel", kernel.name))
  write_if_changed(os.path.join(ROOT, kernel.path), text)


def remove_stale(kernels, families):
  """Deletes generated files the grid no longer makes (a removed variant or family)."""
  expected = {k.path for k in kernels}
  expected |= {list_path(family, spec) for family, spec in families.items()}
  for path in glob.glob(os.path.join(MICROKERNELS, "*", "gen", "*")):
    relative = os.path.relpath(path, ROOT)
    if relative not in expected:
      os.remove(path)


def list_path(family, spec):
  return os.path.join("microkernels", spec["folder"], "gen", family + ".h")


def write_family_lists(kernels, families):
  isa_order = list(ISAS)
  for family, spec in families.items():
    entries = sorted((k for k in kernels if k.family == family),
                     key=lambda k: (isa_order.index(k.isa), k.beta1, k.tile, k.accumulators,
                                    k.name))
    lines = [HEADER, "// %s kernels: arch flags, function, elements per tile, accumulators,\n"
             "// beta1 (1: computes exp(x), for beta = 1 only).\n\n" % family]
    for k in entries:
      lines.append("TWOPASS_UKERNEL(%s, %s, %d, %d, %d)\n" % (
          ISAS[k.isa][0], k.name, k.tile, k.accumulators, k.beta1))
    write_if_changed(os.path.join(ROOT, list_path(family, spec)), "".join(lines))


def table_kernels():
  """The kernel symbols that the operator's table names."""
  with open(TABLE_C) as f:
    return set(re.findall(r"\{\.\w+ = (\w+)\}", f.read()))


def write_source_lists(kernels):
  prod = table_kernels()
  missing = sorted(prod - {k.name for k in kernels})
  if missing:
    sys.exit("operators/ukernel-table.c names kernels the grid does not make: " +
             ", ".join(missing))
  cmake = [HEADER.replace("//", "#"),
           "# TWOPASS_<ISA>_MICROKERNEL_SRCS: every kernel (tests, benchmarks);\n"
           "# TWOPASS_<ISA>_PROD_MICROKERNEL_SRCS: those operators/ukernel-table.c names\n"
           "# (the library).\n\n"]
  bzl = [HEADER.replace("//", "#"),
         "# <ISA>_MICROKERNEL_SRCS: every kernel (tests, benchmarks);\n"
         "# <ISA>_PROD_MICROKERNEL_SRCS: those operators/ukernel-table.c names (the library).\n\n"]
  for isa, (_, var) in ISAS.items():
    for suffix, selected in (("", lambda k: True), ("_PROD", lambda k: k.name in prod)):
      files = sorted(k.path for k in kernels if k.isa == isa and selected(k))
      cmake.append("set(TWOPASS_%s%s_MICROKERNEL_SRCS\n%s)\n\n" %
                   (var, suffix, "".join("  %s\n" % f for f in files)))
      bzl.append("%s%s_MICROKERNEL_SRCS = [\n%s]\n\n" %
                 (var, suffix, "".join('    "%s",\n' % f for f in files)))
  write_if_changed(os.path.join(ROOT, "cmake", "microkernels.cmake"),
                   "".join(cmake).rstrip() + "\n")
  write_if_changed(os.path.join(MICROKERNELS, "microkernels.bzl"), "".join(bzl).rstrip() + "\n")


def main():
  families = read_grid()
  kernels = expand_grid(families)
  for isa in {k.isa for k in kernels} - set(ISAS):
    sys.exit("unknown ISA %r in microkernels/grid.py" % isa)
  for kernel in kernels:
    generate(kernel)
  remove_stale(kernels, families)
  write_family_lists(kernels, families)
  write_source_lists(kernels)


if __name__ == "__main__":
  main()
