"""The waste inventory: totals, breakdowns, indicators, fates and the waste hierarchy.

Every function is pure: it takes a study's frames (``Study.waste_streams``, ``Study.enterprises``,
``Study.facilities``) and returns a new frame. Quantities are ``quantity_t``, tonnes per year,
converted on loading by ``iwm_study.data.validate.to_tonnes`` (the one unit converter).

How records that lack something are handled (the same everywhere, and listed by
``data_gaps``): nothing is dropped silently.

- A stream keeps its tonnes in every total and breakdown; where the breakdown's key is missing
  (no fate, no operation, an enterprise not in the table) the tonnes go to a ``not_reported``
  row, so that every breakdown sums to the same grand total.
- A rate leaves out of its denominator the tonnes whose key it needs is missing, and says so in
  its definition; the tonnes left out are in the data-gaps table.
- A quantity that could not be converted (NaN) counts as 0 t and is listed as a gap; a zero
  quantity is a stream that counts in stream numbers and adds 0 t.

All functions are vectorised pandas (an inventory of a million streams aggregates in seconds:
``benchmarks/bench_inventory.py``).

Every text a reader sees is in English in the code, marked for the catalogs (``N_``), and
comes out of a function in the language of the report (``iwm_study.i18n``): labels,
definitions, sentences and key figures; keys and codes stay as they are.

The package keeps computation apart from telling: ``aggregate`` (labels, lookups, totals,
breakdowns, Pareto), ``indicators`` (indicators, fates, the waste hierarchy), ``quality``
(fate-operation conflicts, data gaps), ``coverage`` (the survey against the business register,
the estimate of the whole region with its bootstrap interval), ``storage`` (waste stored at the
producer's site against the Landfill Directive's limits), ``explain`` (report headers, formats,
the headline, tables as a reader reads them: codes and booleans as words) and ``notes`` (how
coverage, the estimate and storage are told).
"""

from __future__ import annotations

from .aggregate import (
    BREAKDOWNS,
    KNOWN_FATES,
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    OFF_SITE_FATES,
    VALUE_LABELS,
    Dimension,
    ParetoSummary,
    Q,
    aggregate,
    attach_enterprise,
    breakdown,
    crosstab,
    enterprise_totals,
    grand_total,
    group_values,
    pareto,
    stream_tonnes,
)
from .coverage import (
    COVERAGE_STATUS,
    RegionalEstimate,
    bootstrap_totals,
    coverage_by_sector,
    coverage_table,
    estimate_by_region,
    regional_estimate,
)
from .explain import (
    COLUMN_HEADERS,
    breakdown_view,
    headline_text,
    readable,
    short_number,
    yes_no,
)
from .indicators import INDICATOR_DEFINITIONS, fate_table, hierarchy_table, indicators
from .notes import (
    NOTE_HEADERS,
    coverage_key_figures,
    coverage_sentence,
    estimate_view,
    sector_view,
    storage_key_figures,
    storage_sentence,
    storage_view,
)
from .quality import (
    FATE_OPERATION_RULES,
    GAP_DEFINITIONS,
    GAP_UNITS,
    data_gaps,
    fate_operation_conflicts,
    fate_operation_rules,
    gap_records,
)
from .storage import (
    STORAGE_FLAGS,
    STORAGE_LIMIT_YEARS,
    storage_by_operation,
    storage_flags,
    storage_summary,
    storage_totals,
    stored_on_site,
)

__all__ = [
    "BREAKDOWNS",
    "COLUMN_HEADERS",
    "COVERAGE_STATUS",
    "FATE_OPERATION_RULES",
    "GAP_DEFINITIONS",
    "GAP_UNITS",
    "INDICATOR_DEFINITIONS",
    "KNOWN_FATES",
    "NOTE_HEADERS",
    "NOT_REPORTED",
    "NOT_REPORTED_LABEL",
    "OFF_SITE_FATES",
    "STORAGE_FLAGS",
    "STORAGE_LIMIT_YEARS",
    "VALUE_LABELS",
    "Dimension",
    "ParetoSummary",
    "Q",
    "RegionalEstimate",
    "aggregate",
    "attach_enterprise",
    "bootstrap_totals",
    "breakdown",
    "breakdown_view",
    "coverage_by_sector",
    "coverage_key_figures",
    "coverage_sentence",
    "coverage_table",
    "crosstab",
    "data_gaps",
    "enterprise_totals",
    "estimate_by_region",
    "estimate_view",
    "fate_operation_conflicts",
    "fate_operation_rules",
    "fate_table",
    "gap_records",
    "grand_total",
    "group_values",
    "headline_text",
    "hierarchy_table",
    "indicators",
    "pareto",
    "readable",
    "regional_estimate",
    "sector_view",
    "short_number",
    "storage_by_operation",
    "storage_flags",
    "storage_key_figures",
    "storage_sentence",
    "storage_summary",
    "storage_totals",
    "storage_view",
    "stored_on_site",
    "stream_tonnes",
    "yes_no",
]
