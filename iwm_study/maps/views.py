"""Which view of the waste a map gives: districts, or hexagons for a region of few districts.

:func:`region_view` decides once, for the interactive map, the static map and the report's
prose and table alike. The rule (``MapSettings.hex_below``, 3 by default): when fewer than
``hex_below`` districts of the area have waste (t/yr above zero), a district choropleth would
have one or two classes and say "1 of 1 district, 100 %"; the map then shows the waste on a
grid of hexagons (:mod:`.hexgrid`) and the districts only as boundaries. Every other area keeps
the district choropleth. :func:`view_text` says in the report which view the map gives and why;
:func:`view_table` is the table behind it (:func:`.classes.district_table` or
:func:`cell_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..data import geography
from ..i18n import N_, _, format_number, ngettext
from .classes import (
    MapSettings,
    _area,
    _in_region,
    class_labels,
    class_names,
    district_table,
    district_waste,
    enterprise_totals,
)
from .hexgrid import hex_area_km2, hex_waste

if TYPE_CHECKING:
    import geopandas as gpd

    from ..data.study import Study

#: The two views a map can give.
VIEWS = ("districts", "hexagons")


@dataclass(frozen=True)
class MapView:
    """What a map of an area shows: ``kind`` (one of ``VIEWS``), the area's districts with
    their waste (:func:`.classes.district_waste`), and for the hexagon view the cells
    (:func:`.hexgrid.hex_waste`, projected CRS; None for districts)."""

    kind: str
    districts: gpd.GeoDataFrame
    cells: gpd.GeoDataFrame | None
    where: str

    @property
    def districts_with_waste(self) -> list[str]:
        """The area's districts whose enterprises generate waste, by name."""
        dist = self.districts
        return sorted(dist.loc[dist["waste_t"].fillna(0) > 0, "district"].astype(str))

    @property
    def width_m(self) -> float | None:
        """The width of a hexagon across flats (m); None for the district view."""
        return None if self.cells is None else float(self.cells.attrs["width_m"])

    @property
    def breaks(self) -> list[float]:
        """The class bounds of the view's shading (districts or hexagons)."""
        shaded = self.districts if self.cells is None else self.cells
        return list(shaded.attrs["breaks"])


def uses_hexagons(dist: pd.DataFrame, n_sites: int, settings: MapSettings) -> bool:
    """True when the area's waste lies in fewer than ``settings.hex_below`` districts and there
    is at least one enterprise to put on the grid."""
    with_waste = int((dist["waste_t"].fillna(0) > 0).sum())
    return n_sites > 0 and with_waste < settings.hex_below


def view_of(
    totals: pd.DataFrame,
    area: gpd.GeoDataFrame,
    settings: MapSettings,
    where: str,
) -> MapView:
    """The view of ``area`` for the enterprises ``totals`` (:func:`.classes.enterprise_totals`)."""
    dist = district_waste(totals, area, settings.classification, settings.n_classes)
    if not uses_hexagons(dist, len(totals), settings):
        return MapView("districts", dist, None, where)
    towns = geography.towns()
    towns = towns[towns["district"].isin(area["district"])]
    cells = hex_waste(
        totals, settings.hex_width_m, settings.classification, settings.n_classes, towns
    )
    return MapView("hexagons", dist, cells, where)


def region_view(
    study: Study,
    economic_region: str | None = None,
    settings: MapSettings | None = None,
    *,
    title: str | None = None,
) -> MapView:
    """The view the maps of ``economic_region`` (None: the country) give, with its data;
    ``title``: how the report names the area (default: the region's name)."""
    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    _districts, area, _regions = _area(economic_region)
    where = title or economic_region or _("Azerbaijan")
    return view_of(enterprise_totals(ent, streams), area, settings, where)


def width_text(width_m: float) -> str:
    """A cell's width as the report writes it: '5 km', '500 m'."""
    if width_m >= 1000:
        km = width_m / 1000
        return _("{km} km").format(km=format_number(km, 0 if km == int(km) else 1))
    return _("{m} m").format(m=format_number(width_m, 0))


