"""Check that a learner's environment can run the course, and say what to fix.

Lesson 00 calls :func:`check_environment` first thing. Each check has a plain
fix ("run `make setup`" ...) so a learner who is stuck knows exactly what to do.

Examples
--------
>>> report = check_environment(verbose=False)
>>> report.columns.tolist()
['check', 'status', 'what to do']
>>> bool((report["status"] == "ok").all())
True
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import sys
import tomllib
from pathlib import Path

import pandas as pd
from packaging.requirements import Requirement

__all__ = ["check_environment", "installed_versions", "required_packages"]

_ROOT = Path(__file__).resolve().parent.parent
# Import name where it differs from the distribution name.
_IMPORT_NAMES = {"scikit-learn": "sklearn", "faker": "faker", "pyarrow": "pyarrow"}
_FIX_INSTALL = "run `make setup` in the course folder (or `pip install -e .`), then restart"


def required_packages() -> list[Requirement]:
    """Return the course's runtime requirements from ``pyproject.toml``.

    Falls back to the installed package's metadata when the source tree is
    not available.

    Returns
    -------
    list of packaging.requirements.Requirement

    Examples
    --------
    >>> "pandas" in [r.name for r in required_packages()]
    True
    """
    pyproject = _ROOT / "pyproject.toml"
    if pyproject.is_file():
        reqs = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    else:  # installed without the source tree
        reqs = [r for r in (md.requires("crm-lessons") or []) if "extra ==" not in r]
    return [Requirement(r) for r in reqs]


def installed_versions() -> pd.DataFrame:
    """Return the installed version of every required package.

    Returns
    -------
    pandas.DataFrame
        Columns ``package``, ``required``, ``installed`` (``None`` if missing).
    """
    rows = []
    for req in required_packages():
        try:
            version = md.version(req.name)
        except md.PackageNotFoundError:
            version = None
        rows.append({"package": req.name, "required": str(req.specifier), "installed": version})
    return pd.DataFrame(rows)


def _kernel_installed(name: str) -> bool:
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError:
        return False
    return name in KernelSpecManager().find_kernel_specs()


def check_environment(*, verbose: bool = True) -> pd.DataFrame:
    """Run every set-up check and return (and optionally print) the results.

    Checks: the Python version; each required package is installed, recent
    enough and importable; the ``crm-course`` Jupyter kernel is registered;
    the CDNOW data inside lifetimes can be read; the course data sets are
    present; a font with Chinese glyphs is available to matplotlib (its name
    is in the ``check`` column, so the learner sees which font figures use).

    Parameters
    ----------
    verbose : bool, default True
        Print a one-line verdict and every problem found.

    Returns
    -------
    pandas.DataFrame
        Columns ``check``, ``status`` (``"ok"`` or ``"PROBLEM"``) and
        ``what to do``.
    """
    rows: list[tuple[str, bool, str]] = []
    py_ok = sys.version_info >= (3, 11)
    rows.append(("Python 3.11 or newer", py_ok, "install Python 3.11+ and re-run `make setup`"))
    for req in required_packages():
        try:
            inst = md.version(req.name)
        except md.PackageNotFoundError:
            inst = None
        if inst is None:
            rows.append((f"package {req.name}", False, f"missing: {_FIX_INSTALL}"))
            continue
        ok = req.specifier.contains(inst, prereleases=True)
        if ok:
            try:
                importlib.import_module(_IMPORT_NAMES.get(req.name, req.name.replace("-", "_")))
            except Exception as exc:  # a broken install is a problem to report, not to raise
                ok, fix = (
                    False,
                    f"installed but fails to import ({type(exc).__name__}): {_FIX_INSTALL}",
                )
            else:
                fix = ""
        else:
            fix = f"version {inst} does not satisfy {req.specifier}: {_FIX_INSTALL}"
        rows.append((f"package {req.name}", ok, fix))
    rows.append(
        (
            "Jupyter kernel 'crm-course'",
            _kernel_installed("crm-course"),
            "run `make setup` (it registers the kernel), then pick 'CRM course (Python 3)'",
        )
    )
    try:
        from crm_lessons.datasets import load_cdnow_summary

        cdnow_ok = len(load_cdnow_summary()) == 2357
    except Exception:
        cdnow_ok = False
    rows.append(("CDNOW data inside lifetimes", cdnow_ok, "reinstall lifetimes: `make setup`"))
    from crm_lessons.datasets import datasets_dir, list_datasets

    rows.append(
        (
            "course data sets in datasets/",
            bool(list_datasets()),
            f"no data sets found in {datasets_dir()}: use a full clone of the course repository",
        )
    )
    from crm_lessons.plotting import cjk_font

    font = cjk_font()
    rows.append(
        (
            f"Chinese font for figures: {font or 'none found'}",
            font is not None,
            "run `make setup` (it installs the mplfonts package, which ships Noto Sans CJK)",
        )
    )
    report = pd.DataFrame(
        [(name, "ok" if ok else "PROBLEM", "" if ok else fix) for name, ok, fix in rows],
        columns=["check", "status", "what to do"],
    )
    if verbose:
        problems = report[report["status"] != "ok"]
        if problems.empty:
            print(f"All {len(report)} checks passed: you are ready to start.")
        else:
            print(f"{len(problems)} of {len(report)} checks found a problem:")
            for row in problems.itertuples(index=False):
                print(f"  - {row.check}: {row[2]}")
    return report
