"""Bad input, one tiny site per mistake: the exact problem lines, the exit code, and an untouched output.

Every folder under ``tests/invalid/`` is a site (site.yaml, content/, data/) plus:

- ``expected.txt``: the problem lines (``path:line: what — fix``) the build must print on stderr, in order;
- ``exit.txt`` (optional): the expected exit code when it is not 1;
- ``args.txt`` (optional): extra command-line arguments, one a line;
- ``title.txt`` (optional): a post title (NFC) that must appear, NFC, in a built page's ``<title>``.

Each site is copied to a temporary folder that already holds a "previous good build" in ``public/``;
``python build.py`` runs in a real process. A failing build must leave that folder byte for byte as it
was and no staging folder behind; a successful one replaces it. Sites whose only problems are warnings
(exit 0) are built a second time with ``--strict``, which must turn them into a failure.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build.py"
CASES_DIR = Path(__file__).resolve().parent / "invalid"
NOW = "2026-01-01 00:00"
META_FILES = ("expected.txt", "exit.txt", "args.txt", "title.txt")
SENTINEL = {
    "index.html": b"<!doctype html><title>previous good build</title><p>b\xe1\xba\xa3n c\xc5\xa9</p>\n",
    "old.txt": b"kept from the last good build\n",
    "tin-tuc/bai-cu/index.html": b"<!doctype html><title>old post</title>\n",
}

CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir()) if CASES_DIR.is_dir() else []


def expected_exit(case: Path) -> int:
    file = case / "exit.txt"
    return int(file.read_text(encoding="utf-8").strip()) if file.is_file() else 1


def extra_args(case: Path) -> list[str]:
    file = case / "args.txt"
    if not file.is_file():
        return []
    return [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_lines(case: Path) -> list[str]:
    return [line for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines() if line.strip()]


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": " in line and " — " in line]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def prepare(case: Path, tmp_path: Path) -> Path:
    """A copy of the case's site, with a previous good build in public/."""
    site = tmp_path / "site"
    shutil.copytree(case, site, ignore=shutil.ignore_patterns(*META_FILES))
    for relative, data in SENTINEL.items():
        target = site / "public" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return site


def run_build(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), "--site", str(site), "--now", NOW, *args], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300)


def leftovers(site: Path) -> list[str]:
    """What a build left beside public/ besides the spare tree and the lock it keeps by design."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".public")
                  and p.name not in (".public.spare", ".public.lock"))


def check_run(case: Path, site: Path, result: subprocess.CompletedProcess, want_exit: int,
              want_lines: list[str], before: dict) -> None:
    output = f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, output
    assert problem_lines(result.stderr) == want_lines, output
    assert result.returncode == want_exit, output
    assert leftovers(site) == [], f"staging folders left behind: {leftovers(site)}"
    if want_exit != 0:
        assert snapshot(site / "public") == before, "a failed build changed the previous output"
        return
    after = snapshot(site / "public")
    assert "old.txt" not in after and after.get("index.html") != SENTINEL["index.html"], \
        "a successful build did not replace the previous output"
    for relative, data in after.items():
        if relative.endswith((".html", ".xml", ".json", ".txt", ".csv")):
            text = data.decode("utf-8")
            assert unicodedata.normalize("NFC", text) == text, f"{relative} is not NFC"
    title_file = case / "title.txt"
    if title_file.is_file():
        title = unicodedata.normalize("NFC", title_file.read_text(encoding="utf-8").strip())
        titles = [m for rel, data in after.items() if rel.endswith(".html")
                  for m in re.findall(r"<title>(.*?)</title>", data.decode("utf-8"), re.S)]
        assert any(title in t for t in titles), f"no page has the NFC title {title!r}: {titles}"
        nfd = unicodedata.normalize("NFD", title)
        assert not any(nfd.encode("utf-8") in data for data in after.values()), "the NFD title reached the output"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_site(case: Path, tmp_path: Path) -> None:
    site = prepare(case, tmp_path)
    before = snapshot(site / "public")
    result = run_build(site, *extra_args(case))
    check_run(case, site, result, expected_exit(case), expected_lines(case), before)


STRICT_CASES = [c for c in CASES if expected_exit(c) == 0 and "--strict" not in extra_args(c)]


@pytest.mark.parametrize("case", STRICT_CASES, ids=[c.name for c in STRICT_CASES])
def test_strict_turns_warnings_into_errors(case: Path, tmp_path: Path) -> None:
    """The same site with --strict: the same lines; any warning now fails the build and keeps public/."""
    site = prepare(case, tmp_path)
    before = snapshot(site / "public")
    lines = expected_lines(case)
    result = run_build(site, *extra_args(case), "--strict")
    check_run(case, site, result, 1 if lines else 0, lines, before)


def test_every_case_is_complete() -> None:
    assert len(CASES) >= 28
    for case in CASES:
        assert (case / "site.yaml").is_file(), case.name
        assert (case / "expected.txt").is_file(), case.name
        if expected_exit(case) != 0:
            assert expected_lines(case), f"{case.name}: a failing case must expect problem lines"
    english = [c.name for c in CASES if re.search(r"^language:\s*en\b", (c / "site.yaml").read_text("utf-8"), re.M)]
    assert len(english) >= 3, english
