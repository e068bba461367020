"""What a region's conclusions say in words, and all regions side by side.

``key_findings`` turns one region's indicators (``indicators.collect``) into the sentences of
an executive summary, each with its numbers; ``synthesis_frame`` and ``recommendation_matrix``
set the regions side by side for the national synthesis. Pure: values in, text and frames out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..i18n import N_, _, format_number
from .indicators import INDICATORS, format_indicator, format_threshold, indicator
from .recommendations import condition_words

__all__ = [
    "SYNTHESIS_KEYS",
    "key_findings",
    "national_recommendations",
    "other_rules_frame",
    "recommendation_matrix",
    "recommendations_markdown",
    "synthesis_frame",
    "top_options_frame",
]

#: The indicators the national synthesis sets side by side, in order.
SYNTHESIS_KEYS: tuple[str, ...] = (
    "enterprises_surveyed",
    "waste_t",
    "hazardous_share_pct",
    "recovery_rate_pct",
    "landfill_rate_pct",
    "kept_on_site_pct",
    "unknown_fate_share_pct",
    "estimated_share_pct",
    "coverage_employees_pct",
    "estimated_total_t",
    "stored_on_site_t",
    "circular_options_t",
    "recovery_rate_after_pct",
    "safer_treatment_t",
    "net_value_azn_yr",
    "net_t_co2e_yr",
)


def _known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _f(values: Mapping[str, float], key: str) -> str:
    return format_indicator(key, values.get(key, math.nan))


def _range(values: Mapping[str, float], key: str) -> str:
    """'12,300 AZN/yr (range 4,100 to 25,000)': the central value and its range, when known."""
    low, high = values.get(f"{key}_low", math.nan), values.get(f"{key}_high", math.nan)
    text = _f(values, key)
    if _known(low) and _known(high):
        digits = indicator(key).digits
        text = _("{value} (range {low} to {high})").format(
            value=text,
            low=format_number(float(low), digits),
            high=format_number(float(high), digits),
        )
    return text


def key_findings(values: Mapping[str, float]) -> list[str]:
    """The key findings of one region, each a sentence with its numbers (Markdown), in the
    report's language."""
    v = values
    out = [
        _(
            "The survey covers {enterprises} enterprises, which generate **{waste}** of waste; "
            "{hazardous} of it is hazardous ({share}, against {national} nationally)."
        ).format(
            enterprises=_f(v, "enterprises_surveyed"),
            waste=_f(v, "waste_t"),
            hazardous=_f(v, "hazardous_t"),
            share=_f(v, "hazardous_share_pct"),
            national=_f(v, "national_hazardous_share_pct"),
        )
    ]
    out.append(
        _(
            "Today {recovery} of the tonnes with a reported operation are recovered. Of the "
            "tonnes with a known fate, {landfill} are landfilled (nationally {national_landfill}) "
            "and {on_site} are kept on the enterprise's site (nationally {national_on_site}); "
            "{unknown} of all tonnes have no known fate."
        ).format(
            recovery=_f(v, "recovery_rate_pct"),
            landfill=_f(v, "landfill_rate_pct"),
            national_landfill=_f(v, "national_landfill_share_pct"),
            on_site=_f(v, "kept_on_site_pct"),
            national_on_site=_f(v, "national_kept_on_site_pct"),
            unknown=_f(v, "unknown_fate_share_pct"),
        )
    )
    if _known(v.get("coverage_employees_pct")):
        if _known(v.get("estimated_total_t")):
            text = _(
                "The surveyed enterprises employ {coverage} of the workforce the business "
                "register lists in their region and sectors; the estimate of the whole region "
                "is **{estimate}**, beside the surveyed {surveyed}."
            )
        else:
            text = _(
                "The surveyed enterprises employ {coverage} of the workforce the business "
                "register lists in their region and sectors."
            )
        out.append(
            text.format(
                coverage=_f(v, "coverage_employees_pct"),
                estimate=_range(v, "estimated_total_t"),
                surveyed=_f(v, "waste_t"),
            )
        )
    else:
        out.append(
            _(
                "No business register was given, so the survey's coverage and an estimate of "
                "the whole region are not known: the totals above are those of the surveyed "
                "enterprises only."
            )
        )
    if _known(v.get("not_recovered_t")) and float(v["not_recovered_t"]) == 0:
        out.append(_("No tonne is landfilled, kept on site or of unknown fate: nothing to match."))
    elif _known(v.get("circular_options_t")) and float(v["circular_options_t"]) == 0:
        out.append(
            _(
                "No circular option was found for the {open} not yet recovered: no rule, no "
                "receiver of the kind needed, or none within reach (the circular options report "
                "lists the reasons stream by stream)."
            ).format(open=_f(v, "not_recovered_t"))
        )
    elif _known(v.get("circular_options_t")):
        numbers = {
            "tonnes": _f(v, "circular_options_t"),
            "share": _f(v, "circular_options_share_pct"),
            "open": _f(v, "not_recovered_t"),
            "value": _range(v, "net_value_azn_yr"),
            "co2": _range(v, "net_t_co2e_yr"),
            "after": _f(v, "recovery_rate_after_pct"),
        }
        after = _known(v.get("recovery_rate_after_pct"))
        found = _(
            "Circular options were found for **{tonnes}**, {share} of the {open} not yet recovered."
        )
        if _known(v.get("net_value_azn_yr")):
            worth = (
                _(
                    "They are worth **{value}** and avoid **{co2}**; with them, recovery would "
                    "reach {after}."
                )
                if after
                else _("They are worth **{value}** and avoid **{co2}**.")
            )
            text = found.format(**numbers) + " " + worth.format(**numbers)
        elif after:
            text = _(
                "Circular options were found for **{tonnes}**, {share} of the {open} not yet "
                "recovered; with them, recovery would reach {after}."
            ).format(**numbers)
        else:
            text = found.format(**numbers)
        out.append(text)
        if _known(v.get("no_receiver_share_pct")):
            out.append(
                _("For {share} of the tonnes not yet recovered no receiver was found.").format(
                    share=_f(v, "no_receiver_share_pct")
                )
            )
    if _known(v.get("safer_treatment_t")) and float(v["safer_treatment_t"]) > 0:
        out.append(
            _(
                "{tonnes} of hazardous waste could go to a safer treatment (incineration or "
                "treatment by a permitted facility): an improvement in safety, not a circular "
                "option."
            ).format(tonnes=_f(v, "safer_treatment_t"))
        )
    if _known(v.get("stored_on_site_t")):
        if _known(v.get("storage_over_limit_t")):
            text = _(
                "{stored} is stored at the producer's site (D15, R13); {over_limit} has been "
                "stored beyond the Landfill Directive's limits and {unknown} for a time not "
                "reported."
            )
        else:
            text = _("{stored} is stored at the producer's site (D15, R13).")
        out.append(
            text.format(
                stored=_f(v, "stored_on_site_t"),
                over_limit=_f(v, "storage_over_limit_t"),
                unknown=_f(v, "storage_unknown_t"),
            )
        )
    out.append(
        _("{share} of the tonnes are estimated rather than measured or calculated.").format(
            share=_f(v, "estimated_share_pct")
        )
    )
    return out


