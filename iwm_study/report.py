"""What a notebook tells its report and the study index: key figures and standard notes.

``record_figure`` shows a figure in the notebook and tags the same output with a JSON payload
(mimetype ``FIGURE_MIMETYPE``) that the runner reads back from the executed notebook. The figure
thus travels inside the notebook itself: no side files, the same result under plain papermill,
and nothing for a notebook to write. (scrapbook did this once; it is no longer maintained.)
"""

from __future__ import annotations

import html
import itertools
import math
from numbers import Number
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

FIGURE_MIMETYPE = "application/vnd.iwm.figure+json"
SYNTHETIC_NOTE = (
    "The enterprises and waste streams in this report are synthetic demonstration data: "
    "they resemble the structure of Azerbaijan's industry but describe no real enterprise."
)
ATTRIBUTIONS = (
    "Boundaries: Made with Natural Earth (public domain).",
    "Towns: GeoNames, CC BY 4.0.",
)


def format_value(value: Any, digits: int = 1) -> str:
    """A number as a reviewer reads it: thousands separated, a fixed number of decimals."""
    if isinstance(value, bool) or not isinstance(value, Number):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if math.isnan(float(value)):
        return "n/a"
    return f"{float(value):,.{digits}f}"


def figure_payload(
    key: str, value: Any, label: str, unit: str = "", note: str = "", digits: int = 1
) -> dict[str, Any]:
    """The JSON-ready record of one key figure (``digits``: decimals to show)."""
    if isinstance(value, Number) and not isinstance(value, bool):
        value = int(value) if isinstance(value, int) else float(value)
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "note": note,
        "digits": digits,
    }


def record_figure(
    key: str, value: Any, label: str, unit: str = "", note: str = "", digits: int = 1
) -> None:
    """Show a key figure in the notebook and record it for the study index (``figures.json``)."""
    from IPython.display import display

    payload = figure_payload(key, value, label, unit, note, digits)
    shown = format_value(value, digits) + (f" {unit}" if unit else "")
    text = f"{label}: {shown}"
    block = (
        '<div class="iwm-figure"><span class="iwm-figure-label">'
        f"{html.escape(label)}</span> <strong>{html.escape(shown)}</strong>"
        + (f' <span class="iwm-figure-note">{html.escape(note)}</span>' if note else "")
        + "</div>"
    )
    display({FIGURE_MIMETYPE: payload, "text/plain": text, "text/html": block}, raw=True)


_TABLES = itertools.count(1)


def table(
    frame: pd.DataFrame, formats: dict[str, str] | None = None, caption: str | None = None
) -> Styler:
    """A DataFrame styled the toolkit's way for a report.

    pandas gives every styled table a random id, which would change the report's bytes on
    every run; here ids follow the order of the tables in the notebook instead. Every cell and
    label is HTML-escaped, so a name like ``<img onerror=...>`` shows as text.
    """
    styler = frame.style.set_uuid(f"iwm-table-{next(_TABLES)}")
    # Text from the data (enterprise names, descriptions) is shown as text, never as markup.
    styler = styler.format(formats, na_rep="", escape="html").format_index(escape="html", axis=0)
    styler = styler.format_index(escape="html", axis=1)
    if caption:
        styler = styler.set_caption(caption)
    return styler


def figures_from_notebook(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key figure a notebook recorded, in cell order (read by the runner)."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if FIGURE_MIMETYPE in data:
                found.append(dict(data[FIGURE_MIMETYPE]))
    return found
