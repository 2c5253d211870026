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
                 prefix: str | None = None, salt_file: Path | None | bool = True, wrap: tuple = ()):
        """``salt_file``: True: one in ``folder``; None: the default place; ``wrap``: a command to run it in."""
        self.port = free_port()
        self.db = db or folder / f"counter-{uuid.uuid4().hex[:8]}.sqlite3"
        self.prefix = prefix or f"t{uuid.uuid4().hex[:8]}:"
        self.redis = redis
        self.backend = backend
        self.log = folder / f"counter-{self.port}.log"
        self.salt_file = folder / f"salt-{self.port}.key" if salt_file is True else salt_file
        args = [*wrap, sys.executable, str(BUILD), "counter", "--site", str(ROOT), "--pages", str(pages),
                "--port", str(self.port), "--server", server, "--workers", str(workers), "--db", str(self.db),
                *(["--salt-file", str(self.salt_file)] if self.salt_file else []), *extra]
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


def raw(port: int, data: bytes, timeout: float = 15) -> tuple[int, dict, object]:
    """Send bytes as they are on a new connection; read the answer until the server closes:
    (status, headers with lower-case names, parsed JSON or the text)."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_answer(sock)


def read_answer(sock) -> tuple[int, dict, object]:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        data = b"".join(chunks)
        head, _, body = data.partition(b"\r\n\r\n")
        length = [line.split(b":", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
        if length and len(body) >= int(length[0]):
            break
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return 0, {}, data.decode("latin-1")
    headers = dict((k.strip().lower(), v.strip()) for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line))
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body.decode("latin-1")
    return int(lines[0].split()[1]), headers, parsed


def hit(port: int, path, ua: str = UA, xff: str | None = None, headers: dict | None = None,
        source: str | None = None, mount: str = "/api/"):
    h = {"Content-Type": "text/plain;charset=UTF-8", "User-Agent": ua}
    if xff:
        h["X-Forwarded-For"] = xff
    h.update(headers or {})
    return request(port, "POST", mount + "hit", json.dumps({"path": path}), h, source=source)


def site(port: int, ua: str | None = None, mount: str = "/api/") -> dict:
    status, _, body = request(port, "GET", mount + "site", headers={"User-Agent": ua or unique_ua("site"),
                                                                    "X-Forwarded-For": reader_ip()})
    assert status == 200, body
    return body


def views(port: int, paths, ua: str | None = None, mount: str = "/api/") -> dict:
    from urllib.parse import urlencode
    status, _, body = request(port, "GET", mount + "views?" + urlencode([("path", p) for p in paths]),
                              headers={"User-Agent": ua or unique_ua("views"), "X-Forwarded-For": reader_ip()})
    assert status == 200, body
    return body["views"]


def unique_ua(tag: str = "") -> str:
    return f"{UA} t/{tag}{uuid.uuid4().hex[:10]}"


def reader_ip() -> str:
    """A fresh address (198.18.0.0/15, for benchmarks) for the tests' own reads: the rate limit is per
    address, and the tests read totals often. Believed only by a counter started with --proxy 127.0.0.1."""
    n = uuid.uuid4().int
    return f"198.{18 + n % 2}.{n // 2 % 256}.{n // 512 % 254 + 1}"


def read_only(path: Path):
    """Make a file read-only for the counter's processes (root ignores modes: then immutable, chattr +i);
    returns what undoes it."""
    if os.geteuid() == 0:
        result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if result.returncode:
            pytest.fail(f"chattr +i {path} failed ({result.stderr.strip()}): run as root, the read-only tests need "
                        f"a file system with the immutable attribute (ext4, xfs, btrfs, tmpfs >= 6.0)")
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o444)
    return lambda: path.chmod(0o644)


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

    app.counter = counter
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
        stop_maintenance = getattr(getattr(self.server.get_app(), "counter", None), "stop_maintenance", None)
        if stop_maintenance is not None:                # the app's cleanup thread
            stop_maintenance()


# --- fixtures shared by the counter's test modules (imported there by name) ------------------------

@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The sample portal built once: the pages the counter counts."""
    return build_sample(tmp_path_factory.mktemp("built") / "public")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real Redis server for the run."""
    server = Redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


# --- a province: fake communes and one endpoint for all (tests/test_counter_province.py) ------------

def fake_province(folder: Path, communes: list[dict]) -> Path:
    """OUT/sites.json (version 1) and OUT/<key>/ with an index.html per page of each commune.

    ``communes``: dicts with key, base_url and pages (paths relative to the commune's base path:
    "", "tin-tuc/mot/"); written as the province build writes them."""
    sites = []
    for commune in communes:
        for page in commune["pages"]:
            target = folder / commune["key"] / page / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<!doctype html><title>{commune['key']} {page}</title>", encoding="utf-8")
        sites.append({"key": commune["key"], "code": commune.get("code", 0), "name": commune.get("name", commune["key"]),
                      "base_url": commune["base_url"], "pages": commune["key"], "timezone": "Asia/Ho_Chi_Minh"})
    (folder / "sites.json").write_text(json.dumps({"version": 1, "province": {"name": "Lâm Đồng", "code": 68},
                                                   "sites": sites}, ensure_ascii=False), encoding="utf-8")
    return folder


class ProvinceProcess:
    """`python build.py counter serve --province OUT` (gunicorn) on a free 127.0.0.1 port, SQLite or Redis."""

    def __init__(self, folder: Path, province: Path, backend: str, redis: Redis | None = None, *extra: str,
                 workers: int = 2):
        self.port = free_port()
        self.db = folder / f"counter-{uuid.uuid4().hex[:8]}"
        self.prefix = f"t{uuid.uuid4().hex[:8]}:"
        self.redis, self.backend, self.province = redis, backend, province
        self.log = folder / f"province-{self.port}.log"
        self.salt_file = folder / f"salt-{self.port}.key"
        self.args = ["--province", str(province), "--db", str(self.db), "--salt-file", str(self.salt_file)]
        if backend == "redis":
            self.args += ["--redis", redis.url]
        self.env = dict(os.environ, COUNTER_REDIS_PREFIX=self.prefix)
        self.process = subprocess.Popen(
            [sys.executable, str(BUILD), "counter", "serve", "--port", str(self.port), "--server", "gunicorn",
             "--workers", str(workers), *self.args, *extra],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, cwd=folder, env=self.env, start_new_session=True)
        wait_port(self.port, self.process, self.log)

    def command(self, *args: str) -> subprocess.CompletedProcess:
        """Another action of `python build.py counter` on the same store (export --site-key KEY...)."""
        return subprocess.run([sys.executable, str(BUILD), "counter", *args, *self.args], capture_output=True,
                              text=True, encoding="utf-8", env=self.env, timeout=120)

    def store(self, key: str):
        """The commune's own store, opened as the endpoint opens it."""
        from site_generator.counter.store import open_store
        if self.backend == "redis":
            return open_store(redis_url=self.redis.url, prefix=f"{self.prefix}{key}:")
        return open_store(db=self.db / f"{key}.sqlite3")

    def stop(self):
        stop(self.process)
