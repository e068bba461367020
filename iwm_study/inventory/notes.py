"""How coverage, the regional estimate and storage at the site are told: report headers with
units, status labels, sentences and key figures (the computation is in ``coverage`` and
``storage``)."""

from __future__ import annotations

import math

import pandas as pd

from ..report import KeyFigure
from .coverage import RegionalEstimate
from .storage import STORAGE_FLAGS, STORAGE_LIMIT_YEARS

#: Short labels of the estimate statuses of ``coverage.COVERAGE_STATUS`` for the tables.
STATUS_LABELS: dict[str, str] = {
    "estimated": "estimated",
    "fully_surveyed": "fully surveyed",
    "survey_exceeds_register": "survey above the register",
    "not_estimable": "not estimable: no enterprise surveyed",
    "no_intensity": "no employees surveyed: survey only",
    "not_in_register": "not in the register: survey only",
    "several": "several (see the regions)",
}

#: Report headers (with units) and formats of the coverage and storage tables' columns, for
#: ``report.table(frame, headers=NOTE_HEADERS, index=False)``.
NOTE_HEADERS: dict[str, tuple[str, str | None]] = {
    "economic_region": ("Economic region", None),
    "nace_division": ("NACE division", None),
    "sector": ("Sector", None),
    "label": ("Flag", None),
    "register_enterprises": ("Enterprises in the register", "{:,.0f}"),
    "surveyed_enterprises": ("Enterprises surveyed", "{:,.0f}"),
    "enterprises_pct": ("Enterprises surveyed (%)", "{:.1f}"),
    "register_employees": ("Employees in the register", "{:,.0f}"),
    "surveyed_employees": ("Employees surveyed", "{:,.0f}"),
    "employees_pct": ("Employees surveyed (%)", "{:.1f}"),
    "surveyed_t": ("Surveyed waste (t/yr)", "{:,.0f}"),
    "intensity_t_per_employee": ("Waste intensity (t per employee per year)", "{:,.2f}"),
    "unsurveyed_employees": ("Employees not surveyed", "{:,.0f}"),
    "estimated_t": ("Estimated waste (t/yr)", "{:,.0f}"),
    "not_estimable_employees": ("Employees not estimable", "{:,.0f}"),
    "status": ("Estimate", None),
    "figure": ("Figure", None),
    "value_t": ("Waste (t/yr)", "{:,.0f}"),
    "stream_id": ("Stream id", None),
    "enterprise_id": ("Enterprise id", None),
    "ewc_code": ("EWC code", None),
    "description": ("What it is", None),
    "operation": ("Operation", None),
    "streams": ("Streams", "{:,}"),
    "waste_t": ("Waste (t/yr)", "{:,.1f}"),
    "share_pct": ("Share (%)", "{:.1f}"),
    "on_site_t": ("Of which at the producer's site (t/yr)", "{:,.1f}"),
    "over_limit_t": ("Of which over the limit (t/yr)", "{:,.1f}"),
    "unknown_t": ("Of which storage time not known (t/yr)", "{:,.1f}"),
    "reference_year": ("Reference year", None),
    "storage_since_year": ("In store since", None),
    "years_in_store": ("Years in store", None),
    "limit_years": ("Limit (years)", None),
    "flag": ("Flag", None),
}


#: The columns of the coverage by sector that a report shows, in order (the unsurveyed and
#: not estimable employees follow from them and from the status).
SECTOR_COLUMNS = (
    "economic_region",
    "nace_division",
    "sector",
    "register_enterprises",
    "surveyed_enterprises",
    "enterprises_pct",
    "register_employees",
    "surveyed_employees",
    "employees_pct",
    "surveyed_t",
    "intensity_t_per_employee",
    "estimated_t",
    "status",
)


def sector_view(by_sector: pd.DataFrame) -> pd.DataFrame:
    """The coverage by sector as a report shows it: the division's title and readable status."""
    from ..data import codes

    titles = codes.labels("nace_division")
    out = by_sector.copy()
    out.insert(1, "sector", out["nace_division"].map(titles))
    out["status"] = out["status"].map(STATUS_LABELS)
    return out[[c for c in SECTOR_COLUMNS if c in out]]


def estimate_view(estimate: RegionalEstimate) -> pd.DataFrame:
    """The surveyed sum and the estimate with its interval, side by side as rows."""
    pct = f"{estimate.interval_pct:g} %"
    return pd.DataFrame(
        {
            "figure": [
                "Surveyed sum (the inventory)",
                "Estimate of the whole region",
                f"Estimate: lower end of the {pct} interval",
                f"Estimate: upper end of the {pct} interval",
            ],
            "value_t": [estimate.surveyed_t, estimate.estimated_t, estimate.low_t, estimate.high_t],
        }
    )


