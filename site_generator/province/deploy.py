"""A province's portals on one web server, and its CI split into shards.

``python build.py province ACTION --site PROVINCE_DIR --output OUT`` prints, for the
output ``build.py province`` wrote (``OUT/<key>/`` per commune, ``OUT/tinh/``):

- ``nginx``: one file for nginx's ``http { }`` block: a ``server`` per host named by the communes'
  ``base_url`` (and the aggregate's), listening on IPv4 and IPv6 (NĐ 224/2026 Art. 11(4)), HTTPS lines
  ready to uncomment; a ``location`` per portal (several under one host when they share it by sub-path)
  with the headers of headers.nginx for that commune, its 404 page, its web editor's
  ``editor.nginx.conf`` (included from its folder) and its old addresses; ``/api/`` passed to the one
  counter. The old addresses are the ``map`` of each commune's ``redirects.nginx.conf``, copied with
  the variable renamed per commune: nginx refuses two ``map_hash_bucket_size`` lines (and one variable
  for several maps), so the files cannot be included side by side.
- ``apache``: the same as ``<VirtualHost *:80>`` blocks; the communes' own ``.htaccess`` does the rest,
  and the aggregate, which has none, gets the same directives (headers.htaccess) in its ``<Directory>``.
- ``matrix --ci github|gitlab [--shards N]``: a CI pipeline where each shard builds some communes with
  the single-site command (``build.py build --site PROVINCE/FOLDER --province PROVINCE --output
  OUT/KEY``) and a last job assembles the shards' output and builds the aggregate alone (``aggregate``).
- ``aggregate``: ``OUT/tinh/`` and ``OUT/sites.json`` from the communes already in ``OUT/`` (a stopgap
  for a hook of run.py: see :func:`aggregate`).

The web server's view of OUT (``--root``) may differ from where it was built; ``--counter`` is where
the counter listens. Nothing here writes a file: each action prints to stdout.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import shlex
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .. import headers, inherit, load, pipeline, validate
from .. import urls as U
from ..problems import Problems

COUNTER = "http://127.0.0.1:8081"
PER_SHARD = 10                       # communes per shard when --shards is not given
MAX_SHARDS = {"github": 256, "gitlab": 200}    # the CI systems' own limits on one matrix
ACME = "/var/www/letsencrypt"      # certbot's --webroot: outside OUT, which every build replaces
ZONE = "tinh_counter"                # nginx limit_req zone of the counter (not the single-site guide's name)
SAFE_PATH = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*$")
SAFE_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
SAFE_FOLDER = re.compile(r"^[\w./-]+$")
CHARSET_TYPES = ("text/css text/plain text/xml text/csv text/calendar text/yaml application/javascript "
                 "application/json application/xml application/atom+xml image/svg+xml")
GZIP_TYPES = "text/css text/plain text/csv application/javascript application/json application/xml image/svg+xml"


class Refused(Exception):
    """What cannot be generated, said in Vietnamese for the admin."""


@dataclass(frozen=True)
class Site:
    """One portal the web server serves: a commune's, or the aggregate."""
    key: str                     # OUT/<key>/
    name: str
    base_url: str
    host: str
    path: str                    # "/" or "/hamtan/"
    built: Path                  # OUT/<key> here (its server files are read from it)
    served: str                  # OUT/<key> as the web server sees it
    counter_url: str = ""
    monitoring: str = ""
    aggregate: bool = False

    @property
    def variable(self) -> str:
        """The nginx variable of its old addresses."""
        return "$portal_redirect_" + re.sub(r"[^a-z0-9]", "_", self.key)

    def file(self, name: str) -> Path | None:
        found = self.built / name
        return found if found.is_file() else None


@dataclass
class Plan:
    province: inherit.Province
    sites: list                  # Site, the communes as listed, then the aggregate
    warnings: list = field(default_factory=list)    # Vietnamese, for stderr

    def hosts(self) -> list:
        """(host, sites) in the order the hosts first appear; the portal at "/" first, then by path."""
        grouped: dict = {}
        for site in self.sites:
            grouped.setdefault(site.host, []).append(site)
        return [(host, sorted(group, key=lambda s: (s.path != "/", s.path))) for host, group in grouped.items()]


def read_province(root: Path) -> inherit.Province:
    problems = Problems()
    province = inherit.read(Path(root).resolve(), problems)
    if province is None:
        lines = [p.text("vi") for p in problems.sorted()] or ["không đọc được province.yaml"]
        raise Refused("\n".join(lines))
    return province


