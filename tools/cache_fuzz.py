#!/usr/bin/env python3
"""Leave it running: random editor edits until a cached build differs from a clean one.

    python tools/cache_fuzz.py [--examples 200] [--steps 25] [--site sample|corpus|province] [--seed N]

The same state machine as tests/test_cache_property.py (operations in tests/editor_ops.py),
without the CI bounds: each example copies the site, applies up to --steps random operations
and, after each, compares the cached build with a clean --no-cache build byte for byte. On a
difference Hypothesis shrinks the sequence and prints the shortest one that still fails, as the
list of operations and seeds to replay; exit status 1.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--site", choices=("sample", "corpus", "province"), default="sample")
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run (printed)")
    args = parser.parse_args()
    from hypothesis import HealthCheck, settings, seed
    from hypothesis.stateful import run_state_machine_as_test

    import test_cache_property as machines
    from site_generator import markup, pagecache, pages
    pages.PARALLEL_PAGES = markup.PARALLEL_MIN = 20        # small sites take the forked paths too
    pagecache.SHARED_FROM = 64                             # and replay their kept lookups in two processes

    chosen = args.seed if args.seed is not None else random.randrange(1 << 32)
    print(f"seed {chosen}: {args.examples} examples of up to {args.steps} edits to the {args.site}", flush=True)
    machine = {"sample": machines.Edits, "corpus": machines.CorpusEdits, "province": machines.ProvinceEdits}[args.site]
    seed(chosen)(machine)
    try:
        run_state_machine_as_test(machine, settings=settings(
            max_examples=args.examples, stateful_step_count=args.steps, deadline=None, database=None,
            suppress_health_check=list(HealthCheck)))
    except AssertionError as failure:
        print(f"FOUND (seed {chosen}): {failure}", file=sys.stderr)
        return 1
    print("no difference found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
