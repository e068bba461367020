"""The environment is declared three times (pyproject, lock file, environment.yml): keep them in step."""

from __future__ import annotations

import itertools
import tomllib
from collections import Counter

import yaml
from conftest import PROJECT_ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = PROJECT_ROOT / "requirements" / "lock.txt"

# Marker values of the platforms the lock is resolved for (uv's --universal), per Python version.
_PLATFORMS = {
    "linux": {
        "os_name": "posix",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "x86_64",
    },
    "windows": {
        "os_name": "nt",
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "AMD64",
    },
    "macos": {
        "os_name": "posix",
        "sys_platform": "darwin",
        "platform_system": "Darwin",
        "platform_machine": "arm64",
    },
}
_PYTHONS = ("3.11.7", "3.12.4", "3.13.1")


def _environment(platform: str, python: str) -> dict[str, str]:
    return {
        **_PLATFORMS[platform],
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


ENVIRONMENTS = {
    f"{platform}-py{python}": _environment(platform, python)
    for platform, python in itertools.product(_PLATFORMS, _PYTHONS)
}


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> dict[str, Requirement]:
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "distributed"):
        reqs += project["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, reqs)}


def _lock_lines() -> list[str]:
    return LOCK.read_text(encoding="utf-8").splitlines()


def _pins() -> list[Requirement]:
    """Every pinned line of the lock, markers included (``name==1.0 ; sys_platform == 'win32'``)."""
    pins = []
    for line in _lock_lines():
        text = line.split("#", 1)[0].strip()
        if not text or text.startswith("-"):
            continue
        req = Requirement(text)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not an exact pin: {line!r}"
        pins.append(req)
    return pins


def _pin_version(req: Requirement) -> str:
    return next(iter(req.specifier)).version


def _applies(req: Requirement, environment: dict[str, str]) -> bool:
    return req.marker is None or req.marker.evaluate(environment)


def _locked_for(environment: dict[str, str]) -> dict[str, str]:
    """What pip installs from the lock in that environment: name -> version."""
    return {
        canonicalize_name(req.name): _pin_version(req)
        for req in _pins()
        if _applies(req, environment)
    }


def test_extras_and_entry_point() -> None:
    project = _pyproject()["project"]
    assert set(project["optional-dependencies"]) >= {"test", "distributed"}
    assert project["scripts"]["iwm"] == "iwm_study.cli:main"
    assert project["requires-python"] == ">=3.11"


def test_lock_pins_every_dependency_within_its_range() -> None:
    for env_name, environment in ENVIRONMENTS.items():
        locked = _locked_for(environment)
        for name, req in _declared().items():
            assert name in locked, (
                f"{name} is declared in pyproject.toml but not pinned in requirements/lock.txt"
                f" for {env_name}"
            )
            assert req.specifier.contains(locked[name], prereleases=True), (
                f"{name}=={locked[name]} is outside {req.specifier} ({env_name})"
            )


def test_lock_is_resolved_universally() -> None:
    header = "\n".join(line for line in _lock_lines()[:5] if line.startswith("#"))
    assert "uv pip compile" in header and "--universal" in header, (
        "requirements/lock.txt must be compiled with `uv pip compile ... --universal`"
    )

    pins = _pins()
    by_name: dict[str, list[Requirement]] = {}
    for req in pins:
        by_name.setdefault(canonicalize_name(req.name), []).append(req)

    # No package is pinned twice for one environment: repeated names need disjoint markers.
    for env_name, environment in ENVIRONMENTS.items():
        counts = Counter(canonicalize_name(req.name) for req in pins if _applies(req, environment))
        twice = sorted(name for name, n in counts.items() if n > 1)
        assert not twice, f"pinned more than once for {env_name}: {twice}"
    for name, reqs in by_name.items():
        if len(reqs) > 1:
            assert all(req.marker is not None for req in reqs), f"{name} is pinned twice"

    def platforms_of(name: str) -> set[str]:
        assert name in by_name, f"{name} is not pinned in requirements/lock.txt"
        return {
            platform
            for platform, python in itertools.product(_PLATFORMS, _PYTHONS)
            if any(_applies(req, _environment(platform, python)) for req in by_name[name])
        }

    # Platform-only dependencies of Jupyter, tqdm, click and pytest carry their markers.
    assert platforms_of("pywinpty") == {"windows"}  # terminado / jupyter-server on Windows
    assert platforms_of("colorama") == {"windows"}  # tqdm, click, pytest on Windows
    assert platforms_of("appnope") == {"macos"}  # ipykernel on macOS
    assert platforms_of("pexpect") == {"linux", "macos"}  # IPython, not on Windows
    # jupyter_core dropped pywin32 in 5.9; should anything bring it back, it is Windows-only.
    if "pywin32" in by_name:
        assert platforms_of("pywin32") == {"windows"}


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


def test_the_package_list_names_every_package_folder() -> None:
    """pyproject.toml lists the packages by name (so that it can map notebooks/ and data/demo/
    into the wheel): a new subpackage must be added there too."""
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(PROJECT_ROOT).parts)
        for p in (PROJECT_ROOT / "iwm_study").rglob("__init__.py")
    }
    mapped = set(_pyproject()["tool"]["setuptools"]["package-dir"])
    assert listed == found | mapped


def test_a_wheel_carries_the_notebooks_and_the_demonstration_data(tmp_path) -> None:
    """A study made with a wheel install finds the toolkit's notebooks and demo data in it."""
    import shutil
    import subprocess
    import sys
    import zipfile

    # built from a copy, so that the build leaves nothing in the project folder
    source = tmp_path / "src"
    shutil.copytree(
        PROJECT_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "outputs", "build", "*.egg-info", "__pycache__", "studies", "tests"
        ),
    )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for nb in (PROJECT_ROOT / "notebooks").rglob("*.ipynb"):
        rel = nb.relative_to(PROJECT_ROOT / "notebooks").as_posix()
        assert f"iwm_study/_notebooks/{rel}" in names
    for table in ("enterprises", "waste_streams", "facilities"):
        assert f"iwm_study/_demo/{table}.csv" in names
    assert "iwm_study/data/codes/ewc_entries.csv" in names
    assert not any(n.startswith(("tests/", "outputs/", "parameters/")) for n in names)
