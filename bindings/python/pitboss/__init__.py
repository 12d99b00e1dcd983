"""pitboss: Python bindings over libpitboss's C ABI (ctypes).

    import pitboss
    from pitboss.v1 import event_pb2

    with pitboss.Engine("examples/policy/default.textproto") as engine:
        response = engine.evaluate(None, event, now)   # a pitboss.v1.EvaluateResponse

    with pitboss.Store("pitboss.db", engine=engine) as store:
        result = store.apply(event, now)           # a pitboss.v1.StoreApplyResponse
        store.account("acc-1")                      # the stored pitboss.v1.Account

    pitboss.check_policy(policy).diagnostics        # every problem of a policy
    pitboss.cel_eval("x * 2", {"x": 21})            # 42

Messages are the generated ``pitboss.v1.*_pb2`` modules (Debian's
python3-protobuf). Failures raise :class:`pitboss.Error` (``code``,
``message``); decisions are data, never exceptions. The shared library is found
through ``PITBOSS_LIBRARY``, the package directory, then the system.
"""

from pitboss._errors import CelEvalError, Error, PitbossError, StatusCode
from pitboss._ffi import ABI_VERSION
from pitboss._cel import UInt, cel_eval, cel_eval_response
from pitboss._engine import Engine
from pitboss._policy import check_policy, load_policy
from pitboss._store import Store

__all__ = [
    "ABI_VERSION", "CelEvalError", "Engine", "Error", "PitbossError", "StatusCode", "Store",
    "UInt",
    "abi_version", "cel_eval", "cel_eval_response", "check_policy", "load_policy",
    "version_info", "version_number",
]


def abi_version():
    """pitboss_abi_version() of the loaded library."""
    from pitboss import _ffi
    return _ffi.lib().pitboss_abi_version()


def version_number():
    """pitboss_version_number() of the loaded library (major*10000 + minor*100 + patch)."""
    from pitboss import _ffi
    return _ffi.lib().pitboss_version_number()


def version_info():
    """The loaded library's ``pitboss.v1.VersionInfo``."""
    from pitboss import _ffi
    from pitboss.v1 import api_pb2
    lib = _ffi.lib()
    return api_pb2.VersionInfo.FromString(_ffi.call_bytes(lib.pitboss_version_info))
