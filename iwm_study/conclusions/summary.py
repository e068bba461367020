"""What a region's conclusions say in words, and all regions side by side.

``key_findings`` turns one region's indicators (``indicators.collect``) into the sentences of
an executive summary, each with its numbers; ``synthesis_frame`` and ``recommendation_matrix``
set the regions side by side for the national synthesis. Pure: values in, text and frames out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from .indicators import INDICATORS, format_indicator

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
    """'12,300 AZN/yr (4,100 to 25,000)': the central value and its range, when known."""
    low, high = values.get(f"{key}_low", math.nan), values.get(f"{key}_high", math.nan)
    text = _f(values, key)
    if _known(low) and _known(high):
        digits = INDICATORS[key].digits
        text += f" (range {float(low):,.{digits}f} to {float(high):,.{digits}f})"
    return text


def key_findings(values: Mapping[str, float]) -> list[str]:
    """The key findings of one region, each a sentence with its numbers (Markdown)."""
    v = values
    out = [
        f"The survey covers {_f(v, 'enterprises_surveyed')} enterprises, which generate "
        f"**{_f(v, 'waste_t')}** of waste; {_f(v, 'hazardous_t')} of it is hazardous "
        f"({_f(v, 'hazardous_share_pct')}, against {_f(v, 'national_hazardous_share_pct')} "
        "nationally)."
    ]
    out.append(
        f"Today {_f(v, 'recovery_rate_pct')} of the tonnes with a reported operation are "
        f"recovered. Of the tonnes with a known fate, {_f(v, 'landfill_rate_pct')} are "
        f"landfilled (nationally {_f(v, 'national_landfill_share_pct')}) and "
        f"{_f(v, 'kept_on_site_pct')} are kept on the enterprise's site (nationally "
        f"{_f(v, 'national_kept_on_site_pct')}); {_f(v, 'unknown_fate_share_pct')} of all "
        "tonnes have no known fate."
    )
    if _known(v.get("coverage_employees_pct")):
        text = (
            f"The surveyed enterprises employ {_f(v, 'coverage_employees_pct')} of the workforce "
            "the business register lists in their region and sectors"
        )
        if _known(v.get("estimated_total_t")):
            text += (
                f"; the estimate of the whole region is **{_range(v, 'estimated_total_t')}**, "
                f"beside the surveyed {_f(v, 'waste_t')}"
            )
        out.append(text + ".")
    else:
        out.append(
            "No business register was given, so the survey's coverage and an estimate of the "
            "whole region are not known: the totals above are those of the surveyed "
            "enterprises only."
        )
    if _known(v.get("not_recovered_t")) and float(v["not_recovered_t"]) == 0:
        out.append("No tonne is landfilled, kept on site or of unknown fate: nothing to match.")
    elif _known(v.get("circular_options_t")) and float(v["circular_options_t"]) == 0:
        out.append(
            f"No circular option was found for the {_f(v, 'not_recovered_t')} not yet "
            "recovered: no rule, no receiver of the kind needed, or none within reach (the "
            "circular options report lists the reasons stream by stream)."
        )
    elif _known(v.get("circular_options_t")):
        text = (
            f"Circular options were found for **{_f(v, 'circular_options_t')}**, "
            f"{_f(v, 'circular_options_share_pct')} of the {_f(v, 'not_recovered_t')} not yet "
            "recovered"
        )
        if _known(v.get("net_value_azn_yr")):
            text += (
                f". They are worth **{_range(v, 'net_value_azn_yr')}** and avoid "
                f"**{_range(v, 'net_t_co2e_yr')}**"
            )
        if _known(v.get("recovery_rate_after_pct")):
            text += f"; with them, recovery would reach {_f(v, 'recovery_rate_after_pct')}"
        out.append(text + ".")
        if _known(v.get("no_receiver_share_pct")):
            out.append(
                f"For {_f(v, 'no_receiver_share_pct')} of the tonnes not yet recovered no "
                "receiver was found."
            )
    if _known(v.get("safer_treatment_t")) and float(v["safer_treatment_t"]) > 0:
        out.append(
            f"{_f(v, 'safer_treatment_t')} of hazardous waste could go to a safer treatment "
            "(incineration or treatment by a permitted facility): an improvement in safety, "
            "not a circular option."
        )
    if _known(v.get("stored_on_site_t")):
        text = f"{_f(v, 'stored_on_site_t')} is stored at the producer's site (D15, R13)"
        if _known(v.get("storage_over_limit_t")):
            text += (
                f"; {_f(v, 'storage_over_limit_t')} has been stored beyond the Landfill "
                f"Directive's limits and {_f(v, 'storage_unknown_t')} for a time not reported"
            )
        out.append(text + ".")
    out.append(
        f"{_f(v, 'estimated_share_pct')} of the tonnes are estimated rather than measured or "
        "calculated."
    )
    return out


def synthesis_frame(
    values_by_region: Mapping[str, Mapping[str, float]], keys: tuple[str, ...] = SYNTHESIS_KEYS
) -> pd.DataFrame:
    """The regions side by side: one row per indicator (with its unit), one column per region,
    values formatted as the reports show them, with their range where they have one."""
    data: dict[str, list[str]] = {"Indicator": [INDICATORS[k].label for k in keys]}
    for region, values in values_by_region.items():
        data[region] = [_range(values, k) for k in keys]
    return pd.DataFrame(data)


def recommendation_matrix(evaluations: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Which recommendation holds in which region: one row per rule (in file order of the
    first evaluation), one column per region, 'yes', 'no' or 'not assessed'."""
    words = {"triggered": "yes", "not_triggered": "no", "not_assessed": "not assessed"}
    regions = list(evaluations)
    if not regions:
        return pd.DataFrame(columns=["Recommendation"])
    first = evaluations[regions[0]]
    order = sorted(first["rule_id"])
    topics = dict(zip(first["rule_id"], first["topic"], strict=True))
    data: dict[str, list[str]] = {"Recommendation": [topics[r] for r in order]}
    for region in regions:
        status = dict(
            zip(evaluations[region]["rule_id"], evaluations[region]["status"], strict=True)
        )
        data[region] = [words[status[r]] for r in order]
    return pd.DataFrame(data)


