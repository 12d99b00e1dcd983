"""pitboss.Store over the C ABI: apply and replay, idempotency conflicts,
reading accounts back, durability, read-only opens, audit verification and
tampering, options, bad input, lifecycle."""
import datetime
import gc
import sqlite3
import threading

import pytest
from google.protobuf import duration_pb2

import pitboss
from pitboss.v1 import account_pb2, api_pb2, decision_pb2, event_pb2

NOW = datetime.datetime(2025, 11, 24, 16, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def engine(default_policy):
    with pitboss.Engine(default_policy) as e:
        yield e


@pytest.fixture()
def opened(account_opened_request):
    """A sign-up event (evt-0001 for acc-c-api)."""
    return account_opened_request.event


def _login_failed(event_id, account_id="acc-c-api", minutes=1):
    event = event_pb2.Event(
        event_id=event_id, account_id=account_id, channel=account_pb2.CHANNEL_WEB,
        session_id="sess-1",
        login_attempt=event_pb2.LoginAttempt(
            success=False, failure_reason=event_pb2.LOGIN_FAILURE_REASON_BAD_PASSWORD,
            factor_kinds=[account_pb2.FACTOR_KIND_PASSWORD], session_id="sess-1"))
    event.occurred_at.FromDatetime(NOW + datetime.timedelta(minutes=minutes))
    return event


def test_apply_commits_and_replays(engine, opened, tmp_path):
    with pitboss.Store(tmp_path / "s.db", engine=engine) as store:
        first = store.apply(opened, NOW)
        assert isinstance(first, api_pb2.StoreApplyResponse)
        assert not first.replayed
        assert first.response.decision.outcome == decision_pb2.DECISION_OUTCOME_ALLOW
        assert first.response.account.version == 1
        assert first.response.audit.sequence == 1
        # The same decision the engine gives in memory, chained in the store.
        expected = engine.evaluate(None, opened, NOW)
        assert first.response.decision == expected.decision
        assert first.response.account == expected.account

        again = store.apply(opened, NOW + datetime.timedelta(hours=1))
        assert again.replayed
        assert again.response == first.response
        assert store.verify_audit().head.sequence == 1

        second = store.apply(_login_failed("evt-0002"), NOW + datetime.timedelta(minutes=1))
        assert not second.replayed
        assert second.response.account.version == 2
        assert second.response.audit.sequence == 2
        assert second.response.audit.previous_record_hash == first.response.audit.record_hash
        assert store.account("acc-c-api") == second.response.account
        head = store.verify_audit().head
        assert head.sequence == 2 and head.record_hash == second.response.audit.record_hash


def test_same_event_id_with_another_payload_is_refused(engine, opened):
    with pitboss.Store(":memory:", engine=engine) as store:
        store.apply(opened, NOW)
        before = store.account("acc-c-api")
        changed = event_pb2.Event()
        changed.CopyFrom(opened)
        changed.ip_country = "US"
        with pytest.raises(pitboss.Error) as e:
            store.apply(changed, NOW)
        assert e.value.code == pitboss.StatusCode.ALREADY_EXISTS
        assert "evt-0001" in e.value.message
        assert store.account("acc-c-api") == before
        assert store.verify_audit().head.sequence == 1


def test_bad_input_stores_nothing(engine, opened):
    with pitboss.Store(":memory:", engine=engine) as store:
        store.apply(opened, NOW)
        before = store.account("acc-c-api")
        # An unknown account: the engine's error, nothing stored.
        with pytest.raises(pitboss.Error):
            store.apply(_login_failed("evt-x", account_id="acc-nobody"), NOW)
        with pytest.raises(pitboss.Error) as e:
            store.account("acc-nobody")
        assert e.value.code == pitboss.StatusCode.NOT_FOUND and "acc-nobody" in e.value.message
        # Malformed bytes, a request without `now`, wrong types.
        with pytest.raises(pitboss.Error) as e:
            store.apply_bytes(b"\xff\xff\xff")
        assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
        no_now = api_pb2.StoreApplyRequest(event=_login_failed("evt-y")).SerializeToString()
        with pytest.raises(pitboss.Error, match="now"):
            store.apply_bytes(no_now)
        with pytest.raises(TypeError):
            store.apply(b"not an event", NOW)
        with pytest.raises(TypeError, match="naive"):
            store.apply(opened, NOW.replace(tzinfo=None))
        with pytest.raises(TypeError):
            store.account(42)
        with pytest.raises(ValueError):
            store.account("acc\0x")
        with pytest.raises(pitboss.Error) as e:
            store.account("a" * 256)
        assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
        with pytest.raises(pitboss.Error) as e:
            store.account("")
        assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
        assert store.account("acc-c-api") == before
        assert store.verify_audit().head.sequence == 1


def test_engine_per_call_and_missing_engine(engine, opened):
    with pitboss.Store(":memory:") as store:
        with pytest.raises(TypeError, match="engine"):
            store.apply(opened, NOW)
        assert not store.apply(opened, NOW, engine=engine).replayed
        closed = pitboss.Engine.__new__(pitboss.Engine)
        closed._handle = None
        with pytest.raises(pitboss.Error) as e:
            store.apply(opened, NOW, engine=closed)
        assert e.value.code == pitboss.StatusCode.FAILED_PRECONDITION
    with pytest.raises(TypeError):
        pitboss.Store(":memory:", engine="policy.textproto")


def test_reopen_is_durable_and_read_only_never_writes(engine, opened, tmp_path):
    path = str(tmp_path / "durable.db")
    with pitboss.Store(path, engine=engine) as store:
        first = store.apply(opened, NOW)
        store.apply(_login_failed("evt-0002"), NOW + datetime.timedelta(minutes=1))
        account = store.account("acc-c-api")
    with pitboss.Store(path, engine=engine) as store:
        assert store.account("acc-c-api") == account
        assert store.verify_audit().head.sequence == 2
        replay = store.apply(opened, NOW)
        assert replay.replayed and replay.response == first.response
    options = api_pb2.StoreOptions(read_only=True)
    with pitboss.Store(path, options=options, engine=engine) as store:
        assert store.account("acc-c-api") == account
        assert store.verify_audit().head.sequence == 2
        with pytest.raises(pitboss.Error) as e:
            store.apply(_login_failed("evt-0003", minutes=2), NOW + datetime.timedelta(minutes=2))
        assert e.value.code == pitboss.StatusCode.FAILED_PRECONDITION
    with pitboss.Store(path, options=options.SerializeToString()) as store:
        assert store.verify_audit().head.sequence == 2
    # A read-only open of a missing file creates nothing.
    with pytest.raises(pitboss.Error) as e:
        pitboss.Store(tmp_path / "missing.db", options=options)
    assert e.value.code == pitboss.StatusCode.NOT_FOUND
    assert not (tmp_path / "missing.db").exists()


def test_options(engine, opened, tmp_path):
    options = api_pb2.StoreOptions(
        synchronous=api_pb2.StoreOptions.SYNCHRONOUS_NORMAL,
        idempotency_retention=duration_pb2.Duration(seconds=48 * 3600),
        busy_timeout=duration_pb2.Duration(seconds=1))
    with pitboss.Store(tmp_path / "normal.db", options, engine=engine) as store:
        assert not store.apply(opened, NOW).replayed
    bad = api_pb2.StoreOptions(idempotency_retention=duration_pb2.Duration(seconds=5, nanos=-1))
    with pytest.raises(pitboss.Error, match="idempotency_retention"):
        pitboss.Store(":memory:", bad)
    with pytest.raises(pitboss.Error) as e:
        pitboss.Store(":memory:", b"\xff\xff")
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    unknown = api_pb2.StoreOptions()
    unknown.ParseFromString(b"\x08\x07")  # synchronous = 7
    with pytest.raises(pitboss.Error, match="synchronous"):
        pitboss.Store(":memory:", unknown)
    with pytest.raises(TypeError):
        pitboss.Store(":memory:", {"read_only": True})


def test_open_errors_name_the_path(tmp_path):
    with pytest.raises(pitboss.Error) as e:
        pitboss.Store(tmp_path / "no-such-dir" / "s.db")
    assert e.value.code == pitboss.StatusCode.NOT_FOUND and "no-such-dir" in e.value.message
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not an SQLite database\n" * 200)
    with pytest.raises(pitboss.Error) as e:
        pitboss.Store(junk)
    assert e.value.code == pitboss.StatusCode.DATA_LOSS and "junk.db" in e.value.message
    with pytest.raises(ValueError):
        pitboss.Store("bad\0path")


def test_tampered_audit_record_is_detected(engine, opened, tmp_path):
    path = tmp_path / "tamper.db"
    with pitboss.Store(path, engine=engine) as store:
        store.apply(opened, NOW)
        store.apply(_login_failed("evt-0002"), NOW + datetime.timedelta(minutes=1))
        assert store.verify_audit().head.sequence == 2
    # Edit the stored data behind the store's back: same-length byte edits in
    # every BLOB or TEXT column that holds the sign-up's e-mail address.
    conn = sqlite3.connect(path)
    edited = 0
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        for column in columns:
            rows = conn.execute(f"SELECT rowid, {column} FROM {table}").fetchall()
            for rowid, value in rows:
                if isinstance(value, bytes) and b"taro@example.com" in value:
                    value = value.replace(b"taro@example.com", b"tarx@example.com")
                elif isinstance(value, str) and "taro@example.com" in value:
                    value = value.replace("taro@example.com", "tarx@example.com")
                else:
                    continue
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
                edited += 1
    conn.commit()
    conn.close()
    assert edited > 0
    with pitboss.Store(path, api_pb2.StoreOptions(read_only=True)) as store:
        with pytest.raises(pitboss.Error) as e:
            store.verify_audit()
    assert e.value.code == pitboss.StatusCode.DATA_LOSS
    assert "sequence" in e.value.message


def test_concurrent_apply_from_threads(engine, opened):
    errors = []

    def worker(n):
        try:
            for i in range(5):
                event = event_pb2.Event()
                event.CopyFrom(opened)
                event.event_id = f"evt-{n}-{i}"
                event.account_id = f"acc-{n}-{i}"
                assert not store.apply(event, NOW).replayed
                assert store.apply(event, NOW).replayed
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    with pitboss.Store(":memory:", engine=engine) as store:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert store.verify_audit().head.sequence == 20


def test_close_is_idempotent_and_closed_store_refuses(engine, opened):
    store = pitboss.Store(":memory:", engine=engine)
    assert not store.closed and "open" in repr(store)
    store.close()
    store.close()
    assert store.closed and "closed" in repr(store)
    for call in (lambda: store.apply(opened, NOW), lambda: store.account("acc-c-api"),
                 store.verify_audit):
        with pytest.raises(pitboss.Error) as e:
            call()
        assert e.value.code == pitboss.StatusCode.FAILED_PRECONDITION
    # Garbage collection closes an unreferenced store; a failed open leaves
    # nothing to close.
    pitboss.Store(":memory:")
    gc.collect()
    with pytest.raises(pitboss.Error):
        pitboss.Store("")
