"""Every file a notebook's Markdown points to exists: a link, an image, or a file named in code
style (`parameters/study.yaml`, `README.md`). Reads the notebooks as JSON; runs nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").rglob("*.ipynb"))
#: Files the runner writes under outputs/<scope>/ (the outputs contract), which a notebook may name.
OUTPUT_FILES = ("figures.json", "manifest.json", "index.html")
#: Folders that are not the project's own files.
_SKIPPED = {".venv", ".git", "outputs", "node_modules", ".ipynb_checkpoints", "__pycache__"}

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
_FILE = re.compile(r"`([\w./-]+\.(?:md|py|ya?ml|json|csv|xlsx|ipynb|html|txt|geojson|gpkg))`")


def _project_files() -> set[str]:
    """Every file of the project, by its path from the root, walking past generated folders."""
    found: set[str] = set()
    stack = [PROJECT_ROOT]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name not in _SKIPPED and not entry.name.endswith(".egg-info"):
                    stack.append(entry)
            else:
                found.add(entry.relative_to(PROJECT_ROOT).as_posix())
    return found


def _targets(notebook: Path) -> list[tuple[int, str, str]]:
    """(cell, kind, target) of every relative link and every file named in code style."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for pattern, kind in ((_LINK, "link"), (_HTML, "link"), (_FILE, "file")):
            for match in pattern.finditer(text):
                target = match.group(1)
                if kind == "link" and (
                    re.match(r"^[a-z][a-z0-9+.-]*:", target) or target[0] == "#"
                ):
                    continue  # https:, mailto: and anchors are not files of the project
                found.append((i, kind, target.split("#")[0]))
    return found


def _resolves(notebook: Path, kind: str, target: str, files: set[str]) -> bool:
    if kind == "link":  # relative to the notebook, as JupyterLab and the reports resolve it
        path = (notebook.parent / target).resolve()
        return path.exists() and PROJECT_ROOT in path.parents
    if "/" in target:  # a path from the project folder
        return target in files
    return target in OUTPUT_FILES or any(f.rsplit("/", 1)[-1] == target for f in files)


def test_the_toolkit_has_notebooks_to_check() -> None:
    assert len(NOTEBOOKS) >= 9
    assert any(_targets(nb) for nb in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_file_a_notebook_points_to_exists(notebook: Path) -> None:
    files = _project_files()
    missing = [
        f"cell {i}: {target}"
        for i, kind, target in _targets(notebook)
        if not _resolves(notebook, kind, target, files)
    ]
    assert not missing, f"{notebook.relative_to(PROJECT_ROOT)} points to missing files: {missing}"


def test_a_missing_file_is_found() -> None:
    files = {"README.md", "parameters/study.yaml"}
    walkthrough = PROJECT_ROOT / "notebooks" / "training" / "walkthrough.ipynb"
    assert not _resolves(walkthrough, "file", "ARCHITECTURE.md", files)
    assert not _resolves(walkthrough, "file", "parameters/regions.yaml", files)
    assert not _resolves(walkthrough, "link", "../../NOTES.md", files)
    assert _resolves(walkthrough, "file", "figures.json", files)
    assert _resolves(walkthrough, "link", "../../README.md", files)
