#!/usr/bin/env bash
# Runs the README's two commands on a fresh Debian bookworm machine: a new
# debootstrap --variant=minbase root (no compiler, no Python, no git), holding
# a clean clone of this checkout's HEAD, entered with chroot. Fails if either
# command fails:
#   ./scripts/setup.sh && ./scripts/build.sh && ./scripts/compare.sh
#   ./scripts/setup.sh && ./scripts/test.sh
# (the main job first, as the README orders them; both start from setup.sh, so
# the test command gets no package that setup.sh would not install itself).
# The main job must print the table of the modern peers (LiteRT, ONNX Runtime
# from PyPI, in build/venv) and write the plot.
# Nothing is cached between runs: every package comes from the mirror again.
# .ci/run runs it. Needs root (debootstrap, mounts, chroot).
#
#   scripts/fresh-machine-check.sh
#
# Environment:
#   TWOPASS_QUICK       passed into the root (default 1: compare.sh's quick
#                       mode, fewer sizes and repetitions; empty: the full run)
#   TWOPASS_FRESH_DIR   parent of the root (default /var/tmp); the root is a new
#                       folder in it, removed at the end
#   TWOPASS_FRESH_KEEP  1: keep the root afterwards, for a look (unmounted)
# The mirror is the host's own: the URIs of its bookworm sources in
# /etc/apt/sources.list.d/*.sources (deb822) and /etc/apt/sources.list.
#
# Measured on this project's 2-core machine: 4 min 30 s in all, or 7 min 10 s
# with other builds beside it (load 2-7); of the latter, debootstrap 67 s, the
# main job 219 s (packages, build, compare.sh --quick), the test command 91 s
# (the build is up to date by then), removing the root 50 s.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "fresh-machine-check: needs root (debootstrap, mount, chroot)" >&2
  exit 1
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite=bookworm
start=$SECONDS

step() { printf '\n==> fresh-machine-check: %s (%ds)\n' "$*" "$((SECONDS - start))" >&2; }

