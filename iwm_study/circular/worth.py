"""What the options are worth, for the report: key figures, tables and prose with their ranges.

Read-only views of a :class:`~.valuation.Valuation`: the key figures of a region for the index
(:func:`value_key_figures`, recorded with ``report.record_figures``), each option's net value
and net avoided emissions with their ranges (:func:`options_value_table`), how a region's value
adds up (:func:`value_parts_table`), the regions side by side (:func:`value_by_region_table`),
two sentences (:func:`value_markdown`) and the factor table with its sources
(:func:`factors_table`). Circular options and safer treatment are always shown apart. Tables are
shown with ``report.table`` and the ``..._HEADERS`` here; a wide one fits the page with
``SHOWN_VALUE_COLUMNS`` and :func:`wrap_long_text`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..data import codes
from ..data.factors import FACTORS
from ..report import KeyFigure
from .results import _t

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from ..report import Headers
    from .valuation import Valuation


#: The kinds of option as reports name them.
OPTION_KIND_LABELS: dict[str, str] = {
    "circular": "Circular options",
    "safer_treatment": "Safer treatment of hazardous waste",
}
#: The parts of an option's value, as the report names them, in the order they add up.
VALUE_PART_LABELS: dict[str, str] = {
    "avoided_disposal_azn": "Avoided disposal cost (AZN/yr)",
    "material_value_azn": "Value of the secondary material (AZN/yr)",
    "transport_cost_azn": "Transport cost (AZN/yr)",
    "net_azn_yr": "Net value (AZN/yr)",
    "avoided_virgin_t_co2e": "Avoided emissions of the virgin material (t CO2e/yr)",
    "avoided_methane_t_co2e": "Avoided landfill methane (t CO2e/yr)",
    "transport_t_co2e": "Transport emissions (t CO2e/yr)",
    "net_t_co2e_yr": "Net avoided emissions (t CO2e/yr)",
}
#: Report headers of the valued options (``options_value_table``).
VALUE_HEADERS: dict[str, tuple[str, str | None]] = {
    "rank": ("Rank", None),
    "stream_id": ("Stream", None),
    "enterprise_name": ("Enterprise", None),
    "ewc_code": ("EWC", None),
    "material_class": ("Material class", None),
    "quantity_t": ("Quantity (t/yr)", "{:,.1f}"),
    "fate": ("Today", None),
    "receiver_name": ("Receiver", None),
    "operation": ("Operation", None),
    "road_km": ("Road (km)", "{:,.1f}"),
    "value_azn_yr": ("Net value, AZN/yr (range)", None),
    "co2e_t_yr": ("Net avoided emissions, t CO2e/yr (range)", None),
}
#: The columns the report shows of the valued options (the top ones, every one, safer
#: treatment): few enough to fit a 1280 px screen and an A4 page whole. The stream, its
#: material class and the operation are on the map's lines and in the tables around them.
SHOWN_VALUE_COLUMNS: tuple[str, ...] = (
    "rank",
    "enterprise_name",
    "ewc_code",
    "quantity_t",
    "fate",
    "receiver_name",
    "road_km",
    "value_azn_yr",
    "co2e_t_yr",
)
#: Text columns of the valued options that may break inside a long word (names of enterprises
#: and receivers run to 40 letters), so that a wide table fits the page (``wrap_long_text``).
WRAPPED_COLUMNS: tuple[str, ...] = ("enterprise_name", "receiver_name")
#: Report headers of the factor table (``factors_table``).
FACTOR_HEADERS: dict[str, tuple[str, str | None]] = {
    "factor": ("Factor", None),
    "key": ("For", None),
    "unit": ("Unit", None),
    "low": ("Low", "{:,.4g}"),
    "central": ("Central", "{:,.4g}"),
    "high": ("High", "{:,.4g}"),
    "year": ("Year", "{:d}"),
    "source": ("Source", None),
}


def _number(value: float) -> str:
    """A value as a reviewer reads it: whole numbers from 100 up, one decimal below (no '-0')."""
    digits = 0 if abs(value) >= 100 else 1
    return f"{0.0 if round(value, digits) == 0 else value:,.{digits}f}"


def span_text(low: float, high: float) -> str:
    """'4,100–25,000', or '-3,000 to 500' when an end is negative (a minus sign is never read
    as a dash)."""
    lo, hi = _number(low), _number(high)
    return f"{lo} to {hi}" if lo.startswith("-") or hi.startswith("-") else f"{lo}–{hi}"


def range_text(central: float, low: float, high: float, unit: str = "") -> str:
    """'12,300 AZN/yr (4,100–25,000)': the central value, its unit, then its range."""
    return f"{_number(central)}{' ' + unit if unit else ''} ({span_text(low, high)})"


def _ends(frame: pd.DataFrame | pd.Series, part: str) -> tuple[float, float, float]:
    return tuple(float(frame[f"{part}_{end}"]) for end in ("central", "low", "high"))


def options_value_table(valued: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Valued options (rows of ``Valuation.matches``), one row each with its net value and net
    avoided emissions as text with their ranges; shown with ``report.table`` and
    ``VALUE_HEADERS``. ``rank`` is the rank within the rows given (a region's options of one
    kind, in the study's order): 1..n, not the study-wide rank. ``columns``: those to show
    (``SHOWN_VALUE_COLUMNS`` for a table that fits a page), all of ``VALUE_HEADERS`` by default."""
    cols = [c for c in VALUE_HEADERS if c not in ("value_azn_yr", "co2e_t_yr")]
    out = valued[cols].copy()
    out["rank"] = range(1, len(out) + 1)
    out["fate"] = out["fate"].map(codes.labels("fate")).fillna("not reported")
    out["material_class"] = out["material_class"].str.replace("_", " ")
    out["value_azn_yr"] = [range_text(*_ends(r, "net_azn_yr")) for _, r in valued.iterrows()]
    out["co2e_t_yr"] = [range_text(*_ends(r, "net_t_co2e_yr")) for _, r in valued.iterrows()]
    return out[list(columns or VALUE_HEADERS)].reset_index(drop=True)


