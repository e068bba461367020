"""The interactive map's layers as data: the JSON-ready payloads its script draws, and the legend.

Each function turns frames of :mod:`.classes` into plain lists and dicts, short keys and
shared lookup tables (names, places, sectors, stream descriptions) so that a national map of
tens of thousands of enterprises stays a few megabytes. The page's script
(``assets/iwm_map.js``) reads them: ``iwm.sites`` a point layer (:func:`_sites_payload`),
``iwm.facilities``, ``iwm.towns``, ``iwm.legend`` (:func:`_legend_spec`), ``iwm.view`` the
bounds to open on; the districts, the hexagons (:func:`_cell_properties`) and the boundaries are
GeoJSON (:func:`_features`). Every text a reader sees is translated here, in Python (the page's
script writes what it is given); numbers are written by ``i18n.format_number``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import codes, geography
from ..data.schema import FACILITY_TYPES
from ..i18n import _, format_number, ngettext
from .classes import (
    LAND_COLOUR,
    SYMBOL_EDGE,
    UNIT,
    MapSettings,
    _accepted_label,
    _ewc_titles,
    _fate_label,
    _pct,
    _sector_label,
    _t,
    class_colours,
    class_labels,
    main_streams,
    size_key,
    symbol_radius,
)
from .hexgrid import hex_area_km2
from .views import MapView, cell_name, width_text

if TYPE_CHECKING:
    import geopandas as gpd


def _round_geometry(geom: Any, digits: int = 5) -> dict[str, Any]:
    import shapely
    from shapely.geometry import mapping

    return mapping(shapely.transform(geom, lambda c: np.round(c, digits)))


def _features(frame: gpd.GeoDataFrame, properties: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": _round_geometry(g), "properties": p}
            for g, p in zip(frame.geometry, properties, strict=True)
        ],
    }


def _view_bounds(totals: pd.DataFrame, area: gpd.GeoDataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] to open on: the enterprises with a margin (the part of the
    area where there is something to read), or the whole area when it has none."""
    if len(totals):
        west, east = float(totals["longitude"].min()), float(totals["longitude"].max())
        south, north = float(totals["latitude"].min()), float(totals["latitude"].max())
        margin = max(0.1 * max(east - west, north - south), 0.02)
        west, east, south, north = west - margin, east + margin, south - margin, north + margin
    else:
        west, south, east, north = (float(v) for v in area.total_bounds)
    return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]


def _sites_payload(
    totals: pd.DataFrame,
    streams: pd.DataFrame,
    settings: MapSettings,
    *,
    kind: str,
    tonnes_col: str,
    reference_t: float,
    colour_index: np.ndarray,
    colours: list[str],
    template: str,
    streams_title: str,
    base: dict[str, Any] | None = None,
    hazardous_only: bool = False,
) -> dict[str, Any]:
    """Columns of one point layer as JSON-ready lists, largest symbols first (drawn first, so
    small ones stay on top and clickable). With ``base`` (the payload of another layer of the
    same enterprises) names, ids, places and sectors are not repeated: ``ref`` points into it.
    ``template`` is the popup's total line, with ``{t}`` (tonnes) and ``{share}`` (hazardous %).
    """
    order = np.lexsort((totals.index.to_numpy(), -totals[tonnes_col].to_numpy()))
    frame = totals.iloc[order]
    colour_index = np.asarray(colour_index)[order]
    top = main_streams(streams, settings.main_streams, hazardous_only=hazardous_only)
    descs: dict[tuple[str, str], int] = {}
    fates: dict[str, int] = {}
    listed: dict[str, list[list[Any]]] = {}
    more: dict[Any, int] = {}
    fate_labels = codes.labels("fate")
    for row in top.itertuples(index=False):
        code = str(row.ewc_code)
        code += "*" if row.hazardous and not code.endswith("*") else ""
        text = "" if pd.isna(row.description) else str(row.description)
        d = descs.setdefault((code, text), len(descs))
        f = fates.setdefault(_fate_label(row.fate, fate_labels), len(fates))
        listed.setdefault(row.enterprise_id, []).append([d, _t(row.quantity_t), f])
        more[row.enterprise_id] = int(row.more)
    payload: dict[str, Any] = {
        "kind": kind,
        "ring": kind == "hazardous",
        "edge": SYMBOL_EDGE,
        "unit": _(UNIT),
        "minZoom": settings.detail_zoom if len(totals) > settings.detail_limit else 0,
        "template": template,
        "streamsTitle": streams_title,
    }
    if base is None:
        places: dict[str, int] = {}
        sectors: dict[str, int] = {}
        titles = codes.labels("nace_division")
        payload |= {
            "name": [str(n) for n in frame["name"]],
            "id": [str(i) for i in frame.index],
            "lat": [round(float(v), 5) for v in frame["latitude"]],
            "lon": [round(float(v), 5) for v in frame["longitude"]],
            "place": [places.setdefault(str(p), len(places)) for p in frame["district"]],
            "sector": [
                sectors.setdefault(_sector_label(s, titles), len(sectors))
                for s in frame["nace_division"]
            ],
        }
        payload |= {"places": list(places), "sectors": list(sectors)}
    else:
        position = {site: i for i, site in enumerate(base["id"])}
        payload |= {"base": base["kind"], "ref": [position[i] for i in frame.index]}
    radius = symbol_radius(frame[tonnes_col], reference_t)
    return payload | {
        "r": [round(float(r), 1) for r in radius],
        "c": [int(c) for c in colour_index],
        "colours": colours,
        "t": [_t(v) for v in frame[tonnes_col]],
        "share": [_pct(v) for v in frame["hazardous_share"]],
        "streams": [listed.get(i, []) for i in frame.index],
        "more": [more.get(i, 0) for i in frame.index],
        # "and 3 smaller streams": each count that occurs, written here (plurals differ)
        "moreTexts": {
            str(n): ngettext("and {n} smaller stream", "and {n} smaller streams", n).format(n=n)
            for n in sorted({v for v in more.values() if v > 0})
        },
        "descs": [list(k) for k in descs],
        "fates": list(fates),
    }


