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

from .. import report
from ..data import codes
from ..data.factors import FACTORS
from ..i18n import N_, _, ngettext
from ..report import KeyFigure
from .results import _t, in_language
from .valuation import TOTAL

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from ..report import Headers
    from .valuation import Valuation


#: The kinds of option as reports name them.
OPTION_KIND_LABELS: dict[str, str] = {
    "circular": N_("Circular options"),
    "safer_treatment": N_("Safer treatment of hazardous waste"),
}
#: The parts of an option's value, as the report names them, in the order they add up.
VALUE_PART_LABELS: dict[str, str] = {
    "avoided_disposal_azn": N_("Avoided disposal cost (AZN/yr)"),
    "material_value_azn": N_("Value of the secondary material (AZN/yr)"),
    "transport_cost_azn": N_("Transport cost (AZN/yr)"),
    "net_azn_yr": N_("Net value (AZN/yr)"),
    "avoided_virgin_t_co2e": N_("Avoided emissions of the virgin material (t CO2e/yr)"),
    "avoided_methane_t_co2e": N_("Avoided landfill methane (t CO2e/yr)"),
    "transport_t_co2e": N_("Transport emissions (t CO2e/yr)"),
    "net_t_co2e_yr": N_("Net avoided emissions (t CO2e/yr)"),
}
#: The material classes of the shipped ``material_classes.csv`` as reports name them (in
#: English: translated where shown, ``material_class_label``); a study's own class is named
#: by its code, underscores as spaces.
MATERIAL_CLASS_LABELS: dict[str, str] = {
    "ash": N_("ash"),
    "ferrous_metal": N_("ferrous metal"),
    "food_organic": N_("food organic"),
    "glass": N_("glass"),
    "green_waste": N_("green waste"),
    "hazardous_organic": N_("hazardous organic"),
    "lead_batteries": N_("lead batteries"),
    "mineral_aggregate": N_("mineral aggregate"),
    "mixed_plastics": N_("mixed plastics"),
    "mixed_waste": N_("mixed waste"),
    "non_ferrous_metal": N_("non ferrous metal"),
    "oily_waste": N_("oily waste"),
    "organic_sludge": N_("organic sludge"),
    "paper": N_("paper"),
    "polymer_scrap": N_("polymer scrap"),
    "slag": N_("slag"),
    "textiles": N_("textiles"),
    "tyres": N_("tyres"),
    "unclassified": N_("unclassified"),
    "used_oil": N_("used oil"),
    "weee": N_("weee"),
    "wood": N_("wood"),
}
#: Units of the valuation factors (``data.factors.FACTORS``) as reports write them.
UNIT_LABELS: dict[str, str] = {
    "AZN/t": N_("AZN/t"),
    "AZN/t-km": N_("AZN/t-km"),
    "t CO2e/t": N_("t CO2e/t"),
    "ratio": N_("ratio"),
    "t C/t": N_("t C/t"),
    "fraction": N_("fraction"),
    "t CO2e/t CH4": N_("t CO2e/t CH4"),
}


def material_class_label(material_class: str) -> str:
    """A material class in words, in the reader's language ('ferrous_metal': 'ferrous
    metal')."""
    shown = MATERIAL_CLASS_LABELS.get(material_class)
    return _(shown) if shown else str(material_class).replace("_", " ")


#: Report headers of the valued options (``options_value_table``).
VALUE_HEADERS: dict[str, tuple[str, str | None]] = {
    "rank": (N_("Rank"), None),
    "stream_id": (N_("Stream"), None),
    "enterprise_name": (N_("Enterprise"), None),
    "ewc_code": (N_("EWC"), None),
    "material_class": (N_("Material class"), None),
    "quantity_t": (N_("Quantity (t/yr)"), "{:,.1f}"),
    "fate": (N_("Today"), None),
    "receiver_name": (N_("Receiver"), None),
    "operation": (N_("Operation"), None),
    "road_km": (N_("Road (km)"), "{:,.1f}"),
    "value_azn_yr": (N_("Net value, AZN/yr (range)"), None),
    "co2e_t_yr": (N_("Net avoided emissions, t CO2e/yr (range)"), None),
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
    "factor": (N_("Factor"), None),
    "key": (N_("For"), None),
    "unit": (N_("Unit"), None),
    "low": (N_("Low"), "{:,.4g}"),
    "central": (N_("Central"), "{:,.4g}"),
    "high": (N_("High"), "{:,.4g}"),
    "year": (N_("Year"), "{:d}"),
    "source": (N_("Source"), None),
}


def span_text(low: float, high: float) -> str:
    """'4,100–25,000', or '-3,000 to 500' when an end is negative (a minus sign is never read
    as a dash), written as the reader's language writes numbers (``report.span_text``)."""
    return report.span_text(low, high)


