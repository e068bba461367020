"""How the inventory is told: report headers with units, number formats, the headline, and
the tables as a reader reads them (codes and booleans as words)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..i18n import N_, _, format_number
from .aggregate import (
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    VALUE_LABELS,
    enterprise_totals,
    grand_total,
    pareto,
    stream_tonnes,
)

# --------------------------------------------------------------------------------------------
# presentation helpers for the notebook


#: Report headers (with units, in English: ``report.table`` translates them) and number formats
#: of the columns the inventory's functions return, for ``report.table``:
#: ``table(frame, caption=..., headers=COLUMN_HEADERS)``.
COLUMN_HEADERS: dict[str, tuple[str, str | None]] = {
    "nace_division": (N_("NACE division"), None),
    "ewc_chapter": (N_("EWC chapter"), None),
    "ewc_subchapter": (N_("EWC sub-chapter"), None),
    "hazardous": (N_("Hazardous"), None),
    "physical_state": (N_("Physical state"), None),
    "district": (N_("District"), None),
    "economic_region": (N_("Economic region"), None),
    "enterprise_id": (N_("Enterprise id"), None),
    "name": (N_("Enterprise"), None),
    "fate": (N_("Fate"), None),
    "operation": (N_("Operation"), None),
    "data_quality": (N_("Data quality"), None),
    "level": (N_("Level"), None),
    "hierarchy_level": (N_("Waste hierarchy level"), None),
    "sector": (N_("Sector"), None),
    "waste_category": (N_("Waste category"), None),
    "treatment": (N_("Fate or treatment"), None),
    "destination": (N_("Destination"), None),
    "gap": (N_("Gap"), None),
    "description": (N_("What it is"), None),
    "unit": (N_("Counted in"), None),
    "handling": (N_("How it is handled"), None),
    "indicator": (N_("Indicator"), None),
    "definition": (N_("Definition"), None),
    "balanced": (N_("Within tolerance"), None),
    "streams_unaccounted": (N_("Streams without a known fate"), None),
    "rank": (N_("Rank"), None),
    "label": (N_("Name"), None),
    "expected_operations": (N_("Expected operations"), None),
    "rule": (N_("Rule"), None),
    "operation_kind": (N_("Kind of operation"), None),
    "row": (N_("Row in file"), None),
    "stream_id": (N_("Stream id"), None),
    "ewc_code": (N_("EWC code"), None),
    "destination_facility_id": (N_("Destination facility"), None),
    "streams": (N_("Streams"), "{:,}"),
    "records": (N_("Records"), "{:,}"),
    "waste_t": (N_("Waste (t/yr)"), "{:,.1f}"),
    "interim_t": (N_("Of which interim operations (t/yr)"), "{:,.1f}"),
    "share_pct": (N_("Share of all waste (%)"), "{:.1f}"),
    "share_of_total_pct": (N_("Share of all waste (%)"), "{:.1f}"),
    "share_reported_pct": (N_("Share of waste with an operation (%)"), "{:.1f}"),
    "share_ssc_pct": (N_("Region: share of the SSC categories (%)"), "{:.1f}"),
    "national_share_2022_pct": (N_("Azerbaijan 2022 (%)"), "{:.1f}"),
    "difference_pp": (N_("Difference (percentage points)"), "{:+.1f}"),
    "cumulative_pct": (N_("Cumulative share (%)"), "{:.1f}"),
    "value": (N_("Value"), "{:,.1f}"),
    "numerator": (N_("Numerator"), "{:,.1f}"),
    "denominator": (N_("Denominator"), "{:,.1f}"),
    "generated_t": (N_("Generated (t/yr)"), "{:,.1f}"),
    "fates_t": (N_("Sum of known fates (t/yr)"), "{:,.1f}"),
    "unaccounted_t": (N_("Unaccounted (t/yr)"), "{:,.1f}"),
    "unaccounted_pct": (N_("Unaccounted (% of generated)"), "{:.1f}"),
}


def short_number(value: float) -> str:
    """A number with as few decimals as it needs (up to three), as the reader's language
    writes it: 95.0 -> '95', 97.5 -> '97.5' ('97,5' in Azerbaijani); like the format '{:g}'."""
    value = float(value)
    for digits in range(4):
        if round(value, digits) == value:
            return format_number(value, digits)
    return format_number(value, 3)


def headline_text(
    streams: pd.DataFrame, enterprises: pd.DataFrame, where: str, share_pct: float = 80.0
) -> str:
    """A short Markdown paragraph with the inventory's headline figures for ``where``, in the
    current language."""
    total = grand_total(streams)
    hazardous = float(stream_tonnes(streams)[streams["hazardous"].fillna(False).astype(bool)].sum())
    summary = pareto(enterprise_totals(streams, enterprises), share_pct)
    with_streams = int(streams["enterprise_id"].nunique())
    if total <= 0:
        return _("No waste is reported for {where}.").format(where=where)
    return _(
        "The {enterprises} enterprises surveyed in {where} ({with_streams} of them with at "
        "least one waste stream) report **{streams} waste streams** totalling **{total} t per "
        "year**, of which **{hazardous_pct} %** is hazardous. Generation is concentrated: "
        "**{needed} enterprises** ({needed_pct} % of those surveyed) generate {share_pct} % of "
        "the waste."
    ).format(
        enterprises=format_number(len(enterprises)),
        where=where,
        with_streams=format_number(with_streams),
        streams=format_number(len(streams)),
        total=format_number(total, 0),
        hazardous_pct=format_number(100 * hazardous / total, 1),
        needed=format_number(summary.enterprises_needed),
        needed_pct=format_number(summary.enterprises_needed_pct, 1),
        share_pct=short_number(share_pct),
    )


# --------------------------------------------------------------------------------------------
# tables as a reader reads them

#: Breakdowns whose keys are codes a reader looks up (NACE, EWC, R/D, enterprise ids): their
#: tables show the code beside its name. Other keys are shown by their name only.
CODE_KEYS: tuple[str, ...] = (
    "nace_division",
    "ewc_chapter",
    "ewc_subchapter",
    "operation",
    "enterprise_id",
)
#: Keys that are names already (shown as they are, not made readable).
NAME_KEYS: tuple[str, ...] = ("district", "economic_region", "name")
#: The kinds of R/D operation (``waste_operations.csv``'s ``kind``), in English.
OPERATION_KINDS: dict[str, str] = {"recovery": N_("recovery"), "disposal": N_("disposal")}


def yes_no(value: Any) -> Any:
    """A boolean as a word of the current language ('yes', 'no'); anything else as it is."""
    if isinstance(value, bool | np.bool_):
        return _("yes") if value else _("no")
    return value


def _words(column: str) -> dict[Any, str] | None:
    """The words of the codes of ``column`` in the current language, or None when its values
    are not codes."""
    from ..data import codes

    if column in ("fate", "hazardous"):
        return codes.labels(column)
    if column in ("level", "hierarchy_level"):
        return codes.labels("hierarchy_level")
    if column in VALUE_LABELS:
        return {k: _(v) for k, v in VALUE_LABELS[column].items()}
    if column == "operation_kind":
        return {k: _(v) for k, v in OPERATION_KINDS.items()}
    if column == "flag":
        from .storage import STORAGE_FLAGS

        return {k: _(v) for k, v in STORAGE_FLAGS.items()}
    return None


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` as a report shows it: the codes of fates, hierarchy levels,
    hazard, physical states, data quality, kinds of operation and storage flags as words,
    booleans as 'yes' or 'no', the key ``not_reported`` as 'Not reported', all in the current
    language. Numbers, names and R/D, EWC and NACE codes stay as they are."""
    out = frame.copy()
    not_reported = _(NOT_REPORTED_LABEL)
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            continue
        words = _words(str(column)) or {}
        words = {**words, NOT_REPORTED: words.get(NOT_REPORTED, not_reported)}

        def shown(value: Any, words: dict[Any, str] = words) -> Any:
            if isinstance(value, bool | np.bool_):
                return words.get(bool(value), yes_no(value))
            if isinstance(value, str) and value in words:
                return words[value]
            return value

        out[column] = values.astype(object).map(shown)
    return out


def breakdown_view(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """A breakdown (``breakdown(streams, by)``) as a report shows it: a code key (NACE, EWC,
    R/D, enterprise id) beside its name, blank where not reported; any other key replaced by
    its name (a fate, a hazard class, a district), so no column shows a raw code or a
    boolean."""
    out = frame.copy()
    if by in CODE_KEYS:
        out[by] = out[by].astype(object).where(out[by] != NOT_REPORTED, "")
        return readable(out)
    if by in NAME_KEYS:
        names = out[by].astype(object).where(out[by] != NOT_REPORTED, out["label"])
    else:
        names = out["label"]
    out[by] = names
    return readable(out.drop(columns="label"))