# host_sources <apt dir>: "URI SUITE" for each deb source whose suite is bookworm*.
host_sources() {
  local file
  for file in "$1/sources.list" "$1"/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$file" |
      awk -v suite="$suite" '$1 == "deb" && index($3, suite) == 1 { print $2, $3 }'
  done
  for file in "$1"/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # deb822: stanzas split by blank lines; "Key: value", continued on lines
    # that start with white space.
    awk -v suite="$suite" '
      function flush(  i, j, nu, ns, u, s) {
        if (f["types"] ~ /(^|[ \t])deb([ \t]|$)/ && tolower(f["enabled"]) != "no") {
          nu = split(f["uris"], u); ns = split(f["suites"], s)
          for (i = 1; i <= nu; i++)
            for (j = 1; j <= ns; j++)
              if (index(s[j], suite) == 1) print u[i], s[j]
        }
        split("", f)
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { f[key] = f[key] " " $0; next }
      {
        key = tolower(substr($0, 1, index($0, ":") - 1))
        f[key] = substr($0, index($0, ":") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", f[key])
      }
      END { flush() }' "$file"
  done
}

mapfile -t sources < <(host_sources /etc/apt | awk '!seen[$0]++')
mirror=""
for source in "${sources[@]}"; do
  [ "${source#* }" = "$suite" ] && mirror="${source%% *}" && break
done
if [ -z "$mirror" ]; then
  echo "fresh-machine-check: no '$suite' source in /etc/apt/sources.list{,.d/}" >&2
  exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  step "installing debootstrap on the host"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

parent="${TWOPASS_FRESH_DIR:-/var/tmp}"
case "$parent" in
  *[[:space:]]*) echo "fresh-machine-check: TWOPASS_FRESH_DIR must have no white space" >&2; exit 1 ;;
esac
mkdir -p "$parent"
root="$(mktemp -d "$parent/twopass-fresh.XXXXXX")"
log="$root.debootstrap.log"

# The mount points under the root, innermost first.
mounted() {
  awk -v root="$root/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r
}

# run <command>...: in the background, in a process group of its own, waited
# for: bash runs a trap only once a foreground command is done, while wait
# returns at a signal at once, and the group can be stopped whole.
child=""
run() {
  setsid "$@" &
  child=$!
  wait "$child"
}

# Every exit path: stop what still runs (the last command's group, anything
# inside the root), unmount everything under the root (ours, and debootstrap's
# if it was stopped half-way), and remove the root only once nothing is
# mounted there any more.
cleanup() {
  local status=$? pid target
  [ -z "$child" ] || kill -TERM -- "-$child" 2>/dev/null || true
  for pid in /proc/[0-9]*; do
    if [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ]; then
      kill -KILL "${pid#/proc/}" 2>/dev/null || true
    fi
  done
  for target in $(mounted); do
    umount "$target" 2>/dev/null || umount --lazy "$target" || true
  done
  rm -f "$log"
  if [ -n "$(mounted)" ]; then
    echo "fresh-machine-check: still mounted under $root, so not removed:" $(mounted) >&2
    status=1
  elif [ "${TWOPASS_FRESH_KEEP:-}" = 1 ]; then
    echo "fresh-machine-check: root kept in $root" >&2
  else
    rm -rf --one-file-system "$root"
  fi
  step "done, exit status $status"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "debootstrap --variant=minbase $suite from $mirror into $root"
run debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$log" 2>&1 || {
  tail -30 "$log" >&2
  exit 1
}

# The host's bookworm sources (updates, security), main only: what the
# project installs is all in main.
for source in "${sources[@]}"; do
  echo "deb $source main"
done >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf"  # to reach the mirror
# Local CA certificates of this host (a proxy's, say) for pip's HTTPS to PyPI:
# the root's ca-certificates package, which setup.sh installs, trusts them.
# Nothing else of the host goes in: a host without such certificates copies none.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
# No service may start inside the root (policy-rc.d, see invoke-rc.d(8)).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

# /proc and /sys: cpuinfo reads the caches and cores there; /dev: apt, the tests.
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

step "cloning $repo (HEAD $(git -C "$repo" rev-parse --short HEAD))"
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "fresh-machine-check: uncommitted changes are not tested, only HEAD" >&2
fi
git clone --quiet --no-hardlinks "$repo" "$root/root/twopass"

# in_root <command line>: runs it in the root's clone, in a clean environment.
in_root() {
  run chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    TWOPASS_QUICK="${TWOPASS_QUICK-1}" \
    /bin/sh -c "cd /root/twopass && $1"
}

step "the README's main job"
# compare.sh's output is kept (status and all) to check the peers' table below.
in_root './scripts/setup.sh && ./scripts/build.sh && { ./scripts/compare.sh >/root/compare.out;
  status=$?; cat /root/compare.out; exit $status; }'
# The modern peers' table is there, with numbers for twopass, LiteRT and ORT in
# at least one softmax row, and the plot was written.
out="$root/root/compare.out"
grep -q '^Softmax beside the modern peers' "$out" || {
  echo "fresh-machine-check: compare.sh printed no peers' table (scripts/compare_peers.py)" >&2
  exit 1
}
grep -Eq '^ *[0-9]+x[0-9A-Za-z]+ +[12] +softmax +[0-9.]+ +[0-9.]+ \([0-9.]+\) +[0-9.]+ \([0-9.]+\)' "$out" || {
  echo "fresh-machine-check: the peers' table has no softmax row timed by twopass, LiteRT and ORT" >&2
  exit 1
}
test -s "$root/root/twopass/build/compare/softmax-compare.png" || {
  echo "fresh-machine-check: compare.sh wrote no plot" >&2
  exit 1
}
step "the README's test command"
in_root './scripts/setup.sh && ./scripts/test.sh'
step "both README commands passed in a fresh $suite root"
