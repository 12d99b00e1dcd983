"""pitboss.cel_eval: values in and out, errors, message bindings."""
import datetime
import math

import pytest

import pitboss
from pitboss.v1 import account_pb2

UTC = datetime.timezone.utc


@pytest.mark.parametrize("expression,bindings,expected", [
    ("1 + 2", None, 3),
    ("x * 2", {"x": 21}, 42),
    ("s + '!'", {"s": "héllo"}, "héllo!"),
    ("b + b'\\x02'", {"b": b"\x00\x01"}, b"\x00\x01\x02"),
    ("u + 1u", {"u": pitboss.UInt(7)}, 8),
    ("d / 2.0", {"d": 3.0}, 1.5),
    ("n == null", {"n": None}, True),
    ("l.map(x, x * 10)", {"l": [1, 2, 3]}, [10, 20, 30]),
    ("m['k'][1]", {"m": {"k": ["a", "b"]}}, "b"),
    ("{1: 'one'}", None, {1: "one"}),
    ("t + duration('90m')", {"t": datetime.datetime(2025, 1, 1, tzinfo=UTC)},
     datetime.datetime(2025, 1, 1, 1, 30, tzinfo=UTC)),
])
def test_values_round_trip(expression, bindings, expected):
    assert pitboss.cel_eval(expression, bindings) == expected


def test_types_survive():
    assert isinstance(pitboss.cel_eval("1u"), pitboss.UInt)
    assert pitboss.cel_eval("duration('1h') + d", {"d": datetime.timedelta(minutes=1)}) == \
        datetime.timedelta(hours=1, minutes=1)
    assert math.isnan(pitboss.cel_eval("0.0 / 0.0"))
    assert pitboss.cel_eval("type(1)") == "int"
    assert pitboss.cel_eval("[x]", {"x": float("inf")}) == [float("inf")]


def test_message_bindings_are_typed():
    money = account_pb2.Money(minor_units=1500, currency="JPY")
    assert pitboss.cel_eval("m.minor_units / 100", {"m": money}) == 15
    assert pitboss.cel_eval("m", {"m": money}) == money
    # Declared with its type: a misspelt field is a compile error.
    with pytest.raises(pitboss.Error) as e:
        pitboss.cel_eval("m.minor_unitz", {"m": money})
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    assert "minor_unitz" in e.value.message
    built = pitboss.cel_eval("pitboss.v1.Money{minor_units: 3, currency: 'EUR'}")
    assert built == account_pb2.Money(minor_units=3, currency="EUR")


def test_container_and_unchecked():
    assert pitboss.cel_eval("Money{minor_units: 1}.minor_units", container="pitboss.v1") == 1
    response = pitboss.cel_eval_response("x + 1", {"x": 1}, check=False)
    assert response.type == "" and response.text == "2"


def test_runtime_errors_are_cel_eval_errors():
    with pytest.raises(pitboss.CelEvalError, match="division by zero") as e:
        pitboss.cel_eval("1 / x", {"x": 0})
    assert e.value.response.type == "int"
    response = pitboss.cel_eval_response("1 / 0")
    assert response.error == "division by zero" and response.value_json == ""


def test_compile_errors_have_positions():
    with pytest.raises(pitboss.Error) as e:
        pitboss.cel_eval("1 +\n  )")
    assert e.value.code == pitboss.StatusCode.INVALID_ARGUMENT
    assert "<input>:2:" in e.value.message


def test_bad_bindings():
    with pytest.raises(ValueError, match="int64"):
        pitboss.cel_eval("x", {"x": 1 << 64})
    with pytest.raises(TypeError):
        pitboss.cel_eval("x", {"x": object()})
    with pytest.raises(TypeError):
        pitboss.cel_eval("x", {"": 1})
    with pytest.raises(TypeError, match="naive"):
        pitboss.cel_eval("x", {"x": datetime.datetime(2025, 1, 1)})