def plan(root: Path, out: Path, served: str | None = None) -> Plan:
    """Every portal of the province, where it is served and from which folder (read from the built OUT)."""
    from . import run
    province = read_province(root)
    out = Path(out).resolve()
    base = (served or str(out)).rstrip("/") or "/"
    _check_served(base)
    result = Plan(province, [])
    for commune in province.communes:
        problems = Problems()
        node = load.load_config_only(commune.root, problems, province.root)
        config = validate.config(node, problems) if node is not None else None
        if config is None:
            said = "\n".join("  " + p.text("vi") for p in problems.sorted())
            raise Refused(f"{commune.name} ({commune.folder}): không đọc được site.yaml\n{said}")
        result.sites.append(_site(commune.key, commune.name, config.base_url, out, base, config.counter_url,
                                  headers.monitoring_origin(config)))
    result.sites.append(_site(run.AGGREGATE, f"Trang tổng hợp của {province.name}", province.base_url, out, base,
                              aggregate=True))
    seen: dict = {}
    for site in result.sites:
        where = (site.host, site.path)
        if where in seen:
            raise Refused(f"{site.name} và {seen[where].name} cùng một địa chỉ {site.base_url}: "
                          "sửa base_url của một trong hai")
        seen[where] = site
        if not site.file(U.Urls.output_file("")):
            result.warnings.append(f"{site.name}: chưa có {site.built}/index.html (chưa xây dựng?) — cấu hình vẫn "
                                   "được tạo, nhưng thiếu chuyển hướng địa chỉ cũ và trình soạn thảo của cổng này; "
                                   "tạo lại sau khi xây dựng")
    return result


def _site(key, name, base_url, out: Path, served: str, counter_url="", monitoring="", aggregate=False) -> Site:
    parts = urlsplit(base_url)
    host, path = (parts.hostname or ""), (parts.path or "/")
    if not SAFE_HOST.match(host):
        raise Refused(f"{name}: tên miền `{host}` của {base_url} chỉ được có chữ thường không dấu, số, `.` và `-` "
                      "(tên miền tiếng Việt: viết ở dạng xn--...)")
    if not SAFE_PATH.match(path):
        raise Refused(f"{name}: đường dẫn `{path}` của {base_url} chỉ được có chữ không dấu, số, `.`, `_`, `-`, "
                      "và phải kết thúc bằng /")
    return Site(key, name, base_url, host, path, out / key, f"{served.rstrip('/')}/{key}", counter_url,
                monitoring, aggregate)


def _check_served(path: str) -> None:
    if not path.startswith("/") or re.search(r'[\s"$\\;{}]', path):
        raise Refused(f"--root `{path}`: cần một đường dẫn tuyệt đối không có khoảng trắng, dấu nháy, $, \\, ;, {{ }}")


# ------------------------------------------------------------------------------------------------ nginx

def nginx(plan_: Plan, counter: str = COUNTER) -> str:
    """The nginx configuration of every portal of the province (for the ``http { }`` block)."""
    maps = [(site, _redirect_map(site, plan_.warnings)) for site in plan_.sites if not site.aggregate]
    maps = [(site, found) for site, found in maps if found is not None]
    _shared_old_addresses(plan_, dict(maps))
    lines = [f"# Cấu hình nginx cho {plan_.province.name}: {len(plan_.sites) - 1} xã, phường và trang tổng hợp.",
             "# Tạo bằng: python build.py province nginx --site THƯ_MỤC_TỈNH --output OUT",
             "# Đặt tệp này trong khối http { } (Debian/Ubuntu: /etc/nginx/conf.d/),",
             "# rồi: nginx -t && systemctl reload nginx.",
             "# Tạo lại tệp sau mỗi lần xây dựng có thêm địa chỉ cũ (aliases:) hoặc thêm xã.",
             "types { text/csv csv; text/calendar ics; text/yaml yml; }",
             f"limit_req_zone $binary_remote_addr zone={ZONE}:10m rate=5r/s;"]
    if maps:
        bucket = max(found.bucket for _, found in maps)
        size = max(found.max_size for _, found in maps)
        lines += ["", "# Địa chỉ của các cổng cũ (aliases:), từ redirects.nginx.conf của từng xã. Không khai báo lại",
                  "# map_hash_bucket_size, map_hash_max_size ở chỗ khác trong http { } (hoặc đặt số lớn hơn).",
                  f"map_hash_bucket_size {bucket};", f"map_hash_max_size {size};"]
        for site, found in maps:
            lines += [f"# {site.name}", f"map $request_uri {site.variable} {{", '    default "";', *found.entries, "}"]
    redirected = [site for site, _ in maps]                 # in province.yaml's order
    for host, group in plan_.hosts():
        lines += ["", *_nginx_server(host, group, redirected, counter)]
    return "\n".join(lines) + "\n"


