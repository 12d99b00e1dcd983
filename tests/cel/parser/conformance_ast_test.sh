#!/usr/bin/env bash
# Parses every cel-spec conformance expression and compares the tree with the
# expected AST in the data. The data is fetched at test time by the
# conformance harness's fetch_testdata.sh (cached, never in the repo); exits 77
# (skip) when node/npm or the package are unavailable.
# Usage: conformance_ast_test.sh CONFORMANCE_AST_MAIN WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tool="${1:?usage: conformance_ast_test.sh TOOL WORK_DIR}"
work="${2:?usage: conformance_ast_test.sh TOOL WORK_DIR}"
cache="${PITBOSS_CEL_SPEC_CACHE:-$HOME/.cache/pitboss/cel-spec}"
mkdir -p "$work"
status=0
"$here/../conformance/fetch_testdata.sh" "$work/testdata" >/dev/null || status=$?
if [[ $status -ne 0 ]]; then
  echo "conformance_ast_test: test data unavailable (fetch exit $status), skipping" >&2
  exit 77
fi
node "$here/export_asts.cjs" "$cache" "$work/asts.bin"
exec "$tool" "$work/asts.bin"
