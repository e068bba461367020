"""The geographic rules: sites inside Azerbaijan, not swapped, inside the district and economic
region they claim (the reference geography of ``data.geography``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..i18n import _, format_number
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
    # Columns as dictionaries: a survey has thousands of rows, and a frame's cell costs
    # tens of microseconds to read (``.at``), a dictionary's nothing.
    claimed_district = out["district"].to_dict()
    claimed_region = out["economic_region"].to_dict()
    # Names first: the region and district must exist, and the district must lie in the region.
    for row, value in out["economic_region"].dropna().items():
        if value not in regions:
            chk.add(
                "unknown-region",
                _("'{value}' is not one of the 14 economic regions.").format(value=value),
                row=row,
                column="economic_region",
                value=value,
                hint=closest(value, regions)
                or _("Regions: {regions}.").format(regions=", ".join(sorted(regions))),
            )
    for row, value in out["district"].dropna().items():
        if value not in region_of:
            chk.add(
                "unknown-district",
                _("'{value}' is not a district of Azerbaijan in the reference geography.").format(
                    value=value
                ),
                row=row,
                column="district",
                value=value,
                hint=closest(value, region_of),
            )
        else:
            claimed = claimed_region[row]
            if claimed in regions and region_of[value] != claimed:
                chk.add(
                    "district-region-mismatch",
                    _(
                        "the district '{district}' belongs to the {region} economic region, not "
                        "{claimed}."
                    ).format(district=value, region=region_of[value], claimed=claimed),
                    row=row,
                    column="district",
                    value=value,
                    hint=_("Correct the district or the economic region."),
                )
    lon, lat = out["longitude"], out["latitude"]
    bad_range = lon.notna() & lat.notna() & ((lon.abs() > 180) | (lat.abs() > 90))
    for row in out.index[bad_range]:
        chk.add(
            "coordinates-range",
            _("({longitude}, {latitude}) are not longitude and latitude in degrees.").format(
                longitude=lon[row], latitude=lat[row]
            ),
            row=row,
            column="longitude",
            value=f"{lon[row]}, {lat[row]}",
            hint=_("Give decimal degrees, WGS 84 (e.g. 49.87, 40.41)."),
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
                    _(
                        "longitude {longitude} and latitude {latitude} look swapped: as given the "
                        "point lies outside Azerbaijan, and read the other way round "
                        "({latitude}, {longitude}) it lies inside."
                    ).format(longitude=lon[row], latitude=lat[row]),
                    row=row,
                    column="longitude",
                    value=value,
                    hint=_("Exchange the longitude and latitude values."),
                )
            else:
                chk.add(
                    "outside-country",
                    _("the point ({point}) lies outside Azerbaijan.").format(point=value),
                    row=row,
                    column="longitude",
                    value=value,
                    hint=_(
                        "Azerbaijan spans about 44.8-50.6 E and 38.4-41.9 N; check the coordinates."
                    ),
                )
        pts = pts[~outside]
    # Where each point really is, and how far it lies from the district it claims.
    located = gpd.sjoin_nearest(
        pts, d_proj[["district", "economic_region", "geometry"]], how="left"
    )
    located = located[~located.index.duplicated(keep="first")]
    polys = d_proj.set_index("district").geometry.to_dict()
    actual_district = located["district"].to_dict()
    actual_region = located["economic_region"].to_dict()
    point = pts.geometry.to_dict()
    lons, lats = lon.to_dict(), lat.to_dict()
    for row in pts.index:
        claimed_d, claimed_r = claimed_district[row], claimed_region[row]
        actual_d, actual_r = actual_district[row], actual_region[row]
        value = f"{lons[row]}, {lats[row]}"
        if claimed_d in polys:
            dist = point[row].distance(polys[claimed_d])
            if dist > settings.district_tolerance_m:
                chk.add(
                    "outside-district",
                    _(
                        "the point ({point}) lies {km} km outside {claimed}, in {district} "
                        "({region})."
                    ).format(
                        point=value,
                        km=format_number(dist / 1000, 1),
                        claimed=claimed_d,
                        district=actual_d,
                        region=actual_r,
                    ),
                    row=row,
                    column="district",
                    value=claimed_d,
                    hint=_("Correct the coordinates or the district."),
                )
        elif claimed_r in regions and actual_r != claimed_r:
            chk.add(
                "outside-region",
                _(
                    "the point ({point}) lies in {region}, not in the {claimed} economic region it "
                    "claims."
                ).format(point=value, region=actual_r, claimed=claimed_r),
                row=row,
                column="economic_region",
                value=claimed_r,
                hint=_("Correct the coordinates or the economic region."),
            )
    return gdf