def recommendations_markdown(evaluation: pd.DataFrame) -> str:
    """The triggered recommendations, numbered, each with the numbers that triggered it, the
    policy lever, the next steps and the source (Markdown); a sentence when none holds."""
    held = evaluation[evaluation["status"] == "triggered"]
    if held.empty:
        return (
            "No recommendation rule holds for this region: none of the conditions below is met "
            "by its indicators."
        )
    parts = []
    for number, (_, rec) in enumerate(held.iterrows(), start=1):
        block = [
            f"### {number}. {rec['topic']}",
            "",
            str(rec["recommendation"]),
            "",
            f"- **The numbers:** {rec['evidence']}.",
            f"- **Why:** {rec['rationale']}",
            f"- **Policy lever:** {rec['policy_lever']}.",
        ]
        if rec["next_steps"]:
            block.append(f"- **Next steps:** {rec['next_steps']}")
        block.append(f"- **Source:** {rec['source']}.")
        parts.append("\n".join(block))
    return "\n\n".join(parts)


def other_rules_frame(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The rules that do not hold or could not be assessed: topic, status in words, the numbers
    (and what was missing), for a reader to see what was checked."""
    rest = evaluation[evaluation["status"] != "triggered"]
    words = {"not_triggered": "does not hold", "not_assessed": "not assessed"}
    return pd.DataFrame(
        {
            "Recommendation": rest["topic"].to_numpy(),
            "Status": rest["status"].map(words).to_numpy(),
            "The numbers": [
                ev if not missing else f"{ev} (not known: {missing})"
                for ev, missing in zip(rest["evidence"], rest["missing"], strict=True)
            ],
            "Condition": rest["condition"].to_numpy(),
        }
    )


def national_recommendations(evaluations: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Each recommendation that holds somewhere, with the regions where it holds, most regions
    first (ties in rule order): what the country's synthesis recommends."""
    rows: dict[str, dict[str, object]] = {}
    for region, evaluation in evaluations.items():
        for _, rec in evaluation[evaluation["status"] == "triggered"].iterrows():
            row = rows.setdefault(
                rec["rule_id"],
                {
                    "rule_id": rec["rule_id"],
                    "Recommendation": rec["topic"],
                    "Policy lever": rec["policy_lever"],
                    "regions": [],
                },
            )
            row["regions"].append(region)  # type: ignore[union-attr]
    frame = pd.DataFrame(
        [
            {
                "rule_id": r["rule_id"],
                "Recommendation": r["Recommendation"],
                "Policy lever": r["Policy lever"],
                "Regions": len(r["regions"]),  # type: ignore[arg-type]
                "Where": ", ".join(r["regions"]),  # type: ignore[arg-type]
            }
            for r in rows.values()
        ],
        columns=["rule_id", "Recommendation", "Policy lever", "Regions", "Where"],
    )
    frame = frame.sort_values(["Regions", "rule_id"], ascending=[False, True], kind="mergesort")
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
    frame = options_frame(top).drop(columns="Kind")
    frame.insert(0, "Enterprise", top["enterprise_name"].to_numpy())
    return frame
