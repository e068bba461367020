"""The environment is declared three times (pyproject, lock file, environment.yml): keep them in step."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import PROJECT_ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> dict[str, Requirement]:
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "distributed"):
        reqs += project["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, reqs)}


def _locked() -> dict[str, str]:
    pins = {}
    for line in (
        (PROJECT_ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines()
    ):
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
    return pins


def test_extras_and_entry_point() -> None:
    project = _pyproject()["project"]
    assert set(project["optional-dependencies"]) >= {"test", "distributed"}
    assert project["scripts"]["iwm"] == "iwm_study.cli:main"
    assert project["requires-python"] == ">=3.11"


def test_lock_pins_every_dependency_within_its_range() -> None:
    locked = _locked()
    for name, req in _declared().items():
        assert name in locked, (
            f"{name} is declared in pyproject.toml but not pinned in requirements/lock.txt"
        )
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} is outside {req.specifier}"
        )


def test_environment_yml_matches_pyproject() -> None:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    specs: dict[str, str] = {}
    pip_items: list[str] = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip_items += item["pip"]
        else:
            specs[canonicalize_name(Requirement(item).name)] = str(Requirement(item).specifier)
    for item in pip_items:
        if not item.startswith("-e"):
            specs[canonicalize_name(Requirement(item).name)] = str(Requirement(item).specifier)
    declared = {name: str(req.specifier) for name, req in _declared().items()}
    specs.pop("python")
    specs.pop("pip")
    assert specs == declared
    assert "-e ." in pip_items  # the package itself is installed with pip
