"""The built sample portal copied into a real Apache (Debian's apache2, its own config on a free
loopback port, under /tanduc/), with nothing written by the admin but `AllowOverride FileInfo`:
the `.htaccess` the build puts in `public/` gives the portal's 404 page, UTF-8, the feeds' type
and every security header."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import free_port, wait_port

from site_generator import headers

pytest.register_assert_rewrite("browser_support")
from browser_support import SUB, build_under_sub_path, need  # noqa: E402

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")


def config(folder: Path, public: Path, port: int) -> str:
    modules = "".join(f"LoadModule {name}_module {MODULES / f'mod_{name}.so'}\n"
                      for name in ("mpm_prefork", "authz_core", "dir", "mime", "headers", "alias", "rewrite"))
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""   # Apache refuses to serve as root
    return f"""{modules}{user}ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder}/httpd.pid
DefaultRuntimeDir {folder}
ErrorLog {folder}/error.log
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot {folder}/empty
DirectoryIndex index.html
Alias {SUB} {public}/
<Directory {public}>
    AllowOverride FileInfo
    Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def apache(tmp_path_factory):
    need(APACHE if Path(APACHE).exists() else None, "Apache (Debian package apache2)")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    built = build_under_sub_path(tmp_path_factory.mktemp("apache"), origin)
    folder = Path(tempfile.mkdtemp(prefix="apache-", dir="/tmp"))   # readable by www-data, unlike pytest's
    public = folder / "public"
    shutil.copytree(built, public)
    (folder / "empty").mkdir()
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "httpd.conf").write_text(config(folder, public, port), encoding="utf-8")
    check = subprocess.run([APACHE, "-t", "-f", str(folder / "httpd.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    log = folder / "error.log"
    process = subprocess.Popen([APACHE, "-X", "-f", str(folder / "httpd.conf")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    try:
        wait_port(port, process, log)
        yield origin, public
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def test_the_copied_folder_brings_its_headers_to_apache(apache):
    origin, public = apache
    wanted = dict(headers.response_headers(""))
    for path in ("", "tin-tuc/", "css/site.css", "files/ket-luan-123-kl-ubnd.pdf", "feed.xml", "khong-co/"):
        status, body, got = fetch(origin + SUB + path)
        assert {name: got.get(name) for name in wanted} == wanted, (path, status)


def test_apache_serves_types_charset_and_the_portal_404_page(apache):
    origin, public = apache
    status, body, got = fetch(origin + SUB)
    assert status == 200 and got["Content-Type"].lower().replace(" ", "") == "text/html;charset=utf-8"
    assert BeautifulSoup(body, "html.parser").find("link", rel="canonical")["href"] == origin + SUB
    status, body, got = fetch(origin + SUB + "feed.xml")
    assert status == 200 and got["Content-Type"].startswith("application/atom+xml"), got["Content-Type"]
    status, body, got = fetch(origin + SUB + "du-lieu/kiem-tra.csv")
    assert status == 200 and got["Content-Type"].startswith("text/csv"), got["Content-Type"]
    status, body, got = fetch(origin + SUB + "lich-cong-tac/lich-cong-tac.ics")
    assert status == 200 and got["Content-Type"].startswith("text/calendar"), got["Content-Type"]
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    status, body, got = fetch(origin + SUB + "khong-co-trang-nay/")
    assert status == 404 and body == (public / "404.html").read_bytes()


def test_apache_redirects_the_old_portals_addresses_from_the_htaccess(apache):
    origin, public = apache

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    old = f"{origin}{SUB}Pages/tin-tuc-su-kien.aspx?ItemID=18746&CateID=0"      # an alias of a sample post
    try:
        urllib.request.build_opener(Stay).open(old, timeout=15)
        raise AssertionError("no redirect")
    except urllib.error.HTTPError as err:
        assert err.code == 301
        assert err.headers["Location"] == (f"{origin}{SUB}tin-tuc/cu-tri-huyen-ham-tan-hoan-thanh-cuoc-bau-cu-dai-bieu-"
                                           "quoc-hoi-khoa-xv-va-dai/")
    status, _, _ = fetch(f"{origin}{SUB}Pages/tin-tuc-su-kien.aspx?ItemID=1")
    assert status == 404
