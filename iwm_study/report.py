"""What a notebook tells its report and the study index: key figures, tables and standard notes.

One way for each:

- a key figure is a :class:`KeyFigure`; ``record_figure`` shows one in the notebook and tags the
  same output with a JSON payload (mimetype ``FIGURE_MIMETYPE``) that the runner reads back from
  the executed notebook, and ``record_figures`` records the list an analysis module returns
  (``circular.key_figures``) through ``record_figure``. The figure thus travels inside the
  notebook itself: no side files, the same result under plain papermill, and nothing for a
  notebook to write. (scrapbook did this once; it is no longer maintained.)
- a table is ``table(frame, formats, caption, headers=..., index=...)``: report headers with
  units, number formats, every cell and label HTML-escaped once, ids that follow the order of
  the tables. Notebooks show no DataFrame any other way (``tests/test_report.py`` checks).
  The table it returns also carries its data as a JSON payload (mimetype ``TABLE_MIMETYPE``:
  caption, headers as shown, units, cells, number formats), read back like the key figures by
  ``tables_from_notebook`` for the report's Excel annex (``runner.annex``); the HTML is as
  before.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Number
from typing import TYPE_CHECKING, Any

from .i18n import N_, _, format_number

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

FIGURE_MIMETYPE = "application/vnd.iwm.figure+json"
TABLE_MIMETYPE = "application/vnd.iwm.table+json"
#: Texts in English, translated where shown (``_(SYNTHETIC_NOTE)``).
SYNTHETIC_NOTE = N_(
    "The enterprises and waste streams in this report are synthetic demonstration data: "
    "they resemble the structure of Azerbaijan's industry but describe no real enterprise."
)
ATTRIBUTIONS = (
    N_("Boundaries: Made with Natural Earth (public domain)."),
    N_("Towns: GeoNames, CC BY 4.0."),
)


def format_value(value: Any, digits: int = 1) -> str:
    """A number as a reviewer reads it: thousands separated, a fixed number of decimals."""
    if isinstance(value, bool) or not isinstance(value, Number):
        return str(value)
    if isinstance(value, int):
        return format_number(value)
    return format_number(float(value), digits)


def number_text(value: float) -> str:
    """A value as a reviewer reads it in a range: whole numbers from 100 up, one decimal below,
    never '-0'."""
    digits = 0 if abs(value) >= 100 else 1
    return format_number(0.0 if round(value, digits) == 0 else float(value), digits)


def span_text(low: float, high: float) -> str:
    """'4,100–25,000', or '-3,000 to 500' when an end is negative (a minus sign is never read
    as a dash)."""
    lo, hi = number_text(low), number_text(high)
    if lo.startswith(("-", "\u2212")) or hi.startswith(("-", "\u2212")):
        return _("{low} to {high}").format(low=lo, high=hi)
    return f"{lo}\u2013{hi}"


def range_text(central: float, low: float, high: float, unit: str = "") -> str:
    """'12,300 AZN/yr (4,100–25,000)': the central value, its unit, then its range."""
    return f"{number_text(central)}{' ' + unit if unit else ''} ({span_text(low, high)})"


@dataclass(frozen=True)
class Ranged:
    """A value with the ends of its range (the low and high ends bound it; they are not a
    confidence interval). A table cell shows it as '12,300 (4,100–25,000)'; the report's Excel
    annex keeps the three ends as three numeric columns."""

    central: float
    low: float
    high: float

    def __str__(self) -> str:
        return range_text(self.central, self.low, self.high)


#: The ends of a ``Ranged`` column in the annex, in order: attribute and header suffix.
RANGE_ENDS = (("central", N_("central")), ("low", N_("low end")), ("high", N_("high end")))


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of a notebook: what ``record_figure`` shows and records for the index.

    ``value`` is a number or a text; ``digits`` is the number of decimals to show.
    """

    key: str
    value: Any
    label: str
    unit: str = ""
    note: str = ""
    digits: int = 1

    def payload(self) -> dict[str, Any]:
        """The JSON-ready record the runner reads back (``figures.json``)."""
        value = self.value
        if isinstance(value, Number) and not isinstance(value, bool):
            value = int(value) if isinstance(value, int) else float(value)
        return {
            "key": self.key,
            "label": self.label,
            "value": value,
            "unit": self.unit,
            "note": self.note,
            "digits": self.digits,
        }

    def shown(self) -> str:
        """The value as a reviewer reads it, with its unit."""
        return format_value(self.value, self.digits) + (f" {self.unit}" if self.unit else "")

    def text(self) -> str:
        """The figure as plain text ('Waste generated: 1,234 t/yr')."""
        return f"{self.label}: {self.shown()}"

    def html(self) -> str:
        """The figure as the notebook and its report show it (label, value, note escaped)."""
        return (
            '<div class="iwm-figure"><span class="iwm-figure-label">'
            f"{html.escape(self.label)}</span> <strong>{html.escape(self.shown())}</strong>"
            + (
                f' <span class="iwm-figure-note">{html.escape(self.note)}</span>'
                if self.note
                else ""
            )
            + "</div>"
        )


