"""Circular options: match waste streams that are not yet recovered to receivers that can use them.

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

Performance: candidate pairs come from a shapely ``STRtree`` queried once per (rule, EWC code)
group with a distance predicate, and everything else is vectorised with numpy and pandas; only
the greedy allocation walks the streams in order, which it must (each choice changes the
capacity left for the next). ``benchmarks/bench_circular.py`` measures 20,000 streams against
2,000 receivers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .data import codes
from .data.geography import GEOGRAPHIC_CRS, PROJECTED_CRS

# Reading and checking the rules is intake (the pre-flight checks a study's rules file before
# any kernel starts): it lives in iwm_study.data.rules, and is offered here too.
from .data.rules import RULES_FILE, RULES_TABLE, check_rules, load_rules, shipped_rules_path

if TYPE_CHECKING:
    import geopandas as gpd

    from .data.study import Study

__all__ = [
    "HIERARCHY_ORDER",
    "IMPACT_LABELS",
    "MATCH_COLUMNS",
    "NOT_RECOVERED_FATES",
    "REASONS",
    "RULES_FILE",
    "RULES_TABLE",
    "TOP_COLUMNS",
    "TWIN_DISTANCE_M",
    "UNMATCHED_COLUMNS",
    "UNMATCHED_SHOWN",
    "MatchSettings",
    "Matching",
    "add_options_layer",
    "by_receiver",
    "by_rule",
    "check_rules",
    "data_gaps",
    "impact",
    "impact_table",
    "is_not_recovered",
    "key_figures",
    "load_rules",
    "match_streams",
    "match_study",
    "reasons_table",
    "receivers",
    "recovery_rate_pct",
    "shipped_rules_path",
    "styled",
    "summary_markdown",
]

#: An enterprise this close (m) to a facility of the same NACE division is that facility.
TWIN_DISTANCE_M = 100.0

#: Fates of a stream that is not recovered yet: the candidates for matching. A blank fate (not
#: reported) counts too. A stream whose operation is a final recovery operation (R1-R11) is
#: recovered whatever its fate says, and is left out.
NOT_RECOVERED_FATES: tuple[str, ...] = ("landfilled", "kept_on_site", "unknown")

#: Rank of the hierarchy levels a rule's operation may have (Directive 2008/98/EC Art. 4).
HIERARCHY_ORDER: tuple[str, ...] = ("recycling", "other_recovery")

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


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Streams and receivers
# --------------------------------------------------------------------------------------------


def is_not_recovered(streams: pd.DataFrame) -> pd.Series:
    """True for the streams the matching tries to place: fate landfilled, kept on site, unknown
    or blank, and no final recovery operation (R1-R11) reported."""
    ops = codes.waste_operations().set_index("code")
    final_recovery = set(ops.index[(ops["kind"] == "recovery") & ~ops["interim"]])
    fate = streams["fate"]
    open_fate = fate.isna() | fate.isin(NOT_RECOVERED_FATES)
    return (open_fate & ~streams["operation"].isin(final_recovery)).astype(bool)


def _xy(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected x, y (metres) and whether the point exists, for a GeoSeries of points."""
    has = (~geometry.isna() & ~geometry.is_empty).to_numpy()
    x = np.full(len(geometry), np.nan)
    y = np.full(len(geometry), np.nan)
    if has.any():
        projected = geometry[has].to_crs(PROJECTED_CRS)
        x[has] = projected.x.to_numpy()
        y[has] = projected.y.to_numpy()
    return x, y, has