def synthesis_frame(
    values_by_region: Mapping[str, Mapping[str, float]], keys: tuple[str, ...] = SYNTHESIS_KEYS
) -> pd.DataFrame:
    """The regions side by side: one row per indicator (with its unit), one column per region,
    values formatted as the reports show them, with their range where they have one."""
    data: dict[str, list[str]] = {_("Indicator"): [indicator(k).label for k in keys]}
    for region, values in values_by_region.items():
        data[region] = [_range(values, k) for k in keys]
    return pd.DataFrame(data)


#: A rule's status as a reader reads it, in the matrix of the regions.
_HOLDS = {"triggered": N_("yes"), "not_triggered": N_("no"), "not_assessed": N_("not assessed")}
#: A rule's status among the rules that do not hold.
_DOES_NOT_HOLD = {"not_triggered": N_("does not hold"), "not_assessed": N_("not assessed")}


def recommendation_matrix(evaluations: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Which recommendation holds in which region: one row per rule (in file order of the
    first evaluation), one column per region, 'yes', 'no' or 'not assessed'."""
    regions = list(evaluations)
    if not regions:
        return pd.DataFrame(columns=[_("Recommendation")])
    first = evaluations[regions[0]]
    order = sorted(first["rule_id"])
    topics = dict(zip(first["rule_id"], first["topic"], strict=True))
    data: dict[str, list[str]] = {_("Recommendation"): [topics[r] for r in order]}
    for region in regions:
        status = dict(
            zip(evaluations[region]["rule_id"], evaluations[region]["status"], strict=True)
        )
        data[region] = [_(_HOLDS[status[r]]) for r in order]
    return pd.DataFrame(data)


def recommendations_markdown(evaluation: pd.DataFrame) -> str:
    """The triggered recommendations, numbered, each with the numbers that triggered it, the
    policy lever, the next steps and the source (Markdown); a sentence when none holds."""
    held = evaluation[evaluation["status"] == "triggered"]
    if held.empty:
        return _(
            "No recommendation rule holds for this region: none of the conditions below is met "
            "by its indicators."
        )
    parts = []
    for number, (_i, rec) in enumerate(held.iterrows(), start=1):
        block = [
            f"### {number}. {rec['topic']}",
            "",
            str(rec["recommendation"]),
            "",
            "- " + _("**The numbers:** {evidence}.").format(evidence=rec["evidence"]),
            "- " + _("**Why:** {rationale}").format(rationale=rec["rationale"]),
            "- " + _("**Policy lever:** {lever}.").format(lever=rec["policy_lever"]),
        ]
        if rec["next_steps"]:
            block.append("- " + _("**Next steps:** {steps}").format(steps=rec["next_steps"]))
        block.append("- " + _("**Source:** {source}.").format(source=rec["source"]))
        parts.append("\n".join(block))
    return "\n\n".join(parts)


def _label(key: str) -> str:
    return indicator(key).label if key in INDICATORS else key


def other_rules_frame(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The rules that do not hold or could not be assessed: topic, status in words, the numbers
    (and what was missing), and the condition in words, for a reader to see what was
    checked."""
    rest = evaluation[evaluation["status"] != "triggered"]

    def numbers(ev: str, missing: str) -> str:
        if not missing:
            return ev
        names = ", ".join(_label(k) for k in missing.split(", "))
        return _("{numbers} (not known: {indicators})").format(numbers=ev, indicators=names)

    return pd.DataFrame(
        {
            _("Recommendation"): rest["topic"].to_numpy(),
            _("Status"): [_(_DOES_NOT_HOLD[s]) for s in rest["status"]],
            _("The numbers"): [
                numbers(ev, missing)
                for ev, missing in zip(rest["evidence"], rest["missing"], strict=True)
            ],
            _("Condition"): [
                condition_words(text, _label, format_threshold) for text in rest["condition"]
            ],
        }
    )


def national_recommendations(evaluations: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Each recommendation that holds somewhere, with the regions where it holds, most regions
    first (ties in rule order): what the country's synthesis recommends."""
    rows: dict[str, dict[str, object]] = {}
    for region, evaluation in evaluations.items():
        for _i, rec in evaluation[evaluation["status"] == "triggered"].iterrows():
            row = rows.setdefault(
                rec["rule_id"],
                {
                    "rule_id": rec["rule_id"],
                    "topic": rec["topic"],
                    "lever": rec["policy_lever"],
                    "regions": [],
                },
            )
            row["regions"].append(region)  # type: ignore[union-attr]
    recommendation, lever = _("Recommendation"), _("Policy lever")
    count, where = _("Regions"), _("Where")
    frame = pd.DataFrame(
        [
            {
                "rule_id": r["rule_id"],
                recommendation: r["topic"],
                lever: r["lever"],
                count: len(r["regions"]),  # type: ignore[arg-type]
                where: ", ".join(r["regions"]),  # type: ignore[arg-type]
            }
            for r in rows.values()
        ],
        columns=["rule_id", recommendation, lever, count, where],
    )
    frame = frame.sort_values([count, "rule_id"], ascending=[False, True], kind="mergesort")
    return frame.drop(columns="rule_id").reset_index(drop=True)


def top_options_frame(valued: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` circular options worth most per year (central net value, ties by stream),
    with who gives, what, to whom, and their money and emissions with the range: the options a
    ministry would broker first."""
    from .factsheets import options_frame

    kind = valued.get("option_kind")
    circular = valued if kind is None else valued[kind == "circular"]
    if "net_azn_yr_central" in circular:
        circular = circular.sort_values(
            ["net_azn_yr_central", "stream_id"], ascending=[False, True], kind="mergesort"
        )
    top = circular.head(n)
    frame = options_frame(top).drop(columns=_("Kind"))
    frame.insert(0, _("Enterprise"), top["enterprise_name"].to_numpy())
    return frame
