"""The committed course data sets are exactly what the generator makes today."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_lessons.datasets import datasets_dir, load_world
from generators.datacards import DEFAULTS, write_all_defaults

COMMITTED = Path(__file__).resolve().parent.parent / "datasets"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets")
    write_all_defaults(root, index=False)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("scenario", sorted(DEFAULTS))
def test_committed_files_are_byte_identical(regenerated, scenario):
    new = regenerated / scenario
    old = COMMITTED / scenario
    assert old.is_dir(), f"missing committed data set {old}"
    made = sorted(p.name for p in new.iterdir())
    for name in made:
        assert (old / name).is_file(), f"{scenario}/{name} is not committed"
        assert (old / name).read_bytes() == (new / name).read_bytes(), f"{scenario}/{name} differs"
    generated_here = {p.name for p in old.iterdir() if "messy" not in p.name}
    assert generated_here == set(made), "unexpected files in the committed folder"


@pytest.mark.parametrize("scenario", sorted(DEFAULTS))
def test_committed_world_loads_with_its_params(scenario):
    if datasets_dir().resolve() != COMMITTED.resolve():
        pytest.skip("CRM_DATASETS_DIR points elsewhere")
    w = load_world(scenario)
    assert w.params["seed"] == DEFAULTS[scenario]["seed"]
    assert len(w.customers) == DEFAULTS[scenario]["n_customers"]
    assert list(w)[: len(w.params["tables"])] == w.params["tables"]
    readme = (COMMITTED / scenario / "README.md").read_text(encoding="utf-8")
    assert f"| `orders.csv` | {len(w.orders):,} |" in readme
