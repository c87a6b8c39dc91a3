#!/bin/sh
# Installs a twopass build into a temporary prefix, then builds and runs the
# consumers of examples/consumer/ out of tree against it, as projects that use
# the installed library would (ctest's example-install runs it on its build):
#   cmake   a CMake project: find_package(twopass), twopass::twopass
#   make    a Makefile: pkg-config --cflags --libs twopass
#   cc      a plain cc line, -ltwopass -lpthreadpool (shared library only)
# A shared library must also have a SONAME with the version, export exactly the
# functions that include/twopass.h declares, and not need libXNNPACK. When the
# build's library is static, the library alone is also built shared (in
# BUILD_DIR/install-test/shared-build) and checked: one run checks both kinds.
#
#   scripts/check-install.sh BUILD_DIR
#
# Everything goes to BUILD_DIR/install-test/ (emptied first; left for a look).
# Environment: CC, CFLAGS, LDFLAGS, and CXX, CXXFLAGS for the shared build: the
# build's compilers and flags (ctest passes them), so that the consumers of a
# sanitizer build link its runtime.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
work=$build/install-test
export CC="${CC:-cc}" CFLAGS="${CFLAGS:-}" LDFLAGS="${LDFLAGS:-}"
generator=""
command -v ninja >/dev/null 2>&1 && generator="-G Ninja"
rm -rf "$work"
mkdir -p "$work"

fail() {
  echo "check-install: $*" >&2
  exit 1
}

# The function names the header declares (a declaration starts its line with
# its return type, enum xnn_status).
api_functions() {
  sed -n 's/^enum xnn_status \(twopass_[a-z0-9_]*\)(.*/\1/p' "$1/include/twopass.h" | sort
}

# check_shared <prefix> <libdir>: the shared library's SONAME, symbols, needs.
check_shared() {
  so=$(readlink -f "$2/libtwopass.so")
  version=$(PKG_CONFIG_PATH="$2/pkgconfig" pkg-config --modversion twopass)
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  case "$version" in
    "${soname#libtwopass.so.}" | "${soname#libtwopass.so.}".*) ;;
    *) fail "SONAME '$soname' does not carry the version $version" ;;
  esac
  nm -D --defined-only "$so" | awk '{ print $NF }' | sort >"$work/exported.txt"
  api_functions "$1" >"$work/api.txt"
  [ -s "$work/api.txt" ] || fail "no declarations found in $1/include/twopass.h"
  if ! diff -u "$work/api.txt" "$work/exported.txt"; then
    fail "$so exports other symbols than the functions of twopass.h (diff above: + extra, - missing)"
  fi
  if ldd "$so" | grep -i xnnpack; then
    fail "$so needs libXNNPACK"
  fi
  echo "check-install: $soname exports the $(wc -l <"$work/api.txt") functions of twopass.h only, needs no libXNNPACK"
}

# check_prefix <name> <prefix>: the consumers, built in $work/<name>-*.
check_prefix() {
  name=$1 prefix=$2
  pc=$(find "$prefix" -name twopass.pc)
  [ -n "$pc" ] || fail "$prefix: no twopass.pc installed"
  libdir=$(dirname "$(dirname "$pc")")
  consumer=$root/examples/consumer

  echo "check-install: $name: CMake consumer (find_package)"
  # shellcheck disable=SC2086  # generator is two words or none
  cmake -S "$consumer" -B "$work/$name-cmake" $generator -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >"$work/$name-cmake.log" 2>&1 ||
    { cat "$work/$name-cmake.log"; fail "$name: configuring the CMake consumer failed"; }
  cmake --build "$work/$name-cmake"
  "$work/$name-cmake/consumer"

  echo "check-install: $name: Makefile consumer (pkg-config)"
  mkdir -p "$work/$name-make"
  PKG_CONFIG_PATH="$libdir/pkgconfig" make -C "$work/$name-make" -f "$consumer/Makefile"
  LD_LIBRARY_PATH="$libdir" "$work/$name-make/consumer"

  if [ -e "$libdir/libtwopass.so" ]; then
    echo "check-install: $name: plain cc line"
    # shellcheck disable=SC2086  # CFLAGS and LDFLAGS are lists of words
    $CC $CFLAGS -I"$prefix/include" -o "$work/$name-cc" "$consumer/consumer.c" $LDFLAGS \
      -L"$libdir" -Wl,-rpath,"$libdir" -ltwopass -lpthreadpool -lm
    "$work/$name-cc"
    check_shared "$prefix" "$libdir"
  fi
}

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
check_prefix installed "$work/prefix"
if [ -z "$(find "$work/prefix" -name 'libtwopass.so*')" ]; then
  # A static build: the shared library too, from the same sources and flags.
  # shellcheck disable=SC2086
  cmake -S "$root" -B "$work/shared-build" $generator -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=ON -DTWOPASS_BUILD_TESTS=OFF -DTWOPASS_BUILD_BENCHMARKS=OFF \
    >"$work/shared-build.log" 2>&1 ||
    { cat "$work/shared-build.log"; fail "configuring the shared build failed"; }
  cmake --build "$work/shared-build" --target twopass >>"$work/shared-build.log" 2>&1 ||
    { tail -50 "$work/shared-build.log"; fail "the shared build failed"; }
  cmake --install "$work/shared-build" --prefix "$work/shared" >"$work/install-shared.log"
  check_prefix shared "$work/shared"
fi
echo "check-install: OK"
