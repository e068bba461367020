"""Snapshots of a validated study, so that a run reads and checks its data once, not per kernel.

``iwm run``'s pre-flight reads and checks the data before any kernel starts; it pickles the
:class:`~iwm_study.data.study.Study` it found valid into ``outputs/.cache/study/`` under a key
(:func:`snapshot_key`) and names that folder to the kernels in ``IWM_STUDY_SNAPSHOTS``. A
kernel's ``load_study`` computes the key of its own call and, when a snapshot has it, unpickles
it in milliseconds in place of a second of reading and checking. Without the variable, or when
no snapshot matches, ``load_study`` reads the files as ever: a snapshot is only a shortcut.

The key is a hash of everything ``inspect_study``'s result depends on: its options (a list of
EWC entries by its bytes) and a context (:func:`snapshot_context`: the data's path and bytes,
the year, the only part of the date the checks read, the language of the messages, the
toolkit's own source and the versions of the libraries the pickle holds). Two calls with the
same key get equal studies, so the pre-flight and a kernel need only pass the same arguments.
No pandas at import time, nor in :func:`snapshot_context`: the runner uses them on its fast
path.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..paths import demo_data, resolve, toolkit_source_hash
from .schema import MAX_STREAM_T, TABLES

if TYPE_CHECKING:
    from .study import Study
    from .validate import GeoSettings

#: Environment variable naming the folder of snapshots; the runner sets it for the kernels.
SNAPSHOT_ENV = "IWM_STUDY_SNAPSHOTS"
#: Snapshots kept in the folder: the one just written and the newest others (see
#: :func:`write_snapshot`).
KEEP = 4
#: Libraries whose objects the pickle holds: another version may unpickle wrongly or not at all.
_LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyproj")
_PREFIX, _SUFFIX = "study-", ".pickle"
#: A temporary file older than this (s) is left over from a writer that died; it is removed.
_STALE_TEMP_S = 3600


def snapshot_folder(outputs: Path) -> Path:
    """The folder of snapshots under the runner's ``outputs`` folder (not ``.staging``, which
    each run wipes)."""
    return Path(outputs) / ".cache" / "study"


def _file_hash(path: Path) -> str | None:
    """sha256 of a file's bytes; None when it is missing or cannot be read (the reader then
    reports an error, and a study with errors is never snapshotted)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _source_state(source: Path) -> dict[str, Any]:
    """What ``read_source`` reads at ``source``: the table files of a folder and the names of
    its other CSV files (each one a warning), or the workbook or GeoPackage itself."""
    try:
        if source.is_dir():
            known = {f"{t}.csv" for t in TABLES}
            return {
                "tables": {name: _file_hash(source / name) for name in sorted(known)},
                "other_csv": sorted(p.name for p in source.glob("*.csv") if p.name not in known),
            }
        return {"file": _file_hash(source)}
    except OSError as exc:
        return {"unreadable": exc.errno}


