"""The ctypes layer over libpitboss: library lookup and the one prototype table.

Every C function the bindings call is declared once, in ``_PROTOTYPES``, with
its argument types, result type and ``errcheck``. Functions that return a
status use :func:`_check_status`, which turns a non-OK status into
:class:`pitboss.Error` (code and the library's message, released with
``pitboss_free``). Nothing else in the package touches ctypes declarations.

Library lookup, first match wins:

1. ``PITBOSS_LIBRARY``: a path to the shared library;
2. the package directory (``libpitboss.so.<ABI>``, where ``pip install`` puts it);
3. the system (``ctypes.util.find_library("pitboss")``, i.e. ldconfig).

After loading, ``pitboss_abi_version()`` must equal :data:`ABI_VERSION`, the ABI
major these bindings were written for; otherwise :class:`pitboss.Error`
(``FAILED_PRECONDITION``) is raised. The library loads on first use, so
``import pitboss`` works without it (e.g. to build messages).
"""

import ctypes
import ctypes.util
import os
import threading

from pitboss._errors import Error, StatusCode

# PITBOSS_ABI_VERSION of include/pitboss/pitboss.h these bindings speak.
ABI_VERSION = 1

_c_bytes_p = ctypes.c_char_p  # const uint8_t*: a bytes object, passed without a copy
_c_void_pp = ctypes.POINTER(ctypes.c_void_p)  # uint8_t** / pitboss_*_t** / char**
_c_size_p = ctypes.POINTER(ctypes.c_size_t)


def _check_status(result, func, args):
    """errcheck for functions returning a status with ``char** error_message`` last."""
    if result == 0:
        return result
    # args[-1] is the byref() of the caller's c_void_p error message slot.
    slot = getattr(args[-1], "_obj", args[-1])
    message = ""
    if isinstance(slot, ctypes.c_void_p) and slot.value:
        message = ctypes.string_at(slot.value).decode("utf-8", "replace")
        _library.pitboss_free(slot.value)
        slot.value = None
    raise Error(result, message or f"{func.__name__} failed")


# (name, argtypes, restype, errcheck): the whole C ABI as the bindings use it.
_PROTOTYPES = (
    ("pitboss_version_number", [], ctypes.c_uint, None),
    ("pitboss_abi_version", [], ctypes.c_uint, None),
    ("pitboss_version_info", [_c_void_pp, _c_size_p, _c_void_pp], ctypes.c_int, _check_status),
    ("pitboss_free", [ctypes.c_void_p], None, None),
    ("pitboss_engine_new", [_c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_engine_free", [ctypes.c_void_p], None, None),
    ("pitboss_engine_evaluate",
     [ctypes.c_void_p, _c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_size_p, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_policy_check", [_c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_size_p, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_cel_eval", [_c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_size_p, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_store_open",
     [ctypes.c_char_p, _c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_store_free", [ctypes.c_void_p], None, None),
    ("pitboss_store_apply",
     [ctypes.c_void_p, ctypes.c_void_p, _c_bytes_p, ctypes.c_size_t, _c_void_pp, _c_size_p,
      _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_store_get_account",
     [ctypes.c_void_p, ctypes.c_char_p, _c_void_pp, _c_size_p, _c_void_pp],
     ctypes.c_int, _check_status),
    ("pitboss_store_verify_audit", [ctypes.c_void_p, _c_void_pp, _c_size_p, _c_void_pp],
     ctypes.c_int, _check_status),
)

_library = None
_lock = threading.Lock()


def _candidates():
    env = os.environ.get("PITBOSS_LIBRARY")
    if env:
        yield env
        return  # an explicit choice is never silently replaced
    here = os.path.dirname(os.path.abspath(__file__))
    for name in (f"libpitboss.so.{ABI_VERSION}", "libpitboss.so"):
        path = os.path.join(here, name)
        if os.path.exists(path):
            yield path
    found = ctypes.util.find_library("pitboss")
    if found:
        yield found


def _load():
    errors = []
    for candidate in _candidates():
        try:
            lib = ctypes.CDLL(candidate)
        except OSError as e:
            errors.append(f"{candidate}: {e}")
            continue
        for name, argtypes, restype, errcheck in _PROTOTYPES:
            try:
                func = getattr(lib, name)
            except AttributeError:
                raise Error(StatusCode.FAILED_PRECONDITION,
                            f"{candidate} has no {name}: an older or incompatible libpitboss")
            func.argtypes = argtypes
            func.restype = restype
            if errcheck is not None:
                func.errcheck = errcheck
        abi = lib.pitboss_abi_version()
        if abi != ABI_VERSION:
            raise Error(StatusCode.FAILED_PRECONDITION,
                        f"{candidate} has ABI version {abi}; these bindings need {ABI_VERSION}")
        return lib
    where = "; ".join(errors) if errors else "not found (set PITBOSS_LIBRARY)"
    raise Error(StatusCode.NOT_FOUND, f"libpitboss: {where}")


def lib():
    """The loaded, checked library (loaded on first call; thread-safe)."""
    global _library
    if _library is None:
        with _lock:
            if _library is None:
                _library = _load()
    return _library


def call_bytes(func, *inputs):
    """Calls ``func(*inputs, &out, &out_len, &error)`` and returns the output bytes.

    The library's buffer is copied into a Python bytes object and released with
    pitboss_free; a non-OK status raises Error (via the errcheck)."""
    out = ctypes.c_void_p()
    out_len = ctypes.c_size_t()
    error = ctypes.c_void_p()
    func(*inputs, ctypes.byref(out), ctypes.byref(out_len), ctypes.byref(error))
    try:
        return ctypes.string_at(out.value, out_len.value) if out_len.value else b""
    finally:
        _library.pitboss_free(out.value)
