"""The web editor on an editor's own PC: ``build.py serve`` answers Decap CMS's local-backend protocol.

Decap CMS, when its settings carry ``local_backend``, sends every read and save as a JSON ``POST``
(``{"action": ..., "params": {...}}``) to that address instead of a Git server: the protocol of
its ``decap-server`` package (``localFs`` middleware), answered here in Python so that an office PC
needs neither Node.js nor Git. The files land in the site folder, the preview's watcher sees them
and rebuilds, as for a save from a text editor.

The requests come from a browser, so they are untrusted like any upload:

- only ``POST`` with ``Content-Type: application/json`` from the preview's own origin (a page of
  another site open in the same browser can send neither without a CORS preflight, which this
  server never grants), at most ``MAX_REQUEST`` bytes;
- every path is relative, ``/``-separated and inside ``content/`` (or one of the kinds' data files,
  ``data/units.yaml``...), with no hidden, ``..`` or badly named segment, no symbolic link on the way,
  and no deeper than the build reads;
- entries are ``.md`` files within the build's size limit; media are the types ``content/`` may
  publish (inputs.PUBLISHED), checked by their first bytes, within the attachment limit;
- files are written whole (a temporary file, then a rename), so the build never reads half a save.

A refused request gets a 4xx answer with a short JSON reason, in Vietnamese (the CMS shows it).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

from . import inputs
from .kinds import data_files

API_PATH = "admin/api/v1"            # below the preview's root: the URL the served settings name
MAX_REQUEST = 48 << 20                # an upload travels in base64: about 36 MB of file
TOP = "content"
DATA_FILES = frozenset(f"data/{name}" for name in data_files())   # the data files the editor has a form for
IMAGE_TYPES = ("jpg", "jpeg", "png", "gif", "webp", "avif")
MEDIA_PREVIEW_BYTES = 4 << 20         # the media library gets the bytes of images up to this size


class Refused(Exception):
    """A request the backend will not carry out: (HTTP status, Vietnamese reason)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class LocalBackend:
    """A WSGI app for ``POST /admin/api/v1``; ``origin`` is the preview's (``http://127.0.0.1:8000``)."""

    def __init__(self, root: Path, origin: str):
        self.root, self.origin = root.resolve(), origin.rstrip("/")

    def __call__(self, environ, start_response):
        try:
            request = self.request(environ)
            answer = self.answer(request.get("action"), request.get("params") or {})
            status, body = 200, answer
        except Refused as refused:
            status, body = refused.status, {"error": refused.reason}
        except OSError as err:                       # a full disk, no permission: the CMS says it failed
            status, body = 500, {"error": f"Không ghi được tệp: {err.strerror or err}"}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        start_response(f"{status} {_REASONS.get(status, 'Error')}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
                        ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
        return [data]

    # ------------------------------------------------------------------ the request

    def request(self, environ) -> dict:
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused(405, "Chỉ nhận yêu cầu POST.")
        if (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower() != "application/json":
            raise Refused(415, "Yêu cầu phải là JSON (Content-Type: application/json).")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin.rstrip("/") != self.origin:
            raise Refused(403, f"Chỉ trình soạn thảo mở từ {self.origin} được ghi nội dung.")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise Refused(400, "Độ dài yêu cầu không hợp lệ.") from None
        if length <= 0:
            raise Refused(400, "Yêu cầu rỗng.")
        if length > MAX_REQUEST:
            raise Refused(413, f"Yêu cầu quá lớn (tối đa {MAX_REQUEST >> 20} MB): tải tệp lớn bằng cách chép "
                               "thẳng vào content/files/.")
        raw = environ["wsgi.input"].read(length)
        try:
            request = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise Refused(400, "Yêu cầu không phải JSON hợp lệ.") from None
        if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
            raise Refused(400, "Yêu cầu phải là một đối tượng JSON có action và params.")
        return request

    def answer(self, action, params: dict):
        handler = _ACTIONS.get(action) if isinstance(action, str) else None
        if handler is None:
            raise Refused(422, f"Không biết thao tác {str(action)[:40]!r}.")
        return handler(self, params)

    # ------------------------------------------------------------------ the actions

    def info(self, params: dict) -> dict:
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: dict) -> list:
        folder = self.path(params.get("folder"))
        extension = _text(params.get("extension"), "extension") or "md"
        depth = params.get("depth", 1)
        if not isinstance(depth, int) or isinstance(depth, bool):
            raise Refused(400, "depth phải là số nguyên.")
        paths = self.listing(folder, "." + extension.lstrip("."), max(1, min(depth, inputs.MAX_DEPTH)))
        return [self.entry(path) for path in paths]

    def entries_by_files(self, params: dict) -> list:
        files = params.get("files")
        if not isinstance(files, list) or len(files) > 10_000:
            raise Refused(400, "files phải là một danh sách.")
        out = []
        for item in files:
            if not isinstance(item, dict):
                raise Refused(400, "Mỗi mục của files phải có path.")
            entry = self.entry(self.path(item.get("path")))
            if isinstance(item.get("label"), str):
                entry["file"]["label"] = item["label"]
            out.append(entry)
        return out

    def get_entry(self, params: dict) -> dict:
        return self.entry(self.path(params.get("path")))

    def persist_entry(self, params: dict) -> dict:
        entry = params.get("entry")
        data_files = params.get("dataFiles") or ([entry] if isinstance(entry, dict) else None)
        assets = params.get("assets") or []
        if not isinstance(data_files, list) or not data_files or not isinstance(assets, list):
            raise Refused(400, "Thiếu nội dung bài (entry hoặc dataFiles).")
        writes = []                                   # everything checked before anything is written
        for item in data_files:
            if not isinstance(item, dict) or not isinstance(item.get("raw"), str):
                raise Refused(400, "Mỗi tệp phải có path và raw.")
            path = self.path(item.get("path"), entry=True)
            data = item["raw"].encode("utf-8")
            if len(data) > inputs.MAX_TEXT_BYTES:
                raise Refused(413, f"Bài quá dài (tối đa {inputs.MAX_TEXT_BYTES >> 20} MB).")
            moved = self.path(item["newPath"], entry=True) if item.get("newPath") else None
            if moved is not None and moved != path:
                self.check_new(moved)
            writes.append((path, data, moved))
        media = [self.media(asset) for asset in assets]
        for path, data in media:
            self.write(path, data)
        for path, data, moved in writes:
            self.write(path, data)
            if moved is not None and moved != path:
                os.replace(path, moved)
        return {"message": "entry persisted"}

    def get_media(self, params: dict) -> list:
        folder = self.path(params.get("mediaFolder"))
        return [self.media_file(path, preview=True) for path in self.listing(folder, "", 1)]

    def get_media_file(self, params: dict) -> dict:
        return self.media_file(self.path(params.get("path")))

    def persist_media(self, params: dict) -> dict:
        asset = params.get("asset")
        path, data = self.media(asset)
        self.write(path, data)
        return self.media_file(path)

    def delete_file(self, params: dict) -> dict:
        path = self.path(params.get("path"))
        self.delete(path)
        return {"message": f"deleted file {self.shown(path)}"}

    def delete_files(self, params: dict) -> dict:
        paths = params.get("paths")
        if not isinstance(paths, list) or len(paths) > 1000:
            raise Refused(400, "paths phải là một danh sách.")
        checked = [self.path(path) for path in paths]
        for path in checked:
            self.delete(path)
        return {"message": f"deleted files {', '.join(self.shown(p) for p in checked)}"}

    def deploy_preview(self, params: dict):
        return None

    # ------------------------------------------------------------------ files

    def path(self, value, entry: bool = False) -> Path:
        """A path the CMS names -> the file under content/ (Refused when it may not be touched)."""
        text = _text(value, "path")
        parts = text.split("/")
        if text in DATA_FILES:                         # data/units.yaml, data/leaders.yaml: their forms
            return self.checked(text, parts)
        if (not text or text.startswith("/") or "\\" in text or parts[0] != TOP or len(parts) < 2
                or len(parts) > inputs.MAX_DEPTH + 1 or len(text) > 1024):
            raise Refused(400, f"Đường dẫn `{text[:200]}` phải nằm trong {TOP}/.")
        for part in parts[1:]:
            if not part or part in (".", "..") or not inputs.visible(part) or not inputs.good_name(part):
                raise Refused(400, f"Đường dẫn `{text[:200]}` có phần `{part[:80]}` không được dùng "
                                   "(ẩn, rỗng, .. hoặc có ký tự điều khiển).")
        if entry and not text.endswith(".md"):
            raise Refused(400, f"Bài viết phải là tệp .md, không phải `{parts[-1][:80]}`.")
        return self.checked(text, parts)

    def checked(self, text: str, parts: list) -> Path:
        path = self.root.joinpath(*parts)
        current = self.root
        for part in parts:                            # nothing on the way may be a link or a special file
            current = current / part
            try:
                info = os.lstat(current)
            except FileNotFoundError:
                break
            if stat.S_ISLNK(info.st_mode):
                raise Refused(403, f"`{self.shown(current)}` là liên kết tượng trưng: trình soạn thảo không "
                                   "đọc hay ghi qua liên kết.")
            if current != path and not stat.S_ISDIR(info.st_mode):
                raise Refused(400, f"`{self.shown(current)}` không phải thư mục.")
        return path


    def check_new(self, path: Path) -> None:
        if path.exists():
            raise Refused(409, f"Đã có tệp `{self.shown(path)}`: đặt tiêu đề khác.")

    def listing(self, folder: Path, suffix: str, depth: int) -> list[Path]:
        """Regular files under ``folder`` ending in ``suffix``, ``depth`` levels down; links and hidden
        names skipped, as the build skips them."""
        found, pending = [], [(folder, 1)]
        while pending:
            current, level = pending.pop()
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for item in entries:
                if not inputs.visible(item.name) or not inputs.good_name(item.name):
                    continue
                if item.is_dir(follow_symlinks=False):
                    if level < depth:
                        pending.append((Path(item.path), level + 1))
                elif item.is_file(follow_symlinks=False) and item.name.endswith(suffix):
                    found.append(Path(item.path))
        return sorted(found)

    def entry(self, path: Path) -> dict:
        shown = self.shown(path)
        try:
            data = inputs.read(path)
        except OSError:
            return {"data": None, "file": {"path": shown, "id": None}}
        return {"data": data.decode("utf-8", "replace"), "file": {"path": shown, "id": hashlib.sha256(data).hexdigest()}}

    def media(self, asset) -> tuple[Path, bytes]:
        """An upload -> (its file, its bytes), refused unless the build would publish it."""
        if not isinstance(asset, dict) or not isinstance(asset.get("content"), str):
            raise Refused(400, "Tệp tải lên phải có path và content.")
        path = self.path(asset.get("path"))
        relative = path.name
        if not inputs.publishable(relative) or inputs.extension(relative) in inputs.TEXT_TYPES:
            allowed = ", ".join(sorted(set(inputs.PUBLISHED) - {"txt", "csv"}))
            raise Refused(415, f"Không đăng được tệp `{relative[:80]}`: chỉ nhận {allowed}. "
                               "Trang web, SVG hay tệp chạy được có thể chứa mã độc; hãy gửi dưới dạng PDF.")
        if asset.get("encoding", "base64") != "base64":
            raise Refused(400, "Tệp tải lên phải mã hóa base64.")
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refused(400, "Nội dung tệp không phải base64 hợp lệ.") from None
        if len(data) > inputs.MAX_FILE_BYTES:
            raise Refused(413, f"Tệp quá lớn (tối đa {inputs.MAX_FILE_BYTES >> 20} MB).")
        if not inputs.starts_like_its_type(data[:1024], relative):
            raise Refused(415, f"Tệp `{relative[:80]}` không đúng loại như phần mở rộng .{inputs.extension(relative)} "
                               "của nó: hãy lưu lại đúng định dạng rồi tải lên.")
        return path, data

    def media_file(self, path: Path, preview: bool = False) -> dict:
        try:
            data = inputs.read(path, inputs.MAX_FILE_BYTES)
        except OSError:
            raise Refused(404, f"Không có tệp `{self.shown(path)}`.") from None
        shown = self.shown(path)
        kept = not preview or (inputs.extension(path.name) in IMAGE_TYPES and len(data) <= MEDIA_PREVIEW_BYTES)
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode() if kept else "",
                "encoding": "base64", "path": shown, "name": path.name}

    def write(self, path: Path, data: bytes) -> None:
        """The whole file or nothing: a hidden temporary file beside it (the watcher and the build skip
        hidden names), then a rename."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path(self.shown(path))                   # the folders just made are ours, but check again
        handle, temporary = tempfile.mkstemp(prefix=".luu-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def delete(self, path: Path) -> None:
        if self.shown(path) in DATA_FILES:
            raise Refused(400, f"Không xóa `{self.shown(path)}` từ trình soạn thảo: xóa từng mục trong biểu mẫu.")
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        if not stat.S_ISREG(info.st_mode):
            raise Refused(400, f"`{self.shown(path)}` không phải tệp.")
        path.unlink()

    def shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(400, f"{name} phải là chuỗi.")
    return value


_ACTIONS = {
    "info": LocalBackend.info,
    "entriesByFolder": LocalBackend.entries_by_folder,
    "entriesByFiles": LocalBackend.entries_by_files,
    "getEntry": LocalBackend.get_entry,
    "persistEntry": LocalBackend.persist_entry,
    "getMedia": LocalBackend.get_media,
    "getMediaFile": LocalBackend.get_media_file,
    "persistMedia": LocalBackend.persist_media,
    "deleteFile": LocalBackend.delete_file,
    "deleteFiles": LocalBackend.delete_files,
    "getDeployPreview": LocalBackend.deploy_preview,
}

_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Entity",
            500: "Internal Server Error"}


def local_settings(config: bytes, url: str, host: str) -> bytes:
    """The generated ``admin/config.yml`` with this preview (``url``: its backend's address) named as the
    CMS's local backend."""
    hosts = "" if host in ("localhost", "127.0.0.1") else f"\n  allowed_hosts: [{json.dumps(host)}]"
    return config.rstrip(b"\n") + (f"\n# Thêm bởi build.py serve: lưu thẳng vào thư mục của cổng trên máy này.\n"
                                   f"local_backend:\n  url: {json.dumps(url)}"
                                   f"{hosts}\n").encode("utf-8")
