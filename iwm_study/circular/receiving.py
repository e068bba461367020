"""Who could take the waste: the streams not yet recovered, and every receiver with its capacity.

A receiver is a facility (by its type, accepted EWC codes, operations and permit for hazardous
waste) or an enterprise (as a user of secondary materials, by its NACE code); :func:`receivers`
lists them with projected coordinates and the capacity they have left, and finds the enterprises
that are also listed as a facility. ``_rule_receivers`` and ``_accepting`` say which receivers
each rule names and which facilities accept which EWC prefix: the inputs of the search in
:mod:`.matching`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import codes
from ..data.geography import GEOGRAPHIC_CRS, PROJECTED_CRS

if TYPE_CHECKING:
    import geopandas as gpd

#: An enterprise this close (m) to a facility of the same NACE division is that facility.
TWIN_DISTANCE_M = 100.0

if TYPE_CHECKING:  # served by __getattr__ below
    NOT_RECOVERED_FATES: tuple[str, ...]


def __getattr__(name: str) -> Any:
    """``NOT_RECOVERED_FATES``: the fates of a stream that is not recovered yet, the candidates
    for matching, read from the code table when used (the fate group ``open_for_matching`` of
    ``fate_categories.csv``: landfilled, kept on site, unknown)."""
    if name == "NOT_RECOVERED_FATES":
        return codes.fates_where("open_for_matching")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_not_recovered(streams: pd.DataFrame) -> pd.Series:
    """True for the streams the matching tries to place: a fate of the code table's group
    ``open_for_matching`` (landfilled, kept on site, unknown) or blank (not reported), and no
    final recovery operation (R1-R11) reported: such a stream is recovered whatever its fate
    says, and is left out."""
    ops = codes.waste_operations().set_index("code")
    final_recovery = set(ops.index[(ops["kind"] == "recovery") & ~ops["interim"]])
    fate = streams["fate"]
    open_fate = fate.isna() | fate.isin(codes.fates_where("open_for_matching"))
    return (open_fate & ~streams["operation"].isin(final_recovery)).astype(bool)


def _coordinates(geometry: gpd.GeoSeries, crs: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x and y of a GeoSeries of points in ``crs`` (NaN where there is no point), and whether
    each point exists."""
    has = (~geometry.isna() & ~geometry.is_empty).to_numpy()
    x = np.full(len(geometry), np.nan)
    y = np.full(len(geometry), np.nan)
    if has.any():
        moved = geometry[has].to_crs(crs)
        x[has] = moved.x.to_numpy()
        y[has] = moved.y.to_numpy()
    return x, y, has


def _xy(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Projected x, y (metres) and whether the point exists, for a GeoSeries of points."""
    return _coordinates(geometry, PROJECTED_CRS)


def _lonlat(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (WGS 84) of a GeoSeries of points."""
    return _coordinates(geometry, GEOGRAPHIC_CRS)[:2]


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
