"""The helper process (site_generator.background): what a call returns there is what it returns here."""
from __future__ import annotations

import os

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
    pending = helper.call(_sleep, 30)
    helper.close()
    assert helper.pool is None
    del pending


def _sleep(shared, seconds):
    import time
    time.sleep(seconds)
