"""The cell and column rules of every input table: types, choices, numbers, identifiers.

``Checker`` collects issues for one table (file, sheet, row, column, value, rule, hint);
``type_table`` turns a table of text into typed columns with the rules that need only one column
(required cells, closed lists, yes/no, numbers read by ``data.numbers``, whole numbers, duplicate
identifiers). ``to_tonnes`` is the toolkit's one unit converter. Each rule is vectorised with
pandas over a whole column.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..i18n import _
from .issues import Issue
from .numbers import read_cell_number
from .readers import RawTable
from .schema import TONNES_PER_UNIT, Column, Table

_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


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
        fields: Mapping[str, object] | None = None,
    ) -> None:
        """Add one issue per row where ``mask`` is true; ``message`` may use {value} (the
        row's value) and the names of ``fields`` (the same for every row), so that a
        translated message is formatted once it is translated."""
        for row, value in values[mask.fillna(False).astype(bool)].items():
            self.add(
                rule,
                message.format(value=value, **(fields or {})),
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
        return _("did you mean '{name}'?").format(name=found) if found else None
    return _("did you mean '{name}'?").format(name=match[0])


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
                _("the required column '{column}' is missing from the {table} table.").format(
                    column=col.name, table=spec.name
                ),
                row=header_row,
                column=col.name,
                hint=closest(col.name, present - set(spec.column_names))
                or _("Add a column '{column}': {description}").format(
                    column=col.name, description=_(col.description)
                ),
            )
    for name in sorted(present - set(spec.column_names) - other_names):
        chk.add(
            "column-unknown",
            _("'{column}' is not a column of the {table} table.").format(
                column=name, table=spec.name
            ),
            row=header_row,
            column=name,
            value=name,
            hint=closest(name, spec.column_names)
            or _("Known columns: {columns}.").format(columns=", ".join(spec.column_names)),
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
            _("'{column}' is required and is blank."),
            hint=_(col.description),
            fields={"column": col.name},
        )
    if col.kind == "str":
        out = text.where(~blank, None)
        if col.choices:
            lowered = out.str.lower()
            bad = out.notna() & ~lowered.isin(col.choices)
            for row, value in out[bad].items():
                chk.add(
                    "choice",
                    _("'{value}' is not an allowed value of '{column}'.").format(
                        value=value, column=col.name
                    ),
                    row=row,
                    column=col.name,
                    value=value,
                    hint=closest(value, col.choices)
                    or _("Allowed: {choices}.").format(choices=", ".join(col.choices)),
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
            _("'{value}' is not yes or no in '{column}'."),
            hint=_("Write yes or no."),
            fields={"column": col.name},
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
    unit = f" ({_(col.unit)})" if col.unit else ""
    values = pd.Series(
        [readings[k].value if k[0] != "" else None for k in keys], index=frame.index, dtype=float
    )
    for row in text.index[~blank & values.isna()]:
        reading = readings[(text[row], bool(numeric[row]))]
        message = reading.message or _("'{value}' is not a number.").format(value=text[row])
        if reading.rule == "type":
            message = _("{problem} in '{column}'{unit}.").format(
                problem=message.rstrip("."), column=col.name, unit=unit
            )
        chk.add(
            reading.rule or "type",
            message,
            row=row,
            column=col.name,
            value=text[row],
            hint=reading.hint or _("Write a plain number such as 1200 or 0.75."),
        )
    numbers = values
    if col.kind == "int":
        fractional = numbers.notna() & (numbers != np.floor(numbers))
        chk.each(
            fractional,
            text,
            col.name,
            "type",
            _("'{value}' is not a whole number in '{column}'."),
            fields={"column": col.name},
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
    usable = _table_columns(raw, spec, chk, set(other_names) | set(spec.translation_columns))
    if raw.frame.empty:
        if spec.required:
            chk.add(
                "table-empty",
                _("the {table} table has a header but no rows.").format(table=spec.name),
            )
        elif spec.warn_if_empty:
            chk.add(
                "table-empty",
                _("the {table} table has a header but no rows: {meaning}").format(
                    table=spec.name, meaning=_(spec.if_empty)
                ),
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
                else pd.Series(
                    None, index=raw.frame.index, dtype="Int64" if col.kind == "int" else float
                )
            )
    for column in spec.translation_columns:
        if column in raw.frame.columns:
            out[column] = raw.frame[column].astype(str).str.strip()
    # Duplicate identifiers (a key of several columns is checked by the table's own rules,
    # once its codes are normalised).
    if spec.unique_columns == (spec.key,) and spec.key in usable:
        check_duplicates(out, chk, (spec.key,))
    return out


def check_duplicates(
    out: pd.DataFrame,
    chk: Checker,
    columns: tuple[str, ...],
    hint: str | None = None,
) -> None:
    """Every row whose values in ``columns`` repeat an earlier row's is an error naming the
    first row; rows with a blank in any of them are left to the blank-cell rule. ``hint`` is
    said on each (by default: identifiers must be unique)."""
    if hint is None:
        hint = _("Identifiers must be unique within a table.")
    keys = out[list(columns)]
    filled = keys.notna().all(axis=1)
    dup = filled & keys.duplicated(keep="first")
    tuples = list(keys.itertuples(index=False, name=None))
    first_row: dict[tuple, int] = {}
    for row, key, ok in zip(out.index, tuples, filled, strict=True):
        if ok:
            first_row.setdefault(key, row)
    for row, key in zip(
        out.index[dup.to_numpy()], keys[dup].itertuples(index=False, name=None), strict=True
    ):
        value = key[0] if len(key) == 1 else " / ".join(str(v) for v in key)
        if len(key) == 1:
            message = _("the identifier '{value}' is used again (first on row {first}).")
        else:
            message = _("the pair {pair} is used again (first on row {first}).")
        pair = ", ".join(f"{c} '{v}'" for c, v in zip(columns, key, strict=True))
        chk.add(
            "duplicate-id",
            message.format(value=value, pair=pair, first=first_row[key]),
            row=row,
            column=columns[-1],
            value=value,
            hint=hint,
        )


def check_non_negative(out: pd.DataFrame, chk: Checker, columns: Iterable[str]) -> None:
    for name in columns:
        chk.each(
            out[name] < 0,
            out[name],
            name,
            "negative-value",
            _("'{column}' is negative ({value})."),
            hint=_("Quantities and counts cannot be below zero."),
            fields={"column": name},
        )
