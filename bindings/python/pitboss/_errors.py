"""pitboss.Error: a non-OK status from the C ABI, and the status codes.

The codes are numbered like absl::StatusCode, pitboss.v1.StatusCode and the
PITBOSS_* codes of pitboss.h. New codes may be added: an unknown number is kept
as a plain int.
"""

import enum


class StatusCode(enum.IntEnum):
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class Error(Exception):
    """A call into libpitboss failed: ``code`` (a StatusCode) and ``message``.

    A rule verdict (deny, hold, verify first) is never an Error: it is data in
    the EvaluateResponse."""

    def __init__(self, code, message):
        try:
            code = StatusCode(code)
        except ValueError:
            code = int(code)
        self.code = code
        self.message = message
        name = code.name if isinstance(code, StatusCode) else str(code)
        super().__init__(f"{name}: {message}")

    def __reduce__(self):
        return (type(self), (int(self.code), self.message))


# The name the house style uses; the same class.
PitbossError = Error


class CelEvalError(ValueError):
    """A CEL expression evaluated to an error (division by zero, no such
    overload, ...). Compile errors are Error(INVALID_ARGUMENT) instead."""

    def __init__(self, message, response=None):
        super().__init__(message)
        self.message = message
        self.response = response
