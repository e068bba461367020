"""Words and tables for the reports: values as a reader reads them, reasons, pilot statement.

Presentation only: every function here reads a ``Ranking``, a ``Sensitivity``, an
``AHPResult`` or a ``Screening`` and returns Markdown text or a frame (with the formatter of each
column) for ``iwm_study.report.table``; the scores, weights, draws and gates come from the
computation modules. Where a criterion's values come from (the survey, the facilities table, the
regional statistics with their year and source) is said by ``criteria_table`` and
``sources_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import SELECTION_CRITERIA, SelectionSettings
from ..data.schema import RECP_LEVELS

if TYPE_CHECKING:
    from ..config.selection import Eligibility
    from .eligibility import Screening
    from .ranking import Ranking
    from .robustness import Sensitivity
    from .weights import AHPResult

__all__ = [
    "ahp_table",
    "consistency_text",
    "criteria_table",
    "criterion_positions",
    "dropped_text",
    "eligibility_text",
    "excluded_frame",
    "format_criterion",
    "method_text",
    "one_at_a_time_frame",
    "pilot_statement",
    "ranking_frame",
    "reasons",
    "shortlist",
    "shortlist_text",
    "sources_text",
    "stability_frame",
    "statistics_provenance",
    "too_few_text",
]

_METHOD_NAMES = {"weighted_sum": "weighted sum", "topsis": "TOPSIS", "promethee_ii": "PROMETHEE II"}
_WEIGHT_NAMES = {"direct": "direct weights", "equal": "equal weights", "ahp": "AHP weights"}


def method_text(settings: SelectionSettings) -> str:
    """The method of a ranking in words ('TOPSIS (vector normalisation, AHP weights)');
    ``Ranking.method_text``."""
    how = (
        f"{settings.preference_function} preference function"
        if settings.method == "promethee_ii"
        else f"{settings.normalisation} normalisation"
    )
    return f"{_METHOD_NAMES[settings.method]} ({how}, {_WEIGHT_NAMES[settings.weights]})"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_criterion(kind: str, name: str, value: float) -> str:
    """A criterion value as a reader reads it ('12,400 t/yr', '45.0%', 'high')."""
    if pd.isna(value):
        return "n/a"
    if kind == "enterprise" and name == "recp_interest":
        return RECP_LEVELS[round(value)]
    return SELECTION_CRITERIA[kind][name].fmt.format(value)


def criterion_positions(ranking: Ranking) -> pd.DataFrame:
    """Each alternative's place on each criterion alone (1 = best in the criterion's direction;
    ties share the best place)."""
    values = ranking.table[ranking.criteria].astype(float)
    signed = values * np.where(ranking.directions == "cost", -1.0, 1.0)
    return signed.rank(method="min", ascending=False).astype(int)


def _lower_first(label: str) -> str:
    """'Hazardous share' -> 'hazardous share', but 'RECP interest' stays as it is."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _share_text(p: float) -> str:
    """A probability as a percentage that never rounds a rare event to 0 % or 100 %."""
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 < p < 1:
        return "over 99%"
    return f"{p:.0%}"


def reasons(ranking: Ranking, strengths: int = 2) -> pd.Series:
    """One sentence per alternative: why it scores as it does.

    The strengths are the criteria with the largest weighted contribution w_j m_ij (m: min-max
    normalised value, 1 = best alternative on the criterion); the weak point ('furthest from the
    best') is the weighted criterion with the largest shortfall w_j (1 - m_ij) among those where
    the alternative is in the worse half of the range (m_ij < 0.5). Each comes with its value and its place on that
    criterion alone (1st = best; ties share the place).
    """
    places = criterion_positions(ranking)
    n = len(ranking.table)
    w = ranking.weights
    position = {c: k for k, c in enumerate(ranking.criteria)}
    out = {}
    for alt in ranking.table.index:
        contribution = ranking.contributions.loc[alt]
        shortfall = w - contribution
        order = sorted(ranking.criteria, key=lambda c: (-contribution[c], position[c]))
        best = [c for c in order if contribution[c] > 0][:strengths]
        lagging = sorted(
            (
                c
                for c in ranking.criteria
                if w[c] > 0 and c not in best and contribution[c] < 0.5 * w[c]
            ),
            key=lambda c: (-shortfall[c], position[c]),
        )

        def phrase(c: str, alt: Any = alt) -> str:
            info = SELECTION_CRITERIA[ranking.kind][c]
            value = format_criterion(ranking.kind, c, ranking.table.at[alt, c])
            place = _ordinal(int(places.at[alt, c]))
            return f"{_lower_first(info.label)} {value} ({place} of {n})"

        parts = []
        if best:
            parts.append("strongest on " + " and ".join(phrase(c) for c in best))
        if lagging:
            parts.append("furthest from the best on " + phrase(lagging[0]))
        text = "; ".join(parts) or "no criterion sets it apart"
        out[alt] = text[0].upper() + text[1:] + "."
    return pd.Series(out, name="reasons").reindex(ranking.table.index)


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_SOURCE_NAMES = {
    "survey": "the survey",
    "facilities": "the facilities table",
    "statistics": "the regional statistics",
}


