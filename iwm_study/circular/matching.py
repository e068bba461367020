"""Matching: each stream not yet recovered to the receiver that can take it, capacity shared.

"From waste to source": for every stream that is landfilled, kept on site or has no known fate,
find the facilities (recyclers, treatment plants, users of secondary materials) and enterprises
that could take it instead, and say why. The matching is explainable by construction:

* **Rules as data.** ``iwm_study/data/codes/circular_rules.csv`` says which waste (an EWC
  chapter, sub-chapter or code) can feed which receivers (a facility type and/or a NACE Rev.2
  sector), through which recovery operation, whether hazardous entries may follow the rule, and
  why (rationale and source). A study may replace it with its own file (``load_rules(path)``),
  checked with the same messages as the study data (file, row, column, value, rule, hint).
* **Candidates.** A receiver is a candidate for a stream when a rule covers the stream's EWC
  code and the receiver (see :func:`match_streams` for the exact conditions), when it lies
  within the distance limit by road (straight-line distance in ``PROJECTED_CRS`` times a road
  factor), when a hazardous stream meets a rule that allows hazardous waste and a receiver
  permitted to take it, and when the receiver is not the enterprise that produces the stream.
* **Allocation.** Capacity is shared between streams and never counted twice: streams are
  served one at a time, largest tonnes first (ties by stream id), each by its best candidate
  that still has room for the whole stream. Best means higher in the waste hierarchy first
  (recycling before other recovery, Directive 2008/98/EC Art. 4), then the higher score, then
  a facility before an enterprise (a facility declares what it accepts and how much), then the
  receiver id. Capacity not reported (enterprises never report it) does not limit.
  An enterprise also listed as a facility (same NACE division, within ``TWIN_DISTANCE_M``)
  takes part as that facility only.
* **Score.** ``score = tonnes * (1 + hazard_weight * hazardous - road_km / breakeven_km)``:
  tonnes diverted from landfill or storage, hazardous tonnes counted ``1 + hazard_weight``
  times, less a transport penalty that would cancel the benefit of an ordinary tonne at
  ``breakeven_km`` by road. Every match row shows the parts of the score.
* **Reasons.** A stream with no receiver is listed with why: no rule, no receiver of the kind
  the rules name, hazardous waste not permitted, none in range, or no capacity left.

:func:`match_streams` goes through these in named steps: the receivers (:mod:`.receiving`), the
streams, the stream-rule pairs, the search for candidates in range, one rule per pair, the
score, the allocation; :mod:`.results` writes the tables of the result.

Performance: candidate pairs come from a shapely ``STRtree`` queried once per (rule, EWC code)
group with a distance predicate, and everything else is vectorised with numpy and pandas; only
the greedy allocation walks the streams in order, which it must (each choice changes the
capacity left for the next). ``benchmarks/bench_circular.py`` measures 20,000 streams against
2,000 receivers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import codes
from ..data.geography import PROJECTED_CRS
from ..data.rules import load_rules
from .receiving import _accepting, _lonlat, _rule_receivers, _xy, is_not_recovered, receivers
from .results import _matches_frame, _unmatched_frame

if TYPE_CHECKING:
    import geopandas as gpd

    from ..data.study import Study

if TYPE_CHECKING:  # served by __getattr__ below
    HIERARCHY_ORDER: tuple[str, ...]


def _hierarchy_order() -> tuple[str, ...]:
    """The hierarchy levels a rule's operation may have (those of the recovery operations),
    best first, by their rank in the code table ``hierarchy_levels.csv`` (Directive 2008/98/EC
    Art. 4): ``("recycling", "other_recovery")``."""
    ops = codes.waste_operations()
    recovery = set(ops.loc[ops["kind"] == "recovery", "hierarchy_level"])
    levels = codes.hierarchy_levels().dropna(subset=["rank"]).sort_values("rank")
    return tuple(level for level in levels["level"] if level in recovery)


def __getattr__(name: str) -> Any:
    """``HIERARCHY_ORDER``: rank of the hierarchy levels a rule's operation may have, read from
    the code tables when used."""
    if name == "HIERARCHY_ORDER":
        return _hierarchy_order()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class MatchSettings:
    """How far waste may travel, how transport is counted, and how matches are scored.

    Defaults, with their sources (the study's parameters may change them):

    * ``road_factor`` 1.3: road distance over straight-line distance. National averages of
      this circuity factor are commonly between 1.2 and 1.4 (Ballou, Rahardja and Sakai 2002,
      Transportation Research Part A 36: 843-848); an assumption until road distances are
      measured.
    * ``co2_kg_per_tkm`` 0.124: kg CO2e per tonne-km, all heavy goods vehicles at average UK
      load, direct emissions (Defra/DECC 2012 Guidelines to GHG Conversion Factors for Company
      Reporting, Annex 7, diesel HGV road freight on a tonne-km basis). Loaded trips only.
    * ``max_distance_km`` 50 by road, ``hazard_weight`` 1 (a hazardous tonne counts twice) and
      ``breakeven_km`` 100: choices of this toolkit, to be set by each study.
    """

    max_distance_km: float = 50.0
    road_factor: float = 1.3
    co2_kg_per_tkm: float = 0.124
    hazard_weight: float = 1.0
    breakeven_km: float = 100.0

    def __post_init__(self) -> None:
        checks = {
            "max_distance_km": self.max_distance_km > 0,
            "road_factor": self.road_factor >= 1,
            "co2_kg_per_tkm": self.co2_kg_per_tkm >= 0,
            "hazard_weight": self.hazard_weight >= 0,
            "breakeven_km": self.breakeven_km > 0,
        }
        rules = {
            "max_distance_km": "must be more than 0 km",
            "road_factor": "must be at least 1 (a road is never shorter than a straight line)",
            "co2_kg_per_tkm": "must not be negative",
            "hazard_weight": "must not be negative",
            "breakeven_km": "must be more than 0 km",
        }
        bad = [f"{k} = {getattr(self, k)!r} {rules[k]}" for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError("circular settings: " + "; ".join(bad) + ".")

    @property
    def straight_limit_m(self) -> float:
        """The distance limit as a straight line in the projected CRS, in metres."""
        return self.max_distance_km * 1000.0 / self.road_factor

    def describe(self) -> str:
        """The settings in one sentence, for reports."""
        return (
            f"Receivers within {self.max_distance_km:g} km by road (straight-line distance in "
            f"{PROJECTED_CRS} times a road factor of {self.road_factor:g}); transport counted "
            f"at {self.co2_kg_per_tkm:g} kg CO2e per tonne-km; score = tonnes x (1 + "
            f"{self.hazard_weight:g} x hazardous - road km / {self.breakeven_km:g})."
        )


@dataclass
class Matching:
    """The result of a matching: what was matched, what was not and why, and the inputs used.

    ``matches`` (``MATCH_COLUMNS``) has one row per matched stream, ranked by score;
    ``unmatched`` (``UNMATCHED_COLUMNS``) one row per candidate stream without a receiver;
    ``candidates`` every feasible stream-receiver pair before capacity (with the rule kept for
    the pair); ``receivers`` the receivers with the capacity left after the allocation;
    ``streams`` the streams considered, with ``candidate`` (not yet recovered) and region.
    """

    matches: pd.DataFrame
    unmatched: pd.DataFrame
    candidates: pd.DataFrame
    receivers: pd.DataFrame
    streams: pd.DataFrame
    rules: pd.DataFrame
    settings: MatchSettings = field(default_factory=MatchSettings)

    def in_region(self, economic_region: str | None) -> Matching:
        """The matches and unmatched streams whose source lies in ``economic_region`` (None:
        all). Receivers and capacities stay those of the whole allocation."""
        if economic_region is None:
            return self

        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["economic_region"] == economic_region].reset_index(drop=True)

        return Matching(
            keep(self.matches),
            keep(self.unmatched),
            self.candidates[self.candidates["economic_region"] == economic_region].reset_index(
                drop=True
            ),
            self.receivers,
            self.streams[self.streams["economic_region"] == economic_region],
            self.rules,
            self.settings,
        )


def match_streams(
    streams: pd.DataFrame,
    enterprises: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    rules: pd.DataFrame | None = None,
    settings: MatchSettings | None = None,
) -> Matching:
    """Match the streams that are not yet recovered to receivers, under the rules.

    ``streams`` are placed at their enterprise's site (``enterprises`` must hold them); the
    receivers are all ``facilities`` and all ``enterprises`` (see :func:`receivers`). A receiver
    is a candidate for a stream under a rule when:

    1. the rule's ``ewc`` is the stream's chapter, sub-chapter or code;
    2. the receiver qualifies for the rule (facility type, NACE code, operation: see
       ``_rule_receivers``) and, for a facility, its accepted list holds the stream's chapter,
       sub-chapter or code;
    3. a hazardous stream follows only rules with ``hazardous_allowed`` and goes only to
       facilities with ``hazardous_permitted`` (enterprises are never permitted);
    4. the receiver is not the stream's own enterprise (nor the facility it is listed as);
    5. the road distance (straight line in ``PROJECTED_CRS`` x ``road_factor``) is at most
       ``max_distance_km``.

    When several rules join the same stream and receiver, the one higher in the hierarchy wins,
    then the one listed first. Allocation and score: see the module docstring.
    """
    rules = load_rules() if rules is None else rules
    settings = settings or MatchSettings()

    ent = enterprises.drop_duplicates("enterprise_id")
    recv = _receiver_arrays(receivers(ent, facilities, streams))
    placed = _placed_streams(streams, ent, recv)
    sr = _rule_pairs(placed, rules)  # condition 1
    cp, search = _search(placed, sr, rules, recv, settings)  # conditions 2-5
    cp = _one_rule_per_pair(cp, rules)
    s = placed.frame
    _score(cp, s, recv, settings)
    cp = _in_allocation_order(cp, s, recv)
    allocation = _allocate(cp, s, recv.frame)

    recv_after = recv.frame.copy()
    remaining = allocation.remaining
    recv_after["capacity_left_after_t"] = np.where(np.isinf(remaining), np.nan, remaining)
    return Matching(
        matches=_matches_frame(
            s, recv_after, rules, cp, allocation.chosen, allocation.left_after, settings
        ),
        unmatched=_unmatched_frame(placed, rules, sr, search, allocation, cp, settings),
        candidates=_candidates_table(s, recv_after, recv.ids, rules, cp, allocation.chosen),
        receivers=recv_after,
        streams=s.drop(columns=["x", "y", "self_pos", "code"]),
        rules=rules,
        settings=settings,
    )


def match_study(
    study: Study,
    rules: pd.DataFrame | None = None,
    settings: MatchSettings | None = None,
) -> Matching:
    """Match every stream of the study at once, so that capacity is shared between all regions
    (a region's report then shows its part with ``Matching.in_region``)."""
    return match_streams(
        study.waste_streams, study.enterprises, study.facilities, rules=rules, settings=settings
    )


# --------------------------------------------------------------------------------------------
# The steps of match_streams
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Receivers:
    """The receivers (rows of ``frame``) as the arrays the search reads, by position."""

    frame: pd.DataFrame
    ok: np.ndarray  # has a location and is not an enterprise standing for a facility
    x: np.ndarray
    y: np.ndarray
    ids: np.ndarray
    permitted: np.ndarray  # may take hazardous waste
    is_enterprise: np.ndarray
    own: pd.Series  # enterprise id -> its position as a receiver (or its facility's)


@dataclass(frozen=True)
class _Streams:
    """The streams, one row each (see :func:`_placed_streams`), and which of them are searched."""

    frame: pd.DataFrame
    located: np.ndarray  # its enterprise has a location
    has_tonnes: np.ndarray  # a quantity above 0 t
    searched: np.ndarray  # not recovered, located, with tonnes and an EWC code


@dataclass(frozen=True)
class _Search:
    """What the search found per stream, beyond the pairs in range: for the reasons."""

    eligible: np.ndarray  # receivers for the waste, any distance, not itself
    hazard_ok: np.ndarray  # ... and permitted for hazardous waste
    nearest_m: np.ndarray  # the nearest of those, straight line (m)
    nearest_id: np.ndarray
    rule_hazard_block: np.ndarray  # a rule that covers it forbids hazardous waste


@dataclass(frozen=True)
class _Allocation:
    """The allocation's choices: ``chosen`` the row of the pairs for each stream (-1: none),
    ``left_after`` each chosen receiver's capacity left after the stream (NaN: not limited),
    ``largest_left`` the most any candidate had left for an unserved stream, ``remaining`` the
    capacity left of each receiver at the end (inf: not limited)."""

    chosen: np.ndarray
    left_after: np.ndarray
    largest_left: np.ndarray
    remaining: np.ndarray


def _receiver_arrays(recv: pd.DataFrame) -> _Receivers:
    """The receivers as arrays, by position. Those without a location cannot be measured and an
    enterprise that is also listed as a facility takes part as that facility only (see
    ``_twins``): neither is ``ok``."""
    ok = ~(np.isnan(recv["x"].to_numpy()) | np.isnan(recv["y"].to_numpy()))
    ok &= recv["twin_of"].isna().to_numpy()
    is_ent = (recv["receiver_kind"] == "enterprise").to_numpy()
    fac_pos = pd.Series(np.flatnonzero(~is_ent), index=recv["receiver_id"][~is_ent])
    # "Itself": the enterprise as a receiver, or the facility it is listed as.
    own = np.where(
        recv["twin_of"].notna().to_numpy(),
        recv["twin_of"].map(fac_pos).fillna(-1).to_numpy(),
        np.arange(len(recv)),
    ).astype(np.int64)
    return _Receivers(
        frame=recv,
        ok=ok,
        x=recv["x"].to_numpy(),
        y=recv["y"].to_numpy(),
        ids=recv["receiver_id"].to_numpy(),
        permitted=recv["hazardous_permitted"].to_numpy(dtype=bool),
        is_enterprise=is_ent,
        own=pd.Series(own[is_ent], index=recv["receiver_id"][is_ent]),
    )


def _placed_streams(streams: pd.DataFrame, ent: gpd.GeoDataFrame, recv: _Receivers) -> _Streams:
    """The streams: where they are (their enterprise's site), how much, whether they are
    candidates, and their enterprise's position as a receiver (``self_pos``, -1: none)."""
    site = pd.DataFrame(
        {
            "enterprise_name": ent["name"].astype(str).to_numpy(),
            "economic_region": ent["economic_region"].to_numpy(),
        },
        index=ent["enterprise_id"].to_numpy(),
    )
    ex, ey, _ = _xy(ent.geometry)
    elon, elat = _lonlat(ent.geometry)
    coords = pd.DataFrame({"x": ex, "y": ey, "lon": elon, "lat": elat}, index=site.index)
    s = pd.DataFrame(
        {
            "stream_id": streams["stream_id"].astype(str).to_numpy(),
            "enterprise_id": streams["enterprise_id"].astype(str).to_numpy(),
            "ewc_code": streams["ewc_code"].to_numpy(),
            "description": streams["description"].to_numpy(),
            "hazardous": streams["hazardous"].fillna(False).astype(bool).to_numpy(),
            "quantity_t": streams["quantity_t"].astype(float).to_numpy(),
            "fate": streams["fate"].to_numpy(),
            "operation_before": streams["operation"].to_numpy(),
            "candidate": is_not_recovered(streams).to_numpy(),
            "data_quality": (
                streams["data_quality"].to_numpy() if "data_quality" in streams else None
            ),
        }
    )
    s["enterprise_name"] = s["enterprise_id"].map(site["enterprise_name"])
    s["economic_region"] = s["enterprise_id"].map(site["economic_region"])
    for c in ("x", "y", "lon", "lat"):
        s[c] = s["enterprise_id"].map(coords[c]).astype(float)
    s["self_pos"] = s["enterprise_id"].map(recv.own).fillna(-1).astype(np.int64)
    code = s["ewc_code"].fillna("").str.rstrip("*").str.strip()
    s["code"] = code
    located = s["x"].notna().to_numpy() & s["y"].notna().to_numpy()
    has_t = (s["quantity_t"] > 0).to_numpy()
    searched = s["candidate"].to_numpy() & located & has_t & (code != "").to_numpy()
    return _Streams(s, located, has_t, searched)


def _rule_pairs(streams: _Streams, rules: pd.DataFrame) -> pd.DataFrame:
    """Condition 1: stream x rule pairs (positions), the rule's EWC prefix being the stream's
    chapter, sub-chapter or code; with the stream's EWC ``code`` as written."""
    s = streams.frame
    rule_pos_of = pd.Series(np.arange(len(rules)), index=pd.Index(rules["ewc"].to_numpy()))
    sr_parts = []
    idx = np.flatnonzero(streams.searched)
    for width in (2, 5, 8):
        keys = s["code"].to_numpy()[idx]
        keys = np.array([k[:width] if len(k) >= width else "" for k in keys], dtype=object)
        wanted = pd.DataFrame({"stream": idx, "ewc": keys})
        joined = wanted.merge(
            pd.DataFrame({"ewc": rule_pos_of.index, "rule": rule_pos_of.to_numpy()}),
            on="ewc",
            how="inner",
        )
        sr_parts.append(joined[["stream", "rule"]])
    sr = pd.concat(sr_parts, ignore_index=True)
    sr["code"] = s["ewc_code"].to_numpy()[sr["stream"].to_numpy()]
    return sr


def _search(
    streams: _Streams,
    sr: pd.DataFrame,
    rules: pd.DataFrame,
    recv: _Receivers,
    settings: MatchSettings,
) -> tuple[pd.DataFrame, _Search]:
    """Conditions 2-5, per (rule, EWC code) group of the stream-rule pairs: the receivers that
    qualify, then one spatial query for every member stream at once. Returns the feasible
    (stream, receiver, rule) pairs, by position, and what the reasons need."""
    import shapely

    s = streams.frame
    n_s = len(s)
    per_rule = _rule_receivers(rules, recv.frame)
    accepting = _accepting(recv.frame)
    rule_haz = rules["hazardous_allowed"].to_numpy(dtype=bool)
    found = _Search(
        eligible=np.zeros(n_s, dtype=np.int64),
        hazard_ok=np.zeros(n_s, dtype=np.int64),
        nearest_m=np.full(n_s, np.inf),
        nearest_id=np.full(n_s, "", dtype=object),
        rule_hazard_block=np.zeros(n_s, dtype=bool),
    )
    self_pos = s["self_pos"].to_numpy()
    hazardous = s["hazardous"].to_numpy()
    x, y = s["x"].to_numpy(), s["y"].to_numpy()
    limit = settings.straight_limit_m
    pair_s, pair_r, pair_k = [], [], []

    for (k, ewc), grp in sr.groupby(["rule", "code"], sort=True):
        members = grp["stream"].to_numpy()
        cand = _qualifying(per_rule[k], str(ewc), accepting, recv)
        if cand.size == 0:
            continue
        selfs = self_pos[members]
        self_in = np.isin(selfs, cand)
        found.eligible[members] += cand.size - self_in
        if bool(hazardous[members[0]]):
            if not rule_haz[k]:
                found.rule_hazard_block[members] = True
                continue
            cand = cand[recv.permitted[cand]]
            if cand.size == 0:
                continue
            self_in = np.isin(selfs, cand)
        found.hazard_ok[members] += cand.size - self_in
        # Spatial query: a tree of the group's receivers, every member stream at once.
        tree = shapely.STRtree(shapely.points(recv.x[cand], recv.y[cand]))
        sx, sy = x[members], y[members]
        qs, qr = tree.query(shapely.points(sx, sy), predicate="dwithin", distance=limit)
        recv_pos = cand[qr]
        stream_pos = members[qs]
        not_self = recv_pos != self_pos[stream_pos]
        pair_s.append(stream_pos[not_self])
        pair_r.append(recv_pos[not_self])
        pair_k.append(np.full(int(not_self.sum()), k, dtype=np.int64))
        # The nearest receiver of the members that found none in range (for the reasons).
        in_range = np.zeros(len(members), dtype=bool)
        in_range[np.unique(qs[not_self])] = True
        lost = np.flatnonzero(~in_range)
        if lost.size:
            _note_nearest(found, members[lost], sx[lost], sy[lost], selfs[lost], cand, recv)

    if pair_s:
        pairs = (np.concatenate(pair_s), np.concatenate(pair_r), np.concatenate(pair_k))
    else:
        pairs = tuple(np.array([], dtype=np.int64) for _ in range(3))
    cp = pd.DataFrame(dict(zip(("stream", "receiver", "rule"), pairs, strict=True)))
    return cp, found


def _qualifying(
    for_rule: np.ndarray, ewc: str, accepting: dict[str, np.ndarray], recv: _Receivers
) -> np.ndarray:
    """Condition 2: of the receivers the rule names, those that can be measured and, for a
    facility, that list the stream's chapter, sub-chapter or code as accepted."""
    cand = for_rule[recv.ok[for_rule]]
    if cand.size == 0:
        return cand
    plain = ewc.rstrip("*").strip()
    acc = set()
    for key in {plain[:2], plain[:5], plain}:
        if key in accepting:
            acc.update(accepting[key].tolist())
    keep = recv.is_enterprise[cand] | np.isin(
        cand, np.fromiter(acc, dtype=np.int64, count=len(acc))
    )
    return cand[keep]


def _note_nearest(
    found: _Search,
    lost: np.ndarray,
    sx: np.ndarray,
    sy: np.ndarray,
    selfs: np.ndarray,
    cand: np.ndarray,
    recv: _Receivers,
) -> None:
    """Keep, for streams ``lost`` (positions) with no candidate in range, the nearest of
    ``cand`` (not itself) when it is nearer than any found for them before."""
    dx = sx[:, None] - recv.x[cand][None, :]
    dy = sy[:, None] - recv.y[cand][None, :]
    dist = np.hypot(dx, dy)
    dist[selfs[:, None] == cand[None, :]] = np.inf
    best = dist.argmin(axis=1)
    best_d = dist[np.arange(lost.size), best]
    better = best_d < found.nearest_m[lost]
    found.nearest_m[lost[better]] = best_d[better]
    found.nearest_id[lost[better]] = recv.ids[cand[best[better]]]


def _one_rule_per_pair(cp: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """One rule per stream and receiver: the higher hierarchy level, then the rule listed
    first; with the pair's ``level`` (0 = highest) and the rule's ``order``."""
    hier_rank = {level: i for i, level in enumerate(_hierarchy_order())}
    level = rules["hierarchy_level"].map(hier_rank).to_numpy()
    cp["level"] = level[cp["rule"].to_numpy()]
    cp["order"] = rules["order"].to_numpy()[cp["rule"].to_numpy()]
    cp = cp.sort_values(["stream", "receiver", "level", "order"], kind="mergesort")
    return cp.drop_duplicates(["stream", "receiver"], keep="first").reset_index(drop=True)


def _score(cp: pd.DataFrame, s: pd.DataFrame, recv: _Receivers, settings: MatchSettings) -> None:
    """Add each pair's distances (km), tonne-km and score (see the module docstring)."""
    st, rc = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    straight = np.hypot(s["x"].to_numpy()[st] - recv.x[rc], s["y"].to_numpy()[st] - recv.y[rc])
    straight = straight / 1000.0
    tonnes = s["quantity_t"].to_numpy()[st]
    haz = s["hazardous"].to_numpy()[st].astype(float)
    cp["straight_km"] = straight
    cp["road_km"] = straight * settings.road_factor
    cp["tonne_km"] = tonnes * cp["road_km"].to_numpy()
    cp["score"] = tonnes * (
        1.0 + settings.hazard_weight * haz - cp["road_km"].to_numpy() / settings.breakeven_km
    )


def _in_allocation_order(cp: pd.DataFrame, s: pd.DataFrame, recv: _Receivers) -> pd.DataFrame:
    """The pairs in the order the allocation reads them: streams largest first (ties by id),
    and each stream's candidates best first (hierarchy, score, facility, receiver id)."""
    st, rc = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    n_s = len(s)
    order = np.lexsort((s["stream_id"].to_numpy(), -np.nan_to_num(s["quantity_t"].to_numpy())))
    stream_rank = np.empty(n_s, dtype=np.int64)
    stream_rank[order] = np.arange(n_s)
    cp["stream_rank"] = stream_rank[st]
    return cp.iloc[
        np.lexsort(
            (
                recv.ids[rc],
                recv.is_enterprise[rc],  # at equal score a facility (it declares what it takes)
                -cp["score"].to_numpy(),
                cp["level"].to_numpy(),
                cp["stream_rank"].to_numpy(),
            )
        )
    ].reset_index(drop=True)


def _allocate(cp: pd.DataFrame, s: pd.DataFrame, recv: pd.DataFrame) -> _Allocation:
    """Greedy allocation: each stream in turn takes its best candidate with room for all of
    its tonnes; capacity not reported does not limit."""
    n_s = len(s)
    remaining = recv["capacity_left_t"].to_numpy(dtype=float).copy()
    remaining = np.where(np.isnan(remaining), np.inf, remaining)
    cand_recv = cp["receiver"].to_numpy()
    cand_stream = cp["stream"].to_numpy()
    starts = np.flatnonzero(np.r_[True, cand_stream[1:] != cand_stream[:-1]]) if len(cp) else []
    ends = np.r_[starts[1:], len(cp)] if len(cp) else []
    chosen = np.full(n_s, -1, dtype=np.int64)  # row of cp chosen for each stream
    left_after = np.full(len(cp), np.nan)
    largest_left = np.full(n_s, np.nan)
    need_t = s["quantity_t"].to_numpy(dtype=float)
    # A hand-written loop on purpose: greedy allocation is sequential by nature (each choice
    # changes the capacity the next stream sees); the work per stream is vectorised.
    for a, b in zip(starts, ends, strict=True):
        i = cand_stream[a]
        need = need_t[i]
        room = remaining[cand_recv[a:b]]
        fits = room >= need - 1e-9
        if not fits.any():
            largest_left[i] = float(room.max())
            continue
        j = a + int(np.argmax(fits))
        chosen[i] = j
        remaining[cand_recv[j]] -= need
        left_after[j] = remaining[cand_recv[j]]
    left_after[np.isinf(left_after)] = np.nan  # not limited: shown as not reported
    return _Allocation(chosen, left_after, largest_left, remaining)


def _candidates_table(
    s: pd.DataFrame,
    recv: pd.DataFrame,
    recv_ids: np.ndarray,
    rules: pd.DataFrame,
    cp: pd.DataFrame,
    chosen: np.ndarray,
) -> pd.DataFrame:
    """Every feasible pair, readable, in allocation order, with whether it was chosen."""
    cand_stream, cand_recv = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    return pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[cand_stream],
            "economic_region": s["economic_region"].to_numpy()[cand_stream],
            "receiver_kind": recv["receiver_kind"].to_numpy()[cand_recv],
            "receiver_id": recv_ids[cand_recv],
            "rule_id": rules["rule_id"].to_numpy()[cp["rule"].to_numpy()],
            "hierarchy_level": rules["hierarchy_level"].to_numpy()[cp["rule"].to_numpy()],
            "straight_km": cp["straight_km"].to_numpy(),
            "road_km": cp["road_km"].to_numpy(),
            "tonne_km": cp["tonne_km"].to_numpy(),
            "score": cp["score"].to_numpy(),
            "chosen": np.isin(np.arange(len(cp)), chosen[chosen >= 0]),
        }
    )
