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

The package keeps computation apart from telling: ``aggregate`` (labels, lookups, totals,
breakdowns, Pareto), ``indicators`` (indicators, fates, the waste hierarchy), ``quality``
(fate-operation conflicts, data gaps) and ``explain`` (report headers, formats, the headline).
"""

from __future__ import annotations

from .aggregate import (
    BREAKDOWNS,
    KNOWN_FATES,
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    OFF_SITE_FATES,
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
from .explain import COLUMN_HEADERS, headline_text
from .indicators import INDICATOR_DEFINITIONS, fate_table, hierarchy_table, indicators
from .quality import (
    FATE_OPERATION_RULES,
    GAP_DEFINITIONS,
    data_gaps,
    fate_operation_conflicts,
    fate_operation_rules,
    gap_records,
)

__all__ = [
    "BREAKDOWNS",
    "COLUMN_HEADERS",
    "FATE_OPERATION_RULES",
    "GAP_DEFINITIONS",
    "INDICATOR_DEFINITIONS",
    "KNOWN_FATES",
    "NOT_REPORTED",
    "NOT_REPORTED_LABEL",
    "OFF_SITE_FATES",
    "Dimension",
    "ParetoSummary",
    "Q",
    "aggregate",
    "attach_enterprise",
    "breakdown",
    "crosstab",
    "data_gaps",
    "enterprise_totals",
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
    "stream_tonnes",
]
