"""Criteria values from a study: one function per catalogue criterion, regions and enterprises.

``region_criteria`` and ``enterprise_criteria`` compute, from a ``Study``, the criteria of the
catalogue in ``iwm_study.config`` (``REGION_CRITERIA``, ``ENTERPRISE_CRITERIA``: label, unit,
usual direction, source and how it is computed); ``CRITERION_FUNCTIONS`` implements each entry
(a test checks that the two agree); ``complete_cases`` sets aside the alternatives with a value
missing. Region criteria come from the survey, the facilities table, or the optional regional
statistics table (``Study.regional_statistics``, which describes every region before any survey).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..config import REGION_CRITERIA, economic_region_names
from ..config.selection import STATISTICS_TABLE
from ..data import codes
from ..data.schema import RECP_LEVELS
from .problem import ScoringError

if TYPE_CHECKING:
    import geopandas as gpd

    from ..data import Study

__all__ = [
    "CRITERION_FUNCTIONS",
    "LANDFILL_FATES",
    "NOT_RECOVERED_FATES",
    "complete_cases",
    "enterprise_criteria",
    "region_criteria",
    "regional_statistics",
]

#: The fate sets of the criteria, as names of the code table's fate groups (the boolean columns
#: of ``fate_categories.csv``, see its README): ``LANDFILL_FATES``, landfilled or kept on site
#: (region criterion ``landfill_share``); ``NOT_RECOVERED_FATES``, landfilled, kept on site or
#: incinerated (enterprise criterion ``not_recovered_share``).
_FATE_SETS = {"LANDFILL_FATES": "landfill_like", "NOT_RECOVERED_FATES": "not_recovered"}

if TYPE_CHECKING:  # served by __getattr__ below
    LANDFILL_FATES: tuple[str, ...]
    NOT_RECOVERED_FATES: tuple[str, ...]


def __getattr__(name: str) -> Any:
    """``LANDFILL_FATES`` and ``NOT_RECOVERED_FATES``, read from the code table when used."""
    if name in _FATE_SETS:
        return codes.fates_where(_FATE_SETS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class _Inputs:
    """What the criterion functions read: streams and enterprises keyed by alternative."""

    index: pd.Index  # the alternatives
    streams: pd.DataFrame  # key, quantity_t, hazardous, fate
    enterprises: pd.DataFrame  # key, nace_section, employees, recp_level
    facilities: pd.DataFrame | None = None
    shapes: gpd.GeoDataFrame | None = None
    recycling_distance_km: float = 0.0
    statistics: pd.DataFrame | None = None  # indexed by economic_region


def _sum_by_key(frame: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    return frame.groupby("key")[column].sum().reindex(index, fill_value=0.0).astype(float)


def _waste_t(i: _Inputs) -> pd.Series:
    return _sum_by_key(i.streams, "quantity_t", i.index)


def _share_of_waste(i: _Inputs, mask: pd.Series) -> pd.Series:
    """Tonnes of the streams in ``mask`` over all tonnes; missing where there are no tonnes."""
    part = _sum_by_key(i.streams[mask], "quantity_t", i.index)
    total = _waste_t(i)
    return part / total.where(total > 0)


def _hazardous_share(i: _Inputs) -> pd.Series:
    return _share_of_waste(i, i.streams["hazardous"].fillna(False).astype(bool))


def _fate_share(group: str) -> Callable[[_Inputs], pd.Series]:
    """The share of the waste whose fate is in a fate group of the code table."""

    def share(i: _Inputs) -> pd.Series:
        fates = codes.fates_where(group)
        return _share_of_waste(i, i.streams["fate"].isin(fates).fillna(False).astype(bool))

    return share


def _manufacturing_enterprises(i: _Inputs) -> pd.Series:
    manufacturing = i.enterprises[i.enterprises["nace_section"] == "C"]
    return manufacturing.groupby("key").size().reindex(i.index, fill_value=0).astype(float)


def _mean_recp(i: _Inputs) -> pd.Series:
    return i.enterprises.groupby("key")["recp_level"].mean().reindex(i.index).astype(float)


def _employees(i: _Inputs) -> pd.Series:
    return i.enterprises.set_index("key")["employees"].reindex(i.index).astype(float)


def _recp_level(i: _Inputs) -> pd.Series:
    return i.enterprises.set_index("key")["recp_level"].reindex(i.index).astype(float)


def _waste_intensity(i: _Inputs) -> pd.Series:
    employees = _employees(i)
    return _waste_t(i) / employees.where(employees > 0)


def _recycling_capacity_t(i: _Inputs) -> pd.Series:
    """Capacity of recycling facilities in each region or within the distance of its boundary."""
    from ..data import geography

    out = pd.Series(0.0, index=i.index)
    fac = i.facilities
    if fac is None or fac.empty:
        return out
    ops = codes.waste_operations()
    recycling = set(ops.loc[ops["hierarchy_level"] == "recycling", "code"])
    recyclers = fac[fac["operations_list"].map(lambda items: bool(recycling & set(items or ())))]
    if recyclers.empty:
        return out
    capacity = recyclers["capacity_t_yr"].astype(float).fillna(0.0).to_numpy()
    in_region = recyclers["economic_region"].to_numpy()
    near = np.zeros((len(i.index), len(recyclers)), dtype=bool)
    if i.recycling_distance_km > 0 and i.shapes is not None:
        points = geography.to_projected(recyclers[["geometry"]]).geometry
        shapes = geography.to_projected(i.shapes).set_index("economic_region").geometry
        for row, region in enumerate(i.index):
            if region in shapes.index:
                distance = points.distance(shapes.loc[region]).to_numpy()
                near[row] = distance <= i.recycling_distance_km * 1000.0
    for row, region in enumerate(i.index):
        out.iloc[row] = capacity[(in_region == region) | near[row]].sum()
    return out


def _statistic(column: str) -> Callable[[_Inputs], pd.Series]:
    """A column of the regional statistics as it stands (missing for a region without a row
    or with a blank cell)."""

    def value(i: _Inputs) -> pd.Series:
        if i.statistics is None:
            raise ScoringError(f"criterion '{column}' needs the {STATISTICS_TABLE} table.")
        column_values = pd.to_numeric(i.statistics[column], errors="coerce")
        return column_values.reindex(i.index).astype(float)

    return value


#: The implementation of every catalogue entry of ``iwm_study.config.SELECTION_CRITERIA``.
CRITERION_FUNCTIONS: dict[str, dict[str, Callable[[_Inputs], pd.Series]]] = {
    "region": {
        "waste_t": _waste_t,
        "hazardous_share": _hazardous_share,
        "manufacturing_enterprises": _manufacturing_enterprises,
        "landfill_share": _fate_share(_FATE_SETS["LANDFILL_FATES"]),
        "recycling_capacity_t": _recycling_capacity_t,
        "recp_interest": _mean_recp,
        "waste_generated_t": _statistic("waste_generated_t"),
        "industrial_output_mazn": _statistic("industrial_output_mazn"),
        "enterprises": _statistic("enterprises"),
        "employees": _statistic("employees"),
    },
    "enterprise": {
        "waste_t": _waste_t,
        "hazardous_share": _hazardous_share,
        "waste_intensity": _waste_intensity,
        "not_recovered_share": _fate_share(_FATE_SETS["NOT_RECOVERED_FATES"]),
        "employees": _employees,
        "recp_interest": _recp_level,
    },
}


def _recp_levels(series: pd.Series) -> pd.Series:
    return series.map({level: float(n) for n, level in enumerate(RECP_LEVELS)})


def regional_statistics(statistics: pd.DataFrame) -> pd.DataFrame:
    """The regional statistics indexed by economic region (a column or the index already); a
    region listed twice raises ``ScoringError`` naming it."""
    frame = (
        statistics.set_index("economic_region") if "economic_region" in statistics else statistics
    )
    twice = frame.index[frame.index.duplicated()]
    if len(twice):
        raise ScoringError(
            f"the {STATISTICS_TABLE} table lists economic region '{twice[0]}' more than once; "
            "give each region one row."
        )
    return frame


def region_criteria(
    study: Study,
    regions: Sequence[str] | None = None,
    recycling_distance_km: float = 50.0,
    region_shapes: gpd.GeoDataFrame | None = None,
    *,
    criteria: Sequence[str] | None = None,
    statistics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Region criteria of the catalogue, one row per economic region (default: all 14).

    ``criteria``: the names to compute, in that order (default: every criterion the data
    allows; those of the statistics only when there is a statistics table). ``statistics``:
    the regional statistics table (default ``study.regional_statistics``); asking for one of
    its criteria without it raises ``ScoringError`` naming the criterion and the table.
    ``region_shapes`` (columns economic_region, geometry) default to the bundled boundaries;
    recycling facilities within ``recycling_distance_km`` of a region's boundary count as
    nearby. A share is missing (NaN) for a region without recorded waste, a statistic for a
    region without a row or with a blank cell.
    """
    if statistics is None:
        statistics = getattr(study, "regional_statistics", None)
    if criteria is None:
        names = [
            n
            for n, c in REGION_CRITERIA.items()
            if c.source != "statistics" or statistics is not None
        ]
    else:
        names = list(criteria)
    unknown = [n for n in names if n not in CRITERION_FUNCTIONS["region"]]
    if unknown:
        raise ScoringError(
            f"not a region criterion: {', '.join(unknown)}; known: "
            f"{', '.join(CRITERION_FUNCTIONS['region'])}."
        )
    needs_statistics = [n for n in names if REGION_CRITERIA[n].source == "statistics"]
    if needs_statistics and statistics is None:
        raise ScoringError(
            f"criteria {', '.join(needs_statistics)} are read from the {STATISTICS_TABLE} table "
            "of the study data, and the study has none: add the table (one row per economic "
            "region), or rank on criteria of the survey or the facilities (region_selection."
            "criteria)."
        )
    ent = study.enterprises
    key = ent.set_index("enterprise_id")["economic_region"]
    streams = study.waste_streams.assign(key=study.waste_streams["enterprise_id"].map(key))
    enterprises = pd.DataFrame(
        {
            "key": ent["economic_region"].to_numpy(),
            "nace_section": ent["nace_section"].to_numpy(),
            "employees": ent["employees"].astype(float).to_numpy(),
            "recp_level": _recp_levels(ent["recp_interest"]).to_numpy(),
        }
    )
    if region_shapes is None and recycling_distance_km > 0 and "recycling_capacity_t" in names:
        from ..data import geography

        region_shapes = geography.economic_regions()
    index = pd.Index(list(regions or economic_region_names()), name="economic_region")
    inputs = _Inputs(
        index,
        streams,
        enterprises,
        study.facilities,
        region_shapes,
        recycling_distance_km,
        None if statistics is None else regional_statistics(statistics),
    )
    functions = CRITERION_FUNCTIONS["region"]
    return pd.DataFrame({n: functions[n](inputs) for n in names}, index=index)


