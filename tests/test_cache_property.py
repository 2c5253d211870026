"""A cached build is the clean build: random editor edits, and after each one the cached
build equals a clean (--no-cache) build of the same inputs, byte for byte.

Hypothesis draws sequences of operations from editor_ops.OPERATIONS with a fixed seed and a
bounded count, on the sample portal and on a generated corpus (rendered by two processes),
and when a sequence fails, shrinks it to the shortest one that still fails and prints it.
A longer run for anyone to leave going: ``python tools/cache_fuzz.py``.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

import editor_ops
from conftest import ROOT

NOW = dt.datetime(2026, 11, 27, 5, tzinfo=dt.timezone.utc)
# CI's bound: 3 sequences of up to 6 edits per site, each edit checked by a cached and a clean build (the three
# tests took 164 s with 4 x 8 on a slow machine, where the issue asks for well under a minute on a usual one)
CI = settings(max_examples=3, stateful_step_count=6, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False)


class Edits(RuleBasedStateMachine):
    """The state: a site folder and its builds. Each rule is one editor operation."""
    make_site = staticmethod(lambda folder: editor_ops.copy_site(ROOT, folder))

    @initialize()
    def start(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="cache-property-"))
        self.builds = editor_ops.Builds(self.make_site(self.scratch / "site"), self.scratch, NOW)

    @rule(operation=st.sampled_from(editor_ops.OPERATIONS), seed=st.integers(0, 1 << 16))
    def step(self, operation, seed):
        said = editor_ops.apply(self.builds.site, operation, seed, self.builds.state)
        print(f"  {operation.__name__}(seed={seed}): {said}")

    @invariant()
    def cached_is_clean(self):
        if hasattr(self, "builds"):
            problem = self.builds.check()
            assert problem is None, problem

    def teardown(self):
        if hasattr(self, "scratch"):
            shutil.rmtree(self.scratch, ignore_errors=True)


class CorpusEdits(Edits):
    make_site = staticmethod(lambda folder: editor_ops.corpus(folder, 60))


class ProvinceEdits(Edits):
    """A commune of a province: its editors' edits and the province's (province.yaml, its theme)."""
    make_site = staticmethod(lambda folder: editor_ops.province_commune(folder, 40))

    @rule(seed=st.integers(0, 1 << 16))
    def province_step(self, seed):
        said = editor_ops.apply(self.builds.site, editor_ops.edit_province, seed, self.builds.state)
        print(f"  edit_province(seed={seed}): {said}")


@pytest.fixture(autouse=True)
def two_renderers(monkeypatch):
    """Small sites still take the forked paths (pages and Markdown on two processes, the kept lookups replayed
    by two)."""
    from site_generator import markup, pagecache, pages
    monkeypatch.setattr(pages, "PARALLEL_PAGES", 20)
    monkeypatch.setattr(markup, "PARALLEL_MIN", 20)
    monkeypatch.setattr(pagecache, "SHARED_FROM", 64)




def test_edits_to_the_sample_portal():
    run_state_machine_as_test(Edits, settings=CI)


def test_edits_to_a_generated_corpus():
    run_state_machine_as_test(CorpusEdits, settings=CI)


def test_edits_to_a_commune_and_its_province():
    run_state_machine_as_test(ProvinceEdits, settings=CI)
