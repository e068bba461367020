"""Type and check a study's input tables: every problem is collected, none stops the others.

The checks are written here rather than with a DataFrame-schema library because most of them are
domain rules across tables and geography (EWC sub-chapters, NACE Rev.2 divisions, points inside
the district they claim, latitude and longitude swapped) and each message must name the file,
sheet, row, column, value and a hint. Each check is vectorised with pandas over a whole column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import codes
from .issues import Issue
from .numbers import read_cell_number
from .readers import RawTable
from .schema import (
    LIST_SEPARATOR,
    MAX_STREAM_T,
    TABLES,
    TONNES_PER_UNIT,
    UNIT_ALIASES,
    Column,
    Table,
)

#: A six-digit EWC code, with or without the spaces, and an optional hazard asterisk.
EWC_PATTERN = re.compile(r"^(\d{2}) ?(\d{2}) ?(\d{2})\s*(\*?)$")
#: EWC prefixes allowed in a facility's accepted list: chapter, sub-chapter or full code.
EWC_PREFIX_PATTERN = re.compile(r"^(\d{2})(?: ?(\d{2})(?: ?(\d{2}))?)?\s*(\*?)$")
#: A NACE Rev.2 division, group or class, optionally with its section letter.
NACE_PATTERN = re.compile(r"^([A-Z]{1,2})?\s*(\d{2})(?:\.(\d)(\d)?)?$")
OPERATION_PATTERN = re.compile(r"^([RD])\s*(\d{1,2})$")
FIRST_YEAR = 1990
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class GeoSettings:
    """Tolerances for the geographic checks, in metres (boundaries are simplified)."""

    district_tolerance_m: float = 1000.0
    country_tolerance_m: float = 2000.0


class Checker:
    """Collects issues for one table, knowing its file and sheet."""

    def __init__(self, raw: RawTable, issues: list[Issue]):
        self.raw = raw
        self.issues = issues

    def add(
        self,
        rule: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        self.issues.append(
            Issue(
                self.raw.file,
                rule,
                message,
                sheet=self.raw.sheet,
                row=None if row is None else int(row),
                column=column,
                value=None if value is None else str(value),
                hint=hint,
                severity=severity,
            )
        )

    def each(
        self,
        mask: pd.Series,
        values: pd.Series,
        column: str,
        rule: str,
        message: str,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        """Add one issue per row where ``mask`` is true; ``message`` may use {value}."""
        for row, value in values[mask.fillna(False).astype(bool)].items():
            self.add(
                rule,
                message.format(value=value),
                row=row,
                column=column,
                value=value,
                hint=hint,
                severity=severity,
            )


def closest(value: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt name, or None."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in choices}
        found = lowered.get(value.lower())
        return f"did you mean '{found}'?" if found else None
    return f"did you mean '{match[0]}'?"


def normalise_ewc(text: str) -> str | None:
    """'100304*' or '10 03 04 *' -> '10 03 04*'; None when it is not a six-digit EWC code."""
    m = EWC_PATTERN.match(text.strip())
    if not m:
        return None
    return f"{m.group(1)} {m.group(2)} {m.group(3)}{m.group(4)}"


def normalise_nace(text: str) -> tuple[str, str | None] | None:
    """'C24.42' -> ('24.42', 'C'); None when the text is not a NACE Rev.2 code shape."""
    m = NACE_PATTERN.match(text.strip().upper())
    if not m:
        return None
    section, division, group, klass = m.groups()
    code = division + (f".{group}" if group else "") + (klass or "")
    return code, section


def to_tonnes(quantity: pd.Series, unit: pd.Series, density: pd.Series) -> pd.Series:
    """Quantities per year in t, kg or m3 (with a density in t/m3) converted to tonnes per year.

    The one unit converter of the toolkit: every table and notebook goes through it.
    """
    factor = unit.map(TONNES_PER_UNIT).astype(float)
    factor = factor.where(unit != "m3", density.astype(float))
    return quantity.astype(float) * factor


def _table_columns(raw: RawTable, spec: Table, chk: Checker, other_names: set[str]) -> set[str]:
    """Check the header: required columns present, unknown columns named. Returns usable columns."""
    present = set(raw.frame.columns)
    header_row = int(raw.frame.index.min()) - 1 if len(raw.frame) else 1
    for col in spec.columns:
        if col.required and col.name not in present:
            chk.add(
                "column-missing",
                f"the required column '{col.name}' is missing from the {spec.name} table.",
                row=header_row,
                column=col.name,
                hint=closest(col.name, present - set(spec.column_names))
                or f"Add a column '{col.name}': {col.description}",
            )
    for name in sorted(present - set(spec.column_names) - other_names):
        chk.add(
            "column-unknown",
            f"'{name}' is not a column of the {spec.name} table.",
            row=header_row,
            column=name,
            value=name,
            hint=closest(name, spec.column_names)
            or "Known columns: " + ", ".join(spec.column_names) + ".",
        )
    return present & set(spec.column_names)


def _type_column(
    raw: RawTable, col: Column, chk: Checker, number_format: str | None = None
) -> pd.Series:
    """Convert one text column to its type; blank or wrong cells become missing, with an issue."""
    frame = raw.frame
    text = frame[col.name].astype(str).str.strip()
    blank = text == ""
    if not col.nullable:
        chk.each(
            blank,
            text,
            col.name,
            "value-missing",
            f"'{col.name}' is required and is blank.",
            hint=col.description,
        )
    if col.kind == "str":
        out = text.where(~blank, None)
        if col.choices:
            lowered = out.str.lower()
            bad = out.notna() & ~lowered.isin(col.choices)
            for row, value in out[bad].items():
                chk.add(
                    "choice",
                    f"'{value}' is not an allowed value of '{col.name}'.",
                    row=row,
                    column=col.name,
                    value=value,
                    hint=closest(value, col.choices) or "Allowed: " + ", ".join(col.choices) + ".",
                )
            out = lowered.where(~bad, None)
        return out
    if col.kind == "bool":
        lowered = text.str.lower()
        bad = ~lowered.isin(_TRUE | _FALSE)
        chk.each(
            bad,
            text,
            col.name,
            "type",
            f"'{{value}}' is not yes or no in '{col.name}'.",
            hint="Write yes or no.",
        )
        return lowered.isin(_TRUE).where(~bad, None).astype("boolean")
    # Numbers: a cell that was a number in the source is one; text is read only when it can be
    # read one way (iwm_study.data.numbers), each distinct text once.
    numeric = (
        raw.numeric[col.name]
        if raw.numeric is not None and col.name in raw.numeric
        else pd.Series(False, index=frame.index)
    )
    keys = list(zip(text.where(~blank, ""), numeric.astype(bool), strict=True))
    readings = {
        key: read_cell_number(key[0], key[1], number_format) for key in set(keys) if key[0] != ""
    }
    unit = f" ({col.unit})" if col.unit else ""
    values = pd.Series(
        [readings[k].value if k[0] != "" else None for k in keys], index=frame.index, dtype=float
    )
    for row in text.index[~blank & values.isna()]:
        reading = readings[(text[row], bool(numeric[row]))]
        message = reading.message or f"'{text[row]}' is not a number."
        if reading.rule == "type":
            message = message.rstrip(".") + f" in '{col.name}'{unit}."
        chk.add(
            reading.rule or "type",
            message,
            row=row,
            column=col.name,
            value=text[row],
            hint=reading.hint or "Write a plain number such as 1200 or 0.75.",
        )
    numbers = values
    if col.kind == "int":
        fractional = numbers.notna() & (numbers != np.floor(numbers))
        chk.each(
            fractional,
            text,
            col.name,
            "type",
            f"'{{value}}' is not a whole number in '{col.name}'.",
        )
        return numbers.where(~fractional).astype("Int64")
    return numbers.astype(float)


def type_table(
    raw: RawTable,
    spec: Table,
    issues: list[Issue],
    other_names: Iterable[str] = (),
    number_format: str | None = None,
) -> pd.DataFrame:
    """Type the columns of one table and check the rules that need only that column.

    ``number_format`` (None, 'decimal_comma' or 'decimal_point') says how numbers typed as text
    are written (``iwm_study.data.numbers``)."""
    chk = Checker(raw, issues)
    usable = _table_columns(raw, spec, chk, set(other_names))
    if raw.frame.empty:
        if spec.required:
            chk.add("table-empty", f"the {spec.name} table has a header but no rows.")
        else:
            chk.add(
                "table-empty",
                f"the {spec.name} table has a header but no rows: {spec.if_empty}",
                severity="warning",
            )
    out = pd.DataFrame(index=raw.frame.index)
    for col in spec.columns:
        if col.name in usable:
            out[col.name] = _type_column(raw, col, chk, number_format)
        else:
            # an absent column reads as an all-blank one, with the same dtype
            blank = pd.Series("", index=raw.frame.index, dtype=object).astype(str)
            out[col.name] = (
                blank.where(blank != "", None)
                if col.kind == "str"
                else pd.Series(None, index=raw.frame.index, dtype=float)
            )
    # Duplicate identifiers: every repeat after the first is reported, with the first row named.
    if spec.key in usable:
        keys = out[spec.key]
        dup = keys.notna() & keys.duplicated(keep="first")
        first_row = {k: r for r, k in keys[keys.notna()][::-1].items()}
        for row, value in keys[dup].items():
            chk.add(
                "duplicate-id",
                f"the identifier '{value}' is used again (first on row {first_row[value]}).",
                row=row,
                column=spec.key,
                value=value,
                hint="Identifiers must be unique within a table.",
            )
    return out


def _check_non_negative(out: pd.DataFrame, chk: Checker, columns: Iterable[str]) -> None:
    for name in columns:
        chk.each(
            out[name] < 0,
            out[name],
            name,
            "negative-value",
            f"'{name}' is negative ({{value}}).",
            hint="Quantities and counts cannot be below zero.",
        )


def check_nace(out: pd.DataFrame, chk: Checker) -> None:
    """NACE Rev.2 shape, section letter and existence down to the class (every division, group
    and class of Regulation (EC) No 1893/2006); adds nace_division and nace_section."""
    divisions = codes.nace_divisions().set_index("division")["section"]
    known = codes.nace_codes()
    division = pd.Series(None, index=out.index, dtype=object)
    section = pd.Series(None, index=out.index, dtype=object)
    for row, value in out["nace_code"].dropna().items():
        parsed = normalise_nace(value)
        if parsed is None:
            chk.add(
                "nace-format",
                f"'{value}' is not a NACE Rev.2 code.",
                row=row,
                column="nace_code",
                value=value,
                hint="Write a division, group or class such as 24, 24.4 or 24.42 (section letter optional).",
            )
            continue
        code, letter = parsed
        div = code[:2]
        if letter and len(letter) == 2:
            chk.add(
                "nace-rev2",
                f"'{value}' has the two-letter subsection {letter}, which NACE Rev.1.1 used; NACE Rev.2 has none.",
                row=row,
                column="nace_code",
                value=value,
                hint="Convert it with the NACE Rev.1.1 to Rev.2 correspondence table (e.g. DG 24.1 -> C 20.1).",
            )
            continue
        if div not in divisions.index:
            chk.add(
                "nace-rev2",
                f"division {div} of '{value}' does not exist in NACE Rev.2.",
                row=row,
                column="nace_code",
                value=value,
                hint="This looks like a NACE Rev.1.1 or ISIC code; convert it with the Rev.1.1 to Rev.2 correspondence table.",
            )
            continue
        if letter and letter != divisions[div]:
            chk.add(
                "nace-rev2",
                f"section {letter} does not match division {div} of '{value}' (NACE Rev.2 puts it in section {divisions[div]}).",
                row=row,
                column="nace_code",
                value=value,
                hint="Two-letter subsections such as DG belong to NACE Rev.1.1; use Rev.2 codes.",
            )
            continue
        if code not in known:
            group = code[:4]
            if len(code) == 5 and group in known:
                parent, below = f"group {group}", "classes"
            else:
                parent, below = f"division {div}", "groups"
            children = sorted(
                c
                for c in known
                if c.startswith(group if parent.startswith("group") else div + ".")
                and len(c) == (5 if below == "classes" else 4)
            )
            chk.add(
                "nace-rev2",
                ("" if code == value.strip() else f"'{value}': ")
                + f"{code} is not a {'class' if len(code) == 5 else 'group'} of NACE Rev.2.",
                row=row,
                column="nace_code",
                value=value,
                hint=f"The {below} of {parent}: " + ", ".join(children) + ".",
            )
            continue
        out.at[row, "nace_code"] = code
        division[row] = div
        section[row] = divisions[div]
    out["nace_division"] = division
    out["nace_section"] = section


#: Where the hazard of a mirror entry is decided: the Commission notice on technical guidance on
#: the classification of waste (2018/C 124/01), chapter 3: a waste with a mirror entry is
#: non-hazardous only when an assessment of its substances shows no hazardous property.
MIRROR_GUIDANCE = "Commission notice 2018/C 124/01 on the classification of waste"


@dataclass
class EwcContext:
    """What an EWC code is checked against: the chapters and sub-chapters, and the entries with
    their hazard flags and mirror pairs (the List of Waste the toolkit ships, or a study's own
    list of entries when it gives one)."""

    chapters: set[str]
    subchapters: set[str]
    entries: pd.Series  # code "CC SS EE" -> hazardous (bool)
    mirrors: dict[str, tuple[str, ...]]
    list_name: str  # how messages name the list


def ewc_context(ewc_entries: pd.DataFrame | None) -> EwcContext:
    """The shipped List of Waste, or the study's own list of entries when it gives one."""
    chapters = set(codes.ewc_chapters()["chapter"])
    subchapters = set(codes.ewc_subchapters()["subchapter"])
    if ewc_entries is None:
        shipped = codes.ewc_entries()
        return EwcContext(
            chapters,
            subchapters,
            shipped.set_index("code")["hazardous"],
            codes.mirror_entries(),
            "the List of Waste",
        )
    return EwcContext(
        chapters,
        subchapters,
        ewc_entries.set_index("code")["hazardous"],
        {},
        "the study's list of EWC entries",
    )


