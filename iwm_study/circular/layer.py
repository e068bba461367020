"""The circular options as a layer of the interactive waste map: a line from source to receiver.

:func:`add_options_layer` draws the matches on a :class:`iwm_study.maps.WasteMap` through its
public :meth:`~iwm_study.maps.WasteMap.add_layer`: one GeoJSON layer, "Circular options", whose
lines grow with the tonnes and take the colour of the operation's hierarchy level (the code
table ``hierarchy_levels.csv``, the colours of every chart, map and diagram); safer treatment of
hazardous waste is dashed, and valued matches say what they are worth.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import codes
from ..i18n import _
from .results import _km, _t
from .worth import _ends, range_text

if TYPE_CHECKING:
    from ..maps import WasteMap

    LINE_COLOURS: dict[str, str]


def __getattr__(name: str) -> Any:
    """``LINE_COLOURS``: the colour of a line by the hierarchy level of its operation, read
    from the code table when used (``codes.colours("hierarchy_level")``)."""
    if name == "LINE_COLOURS":
        return codes.colours("hierarchy_level")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _safe_text(text: Any) -> str:
    """Text for a folium tooltip: HTML-escaped, and safe inside the JavaScript template literal
    folium writes it into (backquote, dollar and backslash as character references)."""
    out = html.escape(str(text), quote=True)
    for char, ref in (("\\", "&#92;"), ("`", "&#96;"), ("$", "&#36;")):
        out = out.replace(char, ref)
    return out


def add_options_layer(waste_map: WasteMap, matches: pd.DataFrame, top_n: int | None = None) -> Any:
    """Draw matches as lines from source to receiver on a map of ``iwm_study.maps``.

    ``waste_map`` is a ``maps.WasteMap``; the lines form one GeoJSON layer, "Circular options
    (t/yr)", added with ``WasteMap.add_layer`` (listed in the layer control after the map's own
    layers). Line width grows with the tonnes (square root); colour gives the hierarchy level
    of the operation, dashed for safer treatment of hazardous waste (``option_kind``); the
    tooltip names stream, source, receiver, operation, road distance and rule, and, for valued
    matches (``Valuation.matches``), the net value and avoided emissions with their ranges,
    every text HTML-escaped. ``top_n``: the first rows of ``matches`` only. Returns
    ``waste_map``.
    """
    import folium

    frame = matches if top_n is None else matches.head(top_n)
    ends = frame[["source_lon", "source_lat", "receiver_lon", "receiver_lat"]].astype(float)
    frame = frame[ends.notna().all(axis=1).to_numpy()]
    largest = float(frame["quantity_t"].max()) if len(frame) else 0.0
    colours = codes.colours("hierarchy_level")
    features = [_line(r, largest, colours) for r in frame.itertuples(index=False)]
    layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        # folium refuses a tooltip field on an empty collection (a region with no match)
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)
        if features
        else None,
        show=True,
    )
    waste_map.add_layer(layer, _("Circular options (t/yr)"))
    return waste_map


def _line(r: Any, largest: float, colours: dict[str, str]) -> dict[str, Any]:
    """One match (a row of ``Matching.matches``) as a GeoJSON line with its tooltip and style;
    ``colours``: the colour of each hierarchy level (a level missing from it: that of
    ``not_reported``)."""
    width = 1.5 + 6.5 * float(np.sqrt(float(r.quantity_t) / largest)) if largest > 0 else 1.5
    tip = _(
        "#{rank} {stream} ({ewc}, {tonnes}): {enterprise} to {receiver} ({receiver_id}), "
        "{operation}, {road} by road, rule {rule}"
    ).format(
        rank=r.rank,
        stream=r.stream_id,
        ewc=r.ewc_code,
        tonnes=_t(r.quantity_t),
        enterprise=r.enterprise_name,
        receiver=r.receiver_name,
        receiver_id=r.receiver_id,
        operation=r.operation,
        road=_km(r.road_km),
        rule=r.rule_id,
    )
    safer = getattr(r, "option_kind", "circular") == "safer_treatment"
    if safer:
        tip += "; " + _("safer treatment, not a circular option")
    if hasattr(r, "net_azn_yr_central"):  # valued matches (circular.value_matching)
        tip += "; " + _("net {value}, {co2e} avoided").format(
            value=range_text(*_ends(r._asdict(), "net_azn_yr"), _("AZN/yr")),
            co2e=range_text(*_ends(r._asdict(), "net_t_co2e_yr"), _("t CO2e/yr")),
        )
    style = {
        "color": colours.get(r.hierarchy_level, colours["not_reported"]),
        "weight": round(width, 2),
        "opacity": 0.8,
    }
    if safer:
        style["dashArray"] = "6 4"
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [
                [round(float(r.source_lon), 5), round(float(r.source_lat), 5)],
                [round(float(r.receiver_lon), 5), round(float(r.receiver_lat), 5)],
            ],
        },
        "properties": {
            "tip": _safe_text(tip),
            "style": style,
        },
    }
