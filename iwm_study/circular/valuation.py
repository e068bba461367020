"""Valuation: what each option is worth, in AZN a year and t CO2e a year, with a range.

Every match (a row of ``Matching.matches``) is valued with the factors of
``iwm_study/data/codes/valuation_factors.csv`` (or a study's own file, the setting
``valuation_factors_file``), read and checked by ``iwm_study.data.factors``. Its material class
comes from its EWC code (``material_classes.csv``, longest prefix wins). For ``t`` tonnes a year
carried ``tonne_km`` a year:

* Money, AZN/yr: ``avoided_disposal_azn`` = t x the avoided disposal cost of today's fate (the
  ``_hazardous`` factor for a hazardous stream; a blank fate counts as ``unknown``);
  ``material_value_azn`` = t x the value of the secondary material of its class (negative: a
  gate fee the receiver charges); ``transport_cost_azn`` = tonne_km x the transport cost;
  ``net_azn_yr`` = avoided disposal + material value - transport cost.
* Emissions, t CO2e/yr: ``avoided_virgin_t_co2e`` = t x the emissions of the virgin material its
  class replaces; ``avoided_methane_t_co2e`` = t x DOC x DOCf x MCF x F x 16/12 x (1 - OX) x
  GWP100(CH4), the IPCC 2006 (Vol. 5, Ch. 3) mass balance without first-order decay (all the
  methane the waste would ever give), for a biodegradable class (one with a ``landfill_doc``
  row) whose fate today is landfill-like (``fate_categories.csv``: landfilled, kept on site),
  else 0; ``transport_t_co2e`` = the match's ``co2_t`` (tonne_km x the setting
  ``circular_co2_kg_per_tkm``, the one transport factor) x the ``transport_emissions`` ratio;
  ``net_t_co2e_yr`` = avoided virgin + avoided methane - transport.

Ranges. Every part has ``_low``, ``_central`` and ``_high`` columns: the part computed with the
low, central and high value of its factor (the methane with every parameter at the same end,
except OX, whose high end gives the low methane). A net's ``_low`` is the unfavourable end of
every factor at once: each benefit (avoided disposal, material value, avoided virgin and
methane) at its low end, each cost (transport cost and emissions) at its high end; ``_high`` the
reverse. So low <= central <= high always holds, and the range bounds the result: it is not a
confidence interval. Sums over matches (``Valuation.by_region``) add the ends, which keeps that
meaning, because every match takes the same end of the same factor.

Both kinds of option are valued: ``circular`` (reuse, recycling, energy recovery of a resource)
and ``safer_treatment`` (hazardous waste sent to incineration or treatment), which reports keep
apart: its value is mostly avoided risk, and its money is often negative. A matches table
without ``option_kind`` is taken as all circular.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import codes
from ..data.factors import FACTORS, factor_values, load_factors, load_material_classes
from ..data.factors import classify as material_class
from ..i18n import N_
from .results import OPTION_KINDS

if TYPE_CHECKING:
    from .matching import Matching

#: Range ends of every value column.
ENDS: tuple[str, ...] = ("low", "central", "high")
#: The parts of the value of an option: money (AZN/yr), then emissions (t CO2e/yr).
MONEY_PARTS: tuple[str, ...] = (
    "avoided_disposal_azn",
    "material_value_azn",
    "transport_cost_azn",
    "net_azn_yr",
)
EMISSION_PARTS: tuple[str, ...] = (
    "avoided_virgin_t_co2e",
    "avoided_methane_t_co2e",
    "transport_t_co2e",
    "net_t_co2e_yr",
)
#: The columns valuation adds to a match: its kind, class, whether its methane counts, and
#: each part at each end (``net_azn_yr_low`` ...).
VALUE_COLUMNS: tuple[str, ...] = (
    "option_kind",
    "material_class",
    "biodegradable",
    "methane_counted",
    *(f"{part}_{end}" for part in (*MONEY_PARTS, *EMISSION_PARTS) for end in ENDS),
)
#: Carbon to methane, by molar mass (16/12).
CH4_PER_C = 16.0 / 12.0


def _end(direction: int, end: str) -> str:
    """The column of a factor that gives the ``end`` of a result it enters with ``direction``
    (+1: more of it is better; -1: more of it is worse)."""
    if end == "central" or direction > 0:
        return end
    return "high" if end == "low" else "low"


#: The parameters of the landfill methane avoided per tonne of a biodegradable class.
METHANE_PARAMETERS: tuple[str, ...] = (
    "landfill_doc",
    "landfill_docf",
    "landfill_mcf",
    "landfill_f",
    "landfill_ox",
    "gwp100_ch4",
)


def _methane_per_t(factors: pd.DataFrame) -> pd.DataFrame:
    """t CO2e of methane avoided per t of each biodegradable class (rows), at each end: DOC x
    DOCf x MCF x F x 16/12 x (1 - OX) x GWP100, each parameter at the end that gives the
    result's end (OX, which reduces the methane, at the opposite one)."""
    values = {name: factor_values(factors, name) for name in METHANE_PARAMETERS}
    biodegradable = values["landfill_doc"].index
    out = pd.DataFrame(index=biodegradable, columns=list(ENDS), dtype=float)
    for end in ENDS:
        at = {
            name: (
                frame[_end(FACTORS[name].direction, end)].reindex(biodegradable).to_numpy()
                if FACTORS[name].key
                else float(frame.loc["", _end(FACTORS[name].direction, end)])
            )
            for name, frame in values.items()
        }
        out[end] = (
            at["landfill_doc"]
            * at["landfill_docf"]
            * at["landfill_mcf"]
            * at["landfill_f"]
            * CH4_PER_C
            * (1.0 - at["landfill_ox"])
            * at["gwp100_ch4"]
        )
    return out


