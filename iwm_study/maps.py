"""Waste maps: an interactive map that works offline and a static map for print.

``interactive_map(study, economic_region)`` draws, with folium and Leaflet, the layers a reader
can switch on and off: the districts coloured by the waste generated in them (classes by a stated
method), district and economic-region boundaries, the enterprises as proportional symbols, their
hazardous waste, the facilities that receive waste, and towns for orientation; with a legend, a
scale bar, the data attributions and the synthetic-data note. ``static_map`` draws the same
layers with geopandas and matplotlib, with a north arrow and a scale bar, for print and PDF.

Three promises, each kept by construction rather than by care at every call site:

* **Offline.** Leaflet's JavaScript and CSS are read at run time from the installed
  ``django-js-lib-leaflet`` package and inlined, with its images as data URIs; folium's default
  CDN links are switched off and no folium plugin is used. No tile layer is drawn by default (the
  boundaries make the map readable); an online tile layer is an opt-in extra, off at start.
* **Safe.** Text from the data (names, descriptions, codes) reaches the page only as JSON inside
  a script, with ``<``, ``>`` and ``&`` escaped, and the page builds popups, tooltips and the
  legend with ``textContent`` (never ``innerHTML``). The few strings Leaflet itself writes as HTML
  (layer names, attributions) are escaped in Python.
* **Reproducible.** folium gives every element a random id; :class:`WasteMap` numbers them in
  tree order when it renders, so two runs write the same bytes.

Scale: every vector layer is drawn on one canvas (Leaflet's ``preferCanvas``), which keeps tens
of thousands of symbols responsive; above ``MapSettings.detail_limit`` enterprises the symbols
appear only from ``detail_zoom`` on and the district choropleth is the overview.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .charts import HAZARD_COLOURS, MISSING_COLOUR, OKABE_ITO, SOURCE_TEXT, SYNTHETIC_TEXT
from .data import codes, geography
from .data.schema import FACILITY_TYPES
from .report import ATTRIBUTIONS

if TYPE_CHECKING:
    import geopandas as gpd
    import matplotlib.figure

    from .data.study import Study

__all__ = [
    "CLASSIFICATION_METHODS",
    "MapSettings",
    "WasteMap",
    "class_breaks",
    "classify",
    "district_table",
    "district_waste",
    "enterprise_totals",
    "hazard_class",
    "interactive_map",
    "leaflet_assets",
    "main_streams",
    "static_map",
]

#: How district totals can be cut into classes (see :func:`class_breaks`).
CLASSIFICATION_METHODS = ("quantiles", "equal_interval")
#: What the colour of an enterprise symbol shows.
COLOUR_BY = ("hazard", "sector")

# Colours. Categorical ones come from iwm_study.charts (Okabe-Ito). charts has no sequential ramp
# and no colours per facility type yet, so the two are set here, from matplotlib's ColorBrewer
# "Greys" ramp (a neutral ground under coloured symbols) and the Okabe-Ito colours.
CHOROPLETH_CMAP = "Greys"
CHOROPLETH_RANGE = (0.22, 0.70)  # light to mid grey: symbols stay visible on every class
LAND_COLOUR = "#fbfaf6"  # Azerbaijan's land where no class applies
OUTSIDE_COLOUR = "#dfe3e6"  # map background: outside the country
LINE_COLOUR = "#6b6b6b"
SYMBOL_EDGE = "#222222"
FACILITY_COLOURS: dict[str, str] = {
    "recycler": OKABE_ITO["bluish_green"],
    "secondary_user": OKABE_ITO["sky_blue"],
    "treatment": OKABE_ITO["yellow"],
    "incinerator": OKABE_ITO["reddish_purple"],
    "landfill": OKABE_ITO["black"],
    "collector": MISSING_COLOUR,
}
FACILITY_LABELS: dict[str, str] = {
    "recycler": "Recycler",
    "secondary_user": "Uses waste as raw material",
    "treatment": "Treatment plant",
    "incinerator": "Incinerator",
    "landfill": "Landfill",
    "collector": "Collector / storage",
}
#: Classes of an enterprise's hazardous share of tonnes: (key, label, colour).
HAZARD_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("none", "No hazardous waste", HAZARD_COLOURS[False]),
    ("some", "Hazardous: under half of the tonnes", OKABE_ITO["orange"]),
    ("mostly", "Hazardous: half of the tonnes or more", HAZARD_COLOURS[True]),
)
#: Enterprise symbols: circle area proportional to tonnes, the largest this radius (px), none
#: smaller than the minimum so that small producers stay visible and clickable.
RADIUS_MAX_PX = 28.0
RADIUS_MIN_PX = 3.0
N_SECTOR_COLOURS = 7  # the sectors with most tonnes get a colour each, the rest are "other"

UNIT = "t/yr"


@dataclass(frozen=True)
class MapSettings:
    """How the maps are drawn (the scalar notebook parameters of ``03_waste_map``)."""

    classification: str = "quantiles"  # see CLASSIFICATION_METHODS
    n_classes: int = 5
    colour_by: str = "hazard"  # see COLOUR_BY
    online_tiles: bool = False  # add an OpenStreetMap layer, off at start, for online readers
    detail_limit: int = 5000  # above this many enterprises, symbols only from detail_zoom on
    detail_zoom: int = 10
    height_px: int = 700
    main_streams: int = 3  # streams listed in an enterprise's popup
    town_labels: int = 8  # towns of the area named on the map (largest first)

    def __post_init__(self) -> None:
        if self.classification not in CLASSIFICATION_METHODS:
            raise ValueError(
                f"classification {self.classification!r} is not one of {CLASSIFICATION_METHODS}"
            )
        if not 1 <= self.n_classes <= 9:
            raise ValueError(f"n_classes must be between 1 and 9, not {self.n_classes}")
        if self.colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by {self.colour_by!r} is not one of {COLOUR_BY}")


# --------------------------------------------------------------------------------------------
# Classification and the tables behind the layers (pure functions on frames)
# --------------------------------------------------------------------------------------------


def class_breaks(
    values: Sequence[float], method: str = "quantiles", n_classes: int = 5
) -> list[float]:
    """Upper bounds of the classes, ascending; the last is the largest value.

    ``quantiles``: each class holds about the same number of areas; the bounds are observed
    values (numpy's ``inverted_cdf`` quantiles), so no bound is a total that no district has.
    ``equal_interval``: the range cut into equal steps. Quantiles give fewer classes than asked
    when there are fewer distinct values (duplicated bounds are merged). mapclassify would
    offer more methods (natural breaks...), but it is not a dependency, and these two are a few
    lines of numpy.
    """
    v = np.asarray(values, dtype=float)
    v = np.sort(v[np.isfinite(v)])
    if v.size == 0:
        return []
    if method not in CLASSIFICATION_METHODS:
        raise ValueError(f"method {method!r} is not one of {CLASSIFICATION_METHODS}")
    distinct = int(np.unique(v).size)
    # quantiles cannot make more classes than there are distinct values; equal intervals can
    # (some stay empty), unless every value is the same
    k = (
        max(1, min(int(n_classes), distinct))
        if method == "quantiles"
        else (int(n_classes) if distinct > 1 else 1)
    )
    steps = np.arange(1, k + 1) / k
    if method == "quantiles":
        bounds = np.quantile(v, steps, method="inverted_cdf")
    else:
        bounds = v[0] + (v[-1] - v[0]) * steps
    bounds[-1] = v[-1]
    return [float(b) for b in np.unique(bounds)]


def classify(values: Sequence[float], breaks: Sequence[float]) -> np.ndarray:
    """Class index of each value (0 = lowest class; a value equal to a bound belongs to the
    class the bound closes); -1 for missing values."""
    v = np.asarray(values, dtype=float)
    out = np.searchsorted(np.asarray(breaks, dtype=float), v, side="left")
    out = np.minimum(out, max(len(breaks) - 1, 0))
    return np.where(np.isfinite(v) & (len(breaks) > 0), out, -1).astype(int)


def hazard_class(share: Sequence[float]) -> np.ndarray:
    """0 = no hazardous waste (or none reported), 1 = under half of the tonnes, 2 = half or more."""
    s = np.nan_to_num(np.asarray(share, dtype=float), nan=0.0)
    return np.where(s <= 0, 0, np.where(s < 0.5, 1, 2)).astype(int)


def enterprise_totals(enterprises: pd.DataFrame, streams: pd.DataFrame) -> pd.DataFrame:
    """What the map shows of each enterprise, indexed by ``enterprise_id`` in the enterprises'
    order: ``inventory.enterprise_totals`` (``waste_t``, ``streams``) with ``hazardous_t``
    (t/yr), ``hazardous_share`` (0-1, NaN without waste), the site's coordinates and region.
    Streams of enterprises that are not in ``enterprises`` are left out (they have no site)."""
    from .inventory import enterprise_totals as inventory_totals

    keep = ["name", "district", "economic_region", "nace_division", "longitude", "latitude"]
    out = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")[keep].copy()
    streams = streams[streams["enterprise_id"].isin(out.index)]
    base = inventory_totals(streams, enterprises).set_index("enterprise_id")
    out["waste_t"] = base["waste_t"].reindex(out.index).fillna(0.0).astype(float)
    out["n_streams"] = base["streams"].reindex(out.index).fillna(0).astype(int)
    hazardous = streams[streams["hazardous"].fillna(False).astype(bool)]
    by_site = hazardous["quantity_t"].astype(float).fillna(0.0).groupby(hazardous["enterprise_id"])
    out["hazardous_t"] = by_site.sum().reindex(out.index).fillna(0.0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["hazardous_share"] = np.where(
            out["waste_t"] > 0, out["hazardous_t"] / out["waste_t"], np.nan
        )
    return out


def main_streams(streams: pd.DataFrame, n: int = 3, hazardous_only: bool = False) -> pd.DataFrame:
    """The ``n`` largest streams of each enterprise (ties broken by ``stream_id``), with their
    ``rank`` (0 = largest) and ``more``: how many of the enterprise's streams are left out."""
    s = streams
    if hazardous_only:
        s = s[s["hazardous"].fillna(False).astype(bool)]
    s = s.sort_values(
        ["enterprise_id", "quantity_t", "stream_id"], ascending=[True, False, True], kind="stable"
    )
    s = s.assign(rank=s.groupby("enterprise_id").cumcount())
    count = s.groupby("enterprise_id")["stream_id"].transform("size")
    s = s.assign(more=(count - n).clip(lower=0))
    return s[s["rank"] < n].reset_index(drop=True)


def district_waste(
    totals: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    method: str = "quantiles",
    n_classes: int = 5,
) -> gpd.GeoDataFrame:
    """The districts with the waste of their enterprises: ``waste_t``, ``hazardous_t`` (t/yr,
    NaN where no enterprise was surveyed), ``n_enterprises``, ``class`` (-1 = no enterprise) and
    the class ``breaks`` in ``attrs``. Districts are matched by the enterprise's ``district``."""
    by = totals.groupby("district")
    out = districts.copy()
    out["n_enterprises"] = out["district"].map(by.size()).fillna(0).astype(int)
    out["waste_t"] = out["district"].map(by["waste_t"].sum())
    out["hazardous_t"] = out["district"].map(by["hazardous_t"].sum())
    breaks = class_breaks(out["waste_t"], method, n_classes)
    out["class"] = classify(out["waste_t"], breaks)
    out.attrs["breaks"] = breaks
    out.attrs["method"] = method
    return out


def district_table(
    study: Study, economic_region: str | None = None, settings: MapSettings | None = None
) -> pd.DataFrame:
    """The choropleth as a table for the report: each district of the area with its
    enterprises, waste and hazardous waste (t/yr), share of the area's waste (%) and class,
    largest first (ties by name)."""
    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    _, area, _ = _area(economic_region)
    dist = district_waste(
        enterprise_totals(ent, streams), area, settings.classification, settings.n_classes
    )
    labels = class_labels(dist["waste_t"], dist.attrs["breaks"])
    total = float(dist["waste_t"].sum())
    out = pd.DataFrame(
        {
            "district": dist["district"].astype(str),
            "enterprises": dist["n_enterprises"].astype(int),
            "waste_t": dist["waste_t"].fillna(0.0).astype(float),
            "hazardous_t": dist["hazardous_t"].fillna(0.0).astype(float),
            "share_pct": (100 * dist["waste_t"].fillna(0.0) / total) if total else 0.0,
            "map_class": [
                f"{c + 1}: {labels[c]} {UNIT}" if c >= 0 else "no enterprise surveyed"
                for c in dist["class"]
            ],
        }
    )
    out = out.sort_values(["waste_t", "district"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def _in_region(study: Study, economic_region: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The enterprises of the region and their streams (all of them for None)."""
    ent, streams = study.enterprises, study.waste_streams
    if economic_region is not None:
        ent = ent[ent["economic_region"] == economic_region]
        streams = streams[streams["enterprise_id"].isin(ent["enterprise_id"])]
    return ent, streams


def class_labels(values: Sequence[float], breaks: Sequence[float]) -> list[str]:
    """Legend labels: the range of the values in each class ("1,200 - 3,400"), or the class
    bounds when no value falls in it (possible with equal intervals)."""
    v = np.asarray(values, dtype=float)
    cls = classify(v, breaks)
    labels = []
    for j, upper in enumerate(breaks):
        inside = v[cls == j]
        if inside.size:
            lo, hi = float(inside.min()), float(inside.max())
        else:
            lo, hi = (float(breaks[j - 1]) if j else float(np.nanmin(v))), float(upper)
        labels.append(_t(lo) if lo == hi else f"{_t(lo)} \u2013 {_t(hi)}")
    return labels


def class_colours(n: int) -> list[str]:
    """``n`` colours from light to dark on the choropleth ramp."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    if n <= 0:
        return []
    lo, hi = CHOROPLETH_RANGE
    points = [(lo + hi) / 2] if n == 1 else np.linspace(lo, hi, n)
    cmap = colormaps[CHOROPLETH_CMAP]
    return [to_hex(cmap(float(p))) for p in points]


def symbol_radius(tonnes: Sequence[float], reference_t: float) -> np.ndarray:
    """Radius (px) of a proportional symbol: area proportional to tonnes, ``reference_t`` drawn
    at ``RADIUS_MAX_PX``, nothing smaller than ``RADIUS_MIN_PX``."""
    t = np.clip(np.nan_to_num(np.asarray(tonnes, dtype=float)), 0, None)
    if reference_t <= 0:
        return np.full(t.shape, RADIUS_MIN_PX)
    return np.maximum(RADIUS_MIN_PX, RADIUS_MAX_PX * np.sqrt(t / reference_t))


def size_key(reference_t: float) -> list[float]:
    """Up to three round tonnages for the size legend (1, 2 or 5 times a power of ten, the
    largest not above ``reference_t``), each drawn larger than the minimum symbol."""
    if reference_t <= 0:
        return []
    exp = math.floor(math.log10(reference_t))
    top = max(m * 10**exp for m in (1, 2, 5) if m * 10**exp <= reference_t)
    keys = [top, top / 10, top / 100]
    return [float(k) for k in keys if symbol_radius([k], reference_t)[0] > RADIUS_MIN_PX + 0.5]


def _t(value: float) -> str:
    """Tonnes as the maps print them: no decimals from 100 t, one below, two below 1 t."""
    if value is None or not np.isfinite(value):
        return "n/a"
    if abs(value) >= 100 or value == 0:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _pct(share: float) -> str:
    return "n/a" if share is None or not np.isfinite(share) else f"{100 * share:.1f} %"


@cache
def _sector_titles() -> dict[str, str]:
    return dict(
        zip(codes.nace_divisions()["division"], codes.nace_divisions()["title"], strict=True)
    )


@cache
def _fate_labels() -> dict[str, str]:
    table = codes.fate_categories()
    return dict(zip(table["fate"], table["label"], strict=True))


@cache
def _ewc_titles() -> dict[str, str]:
    chapters = codes.ewc_chapters()
    subchapters = codes.ewc_subchapters()
    titles = dict(zip(chapters["chapter"], chapters["title"], strict=True))
    titles.update(zip(subchapters["subchapter"], subchapters["title"], strict=True))
    return titles


def _sector_label(division: Any) -> str:
    if division is None or pd.isna(division):
        return "Sector not given"
    division = str(division)
    return f"NACE {division} {_sector_titles().get(division, '')}".strip()


def _fate_label(fate: Any) -> str:
    if fate is None or pd.isna(fate):
        return "Fate not reported"
    return _fate_labels().get(str(fate), str(fate))


def _accepted_label(entry: str) -> str:
    """An accepted-waste entry with the title of its chapter or sub-chapter."""
    titles = _ewc_titles()
    digits = entry.replace(" ", "").rstrip("*")
    key = entry if entry in titles else " ".join(re.findall("..", digits)[:2])
    title = titles.get(key) or titles.get(digits[:2], "")
    return f"{entry} {title}".strip() if key == entry else f"{entry} (in {key} {title})".strip()


# --------------------------------------------------------------------------------------------
# Offline assets and the page's own script
# --------------------------------------------------------------------------------------------

LEAFLET_PACKAGE = "js_lib_leaflet"  # installed by the PyPI package django-js-lib-leaflet
_LEAFLET_DIR = ("static", "js_lib_leaflet")


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed package, ready to inline: the CSS's
    images become data URIs and the source-map comment goes (the page is one file)."""
    root = resources.files(LEAFLET_PACKAGE).joinpath(*_LEAFLET_DIR)
    js = root.joinpath("leaflet.js").read_text(encoding="utf-8")
    css = root.joinpath("leaflet.css").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", js)

    def inline(match: re.Match[str]) -> str:
        data = root.joinpath("images", match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", inline, css)
    for text in (js, css):
        if "</script" in text.lower() or "</style" in text.lower():  # would end the inline block
            raise ValueError("the installed Leaflet assets cannot be inlined safely")
    return js, css


# The page's own script: builds every layer from JSON and every text with textContent.
_IWM_JS = r"""
var iwm = (function () {
  "use strict";
  var stackOrder = [];
  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function init(map, opts) {
    (opts.attributions || []).forEach(function (a) { map.attributionControl.addAttribution(a); });
    L.control.scale({imperial: false, position: "bottomleft", maxWidth: 150}).addTo(map);
    if (opts.note) {
      var Note = L.Control.extend({
        options: {position: "bottomleft"},
        onAdd: function () { return node("div", "iwm-note", opts.note); }
      });
      new Note().addTo(map);
    }
    map.on("overlayadd", restack);
  }
  function restack() {
    stackOrder.forEach(function (layer) { if (layer._map) { layer.bringToFront(); } });
  }
  function stack(map, layers) { stackOrder = layers; restack(); }
  function view(map, bounds) { map.fitBounds(bounds, {animate: false}); }
  function tipNode(lines) {
    var box = node("div", "iwm-tip");
    lines.forEach(function (line, i) { add(box, node("div", i === 0 ? "iwm-tip-title" : "", line)); });
    return box;
  }
  function areaTooltip(feature, layer) {
    var lines = (feature.properties && feature.properties.tip) || [];
    if (lines.length) { layer.bindTooltip(function () { return tipNode(lines); }, {sticky: true}); }
  }
  function streamTable(d, rows, more) {
    var table = node("table", "iwm-streams");
    var head = add(add(table, node("thead")), node("tr"));
    ["EWC", "Waste", d.unit, "Fate"].forEach(function (h) { add(head, node("th", "", h)); });
    var body = add(table, node("tbody"));
    rows.forEach(function (s) {
      var tr = add(body, node("tr"));
      var desc = d.descs[s[0]];
      add(tr, node("td", "iwm-code", desc[0]));
      add(tr, node("td", "", desc[1]));
      add(tr, node("td", "iwm-num", s[1]));
      add(tr, node("td", "", d.fates[s[2]]));
    });
    var box = node("div");
    add(box, table);
    if (more > 0) { add(box, node("div", "iwm-more", "and " + more + " smaller stream" + (more > 1 ? "s" : ""))); }
    return box;
  }
  var layerData = {};
  function fill(template, values) {
    var out = template;
    Object.keys(values).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }
  function sitePopup(d, b, i) {
    var j = d.ref ? d.ref[i] : i;
    var box = node("div", "iwm-popup");
    add(box, node("div", "iwm-popup-title", b.name[j]));
    add(box, node("div", "iwm-popup-meta", b.id[j] + " \u00b7 " + b.places[b.place[j]]));
    add(box, node("div", "iwm-popup-meta", b.sectors[b.sector[j]]));
    add(box, node("div", "iwm-popup-total", fill(d.template, {t: d.t[i], share: d.share[i]})));
    if (d.streams[i].length) {
      add(box, node("div", "iwm-popup-head", d.streamsTitle));
      add(box, streamTable(d, d.streams[i], d.more[i]));
    }
    return box;
  }
  function detail(map, group, layers, minZoom) {
    var inner = L.featureGroup(layers);
    if (!minZoom) { group.addLayer(inner); return; }
    function sync() {
      var show = map.getZoom() >= minZoom;
      if (show && !group.hasLayer(inner)) { group.addLayer(inner); restack(); }
      if (!show && group.hasLayer(inner)) { group.removeLayer(inner); }
    }
    map.on("zoomend", sync);
    sync();
  }
  function sites(map, group, d) {
    layerData[d.kind] = d;
    var b = d.base ? layerData[d.base] : d;  // names, ids and places live in the base layer
    var layers = [];
    var popup = function (layer) { return sitePopup(d, b, layer.options.iwmIndex); };
    var tip = function (layer) {
      var i = layer.options.iwmIndex;
      return tipNode([b.name[d.ref ? d.ref[i] : i]]);
    };
    for (var i = 0; i < d.r.length; i++) {
      var j = d.ref ? d.ref[i] : i;
      var m = L.circleMarker([b.lat[j], b.lon[j]], {
        radius: d.r[i], color: d.ring ? d.colours[d.c[i]] : d.edge, weight: d.ring ? 2.2 : 0.7,
        opacity: 0.95, fill: !d.ring, fillColor: d.colours[d.c[i]], fillOpacity: 0.8,
        iwmKind: d.kind, iwmIndex: i
      });
      m.bindPopup(popup, {maxWidth: 380, minWidth: 220, maxHeight: 320});
      m.bindTooltip(tip, {direction: "top", offset: [0, -4]});
      layers.push(m);
    }
    detail(map, group, layers, d.minZoom);
  }
  function facilityPopup(d, i) {
    var box = node("div", "iwm-popup");
    add(box, node("div", "iwm-popup-title", d.name[i]));
    add(box, node("div", "iwm-popup-meta", d.id[i] + " \u00b7 " + d.types[d.type[i]] + " \u00b7 " + d.places[d.place[i]]));
    d.facts[i].forEach(function (f) { add(box, node("div", "iwm-popup-meta", f)); });
    add(box, node("div", "iwm-popup-head", d.acceptsTitle));
    var list = add(box, node("ul", "iwm-accepts"));
    d.accepts[i].forEach(function (a) { add(list, node("li", "", a)); });
    if (d.moreAccepts[i] > 0) { add(box, node("div", "iwm-more", "and " + d.moreAccepts[i] + " more")); }
    return box;
  }
  function facilities(map, group, d) {
    var popup = function (layer) { return facilityPopup(d, layer.options.iwmIndex); };
    var tip = function (layer) { return tipNode([d.name[layer.options.iwmIndex], d.types[d.type[layer.options.iwmIndex]]]); };
    for (var i = 0; i < d.name.length; i++) {
      var icon = L.divIcon({className: "iwm-facility iwm-ft-" + d.type[i], iconSize: [13, 13], html: ""});
      var m = L.marker([d.lat[i], d.lon[i]], {icon: icon, keyboard: false, iwmKind: "facility", iwmIndex: i});
      m.bindPopup(popup, {maxWidth: 380, minWidth: 220, maxHeight: 320});
      m.bindTooltip(tip, {direction: "top", offset: [0, -8]});
      group.addLayer(m);
    }
  }
  function towns(map, group, d) {
    for (var i = 0; i < d.name.length; i++) {
      var m = L.circleMarker([d.lat[i], d.lon[i]], {
        radius: 2.2, color: "#333", weight: 1, fill: true, fillColor: "#fff", fillOpacity: 1,
        interactive: false, iwmKind: "town"
      });
      if (d.label[i]) {
        m.bindTooltip(node("span", "", d.name[i]), {permanent: true, direction: "right", offset: [3, 0], className: "iwm-town"});
      }
      group.addLayer(m);
    }
  }
  function swatch(item) {
    var s = node("span", "iwm-swatch iwm-swatch-" + item.shape);
    var size = item.size || 12;
    s.style.width = size + "px";
    s.style.height = size + "px";
    if (item.shape === "ring") { s.style.borderColor = item.colour; }
    else { s.style.backgroundColor = item.colour; }
    if (item.edge) { s.style.borderColor = item.edge; }
    return s;
  }
  function legend(map, spec) {
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = node("details", "iwm-legend");
        box.open = true;
        add(box, node("summary", "", spec.title));
        spec.sections.forEach(function (sec) {
          var part = add(box, node("div", "iwm-legend-section"));
          add(part, node("div", "iwm-legend-title", sec.title));
          sec.items.forEach(function (item) {
            var row = add(part, node("div", "iwm-legend-row"));
            var cell = add(row, node("span", "iwm-legend-symbol"));
            add(cell, swatch(item));
            add(row, node("span", "", item.label));
          });
          if (sec.note) { add(part, node("div", "iwm-legend-note", sec.note)); }
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Legend().addTo(map);
  }
  return {init: init, stack: stack, view: view, areaTooltip: areaTooltip, sites: sites,
          facilities: facilities, towns: towns, legend: legend};
})();
"""

_IWM_CSS = """
.leaflet-container { background: %(outside)s; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.iwm-note { background: #fff4d6; border-left: 4px solid #c98a00; padding: 3px 8px; font-size: 12px; max-width: 280px; }
.iwm-tip-title, .iwm-popup-title { font-weight: 600; }
.iwm-popup { font-size: 12px; line-height: 1.35; }
.iwm-popup-title { font-size: 13.5px; margin-bottom: 2px; }
.iwm-popup-meta { color: #444; }
.iwm-popup-total { margin: 4px 0; }
.iwm-popup-head { font-weight: 600; margin-top: 5px; }
.iwm-streams { border-collapse: collapse; margin-top: 2px; }
.iwm-streams th, .iwm-streams td { text-align: left; padding: 1px 4px; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
.iwm-streams .iwm-num { text-align: right; white-space: nowrap; }
.iwm-streams .iwm-code { white-space: nowrap; }
.iwm-more { color: #555; font-style: italic; }
.iwm-accepts { margin: 2px 0 0 0; padding-left: 16px; max-height: 160px; overflow-y: auto; }
.iwm-facility { border: 1.5px solid #fff; outline: 1px solid #222; box-sizing: border-box; }
.iwm-town { background: transparent; border: none; box-shadow: none; padding: 0 2px; font-size: 11px; color: #222; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.iwm-town::before { display: none; }
.iwm-legend { background: rgba(255,255,255,0.94); padding: 4px 8px; font-size: 11.5px; max-height: 330px; overflow-y: auto; max-width: 290px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.iwm-legend summary { font-weight: 600; cursor: pointer; }
.iwm-legend-title { font-weight: 600; margin-top: 5px; }
.iwm-legend-row { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
.iwm-legend-symbol { display: inline-flex; width: 58px; justify-content: center; align-items: center; flex: none; }
.iwm-legend-note { color: #555; font-size: 10.5px; margin-top: 2px; }
.iwm-swatch { display: inline-block; flex: none; box-sizing: border-box; border: 1px solid #222; }
.iwm-swatch-circle, .iwm-swatch-ring { border-radius: 50%%; }
.iwm-swatch-ring { border-width: 2px; background: transparent; }
"""


def _facility_css() -> str:
    return "\n".join(
        f".iwm-ft-{i} {{ background: {FACILITY_COLOURS[t]}; }}"
        for i, t in enumerate(FACILITY_TYPES)
    )


def _assets_html() -> str:
    js, css = leaflet_assets()
    own_css = _IWM_CSS % {"outside": OUTSIDE_COLOUR} + _facility_css()
    return (
        f"<style>{css}</style>\n<style>{own_css}</style>\n"
        f"<script>{js}</script>\n<script>{_IWM_JS}</script>"
    )


def _script_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``<``, ``>`` or ``&`` survive, so no
    text from the data can close the script or open a tag."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


# --------------------------------------------------------------------------------------------
# Deterministic rendering
# --------------------------------------------------------------------------------------------


@contextmanager
def _sequential_ids() -> Iterator[None]:
    """While rendering, elements folium creates get counter ids instead of random ones.

    branca draws ids in ``Element._generate_id``; it is swapped for a counter only for the
    duration of one render (one thread: a notebook kernel or a script) and always restored."""
    from branca.element import Element

    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"r{next(counter)}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def _renumber(root: Any) -> None:
    """Give ``root`` and every element below it ids in tree order (1, 2, ...), keeping the
    children's order and any explicit names they were added under."""
    counter = itertools.count(1)

    def walk(element: Any) -> None:
        items = list(element._children.items())
        renamed = OrderedDict()
        for key, child in items:
            old = child.get_name()
            child._id = str(next(counter))
            renamed[child.get_name() if key == old else key] = child
        element._children = renamed
        for child in renamed.values():
            walk(child)

    root._id = "0"
    walk(root)


class WasteMap:
    """A folium map that renders the same bytes every time, with everything inlined.

    In a notebook it shows as an ``<iframe srcdoc>`` holding the whole page (Leaflet included),
    which nbconvert carries into the report (it re-quotes the attribute; the page inside stays
    the same). ``folium_map`` is the folium object, for readers who want to add layers of their
    own: their elements are numbered like the rest when the map renders.
    """

    def __init__(self, folium_map: Any, title: str, height_px: int = 700) -> None:
        self.folium_map = folium_map
        self.title = title
        self.height_px = height_px

    def to_html(self) -> str:
        """The map as one self-contained HTML document."""
        from branca.element import Element, Figure

        with _sequential_ids():
            figure = Figure(title=html.escape(self.title))
            figure.header.add_child(Element(_assets_html()), name="iwm_assets")
            figure.add_child(self.folium_map, name="map")
            _renumber(self.folium_map)
            return figure.render()

    def save(self, path: str | Path) -> Path:
        """Write the document to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # The page goes into a single-quoted attribute: &, <, > and ' are escaped; the many "
        # of its JSON need not be, which keeps the .ipynb output smaller (nbconvert's HTML
        # re-quotes it with ", so the report's size is the same either way).
        page = html.escape(self.to_html(), quote=False).replace("'", "&#x27;")
        return (
            f'<iframe class="iwm-map-frame" title="{html.escape(self.title)}" '
            f'style="width:100%;height:{int(self.height_px)}px;border:1px solid #bbb;" '
            f"srcdoc='{page}'></iframe>"
        )

    def __repr__(self) -> str:
        return f"WasteMap({self.title!r})"


# --------------------------------------------------------------------------------------------
# Interactive map
# --------------------------------------------------------------------------------------------


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


def _area(
    economic_region: str | None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """All districts, the districts of the area mapped, and the economic regions."""
    districts = geography.districts().sort_values("district", kind="stable")
    regions = geography.economic_regions().sort_values("economic_region", kind="stable")
    area = (
        districts
        if economic_region is None
        else districts[districts["economic_region"] == economic_region]
    )
    if area.empty:
        raise ValueError(f"no district belongs to the economic region {economic_region!r}")
    return districts, area, regions


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


def _colouring(totals: pd.DataFrame, colour_by: str) -> tuple[np.ndarray, list[str], list[str]]:
    """Colour index of each enterprise, with the colours and their legend labels."""
    from .charts import PALETTE

    if colour_by == "hazard":
        return (
            hazard_class(totals["hazardous_share"]),
            [c for _, _, c in HAZARD_CLASSES],
            [label for _, label, _ in HAZARD_CLASSES],
        )
    by_sector = (
        totals.groupby(totals["nace_division"].astype("string").fillna(""))["waste_t"]
        .sum()
        .reset_index()
        .sort_values(["waste_t", "nace_division"], ascending=[False, True], kind="stable")
    )
    top = [d for d in by_sector["nace_division"] if d][:N_SECTOR_COLOURS]
    index = {d: i for i, d in enumerate(top)}
    other = len(top)
    cls = np.array(
        [index.get(str(d), other) if pd.notna(d) else other for d in totals["nace_division"]]
    )
    colours = [*PALETTE[: len(top)], MISSING_COLOUR]
    labels = [_sector_label(d) for d in top] + ["Other sectors"]
    return cls, colours, labels


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
    more: dict[str, int] = {}
    for row in top.itertuples(index=False):
        code = str(row.ewc_code)
        code += "*" if row.hazardous and not code.endswith("*") else ""
        text = "" if pd.isna(row.description) else str(row.description)
        d = descs.setdefault((code, text), len(descs))
        f = fates.setdefault(_fate_label(row.fate), len(fates))
        listed.setdefault(row.enterprise_id, []).append([d, _t(row.quantity_t), f])
        more[row.enterprise_id] = int(row.more)
    payload: dict[str, Any] = {
        "kind": kind,
        "ring": kind == "hazardous",
        "edge": SYMBOL_EDGE,
        "unit": UNIT,
        "minZoom": settings.detail_zoom if len(totals) > settings.detail_limit else 0,
        "template": template,
        "streamsTitle": streams_title,
    }
    if base is None:
        places: dict[str, int] = {}
        sectors: dict[str, int] = {}
        payload |= {
            "name": [str(n) for n in frame["name"]],
            "id": [str(i) for i in frame.index],
            "lat": [round(float(v), 5) for v in frame["latitude"]],
            "lon": [round(float(v), 5) for v in frame["longitude"]],
            "place": [places.setdefault(str(p), len(places)) for p in frame["district"]],
            "sector": [
                sectors.setdefault(_sector_label(s), len(sectors)) for s in frame["nace_division"]
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
        "descs": [list(k) for k in descs],
        "fates": list(fates),
    }


def _facilities_payload(facilities: pd.DataFrame, max_accepts: int = 12) -> dict[str, Any]:
    fac = facilities.sort_values("facility_id", kind="stable")
    places: dict[str, int] = {}
    accepts, more, facts = [], [], []
    for row in fac.itertuples(index=False):
        entries = list(row.accepted_ewc_list) if isinstance(row.accepted_ewc_list, list) else []
        accepts.append([_accepted_label(str(e)) for e in entries[:max_accepts]])
        more.append(max(0, len(entries) - max_accepts))
        ops = list(row.operations_list) if isinstance(row.operations_list, list) else []
        info = []
        if ops:
            info.append("Operations: " + ", ".join(str(o) for o in ops))
        if pd.notna(row.capacity_t_yr):
            info.append(f"Capacity: {_t(float(row.capacity_t_yr))} {UNIT}")
        if pd.notna(row.hazardous_permitted):
            info.append(
                "Hazardous waste permitted: " + ("yes" if bool(row.hazardous_permitted) else "no")
            )
        facts.append(info)
    type_index = {t: i for i, t in enumerate(FACILITY_TYPES)}
    return {
        "name": [str(n) for n in fac["name"]],
        "id": [str(i) for i in fac["facility_id"]],
        "lat": [round(float(v), 5) for v in fac["latitude"]],
        "lon": [round(float(v), 5) for v in fac["longitude"]],
        "type": [type_index.get(str(t), type_index["collector"]) for t in fac["facility_type"]],
        "types": [FACILITY_LABELS[t] for t in FACILITY_TYPES],
        "place": [places.setdefault(str(p), len(places)) for p in fac["district"]],
        "places": list(places),
        "facts": facts,
        "acceptsTitle": "Accepted waste (EWC)",
        "accepts": accepts,
        "moreAccepts": more,
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


def _legend_spec(
    dist: gpd.GeoDataFrame,
    settings: MapSettings,
    colours: list[str],
    colour_labels: list[str],
    reference_t: float,
    facility_types: list[str],
    n_enterprises: int,
) -> dict[str, Any]:
    breaks = dist.attrs["breaks"]
    labels = class_labels(dist["waste_t"], breaks)
    ramp = class_colours(len(breaks))
    if len(breaks) < 2:
        method = "One class: too few districts with enterprises to divide."
    elif settings.classification == "quantiles":
        method = f"{len(breaks)} classes with about equal numbers of districts (quantiles)."
    else:
        method = f"{len(breaks)} classes of equal width (equal intervals)."
    choropleth = [
        {"shape": "square", "colour": c, "label": f"{label} {UNIT}", "size": 14}
        for c, label in zip(ramp, labels, strict=True)
    ]
    if (dist["class"] < 0).any():
        choropleth.append(
            {
                "shape": "square",
                "colour": LAND_COLOUR,
                "label": "No enterprise surveyed",
                "size": 14,
            }
        )
    sizes = [
        {
            "shape": "circle",
            "colour": "#ffffff",
            "edge": SYMBOL_EDGE,
            "size": round(2 * float(symbol_radius([k], reference_t)[0]), 1),
            "label": f"{_t(k)} {UNIT}",
        }
        for k in size_key(reference_t)
    ]
    size_note = "Circle area proportional to the waste generated."
    if n_enterprises > settings.detail_limit:
        size_note += (
            f" Zoom in to level {settings.detail_zoom} to see the {n_enterprises:,} enterprises."
        )
    return {
        "title": "Legend",
        "sections": [
            {
                "title": f"Waste generated per district ({UNIT})",
                "items": choropleth,
                "note": method,
            },
            {"title": "Enterprises: waste generated", "items": sizes, "note": size_note},
            {
                "title": "Enterprises: colour"
                + (
                    " (hazardous share of tonnes)"
                    if settings.colour_by == "hazard"
                    else " (sector, by tonnes)"
                ),
                "items": [
                    {"shape": "circle", "colour": c, "label": label, "size": 12}
                    for c, label in zip(colours, colour_labels, strict=True)
                ],
            },
            {
                "title": "Hazardous waste (layer)",
                "items": [
                    {
                        "shape": "ring",
                        "colour": HAZARD_COLOURS[True],
                        "label": f"Ring area proportional to hazardous {UNIT}",
                        "size": 14,
                    }
                ],
            },
            {
                "title": "Facilities receiving waste",
                "items": [
                    {
                        "shape": "square",
                        "colour": FACILITY_COLOURS[t],
                        "label": FACILITY_LABELS[t],
                        "size": 12,
                    }
                    for t in FACILITY_TYPES
                    if t in facility_types
                ],
            },
        ],
    }


def _call(function: str, payload: Any = None, refs: Sequence[Any] = ()) -> Any:
    """An element whose script calls ``iwm.<function>(map, parent, payload)`` (or, with
    ``refs``, ``iwm.<function>(map, [refs])``), names resolved at render time."""
    from branca.element import MacroElement
    from folium import Map
    from folium.template import Template

    class _Call(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}\n"
            "iwm.{{ this.function }}({{ this.arguments() }});\n"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "iwm_call"
            self.function = function

        def arguments(self) -> str:
            parent = self._parent
            map_ = parent
            while not isinstance(map_, Map):
                map_ = map_._parent
            if refs:
                return f"{map_.get_name()}, [{', '.join(r.get_name() for r in refs)}]"
            args = [map_.get_name()]
            if parent is not map_:
                args.append(parent.get_name())
            args.append(_script_json(payload))
            return ", ".join(args)

    return _Call()


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
    only when ``settings.online_tiles``. Works with no network at all.
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
        colours=[HAZARD_COLOURS[True]],
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


# --------------------------------------------------------------------------------------------
# Static map
# --------------------------------------------------------------------------------------------


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
) -> matplotlib.figure.Figure:
    """The waste map for print: the same layers as :func:`interactive_map` in the projected CRS
    (UTM, metres), with a north arrow, a scale bar, legends and the sources; fixed size (10 x
    7.5 in at 100 dpi), the same pixels on every run."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrow, Patch, Rectangle

    from .charts import source_note

    settings = settings or MapSettings()
    ent, streams = _in_region(study, economic_region)
    districts, area, regions = _area(economic_region)
    totals = enterprise_totals(ent, streams)
    dist = district_waste(totals, area, settings.classification, settings.n_classes)
    breaks = dist.attrs["breaks"]
    ramp = class_colours(len(breaks))
    proj = geography.to_projected

    fig = Figure(figsize=(10, 7.5), dpi=100)
    renderer = FigureCanvasAgg(fig).get_renderer()  # to measure the stacked legends
    ax = fig.add_axes((0.01, 0.075, 0.64, 0.85))
    ax.set_facecolor(OUTSIDE_COLOUR)
    area_p = proj(area)
    xmin, ymin, xmax, ymax = area_p.total_bounds
    pad = 0.06 * max(xmax - xmin, ymax - ymin)
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
    dist_p = proj(dist)
    fills = [ramp[c] if c >= 0 else LAND_COLOUR for c in dist_p["class"]]
    dist_p.plot(ax=ax, color=fills, edgecolor="white", linewidth=0.8)
    proj(districts).boundary.plot(ax=ax, color=LINE_COLOUR, linewidth=0.5)
    regions_p = proj(regions)
    regions_p.boundary.plot(ax=ax, color="#333333", linewidth=0.9, linestyle=(0, (4, 3)))
    if economic_region is not None:
        regions_p[regions_p["economic_region"] == economic_region].boundary.plot(
            ax=ax, color="#333333", linewidth=1.8
        )

    reference_t = float(totals["waste_t"].max()) if len(totals) else 0.0
    colour_index, colours, colour_labels = _colouring(totals, settings.colour_by)
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
    fac = proj(study.facilities.sort_values("facility_id", kind="stable"))
    if len(fac):
        ax.scatter(
            fac.geometry.x,
            fac.geometry.y,
            marker="s",
            s=42,
            c=[FACILITY_COLOURS.get(str(t), MISSING_COLOUR) for t in fac["facility_type"]],
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
        (length, f"{length / 1000:g} km"),
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
        "N",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        zorder=9,
    )

    # Legends on the right.
    labels = class_labels(dist["waste_t"], breaks)
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=f"{label}")
        for c, label in zip(ramp, labels, strict=True)
    ]
    if (dist["class"] < 0).any():
        handles.append(
            Patch(facecolor=LAND_COLOUR, edgecolor="#999999", label="No enterprise surveyed")
        )
    method = (
        "one class"
        if len(breaks) < 2
        else "quantiles"
        if settings.classification == "quantiles"
        else "equal intervals"
    )
    legends = [
        (f"Waste per district, {UNIT}\n({method})", handles),
        (
            f"Enterprises, {UNIT}\n(circle area)",
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
            ],
        ),
        (
            "Enterprises, colour",
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
            ],
        ),
        (
            "Facilities",
            [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="s",
                    markersize=7,
                    markerfacecolor=FACILITY_COLOURS[t],
                    markeredgecolor="white",
                    label=FACILITY_LABELS[t],
                )
                for t in FACILITY_TYPES
                if t in set(study.facilities["facility_type"].astype(str))
            ],
        ),
    ]
    # The size key's circles are larger than a line of text: give them room.
    biggest = 2 * RADIUS_MAX_PX * 0.75 / 8  # in font sizes
    spacing = {
        legends[1][0]: {"handleheight": biggest, "handlelength": biggest, "labelspacing": 0.6}
    }
    top = 0.93
    for heading, items in legends:
        if not items:
            continue
        leg = fig.legend(
            handles=items,
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
        title or f"Waste map: {economic_region or 'Azerbaijan'}",
        fontsize=13,
        fontweight="bold",
        ha="left",
        va="bottom",
    )
    source_note(fig, synthetic, source=f"{SOURCE_TEXT}. {' '.join(ATTRIBUTIONS)}".rstrip("."))
    return fig
