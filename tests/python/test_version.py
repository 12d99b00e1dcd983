"""The generated pitboss.v1 Python modules match the C ABI's VersionInfo."""
import ctypes
import os

from pitboss.v1 import api_pb2


def _lib():
    lib = ctypes.CDLL(os.environ["PITBOSS_LIBRARY"])
    lib.pitboss_version_info.argtypes = [
        ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)),
        ctypes.POINTER(ctypes.c_size_t),
        ctypes.POINTER(ctypes.c_char_p),
    ]
    lib.pitboss_version_info.restype = ctypes.c_int
    lib.pitboss_free.argtypes = [ctypes.c_void_p]
    lib.pitboss_version_number.restype = ctypes.c_uint
    lib.pitboss_abi_version.restype = ctypes.c_uint
    return lib


def test_version_info_round_trips_through_generated_module():
    lib = _lib()
    out = ctypes.POINTER(ctypes.c_uint8)()
    out_len = ctypes.c_size_t()
    error = ctypes.c_char_p()
    assert lib.pitboss_version_info(ctypes.byref(out), ctypes.byref(out_len),
                                    ctypes.byref(error)) == api_pb2.OK
    try:
        info = api_pb2.VersionInfo.FromString(ctypes.string_at(out, out_len.value))
    finally:
        lib.pitboss_free(out)
    assert info.abi_version == lib.pitboss_abi_version()
    assert info.major * 10000 + info.minor * 100 + info.patch == lib.pitboss_version_number()
    assert info.version == f"{info.major}.{info.minor}.{info.patch}"
    assert info.protobuf_version.startswith("3.")


def test_status_codes_match_the_c_header():
    header = os.path.join(os.path.dirname(__file__), "..", "..", "include", "pitboss", "pitboss.h")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    for name, number in api_pb2.StatusCode.items():
        assert f"PITBOSS_{name} = {number}" in text, name
