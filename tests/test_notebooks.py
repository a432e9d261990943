"""Every stored notebook is fully executed, error-free, machine-neutral and well formed.

nbval (``make notebooks``) proves the stored outputs are what the code produces
today; these tests catch what nbval cannot: a cell never run, an error output
stored on purpose, machine-specific metadata, or a lesson missing its parts.
"""

import re
from pathlib import Path

import nbformat
import pytest

from crm_lessons.build import KERNELSPEC
from crm_lessons.framework import LESSONS

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _src(cell) -> str:
    return "".join(cell.source) if isinstance(cell.source, list) else cell.source


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_every_code_cell_executed_in_order(nb):
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and _src(c).strip()]
    assert None not in counts, "a code cell was never executed: run `make build`"
    assert counts == list(range(1, len(counts) + 1)), "cells were not run top to bottom once"


def test_no_error_outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            for out in cell.outputs:
                assert out.output_type != "error", f"stored error in cell {cell.get('id')}"


def test_machine_neutral_metadata(nb):
    assert nb.metadata["kernelspec"] == KERNELSPEC
    assert "version" not in nb.metadata.get("language_info", {})
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert cell.get("id"), "every cell needs a stable id"


def test_solution_cells_are_hidden(nb):
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True


def test_lesson_structure(nb):
    title = _src(nb.cells[0])
    assert nb.cells[0].cell_type == "markdown" and title.startswith("# ")
    assert CJK.search(title.splitlines()[0]), "lesson titles carry the Chinese term"
    text = "\n".join(_src(c) for c in nb.cells if c.cell_type == "markdown").lower()
    assert "learning objectives" in text or "what you will learn" in text


EXERCISED = [lsn for lsn in LESSONS if lsn.notebook[:2] > "00" and lsn.kind != "template"]


@pytest.mark.parametrize("lesson", EXERCISED, ids=lambda lsn: lsn.notebook)
def test_lessons_have_self_checked_exercises(lesson):
    path = ROOT / "notebooks" / lesson.notebook
    if not path.exists():
        pytest.fail(f"{lesson.notebook} is on the course map but does not exist")
    nb = nbformat.read(path, as_version=4)
    checks = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and "check" in _src(c)
        and "solution" not in c.metadata.get("tags", [])
    ]
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(checks) >= 2 and len(solutions) >= 2, "at least two exercises with self-checks"


@pytest.mark.parametrize(
    "lesson", [lsn for lsn in LESSONS if lsn.kind == "case"], ids=lambda lsn: lsn.notebook
)
def test_cases_have_trainer_notes(lesson):
    path = ROOT / "notebooks" / lesson.notebook
    if not path.exists():
        pytest.fail(f"{lesson.notebook} is on the course map but does not exist")
    nb = nbformat.read(path, as_version=4)
    notes = [c for c in nb.cells if "trainer" in c.metadata.get("tags", [])]
    assert notes and all(c.cell_type == "markdown" for c in notes)


def test_every_notebook_is_on_the_course_map():
    listed = {lsn.notebook for lsn in LESSONS}
    assert {p.name for p in NOTEBOOKS} <= listed
