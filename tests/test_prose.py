"""Hand-written prose in the notebooks states no number, direction or verdict from the data.

Such sentences are generated from the computed values (crm_lessons.narrate) and checked by
strict nbval; what remains in Markdown is checked here against tests/prose_allowlist.toml.
"""

from pathlib import Path

import pytest

from crm_lessons.prose import load_allowlist, scan_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_states_no_data_claims(path):
    flags = scan_notebook(path)
    assert not flags, "\n".join(str(f) for f in flags[:40])


def test_allowlist_entries_have_reasons_and_known_notebooks():
    stems = {p.stem for p in NOTEBOOKS} | {"*"}
    allow = load_allowlist()
    assert set(allow) <= stems, set(allow) - stems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_time_estimate_matches_length(path):
    import json

    from crm_lessons.prose import estimated_minutes, stated_minutes

    nb = json.loads(path.read_text(encoding="utf-8"))
    stated, estimate = stated_minutes(nb), estimated_minutes(nb)
    assert stated is not None, "the first cell needs 'Time: about N minutes'"
    assert 0.7 * estimate <= stated <= 1.4 * estimate, (stated, estimate)
