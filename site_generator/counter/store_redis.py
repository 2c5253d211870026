"""Redis storage: the same interface as store_sqlite, for several endpoint processes on several machines.

Each hit is one Lua script (atomic). Keys (under a prefix, default "counter:"):
  schema                     "2"
  seen:{day}                 set of "vid|path" counted that day (expires after the day)
  address:{day}              hash "address|path" -> views counted that day (the per-address cap; expires)
  bucket:{address}           hash tokens, at: the address's token bucket (expires when full again)
  page                       hash path -> views counted here
  baseline                   hash path -> imported views
  page_day:{day}             hash path -> views that day
  site_day                   hash day -> views
  site                       hash views, baseline
  online                     sorted set vid -> last seen (Unix time); pruned to 5 minutes
  rated:{day}                set of "vid|path" that rated that day (expires after the day)
  rated_address:{day}        hash "address|path" -> ratings that day (the per-address cap; expires)
  rating                     hash "path|value" -> ratings, all days
  rating_day:{day}           hash "path|value" -> ratings that day (kept, for trends)
  rating_comment             list of JSON [day, path, value, comment] (no visitor key, no time of day)
No salt is kept in Redis (salt.py; version 1 kept one: migrating deletes it and its visitor keys).
Persistence is Redis's: run it with appendonly yes (see docs/counter.md).
"""
from __future__ import annotations

import datetime as dt
import json

from .periods import ONLINE_SECONDS, Periods, days_between
from .ratelimit import STEP_BACK, Limits
from .store import Dump, Hit, Rated, Site, StoreError

SCHEMA_VERSION = 2

# Lua shared by both scripts: the sum of some days' site counts, and the site's totals (``p`` = key prefix).
SUMS = """local function sum(from, to)
  local total = 0
  for i = from, to do total = total + tonumber(redis.call('HGET', p .. 'site_day', ARGV[i]) or '0') end
  return total
end
local site = redis.call('HMGET', p .. 'site', 'views', 'baseline')
"""

# The address's token bucket (ratelimit.take), in Lua: ``p`` = prefix, ``addr``, ``now``, ``rate``, ``burst``.
# Sets ``wait`` (milliseconds, 0 when allowed).
BUCKET = """local wait = 0
if rate > 0 then
  local bucket = p .. 'bucket:' .. addr
  local old = redis.call('HMGET', bucket, 'tokens', 'at')
  local tokens = burst
  if old[1] then tokens = math.min(burst, tonumber(old[1]) + math.max(0, now - tonumber(old[2])) * rate) end
  if tokens < 1 then wait = math.ceil((1 - tokens) / rate * 1000) else tokens = tokens - 1 end
  local at = now                                        -- ratelimit.stored_time
  if old[2] and now < tonumber(old[2]) and tonumber(old[2]) - now <= %(step_back)s then at = tonumber(old[2]) end
  redis.call('HSET', bucket, 'tokens', tostring(tokens), 'at', tostring(at))
  redis.call('PEXPIRE', bucket, math.ceil(burst / rate * 1000) + 60000)
end
""" % {"step_back": STEP_BACK}

# ARGV: prefix, day, vid, address, path, now, ttl, online since, per address, rate, burst,
#       days in the week so far (n), those n days, the month's days
HIT = """
local p, day, vid, addr, path, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local cap, rate, burst = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
%(bucket)sif wait > 0 then return {-1, wait} end
local seen, per = p .. 'seen:' .. day, p .. 'address:' .. day
local field = addr .. '|' .. path
local counted = 0
local known = redis.call('SISMEMBER', seen, vid .. '|' .. path) == 1
if not known and (cap <= 0 or tonumber(redis.call('HGET', per, field) or '0') < cap) then
  counted = 1
  redis.call('SADD', seen, vid .. '|' .. path)
  redis.call('HINCRBY', per, field, 1)
  redis.call('EXPIRE', seen, ttl)
  redis.call('EXPIRE', per, ttl)
  redis.call('HINCRBY', p .. 'page', path, 1)
  redis.call('HINCRBY', p .. 'page_day:' .. day, path, 1)
  redis.call('HINCRBY', p .. 'site_day', day, 1)
  redis.call('HINCRBY', p .. 'site', 'views', 1)
end
if counted == 1 or known then  -- beyond the address's cap, a new visitor key is not a visitor online either
  redis.call('ZADD', p .. 'online', now, vid)
end
redis.call('ZREMRANGEBYSCORE', p .. 'online', '-inf', '(' .. (now - %(online)d))
local views = tonumber(redis.call('HGET', p .. 'page', path) or '0') + tonumber(redis.call('HGET', p .. 'baseline', path) or '0')
local nweek = tonumber(ARGV[12])
%(sums)sreturn {counted, views, redis.call('ZCOUNT', p .. 'online', ARGV[8], ARGV[6]),
        tonumber(redis.call('HGET', p .. 'site_day', day) or '0'), sum(13, 12 + nweek), sum(13 + nweek, #ARGV),
        tonumber(site[1] or '0') + tonumber(site[2] or '0')}
""" % {"online": ONLINE_SECONDS, "sums": SUMS, "bucket": BUCKET}

