"""The text of the data-collection workbook's instructions sheet, written from the schema and
the code tables (``template`` lays it out), so that a new column or code is explained without
editing it. The texts are in the language of the process (``template.build_template`` sets
it); names of sheets, columns and codes stay as the schema writes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_, _
from . import codes
from .schema import (
    DATA_QUALITY,
    EXAMPLE_PREFIX,
    FACILITY_TYPES,
    LIST_SEPARATOR,
    PHYSICAL_STATES,
    RECP_LEVELS,
    TABLES,
    UNITS_ROW_MARKER,
    Column,
)

if TYPE_CHECKING:
    import pandas as pd


def instructions() -> list[tuple[str, str, str]]:
    """Rows of the instructions sheet: (style, column A, column B); style is title, heading,
    subheading, text or code."""
    rows: list[tuple[str, str, str]] = [
        ("title", _("Industrial Waste Mapping: data-collection workbook"), ""),
        (
            "text",
            "",
            _(
                "Fill in one row per enterprise, per waste stream and per facility on the sheets "
                "enterprises, waste_streams and facilities. The IWM toolkit reads this workbook as it "
                "is: point data.inventory in parameters/study.yaml at it and run `iwm validate`, "
                "which lists every problem with its sheet, row and column."
            ),
        ),
        ("heading", _("How to fill it in"), ""),
        ("text", _("Row 1"), _("The column names. Do not rename, reorder or delete them.")),
        (
            "text",
            _("Row 2"),
            _(
                "The units row (its first cell says {marker}): the unit or the kind of "
                "value each column expects. It is not read as data; leave it."
            ).format(marker=UNITS_ROW_MARKER),
        ),
        (
            "text",
            _("Example rows"),
            _(
                "Rows whose identifier starts with {prefix} (yellow) show how a row looks. "
                "They are ignored when the workbook is read: keep them, overwrite them, or delete "
                "them."
            ).format(prefix=EXAMPLE_PREFIX),
        ),
        (
            "text",
            _("Your rows"),
            _(
                "Start under the examples. One row per record; a blank row is skipped. Identifiers "
                "(enterprise_id, stream_id, facility_id) must be unique in their sheet; a waste "
                "stream names its enterprise by enterprise_id and, if known, the facility that "
                "received it by destination_facility_id."
            ),
        ),
        (
            "text",
            _("Optional sheets"),
            _(
                "register and regional_statistics describe the population the survey was drawn "
                "from, as the State Statistical Committee publishes it. register: enterprises and "
                "employees by economic region and NACE Rev.2 division (one row each), for the "
                "survey's coverage and an estimate of the whole region. regional_statistics: one "
                "row per economic region (enterprises, employees, industrial output, waste "
                "generated), for choosing pilot regions before any survey. Leave them empty when "
                "you have no such figures."
            ),
        ),
        (
            "text",
            _("Storage at the site"),
            _(
                "For waste kept at the enterprise's site under D15 or R13, storage_since_year is the "
                "year the oldest waste still in store was put there (blank when not known): storage "
                "longer than one year before disposal or three years before recovery counts as a "
                "landfill (Directive 1999/31/EC, Art. 2(g))."
            ),
        ),
        (
            "text",
            _("Drop-down lists"),
            _(
                "Cells with a fixed list of values (fate, unit, data quality, physical state, "
                "facility type, RECP interest, yes/no, economic region, district, R/D operation) "
                "offer a drop-down and refuse anything else."
            ),
        ),
        (
            "text",
            _("EWC codes"),
            _(
                "The ewc_code drop-down offers the chapters (10) and sub-chapters (10 03) of the "
                "European List of Waste only: pick the sub-chapter, then type the full six-digit "
                "code 'CC SS EE', with '*' when the entry is hazardous (10 03 08*). The hazard flag "
                "is taken from the asterisk. In facilities.accepted_ewc, list chapters, sub-chapters "
                "or codes separated by '{separator}' (15 01; 19 12 04)."
            ).format(separator=LIST_SEPARATOR),
        ),
        (
            "text",
            _("NACE codes"),
            _(
                "The nace_code drop-down offers the NACE Rev.2 divisions (24); you may type a group "
                "(24.4) or class (24.42) instead. A section letter in front (C24.42) is accepted."
            ),
        ),
        (
            "text",
            _("Numbers"),
            _(
                "Quantities, capacities and values must be numbers of 0 or more, without thousands "
                "separators (1200 or 1200.5; a decimal comma is also read). Employees and years are "
                "whole numbers."
            ),
        ),
        (
            "text",
            _("Quantities and units"),
            _(
                "quantity is the amount generated per year in the unit of the unit column: t "
                "(tonnes), kg, or m3. A volume in m3 needs the bulk density in density_t_m3 (t/m3; "
                "water is 1.0) so that it can be converted to tonnes. Every figure of the study is "
                "in tonnes per year."
            ),
        ),
        (
            "text",
            _("Coordinates"),
            _(
                "longitude and latitude in decimal degrees, WGS 84 (Baku is about 49.87, 40.41). A "
                "value outside Azerbaijan gets a warning: latitude and longitude are often swapped."
            ),
        ),
        (
            "text",
            _("Names"),
            _(
                "Write names as the enterprise does, with Azerbaijani letters (ə ş ç ğ ı ö ü); the "
                "workbook and the toolkit keep them."
            ),
        ),
        (
            "text",
            _("Traceability"),
            _(
                "Fill the source column (survey form, site visit, permit) so that every number in "
                "the reports can be traced back to where it came from."
            ),
        ),
        ("heading", _("Columns"), ""),
    ]
    for table in TABLES.values():
        rows.append(("subheading", table.name, _(table.title)))
        for col in table.columns:
            rows.append(("text", col.name, _column_text(col)))
    rows.append(("heading", _("Code lists"), ""))
    rows.append(("subheading", "fate", _("Where the waste went (State Statistical Committee)")))
    fates = codes.fate_categories()
    rows.extend(
        ("code", code, label)
        for code, label in zip(fates["fate"], codes.in_language(fates, "label"), strict=True)
    )
    rows.append(
        (
            "subheading",
            "operation",
            _("Recovery (R) and disposal (D) operations, Directive 2008/98/EC Annexes I and II"),
        )
    )
    rows.extend(_code_rows(codes.waste_operations(), "code"))
    rows.append(("subheading", "data_quality", _("How the quantity was obtained, best first")))
    for q in DATA_QUALITY:
        rows.append(("code", q, _(_QUALITY_MEANING[q]) if q in _QUALITY_MEANING else ""))
    rows.append(("subheading", "physical_state", " / ".join(PHYSICAL_STATES)))
    rows.append(
        (
            "subheading",
            "facility_type",
            _("Kind of facility that receives waste: {types}").format(
                types=" / ".join(FACILITY_TYPES)
            ),
        )
    )
    rows.append(
        (
            "subheading",
            "recp_interest",
            _(
                "Interest declared in a Resource Efficient and Cleaner Production assessment: "
                "{levels}"
            ).format(levels=" / ".join(RECP_LEVELS)),
        )
    )
    rows.append(("subheading", "unit", _("t (tonnes), kg, m3 (with a density), all per year")))
    rows.append(
        ("subheading", _("EWC chapters"), _("European List of Waste, Decision 2000/532/EC"))
    )
    rows.extend(_code_rows(codes.ewc_chapters(), "chapter"))
    rows.append(("subheading", _("EWC sub-chapters"), ""))
    rows.extend(_code_rows(codes.ewc_subchapters(), "subchapter"))
    return rows


#: What each data-quality level means (the instructions' code list).
_QUALITY_MEANING = {
    "measured": N_("weighed or metered"),
    "calculated": N_("computed from records (purchases, production, mass balance)"),
    "estimated": N_("a judgement, e.g. from an interview"),
}


def _column_text(col: Column) -> str:
    """A column's line of the instructions: its description, whether it may be blank and its
    unit, as one sentence of the current language."""
    if col.unit:
        text = (
            _("{description} (may be blank; unit: {unit})")
            if col.nullable
            else _("{description} (required; unit: {unit})")
        )
    else:
        text = _("{description} (may be blank)") if col.nullable else _("{description} (required)")
    return text.format(description=_(col.description), unit=_(col.unit) if col.unit else "")


def _code_rows(frame: pd.DataFrame, key: str) -> list[tuple[str, str, str]]:
    """One row per code of a code table: the code and its title in the current language."""
    titles = codes.in_language(frame, "title")
    return [("code", code, title) for code, title in zip(frame[key], titles, strict=True)]