def enterprise_criteria(study: Study) -> pd.DataFrame:
    """Every enterprise criterion of the catalogue, one row per enterprise (index enterprise_id).

    Shares are missing (NaN) for an enterprise without recorded waste and the intensity for
    one with no employees; ``complete_cases`` separates them before ranking.
    """
    ent = study.enterprises
    streams = study.waste_streams.assign(key=study.waste_streams["enterprise_id"])
    enterprises = pd.DataFrame(
        {
            "key": ent["enterprise_id"].to_numpy(),
            "nace_section": ent["nace_section"].to_numpy(),
            "employees": ent["employees"].astype(float).to_numpy(),
            "recp_level": _recp_levels(ent["recp_interest"]).to_numpy(),
        }
    )
    index = pd.Index(ent["enterprise_id"].to_numpy(), name="enterprise_id")
    inputs = _Inputs(index, streams, enterprises)
    return pd.DataFrame({n: f(inputs) for n, f in CRITERION_FUNCTIONS["enterprise"].items()})


def complete_cases(values: pd.DataFrame, criteria: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Split alternatives into those with every criterion known and the others.

    Returns the complete rows and, for each incomplete alternative, the criteria it lacks
    (comma-separated), so a report can say why it was not ranked.
    """
    missing = values[list(criteria)].isna()
    incomplete = missing.any(axis=1)
    lacking = pd.Series(
        [", ".join(missing.columns[row]) for row in missing[incomplete].to_numpy()],
        index=values.index[incomplete],
        name="missing",
        dtype=object,
    )
    return values[~incomplete], lacking
