"""One province's portals on one web server, and its CI in shards (site_generator/province/deploy.py).

Two small provinces of two communes each are built with ``build.py province``:

- ``domains``: each commune at its own host (``https://tenxa.<domain>/``, Art. 11(4)), the aggregate under
  ``/tong-hop/`` of the province's host; both communes have the same old address (``aliases:``), which must
  lead each to its own post, and one has the web editor;
- ``one_host``: both communes under sub-paths of one host whose root is the aggregate.

The generated nginx configuration is loaded by a real nginx and the Apache one by a real Apache (listen lines
rewritten to a free loopback port), both serving the build copied elsewhere (``--root``), with a real HTTP
server standing in for the counter behind ``/api/``; every page is asked for by its Host header. The CI files
are parsed, their matrix checked, and the GitHub one's shard and final steps run as written (bash, a
``python`` on PATH) against ``build.py province``'s result.
"""
from __future__ import annotations

import http.client
import http.server
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BUILD, NOW, ROOT, free_port, run, wait_port, write

from site_generator import divisions, headers
from site_generator.province import deploy

pytest.register_assert_rewrite("browser_support")
from browser_support import _mime_types, need, nginx_binary  # noqa: E402

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
OLD = "/Pages/tin-tuc.aspx?ItemID=18746"          # the same old address in both communes
EDITOR = "editor: {backend: gitlab, repo: van-phong/cong}\n"
COMMUNES = (("xa-tan-minh", 23230, "Xã Tân Minh"), ("phuong-la-gi", 23235, "Phường La Gi"))


def province_yaml(base_url: str, domain: str) -> str:
    return f"""code: 68
title: "Cổng thông tin điện tử tỉnh Lâm Đồng"
base_url: "{base_url}"
domain: "{domain}"
site: {{language: vi, sections: {{tin-tuc: {{title: "Tin tức"}}}}}}
communes:
  - {{folder: xa-tan-minh, code: 23230}}
  - {{folder: phuong-la-gi, code: 23235}}
"""


def make_province(root: Path, base_url: str, commune_urls: dict | None = None, editor: str = "") -> Path:
    write(root / "province.yaml", province_yaml(base_url, "lamdong.example.gov.vn"))
    for folder, _, name in COMMUNES:
        own = f'base_url: "{commune_urls[folder]}"\n' if commune_urls else ""
        with_editor = editor if folder == "phuong-la-gi" else ""          # the web editor: one commune only
        write(root / folder / "site.yaml", f'description: "Cổng của {name}"\n{own}{with_editor}')
        write(root / folder / "content" / "tin-tuc" / "2025-12-20-a.md",
              f'---\ntitle: "Tin đầu tiên của {name}"\ndate: 2025-12-20\naliases: ["{OLD}"]\n---\nNội dung tin.\n')
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both provinces built, and their output copied where the web servers read it (readable by www-data)."""
    base = tmp_path_factory.mktemp("provinces")
    served = Path(tempfile.mkdtemp(prefix="tinh-", dir="/tmp"))
    made = {}
    for name, base_url, urls, editor in (
            ("domains", "https://lamdong.example.gov.vn/tong-hop/", None, EDITOR),
            ("one_host", "https://lamdong.gov.vn/", {"xa-tan-minh": "https://lamdong.gov.vn/tanminh/",
                                                      "phuong-la-gi": "https://lamdong.gov.vn/lagi/"}, "")):
        province = make_province(base / name, base_url, urls, editor)
        out = base / f"{name}-out"
        result = run("province", "--site", str(province), "--output", str(out), "--now", NOW)
        assert result.returncode == 0, result.stdout + result.stderr
        shutil.copytree(out, served / name)
        made[name] = (province, out, served / name)
    for path in [served, *served.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield made
    shutil.rmtree(served, ignore_errors=True)


def generate(action: str, province: Path, out: Path, served: Path, counter: str) -> tuple[str, str]:
    result = subprocess.run([sys.executable, str(BUILD), "province", action, "--site", str(province),
                             "--output", str(out), "--root", str(served), "--counter", counter],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


# ------------------------------------------------------------------------------- a stand-in counter

class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self):                                       # noqa: N802 - the stdlib's name
        body = json.dumps({"path": self.path, "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def counter():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------------- the servers

def nginx_wrapper(prefix: Path, generated: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {name}_temp_path {prefix / 'temp' / name};\n"
                   for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
{user}worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include {_mime_types()};
    default_type application/octet-stream;
    access_log {prefix / 'access.log'};
{temp}    include {generated};
}}
"""


