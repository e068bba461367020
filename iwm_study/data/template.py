"""The data-collection workbook: an Excel file that surveyors fill in and intake reads back.

``write_template(path)`` writes one sheet per table of the data model (``schema.TABLES``, columns
in schema order; the optional register and regional statistics too, empty but for an example), a units row under each header (its key cell is ``schema.UNITS_ROW_MARKER``),
example rows whose identifier starts with ``schema.EXAMPLE_PREFIX`` (both skipped by the
readers), an instructions sheet, and a hidden ``lists`` sheet that the drop-down lists (Excel
data validation) point at. Everything is generated from ``schema`` and ``codes``, so a new column
or code appears in the workbook without editing this module.

The workbook's help texts (the units row, the instructions, the input prompts and error
messages of the drop-downs, the example rows' free text) are written in a language of the
reports (``language``; by default the language of the process, English on the command line);
its sheet names, column names, the units-row marker, example identifiers and the values of the
drop-down lists are the schema's and the code tables', the same in every language, so that
intake reads a workbook in any language exactly as it reads an English one.

openpyxl writes the workbook; two calls give the same bytes, because the document dates are
fixed and the zip entries are written with a fixed timestamp (see ``_save_deterministic``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..i18n import N_, SOURCE_LANGUAGE, _, check_language, using
from ..i18n import language as current_language
from . import codes
from .schema import (
    DATA_QUALITY,
    EXAMPLE_PREFIX,
    FACILITY_TYPES,
    PHYSICAL_STATES,
    RECP_LEVELS,
    TABLES,
    UNITS_ROW_MARKER,
    Column,
    Table,
)
from .template_text import instructions

__all__ = ["FIRST_DATA_ROW", "LAST_VALIDATED_ROW", "LISTS_SHEET", "write_template"]

#: Sheet names besides the tables.
INSTRUCTIONS_SHEET = "instructions"
LISTS_SHEET = "lists"
#: Row 1 is the header, row 2 the units row; records (and the examples) start on row 3.
FIRST_DATA_ROW = 3
#: Drop-downs and number rules cover the rows down to this one (the demo study has 1,433
#: streams; a regional survey rarely has more than a few thousand).
LAST_VALIDATED_ROW = 10_000
#: Fixed document dates: the kick-off of the Azerbaijan IWM pilot (16 Nov 2021), so that the
#: workbook's bytes never depend on the day it is written.
FIXED_TIME = datetime(2021, 11, 16, 9, 0, 0)
#: Units a quantity may be given in (the drop-down offers the canonical spelling only).
UNITS: tuple[str, ...] = ("t", "kg", "m3")
YES_NO: tuple[str, ...] = ("yes", "no")
#: Plausible coordinates: Azerbaijan spans about 44.8-50.6 E and 38.4-41.9 N; a value outside
#: these looser bounds gets a warning at entry (often latitude and longitude swapped).
LONGITUDE_RANGE = (44.0, 51.5)
LATITUDE_RANGE = (38.0, 42.5)
FIRST_YEAR, LAST_YEAR = 1990, 2100

_HEADER_FILL = "1F4E79"
_UNITS_FILL = "DDEBF7"
_EXAMPLE_FILL = "FFF2CC"


@cache
def _reference_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(economic regions, districts) from the package's small district table (no geopandas)."""
    ref = resources.files("iwm_study.data") / "reference" / "az_economic_regions.csv"
    with ref.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions = tuple(sorted({r["economic_region"] for r in rows}))
    districts = tuple(sorted({r["district"] for r in rows}))
    return regions, districts


