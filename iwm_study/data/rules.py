"""Circular rules: which waste can feed which receivers, through which recovery operation.

The rules are data (``iwm_study/data/codes/circular_rules.csv``; a study may bring its own file,
the setting ``circular_rules_file``). This module reads a rules file and checks every row with
the same messages as the study data (file, row, column, value, rule, hint), so that ``iwm
validate`` and ``iwm run`` can check a study's rules before any kernel starts; the matching
itself lives in ``iwm_study.circular``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import resolve
from . import codes
from .checker import Checker, type_table
from .code_checks import check_ewc_prefixes, check_nace, check_operation, ewc_context
from .issues import StudyDataError, ValidationReport
from .readers import read_table_file
from .schema import FACILITY_TYPES, Column, Table

__all__ = [
    "RULES_FILE",
    "RULES_TABLE",
    "TRANSLATED_COLUMNS",
    "check_rules",
    "load_rules",
    "shipped_rules_path",
]

RULES_FILE = "circular_rules.csv"

#: The columns a reader sees; each may have its translation beside it, ``title_az`` for the
#: Azerbaijani of ``title`` (read where shown with ``codes.in_language``).
TRANSLATED_COLUMNS = ("title", "rationale", "source")

RULES_TABLE = Table(
    translated=TRANSLATED_COLUMNS,
    name="circular_rules",
    key="rule_id",
    title="Circular rules: which waste can feed which receivers, through which operation",
    columns=(
        Column("rule_id", "str", "Unique identifier of the rule.", example="CR001"),
        Column(
            "ewc",
            "str",
            "EWC chapter ('10'), sub-chapter ('10 02') or code ('10 02 01') the rule covers; "
            "an asterisk adds nothing (the entry decides the hazard).",
            example="10 02 01",
        ),
        Column(
            "facility_type",
            "str",
            "Kind of facility that can receive the waste (blank: any facility whose NACE code "
            "fits, and enterprises).",
            nullable=True,
            choices=FACILITY_TYPES,
            example="",
        ),
        Column(
            "nace_code",
            "str",
            "NACE Rev.2 division, group or class of the enterprises and facilities that can use "
            "the waste (blank: facilities of the type, whatever their activity).",
            nullable=True,
            example="42",
        ),
        Column(
            "operation",
            "str",
            "Recovery operation R1-R11 the receiver applies (Directive 2008/98/EC Annex II).",
            example="R5",
        ),
        Column(
            "hazardous_allowed",
            "bool",
            "yes when hazardous entries may follow the rule (to receivers permitted for them).",
            example="no",
        ),
        Column(
            "title", "str", "Short title of the option.", example="Steel slag to civil engineering"
        ),
        Column(
            "rationale", "str", "Why the waste can be used this way.", example="Crushed slag is…"
        ),
        Column(
            "source",
            "str",
            "Where the rationale comes from (standard, regulation, study).",
            required=False,
            nullable=True,
            example="EN 13242",
        ),
    ),
)


# --------------------------------------------------------------------------------------------


def shipped_rules_path() -> Path:
    """Path of the rules file shipped with the package."""
    return Path(str(files("iwm_study.data").joinpath("codes", RULES_FILE)))


def _check_rules(
    path: Path, display: str, ewc_entries: pd.DataFrame | None
) -> tuple[pd.DataFrame | None, ValidationReport]:
    raw, issues = read_table_file(path, RULES_TABLE, display, "rules")
    if raw is None:
        return None, ValidationReport(issues).sorted()
    out = type_table(raw, RULES_TABLE, issues)
    chk = Checker(raw, issues)
    ctx = ewc_context(ewc_entries)
    out["ewc"] = check_ewc_prefixes(out["ewc"], "ewc", chk, ctx)
    ops = codes.waste_operations().set_index("code")
    final_recovery = set(ops.index[(ops["kind"] == "recovery") & ~ops["interim"]])
    checked_ops = pd.Series(None, index=out.index, dtype=object)
    for row, value in out["operation"].dropna().items():
        code = check_operation(value, row, "operation", chk)
        if code is None:
            continue
        if code not in final_recovery:
            chk.add(
                "rule-operation",
                f"'{value}' is not a final recovery operation; a rule sends waste to R1-R11.",
                row=row,
                column="operation",
                value=value,
                hint="Disposal (D1-D15) and storage or exchange before recovery (R12, R13) do "
                "not return waste to the economy.",
            )
            continue
        checked_ops[row] = code
    out["operation"] = checked_ops
    check_nace(out, chk)
    out = out.drop(columns=["nace_division", "nace_section"])

    def typed_text(column: str, row: int) -> str:
        return str(raw.frame.at[row, column]) if column in raw.frame else ""

    for row in out.index:
        ftype = out.at[row, "facility_type"]
        if ftype == "landfill":
            chk.add(
                "rule-receiver",
                "a landfill is a disposal site, not a receiver for recovery.",
                row=row,
                column="facility_type",
                value=ftype,
                hint="Name the facility type or NACE sector that recovers the waste.",
            )
        elif typed_text("facility_type", row) == "" and typed_text("nace_code", row) == "":
            chk.add(
                "rule-receiver",
                "the rule names no receiver: give a facility_type, a nace_code or both.",
                row=row,
                column="facility_type",
                hint="Facility types: " + ", ".join(t for t in FACILITY_TYPES if t != "landfill"),
            )
    # The same waste, receiver and operation twice is a copy-paste slip: name the first row.
    # Rows with a problem already are left out: a bad cell typed as blank is no duplicate.
    keys = out[["ewc", "facility_type", "nace_code", "operation"]].astype(str)
    flagged = {i.row for i in issues}
    complete = out[["ewc", "operation"]].notna().all(axis=1) & ~out.index.isin(flagged)
    checked = keys[complete]
    first = {tuple(k): r for r, k in checked[::-1].iterrows()}
    for row in checked.index[checked.duplicated(keep="first")]:
        chk.add(
            "rule-duplicate",
            f"the rule repeats the waste, receiver and operation of row {first[tuple(keys.loc[row])]}.",
            row=row,
            column="ewc",
            value=str(out.at[row, "ewc"]),
            hint="Delete one of the two rows.",
        )
    report = ValidationReport(issues).sorted()
    if not report.ok:
        return None, report
    out["hazardous_allowed"] = out["hazardous_allowed"].astype(bool)
    for column in ("facility_type", "nace_code", "source"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    out["hierarchy_level"] = out["operation"].map(ops["hierarchy_level"])
    out["order"] = np.arange(len(out))
    return out, report


def _entries(ewc_entries: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    if ewc_entries is None or isinstance(ewc_entries, pd.DataFrame):
        return ewc_entries
    return codes.read_ewc_entries(resolve(ewc_entries))


def check_rules(
    path: str | Path | None = None, *, ewc_entries: str | Path | pd.DataFrame | None = None
) -> ValidationReport:
    """Every problem of a rules file (default: the shipped one), each naming the file, row,
    column, value and rule, as the study data's problems do. A relative path is read against
    the study folder (``iwm_study.paths.resolve``)."""
    path = resolve(path) if path is not None else shipped_rules_path()
    return _check_rules(path, str(path), _entries(ewc_entries))[1]


def load_rules(
    path: str | Path | None = None, *, ewc_entries: str | Path | pd.DataFrame | None = None
) -> pd.DataFrame:
    """The circular rules of ``path`` (a study's CSV; default: the file shipped in the package).

    Columns: those of ``RULES_TABLE`` (codes normalised: ewc '10 02 01', nace_code '23.51',
    operation 'R5'; hazardous_allowed bool), plus ``hierarchy_level`` of the operation and
    ``order`` (position in the file). Raises ``StudyDataError`` listing every problem. A
    relative path is read against the study folder (``iwm_study.paths.resolve``).
    """
    path = resolve(path) if path is not None else shipped_rules_path()
    rules, report = _check_rules(path, str(path), _entries(ewc_entries))
    if rules is None:
        raise StudyDataError(report, path)
    return rules
