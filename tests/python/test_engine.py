"""pitboss.Engine over the C ABI: policy forms, evaluate, errors, lifecycle."""
import datetime
import gc
import json
import threading

import pytest
from google.protobuf import json_format, text_format, timestamp_pb2

import pitboss
from pitboss.v1 import account_pb2, decision_pb2, policy_pb2

NOW = datetime.datetime(2025, 11, 24, 16, 0, tzinfo=datetime.timezone.utc)


def test_policy_forms_give_the_same_decision(default_policy, default_policy_path,
                                             account_opened_request, tmp_path):
    text = text_format.MessageToString(default_policy)
    as_json = json_format.MessageToJson(default_policy)
    binary = tmp_path / "policy.binpb"
    binary.write_bytes(default_policy.SerializeToString())
    json_path = tmp_path / "policy.json"
    json_path.write_text(as_json)
    request = account_opened_request.SerializeToString()
    outputs = set()
    for form in (default_policy, default_policy_path, text, as_json, binary, str(json_path),
                 default_policy.SerializeToString()):
        with pitboss.Engine(form) as engine:
            outputs.add(engine.evaluate_bytes(request))
    assert len(outputs) == 1


def test_evaluate_opens_the_account(default_policy, account_opened_request):
    with pitboss.Engine(default_policy) as engine:
        response = engine.evaluate(None, account_opened_request.event, NOW)
    assert isinstance(response, policy_pb2.EvaluateResponse)
    assert response.decision.outcome == decision_pb2.DECISION_OUTCOME_ALLOW
    assert response.decision.policy_id == "pitboss-default"
    assert response.account.account_id == "acc-c-api"
    assert response.account.status == account_pb2.ACCOUNT_STATUS_ACTIVE
    assert response.account.version == 1
    assert response.audit.sequence == 1


def test_now_forms_agree(default_policy, account_opened_request):
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(NOW)
    with pitboss.Engine(default_policy) as engine:
        event = account_opened_request.event
        results = {engine.evaluate(None, event, now).SerializeToString()
                   for now in (NOW, ts, int(NOW.timestamp()), NOW.timestamp(),
                               NOW.astimezone(datetime.timezone(datetime.timedelta(hours=9))))}
        assert len(results) == 1
        with pytest.raises(TypeError, match="naive"):
            engine.evaluate(None, event, NOW.replace(tzinfo=None))
        with pytest.raises(TypeError):
            engine.evaluate(None, event, "2025-11-24")


def test_evaluate_matches_evaluate_request(default_policy, account_opened_request):
    with pitboss.Engine(default_policy) as engine:
        direct = engine.evaluate_request(account_opened_request)
        again = engine.evaluate(account_opened_request.account, account_opened_request.event,
                                account_opened_request.now)
    assert direct == again


def test_evaluate_encodes_exactly_the_request(default_policy, account_opened_request):
    # evaluate() writes the request's wire bytes from its parts: the engine must
    # see the same request as a built EvaluateRequest, audit chain head included.
    with pitboss.Engine(default_policy) as engine:
        first = engine.evaluate_request(account_opened_request)
        request = policy_pb2.EvaluateRequest()
        request.CopyFrom(account_opened_request)
        request.audit_chain_head.sequence = first.audit.sequence
        request.audit_chain_head.record_hash = first.audit.record_hash
        request.event.event_id = "evt-0002"
        built = engine.evaluate_request(request)
        parts = engine.evaluate(request.account, request.event, request.now,
                                audit_chain_head=request.audit_chain_head)
        assert parts == built
        assert parts.audit.sequence == first.audit.sequence + 1
        with pytest.raises(TypeError, match="account"):
            engine.evaluate(request.event, request.event, NOW)
        with pytest.raises(TypeError, match="event"):
            engine.evaluate(None, request.account, NOW)


def test_bad_requests_raise_and_leave_the_engine_usable(default_policy, account_opened_request):
    with pitboss.Engine(default_policy) as engine:
        good = engine.evaluate_request(account_opened_request)
        with pytest.raises(pitboss.Error) as e:
            engine.evaluate_bytes(b"\xff\xff\xff")
        assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
        assert "malformed" in e.value.message
        broken = policy_pb2.EvaluateRequest()
        broken.CopyFrom(account_opened_request)
        broken.event.account_opened.profile.currency = "XXX-NOT-A-CURRENCY"
        with pytest.raises(pitboss.Error) as e:
            engine.evaluate_request(broken)
        assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
        assert "currency" in e.value.message
        assert engine.evaluate_request(account_opened_request) == good


def test_invalid_policy_raises_with_the_first_problem(broken_policy_text):
    with pytest.raises(pitboss.Error) as e:
        pitboss.Engine(broken_policy_text)
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    assert "policy_id" in e.value.message


def test_policy_input_errors():
    with pytest.raises(pitboss.Error) as e:
        pitboss.Engine("policy_id: ")  # text format that does not parse
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    with pytest.raises(pitboss.Error) as e:
        pitboss.Engine(b"\xff\xff")
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    with pytest.raises(TypeError):
        pitboss.Engine(42)
    import pathlib
    with pytest.raises(pitboss.Error) as e:
        pitboss.Engine(pathlib.Path("/nonexistent/policy.textproto"))
    assert e.value.code == pitboss.StatusCode.NOT_FOUND


def test_close_is_idempotent_and_closed_engines_refuse(default_policy, account_opened_request):
    engine = pitboss.Engine(default_policy)
    assert not engine.closed
    engine.close()
    engine.close()
    assert engine.closed
    with pytest.raises(pitboss.Error) as e:
        engine.evaluate_request(account_opened_request)
    assert e.value.code == pitboss.StatusCode.FAILED_PRECONDITION
    with pitboss.Engine(default_policy) as engine:
        pass
    assert engine.closed


def test_del_releases_without_close(default_policy):
    for _ in range(20):
        pitboss.Engine(default_policy)  # dropped at once: __del__ frees it
    gc.collect()


def test_concurrent_evaluate_on_one_engine(default_policy, account_opened_request):
    request = account_opened_request.SerializeToString()
    with pitboss.Engine(default_policy) as engine:
        expected = engine.evaluate_bytes(request)
        results = []

        def work():
            results.extend(engine.evaluate_bytes(request) for _ in range(20))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == 80 and set(results) == {expected}


def test_error_is_picklable_and_readable():
    import pickle
    e = pitboss.Error(3, "bad")
    again = pickle.loads(pickle.dumps(e))
    assert again.code == pitboss.StatusCode.INVALID_ARGUMENT and again.message == "bad"
    assert str(e) == "INVALID_ARGUMENT: bad"
    assert pitboss.Error(99, "future").code == 99
    assert pitboss.PitbossError is pitboss.Error
    json.dumps({"code": int(e.code)})