def range_text(central: float, low: float, high: float, unit: str = "") -> str:
    """'12,300 AZN/yr (4,100–25,000)': the central value, its unit (given in the reader's
    language: ``_("AZN/yr")``), then its range (``report.range_text``)."""
    return report.range_text(central, low, high, unit)


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
    out["fate"] = out["fate"].map(codes.labels("fate")).fillna(_("not reported"))
    out["material_class"] = out["material_class"].map(material_class_label)
    # Ranged cells: shown '1,234 (1,000–2,000)', kept as three numbers in the Excel annex.
    out["value_azn_yr"] = [report.Ranged(*_ends(r, "net_azn_yr")) for _, r in valued.iterrows()]
    out["co2e_t_yr"] = [report.Ranged(*_ends(r, "net_t_co2e_yr")) for _, r in valued.iterrows()]
    return out[list(columns or VALUE_HEADERS)].reset_index(drop=True)


def wrap_long_text(
    styler: Styler, columns: Sequence[str] = WRAPPED_COLUMNS, headers: Headers = VALUE_HEADERS
) -> Styler:
    """``styler`` (a table of ``report.table``) whose text ``columns`` (named as in the frame,
    shown under ``headers``) may break inside a long word (at 4 em wide at least), so that they
    no longer set the table's smallest width: a wide table fits a 1280 px screen and an A4
    page and prints whole. Scoped to this table, like the alignment ``report.table`` sets."""
    wanted = {_(headers[c][0]) if c in headers else c for c in columns}
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
    frame = pd.DataFrame({"part": [_(label) for label in VALUE_PART_LABELS.values()]})
    for end in ("low", "central", "high"):
        frame[end] = [float(row[f"{part}_{end}"]) for part in VALUE_PART_LABELS]
    return frame


#: Report headers of ``value_parts_table``.
PART_HEADERS: dict[str, tuple[str, str | None]] = {
    "part": (N_("Part of the value"), None),
    "low": (N_("Low end"), "{:,.0f}"),
    "central": (N_("Central"), "{:,.0f}"),
    "high": (N_("High end"), "{:,.0f}"),
}