def code_lists() -> dict[str, tuple[str, ...]]:
    """The drop-down lists of the workbook, by name, in the order of the ``lists`` sheet."""
    chapters = codes.ewc_chapters()["chapter"].tolist()
    subs = codes.ewc_subchapters()
    ewc: list[str] = []
    for chapter in chapters:  # each chapter followed by its sub-chapters, for browsing
        ewc.append(chapter)
        ewc.extend(sorted(subs.loc[subs["chapter"] == chapter, "subchapter"]))
    regions, districts = _reference_names()
    return {
        "ewc_chapters_subchapters": tuple(ewc),
        "operations": tuple(codes.waste_operations()["code"]),
        "fates": tuple(codes.fate_codes()),
        "units": UNITS,
        "data_quality": DATA_QUALITY,
        "physical_states": PHYSICAL_STATES,
        "facility_types": FACILITY_TYPES,
        "recp_levels": RECP_LEVELS,
        "yes_no": YES_NO,
        "economic_regions": regions,
        "districts": districts,
        "nace_divisions": tuple(codes.nace_divisions()["division"]),
    }


@dataclass(frozen=True)
class Rule:
    """How one column is checked while typing: a drop-down list or a number rule.

    ``closed`` lists refuse other values; open lists (EWC codes, NACE codes, lists of operations)
    only offer a start, because the full value is typed.
    """

    kind: str  # 'list', 'decimal', 'whole' or 'none' (input prompt only)
    list_name: str | None = None
    closed: bool = True
    operator: str | None = None
    low: float | None = None
    high: float | None = None
    warning: bool = False  # a value outside the rule is allowed after a warning


def column_rule(col: Column) -> Rule:
    """The entry rule of a column, derived from its name, kind and choices in the schema."""
    name = col.name
    by_name = {
        "ewc_code": Rule("list", "ewc_chapters_subchapters", closed=False),
        "accepted_ewc": Rule("list", "ewc_chapters_subchapters", closed=False),
        "operation": Rule("list", "operations"),
        "operations": Rule("list", "operations", closed=False),
        "fate": Rule("list", "fates"),
        "unit": Rule("list", "units"),
        "economic_region": Rule("list", "economic_regions"),
        "district": Rule("list", "districts"),
        "nace_code": Rule("list", "nace_divisions", closed=False),
        "nace_division": Rule("list", "nace_divisions", closed=False),
        "storage_since_year": Rule("whole", operator="between", low=1900, high=LAST_YEAR),
        "hazardous_permitted": Rule("list", "yes_no"),
        "longitude": Rule("decimal", operator="between", low=LONGITUDE_RANGE[0], high=LONGITUDE_RANGE[1], warning=True),
        "latitude": Rule("decimal", operator="between", low=LATITUDE_RANGE[0], high=LATITUDE_RANGE[1], warning=True),
        "density_t_m3": Rule("decimal", operator="greaterThan", low=0),
        "reference_year": Rule("whole", operator="between", low=FIRST_YEAR, high=LAST_YEAR),
    }  # fmt: skip
    if name in by_name:
        return by_name[name]
    if col.choices is not None:
        lists = {
            RECP_LEVELS: "recp_levels",
            DATA_QUALITY: "data_quality",
            PHYSICAL_STATES: "physical_states",
            FACILITY_TYPES: "facility_types",
        }
        return Rule("list", lists[col.choices])
    if col.kind == "float":
        return Rule("decimal", operator="greaterThanOrEqual", low=0)
    if col.kind == "int":
        return Rule("whole", operator="greaterThanOrEqual", low=0)
    return Rule("none")


#: What the units row says for columns without a unit in the schema.
_UNIT_HINTS: dict[str, str] = {
    "name": N_("text (UTF-8)"),
    "economic_region": N_("pick from the list"),
    "district": N_("pick from the list"),
    "nace_code": N_("NACE Rev.2, e.g. 24.42"),
    "nace_division": N_("NACE Rev.2 division, e.g. 10"),
    "ewc_code": N_("CC SS EE, * if hazardous"),
    "description": N_("text"),
    "unit": N_("t, kg or m3"),
    "operation": N_("R1-R13 or D1-D15"),
    "fate": N_("pick from the list"),
    "destination_facility_id": N_("facility_id, if known"),
    "enterprise_id": "enterprise_id",
    "accepted_ewc": N_("codes separated by ;"),
    "operations": N_("R/D codes separated by ;"),
    "hazardous_permitted": N_("yes or no"),
    "source": N_("text"),
}
#: Columns whose example is free text (said in the workbook's language); the other examples
#: are codes, names or numbers, the same in every language.
_FREE_TEXT = ("description", "source")


