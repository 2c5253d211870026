"""Running the WSGI app: gunicorn (production), waitress (where gunicorn cannot run), or the stdlib dev server."""
from __future__ import annotations

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
        "worker_class": "sync",          # short requests behind a buffering proxy (nginx/Apache)
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

        def load(self):
            return app

    CounterServer().run()
    return 0


def run_waitress(app, host: str, port: int, threads: int = 8) -> int:
    import waitress
    waitress.serve(app, host=host, port=port, threads=threads, ident=None)
    return 0


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):     # no access log: it would hold IP addresses
        pass


def dev_server(app, host: str, port: int):
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


def run_dev(app, host: str, port: int) -> int:
    server = dev_server(app, host, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
