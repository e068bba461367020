"""Waste stored at the producer's site, against the Landfill Directive's time limits.

Storage is not a fate: under the Landfill Directive 1999/31/EC, Art. 2(g), a site where waste
is stored for more than one year before disposal, or more than three years before recovery,
counts as a landfill. A stream is *stored at the producer's site* when its fate is
``kept_on_site`` and its operation is D15 (storage pending disposal) or R13 (storage pending
recovery), Directive 2008/98/EC Annexes I and II.

The survey's optional ``storage_since_year`` is the year the oldest waste still in store was
put there. The rule, the same everywhere:

- years in store = the stream's ``reference_year`` - ``storage_since_year`` (whole calendar
  years: waste put in store in 2020 and still there in 2022 has been stored 2 years);
- **over the limit** when the years in store are more than the limit of the operation (D15: 1,
  R13: 3); **within the limit** otherwise; **not known: check** when the year is blank.

Whole years can only under-count: waste stored 1 year by this count may have been there up to
two, so "within the limit" at the limit is worth a visit too. Pure functions on the inventory's
frames.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import N_, _
from .aggregate import stream_tonnes

#: Years of storage after which a site counts as a landfill (Landfill Directive 1999/31/EC,
#: Art. 2(g)): more than one year before disposal (D15), more than three before recovery (R13).
STORAGE_LIMIT_YEARS: dict[str, int] = {"D15": 1, "R13": 3}
#: The fate of waste kept at the enterprise's own site (State Statistical Committee category).
ON_SITE_FATE = "kept_on_site"
#: The flags, in report order, with their labels (English; translated where shown).
STORAGE_FLAGS: dict[str, str] = {
    "over_limit": N_("over the limit"),
    "unknown": N_("not known: check"),
    "within_limit": N_("within the limit"),
}


def stored_on_site(streams: pd.DataFrame) -> pd.Series:
    """True for the streams stored at the producer's site (kept on site under D15 or R13)."""
    return (streams["fate"] == ON_SITE_FATE) & streams["operation"].isin(list(STORAGE_LIMIT_YEARS))


def storage_flags(streams: pd.DataFrame) -> pd.DataFrame:
    """One row per stream stored at the producer's site, sorted by flag (over the limit first),
    then tonnes (largest first) and stream id: its tonnes, the years in store, the limit of its
    operation and the flag (``STORAGE_FLAGS``)."""
    stored = streams[stored_on_site(streams)]
    since = (
        pd.to_numeric(stored["storage_since_year"]).astype("Float64")
        if "storage_since_year" in stored
        else pd.Series(pd.NA, index=stored.index, dtype="Float64")
    )
    years = pd.to_numeric(stored["reference_year"]).astype("Float64") - since
    limit = stored["operation"].map(STORAGE_LIMIT_YEARS).astype("Float64")
    flag = pd.Series("within_limit", index=stored.index, dtype=object)
    flag[(years > limit).fillna(False).astype(bool)] = "over_limit"
    flag[years.isna().to_numpy()] = "unknown"
    out = pd.DataFrame(
        {
            "stream_id": stored["stream_id"],
            "enterprise_id": stored["enterprise_id"],
            "ewc_code": stored["ewc_code"],
            "description": stored["description"],
            "operation": stored["operation"],
            "waste_t": stream_tonnes(stored),
            "reference_year": stored["reference_year"],
            "storage_since_year": since.astype("Int64"),
            "years_in_store": years.astype("Int64"),
            "limit_years": limit.astype("Int64"),
            "flag": flag,
        },
        index=stored.index,
    )
    order = out.assign(_f=out["flag"].map({k: i for i, k in enumerate(STORAGE_FLAGS)}))
    order = order.sort_values(
        ["_f", "waste_t", "stream_id"], ascending=[True, False, True], kind="mergesort"
    )
    return order.drop(columns="_f")


def storage_summary(flags: pd.DataFrame) -> pd.DataFrame:
    """Streams and tonnes per flag (every flag, in report order, even with no stream; its label
    in the current language), and their share of the tonnes stored at the producers' sites."""
    grouped = flags.groupby("flag")["waste_t"].agg(["size", "sum"])
    rows = []
    total = float(flags["waste_t"].sum())
    for key, label in STORAGE_FLAGS.items():
        streams, tonnes = (
            (int(grouped.at[key, "size"]), float(grouped.at[key, "sum"]))
            if key in grouped.index
            else (0, 0.0)
        )
        rows.append(
            {
                "flag": key,
                "label": _(label),
                "streams": streams,
                "waste_t": tonnes,
                "share_pct": tonnes * 100.0 / total if total else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def storage_totals(flags: pd.DataFrame) -> dict[str, float]:
    """Tonnes stored at the producers' sites in all, and over the limit, not known, within."""
    by_flag = flags.groupby("flag")["waste_t"].sum()
    return {
        "stored_on_site_t": float(flags["waste_t"].sum()),
        **{f"{key}_t": float(by_flag.get(key, 0.0)) for key in STORAGE_FLAGS},
    }


def storage_by_operation(streams: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Tonnes under D15 and R13 per economic region (every region of the enterprises, both
    operations): all streams with the operation, those stored at the producer's site, of which
    over the limit and not known, and the operation's share of the region's waste."""
    region = streams["enterprise_id"].map(
        enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")["economic_region"]
    )
    tonnes = stream_tonnes(streams)
    flags = storage_flags(streams)["flag"].reindex(streams.index)
    frame = pd.DataFrame(
        {
            "economic_region": region,
            "operation": streams["operation"],
            "waste_t": tonnes,
            "on_site_t": tonnes.where(flags.notna(), 0.0),
            "over_limit_t": tonnes.where(flags == "over_limit", 0.0),
            "unknown_t": tonnes.where(flags == "unknown", 0.0),
        }
    )
    region_total = frame.groupby("economic_region")["waste_t"].sum()
    stored = frame[frame["operation"].isin(list(STORAGE_LIMIT_YEARS))]
    sums = stored.groupby(["economic_region", "operation"])[
        ["waste_t", "on_site_t", "over_limit_t", "unknown_t"]
    ].sum()
    streams_n = stored.groupby(["economic_region", "operation"]).size().rename("streams")
    regions = sorted(set(enterprises["economic_region"].dropna()))
    index = pd.MultiIndex.from_product(
        [regions, list(STORAGE_LIMIT_YEARS)], names=["economic_region", "operation"]
    )
    out = sums.join(streams_n).reindex(index, fill_value=0).reset_index()
    out["streams"] = out["streams"].astype(int)
    whole = out["economic_region"].map(region_total).astype(float)
    out["share_pct"] = out["waste_t"] * 100.0 / whole.where(whole > 0)
    return out[
        [
            "economic_region",
            "operation",
            "streams",
            "waste_t",
            "share_pct",
            "on_site_t",
            "over_limit_t",
            "unknown_t",
        ]
    ]
