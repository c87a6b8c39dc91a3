#!/bin/sh
# Builds twopass and runs every test (ctest: microkernels, operators, examples),
# then installs the Python package from the checkout into build/venv (made by
# scripts/setup.sh) and runs its pytest suite (python/tests/) and the scripts'
# tests (scripts/test_*.py), and runs the
# TFLite delegate's suite (delegate/test/, scripts/test-delegate.sh).
set -e
cd "$(dirname "$0")/.."
sh scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"

# The Python package: built by its pyproject.toml (scikit-build-core, from the
# venv: no build isolation, no download) in build/python, which keeps the
# library's CMake build between runs.
venv=build/venv
if [ ! -x "$venv/bin/python" ]; then
  echo "test.sh: no $venv: run scripts/setup.sh first" >&2
  exit 1
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q \
  --no-index --no-build-isolation --no-deps --force-reinstall \
  --config-settings=build-dir="$PWD/build/python" ./python
(cd python && "../$venv/bin/python" -m pytest -q -p no:cacheprovider tests)
# The scripts' own tests (scripts/test_*.py: the goals logic of compare.sh).
"$venv/bin/python" -m pytest -q -p no:cacheprovider scripts

./scripts/test-delegate.sh build
