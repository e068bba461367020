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
* :mod:`.layer`: :func:`add_options_layer`, the matches as a layer of the interactive waste map
  (through the public ``WasteMap.add_layer``).
"""

# Reading and checking the rules is intake (the pre-flight checks a study's rules file before
# any kernel starts): it lives in iwm_study.data.rules, and is offered here too.
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
from .results import MATCH_COLUMNS, REASONS, UNMATCHED_COLUMNS

# Public as well, as it was in the single module circular.py, though not in __all__:
from .layer import LINE_COLOURS as LINE_COLOURS  # isort: skip

__all__ = [
    "HIERARCHY_ORDER",
    "IMPACT_LABELS",
    "MATCH_COLUMNS",
    "NOT_RECOVERED_FATES",
    "REASONS",
    "RULES_FILE",
    "RULES_TABLE",
    "TOP_COLUMNS",
    "TWIN_DISTANCE_M",
    "UNMATCHED_COLUMNS",
    "UNMATCHED_SHOWN",
    "MatchSettings",
    "Matching",
    "add_options_layer",
    "by_receiver",
    "by_rule",
    "check_rules",
    "data_gaps",
    "impact",
    "impact_table",
    "is_not_recovered",
    "key_figures",
    "load_rules",
    "match_streams",
    "match_study",
    "reasons_table",
    "receivers",
    "recovery_rate_pct",
    "shipped_rules_path",
    "summary_markdown",
]
