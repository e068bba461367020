"""What the maps show, computed: classes, colours, sizes, labels and the tables behind them.

Pure functions on frames, shared by the interactive map (:mod:`.interactive`) and the static
map (:mod:`.static`): nothing here draws. The settings both read (:class:`MapSettings`), the
colours they use, the district choropleth's classes
(:func:`class_breaks`, :func:`classify`, :func:`class_labels`, :func:`class_colours`), the
enterprise symbols' sizes and colours (:func:`symbol_radius`, :func:`size_key`,
:func:`hazard_class`), the tables each layer is drawn from (:func:`enterprise_totals`,
:func:`main_streams`, :func:`district_waste`, :func:`district_table`) and the texts the maps
print (tonnes, shares, sector, fate and EWC titles).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import charts
from ..data import codes, geography
from ..i18n import N_, _, format_number

if TYPE_CHECKING:
    import geopandas as gpd

    from ..data.study import Study

#: How district totals can be cut into classes (see :func:`class_breaks`).
CLASSIFICATION_METHODS = ("quantiles", "equal_interval")
#: What the colour of an enterprise symbol shows.
COLOUR_BY = ("hazard", "sector")

# Colours. The categorical ones, and the labels of facility types, fates, sectors and EWC codes,
# come from the code tables (iwm_study.data.codes: colours(kind), labels(kind), the Okabe-Ito
# palette), read when a map is drawn. The sequential ramp (matplotlib's ColorBrewer "Greys", a
# neutral ground under coloured symbols) and the neutral greys of land and lines are set here.
CHOROPLETH_CMAP = "Greys"
CHOROPLETH_RANGE = (0.22, 0.70)  # light to mid grey: symbols stay visible on every class
LAND_COLOUR = "#fbfaf6"  # Azerbaijan's land where no class applies
OUTSIDE_COLOUR = "#dfe3e6"  # map background: outside the country
LINE_COLOUR = "#6b6b6b"
SYMBOL_EDGE = "#222222"


def hazard_classes() -> tuple[tuple[str, str, str], ...]:
    """Classes of an enterprise's hazardous share of tonnes: (key, label, colour). The ends take
    the code table's colours of non-hazardous and hazardous waste, the middle Okabe-Ito orange."""
    hazardous = codes.colours("hazardous")
    return (
        ("none", _("No hazardous waste"), hazardous[False]),
        ("some", _("Hazardous: under half of the tonnes"), codes.colours("palette")["orange"]),
        ("mostly", _("Hazardous: half of the tonnes or more"), hazardous[True]),
    )


#: Names that read the code tables when used (PEP 562): the colour and the label of each
#: facility type (``facility_types.csv``) and the hazard classes.
_FROM_CODE_TABLES: dict[str, Any] = {
    "FACILITY_COLOURS": lambda: codes.colours("facility_type"),
    "FACILITY_LABELS": lambda: codes.labels("facility_type"),
    "HAZARD_CLASSES": hazard_classes,
}

if TYPE_CHECKING:  # served by __getattr__ below
    FACILITY_COLOURS: dict[str, str]
    FACILITY_LABELS: dict[str, str]
    HAZARD_CLASSES: tuple[tuple[str, str, str], ...]


