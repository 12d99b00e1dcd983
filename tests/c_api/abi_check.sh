#!/usr/bin/env bash
# The ABI gate: compares the built libpitboss against the committed baseline
# (abi/libpitboss.abi) with abigail's abidiff.
#
#   abi_check.sh LIBRARY BASELINE
#
# Fails (exit 1) when
#   - the ABI changed incompatibly (removed function, changed signature or
#     public type) and PITBOSS_ABI_VERSION was not bumped;
#   - PITBOSS_ABI_VERSION was bumped (the SONAME differs) but the baseline was
#     not regenerated with it;
#   - the ABI changed compatibly (an added function) and the baseline was not
#     regenerated: the baseline must always describe the current ABI, or a
#     later removal of the new function would go unnoticed.
# The fix is printed; see scripts/update-abi.
# Skips (exit 77) when abigail-tools are missing or the library has no debug
# info (a Release build: abidw sees only symbol names, not signatures). The
# Debug + ASan build has the same ABI XML as RelWithDebInfo and is checked too.
set -uo pipefail
lib=$1
baseline=$2
root="$(cd "$(dirname "$0")/../.." && pwd)"

for tool in abidw abidiff readelf; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not installed (abigail-tools / binutils, see scripts/setup)"
    exit 77
  fi
done
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "SKIP: $lib has no debug info (Release build); the ABI gate needs DWARF"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/abi-dump" "$lib" "$tmp/current.abi" || { echo "abidw failed on $lib"; exit 1; }

soname_of() { grep -o "soname='[^']*'" "$1" | head -1; }
if [[ "$(soname_of "$baseline")" != "$(soname_of "$tmp/current.abi")" ]]; then
  echo "FAIL: the ABI version changed ($(soname_of "$baseline") -> $(soname_of "$tmp/current.abi"))"
  echo "      but abi/libpitboss.abi was not regenerated: run scripts/update-abi and commit it"
  exit 1
fi

abidiff --no-show-locs "$baseline" "$tmp/current.abi" >"$tmp/diff.txt" 2>&1
rc=$?
cat "$tmp/diff.txt"
if ((rc == 0)); then
  echo "OK: libpitboss matches abi/libpitboss.abi ($(soname_of "$baseline"))"
  exit 0
fi
if ((rc & 3)); then
  echo "FAIL: abidiff could not compare (exit $rc)"
  exit 1
fi
# abidiff flags removals as incompatible (8) but a changed signature or public
# type only as a change (4): anything beyond pure additions is treated as a break.
only_added=1
while read -r removed changed; do
  if ((removed != 0 || changed != 0)); then only_added=0; fi
done < <(sed -n 's/.*changes summary: \([0-9]*\) Removed[^,]*, \([0-9]*\) Changed.*/\1 \2/p' "$tmp/diff.txt")
if ((rc & 8)) || ((only_added == 0)); then
  echo "FAIL: incompatible ABI change. Bump PITBOSS_ABI_VERSION in include/pitboss/pitboss.h,"
  echo "      rebuild, run scripts/update-abi and commit the baseline with the change."
  exit 1
fi
echo "FAIL: compatible ABI change (added functions) not recorded in abi/libpitboss.abi:"
echo "      run scripts/update-abi and commit the baseline with the change."
exit 1
