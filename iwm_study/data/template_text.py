"""The text of the data-collection workbook's instructions sheet, written from the schema and
the code tables (``template`` lays it out), so that a new column or code is explained without
editing it."""

from __future__ import annotations

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
)


def instructions() -> list[tuple[str, str, str]]:
    """Rows of the instructions sheet: (style, column A, column B); style is title, heading,
    subheading, text or code."""
    rows: list[tuple[str, str, str]] = [
        ("title", "Industrial Waste Mapping: data-collection workbook", ""),
        (
            "text",
            "",
            "Fill in one row per enterprise, per waste stream and per facility on the sheets "
            "enterprises, waste_streams and facilities. The IWM toolkit reads this workbook as it "
            "is: point data.inventory in parameters/study.yaml at it and run `iwm validate`, "
            "which lists every problem with its sheet, row and column.",
        ),
        ("heading", "How to fill it in", ""),
        ("text", "Row 1", "The column names. Do not rename, reorder or delete them."),
        (
            "text",
            "Row 2",
            f"The units row (its first cell says {UNITS_ROW_MARKER}): the unit or the kind of "
            "value each column expects. It is not read as data; leave it.",
        ),
        (
            "text",
            "Example rows",
            f"Rows whose identifier starts with {EXAMPLE_PREFIX} (yellow) show how a row looks. "
            "They are ignored when the workbook is read: keep them, overwrite them, or delete "
            "them.",
        ),
        (
            "text",
            "Your rows",
            "Start under the examples. One row per record; a blank row is skipped. Identifiers "
            "(enterprise_id, stream_id, facility_id) must be unique in their sheet; a waste "
            "stream names its enterprise by enterprise_id and, if known, the facility that "
            "received it by destination_facility_id.",
        ),
        (
            "text",
            "Optional sheets",
            "register and regional_statistics describe the population the survey was drawn "
            "from, as the State Statistical Committee publishes it. register: enterprises and "
            "employees by economic region and NACE Rev.2 division (one row each), for the "
            "survey's coverage and an estimate of the whole region. regional_statistics: one "
            "row per economic region (enterprises, employees, industrial output, waste "
            "generated), for choosing pilot regions before any survey. Leave them empty when "
            "you have no such figures.",
        ),
        (
            "text",
            "Storage at the site",
            "For waste kept at the enterprise's site under D15 or R13, storage_since_year is the "
            "year the oldest waste still in store was put there (blank when not known): storage "
            "longer than one year before disposal or three years before recovery counts as a "
            "landfill (Directive 1999/31/EC, Art. 2(g)).",
        ),
        (
            "text",
            "Drop-down lists",
            "Cells with a fixed list of values (fate, unit, data quality, physical state, "
            "facility type, RECP interest, yes/no, economic region, district, R/D operation) "
            "offer a drop-down and refuse anything else.",
        ),
        (
            "text",
            "EWC codes",
            "The ewc_code drop-down offers the chapters (10) and sub-chapters (10 03) of the "
            "European List of Waste only: pick the sub-chapter, then type the full six-digit "
            "code 'CC SS EE', with '*' when the entry is hazardous (10 03 08*). The hazard flag "
            "is taken from the asterisk. In facilities.accepted_ewc, list chapters, sub-chapters "
            f"or codes separated by '{LIST_SEPARATOR}' (15 01; 19 12 04).",
        ),
        (
            "text",
            "NACE codes",
            "The nace_code drop-down offers the NACE Rev.2 divisions (24); you may type a group "
            "(24.4) or class (24.42) instead. A section letter in front (C24.42) is accepted.",
        ),
        (
            "text",
            "Numbers",
            "Quantities, capacities and values must be numbers of 0 or more, without thousands "
            "separators (1200 or 1200.5; a decimal comma is also read). Employees and years are "
            "whole numbers.",
        ),
        (
            "text",
            "Quantities and units",
            "quantity is the amount generated per year in the unit of the unit column: t "
            "(tonnes), kg, or m3. A volume in m3 needs the bulk density in density_t_m3 (t/m3; "
            "water is 1.0) so that it can be converted to tonnes. Every figure of the study is "
            "in tonnes per year.",
        ),
        (
            "text",
            "Coordinates",
            "longitude and latitude in decimal degrees, WGS 84 (Baku is about 49.87, 40.41). A "
            "value outside Azerbaijan gets a warning: latitude and longitude are often swapped.",
        ),
        (
            "text",
            "Names",
            "Write names as the enterprise does, with Azerbaijani letters (ə ş ç ğ ı ö ü); the "
            "workbook and the toolkit keep them.",
        ),
        (
            "text",
            "Traceability",
            "Fill the source column (survey form, site visit, permit) so that every number in "
            "the reports can be traced back to where it came from.",
        ),
        ("heading", "Columns", ""),
    ]
    for table in TABLES.values():
        rows.append(("subheading", table.name, table.title))
        for col in table.columns:
            need = "required" if not col.nullable else "may be blank"
            unit = f"; unit: {col.unit}" if col.unit else ""
            rows.append(("text", col.name, f"{col.description} ({need}{unit})"))
    rows.append(("heading", "Code lists", ""))
    rows.append(("subheading", "fate", "Where the waste went (State Statistical Committee)"))
    for r in codes.fate_categories().itertuples(index=False):
        rows.append(("code", r.fate, r.label))
    rows.append(
        (
            "subheading",
            "operation",
            "Recovery (R) and disposal (D) operations, Directive 2008/98/EC Annexes I and II",
        )
    )
    for r in codes.waste_operations().itertuples(index=False):
        rows.append(("code", r.code, r.title))
    rows.append(("subheading", "data_quality", "How the quantity was obtained, best first"))
    meaning = {
        "measured": "weighed or metered",
        "calculated": "computed from records (purchases, production, mass balance)",
        "estimated": "a judgement, e.g. from an interview",
    }
    for q in DATA_QUALITY:
        rows.append(("code", q, meaning.get(q, "")))
    rows.append(("subheading", "physical_state", " / ".join(PHYSICAL_STATES)))
    rows.append(
        (
            "subheading",
            "facility_type",
            "Kind of facility that receives waste: " + " / ".join(FACILITY_TYPES),
        )
    )
    rows.append(
        (
            "subheading",
            "recp_interest",
            "Interest declared in a Resource Efficient and Cleaner Production assessment: "
            + " / ".join(RECP_LEVELS),
        )
    )
    rows.append(("subheading", "unit", "t (tonnes), kg, m3 (with a density), all per year"))
    rows.append(("subheading", "EWC chapters", "European List of Waste, Decision 2000/532/EC"))
    for r in codes.ewc_chapters().itertuples(index=False):
        rows.append(("code", r.chapter, r.title))
    rows.append(("subheading", "EWC sub-chapters", ""))
    for r in codes.ewc_subchapters().itertuples(index=False):
        rows.append(("code", r.subchapter, r.title))
    return rows
