#!/usr/bin/env python3
"""Writes the tables derived from the generated kernels in microkernels/gen/.

For every family (f32-raddextexp, ...) microkernels/gen/<family>.h lists its
kernels as TWOPASS_UKERNEL(arch_flags, ukernel, element_tile, accumulators)
entries, which the declarations, tests, benchmarks and operators expand.
cmake/microkernels.cmake and microkernels/microkernels.bzl name the sources
per ISA for CMake and Bazel, so both builds compile the same files.
Standard library only; files are rewritten only when they change.
"""
import collections
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir))
GEN = os.path.join(ROOT, "microkernels", "gen")
sys.path.insert(0, os.path.dirname(__file__))
from xngen import write_if_changed  # noqa: E402

# ISA token in the kernel name -> (arch flags macro, sources variable, order).
ISAS = {
    "scalar": ("0", "SCALAR", 0),
    "avx2": ("TWOPASS_ARCH_X86_AVX2_FMA", "AVX2", 1),
    "avx512f": ("TWOPASS_ARCH_X86_AVX512F", "AVX512F", 2),
}
# Name tokens, in this order: ISA, algorithm tokens, beta1, nt, u<N>, acc<N>.
NAME = re.compile(r"^void (twopass_(f32_[a-z]+)_ukernel__([a-z0-9]+)(?:_(?:rr1|p5|scalef))*"
                  r"(_beta1)?(?:_nt)?_u(\d+)(?:_acc(\d+))?)\(", re.MULTILINE)
HEADER = "// Auto-generated file. Do not edit!\n//   Generator: scripts/generate-ukernel-lists.py\n"


def scan():
  kernels = []
  for filename in sorted(os.listdir(GEN)):
    if not filename.endswith(".c"):
      continue
    with open(os.path.join(GEN, filename)) as f:
      match = NAME.search(f.read())
    if not match:
      sys.exit("no kernel definition found in " + filename)
    name, op, isa, beta1, tile, acc = match.groups()
    if isa not in ISAS:
      sys.exit("unknown ISA %r in %s" % (isa, name))
    family = op.replace("_", "-")
    kernels.append((family, ISAS[isa][2], bool(beta1), int(tile), int(acc or 1), name, isa,
                    filename))
  return sorted(kernels)


def main():
  kernels = scan()
  families = collections.defaultdict(list)
  for kernel in kernels:
    families[kernel[0]].append(kernel)
  for family, entries in families.items():
    lines = [HEADER, "// %s kernels: arch flags, function, elements per tile, accumulators,\n"
             "// beta1 (1: computes exp(x), for beta = 1 only).\n\n" % family]
    for _, _, beta1, tile, acc, name, isa, _ in entries:
      lines.append("TWOPASS_UKERNEL(%s, %s, %d, %d, %d)\n" % (ISAS[isa][0], name, tile, acc, beta1))
    write_if_changed(os.path.join(GEN, family + ".h"), "".join(lines))

  by_isa = collections.defaultdict(list)
  for kernel in kernels:
    by_isa[kernel[6]].append("microkernels/gen/" + kernel[7])
  cmake = [HEADER.replace("//", "#")]
  bzl = [HEADER.replace("//", "#")]
  for isa, (_, var, _) in sorted(ISAS.items(), key=lambda item: item[1][2]):
    files = sorted(by_isa[isa])
    cmake.append("set(TWOPASS_%s_MICROKERNEL_SRCS\n%s)\n\n" %
                 (var, "".join("  %s\n" % f for f in files)))
    bzl.append("%s_MICROKERNEL_SRCS = [\n%s]\n\n" %
               (var, "".join('    "%s",\n' % f for f in files)))
  write_if_changed(os.path.join(ROOT, "cmake", "microkernels.cmake"),
                   "".join(cmake).rstrip() + "\n")
  write_if_changed(os.path.join(ROOT, "microkernels", "microkernels.bzl"),
                   "".join(bzl).rstrip() + "\n")


if __name__ == "__main__":
  main()
