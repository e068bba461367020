"""The rules of the house, checked: small modules with one job each, and imports that run one
way (analysis never imports the runner or the command line; the runner never imports analysis;
the configuration and intake import neither)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "iwm_study"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: "No module of the package is over about 600 lines."
MAX_LINES = 620
ANALYSIS = ("scoring", "inventory", "flows", "circular", "maps", "charts", "conclusions")


def _name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every iwm_study module (and imported name) this file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("iwm_study")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.startswith("iwm_study"):
                found.add(module)
                found |= {f"{module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_is_small_and_says_its_job(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name}: split it by job"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and doc.strip().splitlines()[0].strip(), f"{path.name}: no docstring"


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    here = _top(_name(path))
    # The one AHP lives in scoring, in a pure-Python module the parameter check also uses.
    shared = {"iwm_study.scoring.ahp"}
    used = {_top(m) for m in _imports(path) if not any(m.startswith(s) for s in shared)}
    used -= {here, ""}
    if here in ANALYSIS:
        assert not used & {"runner", "cli", "scaffold"}, used
    if here == "runner":
        assert not used & set(ANALYSIS), used
    if here in ("config", "data", "paths", "exits", "lazy"):
        assert not used & {*ANALYSIS, "runner", "cli", "scaffold", "docs"}, used
    if here == "docs":
        assert "runner" not in used, used