def figure_payload(
    key: str, value: Any, label: str, unit: str = "", note: str = "", digits: int = 1
) -> dict[str, Any]:
    """The JSON-ready record of one key figure (``digits``: decimals to show)."""
    return KeyFigure(key, value, label, unit, note, digits).payload()


def record_figure(
    key: str, value: Any, label: str, unit: str = "", note: str = "", digits: int = 1
) -> None:
    """Show a key figure in the notebook and record it for the study index (``figures.json``)."""
    from IPython.display import display

    figure = KeyFigure(key, value, label, unit, note, digits)
    display(
        {
            FIGURE_MIMETYPE: figure.payload(),
            "text/plain": figure.text(),
            "text/html": figure.html(),
        },
        raw=True,
    )


def record_figures(figures: Iterable[KeyFigure]) -> None:
    """Record each of ``figures`` (as an analysis module returns them) with ``record_figure``."""
    for f in figures:
        record_figure(f.key, f.value, f.label, f.unit, f.note, f.digits)


#: Report headers of columns: column -> (header with its unit, number format or None), as
#: ``iwm_study.inventory.COLUMN_HEADERS``.
Headers = Mapping[str, tuple[str, str | None]]

_TABLES = itertools.count(1)


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, Any] | None = None,
    caption: str | None = None,
    *,
    headers: Headers | None = None,
    index: bool = True,
) -> Styler:
    """``frame`` as a table of the report: the one way a notebook shows a DataFrame.

    ``formats`` maps a column to its number format (a format string or a callable);
    ``headers`` maps a column to its report header (with the unit) and its format, as
    ``inventory.COLUMN_HEADERS`` does: the columns it names are shown under their headers and
    take its formats unless ``formats`` sets one. ``index=False`` hides the index.

    Every cell and label (headers, index, axis names, the caption) is HTML-escaped once, so a
    name like ``<img onerror=...>`` from the data shows as text. pandas gives every styled table
    a random id, which would change the report's bytes on every run; here ids follow the order
    of the tables in the notebook instead.
    """
    formats = dict(formats or {})
    caption = _(caption) if caption else caption
    if headers:
        names = {c: _(headers[c][0]) for c in frame.columns if c in headers}
        from_headers = {c: headers[c][1] for c in frame.columns if c in headers and headers[c][1]}
        formats = {names.get(c, c): f for c, f in (from_headers | formats).items()}
        frame = frame.rename(columns=names)
    payload = table_payload(frame, formats, caption, index=index)
    frame = _escape_axis_names(frame)
    styler = _table_class()(frame).set_uuid(f"iwm-table-{next(_TABLES)}")
    styler.iwm_payload = payload
    # Text from the data (enterprise names, descriptions) is shown as text, never as markup;
    # numbers are written as the report's language writes them.
    shown = {c: localised_format(f) for c, f in formats.items()}
    styler = styler.format(shown, na_rep="", escape="html").format_index(escape="html", axis=0)
    styler = styler.format_index(escape="html", axis=1)
    if caption:
        styler = styler.set_caption(html.escape(caption, quote=False))
    # Words read from the left, numbers from the right: text columns are aligned left, with
    # their headers (one rule per column, scoped to this table).
    text = [
        i
        for i in range(frame.shape[1])
        if not _numeric_dtype(frame.iloc[:, i])
        and not frame.iloc[:, i].map(_is_number).all()
        and not _ranged(frame.iloc[:, i].tolist())
    ]
    # A code (EWC '17 04 05*', NACE '23.51', 'R4') is read whole: its cells never break.
    whole = [i for i in text if _codes_only(frame.iloc[:, i].tolist())]
    rules = [
        {"selector": f"td.col{i}, th.col_heading.col{i}", "props": "text-align: left;"}
        for i in text
    ] + [{"selector": f"td.col{i}", "props": "white-space: nowrap;"} for i in whole]
    if rules:
        styler = styler.set_table_styles(rules, overwrite=False)
    if not index:
        styler = styler.hide(axis="index")
    return styler


