"""Offline install: `pip install --no-build-isolation --no-deps --target DIR
bindings/python` from the build tree (PITBOSS_BUILD_DIR), then the quickstart
runs from DIR alone: no PYTHONPATH into the build, no PITBOSS_LIBRARY, the
library found in the package directory."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.mark.skipif("PITBOSS_BUILD_DIR" not in os.environ,
                    reason="PITBOSS_BUILD_DIR (set by ctest) names the build tree to package")
def test_pip_install_then_quickstart(tmp_path):
    # A copy of the sources: setuptools builds in place, and several build
    # trees (default, asan) may run this test at the same time.
    source = tmp_path / "src"
    shutil.copytree(os.path.join(ROOT, "bindings", "python"), source,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PITBOSS_LIBRARY")}
    env["PITBOSS_BUILD_DIR"] = os.path.abspath(os.environ["PITBOSS_BUILD_DIR"])
    env["PIP_NO_INDEX"] = "1"  # offline: never ask PyPI
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
         "--disable-pip-version-check", "--target", str(target), str(source)],
        env=env, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (target / "pitboss" / "libpitboss.so.1").exists()
    assert (target / "pitboss" / "v1" / "policy_pb2.py").exists()

    env["PYTHONPATH"] = str(target)
    run = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "python", "quickstart.py")],
                         env=env, capture_output=True, text=True, timeout=120, cwd=str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "account opened: DECISION_OUTCOME_ALLOW version 1" in run.stdout
    assert "deposit: DECISION_OUTCOME_" in run.stdout
    assert ("store: DECISION_OUTCOME_ALLOW replayed True version 1 audit records 1"
            in run.stdout)
    assert "policy problem: rules[0].expression (R1) 1:9: undefined field 'new_devce'" in run.stdout
    assert "cel: True" in run.stdout
    assert "cel error: division by zero" in run.stdout
    where = subprocess.run([sys.executable, "-c", "import pitboss._ffi as f; print(f.lib()._name)"],
                           env=env, capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    assert where.stdout.strip() == str(target / "pitboss" / "libpitboss.so.1"), where.stderr
