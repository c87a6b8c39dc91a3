#!/usr/bin/env bash
# Checks that the Bazel and CMake builds build the same things:
#   1. microkernels/microkernels.bzl and cmake/microkernels.cmake (both written
#      by scripts/generate-microkernels.py) list the same kernel sources per
#      ISA, and together exactly microkernels/*/gen/*.c; their PROD lists too,
#      each a part of its ISA's list;
#   2. the test, benchmark, example and fuzzing executables and the TFLite
#      delegate: both compile the same files of test/, bench/, examples/,
#      fuzz/ and delegate/, and each CMake executable (or module: the
#      delegate) is one Bazel cc_test / cc_binary (whose sources are among the
#      executable's, the others being helpers in Bazel libraries), and back.
# CMake is configured (not built) in a temporary folder and read through its
# file API; Bazel is queried offline (same cache as scripts/bazel-test.sh).
#
#   scripts/check-build-lists.sh           # both checks
#   scripts/check-build-lists.sh --lists   # check 1 only (no CMake, no Bazel)
#
# Environment: TWOPASS_BAZEL_ROOT as for scripts/bazel-test.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:-all}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$mode" != "--lists" ]; then
  # CMake: configure only, asking the file API for the code model.
  mkdir -p "$tmp/cmake/.cmake/api/v1/query"
  touch "$tmp/cmake/.cmake/api/v1/query/codemodel-v2"
  if ! cmake -S . -B "$tmp/cmake" -DTWOPASS_BUILD_TESTS=ON -DTWOPASS_BUILD_BENCHMARKS=ON \
      >"$tmp/cmake.log" 2>&1; then
    cat "$tmp/cmake.log" >&2
    echo "check-build-lists: CMake configuration failed" >&2
    exit 1
  fi
  # Bazel: every cc_test, cc_binary and cc_library of the tree, with its sources.
  # The source tree's packages, as scripts/bazel-test.sh tests them.
  universe="$(scripts/bazel-test.sh --print-targets | sed 's/^/+ /' | tr '\n' ' ')"
  universe="${universe#+ }"
  bazel --output_user_root="${TWOPASS_BAZEL_ROOT:-/tmp/twopass-bazel}" query \
    "kind(\"cc_(test|binary|library) rule\", $universe)" --output=build \
    >"$tmp/bazel.build" 2>"$tmp/bazel.log" || {
    cat "$tmp/bazel.log" >&2
    echo "check-build-lists: bazel query failed" >&2
    exit 1
  }
fi

python3 - "$mode" "$tmp" <<'PYTHON'
import glob
import json
import os
import re
import sys

mode, tmp = sys.argv[1], sys.argv[2]
errors = []

# ---- 1. Kernel source lists ------------------------------------------------------
def cmake_lists(path):
    text = open(path).read()
    return {m.group(1): sorted(m.group(2).split())
            for m in re.finditer(r"set\(TWOPASS_(\w+)_MICROKERNEL_SRCS\s*(.*?)\)", text, re.S)}

def bzl_lists(path):
    text = open(path).read()
    return {m.group(1): sorted(re.findall(r'"([^"]+)"', m.group(2)))
            for m in re.finditer(r"(\w+)_MICROKERNEL_SRCS\s*=\s*\[(.*?)\]", text, re.S)}

cmake = cmake_lists("cmake/microkernels.cmake")
bzl = bzl_lists("microkernels/microkernels.bzl")
if cmake != bzl:
    for isa in sorted(set(cmake) | set(bzl)):
        only_cmake = sorted(set(cmake.get(isa, [])) - set(bzl.get(isa, [])))
        only_bzl = sorted(set(bzl.get(isa, [])) - set(cmake.get(isa, [])))
        for f in only_cmake:
            errors.append("%s: in cmake/microkernels.cmake only: %s" % (isa, f))
        for f in only_bzl:
            errors.append("%s: in microkernels/microkernels.bzl only: %s" % (isa, f))
listed = sorted(f for isa, files in bzl.items() if not isa.endswith("_PROD") for f in files)
for isa, files in sorted(bzl.items()):
    if isa.endswith("_PROD"):
        for f in sorted(set(files) - set(bzl.get(isa[:-len("_PROD")], []))):
            errors.append("%s: a PROD kernel outside its ISA's list: %s" % (isa, f))
