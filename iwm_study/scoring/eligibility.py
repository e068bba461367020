"""Eligibility gates for enterprise selection: who may be ranked for a RECP assessment, and why
the others may not.

``screen`` applies the gates of ``enterprise_selection.eligibility`` (``config.Eligibility``)
to the enterprises table before any criterion is scored: SME size (at most ``max_employees``),
RECP interest (at least ``min_recp_interest``) and output value (at most
``max_output_value_kazn``), each off when its setting is null. An enterprise whose value is not
known under an active gate is excluded with the reason 'not known': a RECP assessment needs an
enterprise shown to be eligible. The result keeps every enterprise with its values, whether it
is eligible and every reason it is not, so that the report can list who was excluded and why;
the reasons and the gates are written in the report's language (``iwm_study.i18n``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config.selection import Eligibility
from ..data.schema import RECP_LEVELS
from ..i18n import N_, _, format_number

__all__ = ["RECP_LEVEL_LABELS", "Screening", "gate_texts", "recp_level_text", "screen"]

#: The columns of the enterprises table the gates read, besides enterprise_id and name.
GATE_COLUMNS = ("employees", "recp_interest", "output_value_kazn")
#: The declared RECP interest levels (``RECP_LEVELS``) as a reader reads them.
RECP_LEVEL_LABELS: dict[str, str] = {
    "none": N_("none"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
}


def recp_level_text(level: str) -> str:
    """A RECP interest level in the report's language ('medium' -> 'orta'); other text as is."""
    return _(RECP_LEVEL_LABELS[level]) if level in RECP_LEVEL_LABELS else level


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
        out.append(_("at most {n} employees").format(n=format_number(gates.max_employees)))
    if gates.min_recp_interest is not None:
        out.append(
            _("RECP interest at least {level}").format(
                level=recp_level_text(gates.min_recp_interest)
            )
        )
    if gates.max_output_value_kazn is not None:
        out.append(
            _("output value at most {value} thousand AZN/yr").format(
                value=format_number(float(gates.max_output_value_kazn), 0)
            )
        )
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
        fail(employees.isna(), _("employees not known"))
        over = employees > limit
        size = _("size: {employees} employees, more than {limit}")
        fail(
            over,
            employees.map(
                lambda v: size.format(
                    employees=format_number(float(v), 0), limit=format_number(limit)
                )
            ),
        )
    if gates.min_recp_interest is not None:
        floor = gates.min_recp_interest
        fail(level.isna(), _("RECP interest not known"))
        below = level < RECP_LEVELS.index(floor)
        low = _("RECP interest: {level}, below {floor}")
        fail(
            below,
            interest.map(
                lambda v: low.format(level=recp_level_text(v), floor=recp_level_text(floor))
            ),
        )
    if gates.max_output_value_kazn is not None:
        cap = gates.max_output_value_kazn
        fail(output.isna(), _("output value not known"))
        high = _("output value: {value} thousand AZN, more than {cap}")
        fail(
            output > cap,
            output.map(
                lambda v: high.format(
                    value=format_number(float(v), 0), cap=format_number(float(cap), 0)
                )
            ),
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