# ARGV: prefix, address, -, -, -, now, rate, burst
ALLOW = """
local p, addr, now, rate, burst = ARGV[1], ARGV[2], tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
%(bucket)sreturn wait
""" % {"bucket": BUCKET}

# ARGV: prefix, day, vid, address, path, now, ttl, per address, rate, burst, value, comment entry ("" for none)
RATE = """
local p, day, vid, addr, path, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local cap, rate, burst = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
%(bucket)sif wait > 0 then return {-1, wait} end
local rated, per = p .. 'rated:' .. day, p .. 'rated_address:' .. day
local field = addr .. '|' .. path
if redis.call('SISMEMBER', rated, vid .. '|' .. path) == 1 then return {0, 1} end
if cap > 0 and tonumber(redis.call('HGET', per, field) or '0') >= cap then return {0, 2} end
redis.call('SADD', rated, vid .. '|' .. path)
redis.call('HINCRBY', per, field, 1)
redis.call('EXPIRE', rated, ttl)
redis.call('EXPIRE', per, ttl)
redis.call('HINCRBY', p .. 'rating', path .. '|' .. ARGV[11], 1)
redis.call('HINCRBY', p .. 'rating_day:' .. day, path .. '|' .. ARGV[11], 1)
if ARGV[12] ~= '' then redis.call('RPUSH', p .. 'rating_comment', ARGV[12]) end
return {1, 0}
""" % {"bucket": BUCKET}

SITE = """
local p, today, since, nweek = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
%(sums)sreturn {redis.call('ZCOUNT', p .. 'online', since, '+inf'),
        tonumber(redis.call('HGET', p .. 'site_day', today) or '0'),
        sum(5, 4 + nweek), sum(5 + nweek, #ARGV),
        tonumber(site[1] or '0') + tonumber(site[2] or '0')}
""" % {"sums": SUMS}


def connect(url: str):
    import redis                                        # redis-py; only needed when Redis is configured
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)