def _nearest(code: str, ctx: EwcContext) -> list[str]:
    """The nearest entries of the list in use, written with their asterisk."""
    if ctx.list_name == "the List of Waste":
        return codes.nearest_ewc_entries(code)
    target = int(code.replace(" ", ""))
    same = [c for c in ctx.entries.index if c[:5] == code[:5]] or [
        c for c in ctx.entries.index if c[:2] == code[:2]
    ]
    near = sorted(same, key=lambda c: (abs(int(c.replace(" ", "")) - target), c))[:3]
    return [c + ("*" if ctx.entries[c] else "") for c in near]


def check_ewc(
    value: str,
    row: int,
    column: str,
    chk: Checker,
    ctx: EwcContext,
    prefix: bool = False,
    assessed: bool = False,
) -> str | None:
    """Check one EWC code (or, with ``prefix``, a chapter or sub-chapter); return it normalised
    ("CC SS EE" with "*" when the list says hazardous) or None.

    The entry must be in the list; its asterisk must agree with the list (in a prefix list, such
    as a facility's accepted codes, the asterisk adds nothing and is not checked). A non-hazardous
    mirror entry gets a warning asking for the assessment behind it, unless ``assessed``.
    """
    m = (EWC_PREFIX_PATTERN if prefix else EWC_PATTERN).match(value.strip())
    if not m:
        shape = (
            "a chapter (17), sub-chapter (17 01) or code (17 01 01)"
            if prefix
            else "six digits 'CC SS EE' with '*' when the entry is hazardous"
        )
        chk.add(
            "ewc-format",
            f"'{value}' is not an EWC code.",
            row=row,
            column=column,
            value=value,
            hint=f"Write {shape}, e.g. '10 03 04*'.",
        )
        return None
    chapter, sub, entry, star = m.groups()
    if chapter not in ctx.chapters:
        chk.add(
            "ewc-chapter",
            f"EWC chapter {chapter} of '{value}' does not exist (chapters are 01 to 20).",
            row=row,
            column=column,
            value=value,
        )
        return None
    if sub is not None and f"{chapter} {sub}" not in ctx.subchapters:
        chk.add(
            "ewc-subchapter",
            f"EWC sub-chapter {chapter} {sub} of '{value}' does not exist.",
            row=row,
            column=column,
            value=value,
            hint=f"Sub-chapters of chapter {chapter}: "
            + ", ".join(sorted(s for s in ctx.subchapters if s.startswith(chapter)))
            + ".",
        )
        return None
    code = " ".join(p for p in (chapter, sub, entry) if p)
    if entry is None:
        return code
    if code not in ctx.entries.index:
        near = _nearest(code, ctx)
        chk.add(
            "ewc-entry",
            f"{code} is not an entry of {ctx.list_name}.",
            row=row,
            column=column,
            value=value,
            hint=("Nearest entries: " + ", ".join(near) + ".") if near else None,
        )
        return None
    hazardous = bool(ctx.entries[code])
    if prefix:
        return code
    if bool(star) != hazardous:
        chk.add(
            "ewc-hazard",
            f"{code} is hazardous: write {code}*."
            if hazardous
            else f"{code} is not hazardous: write {code} without '*'.",
            row=row,
            column=column,
            value=value,
            hint=f"The asterisk of {ctx.list_name} decides whether an entry is hazardous.",
        )
        return None
    mirror = ctx.mirrors.get(code)
    if mirror and not hazardous and not assessed:
        pair = ", ".join(f"{c}*" for c in mirror)
        chk.add(
            "ewc-mirror",
            f"{code} is the non-hazardous mirror of {pair}: it is non-hazardous only when an "
            "assessment of the waste's substances shows no hazardous property.",
            row=row,
            column=column,
            value=value,
            hint="Name the analysis or assessment in hazard_assessment (laboratory, report, "
            f"date); without one, classify the waste as {pair} ({MIRROR_GUIDANCE}).",
            severity="warning",
        )
    return code + ("*" if hazardous else "")


