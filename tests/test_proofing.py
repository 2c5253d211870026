"""Mistake-proofing for office staff: what an editor who is not a programmer gets wrong, and what the
build says about it (issue 16). Each case is a real site under tmp_path, built or checked by the CLI,
or (for the YAML reader's wording) both of PyYAML's parsers on a list of broken front matters."""
from __future__ import annotations

import pytest
import yaml

from conftest import minimal_site, problem_lines, run, soup, write

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
