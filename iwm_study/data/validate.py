"""Type and check a study's input tables: every problem is collected, none stops the others.

The checks are written here rather than with a DataFrame-schema library because most of them are
domain rules across tables and geography (EWC entries, NACE Rev.2 classes, points inside the
district they claim, latitude and longitude swapped) and each message must name the file, sheet,
row, column, value and a hint. This module checks each table as a whole and the references
between tables; the rules it applies live beside it: ``checker`` (cells and columns),
``code_checks`` (EWC, NACE, operations) and ``geo_checks`` (geography).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..i18n import _, format_number
from . import codes
from .checker import Checker, check_non_negative, closest, to_tonnes, type_table
from .code_checks import (
    EWC_PATTERN,
    EWC_PREFIX_PATTERN,
    MIRROR_GUIDANCE,
    NACE_PATTERN,
    OPERATION_PATTERN,
    EwcContext,
    check_ewc,
    check_nace,
    check_operation,
    ewc_context,
    normalise_ewc,
    normalise_nace,
)
from .geo_checks import GeoSettings, check_geography
from .issues import Issue
from .readers import RawTable
from .schema import LIST_SEPARATOR, MAX_STREAM_T, TABLES, UNIT_ALIASES

__all__ = [
    "EWC_PATTERN",
    "EWC_PREFIX_PATTERN",
    "MIRROR_GUIDANCE",
    "NACE_PATTERN",
    "OPERATION_PATTERN",
    "Checker",
    "EwcContext",
    "GeoSettings",
    "check_enterprises",
    "check_ewc",
    "check_facilities",
    "check_geography",
    "check_nace",
    "check_operation",
    "check_references",
    "check_waste_streams",
    "closest",
    "ewc_context",
    "normalise_ewc",
    "normalise_nace",
    "to_tonnes",
    "type_table",
]

FIRST_YEAR = 1990


def _check_years(out: pd.DataFrame, chk: Checker, today: date) -> None:
    years = out["reference_year"]
    bad = years.notna() & ((years < FIRST_YEAR) | (years > today.year))
    chk.each(
        bad,
        years,
        "reference_year",
        "year-range",
        _("the year {value} is outside {first}-{last}."),
        hint=_("Give the calendar year the quantity refers to."),
        fields={"first": FIRST_YEAR, "last": today.year},
    )


#: Operations that store waste until it is disposed of (D15) or recovered (R13): the only ones
#: whose storage_since_year is read (Directive 2008/98/EC, Annexes I and II).
STORAGE_OPERATIONS = ("D15", "R13")
#: Waste in store since before this year is legacy waste of another age; a year before it is
#: taken for a typing slip.
FIRST_STORAGE_YEAR = 1900


def _check_storage_years(out: pd.DataFrame, chk: Checker) -> None:
    """The year waste went into store: not after the stream's reference year, and read only for
    storage operations (a year on another stream is kept but said to be unused)."""
    since, year = out["storage_since_year"], out["reference_year"]
    chk.each(
        since.notna() & (since < FIRST_STORAGE_YEAR),
        since,
        "storage_since_year",
        "storage-year",
        _("the year {value} is before {first}."),
        hint=_("Give the calendar year the oldest waste in store was put there."),
        fields={"first": FIRST_STORAGE_YEAR},
    )
    chk.each(
        since.notna() & year.notna() & (since > year),
        since,
        "storage_since_year",
        "storage-year",
        _(
            "waste cannot have been in store since {value}, after the year the quantity refers "
            "to (reference_year)."
        ),
        hint=_(
            "Give the year the oldest waste still in store was put there, at most the "
            "reference year."
        ),
    )
    chk.each(
        since.notna() & ~out["operation"].isin(STORAGE_OPERATIONS),
        since,
        "storage_since_year",
        "storage-year-unused",
        _(
            "a storage year is given, but the operation is not storage (D15 or R13): it is not "
            "read."
        ),
        hint=_("Leave storage_since_year blank, or correct the operation."),
        severity="warning",
    )


def check_enterprises(
    raw: RawTable, issues: list[Issue], number_format: str | None = None
) -> pd.DataFrame:
    out = type_table(raw, TABLES["enterprises"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    check_non_negative(out, chk, ["employees", "output_value_kazn"])
    check_nace(out, chk)
    return out


def check_waste_streams(
    raw: RawTable,
    issues: list[Issue],
    ctx: EwcContext,
    today: date,
    number_format: str | None = None,
    max_stream_t: float = MAX_STREAM_T,
) -> pd.DataFrame:
    out = type_table(raw, TABLES["waste_streams"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    # The unit column has aliases (tonnes, m³): map them before the closed-list check.
    if "unit" in raw.frame:
        text = raw.frame["unit"].astype(str).str.strip()
        mapped = text.str.lower().map(UNIT_ALIASES)
        chk.each(
            (text != "") & mapped.isna(),
            text,
            "unit",
            "unit",
            _("'{value}' is not a known unit."),
            hint=_(
                "Use t, kg or m3 (quantities per year); give m3 with a density in density_t_m3."
            ),
        )
        out["unit"] = mapped
    check_non_negative(out, chk, ["quantity"])
    density = out["density_t_m3"]
    density_text = (
        raw.frame["density_t_m3"].astype(str)
        if "density_t_m3" in raw.frame
        else pd.Series("", index=out.index)
    )
    chk.each(
        (out["unit"] == "m3") & density.isna() & (density_text.str.strip() == ""),
        density_text,
        "density_t_m3",
        "density-missing",
        _("a volume in m3 needs a density to convert it to tonnes, and density_t_m3 is blank."),
        hint=_("Give the bulk density in t/m3 (water is 1.0)."),
    )
    chk.each(
        density.notna() & (density <= 0),
        density,
        "density_t_m3",
        "density-range",
        _("the density {value} t/m3 is not positive."),
    )
    # EWC codes: the entry must be in the List of Waste, the asterisk must agree with it, and
    # the hazard flag, chapter and sub-chapter derive from the list, never from typing alone.
    assessed = (
        raw.frame["hazard_assessment"].astype(str).str.strip() != ""
        if "hazard_assessment" in raw.frame
        else pd.Series(False, index=out.index)
    )
    codes_typed = out["ewc_code"]
    if raw.numeric is not None and "ewc_code" in raw.numeric:
        # A code typed into a numeric cell of a workbook lost its leading zero (020104 became
        # 20104); a number cannot hold one, so five digits there can only be read this way.
        lost_zero = raw.numeric["ewc_code"] & codes_typed.fillna("").str.fullmatch(r"\d{5}")
        codes_typed = codes_typed.where(~lost_zero, "0" + codes_typed.fillna(""))
    ewc = pd.Series(None, index=out.index, dtype=object)
    for row, value in codes_typed.dropna().items():
        ewc[row] = check_ewc(value, row, "ewc_code", chk, ctx, assessed=bool(assessed[row]))
    out["ewc_code"] = ewc
    out["hazardous"] = ewc.str.endswith("*").astype("boolean")
    out["ewc_chapter"] = ewc.str[:2]
    out["ewc_subchapter"] = ewc.str[:5]
    ops = pd.Series(None, index=out.index, dtype=object)
    for row, value in out["operation"].dropna().items():
        ops[row] = check_operation(value, row, "operation", chk)
    out["operation"] = ops
    fates = list(codes.fate_codes())
    bad = out["fate"].notna() & ~out["fate"].isin(fates)
    for row, value in out["fate"][bad].items():
        chk.add(
            "choice",
            _("'{value}' is not a fate category.").format(value=value),
            row=row,
            column="fate",
            value=value,
            hint=closest(value, fates) or _("Allowed: {choices}.").format(choices=", ".join(fates)),
        )
    out.loc[bad, "fate"] = None
    _check_years(out, chk, today)
    _check_storage_years(out, chk)
    quantity = out["quantity"].where(out["quantity"] >= 0)
    density_ok = density.where(density > 0)
    out["quantity_t"] = to_tonnes(quantity, out["unit"], density_ok)
    # Plausibility: warnings that name the row; they do not stop a run.
    chk.each(
        out["quantity"] == 0,
        raw.frame["quantity"] if "quantity" in raw.frame else out["quantity"],
        "quantity",
        "quantity-zero",
        _("the quantity is 0: a stream with no waste adds nothing to the study."),
        hint=_("Give the quantity generated in the reference year, or remove the row."),
        severity="warning",
    )
    for row, tonnes in out["quantity_t"][out["quantity_t"] > max_stream_t].items():
        chk.add(
            "quantity-plausibility",
            _(
                "{tonnes} t a year is above the plausibility bound of {bound} t a year for one "
                "stream."
            ).format(
                tonnes=format_number(float(tonnes), 0), bound=format_number(float(max_stream_t), 0)
            ),
            row=row,
            column="quantity",
            value=str(raw.frame.at[row, "quantity"]) if "quantity" in raw.frame else None,
            hint=_(
                "Check the quantity and its unit (kg typed as t?); if it is right, raise "
                "data.max_stream_t in parameters/study.yaml."
            ),
            severity="warning",
        )
    return out


def check_facilities(
    raw: RawTable, issues: list[Issue], ctx: EwcContext, number_format: str | None = None
) -> pd.DataFrame:
    out = type_table(raw, TABLES["facilities"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    check_non_negative(out, chk, ["capacity_t_yr"])
    if out["nace_code"].notna().any():
        check_nace(out, chk)
    else:
        out["nace_division"] = None
        out["nace_section"] = None
    accepted, operations = [], []
    for row in out.index:
        items = [
            p.strip()
            for p in str(out.at[row, "accepted_ewc"] or "").split(LIST_SEPARATOR)
            if p.strip()
        ]
        accepted.append(
            [
                c
                for c in (check_ewc(p, row, "accepted_ewc", chk, ctx, prefix=True) for p in items)
                if c
            ]
        )
        items = [
            p.strip()
            for p in str(out.at[row, "operations"] or "").split(LIST_SEPARATOR)
            if p.strip()
        ]
        operations.append(
            [c for c in (check_operation(p, row, "operations", chk) for p in items) if c]
        )
    out["accepted_ewc_list"] = pd.Series(accepted, index=out.index, dtype=object)
    out["operations_list"] = pd.Series(operations, index=out.index, dtype=object)
    return out


def check_references(
    streams: pd.DataFrame,
    raw_streams: RawTable,
    enterprises: pd.DataFrame | None,
    facilities: pd.DataFrame | None,
    issues: list[Issue],
) -> None:
    """Streams must point at enterprises and facilities that exist."""
    chk = Checker(raw_streams, issues)
    if enterprises is not None:
        known = set(enterprises["enterprise_id"].dropna())
        ids = streams["enterprise_id"]
        for row, value in ids[ids.notna() & ~ids.isin(known)].items():
            chk.add(
                "unknown-enterprise",
                _("the enterprise '{value}' is not in the enterprises table.").format(value=value),
                row=row,
                column="enterprise_id",
                value=value,
                hint=closest(value, known),
            )
    dest = streams["destination_facility_id"]
    known_fac = set() if facilities is None else set(facilities["facility_id"].dropna())
    for row, value in dest[dest.notna() & ~dest.isin(known_fac)].items():
        chk.add(
            "unknown-facility",
            _("the facility '{value}' is not in the facilities table.").format(value=value),
            row=row,
            column="destination_facility_id",
            value=value,
            hint=closest(value, known_fac)
            if known_fac
            else _("The study has no facilities table."),
        )
