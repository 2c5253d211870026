"""``python build.py init DIR``: a new site to fill in, ready to build, optionally with its CI pipelines.

Beside the pipeline (nothing in it imports this module). The files come from ``skeleton/`` inside the
package (package data, so an installed tool has them): ``site.yaml`` with a Vietnamese comment on every
setting, the usual sections, one example post and an about page, ``data/units.yaml``, ``.gitignore``,
a ``build.py`` that runs the installed tool, ``requirements.txt`` naming it, and with ``--ci`` the
pipelines of GitLab, GitHub, Gitea and Forgejo: on every push and every hour, install, build with
``--strict``, deploy ``public/`` by rsync over SSH or by FTP (lftp mirror), secrets from CI variables only.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .text import nfc

SKELETON = Path(__file__).resolve().parent / "skeleton"
CI_CHOICES = ("gitlab", "github", "gitea", "forgejo", "all")
EMPTY_SECTIONS = ("thong-bao", "ket-qua", "van-ban", "lich-cong-tac")     # folders kept by a .gitkeep
DEFAULT_TITLE = "Cổng thông tin điện tử"
DEFAULT_BASE_URL = "https://example.gov.vn/"

# where each CI system's file goes, and what its runner is told
CI_FILES = {
    "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml", {}),
    "github": (".github/workflows/xuat-ban.yml", "github.yml", {
        "RUNS_ON": "ubuntu-latest", "CHECKOUT": "actions/checkout@v4", "SETUP_PYTHON": "actions/setup-python@v5",
        "SETTINGS": "Settings > Secrets and variables > Actions; Variables: DEPLOY_METHOD, DEPLOY_HOST..., "
                    "Secrets: DEPLOY_SSH_KEY, FTP_PASSWORD"}),
    "gitea": (".gitea/workflows/xuat-ban.yml", "github.yml", {
        "RUNS_ON": "ubuntu-latest", "CHECKOUT": "actions/checkout@v4", "SETUP_PYTHON": "actions/setup-python@v5",
        "SETTINGS": "Cài đặt kho > Actions > Variables và Secrets (cần bật Actions và có act_runner)"}),
    "forgejo": (".forgejo/workflows/xuat-ban.yml", "github.yml", {
        "RUNS_ON": "docker", "CHECKOUT": "https://data.forgejo.org/actions/checkout@v4",
        "SETUP_PYTHON": "https://data.forgejo.org/actions/setup-python@v5",
        "SETTINGS": "Cài đặt kho > Actions > Variables và Secrets (cần bật Actions và có Forgejo Runner)"}),
}


@dataclass
class Scaffolded:
    written: list = field(default_factory=list)       # paths relative to the site folder
    kept: list = field(default_factory=list)          # already there: left as they were


class Refused(Exception):
    """The folder already holds a site, or is not a folder: the message says so (Vietnamese)."""


def init(target: Path, title: str | None, base_url: str | None, ci: str | None, version: str,
         now: dt.datetime) -> Scaffolded:
    """Write the skeleton into ``target`` (made if missing); never overwrite a file."""
    if (target / "site.yaml").exists():
        raise Refused(f"{target / 'site.yaml'}: đã có cổng thông tin ở thư mục này — "
                      "không ghi đè; chọn một thư mục khác hoặc sửa site.yaml đang có")
    if target.exists() and not target.is_dir():
        raise Refused(f"{target}: không phải thư mục — chọn một thư mục (sẽ được tạo nếu chưa có)")
    title = nfc(" ".join((title or DEFAULT_TITLE).split()))
    base_url = (base_url or DEFAULT_BASE_URL).strip()
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", base_url):
        raise Refused(f"--base-url {base_url}: không phải địa chỉ trang web — "
                      "viết đầy đủ, ví dụ https://tanduc.example.gov.vn/")
    if not base_url.endswith("/"):
        base_url += "/"
    author = _author(title)
    example = f"{now:%Y-%m-%d}-cong-thong-tin-di-vao-hoat-dong.md"
    values = {"TITLE": _quoted(title), "DESCRIPTION": _quoted(f"Tin tức, thông báo, văn bản và lịch công tác của {author}"),
              "BASE_URL": _quoted(base_url), "AUTHOR": _quoted(author), "AUTHOR_TEXT": author,
              "DATE": f"{now:%Y-%m-%d %H:%M}", "FILE": example, "VERSION": version,
              "PACKAGE": f"site-generator=={version}"}
    files = {
        "site.yaml": "site.yaml", ".gitignore": "gitignore", "build.py": "build.py",
        "requirements.txt": "requirements.txt", "data/units.yaml": "data/units.yaml",
        f"content/tin-tuc/{example}": "content/tin-tuc/example.md",
        "content/trang/gioi-thieu.md": "content/trang/gioi-thieu.md",
    }
    out = Scaffolded()
    for relative, source in files.items():
        _write(target, relative, _fill(_template(source), values), out)
    for section in EMPTY_SECTIONS:
        _write(target, f"content/{section}/.gitkeep", "", out)
    for system in (CI_FILES if ci == "all" else (ci,) if ci else ()):
        relative, source, extra = CI_FILES[system]
        _write(target, relative, pipeline(source, extra), out)
    return out


def pipeline(source: str, extra: dict) -> str:
    """A CI file: its template with the shared deploy script indented into its step."""
    text = _template(f"ci/{source}")
    indent = "      " if source == "gitlab-ci.yml" else "          "
    deploy = "\n".join((indent + line).rstrip() for line in _template("ci/deploy.sh").splitlines())
    return _fill(text, {**extra, "DEPLOY": deploy})


def _author(title: str) -> str:
    """"Cổng thông tin điện tử xã Tân Đức" -> "xã Tân Đức"; "Ủy ban nhân dân xã Tân Đức" as it is."""
    for prefix in ("Cổng thông tin điện tử ", "Cổng thông tin ", "Trang thông tin điện tử "):
        if title.lower().startswith(prefix.lower()) and len(title) > len(prefix):
            return title[len(prefix):]
    return title if title != DEFAULT_TITLE else "Ủy ban nhân dân xã"


def _template(name: str) -> str:
    return (SKELETON / name).read_text(encoding="utf-8")


def _fill(text: str, values: dict) -> str:
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], text)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)          # a YAML double-quoted string


def _write(root: Path, relative: str, text: str, out: Scaffolded) -> None:
    path = root / relative
    if path.exists():
        out.kept.append(relative)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    out.written.append(relative)
