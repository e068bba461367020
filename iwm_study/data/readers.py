"""Read a study's input tables as text, from a folder of CSV files, a workbook or a GeoPackage.

Every reader returns the same thing: for each table, a DataFrame of strings (blank cells as "")
indexed by the row number a person sees in the file (header = row 1), and the file, sheet or
layer it came from. Typing and checking happen afterwards in one place (``validate``), so that a
CSV, a workbook and a GeoPackage are held to exactly the same rules.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..i18n import N_, _
from .issues import Issue
from .schema import EXAMPLE_PREFIX, TABLES, UNITS_ROW_MARKER, Table

#: File signatures used to tell a file that is not what its extension says.
_ZIP_MAGIC = b"PK\x03\x04"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other OLE2 files

#: How many leading rows of a sheet may come before the header (titles, instructions).
_MAX_HEADER_SEARCH = 10


@dataclass
class RawTable:
    """One table as read: text cells indexed by the person-visible row number.

    ``numeric`` marks (same shape as ``frame``) the cells that were numbers in the source (a
    workbook's numeric cells, a GeoPackage's numeric fields): those are numbers already and are
    never read as text that could be written in one number format or another.
    """

    name: str
    frame: pd.DataFrame
    file: str
    sheet: str | None = None
    numeric: pd.DataFrame | None = None


@dataclass
class RawStudy:
    """The tables found at a source, and the problems met while reading them."""

    source: Path
    tables: dict[str, RawTable]
    issues: list[Issue]


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or a zero byte in every other place (ASCII letters)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 8:
        return False
    odd, even = sample[1::2], sample[0::2]
    return odd.count(0) > 0.8 * len(odd) or even.count(0) > 0.8 * len(even)


def sniff_kind(path: Path) -> str:
    """Say what a file really is from its first bytes: 'xlsx', 'gpkg', 'xls', 'utf16',
    'binary' or 'text'."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_SQLITE_MAGIC):
        return "gpkg"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if _looks_utf16(head):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    return "text"


_KIND_LABEL = {
    "xlsx": N_("an Excel workbook (zip)"),
    "gpkg": N_("a GeoPackage (SQLite)"),
    "xls": N_("a legacy Excel .xls file"),
    "utf16": N_("UTF-16 text"),
    "binary": N_("a binary file"),
    "text": N_("a text file"),
}
_EXTENSION_KIND = {".csv": "text", ".xlsx": "xlsx", ".gpkg": "gpkg"}


def _check_format(path: Path, display: str) -> Issue | None:
    """An issue when the file is empty or its content does not match its extension."""
    if path.stat().st_size == 0:
        return Issue(
            display,
            "file-empty",
            _("the file is empty (0 bytes)."),
            hint=_("Export the table again."),
        )
    expected = _EXTENSION_KIND[path.suffix.lower()]
    actual = sniff_kind(path)
    if actual == "utf16" and expected == "text":
        return Issue(
            display,
            "encoding",
            _("the file is UTF-16 text (what Excel saves as 'Unicode Text'), not UTF-8."),
            hint=_("Save it as 'CSV UTF-8 (Comma delimited)', or re-encode it to UTF-8."),
        )
    if actual != expected:
        return Issue(
            display,
            "file-format",
            _("the file has the extension {extension} but its content is {kind}.").format(
                extension=path.suffix, kind=_(_KIND_LABEL[actual])
            ),
            hint=_("Save it as {kind} or give it the matching extension.").format(
                kind=_(_KIND_LABEL[expected])
            ),
        )
    return None


