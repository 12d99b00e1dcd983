"""Packages the bindings with the pieces a CMake build generates.

The pure-Python sources live here; the ``pitboss.v1`` message modules
(``*_pb2.py``) and the shared library are build outputs. ``build_py`` copies
them from the build tree into the package:

* ``PITBOSS_BUILD_DIR`` (absolute, or relative to the repository root;
  default ``build/default``) must hold
  ``python/pitboss/v1/*_pb2.py`` and ``src/capi/libpitboss.so.<ABI>``;
* the wheel is platform-specific (it contains the library).

Build them first: ``cmake --build build/default --target pitboss_python`` (the
library and the generated modules).
"""

import glob
import os
import re
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _library(build_dir):
    """libpitboss.so.<ABI> (the SONAME link) in the build tree, or None."""
    capi = os.path.join(build_dir, "src", "capi")
    names = [n for n in os.listdir(capi) if re.fullmatch(r"libpitboss\.so\.\d+", n)] \
        if os.path.isdir(capi) else []
    return os.path.join(capi, names[0]) if len(names) == 1 else None


class BuildPyWithGenerated(build_py):
    """build_py plus the generated modules and libpitboss from the build tree."""

    def run(self):
        super().run()
        # pip runs this in bindings/python: a relative directory is taken
        # from the repository root, where the documented commands run.
        build_dir = os.path.join(ROOT, os.environ.get("PITBOSS_BUILD_DIR", "build/default"))
        generated = sorted(glob.glob(os.path.join(build_dir, "python", "pitboss", "v1", "*_pb2.py")))
        library = _library(build_dir)
        missing = [] if generated else [os.path.join(build_dir, "python/pitboss/v1/*_pb2.py")]
        if library is None:
            missing.append(os.path.join(build_dir, "src/capi/libpitboss.so.<ABI>"))
        if missing:
            raise SystemExit(
                "pitboss: build outputs not found: " + ", ".join(missing) +
                f"\n  build them (cmake --build {build_dir} --target pitboss_python) "
                "or set PITBOSS_BUILD_DIR")
        package = os.path.join(self.build_lib, "pitboss")
        v1 = os.path.join(package, "v1")
        os.makedirs(v1, exist_ok=True)
        for module in generated:
            shutil.copyfile(module, os.path.join(v1, os.path.basename(module)))
        # copyfile follows the symlink chain to the real library.
        shutil.copyfile(library, os.path.join(package, os.path.basename(library)))
        os.chmod(os.path.join(package, os.path.basename(library)), 0o755)


class BinaryDistribution(Distribution):
    """The wheel holds a shared library: tag it for this platform."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildPyWithGenerated}, distclass=BinaryDistribution)