def on_port(text: str, port: int, server: str) -> str:
    """The generated configuration listening on 127.0.0.1:PORT only (the machine may have no IPv6)."""
    if server == "nginx":
        servers = text.count("\nserver {")
        assert text.count("    listen 80;\n") == servers and text.count("    listen [::]:80;") == servers
        text = text.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
        return re.sub(r"(?m)^    listen \[::\]:80;.*\n", "", text)
    assert "<VirtualHost *:80>" in text
    return text.replace("<VirtualHost *:80>", f"<VirtualHost *:{port}>")


@pytest.fixture(scope="module")
def nginx(built, counter, tmp_path_factory):
    """name -> (port, the generated configuration, its warnings), one nginx per province."""
    binary = nginx_binary()
    running, found = [], {}
    try:
        for name, (province, out, served) in built.items():
            text, said = generate("nginx", province, out, served, counter)
            prefix = tmp_path_factory.mktemp(f"nginx-{name}")
            for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (prefix / "temp" / sub).mkdir(parents=True)
            port = free_port()
            (prefix / "province.conf").write_text(on_port(text, port, "nginx"), encoding="utf-8")
            (prefix / "nginx.conf").write_text(nginx_wrapper(prefix, prefix / "province.conf"), encoding="utf-8")
            args = ["-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-e", str(prefix / "error.log")]
            check = subprocess.run([binary, "-t", "-q", *args], capture_output=True, text=True)
            assert check.returncode == 0, f"nginx rejected the configuration:\n{check.stderr}\n{text}"
            log = prefix / "stderr.log"
            with open(log, "wb") as stream:
                process = subprocess.Popen([binary, *args], stdout=stream, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL)
            running.append(process)
            wait_port(port, process, log)
            found[name] = (port, text, said)
        yield found
    finally:
        for process in running:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def apache_wrapper(folder: Path, port: int, generated: Path) -> str:
    modules = "".join(f"LoadModule {name}_module {MODULES / f'mod_{name}.so'}\n"
                      for name in ("mpm_prefork", "authz_core", "dir", "mime", "headers", "alias", "rewrite",
                                   "proxy", "proxy_http"))
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    return f"""{modules}{user}ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder}/httpd.pid
DefaultRuntimeDir {folder}
ErrorLog {folder}/error.log
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot {folder}/empty
DirectoryIndex index.html
Include {generated}
"""


@pytest.fixture(scope="module")
def apache(built, counter):
    need(APACHE if Path(APACHE).exists() else None, "Apache (Debian package apache2)")
    running, found, folders = [], {}, []
    try:
        for name, (province, out, served) in built.items():
            text, _ = generate("apache", province, out, served, counter)
            folder = Path(tempfile.mkdtemp(prefix="apache-tinh-", dir="/tmp"))
            folders.append(folder)
            (folder / "empty").mkdir()
            port = free_port()
            (folder / "province.conf").write_text(on_port(text, port, "apache"), encoding="utf-8")
            (folder / "httpd.conf").write_text(apache_wrapper(folder, port, folder / "province.conf"), encoding="utf-8")
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            check = subprocess.run([APACHE, "-t", "-f", str(folder / "httpd.conf")], capture_output=True, text=True)
            assert check.returncode == 0, f"Apache rejected the configuration:\n{check.stderr}\n{text}"
            process = subprocess.Popen([APACHE, "-X", "-f", str(folder / "httpd.conf")], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.STDOUT)
            running.append(process)
            wait_port(port, process, folder / "error.log")
            found[name] = (port, text)
        yield found
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def fetch(port: int, url: str) -> tuple[int, bytes, http.client.HTTPMessage]:
    """GET an absolute address of a portal from the server on PORT, by its Host header."""
    parts = re.match(r"https?://([^/]+)(/.*)", url)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", parts.group(2), headers={"Host": parts.group(1)})
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


