"""Helpers the benches share: a free local port, waiting for a server to answer on it, the environment a
build is timed in."""
from __future__ import annotations

import os
import socket
import time


def build_env() -> dict:
    """This environment without PYTHONDONTWRITEBYTECODE: a user's Python (and ``pip install .``) keeps the
    compiled modules, so a timed build must not compile every source again (about 0.07 s a build here)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, process, what: str = "the server") -> None:
    """Return once 127.0.0.1:``port`` accepts connections; stop if ``process`` exits or 20 s pass."""
    for _ in range(400):
        if process.poll() is not None:
            raise SystemExit(f"{what} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not start")