def pilot_statement(ranking: Ranking, sens: Sensitivity, pilots: int) -> str:
    """A plain-language paragraph (Markdown): the recommended pilot regions and why."""
    chosen = ranking.top(pilots)
    why = reasons(ranking)
    n = len(ranking.table)
    sources = [
        _SOURCE_NAMES[src]
        for src in _SOURCE_NAMES
        if any(i.source == src for i in ranking.info.values())
    ]
    lines = [
        f"**Recommended pilot region{'s' if len(chosen) > 1 else ''}: {_join(list(chosen['label']))}.** "
        f"The {n} economic regions were ranked with {ranking.method_text} on "
        f"{len(ranking.criteria)} criteria drawn from {_join(sources)}.",
        "",
    ]
    for alt, row in chosen.iterrows():
        p = sens.summary.at[alt, "p_top"]
        lines.append(
            f"- **{row['label']}** ranks {_ordinal(int(row['rank']))} of {n} (score "
            f"{row['score']:.3f}). {why[alt]} It stays among the top {sens.top} in "
            f"{_share_text(p)} of {int(sens.overall['draws']):,} weight draws."
        )
    rest = ranking.table.iloc[len(chosen) :]
    if len(rest):
        runner_up = rest.index[0]
        lines.append(
            f"- The next region, **{rest.iloc[0]['label']}** (score {rest.iloc[0]['score']:.3f}), "
            f"enters the top {sens.top} in {_share_text(sens.summary.at[runner_up, 'p_top'])} of "
            "the draws."
        )
    lines.append("")
    kept = sens.overall["p_top_set_kept"]
    oat = sens.one_at_a_time
    changed = oat[~oat["top_set_kept"]]
    if changed.empty:
        oat_text = (
            "no single weight change of "
            + ", ".join(f"{c:+.0%}" for c in sorted(set(oat["change"])))
            + " alters it"
        )
    else:
        first = changed.iloc[0]
        oat_text = (
            "changing the weight of "
            f"{_lower_first(SELECTION_CRITERIA[ranking.kind][first['criterion']].label)} "
            f"by {first['change']:+.0%} alters it ({len(changed)} of {len(oat)} one-at-a-time changes do)"
        )
    lines.append(
        f"The recommended set is the same in {_share_text(kept)} of the weight draws, and "
        f"{oat_text}."
    )
    return "\n".join(lines)


def shortlist(ranking: Ranking, size: int, sens: Sensitivity | None = None) -> pd.DataFrame:
    """The first ``size`` alternatives with their rank, score, reasons and (given ``sens``)
    how often they stay within the shortlist."""
    chosen = ranking.top(size)
    out = chosen[["label", "rank", "score"]].copy()
    if sens is not None:
        out["p_in_shortlist"] = sens.summary.loc[chosen.index, "p_top"]
    out["reasons"] = reasons(ranking).loc[chosen.index]
    return out


