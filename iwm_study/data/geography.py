"""Reference geography of Azerbaijan bundled with the package.

Reads ``iwm_study/data/reference/az_geography.gpkg`` (built by ``scripts/build_geography.py``; see
``reference/README.md`` beside it for sources and licences):

* :func:`districts` - the 78 districts (rayons and cities) from Natural Earth admin-1,
* :func:`economic_regions` - the 14 economic regions dissolved from them,
* :func:`towns` - GeoNames places of 5,000+ people, each with its district and region.

Layers are read once and cached; every call returns a fresh copy that the caller may modify.
geopandas is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "GEOGRAPHIC_CRS",
    "PROJECTED_CRS",
    "districts",
    "economic_regions",
    "reference_path",
    "to_projected",
    "towns",
]

#: CRS of the bundled layers (longitude/latitude, WGS 84).
GEOGRAPHIC_CRS = "EPSG:4326"
#: Metric CRS for areas, distances and buffers: WGS 84 / UTM zone 39N covers most of Azerbaijan
#: (Nakhchivan, further west, is still usable at this scale). This is the one place it is chosen.
PROJECTED_CRS = "EPSG:32639"

_REFERENCE_FILE = "az_geography.gpkg"


def reference_path() -> Path:
    """Path of the bundled GeoPackage inside the installed package."""
    resource = resources.files("iwm_study.data") / "reference" / _REFERENCE_FILE
    path = Path(str(resource))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; rebuild it with scripts/build_geography.py "
            "(see iwm_study/data/reference/README.md)"
        )
    return path


@lru_cache(maxsize=8)  # three layers
def _read_layer(layer: str) -> GeoDataFrame:
    import geopandas as gpd

    return gpd.read_file(reference_path(), layer=layer, engine="pyogrio")


def districts() -> GeoDataFrame:
    """The 78 districts: district, kind (city/rayon), economic_region, ne_fips, ne_gn_name."""
    return _read_layer("districts").copy()


def economic_regions() -> GeoDataFrame:
    """The 14 economic regions: economic_region, n_districts (dissolved from the districts)."""
    return _read_layer("economic_regions").copy()


def towns() -> GeoDataFrame:
    """GeoNames towns (points): name, ascii_name, population, district, economic_region."""
    return _read_layer("towns").copy()


def to_projected(gdf: GeoDataFrame) -> GeoDataFrame:
    """Reproject ``gdf`` to :data:`PROJECTED_CRS` (metres) for areas and distances."""
    if gdf.crs is None:
        raise ValueError("GeoDataFrame has no CRS; set it (e.g. GEOGRAPHIC_CRS) before projecting")
    return gdf.to_crs(PROJECTED_CRS)