def __getattr__(name: str) -> Any:
    if name in _FROM_CODE_TABLES:
        return _FROM_CODE_TABLES[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Enterprise symbols: circle area proportional to tonnes, the largest this radius (px), none
#: smaller than the minimum so that small producers stay visible and clickable.
RADIUS_MAX_PX = 28.0
RADIUS_MIN_PX = 3.0
N_SECTOR_COLOURS = 7  # the sectors with most tonnes get a colour each, the rest are "other"

#: The unit of every tonnage on the maps, in English (shown as ``_(UNIT)``).
UNIT = N_("t/yr")


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
    # A map whose area has fewer districts with waste than this shows the waste on a grid of
    # hexagons (maps.hexgrid) instead of the district choropleth, which would have one or two
    # classes ("1 of 1 district"); 0: never.
    hex_below: int = 3
    hex_width_m: float | None = None  # width of a hexagon across flats; None: from the sites

    def __post_init__(self) -> None:
        if self.classification not in CLASSIFICATION_METHODS:
            raise ValueError(
                f"classification {self.classification!r} is not one of {CLASSIFICATION_METHODS}"
            )
        if not 1 <= self.n_classes <= 9:
            raise ValueError(f"n_classes must be between 1 and 9, not {self.n_classes}")
        if self.colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by {self.colour_by!r} is not one of {COLOUR_BY}")
        if self.hex_below < 0:
            raise ValueError(f"hex_below must be 0 or more, not {self.hex_below}")
        if self.hex_width_m is not None and not self.hex_width_m > 0:
            raise ValueError(f"hex_width_m must be positive, not {self.hex_width_m}")


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
    from ..inventory import enterprise_totals as inventory_totals

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


#: Report headers (with units) and number formats of ``district_table``, for ``report.table``.
DISTRICT_HEADERS: dict[str, tuple[str, str | None]] = {
    "district": (N_("District"), None),
    "enterprises": (N_("Enterprises surveyed"), "{:,}"),
    "waste_t": (N_("Waste (t/yr)"), "{:,.0f}"),
    "hazardous_t": (N_("Hazardous waste (t/yr)"), "{:,.0f}"),
    "share_pct": (N_("Share of the waste (%)"), "{:.1f}"),
    "map_class": (N_("Map class"), None),
}


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
            "map_class": class_names(dist["class"], labels),
        }
    )
    out = out.sort_values(["waste_t", "district"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def class_names(classes: Sequence[int], labels: Sequence[str]) -> list[str]:
    """The map class of each row as the report's tables name it: "2: 120 – 450 t/yr", or
    "no enterprise surveyed" for -1."""
    return [
        _("{number}: {values} {unit}").format(number=c + 1, values=labels[c], unit=_(UNIT))
        if c >= 0
        else _("no enterprise surveyed")
        for c in classes
    ]


def _in_region(study: Study, economic_region: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The enterprises of the region and their streams (all of them for None)."""
    ent, streams = study.enterprises, study.waste_streams
    if economic_region is not None:
        ent = ent[ent["economic_region"] == economic_region]
        streams = streams[streams["enterprise_id"].isin(ent["enterprise_id"])]
    return ent, streams


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
    """Tonnes as the maps print them, in the report's language: no decimals from 100 t, one
    below, two below 1 t."""
    if value is None or not np.isfinite(value):
        return _("n/a")
    value = float(value)
    digits = 0 if abs(value) >= 100 or value == 0 else 1 if abs(value) >= 1 else 2
    return format_number(value, digits)


def _pct(share: float) -> str:
    """A share (0-1) as a percentage with one decimal, in the report's language."""
    if share is None or not np.isfinite(share):
        return _("n/a")
    return format_number(float(share), 1, percent=True)


def _ewc_titles() -> dict[str, str]:
    """The titles of the EWC chapters and sub-chapters, by code ("10", "10 03")."""
    return codes.labels("ewc_chapter") | codes.labels("ewc_subchapter")


def _sector_label(division: Any, titles: Mapping[str, str] | None = None) -> str:
    """'NACE 24 Manufacture of basic metals'; ``titles``: ``codes.labels("nace_division")``,
    given by callers that label many enterprises."""
    if division is None or pd.isna(division):
        return _("Sector not given")
    division = str(division)
    titles = codes.labels("nace_division") if titles is None else titles
    return f"NACE {division} {titles.get(division, '')}".strip()


def _fate_label(fate: Any, labels: Mapping[str, str] | None = None) -> str:
    """The fate's label in the code table; ``labels``: ``codes.labels("fate")``, given by
    callers that label many streams."""
    if fate is None or pd.isna(fate):
        return _("Fate not reported")
    labels = codes.labels("fate") if labels is None else labels
    return labels.get(str(fate), str(fate))


def _accepted_label(entry: str, titles: Mapping[str, str] | None = None) -> str:
    """An accepted-waste entry with the title of its chapter or sub-chapter; ``titles``:
    ``_ewc_titles()``, given by callers that label many entries."""
    titles = _ewc_titles() if titles is None else titles
    digits = entry.replace(" ", "").rstrip("*")
    key = entry if entry in titles else " ".join(re.findall("..", digits)[:2])
    title = titles.get(key) or titles.get(digits[:2], "")
    if key == entry:
        return f"{entry} {title}".strip()
    return _("{entry} (in {group})").format(entry=entry, group=f"{key} {title}".strip())


def _colouring(totals: pd.DataFrame, colour_by: str) -> tuple[np.ndarray, list[str], list[str]]:
    """Colour index of each enterprise, with the colours and their legend labels."""
    if colour_by == "hazard":
        classes = hazard_classes()
        return (
            hazard_class(totals["hazardous_share"]),
            [c for _, _, c in classes],
            [label for _, label, _ in classes],
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
    colours = [*charts.PALETTE[: len(top)], charts.MISSING_COLOUR]
    titles = codes.labels("nace_division")
    labels = [_sector_label(d, titles) for d in top] + [_("Other sectors")]
    return cls, colours, labels
