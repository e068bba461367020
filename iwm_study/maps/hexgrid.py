"""Waste on a grid of hexagons: the map of a region with too few districts for a choropleth.

A region whose waste lies in one or two districts (Baku is one polygon) says nothing through a
district choropleth: one class, '1 of 1 district', 100 %. Its waste is summed instead on a grid
of regular hexagons drawn in the projected CRS (``geography.PROJECTED_CRS``, UTM zone 39N,
metres), where every cell has the same area, so that the tonnes of neighbouring cells compare.

The grid: pointy-top hexagons of width ``w`` across flats (also the distance between the
centres of two neighbouring cells), anchored at the origin of the projected CRS, so a cell is
the same on every run and in every region. Cell ``(q, r)`` (axial coordinates) has its centre
at ``x = w (q + r/2)``, ``y = w r √3/2``. A point belongs to the cell whose centre is nearest
(cube rounding of its fractional axial coordinates, :func:`hex_index`), which is the hexagon
that contains it; a point exactly on an edge goes where numpy's rounding (half to even) sends
it, the same every time. The polygons are built with shapely (:func:`hex_polygon`).

The cell width is sized from the sites' spread (:func:`hex_width`): a round length (1, 2 or 5
times a power of ten) near a tenth of the larger side of the sites' bounding box, 500 m at
least: Baku's demo sites spread 70 km east-west, so its hexagons are 5 km across.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import geography
from .classes import class_breaks, classify

if TYPE_CHECKING:
    import geopandas as gpd
    import shapely

#: About this many cells across the larger side of the sites' spread (see :func:`hex_width`).
HEX_CELLS_ACROSS = 10
#: No hexagon is narrower than this (m): a cluster of sites in one town gets cells of a
#: neighbourhood, not of a building.
HEX_MIN_WIDTH_M = 500.0
#: Enterprises named in a cell's pop-up, largest first.
CELL_TOP_ENTERPRISES = 3

_SQRT3 = math.sqrt(3.0)


def hex_width(
    x: Sequence[float],
    y: Sequence[float],
    cells_across: int = HEX_CELLS_ACROSS,
    min_width_m: float = HEX_MIN_WIDTH_M,
) -> float:
    """The width across flats (m) of the cells for sites at projected ``x``, ``y`` (m): the
    largest of 1, 2 or 5 times a power of ten not above the larger side of their bounding box
    divided by ``cells_across``, and at least ``min_width_m``."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if xs.size == 0:
        return float(min_width_m)
    spread = max(float(np.ptp(xs)), float(np.ptp(ys)))
    target = spread / cells_across
    if target <= min_width_m:
        return float(min_width_m)
    exp = math.floor(math.log10(target))
    return float(max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target))


