"""What every store returns, and how to open the configured one.

A store (store_sqlite.SQLiteStore, store_redis.RedisStore) has:
    salt(periods) -> bytes                        today's random salt (created by the first asker)
    record(vid, path, periods) -> Hit             count one view once per visitor per page per day
    seen(vid, periods)                            mark a visitor present (an uncounted hit)
    views(paths) -> dict[path, int]               baseline + counted views per page
    site(periods) -> Site                         online, today, week, month, total
    set_baseline(pages, site_total)               imported totals from an old portal (replaces, idempotent)
    dump() -> Dump                                everything, for export
    restore(dump)                                 into an empty store
    ping(), close()
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


@dataclass
class Dump:
    """Everything a store holds that outlives a day (no salts, no visitor keys)."""
    site_views: int = 0                                  # counted here
    site_baseline: int = 0                               # imported
    pages: dict = field(default_factory=dict)            # path -> (views, baseline)
    site_days: dict = field(default_factory=dict)        # day -> views
    page_days: dict = field(default_factory=dict)        # (day, path) -> views

    def is_empty(self) -> bool:
        return not (self.site_views or self.site_baseline or self.pages or self.site_days or self.page_days)


class StoreError(Exception):
    """A store that cannot be used as configured (newer schema, not empty for a restore...)."""


def open_store(db=None, redis_url: str | None = None, prefix: str = "counter:", synchronous: str = "NORMAL"):
    if redis_url:
        from .store_redis import RedisStore
        return RedisStore(redis_url, prefix=prefix)
    from .store_sqlite import SQLiteStore
    return SQLiteStore(db, synchronous=synchronous)
