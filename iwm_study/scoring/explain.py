"""Words and tables for the reports: values as a reader reads them, reasons, pilot statement.

Presentation only: every function here reads a ``Ranking``, a ``Sensitivity``, an
``AHPResult`` or a ``Screening`` and returns Markdown text or a frame (with the formatter of each
column) for ``iwm_study.report.table``; the scores, weights, draws and gates come from the
computation modules. Where a criterion's values come from (the survey, the facilities table, the
regional statistics with their year and source) is said by ``criteria_table`` and
``sources_text``.

Every text is written in the report's language (``iwm_study.i18n``): whole sentences with named
placeholders, numbers by ``format_number``. The frames the tests pin by their keys (the criteria,
the shortlist, the criteria missing) keep them, and their report headers are
``CRITERIA_HEADERS``, ``SHORTLIST_HEADERS`` and ``MISSING_HEADERS``; the others
(``ranking_frame``, ``stability_frame``, ``one_at_a_time_frame``) carry their headers already.
The words on the eligibility gates, the shortlist and the AHP judgements are in
``explain_steps``. All are shown with
``table(..., index=False)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import SELECTION_CRITERIA, SelectionSettings
from ..data.schema import RECP_LEVELS
from ..i18n import N_, _, format_number, join_list, lower_first, ngettext, ordinal
from ..report import localised_format
from .eligibility import recp_level_text

if TYPE_CHECKING:
    from .ranking import Ranking
    from .robustness import Sensitivity

__all__ = [
    "CRITERIA_HEADERS",
    "MISSING_HEADERS",
    "SHORTLIST_HEADERS",
    "completeness_text",
    "criteria_table",
    "criterion_label",
    "criterion_positions",
    "dropped_text",
    "format_criterion",
    "method_text",
    "missing_frame",
    "one_at_a_time_frame",
    "pilot_statement",
    "ranking_frame",
    "reasons",
    "shortlist",
    "sources_text",
    "stability_frame",
    "statistics_provenance",
    "weights_text",
]

_METHOD_NAMES = {
    "weighted_sum": N_("weighted sum"),
    "topsis": "TOPSIS",
    "promethee_ii": "PROMETHEE II",
}
_NORMALISATION_NAMES = {
    "minmax": N_("min-max normalisation"),
    "vector": N_("vector normalisation"),
    "sum": N_("sum normalisation"),
    "max": N_("max normalisation"),
}
_PREFERENCE_NAMES = {
    "usual": N_("usual preference function"),
    "linear": N_("linear preference function"),
}
_WEIGHT_NAMES = {
    "direct": N_("direct weights"),
    "equal": N_("equal weights"),
    "ahp": N_("AHP weights"),
}
#: The direction of a criterion, as a reader reads it.
_DIRECTION_NAMES = {"benefit": N_("benefit"), "cost": N_("cost")}
#: The weights when no AHP table shows them.
_WEIGHTS_TEXTS = {
    "direct": N_("Weights: direct, as set in the parameters."),
    "equal": N_("Weights: equal, as set in the parameters."),
}


def method_text(settings: SelectionSettings) -> str:
    """The method of a ranking in words ('TOPSIS (vector normalisation, AHP weights)');
    ``Ranking.method_text``."""
    how = (
        _PREFERENCE_NAMES[settings.preference_function]
        if settings.method == "promethee_ii"
        else _NORMALISATION_NAMES[settings.normalisation]
    )
    method = _METHOD_NAMES[settings.method]
    return f"{_(method)} ({_(how)}, {_(_WEIGHT_NAMES[settings.weights])})"


def weights_text(settings: SelectionSettings) -> str:
    """The weights in one sentence when no AHP table shows them ('Weights: direct, ...')."""
    return _(_WEIGHTS_TEXTS.get(settings.weights, _WEIGHT_NAMES[settings.weights]))


def _formatted(spec: str, value: float) -> str:
    """``value`` by a format string of one number ('{:,.0f} t/yr'), numbers as the report's
    language writes them."""
    shown = localised_format(spec)
    return shown(value) if callable(shown) else spec.format(value)


def criterion_label(kind: str, name: str) -> str:
    """The label of a criterion of the catalogue in the report's language."""
    return _(SELECTION_CRITERIA[kind][name].label)


