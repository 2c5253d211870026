"""`python build.py init DIR`: a new site that checks and builds at once, with pipelines for GitLab, GitHub,
Gitea and Forgejo whose own build steps, run here, build it (the deploy step only uses CI variables)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run, soup

PIPELINES = {"gitlab": ".gitlab-ci.yml", "github": ".github/workflows/xuat-ban.yml",
             "gitea": ".gitea/workflows/xuat-ban.yml", "forgejo": ".forgejo/workflows/xuat-ban.yml"}
TITLE = "Cổng thông tin điện tử xã Tân Đức"


@pytest.fixture(scope="module")
def new_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("init") / "tan-duc"
    made = run("init", str(site), "--title", TITLE, "--base-url", "https://tanduc.example.gov.vn/cong/", "--ci", "all")
    assert made.returncode == 0, made.stderr
    return site


def test_a_new_site_checks_and_builds_strictly(new_site, tmp_path):
    config = yaml.safe_load((new_site / "site.yaml").read_text(encoding="utf-8"))
    assert config["title"] == TITLE and config["base_url"] == "https://tanduc.example.gov.vn/cong/"
    assert {name: section.get("kind", "posts") for name, section in config["sections"].items()} == {
        "tin-tuc": "posts", "thong-bao": "posts", "ket-qua": "posts", "van-ban": "documents",
        "lich-cong-tac": "schedule", "trang": "pages"}
    raw = (new_site / "site.yaml").read_text(encoding="utf-8")
    for key in ("title", "description", "base_url", "language", "timezone", "author", "per_page", "sections",
                "menu", "contact", "disclosure"):          # every setting has a Vietnamese comment above it
        lines = raw.splitlines()
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[index - 1].startswith("#"), key
    assert yaml.safe_load((new_site / "data" / "units.yaml").read_text(encoding="utf-8"))[0]["name"] == "Thôn 1"
    ignored = (new_site / ".gitignore").read_text(encoding="utf-8").split()
    assert {"public/", ".cache/", ".preview/"} <= set(ignored)
    checked = run("check", "--site", str(new_site), "--strict")
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "public"
    built = run("build", "--site", str(new_site), "--output", str(out), "--strict")
    assert built.returncode == 0, built.stderr
    home = soup(out / "index.html")
    assert TITLE in home.title.get_text()
    assert [a.get_text(strip=True) for a in home.select("a") if a.get_text(strip=True) == "Văn bản"]
    about = soup(out / "trang" / "gioi-thieu" / "index.html")
    assert about.h1.get_text(strip=True) == "Giới thiệu chung"
    post = next((out / "tin-tuc").glob("*/index.html"))
    assert "xã Tân Đức" in soup(post).get_text()


def test_init_never_overwrites_a_site(new_site, tmp_path):
    before = (new_site / "site.yaml").read_bytes()
    again = run("init", str(new_site), "--title", "Khác")
    assert again.returncode == 1 and "đã có cổng thông tin" in again.stderr and "Traceback" not in again.stderr
    assert (new_site / "site.yaml").read_bytes() == before
    bad = run("init", str(tmp_path / "x"), "--base-url", "tanduc.gov.vn")
    assert bad.returncode == 1 and "--base-url" in bad.stderr and not (tmp_path / "x" / "site.yaml").exists()
    assert run("init", str(tmp_path / "y"), "--ci", "jenkins").returncode == 2


def _on(document: dict):
    return document.get("on", document.get(True))            # YAML 1.1 reads the key `on` as true


def _build_and_deploy(system: str, document: dict) -> tuple[list[str], str]:
    """The pipeline's shell commands before its deploy step, and the deploy step's text."""
    if system == "gitlab":
        build, deploy = document["build"], document["deploy"]
        return list(build["script"]), "\n".join(deploy["before_script"] + deploy["script"])
    (job,) = document["jobs"].values()
    commands, deploy = [], None
    for step in job["steps"]:
        if step.get("id") == "deploy":
            deploy = yaml.safe_dump(step, allow_unicode=True)
            break
        if "run" in step:
            commands.append(step["run"])
    assert deploy is not None
    return commands, deploy


@pytest.mark.parametrize("system", sorted(PIPELINES))
def test_each_pipeline_triggers_on_push_and_hourly_and_its_build_steps_build_the_site(new_site, tmp_path, system):
    text = (new_site / PIPELINES[system]).read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert "build.py list next" in text                        # how to know the next scheduled change
    if system == "gitlab":
        sources = " ".join(rule["if"] for rule in document["workflow"]["rules"])
        assert '$CI_PIPELINE_SOURCE == "push"' in sources and '$CI_PIPELINE_SOURCE == "schedule"' in sources
        assert "0 * * * *" in text                              # the schedule to create, said in a comment
    else:
        triggers = _on(document)
        assert "push" in triggers and [s["cron"] for s in triggers["schedule"]] == ["0 * * * *"]
    commands, deploy = _build_and_deploy(system, document)
    assert any("pip install" in c for c in commands) and any("python build.py build --strict" in c for c in commands)

    # run the build steps here, in a copy of the new site, with this venv's python instead of a fresh install
    site = tmp_path / "checkout"
    subprocess.run(["cp", "-r", str(new_site), str(site)], check=True)
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
           "PYTHONPATH": str(ROOT)}
    ran = 0
    for command in commands:
        if re.match(r"\s*(python -m )?pip install", command):
            continue
        result = subprocess.run(["bash", "-e", "-c", command], cwd=site, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        ran += 1
    assert ran >= 1 and (site / "public" / "index.html").is_file()
    assert TITLE in soup(site / "public" / "index.html").title.get_text()

    # the deploy step: rsync over SSH or lftp, chosen by a variable; every value from the CI's variables
    assert "rsync" in deploy and "lftp" in deploy and "mirror --reverse" in deploy and "DEPLOY_METHOD" in deploy
    expressions = re.findall(r"\$\{\{\s*([^}]*?)\s*\}\}", deploy)
    assert all(re.fullmatch(r"(vars|secrets)\.[A-Z_]+", e) for e in expressions), expressions
    if system != "gitlab":
        assert {e for e in expressions if e.startswith("secrets.")} == {"secrets.DEPLOY_SSH_KEY", "secrets.FTP_PASSWORD"}
    names = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", deploy.replace("${{", "")))
    assert names <= {"DEPLOY_METHOD", "DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH", "DEPLOY_PORT", "DEPLOY_SSH_KEY",
                     "DEPLOY_KNOWN_HOSTS", "FTP_HOST", "FTP_USER", "FTP_PASSWORD", "FTP_PATH", "HOME"}, names
    assert not re.search(r"(password|pass|key)\s*[:=]\s*['\"]?[A-Za-z0-9]{6,}", deploy, re.I), deploy
    assert not re.search(r"-----BEGIN|@[a-z0-9-]+\.[a-z]{2,}", deploy), deploy   # no key, no literal user@host


def test_init_works_from_an_installed_package(tmp_path):
    target = tmp_path / "installed"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                              str(ROOT)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    assert (target / "site_generator" / "skeleton" / "ci" / "deploy.sh").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    made = subprocess.run([sys.executable, "-m", "site_generator", "init", "moi", "--ci", "gitea"], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    site = elsewhere / "moi"
    assert (site / ".gitea" / "workflows" / "xuat-ban.yml").is_file() and not (site / ".gitlab-ci.yml").exists()
    built = subprocess.run([sys.executable, "build.py", "build", "--strict"], cwd=site, env=env, capture_output=True,
                           text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert (site / "public" / "index.html").is_file()
