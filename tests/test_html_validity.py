"""Every built page is valid HTML (the Nu HTML Checker, one JVM run), carries Open Graph tags and a
canonical link, loads no render-blocking script, and the style sheet has a print section."""
from __future__ import annotations

import json
import re
import subprocess

import pytest
from bs4 import BeautifulSoup

pytest.register_assert_rewrite("browser_support")
pytest_plugins = ["browser_support"]           # shared fixtures: one build and one nginx per run

from browser_support import VNU, java_binary, need  # noqa: E402

OPEN_GRAPH = ("og:title", "og:type", "og:url", "og:site_name", "og:locale")


@pytest.fixture(scope="module")
def pages(portal):
    files = portal.html_files()
    assert len(files) > 60, f"only {len(files)} pages were built"
    return files


def test_every_page_is_valid_html(portal, pages):
    java = java_binary()
    jar = need(VNU, "the Nu HTML Checker (tests/js: npm ci installs vnu-jar)")
    result = subprocess.run([java, "-Xss8m", "-jar", jar, "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu HTML Checker did not run (exit {result.returncode}):\n{result.stderr[-3000:]}")
    errors = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    lines = [f"{m.get('url', '').split(str(portal.public), 1)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
             f"  «{(m.get('extract') or '').strip()[:80]}»" for m in errors]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines[:80])
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_page_has_open_graph_and_canonical(portal, pages):
    problems = []
    for file in pages:
        doc = BeautifulSoup(file.read_bytes(), "html.parser")
        name = portal.page_path(file)
        og = {tag["property"]: tag.get("content", "") for tag in doc.find_all("meta", property=True)}
        missing = [key for key in OPEN_GRAPH if not og.get(key)]
        if missing:
            problems.append(f"{name}: no {', '.join(missing)}")
        canonical = doc.find_all("link", rel="canonical")
        if file.name == "404.html" and file.parent == portal.public:
            if canonical:
                problems.append(f"{name}: the 404 page must not name a canonical address")
            continue
        if len(canonical) != 1:
            problems.append(f"{name}: {len(canonical)} canonical links")
            continue
        href = canonical[0].get("href", "")
        if href != portal.origin + name:
            problems.append(f"{name}: canonical {href!r}, expected {portal.origin + name!r}")
        if og.get("og:url") != href:
            problems.append(f"{name}: og:url {og.get('og:url')!r} differs from the canonical address")
    assert not problems, "\n".join(problems)


def test_no_script_blocks_rendering(portal, pages):
    blocking = []
    for file in pages:
        doc = BeautifulSoup(file.read_bytes(), "html.parser")
        for script in doc.find_all("script"):
            kind = (script.get("type") or "").lower()
            if kind in ("application/ld+json", "application/json", "importmap", "speculationrules"):
                continue
            if kind == "module" or script.has_attr("defer") and script.get("src") or script.has_attr("async"):
                continue
            blocking.append(f"{portal.page_path(file)}: {str(script)[:120]}")
    assert not blocking, "scripts that block rendering (use defer, async or type=module):\n" + "\n".join(blocking)


def test_style_sheet_has_a_print_section(portal, pages):
    sheets = set()
    for file in pages:
        doc = BeautifulSoup(file.read_bytes(), "html.parser")
        for link in doc.find_all("link", rel="stylesheet"):
            sheets.add(link.get("href"))
    assert sheets, "no page links a style sheet"
    texts = []
    for href in sheets:
        path = re.sub(r"^(https?://[^/]+)?/tanduc/", "", href)
        texts.append((portal.public / path).read_text(encoding="utf-8"))
    assert any(re.search(r"@media\s+print\b", text) for text in texts), f"no @media print in {sorted(sheets)}"
