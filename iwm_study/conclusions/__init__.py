"""The study's conclusions: indicators, recommendations, summaries and fact sheets.

What a published IWM study ends with, built from the analysis packages' results:

* :mod:`.indicators`: one catalogue of the indicators a region's conclusions speak of
  (``INDICATORS``), gathered from the inventory, the circular options and their value, the
  coverage estimate and on-site storage (``collect``), with the national references;
* :mod:`.recommendations`: recommendations as data (``recommendations.csv``: a condition on
  indicators, the recommendation, rationale, policy lever, next steps and source; read and
  checked at intake by ``iwm_study.data.recommendations``), evaluated per region with the
  numbers that triggered each one;
* :mod:`.gather`: one call that runs the analysis packages for the study and returns every
  region's indicators;
* :mod:`.summary`: the key findings in words and all regions side by side;
* :mod:`.factsheets`: one page per shortlisted enterprise for the RECP assessment team.
"""

from ..data.recommendations import (
    RECOMMENDATIONS_FILE,
    RECOMMENDATIONS_TABLE,
    Condition,
    ConditionError,
    check_recommendations,
    load_recommendations,
    parse_condition,
    shipped_recommendations_path,
)
from .factsheets import (
    fact_sheet,
    fates_frame,
    option_formats,
    options_frame,
    profile_frame,
    recp_frame,
    streams_frame,
)
from .gather import CoverageSettings, Findings, gather
from .indicators import (
    INDICATORS,
    Indicator,
    collect,
    describe,
    format_indicator,
    format_threshold,
    indicator,
    indicator_frame,
    inventory_values,
    national_values,
    plain_number,
)
from .recommendations import STATUSES, condition_words, evaluate, evidence
from .summary import (
    SYNTHESIS_KEYS,
    key_findings,
    national_recommendations,
    other_rules_frame,
    recommendation_matrix,
    recommendations_markdown,
    synthesis_frame,
    top_options_frame,
)

__all__ = [
    "INDICATORS",
    "RECOMMENDATIONS_FILE",
    "RECOMMENDATIONS_TABLE",
    "STATUSES",
    "SYNTHESIS_KEYS",
    "Condition",
    "ConditionError",
    "CoverageSettings",
    "Findings",
    "Indicator",
    "check_recommendations",
    "collect",
    "condition_words",
    "describe",
    "evaluate",
    "evidence",
    "fact_sheet",
    "fates_frame",
    "format_indicator",
    "format_threshold",
    "gather",
    "indicator",
    "indicator_frame",
    "inventory_values",
    "key_findings",
    "load_recommendations",
    "national_recommendations",
    "national_values",
    "option_formats",
    "options_frame",
    "other_rules_frame",
    "parse_condition",
    "plain_number",
    "profile_frame",
    "recommendation_matrix",
    "recommendations_markdown",
    "recp_frame",
    "shipped_recommendations_path",
    "streams_frame",
    "synthesis_frame",
    "top_options_frame",
]
