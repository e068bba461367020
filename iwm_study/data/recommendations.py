"""Recommendation rules as data: the table's columns, the grammar of a condition, the checks.

Each row of ``iwm_study/data/codes/recommendations.csv`` (or a study's own file, the setting
``recommendations_file``) holds a condition on a region's indicators (the keys of
``codes.indicators()``), the recommendation, its rationale, the policy lever it pulls, the
next steps and a source. A condition is a small expression:

    hazardous_share_pct > national_hazardous_share_pct and hazardous_far_share_pct >= 25

Comparisons (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``) of indicator names and numbers, joined
with ``and``, ``or`` and ``not``, with brackets. Nothing else is allowed: the text is parsed with
Python's ``ast`` and its tree checked node by node here, and walked by
``iwm_study.conclusions`` to evaluate it; it is never ``eval``-ed, because a rules file is input
a study author writes and a small closed grammar is all the rules need (no library offers
one smaller than a full expression language). This module is intake: the pre-flight checks a
study's rules file with it before any kernel starts.

Each text a reader sees (``TRANSLATED_COLUMNS``) may have its translation in a column of its
own, ``topic_az`` beside ``topic``: the shipped file has them, a study's own file may leave them
out (its English is then shown). They are kept as text, unchecked, and read where shown with
``codes.in_language``.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd

from ..paths import resolve
from . import codes
from .checker import Checker, type_table
from .issues import StudyDataError, ValidationReport
from .readers import read_table_file
from .schema import Column, Table

__all__ = [
    "COMPARISONS",
    "RECOMMENDATIONS_FILE",
    "RECOMMENDATIONS_TABLE",
    "TRANSLATED_COLUMNS",
    "Condition",
    "ConditionError",
    "check_recommendations",
    "load_recommendations",
    "parse_condition",
    "shipped_recommendations_path",
]

RECOMMENDATIONS_FILE = "recommendations.csv"

#: The columns a reader sees; each may have its translations beside it, ``topic_az`` for the
#: Azerbaijani of ``topic`` (read where shown with ``codes.in_language``).
TRANSLATED_COLUMNS = (
    "topic",
    "recommendation",
    "rationale",
    "policy_lever",
    "next_steps",
    "source",
)

RECOMMENDATIONS_TABLE = Table(
    translated=TRANSLATED_COLUMNS,
    name="recommendations",
    key="rule_id",
    title="Recommendation rules: a condition on indicators, and what to recommend when it holds",
    columns=(
        Column("rule_id", "str", "Unique identifier of the rule.", example="REC01"),
        Column(
            "condition",
            "str",
            "When the rule holds: comparisons of indicator names and numbers, joined with and, "
            "or, not (e.g. 'landfill_rate_pct > national_landfill_share_pct').",
            example="landfill_rate_pct > national_landfill_share_pct",
        ),
        Column("topic", "str", "Short title of the recommendation.", example="Landfill fee"),
        Column("recommendation", "str", "What the ministry or the study team should do."),
        Column("rationale", "str", "Why the finding calls for it."),
        Column("policy_lever", "str", "The instrument: a law, a fee, a programme, a statistic."),
        Column("next_steps", "str", "The first concrete steps.", nullable=True),
        Column("source", "str", "Where the lever and its rationale come from."),
    ),
)

#: The comparisons a condition may use, with the symbol a report shows.
COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<",
    ast.LtE: "≤",
    ast.Gt: ">",
    ast.GtE: "≥",
    ast.Eq: "=",
    ast.NotEq: "≠",
}


class ConditionError(ValueError):
    """A condition that is not of the small grammar, or names an unknown indicator."""


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its text, its tree and the indicator names it reads."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]


def parse_condition(text: str, known: Mapping[str, object] | None = None) -> Condition:
    """Parse ``text`` to a :class:`Condition`; with ``known`` (indicator names), an unknown
    name is an error with the nearest names as a hint. Raises :class:`ConditionError`."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(f"'{text}' is not a condition ({exc.msg}).") from None
    names: list[str] = []

    def walk(node: ast.AST, boolean: bool) -> None:
        if isinstance(node, ast.BoolOp) and boolean:
            for value in node.values:
                walk(value, True)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and boolean:
            walk(node.operand, True)
        elif isinstance(node, ast.Compare) and boolean:
            if not all(type(op) in COMPARISONS for op in node.ops):
                raise ConditionError(f"'{text}': only <, <=, >, >=, ==, != compare values.")
            for operand in (node.left, *node.comparators):
                walk(operand, False)
        elif isinstance(node, ast.Name) and not boolean:
            names.append(node.id)
        elif (
            isinstance(node, ast.Constant)
            and not boolean
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            return
        elif (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and not boolean
        ):
            walk(node.operand, False)
        else:
            what = "a comparison" if boolean else "an indicator name or a number"
            raise ConditionError(
                f"'{text}': '{ast.unparse(node)}' is not {what}; a condition compares "
                "indicator names and numbers, joined with and, or, not."
            )

    walk(tree, True)
    if known is not None:
        for name in names:
            if name not in known:
                near = difflib.get_close_matches(name, list(known), n=3)
                hint = f" Did you mean {', '.join(near)}?" if near else ""
                raise ConditionError(f"'{name}' is not an indicator.{hint}")
    return Condition(text.strip(), tree, tuple(dict.fromkeys(names)))


# --------------------------------------------------------------------------------------------
# the rules file


def shipped_recommendations_path() -> Path:
    """Path of the recommendation rules shipped with the package."""
    return Path(str(files("iwm_study.data").joinpath("codes", RECOMMENDATIONS_FILE)))


def _check(
    path: Path, display: str, known: Mapping[str, object]
) -> tuple[pd.DataFrame | None, ValidationReport]:
    raw, issues = read_table_file(path, RECOMMENDATIONS_TABLE, display, "recommendations")
    if raw is None:
        return None, ValidationReport(issues).sorted()
    out = type_table(raw, RECOMMENDATIONS_TABLE, issues)
    chk = Checker(raw, issues)
    parsed: dict[int, Condition] = {}
    for row, text in out["condition"].dropna().items():
        try:
            parsed[row] = parse_condition(str(text), known)
        except ConditionError as exc:
            chk.add(
                "recommendation-condition",
                str(exc),
                row=row,
                column="condition",
                value=text,
                hint="The indicators are listed in iwm_study/data/codes/indicators.csv.",
            )
    report = ValidationReport(issues).sorted()
    if not report.ok:
        return None, report
    out["parsed"] = pd.Series(parsed, dtype=object)
    out["order"] = range(len(out))
    return out.reset_index(drop=True), report


def _known() -> Mapping[str, object]:
    return codes.labels("indicator")


def check_recommendations(path: str | Path | None = None) -> ValidationReport:
    """Every problem of a recommendations file (default: the shipped one), each naming the
    file, row, column, value and rule. A relative path is read against the study folder."""
    path = resolve(path) if path is not None else shipped_recommendations_path()
    return _check(path, str(path), _known())[1]


def load_recommendations(path: str | Path | None = None) -> pd.DataFrame:
    """The recommendation rules of ``path`` (default: the shipped file), with each condition
    parsed (column ``parsed``). Raises ``StudyDataError`` listing every problem."""
    path = resolve(path) if path is not None else shipped_recommendations_path()
    rules, report = _check(path, str(path), _known())
    if rules is None:
        raise StudyDataError(report, path)
    return rules
