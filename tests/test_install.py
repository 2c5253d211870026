"""The package works when installed with `pip install .`, not only from the checkout: a wheel
built from this tree, installed into an empty folder, builds a copy of the sample portal from
another working directory, with the default theme (templates, styles, scripts) it carries, and
writes what the checkout writes."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from conftest import NOW, ROOT, copy_sample, run


def same_trees(a: Path, b: Path) -> list[str]:
    compared = filecmp.dircmp(a, b)
    different = [*compared.left_only, *compared.right_only, *compared.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    different += mismatch + errors
    for folder in compared.common_dirs:
        different += [f"{folder}/{name}" for name in same_trees(a / folder, b / folder)]
    return different


def test_an_installed_package_builds_the_sample_portal_like_the_checkout(tmp_path):
    target = tmp_path / "installed"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                              "--target", str(target), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    site = copy_sample(tmp_path / "site")
    for theme in ("templates", "static"):                   # the site's own overrides, if any: none here
        assert not (site / theme).exists() or not any((site / theme).iterdir()), theme
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import site_generator; print(site_generator.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    out = tmp_path / "from-wheel"
    built = subprocess.run([sys.executable, "-m", "site_generator", "--site", str(site), "--output", str(out),
                            "--now", NOW], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    reference = tmp_path / "from-checkout"
    assert run("--site", str(site), "--output", str(reference), "--now", NOW).returncode == 0
    assert same_trees(out, reference) == []
    assert (out / "css" / "site.css").is_file() and (out / "js" / "search.js").is_file()
