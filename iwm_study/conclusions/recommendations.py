"""Recommendations evaluated: each rule of the rules table against one region's indicators.

The rules, their grammar and their checks are intake (``iwm_study.data.recommendations``: the
pre-flight checks a study's file before any kernel starts). Here a parsed condition is walked
against the values of ``indicators.collect``. An indicator the region lacks (NaN: no register,
no storage years ...) makes its comparison unknown; the logic is Kleene's three values, so
``unknown and false`` is false and ``unknown or true`` is true, and a rule that stays unknown
is reported as "not assessed", with the indicator it lacked, never silently as not triggered.

A rule's texts (topic, recommendation, rationale, policy lever, next steps, source) are read in
the report's language (``codes.in_language``: the file's ``topic_az`` ... columns, English
where a study's own file has none); ``condition_words`` writes a condition for a reader, with
the indicators' names instead of their keys.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping

import pandas as pd

from ..data import codes
from ..data.recommendations import COMPARISONS, TRANSLATED_COLUMNS, Condition, parse_condition
from ..i18n import _

__all__ = ["STATUSES", "condition_words", "evaluate", "evidence"]

#: What a rule's evaluation may be, in report order.
STATUSES = ("triggered", "not_triggered", "not_assessed")

_NEGATION: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.GtE,
    ast.LtE: ast.Gt,
    ast.Gt: ast.LtE,
    ast.GtE: ast.Lt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_COMPARE: dict[type[ast.cmpop], Callable[[float, float], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _value(node: ast.expr, values: Mapping[str, float]) -> float:
    if isinstance(node, ast.Name):
        value = values.get(node.id, math.nan)
        return math.nan if value is None else float(value)
    if isinstance(node, ast.UnaryOp):
        return -_value(node.operand, values)
    return float(node.value)  # type: ignore[attr-defined]


def _truth(node: ast.expr, values: Mapping[str, float]) -> bool | None:
    """Kleene three-valued truth of a parsed condition (None: unknown)."""
    if isinstance(node, ast.BoolOp):
        parts = [_truth(v, values) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    if isinstance(node, ast.UnaryOp):
        inner = _truth(node.operand, values)
        return None if inner is None else not inner
    assert isinstance(node, ast.Compare)
    left = _value(node.left, values)
    result: bool | None = True
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = _value(right_node, values)
        if math.isnan(left) or math.isnan(right):
            result = None if result is not False else False
        elif not _COMPARE[type(op)](left, right):
            result = False
        left = right
    return result


def _comparisons(node: ast.expr) -> list[ast.Compare]:
    if isinstance(node, ast.Compare):
        return [node]
    if isinstance(node, ast.BoolOp):
        return [c for v in node.values for c in _comparisons(v)]
    if isinstance(node, ast.UnaryOp):
        return _comparisons(node.operand)
    return []


def _operand_text(
    node: ast.expr,
    values: Mapping[str, float],
    describe: Callable[[str, float], str],
    threshold: Callable[[str | None, float], str],
    partner: str | None,
) -> str:
    if isinstance(node, ast.Name):
        return describe(node.id, values.get(node.id, math.nan))
    return threshold(partner, _value(node, values))


def _plain_threshold(partner: str | None, value: float) -> str:
    from .indicators import plain_number

    return plain_number(value)


def _plain_describe(name: str, value: float) -> str:
    from .indicators import plain_number

    return f"{name} {plain_number(value)}"


def condition_words(
    condition: Condition | str,
    label: Callable[[str], str],
    threshold: Callable[[str | None, float], str],
) -> str:
    """A condition as a reader reads it: each indicator by ``label(name)``, each number by
    ``threshold(name it is compared with, number)``, the logic in the report's language
    ('Packaging waste ≥ 1,000 t/yr', 'A > B and C ≥ 25 %')."""
    if isinstance(condition, str):
        condition = parse_condition(condition)

    def operand(node: ast.expr, partner: str | None) -> str:
        if isinstance(node, ast.Name):
            return label(node.id)
        return threshold(partner, _value(node, {}))

    def words(node: ast.expr, outer: type[ast.boolop] | None = None) -> str:
        if isinstance(node, ast.BoolOp):
            pattern = (
                _("{left} and {right}") if isinstance(node.op, ast.And) else _("{left} or {right}")
            )
            parts = [words(v, type(node.op)) for v in node.values]
            text = parts[0]
            for part in parts[1:]:
                text = pattern.format(left=text, right=part)
            return f"({text})" if outer is not None and outer is not type(node.op) else text
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _("not ({condition})").format(condition=words(node.operand))
        assert isinstance(node, ast.Compare)
        operands = [node.left, *node.comparators]
        names = [n.id for n in operands if isinstance(n, ast.Name)]
        partner = names[0] if names else None
        parts = [operand(node.left, partner)]
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts += [COMPARISONS[type(op)], operand(right, partner)]
        return " ".join(parts)

    return words(condition.tree)


def evidence(
    condition: Condition,
    values: Mapping[str, float],
    describe: Callable[[str, float], str] | None = None,
    threshold: Callable[[str | None, float], str] | None = None,
) -> str:
    """The numbers behind a condition, one comparison per clause, each stating the relation
    that holds between the numbers: 'Landfill rate 21.4 % > national landfill share 13.8 %'
    when the clause holds, 'Landfill rate 10.7 % ≤ ...' when it does not, '>?' when a side is
    not known. ``describe(name, value)`` words one indicator and ``threshold(name, number)``
    a number compared with indicator ``name`` (with its unit)."""
    describe = describe or _plain_describe
    threshold = threshold or _plain_threshold
    clauses = []
    for comp in _comparisons(condition.tree):
        operands = [comp.left, *comp.comparators]
        names = [n.id for n in operands if isinstance(n, ast.Name)]
        partner = names[0] if names else None
        parts = [_operand_text(comp.left, values, describe, threshold, partner)]
        left = comp.left
        for op, right in zip(comp.ops, comp.comparators, strict=True):
            # The relation that is true of the numbers: the rule's own when it holds, its
            # negation when not ('10.7 % ≤ 13.8 %'), the rule's with '?' when a side is unknown.
            a, b = _value(left, values), _value(right, values)
            if math.isnan(a) or math.isnan(b):
                symbol = COMPARISONS[type(op)] + "?"
            elif _COMPARE[type(op)](a, b):
                symbol = COMPARISONS[type(op)]
            else:
                symbol = COMPARISONS[_NEGATION[type(op)]]
            parts += [symbol, _operand_text(right, values, describe, threshold, partner)]
            left = right
        clauses.append(" ".join(parts))
    return "; ".join(clauses)


def evaluate(
    rules: pd.DataFrame,
    values: Mapping[str, float],
    describe: Callable[[str, float], str] | None = None,
    threshold: Callable[[str | None, float], str] | None = None,
) -> pd.DataFrame:
    """Each rule against one region's indicator ``values``: ``status`` (one of ``STATUSES``),
    ``evidence`` (the numbers of the condition, worded by ``describe`` and ``threshold``: see
    :func:`evidence`) and ``missing`` (indicators it lacked), with the rule's texts in the
    report's language; triggered rules first, then in file order."""
    records = []
    shown = {c: codes.in_language(rules, c) for c in TRANSLATED_COLUMNS if c in rules}
    for position, (_i, rule) in enumerate(rules.iterrows()):
        text = {c: shown[c].iloc[position] for c in shown}
        cond: Condition = rule["parsed"]
        truth = _truth(cond.tree, values)
        missing = [n for n in cond.names if _missing(values.get(n))]
        status = {True: "triggered", False: "not_triggered", None: "not_assessed"}[truth]
        records.append(
            {
                "rule_id": rule["rule_id"],
                "status": status,
                "topic": text["topic"],
                "recommendation": text["recommendation"],
                "rationale": text["rationale"],
                "policy_lever": text["policy_lever"],
                "next_steps": text["next_steps"] if isinstance(text["next_steps"], str) else "",
                "source": text["source"],
                "condition": cond.text,
                "evidence": evidence(cond, values, describe, threshold),
                "missing": ", ".join(missing),
                "order": rule["order"],
            }
        )
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    frame["_s"] = frame["status"].map({s: i for i, s in enumerate(STATUSES)})
    frame = frame.sort_values(["_s", "order"], kind="mergesort")
    return frame.drop(columns=["_s", "order"]).reset_index(drop=True)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
