"""The indicators a region's conclusions speak of: one catalogue, one value per name.

The catalogue is the code table ``indicators.csv``. The recommendation rules
(``recommendations.csv``) name these indicators in their conditions,
the summary reads them, and the national synthesis sets them side by side. They come from the
analysis packages, never computed twice:

* the inventory (``inventory.indicators`` and a few shares of this module);
* the circular options and their value (``circular``), when the caller gives a matching;
* coverage, the grossed-up estimate and on-site storage (``inventory.coverage`` and
  ``inventory.storage``), when the caller gives them;
* national references (``codes.national_figures`` and the national shares of
  ``fate_categories.csv``).

An indicator that cannot be computed (no register, no receiver data ...) is NaN, which a rule
reports as "not assessed" rather than as false.

``INDICATORS`` holds the catalogue's English; what a report shows (label, unit, definition) is
read in the report's language with ``indicator`` (the table's ``<column>_az`` columns).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import codes
from ..i18n import _, format_number, language, using

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass(frozen=True)
class Indicator:
    """One indicator: how a report names it, its unit, what it means, the decimals shown."""

    label: str
    unit: str
    definition: str
    digits: int = 1


@functools.cache
def _catalogue(code: str = "en") -> dict[str, Indicator]:
    """The catalogue with its texts in language ``code`` (English where a cell is blank)."""
    table = codes.indicators()
    with using(code):
        label, unit, definition = (
            codes.in_language(table, c).tolist() for c in ("label", "unit", "definition")
        )
    return {
        key: Indicator(lab, u, d, int(digits))
        for key, lab, u, d, digits in zip(
            table["key"], label, unit, definition, table["digits"], strict=True
        )
    }


#: Every indicator a condition may name, by key, in the order reports list them (the code
#: table ``indicators.csv``: one place for their names, units and meanings), in English.
INDICATORS: dict[str, Indicator] = _catalogue()


def indicator(key: str) -> Indicator:
    """Indicator ``key`` as a report in the current language names it (KeyError if unknown)."""
    return _catalogue(language())[key]


def plain_number(value: float) -> str:
    """A number of a rule as its author wrote it (up to ten significant digits, no trailing
    zeros), thousands grouped, in the report's language: '1,000', '13.8' ('1.000', '13,8')."""
    text = f"{value:.10g}"
    if "e" in text or "n" in text:  # very large or small, inf, nan: as Python writes it
        return f"{value:,.10g}"
    digits = len(text.split(".")[1]) if "." in text else 0
    return format_number(float(value), digits)


def describe(key: str, value: float) -> str:
    """One indicator in words, for a recommendation's evidence: 'Landfill rate 21.4 %'."""
    if key not in INDICATORS:
        return f"{key} {plain_number(value)}"
    return f"{indicator(key).label} {format_indicator(key, value)}"


def format_threshold(key: str | None, value: float) -> str:
    """A number a condition compares indicator ``key`` with, in that indicator's unit."""
    ind = indicator(key) if key in INDICATORS else None
    number = plain_number(value)
    if ind is None or not ind.unit:
        return number
    return f"{number} {ind.unit}"