def wrap_long_text(
    styler: Styler, columns: Sequence[str] = WRAPPED_COLUMNS, headers: Headers = VALUE_HEADERS
) -> Styler:
    """``styler`` (a table of ``report.table``) whose text ``columns`` (named as in the frame,
    shown under ``headers``) may break inside a long word (at 4 em wide at least), so that they
    no longer set the table's smallest width: a wide table fits a 1280 px screen and an A4
    page and prints whole. Scoped to this table, like the alignment ``report.table`` sets."""
    wanted = {headers[c][0] if c in headers else c for c in columns}
    rules = [
        {"selector": f"td.col{i}", "props": "overflow-wrap: anywhere; min-width: 4em;"}
        for i, c in enumerate(styler.data.columns)
        if c in wanted
    ]
    return styler.set_table_styles(rules, overwrite=False) if rules else styler


def value_parts_table(
    valuation: Valuation, economic_region: str | None, option_kind: str = "circular"
) -> pd.DataFrame:
    """How a region's value adds up: each part (``VALUE_PART_LABELS``) at its low, central and
    high end, summed over the region's options of one kind; shown with ``PART_HEADERS``."""
    row = valuation.totals(economic_region, option_kind)
    frame = pd.DataFrame({"part": list(VALUE_PART_LABELS.values())})
    for end in ("low", "central", "high"):
        frame[end] = [float(row[f"{part}_{end}"]) for part in VALUE_PART_LABELS]
    return frame


#: Report headers of ``value_parts_table``.
PART_HEADERS: dict[str, tuple[str, str | None]] = {
    "part": ("Part of the value", None),
    "low": ("Low end", "{:,.0f}"),
    "central": ("Central", "{:,.0f}"),
    "high": ("High end", "{:,.0f}"),
}


def value_by_region_table(valuation: Valuation, option_kind: str | None = None) -> pd.DataFrame:
    """Every region of the study and its total: options, tonnes, net value and net avoided
    emissions with their ranges (blank: no option), circular options and safer treatment side
    by side; given an ``option_kind``, that kind's columns only (a table that fits a page)."""
    frame = valuation.by_region
    regions = list(dict.fromkeys(frame["economic_region"]))
    rows = []
    for region in regions:
        row: dict[str, object] = {"economic_region": region}
        for kind in OPTION_KIND_LABELS:
            total = valuation.totals(region, kind)
            prefix = "" if kind == "circular" else "safer_"
            row[f"{prefix}options"] = int(total["options"])
            row[f"{prefix}quantity_t"] = float(total["quantity_t"])
            none = int(total["options"]) == 0
            row[f"{prefix}value_azn_yr"] = "" if none else range_text(*_ends(total, "net_azn_yr"))
            row[f"{prefix}co2e_t_yr"] = "" if none else range_text(*_ends(total, "net_t_co2e_yr"))
        rows.append(row)
    out = pd.DataFrame(rows)
    if option_kind is None:
        return out
    safer = option_kind != "circular"
    return out[[c for c in out if c == "economic_region" or c.startswith("safer_") == safer]]