def view_text(view: MapView) -> str:
    """The report's paragraph (Markdown) on how the map shades the waste, and why so."""
    if view.kind == "districts":
        return _(
            "**Districts** are shaded by the waste their surveyed enterprises generate in a "
            "year (t/yr): the darker, the more. The classes and the method that cut them are in "
            "the legend; districts without a surveyed enterprise stay unshaded. Hover over a "
            "district for its figures."
        )
    names = view.districts_with_waste
    n_all = len(view.districts)
    cells = view.cells
    assert cells is not None
    if not names:
        why = _(
            "The surveyed enterprises of {where} report no waste: a map of districts would "
            "show nothing."
        ).format(where=view.where)
    elif n_all == 1:
        why = _(
            "{where} is a single district ({names}): a map of districts would show one shade "
            "for the whole region."
        ).format(where=view.where, names=names[0])
    else:
        why = ngettext(
            "The waste of {where} arises in {n} of its {total} districts ({names}): a map of "
            "districts would show a single shade.",
            "The waste of {where} arises in {n} of its {total} districts ({names}): a map of "
            "districts would show only {n} shades.",
            len(names),
        ).format(where=view.where, n=len(names), names=", ".join(names), total=n_all)
    what = ngettext(
        "**Hexagons.** The map sums the waste instead on a grid of hexagons {width} across "
        "({area} km² each), sized to the spread of the sites: each hexagon is shaded by the "
        "waste its enterprises generate in a year (t/yr), the darker, the more. Only the "
        "hexagon that holds an enterprise is drawn.",
        "**Hexagons.** The map sums the waste instead on a grid of hexagons {width} across "
        "({area} km² each), sized to the spread of the sites: each hexagon is shaded by the "
        "waste its enterprises generate in a year (t/yr), the darker, the more. Only the {n} "
        "hexagons that hold an enterprise are drawn.",
        len(cells),
    ).format(
        width=width_text(float(view.width_m or 0)),
        area=format_number(hex_area_km2(float(view.width_m or 0)), 1),
        n=len(cells),
    )
    how = _(
        "Hover over a hexagon for its figures; click it for its largest enterprises. The "
        "enterprises themselves are a layer to switch on in the layer list (top right); the "
        "district boundaries stay drawn."
    )
    return f"{why} {what} {how}"


#: Report headers (with units) and number formats of :func:`cell_table`, for ``report.table``.
CELL_HEADERS: dict[str, tuple[str, str | None]] = {
    "hexagon": (N_("Hexagon"), None),
    "near": (N_("Nearest town"), None),
    "enterprises": (N_("Enterprises surveyed"), "{:,}"),
    "waste_t": (N_("Waste (t/yr)"), "{:,.0f}"),
    "hazardous_t": (N_("Hazardous waste (t/yr)"), "{:,.0f}"),
    "share_pct": (N_("Share of the waste (%)"), "{:.1f}"),
    "largest": (N_("Largest enterprise"), None),
    "map_class": (N_("Map class"), None),
}


def cell_name(number: int) -> str:
    """The name of a hexagon on the map and in the table: 'Hexagon 3' (1 = the most waste)."""
    return _("Hexagon {number}").format(number=number)


def cell_table(view: MapView) -> pd.DataFrame:
    """The hexagons as a table for the report, the most waste first: name, nearest town,
    enterprises, waste and hazardous waste (t/yr), share of the area's waste (%), the largest
    enterprise and the class."""
    cells = view.cells
    if cells is None:
        raise ValueError("the map shows districts, not hexagons: see district_table")
    total = float(cells["waste_t"].sum())
    labels = class_labels(cells["waste_t"], cells.attrs["breaks"])
    return pd.DataFrame(
        {
            "hexagon": [cell_name(int(n)) for n in cells["number"]],
            "near": cells["near"].astype(str),
            "enterprises": cells["n_enterprises"].astype(int),
            "waste_t": cells["waste_t"].astype(float),
            "hazardous_t": cells["hazardous_t"].astype(float),
            "share_pct": (100 * cells["waste_t"] / total) if total else 0.0,
            "largest": [str(top[0][0]) if top else "" for top in cells["top"]],
            "map_class": class_names(cells["class"], labels),
        }
    ).reset_index(drop=True)


def view_table(
    study: Study, economic_region: str | None = None, settings: MapSettings | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, str | None]], str]:
    """The table behind the map's shading, its headers and its caption (in English, as
    ``report.table`` translates captions): the districts
    (:func:`.classes.district_table`) or the hexagons (:func:`cell_table`)."""
    from .classes import DISTRICT_HEADERS

    view = region_view(study, economic_region, settings)
    if view.kind == "districts":
        return (
            district_table(study, economic_region, settings),
            DISTRICT_HEADERS,
            N_("Waste generated per district (t/yr)"),
        )
    return cell_table(view), CELL_HEADERS, N_("Waste generated per hexagon (t/yr)")
