#!/usr/bin/env bash
# One command to compare twopass with the other softmax implementations on
# this machine, in two parts:
#   C part: build/bench/softmax-operator-bench through scripts/compare.py:
#     twopass, Debian's XNNPACK (2022) and oneDNN (2.6), the bandwidth floor;
#   Python part: scripts/compare_peers.py in build/venv: the twopass package,
#     LiteRT (ai-edge-litert, its XNNPACK delegate), ONNX Runtime, PyTorch
#     (--with-torch) and the same floor, in one process, interleaved.
# Steps:
#   1. installs the Debian packages that are missing (scripts/setup.sh compare,
#      which uses sudo when not root; skip with TWOPASS_NO_INSTALL=1),
#   2. builds softmax-operator-bench and libtwopass_floor.so in build/
#      (TWOPASS_BUILD_DIR overrides), configured as scripts/build.sh does when
#      it is not configured yet,
#   3. Python part only: makes sure build/venv (TWOPASS_VENV overrides) has
#      scripts/requirements-peers.txt and the twopass package (pip install
#      ./python, again when its sources changed), and torch with --with-torch,
#   4. runs the C part (tables of scripts/compare.py), then the Python part
#      (the peers' table, then issue 16's goals table: scripts/goals.py, from
#      both parts' results and an accuracy check), and writes the plot
#      (BUILD_DIR/compare/softmax-compare.png).
# Options:
#   --no-python-peers   the C part only (no venv, no PyPI)
#   --with-torch        PyTorch too (installs scripts/requirements-torch.txt: several GB)
#   --quick, --markdown, --no-threads, --plot=PATH, --out-dir=DIR: both parts
#   --peers-OPTION[=V]  OPTION[=V] to scripts/compare_peers.py only (--peers-rounds=3,
#                       --peers-shapes=1x4096,256x4096, --peers-ops=softmax; see its --help)
#   anything else       to scripts/compare.py only (--sizes=..., --repetitions=N,
#                       --min-time=S, --timer=real; see its --help)
# TWOPASS_QUICK=1 in the environment adds --quick. Full run: about 10-15 minutes;
# --quick: about 3.
set -e
cd "$(dirname "$0")/.."
BUILD_DIR=${TWOPASS_BUILD_DIR:-build}
VENV=${TWOPASS_VENV:-build/venv}

step() { printf '\n==> %s\n' "$*" >&2; }

python_peers=1
with_torch=""
c_args=()
peers_args=()
[ -z "$TWOPASS_QUICK" ] || set -- --quick "$@"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-python-peers) python_peers="" ;;
    --with-torch) with_torch=1; peers_args+=("$1") ;;
    --quick|--markdown|--no-threads) c_args+=("$1"); peers_args+=("$1") ;;
    --out-dir=*) c_args+=("$1"); peers_args+=("$1") ;;
    --out-dir) c_args+=("$1" "$2"); peers_args+=("$1" "$2"); shift ;;
    --plot=*) c_args+=("$1"); peers_args+=("$1") ;;
    --plot) c_args+=("$1" "$2"); peers_args+=("$1" "$2"); shift ;;
    --peers-*) peers_args+=("--${1#--peers-}") ;;
    *) c_args+=("$1") ;;
  esac
  shift
done

# ---- 1. Packages ---------------------------------------------------------------
# scripts/setup.sh's list for the build and the comparison (one list for both).
if [ -z "$TWOPASS_NO_INSTALL" ] && command -v dpkg >/dev/null 2>&1; then
  # --no-python-peers: no venv, no PyPI.
  no_venv=""
  [ -n "$python_peers" ] || no_venv=1
  TWOPASS_NO_VENV=$no_venv sh scripts/setup.sh compare >&2
fi

# ---- 2. Build ------------------------------------------------------------------
JOBS=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  step "Configuring $BUILD_DIR"
  GENERATOR=()
  command -v ninja >/dev/null 2>&1 && GENERATOR=(-G Ninja)
  cmake -S . -B "$BUILD_DIR" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=Release >&2
fi
targets=(softmax-operator-bench)
[ -z "$python_peers" ] || targets+=(twopass-floor)
step "Building ${targets[*]} in $BUILD_DIR ($JOBS jobs)"
cmake --build "$BUILD_DIR" --target "${targets[@]}" -j "$JOBS" >&2

# ---- 3. The Python part's environment ------------------------------------------
# pip_requirements <name> <file>: pip install -r <file>, unless the stamp
# VENV/.twopass-<name> says that the same file was installed already.
pip_requirements() {
  local stamp="$VENV/.twopass-$1" key
  key="$(cksum <"$2")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$key" ]; then
    "$VENV/bin/pip" install --disable-pip-version-check -q -r "$2" >&2
    printf '%s' "$key" >"$stamp"
  fi
}
if [ -n "$python_peers" ]; then
  if [ ! -x "$VENV/bin/python" ]; then
    step "Creating the virtual environment $VENV"
    /usr/bin/python3 -m venv "$VENV" >&2 || {
      echo "compare.sh: /usr/bin/python3 -m venv failed (Debian: apt-get install python3-venv," \
           "which scripts/setup.sh installs); --no-python-peers skips the Python part" >&2
      exit 1
    }
  fi
  step "Python peers in $VENV (scripts/requirements-peers.txt${with_torch:+, scripts/requirements-torch.txt})"
  pip_requirements peers scripts/requirements-peers.txt
  [ -z "$with_torch" ] || pip_requirements torch scripts/requirements-torch.txt
  # The twopass package, reinstalled when a file it is built from is newer
  # than the last install.
  if [ -d python ]; then
    stamp="$VENV/.twopass-package"
    if [ ! -f "$stamp" ] || ! "$VENV/bin/python" -c 'import twopass' 2>/dev/null ||
        [ -n "$(find python include operators microkernels cmake CMakeLists.txt \
                  -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
      step "Installing the twopass package (pip install ./python)"
      touch "$stamp.new"
      # As scripts/test.sh installs it: the build backend from the venv
      # (scripts/requirements.txt), the CMake build kept in build/python.
      "$VENV/bin/pip" install --disable-pip-version-check --no-input -q --no-index \
        --no-build-isolation --no-deps --force-reinstall \
        --config-settings=build-dir="$PWD/build/python" ./python >&2
      mv "$stamp.new" "$stamp"
    fi
  elif ! "$VENV/bin/python" -c 'import twopass' 2>/dev/null; then
    echo "compare.sh: no python/ in this checkout and no twopass package in $VENV;" \
         "--no-python-peers skips the Python part" >&2
    exit 1
  fi
fi

# ---- 4. Run --------------------------------------------------------------------
PYTHON=python3
# Debian's matplotlib lives with the system Python; prefer it for the plot.
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  PYTHON=/usr/bin/python3
fi
if [ -z "$python_peers" ]; then
  step "Running the comparison (C part)"
  exec "$PYTHON" scripts/compare.py --build-dir "$BUILD_DIR" "${c_args[@]}"
fi
step "Running the comparison, C part (scripts/compare.py)"
# The plot comes from the Python part, with both parts' lines.
"$PYTHON" scripts/compare.py --build-dir "$BUILD_DIR" --no-plot "${c_args[@]}"
step "Running the comparison, Python part (scripts/compare_peers.py)"
exec "$VENV/bin/python" scripts/compare_peers.py --build-dir "$BUILD_DIR" "${peers_args[@]}"