def check_operation(value: str, row: int, column: str, chk: Checker) -> str | None:
    m = OPERATION_PATTERN.match(value.strip().upper())
    valid = codes.operation_codes()
    code = f"{m.group(1)}{int(m.group(2))}" if m else None
    if code not in valid:
        chk.add(
            "operation-code",
            f"'{value}' is not a recovery or disposal operation.",
            row=row,
            column=column,
            value=value,
            hint="Use R1 to R13 (recovery, Directive 2008/98/EC Annex II) or D1 to D15 (disposal, Annex I).",
        )
        return None
    return code


def _check_years(out: pd.DataFrame, chk: Checker, today: date) -> None:
    years = out["reference_year"]
    bad = years.notna() & ((years < FIRST_YEAR) | (years > today.year))
    chk.each(
        bad,
        years,
        "reference_year",
        "year-range",
        f"the year {{value}} is outside {FIRST_YEAR}-{today.year}.",
        hint="Give the calendar year the quantity refers to.",
    )


def check_enterprises(
    raw: RawTable, issues: list[Issue], number_format: str | None = None
) -> pd.DataFrame:
    out = type_table(raw, TABLES["enterprises"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    _check_non_negative(out, chk, ["employees", "output_value_kazn"])
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
            "'{value}' is not a known unit.",
            hint="Use t, kg or m3 (quantities per year); give m3 with a density in density_t_m3.",
        )
        out["unit"] = mapped
    _check_non_negative(out, chk, ["quantity"])
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
        "a volume in m3 needs a density to convert it to tonnes, and density_t_m3 is blank.",
        hint="Give the bulk density in t/m3 (water is 1.0).",
    )
    chk.each(
        density.notna() & (density <= 0),
        density,
        "density_t_m3",
        "density-range",
        "the density {value} t/m3 is not positive.",
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
            f"'{value}' is not a fate category.",
            row=row,
            column="fate",
            value=value,
            hint=closest(value, fates) or "Allowed: " + ", ".join(fates) + ".",
        )
    out.loc[bad, "fate"] = None
    _check_years(out, chk, today)
    quantity = out["quantity"].where(out["quantity"] >= 0)
    density_ok = density.where(density > 0)
    out["quantity_t"] = to_tonnes(quantity, out["unit"], density_ok)
    # Plausibility: warnings that name the row; they do not stop a run.
    chk.each(
        out["quantity"] == 0,
        raw.frame["quantity"] if "quantity" in raw.frame else out["quantity"],
        "quantity",
        "quantity-zero",
        "the quantity is 0: a stream with no waste adds nothing to the study.",
        hint="Give the quantity generated in the reference year, or remove the row.",
        severity="warning",
    )
    for row, tonnes in out["quantity_t"][out["quantity_t"] > max_stream_t].items():
        chk.add(
            "quantity-plausibility",
            f"{tonnes:,.0f} t a year is above the plausibility bound of {max_stream_t:,.0f} t "
            "a year for one stream.",
            row=row,
            column="quantity",
            value=str(raw.frame.at[row, "quantity"]) if "quantity" in raw.frame else None,
            hint="Check the quantity and its unit (kg typed as t?); if it is right, raise "
            "data.max_stream_t in parameters/study.yaml.",
            severity="warning",
        )
    return out