def sites_of(out: Path) -> list:
    return json.loads((out / "sites.json").read_text(encoding="utf-8"))["sites"]


def aggregate_url(province: Path) -> str:
    return re.search(r'(?m)^base_url: "([^"]+)"', (province / "province.yaml").read_text(encoding="utf-8")).group(1)


SERVERS = ("nginx", "apache")
PROVINCES = ("domains", "one_host")


@pytest.fixture(params=SERVERS)
def server(request):
    """(name, {province: port}) of each real server in turn."""
    return request.param, {name: found[0] for name, found in request.getfixturevalue(request.param).items()}


# ------------------------------------------------------------------------------- what they serve

@pytest.mark.parametrize("name", PROVINCES)
def test_every_commune_is_served_at_its_own_address_with_its_headers_and_404(server, built, name):
    kind, ports = server
    province, out, served = built[name]
    sites = sites_of(out)
    assert [s["key"] for s in sites] == [folder for folder, _, _ in COMMUNES]
    wanted = dict(headers.response_headers(""))
    for site in sites:
        status, body, got = fetch(ports[name], site["base_url"])
        assert status == 200, (kind, site["base_url"])
        page = BeautifulSoup(body, "html.parser")
        assert page.find("link", rel="canonical")["href"] == site["base_url"], kind
        assert f"Tin đầu tiên của {site['name']}" in page.get_text(), (kind, site["base_url"])
        assert got["Content-Type"].lower().replace(" ", "") == "text/html;charset=utf-8", kind
        assert {header: got.get(header) for header in wanted} == wanted, (kind, site["base_url"])
        status, body, got = fetch(ports[name], site["base_url"] + "tin-tuc/khong-co-bai-nay/")
        assert status == 404 and body == (out / site["key"] / "404.html").read_bytes(), (kind, site["base_url"])
        status, body, got = fetch(ports[name], site["base_url"] + "feed.xml")
        assert status == 200 and got["Content-Type"].startswith("application/atom+xml"), kind


@pytest.mark.parametrize("name", PROVINCES)
def test_the_aggregate_is_served_at_the_provinces_address(server, built, name):
    kind, ports = server
    province, out, served = built[name]
    url = aggregate_url(province)
    status, body, got = fetch(ports[name], url)
    assert status == 200, (kind, url)
    text = BeautifulSoup(body, "html.parser").get_text()
    assert all(f"Tin đầu tiên của {commune}" in text or commune in text for _, _, commune in COMMUNES), kind
    assert body == (out / "tinh" / "index.html").read_bytes()
    wanted = dict(headers.response_headers(""))
    assert {header: got.get(header) for header in wanted} == wanted, kind
    status, body, _ = fetch(ports[name], url + "khong-co/")
    assert status == 404 and body == (out / "tinh" / "404.html").read_bytes(), kind


def test_a_host_without_a_portal_at_its_root_leads_to_the_one_it_has(server):
    kind, ports = server
    status, _, got = fetch(ports["domains"], "https://lamdong.example.gov.vn/")
    assert status == 302 and got["Location"].endswith("/tong-hop/"), (kind, status)
    status, _, got = fetch(ports["domains"], "https://lamdong.example.gov.vn/tong-hop")
    assert status == 301 and got["Location"].endswith("/tong-hop/"), (kind, status)
    status, _, _ = fetch(ports["domains"], "https://lamdong.example.gov.vn/xa-tan-minh/")
    assert status == 404, kind                  # nothing but the aggregate on that host
    status, _, got = fetch(ports["one_host"], "https://lamdong.gov.vn/lagi")
    assert status == 301 and got["Location"].endswith("/lagi/"), (kind, status)


