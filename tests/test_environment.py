"""environment.yml (conda) and pyproject.toml (pip) must list the same dependencies."""

import re
import tomllib

from packaging.requirements import Requirement

CONDA_ONLY = {"python", "pip"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_deps(root):
    data = tomllib.loads((root / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    return {_normalise(Requirement(r).name): str(Requirement(r).specifier) for r in reqs}


def _conda_deps(root):
    deps = {}
    in_deps = False
    for line in (root / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        if not in_deps:
            continue
        m = re.match(r"^  - ([A-Za-z0-9_.\-]+)\s*([<>=!~].*)?$", line)
        if m:
            deps[_normalise(m.group(1))] = (m.group(2) or "").strip()
    return {k: str(Requirement(k + v).specifier) for k, v in deps.items() if k not in CONDA_ONLY}


def test_environment_yml_matches_pyproject(root):
    pip, conda = _pyproject_deps(root), _conda_deps(root)
    assert set(pip) - set(conda) == set(), "in pyproject.toml but not environment.yml"
    assert set(conda) - set(pip) == set(), "in environment.yml but not pyproject.toml"
    differ = {k: (pip[k], conda[k]) for k in pip if pip[k] != conda[k]}
    assert differ == {}, f"version specifiers differ (pyproject, environment.yml): {differ}"


def test_lock_pins_every_dependency(root):
    lock = {}
    for line in (root / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            lock[_normalise(name)] = version
    for name, spec in _pyproject_deps(root).items():
        assert name in lock, f"{name} is a dependency but not pinned in requirements.lock"
        assert Requirement(name + spec).specifier.contains(lock[name]), (name, spec, lock[name])


def test_named_course_dependencies_are_declared(root):
    named = {"jupyterlab", "pandas", "seaborn", "scikit-learn", "lifetimes", "ipywidgets"}
    named |= {"nbval", "faker"}
    assert named <= set(_pyproject_deps(root))
