"""Shared helpers: build real sites into temporary folders and parse their HTML."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build.py"
NOW = "2026-11-27 12:00"            # a fixed "now" so that scheduled posts stay scheduled


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` in a real process."""
    return subprocess.run([sys.executable, str(BUILD), *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a test server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    """Wait until ``process`` listens on ``port``; fail with its log if it exits or never listens."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port}:\n{log.read_text(errors='replace')}")


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": " in line and " — " in line]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def copy_sample(target: Path) -> Path:
    """A copy of the sample portal (site.yaml, content, data, templates, static)."""
    from editor_ops import copy_site
    return copy_site(ROOT, target)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_SITE = """title: "Cổng thử nghiệm"
base_url: "https://example.gov.vn/"
sections:
  tin-tuc: {title: "Tin tức"}
  trang: {title: "Giới thiệu", kind: pages}
"""


def minimal_site(root: Path, site_yaml: str = MINIMAL_SITE) -> Path:
    write(root / "site.yaml", site_yaml)
    (root / "content" / "tin-tuc").mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample portal built once (at a fixed time) for the whole-site tests."""
    out = tmp_path_factory.mktemp("sample") / "public"
    result = run("--output", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return out