def test_each_commune_keeps_its_own_old_addresses(server, built):
    """Two communes with the same old address: on their own hosts, each leads to its own post."""
    kind, ports = server
    province, out, served = built["domains"]
    targets = set()
    for site in sites_of(out):
        status, _, got = fetch(ports["domains"], site["base_url"].rstrip("/") + OLD)
        assert status == 301, (kind, site["base_url"], status)
        assert got["Location"].startswith(site["base_url"] + "tin-tuc/"), (kind, got["Location"])
        targets.add(got["Location"])
    assert len(targets) == 2


def test_a_shared_hosts_same_old_address_goes_to_the_first_commune_and_is_said(nginx, built):
    port, text, said = nginx["one_host"]
    assert "/Pages/tin-tuc.aspx?ItemID=18746" in said and "Xã Tân Minh" in said and "Phường La Gi" in said
    status, _, got = fetch(port, "https://lamdong.gov.vn" + OLD)
    assert status == 301 and got["Location"].startswith("https://lamdong.gov.vn/tanminh/tin-tuc/"), got["Location"]
    assert text.count("map_hash_bucket_size") == 2          # once, and once in its comment: nginx refuses two


def test_the_counter_is_reached_from_every_commune_host(server, built, counter):
    kind, ports = server
    for name in PROVINCES:
        for site in sites_of(built[name][1]):
            host = re.match(r"https?://([^/]+)", site["base_url"]).group(1)
            status, body, _ = fetch(ports[name], f"http://{host}/api/health?x=1")
            assert status == 200, (kind, host)
            assert json.loads(body) == {"path": "/api/health?x=1", "host": host}, kind


def test_the_web_editor_gets_its_own_policy_under_nginx(nginx, built):
    port, text, _ = nginx["domains"]
    assert text.count("editor.nginx.conf") == 1, "only the commune with an editor includes its file"
    status, _, got = fetch(port, "https://lagi.lamdong.example.gov.vn/admin/")
    assert status == 200 and "'unsafe-eval'" in got["Content-Security-Policy"]
    status, _, got = fetch(port, "https://lagi.lamdong.example.gov.vn/")
    assert "'unsafe-eval'" not in got["Content-Security-Policy"]


def test_ipv6_and_https_are_written_for_every_host(nginx, apache):
    text = nginx["domains"][1]
    hosts = re.findall(r"(?m)^    server_name (\S+);$", text)
    assert sorted(hosts) == ["lagi.lamdong.example.gov.vn", "lamdong.example.gov.vn", "tanminh.lamdong.example.gov.vn"]
    for host in hosts:
        block = text.split(f"server_name {host};")[0].rsplit("server {", 1)[1]
        assert "listen [::]:80;" in block and "# listen [::]:443 ssl;" in block
        assert f"# ssl_certificate     /etc/letsencrypt/live/{host}/fullchain.pem;" in block
    text = apache["domains"][1]
    assert text.count("# <VirtualHost *:443>") == 3 and "IPv6" in text


# ------------------------------------------------------------------------------- the CI matrix

def matrix_of(text: str, ci: str) -> list:
    """[(shard, [(key, folder)...])...] of a generated CI file."""
    data = yaml.safe_load(text)
    if ci == "github":
        entries = [(e["shard"], e["communes"]) for e in data["jobs"]["xa"]["strategy"]["matrix"]["include"]]
    else:
        [entry] = data["xa"]["parallel"]["matrix"]
        assert len(json.dumps(entry)) < 200, "GitLab names each job after its matrix values (255 characters at most)"
        entries = [(int(n), data["xa"]["variables"][f"COMMUNES_{n}"]) for n in entry["SHARD"]]
    return [(shard, [tuple(pair.split("=", 1)) for pair in value.split()]) for shard, value in entries]


def generated(*args: str, capsys) -> tuple[int, str, str]:
    code = deploy.main(list(args))
    said = capsys.readouterr()
    return code, said.out, said.err


