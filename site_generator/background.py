"""Work done in a forked process while this one goes on: a function of data both processes share.

Used for the build's other outputs (feeds, open data, search index), made from the model while
this process checks and renders pages. The result comes back pickled; it is what the same call
would return here, so the output is the same bytes with or without a second process.
"""
from __future__ import annotations

import multiprocessing

_TASK: dict = {}


def start(function, *args, workers: int = 2):
    """Call ``function(*args)`` in a forked process when there is a second core; ``.get()`` its result."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _Done(function(*args))
    _TASK["call"] = (function, args)
    pool = multiprocessing.get_context("fork").Pool(1)
    pending = pool.apply_async(_run)
    _TASK.clear()                                 # the child has its own copy
    return _Pending(pool, pending)


def _run():
    function, args = _TASK["call"]
    return function(*args)


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value

    def close(self) -> None:
        pass


class _Pending:
    def __init__(self, pool, pending):
        self.pool, self.pending = pool, pending

    def get(self):
        try:
            return self.pending.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process if its result was not asked for (the build stopped first); idempotent."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
