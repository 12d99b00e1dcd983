"""Policies from Python: load one from any of its forms, and check it.

``load_policy`` accepts a ``pitboss.v1.Policy`` message, serialized Policy
bytes, text-format or JSON text, or a path (``str`` or ``os.PathLike``) to a
``.textproto`` / ``.txtpb`` / ``.pbtxt``, ``.json`` or binary (anything else)
file. A ``str`` that names an existing file is a path; otherwise it is text:
JSON when it starts with ``{``, text format otherwise.
"""

import os

from google.protobuf import json_format, text_format
from google.protobuf.message import DecodeError

from pitboss import _ffi
from pitboss._errors import Error, StatusCode
from pitboss.v1 import api_pb2, policy_pb2

_TEXT_SUFFIXES = (".textproto", ".txtpb", ".pbtxt")


def _parse_text(text, origin):
    policy = policy_pb2.Policy()
    try:
        if text.lstrip().startswith("{"):
            json_format.Parse(text, policy)
        else:
            text_format.Parse(text, policy)
    except (json_format.ParseError, text_format.ParseError) as e:
        raise Error(StatusCode.INVALID_ARGUMENT, f"{origin}: {e}") from None
    return policy


def _read_path(path):
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Error(StatusCode.NOT_FOUND, f"policy: {e}") from None
    lower = path.lower()
    if lower.endswith(_TEXT_SUFFIXES) or lower.endswith(".json"):
        return _parse_text(data.decode("utf-8"), path)
    policy = policy_pb2.Policy()
    try:
        policy.ParseFromString(data)
    except DecodeError as e:
        raise Error(StatusCode.INVALID_ARGUMENT, f"{path}: not a serialized Policy: {e}") from None
    return policy


def load_policy(policy):
    """Returns a ``pitboss.v1.Policy`` from any accepted form (see the module doc)."""
    if isinstance(policy, policy_pb2.Policy):
        return policy
    if isinstance(policy, (bytes, bytearray, memoryview)):
        parsed = policy_pb2.Policy()
        try:
            parsed.ParseFromString(bytes(policy))
        except DecodeError as e:
            raise Error(StatusCode.INVALID_ARGUMENT, f"policy: not a serialized Policy: {e}") from None
        return parsed
    if isinstance(policy, os.PathLike):
        return _read_path(policy)
    if isinstance(policy, str):
        if "\n" not in policy and len(policy) < 4096 and os.path.isfile(policy):
            return _read_path(policy)
        return _parse_text(policy, "policy")
    raise TypeError(f"policy: expected a pitboss.v1.Policy, bytes, text or a path, "
                    f"got {type(policy).__name__}")


def policy_bytes(policy):
    """The serialized Policy for the C ABI."""
    if isinstance(policy, (bytes, bytearray)):
        return bytes(policy)
    return load_policy(policy).SerializeToString()


def check_policy(policy):
    """Every problem of ``policy`` as a ``pitboss.v1.PolicyCheckResponse``.

    No diagnostics means ``Engine(policy)`` accepts it. Problems are data, not
    exceptions; Error is raised only for input that is not a policy at all."""
    data = policy_bytes(policy)
    lib = _ffi.lib()
    return api_pb2.PolicyCheckResponse.FromString(
        _ffi.call_bytes(lib.pitboss_policy_check, data, len(data)))
