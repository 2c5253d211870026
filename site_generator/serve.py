"""Live preview: build into .preview/, serve it on 127.0.0.1, rebuild and reload on change.

Sits beside the pipeline and calls it. A change (or a burst of them: several
files saved, a ``git pull``) makes one rebuild; the open browser reloads
through livereload. When one post was saved, its page is rewritten in place
first (``fastpath.update_post``, milliseconds) and shown; the full build that
follows reuses every unchanged page from the cache. A content mistake never
stops the server: the last good site stays served, and every page shows the
problems in a panel until they are fixed. Drafts and scheduled posts are shown,
each with its banner. When site.yaml sets ``counter.url``, the view counter runs
embedded at that path.
"""
from __future__ import annotations

import datetime as dt
import html
import mimetypes
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import cache, editor_backend, fastpath, pipeline, stamp
from . import urls as U

WATCHED = ("content", "templates", "static", "data", "site.yaml")
QUIET_MS = 50                 # a burst ends when nothing changed for this long

def check_port(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE, EACCES...) when ``host:port`` cannot be listened on, as the server would
    (``SO_REUSEADDR`` like tornado's, so a port left in TIME_WAIT by the last preview is not refused)."""
    import socket

    for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                               flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            if os.name != "nt":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
        return


class Preview:
    """The preview's state: what was built last, and the problems of the last attempt."""

    def __init__(self, root: Path, output: Path, options: pipeline.BuildOptions, language: str | None,
                 now_override: dt.datetime | None = None):
        self.root, self.output, self.options, self.language = root, output, options, language
        self.now_override = now_override
        self.problems: list[str] = []
        self.last: pipeline.Report | None = None        # the last build that wrote the preview
        self.lock = threading.Lock()
        self.counter = None
        self.mount = "/"                                 # the path the site is previewed under (--base-url's)
        self.reload_script = b""                        # livereload's snippet, put in the preview's pages
        host, port = urlsplit(options.base_url).hostname or "127.0.0.1", urlsplit(options.base_url).port or 80
        self.host = host
        self.backend = editor_backend.LocalBackend(root, f"http://{host}:{port}" if ":" not in host else
                                                   f"http://[{host}]:{port}")

    def editing(self) -> bool:
        """Whether the last good build has the web editor on (site.yaml ``editor:``)."""
        return self.last is not None and self.last.site is not None and self.last.site.config.editor is not None

    def rebuild(self) -> pipeline.Report:
        from .cli import print_report

        with self.lock:
            now = self.now_override or dt.datetime.now(dt.timezone.utc)
            report = pipeline.build(self.root, self.output, self.options, now)
            print_report(report, self.language, self.options, self.output, self.root)
            if report.written and report.site is not None:
                self.last = report
            language = self.language or report.language
            shown = report.problems.errors if not self.options.strict else report.problems.sorted()
            self.problems = [p.text(language) for p in shown] if report.failed or (
                self.options.strict and report.problems.warnings) else []
            return report

    def update_post(self, paths: list) -> str | None:
        """Fast path for one edited post: its page first, before the full build (see fastpath.update_post)."""
        if len(paths) != 1 or not paths[0].endswith(".md") or self.last is None or self.problems:
            return None
        with self.lock:
            try:
                return fastpath.update_post(self.root, self.last, Path(paths[0]))
            except Exception as err:             # noqa: BLE001 - the full build that follows still runs
                print(f"(bỏ qua bước cập nhật nhanh: {type(err).__name__}: {err})", file=sys.stderr, flush=True)
                return None

    # ------------------------------------------------------------------ WSGI: files, counter, panel

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if self.counter is not None and path.startswith(self.counter_mount):
            return self.counter(environ, start_response)
        api = self.mount + editor_backend.API_PATH
        if path == api and self.editing():
            return self.backend(environ, start_response)
        file, status = self.resolve(path)
        if file is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"404"]
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        admin = path.startswith(self.mount + U.admin())
        if admin and file.name == "config.yml" and self.editing():   # saves go to this folder, not to Git
            body, kind = editor_backend.local_settings(body, self.backend.origin + api, self.host), "text/yaml"
        if kind == "text/html" and not admin:
            body = self.with_panel(body).replace(b"</head>", self.reload_script + b"</head>", 1)
            kind += "; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]

    def resolve(self, path: str) -> tuple[Path | None, str]:
        from urllib.parse import unquote

        path = unquote(path)
        if not path.startswith(self.mount) and path + "/" != self.mount:
            return None, "404 Not Found"
        relative = path[len(self.mount):].lstrip("/")
        target = (self.output / relative).resolve()
        if self.output.resolve() not in target.parents and target != self.output.resolve():
            return None, "404 Not Found"
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            return target, "200 OK"
        missing = self.output / "404.html"
        return (missing, "404 Not Found") if missing.is_file() else (None, "404 Not Found")

    def with_panel(self, page: bytes) -> bytes:
        problems = self.problems
        if not problems:
            return page
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
        panel = (f'<section id="loi-xem-truoc" role="alert"><strong>Bản xem trước chưa cập nhật: '
                 f'{len(problems)} lỗi cần sửa</strong> (trang dưới đây là bản tốt gần nhất)<ul>{items}</ul></section>')
        text = page.decode("utf-8")
        at = text.find("<body")
        at = text.find(">", at) + 1 if at >= 0 else 0
        return (text[:at] + panel + text[at:]).encode("utf-8")

    # ------------------------------------------------------------------ the embedded counter

    def start_counter(self) -> None:
        from .counter import config as counter_config
        from .counter.app import make_app

        folder = self.root / cache.FOLDER
        folder.mkdir(exist_ok=True)
        options = counter_config.Options(site=self.root, db=folder / "counter-preview.sqlite3", pages=self.output,
                                         salt_file=folder / "counter-preview.key")   # not one key per preview in /dev/shm
        settings = counter_config.settings(options)
        self.counter, self.counter_mount = make_app(settings), settings.mount


