"""pitboss.Store: the embedded SQLite store (accounts, idempotency, audit chain).

    with pitboss.Engine("examples/policy/default.textproto") as engine, \\
         pitboss.Store("pitboss.db", engine=engine) as store:
        result = store.apply(event, now)      # a pitboss.v1.StoreApplyResponse
        result.response.decision.outcome      # the decision
        result.replayed                       # True: a duplicate event_id
        store.account("acc-1")                # the stored pitboss.v1.Account
        store.verify_audit().head.sequence    # the chain is intact up to here

Each ``apply`` commits the account, the idempotency row and the audit record
in one transaction. The same event_id with the same payload returns the
recorded response with ``replayed`` set and changes nothing; with a different
payload it raises Error(ALREADY_EXISTS).

Thread-safety: the underlying store is thread-safe; any number of threads may
call ``apply``, ``account`` and ``verify_audit`` on one Store. ``close()`` must
not race with them.
"""

import ctypes
import os

from pitboss import _ffi
from pitboss._engine import Engine, _field, _timestamp
from pitboss._handle import Handle
from pitboss.v1 import account_pb2, api_pb2, event_pb2


def _options_bytes(options):
    if options is None:
        return b""
    if isinstance(options, api_pb2.StoreOptions):
        return options.SerializeToString()
    if isinstance(options, (bytes, bytearray)):
        return bytes(options)
    raise TypeError(f"options: expected a pitboss.v1.StoreOptions, serialized bytes or None, "
                    f"got {type(options).__name__}")


def _no_nul(data, what):
    """``data`` (bytes) for a NUL-terminated C string."""
    if b"\0" in data:
        raise ValueError(f"{what}: must not contain NUL characters")
    return data


class Store(Handle):
    """An open store (``pitboss_store_t``).

    ``path``: a file (created when missing unless read_only) or ``":memory:"``
    for a private, non-durable store. ``options``: a ``pitboss.v1.StoreOptions``
    (synchronous, idempotency_retention, read_only, busy_timeout), its bytes,
    or None for the defaults. ``engine``: the :class:`pitboss.Engine` that
    decides applied events (``apply`` may name another one)."""

    _kind = "store"
    _free = "pitboss_store_free"

    def __init__(self, path, options=None, engine=None):
        if engine is not None and not isinstance(engine, Engine):
            raise TypeError(f"engine: expected a pitboss.Engine or None, "
                            f"got {type(engine).__name__}")
        c_path = _no_nul(os.fsencode(path), "path")
        data = _options_bytes(options)
        lib = _ffi.lib()
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        lib.pitboss_store_open(c_path, data, len(data), ctypes.byref(handle),
                               ctypes.byref(error))
        self._lib = lib
        self._handle = handle.value
        self.path = os.fspath(path)
        self.engine = engine

    def apply(self, event, now, engine=None):
        """Decides ``event`` at ``now`` (a Timestamp, an aware datetime or Unix
        seconds) with ``engine`` (default: the Store's) and commits it. Returns
        the ``pitboss.v1.StoreApplyResponse``: ``response`` (decision, account
        after it, audit record) and ``replayed``."""
        if not isinstance(event, event_pb2.Event):
            raise TypeError(f"event: expected a pitboss.v1.Event, got {type(event).__name__}")
        request = (_field(1, event.SerializeToString()) +
                   _field(2, _timestamp(now).SerializeToString()))
        return api_pb2.StoreApplyResponse.FromString(self.apply_bytes(request, engine))

    def apply_bytes(self, request, engine=None):
        """Serialized StoreApplyRequest in, serialized StoreApplyResponse out
        (the C call itself)."""
        engine = engine if engine is not None else self.engine
        if not isinstance(engine, Engine):
            raise TypeError("apply: no engine (pass engine= here or to Store())")
        return _ffi.call_bytes(self._lib.pitboss_store_apply, self._live_handle(),
                               engine._live_handle(), request, len(request))

    def account(self, account_id):
        """The stored ``pitboss.v1.Account``; Error(NOT_FOUND) when there is none."""
        if not isinstance(account_id, str):
            raise TypeError(f"account_id: expected str, got {type(account_id).__name__}")
        data = _ffi.call_bytes(self._lib.pitboss_store_get_account, self._live_handle(),
                               _no_nul(account_id.encode("utf-8"), "account_id"))
        return account_pb2.Account.FromString(data)

    def verify_audit(self):
        """Walks the whole audit chain. Returns the
        ``pitboss.v1.StoreVerifyAuditResponse`` (``head``: the last record
        verified); an edited or missing record raises Error(DATA_LOSS) naming
        the first bad sequence."""
        return api_pb2.StoreVerifyAuditResponse.FromString(
            _ffi.call_bytes(self._lib.pitboss_store_verify_audit, self._live_handle()))

    def __repr__(self):
        return f"<pitboss.Store {getattr(self, 'path', '?')!r} " \
               f"{'closed' if self.closed else 'open'}>"
