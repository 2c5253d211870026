"""What editors do to a portal, as random operations: the cache property test applies them.

Each operation takes the site folder, a ``random.Random`` and the session ``state`` (the
build's "now", the files a YAML error was put in) and returns a line saying what it did, or
None when it does not apply. Front matter is read with PyYAML's BaseLoader (every value a
string, as editors type them) and written back with safe_dump, as another editor's tool would.
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

TITLES = ["Hội nghị tổng kết công tác cải cách hành chính", "Thông báo lịch tiếp công dân tháng 12",
          "Kết quả kiểm tra an toàn thực phẩm", "Đẩy mạnh chuyển đổi số cấp xã", "Ủy ban nhân dân xã Đắk Săk",
          "Quyết định số 45/QĐ-UBND về phân công nhiệm vụ", "Ngày hội Đại đoàn kết toàn dân tộc",
          "Nâm N'Jang: kiểm tra công vụ", "Tuyển dụng viên chức năm 2026"]
TAGS = ["CCHC", "Kiểm tra", "Chuyển đổi số", "ISO 9001:2015", "An toàn thực phẩm", "Thẻ mới", "Đất đai"]
PARAGRAPHS = ["Ủy ban nhân dân đã ban hành kế hoạch thực hiện.", "Các đơn vị báo cáo kết quả trước ngày 31/12.",
              "| Đơn vị | Điểm |\n|---|---:|\n| Tân Xuân | 90 |", "- Một\n- Hai\n- Ba",
              "Xem thêm [trang chủ](/) và tệp đính kèm.", "## Mục mới\n\nNội dung mục mới.",
              # raw HTML, as imported pages have it: alignment, a table, links to a section and the home page
              '<p style="text-align:center">Căn gi&#7919;a</p>\n<table><tr><td align="right">1</td></tr></table>',
              '<h1>Phần một</h1>\n<p>Xem <a href="/thong-bao/">thông báo</a> và <a href="/">trang chủ</a>.</p>']
TEMPLATES = {
    # custom templates that show things from elsewhere: none of it may come out stale
    "partials/article_extras.html": "<aside class=\"thu\">Mới nhất: {% for p in site.posts[:3] %}{{ p.title }} "
                                    "({{ p.date | date }}); {% endfor %}Tổng: {{ site.posts | length }}</aside>\n",
    "partials/stats.html": "<p class=\"thu\">{% for s in site.sections %}{{ s.title }}: {{ s.posts | length }} bài"
                           "{% if s.posts %}, mới nhất {{ s.posts[0].title }}{% endif %}. {% endfor %}</p>\n",
    "partials/post_item.html": "<li><a href=\"{{ item.url }}\">{{ item.title }}</a>{% if item.newer %} · sau: "
                               "{{ item.newer.title }}{% endif %}{% if item.tags %} · {{ item.tags | map(attribute="
                               "'name') | join(', ') }}{% endif %}{% if item.record %} · {{ item.record.status_label }}"
                               "{% endif %}</li>\n",
    "partials/banners.html": "{% if post.record %}<p>Hồ sơ: {{ post.record.subject }} — {{ post.record.findings "
                             "| selectattr('state', 'equalto', 'overdue') | list | length }} quá hạn; "
                             "{% for u in site.records.units %}{{ u.name }} {{ u.overdue | length }} {% endfor %}</p>"
                             "{% endif %}\n",
}


# ------------------------------------------------------------------------ files

def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=yaml.BaseLoader) or {}, body


def join(front: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + body


def posts(site: Path, state: dict, kind: str = "posts") -> list[Path]:
    """The readable Markdown files (not those with a YAML error in them)."""
    pages = {p.parent.name for p in (site / "content").glob("*/*.md") if p.parent.name in _page_sections(site)}
    found = []
    for path in sorted((site / "content").glob("*/*.md")):
        if str(path) in state.setdefault("broken", {}):
            continue
        if (kind == "posts") == (path.parent.name not in pages):
            found.append(path)
    return found


def _page_sections(site: Path) -> set:
    config = yaml.load((site / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return {name for name, s in (config.get("sections") or {}).items() if (s or {}).get("kind") == "pages"}


def edit(path: Path, change) -> None:
    front, body = split(path.read_text(encoding="utf-8"))
    result = change(front, body)
    front, body = result if result is not None else (front, body)
    path.write_text(join(front, body), encoding="utf-8")


def _moment(text: str) -> dt.datetime:
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip()[:16], pattern)
        except ValueError:
            continue
    return dt.datetime(2024, 1, 1, 8)


# ------------------------------------------------------------------------ operations

def edit_body(site, rnd, state):
    path = rnd.choice(posts(site, state) + posts(site, state, "pages"))
    paragraph = rnd.choice(PARAGRAPHS)
    edit(path, lambda f, b: (f, b.rstrip() + "\n\n" + paragraph + "\n"))
    return f"body of {path.name} += {paragraph[:30]!r}"


def edit_title(site, rnd, state):
    path = rnd.choice(posts(site, state) + posts(site, state, "pages"))
    title = rnd.choice(TITLES) + rnd.choice(["", " (sửa đổi)", f" lần {rnd.randint(2, 9)}"])
    pin = rnd.random() < 0.6                   # with its address kept: only the text changes everywhere

    def change(front, body):
        if pin:
            from site_generator.text import slugify
            front.setdefault("slug", slugify(front.get("title", "")) or "bai")
        front["title"] = title
    edit(path, change)
    return f"title of {path.name} = {title!r}" + (" (slug kept)" if pin else "")


def edit_date(site, rnd, state):
    path = rnd.choice(posts(site, state))
    shift = rnd.choice([dt.timedelta(hours=3, minutes=45), dt.timedelta(days=-1), dt.timedelta(days=400),
                        dt.timedelta(days=-365), dt.timedelta(minutes=1), dt.timedelta(days=31)])

    def change(front, body):
        moment = _moment(front.get("date", "2024-01-01 08:00")) + shift
        front["date"] = moment.strftime("%Y-%m-%d %H:%M")
    edit(path, change)
    return f"date of {path.name} shifted by {shift}"


def edit_tags(site, rnd, state):
    path = rnd.choice(posts(site, state))

    def change(front, body):
        tags = list(front.get("tags") or [])
        if tags and rnd.random() < 0.4:
            tags.remove(rnd.choice(tags))
        else:
            tags.append(rnd.choice(TAGS))
        front["tags"] = tags
    edit(path, change)
    return f"tags of {path.name} changed"


def edit_attachments(site, rnd, state):
    path = rnd.choice(posts(site, state))
    files = sorted(p.name for p in (site / "content" / "files").glob("*") if p.is_file())
    if not files:
        return None

    def change(front, body):
        attachments = list(front.get("attachments") or [])
        roll = rnd.random()
        if attachments and roll < 0.4:
            attachments[0]["title"] = rnd.choice(TITLES)
        elif attachments and roll < 0.6:
            attachments.pop()
        else:
            attachments.append({"file": "/files/" + rnd.choice(files), "title": rnd.choice(TITLES)})
        front["attachments"] = attachments
    edit(path, change)
    return f"attachments of {path.name} changed"


def edit_inspection(site, rnd, state):
    candidates = [p for p in posts(site, state) if "inspection:" in p.read_text(encoding="utf-8")]
    if not candidates:
        return None
    path = rnd.choice(candidates)
    what = []

    def change(front, body):
        block = front["inspection"]
        findings = block.get("findings") or []
        roll = rnd.random()
        if findings and roll < 0.5:
            finding = rnd.choice(findings)
            key = rnd.choice(["remedy_by", "remedied", "rating", "issues"])
            finding[key] = {"remedy_by": (dt.date(2025, 7, 10) + dt.timedelta(days=rnd.randint(-400, 400))).isoformat(),
                            "remedied": rnd.choice(["true", "false"]), "rating": rnd.choice(["Đạt", "Chưa đạt", "Tốt"]),
                            "issues": ["Chưa niêm yết thủ tục hành chính"]}[key]
            if key == "remedied" and block.get("stage") != "follow-up":
                finding.pop("remedied")
            what.append(f"finding {key}")
        elif roll < 0.8:
            block["subject"] = rnd.choice(TITLES)
            what.append("subject")
        else:
            block["decision"] = f"Quyết định số {rnd.randint(1, 999)}/QĐ-UBND"
            what.append("decision")
    edit(path, change)
    return f"inspection of {path.name}: {', '.join(what)}"


def _data_list(file, key: str) -> tuple[list, bool]:
    """A data file's items, and whether it holds them under ``key:`` (the form the web editor writes)."""
    found = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) if file.exists() else []
    if isinstance(found, dict):
        return list(found.get(key) or []), True
    return list(found or []), False


