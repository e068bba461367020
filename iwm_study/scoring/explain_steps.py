"""Words for the steps around a ranking: the eligibility gates and who they excluded, the
shortlist, a region with too few to rank, and the AHP judgements with their consistency.

Presentation only, like ``explain``: each function reads a ``Screening``, a ``Ranking`` or an
``AHPResult`` and returns Markdown text, or a frame with the formatter of each column for
``iwm_study.report.table`` (shown with ``index=False``), in the report's language.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..i18n import N_, _, format_number, join_list, ngettext
from .ahp import CONSISTENCY_LIMIT
from .eligibility import recp_level_text
from .explain import criterion_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..config.selection import Eligibility
    from .eligibility import Screening
    from .ranking import Ranking
    from .weights import AHPResult

__all__ = [
    "EXCLUDED_HEADERS",
    "ahp_frame",
    "ahp_table",
    "consistency_text",
    "eligibility_text",
    "excluded_frame",
    "shortlist_text",
    "too_few_text",
]


def eligibility_text(screening: Screening) -> str:
    """The gates in words and how many enterprises pass them (Markdown)."""
    from .eligibility import gate_texts

    gates = gate_texts(screening.gates)
    n = len(screening.table)
    if not gates:
        return _("No eligibility gate is set: all {n} enterprises are ranked.").format(n=n)
    k = len(screening.eligible)
    first = _(
        "Before scoring, an enterprise must pass every gate: {gates}. An enterprise whose value "
        "is not known is excluded."
    ).format(gates=join_list(gates))
    if k == n:
        count = _("**{k} of {n} enterprises are eligible**; none is excluded.").format(k=k, n=n)
    else:
        count = _(
            "**{k} of {n} enterprises are eligible**; the {excluded} excluded are listed below "
            "with their reasons."
        ).format(k=k, n=n, excluded=n - k)
    return f"{first} {count}"


#: Report headers of ``excluded_frame``'s columns (its index, the enterprise id, hidden).
EXCLUDED_HEADERS: dict[str, tuple[str, str | None]] = {
    "enterprise": (N_("Enterprise"), None),
    "employees": (N_("Employees"), "{:,.0f}"),
    "RECP interest": (N_("RECP interest"), None),
    "output value, thousand AZN/yr": (N_("Output value (thousand AZN/yr)"), "{:,.0f}"),
    "reason(s)": (N_("Why it is excluded"), None),
}


def excluded_frame(screening: Screening) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The excluded enterprises with their values and reasons and the formatter of each column
    (the output value only when its gate is on); shown with ``EXCLUDED_HEADERS``."""
    columns = {"name": "enterprise", "employees": "employees", "recp_interest": "RECP interest"}
    if screening.gates.max_output_value_kazn is not None:
        columns["output_value_kazn"] = "output value, thousand AZN/yr"
    columns["reasons"] = "reason(s)"
    frame = screening.excluded[list(columns)].rename(columns=columns)
    frame["RECP interest"] = frame["RECP interest"].map(
        lambda v: recp_level_text(v) if isinstance(v, str) else v
    )
    return frame, {"employees": "{:,.0f}", "output value, thousand AZN/yr": "{:,.0f}"}


def shortlist_text(ranking: Ranking, size: int) -> str:
    """Markdown saying so when fewer enterprises could be ranked than the shortlist's size."""
    n = len(ranking.table)
    if n >= size:
        return ""
    return ngettext(
        "**The shortlist is shorter than asked:** only {n} eligible enterprise could be ranked, "
        "fewer than shortlist_size ({size}).",
        "**The shortlist is shorter than asked:** only {n} eligible enterprises could be ranked, "
        "fewer than shortlist_size ({size}).",
        n,
    ).format(n=n, size=size)


def too_few_text(n: int, gates: Eligibility) -> str:
    """Markdown saying why there is no ranking: fewer than two enterprises are eligible and
    have every criterion, and what would change that."""
    from .eligibility import gate_texts

    shown = "; ".join(gate_texts(gates)) or _("no eligibility gate")
    return ngettext(
        "**No ranking:** {n} enterprise of the region is eligible with a value for every "
        "criterion ({gates}), and a ranking needs at least two. Survey more enterprises of the "
        "region, or relax the gates of `enterprise_selection.eligibility` in the region's "
        "parameter file.",
        "**No ranking:** {n} enterprises of the region are eligible with a value for every "
        "criterion ({gates}), and a ranking needs at least two. Survey more enterprises of the "
        "region, or relax the gates of `enterprise_selection.eligibility` in the region's "
        "parameter file.",
        n,
    ).format(n=n, gates=shown)


def ahp_table(ahp: AHPResult, criteria: Sequence[str]) -> pd.DataFrame:
    """The pairwise comparison matrix with the resulting weights; ``criteria`` are those the
    judgements were stated for (``settings.criterion_names``), including any the ranking then
    left out because every alternative has the same value. The report shows ``ahp_frame``."""
    frame = pd.DataFrame(ahp.matrix, index=list(criteria), columns=list(criteria))
    frame["weight"] = ahp.weights
    return frame


def _judgement(value: float) -> str:
    """An AHP judgement as the parameters write it: '3', '1/3', else the number."""
    if pd.isna(value) or value <= 0:
        return format_number(float(value), 3)
    near = Fraction(float(value)).limit_denominator(9)
    if abs(float(near) - value) < 1e-9 and 1 in (near.numerator, near.denominator):
        return str(near)
    return format_number(float(value), 3)


def ahp_frame(ranking: Ranking) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The AHP judgements of ``ranking`` as the report shows them: one row per criterion (row vs
    column) under the criteria's labels, judgements as '3' or '1/3', and the weights they give;
    with the formats (``table(..., index=False)``)."""
    if ranking.ahp is None:
        raise ValueError("the ranking's weights are not AHP weights")
    names = ranking.settings.criterion_names
    matrix = ahp_table(ranking.ahp, names)
    labels = [criterion_label(ranking.kind, c) for c in names]
    weight = _("Weight")
    frame = pd.DataFrame({_("Criterion"): labels})
    for name, label in zip(names, labels, strict=True):
        frame[label] = matrix[name].to_numpy()
    frame[weight] = matrix["weight"].to_numpy()
    formats: dict[str, Any] = {label: _judgement for label in labels} | {weight: "{:.3f}"}
    return frame, formats


def consistency_text(ahp: AHPResult) -> str:
    """lambda_max, CI, RI and CR in one sentence, with Saaty's verdict."""
    values = {
        "lambda_max": format_number(float(ahp.lambda_max), 3),
        "ci": format_number(float(ahp.ci), 3),
        "ri": format_number(float(ahp.ri), 2),
        "cr": format_number(float(ahp.cr), 3),
        "limit": format_number(CONSISTENCY_LIMIT, 2),
    }
    if ahp.consistent:
        text = _(
            "λ<sub>max</sub> = {lambda_max}, CI = {ci}, RI = {ri}, CR = {cr}: the judgements are "
            "acceptably consistent (CR < {limit})."
        )
    else:
        text = _(
            "λ<sub>max</sub> = {lambda_max}, CI = {ci}, RI = {ri}, CR = {cr}: the judgements are "
            "**inconsistent (CR ≥ {limit}): revise the judgements before relying on these "
            "weights**."
        )
    return text.format(**values)
