"""A report's Excel annex: every table the report shows, one sheet each, the same bytes on a rerun.

The tables come from the executed notebook (``report.tables_from_notebook``: the payload that
``report.table`` attaches to each table it shows), so the annex holds exactly what the report
shows, numbers as numbers with the report's number formats. Each sheet: row 1 the headers, row
2 their units, then the rows, then the table's caption and a source line (report, study,
notebook, scope).

openpyxl stamps the workbook with the time it was saved (``docProps/core.xml``) and the zip
format stamps every member; both are set to ``FIXED_TIME`` so that a rerun writes the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from ..i18n import _, using

#: The annex of ``<scope>/<notebook>.html`` is ``<scope>/<notebook>.xlsx``.
ANNEX_SUFFIX = ".xlsx"
#: The time written into the workbook's properties and its zip members (no run's time).
FIXED_TIME = datetime(2000, 1, 1)
SHEET_NAME_MAX = 31
#: Characters Excel does not allow in a sheet name.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Widest column, in characters.
_MAX_WIDTH = 60


def source_line(context: Mapping[str, Any]) -> str:
    """'Source: <report title>, <study title>, notebook <name>, scope <scope>', in the report's
    language, from the context a report's header shows (``runner.run._context``)."""
    notebook = str(context.get("notebook", ""))
    notebook = notebook.rsplit("/", 1)[-1].removesuffix(".ipynb")
    with using(context.get("language")):
        return _("Source: {title}, {study}, notebook {notebook}, scope {scope}").format(
            title=context.get("title", ""),
            study=context.get("study_title", ""),
            notebook=notebook,
            scope=context.get("scope", ""),
        )


def sheet_names(captions: Iterable[str]) -> list[str]:
    """One sheet name per table: its caption without the characters Excel forbids, cut at a word
    to 31 characters, unique regardless of case ('Table 3' for a table without a caption; a
    name taken gets ' (2)', ' (3)', ...)."""
    names: list[str] = []
    taken: set[str] = set()
    for number, caption in enumerate(captions, start=1):
        base = " ".join(_FORBIDDEN.sub(" ", caption or "").split()).strip("'") or _(
            "Table {number}"
        ).format(number=number)
        if base.lower() == "history":  # reserved by Excel
            base = f"{base} ({number})"
        name, n = _cut(base, SHEET_NAME_MAX), 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at the last space when there is one in the second
    half."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;-('")


def workbook_bytes(
    tables: list[Mapping[str, Any]], source: str, language: str | None = None
) -> bytes:
    """The annex of ``tables`` (payloads of ``report.table``) as the bytes of an .xlsx file
    (``language``: of the names given to tables without a caption)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, italic = Font(bold=True), Font(italic=True)
    captions = [str(t.get("caption") or "") for t in tables]
    with using(language):
        names = sheet_names(captions)
    for payload, name, caption in zip(tables, names, captions, strict=True):
        sheet = workbook.create_sheet(name)
        columns = list(payload.get("columns", []))
        sheet.append([c.get("name", "") for c in columns])
        sheet.append([c.get("unit", "") for c in columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[2]:
            cell.font = italic
        for row in payload.get("rows", []):
            sheet.append(list(row))
        first, last = 3, sheet.max_row
        for index, column in enumerate(columns, start=1):
            number_format = column.get("format")
            if number_format and last >= first:
                for (cell,) in sheet.iter_rows(
                    min_row=first, max_row=last, min_col=index, max_col=index
                ):
                    if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                        cell.number_format = number_format
            width = max(
                [len(str(column.get("name", ""))), len(str(column.get("unit", "")))]
                + [
                    len(str(r[index - 1]))
                    for r in payload.get("rows", [])
                    if r[index - 1] is not None
                ]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
        sheet.append([])
        if caption:
            sheet.append([caption])
        sheet.append([source])
        sheet.cell(sheet.max_row, 1).font = italic
        sheet.freeze_panes = "A3"
    properties = workbook.properties
    properties.creator = "IWM study toolkit"
    properties.lastModifiedBy = None
    properties.title = source
    properties.created = properties.modified = FIXED_TIME
    return _stable_zip(_save(workbook))


def _save(workbook: Any) -> bytes:
    """The workbook's .xlsx bytes, keeping ``FIXED_TIME`` (``Workbook.save`` would stamp now)."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()  # writes every part and closes the archive
    return buffer.getvalue()


def _stable_zip(data: bytes) -> bytes:
    """``data`` (a zip file) rewritten with the same members in the same order, each stamped
    ``FIXED_TIME`` with fixed permissions."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    return out.getvalue()
