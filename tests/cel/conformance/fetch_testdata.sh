#!/usr/bin/env bash
# Fetches the CEL conformance tests at test time and exports them for the C++ runner.
#
# Installs the packages pinned by package.json + package-lock.json next to this script
# (@bufbuild/cel-spec 0.6.1 = cel-spec v0.25.1, 2,344 cases, and @bufbuild/protobuf) with npm
# into a cache directory, never into the repo, then runs export_testdata.cjs, which writes
# OUT_DIR/conformance.jsonl and OUT_DIR/descriptors.pb. Re-runs reuse the cache and need no
# network. Concurrent runs (several build directories) serialize on a lock in the cache.
#
# Usage: fetch_testdata.sh OUT_DIR
# Environment: PITBOSS_CEL_SPEC_CACHE (default $HOME/.cache/pitboss/cel-spec).
# Exit status: 0 on success; 2 if node/npm are missing or npm fails (e.g. offline, empty cache).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: fetch_testdata.sh OUT_DIR}"
cache="${PITBOSS_CEL_SPEC_CACHE:-$HOME/.cache/pitboss/cel-spec}"

for tool in node npm flock; do
  command -v "$tool" >/dev/null || { echo "fetch_testdata: $tool not found (scripts/setup installs it)" >&2; exit 2; }
done
mkdir -p "$cache" "$out"
cache="$(cd "$cache" && pwd)"

exec 9>"$cache/.lock"
flock 9

stamp="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)"
if [[ "$(cat "$cache/.installed" 2>/dev/null || true)" != "$stamp" ||
      ! -f "$cache/node_modules/@bufbuild/cel-spec/package.json" ]]; then
  echo "fetch_testdata: installing pinned @bufbuild/cel-spec into $cache" >&2
  rm -f "$cache/.installed"
  cp "$here/package.json" "$here/package-lock.json" "$cache/"
  chmod u+w "$cache/package.json" "$cache/package-lock.json"
  if ! (cd "$cache" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2); then
    echo "fetch_testdata: npm ci failed in $cache (is the npm registry reachable?)" >&2
    exit 2
  fi
  echo "$stamp" > "$cache/.installed"
fi

node "$here/export_testdata.cjs" "$cache" "$out"