def _nginx_server(host: str, group: list, redirected: list, counter: str) -> list:
    lines = ["server {", "    listen 80;", "    listen [::]:80;                  # IPv6: NĐ 224/2026, Điều 11 khoản 4",
             f"    # HTTPS: bỏ dấu # ở bốn dòng sau, với chứng thư số của tên miền {host}",
             f"    # (certbot certonly --webroot -w {ACME} -d {host}, hoặc chứng thư do tỉnh cấp):",
             "    # listen 443 ssl;", "    # listen [::]:443 ssl;",
             f"    # ssl_certificate     /etc/letsencrypt/live/{host}/fullchain.pem;",
             f"    # ssl_certificate_key /etc/letsencrypt/live/{host}/privkey.pem;",
             f"    server_name {host};", "    charset utf-8;", f"    charset_types {CHARSET_TYPES};",
             "    gzip on;", f"    gzip_types {GZIP_TYPES};",
             f'    location ^~ /.well-known/acme-challenge/ {{ root "{ACME}"; }}   # certbot, ngoài thư mục cổng']
    for site in redirected:                 # each commune's own map; on a shared host the first listed wins
        if site in group:
            lines.append(f"    if ({site.variable}) {{ return 301 {site.variable}; }}")
    if any(not site.aggregate for site in group):
        lines += ["    location /api/ {                # bộ đếm lượt xem, chung cho mọi xã",
                  f"        limit_req zone={ZONE} burst=20 nodelay;", "        limit_req_status 429;",
                  "        client_max_body_size 8k;", f"        proxy_pass {counter.rstrip('/')};",
                  "        proxy_set_header Host $host;",
                  "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                  "        proxy_set_header X-Forwarded-Proto $scheme;",
                  "        proxy_connect_timeout 2s;", "        proxy_read_timeout 5s;", "        access_log off;",
                  "    }"]
    if group[0].path != "/":               # nothing at the host's root: lead to the one portal, else not found
        if len(group) == 1:
            lines.append(f"    location = / {{ return 302 {group[0].path}; }}")
        lines.append("    location / { return 404; }")
    for site in group:
        folder = "root" if site.path == "/" else "alias"
        target = site.served if site.path == "/" else site.served + "/"
        lines += [f"    # {site.name}: {site.base_url}", f"    location {site.path} {{",
                  f'        {folder} "{target}";',
                  "        index index.html;", f"        error_page 404 {site.path}404.html;",
                  textwrap.indent(headers.nginx(site.counter_url, site.monitoring), " " * 8).rstrip("\n"),
                  "        location ~ /feed\\.xml$ { types { } default_type application/atom+xml; }"]
        if site.file(U.nginx_editor()):
            lines.append(f'        include "{site.served}/{U.nginx_editor()}";')
        lines.append("    }")
        if site.path != "/":
            lines.append(f"    location = {site.path.rstrip('/')} {{ return 301 {site.path}; }}")
    return lines + ["}"]


@dataclass(frozen=True)
class RedirectMap:
    entries: list                # '    "uri" "target";' lines, as redirects.nginx_map wrote them
    bucket: int
    max_size: int

    @property
    def uris(self) -> dict:
        found = {}
        for line in self.entries:
            match = re.match(r'\s*"((?:[^"\\]|\\.)*)"\s+"((?:[^"\\]|\\.)*)";', line)
            if match:
                found[match.group(1)] = match.group(2)
        return found