def _shown(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f} %"


def coverage_sentence(estimate: RegionalEstimate, where: str) -> str:
    """A Markdown paragraph: how much of the register the survey reached, and the estimate
    beside the surveyed sum."""
    text = (
        f"The survey reached **{estimate.surveyed_enterprises:,.0f} of the "
        f"{estimate.register_enterprises:,.0f} enterprises** the register counts in {where} "
        f"({_shown(estimate.enterprises_pct)}), employing **{_shown(estimate.employees_pct)} "
        f"of their {estimate.register_employees:,.0f} employees**. Grossed up by each "
        f"sector's waste intensity, the region's enterprises generate an estimated "
        f"**{estimate.estimated_t:,.0f} t per year** ({estimate.interval_pct:g} % interval "
        f"{estimate.low_t:,.0f}-{estimate.high_t:,.0f} t), beside the **{estimate.surveyed_t:,.0f}"
        " t per year** the survey sums."
    )
    if estimate.not_estimable_divisions:
        text += (
            f" {estimate.not_estimable_divisions} sector(s) of the register, with "
            f"{estimate.not_estimable_enterprises:,.0f} enterprises and "
            f"{estimate.not_estimable_employees:,.0f} employees, had no enterprise surveyed: "
            "they are not estimated, so the estimate leaves their waste out."
        )
    if estimate.surveyed_outside_register:
        text += (
            f" {estimate.surveyed_outside_register} surveyed enterprise(s) belong to sectors the "
            "register does not list: their tonnes count as surveyed, not grossed up."
        )
    return text


def coverage_key_figures(estimate: RegionalEstimate) -> list[KeyFigure]:
    """The key figures of coverage and the estimate, for ``report.record_figures``."""
    interval = f"{estimate.interval_pct:g} % bootstrap interval, {estimate.draws} draws"
    return [
        KeyFigure(
            "coverage_enterprises_pct",
            estimate.enterprises_pct,
            "Register enterprises surveyed",
            "%",
        ),
        KeyFigure(
            "coverage_employees_pct", estimate.employees_pct, "Register employees surveyed", "%"
        ),
        KeyFigure("surveyed_t", estimate.surveyed_t, "Waste surveyed", "t/yr", digits=0),
        KeyFigure(
            "estimated_total_t",
            estimate.estimated_t,
            "Waste estimated for the whole region",
            "t/yr",
            note="beside the surveyed sum, never instead of it",
            digits=0,
        ),
        KeyFigure(
            "estimated_total_t_low",
            estimate.low_t,
            "Estimate: lower end",
            "t/yr",
            note=interval,
            digits=0,
        ),
        KeyFigure(
            "estimated_total_t_high",
            estimate.high_t,
            "Estimate: upper end",
            "t/yr",
            note=interval,
            digits=0,
        ),
    ]


def storage_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The streams stored at the producers' sites as a report lists them: flags as words."""
    return flags.assign(flag=flags["flag"].map(STORAGE_FLAGS)).reset_index(drop=True)


def storage_sentence(totals: dict[str, float], where: str) -> str:
    """A Markdown paragraph on the waste stored at the producers' sites and its flags."""
    stored = totals["stored_on_site_t"]
    if stored <= 0:
        return f"No waste is reported as stored at the producer's site (D15 or R13) in {where}."
    limits = ", ".join(f"{op}: {years} year(s)" for op, years in STORAGE_LIMIT_YEARS.items())
    return (
        f"**{stored:,.0f} t per year** are kept at the producers' own sites in {where} under "
        f"D15 or R13. Of them, **{totals['over_limit_t']:,.0f} t** have been in store longer "
        f"than the Landfill Directive allows ({limits}), and for "
        f"**{totals['unknown_t']:,.0f} t** the survey does not say since when: those need a "
        "check with the enterprise."
    )


def storage_key_figures(totals: dict[str, float]) -> list[KeyFigure]:
    """The key figures of storage at the producers' sites, for ``report.record_figures``."""
    return [
        KeyFigure(
            "stored_on_site_t",
            totals["stored_on_site_t"],
            "Waste stored at the producer's site (D15, R13)",
            "t/yr",
            digits=0,
        ),
        KeyFigure(
            "storage_over_limit_t",
            totals["over_limit_t"],
            "Stored longer than the Landfill Directive allows",
            "t/yr",
            note="1999/31/EC Art. 2(g): 1 year before disposal, 3 before recovery",
            digits=0,
        ),
        KeyFigure(
            "storage_unknown_t",
            totals["unknown_t"],
            "Stored since a year not known",
            "t/yr",
            digits=0,
        ),
    ]
