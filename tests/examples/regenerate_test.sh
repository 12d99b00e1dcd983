#!/bin/sh
# Regenerates examples/events/ with the committed arguments
# (examples/events/casino-jp.args) and checks the stream and the scenario
# manifest are byte for byte the committed ones.
# Usage: regenerate_test.sh <source dir> <scratch dir>
set -eu
src="$1"
out="$2"
dir="$src/examples/events"
mkdir -p "$out"
# shellcheck disable=SC2046  # the arguments file holds plain words
"$dir/generate" $(cat "$dir/casino-jp.args") \
  --out "$out/casino-jp.jsonl" --manifest "$out/casino-jp.scenarios.tsv"
status=0
for f in casino-jp.jsonl casino-jp.scenarios.tsv; do
  if cmp "$dir/$f" "$out/$f"; then
    echo "$f: identical ($(wc -l < "$out/$f") lines)"
  else
    echo "$f: differs from the committed file; regenerate it with:" >&2
    echo "  examples/events/generate $(cat "$dir/casino-jp.args") --out examples/events/casino-jp.jsonl --manifest examples/events/casino-jp.scenarios.tsv" >&2
    status=1
  fi
done
# A second run must give the same bytes again (no clock, no hash randomisation).
"$dir/generate" $(cat "$dir/casino-jp.args") --out "$out/again.jsonl"
cmp "$out/casino-jp.jsonl" "$out/again.jsonl" || status=1
exit $status
