"""Files the reports of an outputs folder share, written once per run: plotly.js.

An inventory report draws its Sankey diagrams with plotly.js (4.8 MB). Inlined, it made each
inventory report 5.7 MB and each of papermill's notebook saves slow. Instead the runner writes
one copy, taken from the installed plotly package, to
``outputs/assets/plotly-<plotly.js version>.min.js``, and a report loads it as
``../assets/<that name>`` (reports live in ``outputs/<scope>/``; ``iwm_study.sankey_page``). A
report opened without the folder shows a still image of each diagram instead.

The runner imports no analysis module (tests/test_layout.py), so the name is read here from
the library's own header; tests/test_chart_layout.py checks it is the name the reports use.
"""

from __future__ import annotations

import filecmp
import os
import re
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

__all__ = ["ASSETS_DIR", "ensure_assets", "plotly_js", "plotly_js_name", "write_assets"]

#: The folder of shared files inside outputs/.
ASSETS_DIR = "assets"
_VERSION = re.compile(rb"plotly\.js v(\d+\.\d+\.\d+\S*)")


def plotly_js() -> Path:
    """The minified plotly.js that ships inside the installed plotly package."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


def plotly_js_name(source: Path | None = None) -> str:
    """``plotly-<version>.min.js``, the version read from the library's first lines."""
    with (source or plotly_js()).open("rb") as handle:
        found = _VERSION.search(handle.read(400))
    if found is None:
        raise ValueError(f"{source or plotly_js()}: no 'plotly.js v<version>' in its header")
    return f"plotly-{found.group(1).decode('ascii')}.min.js"


def _write_atomic(path: Path, content: bytes) -> None:
    """``content`` into ``path`` whole or not at all: a temporary file beside it, renamed."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _same(source: Path, target: Path) -> bool:
    """Whether ``target`` is a file with the bytes of ``source`` (sizes first, then content)."""
    try:
        return target.is_file() and filecmp.cmp(source, target, shallow=False)
    except OSError:
        return False


def _referenced(outputs_dir: Path, name: str) -> bool:
    """Whether a report of the folder (``outputs/<scope>/*.html``) loads ``name``."""
    needle = f"{ASSETS_DIR}/{name}".encode()
    return any(needle in page.read_bytes() for page in outputs_dir.glob("*/*.html"))


def write_assets(outputs_dir: str | Path) -> list[Path]:
    """Write the reports' shared files into ``outputs_dir/assets/``; return their paths.

    Called by the runner once per run, before any report is moved into place. A file already
    there with the same bytes is left untouched (a rerun writes nothing); a changed one is
    replaced atomically. An older plotly.js (after an upgrade) is removed once no report of
    the folder loads it any more.
    """
    folder = Path(outputs_dir) / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    source = plotly_js()
    name = plotly_js_name(source)
    target = folder / name
    if not _same(source, target):
        _write_atomic(target, source.read_bytes())
    for old in sorted(folder.glob("plotly-*.min.js")):
        if old.name != name and not _referenced(Path(outputs_dir), old.name):
            old.unlink(missing_ok=True)
    return [target]


def ensure_assets(outputs_dir: str | Path, pages: Iterable[bytes | None] = ()) -> list[Path]:
    """Write the shared files when a report needs them: one of ``pages`` (a job's new HTML)
    or a report already in the folder loads them. A study whose reports draw no Plotly chart
    gets no 4.8 MB file it would never load (a small disk stays free for its reports)."""
    outputs_dir = Path(outputs_dir)
    name = plotly_js_name()
    folder = outputs_dir / ASSETS_DIR
    if sorted(p.name for p in folder.glob("plotly-*.min.js")) == [name] and _same(
        plotly_js(), folder / name
    ):
        return [folder / name]  # in place, nothing older to remove: no report need be read
    needle = f"{ASSETS_DIR}/{name}".encode()
    if any(page and needle in page for page in pages) or _referenced(outputs_dir, name):
        return write_assets(outputs_dir)
    return []
