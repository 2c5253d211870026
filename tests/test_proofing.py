"""Mistake-proofing for office staff: what an editor who is not a programmer gets wrong, and what the
build says about it (issue 16). Each case is a real site under tmp_path, built or checked by the CLI,
or (for the YAML reader's wording) both of PyYAML's parsers on a list of broken front matters."""
from __future__ import annotations

import pytest
import yaml

from conftest import copy_sample, minimal_site, problem_lines, run, soup, write

from site_generator import load
from site_generator.problems import Problems

NOW = "2026-11-27 12:00"


def post(title: str = "Hội nghị giao ban", date: str = "2026-11-20 08:00", body: str = "Nội dung bài.\n",
         extra: str = "") -> str:
    return f'---\ntitle: "{title}"\ndate: {date}\n{extra}---\n\n{body}'


# ----------------------------------------------------------------------------- YAML: both parsers

PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])

# (front matter, the code, words the Vietnamese message must hold, line in the file (front matter from line 2))
BROKEN_YAML = [
    ('title: Kế hoạch: năm 2025\n', "yaml-syntax", "có dấu `:` ở chỗ không được", 2),
    ('title: “Kế hoạch: năm 2025”\n', "yaml-curly-quotes", "ngoặc kép cong", 2),
    ('title: "Họp"\n\tdate: 2025-01-01\n', "yaml-tab", "ký tự Tab", 3),
    ('tags:\n\t- CCHC\n', "yaml-tab", "ký tự Tab", 3),
    ('title: "Kế hoạch\ndate: 2025-01-01\n', "yaml-syntax", "ngoặc kép được mở mà không đóng", 4),
    ('tags: [CCHC, ISO\n', "yaml-syntax", "thiếu dấu `]`", 3),
    ('inspection: {id: a\n', "yaml-syntax", "thiếu dấu `}`", 3),
    ('title: a\ndate\nslug: b\n', "yaml-syntax", "thiếu dấu `:`", 4),
    ('title: *ngoi-sao\n', "yaml-syntax", "bắt đầu bằng `*`", 2),
    ('title: "C:\\Tai lieu"\n', "yaml-syntax", "dấu `\\`", 2),
    ('inspection:\n  id: a\n stage: notice\n', "yaml-syntax", "thụt lề không đúng", 4),
    ('title: "Họp" giao ban\n', "yaml-syntax", "chữ thừa sau dấu ngoặc kép đóng", 2),
    ('title: &\n', "yaml-syntax", "bắt đầu bằng `&`", 2),
    ('title: @UBND\n', "yaml-syntax", "ký tự “@”", 2),
    ('title: %20\n', "yaml-syntax", "ký tự “%”", 2),
    ('title: "a\x07"\n', "yaml-syntax", "ký tự điều khiển", 2),
]


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("text,code,words,line", BROKEN_YAML)
def test_yaml_errors_are_vietnamese_with_either_parser(monkeypatch, loader, text, code, words, line):
    monkeypatch.setattr(load, "_Loader", loader)
    problems = Problems()
    assert load.parse_yaml(text, "content/tin-tuc/a.md", 2, problems) is None
    [found] = problems.sorted()
    assert (found.code, found.line) == (code, line), found
    said = found.text("vi")
    assert words in said, said
    what = said.split(" — ")[0]
    assert "mapping values" not in what and "found" not in what and "expected" not in what   # no English left
    assert " — " in found.text("en") and words not in found.text("en")                        # English has its own


@pytest.mark.parametrize("loader", PARSERS, ids=lambda c: c.__name__)
def test_an_unknown_yaml_message_keeps_its_english_behind_a_vietnamese_lead_in(monkeypatch, loader):
    problems = Problems()
    load._syntax(problems, "content/a.md", "title: x\n", 2, 0, 3, "something PyYAML says one day")
    [found] = problems.sorted()
    assert found.code == "yaml-syntax-other"
    assert found.text("vi").startswith("content/a.md:2: lỗi cú pháp YAML ở cột 4 (bộ đọc YAML báo bằng tiếng Anh: "
                                       "“something PyYAML says one day”)")