def format_criterion(kind: str, name: str, value: float) -> str:
    """A criterion value as a reader reads it ('12,400 t/yr', '45.0%', 'high')."""
    if pd.isna(value):
        return _("n/a")
    if kind == "enterprise" and name == "recp_interest":
        return recp_level_text(RECP_LEVELS[round(value)])
    return _formatted(_(SELECTION_CRITERIA[kind][name].fmt), value)


def criterion_positions(ranking: Ranking) -> pd.DataFrame:
    """Each alternative's place on each criterion alone (1 = best in the criterion's direction;
    ties share the best place)."""
    values = ranking.table[ranking.criteria].astype(float)
    signed = values * np.where(ranking.directions == "cost", -1.0, 1.0)
    return signed.rank(method="min", ascending=False).astype(int)


def _share_text(p: float) -> str:
    """A probability as a percentage that never rounds a rare event to 0 % or 100 %."""
    if 0 < p < 0.005:
        return _("under {share}").format(share=format_number(0.01, 0, percent=True))
    if 0.995 < p < 1:
        return _("over {share}").format(share=format_number(0.99, 0, percent=True))
    return format_number(float(p), 0, percent=True)


def reasons(ranking: Ranking, strengths: int = 2) -> pd.Series:
    """One sentence per alternative: why it scores as it does.

    The strengths are the criteria with the largest weighted contribution w_j m_ij (m: min-max
    normalised value, 1 = best alternative on the criterion); the weak point ('furthest from the
    best') is the weighted criterion with the largest shortfall w_j (1 - m_ij) among those where
    the alternative is in the worse half of the range (m_ij < 0.5). Each comes with its value and
    its place on that criterion alone (1st = best; ties share the place).
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
            # Translators: a criterion, its value and its place among all ('waste generated
            # 6 t/yr (1st of 3)').
            return _("{criterion} {value} ({place} of {n})").format(
                criterion=lower_first(criterion_label(ranking.kind, c)),
                value=format_criterion(ranking.kind, c, ranking.table.at[alt, c]),
                place=ordinal(int(places.at[alt, c])),
                n=n,
            )

        if best and lagging:
            text = _("Strongest on {strengths}; furthest from the best on {weakness}.").format(
                strengths=join_list([phrase(c) for c in best]), weakness=phrase(lagging[0])
            )
        elif best:
            text = _("Strongest on {strengths}.").format(
                strengths=join_list([phrase(c) for c in best])
            )
        elif lagging:
            text = _("Furthest from the best on {weakness}.").format(weakness=phrase(lagging[0]))
        else:
            text = _("No criterion sets it apart.")
        out[alt] = text
    return pd.Series(out, name="reasons").reindex(ranking.table.index)


_SOURCE_NAMES = {
    "survey": N_("the survey"),
    "facilities": N_("the facilities table"),
    "statistics": N_("the regional statistics"),
}


def pilot_statement(ranking: Ranking, sens: Sensitivity, pilots: int) -> str:
    """A plain-language paragraph (Markdown): the recommended pilot regions and why."""
    chosen = ranking.top(pilots)
    why = reasons(ranking)
    n = len(ranking.table)
    k = len(ranking.criteria)
    sources = [
        _(_SOURCE_NAMES[src])
        for src in _SOURCE_NAMES
        if any(i.source == src for i in ranking.info.values())
    ]
    draws = int(sens.overall["draws"])
    lines = [
        ngettext(
            "**Recommended pilot region: {regions}.**",
            "**Recommended pilot regions: {regions}.**",
            len(chosen),
        ).format(regions=join_list(list(chosen["label"])))
        + " "
        + ngettext(
            "The {n} economic regions were ranked with {method} on {k} criterion drawn from "
            "{sources}.",
            "The {n} economic regions were ranked with {method} on {k} criteria drawn from "
            "{sources}.",
            k,
        ).format(n=n, method=ranking.method_text, k=k, sources=join_list(sources)),
        "",
    ]
    for alt, row in chosen.iterrows():
        p = sens.summary.at[alt, "p_top"]
        lines.append(
            "- "
            + _("**{name}** ranks {place} of {n} (score {score}).").format(
                name=row["label"],
                place=ordinal(int(row["rank"])),
                n=n,
                score=format_number(float(row["score"]), 3),
            )
            + f" {why[alt]} "
            + _("It stays among the top {top} in {share} of {draws} weight draws.").format(
                top=sens.top, share=_share_text(p), draws=format_number(draws)
            )
        )
    rest = ranking.table.iloc[len(chosen) :]
    if len(rest):
        runner_up = rest.index[0]
        lines.append(
            "- "
            + _(
                "The next region, **{name}** (score {score}), enters the top {top} in {share} of "
                "the draws."
            ).format(
                name=rest.iloc[0]["label"],
                score=format_number(float(rest.iloc[0]["score"]), 3),
                top=sens.top,
                share=_share_text(sens.summary.at[runner_up, "p_top"]),
            )
        )
    lines.append("")
    kept = _share_text(sens.overall["p_top_set_kept"])
    oat = sens.one_at_a_time
    changed = oat[~oat["top_set_kept"]]
    if changed.empty:
        changes = ", ".join(
            format_number(c, 0, sign=True, percent=True) for c in sorted(set(oat["change"]))
        )
        lines.append(
            _(
                "The recommended set is the same in {share} of the weight draws, and no single "
                "weight change of {changes} alters it."
            ).format(share=kept, changes=changes)
        )
    else:
        first = changed.iloc[0]
        lines.append(
            _(
                "The recommended set is the same in {share} of the weight draws, and changing the "
                "weight of {criterion} by {change} alters it ({k} of {total} one-at-a-time "
                "changes do)."
            ).format(
                share=kept,
                criterion=lower_first(criterion_label(ranking.kind, first["criterion"])),
                change=format_number(float(first["change"]), 0, sign=True, percent=True),
                k=len(changed),
                total=len(oat),
            )
        )
    return "\n".join(lines)


#: Report headers of ``shortlist``'s columns (index hidden).
SHORTLIST_HEADERS: dict[str, tuple[str, str | None]] = {
    "label": (N_("Enterprise"), None),
    "rank": (N_("Rank"), None),
    "score": (N_("Score"), "{:.3f}"),
    "p_in_shortlist": (N_("P(in shortlist)"), "{:.1%}"),
    "reasons": (N_("Why it ranks there"), None),
}


def shortlist(ranking: Ranking, size: int, sens: Sensitivity | None = None) -> pd.DataFrame:
    """The first ``size`` alternatives with their rank, score, reasons and (given ``sens``)
    how often they stay within the shortlist; shown with ``SHORTLIST_HEADERS``."""
    chosen = ranking.top(size)
    out = chosen[["label", "rank", "score"]].copy()
    if sens is not None:
        out["p_in_shortlist"] = sens.summary.loc[chosen.index, "p_top"]
    out["reasons"] = reasons(ranking).loc[chosen.index]
    return out


def ranking_frame(
    ranking: Ranking, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The ranking table under report headers (``name`` heads the column of labels: pass it in
    the report's language), and the formatter of each column, for ``iwm_study.report.table``;
    the index stays the alternatives' (show it with ``index=False``)."""
    labels = {c: criterion_label(ranking.kind, c) for c in ranking.criteria}
    rank, score = _("Rank"), _("Score")
    frame = ranking.table.rename(columns={"label": name, "rank": rank, "score": score} | labels)
    formats: dict[str, Any] = {score: "{:.3f}"}
    for c, label in labels.items():
        formats[label] = lambda v, c=c: format_criterion(ranking.kind, c, v)
    return frame, formats