def cell_text(value: Any) -> str:
    """A cell value as the text a person would type: '' for empty, no '.0' on whole numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _is_number(value: Any) -> bool:
    """Whether a cell holds a number as such (not text, not a yes/no)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _frame_from_rows(
    rows: list[list[Any]], first_row_number: int, display: str, sheet: str | None, spec: Table
) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Find the header among the first rows, then build the text frame indexed by row number."""
    key, table = spec.key, spec.name
    header_at = None
    for i, row in enumerate(rows[:_MAX_HEADER_SEARCH]):
        if key in [cell_text(v) for v in row]:
            header_at = i
            break
    if header_at is None:
        if not any(any(cell_text(v) for v in row) for row in rows):
            return None, [
                Issue(display, "file-empty", _("the table has no header and no rows."), sheet=sheet)
            ]
        first = [cell_text(v) for v in rows[0]] if rows else []
        return None, [
            Issue(
                display,
                "column-missing",
                _("no header row with the key column '{key}' in the first {n} rows.").format(
                    key=key, n=_MAX_HEADER_SEARCH
                ),
                sheet=sheet,
                row=first_row_number,
                column=key,
                value=", ".join(c for c in first if c)[:200],
                hint=_("The first row must name the columns of the {table} table.").format(
                    table=table
                ),
            )
        ]
    header = [cell_text(v) for v in rows[header_at]]
    # Trailing blank header cells (Excel's used range) are not columns.
    while header and header[-1] == "":
        header.pop()
    issues: list[Issue] = []
    header_row = first_row_number + header_at
    seen: set[str] = set()
    for position, name in enumerate(header):
        if name == "":
            issues.append(
                Issue(
                    display,
                    "column-missing",
                    _("column {position} has no name.").format(position=position + 1),
                    sheet=sheet,
                    row=header_row,
                )
            )
        elif name in seen:
            issues.append(
                Issue(
                    display,
                    "column-duplicate",
                    _("the column '{column}' appears more than once in the header.").format(
                        column=name
                    ),
                    sheet=sheet,
                    row=header_row,
                    column=name,
                    value=name,
                )
            )
        seen.add(name)
    width = len(header)
    key_at = header.index(key)
    body: list[list[str]] = []
    typed: list[list[bool]] = []
    numbers: list[int] = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 1):
        cells = [cell_text(v) for v in row]
        is_number = [_is_number(v) for v in row][:width]
        is_number += [False] * (width - len(is_number))
        extra = cells[width:]
        cells = (cells + [""] * width)[:width]
        if not any(cells) and not any(extra):
            continue  # blank lines between or after records are not records
        key_cell = cells[key_at]
        if key_cell == UNITS_ROW_MARKER or key_cell.upper().startswith(EXAMPLE_PREFIX):
            continue  # the template's units row and example rows are not records
        if any(extra):
            issues.append(
                Issue(
                    display,
                    "column-unknown",
                    _("the row has {cells} cells but the header names {columns} columns.").format(
                        cells=len(row), columns=width
                    ),
                    sheet=sheet,
                    row=first_row_number + offset,
                    value=", ".join(e for e in extra if e)[:200],
                    hint=_("Remove the extra cells or name their column in the header."),
                )
            )
        body.append(cells)
        typed.append(is_number)
        numbers.append(first_row_number + offset)
    names = [n if n else f"column {i + 1}" for i, n in enumerate(header)]
    index = pd.Index(numbers, name="row")
    frame = pd.DataFrame(body, columns=names, index=index, dtype=object)
    numeric = pd.DataFrame(typed, columns=names, index=index, dtype=bool)
    keep = ~frame.columns.duplicated()
    frame.attrs["numeric"] = numeric.loc[:, keep]
    return frame.loc[:, keep], issues


_DELIMITERS = {
    ";": N_("the columns are separated by semicolons (;), not by commas."),
    "\t": N_("the columns are separated by tabs, not by commas."),
    "|": N_("the columns are separated by vertical bars (|), not by commas."),
}


def _other_delimiter(header: list[str], spec: Table) -> str | None:
    """The delimiter a CSV really uses, when its header splits on it, not on commas."""
    if spec.key in [h.strip() for h in header]:
        return None
    line = ",".join(header)
    for sep in _DELIMITERS:
        if spec.key in [h.strip().strip('"') for h in line.split(sep)]:
            return sep
    return None


def read_table_file(
    path: Path, table: Table, display: str, what: str
) -> tuple[RawTable | None, list[Issue]]:
    """A table a study may bring its own of (circular rules, valuation factors, recommendation
    rules): ``read_csv_table``, or the issue that the ``what`` file does not exist."""
    if not path.is_file():
        return None, [
            Issue(display, "file-missing", _("the {what} file does not exist.").format(what=what))
        ]
    return read_csv_table(path, table, display)


def read_csv_table(
    path: Path, table: str | Table, display: str | None = None
) -> tuple[RawTable | None, list[Issue]]:
    """Read one CSV file (UTF-8, with or without the BOM Excel writes) as text.

    ``table`` is a study table's name or any ``schema.Table`` (the circular rules use this).
    """
    spec = TABLES[table] if isinstance(table, str) else table
    display = display or path.name
    problem = _check_format(path, display)
    if problem:
        return None, [problem]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Issue(
                display,
                "encoding",
                _("the file is not valid UTF-8 (byte 0x{byte} at line {line}).").format(
                    byte=f"{data[exc.start]:02x}", line=line
                ),
                row=line,
                value=repr(data[max(0, exc.start - 10) : exc.start + 10]),
                hint=_("Save the file as 'CSV UTF-8' (Excel) or re-encode it to UTF-8."),
            )
        ]
    # The csv module (not pandas) keeps every cell as the exact text and tells physical line
    # numbers even when a quoted cell spans lines. Strict, so that a quote left open is an error
    # rather than the rest of the file read into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[Any]] = []
    line_numbers: list[int] = [1]  # line on which each record starts
    try:
        for row in reader:
            rows.append(row)
            line_numbers.append(reader.line_num + 1)
    except csv.Error as exc:
        opened = line_numbers[-1]
        if "end of data" in str(exc):
            message = _(
                'a quote (") opens a cell on row {row} and is never closed, so the rest of '
                "the file would be read into that cell."
            ).format(row=opened)
            hint = _('Close the quote, or remove it; a quote inside a cell is written twice ("").')
        else:
            message = _("the CSV cannot be parsed on row {row}: {error}.").format(
                row=reader.line_num, error=exc
            )
            hint = _(
                "A quoted cell must end with a quote followed by a comma or the end of the line."
            )
        return None, [
            Issue(
                display,
                "file-format",
                message,
                row=opened if "end of data" in str(exc) else reader.line_num,
                hint=hint,
            )
        ]
    if not rows:
        return None, [Issue(display, "file-empty", _("the file has no header and no rows."))]
    delimiter = _other_delimiter(rows[0], spec)
    if delimiter:
        return None, [
            Issue(
                display,
                "file-format",
                _(_DELIMITERS[delimiter]),
                row=1,
                value=text.splitlines()[0][:200] if text else None,
                hint=_(
                    "Save the table as 'CSV UTF-8 (Comma delimited)'; a spreadsheet set to a "
                    "language that writes decimal commas often separates columns with ';'."
                ),
            )
        ]
    frame, issues = _frame_from_rows(rows, 1, display, None, spec)
    if frame is None:
        return None, issues
    # Map the record positions to physical line numbers (quoted multi-line cells shift them).
    starts = {i + 1: line_numbers[i] for i in range(len(rows))}
    frame.index = pd.Index([starts[n] for n in frame.index], name="row")
    frame.attrs.pop("numeric", None)  # a CSV holds text only
    return RawTable(spec.name, frame, display), issues


Tables = tuple[dict[str, RawTable], list[Issue]]


def _checked(read: Callable[[Path, str], Tables]) -> Callable[[Path, str | None], Tables]:
    """A reader of a file of several tables that first checks the file: an empty file, or one
    whose content is not what its extension says, is one problem and is read no further."""

    @functools.wraps(read)
    def reader(path: Path, display: str | None = None) -> Tables:
        display = display or path.name
        problem = _check_format(path, display)
        return ({}, [problem]) if problem else read(path, display)

    return reader


@_checked
def read_workbook(path: Path, display: str) -> Tables:
    """Read every table sheet of an XLSX workbook (one sheet per table, named like the table)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        return {}, [
            Issue(
                display,
                "file-format",
                _("the file cannot be opened as an Excel workbook: {error}.").format(error=exc),
            )
        ]
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    try:
        for table in TABLES:
            sheet = _sheet_named(table, wb.sheetnames)
            if sheet is None:
                continue
            ws = wb[sheet]
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            frame, problems = _frame_from_rows(rows, 1, display, sheet, TABLES[table])
            issues.extend(problems)
            if frame is not None:
                numeric = frame.attrs.pop("numeric", None)
                tables[table] = RawTable(table, frame, display, sheet=sheet, numeric=numeric)
    finally:
        wb.close()
    return tables, issues


