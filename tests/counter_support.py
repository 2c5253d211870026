"""Helpers for the counter tests: free ports, a real redis-server, the endpoint as a real process, HTTP calls.

Nothing here stands in for what is tested: servers are real processes on 127.0.0.1,
the databases real SQLite files or a real Redis server.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import BUILD, NOW, ROOT, free_port, wait_port

REDIS_SERVER = "/usr/bin/redis-server"
CHROMIUM = "/usr/bin/chromium"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"




def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Stop a process we started (and its children: it leads its own session), by its id."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


# ------------------------------------------------------------------ Redis
class Redis:
    def __init__(self, folder: Path):
        if not Path(REDIS_SERVER).is_file():
            pytest.fail(f"{REDIS_SERVER} is missing: apt-get install redis-server (see .ci/services.sh)")
        self.port = free_port()
        self.log = folder / "redis.log"
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "yes",
             "--appendfsync", "everysec", "--dir", str(folder), "--daemonize", "no", "--protected-mode", "yes"],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_port(self.port, self.process, self.log)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        stop(self.process)


# ------------------------------------------------------------------ the built sample portal
def build_sample(output: Path, site: Path = ROOT) -> Path:
    result = subprocess.run([sys.executable, str(BUILD), "--site", str(site), "--output", str(output), "--now", NOW],
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    return output


def page_paths(built: Path) -> list[str]:
    from site_generator.counter.paths import published_paths
    return sorted(published_paths(built))


# ------------------------------------------------------------------ the endpoint as a real process
class CounterProcess:
    """`python build.py counter` (gunicorn, production settings) on a free 127.0.0.1 port."""

    def __init__(self, folder: Path, pages: Path, backend: str, redis: Redis | None = None, *extra: str,
                 workers: int = 2, server: str = "gunicorn", env: dict | None = None, db: Path | None = None,
                 prefix: str | None = None):
        self.port = free_port()
        self.db = db or folder / f"counter-{uuid.uuid4().hex[:8]}.sqlite3"
        self.prefix = prefix or f"t{uuid.uuid4().hex[:8]}:"
        self.redis = redis
        self.backend = backend
        self.log = folder / f"counter-{self.port}.log"
        args = [sys.executable, str(BUILD), "counter", "--site", str(ROOT), "--pages", str(pages),
                "--port", str(self.port), "--server", server, "--workers", str(workers), "--db", str(self.db), *extra]
        if backend == "redis":
            args += ["--redis", redis.url]
        environment = dict(os.environ, COUNTER_REDIS_PREFIX=self.prefix, **(env or {}))
        self.process = subprocess.Popen(args, stdout=self.log.open("w"), stderr=subprocess.STDOUT, cwd=folder,
                                        env=environment, start_new_session=True)
        wait_port(self.port, self.process, self.log)

    def stop(self):
        stop(self.process)

    def kill9(self):
        stop(self.process, signal.SIGKILL)

    def store(self):
        from site_generator.counter.store import open_store
        return open_store(db=self.db, redis_url=self.redis.url if self.backend == "redis" else None,
                          prefix=self.prefix)


# ------------------------------------------------------------------ HTTP
def request(port: int, method: str, target: str, body: bytes | str | None = None, headers: dict | None = None,
            source: str | None = None, timeout: float = 30):
    """One real HTTP request; returns (status, headers, parsed JSON or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        data = body.encode() if isinstance(body, str) else body
        conn.request(method, target, body=data, headers=headers or {})
        response = conn.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, dict(response.getheaders()), parsed
    finally:
        conn.close()


def hit(port: int, path, ua: str = UA, xff: str | None = None, headers: dict | None = None,
        source: str | None = None, mount: str = "/api/"):
    h = {"Content-Type": "text/plain;charset=UTF-8", "User-Agent": ua}
    if xff:
        h["X-Forwarded-For"] = xff
    h.update(headers or {})
    return request(port, "POST", mount + "hit", json.dumps({"path": path}), h, source=source)


def site(port: int, ua: str | None = None, mount: str = "/api/") -> dict:
    status, _, body = request(port, "GET", mount + "site", headers={"User-Agent": ua or unique_ua("site")})
    assert status == 200, body
    return body


def views(port: int, paths, ua: str | None = None, mount: str = "/api/") -> dict:
    from urllib.parse import urlencode
    status, _, body = request(port, "GET", mount + "views?" + urlencode([("path", p) for p in paths]),
                              headers={"User-Agent": ua or unique_ua("views")})
    assert status == 200, body
    return body["views"]


def unique_ua(tag: str = "") -> str:
    return f"{UA} t/{tag}{uuid.uuid4().hex[:10]}"


def require_chromium() -> None:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/services.sh)")
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not on PATH")


# ------------------------------------------------------------------ a static server for a built site (+ the counter)
def static_app(folder: Path, counter=None, mount: str = "/api/"):
    """Serves a built site's files; with a counter app, also dispatches ``mount`` to it (as nginx would)."""
    import mimetypes
    from urllib.parse import unquote

    root = folder.resolve()

    def app(environ, start_response):
        path = unquote(environ.get("PATH_INFO", "/"))
        if counter is not None and path.startswith(mount):
            return counter(environ, start_response)
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents and target != root or not target.is_file():
            body = (root / "404.html").read_bytes() if (root / "404.html").is_file() else b"not found"
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(body)))])
            return [body]
        body = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    return app


class ThreadServer:
    """A real HTTP server on 127.0.0.1 in a thread of the test process."""

    def __init__(self, app):
        import threading

        from site_generator.counter.server import dev_server
        self.server = dev_server(app, "127.0.0.1", 0)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
