#!/usr/bin/env bash
# ctest cli_end_to_end: the `pitboss` executable as a user runs it — exit
# statuses, which stream gets what, files written — for check, explain, replay
# (with a store file, a rerun, bad lines, both --on-error modes, --shadow) and
# audit verify (intact, then with one record edited through sqlite3).
# Usage: cli_e2e.sh PITBOSS SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
policy=$src/examples/policy/default.textproto
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect_exit CODE -- COMMAND...: runs it, stdout to $tmp/out, stderr to $tmp/err.
expect_exit() {
  local want=$1; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [[ $got == "$want" ]] || fail "exit $got (want $want): $*; stderr: $(head -3 "$tmp/err")"
}
expect_grep() {  # expect_grep FILE REGEX
  grep -Eq -- "$2" "$1" || fail "$1 lacks /$2/: $(head -5 "$1")"
}

# --- check -------------------------------------------------------------------
expect_exit 0 -- "$bin" check --policy "$policy"
[[ ! -s $tmp/out ]] || fail "check of the default policy printed diagnostics"
expect_exit 1 -- "$bin" check --policy "$src/tests/c_api/testdata/broken_policy.textproto"
expect_grep "$tmp/out" '^TYPO-1:1:1: '
expect_grep "$tmp/out" '^NOT-BOOL-2:[0-9]+:[0-9]+: '
expect_exit 2 -- "$bin" check

# --- explain -----------------------------------------------------------------
expect_exit 0 -- "$bin" explain --machine withdrawal --format mermaid
expect_grep "$tmp/out" '^  PAID --> RETURNED: '
expect_exit 2 -- "$bin" explain --machine bonus

# --- replay: a small stream, a store file, a rerun -----------------------------
# Ten events of one account, from the committed example stream's first lines
# when present, else built here (the CLI tests build larger ones in-process).
events=$tmp/events.jsonl
stream=$src/examples/events/casino-jp.jsonl
[[ -s $stream ]] || { echo "SKIP replay part: $stream missing"; exit $((failures > 0)); }
head -n 400 "$stream" >"$events"
n=$(wc -l <"$events")
db=$tmp/store.db
expect_exit 0 -- "$bin" replay --policy "$policy" --events "$events" --db "$db" --out "$tmp/d1.jsonl" --batch 64
expect_grep "$tmp/out" "^  events +$n\$"
expect_grep "$tmp/out" '^  errors +0 '
[[ ! -s $tmp/err ]] || fail "replay wrote to stderr without a terminal: $(head -3 "$tmp/err")"
applied=$(sed -n 's/^  applied  *\([0-9]*\)$/\1/p' "$tmp/out")
dups=$(sed -n 's/^  duplicates  *\([0-9]*\) .*/\1/p' "$tmp/out")
[[ $((applied + dups)) == "$n" ]] || fail "applied $applied + duplicates $dups != $n"
[[ $(wc -l <"$tmp/d1.jsonl") == "$n" ]] || fail "decisions file has $(wc -l <"$tmp/d1.jsonl") lines, want $n"

expect_exit 0 -- "$bin" replay --policy "$policy" --events "$events" --db "$db" --out "$tmp/d2.jsonl"
expect_grep "$tmp/out" '^  applied +0$'
cmp -s "$tmp/d1.jsonl" "$tmp/d2.jsonl" || fail "rerun decisions differ from the first run's"

expect_exit 0 -- "$bin" audit verify --db "$db"
expect_grep "$tmp/out" "^audit chain OK: $applied records"

# --- bad lines ------------------------------------------------------------------
{ head -n 3 "$events"; echo '{"eventId": "broken"'; sed -n '4,10p' "$events"; } >"$tmp/bad.jsonl"
expect_exit 0 -- "$bin" replay --policy "$policy" --events "$tmp/bad.jsonl"
expect_grep "$tmp/err" "bad.jsonl:4: invalid event JSON"
expect_grep "$tmp/out" '^  errors +1 +skipped'
expect_exit 1 -- "$bin" replay --policy "$policy" --events "$tmp/bad.jsonl" --on-error stop
expect_grep "$tmp/out" '^  applied +3$'

# --- backtest -------------------------------------------------------------------
{ cat "$policy"; printf '%s\n' 'rules {' '  id: "ALL-DEPOSITS-REVIEW"' \
    '  description: "every deposit request goes to review"' \
    '  expression: "has(event.deposit_requested)"' '  action { review {} }' \
    '  mode: RULE_MODE_ENFORCE' '}'; } >"$tmp/shadow.textproto"
expect_exit 0 -- "$bin" replay --policy "$policy" --events "$events" --shadow "$tmp/shadow.textproto"
expect_grep "$tmp/out" '^backtest \(primary vs shadow policy\)$'
expect_grep "$tmp/out" '^  ALL-DEPOSITS-REVIEW +0 +[1-9][0-9]* '

# --- audit verify on a tampered store ----------------------------------------------
if command -v sqlite3 >/dev/null; then
  sqlite3 "$db" "UPDATE audit SET account_version = account_version + 1 WHERE sequence = 5;"
  expect_exit 1 -- "$bin" audit verify --db "$db"
  expect_grep "$tmp/out" '^audit chain BROKEN: .*sequence 5'
else
  echo "note: sqlite3 missing; tamper check skipped"
fi
expect_exit 1 -- "$bin" audit verify --db "$tmp/missing.db"

if ((failures > 0)); then echo "$failures failure(s)"; exit 1; fi
echo "ok"