@cache
def _library_versions() -> dict[str, str | None]:
    """Each library's installed version, from the ``Version:`` line of its core metadata's
    headers. Written by hand: ``importlib.metadata.version`` parses the whole file with the
    email package (long descriptions included), 25 ms for these five, which a run with
    nothing to do felt; the fields' format is fixed by the core metadata specification."""
    from importlib.metadata import PackageNotFoundError, distribution

    found: dict[str, str | None] = {}
    for name in _LIBRARIES:
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            found[name] = None
            continue
        headers = (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").split("\n\n")[0]
        version = [line[8:].strip() for line in headers.splitlines() if line.startswith("Version:")]
        found[name] = version[0] if version else dist.version
    return found


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_context(source: str | Path | None = None, today: date | None = None) -> str:
    """The part of the key that is not an option: the data at ``source`` (its path too, which
    the study holds in ``source``, ``files`` and its warnings), the year (the only part of the
    date the checks read: ``data.validate`` and ``data.frames``, a test watches), the language
    of the messages, the toolkit and the libraries the pickle holds. Without pandas, so the
    pre-flight of a run with nothing to do can tell whether its snapshot is still there."""
    from ..i18n import language

    path = demo_data() if source is None else resolve(source)
    return _hash(
        {
            "source": str(path),
            "data": _source_state(path),
            "year": (today or date.today()).year,
            "language": language(),
            "toolkit": toolkit_source_hash(),
            "python": sys.version,
            "libraries": _library_versions(),
        }
    )


def snapshot_key(
    source: str | Path | None = None,
    *,
    ewc_entries: str | Path | None = None,
    today: date | None = None,
    geo: GeoSettings | None = None,
    number_format: str | None = None,
    max_stream_t: float = MAX_STREAM_T,
) -> str:
    """The key of ``inspect_study(source, **options)`` (same arguments): equal keys, equal
    studies. Paths are resolved as ``inspect_study`` resolves them and defaults filled in, so a
    relative ``data_path`` in a kernel and the absolute path of the pre-flight agree."""
    from .validate import GeoSettings

    options = {
        # a list named but missing is not the same as none (it is an error)
        "ewc_entries": None
        if ewc_entries is None
        else {"sha256": _file_hash(resolve(ewc_entries))},
        "geo": {k: float(v) for k, v in asdict(geo or GeoSettings()).items()},
        "number_format": number_format,
        "max_stream_t": float(max_stream_t),
    }
    return _hash({"context": snapshot_context(source, today), "options": options})


def snapshot_path(folder: Path, key: str) -> Path:
    """The file of the snapshot ``key`` in ``folder``."""
    return Path(folder) / f"{_PREFIX}{key}{_SUFFIX}"


def write_snapshot(folder: Path, key: str, study: Study) -> Path:
    """Pickle ``study`` (valid: ``load_study`` returned it) as the snapshot ``key`` in ``folder``.

    Written whole into a temporary file beside it and renamed into place, so a kernel never
    reads half a snapshot. Keeps this snapshot and the ``KEEP - 1`` newest others: a run writes
    one key, but keys change with the data, settings, language and toolkit, and a study built in
    turns in two languages or two settings keeps hitting; older ones only take room. Raises
    ``OSError`` when the folder cannot be written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = snapshot_path(folder, key)
    fd, temporary = tempfile.mkstemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, study), fh, protocol=5)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from a worker of another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(folder, target)
    return target


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but ``keep`` and the newest other snapshots, and temporary files of writers
    that died; a file another process removes or holds open is left to the next run."""
    others = []
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
        if path != keep:
            try:
                others.append((path.stat().st_mtime, path.name, path))
            except OSError:
                continue
    old = sorted(others, reverse=True)[KEEP - 1 :]
    now = time.time()
    for path in folder.glob(f".{_PREFIX}*.tmp"):
        try:
            if now - path.stat().st_mtime > _STALE_TEMP_S:
                old.append((0.0, path.name, path))
        except OSError:
            continue
    for _, _, path in old:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue


def read_snapshot(folder: Path, key: str) -> Study | None:
    """The study of the snapshot ``key`` in ``folder``; None when there is none or it cannot be
    used (truncated, garbage, another key or type inside). Never raises: a caller then reads
    the files."""
    from .study import Study

    try:
        with open(snapshot_path(folder, key), "rb") as fh:
            found = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, garbage, a class that moved
        return None
    if (
        isinstance(found, tuple)
        and len(found) == 2
        and found[0] == key
        and isinstance(found[1], Study)
    ):
        return found[1]
    return None


def snapshot_study(source: str | Path | None = None, **options: Any) -> Study | None:
    """The snapshot of ``inspect_study(source, **options)`` in the folder the runner names in
    ``IWM_STUDY_SNAPSHOTS``; None when the variable is unset or no snapshot matches."""
    folder = os.environ.get(SNAPSHOT_ENV)
    if not folder:
        return None
    return read_snapshot(Path(folder), snapshot_key(source, **options))
