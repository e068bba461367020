"""Circular options: match waste streams that are not yet recovered to receivers that can use them.

"From waste to source": for every stream that is landfilled, kept on site or has no known fate,
find the facilities and enterprises that could take it instead, and say why. The route:

* :mod:`iwm_study.data.rules`: the rules, kept as data (``circular_rules.csv`` or a study's own
  file), read and checked at intake; :func:`load_rules` and :func:`check_rules` are offered here
  too.
* :mod:`.receiving`: the streams not yet recovered (:func:`is_not_recovered`) and every receiver
  with its capacity left (:func:`receivers`).
* :mod:`.matching`: :func:`match_study` and :func:`match_streams`, candidates under the rules
  within the distance limit, scored, then a greedy allocation of capacity; its docstring states
  the method. The result is a :class:`Matching`.
* :mod:`.results`: the tables of a matching (``MATCH_COLUMNS``, ``UNMATCHED_COLUMNS``, the
  ``REASONS`` a stream has no receiver).
* :mod:`.explain`: what the matches mean: :func:`impact`, :func:`by_receiver`, :func:`by_rule`,
  the report's tables, prose and key figures (``report.KeyFigure``), :func:`data_gaps`.
* :mod:`.valuation`: :func:`value_matching`, what each option is worth in AZN/yr and t CO2e/yr,
  each with a low, central and high end, summed per region (a :class:`Valuation`); its
  docstring states the method. The factors and material classes are data, read and checked in
  :mod:`iwm_study.data.factors` (:func:`load_factors`, :func:`check_factors`, offered here).
* :mod:`.worth`: the valuation for the report: key figures (:func:`value_key_figures`), tables
  (:func:`options_value_table`, :func:`value_parts_table`, :func:`value_by_region_table`,
  :func:`factors_table`), prose (:func:`value_markdown`) and :func:`range_text`.
* :mod:`.layer`: :func:`add_options_layer`, the matches as a layer of the interactive waste map
  (through the public ``WasteMap.add_layer``).
"""

# Reading and checking the rules is intake (the pre-flight checks a study's rules file before
# any kernel starts): it lives in iwm_study.data.rules, and is offered here too.
from ..data.factors import check_factors, load_factors, load_material_classes
from ..data.rules import RULES_FILE, RULES_TABLE, check_rules, load_rules, shipped_rules_path
from .explain import (
    IMPACT_LABELS,
    TOP_COLUMNS,
    UNMATCHED_SHOWN,
    by_receiver,
    by_rule,
    data_gaps,
    impact,
    impact_table,
    key_figures,
    reasons_table,
    recovery_rate_pct,
    summary_markdown,
)
from .layer import add_options_layer
from .matching import HIERARCHY_ORDER, Matching, MatchSettings, match_streams, match_study
from .receiving import NOT_RECOVERED_FATES, TWIN_DISTANCE_M, is_not_recovered, receivers
from .results import MATCH_COLUMNS, OPTION_KINDS, REASONS, UNMATCHED_COLUMNS
from .valuation import VALUE_COLUMNS, Valuation, value_matches, value_matching
from .worth import (
    FACTOR_HEADERS,
    OPTION_KIND_LABELS,
    PART_HEADERS,
    REGION_VALUE_HEADERS,
    VALUE_HEADERS,
    factors_table,
    options_value_table,
    range_text,
    value_by_region_table,
    value_key_figures,
    value_markdown,
    value_parts_table,
)

# Public as well, as it was in the single module circular.py, though not in __all__:
from .layer import LINE_COLOURS as LINE_COLOURS  # isort: skip

__all__ = [
    "FACTOR_HEADERS",
    "HIERARCHY_ORDER",
    "IMPACT_LABELS",
    "MATCH_COLUMNS",
    "NOT_RECOVERED_FATES",
    "OPTION_KINDS",
    "OPTION_KIND_LABELS",
    "PART_HEADERS",
    "REASONS",
    "REGION_VALUE_HEADERS",
    "RULES_FILE",
    "RULES_TABLE",
    "TOP_COLUMNS",
    "TWIN_DISTANCE_M",
    "UNMATCHED_COLUMNS",
    "UNMATCHED_SHOWN",
    "VALUE_COLUMNS",
    "VALUE_HEADERS",
    "MatchSettings",
    "Matching",
    "Valuation",
    "add_options_layer",
    "by_receiver",
    "by_rule",
    "check_factors",
    "check_rules",
    "data_gaps",
    "factors_table",
    "impact",
    "impact_table",
    "is_not_recovered",
    "key_figures",
    "load_factors",
    "load_material_classes",
    "load_rules",
    "match_streams",
    "match_study",
    "options_value_table",
    "range_text",
    "reasons_table",
    "receivers",
    "recovery_rate_pct",
    "shipped_rules_path",
    "summary_markdown",
    "value_by_region_table",
    "value_key_figures",
    "value_markdown",
    "value_matches",
    "value_matching",
    "value_parts_table",
]
