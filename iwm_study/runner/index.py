"""The run's record and its front page: ``manifest.json``, ``figures.json`` and ``index.html``.

The manifest is the provenance of every job (key and its parts, parameters, status, durations,
error); the index is what a reviewer opens first. Both are written atomically (temporary file,
then rename), and the index has no timestamps, so an unchanged study gives an unchanged page.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
INDEX = "index.html"
FIGURES = "figures.json"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        # mkstemp makes the file private (0600); give it the permissions of any file written here
        # so that reviewers (and a web server) can read the index and the manifest.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_manifest(outputs: Path) -> dict[str, Any]:
    """The last run's manifest, or an empty one when there is none or it cannot be read."""
    try:
        data = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def humanise(stem: str) -> str:
    """'02_waste_inventory' -> 'Waste inventory'."""
    words = stem.split("_")
    if words and words[0].isdigit():
        words = words[1:]
    text = " ".join(words) or stem
    return text[:1].upper() + text[1:]


def job_state(entry: dict[str, Any] | None, key: str, outputs_exist: bool) -> str:
    """'ok', 'stale', 'failed' or 'not-run' for one cell of the index."""
    if not entry:
        return "not-run"
    if entry.get("status") == "failed":
        return "failed"
    if entry.get("status") == "ok" and outputs_exist:
        return "ok" if entry.get("key") == key else "stale"
    return "not-run"


STATE_LABELS = {
    "ok": "up to date",
    "stale": "out of date",
    "failed": "failed",
    "not-run": "not run",
    "not-applicable": "not applicable",
}


def render_index(context: dict[str, Any]) -> str:
    """The index page from a plain context (see ``runner.run.write_index``)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("iwm_study.runner", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )
    env.filters["state_label"] = lambda s: STATE_LABELS.get(s, s)
    return env.get_template("index_page.html.j2").render(**context)
