#!/usr/bin/python3
"""Crash-safety test of `pitboss replay` with a store file (ctest crash_safety).

Replays an event stream into a store with --db and --out, SIGKILLs the process
at many random points (seeded), restarts it each time over the same stream
(events already applied come back as duplicates), and verifies:

  1. after every kill, every event whose decision the killed run had written to
     --out is in the store (its idempotency row exists): decisions are written
     only after the store committed them;
  2. no event was applied twice: the audit chain has exactly one record per
     distinct applied event, the recorded decisions (a final uninterrupted run
     writes every event's recorded decision) are byte-identical to those of a
     fresh replay into a new store, and so are the account rows (versions
     included);
  3. `pitboss audit verify` passes on the crashed-and-resumed store;
  4. balances (cash and reserved of every account) equal the recomputation
     from scratch (the fresh replay).

Kill points are planned over the stream: the i-th of K kills lands when --out
has reached a random line inside the i-th of K equal slices of the stream
(beyond the events already stored after the earlier kills), plus a random
0-3 ms or 0-10 ms, so the kills walk through the whole stream and land inside
single-event and group commits whatever the machine's speed. Each run uses a
random --batch of 1, 8 or 32. If a run completes before its kill point (the
rest of the stream was shorter than the extra delay), the remaining kills start
over on a fresh store, so every kill still lands while events are being
applied.

The stream is a prefix of examples/events/casino-jp.jsonl (a prefix of a
valid stream is valid). Uses Debian's python3 standard library only (sqlite3
reads the store's idempotency, audit, accounts and account_versions tables; pitboss.v1.Account
is decoded with protoc-generated modules when protoc and python3-protobuf are
there, for a readable balance report).

Usage: crash_test.py --pitboss BIN --source SRC [--events N] [--kills K] [--seed S]
"""

import argparse
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def decision_ids(path):
    """Event ids of the complete decision lines in a --out file."""
    ids = []
    if not os.path.exists(path):
        return ids
    with open(path, "rb") as f:
        data = f.read()
    for line in data.split(b"\n")[:-1]:  # the last piece has no newline yet
        m = re.search(rb'"eventId":\s*"((?:[^"\\]|\\.)*)"', line)
        if not m:
            fail("decision line without eventId: %r" % line[:200])
        ids.append(m.group(1).decode())
    return ids