def _write_data_list(file, key: str, items: list, mapping: bool) -> None:
    file.parent.mkdir(exist_ok=True)
    file.write_text(yaml.safe_dump({key: items} if mapping else items, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def edit_units(site, rnd, state):
    units_file = site / "data" / "units.yaml"
    units, mapping = _data_list(units_file, "units")
    if units and rnd.random() < 0.5:
        unit = rnd.choice(units)
        unit["kind"] = rnd.choice(["xã", "phường", "thị trấn", "phòng"])
        said = f"kind of unit {unit['name']}"
    else:
        name = rnd.choice(["Ea Tiêu", "Đắk Săk", "Nâm N'Jang", "Hòa Phú"])
        if any(u.get("name") == name for u in units):
            return None
        units.append({"name": name, "kind": "xã"})
        said = f"unit {name} added"
    if rnd.random() < 0.2:
        mapping = not mapping                      # the file rewritten in the other form (a bare list, units:)
        said += ", form changed"
    _write_data_list(units_file, "units", units, mapping)
    return said


def edit_site(site, rnd, state):
    config_file = site / "site.yaml"
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    roll = rnd.random()
    if roll < 0.3:
        config["per_page"] = str(rnd.randint(2, 12))
        said = f"per_page = {config['per_page']}"
    elif roll < 0.5:
        config["title"] = rnd.choice(["Cổng thông tin điện tử xã Đắk Săk", "Cổng thông tin điện tử phường Hòa Phú"])
        said = "site title"
    elif roll < 0.7:
        name = rnd.choice([n for n, s in config["sections"].items() if (s or {}).get("kind") != "pages"])
        config["sections"][name]["title"] = rnd.choice(["Tin tức", "Thông báo mới", "Hoạt động"])
        said = f"title of section {name}"
    elif roll < 0.85:
        config["home_per_section"] = str(rnd.randint(1, 6))
        said = f"home_per_section = {config['home_per_section']}"
    else:
        config.setdefault("menu", []).append({"title": "Văn bản", "url": "https://vanban.example.gov.vn/"})
        said = "menu link added"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return said


def override_template(site, rnd, state):
    name = rnd.choice(sorted(TEMPLATES))
    target = site / "templates" / name
    if target.exists() and rnd.random() < 0.5:
        target.unlink()
        return f"template {name} removed"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATES[name], encoding="utf-8")
    return f"template {name} overridden"


def add_post(site, rnd, state):
    sections = sorted({p.parent.name for p in posts(site, state)})
    if not sections:
        return None
    section = rnd.choice(sections)
    number = rnd.randint(1000, 9999)
    date = state["now"].replace(tzinfo=None) - dt.timedelta(days=rnd.randint(-3, 900), hours=rnd.randint(0, 23))
    front = {"title": rnd.choice(TITLES) + f" {number}", "date": date.strftime("%Y-%m-%d %H:%M"),
             "tags": rnd.sample(TAGS, rnd.randint(0, 2))}
    others = posts(site, state)
    body = rnd.choice(PARAGRAPHS) + "\n"
    if others and rnd.random() < 0.5:
        other = rnd.choice(others)
        body += f"\nXem [bài liên quan](../{other.parent.name}/{other.name}).\n"
    path = site / "content" / section / f"{date:%Y-%m-%d}-bai-moi-{number}.md"
    path.write_text(join(front, body), encoding="utf-8")
    return f"post {section}/{path.name} added"


def delete_post(site, rnd, state):
    path = rnd.choice(posts(site, state))
    path.unlink()
    return f"post {path.name} deleted"


def rename_post(site, rnd, state):
    path = rnd.choice(posts(site, state))
    target = path.with_name(f"doi-ten-{rnd.randint(100, 999)}-{path.name}")
    path.rename(target)
    return f"post {path.name} renamed {target.name}"


def publishing(site, rnd, state):
    path = rnd.choice(posts(site, state))
    roll = rnd.random()
    now = state["now"].replace(tzinfo=None)

    def change(front, body):
        if roll < 0.3:
            front["draft"] = "false" if front.get("draft") == "true" else "true"
        elif roll < 0.55:
            front["expires"] = (now + dt.timedelta(hours=rnd.choice([-30, 5, 50]))).strftime("%Y-%m-%d %H:%M")
        elif roll < 0.75:
            front["withdrawn"] = {"date": now.strftime("%Y-%m-%d"), "reason": "Được thay thế."}
        elif roll < 0.9:
            front["date"] = (now + dt.timedelta(hours=rnd.choice([2, 30, 200]))).strftime("%Y-%m-%d %H:%M")
        else:
            front["slug"] = f"duong-dan-co-dinh-{rnd.randint(1, 99)}"
    edit(path, change)
    return f"publishing of {path.name} changed ({roll:.2f})"


def advance_now(site, rnd, state):
    step = rnd.choice([dt.timedelta(hours=1), dt.timedelta(hours=20), dt.timedelta(days=3), dt.timedelta(days=40),
                       dt.timedelta(days=400)])
    state["now"] = state["now"] + step
    return f"now += {step}"


def break_yaml(site, rnd, state):
    candidates = posts(site, state)
    if not candidates:
        return None
    path = rnd.choice(candidates)
    text = path.read_text(encoding="utf-8")
    state["broken"][str(path)] = text
    path.write_text(text.replace("title:", "title: \"Chưa đóng ngoặc\n\ttitle:", 1), encoding="utf-8")
    return f"YAML error put in {path.name}"


def fix_yaml(site, rnd, state):
    broken = state.get("broken") or {}
    if not broken:
        return None
    name = rnd.choice(sorted(broken))
    Path(name).write_text(broken.pop(name), encoding="utf-8")
    return f"YAML error fixed in {Path(name).name}"


def edit_schedule(site, rnd, state):
    """A week's schedule: an item's time, content, change note or postponement; an item added; the week moved."""
    candidates = [p for p in posts(site, state) if "\nitems:" in p.read_text(encoding="utf-8")]
    if not candidates:
        return None
    path = rnd.choice(candidates)
    what = []

    def change(front, body):
        items = front.get("items") or []
        roll = rnd.random()
        if items and roll < 0.6:
            item = rnd.choice(items)
            key = rnd.choice(["time", "content", "changed", "cancelled", "day", "place"])
            item[key] = {"time": rnd.choice(["07:30", "14:00 - 16:30", "Sáng", "Chiều", "Cả ngày", "8h"]),
                         "content": rnd.choice(TITLES), "changed": rnd.choice(["Chuyển sang 15:00", "true", ""]),
                         "cancelled": rnd.choice(["true", "false"]), "place": rnd.choice(["Hội trường", "Phòng họp 2"]),
                         "day": rnd.choice(["Thứ Hai", "Thứ Ba", "Thứ Sáu", "CN"])}[key]
            what.append(f"item {key}")
        elif roll < 0.85:
            items.append({"day": rnd.choice(["Thứ Tư", "Thứ Năm"]), "time": "09:00", "content": rnd.choice(TITLES)})
            front["items"] = items
            what.append("item added")
        elif "week" in front:
            year, number = front["week"].split("-W")
            front["week"] = f"{year}-W{max(1, min(52, int(number) + rnd.choice([-2, -1, 1, 30])))}"
            what.append(f"week {front['week']}")
    edit(path, change)
    return f"schedule {path.name}: {', '.join(what)}"


def edit_leaders(site, rnd, state):
    """data/leaders.yaml: a position, a term, a biography, the order, a photo dropped; a leader added or removed."""
    leaders_file = site / "data" / "leaders.yaml"
    leaders, mapping = _data_list(leaders_file, "leaders")
    roll = rnd.random()
    if leaders and roll < 0.6:
        leader = rnd.choice(leaders)
        key = rnd.choice(["position", "term", "bio", "order", "photo"])
        if key == "photo":
            leader.pop("photo", None)
        else:
            leader[key] = {"position": rnd.choice(["Chủ tịch UBND", "Phó Chủ tịch UBND", "Ủy viên UBND"]),
                           "term": rnd.choice(["2021 - 2026", "2026 - 2031"]), "bio": rnd.choice(TITLES),
                           "order": str(rnd.randint(1, 5))}[key]
        said = f"leader {leader['name']}: {key}"
    elif leaders and roll < 0.75:
        said = f"leader {leaders.pop(rnd.randrange(len(leaders)))['name']} removed"
    else:
        name = rnd.choice(["Hoàng Văn Sáu", "Y Bảy Niê", "Đinh Thị Tám"])
        if any(l.get("name") == name for l in leaders):
            return None
        leaders.append({"name": name, "position": "Phó Chủ tịch UBND"})
        said = f"leader {name} added"
    _write_data_list(leaders_file, "leaders", leaders, mapping)
    return said


OLD_ADDRESSES = ["http://huyen-cu.gov.vn/Pages/tin-tuc.aspx?ItemID=18746", "/tin-tuc/2019/bai-cu.html",
                 "/thong-bao/cu/", "http://huyen-cu.gov.vn/Default.aspx?ItemID=7&CateID=0"]


def edit_aliases(site, rnd, state):
    """An old address added to a post or taken away (two posts may claim one: an error until one lets go)."""
    path = rnd.choice(posts(site, state) + posts(site, state, "pages"))
    address = rnd.choice(OLD_ADDRESSES)

    def change(front, body):
        aliases = list(front.get("aliases") or [])
        if address in aliases:
            aliases.remove(address)
        else:
            aliases.append(address)
        if aliases:
            front["aliases"] = aliases
        else:
            front.pop("aliases", None)
    edit(path, change)
    return f"aliases of {path.name} toggled {address!r}"


OPERATIONS = [edit_body, edit_title, edit_date, edit_tags, edit_attachments, edit_inspection, edit_units, edit_site,
              override_template, add_post, delete_post, rename_post, publishing, advance_now, break_yaml, fix_yaml,
              edit_schedule, edit_leaders, edit_aliases]


def apply(site: Path, operation, seed: int, state: dict) -> str | None:
    return operation(site, random.Random(seed), state)


# ------------------------------------------------------------------------ a generated corpus

def corpus(root: Path, count: int, seed: int = 1) -> Path:
    """A small portal of ``count`` posts with tags, attachments, links, units and inspection records."""
    rnd = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(
        'title: "Cổng thử thay đổi ngẫu nhiên"\nbase_url: "https://example.gov.vn/xa/"\nper_page: 5\n'
        'sections:\n  tin-tuc: {title: "Tin tức"}\n  thong-bao: {title: "Thông báo"}\n'
        '  ket-qua: {title: "Kết quả kiểm tra"}\n  trang: {title: "Giới thiệu", kind: pages}\n', encoding="utf-8")
    units = [{"name": n, "kind": "xã"} for n in ("Tân Xuân", "Tân Hà", "Sông Phan")]
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "units.yaml").write_text(yaml.safe_dump(units, allow_unicode=True), encoding="utf-8")
    files = root / "content" / "files"
    files.mkdir(parents=True, exist_ok=True)
    for name in ("ket-luan.pdf", "bang-diem.xlsx"):
        (files / name).write_bytes(b"%PDF-1.4\n%%EOF\n" if name.endswith(".pdf") else b"PK\x03\x04 bang diem")
    sections = ["tin-tuc", "thong-bao", "ket-qua"]
    names = []
    for i in range(count):
        section = sections[i % 3]
        date = dt.datetime(2023, 1, 1, 8) + dt.timedelta(days=i * 9, hours=i % 5)
        names.append(f"{section}/{date:%Y-%m-%d}-bai-{i:03d}.md")
    for i, name in enumerate(names):
        section = name.split("/")[0]
        date = dt.datetime(2023, 1, 1, 8) + dt.timedelta(days=i * 9, hours=i % 5)
        front = {"title": f"{rnd.choice(TITLES)} số {i}", "date": date.strftime("%Y-%m-%d %H:%M"),
                 "tags": rnd.sample(TAGS, rnd.randint(0, 3))}
        if i % 4 == 0:
            front["attachments"] = [{"file": "/files/ket-luan.pdf", "title": f"Kết luận số {i}/KL-UBND"}]
        if section == "thong-bao" and i % 2 == 1:
            front["inspection"] = {"id": f"kt-{i}", "stage": "notice", "subject": rnd.choice(TITLES),
                                   "units": ["Tân Xuân", "Tân Hà"],
                                   "period": {"start": date.strftime("%Y-%m-%d"),
                                              "end": (date + dt.timedelta(days=5)).strftime("%Y-%m-%d")}}
        if section == "ket-qua" and i % 2 == 0:           # the result of the notice just before it
            front["inspection"] = {"id": f"kt-{i - 1}", "stage": "result", "conclusion": f"Kết luận số {i}",
                                   "signed": date.strftime("%Y-%m-%d"),
                                   "findings": [{"unit": "Tân Xuân", "rating": "Đạt", "issues": ["Chưa cập nhật hồ sơ"],
                                                 "remedy_by": (date + dt.timedelta(days=60)).strftime("%Y-%m-%d")}]}
        body = f"Đoạn đầu của bài {i}.\n\n## Mục {i}\n\n{rnd.choice(PARAGRAPHS)}\n"
        if i + 1 < len(names):
            body += f"\nXem [bài sau](../{names[i + 1]}).\n"
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(join(front, body), encoding="utf-8")
    (root / "content" / "trang").mkdir(exist_ok=True)
    (root / "content" / "trang" / "gioi-thieu.md").write_text(
        join({"title": "Giới thiệu"}, "Giới thiệu về xã.\n"), encoding="utf-8")
    return root