@pytest.mark.parametrize("ci", ("github", "gitlab"))
@pytest.mark.parametrize("shards, expected", ((None, 1), ("1", 1), ("2", 2), ("5", 2)))
def test_the_matrix_builds_every_commune_exactly_once(built, capsys, ci, shards, expected):
    province = built["domains"][0]
    extra = ["--shards", shards] if shards else []
    code, text, err = generated("matrix", "--ci", ci, "--site", str(province), "--output", "public", *extra,
                                capsys=capsys)
    assert code == 0, err
    matrix = matrix_of(text, ci)
    assert [shard for shard, _ in matrix] == list(range(1, expected + 1))
    built_here = [pair for _, pairs in matrix for pair in pairs]
    assert sorted(built_here) == sorted((folder, folder) for folder, _, _ in COMMUNES)


@pytest.mark.parametrize("ci", ("github", "gitlab"))
def test_a_large_province_is_dealt_round_robin_into_one_shard_per_ten(tmp_path, capsys, ci):
    units = divisions.units_of(68)
    assert len(units) > 100
    listed = "".join(f"  - {{folder: xa/{u.slug}, code: {u.code}}}\n" for u in units)
    write(tmp_path / "province.yaml", province_yaml("https://lamdong.gov.vn/", "lamdong.gov.vn")
          .split("communes:")[0] + "communes:\n" + listed)
    code, text, err = generated("matrix", "--ci", ci, "--site", "tinh", "--output", "public", "--shards", "0",
                                capsys=capsys)
    assert code == 2 and "--shards" in err
    args = ("matrix", "--ci", ci, "--site", str(tmp_path), "--output", "public")
    code, text, err = generated(*args, capsys=capsys)
    assert code == 0, err
    matrix = matrix_of(text, ci)
    count = math.ceil(len(units) / 10)
    assert len(matrix) == count
    for index, (shard, pairs) in enumerate(matrix):
        assert pairs == [(u.slug, f"xa/{u.slug}") for u in units[index::count]]
    assert generated(*args, capsys=capsys)[1] == text, "the same file every run"


def test_the_github_workflow_run_as_written_gives_what_build_province_gives(built, tmp_path, capsys):
    """Each shard's step and then the final job's, run by bash from the repository's root, with `python` this
    Python: OUT/ holds the same files as `build.py province` writes, and one shard missing stops the last step."""
    province = built["domains"][0]
    out = tmp_path / "out"
    code, text, err = generated("matrix", "--ci", "github", "--site", str(province), "--output", str(out),
                                "--shards", "2", capsys=capsys)
    assert code == 0, err
    jobs = yaml.safe_load(text)["jobs"]
    shard_step = next(s for s in jobs["xa"]["steps"] if s.get("name") == "Xây dựng các xã của nhóm")
    final = next(s for s in jobs["tinh"]["steps"] if s.get("name") == "Trang tổng hợp của tỉnh")
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")   # not a link:
    (shim / "python").chmod(0o755)                          # a venv's python knows its venv by its own path
    environment = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
                   "SITE_GENERATOR_BOOTSTRAPPED": "1"}      # build.py: never install a .venv of its own here

    def bash(script: str, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", script], cwd=ROOT, env={**environment, **extra}, capture_output=True,
                              text=True, encoding="utf-8", timeout=300)

    for shard, value in [(e["shard"], e["communes"]) for e in jobs["xa"]["strategy"]["matrix"]["include"]]:
        done = bash(shard_step["run"], COMMUNES=value)
        assert done.returncode == 0, done.stdout + done.stderr
    kept = tmp_path / "kept"
    shutil.copytree(out / "phuong-la-gi", kept)
    shutil.rmtree(out / "phuong-la-gi")                       # one shard's artifact missing
    done = bash(final["run"])
    assert done.returncode == 1 and "Phường La Gi" in done.stderr and not (out / "tinh").exists()
    shutil.copytree(kept, out / "phuong-la-gi")
    done = bash(final["run"])
    assert done.returncode == 0, done.stdout + done.stderr
    whole = tmp_path / "whole"
    result = run("province", "--site", str(province), "--output", str(whole))
    assert result.returncode == 0, result.stderr

    def files(folder: Path) -> set:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                and not p.relative_to(folder).as_posix().startswith(".")}
    assert files(out) == files(whole)
    assert (out / "sites.json").read_bytes() == (whole / "sites.json").read_bytes()


