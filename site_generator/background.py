"""Work done in a forked process while this one goes on: functions of data both processes share.

Used while pages are checked and rendered: the second process replays part of the page cache's
lookups, then makes the build's other outputs (feeds, open data, search index) from the model.
Each result is what the same call would return here, so the output is the same bytes with or
without a second process; if the helper dies (killed, out of memory), the calls it owed are made
here instead.

Calls and results travel as pickles in unnamed files (memfd where the system has it), whose
descriptors are passed over a local socket: a message is one byte and never blocks
either process, and each file's memory is freed once it has been read. (A big result sent through
a pipe goes in 64 KiB pieces, each read by a thread that must wait for the interpreter lock while
this process works.)
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import socket
import tempfile

_SHARED: dict = {}


def start(workers: int = 2, **shared) -> "Helper":
    """A helper process, forked now when there is a second core, that runs calls one after another.

    Each call's function gets ``shared`` (the values as they are at the fork: nothing is copied
    but the pages the child writes to) as its first argument; its other arguments are pickled.
    Without a second core the calls run here, when they are made."""
    helper = Helper(shared)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods() or not hasattr(socket, "send_fds"):
        return helper
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    _SHARED.clear()
    _SHARED.update(shared)
    try:
        process = multiprocessing.get_context("fork").Process(target=_serve, args=(theirs, ours), daemon=True)
        process.start()                                    # forks here: the child has its own copy
    except BaseException:
        ours.close()
        raise
    finally:
        _SHARED.clear()
        theirs.close()
    helper.process, helper.socket = process, ours
    return helper


def _serve(sock: socket.socket, parents: socket.socket) -> None:
    """In the helper: run each call sent, in order, and send its result back."""
    parents.close()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 1, 1)   # one byte: a message is never split
        except OSError:
            return
        if not message or not fds:
            return                                         # the build is done with us (or gone)
        function, args = pickle.loads(_read(fds[0]))
        try:
            reply, data = b"d", pickle.dumps(function(_SHARED, *args), pickle.HIGHEST_PROTOCOL)
        except BaseException as err:                       # noqa: BLE001 - raised again in the build
            try:
                reply, data = b"f", pickle.dumps(err, pickle.HIGHEST_PROTOCOL)
            except Exception:                              # noqa: BLE001 - an exception that does not pickle
                reply, data = b"f", pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}"))
        _send(sock, reply, data)


def _send(sock: socket.socket, message: bytes, data: bytes) -> None:
    fd = _unnamed()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        socket.send_fds(sock, [message], [fd])
    finally:
        os.close(fd)                                       # the other process holds it now


def _read(fd: int) -> bytes:
    try:
        size, parts, at = os.fstat(fd).st_size, [], 0
        while at < size:
            part = os.pread(fd, size - at, at)
            if not part:
                raise EOFError("a message cut short")
            parts.append(part)
            at += len(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def _unnamed() -> int:
    """A new file with no name, in memory where the system allows."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("site-generator", os.MFD_CLOEXEC)
        except OSError:                                    # refused (a sandbox): an unlinked temporary file
            pass
    handle = tempfile.TemporaryFile()
    try:
        return os.dup(handle.fileno())
    finally:
        handle.close()


class Helper:
    def __init__(self, shared: dict):
        self.shared = shared                   # this process's own references: for calls the helper cannot make
        self.process = None
        self.socket: socket.socket | None = None
        self._calls: list = []                 # (function, args) of every call, in order
        self._results: dict = {}               # call number -> (b"d" done | b"f" failed, pickle), received early
        self._received = 0

    def call(self, function, *args):
        """``function(shared, *args)`` in the helper, after the calls made before; ``.get()`` its result."""
        number = len(self._calls)
        self._calls.append((function, args))
        if self.socket is None:
            return _Done(function(self.shared, *args))
        try:
            _send(self.socket, b"c", pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL))
        except OSError:                        # the helper is gone: made here when asked for
            self._stop()
        return _Pending(self, number)

    def _result(self, number: int):
        while number >= self._received and self.socket is not None:
            ready = multiprocessing.connection.wait([self.socket, self.process.sentinel])
            if self.socket not in ready:
                self._stop()                   # died: what it owed is made here
                break
            try:
                message, fds, _, _ = socket.recv_fds(self.socket, 1, 1)
            except OSError:
                self._stop()
                break
            if not message or not fds:
                self._stop()
                break
            self._results[self._received] = (message, _read(fds[0]))
            self._received += 1
        found = self._results.pop(number, None)
        if found is None:
            function, args = self._calls[number]
            return function(self.shared, *args)
        message, data = found
        value = pickle.loads(data)
        if message == b"f":
            raise value
        return value

    def _stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            self.process = None
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def close(self) -> None:
        """Stop the process, whatever it is doing (the build may stop before it asks for a result); idempotent."""
        self._stop()


class _Pending:
    def __init__(self, helper: Helper, number: int):
        self.helper, self.number = helper, number

    def get(self):
        return self.helper._result(self.number)


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value