def _option_kind(matches: pd.DataFrame) -> pd.Series:
    """The kind of each option; all circular when the matching does not say."""
    if "option_kind" not in matches:
        return pd.Series("circular", index=matches.index, dtype=object)
    kind = matches["option_kind"].astype(object).where(matches["option_kind"].notna(), "circular")
    unknown = sorted(set(kind) - set(OPTION_KINDS))
    if unknown:
        raise ValueError(
            f"option_kind {', '.join(map(repr, unknown))} is not one of {', '.join(OPTION_KINDS)}."
        )
    return kind


def value_matches(
    matches: pd.DataFrame,
    factors: pd.DataFrame | None = None,
    classes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``matches`` (rows of ``Matching.matches``: ``ewc_code``, ``hazardous``, ``quantity_t``,
    ``fate``, ``tonne_km``, ``co2_t``, optionally ``option_kind``) with the columns
    ``VALUE_COLUMNS`` added; the method is in the module docstring. ``factors`` and ``classes``
    default to the shipped tables (``data.factors.load_factors``, ``load_material_classes``)."""
    classes = load_material_classes() if classes is None else classes
    factors = load_factors(classes=classes) if factors is None else factors
    out = matches.copy()
    t = out["quantity_t"].astype(float).fillna(0.0).to_numpy()
    tkm = out["tonne_km"].astype(float).fillna(0.0).to_numpy()
    co2 = out["co2_t"].astype(float).fillna(0.0).to_numpy()
    hazardous = out["hazardous"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    fate = out["fate"].astype(object).where(out["fate"].notna(), "unknown")
    cls = material_class(out["ewc_code"], classes)
    methane = _methane_per_t(factors)
    landfill_like = fate.isin(codes.fates_where("landfill_like")).to_numpy()
    out["option_kind"] = _option_kind(out)
    out["material_class"] = cls
    out["biodegradable"] = cls.isin(methane.index)
    out["methane_counted"] = out["biodegradable"].to_numpy() & landfill_like

    plain = factor_values(factors, "avoided_disposal_cost")
    haz = factor_values(factors, "avoided_disposal_cost_hazardous")
    missing = sorted(set(fate) - set(plain.index) | (set(fate[hazardous]) - set(haz.index)))
    if missing:
        raise ValueError(
            "no avoided disposal cost for the fate "
            + ", ".join(map(repr, missing))
            + " in the valuation factors (only streams not yet recovered are matched)."
        )
    material = factor_values(factors, "material_value").reindex(cls)
    virgin = factor_values(factors, "avoided_virgin_emissions").reindex(cls)
    transport_cost = factor_values(factors, "transport_cost").loc[""]
    transport_ratio = factor_values(factors, "transport_emissions").loc[""]
    counted = out["methane_counted"].to_numpy()
    per_t_methane = methane.reindex(cls).fillna(0.0)
    for end in ENDS:
        disposal = np.where(
            hazardous, haz[end].reindex(fate).to_numpy(), plain[end].reindex(fate).to_numpy()
        )
        out[f"avoided_disposal_azn_{end}"] = t * disposal
        out[f"material_value_azn_{end}"] = t * material[end].to_numpy()
        out[f"transport_cost_azn_{end}"] = tkm * transport_cost[end]
        out[f"avoided_virgin_t_co2e_{end}"] = t * virgin[end].to_numpy()
        out[f"avoided_methane_t_co2e_{end}"] = np.where(
            counted, t * per_t_methane[end].to_numpy(), 0.0
        )
        out[f"transport_t_co2e_{end}"] = co2 * transport_ratio[end]
    for end in ENDS:
        # The net's end: benefits at this end, costs at the opposite one (see the docstring).
        cost = _end(-1, end)
        out[f"net_azn_yr_{end}"] = (
            out[f"avoided_disposal_azn_{end}"]
            + out[f"material_value_azn_{end}"]
            - out[f"transport_cost_azn_{cost}"]
        )
        out[f"net_t_co2e_yr_{end}"] = (
            out[f"avoided_virgin_t_co2e_{end}"]
            + out[f"avoided_methane_t_co2e_{end}"]
            - out[f"transport_t_co2e_{cost}"]
        )
    return out


#: Value columns summed per region (every part at every end).
SUMMED: tuple[str, ...] = tuple(
    f"{part}_{end}" for part in (*MONEY_PARTS, *EMISSION_PARTS) for end in ENDS
)
#: The study's row of ``by_region`` (and of ``explain.impact``): a key, in English; reports
#: translate it where they show it.
TOTAL = N_("Total")


def summarise(valued: pd.DataFrame) -> pd.DataFrame:
    """Valued matches summed per economic region of the source and kind of option, with a
    ``Total`` row per kind: ``economic_region``, ``option_kind``, ``options`` (matches),
    ``quantity_t`` and every value column (``SUMMED``). Every kind appears for every region,
    with zeros when a region has none of it."""
    regions = sorted(set(valued["economic_region"].dropna())) if len(valued) else []
    rows = []
    for region in [*regions, TOTAL]:
        part = valued if region == TOTAL else valued[valued["economic_region"] == region]
        for kind in OPTION_KINDS:
            sel = part[part["option_kind"] == kind]
            row = {
                "economic_region": region,
                "option_kind": kind,
                "options": len(sel),
                "quantity_t": float(sel["quantity_t"].astype(float).sum()),
            }
            row.update({c: float(sel[c].sum()) for c in SUMMED})
            rows.append(row)
    return pd.DataFrame(
        rows, columns=["economic_region", "option_kind", "options", "quantity_t", *SUMMED]
    )


@dataclass(frozen=True)
class Valuation:
    """The value of the options of a matching.

    ``matches``: the matches with ``VALUE_COLUMNS``; ``by_region``: their sums per economic
    region and kind of option (``summarise``); ``factors`` and ``classes``: the tables used.
    """

    matches: pd.DataFrame
    by_region: pd.DataFrame
    factors: pd.DataFrame
    classes: pd.DataFrame

    def in_region(self, economic_region: str | None) -> Valuation:
        """The options whose source lies in ``economic_region`` (None: all); ``by_region`` is
        kept whole, so a region's report can show itself beside the study."""
        if economic_region is None:
            return self
        keep = self.matches["economic_region"] == economic_region
        return Valuation(
            self.matches[keep].reset_index(drop=True), self.by_region, self.factors, self.classes
        )

    def of_kind(self, option_kind: str) -> pd.DataFrame:
        """The valued matches of one kind (``OPTION_KINDS``), in the matching's rank order."""
        return self.matches[self.matches["option_kind"] == option_kind].reset_index(drop=True)

    def totals(
        self, economic_region: str | None = None, option_kind: str = "circular"
    ) -> pd.Series:
        """The sums of one region (None or a region without options: the study's ``Total``
        row, or zeros) for one kind of option."""
        frame = self.by_region
        region = economic_region if economic_region is not None else TOTAL
        row = frame[(frame["economic_region"] == region) & (frame["option_kind"] == option_kind)]
        if row.empty:
            zeros = pd.Series(0.0, index=["options", "quantity_t", *SUMMED])
            return pd.concat(
                [pd.Series({"economic_region": region, "option_kind": option_kind}), zeros]
            )
        return row.iloc[0]


def value_matching(
    matching: Matching,
    factors: pd.DataFrame | None = None,
    classes: pd.DataFrame | None = None,
) -> Valuation:
    """Value every match of ``matching`` (all regions) and sum them per region: the one call a
    notebook makes. ``factors``: a study's own (``data.factors.load_factors(path)``); None: the
    shipped ones."""
    classes = load_material_classes() if classes is None else classes
    factors = load_factors(classes=classes) if factors is None else factors
    valued = value_matches(matching.matches, factors, classes)
    return Valuation(valued, summarise(valued), factors, classes)
