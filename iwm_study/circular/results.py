"""The tables a matching returns: each match with why it was made, each other stream with why not.

``Matching.matches`` has the columns ``MATCH_COLUMNS``, one row per matched stream ranked by
score, each with a sentence (``why``) that names the rule, the receiver, the distance and the
capacity left; ``Matching.unmatched`` has ``UNMATCHED_COLUMNS``, one row per candidate stream
without a receiver, with the first of ``REASONS`` that applies and the detail behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .matching import MatchSettings, _Allocation, _Search, _Streams

#: Why a stream has no receiver, in the order the reasons are tested.
REASONS: dict[str, str] = {
    "no_location": "the enterprise has no location",
    "no_quantity": "no quantity in tonnes",
    "no_rule": "no rule covers this waste",
    "no_receiver": "no receiver of the kind the rules name",
    "hazardous_not_permitted": "hazardous waste not permitted",
    "none_in_range": "no receiver within the distance limit",
    "no_capacity": "no receiver with enough capacity left",
}


#: Columns of ``Matching.matches``, one row per matched stream.
MATCH_COLUMNS: tuple[str, ...] = (
    "rank",
    "stream_id",
    "enterprise_id",
    "enterprise_name",
    "economic_region",
    "ewc_code",
    "description",
    "hazardous",
    "quantity_t",
    "fate",
    "operation_before",
    "receiver_kind",
    "receiver_id",
    "receiver_name",
    "receiver_type",
    "receiver_region",
    "rule_id",
    "rule_title",
    "operation",
    "hierarchy_level",
    "straight_km",
    "road_km",
    "tonne_km",
    "co2_t",
    "score",
    "capacity_t",
    "capacity_left_t",
    "alternatives",
    "why",
    "source_lon",
    "source_lat",
    "receiver_lon",
    "receiver_lat",
)

#: Columns of ``Matching.unmatched``, one row per candidate stream with no receiver.
UNMATCHED_COLUMNS: tuple[str, ...] = (
    "stream_id",
    "enterprise_id",
    "enterprise_name",
    "economic_region",
    "ewc_code",
    "description",
    "hazardous",
    "quantity_t",
    "fate",
    "reason",
    "reason_label",
    "detail",
)


def _km(value: float) -> str:
    return f"{value:,.1f} km"


def _t(value: float) -> str:
    return f"{value:,.0f} t/yr" if value >= 10 else f"{value:,.2f} t/yr"


def _matches_frame(
    s: pd.DataFrame,
    recv: pd.DataFrame,
    rules: pd.DataFrame,
    cp: pd.DataFrame,
    chosen: np.ndarray,
    left_after: np.ndarray,
    settings: MatchSettings,
) -> pd.DataFrame:
    """The matched streams, one row each (``MATCH_COLUMNS``), ranked by score (ties by
    stream id), each with the sentence that says why."""
    streams = np.flatnonzero(chosen >= 0)
    rows = chosen[streams]
    if rows.size == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS})
    rc = cp["receiver"].to_numpy()[rows]
    rule = cp["rule"].to_numpy()[rows]
    n_cand = cp.groupby("stream").size()
    out = pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[streams],
            "enterprise_id": s["enterprise_id"].to_numpy()[streams],
            "enterprise_name": s["enterprise_name"].to_numpy()[streams],
            "economic_region": s["economic_region"].to_numpy()[streams],
            "ewc_code": s["ewc_code"].to_numpy()[streams],
            "description": s["description"].to_numpy()[streams],
            "hazardous": s["hazardous"].to_numpy()[streams],
            "quantity_t": s["quantity_t"].to_numpy()[streams],
            "fate": s["fate"].to_numpy()[streams],
            "operation_before": s["operation_before"].to_numpy()[streams],
            "receiver_kind": recv["receiver_kind"].to_numpy()[rc],
            "receiver_id": recv["receiver_id"].to_numpy()[rc],
            "receiver_name": recv["receiver_name"].to_numpy()[rc],
            "receiver_type": recv["receiver_type"].to_numpy()[rc],
            "receiver_region": recv["economic_region"].to_numpy()[rc],
            "rule_id": rules["rule_id"].to_numpy()[rule],
            "rule_title": rules["title"].to_numpy()[rule],
            "operation": rules["operation"].to_numpy()[rule],
            "hierarchy_level": rules["hierarchy_level"].to_numpy()[rule],
            "straight_km": cp["straight_km"].to_numpy()[rows],
            "road_km": cp["road_km"].to_numpy()[rows],
            "tonne_km": cp["tonne_km"].to_numpy()[rows],
            "score": cp["score"].to_numpy()[rows],
            "capacity_t": recv["capacity_t"].to_numpy()[rc],
            "capacity_left_t": left_after[rows],
            "alternatives": n_cand.reindex(streams).to_numpy() - 1,
            "source_lon": s["lon"].to_numpy()[streams],
            "source_lat": s["lat"].to_numpy()[streams],
            "receiver_lon": recv["lon"].to_numpy()[rc],
            "receiver_lat": recv["lat"].to_numpy()[rc],
        }
    )
    out["co2_t"] = out["tonne_km"] * settings.co2_kg_per_tkm / 1000.0
    nace = recv["nace_code"].to_numpy()[rc]
    why = []
    for r, n in zip(out.itertuples(index=False), nace, strict=True):
        if r.receiver_kind == "facility":
            who = f"{r.receiver_id} ({r.receiver_type}) accepts {r.ewc_code} and carries out {r.operation}"
        else:
            who = f"{r.receiver_id} (NACE {n}) is in the sector the rule names"
        if np.isnan(r.capacity_t):
            room = "capacity not reported (not limited)"
        else:
            room = (
                f"{_t(r.capacity_left_t)} of its {_t(r.capacity_t)} capacity left after this stream"
            )
        why.append(
            f"Rule {r.rule_id} ({r.rule_title}, {r.operation}); {who}; "
            f"{_km(r.road_km)} by road ({_km(r.straight_km)} straight x {settings.road_factor:g}); "
            f"{room}; {r.alternatives} other candidate{'s' if r.alternatives != 1 else ''}."
        )
    out["why"] = why
    out = out.sort_values(["score", "stream_id"], ascending=[False, True], kind="mergesort")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)[list(MATCH_COLUMNS)]


def _unmatched_frame(
    streams: _Streams,
    rules: pd.DataFrame,
    sr: pd.DataFrame,
    search: _Search,
    allocation: _Allocation,
    cp: pd.DataFrame,
    settings: MatchSettings,
) -> pd.DataFrame:
    """The candidate streams the allocation left without a receiver, each with the first
    reason that applies (in the order of ``REASONS``) and its detail, largest first."""
    s = streams.frame
    located, has_t, open_ = streams.located, streams.has_tonnes, streams.searched
    eligible, haz_ok = search.eligible, search.hazard_ok
    nearest_m, nearest_id = search.nearest_m, search.nearest_id
    rule_hazard_block = search.rule_hazard_block
    chosen, largest_left = allocation.chosen, allocation.largest_left
    cand = s["candidate"].to_numpy()
    todo = np.flatnonzero(cand & (chosen < 0))
    rules_of = sr.groupby("stream")["rule"].agg(lambda r: sorted(set(r)))
    in_range = cp.groupby("stream").size()
    ids = rules["rule_id"].to_numpy()
    reasons, details = [], []
    for i in todo:
        code = s["ewc_code"].iat[i]
        if not located[i]:
            reasons.append("no_location")
            details.append(f"enterprise {s['enterprise_id'].iat[i]} has no coordinates.")
            continue
        if not has_t[i] or not open_[i]:
            reasons.append("no_quantity")
            details.append("the quantity in tonnes is missing or zero.")
            continue
        listed = rules_of.get(i, [])
        names = ("rules " if len(listed) > 1 else "rule ") + ", ".join(ids[listed])
        if not listed:
            reasons.append("no_rule")
            details.append(f"no rule covers EWC {code}.")
        elif eligible[i] == 0:
            reasons.append("no_receiver")
            details.append(
                f"{names} cover{'s' if len(listed) == 1 else ''} it, but no facility or "
                "enterprise in the study qualifies "
                "(type or sector, accepted codes, operation)."
            )
        elif haz_ok[i] == 0:
            reasons.append("hazardous_not_permitted")
            if rule_hazard_block[i] and not rules["hazardous_allowed"].to_numpy()[listed].any():
                details.append(
                    f"hazardous, and {names} do{'es' if len(listed) == 1 else ''} not allow "
                    "hazardous waste."
                )
            else:
                details.append(
                    "hazardous; receivers accept the waste but none is permitted to take "
                    "hazardous waste."
                )
        elif i not in in_range.index:
            reasons.append("none_in_range")
            road = nearest_m[i] / 1000.0 * settings.road_factor
            details.append(
                f"the nearest receiver, {nearest_id[i]}, is {_km(road)} by road "
                f"(limit {settings.max_distance_km:g} km)."
            )
        else:
            reasons.append("no_capacity")
            n = int(in_range[i])
            details.append(
                f"{n} receiver{'s' if n != 1 else ''} in range, none with "
                f"{_t(s['quantity_t'].iat[i])} left when its turn came "
                f"(most left: {_t(largest_left[i])})."
            )
    out = pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[todo],
            "enterprise_id": s["enterprise_id"].to_numpy()[todo],
            "enterprise_name": s["enterprise_name"].to_numpy()[todo],
            "economic_region": s["economic_region"].to_numpy()[todo],
            "ewc_code": s["ewc_code"].to_numpy()[todo],
            "description": s["description"].to_numpy()[todo],
            "hazardous": s["hazardous"].to_numpy()[todo],
            "quantity_t": s["quantity_t"].to_numpy()[todo],
            "fate": s["fate"].to_numpy()[todo],
            "reason": pd.Series(reasons, dtype=object),
            "detail": pd.Series(details, dtype=object),
        }
    )
    out["reason_label"] = out["reason"].map(REASONS)
    out = out.sort_values(["quantity_t", "stream_id"], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)[list(UNMATCHED_COLUMNS)]
