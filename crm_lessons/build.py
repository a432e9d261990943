"""Re-execute the course notebooks in place and store their outputs (the course build).

Run ``python -m crm_lessons.build`` (or ``make build``) from the checkout. Each
notebook runs top to bottom in a fresh ``crm-course`` kernel, with the
notebook's folder as working directory, and is saved with its outputs. The
saved file is normalised so it does not depend on the machine that built it:
fixed kernel and language metadata, no execution timings, stable cell ids.

Exercise answers computed in cells tagged ``answer-key`` are stored in
``crm_lessons/answer_keys/NN.json`` during the build (see
:func:`crm_lessons.exercises.answer_key`).

After each notebook is built its learner edition is written to ``learner/``
(:mod:`crm_lessons.learner`).

A notebook is skipped when neither its code nor anything it can depend on
(the ``crm_lessons`` and ``generators`` packages, ``datasets/``,
``requirements.lock``) changed since it was last built; ``--force`` re-runs it
anyway. Two notebooks run at a time (``--jobs``).

Examples
--------
>>> nb = {"cells": [{"cell_type": "code", "source": "1 + 1"}]}
>>> len(_source_digest(nb, "x")) == 64
True
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crm_lessons.learner import learner_path, write_learner

__all__ = [
    "LANGUAGE_INFO",
    "build_notebook",
    "inputs_digest",
    "main",
    "normalise",
    "notebooks_dir",
]

KERNEL_NAME = "crm-course"
KERNELSPEC = {
    "display_name": "CRM course (Python 3)",
    "language": "python",
    "name": KERNEL_NAME,
}
#: What the course kernel (:mod:`crm_lessons.kernel`) reports as ``language_info``;
#: stored as is, so JupyterLab finds nothing to change when it opens a lesson.
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
ROOT = Path(__file__).resolve().parent.parent
_DEPENDENCIES = ("crm_lessons", "generators", "datasets", "requirements.lock")


def notebooks_dir() -> Path:
    """Return the folder holding the lesson notebooks."""
    return ROOT / "notebooks"


def inputs_digest(root: Path = ROOT) -> str:
    """Return a SHA-256 over every file a notebook can depend on.

    Parameters
    ----------
    root : pathlib.Path
        The course checkout.

    Returns
    -------
    str
        Hex digest; changes whenever a file in ``crm_lessons/``,
        ``generators/``, ``datasets/`` or ``requirements.lock`` changes.
    """
    h = hashlib.sha256()
    for name in _DEPENDENCIES:
        base = root / name
        files = [base] if base.is_file() else sorted(base.rglob("*")) if base.exists() else []
        for f in files:
            if not f.is_file() or "__pycache__" in f.parts or f.suffix == ".pyc":
                continue
            if "answer_keys" in f.parts:  # written by the build itself
                continue
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _source_digest(nb: dict, deps: str) -> str:
    h = hashlib.sha256(deps.encode())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"]
            h.update(("".join(src) if isinstance(src, list) else src).encode())
            h.update(b"\0")
    return h.hexdigest()


def normalise(nb) -> None:
    """Strip machine-specific metadata from a notebook, in place.

    Keeps cell ids and tags; drops execution timings, widget state and the
    Python version; sets the course kernel and its ``language_info``
    (:data:`LANGUAGE_INFO`, what JupyterLab would write when it opens the
    notebook, so opening a lesson does not mark it modified).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    """
    import nbformat

    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = json.loads(json.dumps(LANGUAGE_INFO))
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        cell.metadata.pop("collapsed", None) if cell.cell_type != "code" else None
        if "id" not in cell:
            cell["id"] = hashlib.sha1("".join(cell.source).encode()).hexdigest()[:8]
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)
    nbformat.validator.normalize(nb)


def build_notebook(path: str | os.PathLike, *, force: bool = False, timeout: int = 600) -> str:
    """Execute one notebook in place; return ``"built"`` or ``"unchanged"``.

    Parameters
    ----------
    path : str or path-like
        The ``.ipynb`` file.
    force : bool, default False
        Execute even when nothing it depends on changed.
    timeout : int, default 600
        Seconds allowed per cell.

    Returns
    -------
    str
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    digest = _source_digest(nb, inputs_digest())
    if not force and nb.metadata.get("crm_build", {}).get("inputs") == digest:
        if not learner_path(path).exists():
            write_learner(path)
        return "unchanged"
    env_backup = dict(os.environ)
    os.environ.update(
        {
            "PYTHONHASHSEED": "0",
            "TQDM_DISABLE": "1",
            "CRM_COURSE_BUILD": "1",
            "CRM_RECORD_ANSWERS": "1",  # answer-key cells store the expected answers
        }
    )
    keys = ROOT / "crm_lessons" / "answer_keys" / f"{path.name.split('_', 1)[0]}.json"
    keys.unlink(missing_ok=True)  # the run writes this notebook's answers afresh
    # IPC sockets in a private folder: no TCP port race with kernels started
    # at the same time by the other build job or by a test run.
    ipc_dir = tempfile.mkdtemp(prefix="crm-build-")
    try:
        km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=f"{ipc_dir}/kernel")
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
        )
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
        shutil.rmtree(ipc_dir, ignore_errors=True)
    normalise(nb)
    nb.metadata["crm_build"] = {"inputs": digest}
    nbformat.write(nb, path)
    write_learner(path)
    return "built"


def _run_one(args: tuple[str, bool]) -> tuple[str, str, float]:
    path, force = args
    start = time.perf_counter()
    try:
        status = build_notebook(path, force=force)
    except Exception as exc:  # report and carry on with the other notebooks
        first = str(exc).strip().splitlines()
        status = "FAILED: " + (first[-1] if first else type(exc).__name__)
    return path, status, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m crm_lessons.build", description=__doc__)
    parser.add_argument("notebooks", nargs="*", help="notebooks to build (default: all)")
    parser.add_argument("--force", action="store_true", help="re-run even if unchanged")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at once")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(str(p) for p in notebooks_dir().glob("*.ipynb"))
    if not paths:
        print("no notebooks found")
        return 0
    jobs = max(1, min(args.jobs, len(paths)))
    failed = 0
    work = [(p, args.force) for p in paths]
    if jobs == 1:
        results = map(_run_one, work)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_run_one, work)
    for path, status, seconds in results:
        print(f"{status:>10}  {seconds:6.1f} s  {Path(path).name}", flush=True)
        failed += status.startswith("FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