def _lonlat(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    has = (~geometry.isna() & ~geometry.is_empty).to_numpy()
    lon = np.full(len(geometry), np.nan)
    lat = np.full(len(geometry), np.nan)
    if has.any():
        geo = geometry[has].to_crs(GEOGRAPHIC_CRS)
        lon[has] = geo.x.to_numpy()
        lat[has] = geo.y.to_numpy()
    return lon, lat


def receivers(
    enterprises: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, streams: pd.DataFrame
) -> pd.DataFrame:
    """Every possible receiver: the facilities, then the enterprises (as users of secondary
    materials, by their NACE code), with projected coordinates and the capacity left.

    ``capacity_left_t`` = ``capacity_t_yr`` less the tonnes the inventory already sends there
    (``destination_facility_id`` of streams that stay where they go, i.e. are not candidates),
    never below 0; NaN when the capacity is not reported (then not limited). Enterprises report
    no capacity and no permit for hazardous waste.
    """
    fac = facilities
    flows = streams[~is_not_recovered(streams) & streams["destination_facility_id"].notna()]
    load = flows.groupby("destination_facility_id")["quantity_t"].sum()
    fx, fy, _ = _xy(fac.geometry)
    flon, flat = _lonlat(fac.geometry)
    capacity = pd.to_numeric(fac["capacity_t_yr"], errors="coerce").astype(float).to_numpy()
    existing = fac["facility_id"].map(load).fillna(0.0).astype(float).to_numpy()
    left = np.where(np.isnan(capacity), np.nan, np.maximum(capacity - existing, 0.0))
    fac_part = pd.DataFrame(
        {
            "receiver_kind": "facility",
            "receiver_id": fac["facility_id"].astype(str).to_numpy(),
            "receiver_name": fac["name"].astype(str).to_numpy(),
            "receiver_type": fac["facility_type"].astype(str).to_numpy(),
            "economic_region": fac["economic_region"].to_numpy(),
            "nace_code": fac["nace_code"].to_numpy() if "nace_code" in fac else None,
            "hazardous_permitted": fac["hazardous_permitted"].fillna(False).astype(bool).to_numpy(),
            "capacity_t": capacity,
            "existing_load_t": existing,
            "capacity_left_t": left,
            "accepted": list(fac["accepted_ewc_list"]) if len(fac) else [],
            "operations": list(fac["operations_list"]) if len(fac) else [],
            "x": fx,
            "y": fy,
            "lon": flon,
            "lat": flat,
        }
    )
    ent = enterprises
    ex, ey, _ = _xy(ent.geometry)
    elon, elat = _lonlat(ent.geometry)
    ent_part = pd.DataFrame(
        {
            "receiver_kind": "enterprise",
            "receiver_id": ent["enterprise_id"].astype(str).to_numpy(),
            "receiver_name": ent["name"].astype(str).to_numpy(),
            "receiver_type": "enterprise",
            "economic_region": ent["economic_region"].to_numpy(),
            "nace_code": ent["nace_code"].to_numpy(),
            "hazardous_permitted": False,
            "capacity_t": np.nan,
            "existing_load_t": 0.0,
            "capacity_left_t": np.nan,
            "accepted": None,
            "operations": None,
            "x": ex,
            "y": ey,
            "lon": elon,
            "lat": elat,
        }
    )
    parts = [p for p in (fac_part, ent_part) if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else fac_part
    out["nace_code"] = out["nace_code"].astype(object).where(out["nace_code"].notna(), None)
    out["twin_of"] = _twins(out)
    return out


def _twins(recv: pd.DataFrame) -> pd.Series:
    """For each enterprise listed again as a facility, the facility's id (else None).

    A study may list a plant twice: as an enterprise that generates waste and as a facility
    that takes some. An enterprise within ``TWIN_DISTANCE_M`` of a facility of the same NACE
    division is taken to be that facility, so that its capacity is not counted twice (the
    facility, which declares what it accepts and how much, stands for both).
    """
    import shapely

    out = pd.Series(None, index=recv.index, dtype=object)
    fac = recv[
        (recv["receiver_kind"] == "facility") & recv["x"].notna() & recv["nace_code"].notna()
    ]
    ent = recv[
        (recv["receiver_kind"] == "enterprise") & recv["x"].notna() & recv["nace_code"].notna()
    ]
    if fac.empty or ent.empty:
        return out
    tree = shapely.STRtree(shapely.points(fac["x"].to_numpy(), fac["y"].to_numpy()))
    qe, qf = tree.query(
        shapely.points(ent["x"].to_numpy(), ent["y"].to_numpy()),
        predicate="dwithin",
        distance=TWIN_DISTANCE_M,
    )
    pairs = pd.DataFrame(
        {
            "ent": ent.index.to_numpy()[qe],
            "fac_id": fac["receiver_id"].to_numpy()[qf],
            "same": ent["nace_code"].str[:2].to_numpy()[qe]
            == fac["nace_code"].str[:2].to_numpy()[qf],
        }
    )
    pairs = pairs[pairs["same"]].sort_values(["ent", "fac_id"]).drop_duplicates("ent")
    out[pairs["ent"].to_numpy()] = pairs["fac_id"].to_numpy()
    return out


def _rule_receivers(rules: pd.DataFrame, recv: pd.DataFrame) -> list[np.ndarray]:
    """For each rule (in order), the positions of the receivers it names.

    A facility qualifies when its type is the rule's facility type (if given), its NACE code
    falls under the rule's NACE code (if given), and it carries out the rule's operation. An
    enterprise qualifies when the rule gives a NACE code its own falls under and names no
    facility type other than ``secondary_user``. A code 'falls under' another when it starts
    with it: '23.51' under '23.5' and '23', but '23' not under '23.5'.
    """
    is_fac = (recv["receiver_kind"] == "facility").to_numpy()
    rtype = recv["receiver_type"].to_numpy()
    nace = recv["nace_code"].fillna("").astype(str)
    # Which receiver carries out which operation: one boolean column per operation code.
    exploded = recv["operations"].explode().dropna()
    carries = {
        op: np.isin(np.arange(len(recv)), g.index.to_numpy())
        for op, g in exploded.groupby(exploded, sort=True)
    }
    nobody = np.zeros(len(recv), dtype=bool)
    out = []
    for rule in rules.itertuples(index=False):
        mask = np.ones(len(recv), dtype=bool)
        if rule.nace_code is not None:
            mask &= nace.str.startswith(rule.nace_code).to_numpy() & (nace != "").to_numpy()
        fac_ok = is_fac & carries.get(rule.operation, nobody)
        if rule.facility_type is not None:
            fac_ok &= rtype == rule.facility_type
        ent_ok = ~is_fac & (rule.nace_code is not None)
        if rule.facility_type not in (None, "secondary_user"):
            ent_ok = nobody
        out.append(np.flatnonzero(mask & (fac_ok | ent_ok)))
    return out


def _accepting(recv: pd.DataFrame) -> dict[str, np.ndarray]:
    """Accepted EWC prefix -> positions of the facilities that list it."""
    fac = recv[recv["receiver_kind"] == "facility"]
    if fac.empty:
        return {}
    exploded = pd.DataFrame(
        {"pos": fac.index.to_numpy(), "prefix": fac["accepted"].to_numpy()}
    ).explode("prefix")
    exploded = exploded.dropna()
    return {
        p: np.unique(g["pos"].to_numpy().astype(np.int64))
        for p, g in exploded.groupby("prefix", sort=True)
    }


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


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


def _km(value: float) -> str:
    return f"{value:,.1f} km"


def _t(value: float) -> str:
    return f"{value:,.0f} t/yr" if value >= 10 else f"{value:,.2f} t/yr"


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
    import shapely

    rules = load_rules() if rules is None else rules
    settings = settings or MatchSettings()
    hier_rank = {level: i for i, level in enumerate(HIERARCHY_ORDER)}

    ent = enterprises.drop_duplicates("enterprise_id")
    recv = receivers(ent, facilities, streams)
    # Receivers without a location cannot be measured; an enterprise that is also listed as a
    # facility takes part as that facility only (see _twins).
    recv_ok = ~(np.isnan(recv["x"].to_numpy()) | np.isnan(recv["y"].to_numpy()))
    recv_ok &= recv["twin_of"].isna().to_numpy()
    rx, ry = recv["x"].to_numpy(), recv["y"].to_numpy()
    permitted = recv["hazardous_permitted"].to_numpy(dtype=bool)
    is_ent_recv = (recv["receiver_kind"] == "enterprise").to_numpy()
    fac_pos = pd.Series(np.flatnonzero(~is_ent_recv), index=recv["receiver_id"][~is_ent_recv])
    # "Itself": the enterprise as a receiver, or the facility it is listed as.
    own = np.where(
        recv["twin_of"].notna().to_numpy(),
        recv["twin_of"].map(fac_pos).fillna(-1).to_numpy(),
        np.arange(len(recv)),
    ).astype(np.int64)
    ent_recv_pos = pd.Series(own[is_ent_recv], index=recv["receiver_id"][is_ent_recv])

    # Streams: where they are, how much, and whether they are candidates.
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
    s["self_pos"] = s["enterprise_id"].map(ent_recv_pos).fillna(-1).astype(np.int64)
    code = s["ewc_code"].fillna("").str.rstrip("*").str.strip()
    s["code"] = code
    located = s["x"].notna().to_numpy() & s["y"].notna().to_numpy()
    has_t = (s["quantity_t"] > 0).to_numpy()
    open_ = s["candidate"].to_numpy() & located & has_t & (code != "").to_numpy()
    n_s = len(s)

    # 1. Stream x rule pairs: the rule's EWC prefix is the chapter, sub-chapter or code.
    rule_pos_of = pd.Series(np.arange(len(rules)), index=pd.Index(rules["ewc"].to_numpy()))
    sr_parts = []
    idx = np.flatnonzero(open_)
    for width in (2, 5, 8):
        keys = code.to_numpy()[idx]
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

    # 2-5. Per (rule, EWC code) group: the receivers that qualify, then a spatial query.
    per_rule = _rule_receivers(rules, recv)
    accepting = _accepting(recv)
    rule_haz = rules["hazardous_allowed"].to_numpy(dtype=bool)
    eligible = np.zeros(n_s, dtype=np.int64)  # receivers for the waste, any distance, not self
    haz_ok = np.zeros(n_s, dtype=np.int64)  # ... and hazard permitted
    nearest_m = np.full(n_s, np.inf)  # nearest of those (straight line)
    nearest_id = np.full(n_s, "", dtype=object)
    rule_hazard_block = np.zeros(n_s, dtype=bool)  # a rule forbids hazardous for this stream
    limit = settings.straight_limit_m
    pair_s, pair_r, pair_k = [], [], []
    recv_ids = recv["receiver_id"].to_numpy()

    for (k, ewc), grp in sr.groupby(["rule", "code"], sort=True):
        members = grp["stream"].to_numpy()
        cand = per_rule[k]
        cand = cand[recv_ok[cand]]
        if cand.size == 0:
            continue
        plain = str(ewc).rstrip("*").strip()
        acc = set()
        for key in {plain[:2], plain[:5], plain}:
            if key in accepting:
                acc.update(accepting[key].tolist())
        keep = is_ent_recv[cand] | np.isin(cand, np.fromiter(acc, dtype=np.int64, count=len(acc)))
        cand = cand[keep]
        if cand.size == 0:
            continue
        selfs = s["self_pos"].to_numpy()[members]
        self_in = np.isin(selfs, cand)
        eligible[members] += cand.size - self_in
        hazardous = bool(s["hazardous"].to_numpy()[members[0]])
        if hazardous:
            if not rule_haz[k]:
                rule_hazard_block[members] = True
                continue
            cand = cand[permitted[cand]]
            if cand.size == 0:
                continue
            self_in = np.isin(selfs, cand)
        haz_ok[members] += cand.size - self_in
        # Spatial query: a tree of the group's receivers, every member stream at once.
        tree = shapely.STRtree(shapely.points(rx[cand], ry[cand]))
        sx, sy = s["x"].to_numpy()[members], s["y"].to_numpy()[members]
        qs, qr = tree.query(shapely.points(sx, sy), predicate="dwithin", distance=limit)
        recv_pos = cand[qr]
        stream_pos = members[qs]
        not_self = recv_pos != s["self_pos"].to_numpy()[stream_pos]
        pair_s.append(stream_pos[not_self])
        pair_r.append(recv_pos[not_self])
        pair_k.append(np.full(int(not_self.sum()), k, dtype=np.int64))
        # The nearest receiver of the members that found none in range (for the reasons).
        found = np.zeros(len(members), dtype=bool)
        found[np.unique(qs[not_self])] = True
        lost = np.flatnonzero(~found)
        if lost.size:
            dx = sx[lost, None] - rx[cand][None, :]
            dy = sy[lost, None] - ry[cand][None, :]
            dist = np.hypot(dx, dy)
            dist[selfs[lost, None] == cand[None, :]] = np.inf
            best = dist.argmin(axis=1)
            best_d = dist[np.arange(lost.size), best]
            better = best_d < nearest_m[members[lost]]
            nearest_m[members[lost][better]] = best_d[better]
            nearest_id[members[lost][better]] = recv_ids[cand[best[better]]]

    if pair_s:
        cp = pd.DataFrame(
            {
                "stream": np.concatenate(pair_s),
                "receiver": np.concatenate(pair_r),
                "rule": np.concatenate(pair_k),
            }
        )
    else:
        cp = pd.DataFrame(
            {
                "stream": np.array([], dtype=np.int64),
                "receiver": np.array([], dtype=np.int64),
                "rule": np.array([], dtype=np.int64),
            }
        )
    # One rule per stream and receiver: the higher hierarchy level, then the rule listed first.
    level = rules["hierarchy_level"].map(hier_rank).to_numpy()
    cp["level"] = level[cp["rule"].to_numpy()]
    cp["order"] = rules["order"].to_numpy()[cp["rule"].to_numpy()]
    cp = cp.sort_values(["stream", "receiver", "level", "order"], kind="mergesort")
    cp = cp.drop_duplicates(["stream", "receiver"], keep="first").reset_index(drop=True)

    st, rc = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    straight = np.hypot(s["x"].to_numpy()[st] - rx[rc], s["y"].to_numpy()[st] - ry[rc]) / 1000.0
    tonnes = s["quantity_t"].to_numpy()[st]
    haz = s["hazardous"].to_numpy()[st].astype(float)
    cp["straight_km"] = straight
    cp["road_km"] = straight * settings.road_factor
    cp["tonne_km"] = tonnes * cp["road_km"].to_numpy()
    cp["score"] = tonnes * (
        1.0 + settings.hazard_weight * haz - cp["road_km"].to_numpy() / settings.breakeven_km
    )

    # Allocation: streams largest first (ties by id); each takes its best candidate with room.
    order = np.lexsort((s["stream_id"].to_numpy(), -np.nan_to_num(s["quantity_t"].to_numpy())))
    stream_rank = np.empty(n_s, dtype=np.int64)
    stream_rank[order] = np.arange(n_s)
    cp["stream_rank"] = stream_rank[st]
    cp = cp.iloc[
        np.lexsort(
            (
                recv_ids[rc],
                is_ent_recv[rc],  # at equal score a facility (it declares what it takes) first
                -cp["score"].to_numpy(),
                cp["level"].to_numpy(),
                cp["stream_rank"].to_numpy(),
            )
        )
    ].reset_index(drop=True)
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

    recv = recv.copy()
    recv["capacity_left_after_t"] = np.where(np.isinf(remaining), np.nan, remaining)

    # The candidates table, readable.
    candidates = pd.DataFrame(
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

    matches = _matches_frame(s, recv, rules, cp, chosen, left_after, settings)
    unmatched = _unmatched_frame(
        s,
        recv,
        rules,
        sr,
        open_,
        located,
        has_t,
        chosen,
        eligible,
        haz_ok,
        nearest_m,
        nearest_id,
        rule_hazard_block,
        largest_left,
        cp,
        settings,
    )
    streams_out = s.drop(columns=["x", "y", "self_pos", "code"])
    return Matching(matches, unmatched, candidates, recv, streams_out, rules, settings)


def _matches_frame(
    s: pd.DataFrame,
    recv: pd.DataFrame,
    rules: pd.DataFrame,
    cp: pd.DataFrame,
    chosen: np.ndarray,
    left_after: np.ndarray,
    settings: MatchSettings,
) -> pd.DataFrame:
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
    s: pd.DataFrame,
    recv: pd.DataFrame,
    rules: pd.DataFrame,
    sr: pd.DataFrame,
    open_: np.ndarray,
    located: np.ndarray,
    has_t: np.ndarray,
    chosen: np.ndarray,
    eligible: np.ndarray,
    haz_ok: np.ndarray,
    nearest_m: np.ndarray,
    nearest_id: np.ndarray,
    rule_hazard_block: np.ndarray,
    largest_left: np.ndarray,
    cp: pd.DataFrame,
    settings: MatchSettings,
) -> pd.DataFrame:
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
# Impact and tables
# --------------------------------------------------------------------------------------------


def recovery_rate_pct(operations: pd.Series, tonnes: pd.Series) -> float:
    """Tonnes with a recovery operation (R1-R13) / tonnes with a reported R or D operation, in %,
    the definition of the inventory's recovery rate (``iwm_study.inventory``); NaN when no
    tonne has an operation."""
    kind = operations.map(codes.waste_operations().set_index("code")["kind"])
    with_op = float(tonnes[kind.notna()].sum())
    if not with_op:
        return float("nan")
    return 100.0 * float(tonnes[kind == "recovery"].sum()) / with_op


def impact(matching: Matching) -> pd.DataFrame:
    """What the matches would change, per economic region of the source (and a total row).

    Columns: ``streams`` (all of the region), ``not_recovered`` (candidate streams) and
    ``not_recovered_t``, ``matched`` and ``matched_t``, ``from_landfill_t``,
    ``from_on_site_t``, ``from_unknown_t`` (fate unknown or blank), ``unmatched``,
    ``tonne_km``, ``co2_t`` (t CO2e of the loaded trips), ``recovery_rate_before_pct`` and
    ``recovery_rate_after_pct`` (each matched stream takes its rule's operation).
    """
    s = matching.streams
    m = matching.matches.set_index("stream_id")
    after = s["operation_before"].copy()
    hit = s["stream_id"].isin(m.index)
    after[hit] = s.loc[hit, "stream_id"].map(m["operation"])
    fate = s["fate"]
    frame = pd.DataFrame(
        {
            "economic_region": s["economic_region"].fillna("(no region)"),
            "t": s["quantity_t"].fillna(0.0),
            "cand": s["candidate"],
            "hit": hit,
            "landfill": hit & (fate == "landfilled"),
            "on_site": hit & (fate == "kept_on_site"),
            "unknown": hit & (fate.isna() | (fate == "unknown")),
            "before": s["operation_before"],
            "after": after,
        }
    )
    mm = matching.matches

    def summary(part: pd.DataFrame, moves: pd.DataFrame) -> dict[str, float]:
        t = part["t"]
        return {
            "streams": len(part),
            "not_recovered": int(part["cand"].sum()),
            "not_recovered_t": float(t[part["cand"]].sum()),
            "matched": int(part["hit"].sum()),
            "matched_t": float(t[part["hit"]].sum()),
            "from_landfill_t": float(t[part["landfill"]].sum()),
            "from_on_site_t": float(t[part["on_site"]].sum()),
            "from_unknown_t": float(t[part["unknown"]].sum()),
            "unmatched": int((part["cand"] & ~part["hit"]).sum()),
            "tonne_km": float(moves["tonne_km"].sum()),
            "co2_t": float(moves["co2_t"].sum()),
            "recovery_rate_before_pct": recovery_rate_pct(part["before"], t),
            "recovery_rate_after_pct": recovery_rate_pct(part["after"], t),
        }

    rows = {}
    for region, part in frame.groupby("economic_region", sort=True):
        rows[region] = summary(part, mm[mm["economic_region"].fillna("(no region)") == region])
    rows["Total"] = summary(frame, mm)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "economic_region"
    return out


def by_receiver(matches: pd.DataFrame, receivers_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matches grouped by receiver: streams, tonnes, tonne-km, and capacity before and after."""
    if matches.empty:
        return pd.DataFrame(
            columns=[
                "receiver_id",
                "receiver_name",
                "receiver_type",
                "streams",
                "quantity_t",
                "tonne_km",
                "capacity_t",
                "capacity_left_t",
            ]
        )
    grouped = matches.groupby(["receiver_kind", "receiver_id"], sort=True).agg(
        receiver_name=("receiver_name", "first"),
        receiver_type=("receiver_type", "first"),
        streams=("stream_id", "size"),
        quantity_t=("quantity_t", "sum"),
        tonne_km=("tonne_km", "sum"),
        capacity_t=("capacity_t", "first"),
        capacity_left_t=("capacity_left_t", "min"),
    )
    grouped = grouped.reset_index()
    grouped = grouped.sort_values(
        ["quantity_t", "receiver_id", "receiver_kind"], ascending=[False, True, True]
    )
    return grouped.drop(columns="receiver_kind").reset_index(drop=True)


def by_rule(matches: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matches grouped by rule: the option, its operation, streams, tonnes and tonne-km, and,
    given the ``rules``, each rule's rationale and source."""
    if matches.empty:
        columns = ["rule_id", "rule_title", "operation", "streams", "quantity_t", "tonne_km"]
        return pd.DataFrame(
            columns=columns + (["rationale", "source"] if rules is not None else [])
        )
    grouped = (
        matches.groupby("rule_id", sort=True)
        .agg(
            rule_title=("rule_title", "first"),
            operation=("operation", "first"),
            streams=("stream_id", "size"),
            quantity_t=("quantity_t", "sum"),
            tonne_km=("tonne_km", "sum"),
        )
        .reset_index()
    )
    grouped = grouped.sort_values(["quantity_t", "rule_id"], ascending=[False, True])
    if rules is not None:
        info = rules.set_index("rule_id")
        grouped["rationale"] = grouped["rule_id"].map(info["rationale"])
        grouped["source"] = grouped["rule_id"].map(info["source"])
    return grouped.reset_index(drop=True)


#: Columns of the top opportunities table, and of the unmatched streams table, in reports.
TOP_COLUMNS: tuple[str, ...] = (
    "rank",
    "stream_id",
    "enterprise_name",
    "ewc_code",
    "description",
    "quantity_t",
    "fate",
    "receiver_name",
    "receiver_type",
    "operation",
    "road_km",
    "tonne_km",
    "score",
)
UNMATCHED_SHOWN: tuple[str, ...] = (
    "stream_id",
    "enterprise_name",
    "ewc_code",
    "description",
    "quantity_t",
    "reason_label",
    "detail",
)
#: Rows of the impact table in reports, with their labels.
IMPACT_LABELS: dict[str, str] = {
    "not_recovered_t": "not recovered (t/yr)",
    "matched_t": "matched (t/yr)",
    "from_landfill_t": "from landfill (t/yr)",
    "from_on_site_t": "from on-site storage (t/yr)",
    "from_unknown_t": "fate unknown (t/yr)",
    "tonne_km": "tonne-km/yr",
    "co2_t": "CO2e (t/yr)",
    "recovery_rate_before_pct": "recovery rate today (%)",
    "recovery_rate_after_pct": "with the matches (%)",
}


def impact_table(impact_frame: pd.DataFrame, economic_region: str | None) -> pd.DataFrame:
    """The impact of one region beside the study's total, one labelled row per figure."""
    here = economic_region if economic_region in impact_frame.index else "Total"
    shown = impact_frame.loc[list(dict.fromkeys([here, "Total"])), list(IMPACT_LABELS)]
    return shown.rename(columns=IMPACT_LABELS).T


def key_figures(impact_frame: pd.DataFrame, economic_region: str | None) -> list[dict[str, Any]]:
    """The notebook's key figures for the index, as keyword arguments of
    ``report.record_figure``, for ``economic_region`` (None or unknown: the study's total)."""
    here = economic_region if economic_region in impact_frame.index else "Total"
    row = impact_frame.loc[here]
    return [
        dict(
            key="circular_not_recovered_t",
            value=float(row["not_recovered_t"]),
            label="Waste not yet recovered",
            unit="t/yr",
            note="landfilled, kept on site or fate unknown",
            digits=0,
        ),
        dict(
            key="circular_matched_t",
            value=float(row["matched_t"]),
            label="Waste a receiver could take instead",
            unit="t/yr",
            note=f"{int(row['matched'])} of {int(row['not_recovered'])} streams",
            digits=0,
        ),
        dict(
            key="circular_from_landfill_t",
            value=float(row["from_landfill_t"]),
            label="of which now landfilled",
            unit="t/yr",
            digits=0,
        ),
        dict(
            key="circular_from_on_site_t",
            value=float(row["from_on_site_t"]),
            label="of which now kept on site",
            unit="t/yr",
            digits=0,
        ),
        dict(
            key="circular_transport_co2_t",
            value=float(row["co2_t"]),
            label="CO2e of the transport",
            unit="t/yr",
            note=f"{row['tonne_km']:,.0f} tonne-km by road",
            digits=1,
        ),
        dict(
            key="circular_recovery_rate_before_pct",
            value=float(row["recovery_rate_before_pct"]),
            label="Recovery rate today",
            unit="%",
        ),
        dict(
            key="circular_recovery_rate_after_pct",
            value=float(row["recovery_rate_after_pct"]),
            label="Recovery rate with the matches",
            unit="%",
        ),
    ]


def data_gaps(matching: Matching) -> pd.DataFrame:
    """What would make the list more certain: each gap with the streams and tonnes it touches
    and the data that would close it. Rows with no stream are left out."""
    m = matching.matches
    u = matching.unmatched
    quality = matching.streams.set_index("stream_id")["data_quality"]
    estimated = m["stream_id"].map(quality).eq("estimated").to_numpy()
    open_fate = (m["fate"].isna() | (m["fate"] == "unknown")).to_numpy()
    rows = [
        (
            "Receiver's capacity not reported",
            m["capacity_t"].isna().to_numpy(),
            m,
            "The receiver's yearly intake for this waste (the match assumes it has room).",
        ),
        (
            "Enterprise matched by its sector only",
            (m["receiver_kind"] == "enterprise").to_numpy(),
            m,
            "Confirmation from the enterprise that it can use the material (specification, "
            "trial batch, permit).",
        ),
        (
            "Quantity estimated, not measured",
            estimated,
            m,
            "Weighed or calculated quantities from the generator.",
        ),
        (
            "Present fate unknown or not reported",
            open_fate,
            m,
            "Where the waste goes today, so the diversion is not counted twice.",
        ),
        (
            "No receiver within the distance limit",
            (u["reason"] == "none_in_range").to_numpy(),
            u,
            "Road distances and transport costs to farther receivers, or plans for a nearer one.",
        ),
        (
            "No rule for the waste",
            (u["reason"] == "no_rule").to_numpy(),
            u,
            "A known use of the waste, added as a rule in the study's rules file with its source.",
        ),
        (
            "No receiver of the kind the rules name",
            (u["reason"].isin(["no_receiver", "hazardous_not_permitted"])).to_numpy(),
            u,
            "Facilities (and their permits) missing from the facilities table.",
        ),
    ]
    records = []
    for gap, mask, frame, needed in rows:
        if mask.any():
            records.append(
                {
                    "gap": gap,
                    "streams": int(mask.sum()),
                    "quantity_t": float(frame["quantity_t"].to_numpy()[mask].sum()),
                    "data_needed": needed,
                }
            )
    return pd.DataFrame(records, columns=["gap", "streams", "quantity_t", "data_needed"])


def summary_markdown(matching: Matching, top_n: int = 3) -> str:
    """The top opportunities in a few sentences of Markdown (data escaped for HTML)."""
    m = matching.matches
    if m.empty:
        return "No stream found a receiver under the rules and the distance limit."
    e = html.escape
    lines = []
    for r in m.head(top_n).itertuples(index=False):
        kind = "hazardous " if r.hazardous else ""
        before = {
            "landfilled": "is landfilled",
            "kept_on_site": "is kept on site",
            "unknown": "goes nobody knows where",
        }.get(r.fate, "has no reported fate")
        lines.append(
            f"{r.rank}. **{e(str(r.enterprise_name))}** produces {_t(r.quantity_t)} of "
            f"{kind}{e(str(r.description)).lower()} (EWC {e(str(r.ewc_code))}), which {before}. "
            f"**{e(str(r.receiver_name))}** ({e(str(r.receiver_type))}, "
            f"{e(str(r.receiver_region))}) could take it {_km(r.road_km)} away by road through "
            f"{e(str(r.operation))}: {e(str(r.rule_title)).lower()} (rule {e(str(r.rule_id))})."
        )
    return "\n".join(lines)


def styled(frame: pd.DataFrame, formats: dict[str, str] | None = None, caption: str | None = None):
    """``report.table`` with every text column HTML-escaped (names and descriptions come from
    the survey and must reach the report as text)."""
    from .report import table

    text = [c for c in frame.columns if frame[c].dtype == object]
    styler = table(frame, formats, caption)
    return styler.format(escape="html", subset=text, na_rep="") if text else styler


def reasons_table(unmatched: pd.DataFrame) -> pd.DataFrame:
    """Unmatched streams counted by reason, in the order the reasons are tested."""
    counts = unmatched.groupby("reason").agg(
        streams=("stream_id", "size"), quantity_t=("quantity_t", "sum")
    )
    counts = counts.reindex([r for r in REASONS if r in counts.index])
    counts.insert(0, "reason_label", [REASONS[r] for r in counts.index])
    return counts.reset_index()


# --------------------------------------------------------------------------------------------
# Map
# --------------------------------------------------------------------------------------------

LINE_COLOURS = {"recycling": "#009E73", "other_recovery": "#E69F00"}  # Okabe-Ito


def _safe_text(text: Any) -> str:
    """Text for a folium tooltip: HTML-escaped, and safe inside the JavaScript template literal
    folium writes it into (backquote, dollar and backslash as character references)."""
    out = html.escape(str(text), quote=True)
    for char, ref in (("\\", "&#92;"), ("`", "&#96;"), ("$", "&#36;")):
        out = out.replace(char, ref)
    return out


def add_options_layer(waste_map: Any, matches: pd.DataFrame, top_n: int | None = None) -> Any:
    """Draw matches as lines from source to receiver on a map of ``iwm_study.maps``.

    ``waste_map`` is a ``maps.WasteMap`` (its ``folium_map`` is used). The lines form one
    GeoJSON layer, "Circular options", placed before the layer control (whose script must come
    after every layer's). Line width grows with the tonnes (square root); colour gives the
    hierarchy level of the operation; the tooltip names stream, source, receiver, operation,
    road distance and rule, every text HTML-escaped. Returns ``waste_map``.
    """
    import folium
    from folium import LayerControl

    frame = matches if top_n is None else matches.head(top_n)
    ends = frame[["source_lon", "source_lat", "receiver_lon", "receiver_lat"]].astype(float)
    frame = frame[ends.notna().all(axis=1).to_numpy()]
    largest = float(frame["quantity_t"].max()) if len(frame) else 0.0
    features = []
    for r in frame.itertuples(index=False):
        width = 1.5 + 6.5 * float(np.sqrt(float(r.quantity_t) / largest)) if largest > 0 else 1.5
        tip = (
            f"#{r.rank} {r.stream_id} ({r.ewc_code}, {_t(r.quantity_t)}): {r.enterprise_name} to "
            f"{r.receiver_name} ({r.receiver_id}), {r.operation}, {_km(r.road_km)} by road, "
            f"rule {r.rule_id}"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(float(r.source_lon), 5), round(float(r.source_lat), 5)],
                        [round(float(r.receiver_lon), 5), round(float(r.receiver_lat), 5)],
                    ],
                },
                "properties": {
                    "tip": _safe_text(tip),
                    "style": {
                        "color": LINE_COLOURS.get(r.hierarchy_level, "#555555"),
                        "weight": round(width, 2),
                        "opacity": 0.8,
                    },
                },
            }
        )
    fmap = waste_map.folium_map
    children = list(fmap._children.items())
    at = next((i for i, (_, c) in enumerate(children) if isinstance(c, LayerControl)), None)
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=html.escape("Circular options (t/yr)"),
        # folium refuses a tooltip field on an empty collection (a region with no match)
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
        if features
        else None,
        show=True,
    )
    layer.add_to(fmap)
    if at is not None:
        # folium's LayerControl names the layers it finds at render time, but its script must
        # come after theirs: move the new layer before it (maps.py has no hook for this yet).
        items = list(fmap._children.items())
        items.insert(at, items.pop())
        fmap._children.clear()
        fmap._children.update(items)
    return waste_map