def test_the_gitlab_shards_run_the_github_script_on_their_own_communes(built, tmp_path, capsys):
    """Each GitLab shard's script, run by bash with its SHARD and the job's variables, asks `python` for the same
    builds as its GitHub shard (a stand-in `python` records them); the last job runs the same command."""
    province = built["domains"][0]
    texts = [generated("matrix", "--ci", ci, "--site", str(province), "--output", "public", "--shards", "2",
                       capsys=capsys)[1] for ci in ("github", "gitlab")]
    github, gitlab = yaml.safe_load(texts[0]), yaml.safe_load(texts[1])
    step = next(s for s in github["jobs"]["xa"]["steps"] if s.get("name") == "Xây dựng các xã của nhóm")
    assert gitlab["xa"]["script"][2] == step["run"]
    assert gitlab["tinh"]["needs"] == ["xa"] and gitlab["tinh"]["script"][1] == next(
        s["run"] for s in github["jobs"]["tinh"]["steps"] if s.get("name") == "Trang tổng hợp của tỉnh")
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python").write_text('#!/bin/sh\necho "$*" >> "$CALLS"\n', encoding="utf-8")
    (shim / "python").chmod(0o755)
    variables = {k: v for k, v in gitlab["xa"]["variables"].items() if k.startswith("COMMUNES_")}
    for shard, pairs in matrix_of(texts[1], "gitlab"):
        calls = tmp_path / f"calls-{shard}"
        script = "\n".join(gitlab["xa"]["script"][1:])
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, **variables, "SHARD": str(shard), "CALLS": str(calls),
                                   "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"})
        assert done.returncode == 0, done.stderr
        assert calls.read_text(encoding="utf-8").splitlines() == [
            f"build.py build --site {province}/{folder} --province {province} --output public/{key}"
            for key, folder in pairs]


# ------------------------------------------------------------------------------- refusals

def test_two_portals_at_one_address_are_refused(tmp_path, capsys):
    same = "https://lamdong.gov.vn/xa/"
    province = make_province(tmp_path / "tinh", "https://lamdong.gov.vn/", {"xa-tan-minh": same, "phuong-la-gi": same})
    code, text, err = generated("nginx", "--site", str(province), "--output", str(tmp_path / "out"), capsys=capsys)
    assert code == 2 and not text
    assert "Phường La Gi và Xã Tân Minh cùng một địa chỉ https://lamdong.gov.vn/xa/" in err
    code, text, err = generated("apache", "--site", str(province), "--output", str(tmp_path / "out"),
                                "--root", "relative/path", capsys=capsys)
    assert code == 2 and "--root" in err
    code, text, err = generated("matrix", "--site", str(province), "--output", "public", capsys=capsys)
    assert code == 2 and "--ci" in err


def test_a_config_made_before_the_build_says_what_it_lacks(tmp_path, capsys):
    province = make_province(tmp_path / "tinh", "https://lamdong.example.gov.vn/tong-hop/")
    code, text, err = generated("nginx", "--site", str(province), "--output", str(tmp_path / "out"), capsys=capsys)
    assert code == 0 and "server_name tanminh.lamdong.example.gov.vn;" in text
    assert err.count("chưa xây dựng?") == 3


# ------------------------------------------------------------------------------- the guide

GUIDE = ROOT / "docs" / "tinh-trien-khai.md"


def test_the_guides_commands_parse():
    from site_generator import cli
    text = GUIDE.read_text(encoding="utf-8")
    deploys = re.findall(r"python build\.py province ((?:nginx|apache|matrix|aggregate) [^\n`]*)", text)
    assert len(deploys) >= 4
    for line in deploys:
        try:
            deploy.parser().parse_args(line.split(">")[0].split("#")[0].split())
        except SystemExit:
            raise AssertionError(f"the guide's command does not parse: {line}")
    for line in re.findall(r"python build\.py ([^\n`]*)", text):
        try:
            cli.parser("vi").parse_args(line.split(">")[0].split("#")[0].split())
        except SystemExit:
            raise AssertionError(f"the guide's command does not parse: {line}")
