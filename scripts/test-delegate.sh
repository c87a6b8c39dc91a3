#!/usr/bin/env bash
# Builds libtwopass_tflite_delegate.so (CMake) and runs its tests
# (delegate/test/, pytest) under a real TFLite interpreter: ai-edge-litert,
# then, when a second Python is there, tflite-runtime 2.14 (the oldest layout).
# The models are built at test time with ai-edge-litert's schema module; the
# tflite-runtime leg reads the ones the first leg left in a temporary folder.
#
#   scripts/test-delegate.sh [build-dir] [pytest args...]   # default build/
#
# Environment:
#   TWOPASS_PYTHON       Python with ai-edge-litert and pytest (default:
#                        build/venv/bin/python if it exists, else
#                        build/tflite-venv/bin/python)
#   TWOPASS_PYTHON_TFLITE_RUNTIME
#                        Python with tflite-runtime and pytest for the second
#                        leg (default: build/tflite214-venv/bin/python if it
#                        exists; "none": skip the leg)
#
# Making the venvs (Debian: python3-venv):
#   /usr/bin/python3 -m venv build/tflite-venv
#   build/tflite-venv/bin/pip install -r delegate/test/requirements.txt
#   /usr/bin/python3 -m venv build/tflite214-venv
#   build/tflite214-venv/bin/pip install -r delegate/test/requirements-tflite-runtime.txt
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build="build"
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then
  build="$1"
  shift
fi

if [ -n "${TWOPASS_PYTHON:-}" ]; then
  python="$TWOPASS_PYTHON"
elif [ -x build/venv/bin/python ]; then
  python=build/venv/bin/python
else
  python=build/tflite-venv/bin/python
fi
if ! "$python" -c "import ai_edge_litert.interpreter, pytest" 2>/dev/null; then
  echo "test-delegate: $python lacks ai-edge-litert or pytest (see the header of $0)" >&2
  exit 1
fi

# Configure only a new build folder (as scripts/build.sh does); an existing
# one is built as it is configured (the delegate is on by default).
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target twopass_tflite_delegate

export TWOPASS_TFLITE_DELEGATE
TWOPASS_TFLITE_DELEGATE="$(cd "$build" && pwd)/libtwopass_tflite_delegate.so"
models="$(mktemp -d)"
trap 'rm -rf "$models"' EXIT
export TWOPASS_TFLITE_MODEL_DIR="$models"

(set -x; "$python" -m pytest -q -p no:cacheprovider delegate/test "$@")

second="${TWOPASS_PYTHON_TFLITE_RUNTIME:-build/tflite214-venv/bin/python}"
if [ "$second" != "none" ] && [ -x "$second" ]; then
  (set -x; "$second" -m pytest -q -p no:cacheprovider delegate/test "$@")
elif [ "$second" != "none" ]; then
  echo "test-delegate: no $second: the tflite-runtime leg is skipped" >&2
fi
