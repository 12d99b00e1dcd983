"""CEL from Python: ``cel_eval("x * 2", {"x": 21}) == 42``.

Bindings are converted to the C ABI's CelBinding:

* protobuf messages (``pitboss.v1.Account``, ...) are passed as messages
  (``google.protobuf.Any``) and declared with their type, so field names are
  type-checked;
* ``datetime`` (aware) and ``timedelta`` become timestamps and durations;
* ``None``, ``bool``, ``int`` (int64; :class:`UInt` for uint64), ``float``,
  ``str``, ``bytes``, lists, tuples and dicts become typed CEL values
  (cel.expr.Value JSON), declared ``dyn``.

Results come back as Python values the same way (timestamps as aware UTC
datetimes, messages as message objects, types as their name).
"""

import base64
import datetime
import json
import math

from google.protobuf import any_pb2, duration_pb2, json_format, message, symbol_database
from google.protobuf import timestamp_pb2

from pitboss import _ffi
from pitboss._errors import CelEvalError, Error, StatusCode
from pitboss.v1 import api_pb2

_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1
_TYPE_URL_PREFIX = "type.googleapis.com/"


class UInt(int):
    """An int to pass as CEL uint (``UInt(7)`` is ``7u``)."""


def _as_message(value):
    """datetime / timedelta as their well-known message, else None."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise TypeError("a naive datetime is ambiguous; give it a tzinfo")
        ts = timestamp_pb2.Timestamp()
        ts.FromDatetime(value.astimezone(datetime.timezone.utc))
        return ts
    if isinstance(value, datetime.timedelta):
        d = duration_pb2.Duration()
        d.FromTimedelta(value)
        return d
    return None


def _to_value(value, path):
    """A Python value as a cel.expr.Value (JSON-ready dict)."""
    if isinstance(value, message.Message) or _as_message(value) is not None:
        msg = value if isinstance(value, message.Message) else _as_message(value)
        packed = any_pb2.Any()
        packed.Pack(msg)
        return {"objectValue": json_format.MessageToDict(packed)}
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, UInt):
        if not 0 <= value <= _UINT64_MAX:
            raise ValueError(f"{path}: {int(value)} is out of uint64 range")
        return {"uint64Value": str(int(value))}
    if isinstance(value, int):
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"{path}: {value} is out of int64 range (use pitboss.UInt "
                             f"for uint64)")
        return {"int64Value": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"doubleValue": "NaN"}
        if math.isinf(value):
            return {"doubleValue": "Infinity" if value > 0 else "-Infinity"}
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytesValue": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return {"listValue": {"values": [_to_value(v, f"{path}[{i}]")
                                         for i, v in enumerate(value)]}}
    if isinstance(value, dict):
        return {"mapValue": {"entries": [
            {"key": _to_value(k, f"{path} key"), "value": _to_value(v, f"{path}[{k!r}]")}
            for k, v in value.items()]}}
    raise TypeError(f"{path}: cannot pass a {type(value).__name__} to CEL")


def _binding(name, value):
    if not isinstance(name, str) or not name:
        raise TypeError(f"binding names must be non-empty strings, got {name!r}")
    msg = value if isinstance(value, message.Message) else _as_message(value)
    if msg is not None:
        binding = api_pb2.CelBinding(name=name)
        binding.message.Pack(msg)
        return binding
    return api_pb2.CelBinding(
        name=name, value_json=json.dumps(_to_value(value, name), separators=(",", ":")))


def _message_from_any_dict(value):
    type_url = value.get("@type", "")
    full_name = type_url[len(_TYPE_URL_PREFIX):] if type_url.startswith(_TYPE_URL_PREFIX) \
        else type_url.rsplit("/", 1)[-1]
    packed = any_pb2.Any()
    json_format.ParseDict(value, packed)
    try:
        cls = symbol_database.Default().GetSymbol(full_name)
    except KeyError:
        return packed  # a type with no Python module imported: left packed
    msg = cls()
    packed.Unpack(msg)
    if isinstance(msg, timestamp_pb2.Timestamp):
        return msg.ToDatetime(tzinfo=datetime.timezone.utc)
    if isinstance(msg, duration_pb2.Duration):
        return msg.ToTimedelta()
    return msg


def _from_value(value):
    """A cel.expr.Value (parsed JSON) as a Python value."""
    (kind, v), = value.items()
    if kind == "nullValue":
        return None
    if kind in ("boolValue", "stringValue"):
        return v
    if kind == "int64Value":
        return int(v)
    if kind == "uint64Value":
        return UInt(int(v))
    if kind == "doubleValue":
        return float(v)  # also "NaN", "Infinity", "-Infinity"
    if kind == "bytesValue":
        return base64.b64decode(v)
    if kind == "listValue":
        return [_from_value(e) for e in v.get("values", [])]
    if kind == "mapValue":
        return {_from_value(e["key"]): _from_value(e["value"]) for e in v.get("entries", [])}
    if kind == "objectValue":
        return _message_from_any_dict(v)
    if kind == "typeValue":
        return v
    if kind == "enumValue":
        return int(v.get("value", 0))
    raise Error(StatusCode.INTERNAL, f"unexpected CEL value kind {kind}")


def cel_eval_response(expression, bindings=None, *, container="", check=True, macros=True):
    """Compiles and evaluates ``expression``; returns the ``pitboss.v1.CelEvalResponse``
    (a CEL runtime error is its ``error`` field). A parse or type error raises
    Error(INVALID_ARGUMENT) with line and column."""
    request = api_pb2.CelEvalRequest(expression=expression, container=container,
                                     disable_check=not check, disable_macros=not macros)
    for name, value in (bindings or {}).items():
        request.bindings.append(_binding(name, value))
    data = request.SerializeToString()
    lib = _ffi.lib()
    return api_pb2.CelEvalResponse.FromString(_ffi.call_bytes(lib.pitboss_cel_eval, data, len(data)))


def cel_eval(expression, bindings=None, *, container="", check=True, macros=True):
    """Evaluates ``expression`` with ``bindings`` (a dict of name -> value) and
    returns the result as a Python value. A CEL runtime error raises
    CelEvalError; a parse or type error raises Error(INVALID_ARGUMENT)."""
    response = cel_eval_response(expression, bindings, container=container, check=check,
                                 macros=macros)
    if response.error:
        raise CelEvalError(response.error, response)
    return _from_value(json.loads(response.value_json))