def value_by_region_table(valuation: Valuation, option_kind: str | None = None) -> pd.DataFrame:
    """Every region of the study and its total: options, tonnes, net value and net avoided
    emissions with their ranges (blank: no option), circular options and safer treatment side
    by side; given an ``option_kind``, that kind's columns only (a table that fits a page)."""
    frame = valuation.by_region
    regions = list(dict.fromkeys(frame["economic_region"]))
    rows = []
    for region in regions:
        row: dict[str, object] = {"economic_region": _(TOTAL) if region == TOTAL else region}
        for kind in OPTION_KIND_LABELS:
            total = valuation.totals(region, kind)
            prefix = "" if kind == "circular" else "safer_"
            row[f"{prefix}options"] = int(total["options"])
            row[f"{prefix}quantity_t"] = float(total["quantity_t"])
            none = int(total["options"]) == 0
            row[f"{prefix}value_azn_yr"] = (
                None if none else report.Ranged(*_ends(total, "net_azn_yr"))
            )
            row[f"{prefix}co2e_t_yr"] = (
                None if none else report.Ranged(*_ends(total, "net_t_co2e_yr"))
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    if option_kind is None:
        return out
    safer = option_kind != "circular"
    return out[[c for c in out if c == "economic_region" or c.startswith("safer_") == safer]]


#: Report headers of ``value_by_region_table``.
REGION_VALUE_HEADERS: dict[str, tuple[str, str | None]] = {
    "economic_region": (N_("Economic region"), None),
    "options": (N_("Circular options"), "{:d}"),
    "quantity_t": (N_("Circular options: tonnes (t/yr)"), "{:,.0f}"),
    "value_azn_yr": (N_("Net value, AZN/yr (range)"), None),
    "co2e_t_yr": (N_("Net avoided emissions, t CO2e/yr (range)"), None),
    "safer_options": (N_("Safer treatment options"), "{:d}"),
    "safer_quantity_t": (N_("Safer treatment: tonnes (t/yr)"), "{:,.0f}"),
    "safer_value_azn_yr": (N_("Safer treatment: net value, AZN/yr (range)"), None),
    "safer_co2e_t_yr": (N_("Safer treatment: net avoided emissions, t CO2e/yr (range)"), None),
}


def value_key_figures(valuation: Valuation, economic_region: str | None) -> list[KeyFigure]:
    """The key figures of the value of a region's options (None: the study's), for
    ``report.record_figures``: ``net_value_azn_yr`` and ``net_t_co2e_yr`` of the circular
    options with their ``_low`` and ``_high`` ends, and the same two of safer treatment
    (``safer_treatment_...``, its range in the note). Labels, notes and units in the reader's
    language."""
    circular = valuation.totals(economic_region, "circular")
    safer = valuation.totals(economic_region, "safer_treatment")
    n = int(circular["options"])
    figures = []
    for key, part, label, low_label, high_label, unit in (
        (
            "net_value_azn_yr",
            "net_azn_yr",
            _("Net value of the circular options"),
            _("Net value of the circular options, low end"),
            _("Net value of the circular options, high end"),
            _("AZN/yr"),
        ),
        (
            "net_t_co2e_yr",
            "net_t_co2e_yr",
            _("Emissions they avoid, net"),
            _("Emissions they avoid, net, low end"),
            _("Emissions they avoid, net, high end"),
            _("t CO2e/yr"),
        ),
    ):
        central, low, high = _ends(circular, part)
        note = ngettext("{n} option; range {range}", "{n} options; range {range}", n).format(
            n=n, range=span_text(low, high)
        )
        figures.append(KeyFigure(key, central, label, unit, note, digits=0))
        figures.append(KeyFigure(f"{key}_low", low, low_label, unit, digits=0))
        figures.append(KeyFigure(f"{key}_high", high, high_label, unit, digits=0))
    m = int(safer["options"])
    for key, part, label, unit in (
        (
            "safer_treatment_net_value_azn_yr",
            "net_azn_yr",
            _("Net value of safer treatment"),
            _("AZN/yr"),
        ),
        (
            "safer_treatment_net_t_co2e_yr",
            "net_t_co2e_yr",
            _("Safer treatment: emissions avoided, net"),
            _("t CO2e/yr"),
        ),
    ):
        central, low, high = _ends(safer, part)
        note = ngettext(
            "{n} hazardous stream; range {range}", "{n} hazardous streams; range {range}", m
        ).format(n=m, range=span_text(low, high))
        figures.append(KeyFigure(key, central, label, unit, note, digits=0 if "azn" in key else 1))
    return figures


def value_markdown(valuation: Valuation, economic_region: str | None) -> str:
    """What a region's options are worth, in two sentences of Markdown, in the reader's
    language."""
    circular = valuation.totals(economic_region, "circular")
    safer = valuation.totals(economic_region, "safer_treatment")
    n, m = int(circular["options"]), int(safer["options"])
    if economic_region:
        where = html.escape(economic_region)
        if n == 0 and m == 0:
            return _("No option was found for {region}, so there is nothing to value.").format(
                region=where
            )
        text = ngettext(
            "The {n} circular option of {region} ({tonnes}) would be worth **{value}** and "
            "avoid **{co2e}** net of transport.",
            "The {n} circular options of {region} ({tonnes}) would be worth **{value}** and "
            "avoid **{co2e}** net of transport.",
            n,
        )
    else:
        if n == 0 and m == 0:
            return _("No option was found for the study, so there is nothing to value.")
        where = ""
        text = ngettext(
            "The {n} circular option of the study ({tonnes}) would be worth **{value}** and "
            "avoid **{co2e}** net of transport.",
            "The {n} circular options of the study ({tonnes}) would be worth **{value}** and "
            "avoid **{co2e}** net of transport.",
            n,
        )
    text = text.format(
        n=n,
        region=where,
        tonnes=_t(float(circular["quantity_t"])),
        value=range_text(*_ends(circular, "net_azn_yr"), _("AZN/yr")),
        co2e=range_text(*_ends(circular, "net_t_co2e_yr"), _("t CO2e/yr")),
    )
    if m:
        text += " " + ngettext(
            "Apart from them, safer treatment of {m} hazardous stream ({tonnes}) has a net value "
            "of {value} (negative: a cost) and avoids {co2e}: its worth is the risk it removes, "
            "which these figures do not count.",
            "Apart from them, safer treatment of {m} hazardous streams ({tonnes}) has a net value "
            "of {value} (negative: a cost) and avoids {co2e}: its worth is the risk it removes, "
            "which these figures do not count.",
            m,
        ).format(
            m=m,
            tonnes=_t(float(safer["quantity_t"])),
            value=range_text(*_ends(safer, "net_azn_yr"), _("AZN/yr")),
            co2e=range_text(*_ends(safer, "net_t_co2e_yr"), _("t CO2e/yr")),
        )
    return text


def factors_table(factors: pd.DataFrame) -> pd.DataFrame:
    """The valuation factors as the report lists them, with their sources, in the reader's
    language (the factor's label, its key as a fate or a material class in words, its unit,
    its source: a ``source_<language>`` column of the factor table where it has one): shown
    with ``report.table`` and ``FACTOR_HEADERS`` (``index=False``)."""
    labels = {name: _(spec.label) for name, spec in FACTORS.items()}
    fates = codes.labels("fate")
    out = factors[list(FACTOR_HEADERS)].copy()
    out["source"] = in_language(factors, "source").to_numpy()
    order = {name: i for i, name in enumerate(FACTORS)}
    out["_order"] = out["factor"].map(order)
    out = out.sort_values("_order", kind="mergesort").drop(columns="_order")  # file order within
    out["key"] = [
        fates.get(k, k) if f.startswith("avoided_disposal") else material_class_label(k)
        for f, k in zip(out["factor"], out["key"], strict=True)
    ]
    out["unit"] = [_(UNIT_LABELS[u]) if u in UNIT_LABELS else u for u in out["unit"]]
    out["factor"] = out["factor"].map(labels)
    return out.reset_index(drop=True)
