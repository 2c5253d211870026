"""Running the WSGI app: gunicorn (production), waitress (where gunicorn cannot run), or the stdlib dev server.

gunicorn runs our worker (worker.BufferingWorker): the sync worker given only whole requests, so slow
clients hold no worker, and whose own refusals (bad request line, too long, too many headers) are JSON.
waitress reads whole requests before its threads see them too; its own refusals are plain text.
"""
from __future__ import annotations

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


def default_workers() -> int:
    return max(2, os.cpu_count() or 1)


def pick(name: str) -> str:
    """"auto": gunicorn where it can run (not Windows), else waitress."""
    if name != "auto":
        return name
    if sys.platform != "win32":
        try:
            import gunicorn  # noqa: F401
            return "gunicorn"
        except ImportError:
            pass
    try:
        import waitress  # noqa: F401
        return "waitress"
    except ImportError:
        return "none"


def gunicorn_options(host: str, port: int, workers: int) -> dict:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "site_generator.counter.worker.BufferingWorker",
        "limit_request_line": 4094,      # longer: 414, more or longer headers: 431 (JSON, from the worker)
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        "backlog": 2048,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 2,
        "accesslog": None,               # no request log: it would hold IP addresses
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "site-generator-counter",
        "preload_app": False,            # every worker opens its own database connection
        "forwarded_allow_ips": "",       # the app reads X-Forwarded-For itself, from --proxy only
    }


def run_gunicorn(app, host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    class CounterServer(BaseApplication):
        def load_config(self):
            for key, value in gunicorn_options(host, port, workers).items():
                self.cfg.set(key, value)
            self.cfg.set("post_worker_init", lambda worker: app.start_maintenance())

        def load(self):
            return app

    CounterServer().run()
    return 0


def run_waitress(app, host: str, port: int, threads: int = 8) -> int:
    import waitress
    app.start_maintenance()
    waitress.serve(app, host=host, port=port, threads=threads, ident=None, channel_timeout=30)
    return 0


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """What went wrong, without the client's address (socketserver prints it with the traceback)."""
        error = sys.exc_info()[1]
        sys.stderr.write(f"counter (dev server): {type(error).__name__}: {error}\n")


class _QuietHandler(WSGIRequestHandler):
    timeout = 30                                # a silent client is dropped (the threads are one per client)

    def log_request(self, *args, **kwargs):     # no access log: it would hold IP addresses
        pass

    def log_message(self, format, *args):       # http.server's own lines start with the client's address
        pass

    def handle(self):
        try:
            super().handle()
        except TimeoutError:                    # silent in the middle of its headers
            self.close_connection = True
            self.request_version = getattr(self, "request_version", "") or "HTTP/1.0"
            self.command = getattr(self, "command", None)
            try:
                self.send_error(408, "the request was not sent in time")
            except OSError:                     # gone meanwhile
                pass

    def send_error(self, code, message=None, explain=None):
        """The server's own refusals (bad request line, too long, bad headers) in JSON like the app's."""
        body = json.dumps({"error": "too_long" if code == 414 else "headers_too_large" if code == 431
                           else "timeout" if code == 408 else "bad_request",
                           "message": message or "malformed HTTP request"}).encode()
        self.close_connection = True
        if self.request_version in ("HTTP/0.9", ""):   # garbage claims no version: answer in HTTP/1.0 anyway
            self.request_version = "HTTP/1.0"
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200:
                self.wfile.write(body)
        except OSError:
            pass


def dev_server(app, host: str, port: int):
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


def run_dev(app, host: str, port: int) -> int:
    app.start_maintenance()
    server = dev_server(app, host, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
