#!/usr/bin/env bash
# Fails unless every dynamic symbol libpitboss defines is a pitboss_* function:
# no Abseil, protobuf or C++ symbol may leak out of the shared library.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u)
if [[ -z "$symbols" ]]; then
  echo "no exported symbols found in $lib" >&2
  exit 1
fi
leaks=$(grep -v '^pitboss_' <<<"$symbols" || true)
if [[ -n "$leaks" ]]; then
  echo "symbols other than pitboss_* are exported from $lib:" >&2
  head -20 <<<"$leaks" >&2
  exit 1
fi
for required in pitboss_version_number pitboss_abi_version pitboss_free; do
  grep -qx "$required" <<<"$symbols" || { echo "$required is not exported" >&2; exit 1; }
done
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
if [[ ! "$soname" =~ ^libpitboss\.so\.[0-9]+$ ]]; then
  echo "unexpected SONAME '$soname'" >&2
  exit 1
fi
echo "OK: $(wc -l <<<"$symbols") pitboss_* symbols exported, SONAME $soname"
