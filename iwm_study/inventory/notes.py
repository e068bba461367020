"""How coverage, the regional estimate and storage at the site are told: report headers with
units, status labels, sentences and key figures (the computation is in ``coverage`` and
``storage``)."""

from __future__ import annotations

import math

import pandas as pd

from ..i18n import N_, _, format_number
from ..report import KeyFigure
from .coverage import RegionalEstimate
from .explain import short_number
from .storage import STORAGE_FLAGS, STORAGE_LIMIT_YEARS

#: Short labels of the estimate statuses of ``coverage.COVERAGE_STATUS`` for the tables
#: (English; translated where shown).
STATUS_LABELS: dict[str, str] = {
    "estimated": N_("estimated"),
    "fully_surveyed": N_("fully surveyed"),
    "survey_exceeds_register": N_("survey above the register"),
    "not_estimable": N_("not estimable: no enterprise surveyed"),
    "no_intensity": N_("no employees surveyed: survey only"),
    "not_in_register": N_("not in the register: survey only"),
    "several": N_("several (see the regions)"),
}

#: Report headers (with units; English, ``report.table`` translates them) and formats of the
#: coverage and storage tables' columns, for
#: ``report.table(frame, headers=NOTE_HEADERS, index=False)``.
NOTE_HEADERS: dict[str, tuple[str, str | None]] = {
    "economic_region": (N_("Economic region"), None),
    "nace_division": (N_("NACE division"), None),
    "sector": (N_("Sector"), None),
    "label": (N_("Flag"), None),
    "register_enterprises": (N_("Enterprises in the register"), "{:,.0f}"),
    "surveyed_enterprises": (N_("Enterprises surveyed"), "{:,.0f}"),
    "enterprises_pct": (N_("Enterprises surveyed (%)"), "{:.1f}"),
    "register_employees": (N_("Employees in the register"), "{:,.0f}"),
    "surveyed_employees": (N_("Employees surveyed"), "{:,.0f}"),
    "employees_pct": (N_("Employees surveyed (%)"), "{:.1f}"),
    "surveyed_t": (N_("Surveyed waste (t/yr)"), "{:,.0f}"),
    "intensity_t_per_employee": (N_("Waste intensity (t per employee per year)"), "{:,.2f}"),
    "unsurveyed_employees": (N_("Employees not surveyed"), "{:,.0f}"),
    "estimated_t": (N_("Estimated waste (t/yr)"), "{:,.0f}"),
    "not_estimable_employees": (N_("Employees not estimable"), "{:,.0f}"),
    "status": (N_("Estimate"), None),
    "figure": (N_("Figure"), None),
    "value_t": (N_("Waste (t/yr)"), "{:,.0f}"),
    "stream_id": (N_("Stream id"), None),
    "enterprise_id": (N_("Enterprise id"), None),
    "ewc_code": (N_("EWC code"), None),
    "description": (N_("What it is"), None),
    "operation": (N_("Operation"), None),
    "streams": (N_("Streams"), "{:,}"),
    "waste_t": (N_("Waste (t/yr)"), "{:,.1f}"),
    "share_pct": (N_("Share (%)"), "{:.1f}"),
    "on_site_t": (N_("Of which at the producer's site (t/yr)"), "{:,.1f}"),
    "over_limit_t": (N_("Of which over the limit (t/yr)"), "{:,.1f}"),
    "unknown_t": (N_("Of which storage time not known (t/yr)"), "{:,.1f}"),
    "reference_year": (N_("Reference year"), None),
    "storage_since_year": (N_("In store since"), None),
    "years_in_store": (N_("Years in store"), None),
    "limit_years": (N_("Limit (years)"), None),
    "flag": (N_("Flag"), None),
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
    """The coverage by sector as a report shows it: the division's title and readable status,
    in the current language."""
    from ..data import codes

    titles = codes.labels("nace_division")
    out = by_sector.copy()
    out.insert(1, "sector", out["nace_division"].map(titles))
    out["status"] = out["status"].map(lambda status: _(STATUS_LABELS[status]))
    return out[[c for c in SECTOR_COLUMNS if c in out]]


def estimate_view(estimate: RegionalEstimate) -> pd.DataFrame:
    """The surveyed sum and the estimate with its interval, side by side as rows (in the
    current language)."""
    pct = short_number(estimate.interval_pct)
    return pd.DataFrame(
        {
            "figure": [
                _("Surveyed sum (the inventory)"),
                _("Estimate of the whole region"),
                _("Estimate: lower end of the {pct} % interval").format(pct=pct),
                _("Estimate: upper end of the {pct} % interval").format(pct=pct),
            ],
            "value_t": [estimate.surveyed_t, estimate.estimated_t, estimate.low_t, estimate.high_t],
        }
    )


def _shown(value: float) -> str:
    """A percentage as the reader's language writes it, 'n/a' when there is none."""
    if math.isnan(value):
        return _("n/a")
    return _("{value} %").format(value=format_number(value, 1))


def coverage_sentence(estimate: RegionalEstimate, where: str) -> str:
    """A Markdown paragraph: how much of the register the survey reached, and the estimate
    beside the surveyed sum (in the current language)."""
    text = _(
        "The survey reached **{surveyed} of the {register} enterprises** the register counts "
        "in {where} ({enterprises_pct}), employing **{employees_pct} of their {employees} "
        "employees**. Grossed up by each sector's waste intensity, the region's enterprises "
        "generate an estimated **{estimated} t per year** ({interval} % interval {low}-{high} "
        "t), beside the **{surveyed_t} t per year** the survey sums."
    ).format(
        surveyed=format_number(estimate.surveyed_enterprises, 0),
        register=format_number(estimate.register_enterprises, 0),
        where=where,
        enterprises_pct=_shown(estimate.enterprises_pct),
        employees_pct=_shown(estimate.employees_pct),
        employees=format_number(estimate.register_employees, 0),
        estimated=format_number(estimate.estimated_t, 0),
        interval=short_number(estimate.interval_pct),
        low=format_number(estimate.low_t, 0),
        high=format_number(estimate.high_t, 0),
        surveyed_t=format_number(estimate.surveyed_t, 0),
    )
    if estimate.not_estimable_divisions:
        text += " " + _(
            "{divisions} sector(s) of the register, with {enterprises} enterprises and "
            "{employees} employees, had no enterprise surveyed: they are not estimated, so the "
            "estimate leaves their waste out."
        ).format(
            divisions=format_number(estimate.not_estimable_divisions),
            enterprises=format_number(estimate.not_estimable_enterprises, 0),
            employees=format_number(estimate.not_estimable_employees, 0),
        )
    if estimate.surveyed_outside_register:
        text += " " + _(
            "{enterprises} surveyed enterprise(s) belong to sectors the register does not list: "
            "their tonnes count as surveyed, not grossed up."
        ).format(enterprises=format_number(estimate.surveyed_outside_register))
    return text


def coverage_key_figures(estimate: RegionalEstimate) -> list[KeyFigure]:
    """The key figures of coverage and the estimate, for ``report.record_figures`` (labels in
    the current language)."""
    interval = _("{pct} % bootstrap interval, {draws} draws").format(
        pct=short_number(estimate.interval_pct), draws=estimate.draws
    )
    return [
        KeyFigure(
            "coverage_enterprises_pct",
            estimate.enterprises_pct,
            _("Register enterprises surveyed"),
            "%",
        ),
        KeyFigure(
            "coverage_employees_pct", estimate.employees_pct, _("Register employees surveyed"), "%"
        ),
        KeyFigure("surveyed_t", estimate.surveyed_t, _("Waste surveyed"), _("t/yr"), digits=0),
        KeyFigure(
            "estimated_total_t",
            estimate.estimated_t,
            _("Waste estimated for the whole region"),
            _("t/yr"),
            note=_("beside the surveyed sum, never instead of it"),
            digits=0,
        ),
        KeyFigure(
            "estimated_total_t_low",
            estimate.low_t,
            _("Estimate: lower end"),
            _("t/yr"),
            note=interval,
            digits=0,
        ),
        KeyFigure(
            "estimated_total_t_high",
            estimate.high_t,
            _("Estimate: upper end"),
            _("t/yr"),
            note=interval,
            digits=0,
        ),
    ]


def storage_view(flags: pd.DataFrame) -> pd.DataFrame:
    """The streams stored at the producers' sites as a report lists them: flags as words of
    the current language."""
    return flags.assign(flag=flags["flag"].map(lambda flag: _(STORAGE_FLAGS[flag]))).reset_index(
        drop=True
    )


def storage_sentence(totals: dict[str, float], where: str) -> str:
    """A Markdown paragraph on the waste stored at the producers' sites and its flags (in the
    current language)."""
    stored = totals["stored_on_site_t"]
    if stored <= 0:
        return _(
            "No waste is reported as stored at the producer's site (D15 or R13) in {where}."
        ).format(where=where)
    limits = ", ".join(
        _("{operation}: {years} year(s)").format(operation=op, years=format_number(years))
        for op, years in STORAGE_LIMIT_YEARS.items()
    )
    return _(
        "**{stored} t per year** are kept at the producers' own sites in {where} under D15 or "
        "R13. Of them, **{over_limit} t** have been in store longer than the Landfill Directive "
        "allows ({limits}), and for **{unknown} t** the survey does not say since when: those "
        "need a check with the enterprise."
    ).format(
        stored=format_number(stored, 0),
        where=where,
        over_limit=format_number(totals["over_limit_t"], 0),
        limits=limits,
        unknown=format_number(totals["unknown_t"], 0),
    )


def storage_key_figures(totals: dict[str, float]) -> list[KeyFigure]:
    """The key figures of storage at the producers' sites, for ``report.record_figures``
    (labels in the current language)."""
    return [
        KeyFigure(
            "stored_on_site_t",
            totals["stored_on_site_t"],
            _("Waste stored at the producer's site (D15, R13)"),
            _("t/yr"),
            digits=0,
        ),
        KeyFigure(
            "storage_over_limit_t",
            totals["over_limit_t"],
            _("Stored longer than the Landfill Directive allows"),
            _("t/yr"),
            note=_("1999/31/EC Art. 2(g): 1 year before disposal, 3 before recovery"),
            digits=0,
        ),
        KeyFigure(
            "storage_unknown_t",
            totals["unknown_t"],
            _("Stored since a year not known"),
            _("t/yr"),
            digits=0,
        ),
    ]
