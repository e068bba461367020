"""How the inventory is told: report headers with units, number formats, the headline."""

from __future__ import annotations

import pandas as pd

from .aggregate import enterprise_totals, grand_total, pareto, stream_tonnes

# --------------------------------------------------------------------------------------------
# presentation helpers for the notebook


#: Report headers (with units) and number formats of the columns the inventory's functions
#: return, for ``report.table``: ``table(frame, caption=..., headers=COLUMN_HEADERS)``.
COLUMN_HEADERS: dict[str, tuple[str, str | None]] = {
    "nace_division": ("NACE division", None),
    "ewc_chapter": ("EWC chapter", None),
    "ewc_subchapter": ("EWC sub-chapter", None),
    "hazardous": ("Hazardous", None),
    "physical_state": ("Physical state", None),
    "district": ("District", None),
    "economic_region": ("Economic region", None),
    "enterprise_id": ("Enterprise id", None),
    "name": ("Enterprise", None),
    "fate": ("Fate", None),
    "operation": ("Operation", None),
    "data_quality": ("Data quality", None),
    "level": ("Level", None),
    "sector": ("Sector", None),
    "waste_category": ("Waste category", None),
    "treatment": ("Fate or treatment", None),
    "destination": ("Destination", None),
    "gap": ("Gap", None),
    "description": ("What it is", None),
    "unit": ("Counted in", None),
    "handling": ("How it is handled", None),
    "indicator": ("Indicator", None),
    "definition": ("Definition", None),
    "balanced": ("Within tolerance", None),
    "streams_unaccounted": ("Streams without a known fate", None),
    "rank": ("Rank", None),
    "label": ("Name", None),
    "expected_operations": ("Expected operations", None),
    "rule": ("Rule", None),
    "operation_kind": ("Kind of operation", None),
    "row": ("Row in file", None),
    "stream_id": ("Stream id", None),
    "ewc_code": ("EWC code", None),
    "destination_facility_id": ("Destination facility", None),
    "streams": ("Streams", "{:,}"),
    "records": ("Records", "{:,}"),
    "waste_t": ("Waste (t/yr)", "{:,.1f}"),
    "interim_t": ("Of which interim operations (t/yr)", "{:,.1f}"),
    "share_pct": ("Share of all waste (%)", "{:.1f}"),
    "share_of_total_pct": ("Share of all waste (%)", "{:.1f}"),
    "share_reported_pct": ("Share of waste with an operation (%)", "{:.1f}"),
    "share_ssc_pct": ("Region: share of the SSC categories (%)", "{:.1f}"),
    "national_share_2022_pct": ("Azerbaijan 2022 (%)", "{:.1f}"),
    "difference_pp": ("Difference (percentage points)", "{:+.1f}"),
    "cumulative_pct": ("Cumulative share (%)", "{:.1f}"),
    "value": ("Value", "{:,.1f}"),
    "numerator": ("Numerator", "{:,.1f}"),
    "denominator": ("Denominator", "{:,.1f}"),
    "generated_t": ("Generated (t/yr)", "{:,.1f}"),
    "fates_t": ("Sum of known fates (t/yr)", "{:,.1f}"),
    "unaccounted_t": ("Unaccounted (t/yr)", "{:,.1f}"),
    "unaccounted_pct": ("Unaccounted (% of generated)", "{:.1f}"),
}


def headline_text(
    streams: pd.DataFrame, enterprises: pd.DataFrame, where: str, share_pct: float = 80.0
) -> str:
    """A short Markdown paragraph with the inventory's headline figures for ``where``."""
    total = grand_total(streams)
    hazardous = float(stream_tonnes(streams)[streams["hazardous"].fillna(False).astype(bool)].sum())
    summary = pareto(enterprise_totals(streams, enterprises), share_pct)
    with_streams = int(streams["enterprise_id"].nunique())
    if total <= 0:
        return f"No waste is reported for {where}."
    return (
        f"The {len(enterprises):,} enterprises surveyed in {where} ({with_streams:,} of them "
        f"with at least one waste stream) report **{len(streams):,} waste streams** totalling "
        f"**{total:,.0f} t per year**, of which **{100 * hazardous / total:.1f} %** is "
        f"hazardous. Generation is concentrated: **{summary.enterprises_needed:,} "
        f"enterprises** ({summary.enterprises_needed_pct:.1f} % of those surveyed) generate "
        f"{share_pct:g} % of the waste."
    )
