"""Fact sheets: one printable page per shortlisted enterprise, for the RECP assessment team.

A sheet holds the enterprise's profile (and why it is on the shortlist), its streams by EWC
entry with the hazard flag, where its waste goes today, its matched options with their value,
and the RECP opportunities its waste types suggest. This module returns the frames; the
notebook shows them with ``report.table`` and a page break between sheets.

RECP opportunities come from ``recp_opportunities.csv``: per EWC chapter (or sub-chapter or
entry; the longest prefix wins), one of the cleaner production practices of
``recp_practices.csv`` and a prompt for the assessment. They are prompts for the experts, not
findings: the sheet says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from ..data import codes
from ..i18n import N_, _, format_number
from ..report import Ranged

__all__ = [
    "fates_frame",
    "options_frame",
    "profile_frame",
    "recp_frame",
    "streams_frame",
]

#: The headers of the sheets' tables (translated where the frames are built).
EWC_ENTRY = N_("EWC entry")
TONNES = N_("Tonnes per year")
SHARE = N_("Share (%)")
ROAD_KM = N_("Road km")
KIND = N_("Kind")
_OPTION_COLUMNS = (
    EWC_ENTRY,
    N_("Receiver"),
    N_("Operation"),
    ROAD_KM,
    TONNES,
    N_("Net value (AZN/yr)"),
    N_("Net emissions avoided (t CO2e/yr)"),
    KIND,
)
_KINDS = {"circular": N_("Circular option"), "safer_treatment": N_("Safer treatment")}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: object, digits: int = 0) -> str:
    if _missing(value):
        return _("not reported")
    return format_number(float(value), digits)  # type: ignore[arg-type]


def _recp_interest(value: object) -> str:
    """A declared RECP interest in the report's language ('high' -> 'yüksək')."""
    from ..scoring.eligibility import recp_level_text

    return recp_level_text(str(value)) if value else _("not reported")


def profile_frame(
    enterprise: Mapping[str, object], ranked: Mapping[str, object] | None
) -> pd.DataFrame:
    """The enterprise in a two-column table: what is known of it and its place on the list."""
    nace = codes.labels("nace_class")
    code = str(enterprise.get("nace_code") or "")
    rows = [
        (_("Enterprise"), str(enterprise.get("name", ""))),
        (_("Identifier"), str(enterprise.get("enterprise_id", ""))),
        (_("Activity (NACE Rev.2)"), f"{code} {nace.get(code, '')}".strip()),
        (_("District"), str(enterprise.get("district") or _("not reported"))),
        (_("Economic region"), str(enterprise.get("economic_region") or "")),
        (_("Employees"), _number(enterprise.get("employees"))),
        (_("Output value (thousand AZN/yr)"), _number(enterprise.get("output_value_kazn"))),
        (_("Interest in a RECP assessment"), _recp_interest(enterprise.get("recp_interest"))),
    ]
    if ranked is not None:
        rows.append((_("Rank on the shortlist"), f"{int(ranked['rank'])}"))
        rows.append((_("Score"), format_number(float(ranked["score"]), 3)))
    return pd.DataFrame(rows, columns=[_("Item"), _("Value")])


def streams_frame(streams: pd.DataFrame) -> pd.DataFrame:
    """The enterprise's streams, largest first: EWC entry, what it is, hazard, tonnes, today's
    operation and fate."""
    entries = codes.labels("ewc_entry")
    fates = codes.labels("fate")
    s = streams.sort_values(["quantity_t", "stream_id"], ascending=[False, True], kind="mergesort")
    code = s["ewc_code"].fillna("").astype(str)
    return pd.DataFrame(
        {
            _(EWC_ENTRY): code.to_numpy(),
            _("List of Waste title"): code.str.rstrip("*")
            .str.strip()
            .map(entries)
            .fillna("")
            .to_numpy(),
            _("Description"): s["description"].fillna("").to_numpy(),
            _("Hazardous"): s["hazardous"]
            .map({True: _("yes"), False: _("no")})
            .fillna(_("not known"))
            .to_numpy(),
            _(TONNES): s["quantity_t"].astype(float).to_numpy(),
            _("Operation"): s["operation"].fillna(_("not reported")).to_numpy(),
            _("Fate"): s["fate"].map(fates).fillna(_("not reported")).to_numpy(),
        }
    )


def fates_frame(streams: pd.DataFrame) -> pd.DataFrame:
    """Where the enterprise's waste goes today: tonnes and share by fate, in reporting order."""
    labels = codes.labels("fate")
    tonnes = streams["quantity_t"].astype(float).fillna(0.0)
    by = tonnes.groupby(streams["fate"].fillna("not_reported")).sum()
    order = [f for f in labels if f in by.index] + (
        ["not_reported"] if "not_reported" in by.index else []
    )
    total = float(by.sum())
    return pd.DataFrame(
        {
            _("Fate"): [labels.get(f, _("Not reported")) for f in order],
            _(TONNES): [float(by[f]) for f in order],
            _(SHARE): [100.0 * float(by[f]) / total if total else math.nan for f in order],
        }
    )