def line_count(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def query(db, sql):
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def summary_value(text, name):
    m = re.search(r"^  %s +(\d+)" % re.escape(name), text, re.M)
    if not m:
        fail("summary lacks %r:\n%s" % (name, text))
    return int(m.group(1))


def replay_cmd(args, events, db, out, batch):
    return [args.pitboss, "replay", "--policy", args.policy, "--events", events,
            "--db", db, "--out", out, "--batch", str(batch)]


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def load_account_module(source, work):
    """pitboss.v1 account_pb2 generated with protoc, or None."""
    if shutil.which("protoc") is None:
        return None
    out = os.path.join(work, "py")
    os.makedirs(out, exist_ok=True)
    protos = [os.path.join("pitboss/v1", n) for n in sorted(os.listdir(os.path.join(source, "proto/pitboss/v1")))
              if n.endswith(".proto")]
    r = subprocess.run(["protoc", "-I", os.path.join(source, "proto"), "--python_out", out] + protos,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print("note: protoc failed (%s); balances compared as stored bytes" % r.stderr.strip())
        return None
    sys.path.insert(0, out)
    try:
        from pitboss.v1 import account_pb2  # noqa: E402
    except ImportError as e:
        print("note: cannot import generated modules (%s); balances compared as stored bytes" % e)
        return None
    return account_pb2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pitboss", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    args.policy = os.path.join(args.source, "examples/policy/default.textproto")
    rng = random.Random(args.seed)
    started = time.monotonic()

    work = tempfile.mkdtemp(prefix="pitboss_crash_")
    try:
        stream_src = os.path.join(args.source, "examples/events/casino-jp.jsonl")
        if not os.path.exists(stream_src):
            fail("missing " + stream_src)
        events = os.path.join(work, "events.jsonl")
        with open(stream_src, "rb") as src, open(events, "wb") as dst:
            for i, line in enumerate(src):
                if i >= args.events:
                    break
                dst.write(line)
        total = line_count(events)
        db = os.path.join(work, "crash.db")

        def plan(remaining):
            step = max(1, total // (remaining + 1))
            return [i * step + rng.randint(1, step) for i in range(remaining)]

        kills = 0
        attempts = 0
        round_start = 0
        targets = plan(args.kills)
        while kills < args.kills:
            attempts += 1
            if attempts > args.kills * 4:
                fail("only %d of %d kills landed while replay was running" % (kills, args.kills))
            out = os.path.join(work, "out.%d.jsonl" % attempts)
            batch = rng.choice([1, 8, 32])
            target = targets[kills - round_start]
            extra = rng.uniform(0, 0.003) if attempts % 2 else rng.uniform(0, 0.010)
            proc = subprocess.Popen(replay_cmd(args, events, db, out, batch),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            while proc.poll() is None:
                if line_count(out) >= target:
                    time.sleep(extra)
                    break
                time.sleep(0.002)
            if proc.poll() is not None:
                err = proc.stderr.read().decode()
                proc.stderr.close()
                if proc.returncode != 0:
                    fail("replay exited %d before the kill: %s" % (proc.returncode, err[-2000:]))
                # Finished first: the remaining kills start over on a fresh store.
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(db + suffix):
                        os.remove(db + suffix)
                round_start = kills
                targets = plan(args.kills - kills)
                print("run %d completed before its kill point; fresh store for the remaining %d kills"
                      % (attempts, args.kills - kills), flush=True)
                continue
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stderr.close()
            kills += 1

            # 1. Every decision written out is committed in the store.
            written = decision_ids(out)
            stored = {row[0] for row in query(db, "SELECT event_id FROM idempotency")} \
                if os.path.exists(db) else set()
            missing = [e for e in written if e not in stored]
            if missing:
                fail("kill %d: %d decisions written but not in the store, e.g. %s"
                     % (kills, len(missing), missing[:3]))
            print("kill %2d (%s, batch %2d): %5d decisions written by the killed run, %5d events stored"
                  % (kills, "at %d lines + %.1f ms" % (target, extra * 1000),
                     batch, len(written), len(stored)), flush=True)

        # A final uninterrupted run completes the stream; every event is then
        # in the store and its recorded decision is written out.
        final_out = os.path.join(work, "final.jsonl")
        code, stdout, stderr = run(replay_cmd(args, events, db, final_out, 32))
        if code != 0:
            fail("final run exited %d: %s" % (code, stderr[-2000:]))
        if summary_value(stdout, "errors") != 0:
            fail("final run reported bad lines: %s" % stderr[-2000:])

        # Recomputation from scratch: one fresh, uninterrupted replay.
        fresh_db = os.path.join(work, "fresh.db")
        fresh_out = os.path.join(work, "fresh.jsonl")
        code, fresh_stdout, stderr = run(replay_cmd(args, events, fresh_db, fresh_out, 64))
        if code != 0:
            fail("fresh run exited %d: %s" % (code, stderr[-2000:]))
        fresh_applied = summary_value(fresh_stdout, "applied")

        # 2. Nothing applied twice.
        crash_ids = query(db, "SELECT event_id FROM idempotency ORDER BY event_id")
        fresh_ids = query(fresh_db, "SELECT event_id FROM idempotency ORDER BY event_id")
        if crash_ids != fresh_ids:
            fail("stored event ids differ: %d vs %d fresh" % (len(crash_ids), len(fresh_ids)))
        audit_count = query(db, "SELECT COUNT(*) FROM audit")[0][0]
        if audit_count != len(crash_ids) or audit_count != fresh_applied:
            fail("audit records %d, distinct stored events %d, fresh applied %d"
                 % (audit_count, len(crash_ids), fresh_applied))
        with open(final_out, "rb") as a, open(fresh_out, "rb") as b:
            final_bytes, fresh_bytes = a.read(), b.read()
        if final_bytes != fresh_bytes:
            fa, fb = final_bytes.split(b"\n"), fresh_bytes.split(b"\n")
            first = next((i for i in range(min(len(fa), len(fb))) if fa[i] != fb[i]), None)
            fail("recorded decisions differ from a fresh replay at line %s:\n%s\n%s"
                 % (None if first is None else first + 1,
                    fa[first][:300] if first is not None else "", fb[first][:300] if first is not None else ""))
        current = ("SELECT a.account_id, a.version, v.account FROM accounts a "
                   "JOIN account_versions v ON v.account_id = a.account_id AND v.version = a.version "
                   "ORDER BY a.account_id")
        crash_accounts = query(db, current)
        fresh_accounts = query(fresh_db, current)
        if [r[:2] for r in crash_accounts] != [r[:2] for r in fresh_accounts]:
            fail("account versions differ from the fresh replay")

        # 4. Balances equal the recomputation.
        account_pb2 = load_account_module(args.source, work)
        for (aid, _, blob), (_, _, fresh_blob) in zip(crash_accounts, fresh_accounts):
            if account_pb2 is not None:
                a, b = account_pb2.Account(), account_pb2.Account()
                a.ParseFromString(blob)
                b.ParseFromString(fresh_blob)
                if (a.balances.cash.minor_units, a.balances.reserved.minor_units) != \
                        (b.balances.cash.minor_units, b.balances.reserved.minor_units):
                    fail("%s: balances cash %d reserved %d, recomputed cash %d reserved %d"
                         % (aid, a.balances.cash.minor_units, a.balances.reserved.minor_units,
                            b.balances.cash.minor_units, b.balances.reserved.minor_units))
            if blob != fresh_blob:
                fail("%s: stored account differs from the recomputation" % aid)

        # 3. The audit chain verifies.
        code, stdout, stderr = run([args.pitboss, "audit", "verify", "--db", db])
        if code != 0 or not stdout.startswith("audit chain OK: %d records" % audit_count):
            fail("audit verify: exit %d: %s%s" % (code, stdout, stderr))

        print("ok: %d kills over %d events (%d applied, %d accounts); decisions, accounts and "
              "balances equal a fresh replay; %s; %.1f s"
              % (kills, total, fresh_applied, len(crash_accounts), stdout.strip(),
                 time.monotonic() - started))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