on_disk = sorted(glob.glob("microkernels/*/gen/*.c"))
for f in sorted(set(on_disk) - set(listed)):
    errors.append("kernel source in no list (run scripts/generate-microkernels.py): " + f)
for f in sorted(set(listed) - set(on_disk)):
    errors.append("listed kernel source missing: " + f)
if len(listed) != len(set(listed)):
    errors.append("a kernel source is listed for two ISAs")
print("kernel lists: %d sources (%s)" % (
    len(listed), ", ".join("%s %d" % (isa, len(bzl[isa])) for isa in sorted(bzl))))

# ---- 2. Executables ------------------------------------------------------------------
if mode != "--lists":
    DIRS = ("test/", "bench/", "examples/", "fuzz/", "delegate/")

    def ours(path):
        return path.startswith(DIRS) and not path.endswith((".h", ".hpp"))

    # CMake: executables and libraries, with their sources under DIRS.
    source_dir = os.getcwd()
    reply = os.path.join(tmp, "cmake", ".cmake", "api", "v1", "reply")
    index = json.load(open(glob.glob(os.path.join(reply, "index-*.json"))[0]))
    codemodel = index["reply"]["codemodel-v2"]["jsonFile"]
    codemodel = json.load(open(os.path.join(reply, codemodel)))
    cmake_exes, cmake_compiled = {}, set()
    for ref in codemodel["configurations"][0]["targets"]:
        target = json.load(open(os.path.join(reply, ref["jsonFile"])))
        srcs = set()
        for source in target.get("sources", []):
            path = source["path"]
            if os.path.isabs(path):
                path = os.path.relpath(path, source_dir)
            if ours(path):
                srcs.add(path)
        cmake_compiled |= srcs
        if target["type"] in ("EXECUTABLE", "MODULE_LIBRARY") and srcs:
            cmake_exes[target["name"]] = srcs

    # Bazel: cc_test / cc_binary rules (their own srcs) and all compiled srcs.
    text = open(os.path.join(tmp, "bazel.build")).read()
    bazel_exes, bazel_compiled = {}, set()
    for kind, body in re.findall(r"^(cc_test|cc_binary|cc_library)\(\n(.*?)^\)", text, re.S | re.M):
        name = re.search(r'name = "([^"]+)"', body).group(1)
        srcs = re.search(r"srcs = \[(.*?)\]", body, re.S)
        files = set()
        for label in re.findall(r'"(//[^"]*)"', srcs.group(1) if srcs else ""):
            package, _, filename = label[2:].partition(":")
            path = os.path.join(package, filename)
            if ours(path):
                files.add(path)
        bazel_compiled |= files
        if kind != "cc_library" and files:
            bazel_exes["//%s:%s" % (os.path.dirname(next(iter(files))), name)] = files

    for path in sorted(cmake_compiled - bazel_compiled):
        errors.append("compiled by CMake, not by Bazel: " + path)
    for path in sorted(bazel_compiled - cmake_compiled):
        errors.append("compiled by Bazel, not by CMake: " + path)
    # Each CMake executable is one Bazel executable whose sources are among its
    # own (the rest being helpers, in Bazel libraries), and back.
    matched = set()
    for exe, srcs in sorted(cmake_exes.items()):
        targets = [t for t, files in bazel_exes.items() if files <= srcs]
        if len(targets) != 1:
            errors.append("CMake executable %s (%s) matches Bazel targets %s" % (
                exe, " ".join(sorted(srcs)), targets or "none"))
            continue
        matched.add(targets[0])
        print("  %-40s %s" % (exe, targets[0]))
    for target in sorted(set(bazel_exes) - matched):
        errors.append("Bazel target %s (%s) has no CMake executable" % (
            target, " ".join(sorted(bazel_exes[target]))))
    print("executables: CMake %d, Bazel %d; sources compiled: CMake %d, Bazel %d" % (
        len(cmake_exes), len(bazel_exes), len(cmake_compiled), len(bazel_compiled)))

if errors:
    print("\n".join("error: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
print("check-build-lists: OK")
PYTHON
