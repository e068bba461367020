"""Valuation factors and material classes: the data behind what a circular option is worth.

Two tables, read and checked here like the circular rules (``data.rules``), so that ``iwm
validate`` and ``iwm run`` can check a study's own factors before any kernel starts; the
arithmetic lives in ``iwm_study.circular.valuation``.

* ``material_classes.csv`` (shipped): an EWC chapter, sub-chapter or code -> a material class;
  the longest prefix that matches a stream's code wins (:func:`classify`), and a code no row
  covers is ``unclassified``.
* ``valuation_factors.csv`` (or a study's own file, the setting ``valuation_factors_file``): one
  row per factor and key, with a ``low``, ``central`` and ``high`` value, its ``year`` and its
  ``source``. ``FACTORS`` says which factors there are, what their key is (a fate, a material
  class or none), their unit, their bounds and whether a higher value is a benefit or a cost.
  A material class is biodegradable when the table gives it a ``landfill_doc`` row.

Every problem names the file, row, column, value and rule, as the study data's problems do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import N_
from ..paths import resolve
from . import codes
from .checker import Checker, type_table
from .code_checks import check_ewc_prefixes, ewc_context
from .issues import StudyDataError, ValidationReport
from .readers import read_table_file
from .schema import Column, Table

__all__ = [
    "CLASSES_FILE",
    "CLASSES_TABLE",
    "FACTORS",
    "FACTORS_FILE",
    "FACTORS_TABLE",
    "TRANSLATED_COLUMNS",
    "UNCLASSIFIED",
    "Factor",
    "check_factors",
    "classify",
    "load_factors",
    "load_material_classes",
    "shipped_factors_path",
]

FACTORS_FILE = "valuation_factors.csv"
CLASSES_FILE = "material_classes.csv"
#: The columns of the factors a reader sees; each may have its translation beside it,
#: ``source_az`` (read where shown with ``codes.in_language``).
TRANSLATED_COLUMNS = ("source",)
#: The class of a waste no row of the material classes covers.
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Factor:
    """One kind of factor of the table: what its key is, its unit, its bounds, and whether a
    higher value is a benefit (``direction`` +1: its low end is the unfavourable one) or a cost
    (-1: its high end is)."""

    name: str
    label: str
    key: str | None  # "fate", "material_class" or None (one row, blank key)
    unit: str
    direction: int
    lower: float | None = None
    upper: float | None = None
    #: keyed by fate: a row for each fate the matching may meet (``open_for_matching``);
    #: keyed by class: a row for every class (True) or only for some (False: the
    #: biodegradable ones, which must then have both DOC rows).
    every_key: bool = True


#: The factors, in the order the report lists them.
FACTORS: dict[str, Factor] = {
    f.name: f
    for f in (
        Factor("avoided_disposal_cost", N_("Avoided disposal cost"), "fate", "AZN/t", 1),
        Factor(
            "avoided_disposal_cost_hazardous",
            N_("Avoided disposal cost, hazardous waste"),
            "fate",
            "AZN/t",
            1,
        ),
        Factor(
            "material_value", N_("Value of the secondary material"), "material_class", "AZN/t", 1
        ),
        Factor("transport_cost", N_("Transport cost"), None, "AZN/t-km", -1, lower=0.0),
        Factor(
            "avoided_virgin_emissions",
            N_("Avoided emissions of the virgin material"),
            "material_class",
            "t CO2e/t",
            1,
        ),
        Factor(
            "transport_emissions",
            N_("Transport emissions (times circular_co2_kg_per_tkm)"),
            None,
            "ratio",
            -1,
            lower=0.0,
        ),
        Factor(
            "landfill_doc",
            N_("Degradable organic carbon (DOC)"),
            "material_class",
            "t C/t",
            1,
            lower=0.0,
            upper=1.0,
            every_key=False,
        ),
        Factor(
            "landfill_docf",
            N_("Fraction of DOC that decomposes (DOCf)"),
            "material_class",
            "fraction",
            1,
            lower=0.0,
            upper=1.0,
            every_key=False,
        ),
        Factor(
            "landfill_mcf", N_("Methane correction factor (MCF)"), None, "fraction", 1, 0.0, 1.0
        ),
        Factor("landfill_f", N_("Methane in landfill gas (F)"), None, "fraction", 1, 0.0, 1.0),
        Factor("landfill_ox", N_("Oxidation factor (OX)"), None, "fraction", -1, 0.0, 0.99),
        Factor("gwp100_ch4", N_("GWP100 of methane"), None, "t CO2e/t CH4", 1, lower=0.0),
    )
}

FACTORS_TABLE = Table(
    translated=TRANSLATED_COLUMNS,
    name="valuation_factors",
    key="factor",
    title="Valuation factors: money and emissions of a circular option, with ranges",
    unique=("factor", "key"),
    columns=(
        Column(
            "factor",
            "str",
            "What the factor is: one of " + ", ".join(FACTORS) + ".",
            choices=tuple(FACTORS),
            example="material_value",
        ),
        Column(
            "key",
            "str",
            "The fate (avoided disposal costs) or the material class (material value, avoided "
            "emissions, DOC) the row is for; blank for a factor with one row.",
            nullable=True,
            example="ferrous_metal",
        ),
        Column("unit", "str", "The factor's unit, as FACTORS names it.", example="AZN/t"),
        Column("low", "float", "The low end of the factor's range.", example="145"),
        Column("central", "float", "The central value.", example="306"),
        Column("high", "float", "The high end of the factor's range.", example="469"),
        Column("year", "int", "The year the value describes.", example="2024"),
        Column(
            "source",
            "str",
            "Where the value comes from, named; 'Assumption: ...' when it is one.",
            example="Assumption: ...",
        ),
    ),
)

CLASSES_TABLE = Table(
    name="material_classes",
    key="ewc",
    title="Material classes: which EWC chapter, sub-chapter or code is which material",
    columns=(
        Column("ewc", "str", "EWC chapter, sub-chapter or code.", example="12 01 01"),
        Column("material_class", "str", "The material class (snake_case).", example="metal"),
        Column("note", "str", "What the waste is.", required=False, nullable=True),
    ),
)

_CLASS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
YEARS = (1990, 2100)


def _shipped(name: str) -> Path:
    return Path(str(files("iwm_study.data").joinpath("codes", name)))


def shipped_factors_path() -> Path:
    """Path of the factors table shipped with the package."""
    return _shipped(FACTORS_FILE)


# --------------------------------------------------------------------------------------------
# Material classes
# --------------------------------------------------------------------------------------------


def _check_classes(path: Path, display: str) -> tuple[pd.DataFrame | None, ValidationReport]:
    raw, issues = read_table_file(path, CLASSES_TABLE, display, CLASSES_TABLE.name)
    if raw is None:
        return None, ValidationReport(issues).sorted()
    out = type_table(raw, CLASSES_TABLE, issues)
    chk = Checker(raw, issues)
    ctx = ewc_context(None)
    out["ewc"] = check_ewc_prefixes(out["ewc"], "ewc", chk, ctx)
    bad = out["material_class"].notna() & ~out["material_class"].fillna("").str.match(_CLASS_NAME)
    chk.each(
        bad,
        out["material_class"],
        "material_class",
        "material-class-name",
        "'{value}' is not a class name: lower-case letters, digits and '_'.",
        hint="Write the class as a name such as ferrous_metal.",
    )
    seen: dict[str, int] = {}
    for row, code in out["ewc"].dropna().items():
        if code in seen:
            chk.add(
                "duplicate-id",
                f"the EWC prefix '{code}' is given again (first on row {seen[code]}).",
                row=row,
                column="ewc",
                value=code,
                hint="Each chapter, sub-chapter or code has one class.",
            )
        seen.setdefault(code, row)
    report = ValidationReport(issues).sorted()
    return (out if report.ok else None), report


def load_material_classes() -> pd.DataFrame:
    """The material classes shipped with the package: ``ewc`` (normalised prefix),
    ``material_class``, ``note``. Raises ``StudyDataError`` listing every problem."""
    path = _shipped(CLASSES_FILE)
    classes, report = _check_classes(path, str(path))
    if classes is None:
        raise StudyDataError(report, path)
    return classes


def class_names(classes: pd.DataFrame) -> tuple[str, ...]:
    """Every class of the table, and ``unclassified``, sorted."""
    return tuple(sorted(set(classes["material_class"]) | {UNCLASSIFIED}))


def classify(ewc_codes: pd.Series, classes: pd.DataFrame | None = None) -> pd.Series:
    """The material class of each EWC code: the class of the longest prefix (code, then
    sub-chapter, then chapter) the table lists; ``unclassified`` when none does. An asterisk
    and blanks around the code are ignored; a missing code is unclassified."""
    classes = load_material_classes() if classes is None else classes
    table = dict(zip(classes["ewc"], classes["material_class"], strict=True))
    plain = ewc_codes.astype(object).where(ewc_codes.notna(), "").astype(str)
    plain = plain.str.replace("*", "", regex=False).str.strip()
    out = pd.Series(UNCLASSIFIED, index=ewc_codes.index, dtype=object)
    found = pd.Series(False, index=ewc_codes.index)
    for width in (8, 5, 2):  # "CC SS EE", "CC SS", "CC": longest first
        key = plain.where(plain.str.len() >= width, "").str[:width]
        hit = key.map(table)
        take = hit.notna() & ~found
        out[take] = hit[take]
        found |= take
    return out


# --------------------------------------------------------------------------------------------
# Factors
# --------------------------------------------------------------------------------------------


def _check_rows(out: pd.DataFrame, chk: Checker, fates: set[str], classes: set[str]) -> None:
    """The rules of each row: unit, key, order of the range, bounds, year, repeats."""
    first: dict[tuple[str, str], int] = {}

    def text(row: int, column: str) -> str | None:
        value = out.at[row, column]
        return None if pd.isna(value) else str(value)

    for row in out.index:
        name = text(row, "factor")
        if name is None:
            continue
        spec = FACTORS[name]
        unit = text(row, "unit")
        if unit is not None and unit != spec.unit:
            chk.add(
                "factor-unit",
                f"{name} is in {spec.unit}, not '{unit}'.",
                row=row,
                column="unit",
                value=unit,
                hint=f"Write '{spec.unit}' and give the values in that unit.",
            )
        key = text(row, "key")
        if spec.key is None and key is not None:
            chk.add(
                "factor-key",
                f"{name} has one value for every stream: its key must be blank.",
                row=row,
                column="key",
                value=key,
            )
        elif spec.key is not None and key is None:
            chk.add(
                "factor-key",
                f"{name} needs a key: the {spec.key.replace('_', ' ')} the row is for.",
                row=row,
                column="key",
            )
        elif spec.key == "fate" and key not in fates:
            chk.add(
                "factor-key",
                f"'{key}' is not a fate.",
                row=row,
                column="key",
                value=key,
                hint="Fates: " + ", ".join(sorted(fates)) + ".",
            )
        elif spec.key == "material_class" and key not in classes:
            chk.add(
                "factor-key",
                f"'{key}' is not a material class of material_classes.csv.",
                row=row,
                column="key",
                value=key,
                hint="Classes: " + ", ".join(sorted(classes)) + ".",
            )
        low, central, high = (out.at[row, c] for c in ("low", "central", "high"))
        if not any(pd.isna(v) for v in (low, central, high)):
            if low > central:
                chk.add(
                    "factor-range",
                    f"low ({low:g}) is above central ({central:g}).",
                    row=row,
                    column="low",
                    value=f"{low:g}",
                    hint="A range is written low <= central <= high.",
                )
            if central > high:
                chk.add(
                    "factor-range",
                    f"high ({high:g}) is below central ({central:g}).",
                    row=row,
                    column="high",
                    value=f"{high:g}",
                    hint="A range is written low <= central <= high.",
                )
            for column, value in (("low", low), ("high", high)):
                below = spec.lower is not None and value < spec.lower
                above = spec.upper is not None and value > spec.upper
                if below or above:
                    bounds = f"from {spec.lower:g}" if spec.lower is not None else ""
                    bounds += f" to {spec.upper:g}" if spec.upper is not None else " up"
                    chk.add(
                        "factor-bounds",
                        f"{name} runs {bounds}; {column} is {value:g}.",
                        row=row,
                        column=column,
                        value=f"{value:g}",
                    )
        year = out.at[row, "year"]
        if not pd.isna(year) and not YEARS[0] <= int(year) <= YEARS[1]:
            chk.add(
                "factor-year",
                f"{int(year)} is not a year the value could describe ({YEARS[0]}-{YEARS[1]}).",
                row=row,
                column="year",
                value=str(int(year)),
            )
        pair = (name, key or "")
        if pair in first:
            chk.add(
                "duplicate-id",
                f"{name}{' for ' + key if key else ''} is given again (first on row "
                f"{first[pair]}).",
                row=row,
                column="key" if key else "factor",
                value=key or name,
                hint="Keep one row per factor and key.",
            )
        first.setdefault(pair, row)


def _check_complete(out: pd.DataFrame, chk: Checker, fates: set[str], classes: set[str]) -> None:
    """The rows the valuation needs: each factor without a key once, each fate the matching
    meets and each material class once, and both DOC rows of a biodegradable class."""
    given = set(zip(out["factor"], out["key"].fillna(""), strict=True))
    doc = {k for f, k in given if f == "landfill_doc"}
    docf = {k for f, k in given if f == "landfill_docf"}
    for spec in FACTORS.values():
        if spec.key is None:
            # one row, blank key; a row with a key is reported as such, not also as missing
            wanted = set() if (out["factor"] == spec.name).any() else {""}
        elif spec.key == "fate":
            wanted = fates
        elif spec.every_key:
            wanted = classes
        else:
            wanted = (doc | docf) & classes
        for key in sorted(wanted):
            if (spec.name, key) not in given:
                what = f" for the {spec.key.replace('_', ' ')} '{key}'" if key else ""
                chk.add(
                    "factor-missing",
                    f"no row gives {spec.name}{what}.",
                    column="factor",
                    value=spec.name + (f" / {key}" if key else ""),
                    hint=f"Add a row: {spec.name},{key},{spec.unit},low,central,high,year,source"
                    + (
                        " (a biodegradable class needs landfill_doc and landfill_docf)."
                        if not spec.every_key
                        else "."
                    ),
                )


def _check_factors(
    path: Path, display: str, classes: pd.DataFrame
) -> tuple[pd.DataFrame | None, ValidationReport]:
    raw, issues = read_table_file(path, FACTORS_TABLE, display, FACTORS_TABLE.name)
    if raw is None:
        return None, ValidationReport(issues).sorted()
    out = type_table(raw, FACTORS_TABLE, issues)
    chk = Checker(raw, issues)
    # Fates the matching may meet: a blank fate is valued as unknown.
    fates = set(codes.fates_where("open_for_matching"))
    names = set(class_names(classes))
    _check_rows(out, chk, set(codes.fate_codes()), names)
    if out["factor"].notna().any():
        _check_complete(out[out["factor"].notna()], chk, fates, names)
    report = ValidationReport(issues).sorted()
    if not report.ok:
        return None, report
    out["key"] = out["key"].fillna("")
    out["year"] = out["year"].astype(int)
    out.index.name = "row"
    return out, report


def _path(path: str | Path | None) -> Path:
    return resolve(path) if path is not None else shipped_factors_path()


def check_factors(
    path: str | Path | None = None, classes: pd.DataFrame | None = None
) -> ValidationReport:
    """Every problem of a factors file (default: the shipped one), each naming the file, row,
    column, value and rule. A relative path is read against the study folder."""
    path = _path(path)
    classes = load_material_classes() if classes is None else classes
    return _check_factors(path, str(path), classes)[1]


def load_factors(
    path: str | Path | None = None, classes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The valuation factors of ``path`` (a study's CSV; default: the file shipped in the
    package), one row each, indexed by the row a person sees in the file: ``factor``, ``key``
    ('' when the factor has one row), ``unit``, ``low``, ``central``, ``high``, ``year``,
    ``source``. Raises ``StudyDataError`` listing every problem."""
    path = _path(path)
    classes = load_material_classes() if classes is None else classes
    factors, report = _check_factors(path, str(path), classes)
    if factors is None:
        raise StudyDataError(report, path)
    return factors


def factor_values(factors: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of one factor as a frame indexed by key ('' for a factor with one row), with
    ``low``, ``central`` and ``high`` as floats."""
    part = factors[factors["factor"] == name]
    return part.set_index("key")[["low", "central", "high"]].astype(np.float64)