def test_curly_quotes_in_a_value_and_in_a_syntax_error(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "a.md",
          "---\ntitle: “Kế hoạch kiểm tra”\ndate: 2026-11-20 08:00\ntags: [‘CCHC’, \"“Ngoặc” có chủ ý\"]\n---\n\nBài.\n")
    write(site / "content" / "tin-tuc" / "b.md", '---\ntitle: "Thông báo"\ndate: 2026-11-20 08:00\n---\n\nBài.\n')
    checked = run("check", "--site", str(site), "--now", NOW)
    assert checked.returncode == 0, checked.stderr
    lines = problem_lines(checked.stderr)
    assert [line.split(": ")[0] for line in lines] == ["content/tin-tuc/a.md:2", "content/tin-tuc/a.md:4"]
    assert "cảnh báo: `title` nằm trong ngoặc kép cong" in lines[0]
    assert '`title: "Kế hoạch kiểm tra"`' in lines[0]
    assert "`tags` nằm trong ngoặc kép cong" in lines[1]       # the straight-quoted “Ngoặc” is meant
    assert run("check", "--site", str(site), "--now", NOW, "--strict").returncode == 1

    write(site / "content" / "tin-tuc" / "b.md", '---\ntitle: “Thông báo: lịch họp”\ndate: 2026-11-20 08:00\n---\n\nBài.\n')
    broken = run("check", "--site", str(site), "--now", NOW)
    assert broken.returncode == 1
    [error] = [line for line in problem_lines(broken.stderr) if "b.md" in line]
    assert error.startswith("content/tin-tuc/b.md:2: lỗi cú pháp YAML ở cột ")
    assert "ngoặc kép cong" in error and "gõ lại bằng phím `\"`" in error


# ----------------------------------------------------------------------------- new: a draft, placeholders

DOCS_AND_WEEKS = minimal_site.__defaults__[0] + """  van-ban: {title: "Văn bản", kind: documents}
  lich-cong-tac: {title: "Lịch công tác", kind: schedule}
"""