def _facilities_payload(facilities: pd.DataFrame, max_accepts: int = 12) -> dict[str, Any]:
    fac = facilities.sort_values("facility_id", kind="stable")
    places: dict[str, int] = {}
    accepts, more, facts = [], [], []
    titles = _ewc_titles()
    for row in fac.itertuples(index=False):
        entries = list(row.accepted_ewc_list) if isinstance(row.accepted_ewc_list, list) else []
        accepts.append([_accepted_label(str(e), titles) for e in entries[:max_accepts]])
        more.append(max(0, len(entries) - max_accepts))
        ops = list(row.operations_list) if isinstance(row.operations_list, list) else []
        info = []
        if ops:
            info.append(_("Operations: {codes}").format(codes=", ".join(str(o) for o in ops)))
        if pd.notna(row.capacity_t_yr):
            info.append(
                _("Capacity: {tonnes} {unit}").format(
                    tonnes=_t(float(row.capacity_t_yr)), unit=_(UNIT)
                )
            )
        if pd.notna(row.hazardous_permitted):
            answer = _("yes") if bool(row.hazardous_permitted) else _("no")
            info.append(_("Hazardous waste permitted: {answer}").format(answer=answer))
        facts.append(info)
    type_index = {t: i for i, t in enumerate(FACILITY_TYPES)}
    return {
        "name": [str(n) for n in fac["name"]],
        "id": [str(i) for i in fac["facility_id"]],
        "lat": [round(float(v), 5) for v in fac["latitude"]],
        "lon": [round(float(v), 5) for v in fac["longitude"]],
        "type": [type_index.get(str(t), type_index["collector"]) for t in fac["facility_type"]],
        "types": [codes.labels("facility_type")[t] for t in FACILITY_TYPES],
        "place": [places.setdefault(str(p), len(places)) for p in fac["district"]],
        "places": list(places),
        "facts": facts,
        "acceptsTitle": _("Accepted waste (EWC)"),
        "accepts": accepts,
        "moreAccepts": more,
        "moreTexts": {
            str(n): ngettext("and {n} more", "and {n} more", n).format(n=n)
            for n in sorted({v for v in more if v > 0})
        },
    }


def _towns_payload(area: gpd.GeoDataFrame, n_labels: int) -> dict[str, Any]:
    towns = geography.towns()
    towns = towns[towns["district"].isin(area["district"])]
    towns = towns.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    return {
        "name": [str(n) for n in towns["name"]],
        "lat": [round(float(g.y), 5) for g in towns.geometry],
        "lon": [round(float(g.x), 5) for g in towns.geometry],
        "label": [i < n_labels for i in range(len(towns))],
    }