def stability_frame(
    sens: Sensitivity, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The Monte Carlo rank-stability summary under report headers (``name`` heads the column of
    labels), with its formats."""
    same, top, mean = _("P(same rank)"), _("P(top {top})").format(top=sens.top), _("Mean rank")
    frame = sens.summary.rename(
        columns={
            "label": name,
            "rank": _("Rank"),
            "p_same_rank": same,
            "p_top": top,
            "mean_rank": mean,
            "rank_p05": _("Rank, 5th percentile"),
            "rank_p95": _("Rank, 95th percentile"),
        }
    )
    return frame, {same: "{:.1%}", top: "{:.1%}", mean: "{:.2f}"}


def _yes_no(value: Any) -> str:
    return _("yes") if bool(value) else _("no")


def one_at_a_time_frame(sens: Sensitivity) -> tuple[pd.DataFrame, dict[str, str]]:
    """The one-at-a-time weight changes under report headers, criteria by their labels and
    'yes'/'no' for whether the top set is kept, with the formats."""
    oat = sens.one_at_a_time
    criterion = (
        oat["criterion"].map(lambda c: criterion_label(sens.kind, c))
        if sens.kind
        else oat["criterion"]
    )
    change, before, after, rho = _("Change"), _("Weight"), _("New weight"), _("Spearman rho")
    frame = pd.DataFrame(
        {
            _("Criterion"): criterion,
            change: oat["change"],
            before: oat["weight_before"],
            after: oat["weight_after"],
            _("Ranked first"): oat["first"],
            _("Top {top} kept").format(top=sens.top): oat["top_set_kept"].map(_yes_no),
            rho: oat["spearman"],
            _("Largest rank shift"): oat["largest_shift"],
            _("Shifted most"): oat["largest_shift_alternative"],
        }
    )
    formats = {change: "{:+.0%}", before: "{:.3f}", after: "{:.3f}", rho: "{:.3f}"}
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
        _("year not given")
        if not years
        else str(years[0])
        if len(years) == 1
        else f"{years[0]}-{years[-1]}"
    )
    sources = sorted(
        {str(v).strip() for v in statistics.get("source", blank).dropna() if str(v).strip()}
    )
    synthetic = any("synthetic" in v.lower() for v in sources)
    return year, "; ".join(sources) or _("source not given"), synthetic


def _source_text(kind: str, name: str, statistics: pd.DataFrame | None) -> str:
    source = SELECTION_CRITERIA[kind][name].source
    if source == "statistics":
        year, where, _synthetic = statistics_provenance(statistics)
        if not year:
            return _("regional statistics")
        return _("regional statistics, {year} ({source})").format(year=year, source=where)
    if source == "survey":
        return _("survey (enterprises, waste streams)")
    return _("facilities table")


#: Report headers of ``criteria_table``'s columns (its index, the criterion's name, hidden).
CRITERIA_HEADERS: dict[str, tuple[str, str | None]] = {
    "label": (N_("Criterion"), None),
    "unit": (N_("Unit"), None),
    "direction": (N_("Direction"), None),
    "weight": (N_("Weight"), "{:.3f}"),
    "source": (N_("Source"), None),
    "how it is computed": (N_("How it is computed"), None),
}


def criteria_table(ranking: Ranking, statistics: pd.DataFrame | None = None) -> pd.DataFrame:
    """The criteria as used: label, unit, direction, weight, source (with the statistics' year
    and source) and how each is computed, in the report's language; index the criterion's name,
    shown with ``CRITERIA_HEADERS``."""
    rows = []
    for name in ranking.criteria:
        info = SELECTION_CRITERIA[ranking.kind][name]
        rows.append(
            {
                "criterion": name,
                "label": _(info.label),
                "unit": _(info.unit),
                "direction": _(_DIRECTION_NAMES[ranking.directions[name]]),
                "weight": ranking.weights[name],
                "source": _source_text(ranking.kind, name, statistics),
                "how it is computed": _(info.computed),
            }
        )
    return pd.DataFrame(rows).set_index("criterion")


def sources_text(
    ranking: Ranking, statistics: pd.DataFrame | None = None, synthetic: bool = False
) -> str:
    """Where the ranking's criteria come from (Markdown), and a warning when the statistics are
    synthetic (their source says so, or ``synthetic``: the study's data is made up)."""
    by_source: dict[str, list[str]] = {}
    for name, info in ranking.info.items():
        by_source.setdefault(info.source, []).append(
            lower_first(criterion_label(ranking.kind, name))
        )
    lines = []
    for source, labels in sorted(
        by_source.items(), key=lambda kv: list(_SOURCE_NAMES).index(kv[0])
    ):
        if source == "statistics":
            year, origin, _synthetic = statistics_provenance(statistics)
            where = _("the regional statistics ({year}; source: {origin})").format(
                year=year, origin=origin
            )
        else:
            where = _(_SOURCE_NAMES[source])
        lines.append(
            "- " + _("From {source}: {criteria}.").format(source=where, criteria=join_list(labels))
        )
    _year, _origin, says_synthetic = statistics_provenance(statistics)
    if "statistics" in by_source and (says_synthetic or synthetic):
        lines.append(
            "\n"
            + _(
                "**The regional statistics are synthetic**: made up for the demonstration, they "
                "describe no real region, and neither does this ranking."
            )
        )
    return "\n".join(lines)


def dropped_text(ranking: Ranking, kind_plural: str) -> str:
    """Markdown naming each criterion left out because every alternative has the same value, and
    how the other weights were rescaled; empty when none was. ``kind_plural`` names the
    alternatives after their number, in the report's language (``_("economic regions")``)."""
    if not ranking.dropped:
        return ""
    stated = ranking.stated_weights
    n = len(ranking.table)
    items = []
    for name, value in ranking.dropped.items():
        label = criterion_label(ranking.kind, name)
        shown = format_criterion(ranking.kind, name, value)
        if stated is None:
            items.append(_("{criterion} ({value})").format(criterion=label, value=shown))
        else:
            items.append(
                _("{criterion} ({value}, stated weight {weight})").format(
                    criterion=label, value=shown, weight=format_number(float(stated[name]), 3)
                )
            )
    share = 0.0 if stated is None else float(stated[list(ranking.dropped)].sum())
    return (
        ngettext(
            "**Left out of the ranking:** {criteria}: the same value for all {n} {alternatives}, "
            "so it cannot tell them apart.",
            "**Left out of the ranking:** {criteria}: the same value for all {n} {alternatives}, "
            "so they cannot tell them apart.",
            len(items),
        ).format(criteria=join_list(items), n=n, alternatives=kind_plural)
        + " "
        + _(
            "The other weights were rescaled to sum to 1 (each divided by {factor}); the order of "
            "the ranking is the same as with the criterion kept."
        ).format(factor=format_number(1 - share, 3))
    )


_COMPLETE_TEXTS = {
    "region": N_("Every one of the {n} economic regions has a value for every criterion."),
    "enterprise": N_("Every one of the {n} eligible enterprises has a value for every criterion."),
}


def completeness_text(kind: str, total: int, not_ranked: pd.Series) -> str:
    """Markdown: whether every alternative has every criterion, or how many could not be ranked
    (``missing_frame`` lists them)."""
    k = len(not_ranked)
    if not k:
        return _(_COMPLETE_TEXTS[kind]).format(n=total)
    if kind == "region":
        text = ngettext(
            "{n} economic region could not be ranked because a criterion is missing:",
            "{n} economic regions could not be ranked because a criterion is missing:",
            k,
        )
    else:
        text = ngettext(
            "{n} eligible enterprise could not be ranked because a criterion is missing:",
            "{n} eligible enterprises could not be ranked because a criterion is missing:",
            k,
        )
    return text.format(n=k)


#: Report headers of ``missing_frame``'s columns.
MISSING_HEADERS: dict[str, tuple[str, str | None]] = {
    "name": (N_("Name"), None),
    "missing": (N_("Criteria missing"), None),
}


def missing_frame(
    not_ranked: pd.Series, kind: str, labels: pd.Series | None = None
) -> pd.DataFrame:
    """The alternatives that could not be ranked (``complete_cases``) by name, with the labels of
    the criteria they miss; ``labels`` name them (indexed like ``not_ranked``; by default the
    index is the name). Shown with ``MISSING_HEADERS``."""
    names = (
        pd.Series(not_ranked.index.astype(str), index=not_ranked.index)
        if labels is None
        else labels.reindex(not_ranked.index).fillna(
            pd.Series(not_ranked.index, index=not_ranked.index)
        )
    )
    missing = not_ranked.map(
        lambda text: ", ".join(
            criterion_label(kind, c) if c in SELECTION_CRITERIA[kind] else c
            for c in str(text).split(", ")
        )
    )
    return pd.DataFrame({"name": names.astype(str), "missing": missing}).reset_index(drop=True)
