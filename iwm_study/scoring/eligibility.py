"""Eligibility gates for enterprise selection: who may be ranked for a RECP assessment, and why
the others may not.

``screen`` applies the gates of ``enterprise_selection.eligibility`` (``config.Eligibility``)
to the enterprises table before any criterion is scored: SME size (at most ``max_employees``),
RECP interest (at least ``min_recp_interest``) and output value (at most
``max_output_value_kazn``), each off when its setting is null. An enterprise whose value is not
known under an active gate is excluded with the reason 'not known': a RECP assessment needs an
enterprise shown to be eligible. The result keeps every enterprise with its values, whether it
is eligible and every reason it is not, so that the report can list who was excluded and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config.selection import Eligibility
from ..data.schema import RECP_LEVELS

__all__ = ["Screening", "gate_texts", "screen"]

#: The columns of the enterprises table the gates read, besides enterprise_id and name.
GATE_COLUMNS = ("employees", "recp_interest", "output_value_kazn")


@dataclass(frozen=True)
class Screening:
    """The enterprises with the gates' verdict.

    ``table``: index enterprise_id (in the order of the enterprises table); columns name,
    employees, recp_interest, output_value_kazn, eligible (bool) and reasons ('; '-separated,
    empty for an eligible enterprise).
    """

    gates: Eligibility
    table: pd.DataFrame

    @property
    def eligible(self) -> pd.Index:
        """The enterprise_id of every enterprise that passes all the active gates."""
        return self.table.index[self.table["eligible"].to_numpy(dtype=bool)]

    @property
    def excluded(self) -> pd.DataFrame:
        """The enterprises that fail a gate, by name then enterprise_id."""
        out = self.table[~self.table["eligible"].to_numpy(dtype=bool)]
        order = np.lexsort((out.index.astype(str), out["name"].astype(str).to_numpy()))
        return out.iloc[order]


def gate_texts(gates: Eligibility) -> list[str]:
    """Each active gate in words ('at most 249 employees', 'RECP interest at least medium')."""
    out = []
    if gates.max_employees is not None:
        out.append(f"at most {gates.max_employees:,} employees")
    if gates.min_recp_interest is not None:
        out.append(f"RECP interest at least {gates.min_recp_interest}")
    if gates.max_output_value_kazn is not None:
        out.append(f"output value at most {gates.max_output_value_kazn:,.0f} thousand AZN/yr")
    return out


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def screen(enterprises: pd.DataFrame, gates: Eligibility) -> Screening:
    """Apply the active gates to every enterprise (columns enterprise_id, name, employees,
    recp_interest, output_value_kazn); see the module docstring for the rules."""
    ent = enterprises.set_index("enterprise_id")
    employees = _numbers(ent, "employees")
    output = _numbers(ent, "output_value_kazn")
    interest = ent["recp_interest"] if "recp_interest" in ent else pd.Series(None, index=ent.index)
    level = interest.map({name: n for n, name in enumerate(RECP_LEVELS)}).astype(float)
    reasons: list[list[str]] = [[] for _ in range(len(ent))]

    def fail(mask: pd.Series, text: pd.Series | str) -> None:
        for pos in np.flatnonzero(mask.to_numpy(dtype=bool)):
            reasons[pos].append(text if isinstance(text, str) else str(text.iloc[pos]))

    if gates.max_employees is not None:
        limit = gates.max_employees
        fail(employees.isna(), "employees not known")
        over = employees > limit
        fail(over, employees.map(lambda v: f"size: {v:,.0f} employees, more than {limit:,}"))
    if gates.min_recp_interest is not None:
        floor = gates.min_recp_interest
        fail(level.isna(), "RECP interest not known")
        below = level < RECP_LEVELS.index(floor)
        fail(below, interest.map(lambda v: f"RECP interest: {v}, below {floor}"))
    if gates.max_output_value_kazn is not None:
        cap = gates.max_output_value_kazn
        fail(output.isna(), "output value not known")
        fail(
            output > cap,
            output.map(lambda v: f"output value: {v:,.0f} thousand AZN, more than {cap:,.0f}"),
        )
    table = pd.DataFrame(
        {
            "name": ent["name"].astype(str) if "name" in ent else ent.index.astype(str),
            "employees": employees,
            "recp_interest": interest,
            "output_value_kazn": output,
            "eligible": [not r for r in reasons],
            "reasons": ["; ".join(r) for r in reasons],
        },
        index=ent.index,
    )
    return Screening(gates, table)