def hex_index(
    x: Sequence[float], y: Sequence[float], width_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """The cell ``(q, r)`` of each point (projected metres) on the grid of ``width_m``: the
    cell whose centre is nearest, by cube rounding of the fractional axial coordinates."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rf = 2.0 * ys / (_SQRT3 * width_m)
    qf = xs / width_m - rf / 2.0
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(int), r.astype(int)


def hex_centre(q: int, r: int, width_m: float) -> tuple[float, float]:
    """The centre (projected metres) of cell ``(q, r)``."""
    return width_m * (q + r / 2.0), width_m * r * _SQRT3 / 2.0


def hex_polygon(q: int, r: int, width_m: float) -> shapely.Polygon:
    """The hexagon of cell ``(q, r)`` (pointy-top, projected metres), counter-clockwise from
    its upper right vertex."""
    from shapely import Polygon

    cx, cy = hex_centre(q, r, width_m)
    radius = width_m / _SQRT3
    angles = [math.radians(30 + 60 * k) for k in range(6)]
    return Polygon([(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles])


def hex_area_km2(width_m: float) -> float:
    """The area of one cell (km²): √3/2 times the width squared."""
    return _SQRT3 / 2.0 * width_m**2 / 1e6


def hex_waste(
    totals: pd.DataFrame,
    width_m: float | None = None,
    method: str = "quantiles",
    n_classes: int = 5,
    towns: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The cells of the grid that hold an enterprise, with their waste, in the projected CRS.

    ``totals``: :func:`.classes.enterprise_totals` (coordinates, ``waste_t``,
    ``hazardous_t``, ``name``). One row per cell, largest waste first (ties by ``q``, ``r``):
    ``q``, ``r``, ``number`` (1 = the most waste), ``n_enterprises``, ``waste_t``,
    ``hazardous_t`` (t/yr), ``class`` (see :func:`.classes.class_breaks`), ``top``: the
    cell's largest enterprises as ``(name, tonnes)`` pairs, ``near``: the name of the town
    nearest the cell's centre among ``towns`` (empty without towns). ``attrs``: ``breaks``,
    ``method`` and ``width_m`` (None: sized from the sites by :func:`hex_width`)."""
    import geopandas as gpd
    from pyproj import Transformer

    to_map = Transformer.from_crs(geography.GEOGRAPHIC_CRS, geography.PROJECTED_CRS, always_xy=True)
    x, y = to_map.transform(
        totals["longitude"].to_numpy(dtype=float), totals["latitude"].to_numpy(dtype=float)
    )
    x, y = np.atleast_1d(x), np.atleast_1d(y)
    width = float(width_m) if width_m else hex_width(x, y)
    q, r = hex_index(x, y, width)
    sites = pd.DataFrame(
        {
            "q": q,
            "r": r,
            "name": totals["name"].astype(str).to_numpy(),
            "id": totals.index.astype(str).to_numpy(),
            "waste_t": totals["waste_t"].to_numpy(dtype=float),
            "hazardous_t": totals["hazardous_t"].to_numpy(dtype=float),
        }
    )
    by = sites.groupby(["q", "r"], sort=True)
    cells = by.agg(
        n_enterprises=("id", "size"), waste_t=("waste_t", "sum"), hazardous_t=("hazardous_t", "sum")
    ).reset_index()
    ranked = sites.sort_values(["waste_t", "id"], ascending=[False, True], kind="stable")
    top = {
        key: list(zip(g["name"], g["waste_t"], strict=True))[:CELL_TOP_ENTERPRISES]
        for key, g in ranked.groupby(["q", "r"], sort=False)
    }
    cells["top"] = [top[(a, b)] for a, b in zip(cells["q"], cells["r"], strict=True)]
    cells = cells.sort_values(
        ["waste_t", "q", "r"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
    cells.insert(2, "number", np.arange(1, len(cells) + 1))
    geometry = [hex_polygon(a, b, width) for a, b in zip(cells["q"], cells["r"], strict=True)]
    out = gpd.GeoDataFrame(cells, geometry=geometry, crs=geography.PROJECTED_CRS)
    out["near"] = _nearest_town(out, towns)
    breaks = class_breaks(out["waste_t"], method, n_classes)
    out["class"] = classify(out["waste_t"], breaks)
    out.attrs.update(breaks=breaks, method=method, width_m=width)
    return out


def _nearest_town(cells: gpd.GeoDataFrame, towns: gpd.GeoDataFrame | None) -> list[str]:
    """The name of the town nearest each cell's centre (ties: the larger town, then the name)."""
    if towns is None or towns.empty or cells.empty:
        return [""] * len(cells)
    places = geography.to_projected(towns).sort_values(
        ["population", "name"], ascending=[False, True], kind="stable"
    )
    tx, ty = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
    names = places["name"].astype(str).to_numpy()
    out = []
    for c in cells.geometry.centroid:
        distance = np.hypot(tx - c.x, ty - c.y)
        out.append(str(names[int(np.argmin(distance))]))  # argmin: the first of equals
    return out