def fill_document(site, path, draft: bool = True) -> str:
    text = (path.read_text(encoding="utf-8").replace('issuer: ""', 'issuer: "UBND xã"')
            .replace('number: "/KH-UBND"', 'number: "45/KH-UBND"').replace("/files/van-ban/ten-tep.pdf", "/files/kh.pdf"))
    if not draft:
        text = text.replace("draft: true", "draft: false")
    path.write_text(text, encoding="utf-8")
    (site / "content" / "files").mkdir(exist_ok=True)
    (site / "content" / "files" / "kh.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return text


@pytest.mark.parametrize("section", ["tin-tuc", "trang", "van-ban", "lich-cong-tac"])
def test_new_writes_a_draft_and_says_how_to_publish_it(tmp_path, section):
    site = minimal_site(tmp_path / "site", DOCS_AND_WEEKS)
    created = run("new", section, "Kế hoạch tuyên truyền", "--site", str(site))
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Đã tạo content/")
    assert "bản nháp (`draft: true`)" in created.stdout and "`draft: false`" in created.stdout
    [path] = (site / "content" / section).glob("*.md")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front["draft"] is True
    if section == "van-ban":       # its starter's blanks (issuer, the file) are errors even in a draft: fill them
        fill_document(site, path)
    built = run("--site", str(site))
    assert built.returncode == 0, built.stderr
    assert "1 bản nháp" in built.stdout                        # left out, and said so
    assert not [p for p in (site / "public").rglob("index.html") if "ke-hoach-tuyen-truyen" in p.as_posix()
                or "/" + section + "/2" in p.as_posix()]


def test_a_starters_placeholder_is_a_warning_once_published(tmp_path):
    site = minimal_site(tmp_path / "site", DOCS_AND_WEEKS)
    assert run("new", "tin-tuc", "Đại hội Đoàn", "--site", str(site)).returncode == 0
    assert run("new", "van-ban", "Kế hoạch kiểm tra", "--site", str(site)).returncode == 0
    [news] = (site / "content" / "tin-tuc").glob("*.md")
    [document] = (site / "content" / "van-ban").glob("*.md")
    fill_document(site, document)
    as_draft = run("check", "--site", str(site))
    assert not [line for line in problem_lines(as_draft.stderr) if "câu mẫu" in line]   # a draft may hold it
    text = news.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    news.write_text(text, encoding="utf-8")
    checked = run("check", "--site", str(site))
    assert checked.returncode == 0, checked.stderr
    [warning] = [line for line in problem_lines(checked.stderr) if "câu mẫu" in line]
    line = text.split("\n").index("Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống.") + 1
    assert warning.startswith(f"{news.relative_to(site).as_posix()}:{line}: cảnh báo: bài còn câu mẫu “Viết nội dung")
    assert "viết nội dung thật" in warning
    news.write_text(text.replace("Viết nội dung bài ở đây. Mỗi đoạn cách nhau một dòng trống.",
                                 "Sáng 20/11, Đoàn xã tổ chức đại hội."), encoding="utf-8")
    fixed = run("check", "--site", str(site))
    assert not [line for line in problem_lines(fixed.stderr) if "câu mẫu" in line]
    fill_document(site, document, draft=False)                  # the văn bản's starter has its own sentence
    published = run("check", "--site", str(site))
    [warning] = [line for line in problem_lines(published.stderr) if "câu mẫu" in line]
    assert warning.startswith(f"{document.relative_to(site).as_posix()}:")
    assert "“Tóm tắt nội dung chính của văn bản (không bắt buộc).”" in warning


# ----------------------------------------------------------------------------- posts that vanish without a word

def test_a_date_years_ahead_is_a_warning_and_left_out_posts_are_counted(tmp_path):
    site = minimal_site(tmp_path / "site")
    news = site / "content" / "tin-tuc"
    write(news / "a.md", post("Bài đã đăng"))
    write(news / "typo.md", post("Gõ nhầm năm", date="2052-11-20 08:00"))
    write(news / "soon.md", post("Tuần sau", date="2026-12-03 08:00"))
    write(news / "draft1.md", post("Nháp một", extra="draft: true\n"))
    write(news / "draft2.md", post("Nháp hai", extra="draft: true\n"))
    built = run("--site", str(site), "--now", NOW, "--strict")
    assert built.returncode == 1                      # the 2052 warning fails --strict...
    [warning] = problem_lines(built.stderr)
    assert warning.startswith("content/tin-tuc/typo.md:3: cảnh báo: ngày đăng `date` là 20/11/2052, còn hơn một năm")
    assert "năm nay là 2026" in warning
    write(news / "typo.md", post("Gõ nhầm năm", date="2025-11-20 08:00"))
    built = run("--site", str(site), "--now", NOW, "--strict")
    assert built.returncode == 0, built.stderr        # ...ordinary drafts and scheduled posts never do
    assert not problem_lines(built.stderr)
    summary = built.stdout.strip().splitlines()[-1]
    assert summary == ("2 bản nháp và 1 bài hẹn giờ không được đăng; xem: python build.py list drafts, "
                       "python build.py list scheduled")
    again = run("--site", str(site), "--now", NOW, "--strict")     # nothing changed: said again
    assert "Không có gì thay đổi" in again.stdout and again.stdout.strip().splitlines()[-1] == summary
    assert "bản nháp" not in run("--site", str(site), "--now", NOW, "--drafts", "--future").stdout
    english = run("check", "--site", str(site), "--now", NOW, "--lang", "en")
    assert english.stdout.strip().splitlines()[-1].startswith("2 drafts and 1 scheduled posts not published")


# ----------------------------------------------------------------------------- build.py list

def listed(site, what: str, now: str = NOW) -> list[list[str]]:
    result = run("list", what, "--site", str(site), "--now", now)
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_list_drafts_scheduled_expired_and_next(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "data" / "units.yaml", "- name: Tân Xuân\n")
    news = site / "content" / "tin-tuc"
    write(news / "a.md", post("Bài đã đăng"))
    write(news / "nhap.md", post("Bản nháp  một", extra="draft: true\n"))
    write(news / "hen.md", post("Lịch tiếp dân", date="2026-12-03 08:00"))
    write(news / "hen-xa.md", post("Hẹn xa", date="2027-01-10 08:00"))
    write(news / "cu.md", post("Tuyển dụng", date="2026-01-05 08:00", extra="expires: 2026-02-01\n"))
    write(news / "sap-het.md", post("Sắp hết hạn", extra="expires: 2026-11-29 17:00\n"))
    write(news / "tb.md", post("Thông báo kiểm tra", extra="inspection: {id: k1, stage: notice, units: [Tân Xuân]}\n"))
    write(news / "kq.md", post("Kết luận kiểm tra", extra=(
        "inspection:\n  id: k1\n  stage: result\n  signed: 2026-11-19\n  findings:\n"
        "    - {unit: Tân Xuân, issues: [\"Chưa niêm yết\"], remedy_by: 2026-11-28}\n")))

    assert listed(site, "drafts") == [["content/tin-tuc/nhap.md", "Bản nháp một", "20/11/2026 08:00"]]
    assert listed(site, "scheduled") == [["content/tin-tuc/hen.md", "Lịch tiếp dân", "03/12/2026 08:00"],
                                         ["content/tin-tuc/hen-xa.md", "Hẹn xa", "10/01/2027 08:00"]]
    assert listed(site, "expired") == [["content/tin-tuc/cu.md", "Tuyển dụng", "01/02/2026 00:00"]]
    # the next change: the finding due on 28/11 is overdue from 29/11 00:00, before the expiry at 17:00
    assert listed(site, "next") == [["content/tin-tuc/kq.md", "Kết luận kiểm tra", "29/11/2026 00:00",
                                     "kết luận quá hạn khắc phục"]]
    assert listed(site, "next", "2026-11-29 09:00") == [["content/tin-tuc/sap-het.md", "Sắp hết hạn",
                                                        "29/11/2026 17:00", "bài hết hạn, rời danh sách"]]
    assert listed(site, "next", "2026-11-30 09:00") == [["content/tin-tuc/hen.md", "Lịch tiếp dân",
                                                        "03/12/2026 08:00", "bài hẹn giờ được đăng"]]
    write(news / "kp.md", post("Khắc phục", extra=(
        "inspection:\n  id: k1\n  stage: follow-up\n  findings:\n    - {unit: Tân Xuân, remedied: true}\n")))
    assert listed(site, "next")[0][0] == "content/tin-tuc/sap-het.md"      # remedied: never overdue
    empty = run("list", "next", "--site", str(site), "--now", "2030-01-01 00:00")
    assert empty.returncode == 0 and empty.stdout == "" and "Không có gì hẹn giờ" in empty.stderr
    assert run("list", "nothing", "--site", str(site)).returncode == 2
    assert run("list", "drafts", "--site", str(tmp_path / "none")).returncode == 1


# ----------------------------------------------------------------------------- files that are surely mistakes

DOCX = b"PK\x03\x04" + bytes(40)


def test_a_hidden_txt_extension_is_an_error_and_a_loose_word_file_a_warning(tmp_path):
    site = minimal_site(tmp_path / "site")
    news = site / "content" / "tin-tuc"
    write(news / "bai moi.md.txt", post("Bài tưởng là .md"))
    write(news / "a.md", post(body="Tải [mẫu đơn](mau-don.docx) và [hướng dẫn](/tin-tuc/huong-dan.odt).\n"))
    write(news / "b.md", post("Bài có tệp", extra="attachments:\n  - file: ke-hoach-dinh-kem.doc\n"))
    for name in ("mau-don.docx", "huong-dan.odt", "ke-hoach-dinh-kem.doc", "bao-cao.docx"):
        (news / name).write_bytes(DOCX if name.endswith(("x", "t")) else b"\xd0\xcf\x11\xe0" + bytes(40))
    (site / "content" / "files").mkdir()
    (site / "content" / "files" / "quy-che.docx").write_bytes(DOCX)
    (site / "content" / "tin-tuc" / "ghi-chu.txt").write_text("ghi chú", encoding="utf-8")    # a plain .txt is fine

    checked = run("check", "--site", str(site), "--now", NOW)
    assert checked.returncode == 1
    lines = problem_lines(checked.stderr)
    assert len(lines) == 2, lines
    assert lines[0].startswith("content/tin-tuc/bai moi.md.txt: tệp `bai moi.md.txt` thật ra là tệp `.txt`")
    assert "đổi tên tệp thành `bai moi.md`" in lines[0]
    assert lines[1].startswith("content/tin-tuc/bao-cao.docx: cảnh báo: tệp văn bản `bao-cao.docx` nằm lẫn")
    assert "`content/files/`" in lines[1] and "python build.py new --from bao-cao.docx" in lines[1]

    (news / "bai moi.md.txt").rename(news / "bai-moi.md")
    built = run("--site", str(site), "--now", NOW)
    assert built.returncode == 0, built.stderr
    assert (site / "public" / "tin-tuc" / "bai-tuong-la-md" / "index.html").is_file()
    assert (site / "public" / "tin-tuc" / "bao-cao.docx").is_file()          # a warning: still published
    assert run("--site", str(site), "--now", NOW, "--strict").returncode == 1


# ----------------------------------------------------------------------------- bodies pasted from Word

WORD_PASTE = """Thực hiện Kế hoạch số 45/KH-UBND ngày 10/3/2025 của UBND huyện về kiểm tra công tác cải cách hành chính.
Đoàn kiểm tra đã làm việc với UBND xã từ ngày 15/3 đến ngày 20/3/2025.
1. Ưu điểm: hồ sơ đầy đủ, đúng hạn.
2. Tồn tại: chưa niêm yết đủ thủ tục hành chính.

Đề nghị các bộ phận khắc phục trước ngày 30/4/2025.

\tUBND xã giao Văn phòng theo dõi, đôn đốc việc thực hiện thông báo này.
"""

# Each one is Markdown as it is meant: no warning.
MEANT = {
    "hand-wrapped": "Sáng ngày 20/11, UBND xã tổ chức hội nghị tổng kết công tác năm\n"
                    "2025 và triển khai nhiệm vụ năm 2026. Tham dự có đại diện các ban,\n"
                    "ngành, đoàn thể. Hội nghị đã nghe báo cáo.\nKết quả được thông qua.\n",
    "two short lines": "Hội nghị kết thúc lúc 11 giờ.\nBiên bản được gửi các đơn vị.\n",
    "hard breaks": "Nơi nhận:  \nNhư trên;  \nLưu VT.\n\nUBND xã Tân Đức\\\nĐịa chỉ: Khu phố 1.\\\nĐiện thoại: 0252.\n",
    "list": "Nội dung gồm:\n\n- Một là kiểm tra hồ sơ.\n- Hai là kiểm tra niêm yết.\n- Ba là lấy ý kiến người dân.\n",
    "table": "| Đơn vị | Kết quả. |\n|---|---|\n| Tân Xuân. | Đạt. |\n| Tân Hà. | Đạt. |\n",
    "fenced": "Ví dụ:\n\n```\nDòng một.\nDòng hai.\nDòng ba.\n\n\tThụt lề bằng Tab trong khối mã, ví dụ về văn bản.\n```\n",
    "tab code": "Cấu hình:\n\n\ttitle: \"Cổng thông tin\"\n\tbase_url: \"https://example.gov.vn/\"\n",
    "tab under a list": "1. Bước một.\n\n\tGhi chú cho bước một, viết thụt vào bằng Tab.\n\n2. Bước hai.\n",
    "quote": "> Câu thứ nhất của trích dẫn.\n> Câu thứ hai của trích dẫn.\n> Câu thứ ba.\n",
    "heading": "## Kết quả kiểm tra\nĐoàn đã kiểm tra 6 xã.\n",
}


def test_a_body_pasted_from_word_warns_where_markdown_would_lose_its_paragraphs(tmp_path):
    site = minimal_site(tmp_path / "site")
    path = write(site / "content" / "tin-tuc" / "a.md", post(body=WORD_PASTE))
    checked = run("check", "--site", str(site), "--now", NOW)
    assert checked.returncode == 0, checked.stderr
    lines = problem_lines(checked.stderr)
    assert len(lines) == 2, lines
    body_line = 6                                          # ---, title, date, ---, blank line: the body is at 6
    assert lines[0].startswith(f"content/tin-tuc/a.md:{body_line}: cảnh báo: các đoạn văn chỉ cách nhau một lần "
                               "xuống dòng")
    assert "(1 chỗ, chỗ đầu ở dòng này)" in lines[0] and "để một dòng trống giữa hai đoạn văn" in lines[0]
    assert lines[1].startswith(f"content/tin-tuc/a.md:{body_line + 7}: cảnh báo: đoạn văn bắt đầu bằng ký tự Tab")
    assert "xóa Tab ở đầu đoạn" in lines[1]
    built = run("--site", str(site), "--now", NOW)             # what the warnings are about, on the page
    page = soup(site / "public" / "tin-tuc" / "hoi-nghi-giao-ban" / "index.html")
    assert "Tồn tại" in page.find("p", string=lambda t: t and "Kế hoạch số 45" in t).get_text()
    assert page.find("pre") is not None and "Văn phòng theo dõi" in page.find("pre").get_text()

    path.write_text(post(body=WORD_PASTE.replace(".\n", ".\n\n").replace("\t", "")), encoding="utf-8")
    fixed = run("check", "--site", str(site), "--now", NOW)
    assert not problem_lines(fixed.stderr), fixed.stderr


@pytest.mark.parametrize("name", sorted(MEANT))
def test_markdown_written_on_purpose_gets_no_word_warning(tmp_path, name):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "a.md", post(body=MEANT[name]))
    checked = run("check", "--site", str(site), "--now", NOW)
    assert checked.returncode == 0, checked.stderr
    assert not problem_lines(checked.stderr), checked.stderr