def _table_class() -> type:
    """A pandas ``Styler`` that also carries its table's payload (made on first use: pandas is
    imported only by notebooks that show a table)."""
    global _TableClass
    if _TableClass is None:
        from pandas.io.formats.style import Styler

        class Table(Styler):
            """A table of the report: displays as its Styler, plus ``TABLE_MIMETYPE``."""

            iwm_payload: dict[str, Any] | None = None

            def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
                # IPython adds text/html (``_repr_html_``) and text/plain as before.
                return {TABLE_MIMETYPE: self.iwm_payload} if self.iwm_payload else {}

        _TableClass = Table
    return _TableClass


_TableClass: type | None = None

#: A Python format string of one number ('{:,.1f}', '{:+.0%}'): text around it, sign,
#: thousands separator, decimals, type.
_PY_FORMAT = re.compile(
    r"^(?P<pre>[^{}]*)\{:(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<digits>\d+))?(?P<kind>[fd%])?\}"
    r"(?P<post>[^{}]*)$"
)
_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]+)\)$")


def excel_format(spec: Any) -> str | None:
    """The Excel number format of a Python format string ('{:,.1f}' -> '#,##0.0'), or None
    when there is none that shows the same (a callable, '{:.4g}')."""
    match = _PY_FORMAT.match(spec) if isinstance(spec, str) else None
    if match is None:
        return None
    kind, digits = match["kind"], match["digits"]
    if kind == "d" and digits:
        return None
    if digits is None and kind in ("f", "%"):
        digits = "6"  # Python's default precision
    number = ("#,##0" if match["comma"] else "0") + (
        "." + "0" * int(digits) if digits and int(digits) else ""
    )
    number += "%" if kind == "%" else ""

    def literal(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if text else ""

    pre, post = literal(match["pre"]), literal(match["post"])
    if match["sign"]:
        return f"{pre}+{number}{post};{pre}-{number}{post};{pre}{number}{post}"
    return f"{pre}{number}{post}"


#: A Python format string of one value, with text around it ('{:,.1f} t', '{:.4g}').
_ONE_FORMAT = re.compile(r"^(?P<pre>[^{}]*)\{(?P<spec>:[^{}]*)\}(?P<post>[^{}]*)$")


def localised_format(spec: Any) -> Any:
    """A number format for the current language: a Python format string of one value
    ('{:,.1f}', '{:+.0%}', '{:.4g}') becomes a function that formats as Python does, then
    writes the number with the language's decimal and group signs (``i18n.localise_number``);
    in English, and for a callable, ``spec`` itself."""
    from .i18n import SOURCE_LANGUAGE, language, localise_number

    match = _ONE_FORMAT.match(spec) if isinstance(spec, str) else None
    if match is None or language() == SOURCE_LANGUAGE:
        return spec
    inner = "{" + match["spec"] + "}"

    def shown(value: Any) -> str:
        if not _is_number(value):
            return str(value)
        return match["pre"] + localise_number(inner.format(value)) + match["post"]

    return shown


def split_unit(header: str) -> tuple[str, str]:
    """A header and its unit, from the '(unit)' at its end: 'Waste (t/yr)' -> ('Waste', 't/yr')."""
    match = _UNIT.match(header)
    return (match["name"], match["unit"]) if match else (header, "")


def _label(value: Any) -> str:
    if isinstance(value, tuple):
        return " / ".join(str(v) for v in value if str(v))
    return "" if value is None else str(value)


def _cell(value: Any, spec: Any) -> Any:
    """One cell as the annex keeps it: a number as a number, anything else as the text shown,
    an empty cell (None, NaN, NA) as None."""
    import numbers

    if callable(spec) and not _missing(value):
        return str(spec(value))
    if _missing(value):
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(float(value)) else str(value)
    return str(value)


def _missing(value: Any) -> bool:
    """Whether pandas shows ``value`` as an empty cell (None, NaN, NA, NaT)."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array in a cell
        return False


def table_payload(
    frame: pd.DataFrame,
    formats: Mapping[str, Any] | None = None,
    caption: str | None = None,
    *,
    index: bool = True,
) -> dict[str, Any]:
    """The JSON-ready record of a table as the report shows it (``frame`` with its report
    headers): caption, one entry per column (header as shown, the header without its unit,
    the unit, the Excel number format) and the rows; numbers stay numbers, other cells are
    the text shown, an empty cell is None. Index levels come first when ``index``."""
    formats = dict(formats or {})
    columns: list[dict[str, Any]] = []
    values: list[list[Any]] = []
    if index:
        names = list(frame.index.names)
        for level, name in enumerate(names):
            shown = _label(name)
            columns.append(
                {
                    "header": shown,
                    "name": split_unit(shown)[0],
                    "unit": split_unit(shown)[1],
                    "format": None,
                }
            )
            values.append([_cell(v, None) for v in frame.index.get_level_values(level)])
    for position, column in enumerate(frame.columns):
        spec = formats.get(column)
        shown = _label(column)
        name, unit = split_unit(shown)
        cells = frame.iloc[:, position].tolist()
        if _ranged(cells):
            # A value with its range: three numeric columns, central, low end, high end.
            for end, suffix in RANGE_ENDS:
                label = f"{name}, {_(suffix)}"
                columns.append(
                    {
                        "header": f"{label} ({unit})" if unit else label,
                        "name": label,
                        "unit": unit,
                        "format": "#,##0.0",
                    }
                )
                values.append([None if _missing(v) else float(getattr(v, end)) for v in cells])
            continue
        columns.append({"header": shown, "name": name, "unit": unit, "format": excel_format(spec)})
        values.append([_cell(v, spec) for v in cells])
    rows = [list(r) for r in zip(*values, strict=True)] if values else []
    return {"caption": caption or "", "columns": columns, "rows": rows}


#: A code of the study's classifications: an EWC chapter, sub-chapter or entry (with its
#: star), a NACE division, group or class, an R or D operation.
_CODE = re.compile(r"^(?:\d{2}(?: \d{2}){0,2}\*?|\d{2}(?:\.\d{1,2})?|[RD]\d{1,2})$")


def _codes_only(cells: list[Any]) -> bool:
    """Whether every filled cell of a column is a code (at least one cell filled)."""
    filled = [v for v in cells if not _missing(v)]
    return bool(filled) and all(isinstance(v, str) and _CODE.match(v) for v in filled)


def _ranged(cells: list[Any]) -> bool:
    """Whether a column holds ranged values (every filled cell a ``Ranged``, at least one)."""
    filled = [v for v in cells if not isinstance(v, Ranged) and not _missing(v)]
    return not filled and any(isinstance(v, Ranged) for v in cells)


def _numeric_dtype(column: pd.Series) -> bool:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(column) or is_bool_dtype(column)


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _escape_axis_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the names of its index and columns HTML-escaped (pandas shows them as
    they are); the same frame when no name needs it."""

    def escaped(names: Iterable[Any]) -> list[Any]:
        return [html.escape(n, quote=False) if isinstance(n, str) else n for n in names]

    index, columns = escaped(frame.index.names), escaped(frame.columns.names)
    if index == list(frame.index.names) and columns == list(frame.columns.names):
        return frame
    return frame.rename_axis(index=index, columns=columns)


def tables_from_notebook(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table a notebook showed through ``table``, in cell order (read by the runner)."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if TABLE_MIMETYPE in data:
                found.append(dict(data[TABLE_MIMETYPE]))
    return found


def figures_from_notebook(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key figure a notebook recorded, in cell order (read by the runner)."""
    found = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if FIGURE_MIMETYPE in data:
                found.append(dict(data[FIGURE_MIMETYPE]))
    return found
