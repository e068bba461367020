"""Where things are: the study folder a kernel works for, and the files the toolkit ships.

Relative paths in a study's parameters (``data_path``, ``circular_rules_file``, ...) are read
against the *study folder*, the folder that holds ``parameters/study.yaml``, wherever the kernel
runs. The runner and ``iwm lab`` name that folder in the environment variable
``IWM_STUDY_DIR``; a notebook opened by hand in JupyterLab, or run by hand with papermill, finds
it by walking up from the notebook's own folder (JupyterLab tells the kernel the notebook's path
in ``JPY_SESSION_NAME``) and then from the working folder.

The toolkit's notebooks and its demonstration dataset live in the source tree (``notebooks/``
and ``data/demo/``); a wheel carries them inside the package (``iwm_study/_notebooks``,
``iwm_study/_demo``, mapped in pyproject.toml), so both kinds of install find them here.
Standard library only: the command line imports this module.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

#: Environment variable naming the study folder, set by ``iwm run`` and ``iwm lab``.
STUDY_DIR_ENV = "IWM_STUDY_DIR"
#: The file that marks a study folder.
STUDY_MARKER = Path("parameters") / "study.yaml"

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def find_study_dir(start: str | Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``parameters/study.yaml``, or None."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / STUDY_MARKER).is_file():
            return folder
    return None


def study_dir() -> Path:
    """The study folder of this process (see the module docstring); the working folder when
    none can be found, so that plain relative paths keep their usual meaning."""
    named = os.environ.get(STUDY_DIR_ENV)
    if named:
        return Path(named).resolve()
    for hint in (os.environ.get("JPY_SESSION_NAME"), os.getcwd()):
        if hint:
            found = find_study_dir(hint)
            if found is not None:
                return found
    return Path.cwd()


def resolve(path: str | Path) -> Path:
    """``path`` as is when absolute, else read against the study folder."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else study_dir() / p


def _shipped(inside: str, source: str) -> Path:
    """A folder the toolkit ships: inside the package (wheel) or in the source checkout."""
    packaged = _PACKAGE / inside
    return packaged if packaged.is_dir() else _CHECKOUT / source


def toolkit_notebooks() -> Path:
    """The folder of the toolkit's own notebooks (``training/`` below it)."""
    return _shipped("_notebooks", "notebooks")


def demo_data() -> Path:
    """The demonstration dataset (CSV folder) shipped with the toolkit."""
    return _shipped("_demo", "data/demo")


@cache
def toolkit_source_hash() -> str:
    """Hash of the toolkit's own files (code, code tables, geography, templates): part of every
    cache key, here so that a kernel can compute it without importing the runner."""
    digest = hashlib.sha256()
    for p in sorted(_PACKAGE.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            digest.update(str(p.relative_to(_PACKAGE)).encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()
