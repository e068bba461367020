"""The static waste map for print: the interactive map's layers drawn with matplotlib.

:func:`static_map` draws, in the projected CRS (UTM, metres), the district choropleth (or,
for an area of few districts with waste, the hexagons of :mod:`.views`), boundaries, enterprises
as proportional symbols, facilities and towns, with a north arrow turned to true north
(:func:`grid_north_angle`), a scale bar of a round length (:func:`scale_bar_length`), legends
and the sources; the same pixels on every run. It is also the interactive map's print twin
(:meth:`.page.WasteMap.print_image`): it shows what the interactive map shows when it opens.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import charts
from ..charts import SOURCE_TEXT
from ..data import codes, geography
from ..data.schema import FACILITY_TYPES
from ..i18n import _
from ..report import ATTRIBUTIONS
from .classes import (
    LAND_COLOUR,
    LINE_COLOUR,
    OUTSIDE_COLOUR,
    RADIUS_MAX_PX,
    SYMBOL_EDGE,
    UNIT,
    MapSettings,
    _area,
    _colouring,
    _in_region,
    _t,
    class_colours,
    class_labels,
    enterprise_totals,
    size_key,
    symbol_radius,
)
from .views import view_of, width_text

if TYPE_CHECKING:
    import matplotlib.figure

    from ..data.study import Study


def scale_bar_length(width_m: float, fraction: float = 0.25) -> float:
    """A round length (1, 2 or 5 times a power of ten, in metres) not above ``fraction`` of the
    map's width."""
    target = width_m * fraction
    exp = math.floor(math.log10(target))
    return float(max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= target))


def grid_north_angle(lon: float, lat: float) -> float:
    """Angle (degrees, counter-clockwise from the map's up) of true north at a point of the
    projected map: the meridian convergence of the UTM zone in PROJECTED_CRS."""
    from pyproj import Transformer

    to_map = Transformer.from_crs(geography.GEOGRAPHIC_CRS, geography.PROJECTED_CRS, always_xy=True)
    x0, y0 = to_map.transform(lon, lat)
    x1, y1 = to_map.transform(lon, lat + 0.05)
    return math.degrees(math.atan2(-(x1 - x0), y1 - y0))


