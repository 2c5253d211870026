"""The editors' reference is printed from the schema: the committed copy must match it."""
from conftest import ROOT

from site_generator.schema import reference_markdown


def test_reference_is_up_to_date():
    committed = (ROOT / "docs" / "tham-khao.md").read_text(encoding="utf-8")
    assert committed.strip() == reference_markdown().strip(), \
        "run: python -m site_generator.schema > docs/tham-khao.md"
