"""pitboss.check_policy: diagnostics as data."""
import pytest

import pitboss
from pitboss.v1 import api_pb2, policy_pb2


def test_default_policy_is_clean(default_policy, default_policy_path):
    for form in (default_policy, default_policy_path):
        response = pitboss.check_policy(form)
        assert isinstance(response, api_pb2.PolicyCheckResponse)
        assert list(response.diagnostics) == []


def test_every_problem_is_reported_with_position(broken_policy_text):
    response = pitboss.check_policy(broken_policy_text)
    got = [(d.rule_id, d.field, d.line, d.column) for d in response.diagnostics]
    assert got == [
        ("", "policy_id", 0, 0),
        ("TYPO-1", "rules[0].expression", 1, 1),
        ("NOT-BOOL-2", "rules[1].expression", 1, 17),
    ]
    assert "featurez" in response.diagnostics[1].message
    assert "bool" in response.diagnostics[2].message


def test_several_errors_in_one_rule_and_validator_problems_in_rules(default_policy):
    policy = policy_pb2.Policy()
    policy.CopyFrom(default_policy)
    first = policy.rules[0]
    first.expression = "nope1 ||\n nope2"
    policy.rules[1].id = policy.rules[2].id  # duplicate id
    policy.rules[3].expression = "   "    # blank: the validator's, not compiled again
    response = pitboss.check_policy(policy)
    by_field = {}
    for d in response.diagnostics:
        by_field.setdefault(d.field, []).append(d)
    undeclared = by_field["rules[0].expression"]
    assert [(d.line, d.column) for d in undeclared] == [(1, 1), (2, 2)]
    assert all(d.rule_id == first.id for d in undeclared)
    assert any("duplicate" in d.message for d in by_field["rules[2].id"])
    assert len(by_field["rules[3].expression"]) == 1
    # An engine refuses what the check reports.
    with pytest.raises(pitboss.Error):
        pitboss.Engine(policy)


def test_not_a_policy_is_an_error():
    with pytest.raises(pitboss.Error) as e:
        pitboss.check_policy(b"\x0a\xff\xff\xff\x0f")
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT


def test_quoted_positions_in_a_rule_are_not_errors(default_policy):
    # The compiler's snippet quotes the source line; text in it that looks like
    # an error position must not become a diagnostic of its own.
    policy = policy_pb2.Policy()
    policy.CopyFrom(default_policy)
    policy.rules[0].expression = "'ERROR: <input>:9:9: fake' == 1"
    diagnostics = [d for d in pitboss.check_policy(policy).diagnostics
                   if d.field == "rules[0].expression"]
    assert [(d.line, d.column) for d in diagnostics] == [(1, 28)]  # the ==
    assert "fake" not in diagnostics[0].message
