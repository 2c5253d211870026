"""Helpers the benches share: a free local port, and waiting for a server to answer on it."""
from __future__ import annotations

import socket
import time


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
