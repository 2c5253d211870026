"""Imports point down the stages: nothing in the pipeline knows about the preview server or the counter."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "site_generator"
PIPELINE = ["load", "validate", "schema", "model", "markup", "checks", "inspections", "render", "feeds", "sitemap",
            "opendata", "search", "fingerprint", "cache", "write", "pipeline", "urls", "text", "problems", "messages"]
PURE = ["fingerprint", "model", "inspections", "feeds", "sitemap", "opendata", "urls", "text", "checks"]


def imported(module: str) -> set:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
            names.update(f".{alias.name}" for alias in node.names if node.level and not node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_pipeline_does_not_import_serve_cli_or_counter():
    for module in PIPELINE:
        names = imported(module)
        assert not any(n.lstrip(".").split(".")[0] in ("serve", "cli", "counter") for n in names), (module, names)


def test_model_and_outputs_do_no_io_of_their_own():
    for module in PURE:
        names = imported(module)
        assert not names & {"os", "shutil", "subprocess", "pathlib", "io.open"}, (module, names)
        assert ".write" not in names and ".render" not in names, module


def test_templates_read_back_links_only_where_the_page_cache_expects_them():
    """fingerprint.py leaves a post's neighbours, and tag, year and section post lists, out of
    the key of pages that only reach them through another object. A template reading them
    elsewhere would be served stale from the cache: change fingerprint.BACKLINKS / UNSHOWN first."""
    import re

    from site_generator import fingerprint

    allowed = {("archives.html", "year.posts"), ("tags.html", "tag.posts"), ("post.html", "post.newer"),
               ("post.html", "post.older"), ("post.html", "post.related")}
    fields = {f for skipped in (*fingerprint.BACKLINKS.values(), *fingerprint.UNSHOWN.values()) for f in skipped}
    pattern = re.compile(r"\b([a-z_]+)\.(" + "|".join(sorted(fields)) + r")\b")
    templates = PACKAGE.parent / "templates"
    found = set()
    for file in templates.rglob("*.html"):
        for name, field in pattern.findall(file.read_text(encoding="utf-8")):
            if name != "file":                                  # file.pages: an attachment's page count
                found.add((file.relative_to(templates).as_posix(), f"{name}.{field}"))
    assert found == allowed
