"""Type and check the two optional population tables: the business register and the regional
statistics.

Both describe what the survey was drawn from rather than the survey itself, so their rules are
few: economic regions by their official names, NACE Rev.2 divisions of two digits, counts and
figures of zero or more, a year, one row per key. One rule crosses tables: a register that counts
fewer enterprises or employees in a division and region than the survey found is out of date or
misclassified, and gets a warning on its row (the coverage and the regional estimate read it).
Every problem is an ``Issue`` naming the file, row, column and value, as for the survey tables.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from ..i18n import _, format_number
from . import codes
from .checker import Checker, check_duplicates, check_non_negative, closest, type_table
from .code_checks import normalise_nace
from .issues import Issue
from .readers import RawTable
from .schema import TABLES

#: The earliest reference year of a register or a statistic (as for the survey tables).
FIRST_YEAR = 1990


@cache
def economic_region_names() -> tuple[str, ...]:
    """The 14 economic regions (decree of 7 July 2021), from the package's district table."""
    ref = resources.files("iwm_study.data") / "reference" / "az_economic_regions.csv"
    with ref.open(encoding="utf-8") as fh:
        return tuple(sorted({row["economic_region"] for row in csv.DictReader(fh)}))


def check_region_names(out: pd.DataFrame, chk: Checker) -> None:
    """Economic regions must be written as the reference list writes them, as in the survey
    tables (the survey's and the register's names are joined as they are)."""
    regions = economic_region_names()
    for row, value in out["economic_region"].dropna().items():
        if value not in regions:
            chk.add(
                "unknown-region",
                _("'{value}' is not one of the 14 economic regions.").format(value=value),
                row=row,
                column="economic_region",
                value=value,
                hint=closest(value, regions)
                or _("Regions: {regions}.").format(regions=", ".join(regions)),
            )


def _check_year(out: pd.DataFrame, chk: Checker, today: date) -> None:
    years = out["reference_year"]
    chk.each(
        years.notna() & ((years < FIRST_YEAR) | (years > today.year)),
        years,
        "reference_year",
        "year-range",
        _("the year {value} is outside {first}-{last}."),
        hint=_("Give the calendar year the figures refer to."),
        fields={"first": FIRST_YEAR, "last": today.year},
    )


def normalise_division(text: str, was_number: bool = False) -> str | None:
    """'C10', 'c 10' or '10' -> '10'; a number cell 1 (the leading zero lost) -> '01'; None when
    the text is no NACE division of two digits."""
    raw = text.strip()
    if was_number and raw.isdigit() and len(raw) == 1:
        raw = "0" + raw
    parsed = normalise_nace(raw)
    if parsed is None or "." in parsed[0]:
        return None
    return parsed[0]


def _check_divisions(out: pd.DataFrame, raw: RawTable, chk: Checker) -> None:
    """Two-digit NACE Rev.2 divisions that exist, with a section letter that agrees."""
    sections = codes.nace_divisions().set_index("division")["section"]
    numeric = (
        raw.numeric["nace_division"]
        if raw.numeric is not None and "nace_division" in raw.numeric
        else pd.Series(False, index=out.index)
    )
    divisions = pd.Series(None, index=out.index, dtype=object)
    for row, value in out["nace_division"].dropna().items():
        division = normalise_division(value, bool(numeric.get(row, False)))
        parsed = normalise_nace(value)
        if division is None:
            finer = parsed is not None and "." in parsed[0]
            chk.add(
                "nace-division",
                (
                    _(
                        "'{value}' is not a NACE Rev.2 division: the register counts by "
                        "division, not by group or class."
                    )
                    if finer
                    else _("'{value}' is not a NACE Rev.2 division.")
                ).format(value=value),
                row=row,
                column="nace_division",
                value=value,
                hint=_("Write the two digits of the division ('{division}').").format(
                    division=parsed[0][:2]
                )
                if finer
                else _("Write two digits such as 10 or 24 (section letter optional: C10)."),
            )
            continue
        letter = parsed[1] if parsed else None
        if division not in sections.index:
            chk.add(
                "nace-rev2",
                _("division {division} of '{value}' does not exist in NACE Rev.2.").format(
                    division=division, value=value
                ),
                row=row,
                column="nace_division",
                value=value,
                hint=_(
                    "Divisions run from 01 to 99 with gaps (no 04, 34, 40 ...); convert a NACE "
                    "Rev.1.1 or ISIC code with the correspondence table."
                ),
            )
            continue
        if letter and letter != sections[division]:
            chk.add(
                "nace-rev2",
                _(
                    "section {letter} does not match division {division} of '{value}' (NACE "
                    "Rev.2 puts it in section {section})."
                ).format(letter=letter, division=division, value=value, section=sections[division]),
                row=row,
                column="nace_division",
                value=value,
                hint=_("Write {division} or {section}{division}.").format(
                    division=division, section=sections[division]
                ),
            )
            continue
        divisions[row] = division
    out["nace_division"] = divisions