def test_the_sample_portal_has_no_word_warning(tmp_path):
    from conftest import copy_sample
    site = copy_sample(tmp_path / "site")
    checked = run("check", "--site", str(site), "--now", NOW, "--no-cache")
    assert checked.returncode == 0, checked.stderr
    assert not [line for line in problem_lines(checked.stderr) if "Tab" in line or "xuống dòng" in line]


# ----------------------------------------------------------------------------- serve on a busy port, --base-url

def test_serve_on_a_busy_port_says_so_in_vietnamese(tmp_path):
    import socket
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "a.md", post())
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = run("serve", "--site", str(site), "--port", str(port))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr
    [said] = result.stderr.strip().splitlines()
    assert said.startswith(f"Cổng 127.0.0.1:{port} đang được chương trình khác dùng")
    assert f"--port {port + 1}" in said
    assert not (site / ".preview").exists()                   # refused before building anything


def test_base_url_option_sets_the_canonical_links(tmp_path):
    site = minimal_site(tmp_path / "site")
    write(site / "content" / "tin-tuc" / "a.md", post())
    built = run("--site", str(site), "--now", NOW, "--base-url", "https://thu.example.gov.vn/tanduc")
    assert built.returncode == 0, built.stderr
    page = soup(site / "public" / "tin-tuc" / "hoi-nghi-giao-ban" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://thu.example.gov.vn/tanduc/tin-tuc/hoi-nghi-giao-ban/"
    assert page.find("a", string="Tin tức")["href"].startswith("/tanduc/")
    home = soup(site / "public" / "index.html")
    assert home.find("link", rel="canonical")["href"] == "https://thu.example.gov.vn/tanduc/"
    again = run("--site", str(site), "--now", NOW)            # without it: site.yaml's again
    assert again.returncode == 0, again.stderr
    page = soup(site / "public" / "tin-tuc" / "hoi-nghi-giao-ban" / "index.html")
    assert page.find("link", rel="canonical")["href"] == "https://example.gov.vn/tin-tuc/hoi-nghi-giao-ban/"
    for command in ("build", "check", "serve"):
        refused = run(command, "--site", str(site), "--base-url", "thu.example.gov.vn/tanduc")
        assert refused.returncode == 2
        assert refused.stderr.startswith("--base-url: `base_url` không phải địa chỉ web đầy đủ: "
                                         "`thu.example.gov.vn/tanduc` — viết dạng `https://")


@pytest.mark.parametrize("section", ["tin-tuc", "trang", "van-ban", "lich-cong-tac"])
def test_an_untouched_new_file_of_any_kind_never_stops_the_build(tmp_path, section):
    """One editor's `new` left as it is must not stop everyone's build: a draft that validates."""
    site = copy_sample(tmp_path / "site")
    created = run("new", section, "Bài mới chưa viết", "--site", str(site))
    assert created.returncode == 0, created.stderr
    checked = run("check", "--site", str(site))
    assert checked.returncode == 0, checked.stderr
