"""A per-visitor token bucket held in memory (per process: nginx's limit_req can sit in front)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class RateLimit:
    rate: float = 2.0               # tokens added per second
    burst: float = 30.0             # bucket size: requests one visitor may make at once
    max_keys: int = 200_000         # memory bound: full buckets are forgotten past this
    _buckets: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def allow(self, key: bytes, now: float) -> float:
        """0 when allowed (and a token is taken), else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > self.max_keys:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]
        if len(self._buckets) > self.max_keys:          # still too many: a flood of new keys
            self._buckets.clear()
