#!/usr/bin/env bash
# Proves the ABI gate (abi_check.sh) can fail: runs it against baselines edited
# to differ from the built library in each way it must catch, and checks the
# verdict and the advice printed.
#
#   abi_check_selftest.sh LIBRARY BASELINE
set -uo pipefail
lib=$1
baseline=$2
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect NAME EXPECTED_TEXT BASELINE_FILE: the gate must exit 1 and print the text.
expect() {
  local out rc
  out=$("$here/abi_check.sh" "$lib" "$3" 2>&1)
  rc=$?
  if ((rc == 77)); then echo "$out"; exit 77; fi
  if ((rc != 1)) || ! grep -qF "$2" <<<"$out"; then
    echo "FAIL [$1]: expected exit 1 with '$2', got exit $rc:"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok [$1]"
  fi
}

# The unedited baseline passes.
if ! "$here/abi_check.sh" "$lib" "$baseline" >"$tmp/out" 2>&1; then
  rc=$?
  if ((rc == 77)); then cat "$tmp/out"; exit 77; fi
  echo "FAIL [baseline]: the committed baseline does not match:"; cat "$tmp/out"
  exit 1
fi
echo "ok [baseline]"

# A function the baseline lacks: the library added it.
sed '/<function-decl name=.pitboss_engine_free./,/<\/function-decl>/d; /pitboss_engine_free/d' \
  "$baseline" >"$tmp/added.abi"
expect "added function" "compatible ABI change" "$tmp/added.abi"

# A function only the baseline has: the library removed it.
sed "s/pitboss_version_number/pitboss_gone_number/g" "$baseline" >"$tmp/removed.abi"
expect "removed function" "incompatible ABI change" "$tmp/removed.abi"

# A parameter whose type changed (size_t policy_len was int).
int_id=$(grep -o "<type-decl name='int' size-in-bits='32' id='[^']*'" "$baseline" | sed "s/.*id='//; s/'//")
sed "/<function-decl name='pitboss_engine_new'/,/<\/function-decl>/ s/\(<parameter type-id='\)[^']*\(' name='policy_len'\)/\1$int_id\2/" \
  "$baseline" >"$tmp/changed.abi"
if cmp -s "$baseline" "$tmp/changed.abi"; then
  echo "FAIL [changed parameter]: could not edit the baseline"; failures=$((failures + 1))
else
  expect "changed parameter" "incompatible ABI change" "$tmp/changed.abi"
fi

# The ABI version was bumped without regenerating the baseline.
sed "s/soname='libpitboss\.so\.[0-9]*'/soname='libpitboss.so.999'/" "$baseline" >"$tmp/soname.abi"
expect "ABI version bumped" "was not regenerated" "$tmp/soname.abi"

((failures == 0)) || exit 1
echo "abi_check_selftest: the gate catches every change it must"