def _redirect_map(site: Site, warnings: list) -> RedirectMap | None:
    """The entries and hash sizes of the commune's redirects.nginx.conf (the format redirects.nginx_map writes)."""
    path = site.file(U.nginx_redirects())
    if path is None:
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    bucket = re.search(r"(?m)^map_hash_bucket_size (\d+);$", text)
    size = re.search(r"(?m)^map_hash_max_size (\d+);$", text)
    body = re.search(r'(?ms)^map \$request_uri \$portal_redirect \{\n    default "";\n(.*?)^\}$', text)
    if not (bucket and size and body):
        warnings.append(f"{site.name}: {path} không đúng dạng do công cụ tạo ra (đã bị sửa tay?): "
                        "bỏ qua các địa chỉ cũ của xã này; xây dựng lại xã rồi tạo lại cấu hình")
        return None
    entries = [line for line in body.group(1).splitlines() if line.strip()]
    return RedirectMap(entries, int(bucket.group(1)), int(size.group(1)))


def _shared_old_addresses(plan_: Plan, maps: dict) -> None:
    """Communes on one host with the same old address: only the first listed gets it; say so."""
    for host, _ in plan_.hosts():
        taken: dict = {}
        for site in (site for site in plan_.sites if site.host == host):       # in province.yaml's order
            for uri in (maps[site].uris if site in maps else {}):
                if uri in taken:
                    plan_.warnings.append(f"{host}: địa chỉ cũ {uri} là của cả {taken[uri].name} và {site.name} "
                                          f"(cùng tên miền): chỉ chuyển về bài của {taken[uri].name}")
                else:
                    taken[uri] = site


# ----------------------------------------------------------------------------------------------- Apache

def apache(plan_: Plan, counter: str = COUNTER) -> str:
    """The Apache configuration of every portal of the province: one ``VirtualHost`` per host."""
    lines = [f"# Cấu hình Apache cho {plan_.province.name}: {len(plan_.sites) - 1} xã, phường và trang tổng hợp.",
             "# Tạo bằng: python build.py province apache --site THƯ_MỤC_TỈNH --output OUT",
             "# Debian/Ubuntu: lưu vào /etc/apache2/sites-available/tinh.conf, rồi: a2enmod headers rewrite alias",
             "# proxy proxy_http && a2ensite tinh && apachectl configtest && systemctl reload apache2.",
             "# IPv6 (NĐ 224/2026, Điều 11 khoản 4): <VirtualHost *:80> nhận cả IPv4 và IPv6, vì `Listen 80`",
             "# (ports.conf) mở cổng 80 trên mọi địa chỉ của máy, cả IPv6; không cần khối riêng cho [::]."]
    for host, group in plan_.hosts():
        body = _apache_body(host, group, counter)
        lines += ["", "<VirtualHost *:80>", *body, "</VirtualHost>",
                  f"# HTTPS cho {host}: bỏ dấu # ở khối sau (a2enmod ssl), với chứng thư số của tên miền này",
                  "# (certbot --apache -d TÊN_MIỀN tự tạo khối này; hoặc chứng thư do tỉnh cấp).",
                  "# <VirtualHost *:443>", "#   SSLEngine on",
                  f"#   SSLCertificateFile    /etc/letsencrypt/live/{host}/fullchain.pem",
                  f"#   SSLCertificateKeyFile /etc/letsencrypt/live/{host}/privkey.pem",
                  *(['#   RequestHeader set X-Forwarded-Proto "https"'] if any(not s.aggregate for s in group) else []),
                  *("#" + line[1:] for line in body), "# </VirtualHost>"]
    return "\n".join(lines) + "\n"


def _apache_body(host: str, group: list, counter: str) -> list:
    lines = [f"    ServerName {host}"]
    root = group[0] if group[0].path == "/" else None
    if root is not None:
        lines.append(f'    DocumentRoot "{root.served}"')
    elif len(group) == 1:
        lines.append(f'    RedirectMatch 302 "^/$" "{group[0].path}"')
    for site in group:                      # mod_alias: the first matching Redirect wins, before any Alias
        if site.path != "/":
            lines.append(f'    RedirectMatch 301 "^{re.escape(site.path.rstrip("/"))}$" "{site.path}"')
    if root is None:                        # nothing at the host's root: the rest is not found
        kept = "|".join(re.escape(site.path[1:]) for site in group)
        api = "|api/" if any(not site.aggregate for site in group) else ""
        lines.append(f'    RedirectMatch 404 "^/(?!({kept}{api}))"')
    lines += [f'    Alias "{site.path}" "{site.served}/"' for site in group if site.path != "/"]
    if any(not site.aggregate for site in group):
        target = counter.rstrip("/") + "/api/"
        lines += ["    # bộ đếm lượt xem, chung cho mọi xã", "    ProxyPreserveHost On",
                  f"    ProxyPass        /api/ {target} timeout=5", f"    ProxyPassReverse /api/ {target}",
                  "    <Location /api/>", "        LimitRequestBody 8192", "    </Location>"]
    for site in group:
        lines += [f"    # {site.name}: {site.base_url}", f'    <Directory "{site.served}">',
                  "        AllowOverride FileInfo", "        Options -Indexes +SymLinksIfOwnerMatch",
                  "        Require all granted"]
        if site.aggregate:                  # no .htaccess of its own: the same directives here
            given = headers.htaccess("", f"{site.path}404.html").decode("utf-8").splitlines()
            lines += ["        " + line for line in given if line and not line.startswith("#")]
        lines.append("    </Directory>")
    return lines


