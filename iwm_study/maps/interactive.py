"""The interactive waste map: folium layers built from the payloads, for the page to draw.

:func:`interactive_map` assembles, in the order the page needs them, the calls of the page's
script and folium's own layers (GeoJSON districts and boundaries, feature groups for the point
layers), the legend, the layer control and the opening view, and returns a
:class:`~.page.WasteMap`. Every number comes from :mod:`.classes`, every payload from
:mod:`.payloads`; how the page is made offline, safe and reproducible is :mod:`.page`'s job.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from ..charts import SYNTHETIC_TEXT
from ..data import codes
from ..i18n import _, format_number
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
    enterprise_totals,
)
from .page import WasteMap, _call
from .payloads import (
    _cell_properties,
    _facilities_payload,
    _features,
    _legend_spec,
    _sites_payload,
    _towns_payload,
    _view_bounds,
)
from .views import view_of

if TYPE_CHECKING:
    import matplotlib.figure

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

    Layers: the waste per district (choropleth) or, for an area whose waste lies in fewer
    than ``settings.hex_below`` districts, per hexagon (:mod:`.views`, :mod:`.hexgrid`; the
    enterprises' layer is then off at start), district and economic-region boundaries,
    enterprises (proportional symbols with popups of their main streams and fates), hazardous
    waste (off at start), facilities with the waste they accept, towns; an OpenStreetMap layer
    only when ``settings.online_tiles``; a collapsible legend. Works with no network at all.
    Printed, the report shows the same map as a static image (:func:`.static.static_map`).
    A layer of one's own goes on the map with :meth:`WasteMap.add_layer`.
    """
    import folium
    from folium.utilities import JsCode

    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    districts, area, regions = _area(economic_region)
    totals = enterprise_totals(ent, streams)
    where = title or (economic_region or _("Azerbaijan"))
    view = view_of(totals, area, settings, economic_region or _("Azerbaijan"))
    dist = view.districts
    ramp = class_colours(len(view.breaks))
    unit = _(UNIT)

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
        zoom_snap=0.25,  # the opening view fits the sites beside the legend without a jump
    )
    # Instance attributes shadow folium's class lists of CDN links: nothing is fetched; the
    # assets WasteMap inlines are all the page needs.
    fmap.default_js = []
    fmap.default_css = []
    # Leaflet writes attributions as HTML: escaped here.
    notes = [html.escape(_(a).rstrip(".")) for a in ATTRIBUTIONS]
    if synthetic:
        notes.append(html.escape(_("Synthetic enterprise data")))
    _call(
        "init",
        {
            "attributions": notes,
            "note": _(SYNTHETIC_TEXT) if synthetic else "",
            # the column heads of a popup's table of streams, the zoom buttons' titles
            "texts": {
                "ewc": _("EWC"),
                "waste": _("Waste"),
                "unit": unit,
                "fate": _("Fate"),
                "zoomIn": _("Zoom in"),
                "zoomOut": _("Zoom out"),
            },
        },
    ).add_to(fmap)

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
            for _row in range(len(regions))
        ],
        _("Land"),
        control=False,
        interactive=False,
    )
    if view.cells is None:
        tips = []
        for row in dist.itertuples(index=False):
            lines = [str(row.district)]
            if row.n_enterprises:
                lines += [
                    _("Waste generated: {tonnes} {unit}").format(tonnes=_t(row.waste_t), unit=unit),
                    _("Hazardous: {tonnes} {unit}").format(tonnes=_t(row.hazardous_t), unit=unit),
                    _("Enterprises surveyed: {n}").format(n=format_number(int(row.n_enterprises))),
                ]
            else:
                lines.append(_("No enterprise surveyed"))
            tips.append(lines)
        shading = geojson(
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
            _("Waste per district ({unit})").format(unit=unit),
            on_each_feature=JsCode("iwm.areaTooltip"),
            iwm_kind="district",
        )
    else:
        from ..data import geography

        cells = view.cells.to_crs(geography.GEOGRAPHIC_CRS)
        shading = geojson(
            cells,
            _cell_properties(view.cells, ramp),
            _("Waste per hexagon ({unit})").format(unit=unit),
            on_each_feature=JsCode("iwm.areaTooltip"),
            iwm_kind="cell",
        )
    district_lines = geojson(
        districts,
        [{"style": {**line, "weight": 0.7, "opacity": 0.8}} for _row in range(len(districts))],
        _("District boundaries"),
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
        _("Economic regions"),
        interactive=False,
    )

    reference_t = float(totals["waste_t"].max()) if len(totals) else 0.0
    colour_index, colours, colour_labels = _colouring(totals, settings.colour_by)
    site_layer = folium.FeatureGroup(
        name=html.escape(_("Enterprises ({unit})").format(unit=unit)),
        show=view.cells is None,  # over hexagons the circles hide them: off at start
    ).add_to(fmap)
    sites = _sites_payload(
        totals,
        streams,
        settings,
        kind="enterprise",
        tonnes_col="waste_t",
        reference_t=reference_t,
        colour_index=colour_index,
        colours=colours,
        template=_("Waste generated: {t} {unit}; hazardous {share}").format(
            t="{t}", unit=unit, share="{share}"
        ),
        streams_title=_("Main waste streams"),
    )
    _call("sites", sites).add_to(site_layer)
    hz = totals[totals["hazardous_t"] > 0]
    hazard_layer = folium.FeatureGroup(
        name=html.escape(_("Hazardous waste ({unit})").format(unit=unit)), show=False
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
        template=_("Hazardous waste: {t} {unit} ({share} of its waste)").format(
            t="{t}", unit=unit, share="{share}"
        ),
        streams_title=_("Hazardous streams"),
        base=sites,
        hazardous_only=True,
    )
    _call("sites", hazard).add_to(hazard_layer)
    town_layer = folium.FeatureGroup(name=html.escape(_("Towns"))).add_to(fmap)
    _call("towns", _towns_payload(area, settings.town_labels)).add_to(town_layer)
    facility_layer = folium.FeatureGroup(name=html.escape(_("Facilities receiving waste"))).add_to(
        fmap
    )
    _call("facilities", _facilities_payload(study.facilities)).add_to(facility_layer)
    if settings.online_tiles:
        # Off at start and never needed: without a network the layer simply stays empty.
        folium.TileLayer(
            "OpenStreetMap",
            name=html.escape(_("OpenStreetMap (online only)")),
            overlay=True,
            show=False,
            control=True,
        ).add_to(fmap)
    _call(
        "stack",
        refs=[shading, district_lines, region_lines, hazard_layer, site_layer, town_layer],
    ).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    # After the layer control: the legend sizes itself with the room the control leaves.
    _call(
        "legend",
        _legend_spec(
            view,
            settings,
            colours,
            colour_labels,
            reference_t,
            sorted(set(study.facilities["facility_type"].astype(str))),
            len(totals),
        ),
    ).add_to(fmap)
    # Not folium's fit_bounds: that one animates, and a reader's first zoom would race it. The
    # page keeps the sites clear of the open legend and the layer list.
    _call("view", _view_bounds(totals, area)).add_to(fmap)

    def print_twin(extra_layers: Any = ()) -> matplotlib.figure.Figure:
        from .static import static_map

        return static_map(
            study,
            economic_region,
            settings=settings,
            synthetic=synthetic,
            title=title,
            extra_layers=extra_layers,
        )

    return WasteMap(
        fmap, _("Waste map: {where}").format(where=where), settings.height_px, static=print_twin
    )
