"""The learner edition: generated, up to date, no answers in it, and its checks accept the
right answers (the solution code is run through the learner edition's own checks)."""

import json
import re
from pathlib import Path

import pytest

from crm_lessons.learner import HIDDEN_TAGS, learner_edition, learner_path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_ANSWER = re.compile(r"^(answer_\w+)\s*=\s*None\b", re.MULTILINE)
_DEFINES = re.compile(r"^(answer_\w+)\s*=", re.MULTILINE)


def _src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_edition_is_current_and_answer_free(path):
    nb = _load(path)
    target = learner_path(path)
    assert target.exists(), f"run `python -m crm_lessons.learner {path.name}`"
    learner = _load(target)
    assert learner["cells"] == learner_edition(nb)["cells"], "learner edition is out of date"
    hidden = [_src(c) for c in nb["cells"] if set(c["metadata"].get("tags", [])) & HIDDEN_TAGS]
    for cell in learner["cells"]:
        src = _src(cell)
        assert not set(cell["metadata"].get("tags", [])) & HIDDEN_TAGS
        assert "answer_key(" not in src
        for h in hidden:
            if len(h.strip()) > 40:
                assert h.strip() not in src
        if cell["cell_type"] == "code" and re.search(r"\bcheck(?:_choice)?\(", src):
            # a learner's check names the stored answer; it never computes it
            assert "key=" in src, src


def _solutions(nb):
    out = {}
    for cell in nb["cells"]:
        if "solution" in cell["metadata"].get("tags", []):
            for var in _DEFINES.findall(_src(cell)):
                out.setdefault(var, []).append(_src(cell))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_checks_accept_the_solutions(path, tmp_path):
    """Run the learner edition with each answer cell replaced by the solution's code."""
    import nbformat
    from nbclient import NotebookClient

    nb = _load(path)
    solutions = _solutions(nb)
    if not solutions:
        pytest.skip("no exercises")
    learner = nbformat.from_dict(learner_edition(nb))
    replaced = 0
    for cell in learner.cells:
        cell.source = _src(cell)
        if cell.cell_type != "code":
            continue
        found = _ANSWER.findall(_src(cell))
        if found and all(v in solutions for v in found):
            cell.source = "\n".join(dict.fromkeys(s for v in found for s in solutions[v]))
            replaced += 1
        cell.outputs = []
    assert replaced, "no answer cell found"
    from jupyter_client.manager import KernelManager

    # IPC sockets: no TCP port can be taken by another kernel starting at the same time
    km = KernelManager(kernel_name="crm-course", transport="ipc", ip=str(tmp_path / "kernel"))
    client = NotebookClient(
        learner,
        km=km,
        timeout=600,
        kernel_name="crm-course",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    lines = []
    for cell in learner.cells:
        if cell.cell_type == "code" and re.search(r"\bcheck(?:_choice)?\(", _src(cell)):
            for out in cell.get("outputs", []):
                lines += [ln for ln in out.get("text", "").splitlines() if ln.strip()]
    bad = [ln for ln in lines if "correct!" not in ln]
    assert lines and not bad, bad
