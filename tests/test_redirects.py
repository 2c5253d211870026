"""Old addresses (``aliases:``) keep working: static pages, Apache, IIS and nginx rules, served by a real nginx."""
from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import free_port, minimal_site, problem_lines, run, soup, write

pytest.register_assert_rewrite("browser_support")
from browser_support import start_nginx  # noqa: E402

OLD = "http://huyen-cu.example.gov.vn"
TARGET = "https://example.gov.vn/xa/tin-tuc/bai-tu-cong-cu/"


def site(tmp_path: Path, aliases: str, other: str = "") -> Path:
    root = minimal_site(tmp_path / "site", """title: "Cổng thử nghiệm"
base_url: "https://example.gov.vn/xa/"
sections:
  tin-tuc: {title: "Tin tức"}
  trang: {title: "Giới thiệu", kind: pages}
""")
    write(root / "content/tin-tuc/2025-06-02-cu.md",
          f"---\ntitle: Bài từ cổng cũ\ndate: 2025-06-02 08:00\naliases:\n{aliases}---\nNội dung cũ.\n")
    write(root / "content/tin-tuc/2025-06-03-khac.md",
          f"---\ntitle: Bài khác\ndate: 2025-06-03 08:00\n{other}---\nChữ.\n")
    return root


ALIASES = (f'  - "{OLD}/Pages/tin-tuc.aspx?ItemID=18746&CateID=0"\n'
           f'  - "{OLD}/tin-tuc/2019/bai-cu.html"\n'
           '  - "/tin-tuc/bai%20cu%20khac/"\n'
           '  - "/Default.aspx"\n')


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = site(tmp_path_factory.mktemp("redirects"), ALIASES)
    result = run("--site", str(root), "--output", str(root / "public"))
    assert result.returncode == 0, result.stderr
    return root / "public"


def test_static_pages_at_the_old_paths_lead_to_the_post_without_javascript(built):
    for stub in ("tin-tuc/2019/bai-cu.html", "tin-tuc/bai cu khac/index.html"):
        doc = soup(built / stub)
        assert doc.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/xa/tin-tuc/bai-tu-cong-cu/"
        assert doc.find("link", rel="canonical")["href"] == TARGET
        assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert doc.find("main").a["href"] == "/xa/tin-tuc/bai-tu-cong-cu/" and doc.find("main").a.text == "Bài từ cổng cũ"
        assert not doc.find("script")
    assert not list(built.rglob("*.aspx"))                 # a server might run those: rules only
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "bai-cu" not in sitemap


def test_apache_iis_and_nginx_rules_name_every_old_address(built):
    htaccess = (built / ".htaccess").read_text(encoding="utf-8")
    assert '  RewriteCond "%{QUERY_STRING}" "^ItemID=18746\\&CateID=0$"\n' \
           f'  RewriteRule "^Pages/tin\\-tuc\\.aspx$" "{TARGET}?" [R=301,L]' in htaccess
    assert f'RewriteRule "^Default\\.aspx$" "{TARGET}?" [R=301,L]' in htaccess
    config = ET.parse(built / "web.config").getroot()          # well-formed, or IIS refuses the whole site
    locations = {loc.get("path"): loc.find("system.webServer/httpRedirect") for loc in config.findall("location")}
    assert set(locations) == {"Default.aspx", "tin-tuc/2019/bai-cu.html", "tin-tuc/bai cu khac"}
    assert all(r.get("destination") == TARGET and r.get("httpResponseStatus") == "Permanent"
               for r in locations.values())
    assert "/Pages/tin-tuc.aspx?ItemID=18746&amp;CateID=0" not in (built / "web.config").read_text(encoding="utf-8")
    assert "/Pages/tin-tuc.aspx?ItemID=18746&CateID=0 -> " + TARGET in (built / "web.config").read_text(encoding="utf-8")
    nginx = (built / "redirects.nginx.conf").read_text(encoding="utf-8")
    assert f'"/Pages/tin-tuc.aspx?ItemID=18746&CateID=0" "{TARGET}";' in nginx
    assert f'"/tin-tuc/bai%20cu%20khac/" "{TARGET}";' in nginx