class RedisStore:
    def __init__(self, url: str, prefix: str = "counter:", client=None):
        """``client``: a redis.Redis shared by several stores (a province's communes: one connection pool),
        not closed by close(); None: a client of this store's own."""
        self.url, self.prefix = url, prefix
        self._own_client = client is None
        self.r = connect(url) if client is None else client
        self._hit = self.r.register_script(HIT)
        self._site = self.r.register_script(SITE)
        self._allow = self.r.register_script(ALLOW)
        self._rate = self.r.register_script(RATE)
        self.migrate()

    def key(self, name: str) -> str:
        return self.prefix + name

    def schema_version(self) -> int:
        return int(self.r.get(self.key("schema")) or 0)

    def migrate(self) -> None:
        self.r.set(self.key("schema"), SCHEMA_VERSION, nx=True)
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"Redis schema version {version} is newer than this program ({SCHEMA_VERSION})")
        if version < 2:                                 # salts were kept here, and visitor keys made with them
            for pattern in ("salt:*", "seen:*"):
                for key in list(self.r.scan_iter(match=self.key(pattern), count=1000)):
                    self.r.delete(key)
            self.r.set(self.key("schema"), SCHEMA_VERSION)

    def close(self) -> None:
        if self._own_client:
            self.r.close()

    def ping(self) -> bool:
        return bool(self.r.ping())

    def health(self) -> str | None:
        """A real write (it expires by itself): refused when Redis is read-only, out of memory or failing."""
        try:
            self.r.set(self.key("health"), "1", px=10000)
        except Exception as error:                      # redis.exceptions.*: the message says what Redis refused
            return f"Redis refuses writes ({type(error).__name__})"
        return None

    def record(self, vid: bytes, address: bytes, path: str, p: Periods, limits: Limits = Limits()) -> Hit:
        week, month = self._days(p)
        answer = self._hit(args=[
            self.prefix, p.today, vid.hex(), address.hex(), path, repr(float(p.now)), p.seconds_left + 3600,
            int(p.online_since), limits.per_address, limits.rate, limits.burst, len(week), *week, *month])
        if answer[0] == -1:
            return Hit(counted=False, views=0, wait=answer[1] / 1000)
        counted, views, online, today, w, m, total = answer
        return Hit(counted=counted == 1, views=int(views),
                   site=Site(online=int(online), today=int(today), week=int(w), month=int(m), total=int(total)))

    def allow(self, address: bytes, p: Periods, limits: Limits) -> float:
        if limits.rate <= 0:
            return 0.0
        return self._allow(args=[self.prefix, address.hex(), "", "", "", repr(float(p.now)), limits.rate,
                                 limits.burst]) / 1000

    def cleanup(self, p: Periods, limits: Limits = Limits()) -> None:
        """Presence older than 5 minutes (or in the future: a clock set back), past days' keys (they also expire)."""
        self.r.zremrangebyscore(self.key("online"), "-inf", f"({int(p.online_since)}")
        self.r.zremrangebyscore(self.key("online"), f"({int(p.now) + 60}", "+inf")
        today = dt.date.fromisoformat(p.today)
        for back in range(1, 4):
            day = (today - dt.timedelta(days=back)).isoformat()
            self.r.delete(self.key(f"seen:{day}"), self.key(f"address:{day}"), self.key(f"rated:{day}"),
                          self.key(f"rated_address:{day}"))

    def rate(self, vid: bytes, address: bytes, path: str, value: int, comment: str | None, p: Periods,
             limits: Limits = Limits()) -> Rated:
        entry = json.dumps([p.today, path, value, comment], ensure_ascii=False) if comment else ""
        answer = self._rate(args=[
            self.prefix, p.today, vid.hex(), address.hex(), path, repr(float(p.now)), p.seconds_left + 3600,
            limits.per_address, limits.rate, limits.burst, value, entry])
        if answer[0] == -1:
            return Rated(recorded=False, wait=answer[1] / 1000)
        if answer[0] == 0:
            return Rated(recorded=False, reason="duplicate" if answer[1] == 1 else "address")
        return Rated(recorded=True)

    def ratings(self, path: str) -> dict[int, int]:
        from .ratings import SCALE
        found = self.r.hmget(self.key("rating"), [f"{path}|{value}" for value in SCALE])
        return {value: int(n) for value, n in zip(SCALE, found) if n}

    @staticmethod
    def _days(p: Periods) -> tuple[list, list]:
        return days_between(p.week_start, p.today), days_between(p.month_start, p.today)

    def seen(self, vid: bytes, p: Periods) -> None:
        self.r.zadd(self.key("online"), {vid.hex(): int(p.now)})

    def views(self, paths) -> dict[str, int]:
        paths = list(paths)
        if not paths:
            return {}
        pipe = self.r.pipeline(transaction=True)
        pipe.hmget(self.key("page"), paths)
        pipe.hmget(self.key("baseline"), paths)
        counted, baseline = pipe.execute()
        return {path: int(c or 0) + int(b or 0) for path, c, b in zip(paths, counted, baseline)}

    def site(self, p: Periods) -> Site:
        week, month = self._days(p)
        online, today, w, m, total = self._site(args=[self.prefix, p.today, int(p.online_since), len(week),
                                                      *week, *month])
        return Site(online=int(online), today=int(today), week=int(w), month=int(m), total=int(total))

    def stats_data(self, first: str, last: str) -> tuple[dict, dict, dict, dict]:
        """As SQLiteStore.stats_data (one pipeline: at most 366 days of rating counts)."""
        days = days_between(first, last)
        pipe = self.r.pipeline(transaction=True)
        pipe.hmget(self.key("site_day"), days)
        pipe.hgetall(self.key("page"))
        pipe.hgetall(self.key("baseline"))
        pipe.hgetall(self.key("rating"))
        for day in days:
            pipe.hgetall(self.key(f"rating_day:{day}"))
        found = pipe.execute()
        site_days = {day: int(v) for day, v in zip(days, found[0]) if v}
        pages: dict = {}
        for source in (found[1], found[2]):
            for path, v in source.items():
                pages[path.decode()] = pages.get(path.decode(), 0) + int(v)
        totals = {}
        for field, n in found[3].items():
            path, value = field.decode().rsplit("|", 1)
            totals[(path, int(value))] = int(n)
        per_day: dict = {}
        for day, mapping in zip(days, found[4:]):
            for field, n in mapping.items():
                value = int(field.decode().rsplit("|", 1)[1])
                per_day[(day, value)] = per_day.get((day, value), 0) + int(n)
        return site_days, pages, totals, per_day

    def set_baseline(self, pages: dict[str, int], site_total: int | None) -> None:
        pipe = self.r.pipeline(transaction=True)
        if pages:
            pipe.hset(self.key("baseline"), mapping=pages)
        if site_total is not None:
            pipe.hset(self.key("site"), "baseline", site_total)
        pipe.execute()

    def _page_day_keys(self) -> list[bytes]:
        return sorted(self.r.scan_iter(match=self.key("page_day:*"), count=1000))

    def dump(self) -> Dump:
        site = self.r.hgetall(self.key("site"))
        counted = {k.decode(): int(v) for k, v in self.r.hgetall(self.key("page")).items()}
        baseline = {k.decode(): int(v) for k, v in self.r.hgetall(self.key("baseline")).items()}
        pages = {path: (counted.get(path, 0), baseline.get(path, 0))
                 for path in sorted(set(counted) | set(baseline)) if counted.get(path) or baseline.get(path)}
        page_days = {}
        for key in self._page_day_keys():
            day = key.decode()[len(self.key("page_day:")):]
            for path, views in self.r.hgetall(key).items():
                page_days[(day, path.decode())] = int(views)
        rating_days = {}
        for key in sorted(self.r.scan_iter(match=self.key("rating_day:*"), count=1000)):
            day = key.decode()[len(self.key("rating_day:")):]
            for field, n in self.r.hgetall(key).items():
                path, value = field.decode().rsplit("|", 1)
                rating_days[(day, path, int(value))] = int(n)
        comments = sorted(tuple(json.loads(entry)) for entry in self.r.lrange(self.key("rating_comment"), 0, -1))
        return Dump(site_views=int(site.get(b"views", 0)), site_baseline=int(site.get(b"baseline", 0)),
                    pages=pages,
                    site_days={k.decode(): int(v) for k, v in sorted(self.r.hgetall(self.key("site_day")).items())},
                    page_days=dict(sorted(page_days.items())),
                    rating_days=dict(sorted(rating_days.items())), rating_comments=comments)

    def restore(self, dump: Dump) -> None:
        if not self.dump().is_empty():
            raise StoreError(f"{self.url} ({self.prefix}*) is not empty: restore only into an empty store")
        pipe = self.r.pipeline(transaction=True)
        counted = {path: v for path, (v, _) in dump.pages.items() if v}
        baseline = {path: b for path, (_, b) in dump.pages.items() if b}
        if counted:
            pipe.hset(self.key("page"), mapping=counted)
        if baseline:
            pipe.hset(self.key("baseline"), mapping=baseline)
        by_day: dict[str, dict] = {}
        for (day, path), views in dump.page_days.items():
            by_day.setdefault(day, {})[path] = views
        for day, mapping in by_day.items():
            pipe.hset(self.key(f"page_day:{day}"), mapping=mapping)
        if dump.site_days:
            pipe.hset(self.key("site_day"), mapping=dump.site_days)
        pipe.hset(self.key("site"), mapping={"views": dump.site_views, "baseline": dump.site_baseline})
        totals: dict[str, int] = {}
        for (day, path, value), n in dump.rating_days.items():
            pipe.hset(self.key(f"rating_day:{day}"), f"{path}|{value}", n)
            totals[f"{path}|{value}"] = totals.get(f"{path}|{value}", 0) + n
        if totals:
            pipe.hset(self.key("rating"), mapping=totals)
        for day, path, value, comment in dump.rating_comments:
            pipe.rpush(self.key("rating_comment"), json.dumps([day, path, value, comment], ensure_ascii=False))
        pipe.execute()
