"""Imports point down the stages: nothing in the pipeline knows about the preview server or the counter."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "site_generator"
PIPELINE = ["load", "validate", "schema", "model", "markup", "checks", "inspections", "jobs", "page", "kinds/__init__",
            "kinds/posts", "kinds/records", "render", "feeds", "sitemap",
            "opendata", "search", "tracking", "pagecache", "pages", "stamp", "cache", "write", "pipeline", "urls", "text",
            "problems", "messages"]
PURE = ["model", "inspections", "jobs", "page", "kinds/__init__", "kinds/posts", "kinds/records", "feeds", "sitemap", "opendata", "urls", "text", "checks", "headers"]


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
        assert not any(n.lstrip(".").split(".")[0] in ("serve", "cli", "counter", "fastpath") for n in names), (module, names)


def test_model_and_outputs_do_no_io_of_their_own():
    for module in PURE:
        names = imported(module)
        assert not names & {"os", "shutil", "subprocess", "pathlib", "io.open"}, (module, names)
        assert ".write" not in names and ".render" not in names, module
