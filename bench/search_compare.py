#!/usr/bin/env python3
"""Our static search against Pagefind on the same N posts, in Chromium, with the same 20 queries.

    python bench/search_compare.py [N] [--out /dev/shm/bench-search-compare] [--k 10]

Builds N posts from ``make_corpus.py`` with our generator, indexes the same built posts with
Pagefind (``pip install 'site-generator[bench]'``; its CLI run from its Python package) and adds a
small Pagefind search page (``/pagefind-bench/``: its JS API, the first K results' data, the same
250 ms pause after a keystroke as our page). Then, for each tool and query, types the query into
``#q`` and reports:

- the bytes the server sent for the query (bodies as served; the summary adds what a server
  that gzips text would send; Pagefind's index files are gzipped already), on a fresh page with
  an empty cache ("1st") and in one page that ran the queries before it in order ("next");
- the time from the last keystroke to the first result link in the DOM (ms, measured in the
  page; both pages wait 250 ms after a keystroke before searching);
- recall@K against pages expected from the corpus sources, found here independently of both
  tools: every post whose title, summary, tags and body, folded (no tone marks, đ -> d, lower
  case), hold every folded query word; for a half-typed query the last word as a prefix.
  recall@K = |first K shown ∩ expected| / min(K, |expected|).

Then a summary line per tool and the issue's goal: at most 300 KB a query at 4,000 posts, fewer
bytes than Pagefind, and a recall no lower than Pagefind's on any query.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import unicodedata
from pathlib import Path

import yaml

import search_payload as bench

PAGEFIND = bench.SearchPage("pagefind", "/pagefind-bench/", "#results ol li a", "#status", "none")
EXCLUDED = (".print-url", ".post-meta", ".author", ".tags-label")     # what our search does not index either
GOAL_KB = 300
GOAL_POSTS = 4000

PAGEFIND_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Pagefind (bench)</title></head>
<body>
<input type="search" id="q" autocomplete="off">
<p id="status"></p>
<div id="results"></div>
<script type="module">
import * as pagefind from "/pagefind/pagefind.js";
const SHOWN = %(k)d;
const input = document.getElementById("q"), status = document.getElementById("status"),
      results = document.getElementById("results");
let timer = null, latest = 0;
async function run() {
  const query = input.value.trim(), ticket = ++latest;
  if (!query) { results.textContent = ""; status.textContent = ""; return; }
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, SHOWN).map(r => r.data()));
  if (ticket !== latest) return;
  if (!data.length) { results.textContent = ""; status.textContent = "none"; return; }
  const ol = document.createElement("ol");
  for (const d of data) {
    const li = document.createElement("li"), a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title; li.appendChild(a); ol.appendChild(li);
  }
  status.textContent = found.results.length + " results";
  results.replaceChildren(ol);
}
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
</script>
</body></html>
"""


