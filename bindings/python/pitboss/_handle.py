"""The lifetime of a C handle, shared by Engine and Store.

``close()`` releases the handle and is idempotent; the object is a context
manager that closes on exit and closes when garbage-collected; a call on a
closed handle raises Error(FAILED_PRECONDITION) instead of passing NULL on.
"""

from pitboss._errors import Error, StatusCode


class Handle:
    # Set by subclasses: the noun used in errors and the C function that
    # releases the handle.
    _kind = "handle"
    _free = None
    # None until the C constructor succeeded (and again after close()), so a
    # failed __init__ leaves nothing to release.
    _handle = None
    _lib = None

    def _live_handle(self):
        handle = self._handle
        if handle is None:
            raise Error(StatusCode.FAILED_PRECONDITION, f"{self._kind} is closed")
        return handle

    @property
    def closed(self):
        return self._handle is None

    def close(self):
        """Releases the handle. Idempotent."""
        handle, self._handle = self._handle, None
        if handle is not None:
            getattr(self._lib, self._free)(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        self.close()
