"""The WSGI application: routing, validation, JSON answers, origin/method/size checks, rate limit.

    POST hit            body {"path": PATH} (text/plain)  -> {"path", "views", "counted", "site": {...}}
    GET  views?path=..  -> {"views": {PATH: n}}
    GET  site           -> {"online", "today", "week", "month", "total"}
    GET  health         -> {"ok": true}, or 503 {"error": "unavailable", "message": what is wrong}
    POST rating         body {"path": PATH, "value": 1-5, "comment": "..."} -> {"path", "recorded", "value",
                        "counts", "total", "average"}; 409 already_rated (once per visitor per page per day)
    GET  ratings?path=  -> {"path", "counts": {"1": n, .., "5": n}, "total", "average"}
    GET  stats          -> views per day (30) and month (12), top pages, ratings per page and per month
                        (counter/stats.py); read-only, no query, rate-limited like site
    refusals            -> 4xx {"error": code, "message": reason}; storage down: 503; a bug: 500 (all JSON)

Routes match the last segment after the mount prefix (``/api/hit`` or ``/hit``).
Limits (rate, views per address) are kept in the store, shared by every process; the day's key for
visitor hashes is kept apart from it (salt.DailySalt). A maintenance thread in every process deletes
expired keys and rotates the day's key on time, with or without traffic.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from . import ratings, stats, visitor
from .paths import spelling
from .periods import DEFAULT_ZONE, periods
from .ratelimit import Limits
from .salt import DailySalt

MAX_PATHS = 50                  # per GET views
MAX_PATH_LENGTH = 1024
MAX_QUERY = 8192                # bytes of query string (50 paths of 160 characters, percent-encoded)
DIGITS = re.compile(r"[0-9]+")
log = logging.getLogger("site_generator.counter")


@dataclass
class Settings:
    pages: object                                   # .canonical(path) -> stored form or None (paths.PageSet...)
    open_store: Callable[[], object]                # called once per process (after a fork)
    mount: str = "/api/"                            # the path part of counter.url
    proxies: tuple = ()                             # trusted proxies: X-Forwarded-For is read only from these
    origins: frozenset = frozenset()                # other origins allowed to call (besides the site's own)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    max_body: int = 1024
    rate: float = 2.0                               # per address (IPv4, IPv6 /64): tokens per second; 0: no limit
    burst: float = 30.0                             # per address: bucket size
    per_address: int = 10                           # views of one page counted per address per day; 0: no cap
    salt_file: Path | None = None                   # the day's key, shared by processes (None: this process only)
    cleanup_every: float = 60.0                     # seconds between cleanups in each process (0: none)
    clock: Callable[[], float] = time.time
    salts: object | None = None                     # .for_day(day) -> key (a commune's: salt.SiteSalt); None: salt_file's


class Refusal(Exception):
    def __init__(self, status: str, code: str, message: str, headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, list(headers)


ROUTES = {"hit": ("POST",), "views": ("GET", "HEAD"), "site": ("GET", "HEAD"), "health": ("GET", "HEAD"),
          "rating": ("POST",), "ratings": ("GET", "HEAD"), "stats": ("GET", "HEAD")}


class Maintenance:
    """One cleanup thread per process, started on first use (a forked server worker starts its own): calls
    ``run()`` every ``every`` seconds until stopped; ``every`` <= 0: none."""

    def __init__(self, every: float, run):
        self.every, self.run = every, run
        self.pid = None                                 # the process whose thread runs
        self.stopped = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        if self.every <= 0 or self.pid == os.getpid():
            return
        with self._lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.stopped.clear()
        threading.Thread(target=self._forever, name="counter-cleanup", daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()

    def _forever(self) -> None:
        while not self.stopped.is_set():
            self.run()
            self.stopped.wait(self.every)


class CounterApp:
    def __init__(self, settings: Settings):
        self.s = settings
        self.limits = Limits(rate=settings.rate, burst=settings.burst, per_address=settings.per_address)
        self.salts = settings.salts or DailySalt(settings.salt_file)
        self._store = None
        self._store_pid = None
        self._periods = None                            # the last second's periods (computing them costs)
        self._lock = threading.Lock()
        self.maintenance = Maintenance(settings.cleanup_every, self._maintain_logged)
        self._last_problem = None
        self._logged: dict[str, float] = {}             # the last warning and when (time.monotonic())
        mount = settings.mount if settings.mount.startswith("/") else "/" + settings.mount
        self.mount = mount if mount.endswith("/") else mount + "/"

    @property
    def store(self):
        if self._store is None or self._store_pid != os.getpid():
            with self._lock:
                if self._store is None or self._store_pid != os.getpid():
                    self._store = self.s.open_store()
                    self._store_pid = os.getpid()
        return self._store

    # ------------------------------------------------------------------ maintenance, by time
    def start_maintenance(self) -> None:
        """Start this process's cleanup thread (once per process; servers call it when a worker starts)."""
        self.maintenance.start()

    def stop_maintenance(self) -> None:
        self.maintenance.stop()

    def _maintain_logged(self) -> None:
        try:
            self.maintain()
            self._last_problem = None
        except Exception as error:                      # the store is down: try again next time
            if repr(error) != self._last_problem:
                log.warning("counter cleanup failed: %r", error)
            self._last_problem = repr(error)

    def maintain(self) -> None:
        """Rotate the day's key and delete what has expired (what the thread does every cleanup_every)."""
        _, p = self._now()
        self.salts.for_day(p.today)
        self.store.cleanup(p, self.limits)

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff")]
        head = environ.get("REQUEST_METHOD", "GET").upper() == "HEAD"
        try:
            self.maintenance.start()                    # once per process (a no-op after)
            route = self._route(environ)
            cors = self._origin(environ)
            headers += cors
            method = environ.get("REQUEST_METHOD", "GET").upper()
            if method == "OPTIONS":
                return self._answer(start_response, "204 No Content", None, headers + [
                    ("Access-Control-Allow-Methods", ", ".join(ROUTES[route])),
                    ("Access-Control-Allow-Headers", "Content-Type"), ("Access-Control-Max-Age", "86400")])
            if method not in ROUTES[route]:
                raise Refusal("405 Method Not Allowed", "method",
                              f"{route} takes {' or '.join(ROUTES[route][:1])}, not {method}",
                              [("Allow", ", ".join(ROUTES[route]))])
            body = getattr(self, "_" + route)(environ)
            return self._answer(start_response, "200 OK", body, headers, head)
        except Refusal as refusal:
            return self._answer(start_response, refusal.status, {"error": refusal.code, "message": refusal.message},
                                headers + refusal.headers, head)
        except Exception as error:
            if _is_store_error(error):                  # the store is down, locked, full or damaged: change nothing
                self._log_now_and_then(f"counter storage error: {error!r}")
                return self._answer(start_response, "503 Service Unavailable",
                                    {"error": "unavailable", "message": "storage is not available, try later"},
                                    headers + [("Retry-After", "5")], head)
            log.exception("counter: unexpected error")  # a bug: still a JSON answer
            return self._answer(start_response, "500 Internal Server Error",
                                {"error": "internal", "message": "internal error, try later"}, headers, head)

    def _log_now_and_then(self, message: str) -> None:
        """A warning, but the same one at most once a minute (an outage would write one per request)."""
        last = self._logged.get(message)
        if last is None or time.monotonic() - last >= 60:
            self._logged = {message: time.monotonic()}
            log.warning(message)

    @staticmethod
    def _answer(start_response, status, body, headers, head: bool = False):
        """``body`` as JSON; to a HEAD request (``head``), whatever the status, the status and headers only."""
        data = b"" if body is None or head else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        start_response(status, headers + [("Content-Length", str(len(data)))])
        return [data]

    # ------------------------------------------------------------------ checks
    def _route(self, environ) -> str:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        for prefix in (self.mount, "/"):
            if path.startswith(prefix) and path[len(prefix):] in ROUTES:
                return path[len(prefix):]
        raise Refusal("404 Not Found", "not_found", "no such counter endpoint: use hit, views, site, rating, ratings, stats or health")

    def _origin(self, environ) -> list:
        """No Origin (or the site's own): fine. An allowed other origin: CORS headers. Else 403."""
        origin = environ.get("HTTP_ORIGIN")
        if not origin:
            referer = environ.get("HTTP_REFERER")
            if not referer or environ.get("REQUEST_METHOD", "GET").upper() != "POST":
                return []
            try:
                parts = urlsplit(referer)
            except ValueError:                          # "http://[": no origin can be read from it
                raise Refusal("403 Forbidden", "origin", "the Referer is not a URL") from None
            origin = f"{parts.scheme}://{parts.netloc}"
        origin = origin.rstrip("/").lower()
        if origin in self.s.origins:
            return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        if origin == self._own_origin(environ):
            return []
        raise Refusal("403 Forbidden", "origin", f"requests from {origin[:100]} are not allowed")

    def _own_origin(self, environ) -> str:
        scheme = environ.get("wsgi.url_scheme", "http")
        address = visitor.parse_ip(environ.get("REMOTE_ADDR"))
        if self.s.proxies and address is not None and any(
                address.version == n.version and address in n for n in self.s.proxies):
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip() or scheme
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if (scheme, host.rsplit(":", 1)[-1]) in (("http", "80"), ("https", "443")):
            host = host.rsplit(":", 1)[0]
        return f"{scheme}://{host}".lower()

    @staticmethod
    def _rate_limited(wait: float):
        return Refusal("429 Too Many Requests", "rate_limited", "too many requests from this address, slow down",
                       [("Retry-After", str(max(1, round(wait + 0.49))))])

    def _keys(self, environ, p):
        """The visitor's key and its address's key, hashed with the day's key."""
        return visitor.keys(self.salts.for_day(p.today), visitor.client_ip(environ, self.s.proxies),
                            environ.get("HTTP_USER_AGENT", "")[:512])

    def _allow(self, environ, p) -> None:
        if self.limits.rate > 0:
            wait = self.store.allow(self._keys(environ, p)[1], p, self.limits)
            if wait:
                raise self._rate_limited(wait)

    def _read_json(self, environ, limit: int | None = None) -> dict:
        max_body = limit or self.s.max_body
        too_large = Refusal("413 Content Too Large", "too_large", f"the body may have at most {max_body} bytes")
        declared = (environ.get("CONTENT_LENGTH") or "").strip()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if declared and not DIGITS.fullmatch(declared):        # "-1", "+5", "1e3", "5_0": never read "all"
            raise Refusal("400 Bad Request", "bad_request", "Content-Length must be a number of bytes")
        if declared and (len(declared) > 9 or int(declared) > max_body):
            raise too_large
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if kind not in ("", "text/plain", "application/json"):
            raise Refusal("415 Unsupported Media Type", "media_type", "send the body as text/plain or application/json")
        if chunked and not declared and not environ.get("wsgi.input_terminated"):   # the server left it coded
            raise Refusal("411 Length Required", "length_required", "send the body with a Content-Length")
        stream = environ["wsgi.input"]
        try:
            if declared:
                data = stream.read(int(declared)) if int(declared) else b""
            else:
                data = stream.read(max_body + 1) if chunked else b""
        except TimeoutError:                                    # the client stopped sending (the dev server)
            raise Refusal("408 Request Timeout", "timeout", "the request was not sent in time") from None
        if len(data) > max_body:
            raise too_large
        if declared and len(data) < int(declared):              # the client closed before the end
            raise Refusal("400 Bad Request", "bad_request", "the body is shorter than its Content-Length")
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):      # RecursionError: "[[[[..." 1,000 deep
            raise Refusal("400 Bad Request", "bad_json", 'the body must be JSON like {"path": "/tin-tuc/bai-viet/"}') \
                from None
        if not isinstance(body, dict):
            raise Refusal("400 Bad Request", "bad_json", 'the body must be a JSON object with "path"')
        return body

    def _page(self, path) -> str:
        """The stored form of the page ``path`` names (however it is spelled); never a new path."""
        if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH_LENGTH \
                or not path.isprintable():
            raise Refusal("400 Bad Request", "bad_path", "path must be a page path starting with /")
        page = self.s.pages.canonical(path)
        if page is None:
            if spelling(path) is None:                  # "/%ff/", "/%00": not even a path
                raise Refusal("400 Bad Request", "bad_path", "path must be a page path starting with /")
            raise Refusal("422 Unprocessable Content", "unknown_page", "this path is not a published page")
        return page

    def _now(self):
        now = self.s.clock()
        cached = self._periods
        if cached is None or int(cached.now) != int(now):
            cached = self._periods = periods(float(int(now)), self.s.zone)
        return now, cached

    # ------------------------------------------------------------------ routes
    def _hit(self, environ) -> dict:
        _, p = self._now()
        body = self._read_json(environ)
        path = self._page(body.get("path"))
        flag = body.get("bot", False)
        if not isinstance(flag, bool):
            raise Refusal("400 Bad Request", "bad_json", '"bot" must be true or false')
        store = self.store
        reason = visitor.not_counted_reason(environ, flag)
        site = None
        if reason:
            self._allow(environ, p)
            views, counted = store.views([path])[path], False
        else:
            vid, address = self._keys(environ, p)
            hit = store.record(vid, address, path, p, self.limits)
            if hit.wait:
                raise self._rate_limited(hit.wait)
            views, counted, site = hit.views, hit.counted, hit.site
            reason = None if counted else "duplicate"
        answer = {"path": path, "views": views, "counted": counted, "site": (site or store.site(p)).as_dict()}
        if reason:
            answer["reason"] = reason
        return answer

    def _views(self, environ) -> dict:
        _, p = self._now()
        too_many = Refusal("400 Bad Request", "too_many_paths", f"at most {MAX_PATHS} paths per request")
        text = environ.get("QUERY_STRING", "")
        if len(text) > MAX_QUERY:
            raise too_many
        try:
            paths = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_PATHS + 1).get("path", [])
        except ValueError:                              # more fields than that
            raise too_many from None
        if not paths:
            raise Refusal("400 Bad Request", "bad_path", "give one or more ?path=PATH")
        if len(paths) > MAX_PATHS:
            raise too_many
        pages = {path: self._page(path) for path in paths}
        self._allow(environ, p)
        counts = self.store.views(sorted(set(pages.values())))
        return {"views": {path: counts[page] for path, page in pages.items()}}

    def _site(self, environ) -> dict:
        _, p = self._now()
        self._allow(environ, p)
        return self.store.site(p).as_dict()

    def _path_query(self, environ) -> str:
        text = environ.get("QUERY_STRING", "")
        if len(text) > MAX_QUERY:
            raise Refusal("400 Bad Request", "bad_path", "the query is too long")
        try:
            paths = parse_qs(text, keep_blank_values=True, max_num_fields=2).get("path", [])
        except ValueError:
            paths = [None, None]
        if len(paths) != 1:
            raise Refusal("400 Bad Request", "bad_path", "give one ?path=PATH")
        return self._page(paths[0])

    def _rating(self, environ) -> dict:
        _, p = self._now()
        body = self._read_json(environ, ratings.MAX_BODY)
        path = self._page(body.get("path"))
        value = body.get("value")
        if not ratings.valid_value(value):
            raise Refusal("400 Bad Request", "bad_value",
                          f'"value" must be a whole number from {ratings.SCALE[0]} to {ratings.SCALE[-1]}')
        try:
            comment = ratings.clean_comment(body.get("comment"))
        except ratings.CommentError as error:
            raise Refusal("400 Bad Request", error.code, str(error)) from None
        flag = body.get("bot", False)
        if not isinstance(flag, bool):
            raise Refusal("400 Bad Request", "bad_json", '"bot" must be true or false')
        if visitor.not_counted_reason(environ, flag):
            self._allow(environ, p)
            raise Refusal("403 Forbidden", "not_a_reader",
                          "ratings are taken from readers' browsers only (not bots, previews or automated browsers)")
        vid, address = self._keys(environ, p)
        rated = self.store.rate(vid, address, path, value, comment, p, self.limits)
        if rated.wait:
            raise self._rate_limited(rated.wait)
        if not rated.recorded:
            raise Refusal("409 Conflict", "already_rated",
                          "this reader has already rated this page today" if rated.reason == "duplicate" else
                          f"{self.limits.per_address} readers from this address have already rated this page today")
        return {**ratings.summary(path, self.store.ratings(path)), "recorded": True, "value": value}

    def _ratings(self, environ) -> dict:
        _, p = self._now()
        path = self._path_query(environ)
        self._allow(environ, p)
        return ratings.summary(path, self.store.ratings(path))

    def _stats(self, environ) -> dict:
        _, p = self._now()
        if environ.get("QUERY_STRING", ""):
            raise Refusal("400 Bad Request", "bad_query", "stats takes no query: GET stats")
        self._allow(environ, p)
        days, months = stats.window(p.today)
        return stats.answer(p.today, *self.store.stats_data(stats.first_day(months), p.today))

    def _health(self, environ) -> dict:
        _, p = self._now()
        self.salts.for_day(p.today)                     # the key file must be usable too
        try:
            store = self.store                          # opened on a process's first request: it writes too
        except Exception as error:
            if not _is_store_error(error):
                raise
            where = "Redis" if type(error).__module__.startswith("redis") else "the database"
            raise Refusal("503 Service Unavailable", "unavailable", f"{where} cannot be opened ({type(error).__name__})",
                          [("Retry-After", "5")]) from None
        problem = store.health()
        if problem:
            raise Refusal("503 Service Unavailable", "unavailable", problem, [("Retry-After", "5")])
        return {"ok": True}


def _is_store_error(error: Exception) -> bool:
    """sqlite3's errors (locked, read-only, full, malformed...), Redis's, the key file's, the network's."""
    import sqlite3

    from .store import StoreError
    if isinstance(error, (sqlite3.Error, StoreError, ConnectionError, TimeoutError)):
        return True
    return type(error).__module__.startswith("redis")


def make_app(settings: Settings) -> CounterApp:
    return CounterApp(settings)


def from_env():
    """For ``gunicorn 'site_generator.counter.app:from_env()'``: settings from COUNTER_* variables."""
    from .config import app_from_env
    app = app_from_env(os.environ)                      # a province's (COUNTER_PROVINCE) or a single site's
    app.start_maintenance()                             # in each worker (without preload_app)
    return app
