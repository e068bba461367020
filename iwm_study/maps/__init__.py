"""Waste maps: an interactive map that works offline and a static map for print.

``interactive_map(study, economic_region)`` draws, with folium and Leaflet, the layers a reader
can switch on and off: the districts coloured by the waste generated in them (classes by a stated
method), or, for an area whose waste lies in fewer than three districts (Baku is one), the
waste summed on a grid of hexagons; district and economic-region boundaries, the enterprises as
proportional symbols, their hazardous waste, the facilities that receive waste, and towns for
orientation; with a collapsible legend, a scale bar, the data attributions and the
synthetic-data note. ``static_map`` draws the same layers with geopandas and matplotlib, with a
north arrow and a scale bar, for print and PDF; in a report it is the interactive map's print
twin. Every text either shows is in the report's language (``iwm_study.i18n``).

The route, computation first:

* :mod:`.classes`: what the maps show, computed (classes, colours, symbol sizes, labels, the
  district and enterprise tables); pure functions, shared by both maps.
* :mod:`.hexgrid`: the grid of hexagons (projected CRS) and the waste summed on it.
* :mod:`.views`: which view an area gets (districts or hexagons, :func:`region_view`), the
  report's paragraph on it (:func:`view_text`) and the table behind it (:func:`view_table`).
* :mod:`.payloads`: the interactive map's layers and legend as JSON-ready data.
* :mod:`.page`: :class:`WasteMap`, the self-contained page: offline (Leaflet and the page's own
  ``assets/iwm_map.js`` and ``assets/iwm_map.css`` inlined), safe (data reaches the page only as
  escaped JSON, drawn with ``textContent``) and reproducible (element ids numbered in tree
  order); :meth:`WasteMap.add_layer` adds a layer of one's own; in a notebook the map shows
  with its print twin (a PNG of the static map, for print media only).
* :mod:`.interactive`: :func:`interactive_map`, the folium layers in the order the page needs.
* :mod:`.static`: :func:`static_map`, with matplotlib.

Scale: every vector layer is drawn on one canvas (Leaflet's ``preferCanvas``), which keeps tens
of thousands of symbols responsive; above ``MapSettings.detail_limit`` enterprises the symbols
appear only from ``detail_zoom`` on and the district choropleth is the overview.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from . import classes, hexgrid, views  # noqa: F401 (hexgrid, views: offered as maps.hexgrid...)
from .classes import (
    CLASSIFICATION_METHODS,
    MapSettings,
    class_breaks,
    classify,
    district_table,
    district_waste,
    enterprise_totals,
    hazard_class,
    main_streams,
)
from .interactive import interactive_map
from .page import WasteMap, leaflet_assets
from .static import static_map
from .views import CELL_HEADERS, MapView, cell_table, region_view, view_table, view_text

# Public as well, as they were in the single module maps.py, though not in __all__:
from .classes import CHOROPLETH_CMAP as CHOROPLETH_CMAP  # isort: skip
from .classes import CHOROPLETH_RANGE as CHOROPLETH_RANGE  # isort: skip
from .classes import COLOUR_BY as COLOUR_BY  # isort: skip
from .classes import LAND_COLOUR as LAND_COLOUR  # isort: skip
from .classes import LINE_COLOUR as LINE_COLOUR  # isort: skip
from .classes import N_SECTOR_COLOURS as N_SECTOR_COLOURS  # isort: skip
from .classes import OUTSIDE_COLOUR as OUTSIDE_COLOUR  # isort: skip
from .classes import RADIUS_MAX_PX as RADIUS_MAX_PX  # isort: skip
from .classes import RADIUS_MIN_PX as RADIUS_MIN_PX  # isort: skip
from .classes import SYMBOL_EDGE as SYMBOL_EDGE  # isort: skip
from .classes import UNIT as UNIT  # isort: skip
from .classes import class_colours as class_colours  # isort: skip
from .classes import class_labels as class_labels  # isort: skip
from .classes import size_key as size_key  # isort: skip
from .classes import symbol_radius as symbol_radius  # isort: skip
from .page import LEAFLET_PACKAGE as LEAFLET_PACKAGE  # isort: skip
from .static import grid_north_angle as grid_north_angle  # isort: skip
from .static import scale_bar_length as scale_bar_length  # isort: skip

# ... and, read from the code tables when used (classes serves them the same way):
# FACILITY_COLOURS, FACILITY_LABELS (codes.colours / codes.labels("facility_type")) and
# HAZARD_CLASSES.
_FROM_CODE_TABLES = ("FACILITY_COLOURS", "FACILITY_LABELS", "HAZARD_CLASSES")

if _TYPE_CHECKING:
    from .classes import FACILITY_COLOURS as FACILITY_COLOURS
    from .classes import FACILITY_LABELS as FACILITY_LABELS
    from .classes import HAZARD_CLASSES as HAZARD_CLASSES


def __getattr__(name: str) -> _Any:
    if name in _FROM_CODE_TABLES:
        return getattr(classes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_CODE_TABLES})


__all__ = [
    "CELL_HEADERS",
    "CLASSIFICATION_METHODS",
    "MapSettings",
    "MapView",
    "WasteMap",
    "cell_table",
    "class_breaks",
    "classify",
    "district_table",
    "district_waste",
    "enterprise_totals",
    "hazard_class",
    "interactive_map",
    "leaflet_assets",
    "main_streams",
    "region_view",
    "static_map",
    "view_table",
    "view_text",
]