def watch_changes(root: Path, on_change, stop: threading.Event, ready: threading.Event) -> None:
    """Call ``on_change(paths)`` once per burst of changes (watchfiles: inotify where there is one).

    ``ready`` is set once the watches are in place (the first empty yield after ``rust_timeout``),
    so a save made right after the server starts is never missed.
    """
    import watchfiles

    from . import inherit
    province = inherit.inputs_of(inherit.find(root))            # a commune of the province folder above it
    targets = [str(p) for p in (*(root / name for name in WATCHED), *province) if p.exists()]
    for changes in watchfiles.watch(*targets, step=QUIET_MS, debounce=2000, stop_event=stop, yield_on_timeout=True,
                                    rust_timeout=200,
                                    watch_filter=lambda change, path: not Path(path).name.startswith((".", "#"))
                                    and not path.endswith("~")):
        ready.set()
        if changes:
            on_change(sorted(path for _, path in changes))


def serve(root: Path, args, now_override: dt.datetime | None = None, base_url: str = "") -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop, web
    from tornado.wsgi import WSGIContainer

    output = (args.output or root / ".preview").resolve()
    mount = urlsplit(base_url).path if base_url else "/"         # --base-url: preview under its sub-path
    base_url = f"http://{args.host}:{args.port}{mount}"
    options = pipeline.BuildOptions(drafts=True, future=True, strict=args.strict, base_url=base_url,
                                    cache=not getattr(args, "no_cache", False), jobs=getattr(args, "jobs", 0),
                                    province=getattr(args, "province", None))
    preview = Preview(root, output, options, args.lang, now_override)
    preview.mount = mount
    stamp.forget(cache.output_state(root, output))    # a real first build: the preview needs the model (fast path, counter)
    report = preview.rebuild()
    if not output.is_dir():
        return 1
    if report.site is not None and report.site.config.counter_url.startswith("/"):
        preview.start_counter()

    class BuildWatcher(Watcher):
        """livereload asks ``examine()`` what changed; we rebuild on our own thread, then tell it."""

        def __init__(self):
            super().__init__()
            self.changed: str | None = None
            self.stop = threading.Event()

        def start(self, callback) -> bool:
            loop = ioloop.IOLoop.current()

            def on_change(paths) -> None:
                try:
                    rebuild(paths)
                except Exception as err:            # a bug of ours must not stop the watching: later saves rebuild
                    print(f"{time.strftime('%H:%M:%S')} lỗi khi xây dựng lại ({type(err).__name__}: {err}); "
                          "trang xem trước giữ bản cũ, lưu tệp lần nữa để thử lại", file=sys.stderr, flush=True)

            def rebuild(paths) -> None:
                shown = [Path(p).relative_to(root).as_posix() if Path(p).is_relative_to(root) else p for p in paths]
                print(f"{time.strftime('%H:%M:%S')} thay đổi: {', '.join(shown[:5])}"
                      + (f" (+{len(shown) - 5})" if len(shown) > 5 else ""), flush=True)
                quick = preview.update_post(paths)
                if quick:                           # the edited post's page is there: show it now
                    print(f"{time.strftime('%H:%M:%S')} đã cập nhật {quick}; đang xây dựng lại các trang khác…",
                          flush=True)
                    self.changed = paths[0]
                    loop.add_callback(callback)
                preview.rebuild()
                self.changed = paths[0] if paths else "*"
                loop.add_callback(callback)

            ready = threading.Event()
            threading.Thread(target=watch_changes, args=(root, on_change, self.stop, ready), daemon=True).start()
            ready.wait(10)
            return True

        def examine(self):
            changed, self.changed = self.changed, None
            self.filepath = changed
            return changed, None

    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0       # reload after every rebuild, however close together
    watcher = BuildWatcher()
    watcher.watch(str(root))                          # livereload requires one task; ours does the work
    class PreviewServer(Server):
        """livereload's own WSGI wrapper puts its script before every ``</head>`` it finds, in scripts and
        PDFs too (decap-cms.js has one in a string): the preview puts it in its HTML pages itself."""

        def get_web_handlers(self, script):
            preview.reload_script = script
            return [(r".*", web.FallbackHandler, {"fallback": WSGIContainer(preview)})]

    server = PreviewServer(app=preview, watcher=watcher)
    try:
        server.serve(host=args.host, port=args.port, open_url_delay=None, restart_delay=0, debug=False)
    finally:
        watcher.stop.set()
    return 0
