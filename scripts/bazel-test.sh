#!/usr/bin/env bash
# Builds everything and runs every test with Bazel, offline (no download is
# attempted: see WORKSPACE and .bazelrc; docs/bazel.md). Called by .ci/run.
#
#   scripts/bazel-test.sh                        # bazel test //... (see below),
#                                                # then the workspace examples/consumer/
#   scripts/bazel-test.sh //test:f32-rmax        # other targets
#   scripts/bazel-test.sh --config=... -- //...  # flags, then targets
#   scripts/bazel-test.sh --print-targets        # the patterns //... stands for
#
# Environment:
#   TWOPASS_BAZEL_ROOT  Bazel's output user root, i.e. its cache
#                       (default /tmp/twopass-bazel; $PWD/build/bazel works too,
#                       build/ is in .bazelignore)
#   TWOPASS_BAZEL_JOBS  parallel jobs (default 2)
#
# "//..." means the packages of the source tree: in a git checkout, the
# top-level folders holding a BUILD.bazel that git does not ignore. Copies of
# the tree under ignored folders (build-*/ ...) would otherwise be built too;
# Bazel 4's .bazelignore takes no wildcards.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

root="${TWOPASS_BAZEL_ROOT:-/tmp/twopass-bazel}"
jobs="${TWOPASS_BAZEL_JOBS:-2}"

source_patterns() {
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo //...
    return
  fi
  git ls-files --cached --others --exclude-standard -- \
      'BUILD.bazel' '*/BUILD.bazel' 'BUILD' '*/BUILD' |
    while read -r path; do
      case "$path" in
        */*) echo "//${path%%/*}/..." ;;
        *) echo "//:all" ;;
      esac
    done | sort -u
}

if [ "${1:-}" = "--print-targets" ]; then
  source_patterns
  exit 0
fi

# Flags first; targets after them (or after --); none: the source tree.
flags=()
targets=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --) shift; targets+=("$@"); break ;;
    -*) flags+=("$1") ;;
    *) targets+=("$1") ;;
  esac
  shift
done

bazel_test() {
  (set -x; bazel --output_user_root="$root" test --jobs="$jobs" --local_cpu_resources="$jobs" \
    --test_output=errors "${flags[@]}" -- "$@")
}

if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(source_patterns)
  bazel_test "${targets[@]}"
  # Then examples/consumer/, a workspace of its own that uses @twopass//:twopass
  # as another project would (a second Bazel server; stopped when done).
  cd examples/consumer
  bazel_test //...
  bazel --output_user_root="$root" shutdown
else
  bazel_test "${targets[@]}"
fi
