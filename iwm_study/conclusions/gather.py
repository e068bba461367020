"""Everything a region's conclusions need, computed once from the study with the analysis packages.

``gather`` runs, for the whole study, the matching (capacity is shared between regions, so it
runs once over all of them) and its valuation; then, per region, the inventory's indicators,
the options' tonnes and value, the coverage estimate (when the data has a business register)
and on-site storage; and returns them as one indicator dict per region
(``indicators.collect``). The summary notebook reads one region, the national synthesis all;
the fact sheets read the valued matches. Nothing here is computed twice: each figure comes
from the function its own report uses, with the same settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from .indicators import collect, inventory_values

if TYPE_CHECKING:
    from ..circular import Matching, MatchSettings
    from ..circular.valuation import Valuation
    from ..data.study import Study
    from ..inventory.coverage import RegionalEstimate


@dataclass(frozen=True)
class CoverageSettings:
    """How the estimate of the whole region is drawn (the settings ``coverage_*``)."""

    draws: int = 1000
    interval_pct: float = 95.0
    seed: int = 2021


@dataclass
class Findings:
    """The study's results that the conclusions read: the matching and its valuation (all
    regions), and per economic region its indicators and, when known, its estimate."""

    matching: Matching
    valuation: Valuation
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    estimates: dict[str, RegionalEstimate | None] = field(default_factory=dict)


def option_values(
    matching: Matching, valuation: Valuation, region: str, table: pd.DataFrame | None = None
) -> dict[str, float]:
    """The circular options of one region: tonnes, shares, value and emissions avoided.
    ``table``: ``circular.impact(matching)`` when the caller has it (it covers every region,
    so ``gather`` computes it once)."""
    from ..circular import impact

    table = impact(matching) if table is None else table
    if region not in table.index:
        return {}
    row = table.loc[region]
    not_recovered = float(row["not_recovered_t"])
    unmatched = matching.unmatched
    no_receiver_t = float(
        unmatched.loc[unmatched["economic_region"] == region, "quantity_t"].fillna(0.0).sum()
    )
    totals = valuation.totals(region, "circular")

    def share(part: float) -> float:
        return 100.0 * part / not_recovered if not_recovered else math.nan

    out = {
        "not_recovered_t": not_recovered,
        "circular_options_t": float(row["matched_t"]),
        "circular_options_share_pct": share(float(row["matched_t"])),
        "safer_treatment_t": float(row["safer_treatment_t"]),
        "no_receiver_share_pct": share(no_receiver_t),
        "recovery_rate_after_pct": float(row["recovery_rate_after_pct"]),
    }
    for key, column in (("net_value_azn_yr", "net_azn_yr"), ("net_t_co2e_yr", "net_t_co2e_yr")):
        out[key] = float(totals[f"{column}_central"])
        out[f"{key}_low"] = float(totals[f"{column}_low"])
        out[f"{key}_high"] = float(totals[f"{column}_high"])
    return out


def storage_values(streams: pd.DataFrame) -> dict[str, float]:
    """Tonnes stored at the producers' sites (D15, R13), over the Landfill Directive's limits
    and for a time not reported, and their share of all tonnes."""
    from ..inventory import storage_flags, storage_totals

    totals = storage_totals(storage_flags(streams))
    total = float(streams["quantity_t"].fillna(0.0).sum())
    stored = totals["stored_on_site_t"]
    return {
        "stored_on_site_t": stored,
        "stored_on_site_share_pct": 100.0 * stored / total if total else math.nan,
        "storage_over_limit_t": totals["over_limit_t"],
        "storage_unknown_t": totals["unknown_t"],
    }


def coverage_values(estimate: RegionalEstimate | None) -> dict[str, float]:
    """The survey's coverage of the register and the estimate of the whole region."""
    if estimate is None:
        return {}
    return {
        "coverage_enterprises_pct": estimate.enterprises_pct,
        "coverage_employees_pct": estimate.employees_pct,
        "estimated_total_t": estimate.estimated_t,
        "estimated_total_t_low": estimate.low_t,
        "estimated_total_t_high": estimate.high_t,
    }


def gather(
    study: Study,
    regions: Iterable[str],
    *,
    rules: pd.DataFrame | None = None,
    match_settings: MatchSettings | None = None,
    factors: pd.DataFrame | None = None,
    coverage: CoverageSettings | None = None,
) -> Findings:
    """The findings of every economic region in ``regions`` (names as in the data), from the
    whole ``study`` (see the module docstring)."""
    from ..circular import impact, match_study
    from ..circular.valuation import value_matching
    from ..inventory import regional_estimate

    coverage = coverage or CoverageSettings()
    matching = match_study(study, rules, match_settings)
    valuation = value_matching(matching, factors)
    impacts = impact(matching)
    settings = matching.settings
    found = Findings(matching, valuation)
    for region in regions:
        part = study.for_region(region)
        estimate = None
        if part.register is not None and not part.register.empty:
            estimate = regional_estimate(
                part.enterprises,
                part.waste_streams,
                part.register,
                draws=coverage.draws,
                interval_pct=coverage.interval_pct,
                seed=coverage.seed,
            )
        found.estimates[region] = estimate
        found.values[region] = collect(
            inventory_values(
                part.waste_streams,
                part.enterprises,
                study.facilities,
                max_distance_km=settings.max_distance_km,
                road_factor=settings.road_factor,
            ),
            option_values(matching, valuation, region, impacts),
            coverage_values(estimate),
            storage_values(part.waste_streams),
        )
    return found
