"""The learner edition: every notebook without its answers and trainer notes.

The notebooks in ``notebooks/`` are the *trainer and solution* edition: they
hold the hidden solution cells (tag ``solution``), the answer-key cells that
compute the expected answers (tag ``answer-key``) and the trainer notes (tag
``trainer``). The learner edition in ``learner/`` is generated from them by one
command, so the two can never drift:

``python -m crm_lessons.learner`` (or ``make learner``; the course build does
it for every notebook it rebuilds).

Each learner notebook keeps every other cell with its stored outputs, so a
student reads the lesson with its tables and figures, types answers into the
"Your turn" cells and gets feedback from the self-checks, which compare with
the answers stored in ``crm_lessons/answer_keys/``.

Taught in: every lesson (students open ``learner/``); see ``notebooks/00_start_here``.

Examples
--------
>>> nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]}, "source": "x = 1"},
...                 {"cell_type": "markdown", "metadata": {}, "source": "Your turn"}],
...       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
>>> [c["source"] for c in learner_edition(nb)["cells"]]
['Your turn']
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

__all__ = ["HIDDEN_TAGS", "learner_edition", "learner_path", "main", "write_learner"]

ROOT = Path(__file__).resolve().parent.parent
#: Cells with any of these tags are left out of the learner edition.
HIDDEN_TAGS = frozenset({"solution", "answer-key", "trainer"})
LEARNER_DIR = ROOT / "learner"


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def learner_edition(nb: dict) -> dict:
    """Return the learner edition of notebook ``nb`` (a new dict).

    Cells tagged ``solution``, ``answer-key`` or ``trainer`` are dropped with
    their outputs; the notebook's metadata says it is the learner edition.

    Parameters
    ----------
    nb : dict
        A notebook (``nbformat`` node or plain dict).

    Returns
    -------
    dict
    """
    out = copy.deepcopy(dict(nb))
    out["cells"] = [c for c in out["cells"] if not _tags(c) & HIDDEN_TAGS]
    meta = dict(out.get("metadata", {}))
    meta.pop("crm_build", None)
    meta["crm_edition"] = "learner"
    out["metadata"] = meta
    return out


def learner_path(path: str | Path) -> Path:
    """Return where the learner edition of the notebook at ``path`` is written."""
    return LEARNER_DIR / Path(path).name


def write_learner(path: str | Path) -> Path:
    """Write the learner edition of the notebook at ``path``; return its path."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    target = learner_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(learner_edition(nb), ensure_ascii=False, indent=1, sort_keys=True)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write the learner edition of the given notebooks."""
    parser = argparse.ArgumentParser(prog="python -m crm_lessons.learner", description=__doc__)
    parser.add_argument("notebooks", nargs="*", help="notebooks (default: all)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(f"learner edition: {write_learner(p).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