def fetch(url: str):
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    try:
        with urllib.request.build_opener(Stay).open(url, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_a_real_nginx_redirects_old_addresses_with_query_strings(built, tmp_path):
    port = free_port()
    server = start_nginx(tmp_path / "nginx", built, port, sub="/xa/")
    try:
        origin = f"http://127.0.0.1:{port}"
        for old in ("/Pages/tin-tuc.aspx?ItemID=18746&CateID=0", "/tin-tuc/2019/bai-cu.html", "/Default.aspx",
                    "/tin-tuc/bai%20cu%20khac/"):
            status, headers, _ = fetch(origin + old)
            assert (status, headers["Location"]) == (301, TARGET), old
        status, _, _ = fetch(origin + "/Pages/tin-tuc.aspx?ItemID=1")     # another item: not this post
        assert status == 404
        status, _, body = fetch(origin + "/xa/tin-tuc/2019/bai-cu.html")   # the static page, under the portal
        assert status == 200 and b'http-equiv="refresh"' in body
    finally:
        server.stop()


@pytest.mark.parametrize("alias, reason", [
    ('"javascript:alert(1)"', "http://"),
    ('"tin-tuc/bai.html"', "bắt đầu bằng /"),
    ('"/tin-tuc/../../etc/passwd"', ".."),
    ('"/.git/config"', "tệp ẩn"),
    ('"http://huyen.gov.vn/"', "trang chủ"),
    # a file or folder the portal writes: a server rule for it would answer it with a redirect to the post
    ('"/feed.xml"', "tệp `/feed.xml`"),
    ('"/robots.txt"', "tệp `/robots.txt`"),
    ('"/tin-tuc/feed.xml"', "tệp `/tin-tuc/feed.xml`"),
    ('"/css/"', "thư mục `/css/`"),
])
def test_an_old_address_that_cannot_be_kept_is_an_error_at_its_line(tmp_path, alias, reason):
    root = site(tmp_path, f"  - {alias}\n")
    result = run("--site", str(root), "--output", str(root / "public"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = problem_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("content/tin-tuc/2025-06-02-cu.md:4: ") and reason in lines[0], lines
    assert not (root / "public").exists()


def test_an_old_address_claimed_twice_or_by_a_page_is_an_error(tmp_path):
    root = site(tmp_path, '  - "/tin-tuc/cu.html"\n  - "/tin-tuc/"\n', other='aliases: ["/tin-tuc/cu.html"]\n')
    result = run("--site", str(root), "--output", str(root / "public"))
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    assert len(lines) == 2, lines
    assert lines[0].startswith("content/tin-tuc/2025-06-02-cu.md:4: ") and "trang `/tin-tuc/`" in lines[0]
    assert lines[1].startswith("content/tin-tuc/2025-06-03-khac.md:4: ") and "2025-06-02-cu.md" in lines[1]


def test_two_spellings_of_one_old_folder_make_one_page_and_across_posts_an_error(tmp_path):
    root = site(tmp_path, '  - "/tin-tuc/bai-cu"\n  - "/tin-tuc/bai-cu/"\n')
    result = run("--site", str(root), "--output", str(root / "public"))
    assert result.returncode == 0, result.stderr
    assert soup(root / "public/tin-tuc/bai-cu/index.html").find("link", rel="canonical")["href"] == TARGET
    other = site(tmp_path / "hai", '  - "/tin-tuc/bai-cu"\n', other='aliases: ["/tin-tuc/bai-cu/"]\n')
    result = run("--site", str(other), "--output", str(other / "public"))
    assert result.returncode == 1
    assert [line.split(":")[0] for line in problem_lines(result.stderr)] == ["content/tin-tuc/2025-06-03-khac.md"]

