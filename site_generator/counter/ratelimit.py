"""Per-address limits, kept in the store so that every worker process (and machine) shares them.

An address is an IPv4 address or an IPv6 /64 (not the User-Agent: a client changes that at will).
Each address has a token bucket: ``rate`` tokens a second, at most ``burst``; a request takes one.
A clock that goes back (stepped back by an hour) must not lock anyone out: the elapsed time is then
taken as zero and the bucket's time moved to now, so refilling goes on from there.
``per_address`` caps how many views of one page are counted per address per day, whatever the
User-Agents (an office or a mobile carrier may put several readers behind one address).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    rate: float = 2.0               # tokens per second per address; 0 = no rate limit
    burst: float = 30.0             # bucket size: requests one address may make at once
    per_address: int = 10           # views of one page counted per address per day; 0 = no cap

    @property
    def idle_seconds(self) -> float:
        """After this long without a request a bucket is full again: it can be forgotten."""
        return self.burst / self.rate if self.rate > 0 else 0.0


STEP_BACK = 5.0     # seconds: a bucket time further ahead of ``now`` than this is a clock stepped back


def stored_time(at: float | None, now: float) -> float:
    """The time to keep with a bucket after a request at ``now``. Two workers' requests commit in any
    order, so a ``now`` a little before the stored time is only a later commit of an earlier request:
    the time stays (moving it back would refill the same seconds twice). Only a clock stepped back
    (more than STEP_BACK) moves it to now."""
    return now if at is None or now >= at or at - now > STEP_BACK else at


def take(tokens: float | None, at: float | None, now: float, limits: Limits) -> tuple[float, float]:
    """A request at ``now`` on a bucket last seen with ``tokens`` at ``at`` (None: new):
    (tokens left, seconds to wait; 0 when allowed and a token was taken). Store stored_time() as its time."""
    level = limits.burst if tokens is None else min(limits.burst, tokens + max(0.0, now - at) * limits.rate)
    if level < 1:
        return level, (1 - level) / limits.rate
    return level - 1, 0.0
