#!/usr/bin/env bash
# Installs the build tree into a temporary prefix, then builds the C embedding
# example against the installed tree twice, via pkg-config and via
# find_package(pitboss CONFIG), and runs both binaries.
set -euo pipefail
build_dir=$1
example_dir=$2
cc=${3:-cc}
# Sanitizer flags of the build under test (a ;-separated CMake list), if any.
extra_flags=${4:-}
extra_flags=${extra_flags//;/ }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log"
libdir=$(find "$prefix" -name 'libpitboss.so' -printf '%h\n' | head -1)
test -n "$libdir" || { echo "libpitboss.so was not installed" >&2; exit 1; }
test -f "$prefix/include/pitboss/pitboss.h"
test -f "$prefix/include/pitboss/v1/api.proto"

# 1. pkg-config
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -Werror $extra_flags -o "$work/embed_pkgconfig" "$example_dir/main.c" \
  $(pkg-config --cflags --libs pitboss) -Wl,-rpath,"$libdir"
"$work/embed_pkgconfig"

# 2. find_package(pitboss CONFIG)
cmake -S "$example_dir" -B "$work/cmake-build" -G Ninja -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_RPATH="$libdir" \
  -DCMAKE_C_FLAGS="$extra_flags" -DCMAKE_EXE_LINKER_FLAGS="$extra_flags" >"$work/configure.log"
cmake --build "$work/cmake-build" >"$work/build.log"
"$work/cmake-build/embed_c"
echo "OK: embed_c built and ran via pkg-config and find_package"
