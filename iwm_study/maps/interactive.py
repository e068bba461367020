"""The interactive waste map: folium layers built from the payloads, for the page to draw.

:func:`interactive_map` assembles, in the order the page needs them, the calls of the page's
script and folium's own layers (GeoJSON districts and boundaries, feature groups for the point
layers), the legend, the layer control and the opening view, and returns a
:class:`~.page.WasteMap`. Every number comes from :mod:`.classes`, every payload from
:mod:`.payloads`; how the page is made offline, safe and reproducible is :mod:`.page`'s job.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from ..charts import SYNTHETIC_TEXT
from ..data import codes
from ..report import ATTRIBUTIONS
from .classes import (
    LAND_COLOUR,
    LINE_COLOUR,
    UNIT,
    MapSettings,
    _area,
    _colouring,
    _in_region,
    _t,
    class_colours,
    district_waste,
    enterprise_totals,
)
from .page import WasteMap, _call
from .payloads import (
    _facilities_payload,
    _features,
    _legend_spec,
    _sites_payload,
    _towns_payload,
    _view_bounds,
)

if TYPE_CHECKING:
    from ..data.study import Study


def interactive_map(
    study: Study,
    economic_region: str | None = None,
    *,
    settings: MapSettings | None = None,
    synthetic: bool = True,
    title: str | None = None,
) -> WasteMap:
    """The interactive waste map of ``economic_region`` (None: the whole country).

    Layers: waste per district (choropleth), district and economic-region boundaries,
    enterprises (proportional symbols with popups of their main streams and fates), hazardous
    waste (off at start), facilities with the waste they accept, towns; an OpenStreetMap layer
    only when ``settings.online_tiles``. Works with no network at all. A layer of one's own
    goes on the map with :meth:`WasteMap.add_layer`.
    """
    import folium
    from folium.utilities import JsCode

    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    districts, area, regions = _area(economic_region)
    totals = enterprise_totals(ent, streams)
    dist = district_waste(totals, area, settings.classification, settings.n_classes)
    ramp = class_colours(len(dist.attrs["breaks"]))
    where = title or (economic_region or "Azerbaijan")

    west, south, east, north = area.total_bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=8,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # added by iwm.init: metric only, under the synthetic-data note
        min_zoom=5,
        max_zoom=18,
        font_size="12px",
    )
    # Instance attributes shadow folium's class lists of CDN links: nothing is fetched; the
    # assets WasteMap inlines are all the page needs.
    fmap.default_js = []
    fmap.default_css = []
    # Leaflet writes attributions as HTML: escaped here.
    notes = [html.escape(a.rstrip(".")) for a in ATTRIBUTIONS]
    if synthetic:
        notes.append("Synthetic enterprise data")
    _call("init", {"attributions": notes, "note": SYNTHETIC_TEXT if synthetic else ""}).add_to(fmap)

    def geojson(frame, props, name, show=True, control=True, **options):
        return folium.GeoJson(
            _features(frame, props),
            name=html.escape(name),  # Leaflet's layer control writes names as HTML
            show=show,
            control=control,
            **options,
        ).add_to(fmap)

    line = {"fill": False, "color": LINE_COLOUR}
    geojson(
        regions,
        [
            {"style": {"stroke": False, "fillColor": LAND_COLOUR, "fillOpacity": 1}}
            for _ in range(len(regions))
        ],
        "Land",
        control=False,
        interactive=False,
    )
    tips = []
    for row in dist.itertuples(index=False):
        lines = [str(row.district)]
        if row.n_enterprises:
            lines += [
                f"Waste generated: {_t(row.waste_t)} {UNIT}",
                f"Hazardous: {_t(row.hazardous_t)} {UNIT}",
                f"Enterprises surveyed: {row.n_enterprises:,}",
            ]
        else:
            lines.append("No enterprise surveyed")
        tips.append(lines)
    choropleth = geojson(
        dist,
        [
            {
                "tip": tip,
                "style": {
                    "color": "#ffffff",
                    "weight": 1,
                    "fillColor": ramp[c] if c >= 0 else LAND_COLOUR,
                    "fillOpacity": 0.85 if c >= 0 else 1,
                },
            }
            for tip, c in zip(tips, dist["class"], strict=True)
        ],
        f"Waste per district ({UNIT})",
        on_each_feature=JsCode("iwm.areaTooltip"),
        iwm_kind="district",
    )
    district_lines = geojson(
        districts,
        [{"style": {**line, "weight": 0.7, "opacity": 0.8}} for _ in range(len(districts))],
        "District boundaries",
        interactive=False,
    )
    region_lines = geojson(
        regions,
        [
            {
                "style": {
                    **line,
                    "color": "#333333",
                    "weight": 2.6 if r == economic_region else 1.4,
                    "dashArray": None if r == economic_region else "5 4",
                }
            }
            for r in regions["economic_region"]
        ],
        "Economic regions",
        interactive=False,
    )

    reference_t = float(totals["waste_t"].max()) if len(totals) else 0.0
    colour_index, colours, colour_labels = _colouring(totals, settings.colour_by)
    site_layer = folium.FeatureGroup(name=html.escape(f"Enterprises ({UNIT})")).add_to(fmap)
    sites = _sites_payload(
        totals,
        streams,
        settings,
        kind="enterprise",
        tonnes_col="waste_t",
        reference_t=reference_t,
        colour_index=colour_index,
        colours=colours,
        template=f"Waste generated: {{t}} {UNIT}; hazardous {{share}}",
        streams_title="Main waste streams",
    )
    _call("sites", sites).add_to(site_layer)
    hz = totals[totals["hazardous_t"] > 0]
    hazard_layer = folium.FeatureGroup(
        name=html.escape(f"Hazardous waste ({UNIT})"), show=False
    ).add_to(fmap)
    hazard = _sites_payload(
        hz,
        streams,
        settings,
        kind="hazardous",
        tonnes_col="hazardous_t",
        reference_t=reference_t,  # the same scale as the enterprises: rings sit inside them
        colour_index=np.zeros(len(hz), dtype=int),
        colours=[codes.colours("hazardous")[True]],
        template=f"Hazardous waste: {{t}} {UNIT} ({{share}} of its waste)",
        streams_title="Hazardous streams",
        base=sites,
        hazardous_only=True,
    )
    _call("sites", hazard).add_to(hazard_layer)
    town_layer = folium.FeatureGroup(name="Towns").add_to(fmap)
    _call("towns", _towns_payload(area, settings.town_labels)).add_to(town_layer)
    facility_layer = folium.FeatureGroup(name="Facilities receiving waste").add_to(fmap)
    _call("facilities", _facilities_payload(study.facilities)).add_to(facility_layer)
    if settings.online_tiles:
        # Off at start and never needed: without a network the layer simply stays empty.
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap (online only)",
            overlay=True,
            show=False,
            control=True,
        ).add_to(fmap)
    _call(
        "stack",
        refs=[choropleth, district_lines, region_lines, hazard_layer, site_layer, town_layer],
    ).add_to(fmap)
    _call(
        "legend",
        _legend_spec(
            dist,
            settings,
            colours,
            colour_labels,
            reference_t,
            sorted(set(study.facilities["facility_type"].astype(str))),
            len(totals),
        ),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    # Not folium's fit_bounds: that one animates, and a reader's first zoom would race it.
    _call("view", _view_bounds(totals, area)).add_to(fmap)
    return WasteMap(fmap, f"Waste map: {where}", settings.height_px)
