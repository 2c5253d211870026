"""The WSGI application: routing, validation, JSON answers, origin/method/size checks, rate limit.

    POST hit            body {"path": PATH} (text/plain)  -> {"path", "views", "counted", "site": {...}}
    GET  views?path=..  -> {"views": {PATH: n}}
    GET  site           -> {"online", "today", "week", "month", "total"}
    GET  health         -> {"ok": true}
    refusals            -> 4xx {"error": code, "message": reason}

Routes match the last segment after the mount prefix (``/api/hit`` or ``/hit``).
"""
from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from . import visitor
from .periods import DEFAULT_ZONE, periods
from .ratelimit import RateLimit

MAX_PATHS = 50                  # per GET views
MAX_PATH_LENGTH = 1024


@dataclass
class Settings:
    pages: object                                   # supports `path in pages` (paths.PageSet / FixedPages)
    open_store: Callable[[], object]                # called once per process (after a fork)
    mount: str = "/api/"                            # the path part of counter.url
    proxies: tuple = ()                             # trusted proxies: X-Forwarded-For is read only from these
    origins: frozenset = frozenset()                # other origins allowed to call (besides the site's own)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    max_body: int = 1024
    rate: float = 2.0                               # per visitor: tokens per second
    burst: float = 30.0                             # per visitor: bucket size
    clock: Callable[[], float] = time.time


class Refusal(Exception):
    def __init__(self, status: str, code: str, message: str, headers=()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, list(headers)


ROUTES = {"hit": ("POST",), "views": ("GET", "HEAD"), "site": ("GET", "HEAD"), "health": ("GET", "HEAD")}


class CounterApp:
    def __init__(self, settings: Settings):
        self.s = settings
        self.limit = RateLimit(rate=settings.rate, burst=settings.burst)
        self._store = None
        self._store_pid = None
        self._periods = None                            # the last second's periods (computing them costs)
        self._lock = threading.Lock()
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

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ, start_response):
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
                   ("X-Content-Type-Options", "nosniff")]
        try:
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
            if route == "health":
                body = {"ok": bool(self.store.ping())}
            else:
                body = getattr(self, "_" + route)(environ)
            return self._answer(start_response, "200 OK", None if method == "HEAD" else body, headers)
        except Refusal as refusal:
            return self._answer(start_response, refusal.status, {"error": refusal.code, "message": refusal.message},
                                headers + refusal.headers)
        except Exception as error:                  # the store is down or locked: say so, change nothing
            if not _is_store_error(error):
                raise
            return self._answer(start_response, "503 Service Unavailable",
                                {"error": "unavailable", "message": "storage is not available, try later"},
                                headers + [("Retry-After", "5")])

    @staticmethod
    def _answer(start_response, status, body, headers):
        data = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        start_response(status, headers + [("Content-Length", str(len(data)))])
        return [data]

    # ------------------------------------------------------------------ checks
    def _route(self, environ) -> str:
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        for prefix in (self.mount, "/"):
            if path.startswith(prefix) and path[len(prefix):] in ROUTES:
                return path[len(prefix):]
        raise Refusal("404 Not Found", "not_found", "no such counter endpoint: use hit, views, site or health")

    def _origin(self, environ) -> list:
        """No Origin (or the site's own): fine. An allowed other origin: CORS headers. Else 403."""
        origin = environ.get("HTTP_ORIGIN")
        if not origin:
            referer = environ.get("HTTP_REFERER")
            if not referer or environ.get("REQUEST_METHOD", "GET").upper() != "POST":
                return []
            parts = urlsplit(referer)
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

    def _visitor(self, environ, now: float):
        address = visitor.client_ip(environ, self.s.proxies)
        agent = environ.get("HTTP_USER_AGENT", "")[:512]
        wait = self.limit.allow(visitor.rate_key(address, agent), now)
        if wait:
            raise Refusal("429 Too Many Requests", "rate_limited", "too many requests from this visitor, slow down",
                          [("Retry-After", str(max(1, round(wait))))])
        return address, agent

    def _read_json(self, environ) -> dict:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise Refusal("400 Bad Request", "bad_request", "Content-Length is not a number") from None
        if length > self.s.max_body:
            raise Refusal("413 Content Too Large", "too_large", f"the body may have at most {self.s.max_body} bytes")
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if kind not in ("", "text/plain", "application/json"):
            raise Refusal("415 Unsupported Media Type", "media_type", "send the body as text/plain or application/json")
        stream = environ["wsgi.input"]
        data = stream.read(min(length, self.s.max_body)) if length else b""
        if not length and environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
            data = stream.read(self.s.max_body + 1)
            if len(data) > self.s.max_body:
                raise Refusal("413 Content Too Large", "too_large",
                              f"the body may have at most {self.s.max_body} bytes")
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refusal("400 Bad Request", "bad_json", 'the body must be JSON like {"path": "/tin-tuc/bai-viet/"}') \
                from None
        if not isinstance(body, dict):
            raise Refusal("400 Bad Request", "bad_json", 'the body must be a JSON object with "path"')
        return body

    def _page(self, path) -> str:
        if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_PATH_LENGTH \
                or not path.isprintable():
            raise Refusal("400 Bad Request", "bad_path", "path must be a page path starting with /")
        if path not in self.s.pages:
            raise Refusal("422 Unprocessable Content", "unknown_page", "this path is not a published page")
        return path

    def _now(self):
        now = self.s.clock()
        cached = self._periods
        if cached is None or int(cached.now) != int(now):
            cached = self._periods = periods(float(int(now)), self.s.zone)
        return now, cached

    # ------------------------------------------------------------------ routes
    def _hit(self, environ) -> dict:
        now, p = self._now()
        address, agent = self._visitor(environ, now)
        body = self._read_json(environ)
        path = self._page(body.get("path"))
        flag = body.get("bot", False)
        if not isinstance(flag, bool):
            raise Refusal("400 Bad Request", "bad_json", '"bot" must be true or false')
        store = self.store
        reason = visitor.not_counted_reason(environ, flag)
        site = None
        if reason:
            views, counted = store.views([path])[path], False
        else:
            hit = store.record(visitor.visitor_key(store.salt(p), address, agent), path, p)
            views, counted, site = hit.views, hit.counted, hit.site
            reason = None if counted else "duplicate"
        answer = {"path": path, "views": views, "counted": counted, "site": (site or store.site(p)).as_dict()}
        if reason:
            answer["reason"] = reason
        return answer

    def _views(self, environ) -> dict:
        self._visitor(environ, self.s.clock())
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        paths = query.get("path", [])
        if not paths:
            raise Refusal("400 Bad Request", "bad_path", "give one or more ?path=PATH")
        if len(paths) > MAX_PATHS:
            raise Refusal("400 Bad Request", "too_many_paths", f"at most {MAX_PATHS} paths per request")
        return {"views": self.store.views([self._page(path) for path in paths])}

    def _site(self, environ) -> dict:
        now, p = self._now()
        self._visitor(environ, now)
        return self.store.site(p).as_dict()


def _is_store_error(error: Exception) -> bool:
    import sqlite3
    if isinstance(error, sqlite3.OperationalError):
        return True
    module = type(error).__module__
    return module.startswith("redis") or isinstance(error, (ConnectionError, TimeoutError))


def make_app(settings: Settings) -> CounterApp:
    return CounterApp(settings)


def from_env():
    """For ``gunicorn 'site_generator.counter.app:from_env()'``: settings from COUNTER_* variables."""
    from .config import settings_from_env
    return make_app(settings_from_env(os.environ))