def options_frame(matches: pd.DataFrame) -> pd.DataFrame:
    """The enterprise's matched options with their value: stream, receiver, operation, road km,
    tonnes, money and emissions (``report.Ranged``: central, with the range), and the kind of
    option."""
    columns = [_(c) for c in _OPTION_COLUMNS]
    if matches.empty:
        return pd.DataFrame(columns=columns)

    def ranged(prefix: str) -> list[object]:
        if f"{prefix}_central" not in matches:
            return [_("not valued")] * len(matches)
        return [
            Ranged(float(c), float(lo), float(hi))
            for c, lo, hi in zip(
                matches[f"{prefix}_central"],
                matches[f"{prefix}_low"],
                matches[f"{prefix}_high"],
                strict=True,
            )
        ]

    kind = (
        matches["option_kind"]
        if "option_kind" in matches
        else pd.Series("circular", index=matches.index)
    )
    values = (
        matches["ewc_code"].to_numpy(),
        matches["receiver_name"].to_numpy(),
        matches["operation"].to_numpy(),
        matches["road_km"].astype(float).to_numpy(),
        matches["quantity_t"].astype(float).to_numpy(),
        ranged("net_azn_yr"),
        ranged("net_t_co2e_yr"),
        [_(_KINDS.get(k, _KINDS["circular"])) for k in kind],
    )
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def recp_frame(streams: pd.DataFrame) -> pd.DataFrame:
    """RECP prompts for the enterprise's waste types: practice, opportunity, the EWC entries it
    concerns and their tonnes; by tonnes, largest first. An EWC prefix of the table matches a
    stream's chapter, sub-chapter or entry, the longest prefix winning. Texts in the report's
    language."""
    table = codes.recp_opportunities()
    table["opportunity"] = codes.in_language(table, "opportunity")
    table["source"] = codes.in_language(table, "source")
    practices = codes.labels("recp_practice")
    code = streams["ewc_code"].fillna("").astype(str).str.rstrip("*").str.strip()
    prefixes = sorted(set(table["ewc"]), key=len, reverse=True)

    def best(c: str) -> str | None:
        return next((p for p in prefixes if c.startswith(p)), None)

    key = code.map(best)
    tonnes = streams["quantity_t"].astype(float).fillna(0.0)
    rows = []
    for prefix, members in key.dropna().groupby(key.dropna()):
        entries = sorted(set(streams.loc[members.index, "ewc_code"].astype(str)))
        t = float(tonnes[members.index].sum())
        for _i, opp in table[table["ewc"] == prefix].iterrows():
            rows.append(
                (
                    practices.get(opp["practice"], opp["practice"]),
                    opp["opportunity"],
                    ", ".join(entries),
                    t,
                    opp["source"],
                )
            )
    practice, entries_column, tonnes_column = _("Practice"), _("EWC entries"), _(TONNES)
    frame = pd.DataFrame(
        rows,
        columns=[practice, _("Opportunity to assess"), entries_column, tonnes_column, _("Source")],
    )
    return frame.sort_values(
        [tonnes_column, entries_column, practice],
        ascending=[False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)


#: The captions of a sheet's tables, in the order the page shows them.
CAPTIONS = (
    N_("Profile"),
    N_("Waste streams by EWC entry (largest first)"),
    N_("Where the waste goes today"),
    N_("Matched options and what each is worth per year (central estimate, range in brackets)"),
    N_("RECP opportunities to assess on site (prompts from the waste types, not findings)"),
)


def option_formats() -> dict[str, str]:
    """The number formats of ``options_frame`` (and the summary's top options), by header in
    the report's language."""
    return {_(TONNES): "{:,.1f}", _(ROAD_KM): "{:,.1f}"}


def fact_sheet(
    enterprise: Mapping[str, object],
    ranked: Mapping[str, object] | None,
    streams: pd.DataFrame,
    valued_matches: pd.DataFrame,
) -> list[tuple[str, pd.DataFrame, dict[str, str]]]:
    """One enterprise's sheet: (caption, frame, number formats) for each of its tables, in
    the order the page shows them, in the report's language. ``streams``: the enterprise's
    streams; ``valued_matches``: its matches with their value
    (``circular.value_matching(...).matches``)."""
    tonnes = {_(TONNES): "{:,.1f}"}
    profile, streams_caption, fates_caption, options_caption, recp_caption = (
        _(c) for c in CAPTIONS
    )
    return [
        (profile, profile_frame(enterprise, ranked), {}),
        (streams_caption, streams_frame(streams), tonnes),
        (fates_caption, fates_frame(streams), tonnes | {_(SHARE): "{:.1f}"}),
        (options_caption, options_frame(valued_matches), option_formats()),
        (recp_caption, recp_frame(streams), tonnes),
    ]
