"""The security policy of the pages, in one place: the ``<meta>`` every page carries, and the
headers the web server should send, as files the common servers read from the copied folder.

The pages load nothing from elsewhere and run no inline script, so the policy can be strict:
scripts, styles, images, fonts and media from the portal's own origin only (and the evaluator's
monitoring script, when site.yaml names one: its origin only); requests to the portal (search
index), to the view counter's origin and to the monitoring script's; no plugins, frames or ``<base>``. Style
*attributes* are allowed because post bodies keep table cell alignment (``style="text-align:
center"``, the only property the sanitiser lets through). What a ``<meta>`` cannot say
(``frame-ancestors``, ``nosniff``) goes in the headers.

- ``.htaccess`` is read by Apache (and the shared hosts that run it) from the copied folder;
- ``web.config`` by IIS;
- nginx reads neither: the ``add_header`` lines of :func:`nginx` go in its ``location`` block
  (the README shows them; the tests serve the portal with exactly these lines).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from . import redirects
from . import urls as U


def content_policy(counter_url: str, monitoring: str = "") -> str:
    """The Content-Security-Policy of every page: the counter's origin added to ``connect-src`` when it is
    elsewhere; ``monitoring``, the origin of the evaluator's monitoring script (site.yaml ``monitoring:``),
    to ``script-src`` and ``connect-src`` (the script reports to where it came from)."""
    counter = urlsplit(counter_url)
    connect = ["'self'"] + ([f"{counter.scheme}://{counter.netloc}"] if counter.scheme and counter.netloc else [])
    script = ["'self'"]
    if monitoring:
        script.append(monitoring)
        if monitoring not in connect:
            connect.append(monitoring)
    return (f"default-src 'self'; script-src {' '.join(script)}; style-src 'self'; "
            "img-src 'self'; font-src 'self'; media-src 'self'; "
            f"connect-src {' '.join(connect)}; object-src 'none'; frame-src 'none'; worker-src 'none'; "
            "base-uri 'none'; form-action 'self'")


def monitoring_origin(config) -> str:
    """The origin of site.yaml's monitoring script, or ""."""
    return config.monitoring.origin if config.monitoring is not None else ""


REFERRER = "strict-origin-when-cross-origin"


def response_headers(counter_url: str, monitoring: str = "") -> list[tuple[str, str]]:
    """What the web server sends with every file of the portal."""
    return [
        ("Content-Security-Policy", content_policy(counter_url, monitoring) + "; frame-ancestors 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Referrer-Policy", REFERRER),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]


def nginx(counter_url: str, monitoring: str = "") -> str:
    return "".join(f'add_header {name} "{value}" always;\n'
                   for name, value in response_headers(counter_url, monitoring))