def check_facilities(
    raw: RawTable, issues: list[Issue], ctx: EwcContext, number_format: str | None = None
) -> pd.DataFrame:
    out = type_table(raw, TABLES["facilities"], issues, number_format=number_format)
    chk = Checker(raw, issues)
    _check_non_negative(out, chk, ["capacity_t_yr"])
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
                f"the enterprise '{value}' is not in the enterprises table.",
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
            f"the facility '{value}' is not in the facilities table.",
            row=row,
            column="destination_facility_id",
            value=value,
            hint=closest(value, known_fac) if known_fac else "The study has no facilities table.",
        )


def check_geography(out: pd.DataFrame, raw: RawTable, issues: list[Issue], settings: GeoSettings):
    """Coordinates inside Azerbaijan, not swapped, inside the district and region they claim.

    Returns a GeoDataFrame of the rows with points (geometry for valid coordinates).
    """
    import geopandas as gpd

    from . import geography

    chk = Checker(raw, issues)
    districts = geography.districts()
    region_of = dict(zip(districts["district"], districts["economic_region"], strict=True))
    regions = set(districts["economic_region"])
    # Names first: the region and district must exist, and the district must lie in the region.
    for row, value in out["economic_region"].dropna().items():
        if value not in regions:
            chk.add(
                "unknown-region",
                f"'{value}' is not one of the 14 economic regions.",
                row=row,
                column="economic_region",
                value=value,
                hint=closest(value, regions) or "Regions: " + ", ".join(sorted(regions)) + ".",
            )
    for row, value in out["district"].dropna().items():
        if value not in region_of:
            chk.add(
                "unknown-district",
                f"'{value}' is not a district of Azerbaijan in the reference geography.",
                row=row,
                column="district",
                value=value,
                hint=closest(value, region_of),
            )
        else:
            claimed = out.at[row, "economic_region"]
            if claimed in regions and region_of[value] != claimed:
                chk.add(
                    "district-region-mismatch",
                    f"the district '{value}' belongs to the {region_of[value]} economic region, not {claimed}.",
                    row=row,
                    column="district",
                    value=value,
                    hint="Correct the district or the economic region.",
                )
    lon, lat = out["longitude"], out["latitude"]
    bad_range = lon.notna() & lat.notna() & ((lon.abs() > 180) | (lat.abs() > 90))
    for row in out.index[bad_range]:
        chk.add(
            "coordinates-range",
            f"({lon[row]}, {lat[row]}) are not longitude and latitude in degrees.",
            row=row,
            column="longitude",
            value=f"{lon[row]}, {lat[row]}",
            hint="Give decimal degrees, WGS 84 (e.g. 49.87, 40.41).",
        )
    has_point = lon.notna() & lat.notna() & ~bad_range
    gdf = gpd.GeoDataFrame(
        out,
        geometry=gpd.points_from_xy(lon.where(has_point), lat.where(has_point)),
        crs=geography.GEOGRAPHIC_CRS,
    )
    gdf.loc[~has_point, "geometry"] = None
    if not has_point.any():
        return gdf
    pts = gdf.loc[has_point, ["geometry"]].to_crs(geography.PROJECTED_CRS)
    d_proj = geography.to_projected(districts)
    country = d_proj.union_all()
    outside = pts.distance(country) > settings.country_tolerance_m
    if outside.any():
        swapped = gpd.GeoSeries(
            gpd.points_from_xy(lat[outside.index[outside]], lon[outside.index[outside]]),
            index=outside.index[outside],
            crs=geography.GEOGRAPHIC_CRS,
        )
        swapped_in = (
            swapped.to_crs(geography.PROJECTED_CRS).distance(country)
            <= settings.country_tolerance_m
        )
        for row in outside.index[outside]:
            value = f"{lon[row]}, {lat[row]}"
            if swapped_in[row]:
                chk.add(
                    "lat-lon-swapped",
                    f"longitude {lon[row]} and latitude {lat[row]} look swapped: as given the "
                    f"point lies outside Azerbaijan, and read the other way round "
                    f"({lat[row]}, {lon[row]}) it lies inside.",
                    row=row,
                    column="longitude",
                    value=value,
                    hint="Exchange the longitude and latitude values.",
                )
            else:
                chk.add(
                    "outside-country",
                    f"the point ({value}) lies outside Azerbaijan.",
                    row=row,
                    column="longitude",
                    value=value,
                    hint="Azerbaijan spans about 44.8-50.6 E and 38.4-41.9 N; check the coordinates.",
                )
        pts = pts[~outside]
    # Where each point really is, and how far it lies from the district it claims.
    located = gpd.sjoin_nearest(
        pts, d_proj[["district", "economic_region", "geometry"]], how="left"
    )
    located = located[~located.index.duplicated(keep="first")]
    polys = d_proj.set_index("district").geometry
    for row in pts.index:
        claimed_d = out.at[row, "district"]
        claimed_r = out.at[row, "economic_region"]
        actual_d, actual_r = located.at[row, "district"], located.at[row, "economic_region"]
        value = f"{lon[row]}, {lat[row]}"
        if claimed_d in polys.index:
            dist = pts.geometry[row].distance(polys[claimed_d])
            if dist > settings.district_tolerance_m:
                chk.add(
                    "outside-district",
                    f"the point ({value}) lies {dist / 1000:.1f} km outside {claimed_d}, in {actual_d} ({actual_r}).",
                    row=row,
                    column="district",
                    value=claimed_d,
                    hint="Correct the coordinates or the district.",
                )
        elif claimed_r in regions and actual_r != claimed_r:
            chk.add(
                "outside-region",
                f"the point ({value}) lies in {actual_r}, not in the {claimed_r} economic region it claims.",
                row=row,
                column="economic_region",
                value=claimed_r,
                hint="Correct the coordinates or the economic region.",
            )
    return gdf
