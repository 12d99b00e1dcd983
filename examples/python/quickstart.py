#!/usr/bin/env python3
"""pitboss from Python in one page: open an account, ask for a deposit, read the
decision; let the embedded store keep the accounts; check a policy; evaluate a
CEL expression.

    PYTHONPATH=build/default/python /usr/bin/python3 examples/python/quickstart.py

(or after `pip install` of bindings/python, without PYTHONPATH).
"""
import datetime
import os
import tempfile

import pitboss
from pitboss.v1 import account_pb2, decision_pb2, event_pb2

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
POLICY = os.path.join(ROOT, "examples", "policy", "default.textproto")
UTC = datetime.timezone.utc


def main():
    now = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    # 1. An engine from the default policy (a path; a Policy message, text
    #    format or JSON work too). `with` frees it; so would close() or GC.
    with pitboss.Engine(POLICY) as engine:
        # 2. A player signs up. There is no account yet: pass None.
        opened = event_pb2.Event(
            event_id="evt-1", account_id="acc-42", channel=account_pb2.CHANNEL_WEB,
            account_opened=event_pb2.AccountOpened(
                profile=account_pb2.Profile(
                    names=[account_pb2.PersonName(script=account_pb2.NAME_SCRIPT_LATIN,
                                                  family_name="YAMADA", given_name="TARO")],
                    date_of_birth=account_pb2.CalendarDate(year=1990, month=4, day=1),
                    email="taro@example.com", phone="+819012345678", country="JP",
                    currency="JPY", language="ja-JP", utc_offset_minutes=540)))
        opened.occurred_at.FromDatetime(now)
        response = engine.evaluate(None, opened, now)
        account = response.account  # the stored account from now on
        print("account opened:", decision_pb2.DecisionOutcome.Name(response.decision.outcome),
              "version", account.version)

        # 3. The same player deposits 50,000 yen with a new card. A refusal or a
        #    step-up is data in the decision, never an exception.
        deposit = event_pb2.Event(
            event_id="evt-2", account_id="acc-42", channel=account_pb2.CHANNEL_WEB,
            deposit_requested=event_pb2.DepositRequested(
                deposit_id="dep-1", amount=account_pb2.Money(minor_units=50000, currency="JPY"),
                instrument_id="card-1",
                new_instrument=account_pb2.PaymentInstrument(
                    instrument_id="card-1", kind=account_pb2.INSTRUMENT_KIND_CARD,
                    card=account_pb2.Card(brand=account_pb2.CARD_BRAND_VISA, last4="4242",
                                          holder_name="YAMADA TARO", expiry_month=12,
                                          expiry_year=2030, issuer_country="JP"))))
        later = now + datetime.timedelta(minutes=5)
        deposit.occurred_at.FromDatetime(later)
        response = engine.evaluate(account, deposit, later)
        decision = response.decision
        print("deposit:", decision_pb2.DecisionOutcome.Name(decision.outcome))
        for reason in decision.reasons:
            print("  reason:", reason.code, "-", reason.message)

    # 4. Or let the embedded store keep the accounts: each apply commits the
    #    account, the idempotency key (event_id) and the audit record in one
    #    SQLite transaction. The same event again is replayed, not re-applied.
    with tempfile.TemporaryDirectory() as tmp, pitboss.Engine(POLICY) as engine, \
            pitboss.Store(os.path.join(tmp, "pitboss.db"), engine=engine) as store:
        first = store.apply(opened, now)
        again = store.apply(opened, now)
        print("store:", decision_pb2.DecisionOutcome.Name(first.response.decision.outcome),
              "replayed", again.replayed, "version", store.account("acc-42").version,
              "audit records", store.verify_audit().head.sequence)

    # 5. Check a policy without building an engine: every problem, with positions.
    broken = 'policy_id: "demo" rules { id: "R1" expression: "features.new_devce" ' \
             'action { deny {} } mode: RULE_MODE_ENFORCE }'
    for d in pitboss.check_policy(broken).diagnostics:
        print(f"policy problem: {d.field} ({d.rule_id}) {d.line}:{d.column}: {d.message}")

    # 6. CEL with bindings: Python values and messages in, Python values out.
    print("cel:", pitboss.cel_eval("account.profile.country == 'JP' && amount > 10000",
                                   {"account": account, "amount": 50000}))
    try:
        pitboss.cel_eval("amount / 0", {"amount": 1})
    except pitboss.CelEvalError as e:
        print("cel error:", e)


if __name__ == "__main__":
    main()