def units_text(table: Table, col: Column) -> str:
    """The text of the units row under a column header, in the current language (the key
    column's marker stays ``UNITS_ROW_MARKER``: the readers skip the row by it)."""
    if col.name == table.key:
        return UNITS_ROW_MARKER
    if col.name == "quantity":
        return _("per year, in the unit column")
    if col.unit:
        return _(col.unit)
    if col.choices:
        return " / ".join(col.choices)
    return _(_UNIT_HINTS.get(col.name, N_("text")))


def _example(table: Table, overrides: dict[str, str]) -> dict[str, str]:
    """A row of the schema's example values with identifiers prefixed by EXAMPLE_PREFIX; free
    text in the current language."""
    row = {c.name: c.example for c in table.columns} | overrides
    return {k: _(v) if k in _FREE_TEXT else v for k, v in row.items()}


def example_rows() -> dict[str, list[dict[str, str]]]:
    """The example rows of each sheet, as text (the readers skip them by their identifier)."""
    ent, ws, fac = (TABLES[n] for n in ("enterprises", "waste_streams", "facilities"))
    register, statistics = TABLES["register"], TABLES["regional_statistics"]
    e1 = f"{EXAMPLE_PREFIX}-ENT-0001"
    f1 = f"{EXAMPLE_PREFIX}-FAC-001"
    return {
        "enterprises": [
            _example(ent, {"enterprise_id": e1, "source": N_("example: site visit")}),
        ],
        "waste_streams": [
            _example(
                ws,
                {
                    "stream_id": f"{EXAMPLE_PREFIX}-WS-00001",
                    "enterprise_id": e1,
                    "destination_facility_id": f1,
                    "source": N_("example: 2-TG (waste) form"),
                },
            ),
            _example(
                ws,
                {
                    "stream_id": f"{EXAMPLE_PREFIX}-WS-00002",
                    "enterprise_id": e1,
                    "ewc_code": "13 02 05*",
                    "description": N_("Used engine oil (volume measured in drums)"),
                    "quantity": "12",
                    "unit": "m3",
                    "density_t_m3": "0.9",
                    "physical_state": "liquid",
                    "operation": "R9",
                    "fate": "sold_or_transferred",
                    "destination_facility_id": "",
                    "data_quality": "estimated",
                    "source": N_("example: interview"),
                },
            ),
        ],
        "facilities": [
            _example(fac, {"facility_id": f1, "source": N_("example: permit register")}),
        ],
        # The key of both population tables is the economic region: the example's region is
        # prefixed, so that the readers skip the row.
        "register": [
            _example(register, {"economic_region": f"{EXAMPLE_PREFIX}-Baku"}),
        ],
        "regional_statistics": [
            _example(statistics, {"economic_region": f"{EXAMPLE_PREFIX}-Baku"}),
        ],
    }


def _cell_value(text: str, col: Column) -> Any:
    """Numbers go in as numbers (so that number rules and sums work), the rest as text."""
    if text == "":
        return None
    if col.kind == "int":
        return int(text)
    if col.kind == "float":
        return float(text)
    return text