# ------------------------------------------------------------------------------------------ CI matrix

def shards(communes: list, count: int | None = None) -> list:
    """Communes dealt round-robin, in list order, into ``count`` shards (default: one per PER_SHARD)."""
    if not communes:
        return []
    wanted = math.ceil(len(communes) / PER_SHARD) if count is None else count
    wanted = max(1, min(wanted, len(communes)))
    return [list(communes[i::wanted]) for i in range(wanted)]


def _entries(group: list) -> str:
    """A shard's communes as the CI variable holds them: ``key=folder`` separated by spaces."""
    for commune in group:
        if not SAFE_FOLDER.match(commune.folder) or ".." in PurePosixPath(commune.folder).parts:
            raise Refused(f"thư mục `{commune.folder}` của {commune.name}: trong CI chỉ dùng được tên thư mục không có "
                          "khoảng trắng, dấu nháy hay ký hiệu (chữ, số, `.`, `_`, `-`, `/`), nằm trong thư mục tỉnh")
    return " ".join(f"{commune.key}={commune.folder}" for commune in group)


def _shell_build(site: str, out: str) -> str:
    """The shard's script: every commune of $COMMUNES with the single-site command; all built, then the verdict."""
    site_q, out_q = shlex.quote(site), shlex.quote(out)
    return (f"failed=0\nfor entry in $COMMUNES; do\n  key=\"${{entry%%=*}}\"; folder=\"${{entry#*=}}\"\n"
            f"  python build.py build --site {site_q}/\"$folder\" --province {site_q} --output {out_q}/\"$key\""
            " || failed=1\ndone\nexit $failed\n")


def _aggregate_command(site: str, out: str) -> str:
    return f"python build.py province aggregate --site {shlex.quote(site)} --output {shlex.quote(out)}"


def _check_count(ci: str, groups: list) -> None:
    if len(groups) > MAX_SHARDS[ci]:
        raise Refused(f"{len(groups)} nhóm: {ci} chỉ chạy tối đa {MAX_SHARDS[ci]} việc trong một ma trận; "
                      "giảm --shards")


def _block(text: str, indent: int) -> str:
    return textwrap.indent(text.rstrip("\n"), " " * indent)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)         # a JSON string is a YAML double-quoted scalar


