"""Shared fixtures for the Python binding tests (run by ctest as python_tests,
with PYTHONPATH at the staged package and PITBOSS_LIBRARY at the library)."""
import os

import pytest
from google.protobuf import text_format

from pitboss.v1 import policy_pb2

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_POLICY = os.path.join(ROOT, "examples", "policy", "default.textproto")
TESTDATA = os.path.join(ROOT, "tests", "c_api", "testdata")


@pytest.fixture(scope="session")
def default_policy_path():
    return DEFAULT_POLICY


@pytest.fixture(scope="session")
def default_policy():
    with open(DEFAULT_POLICY, encoding="utf-8") as f:
        return text_format.Parse(f.read(), policy_pb2.Policy())


@pytest.fixture(scope="session")
def broken_policy_text():
    with open(os.path.join(TESTDATA, "broken_policy.textproto"), encoding="utf-8") as f:
        return f.read()


@pytest.fixture()
def account_opened_request():
    with open(os.path.join(TESTDATA, "account_opened_request.textproto"), encoding="utf-8") as f:
        return text_format.Parse(f.read(), policy_pb2.EvaluateRequest())
