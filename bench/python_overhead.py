#!/usr/bin/env python3
"""What the Python bindings add to one engine evaluation, against the same call
from C, measured in one run on the same bytes.

    PYTHONPATH=build/default/python /usr/bin/python3 bench/python_overhead.py \
        --c-bench build/default/bench/engine_evaluate_bench

The request is tests/c_api/testdata/account_opened_request.textproto against
examples/policy/default.textproto (44 rules). Measured, per call (median of
rounds; each round CALLS calls after a warm-up round):

  c          pitboss_engine_evaluate + pitboss_free from C (the baseline)
  bytes      Engine.evaluate_bytes(request_bytes): the ctypes call alone
  request    Engine.evaluate_request(EvaluateRequest): + serialize + parse
  evaluate   Engine.evaluate(account, event, now): + building the request

and reports each as added microseconds over C and as a ratio to C, plus what
python3-protobuf alone spends serializing the request and parsing the response.
The target (issue 6) is <= 15 us added per call.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time

from google.protobuf import text_format

import pitboss
from pitboss.v1 import policy_pb2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def _rounds(fn, calls, rounds):
    fn()
    for _ in range(calls // 10):  # warm-up
        fn()
    per_call = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter_ns() - start) / calls)
    return statistics.median(per_call)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c-bench", required=True, help="path to engine_evaluate_bench")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    policy = pitboss.load_policy(os.path.join(ROOT, "examples", "policy", "default.textproto"))
    with open(os.path.join(ROOT, "tests", "c_api", "testdata",
                           "account_opened_request.textproto"), encoding="utf-8") as f:
        request = text_format.Parse(f.read(), policy_pb2.EvaluateRequest())
    request_bytes = request.SerializeToString()
    now = request.now.ToDatetime(tzinfo=datetime.timezone.utc)

    with tempfile.TemporaryDirectory() as tmp:
        policy_path = os.path.join(tmp, "policy.binpb")
        request_path = os.path.join(tmp, "request.binpb")
        with open(policy_path, "wb") as f:
            f.write(policy.SerializeToString())
        with open(request_path, "wb") as f:
            f.write(request_bytes)
        env = dict(os.environ)
        c_run = subprocess.run([args.c_bench, policy_path, request_path, str(args.calls),
                                str(args.rounds)], capture_output=True, text=True, check=True,
                               env=env)
    c_ns = float(c_run.stdout.strip().splitlines()[-1].split()[1])

    with pitboss.Engine(policy) as engine:
        results = {
            "bytes": _rounds(lambda: engine.evaluate_bytes(request_bytes), args.calls, args.rounds),
            "request": _rounds(lambda: engine.evaluate_request(request), args.calls, args.rounds),
            "evaluate": _rounds(lambda: engine.evaluate(request.account, request.event, now),
                                args.calls, args.rounds),
        }
        response_bytes = engine.evaluate_bytes(request_bytes)
    # Where the message paths' time goes: python3-protobuf alone, no pitboss call.
    parts = {
        "serialize EvaluateRequest": _rounds(request.SerializeToString, args.calls, args.rounds),
        "parse EvaluateResponse": _rounds(
            lambda: policy_pb2.EvaluateResponse.FromString(response_bytes), args.calls,
            args.rounds),
    }

    print(f"library: {pitboss._ffi.lib()._name}")
    print(f"python: {sys.version.split()[0]}, protobuf backend: "
          f"{__import__('google.protobuf.internal.api_implementation', fromlist=['x']).Type()}")
    print(f"calls per round: {args.calls}, rounds: {args.rounds} (median)")
    print(f"{'path':<10} {'ns/call':>10} {'added us':>9} {'ratio':>6}")
    print(f"{'c':<10} {c_ns:>10.0f} {0:>9.2f} {1:>6.3f}")
    for name, ns in results.items():
        print(f"{name:<10} {ns:>10.0f} {(ns - c_ns) / 1000:>9.2f} {ns / c_ns:>6.3f}")
    print(f"request: {len(request_bytes)} bytes, response: {len(response_bytes)} bytes")
    for name, ns in parts.items():
        print(f"  python3-protobuf {name}: {ns / 1000:.2f} us")


if __name__ == "__main__":
    main()