def github(province: inherit.Province, site: str, out: str, count: int | None = None) -> str:
    groups = shards(list(province.communes), count)
    _check_count("github", groups)
    matrix = "\n".join(f"          - shard: {i}\n            communes: {_q(_entries(g))}"
                       for i, g in enumerate(groups, 1))
    setup = ("      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n"
             '          python-version: "3.12"\n      - name: Cài công cụ dựng trang\n'
             "        run: python -m pip install -q -r requirements.txt\n")
    return f"""# Dựng cổng của {len(province.communes)} xã, phường thuộc {province.name}
# theo {len(groups)} nhóm chạy song song, rồi trang tổng hợp của tỉnh. Tạo bằng:
#   python build.py province matrix --ci github --site {site} --output {out}
# Tạo lại tệp này khi thêm hoặc bớt xã trong province.yaml. Mỗi nhóm xây dựng các xã của mình bằng lệnh
# xây dựng một cổng (build.py build --site {site}/THƯ_MỤC --province {site}); việc cuối gom kết quả vào
# {out}/ và dựng trang tổng hợp. Việc cuối chỉ chạy khi mọi nhóm đều xong (một xã lỗi: không xuất bản
# gì, để cổng đang chạy của xã đó không bị xóa).
name: Xuất bản cổng thông tin của tỉnh

on:
  push:
  schedule:
    - cron: "0 * * * *"
  workflow_dispatch:

concurrency:
  group: xuat-ban-tinh
  cancel-in-progress: false

jobs:
  xa:
    name: Nhóm ${{{{ matrix.shard }}}}
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        include:
{matrix}
    steps:
{setup}      - name: Xây dựng các xã của nhóm
        env:
          COMMUNES: ${{{{ matrix.communes }}}}
        run: |
{_block(_shell_build(site, out), 10)}
      - uses: actions/upload-artifact@v4
        with:
          name: xa-${{{{ matrix.shard }}}}
          path: |
            {out}/
            !{out}/.*
          include-hidden-files: true
          if-no-files-found: error
          retention-days: 1

  tinh:
    name: Trang tổng hợp
    needs: xa
    runs-on: ubuntu-latest
    steps:
{setup}      - uses: actions/download-artifact@v4
        with:
          pattern: xa-*
          merge-multiple: true
          path: {out}/
      - name: Trang tổng hợp của tỉnh
        run: {_aggregate_command(site, out)}
      - uses: actions/upload-artifact@v4
        with:
          name: cong-tinh
          path: {out}/
          include-hidden-files: true
      # Xuất bản: thêm ở đây bước chép {out}/ lên máy chủ (rsync như trong docs/trien-khai.md).
"""


PICK = 'eval "COMMUNES=\\"\\${COMMUNES_$SHARD}\\""'          # this GitLab shard's communes, by its number


def gitlab(province: inherit.Province, site: str, out: str, count: int | None = None) -> str:
    groups = shards(list(province.communes), count)
    _check_count("gitlab", groups)
    # GitLab names each job after its matrix values and refuses names over 255 characters: the matrix holds
    # the shard's number only, and each shard's communes are a variable of their own (COMMUNES_<n>).
    shard_list = ", ".join(f'"{i}"' for i in range(1, len(groups) + 1))
    lists = "\n".join(f"    COMMUNES_{i}: {_q(_entries(g))}" for i, g in enumerate(groups, 1))
    return f"""# Dựng cổng của {len(province.communes)} xã, phường thuộc {province.name}
# theo {len(groups)} nhóm chạy song song (parallel:matrix), rồi trang tổng hợp của tỉnh. Tạo bằng:
#   python build.py province matrix --ci gitlab --site {site} --output {out}
# Tạo lại tệp này khi thêm hoặc bớt xã trong province.yaml. Việc `tinh` chỉ chạy khi mọi nhóm đều xong.

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "push"
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "web"

stages: [xa, tinh]

xa:
  stage: xa
  image: python:3.12-slim
  variables:
    PIP_DISABLE_PIP_VERSION_CHECK: "1"
{lists}
  parallel:
    matrix:
      - SHARD: [{shard_list}]
  script:
    - python -m pip install -q -r requirements.txt
    - {_q(PICK)}
    - |
{_block(_shell_build(site, out), 6)}
  artifacts:
    paths: [{_q(out + "/")}]
    exclude: [{_q(out + "/.*")}]
    expire_in: 1 day

tinh:
  stage: tinh
  image: python:3.12-slim
  needs: [xa]
  variables:
    PIP_DISABLE_PIP_VERSION_CHECK: "1"
  script:
    - python -m pip install -q -r requirements.txt
    - {_q(_aggregate_command(site, out))}
  artifacts:
    paths: [{_q(out + "/")}]
    expire_in: 1 week
  # Xuất bản: thêm một việc sau `tinh` chép {out}/ lên máy chủ (rsync như trong docs/trien-khai.md).
"""


# ------------------------------------------------------------------------------------------ aggregate

@dataclass
class Aggregated:
    problems: Problems
    missing: list = field(default_factory=list)      # Commune whose OUT/<key>/ is not built
    written: bool = False
    up_to_date: bool = False


def aggregate(root: Path, out: Path, options: pipeline.BuildOptions | None = None) -> Aggregated:
    """``OUT/tinh/`` and ``OUT/sites.json`` from the communes already built into ``OUT/<key>/`` (by CI shards),
    by run.py's own functions; refused while a commune's output is missing."""
    from . import run
    root, out = Path(root).resolve(), Path(out).resolve()
    result = Aggregated(Problems())
    province = inherit.read(root, result.problems)
    if province is None:
        return result
    ready = []
    for commune in run.present(province, result.problems):
        if not (out / commune.key / U.Urls.output_file("")).is_file():
            result.missing.append(commune)
        else:
            ready.append(commune)
    if result.problems.errors or result.missing:
        return result
    options = options or pipeline.BuildOptions()
    result.up_to_date = run.write_aggregate(root, province, ready, out, options)
    run.write_sites(out, province, ready)
    result.written = True
    return result


