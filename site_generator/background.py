"""Work done in a forked process while this one goes on: functions of data both processes share.

Used while pages are checked and rendered: the second process replays part of the page cache's
lookups, then makes the build's other outputs (feeds, open data, search index) from the model.
Each result comes back pickled; it is what the same call would return here, so the output is the
same bytes with or without a second process.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile

_SHARED: dict = {}


def start(workers: int = 2, **shared) -> "Helper":
    """A helper process, forked now when there is a second core, that runs calls one after another.

    Each call's function gets ``shared`` (the values as they are at the fork: nothing is copied
    but the pages the child writes to) as its first argument; its other arguments are pickled.
    Without a second core the calls run here, when they are made."""
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return Helper(None, shared, -1)
    channel = _channel()
    _SHARED.clear()
    _SHARED.update(shared, _channel=[channel, 0])
    try:
        pool = multiprocessing.get_context("fork").Pool(1)      # forks here: the child has its own copy
    except BaseException:
        os.close(channel)
        raise
    finally:
        _SHARED.clear()
    return Helper(pool, {}, channel)


def _channel() -> int:
    """An unnamed file both processes share: the helper writes each result there, at an offset of its own,
    and only says where over the pool's pipe. (A big result sent through the pipe goes in 64 KiB pieces,
    each read by a thread of this process that must wait for the interpreter lock while it works.)"""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("site-generator-results", os.MFD_CLOEXEC)
    handle = tempfile.TemporaryFile()
    channel = os.dup(handle.fileno())
    handle.close()
    return channel


def _run(function, args):
    data = pickle.dumps(function(_SHARED, *args), pickle.HIGHEST_PROTOCOL)
    channel = _SHARED["_channel"]
    at = channel[1]
    view = memoryview(data)
    while view:
        view = view[os.pwrite(channel[0], view, at + len(data) - len(view)):]
    channel[1] = at + len(data)
    return at, len(data)


class Helper:
    def __init__(self, pool, shared: dict, channel: int):
        self.pool, self.shared, self.channel = pool, shared, channel

    def call(self, function, *args):
        """``function(shared, *args)`` in the helper, after the calls made before; ``.get()`` its result."""
        if self.pool is None:
            return _Done(function(self.shared, *args))
        return _Pending(self.pool.apply_async(_run, (function, args)), self.channel)

    def close(self) -> None:
        """Stop the process, whatever it is doing (the build may stop before it asks for a result); idempotent."""
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
            os.close(self.channel)


class _Pending:
    def __init__(self, pending, channel: int):
        self.pending, self.channel = pending, channel

    def get(self):
        at, size = self.pending.get()
        parts = []
        while size:
            part = os.pread(self.channel, size, at)
            if not part:
                raise EOFError("the helper's result is cut short")
            parts.append(part)
            at, size = at + len(part), size - len(part)
        return pickle.loads(b"".join(parts))


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value