#: Report headers of ``value_by_region_table``.
REGION_VALUE_HEADERS: dict[str, tuple[str, str | None]] = {
    "economic_region": ("Economic region", None),
    "options": ("Circular options", "{:d}"),
    "quantity_t": ("Circular options: tonnes (t/yr)", "{:,.0f}"),
    "value_azn_yr": ("Net value, AZN/yr (range)", None),
    "co2e_t_yr": ("Net avoided emissions, t CO2e/yr (range)", None),
    "safer_options": ("Safer treatment options", "{:d}"),
    "safer_quantity_t": ("Safer treatment: tonnes (t/yr)", "{:,.0f}"),
    "safer_value_azn_yr": ("Safer treatment: net value, AZN/yr (range)", None),
    "safer_co2e_t_yr": ("Safer treatment: net avoided emissions, t CO2e/yr (range)", None),
}


def value_key_figures(valuation: Valuation, economic_region: str | None) -> list[KeyFigure]:
    """The key figures of the value of a region's options (None: the study's), for
    ``report.record_figures``: ``net_value_azn_yr`` and ``net_t_co2e_yr`` of the circular
    options with their ``_low`` and ``_high`` ends, and the same two of safer treatment
    (``safer_treatment_...``, its range in the note)."""
    circular = valuation.totals(economic_region, "circular")
    safer = valuation.totals(economic_region, "safer_treatment")
    n = int(circular["options"])
    figures = []
    for key, part, label, unit in (
        ("net_value_azn_yr", "net_azn_yr", "Net value of the circular options", "AZN/yr"),
        ("net_t_co2e_yr", "net_t_co2e_yr", "Emissions they avoid, net", "t CO2e/yr"),
    ):
        central, low, high = _ends(circular, part)
        note = f"{n} option{'s' if n != 1 else ''}; range {span_text(low, high)}"
        figures.append(KeyFigure(key, central, label, unit, note, digits=0))
        figures.append(KeyFigure(f"{key}_low", low, f"{label}, low end", unit, digits=0))
        figures.append(KeyFigure(f"{key}_high", high, f"{label}, high end", unit, digits=0))
    m = int(safer["options"])
    for key, part, label, unit in (
        (
            "safer_treatment_net_value_azn_yr",
            "net_azn_yr",
            "Net value of safer treatment",
            "AZN/yr",
        ),
        (
            "safer_treatment_net_t_co2e_yr",
            "net_t_co2e_yr",
            "Safer treatment: emissions avoided, net",
            "t CO2e/yr",
        ),
    ):
        central, low, high = _ends(safer, part)
        note = f"{m} hazardous stream{'s' if m != 1 else ''}; range {span_text(low, high)}"
        figures.append(KeyFigure(key, central, label, unit, note, digits=0 if "azn" in key else 1))
    return figures


def value_markdown(valuation: Valuation, economic_region: str | None) -> str:
    """What a region's options are worth, in two sentences of Markdown."""
    where = html.escape(economic_region) if economic_region else "the study"
    circular = valuation.totals(economic_region, "circular")
    safer = valuation.totals(economic_region, "safer_treatment")
    n, m = int(circular["options"]), int(safer["options"])
    if n == 0 and m == 0:
        return f"No option was found for {where}, so there is nothing to value."
    text = (
        f"The {n} circular option{'s' if n != 1 else ''} of {where} "
        f"({_t(float(circular['quantity_t']))}) would be worth "
        f"**{range_text(*_ends(circular, 'net_azn_yr'), 'AZN/yr')}** and avoid "
        f"**{range_text(*_ends(circular, 'net_t_co2e_yr'), 't CO2e/yr')}** net of transport."
    )
    if m:
        text += (
            f" Apart from them, safer treatment of {m} hazardous stream{'s' if m != 1 else ''} "
            f"({_t(float(safer['quantity_t']))}) has a net value of "
            f"{range_text(*_ends(safer, 'net_azn_yr'), 'AZN/yr')} (negative: a cost) and "
            f"avoids {range_text(*_ends(safer, 'net_t_co2e_yr'), 't CO2e/yr')}: its worth is "
            "the risk it removes, which these figures do not count."
        )
    return text


def factors_table(factors: pd.DataFrame) -> pd.DataFrame:
    """The valuation factors as the report lists them, with their sources: shown with
    ``report.table`` and ``FACTOR_HEADERS`` (``index=False``)."""
    labels = {name: spec.label for name, spec in FACTORS.items()}
    fates = codes.labels("fate")
    out = factors[list(FACTOR_HEADERS)].copy()
    order = {name: i for i, name in enumerate(FACTORS)}
    out["_order"] = out["factor"].map(order)
    out = out.sort_values("_order", kind="mergesort").drop(columns="_order")  # file order within
    out["key"] = [
        fates.get(k, k) if f.startswith("avoided_disposal") else k.replace("_", " ")
        for f, k in zip(out["factor"], out["key"], strict=True)
    ]
    out["factor"] = out["factor"].map(labels)
    return out.reset_index(drop=True)
