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

__all__ = [
    "fates_frame",
    "options_frame",
    "profile_frame",
    "recp_frame",
    "streams_frame",
]


def _number(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not reported"
    return f"{float(value):,.{digits}f}"


def profile_frame(
    enterprise: Mapping[str, object], ranked: Mapping[str, object] | None
) -> pd.DataFrame:
    """The enterprise in a two-column table: what is known of it and its place on the list."""
    nace = codes.labels("nace_class")
    code = str(enterprise.get("nace_code") or "")
    rows = [
        ("Enterprise", str(enterprise.get("name", ""))),
        ("Identifier", str(enterprise.get("enterprise_id", ""))),
        ("Activity (NACE Rev.2)", f"{code} {nace.get(code, '')}".strip()),
        ("District", str(enterprise.get("district") or "not reported")),
        ("Economic region", str(enterprise.get("economic_region") or "")),
        ("Employees", _number(enterprise.get("employees"))),
        ("Output value (thousand AZN/yr)", _number(enterprise.get("output_value_kazn"))),
        ("Interest in a RECP assessment", str(enterprise.get("recp_interest") or "not reported")),
    ]
    if ranked is not None:
        rows.append(("Rank on the shortlist", f"{int(ranked['rank'])}"))
        rows.append(("Score", f"{float(ranked['score']):.3f}"))
    return pd.DataFrame(rows, columns=["Item", "Value"])


def streams_frame(streams: pd.DataFrame) -> pd.DataFrame:
    """The enterprise's streams, largest first: EWC entry, what it is, hazard, tonnes, today's
    operation and fate."""
    entries = codes.labels("ewc_entry")
    fates = codes.labels("fate")
    s = streams.sort_values(["quantity_t", "stream_id"], ascending=[False, True], kind="mergesort")
    code = s["ewc_code"].fillna("").astype(str)
    return pd.DataFrame(
        {
            "EWC entry": code.to_numpy(),
            "List of Waste title": code.str.rstrip("*")
            .str.strip()
            .map(entries)
            .fillna("")
            .to_numpy(),
            "Description": s["description"].fillna("").to_numpy(),
            "Hazardous": s["hazardous"]
            .map({True: "yes", False: "no"})
            .fillna("not known")
            .to_numpy(),
            "Tonnes per year": s["quantity_t"].astype(float).to_numpy(),
            "Operation": s["operation"].fillna("not reported").to_numpy(),
            "Fate": s["fate"].map(fates).fillna("not reported").to_numpy(),
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
            "Fate": [labels.get(f, "Not reported") for f in order],
            "Tonnes per year": [float(by[f]) for f in order],
            "Share (%)": [100.0 * float(by[f]) / total if total else math.nan for f in order],
        }
    )


def options_frame(matches: pd.DataFrame) -> pd.DataFrame:
    """The enterprise's matched options with their value: stream, receiver, operation, road km,
    tonnes, money and emissions (central, with the range), and the kind of option."""
    if matches.empty:
        return pd.DataFrame(
            columns=[
                "EWC entry",
                "Receiver",
                "Operation",
                "Road km",
                "Tonnes per year",
                "Net value (AZN/yr)",
                "Net emissions avoided (t CO2e/yr)",
                "Kind",
            ]
        )
    kinds = {"circular": "Circular option", "safer_treatment": "Safer treatment"}

    def ranged(prefix: str, digits: int = 0) -> list[str]:
        if f"{prefix}_central" not in matches:
            return ["not valued"] * len(matches)
        return [
            f"{c:,.{digits}f} ({lo:,.{digits}f} to {hi:,.{digits}f})"
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
    return pd.DataFrame(
        {
            "EWC entry": matches["ewc_code"].to_numpy(),
            "Receiver": matches["receiver_name"].to_numpy(),
            "Operation": matches["operation"].to_numpy(),
            "Road km": matches["road_km"].astype(float).to_numpy(),
            "Tonnes per year": matches["quantity_t"].astype(float).to_numpy(),
            "Net value (AZN/yr)": ranged("net_azn_yr"),
            "Net emissions avoided (t CO2e/yr)": ranged("net_t_co2e_yr", 1),
            "Kind": kind.map(kinds).fillna("Circular option").to_numpy(),
        }
    )


def recp_frame(streams: pd.DataFrame) -> pd.DataFrame:
    """RECP prompts for the enterprise's waste types: practice, opportunity, the EWC entries it
    concerns and their tonnes; by tonnes, largest first. An EWC prefix of the table matches a
    stream's chapter, sub-chapter or entry, the longest prefix winning."""
    table = codes.recp_opportunities()
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
        for _, opp in table[table["ewc"] == prefix].iterrows():
            rows.append(
                (
                    practices.get(opp["practice"], opp["practice"]),
                    opp["opportunity"],
                    ", ".join(entries),
                    t,
                    opp["source"],
                )
            )
    frame = pd.DataFrame(
        rows,
        columns=["Practice", "Opportunity to assess", "EWC entries", "Tonnes per year", "Source"],
    )
    return frame.sort_values(
        ["Tonnes per year", "EWC entries", "Practice"],
        ascending=[False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)


def fact_sheet(
    enterprise: Mapping[str, object],
    ranked: Mapping[str, object] | None,
    streams: pd.DataFrame,
    valued_matches: pd.DataFrame,
) -> list[tuple[str, pd.DataFrame, dict[str, str]]]:
    """One enterprise's sheet: (caption, frame, number formats) for each of its tables, in
    the order the page shows them. ``streams``: the enterprise's streams; ``valued_matches``:
    its matches with their value (``circular.value_matching(...).matches``)."""
    tonnes = {"Tonnes per year": "{:,.1f}"}
    return [
        ("Profile", profile_frame(enterprise, ranked), {}),
        ("Waste streams by EWC entry (largest first)", streams_frame(streams), tonnes),
        ("Where the waste goes today", fates_frame(streams), tonnes | {"Share (%)": "{:.1f}"}),
        (
            "Matched options and what each is worth per year (central estimate, range in brackets)",
            options_frame(valued_matches),
            tonnes | {"Road km": "{:,.1f}"},
        ),
        (
            "RECP opportunities to assess on site (prompts from the waste types, not findings)",
            recp_frame(streams),
            tonnes,
        ),
    ]