def ranking_frame(
    ranking: Ranking, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The ranking table with readable column names, and the formatter of each column, for
    ``iwm_study.report.table``; ``name`` heads the column of labels."""
    frame = ranking.table.rename(
        columns={"label": name} | {c: i.label for c, i in ranking.info.items()}
    )
    formats: dict[str, Any] = {"score": "{:.3f}"}
    for c, info in ranking.info.items():
        formats[info.label] = lambda v, c=c: format_criterion(ranking.kind, c, v)
    return frame, formats


def stability_frame(
    sens: Sensitivity, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The Monte Carlo rank-stability summary with readable column names and formats."""
    top = f"P(top {sens.top})"
    frame = sens.summary.rename(
        columns={
            "label": name,
            "p_same_rank": "P(same rank)",
            "p_top": top,
            "mean_rank": "mean rank",
            "rank_p05": "rank, 5th percentile",
            "rank_p95": "rank, 95th percentile",
        }
    )
    return frame, {"P(same rank)": "{:.1%}", top: "{:.1%}", "mean rank": "{:.2f}"}


def one_at_a_time_frame(sens: Sensitivity) -> tuple[pd.DataFrame, dict[str, str]]:
    """The one-at-a-time weight changes with readable column names and formats."""
    frame = sens.one_at_a_time.rename(
        columns={
            "weight_before": "weight",
            "weight_after": "new weight",
            "first": "ranked first",
            "top_set_kept": f"top {sens.top} kept",
            "spearman": "Spearman rho",
            "largest_shift": "largest rank shift",
            "largest_shift_alternative": "of",
        }
    )
    formats = {
        "change": "{:+.0%}",
        "weight": "{:.3f}",
        "new weight": "{:.3f}",
        "Spearman rho": "{:.3f}",
    }
    return frame, formats


def statistics_provenance(statistics: pd.DataFrame | None) -> tuple[str, str, bool]:
    """The reference year(s) and source(s) of a regional statistics table, as text, and whether
    it says it is synthetic (a source naming 'synthetic')."""
    if statistics is None:
        return "", "", False
    blank = pd.Series(dtype=object)
    years = sorted(
        {int(y) for y in pd.to_numeric(statistics.get("reference_year", blank)).dropna()}
    )
    year = (
        "year not given"
        if not years
        else str(years[0])
        if len(years) == 1
        else f"{years[0]}-{years[-1]}"
    )
    sources = sorted(
        {str(v).strip() for v in statistics.get("source", blank).dropna() if str(v).strip()}
    )
    synthetic = any("synthetic" in v.lower() for v in sources)
    return year, "; ".join(sources) or "source not given", synthetic


def _source_text(kind: str, name: str, statistics: pd.DataFrame | None) -> str:
    source = SELECTION_CRITERIA[kind][name].source
    if source == "statistics":
        year, where, _ = statistics_provenance(statistics)
        return f"regional statistics, {year} ({where})" if year else "regional statistics"
    return {"survey": "survey (enterprises, waste streams)", "facilities": "facilities table"}[
        source
    ]


def criteria_table(ranking: Ranking, statistics: pd.DataFrame | None = None) -> pd.DataFrame:
    """The criteria as used: label, unit, direction, weight, source (with the statistics' year
    and source) and how each is computed."""
    rows = []
    for name in ranking.criteria:
        info = SELECTION_CRITERIA[ranking.kind][name]
        rows.append(
            {
                "criterion": name,
                "label": info.label,
                "unit": info.unit,
                "direction": ranking.directions[name],
                "weight": ranking.weights[name],
                "source": _source_text(ranking.kind, name, statistics),
                "how it is computed": info.computed,
            }
        )
    return pd.DataFrame(rows).set_index("criterion")


def sources_text(
    ranking: Ranking, statistics: pd.DataFrame | None = None, synthetic: bool = False
) -> str:
    """Where the ranking's criteria come from (Markdown), and a warning when the statistics are
    synthetic (their source says so, or ``synthetic``: the study's data is made up)."""
    by_source: dict[str, list[str]] = {}
    for info in ranking.info.values():
        by_source.setdefault(info.source, []).append(_lower_first(info.label))
    lines = []
    for source, labels in sorted(
        by_source.items(), key=lambda kv: list(_SOURCE_NAMES).index(kv[0])
    ):
        where = _SOURCE_NAMES[source]
        if source == "statistics":
            year, origin, _ = statistics_provenance(statistics)
            where += f" ({year}; source: {origin})"
        lines.append(f"- From {where}: {_join(labels)}.")
    _, _, says_synthetic = statistics_provenance(statistics)
    if "statistics" in by_source and (says_synthetic or synthetic):
        lines.append(
            "\n**The regional statistics are synthetic**: made up for the demonstration, they "
            "describe no real region, and neither does this ranking."
        )
    return "\n".join(lines)


def dropped_text(ranking: Ranking, kind_plural: str) -> str:
    """Markdown naming each criterion left out because every alternative has the same value, and
    how the other weights were rescaled; empty when none was."""
    if not ranking.dropped:
        return ""
    stated = ranking.stated_weights
    n = len(ranking.table)
    items = []
    for name, value in ranking.dropped.items():
        label = SELECTION_CRITERIA[ranking.kind][name].label
        weight = "" if stated is None else f", stated weight {stated[name]:.3f}"
        items.append(f"{label} ({format_criterion(ranking.kind, name, value)}{weight})")
    share = 0.0 if stated is None else float(stated[list(ranking.dropped)].sum())
    return (
        f"**Left out of the ranking:** {_join(items)}: the same value for all {n} "
        f"{kind_plural}, so {'they cannot' if len(items) > 1 else 'it cannot'} tell them apart. "
        f"The other weights were rescaled to sum to 1 (each divided by {1 - share:.3f}); the "
        "order of the ranking is the same as with the criterion kept."
    )


def eligibility_text(screening: Screening) -> str:
    """The gates in words and how many enterprises pass them (Markdown)."""
    from .eligibility import gate_texts

    gates = gate_texts(screening.gates)
    n = len(screening.table)
    if not gates:
        return f"No eligibility gate is set: all {n} enterprises are ranked."
    k = len(screening.eligible)
    excluded = (
        "none is excluded"
        if k == n
        else f"the {n - k} excluded are listed below with their reasons"
    )
    return (
        f"Before scoring, an enterprise must pass every gate: {_join(gates)}. An enterprise whose "
        f"value is not known is excluded. **{k} of {n} enterprises are eligible**; {excluded}."
    )


def excluded_frame(screening: Screening) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The excluded enterprises with their values and reasons, readable column names and the
    formatter of each column (the output value only when its gate is on)."""
    columns = {"name": "enterprise", "employees": "employees", "recp_interest": "RECP interest"}
    if screening.gates.max_output_value_kazn is not None:
        columns["output_value_kazn"] = "output value, thousand AZN/yr"
    columns["reasons"] = "reason(s)"
    frame = screening.excluded[list(columns)].rename(columns=columns)
    return frame, {"employees": "{:,.0f}", "output value, thousand AZN/yr": "{:,.0f}"}


def shortlist_text(ranking: Ranking, size: int) -> str:
    """Markdown saying so when fewer enterprises could be ranked than the shortlist's size."""
    n = len(ranking.table)
    if n >= size:
        return ""
    return (
        f"**The shortlist is shorter than asked:** only {n} eligible enterprise"
        f"{'s' if n != 1 else ''} could be ranked, fewer than shortlist_size ({size})."
    )


def too_few_text(n: int, gates: Eligibility) -> str:
    """Markdown saying why there is no ranking: fewer than two enterprises are eligible and
    have every criterion, and what would change that."""
    from .eligibility import gate_texts

    shown = "; ".join(gate_texts(gates)) or "no eligibility gate"
    return (
        f"**No ranking:** {n} enterprise{'s' if n != 1 else ''} of the region "
        f"{'is' if n == 1 else 'are'} eligible with a value for every criterion ({shown}), and "
        "a ranking needs at least two. Survey more enterprises of the region, or relax the "
        "gates of `enterprise_selection.eligibility` in the region's parameter file."
    )


def ahp_table(ahp: AHPResult, criteria: Sequence[str]) -> pd.DataFrame:
    """The pairwise comparison matrix with the resulting weights, for the report; ``criteria``
    are those the judgements were stated for (``settings.criterion_names``), including any the
    ranking then left out because every alternative has the same value."""
    frame = pd.DataFrame(ahp.matrix, index=list(criteria), columns=list(criteria))
    frame["weight"] = ahp.weights
    return frame


def consistency_text(ahp: AHPResult) -> str:
    """lambda_max, CI, RI and CR in one sentence, with Saaty's verdict."""
    verdict = (
        "acceptably consistent (CR < 0.10)"
        if ahp.consistent
        else "**inconsistent (CR >= 0.10): revise the judgements before relying on these weights**"
    )
    return (
        f"lambda_max = {ahp.lambda_max:.3f}, CI = {ahp.ci:.3f}, RI = {ahp.ri:.2f}, "
        f"CR = {ahp.cr:.3f}: the judgements are {verdict}."
    )
