"""The web editor at /admin/: its settings generated from the schema, the pinned CMS in the output, the
preview's local backend over real HTTP, and an editor's whole round in Chromium (create, edit, delete)."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest_plugins = ["browser_support"]           # the sample built under /tanduc/ and served by nginx; Chromium

from conftest import BUILD, MINIMAL_SITE, ROOT, minimal_site, run, soup, write
from test_serve import eventually, get, start_preview

from site_generator import editor
from site_generator import schema as S
from site_generator.kinds import data_files, section_kind, section_kinds

EDITOR_BLOCK = "editor: {backend: gitlab, repo: van-phong/cong}\n"


def _pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter
    writer, out = PdfWriter(), BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


# --------------------------------------------------------------------------- settings from the schema

def _keys(fields: list) -> dict:
    """CMS fields -> {name: field}, recursively comparable with a schema."""
    return {f["name"]: f for f in fields}


def _covers(schema: S.Schema, fields: list, where: str, required: bool = True) -> None:
    got = _keys(fields)
    assert set(schema.fields) <= set(got), f"{where}: the editor lacks {set(schema.fields) - set(got)}"
    for key, spec in schema.fields.items():
        cms = got[key]
        assert cms["required"] == (spec.required and required) or key in ("week",), f"{where}.{key}: required mark"
        if spec.schema is not None:
            _covers(spec.schema, cms["fields"], f"{where}.{key}", required=spec.required and required
                    if spec.type == "map" else True)
        if spec.type == "choice":
            assert [o["value"] for o in cms["options"]] == list(spec.choices), f"{where}.{key}: choices"


def test_every_key_of_every_kind_is_a_field_of_its_collection(sample_site):
    settings = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    site = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    collections = {c["name"]: c for c in settings["collections"]}
    assert list(collections) == [*site["sections"], "du-lieu"], "every section is a collection, in menu order"
    seen_kinds = set()
    for name, section in site["sections"].items():
        kind = section_kind(section.get("kind", "posts"))
        seen_kinds.add(kind.name)
        got = collections[name]
        assert got["folder"] == f"content/{name}" and got["label"] == section["title"]
        _covers(kind.schema, [f for f in got["fields"] if f["name"] != "body"], name)
        assert got["fields"][-1]["name"] == "body" and got["fields"][-1]["widget"] == "markdown"
    assert seen_kinds == set(section_kinds()), "the sample has a section of every kind, so all are checked"
    data = {f["file"]: f for f in collections["du-lieu"]["files"]}
    assert set(data) == {f"data/{name}" for name in data_files()}, "every data file has its form"
    for name, kind in data_files().items():
        form = data[f"data/{name}"]["fields"]
        key = name.removesuffix(".yaml")
        assert [f["name"] for f in form] == [key] and form[0]["widget"] == "list"
        _covers(kind.schema, form[0]["fields"], f"data/{name}")


def test_a_data_file_written_as_a_bare_list_gets_no_form(tmp_path):
    site = minimal_site(tmp_path / "site", MINIMAL_SITE + EDITOR_BLOCK)
    write(site / "data" / "units.yaml", "- name: Tân Xuân\n  kind: xã\n")
    write(site / "data" / "leaders.yaml", "leaders:\n- name: Trần Văn A\n  position: Chủ tịch UBND xã\n")
    result = run("--site", str(site), "--now", "2024-02-01 08:00")
    assert result.returncode == 0, result.stderr
    settings = yaml.safe_load((site / "public" / "admin" / "config.yml").read_text(encoding="utf-8"))
    files = [f["file"] for c in settings["collections"] if c["name"] == "du-lieu" for f in c["files"]]
    assert files == ["data/leaders.yaml"], "the CMS would save the bare list as an empty mapping"


def test_widgets_follow_the_types_and_the_units_come_from_data(sample_site):
    settings = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    posts = _keys(next(c for c in settings["collections"] if c["name"] == "ket-qua")["fields"])
    units = [u["name"] for u in yaml.safe_load((ROOT / "data" / "units.yaml").read_text(encoding="utf-8"))["units"]]
    inspection = _keys(posts["inspection"]["fields"])
    assert inspection["units"]["widget"] == "select" and inspection["units"]["multiple"] is True
    assert inspection["units"]["options"] == units
    assert _keys(inspection["findings"]["fields"])["unit"]["options"] == units
    assert [o["label"] for o in inspection["stage"]["options"]] == ["Thông báo", "Kết quả", "Khắc phục"]
    assert posts["date"]["widget"] == "datetime" and posts["date"]["default"] == "{{now}}"
    assert posts["draft"] == {**posts["draft"], "widget": "boolean", "default": True}
    assert posts["image"]["widget"] == "image" and _keys(posts["attachments"]["fields"])["file"]["widget"] == "file"
    assert posts["summary"]["widget"] == "text" and posts["title"]["widget"] == "string"
    assert posts["slug"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    nested = [f for block in ("inspection", "attachments", "corrections", "withdrawn") for f in posts[block]["fields"]]
    assert all("default" not in f for f in nested), "a default inside a block makes the CMS add it to every file"
    assert all(f["label"] and f["label"][0].isupper() for f in posts.values())
    assert settings["locale"] == "vi" and settings["media_folder"] == "content/files"
    assert settings["public_folder"] == "/files"
    assert settings["backend"] == {"name": "gitlab", "branch": "main", "repo": "van-phong/cong-thong-tin"}
    schedule = next(c for c in settings["collections"] if c["name"] == "lich-cong-tac")
    assert schedule["slug"] == "{{week}}" and schedule["identifier_field"] == "week"
    pages = next(c for c in settings["collections"] if c["name"] == "trang")
    assert pages["slug"] == "{{slug}}"


def test_the_pinned_cms_is_published_beside_its_page_and_named_in_the_footer(sample_site):
    admin = sample_site / "admin"
    assert hashlib.sha256((admin / "decap-cms.js").read_bytes()).hexdigest() == editor.DECAP["sha256"]
    chunks = {p.name for p in editor.ASSETS.glob("*.js")}
    assert chunks <= {p.name for p in admin.iterdir()}, "the lazily loaded parts of the CMS are there too"
    page = soup(admin / "index.html")
    assert page.find("script")["src"] == "decap-cms.js"
    assert page.find("link", rel="cms-config-url")["href"] == "config.yml"
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    login = soup(sample_site / "index.html").find("a", string="Đăng nhập")
    assert login is not None and login["href"] == "/admin/"
    assert "Disallow: /admin/\n" in (sample_site / "robots.txt").read_text(encoding="utf-8")
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/admin/" not in sitemap
    policy = (admin / ".htaccess").read_text(encoding="utf-8")
    assert "script-src 'self' 'unsafe-eval'" in policy and "connect-src 'self' https://gitlab.com;" in policy
    import xml.etree.ElementTree as ET
    locations = ET.parse(sample_site / "web.config").getroot().findall("location")
    own = next(loc for loc in locations if loc.get("path") == "admin")
    assert "unsafe-eval" in own.find(".//customHeaders/add").get("value")
    assert "unsafe-eval" not in (sample_site / ".htaccess").read_text(encoding="utf-8"), "only the editor's folder"


def test_a_portal_without_an_editor_block_has_no_admin(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "2024-01-02-a.md", "---\ntitle: A\ndate: 2024-01-02\n---\n\nChữ.\n")
    result = run("--site", str(site), "--now", "2024-02-01 08:00")
    assert result.returncode == 0, result.stderr
    assert not (site / "public" / "admin").exists()
    assert soup(site / "public" / "index.html").find("a", string="Đăng nhập") is None
    write(site / "site.yaml", MINIMAL_SITE.replace('base_url: "https://example.gov.vn/"',
                                                   'base_url: "https://example.gov.vn/xa/"') + EDITOR_BLOCK)
    result = run("--site", str(site), "--now", "2024-02-01 08:00")
    assert result.returncode == 0, result.stderr
    assert soup(site / "public" / "index.html").find("a", string="Đăng nhập")["href"] == "/xa/admin/"
    assert (site / "public" / "admin" / "decap-cms.js").is_file()
    written = yaml.safe_load((site / "public" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert written["site_url"] == "https://example.gov.vn/xa/" and "local_backend" not in written
    write(site / "site.yaml", MINIMAL_SITE + "editor: {backend: bitbucket, api_root: ftp://x}\n")
    result = run("check", "--site", str(site))
    assert result.returncode == 1
    assert "site.yaml:6:" in result.stderr and "bitbucket" in result.stderr and "`editor.api_root` không phải" in result.stderr


def test_an_admin_section_is_refused(tmp_path):
    site = minimal_site(tmp_path / "site", MINIMAL_SITE + "  admin: {title: Quản trị}\n")
    result = run("check", "--site", str(site))
    assert result.returncode == 1 and "admin" in result.stderr


# --------------------------------------------------------------------------- the local backend, over HTTP

@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """The sample portal served by `build.py serve`, with its editor on."""
    from conftest import copy_sample
    root = tmp_path_factory.mktemp("editing")
    site = copy_sample(root / "site")
    yield from start_preview(site, root / "serve.log")


def call(origin: str, action: str, params: dict | None = None, headers: dict | None = None, body: bytes | None = None):
    host, port = origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    data = body if body is not None else json.dumps({"action": action, "params": params or {}}).encode()
    connection.request("POST", "/admin/api/v1", data,
                       {"Content-Type": "application/json", "Origin": origin, **(headers or {})})
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    return response.status, answer


def test_the_served_settings_name_the_preview_as_the_local_backend(editing):
    site, origin, _ = editing
    settings = yaml.safe_load(get(origin + "/admin/config.yml"))
    assert settings["local_backend"] == {"url": origin + "/admin/api/v1"}
    assert settings["backend"]["name"] == "gitlab", "the published settings are unchanged beside it"
    assert call(origin, "info")[1] == {"repo": site.name, "publish_modes": ["simple"], "type": "local_fs"}
    page = get(origin + "/admin/")
    assert "livereload" not in page, "the CMS page is not reloaded under an editor's hands"
    assert get(origin + "/admin/decap-cms.js").encode() == (editor.ASSETS / "decap-cms.js").read_bytes()


def test_entries_media_and_saves_follow_the_protocol(editing):
    site, origin, _ = editing
    status, entries = call(origin, "entriesByFolder", {"folder": "content/trang", "extension": "md", "depth": 1})
    assert status == 200
    names = sorted(Path(e["file"]["path"]).name for e in entries)
    assert names == sorted(p.name for p in (site / "content" / "trang").glob("*.md"))
    first = entries[0]
    assert first["file"]["id"] == hashlib.sha256((site / first["file"]["path"]).read_bytes()).hexdigest()
    assert first["data"] == (site / first["file"]["path"]).read_text(encoding="utf-8")
    raw = "---\ntitle: Bài thử\ndate: 2026-11-20 08:00\n---\n\nNội dung.\n"
    pdf = base64.b64encode(_pdf()).decode()
    status, _ = call(origin, "persistEntry", {
        "entry": {"path": "content/tin-tuc/2026-11-20-bai-thu.md", "raw": raw, "slug": "bai-thu"},
        "assets": [{"path": "content/files/thu/bien-ban.pdf", "content": pdf, "encoding": "base64"}]})
    assert status == 200
    assert (site / "content" / "tin-tuc" / "2026-11-20-bai-thu.md").read_text(encoding="utf-8") == raw
    assert (site / "content" / "files" / "thu" / "bien-ban.pdf").read_bytes() == base64.b64decode(pdf)
    assert not [p for p in (site / "content" / "tin-tuc").iterdir() if p.name.startswith(".")], "no temporary left"
    assert eventually(lambda: "Bài thử" in _page(origin + "/tin-tuc/bai-thu/")), "the preview rebuilt on the save"
    status, media = call(origin, "getMediaFile", {"path": "content/files/thu/bien-ban.pdf"})
    assert status == 200 and media["content"] == pdf and media["name"] == "bien-ban.pdf"
    status, renamed = call(origin, "persistEntry", {"dataFiles": [
        {"path": "content/tin-tuc/2026-11-20-bai-thu.md", "raw": raw.replace("Bài thử", "Bài thử hai"),
         "newPath": "content/tin-tuc/2026-11-20-bai-thu-hai.md"}], "assets": []})
    assert status == 200 and not (site / "content" / "tin-tuc" / "2026-11-20-bai-thu.md").exists()
    assert "Bài thử hai" in (site / "content" / "tin-tuc" / "2026-11-20-bai-thu-hai.md").read_text(encoding="utf-8")
    assert call(origin, "deleteFiles", {"paths": ["content/tin-tuc/2026-11-20-bai-thu-hai.md",
                                                  "content/files/thu/bien-ban.pdf"]})[0] == 200
    assert not (site / "content" / "tin-tuc" / "2026-11-20-bai-thu-hai.md").exists()
    assert not (site / "content" / "files" / "thu" / "bien-ban.pdf").exists()
    assert call(origin, "getEntry", {"path": "content/tin-tuc/khong-co.md"})[1]["data"] is None
    units = site / "data" / "units.yaml"
    status, entry = call(origin, "getEntry", {"path": "data/units.yaml"})
    assert status == 200 and entry["data"] == units.read_text(encoding="utf-8")
    changed = entry["data"] + "- name: Ea Tiêu\n  kind: xã\n"
    assert call(origin, "persistEntry", {"dataFiles": [{"path": "data/units.yaml", "raw": changed}], "assets": []})[0] == 200
    assert units.read_text(encoding="utf-8") == changed
    assert eventually(lambda: "Ea Tiêu" in _page(origin + "/don-vi/")), "the preview rebuilt with the new unit"
    assert call(origin, "deleteFile", {"path": "data/units.yaml"})[0] == 400 and units.exists()
    assert call(origin, "getEntry", {"path": "data/khac.yaml"})[0] == 400


HOSTILE = [
    ("getEntry", {"path": "site.yaml"}, 400),
    ("getEntry", {"path": "content/../site.yaml"}, 400),
    ("getEntry", {"path": "/etc/passwd"}, 400),
    ("getEntry", {"path": "content/tin-tuc/..\\..\\site.yaml"}, 400),
    ("getEntry", {"path": "content/.git/config"}, 400),
    ("getEntry", {"path": ["content/a.md"]}, 400),
    ("getMediaFile", {"path": "content/lien-ket/passwd"}, 403),
    ("persistEntry", {"entry": {"path": "content/tin-tuc/x.html", "raw": "<script>alert(1)</script>"},
                      "assets": []}, 400),
    ("persistEntry", {"entry": {"path": "templates/base.html", "raw": "x"}, "assets": []}, 400),
    ("persistEntry", {"entry": {"path": "content/lien-ket/x.md", "raw": "x"}, "assets": []}, 403),
    ("persistEntry", {"entry": {"path": "content/tin-tuc/\x01.md", "raw": "x"}, "assets": []}, 400),
    ("persistEntry", {"entry": {"path": "content/tin-tuc/x.md", "raw": 5}, "assets": []}, 400),
    ("persistMedia", {"asset": {"path": "content/files/x.svg", "content": base64.b64encode(b"<svg/>").decode()}}, 415),
    ("persistMedia", {"asset": {"path": "content/files/x.html", "content": base64.b64encode(b"<b>").decode()}}, 415),
    ("persistMedia", {"asset": {"path": "content/files/x.pdf",
                                "content": base64.b64encode(b"<html><script>1</script>").decode()}}, 415),
    ("persistMedia", {"asset": {"path": "content/files/x.pdf", "content": "không phải base64"}}, 400),
    ("deleteFile", {"path": "content"}, 400),
    ("deleteFiles", {"paths": ["content/files/a.png", "../site.yaml"]}, 400),
    ("entriesByFolder", {"folder": "content/tin-tuc", "depth": "1"}, 400),
    ("launchMissiles", {}, 422),
]


@pytest.mark.parametrize("action, params, status", HOSTILE, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(HOSTILE)])
def test_hostile_requests_are_refused_with_a_reason_and_touch_nothing(editing, action, params, status):
    site, origin, _ = editing
    link = site / "content" / "lien-ket"
    if not link.is_symlink():
        link.symlink_to("/etc")
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file() and ".preview" not in p.parts
              and ".cache" not in p.parts}
    got, answer = call(origin, action, params)
    assert got == status, answer
    assert isinstance(answer["error"], str) and answer["error"]
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file() and ".preview" not in p.parts
             and ".cache" not in p.parts}
    assert after == before
    assert not (site / "content" / "files" / "x.svg").exists() and not (site / "content" / "files" / "x.pdf").exists()


def test_requests_a_browser_could_forge_from_another_site_are_refused(editing):
    site, origin, _ = editing
    assert call(origin, "info", headers={"Origin": "http://evil.example"})[0] == 403
    assert call(origin, "info", headers={"Content-Type": "text/plain"})[0] == 415
    assert call(origin, "info", body=b"{not json")[0] == 400
    assert call(origin, "info", body=b"[1, 2]")[0] == 400
    host, port = origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.putrequest("POST", "/admin/api/v1")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(1 << 30))
    connection.endheaders()                              # the gigabyte never comes: refused on the header
    response = connection.getresponse()
    assert response.status in (400, 413)
    connection.close()
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/admin/api/v1")
    assert connection.getresponse().status == 405


# --------------------------------------------------------------------------- an editor's round, in Chromium

def test_an_editor_creates_edits_and_deletes_a_post_with_an_inspection_block_and_an_attachment(tmp_path):
    from browser_support import launch_chromium
    from playwright.sync_api import sync_playwright

    from conftest import copy_sample
    site = copy_sample(tmp_path / "site")
    upload = tmp_path / "thong-bao-kiem-tra.pdf"
    upload.write_bytes(_pdf())
    for _, origin, log in start_preview(site, tmp_path / "serve.log"):
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            context = chromium.new_context(viewport={"width": 1280, "height": 1000}, locale="vi-VN",
                                           timezone_id="Asia/Ho_Chi_Minh")
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())        # "xóa bài này?"
            page.goto(origin + "/admin/")
            page.get_by_role("button", name="Đăng nhập").click()
            page.goto(origin + "/admin/#/collections/thong-bao/new")
            page.get_by_label("Tiêu đề", exact=False).first.fill("Thông báo kiểm tra công tác văn thư năm 2026")
            page.get_by_label("Mã đợt kiểm tra", exact=False).fill("van-thu-2026")
            page.get_by_label("Giai đoạn", exact=False).click()
            page.locator("[class*=option]", has_text="Thông báo").click()
            page.get_by_label("Nội dung kiểm tra", exact=False).fill("Công tác văn thư, lưu trữ")
            page.get_by_label("Các đơn vị được kiểm tra", exact=False).click()
            page.get_by_role("option", name="Tân Xuân", exact=True).click()   # not "Thôn Tân Xuân 2"
            page.get_by_role("button", name="Add tệp đính kèm").click()
            page.get_by_role("button", name="Chọn một tập tin").click()
            page.locator("input[type=file]").set_input_files(str(upload))
            page.get_by_role("button", name="Lấy những cái đã chọn").click()
            page.get_by_label("Tên hiển thị của tệp", exact=False).fill("Kế hoạch kiểm tra số 12/KH-UBND")
            page.get_by_role("button", name="Công bố").click()
            page.get_by_role("menuitem", name="Công bố ngay").click()

            folder = site / "content" / "thong-bao"
            created = eventually(lambda: [p for p in folder.glob("*.md") if "van-thu" in p.name])
            assert created, (tmp_path / "serve.log").read_text(encoding="utf-8")
            text = created[0].read_text(encoding="utf-8")
            front = yaml.safe_load(text.split("---")[1])
            assert front["title"] == "Thông báo kiểm tra công tác văn thư năm 2026" and front["draft"] is True
            assert front["inspection"] == {"id": "van-thu-2026", "stage": "notice", "subject": "Công tác văn thư, lưu trữ",
                                           "units": ["Tân Xuân"]}
            assert front["attachments"] == [{"file": "/files/thong-bao-kiem-tra.pdf",
                                             "title": "Kế hoạch kiểm tra số 12/KH-UBND"}]
            assert (site / "content" / "files" / "thong-bao-kiem-tra.pdf").read_bytes() == upload.read_bytes()
            checked = subprocess.run([sys.executable, str(BUILD), "check", "--site", str(site)], capture_output=True,
                                     text=True, encoding="utf-8", timeout=300)
            assert checked.returncode == 0, checked.stderr
            post = origin + "/thong-bao/thong-bao-kiem-tra-cong-tac-van-thu-nam-2026/"
            assert eventually(lambda: "Kế hoạch kiểm tra số 12/KH-UBND" in _page(post)), "the preview shows the post"
            assert "van-thu-2026" in _page(origin + "/kiem-tra/van-thu-2026/") or "Tân Xuân" in _page(post)

            page.get_by_label("Tiêu đề", exact=False).first.fill("Thông báo kiểm tra văn thư, lưu trữ năm 2026")
            page.get_by_role("button", name="Công bố").click()
            page.get_by_role("menuitem", name="Công bố ngay").click()
            assert eventually(lambda: "văn thư, lưu trữ năm 2026" in created[0].read_text(encoding="utf-8"))
            assert eventually(lambda: "văn thư, lưu trữ năm 2026" in _page(
                origin + "/thong-bao/thong-bao-kiem-tra-van-thu-luu-tru-nam-2026/"))

            page.get_by_role("button", name=re.compile("^Xoá mục")).click()
            assert eventually(lambda: not created[0].exists()), "the post is deleted"
            assert eventually(lambda: "văn thư, lưu trữ" not in _page(origin + "/thong-bao/"))
            chromium.close()


def _page(url: str) -> str:
    try:
        return get(url)
    except OSError:
        return ""


def test_behind_nginx_the_cms_runs_under_its_own_policy_and_the_portal_keeps_its_own(portal, page_at):
    import urllib.request
    with urllib.request.urlopen(portal.url("admin/"), timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
    with urllib.request.urlopen(portal.url(""), timeout=10) as response:
        assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" in policy and "connect-src 'self' https://gitlab.com;" in policy
    with urllib.request.urlopen(portal.url("admin/config.yml"), timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/yaml")
        assert yaml.safe_load(response.read())["backend"]["repo"] == "van-phong/cong-thong-tin"
    page = page_at(1280)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.goto(portal.url("admin/"))
    page.get_by_role("button", name="Đăng nhập bằng GitLab").wait_for(timeout=30_000)
    assert not refused, refused