def check_register(
    raw: RawTable, issues: list[Issue], today: date, number_format: str | None = None
) -> pd.DataFrame:
    """The typed register: one row per economic region and NACE division, counts >= 0."""
    spec = TABLES["register"]
    out = type_table(raw, spec, issues, number_format=number_format)
    chk = Checker(raw, issues)
    check_region_names(out, chk)
    _check_divisions(out, raw, chk)
    check_non_negative(out, chk, ["enterprises", "employees"])
    _check_year(out, chk, today)
    check_duplicates(
        out,
        chk,
        spec.unique_columns,
        hint=_(
            "The register has one row per economic region and NACE division: add up the rows "
            "of the same division."
        ),
    )
    return out


def check_regional_statistics(
    raw: RawTable, issues: list[Issue], today: date, number_format: str | None = None
) -> pd.DataFrame:
    """The typed regional statistics: one row per economic region, figures >= 0 or blank."""
    out = type_table(raw, TABLES["regional_statistics"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    check_region_names(out, chk)
    check_non_negative(
        out, chk, ["enterprises", "employees", "industrial_output_mazn", "waste_generated_t"]
    )
    _check_year(out, chk, today)
    return out


def check_register_against_survey(
    register: pd.DataFrame, raw: RawTable, enterprises: pd.DataFrame, issues: list[Issue]
) -> None:
    """A warning on each register row that counts fewer enterprises or employees than the
    survey has in the same economic region and NACE division: the frame cannot be smaller than
    a sample drawn from it (the coverage then reads over 100 % and the estimate adds nothing)."""
    chk = Checker(raw, issues)
    surveyed = (
        enterprises.assign(employees=enterprises["employees"].astype("Float64"))
        .groupby(["economic_region", "nace_division"])
        .agg(enterprises=("enterprise_id", "size"), employees=("employees", "sum"))
    )
    for row, frame_row in register.iterrows():
        key = (frame_row["economic_region"], frame_row["nace_division"])
        if pd.isna(key[0]) or pd.isna(key[1]) or key not in surveyed.index:
            continue
        for column, message in (
            (
                "enterprises",
                _(
                    "the register counts {counted} enterprises in NACE division {division} of "
                    "{region}, but the survey has {found}."
                ),
            ),
            (
                "employees",
                _(
                    "the register counts {counted} employees in NACE division {division} of "
                    "{region}, but the survey has {found}."
                ),
            ),
        ):
            counted, found = frame_row[column], surveyed.at[key, column]
            if pd.notna(counted) and pd.notna(found) and found > counted:
                chk.add(
                    "register-below-survey",
                    message.format(
                        counted=format_number(int(counted)),
                        division=key[1],
                        region=key[0],
                        found=format_number(int(found)),
                    ),
                    row=row,
                    column=column,
                    value=int(counted),
                    hint=_(
                        "Check the register's year and the survey's NACE codes; the coverage of "
                        "this division reads over 100 % and its estimate adds nothing."
                    ),
                    severity="warning",
                )