def format_indicator(key: str, value: float) -> str:
    """An indicator's value with its unit, as a report shows it ('n/a' when not known)."""
    ind = indicator(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    number = format_number(float(value), ind.digits)
    if not ind.unit:
        return number
    return f"{number} {ind.unit}" if ind.unit != "%" else f"{number} %"


def national_values() -> dict[str, float]:
    """The national references, from the code tables (State Statistical Committee, 2022)."""
    fates = codes.fate_categories().set_index("fate")["national_share_2022_pct"]
    nat = codes.national_figures().set_index("key")["value"]
    return {
        "national_landfill_share_pct": float(fates["landfilled"]),
        "national_kept_on_site_pct": float(fates["kept_on_site"]),
        "national_hazardous_share_pct": float(
            100.0 * nat["hazardous_generated_t"] / nat["waste_generated_t"]
        ),
    }


def _road_km_to_nearest(
    producers: gpd.GeoSeries, sites: gpd.GeoSeries, road_factor: float
) -> np.ndarray:
    """Road km (straight line in the projected CRS x road factor) from each producer to the
    nearest site; inf when there is none. Points without a location give NaN."""
    from ..data.geography import PROJECTED_CRS

    if producers.empty:
        return np.array([], dtype=float)
    px = producers.to_crs(PROJECTED_CRS)
    missing = px.is_empty.to_numpy() | px.isna().to_numpy()
    x = np.where(missing, np.nan, px.x.where(~missing).to_numpy(dtype=float))
    y = np.where(missing, np.nan, px.y.where(~missing).to_numpy(dtype=float))
    sites = sites[~(sites.is_empty | sites.isna())]
    if sites.empty:
        return np.where(missing, np.nan, np.inf)
    sx = sites.to_crs(PROJECTED_CRS)
    d = np.hypot(x[:, None] - sx.x.to_numpy()[None, :], y[:, None] - sx.y.to_numpy()[None, :])
    return d.min(axis=1) / 1000.0 * road_factor


def inventory_values(
    streams: pd.DataFrame,
    enterprises: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame | None = None,
    *,
    max_distance_km: float = 50.0,
    road_factor: float = 1.3,
) -> dict[str, float]:
    """The indicators that come from the inventory alone (one region's streams)."""
    from ..inventory import indicators as inventory_indicators

    inv = inventory_indicators(streams, enterprises).set_index("key")["value"]
    tonnes = streams["quantity_t"].astype(float).fillna(0.0)
    total = float(tonnes.sum())
    hazardous = streams["hazardous"].fillna(False).astype(bool)
    chapter = streams["ewc_code"].fillna("").astype(str).str[:2]
    fate = streams["fate"]
    unknown = fate.isna() | (fate == "unknown")

    def share(part: float, whole: float) -> float:
        return 100.0 * part / whole if whole else math.nan

    haz_t = float(tonnes[hazardous].sum())
    values = {
        "waste_t": total,
        "enterprises_surveyed": float(enterprises["enterprise_id"].nunique()),
        "hazardous_t": haz_t,
        "hazardous_share_pct": share(haz_t, total),
        "packaging_t": float(tonnes[chapter == "15"].sum()),
        "packaging_share_pct": share(float(tonnes[chapter == "15"].sum()), total),
        "recovery_rate_pct": float(inv["recovery_rate_pct"]),
        "landfill_rate_pct": float(inv["landfill_rate_pct"]),
        "kept_on_site_pct": float(inv["kept_on_site_pct"]),
        "unknown_fate_share_pct": share(float(tonnes[unknown].sum()), total),
        "estimated_share_pct": float(inv["estimated_share_pct"]),
        "hazardous_far_share_pct": math.nan,
    }
    if facilities is not None and haz_t > 0:
        permitted = facilities[facilities["hazardous_permitted"].fillna(False).astype(bool)]
        ent = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")
        km = pd.Series(
            _road_km_to_nearest(ent.geometry, permitted.geometry, road_factor), index=ent.index
        )
        haz = streams[hazardous]
        dist = haz["enterprise_id"].map(km).to_numpy(dtype=float)
        located = ~np.isnan(dist)
        located_t = float(tonnes[hazardous].to_numpy()[located].sum())
        far_t = float(tonnes[hazardous].to_numpy()[located & (dist > max_distance_km)].sum())
        values["hazardous_far_share_pct"] = share(far_t, located_t)
    return values


def collect(*parts: Mapping[str, float]) -> dict[str, float]:
    """One region's indicators: the national references, then each part in turn (inventory,
    options, coverage, storage); every indicator of the catalogue is present (NaN: unknown)."""
    values = {key: math.nan for key in INDICATORS}
    values.update(national_values())
    for part in parts:
        for key, value in part.items():
            if key not in INDICATORS:
                raise KeyError(f"{key!r} is not an indicator of the catalogue (INDICATORS).")
            values[key] = math.nan if value is None else float(value)
    return values


def indicator_frame(values: Mapping[str, float], keys: list[str] | None = None) -> pd.DataFrame:
    """Indicators as a report table: indicator, value (with its unit), what it means (in the
    report's language)."""
    keys = keys or [k for k in INDICATORS if k in values]
    return pd.DataFrame(
        {
            _("Indicator"): [indicator(k).label for k in keys],
            _("Value"): [format_indicator(k, values.get(k, math.nan)) for k in keys],
            _("Definition"): [indicator(k).definition for k in keys],
        }
    )