def _cell_properties(cells: gpd.GeoDataFrame, colours: list[str]) -> list[dict[str, Any]]:
    """Each hexagon's tooltip (lines), pop-up (title, lines, its largest enterprises) and
    style, for :func:`_features` and the page's ``iwm.areaTooltip``."""
    unit = _(UNIT)
    out = []
    for row, shade in zip(cells.itertuples(index=False), cells["class"], strict=True):
        title = cell_name(int(row.number))
        if row.near:
            title = _("{hexagon}, near {town}").format(hexagon=title, town=row.near)
        figures = [
            _("Waste generated: {tonnes} {unit}").format(tonnes=_t(row.waste_t), unit=unit),
            _("Hazardous: {tonnes} {unit}").format(tonnes=_t(row.hazardous_t), unit=unit),
            _("Enterprises surveyed: {n}").format(n=format_number(int(row.n_enterprises))),
        ]
        out.append(
            {
                "tip": [title, *figures],
                "popup": {
                    "title": title,
                    "lines": figures,
                    "head": _("Largest enterprises"),
                    "rows": [[str(name), f"{_t(t)} {unit}"] for name, t in row.top],
                },
                "style": {
                    "color": "#ffffff",
                    "weight": 1,
                    "fillColor": colours[int(shade)],
                    "fillOpacity": 0.85,
                },
            }
        )
    return out


def _method_note(kind: str, n_classes: int, classification: str) -> str:
    """How the shading's classes were cut, for the legend (``kind``: districts or hexagons)."""
    if kind == "hexagons":
        if n_classes < 2:
            return _("One class: too few hexagons with enterprises to divide.")
        if classification == "quantiles":
            return _("{n} classes with about equal numbers of hexagons (quantiles).").format(
                n=n_classes
            )
    else:
        if n_classes < 2:
            return _("One class: too few districts with enterprises to divide.")
        if classification == "quantiles":
            return _("{n} classes with about equal numbers of districts (quantiles).").format(
                n=n_classes
            )
    return _("{n} classes of equal width (equal intervals).").format(n=n_classes)


def _legend_spec(
    view: MapView,
    settings: MapSettings,
    colours: list[str],
    colour_labels: list[str],
    reference_t: float,
    facility_types: list[str],
    n_enterprises: int,
) -> dict[str, Any]:
    unit = _(UNIT)
    breaks = view.breaks
    shaded = view.districts if view.cells is None else view.cells
    labels = class_labels(shaded["waste_t"], breaks)
    facility_colours = codes.colours("facility_type")
    facility_labels = codes.labels("facility_type")
    ramp = class_colours(len(breaks))
    method = _method_note(view.kind, len(breaks), settings.classification)
    shading = [
        {"shape": "square", "colour": c, "label": f"{label} {unit}", "size": 14}
        for c, label in zip(ramp, labels, strict=True)
    ]
    if view.kind == "districts":
        shading_title = _("Waste generated per district ({unit})").format(unit=unit)
        if (view.districts["class"] < 0).any():
            shading.append(
                {
                    "shape": "square",
                    "colour": LAND_COLOUR,
                    "label": _("No enterprise surveyed"),
                    "size": 14,
                }
            )
    else:
        shading_title = _("Waste generated per hexagon ({unit})").format(unit=unit)
        width = float(view.width_m or 0)
        method = _("Hexagons {width} across ({area} km²). {method}").format(
            width=width_text(width), area=format_number(hex_area_km2(width), 1), method=method
        )
    sizes = [
        {
            "shape": "circle",
            "colour": "#ffffff",
            "edge": SYMBOL_EDGE,
            "size": round(2 * float(symbol_radius([k], reference_t)[0]), 1),
            "label": f"{_t(k)} {unit}",
        }
        for k in size_key(reference_t)
    ]
    size_note = _("Circle area proportional to the waste generated.")
    if view.kind == "hexagons":
        size_note += " " + _("The layer is off at start: switch it on in the layer list.")
    if n_enterprises > settings.detail_limit:
        size_note += " " + _("Zoom in to level {zoom} to see the {n} enterprises.").format(
            zoom=settings.detail_zoom, n=format_number(n_enterprises)
        )
    colour_title = (
        _("Enterprises: colour (hazardous share of tonnes)")
        if settings.colour_by == "hazard"
        else _("Enterprises: colour (sector, by tonnes)")
    )
    return {
        "title": _("Legend"),
        "sections": [
            {"title": shading_title, "items": shading, "note": method},
            {"title": _("Enterprises: waste generated"), "items": sizes, "note": size_note},
            {
                "title": colour_title,
                "items": [
                    {"shape": "circle", "colour": c, "label": label, "size": 12}
                    for c, label in zip(colours, colour_labels, strict=True)
                ],
            },
            {
                "title": _("Hazardous waste (layer)"),
                "items": [
                    {
                        "shape": "ring",
                        "colour": codes.colours("hazardous")[True],
                        "label": _("Ring area proportional to hazardous {unit}").format(unit=unit),
                        "size": 14,
                    }
                ],
            },
            {
                "title": _("Facilities receiving waste"),
                "columns": 2,
                "items": [
                    {
                        "shape": "square",
                        "colour": facility_colours[t],
                        "label": facility_labels[t],
                        "size": 12,
                    }
                    for t in FACILITY_TYPES
                    if t in facility_types
                ],
            },
        ],
    }