PROVINCE_YAML = """code: 68
title: "Cổng thông tin điện tử tỉnh Lâm Đồng"
base_url: "https://lamdong.example.gov.vn/tong-hop/"
domain: "lamdong.example.gov.vn"
site:
  per_page: 5
  menu:
    - {title: "Dịch vụ công", url: "https://dichvucong.gov.vn/"}
communes:
  - {folder: xa-tan-minh, code: 23230}
"""


def province_commune(root: Path, count: int) -> Path:
    """A province folder with one commune, a corpus whose title, address and per_page come from the province."""
    (root / "tinh").mkdir(parents=True, exist_ok=True)
    (root / "tinh" / "province.yaml").write_text(PROVINCE_YAML, encoding="utf-8")
    site = corpus(root / "tinh" / "xa-tan-minh", count)
    config = yaml.load((site / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    for key in ("title", "base_url", "per_page"):
        config.pop(key, None)
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return site


def edit_province(site, rnd, state):
    """What the province changes for every commune: a shared setting, its own template, its static files."""
    province = site.parent
    config_file = province / "province.yaml"
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    roll = rnd.random()
    if roll < 0.25:
        config["site"]["per_page"] = str(rnd.randint(2, 9))
        said = f"province per_page = {config['site']['per_page']}"
    elif roll < 0.4:
        config["title"] = rnd.choice(["Cổng thông tin điện tử tỉnh Lâm Đồng", "Cổng Lâm Đồng"])
        said = "province title (the link on every page)"
    elif roll < 0.55:
        config["domain"] = rnd.choice(["lamdong.example.gov.vn", "ld.example.gov.vn"])
        said = f"province domain {config['domain']} (the commune's address)"
    elif roll < 0.7:
        config["site"].setdefault("menu", []).append({"title": "Tỉnh", "url": "https://lamdong.example.gov.vn/"})
        said = "province menu link added"
    elif roll < 0.85:
        name = rnd.choice(sorted(TEMPLATES))
        target = province / "templates" / name
        if target.exists():
            target.unlink()
            return f"province template {name} removed"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATES[name].replace('class="thu"', 'class="tinh"'), encoding="utf-8")
        return f"province template {name} overridden"
    else:
        target = province / "static" / "css" / "tinh.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"body {{ margin: {rnd.randint(0, 9)}px; }}\n", encoding="utf-8")
        return "province static file written"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return said


def copy_site(source: Path, target: Path) -> Path:
    """A copy of the site at ``source`` (site.yaml, content, data, templates, static)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "data", "templates", "static"):
        item = source / name
        if item.is_dir():
            shutil.copytree(item, target / name)
        elif item.is_file():
            shutil.copy2(item, target / name)
    return target


# ------------------------------------------------------------------------ the property

def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Builds:
    """A cached build into one output folder, kept across steps (by two processes and by one, in turn), against a
    clean build of the same inputs."""

    def __init__(self, site: Path, scratch: Path, now: dt.datetime):
        self.site, self.scratch = site, scratch
        self.out = scratch / "public"
        self.state = {"now": now, "broken": {}}
        self.last_good: dict | None = None
        self.checks = 0

    def check(self) -> str | None:
        """None when the cached build equals the clean one (or both fail alike, the output untouched)."""
        from site_generator import pipeline

        now = self.state["now"]
        self.checks += 1                    # cached builds take turns: two processes (forked helpers), then one
        cached = pipeline.build(self.site, self.out, pipeline.BuildOptions(jobs=2 if self.checks % 2 else 1), now)
        clean_out = self.scratch / "clean"
        shutil.rmtree(clean_out, ignore_errors=True)
        clean = pipeline.build(self.site, clean_out, pipeline.BuildOptions(cache=False, jobs=1), now)
        said = [p.text() for p in cached.problems.sorted()]
        if said != [p.text() for p in clean.problems.sorted()]:
            return f"problems differ:\ncached: {said}\nclean: {[p.text() for p in clean.problems.sorted()]}"
        if cached.failed:
            if self.last_good is not None and tree(self.out) != self.last_good:
                return "a failed build changed the output"
            return None
        got, want = tree(self.out), tree(clean_out)
        if got != want:
            differ = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            return f"{len(differ)} files differ from a clean build: {differ[:12]}"
        self.last_good = got
        return None