def _sheet_named(table: str, sheets: list[str]) -> str | None:
    """The sheet that holds ``table``: named exactly so, or else the one sheet whose name is the
    same but for case and surrounding spaces ('Enterprises ', typed by hand)."""
    if table in sheets:
        return table
    alike = [s for s in sheets if s.strip().lower() == table]
    return alike[0] if len(alike) == 1 else None


@_checked
def read_geopackage(path: Path, display: str) -> Tables:
    """Read every table layer of a GeoPackage; point geometry fills longitude and latitude."""
    import pyogrio

    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        return {}, [
            Issue(
                display,
                "file-format",
                _("the file cannot be opened as a GeoPackage: {error}.").format(error=exc),
            )
        ]
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    for table in TABLES:
        if table not in layers:
            continue
        gdf = pyogrio.read_dataframe(path, layer=table, fid_as_index=True)
        frame = pd.DataFrame(gdf.drop(columns="geometry", errors="ignore"))
        if "geometry" in gdf and gdf.geometry.notna().any():
            if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
                gdf = gdf.to_crs("EPSG:4326")
            points = gdf.geometry
            if "longitude" not in frame:
                frame["longitude"] = [
                    p.x if p is not None and not p.is_empty else None for p in points
                ]
            if "latitude" not in frame:
                frame["latitude"] = [
                    p.y if p is not None and not p.is_empty else None for p in points
                ]
        numeric = pd.DataFrame(
            {c: [_is_number(v) for v in frame[c]] for c in frame.columns}, index=frame.index
        )
        frame = frame.map(cell_text).astype(object)
        # Features are numbered by their fid, which GeoPackage starts at 1: 'row' is that fid.
        frame.index = pd.Index([int(i) for i in frame.index], name="row")
        numeric.index = frame.index
        spec = TABLES[table]
        if frame.empty and (spec.required or spec.warn_if_empty):
            issues.append(
                Issue(
                    display,
                    "table-empty",
                    _("the layer has no features.")
                    + ("" if spec.required else " " + _capital(spec.if_empty)),
                    sheet=table,
                    severity="error" if spec.required else "warning",
                )
            )
        tables[table] = RawTable(table, frame, display, sheet=table, numeric=numeric)
    return tables, issues