def static_map(
    study: Study,
    economic_region: str | None = None,
    *,
    settings: MapSettings | None = None,
    synthetic: bool = True,
    title: str | None = None,
    extra_layers: Sequence[tuple[str, dict[str, Any]]] = (),
) -> matplotlib.figure.Figure:
    """The waste map for print: the same layers as :func:`interactive_map` in the projected CRS
    (UTM, metres), with a north arrow, a scale bar, legends and the sources; fixed size (10 x
    7.5 in at 100 dpi), the same pixels on every run. In the hexagon view the enterprises'
    circles are left out, as the interactive map opens without them.

    ``extra_layers``: ``(name, GeoJSON FeatureCollection)`` pairs drawn over the map, each
    feature with the Leaflet style in its ``style`` property (``color``, ``weight`` in px,
    ``dashArray``...), as layers added to the interactive map are (``WasteMap.add_layer``);
    each gets a legend entry of its name with a sample of each colour it uses."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrow, Patch, Rectangle

    from ..charts import source_note

    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    districts, area, regions = _area(economic_region)
    totals = enterprise_totals(ent, streams)
    view = view_of(totals, area, settings, economic_region or _("Azerbaijan"))
    dist = view.districts
    breaks = view.breaks
    ramp = class_colours(len(breaks))
    proj = geography.to_projected
    unit = _(UNIT)

    class Canvas(FigureCanvasAgg):
        # geopandas asks for a redraw after each layer it plots, and an Agg canvas draws the
        # whole figure there and then: a map with 130 route lines was drawn 135 times.
        # The figure is drawn once, when it is saved.
        def draw_idle(self, *args: Any, **kwargs: Any) -> None:
            pass

    fig = Figure(figsize=(10, 7.5), dpi=100)
    renderer = Canvas(fig).get_renderer()  # to measure the stacked legends
    ax = fig.add_axes((0.01, 0.075, 0.64, 0.85))
    ax.set_facecolor(OUTSIDE_COLOUR)
    area_p = proj(area)
    # The frame: the area, or for hexagons the cells (what there is to read, as the
    # interactive map opens on the sites).
    shown = area_p if view.cells is None else view.cells
    xmin, ymin, xmax, ymax = shown.total_bounds
    pad = (0.06 if view.cells is None else 0.1) * max(xmax - xmin, ymax - ymin)
    xmin, xmax, ymin, ymax = xmin - pad, xmax + pad, ymin - pad, ymax + pad
    # Square-ish frame that keeps the metres equal on both axes.
    width, height = xmax - xmin, ymax - ymin
    box_ratio = (0.85 * 7.5) / (0.64 * 10)
    if height / width < box_ratio:
        grow = (width * box_ratio - height) / 2
        ymin, ymax = ymin - grow, ymax + grow
    else:
        grow = (height / box_ratio - width) / 2
        xmin, xmax = xmin - grow, xmax + grow

    proj(regions).plot(ax=ax, color=LAND_COLOUR, linewidth=0)
    if view.cells is None:
        dist_p = proj(dist)
        fills = [ramp[c] if c >= 0 else LAND_COLOUR for c in dist_p["class"]]
        dist_p.plot(ax=ax, color=fills, edgecolor="white", linewidth=0.8)
    else:
        cells = view.cells  # in the projected CRS already
        cells.plot(ax=ax, color=[ramp[c] for c in cells["class"]], edgecolor="white", linewidth=0.6)
    proj(districts).boundary.plot(ax=ax, color=LINE_COLOUR, linewidth=0.5)
    regions_p = proj(regions)
    regions_p.boundary.plot(ax=ax, color="#333333", linewidth=0.9, linestyle=(0, (4, 3)))
    if economic_region is not None:
        regions_p[regions_p["economic_region"] == economic_region].boundary.plot(
            ax=ax, color="#333333", linewidth=1.8
        )

    reference_t = float(totals["waste_t"].max()) if len(totals) else 0.0
    colour_index, colours, colour_labels = _colouring(totals, settings.colour_by)
    circles = view.cells is None  # over hexagons the interactive map opens without them
    pts = pd.DataFrame(
        {
            "x": proj(ent.set_index("enterprise_id").loc[totals.index]).geometry.x.to_numpy()
            if len(totals)
            else [],
            "y": proj(ent.set_index("enterprise_id").loc[totals.index]).geometry.y.to_numpy()
            if len(totals)
            else [],
            "r": symbol_radius(totals["waste_t"], reference_t) * 0.75,  # px at 96 dpi -> points
            "c": [colours[i] for i in colour_index],
            "t": totals["waste_t"].to_numpy(),
            "id": totals.index.to_numpy(),
        }
    ).sort_values(["t", "id"], ascending=[False, True], kind="stable")
    if circles:
        ax.scatter(
            pts["x"],
            pts["y"],
            s=(2 * pts["r"]) ** 2,
            c=pts["c"],
            edgecolors=SYMBOL_EDGE,
            linewidths=0.5,
            alpha=0.85,
            zorder=5,
        )
    extra_handles = _draw_layers(ax, extra_layers)
    facility_colours = codes.colours("facility_type")
    facility_labels = codes.labels("facility_type")
    fac = proj(study.facilities.sort_values("facility_id", kind="stable"))
    if len(fac):
        ax.scatter(
            fac.geometry.x,
            fac.geometry.y,
            marker="s",
            s=42,
            c=[facility_colours.get(str(t), charts.MISSING_COLOUR) for t in fac["facility_type"]],
            edgecolors="white",
            linewidths=0.9,
            zorder=6,
        )
    towns = geography.towns()
    towns = proj(towns[towns["district"].isin(area["district"])]).sort_values(
        ["population", "name"], ascending=[False, True], kind="stable"
    )
    for i, row in enumerate(towns.itertuples(index=False)):
        x, y = row.geometry.x, row.geometry.y
        if not (xmin <= x <= xmax and ymin <= y <= ymax):
            continue
        ax.plot(
            [x], [y], marker="o", markersize=3, color="white", markeredgecolor="#333333", zorder=7
        )
        if i < settings.town_labels:
            ax.annotate(
                str(row.name),
                (x, y),
                xytext=(4, 2),
                textcoords="offset points",
                fontsize=7.5,
                color="#222222",
                zorder=8,
            )

    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")

    # Scale bar: the projected CRS is in metres; within the UTM zone the scale error is under
    # 0.3 % over Azerbaijan, far below what a print reader can see.
    length = scale_bar_length(xmax - xmin)
    x0, y0 = xmin + 0.04 * (xmax - xmin), ymin + 0.04 * (ymax - ymin)
    bar_h = 0.012 * (ymax - ymin)
    for k, colour in enumerate(("#222222", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (x0 + k * length / 2, y0),
                length / 2,
                bar_h,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.8,
                zorder=9,
            )
        )
    for pos, text in (
        (0, "0"),
        (length / 2, f"{length / 2000:g}"),
        (length, _("{km} km").format(km=f"{length / 1000:g}")),
    ):
        ax.text(
            x0 + pos,
            y0 + 1.6 * bar_h,
            text,
            ha="center",
            va="bottom",
            fontsize=8,
            zorder=9,
            gid="scale-label",
        )
    # North arrow, turned to true north at the map's centre.
    centre = area.to_crs(geography.GEOGRAPHIC_CRS).union_all().centroid
    angle = math.radians(grid_north_angle(centre.x, centre.y))
    ax_len = 0.07
    ox, oy = 0.93, 0.84
    dx, dy = -ax_len * math.sin(angle), ax_len * math.cos(angle)
    ax.add_patch(
        FancyArrow(
            ox,
            oy,
            dx,
            dy,
            width=0.012,
            head_width=0.035,
            head_length=0.03,
            length_includes_head=True,
            transform=ax.transAxes,
            color="#222222",
            zorder=9,
        )
    )
    ax.text(
        ox + 1.25 * dx,
        oy + 1.25 * dy,
        # Translators: the letter on the map's north arrow (north).
        _("N"),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        zorder=9,
    )

    # Legends on the right.
    shaded = dist if view.cells is None else view.cells
    labels = class_labels(shaded["waste_t"], breaks)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=f"{label}")
        for c, label in zip(ramp, labels, strict=True)
    ]
    if view.cells is None and (dist["class"] < 0).any():
        handles.append(
            Patch(facecolor=LAND_COLOUR, edgecolor="#999999", label=_("No enterprise surveyed"))
        )
    method = (
        _("one class")
        if len(breaks) < 2
        else _("quantiles")
        if settings.classification == "quantiles"
        else _("equal intervals")
    )
    if view.cells is None:
        shading_title = _("Waste per district, {unit}\n({method})").format(unit=unit, method=method)
    else:
        shading_title = _("Waste per hexagon {width} across, {unit}\n({method})").format(
            width=width_text(float(view.width_m or 0)), unit=unit, method=method
        )
    legends = [
        (shading_title, handles),
        (
            _("Enterprises, {unit}\n(circle area)").format(unit=unit),
            [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=2 * float(symbol_radius([k], reference_t)[0]) * 0.75,
                    markerfacecolor="white",
                    markeredgecolor=SYMBOL_EDGE,
                    label=_t(k),
                )
                for k in reversed(size_key(reference_t))  # small first: clear of the title
            ]
            if circles
            else [],
        ),
        (
            _("Enterprises, colour"),
            [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markersize=8,
                    markerfacecolor=c,
                    markeredgecolor=SYMBOL_EDGE,
                    label=label,
                )
                for c, label in zip(colours, colour_labels, strict=True)
            ]
            if circles
            else [],
        ),
        (
            _("Facilities"),
            [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="s",
                    markersize=7,
                    markerfacecolor=facility_colours[t],
                    markeredgecolor="white",
                    label=facility_labels[t],
                )
                for t in FACILITY_TYPES
                if t in set(study.facilities["facility_type"].astype(str))
            ],
        ),
    ]
    if extra_handles:
        legends.append((_("Other layers"), extra_handles))
    # The size key's circles are larger than a line of text: give them room.
    biggest = 2 * RADIUS_MAX_PX * 0.75 / 8  # in font sizes
    spacing = {
        legends[1][0]: {"handleheight": biggest, "handlelength": biggest, "labelspacing": 0.6}
    }
    top = 0.93
    for heading, items in legends:
        if not items:
            continue
        pairs = [i if isinstance(i, tuple) else (i, i.get_label()) for i in items]
        leg = fig.legend(
            handles=[h for h, _label in pairs],
            labels=[label for _h, label in pairs],
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.3)},
            title=heading,
            loc="upper left",
            bbox_to_anchor=(0.67, top),
            fontsize=8,
            title_fontsize=8.5,
            frameon=False,
            alignment="left",
            **spacing.get(heading, {"labelspacing": 0.35}),
        )
        fig.add_artist(leg)
        box = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        top = box.y0 - 0.015

    fig.text(
        0.01,
        0.955,
        title or _("Waste map: {where}").format(where=economic_region or _("Azerbaijan")),
        fontsize=13,
        fontweight="bold",
        ha="left",
        va="bottom",
    )
    sources = " ".join(_(a) for a in ATTRIBUTIONS)
    source_note(fig, synthetic, source=f"{_(SOURCE_TEXT)}. {sources}".rstrip("."))
    return fig


def _draw_layers(ax: Any, layers: Sequence[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Draw GeoJSON layers (longitude/latitude) on ``ax`` in the projected CRS, each feature
    in the Leaflet style of its ``style`` property (px widths as points at 96 px to the
    inch); return one legend entry per layer, ``(handle, name)``: a line of each colour it
    uses (a tuple of lines when there are several) and the layer's name."""
    import geopandas as gpd
    from matplotlib.lines import Line2D

    handles = []
    for name, data in layers:
        features = [f for f in data.get("features", []) if f.get("geometry")]
        if not features:
            continue
        frame = gpd.GeoDataFrame.from_features(features, crs=geography.GEOGRAPHIC_CRS)
        frame = geography.to_projected(frame)
        samples: dict[tuple[str, bool], Line2D] = {}
        for geom, feature in zip(frame.geometry, features, strict=True):
            style = (feature.get("properties") or {}).get("style") or {}
            colour = str(style.get("color", "#333333"))
            width = 0.75 * float(style.get("weight", 2))
            dashed = bool(style.get("dashArray"))
            kw = {
                "color": colour,
                "linewidth": width,
                "alpha": float(style.get("opacity", 0.8)),
                "linestyle": (0, (4, 3)) if dashed else "-",
                "zorder": 6.5,
            }
            gpd.GeoSeries([geom]).plot(ax=ax, **kw)
            samples.setdefault(
                (colour, dashed),
                Line2D([], [], color=colour, linewidth=2, linestyle=kw["linestyle"]),
            )
        ordered = [samples[k] for k in sorted(samples)]
        handle = tuple(ordered) if len(ordered) > 1 else ordered[0]
        handles.append((handle, name))
    return handles