def htaccess(counter_url: str, not_found: str, rules: list | None = None, monitoring: str = "") -> bytes:
    lines = ["# Written by the portal's build: Apache reads it from this folder when AllowOverride grants FileInfo.",
             f"ErrorDocument 404 {not_found}", "AddDefaultCharset utf-8", "AddType text/csv .csv", "AddType text/calendar .ics",
             "AddType text/yaml .yml",
             '<FilesMatch "^feed\\.xml$">', "  ForceType application/atom+xml", "</FilesMatch>",
             "<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{value}"' for name, value in response_headers(counter_url, monitoring)]
    lines += ["</IfModule>", *(rules or ()), ""]
    return "\n".join(lines).encode("utf-8")


def web_config(counter_url: str, not_found: str, locations: str = "", monitoring: str = "") -> bytes:
    headers = "".join(f'        <add name="{name}" value="{value.replace(chr(34), "&quot;")}" />\n'
                      for name, value in response_headers(counter_url, monitoring))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Written by the portal's build: IIS reads it from this folder. -->
<configuration>
  <system.webServer>
    <defaultDocument enabled="true"><files><clear /><add value="index.html" /></files></defaultDocument>
    <directoryBrowse enabled="false" />
    <httpErrors errorMode="Custom" existingResponse="Replace">
      <remove statusCode="404" />
      <error statusCode="404" path="{not_found}" responseMode="ExecuteURL" />
    </httpErrors>
    <staticContent>
      <remove fileExtension=".xml" /><mimeMap fileExtension=".xml" mimeType="application/xml; charset=utf-8" />
      <remove fileExtension=".json" /><mimeMap fileExtension=".json" mimeType="application/json; charset=utf-8" />
      <remove fileExtension=".csv" /><mimeMap fileExtension=".csv" mimeType="text/csv; charset=utf-8" />
      <remove fileExtension=".ics" /><mimeMap fileExtension=".ics" mimeType="text/calendar; charset=utf-8" />
      <remove fileExtension=".yml" /><mimeMap fileExtension=".yml" mimeType="text/yaml; charset=utf-8" />
      <remove fileExtension=".webp" /><mimeMap fileExtension=".webp" mimeType="image/webp" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
{headers}      </customHeaders>
    </httpProtocol>
  </system.webServer>
{locations}</configuration>
""".encode("utf-8")


def files(site) -> list[tuple[str, bytes]]:
    """``.htaccess`` and ``web.config`` for the copied folder (functions of the model, like the sitemap)."""
    not_found = urlsplit(site.urls.absolute(U.not_found())).path
    found = redirects.redirects(site)
    editor = site.config.editor
    locations = redirects.web_config(found) + (web_config_editor(editor) if editor is not None else "")
    monitoring = monitoring_origin(site.config)
    out = [(U.htaccess(), htaccess(site.config.counter_url, not_found, redirects.htaccess(found), monitoring)),
           (U.web_config(), web_config(site.config.counter_url, not_found, locations, monitoring))]
    if found:
        out.append((U.nginx_redirects(), redirects.nginx_map(found)))
    if editor is not None:
        out.append((U.admin() + ".htaccess", htaccess_editor(editor)))
        out.append((U.nginx_editor(), nginx_editor(editor, urlsplit(site.urls.absolute(U.admin())).path)))
    return out


# The web editor (/admin/, Decap CMS) is a program of its own: it compiles its form validators at run time
# ('unsafe-eval'), styles its widgets inline and talks to the Git server. Only its folder gets this policy.
GIT_HOSTS = {"gitlab": "https://gitlab.com", "github": "https://api.github.com https://github.com", "gitea": ""}


def editor_policy(editor) -> str:
    own = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in (editor.api_root, editor.base_url) if u}
    hosts = " ".join(sorted(own)) or GIT_HOSTS.get(editor.backend, "")
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob: https:; font-src 'self' data:; media-src 'self' blob:; "
            f"connect-src 'self' {hosts}".rstrip() + "; frame-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


def htaccess_editor(editor) -> bytes:
    return ("# Written by the portal's build: the web editor's own security policy (Apache applies it after the\n"
            "# portal's, from this folder).\n<IfModule mod_headers.c>\n"
            f'  Header always set Content-Security-Policy "{editor_policy(editor)}"\n</IfModule>\n').encode("utf-8")


def nginx_editor(editor, path: str) -> bytes:
    """A ``location`` for /admin/, to include inside the portal's own (it inherits its ``alias`` or ``root``;
    nginx passes no ``add_header`` down to a location that has its own, so all are repeated)."""
    lines = [f'    add_header {name} "{editor_policy(editor) if name == "Content-Security-Policy" else value}" always;'
             for name, value in response_headers("")]
    return (f"# Written by the portal's build: the web editor's headers. Include this file inside the portal's\n"
            f"# location block: include /path/to/public/{U.nginx_editor()};\n"
            f"location {path} {{\n" + "\n".join(lines) + "\n}\n").encode("utf-8")


def web_config_editor(editor) -> str:
    return f"""  <location path="{U.admin().rstrip('/')}">
    <system.webServer>
      <httpProtocol>
        <customHeaders>
          <remove name="Content-Security-Policy" />
          <add name="Content-Security-Policy" value="{editor_policy(editor)}" />
        </customHeaders>
      </httpProtocol>
    </system.webServer>
  </location>
"""
