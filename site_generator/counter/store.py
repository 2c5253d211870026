"""What every store returns, and how to open the configured one.

A store (store_sqlite.SQLiteStore, store_redis.RedisStore) has:
    record(vid, address, path, periods, limits) -> Hit
                                                  count one view once per visitor per page per day, at most
                                                  limits.per_address per address; take a token of the
                                                  address's bucket first (Hit.wait > 0: refused, nothing counted)
    allow(address, periods, limits) -> float      take a token only: 0, or the seconds to wait
    seen(vid, periods)                            mark a visitor present (an uncounted hit)
    views(paths) -> dict[path, int]               baseline + counted views per page
    site(periods) -> Site                         online, today, week, month, total
    cleanup(periods, limits)                      delete what has expired: visitor and address keys of past
                                                  days, presence older than 5 minutes, idle buckets
    health() -> str | None                        None, or what is wrong (read-only, full, damaged, down)
    set_baseline(pages, site_total)               imported totals from an old portal (replaces, idempotent)
    rate(vid, address, path, value, comment, periods, limits) -> Rated
                                                  record one rating once per visitor per page per day, at most
                                                  limits.per_address per address; a token of the address's
                                                  bucket first; the comment stored apart from any visitor key
    ratings(path) -> dict[int, int]               ratings of a page by level, all days together
    stats_data(first, last) -> (site_days, page_totals, rating_totals, rating_days)
                                                  for GET stats (counter/stats.py): site views per day and
                                                  ratings per (day, level) from first to last, page totals,
                                                  ratings per (path, level) of all days
    dump() -> Dump                                everything, for export
    restore(dump)                                 into an empty store
    ping(), close()
``vid`` and ``address`` are keyed hashes (visitor.visitor_key, visitor.address_key); the key of the
day is not the store's (salt.DailySalt): a copy of the store alone cannot link them to anyone.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Site:
    online: int
    today: int
    week: int
    month: int
    total: int

    def as_dict(self) -> dict:
        return {"online": self.online, "today": self.today, "week": self.week, "month": self.month,
                "total": self.total}


@dataclass(frozen=True)
class Hit:
    counted: bool
    views: int
    site: Site | None = None            # a store that reads the site figures in the same step gives them here
    wait: float = 0.0                   # > 0: refused by the rate limit (seconds to wait), nothing counted


@dataclass(frozen=True)
class Rated:
    recorded: bool
    reason: str | None = None           # "duplicate" (this visitor, today) or "address" (per_address reached)
    wait: float = 0.0                   # > 0: refused by the rate limit, nothing recorded


@dataclass
class Dump:
    """Everything a store holds that outlives a day (no salts, no visitor keys)."""
    site_views: int = 0                                  # counted here
    site_baseline: int = 0                               # imported
    pages: dict = field(default_factory=dict)            # path -> (views, baseline)
    site_days: dict = field(default_factory=dict)        # day -> views
    page_days: dict = field(default_factory=dict)        # (day, path) -> views
    rating_days: dict = field(default_factory=dict)      # (day, path, value) -> ratings
    rating_comments: list = field(default_factory=list)  # sorted (day, path, value, comment); no visitor key

    def is_empty(self) -> bool:
        return not (self.site_views or self.site_baseline or self.pages or self.site_days or self.page_days
                    or self.rating_days or self.rating_comments)


class StoreError(Exception):
    """A store that cannot be used as configured (newer schema, not empty for a restore...)."""


def open_store(db=None, redis_url: str | None = None, prefix: str = "counter:", synchronous: str = "NORMAL"):
    if redis_url:
        from .store_redis import RedisStore
        return RedisStore(redis_url, prefix=prefix)
    from .store_sqlite import SQLiteStore
    return SQLiteStore(db, synchronous=synchronous)
