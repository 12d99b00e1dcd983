"""The ctypes layer: library lookup order, the ABI check, the prototype table."""
import os
import subprocess
import sys
import textwrap

import pitboss
from pitboss import _ffi
from pitboss.v1 import api_pb2


def _run(code, **env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_loaded_library_matches_the_bindings():
    assert pitboss.abi_version() == pitboss.ABI_VERSION == 1
    info = pitboss.version_info()
    assert info.abi_version == pitboss.ABI_VERSION
    assert info.major * 10000 + info.minor * 100 + info.patch == pitboss.version_number()


def test_every_prototype_is_declared_and_exported():
    lib = _ffi.lib()
    names = [p[0] for p in _ffi._PROTOTYPES]
    assert len(names) == len(set(names))
    for name, argtypes, restype, errcheck in _ffi._PROTOTYPES:
        func = getattr(lib, name)
        assert func.argtypes == argtypes and func.restype == restype
    # Every pitboss_* function of the header is in the table.
    header = os.path.join(os.path.dirname(__file__), "..", "..", "include", "pitboss", "pitboss.h")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    import re
    declared = set(re.findall(r"PITBOSS_API [^;]*?\b(pitboss_[a-z_]+)\(", text))
    assert declared == set(names)


def test_status_codes_match_the_proto():
    assert {c.name: c.value for c in pitboss.StatusCode} == dict(api_pb2.StatusCode.items())


def test_package_directory_is_searched_without_pitboss_library():
    # The staged package holds libpitboss.so.<ABI> next to __init__.py.
    result = _run("""
        import pitboss, pitboss._ffi as f
        print(pitboss.abi_version(), f.lib()._name)
    """, PITBOSS_LIBRARY=None)
    assert result.returncode == 0, result.stderr
    abi, path = result.stdout.split()
    assert abi == "1"
    assert os.path.dirname(path) == os.path.dirname(pitboss.__file__)


def test_missing_library_is_not_found():
    result = _run("""
        import pitboss
        try:
            pitboss.cel_eval("1")
        except pitboss.Error as e:
            print(e.code.name, e.message)
    """, PITBOSS_LIBRARY="/nonexistent/libpitboss.so.1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("NOT_FOUND libpitboss: /nonexistent/libpitboss.so.1")


def test_abi_mismatch_is_refused_on_load():
    result = _run("""
        import pitboss, pitboss._ffi as f
        f.ABI_VERSION = 2  # as if these bindings were written for ABI 2
        try:
            f.lib()
        except pitboss.Error as e:
            print(e.code.name, e.message)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("FAILED_PRECONDITION")
    assert "ABI version 1; these bindings need 2" in result.stdout
