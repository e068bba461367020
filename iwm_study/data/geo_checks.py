"""The geographic rules: sites inside Azerbaijan, not swapped, inside the district and economic
region they claim (the reference geography of ``data.geography``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .checker import Checker, closest
from .issues import Issue
from .readers import RawTable


@dataclass(frozen=True)
class GeoSettings:
    """Tolerances for the geographic checks, in metres (boundaries are simplified)."""

    district_tolerance_m: float = 1000.0
    country_tolerance_m: float = 2000.0


def check_geography(out: pd.DataFrame, raw: RawTable, issues: list[Issue], settings: GeoSettings):
    """Coordinates inside Azerbaijan, not swapped, inside the district and region they claim.

    Returns a GeoDataFrame of the rows with points (geometry for valid coordinates).
    """
    import geopandas as gpd

    from . import geography

    chk = Checker(raw, issues)
    districts = geography.districts()
    region_of = dict(zip(districts["district"], districts["economic_region"], strict=True))
    regions = set(districts["economic_region"])
    # Names first: the region and district must exist, and the district must lie in the region.
    for row, value in out["economic_region"].dropna().items():
        if value not in regions:
            chk.add(
                "unknown-region",
                f"'{value}' is not one of the 14 economic regions.",
                row=row,
                column="economic_region",
                value=value,
                hint=closest(value, regions) or "Regions: " + ", ".join(sorted(regions)) + ".",
            )
    for row, value in out["district"].dropna().items():
        if value not in region_of:
            chk.add(
                "unknown-district",
                f"'{value}' is not a district of Azerbaijan in the reference geography.",
                row=row,
                column="district",
                value=value,
                hint=closest(value, region_of),
            )
        else:
            claimed = out.at[row, "economic_region"]
            if claimed in regions and region_of[value] != claimed:
                chk.add(
                    "district-region-mismatch",
                    f"the district '{value}' belongs to the {region_of[value]} economic region, not {claimed}.",
                    row=row,
                    column="district",
                    value=value,
                    hint="Correct the district or the economic region.",
                )
    lon, lat = out["longitude"], out["latitude"]
    bad_range = lon.notna() & lat.notna() & ((lon.abs() > 180) | (lat.abs() > 90))
    for row in out.index[bad_range]:
        chk.add(
            "coordinates-range",
            f"({lon[row]}, {lat[row]}) are not longitude and latitude in degrees.",
            row=row,
            column="longitude",
            value=f"{lon[row]}, {lat[row]}",
            hint="Give decimal degrees, WGS 84 (e.g. 49.87, 40.41).",
        )
    has_point = lon.notna() & lat.notna() & ~bad_range
    gdf = gpd.GeoDataFrame(
        out,
        geometry=gpd.points_from_xy(lon.where(has_point), lat.where(has_point)),
        crs=geography.GEOGRAPHIC_CRS,
    )
    gdf.loc[~has_point, "geometry"] = None
    if not has_point.any():
        return gdf
    pts = gdf.loc[has_point, ["geometry"]].to_crs(geography.PROJECTED_CRS)
    d_proj = geography.to_projected(districts)
    country = d_proj.union_all()
    outside = pts.distance(country) > settings.country_tolerance_m
    if outside.any():
        swapped = gpd.GeoSeries(
            gpd.points_from_xy(lat[outside.index[outside]], lon[outside.index[outside]]),
            index=outside.index[outside],
            crs=geography.GEOGRAPHIC_CRS,
        )
        swapped_in = (
            swapped.to_crs(geography.PROJECTED_CRS).distance(country)
            <= settings.country_tolerance_m
        )
        for row in outside.index[outside]:
            value = f"{lon[row]}, {lat[row]}"
            if swapped_in[row]:
                chk.add(
                    "lat-lon-swapped",
                    f"longitude {lon[row]} and latitude {lat[row]} look swapped: as given the "
                    f"point lies outside Azerbaijan, and read the other way round "
                    f"({lat[row]}, {lon[row]}) it lies inside.",
                    row=row,
                    column="longitude",
                    value=value,
                    hint="Exchange the longitude and latitude values.",
                )
            else:
                chk.add(
                    "outside-country",
                    f"the point ({value}) lies outside Azerbaijan.",
                    row=row,
                    column="longitude",
                    value=value,
                    hint="Azerbaijan spans about 44.8-50.6 E and 38.4-41.9 N; check the coordinates.",
                )
        pts = pts[~outside]
    # Where each point really is, and how far it lies from the district it claims.
    located = gpd.sjoin_nearest(
        pts, d_proj[["district", "economic_region", "geometry"]], how="left"
    )
    located = located[~located.index.duplicated(keep="first")]
    polys = d_proj.set_index("district").geometry
    for row in pts.index:
        claimed_d = out.at[row, "district"]
        claimed_r = out.at[row, "economic_region"]
        actual_d, actual_r = located.at[row, "district"], located.at[row, "economic_region"]
        value = f"{lon[row]}, {lat[row]}"
        if claimed_d in polys.index:
            dist = pts.geometry[row].distance(polys[claimed_d])
            if dist > settings.district_tolerance_m:
                chk.add(
                    "outside-district",
                    f"the point ({value}) lies {dist / 1000:.1f} km outside {claimed_d}, in {actual_d} ({actual_r}).",
                    row=row,
                    column="district",
                    value=claimed_d,
                    hint="Correct the coordinates or the district.",
                )
        elif claimed_r in regions and actual_r != claimed_r:
            chk.add(
                "outside-region",
                f"the point ({value}) lies in {actual_r}, not in the {claimed_r} economic region it claims.",
                row=row,
                column="economic_region",
                value=claimed_r,
                hint="Correct the coordinates or the economic region.",
            )
    return gdf