# ------------------------------------------------------------------------------------------------ CLI

HELP = {
    "description": "Cấu hình máy chủ web và CI cho mọi cổng của tỉnh (in ra màn hình).",
    "action": "nginx | apache: cấu hình máy chủ web; matrix: tệp CI chia nhóm; aggregate: chỉ dựng trang tổng hợp",
    "site": "thư mục có province.yaml",
    "output": "thư mục kết quả của `build.py province` (OUT)",
    "root": "nơi OUT nằm trên máy chủ web (mặc định: chính OUT)",
    "counter": f"địa chỉ bộ đếm lượt xem (mặc định {COUNTER})",
    "ci": "hệ thống CI của tệp matrix",
    "shards": f"số nhóm chạy song song (mặc định: một nhóm cho mỗi {PER_SHARD} xã)",
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python build.py province", description=HELP["description"])
    p.add_argument("action", choices=ACTIONS, help=HELP["action"])
    p.add_argument("--site", type=Path, required=True, metavar="THƯ_MỤC_TỈNH", help=HELP["site"])
    p.add_argument("--output", type=Path, required=True, metavar="OUT", help=HELP["output"])
    add_options(p)
    return p


ACTIONS = ("nginx", "apache", "matrix", "aggregate")


def add_options(p: argparse.ArgumentParser) -> None:
    """The options of the actions beside ``--site`` and ``--output`` (build.py's ``province`` takes them too)."""
    p.add_argument("--root", metavar="THƯ_MỤC", help=HELP["root"])
    p.add_argument("--counter", default=COUNTER, metavar="URL", help=HELP["counter"])
    p.add_argument("--ci", choices=("github", "gitlab"), help=HELP["ci"])
    p.add_argument("--shards", type=int, metavar="N", help=HELP["shards"])


def main(argv: list | None = None) -> int:
    """The command line (build.py can hand its arguments here: ``deploy.main(argv)``); 0, 1 (build errors)
    or 2 (refused)."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.action in ("nginx", "apache"):
            if not re.match(r"^https?://[A-Za-z0-9.\[\]:-]+/?$", args.counter):
                raise Refused(f"--counter `{args.counter}`: cần dạng http://127.0.0.1:8081")
            made = plan(args.site, args.output, args.root)
            text = (nginx if args.action == "nginx" else apache)(made, args.counter)
            for warning in made.warnings:
                print("Lưu ý: " + warning, file=sys.stderr)
            sys.stdout.write(text)
            return 0
        if args.action == "matrix":
            if args.ci is None:
                raise Refused("matrix cần --ci github hoặc --ci gitlab")
            if args.shards is not None and args.shards < 1:
                raise Refused("--shards phải từ 1 trở lên")
            province = read_province(args.site)
            make = github if args.ci == "github" else gitlab
            sys.stdout.write(make(province, _shown(args.site), _shown(args.output), args.shards))
            return 0
        return _run_aggregate(args)
    except Refused as err:
        print(f"Không tạo được: {err}", file=sys.stderr)
        return 2


def _shown(path: Path) -> str:
    """A path as the CI file writes it: as given, with / (relative to the repository's root)."""
    text = str(path).replace("\\", "/").rstrip("/")
    return text or "."


def _run_aggregate(args) -> int:
    result = aggregate(args.site, args.output)
    for problem in result.problems.sorted():
        print(problem.text("vi"), file=sys.stderr)
    for commune in result.missing:
        print(f"{commune.name} ({commune.folder}): chưa có {args.output}/{commune.key}/index.html — nhóm CI xây dựng "
              "xã này chưa xong hoặc bị lỗi; không dựng trang tổng hợp thiếu xã", file=sys.stderr)
    if not result.written:
        return 1
    state = "không thay đổi" if result.up_to_date else "được cập nhật"
    print(f"Trang tổng hợp {state}: {Path(args.output) / 'tinh'}, {Path(args.output) / 'sites.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
