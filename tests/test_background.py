"""The helper process (site_generator.background): what a call returns there is what it returns here."""
from __future__ import annotations

import os
import signal
import time

import pytest

from site_generator import background


def _echo(shared, extra):
    return shared["data"] + extra, os.getpid()


def _grow(shared, n):
    shared["log"].append(n)                 # the helper's own copy: calls made after see it, this process does not
    return list(shared["log"])


def _fail(shared):
    raise ValueError("refused")


@pytest.mark.parametrize("workers", [1, 2])
def test_results_are_the_same_in_the_helper_and_here(workers):
    data = os.urandom(3 << 20)              # far more than a pipe holds: goes through the shared file
    helper = background.start(workers, data=data, log=[])
    try:
        first = helper.call(_echo, b"!")
        second = helper.call(_grow, 1)
        third = helper.call(_grow, 2)
        got, pid = first.get()
        assert got == data + b"!"
        assert (pid != os.getpid()) == (workers == 2)
        assert second.get() == [1] and third.get() == [1, 2]
        with pytest.raises(ValueError, match="refused"):
            helper.call(_fail).get()
        assert helper.call(_echo, b"?").get()[0] == data + b"?"     # still serving after a failure
    finally:
        helper.close()
        helper.close()                      # idempotent


def test_the_helper_sees_the_values_as_they_were_at_the_fork():
    log = []
    helper = background.start(2, data=b"", log=log)
    try:
        log.append("after")
        assert helper.call(_grow, 0).get() == [0]
        assert log == ["after"]
    finally:
        helper.close()


def test_closing_stops_a_call_that_is_still_running():
    helper = background.start(2, data=b"", log=[])
    process = helper.process
    helper.call(_sleep, 30)
    helper.close()
    assert helper.process is None and not process.is_alive()


def _die_there(shared, value):
    if os.getpid() != shared["parent"]:
        os.kill(os.getpid(), signal.SIGKILL)   # the helper killed in the middle of a call (out of memory, say)
    return value * 2


def test_what_a_dead_helper_owed_is_made_here():
    helper = background.start(2, data=b"", log=[], parent=os.getpid())
    try:
        first = helper.call(_echo, b"x")
        dying = helper.call(_die_there, 21)
        after = helper.call(_grow, 5)            # sent to a helper that is gone by then, or about to go
        assert first.get()[0] == b"x"
        assert dying.get() == 42
        assert after.get() == [5]
        assert helper.process is None
        assert helper.call(_die_there, 1).get() == 2     # and later calls run here at once
    finally:
        helper.close()


def test_the_helper_ends_when_the_build_is_gone():
    helper = background.start(2, data=b"", log=[])
    process = helper.process
    helper.socket.close()                       # what a killed build leaves: no one to talk to
    process.join(10)
    assert not process.is_alive()


def _sleep(shared, seconds):
    time.sleep(seconds)
