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
* **Kind.** A circular option, or safer treatment of hazardous waste (the rule:
  :func:`.results.option_kinds`); the matches table shows it (``option_kind``).
* **Allocation.** Capacity is shared between streams and never counted twice: streams are
  served one at a time, largest tonnes first (ties by stream id), each by its best candidate
  that still has room for the whole stream. Best means a circular option before safer
  treatment, then higher in the waste hierarchy (recycling before other recovery, Directive
  2008/98/EC Art. 4), then the higher score, then a facility before an enterprise (a facility
  declares what it accepts and how much), then the receiver id. Capacity not reported
  (enterprises never report it) does not limit. An enterprise also listed as a facility (same
  NACE division, within ``TWIN_DISTANCE_M``) takes part as that facility only.
* **Score.** ``score = tonnes * weight * (1 - road_km / breakeven_km)``: the tonnes diverted,
  weighted by the option's place in the waste hierarchy (1 for recycling,
  ``other_recovery_weight`` for energy and other recovery, ``safer_treatment_weight`` for safer
  treatment whatever its R code), less a transport penalty that cancels them at
  ``breakeven_km`` by road. A hazardous tonne counts as any other: the hazard decides who may
  take the waste and the option's kind, not its weight. Each match shows the parts of its
  score (``quantity_t``, ``score_weight``, ``road_km``).
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
from ..data.rules import load_rules
from .receiving import _accepting, _lonlat, _rule_receivers, _xy, is_not_recovered, receivers
from .results import OPTION_KINDS, _candidates_table, _matches_frame, _unmatched_frame, option_kinds

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
    * ``max_distance_km`` 50 by road and ``breakeven_km`` 100: choices of this toolkit, to be
      set by each study.
    * ``other_recovery_weight`` 0.5 and ``safer_treatment_weight`` 0.25: what a tonne counts in
      the score against a recycled tonne (1), for energy recovery and other recovery (R1, R10)
      and for safer treatment. Assumptions of this toolkit that only keep the order of the waste
      hierarchy (Directive 2008/98/EC Art. 4: recycling, other recovery, then disposal); a
      study may set its own, between 0 and 1.
    """

    max_distance_km: float = 50.0
    road_factor: float = 1.3
    co2_kg_per_tkm: float = 0.124
    breakeven_km: float = 100.0
    other_recovery_weight: float = 0.5
    safer_treatment_weight: float = 0.25

    def __post_init__(self) -> None:
        unit = "must be between 0 and 1 (a recycled tonne counts 1)"
        checks = {  # setting: (whether it is fine, the rule it breaks otherwise)
            "max_distance_km": (self.max_distance_km > 0, "must be more than 0 km"),
            "road_factor": (
                self.road_factor >= 1,
                "must be at least 1 (a road is never shorter than a straight line)",
            ),
            "co2_kg_per_tkm": (self.co2_kg_per_tkm >= 0, "must not be negative"),
            "breakeven_km": (self.breakeven_km > 0, "must be more than 0 km"),
            "other_recovery_weight": (0 <= self.other_recovery_weight <= 1, unit),
            "safer_treatment_weight": (0 <= self.safer_treatment_weight <= 1, unit),
        }
        bad = [f"{k} = {getattr(self, k)!r} {rule}" for k, (ok, rule) in checks.items() if not ok]
        if bad:
            raise ValueError("circular settings: " + "; ".join(bad) + ".")

    @property
    def straight_limit_m(self) -> float:
        """The distance limit as a straight line in the projected CRS, in metres."""
        return self.max_distance_km * 1000.0 / self.road_factor

    def describe(self) -> str:
        """The settings in one sentence, for reports (``explain.settings_text``)."""
        from .explain import settings_text

        return settings_text(self)

    def weights(self, level: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """The score weight of each option, by its hierarchy level and its kind."""
        weight = np.where(level == "recycling", 1.0, self.other_recovery_weight)
        return np.where(kind == OPTION_KINDS[1], self.safer_treatment_weight, weight)


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

    When several rules join the same stream and receiver, a circular option wins over safer
    treatment, then the rule higher in the hierarchy, then the one listed first. Kind,
    allocation and score: see the module docstring.
    """
    rules = load_rules() if rules is None else rules
    settings = settings or MatchSettings()

    ent = enterprises.drop_duplicates("enterprise_id")
    recv = _receiver_arrays(receivers(ent, facilities, streams))
    placed = _placed_streams(streams, ent, recv)
    sr = _rule_pairs(placed, rules)  # condition 1
    cp, search = _search(placed, sr, rules, recv, settings)  # conditions 2-5
    s = placed.frame
    cp = _one_rule_per_pair(cp, rules, s, recv)
    _score(cp, s, recv, rules, settings)
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


def _one_rule_per_pair(
    cp: pd.DataFrame, rules: pd.DataFrame, s: pd.DataFrame, recv: _Receivers
) -> pd.DataFrame:
    """One rule per stream and receiver: a circular option before safer treatment, then the
    higher hierarchy level, then the rule listed first; with the pair's ``kind`` and
    ``kind_rank`` (0 = circular), ``level`` (0 = highest) and the rule's ``order``."""
    st, rc, rule = cp["stream"].to_numpy(), cp["receiver"].to_numpy(), cp["rule"].to_numpy()
    cp["kind"] = option_kinds(
        s["hazardous"].to_numpy()[st],
        rules["operation"].to_numpy()[rule],
        recv.frame["receiver_type"].to_numpy()[rc],
    )
    cp["kind_rank"] = (cp["kind"] != OPTION_KINDS[0]).astype(np.int64)
    hier_rank = {level: i for i, level in enumerate(_hierarchy_order())}
    cp["level"] = rules["hierarchy_level"].map(hier_rank).to_numpy()[rule]
    cp["order"] = rules["order"].to_numpy()[rule]
    cp = cp.sort_values(["stream", "receiver", "kind_rank", "level", "order"], kind="mergesort")
    return cp.drop_duplicates(["stream", "receiver"], keep="first").reset_index(drop=True)


def _score(
    cp: pd.DataFrame,
    s: pd.DataFrame,
    recv: _Receivers,
    rules: pd.DataFrame,
    settings: MatchSettings,
) -> None:
    """Add each pair's distances (km), tonne-km, score weight and score (see the module
    docstring)."""
    st, rc = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    straight = np.hypot(s["x"].to_numpy()[st] - recv.x[rc], s["y"].to_numpy()[st] - recv.y[rc])
    straight = straight / 1000.0
    tonnes = s["quantity_t"].to_numpy()[st]
    level = rules["hierarchy_level"].to_numpy()[cp["rule"].to_numpy()]
    cp["straight_km"] = straight
    cp["road_km"] = straight * settings.road_factor
    cp["tonne_km"] = tonnes * cp["road_km"].to_numpy()
    cp["weight"] = settings.weights(level, cp["kind"].to_numpy())
    cp["score"] = (
        tonnes * cp["weight"].to_numpy() * (1.0 - cp["road_km"].to_numpy() / settings.breakeven_km)
    )


def _in_allocation_order(cp: pd.DataFrame, s: pd.DataFrame, recv: _Receivers) -> pd.DataFrame:
    """The pairs in the order the allocation reads them: streams largest first (ties by id),
    and each stream's candidates best first (kind, hierarchy, score, facility, receiver id)."""
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
                cp["kind_rank"].to_numpy(),
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