def _write_instructions(ws: Any) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    styles = {
        "title": Font(bold=True, size=14),
        "heading": Font(bold=True, size=12, color=_HEADER_FILL),
        "subheading": Font(bold=True),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, (style, a, b) in enumerate(instructions(), start=1):
        ws.cell(r, 1, a or None)
        ws.cell(r, 2, b or None)
        if style in styles:
            ws.cell(r, 1).font = styles[style]
        ws.cell(r, 1).alignment = wrap
        ws.cell(r, 2).alignment = wrap


def _write_lists(ws: Any, lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Write each list in its own column; return name -> absolute range formula."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    refs: dict[str, str] = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(1, c, name)
        for r, value in enumerate(values, start=2):
            ws.cell(r, c, value)
        letter = get_column_letter(c)
        refs[name] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
        ws.column_dimensions[letter].width = max(12, len(name) + 2)
    ws.sheet_state = "hidden"
    return refs


def _validation(rule: Rule, col: Column, refs: dict[str, str]) -> Any:
    """The openpyxl DataValidation of a column (an input prompt at least)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    prompt = _(col.description)[:255]  # Excel's limit for an input message
    title = col.name[:32]  # Excel's limit for a prompt title
    if rule.kind == "list":
        dv = DataValidation(type="list", formula1=refs[rule.list_name or ""], allow_blank=True)
        dv.showErrorMessage = rule.closed  # open lists only suggest (openpyxl's default: off)
        if rule.closed:
            dv.error = _(
                "Pick a value from the list (see the instructions sheet for {column})."
            ).format(column=col.name)
    elif rule.kind in ("decimal", "whole"):
        dv = DataValidation(type=rule.kind, operator=rule.operator, allow_blank=True)
        dv.showErrorMessage = True
        dv.formula1 = _number(rule.low)
        if rule.high is not None:
            dv.formula2 = _number(rule.high)
        operator = rule.operator if rule.operator in ("between", "greaterThan") else "atLeast"
        dv.error = _(_NUMBER_ERRORS[(rule.kind, operator)]).format(
            low=_said(rule.low), high=_said(rule.high)
        )
        if rule.warning:
            dv.errorStyle = "warning"
            dv.error += " " + _(
                "Outside Azerbaijan? Check that latitude and longitude are not swapped."
            )
    else:
        dv = DataValidation(allow_blank=True)
        dv.showErrorMessage = False
    if dv.showErrorMessage:
        dv.errorTitle = col.name[:32]
    dv.promptTitle = title
    dv.prompt = prompt
    dv.showInputMessage = True
    return dv


#: The error message of a number rule, by (kind, operator): whole sentences, each translated.
_NUMBER_ERRORS: dict[tuple[str, str], str] = {
    ("whole", "between"): N_("Enter a whole number between {low} and {high}."),
    ("decimal", "between"): N_("Enter a number between {low} and {high}."),
    ("whole", "greaterThan"): N_("Enter a whole number greater than {low}."),
    ("decimal", "greaterThan"): N_("Enter a number greater than {low}."),
    ("whole", "atLeast"): N_("Enter a whole number of {low} or more."),
    ("decimal", "atLeast"): N_("Enter a number of {low} or more."),
}


def _number(value: float | None) -> str:
    """A number as Excel's formula text (no trailing '.0')."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _said(value: float | None) -> str:
    """A number as a message of the workbook says it: as Excel's formula text, with the
    decimal mark of the workbook's language (the one its reader types)."""
    text = _number(value)
    if current_language() != SOURCE_LANGUAGE:
        from babel.numbers import get_decimal_symbol

        text = text.replace(".", get_decimal_symbol(current_language()))
    return text


#: Columns whose cells hold codes or identifiers: formatted as text so that Excel keeps
#: leading zeros ('01 01 01') and trailing zeros ('24.40') as typed.
_TEXT_KINDS = ("str",)


def _write_table(
    ws: Any, table: Table, examples: list[dict[str, str]], refs: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    units_font = Font(italic=True, size=9, color="404040")
    units_fill = PatternFill("solid", fgColor=_UNITS_FILL)
    example_font = Font(italic=True, color="7F6000")
    example_fill = PatternFill("solid", fgColor=_EXAMPLE_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, col in enumerate(table.columns, start=1):
        letter = get_column_letter(c)
        head = ws.cell(1, c, col.name)
        head.font, head.fill = header_font, header_fill
        unit = ws.cell(2, c, units_text(table, col))
        unit.font, unit.fill, unit.alignment = units_font, units_fill, wrap
        for r, row in enumerate(examples, start=FIRST_DATA_ROW):
            cell = ws.cell(r, c, _cell_value(row[col.name], col))
            cell.font, cell.fill = example_font, example_fill
            if col.kind in _TEXT_KINDS:
                cell.number_format = "@"
        width = max(len(col.name), *(len(str(row[col.name])) for row in examples)) + 3
        ws.column_dimensions[letter].width = min(max(width, 12), 45)
        if col.kind in _TEXT_KINDS:
            ws.column_dimensions[letter].number_format = "@"
        dv = _validation(column_rule(col), col, refs)
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_VALIDATED_ROW}")
        ws.add_data_validation(dv)
    ws.row_dimensions[2].height = 30
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2).coordinate  # header, units and key stay in view


def build_template(language: str | None = None) -> Any:
    """The data-collection workbook as an openpyxl ``Workbook`` (not yet saved), its help texts
    in ``language`` (None: the language of the process)."""
    with using(language or current_language()):
        return _build_template()


def _build_template() -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    examples = example_rows()
    tables = {name: wb.create_sheet(name) for name in TABLES}
    refs = _write_lists(wb.create_sheet(LISTS_SHEET), code_lists())
    for name, ws in tables.items():
        _write_table(ws, TABLES[name], examples[name], refs)
    wb.active = 0
    props = wb.properties
    props.creator = "iwm_study"
    props.lastModifiedBy = "iwm_study"
    props.title = _("Industrial Waste Mapping: data-collection workbook")
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def _save_deterministic(wb: Any, path: Path) -> None:
    """Save with fixed dates: openpyxl's ``save`` stamps the current time into docProps/core.xml
    and every zip entry, so the workbook is written through its ``ExcelWriter`` (which keeps the
    properties as set) and the zip is re-packed with a fixed entry time."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # closes the archive
    stamp = FIXED_TIME.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def write_template(path: str | Path, language: str | None = None) -> Path:
    """Write the data-collection workbook to ``path`` (.xlsx) and return the path.

    ``language`` is the language of its help texts (a code of ``i18n.LANGUAGES``; None: the
    language of the process, so a report built in Azerbaijani shows an Azerbaijani workbook
    and the command line writes English unless asked). The same call always writes the same
    bytes. Raises ``ValueError`` when the name does not end in .xlsx (the readers tell
    workbooks by that extension) or the language is not one of the toolkit's.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path}: the workbook must have the extension .xlsx")
    if language is not None:
        check_language(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_deterministic(build_template(language), path)
    return path


def fill_template(path: str | Path, records: dict[str, list[dict[str, Any]]]) -> Path:
    """Write ``records`` (table name -> rows as {column: value}) into the data-collection
    workbook at ``path``, below its example rows, as a surveyor would type them: numbers in
    numeric columns go in as numbers, the rest as text. Writes a new workbook first when
    ``path`` does not exist yet (its help texts in the language of the process); returns the
    path. (The training sample survey and the tests'
    own studies are written this way.)
    """
    from openpyxl import load_workbook

    path = Path(path)
    if not path.exists():
        write_template(path)
    wb = load_workbook(path)
    for sheet, rows in records.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        columns = {c.name: c for c in TABLES[sheet].columns}
        for record in rows:
            r = ws.max_row + 1
            for column, value in record.items():
                col = columns.get(column)
                if isinstance(value, str) and col is not None and col.kind in ("int", "float"):
                    # text that is not a number stays text, as typed
                    with contextlib.suppress(ValueError):
                        value = _cell_value(value.strip(), col)
                ws.cell(r, header.index(column) + 1, value)
    wb.save(path)
    return path