def _capital(text: str) -> str:
    """``text`` (a clause) in the language of the process, as a sentence: its first letter
    upper case."""
    shown = _(text)
    return shown[:1].upper() + shown[1:]


def read_source(source: Path) -> RawStudy:
    """Read the tables at ``source``: a folder of CSV files, an .xlsx workbook or a .gpkg file.

    A folder holds ``enterprises.csv``, ``waste_streams.csv`` and optionally ``facilities.csv``,
    ``register.csv`` and ``regional_statistics.csv``; a workbook has one sheet, and a GeoPackage
    one layer, per table, named the same.
    """
    source = Path(source)
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    if not source.exists():
        issues.append(Issue(str(source), "file-missing", _("the data source does not exist.")))
        return RawStudy(source, tables, issues)
    if source.is_dir():
        for table in TABLES:
            path = source / f"{table}.csv"
            if not path.exists():
                continue
            raw, problems = read_csv_table(path, table, display=str(path))
            issues.extend(problems)
            if raw is not None:
                tables[table] = raw
        known = {f"{t}.csv" for t in TABLES} | {"ewc_entries.csv"}
        for other in sorted(source.glob("*.csv")):
            if other.name not in known:
                issues.append(
                    Issue(
                        str(other),
                        "file-unknown",
                        _("this CSV file is not one of the study's tables and is ignored."),
                        hint=_("Tables are: {tables}.").format(
                            tables=", ".join(f"{t}.csv" for t in TABLES)
                        ),
                        severity="warning",
                    )
                )
        return RawStudy(source, tables, issues)
    suffix = source.suffix.lower()
    if suffix == ".xlsx":
        tables, issues = read_workbook(source, display=str(source))
    elif suffix == ".gpkg":
        tables, issues = read_geopackage(source, display=str(source))
    elif suffix == ".csv":
        issues.append(
            Issue(
                str(source),
                "file-format",
                _("a single CSV file cannot hold a study."),
                hint=_("Point at the folder that holds enterprises.csv and waste_streams.csv."),
            )
        )
    else:
        issues.append(
            Issue(
                str(source),
                "file-format",
                _("files of type '{suffix}' cannot be read.").format(suffix=source.suffix),
                hint=_("Use a folder of CSV files, an .xlsx workbook or a .gpkg GeoPackage."),
            )
        )
    return RawStudy(source, tables, issues)
