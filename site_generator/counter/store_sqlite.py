"""SQLite storage (WAL): per page per day, per page total, per site per day, with schema migrations.

Every view is committed (one short BEGIN IMMEDIATE transaction) before the
caller answers. Visitor and address keys live only for their day; the key they are
hashed with is never in the database (salt.py). Deleted rows are overwritten
(secure_delete) and, after the daily purge, the WAL is checkpointed and truncated,
so yesterday's keys linger neither in the database file nor in its WAL.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from .periods import Periods
from .ratelimit import Limits, stored_time, take
from .store import Dump, Hit, Rated, Site, StoreError

SCHEMA_VERSION = 4

# Version 1 (first release): paths repeated in every row, totals summed on read.
SCHEMA_V1 = """
CREATE TABLE page_day (path TEXT NOT NULL, day TEXT NOT NULL, views INTEGER NOT NULL, PRIMARY KEY (path, day));
CREATE TABLE site_day (day TEXT PRIMARY KEY, views INTEGER NOT NULL);
CREATE TABLE salt (day TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE seen (day TEXT NOT NULL, vid BLOB NOT NULL, path TEXT NOT NULL, PRIMARY KEY (day, vid, path));
CREATE TABLE presence (vid BLOB PRIMARY KEY, last_seen INTEGER NOT NULL);
"""

# Version 2: pages by id with imported baselines; running totals kept as the day "total" beside the
# day rows (one page of the B-tree holds both, so a view writes few pages); presence by minute.
TOTAL = "total"
MIGRATE_1_TO_2 = """
ALTER TABLE page_day RENAME TO page_day_v1;
ALTER TABLE seen RENAME TO seen_v1;
ALTER TABLE site_day RENAME TO site_day_v1;
DROP TABLE presence;
CREATE TABLE page (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, baseline INTEGER NOT NULL DEFAULT 0);
CREATE TABLE page_day (page_id INTEGER NOT NULL REFERENCES page (id), day TEXT NOT NULL,
                       views INTEGER NOT NULL, PRIMARY KEY (page_id, day)) WITHOUT ROWID;
CREATE TABLE site_day (day TEXT PRIMARY KEY, views INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE seen2 (day TEXT NOT NULL, vid BLOB NOT NULL, page_id INTEGER NOT NULL,
                    PRIMARY KEY (day, vid, page_id)) WITHOUT ROWID;
CREATE TABLE presence (minute INTEGER NOT NULL, vid BLOB NOT NULL, last_seen INTEGER NOT NULL,
                       PRIMARY KEY (minute, vid)) WITHOUT ROWID;
INSERT INTO page (path) SELECT DISTINCT path FROM page_day_v1;
INSERT INTO page_day SELECT page.id, d.day, d.views FROM page_day_v1 AS d JOIN page USING (path);
INSERT INTO page_day SELECT page.id, 'total', SUM(d.views) FROM page_day_v1 AS d JOIN page USING (path) GROUP BY page.id;
INSERT INTO site_day SELECT day, views FROM site_day_v1;
INSERT INTO site_day VALUES ('total', (SELECT COALESCE(SUM(views), 0) FROM site_day_v1));
INSERT INTO meta VALUES ('site_baseline', 0);
INSERT INTO seen2 SELECT s.day, s.vid, page.id FROM seen_v1 AS s JOIN page USING (path);
DROP TABLE page_day_v1;
DROP TABLE seen_v1;
DROP TABLE site_day_v1;
ALTER TABLE seen2 RENAME TO seen;
"""

# Version 3: no salt in the database (the day's key is kept apart, salt.py): the stored salts and the
# visitor keys made with them go. The visitors counted on a page are kept per address (one row: their
# keys in hexadecimal one after the other, at most per_address of them), so that one upsert both
# deduplicates and caps; per-address token buckets are shared by every process.
MIGRATE_2_TO_3 = """
DROP TABLE salt;
DROP TABLE seen;
DELETE FROM presence;
CREATE TABLE seen (day TEXT NOT NULL, address BLOB NOT NULL, page_id INTEGER NOT NULL, vids TEXT NOT NULL,
                   PRIMARY KEY (day, address, page_id)) WITHOUT ROWID;
CREATE TABLE bucket (address BLOB PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL) WITHOUT ROWID;
"""

# Version 4: ratings. ``rated`` holds the day's visitor keys that rated a page (as ``seen`` does for views:
# deleted with the day); ``rating_day`` the counts per page, day and level (kept, for trends);
# ``rating_comment`` the comments, with their day, page and level and no visitor key or time of day.
MIGRATE_3_TO_4 = """
CREATE TABLE rated (day TEXT NOT NULL, address BLOB NOT NULL, page_id INTEGER NOT NULL, vids TEXT NOT NULL,
                    PRIMARY KEY (day, address, page_id)) WITHOUT ROWID;
CREATE TABLE rating_day (page_id INTEGER NOT NULL REFERENCES page (id), day TEXT NOT NULL, value INTEGER NOT NULL,
                         ratings INTEGER NOT NULL, PRIMARY KEY (page_id, day, value)) WITHOUT ROWID;
CREATE TABLE rating_comment (day TEXT NOT NULL, page_id INTEGER NOT NULL REFERENCES page (id),
                             value INTEGER NOT NULL, comment TEXT NOT NULL);
"""

MIGRATIONS = {1: SCHEMA_V1, 2: MIGRATE_1_TO_2, 3: MIGRATE_2_TO_3, 4: MIGRATE_3_TO_4}   # version reached -> script from the one before

PRUNE_EVERY = 1.0               # seconds (monotonic) between deletions of presence rows older than 5 minutes
HEALTH_CHECK_EVERY = 30.0       # seconds (monotonic) a passed integrity check (quick_check) is trusted
MIN_FREE_BYTES = 1 << 20        # less free space than this beside the database: "full"
PURGE_BATCH = 2000              # rows deleted per transaction by the cleanup (writers wait at most that long)


class SQLiteStore:
    def __init__(self, path, synchronous: str = "NORMAL", busy_ms: int = 10000, online_cache: float = 10.0):
        self.path = Path(path)
        self.synchronous = synchronous.upper()
        if self.synchronous not in ("NORMAL", "FULL", "EXTRA"):
            raise StoreError(f"synchronous must be NORMAL, FULL or EXTRA, not {synchronous!r}")
        self.busy_ms = busy_ms
        self.online_cache = online_cache
        self._local = threading.local()
        self._pid = os.getpid()
        self._page_ids: dict[str, int] = {}
        self._pruned = -PRUNE_EVERY                     # time.monotonic() of the last prune
        self._checked = -HEALTH_CHECK_EVERY             # time.monotonic() of the last passed quick_check
        self._online = (-1.0, 0)                        # (computed at, value)
        self._purge_pending = False                     # deleted keys of past days not yet out of the WAL
        self.migrate()

    # ------------------------------------------------------------ connection and schema
    @property
    def db(self) -> sqlite3.Connection:
        if os.getpid() != self._pid:                    # forked: never share a connection across processes
            self._local = threading.local()
            self._pid = os.getpid()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # No SQLite busy handler: it sleeps at least 1 ms on every conflict, far longer than a write
            # holds the lock; _begin() below retries every 0.1-2 ms instead.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=0, check_same_thread=True)
            _retry(lambda: conn.execute("PRAGMA journal_mode=WAL"), self.busy_ms)
            conn.execute(f"PRAGMA synchronous={self.synchronous}")
            # Fewer, larger checkpoints: a view writes ~4 pages, so the default (1,000 pages) would copy
            # and sync the database every ~250 views. The WAL is kept under 64 MB.
            conn.execute("PRAGMA wal_autocheckpoint=10000")
            conn.execute("PRAGMA journal_size_limit=67108864")
            conn.execute("PRAGMA mmap_size=268435456")
            conn.execute("PRAGMA cache_size=-16000")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")     # deleted keys are overwritten, not left in free space
            self._local.conn = conn
        return conn

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        db = self.db
        _retry(lambda: db.execute("BEGIN IMMEDIATE"), self.busy_ms)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema version {version} is newer than this program "
                                 f"({SCHEMA_VERSION}); upgrade the program")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={target}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if version and version < 3:
            self._purge_pending = True                  # the old salts: out of the WAL too
            self._checkpoint()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def ping(self) -> bool:
        return self.db.execute("SELECT 1").fetchone()[0] == 1

    def health(self) -> str | None:
        """What a fresh connection finds: can it write (a change rolled back), is the file whole, is there room."""
        try:
            free = shutil.disk_usage(self.path.parent).free
        except OSError:
            free = None
        if free is not None and free < MIN_FREE_BYTES:
            return "the disk of the database is full"
        try:
            probe = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                                    timeout=0)
        except sqlite3.Error:
            return "the database cannot be opened"
        try:
            if time.monotonic() - self._checked >= HEALTH_CHECK_EVERY:
                result = _retry(lambda: probe.execute("PRAGMA quick_check(1)").fetchone()[0], self.busy_ms)
                if result != "ok":
                    return "the database is damaged"
                self._checked = time.monotonic()
            _retry(lambda: probe.execute("BEGIN IMMEDIATE"), self.busy_ms)
            try:
                probe.execute("UPDATE meta SET value = value WHERE key = 'site_baseline'")
            finally:
                probe.execute("ROLLBACK")
        except sqlite3.Error as error:
            text = str(error).lower()
            if "readonly" in text or "read-only" in text:
                return "the database is read-only"
            if "full" in text:
                return "the disk of the database is full"
            if "malformed" in text or "not a database" in text:
                return "the database is damaged"
            return "the database cannot be written"
        finally:
            probe.close()
        return None

    # ------------------------------------------------------------ the write path
    def _transaction(self, work):
        db = self.db
        _retry(lambda: db.execute("BEGIN IMMEDIATE"), self.busy_ms)
        try:
            result = work(db)
            db.execute("COMMIT")
            return result
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _page_id(self, db: sqlite3.Connection, path: str) -> int:
        page_id = self._page_ids.get(path)
        if page_id is None:
            row = db.execute("SELECT id FROM page WHERE path = ?", (path,)).fetchone()
            if row is None:
                page_id = db.execute("INSERT INTO page (path) VALUES (?)", (path,)).lastrowid
            else:
                page_id = row[0]
        return page_id

    @staticmethod
    def _take(db, address: bytes, now: float, limits: Limits) -> float:
        """One token of the address's bucket (in the caller's transaction): 0, or the seconds to wait."""
        if limits.rate <= 0:
            return 0.0
        row = db.execute("SELECT tokens, at FROM bucket WHERE address = ?", (address,)).fetchone()
        tokens, wait = take(row and row[0], row and row[1], now, limits)
        db.execute("INSERT INTO bucket (address, tokens, at) VALUES (?, ?, ?) ON CONFLICT (address) "
                   "DO UPDATE SET tokens = excluded.tokens, at = excluded.at",
                   (address, tokens, stored_time(row and row[1], now)))
        return wait

    def allow(self, address: bytes, p: Periods, limits: Limits) -> float:
        if limits.rate <= 0:
            return 0.0
        return self._transaction(lambda db: self._take(db, address, p.now, limits))

    def record(self, vid: bytes, address: bytes, path: str, p: Periods, limits: Limits = Limits()) -> Hit:
        self._prune(p)

        def work(db):
            wait = self._take(db, address, p.now, limits)
            if wait:
                return None, False, wait
            page_id = self._page_id(db, path)
            # counted unless this visitor was counted on this page today, or per_address others from its address
            counted = db.execute(
                "INSERT INTO seen (day, address, page_id, vids) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT (day, address, page_id) DO UPDATE SET vids = vids || excluded.vids "
                "WHERE instr(vids, excluded.vids) = 0 AND (?5 <= 0 OR length(vids) < ?5 * length(excluded.vids))",
                (p.today, address, page_id, vid.hex(), limits.per_address)).rowcount == 1
            if counted:
                db.execute("INSERT INTO page_day (page_id, day, views) VALUES (?1, ?2, 1), (?1, 'total', 1) "
                           "ON CONFLICT (page_id, day) DO UPDATE SET views = views + 1", (page_id, p.today))
                db.execute("INSERT INTO site_day (day, views) VALUES (?, 1), ('total', 1) "
                           "ON CONFLICT (day) DO UPDATE SET views = views + 1", (p.today,))
            if counted or db.execute("SELECT instr(vids, ?) > 0 FROM seen WHERE day = ? AND address = ? AND page_id = ?",
                                     (vid.hex(), p.today, address, page_id)).fetchone()[0]:
                self._present(db, vid, p)       # beyond the address's cap, a new visitor key is not one online
            return page_id, counted, 0.0

        page_id, counted, wait = self._transaction(work)
        if wait:
            return Hit(counted=False, views=0, wait=wait)
        self._page_ids[path] = page_id
        return Hit(counted=counted, views=_retry(lambda: self._page_views(page_id), self.busy_ms))

    def _page_views(self, page_id: int) -> int:
        return self.db.execute(
            "SELECT baseline + COALESCE((SELECT views FROM page_day WHERE page_id = :id AND day = 'total'), 0) "
            "FROM page WHERE id = :id", {"id": page_id}).fetchone()[0]

    @staticmethod
    def _present(db, vid: bytes, p: Periods) -> None:
        now = int(p.now)
        db.execute("INSERT INTO presence (minute, vid, last_seen) VALUES (?, ?, ?) "
                   "ON CONFLICT (minute, vid) DO UPDATE SET last_seen = excluded.last_seen", (now // 60, vid, now))

    def seen(self, vid: bytes, p: Periods) -> None:
        self._transaction(lambda db: self._present(db, vid, p))

    def rate(self, vid: bytes, address: bytes, path: str, value: int, comment: str | None, p: Periods,
             limits: Limits = Limits()) -> Rated:
        key = vid.hex()

        def work(db):
            wait = self._take(db, address, p.now, limits)
            if wait:
                return None, Rated(recorded=False, wait=wait)
            page_id = self._page_id(db, path)
            row = db.execute("SELECT vids FROM rated WHERE day = ? AND address = ? AND page_id = ?",
                             (p.today, address, page_id)).fetchone()
            if row is not None:
                keys = [row[0][n:n + len(key)] for n in range(0, len(row[0]), len(key))]
                if key in keys:
                    return page_id, Rated(recorded=False, reason="duplicate")
                if limits.per_address > 0 and len(keys) >= limits.per_address:
                    return page_id, Rated(recorded=False, reason="address")
            db.execute("INSERT INTO rated (day, address, page_id, vids) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT (day, address, page_id) DO UPDATE SET vids = vids || excluded.vids",
                       (p.today, address, page_id, key))
            db.execute("INSERT INTO rating_day (page_id, day, value, ratings) VALUES (?, ?, ?, 1) "
                       "ON CONFLICT (page_id, day, value) DO UPDATE SET ratings = ratings + 1",
                       (page_id, p.today, value))
            if comment:
                db.execute("INSERT INTO rating_comment (day, page_id, value, comment) VALUES (?, ?, ?, ?)",
                           (p.today, page_id, value, comment))
            return page_id, Rated(recorded=True)

        page_id, rated = self._transaction(work)
        if page_id is not None:
            self._page_ids[path] = page_id
        return rated

    def ratings(self, path: str) -> dict[int, int]:
        return _retry(lambda: dict(self.db.execute(
            "SELECT value, SUM(ratings) FROM rating_day JOIN page ON page.id = page_id WHERE path = ? "
            "GROUP BY value", (path,)).fetchall()), self.busy_ms)

    def _prune(self, p: Periods) -> None:
        if time.monotonic() - self._pruned >= PRUNE_EVERY:
            self._pruned = time.monotonic()
            self._transaction(lambda db: db.execute("DELETE FROM presence WHERE minute < ? OR minute > ?",
                                                    (int(p.online_since) // 60, int(p.now) // 60 + 1)))

    def cleanup(self, p: Periods, limits: Limits = Limits()) -> None:
        """Delete by time, not on traffic: past days' keys, old presence, idle buckets; then the WAL."""
        self._pruned = -PRUNE_EVERY
        self._prune(p)
        for table in ("seen", "rated"):             # the visitor keys of past days: of views, of ratings
            while True:
                deleted = self._transaction(lambda db: db.execute(
                    f"DELETE FROM {table} WHERE (day, address, page_id) IN "
                    f"(SELECT day, address, page_id FROM {table} WHERE day < ? LIMIT ?)",
                    (p.today, PURGE_BATCH)).rowcount)
                self._purge_pending |= deleted > 0
                if deleted < PURGE_BATCH:
                    break
        if limits.rate > 0:
            self._transaction(lambda db: db.execute("DELETE FROM bucket WHERE at < ? OR at > ?",
                                                    (p.now - limits.idle_seconds, p.now + 3600)))
        else:
            self._transaction(lambda db: db.execute("DELETE FROM bucket"))
        if self._purge_pending:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it (retried for a moment while writers are busy)."""
        deadline = time.monotonic() + 2.0
        while True:
            try:
                busy = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                busy = 1
            if not busy or time.monotonic() >= deadline:
                break
            time.sleep(0.01)
        self._purge_pending = bool(busy)                # else: again at the next cleanup

    # ------------------------------------------------------------ reads
    def views(self, paths) -> dict[str, int]:
        return _retry(lambda: self._views(paths), self.busy_ms)

    def _views(self, paths) -> dict[str, int]:
        result = {}
        for path in paths:
            row = self.db.execute("SELECT id FROM page WHERE path = ?", (path,)).fetchone()
            result[path] = self._page_views(row[0]) if row else 0
        return result

    def site(self, p: Periods) -> Site:
        return _retry(lambda: self._site(p), self.busy_ms)

    def _site(self, p: Periods) -> Site:
        today, week, month, total = self.db.execute(
            "SELECT (SELECT views FROM site_day WHERE day = :today),"
            " (SELECT SUM(views) FROM site_day WHERE day BETWEEN :week AND :today),"
            " (SELECT SUM(views) FROM site_day WHERE day BETWEEN :month AND :today),"
            " COALESCE((SELECT views FROM site_day WHERE day = 'total'), 0)"
            " + (SELECT value FROM meta WHERE key = 'site_baseline')",
            {"today": p.today, "week": p.week_start, "month": p.month_start}).fetchone()
        return Site(online=self._online_count(p), today=today or 0, week=week or 0, month=month or 0,
                    total=total or 0)

    def _online_count(self, p: Periods) -> int:
        at, value = self._online
        if self.online_cache <= 0 or not (0 <= p.now - at < self.online_cache):
            since = int(p.online_since)
            value = self.db.execute("SELECT COUNT(DISTINCT vid) FROM presence WHERE minute >= ? AND last_seen >= ? "
                                    "AND last_seen <= ?", (since // 60, since, int(p.now))).fetchone()[0]
            self._online = (p.now, value)
        return value

    def stats_data(self, first: str, last: str) -> tuple[dict, dict, dict, dict]:
        """For GET stats (stats.answer): site views per day from ``first`` to ``last``, page totals (with the
        baseline), ratings per (path, level) of all days, ratings per (day, level) from ``first`` to ``last``."""
        def read():
            db = self.db
            db.execute("BEGIN")                             # one consistent snapshot
            try:
                site_days = dict(db.execute("SELECT day, views FROM site_day WHERE day BETWEEN ? AND ?",
                                            (first, last)))
                pages = dict(db.execute(
                    "SELECT path, baseline + COALESCE(d.views, 0) FROM page "
                    "LEFT JOIN page_day AS d ON d.page_id = page.id AND d.day = 'total'"))
                totals = {(path, value): n for path, value, n in db.execute(
                    "SELECT path, value, SUM(ratings) FROM rating_day JOIN page ON page.id = page_id "
                    "GROUP BY path, value")}
                days = {(day, value): n for day, value, n in db.execute(
                    "SELECT day, value, SUM(ratings) FROM rating_day WHERE day BETWEEN ? AND ? GROUP BY day, value",
                    (first, last))}
                return site_days, pages, totals, days
            finally:
                db.execute("COMMIT")
        return _retry(read, self.busy_ms)

    # ------------------------------------------------------------ baseline, export, restore
    def set_baseline(self, pages: dict[str, int], site_total: int | None) -> None:
        def work(db):
            for path, views in pages.items():
                db.execute("INSERT INTO page (path, baseline) VALUES (?, ?) "
                           "ON CONFLICT (path) DO UPDATE SET baseline = excluded.baseline", (path, views))
            if site_total is not None:
                db.execute("UPDATE meta SET value = ? WHERE key = 'site_baseline'", (site_total,))
        self._transaction(work)

    def dump(self) -> Dump:
        db = self.db
        _retry(lambda: db.execute("BEGIN"), self.busy_ms)                             # one consistent snapshot
        try:
            site_views = db.execute("SELECT views FROM site_day WHERE day = 'total'").fetchone()
            return Dump(
                site_views=site_views[0] if site_views else 0,
                site_baseline=db.execute("SELECT value FROM meta WHERE key = 'site_baseline'").fetchone()[0],
                pages={path: (v, b) for path, v, b in db.execute(
                    "SELECT path, COALESCE(d.views, 0), baseline FROM page "
                    "LEFT JOIN page_day AS d ON d.page_id = page.id AND d.day = 'total' "
                    "WHERE d.views OR baseline ORDER BY path")},
                site_days=dict(db.execute("SELECT day, views FROM site_day WHERE day != 'total' ORDER BY day")),
                page_days={(day, path): v for day, path, v in db.execute(
                    "SELECT day, path, page_day.views FROM page_day JOIN page ON page.id = page_id "
                    "WHERE day != 'total' ORDER BY day, path")},
                rating_days={(day, path, value): n for day, path, value, n in db.execute(
                    "SELECT day, path, value, ratings FROM rating_day JOIN page ON page.id = page_id "
                    "ORDER BY day, path, value")},
                rating_comments=[tuple(row) for row in db.execute(
                    "SELECT day, path, value, comment FROM rating_comment JOIN page ON page.id = page_id "
                    "ORDER BY day, path, value, comment")])
        finally:
            db.execute("COMMIT")

    def restore(self, dump: Dump) -> None:
        def work(db):
            # (a new database has the row of the site's total, at 0: created by the migration to version 2)
            if (db.execute("SELECT COUNT(*) FROM site_day WHERE views").fetchone()[0]
                    or db.execute("SELECT COUNT(*) FROM page WHERE baseline").fetchone()[0]
                    or db.execute("SELECT value FROM meta WHERE key = 'site_baseline'").fetchone()[0]
                    or db.execute("SELECT COUNT(*) FROM rating_day").fetchone()[0]
                    or db.execute("SELECT COUNT(*) FROM rating_comment").fetchone()[0]):
                raise StoreError(f"{self.path} is not empty: restore only into a new database")
            for path, (views, baseline) in dump.pages.items():
                db.execute("INSERT INTO page (path, baseline) VALUES (?, ?) "
                           "ON CONFLICT (path) DO UPDATE SET baseline = excluded.baseline", (path, baseline))
                db.execute("INSERT INTO page_day SELECT id, 'total', ? FROM page WHERE path = ?", (views, path))
            for (day, path), views in dump.page_days.items():
                db.execute("INSERT OR IGNORE INTO page (path) VALUES (?)", (path,))
                db.execute("INSERT INTO page_day SELECT id, ?, ? FROM page WHERE path = ?", (day, views, path))
            db.executemany("INSERT INTO site_day (day, views) VALUES (?, ?) "
                           "ON CONFLICT (day) DO UPDATE SET views = excluded.views",
                           [*dump.site_days.items(), ("total", dump.site_views)])
            db.execute("UPDATE meta SET value = ? WHERE key = 'site_baseline'", (dump.site_baseline,))
            for (day, path, value), n in dump.rating_days.items():
                db.execute("INSERT OR IGNORE INTO page (path) VALUES (?)", (path,))
                db.execute("INSERT INTO rating_day SELECT id, ?, ?, ? FROM page WHERE path = ?", (day, value, n, path))
            for day, path, value, comment in dump.rating_comments:
                db.execute("INSERT OR IGNORE INTO page (path) VALUES (?)", (path,))
                db.execute("INSERT INTO rating_comment SELECT ?, id, ?, ? FROM page WHERE path = ?",
                           (day, value, comment, path))
        self._transaction(work)


def _retry(action, busy_ms: int):
    """Run action, retrying while the database is busy (locked by another writer) for up to busy_ms."""
    deadline = time.monotonic() + busy_ms / 1000
    pause = 0.0001
    while True:
        try:
            return action()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 1.5, 0.002)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