def queries(posts: int) -> list[tuple[str, bool]]:
    """(query, half-typed?): ten without diacritics, four half-typed, a number, five with diacritics.

    The corpus has no document numbers ("45/KH-UBND"); its numbers are the standard in a tag
    (ISO 9001:2015) and each post's number at the end of its title."""
    return [
        ("cai cach hanh chinh", False), ("da nang", False), ("kiem tra cong vu", False),
        ("dich vu cong truc tuyen", False), ("thu tuc hanh chinh", False), ("tan xuan", False),
        ("song phan thang hai", False), ("nang cao hieu luc quan ly", False), ("iso 9001", False),
        ("chi so par", False),
        ("kiem tr", True), ("thanh tra tai ch", True), ("phong chong dic", True), ("niêm yế", True),
        (str(posts * 2 // 3), False),
        ("kiểm tra", False), ("cải cách hành chính", False), ("Tân Thắng", False),
        ("báo cáo kết quả kiểm tra", False), ("đánh giá xếp hạng", False),
    ]


def fold(text: str) -> str:
    """No tone marks, đ -> d, lower case (written here again: the expected pages owe nothing to the tools)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def corpus_words(site: Path) -> dict[int, set]:
    """Post number -> the folded words of its title, summary, tags and body (link targets dropped)."""
    out = {}
    for source in (site / "content").rglob("*.md"):
        _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        body = re.sub(r"\]\([^)]*\)", "]", body)
        text = " ".join([meta["title"], meta.get("summary", ""), " ".join(meta.get("tags", [])), body])
        out[int(re.search(r"\d+", meta["slug"]).group())] = set(words(text))
    return out


def expected(corpus: dict[int, set], query: str, half_typed: bool) -> set:
    terms = words(query)
    whole, last = (terms[:-1], terms[-1]) if half_typed else (terms, None)
    return {n for n, held in corpus.items()
            if all(t in held for t in whole) and (last is None or any(w.startswith(last) for w in held))}


def shown_posts(links: list[str], k: int) -> list:
    """The first k distinct result addresses, as post numbers (None for anything that is not a post)."""
    seen: list[str] = []
    for href in links:
        if href not in seen:
            seen.append(href)
    return [int(m.group(1)) if (m := re.search(r"/bai-(\d+)/", href)) else None for href in seen[:k]]


def pagefind_index(public: Path, site: Path, k: int) -> None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        sys.exit("Pagefind is missing: pip install 'site-generator[bench]' (or 'pagefind[extended]')")
    sections = ",".join(yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))["sections"])
    command = [sys.executable, "-m", "pagefind", "--site", str(public), "--quiet",
               "--glob", "{" + sections + "}/*/index.html", "--root-selector", "article.post"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    subprocess.run(command, check=True)
    (public / "pagefind-bench").mkdir(exist_ok=True)
    (public / "pagefind-bench" / "index.html").write_text(PAGEFIND_PAGE % {"k": k}, encoding="utf-8")


def disk(folder: Path, pattern: str = "*") -> int:
    return sum(f.stat().st_size for f in folder.rglob(pattern) if f.is_file())


def run_tool(browser, base, traffic, tool, qs, corpus_sets, k) -> dict:
    """Every query on a fresh page, then all of them in order in one page (after one warm-up query)."""
    rows, loads = [], []
    for query, _ in qs:
        traffic.reset()
        page = bench.open_page(browser, base, tool)
        traffic.settle()
        loads.append(traffic.sent)
        rows.append({"first": bench.search(page, tool, traffic, query)})
        page.context.close()
    page = bench.open_page(browser, base, tool)
    bench.search(page, tool, traffic, "tin tuc")
    for row, (query, _) in zip(rows, qs):
        row["next"] = bench.search(page, tool, traffic, query)
    page.context.close()
    for row, want in zip(rows, corpus_sets):
        shown = shown_posts(row["first"]["links"], k)
        row["shown"] = len(shown)
        row["recall"] = len(set(shown) & want) / min(k, len(want)) if want else 1.0    # nothing to miss
    return {"rows": rows, "page_load": statistics.median(loads)}


def kb(n) -> str:
    return f"{n / 1024:.0f}"


def ms(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("posts", type=int, nargs="?", default=GOAL_POSTS)
    parser.add_argument("--out", type=Path, default=Path("/dev/shm/bench-search-compare"))
    parser.add_argument("--k", type=int, default=10, help="results per query compared (recall@K)")
    args = parser.parse_args()
    site, public = bench.build(args.posts, args.out)
    pagefind_index(public, site, args.k)
    qs = queries(args.posts)
    corpus = corpus_words(site)
    want = [expected(corpus, q, half) for q, half in qs]
    server, base, traffic = bench.serve(public)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = bench.launch(p)
        results = {tool.name: run_tool(browser, base, traffic, tool, qs, want, args.k) for tool in (bench.OURS, PAGEFIND)}
        browser.close()
    server.shutdown()

    ours, pf = results["ours"]["rows"], results["pagefind"]["rows"]
    print(f"\n{args.posts} posts, {len(qs)} queries, recall@{args.k}; KB as served; ms from the last keystroke "
          f"to the first result link (both pages wait 250 ms first); 1st = fresh page, next = same page")
    head = f"{'query':<27}{'expected':>8} | {'KB 1st':>6}{'next':>6}{'ms 1st':>7}{'next':>6}{'recall':>7}"
    print(f"{'':<36}| {'ours':<32}| pagefind")
    print(head + " |" + head.split("|", 1)[1])
    for (query, half), w, o, f in zip(qs, want, ours, pf):
        cells = []
        for r in (o, f):
            cells.append(f"{kb(r['first']['bytes']):>6}{kb(r['next']['bytes']):>6}{ms(r['first']['ms']):>7}"
                         f"{ms(r['next']['ms']):>6}{r['recall']:>7.2f}")
        label = query + (" …" if half else "")
        print(f"{label:<27}{len(w):>8} | " + " | ".join(cells))

    print()
    for name, folder in (("ours", public / "tim-kiem" / "du-lieu"), ("pagefind", public / "pagefind")):
        rows = results[name]["rows"]
        first = [r["first"]["bytes"] for r in rows]
        gz = [r["first"]["gzipped"] for r in rows]
        nxt = [r["next"]["bytes"] for r in rows]
        times = [r["first"]["ms"] for r in rows if r["first"]["ms"] is not None]
        times_next = [r["next"]["ms"] for r in rows if r["next"]["ms"] is not None]
        recall = [r["recall"] for r in rows]
        on_disk = disk(folder) if name == "ours" else (disk(folder / "index") + disk(folder / "fragment")
                                                       + disk(folder, "*.pf_meta"))
        print(f"{name:<9} KB/query 1st median {kb(statistics.median(first))}, max {kb(max(first))} "
              f"(gzipped median {kb(statistics.median(gz))}, max {kb(max(gz))}); next median "
              f"{kb(statistics.median(nxt))}, max {kb(max(nxt))}; ms 1st median "
              f"{ms(statistics.median(times) if times else None)}, max {ms(max(times) if times else None)}; "
              f"next median {ms(statistics.median(times_next) if times_next else None)}; "
              f"recall@{args.k} mean {statistics.mean(recall):.2f}, min {min(recall):.2f}; "
              f"search page load {kb(results[name]['page_load'])} KB; index on disk {kb(on_disk)} KB")

    print("\nGoal:")
    worst = max(r["first"]["bytes"] for r in ours)
    at = "" if args.posts == GOAL_POSTS else f" (the goal is set at {GOAL_POSTS} posts; this run has {args.posts})"
    verdicts = [worst <= GOAL_KB * 1024]
    print(f"  {'MET ' if verdicts[-1] else 'NOT MET'} at most {GOAL_KB} KB per query: ours at most {kb(worst)} KB{at}")
    for key, label in (("first", "fresh page"), ("next", "same page")):
        a, b = sum(r[key]["bytes"] for r in ours), sum(r[key]["bytes"] for r in pf)
        fewer = sum(o[key]["bytes"] < f[key]["bytes"] for o, f in zip(ours, pf))
        verdicts.append(a < b)
        print(f"  {'MET ' if verdicts[-1] else 'NOT MET'} fewer bytes than Pagefind ({label}): ours {kb(a)} KB "
              f"against {kb(b)} KB for the {len(qs)} queries; fewer on {fewer} of {len(qs)}")
    lower = [q for (q, _), o, f in zip(qs, ours, pf) if o["recall"] < f["recall"]]
    verdicts.append(not lower)
    print(f"  {'MET ' if verdicts[-1] else 'NOT MET'} recall no lower than Pagefind's on any query"
          + (": lower on " + ", ".join(repr(q) for q in lower) if lower else ""))
    print(f"  => goal {'met' if all(verdicts) else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
