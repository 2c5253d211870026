"""Our shortcuts give exactly the HTML of Python-Markdown with every extension and its own toc."""
from __future__ import annotations

import datetime as dt
import re

from markdown.extensions.toc import TocExtension, TocTreeprocessor

from conftest import ROOT
from site_generator import markup, pipeline

TRICKY = [
    "## Kết quả\n\n## Kết quả\n\n## Kết quả_1\n",                       # repeated headings get _1, _2
    "## Mục có id {#rieng}\n\n## Rieng\n\n### *Nhấn* và `mã` & <b>thẻ</b>\n",  # attr_list ids, inline markup
    "# Một\n\n## Hai[^1]\n\n[^1]: Chú thích.\n",                          # footnote references are left out
    "[TOC]\n\n## Đầu\n\n### Con\n\n## Cuối\n",                           # the marker still makes a contents list
    "Tiêu đề kiểu gạch\n---\n\n## \n\n## !!!\n",                           # setext, empty and symbol-only headings
    '<h2 data-toc-label="Nhãn">HTML thô</h2>\n\n## Có nhãn {data-toc-label="Khác"}\n',
    # each extension of "extra", alone and together, and text that only looks like their syntax
    "Văn bản của UBND.\n\n*[UBND]: Ủy ban nhân dân\n",
    "Đoạn có lớp\n{: .ghi-chu }\n\n[liên kết](https://e.gov.vn){: rel=nofollow }\n",
    "Thuật ngữ\n:   Giải thích của thuật ngữ.\n\nGiờ: 08:00\n",
    "```\nmã {không} | phải [^bảng]\n```\n\n~~~ python\nx = 1\n~~~\n",
    "Câu có chú thích[^1] và [^thiếu].\n\n[^1]: Nội dung chú thích.\n",
    '<div markdown="1">\n**Đậm** trong HTML\n</div>\n\n<span>nội dòng</span> & 1 < 2\n',
    "| Đơn vị | Điểm |\n|---|---:|\n| Tân Xuân | 9,5 |\n\nKý hiệu | lẻ loi\n",
    "*[CCHC]: Cải cách hành chính\n\n| CCHC | x |\n|--|--|\n| a[^n] | {b} |\n\n[^n]: ghi chú\n\nTừ\n: định nghĩa\n",
    # each inline pattern's trigger, alone: backticks, escapes, links, images, autolinks, html, entities...
    "Mã `x = 1` và ``a ` b``.\n", "Dấu \\*không nghiêng\\* và \\\\ gạch.\n", "[Liên kết](https://e.gov.vn \"tựa\")\n",
    "[tham chiếu][a] và [a]\n\n[a]: https://e.gov.vn\n", "![Ảnh](https://e.gov.vn/a.png) ![b][b]\n\n[b]: x.png\n",
    "<https://e.gov.vn> và <thu@e.gov.vn>\n", "Có <abbr title=\"Ủy ban\">UB</abbr> &amp; &copy; &#169; & lẻ\n",
    "Dòng một  \nDòng hai\n", "**Đậm** *nghiêng* __đậm__ _nghiêng_ a_b_c 2*3*4\n", "Chỉ chữ, không dấu đặc biệt.\n",
    # headings named like the page's own landmarks and sections, with and without a contents list
    "[TOC]\n\n## Nội dung\n\n## Tệp 1\n\n## Nội dung\n\n### Đính chính\n",
    "## Nội dung\n\n## Tệp đính kèm\n\nĐoạn\n{: #noi-dung }\n\n## Mục {#tep-2}\n",
]


def upstream() -> markup.Converter:
    """One Markdown instance with every extension and upstream's toc: the dialect as documented."""
    converter = markup.Converter(complete=True)
    md = converter.markdown_for("")
    md.treeprocessors.register(TocTreeprocessor(md, TocExtension(**markup.TOC_CONFIG).getConfigs()), "toc", 5)
    return converter


def test_heading_ids_match_the_toc_extension_on_every_sample_body_and_edge_cases():
    report = pipeline.build(ROOT, None, pipeline.BuildOptions(write=False),
                            dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc))
    ours, theirs = markup.Converter(), upstream()
    bodies = [(p.source, p.content_path, (ROOT / p.source).read_text(encoding="utf-8").split("\n---\n", 1)[1])
              for p in report.site.posts]
    bodies += [(f"content/tin-tuc/thu-{i}.md", f"tin-tuc/thu-{i}.md", body) for i, body in enumerate(TRICKY)]
    headings = 0
    for path, content_path, body in bodies:
        mine = ours.convert(path, content_path, body, 1, report.links)
        reference = theirs.convert(path, content_path, body, 1, report.links)
        assert mine.html == reference.html, path
        headings += mine.html.count("<h2")
    assert headings > 20
    assert 'id="ket-qua_1"' in ours.convert("a.md", "a.md", TRICKY[0], 1, report.links).html
    assert 'class="toc"' in ours.convert("a.md", "a.md", TRICKY[3], 1, report.links).html
    for body in TRICKY[-2:]:                # the page's ids stay the page's; a contents list follows the renaming
        html = ours.convert("a.md", "a.md", body, 1, report.links).html
        ids = re.findall(r' id="([^"]+)"', html)
        assert ids and len(ids) == len(set(ids)) and not any(markup._reserved_id(i) for i in ids), ids
        assert set(re.findall(r'href="#([^"]+)"', html)) <= set(ids)
    assert 'href="#noi-dung_1"' in ours.convert("a.md", "a.md", TRICKY[-2], 1, report.links).html
    assert len(ours._instances) >= 12                 # the cases above did use the shortcuts


def test_no_theme_id_is_made_of_a_value_alone():
    """An id like id="{{ name }}" in a template would reserve every heading id of every body ("Kết quả"
    would become ket-qua_1 everywhere): theme ids made from a value carry a fixed part ("loc-{{ name }}")."""
    literal, pattern = markup.reserved_ids()
    for heading in ("ket-qua", "binh-thuong", "lap-lai", "thanh-phan-doan-kiem-tra", "a", "2025"):
        assert heading not in literal and pattern.match(heading) is None, heading
