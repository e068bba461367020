"""Multi-criteria decision analysis (MCDA): which regions to pilot, which enterprises to assess.

The way through the package, computation first, presentation last:

1. ``criteria``: criteria values from a ``Study`` (``region_criteria``, ``enterprise_criteria``,
   ``complete_cases``), one function per entry of the catalogue in ``iwm_study.config``, from
   the survey, the facilities or the regional statistics; ``eligibility``: the gates an
   enterprise passes before it is ranked (``screen``: SME size, RECP interest, output value);
2. ``problem``: the checked decision matrix (``ScoringError`` names criterion and alternative);
   ``normalisation``: min-max, vector, sum or max, cost criteria inverted (``normalise``);
3. ``weights``: direct, equal or AHP (``ahp_weights``), on ``ahp``, the one AHP implementation
   (pure Python, shared with the parameter check in ``iwm_study.config``);
4. ``methods``: one scorer per method in ``SCORERS`` (weighted sum, TOPSIS, PROMETHEE II), each
   scoring a batch of weight vectors as matrix products; ``rank_scores`` (ties share a rank);
5. ``ranking``: ``rank_alternatives`` does 2-4 on a frame with the parameter files' settings,
   leaving out a criterion constant over the alternatives (ranks unchanged, weights rescaled);
   ``robustness``: ``sensitivity`` perturbs the weights (seeded Dirichlet draws, one-at-a-time);
6. ``explain``: words and tables for the reports (``reasons``, ``pilot_statement``, ...), in
   the report's language (``iwm_study.i18n``), each table with its report headers;
   ``figures``: the matplotlib figures (``score_bar_chart``, ``score_map``, ``rank_heatmap``).

The arithmetic is written here with numpy rather than called from pymcdm or scikit-criteria:
the sensitivity analysis scores thousands of weight vectors at once as matrix products (the
libraries take one weight vector per call), errors must name the criterion and the alternative,
and pymcdm is only a test dependency. The tests check every method against pymcdm to 1e-9.

Every name below is imported from its module on first use (PEP 562), so that importing
``iwm_study.scoring.ahp`` (as ``iwm_study.config`` does) pulls in neither numpy nor pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

_EXPORTS = {
    # criteria values from a study
    "CRITERION_FUNCTIONS": "criteria",
    "LANDFILL_FATES": "criteria",
    "NOT_RECOVERED_FATES": "criteria",
    "complete_cases": "criteria",
    "enterprise_criteria": "criteria",
    "region_criteria": "criteria",
    "regional_statistics": "criteria",
    "RECP_LEVEL_LABELS": "eligibility",
    "Screening": "eligibility",
    "gate_texts": "eligibility",
    "recp_level_text": "eligibility",
    "screen": "eligibility",
    # the decision problem and its normalisation
    "ScoringError": "problem",
    "NORMALISATIONS": "normalisation",
    "NORMALISERS": "normalisation",
    "normalise": "normalisation",
    # weights
    "CONSISTENCY_LIMIT": "ahp",
    "SAATY_RANDOM_INDEX": "ahp",
    "ahp_consistency": "ahp",
    "AHPResult": "weights",
    "ahp_weights": "weights",
    "direct_weights": "weights",
    "equal_weights": "weights",
    "resolve_weights": "weights",
    # methods and ranks
    "METHODS": "methods",
    "SCORERS": "methods",
    "TIE_TOLERANCE": "methods",
    "MethodOptions": "methods",
    "MethodResult": "methods",
    "promethee_ii": "methods",
    "rank_scores": "methods",
    "topsis": "methods",
    "weighted_sum": "methods",
    "Ranking": "ranking",
    "rank_alternatives": "ranking",
    "EnterpriseRanking": "ranking",
    "rank_enterprises": "ranking",
    "Sensitivity": "robustness",
    "dirichlet_weights": "robustness",
    "one_at_a_time_weights": "robustness",
    "sensitivity": "robustness",
    # words, tables and figures for the reports
    "CRITERIA_HEADERS": "explain",
    "EXCLUDED_HEADERS": "explain_steps",
    "MISSING_HEADERS": "explain",
    "SHORTLIST_HEADERS": "explain",
    "ahp_frame": "explain_steps",
    "ahp_table": "explain_steps",
    "completeness_text": "explain",
    "consistency_text": "explain_steps",
    "criteria_table": "explain",
    "criterion_label": "explain",
    "criterion_positions": "explain",
    "dropped_text": "explain",
    "eligibility_text": "explain_steps",
    "excluded_frame": "explain_steps",
    "format_criterion": "explain",
    "method_text": "explain",
    "missing_frame": "explain",
    "one_at_a_time_frame": "explain",
    "ordinal": "..i18n",
    "pilot_statement": "explain",
    "ranking_frame": "explain",
    "reasons": "explain",
    "shortlist": "explain",
    "shortlist_text": "explain_steps",
    "too_few_text": "explain_steps",
    "sources_text": "explain",
    "stability_frame": "explain",
    "statistics_provenance": "explain",
    "weights_text": "explain",
    "OTHER_COLOUR": "figures",
    "SELECTED_COLOUR": "figures",
    "rank_heatmap": "figures",
    "score_bar_chart": "figures",
    "score_map": "figures",
    # offered by the single module scoring.py too (not in __all__)
    "selection_settings": "..config",
    "SELECTION_CRITERIA": "..config",
    "CriterionInfo": "..config",
    "Eligibility": "..config.selection",
    "SelectionSettings": "..config",
    "economic_region_names": "..config",
    "RECP_LEVELS": "..data.schema",
}

if TYPE_CHECKING:
    from ..config import selection_settings
    from ..i18n import ordinal
    from .ahp import CONSISTENCY_LIMIT, SAATY_RANDOM_INDEX, ahp_consistency
    from .criteria import (
        CRITERION_FUNCTIONS,
        LANDFILL_FATES,
        NOT_RECOVERED_FATES,
        complete_cases,
        enterprise_criteria,
        region_criteria,
        regional_statistics,
    )
    from .eligibility import RECP_LEVEL_LABELS, Screening, gate_texts, recp_level_text, screen
    from .explain import (
        CRITERIA_HEADERS,
        MISSING_HEADERS,
        SHORTLIST_HEADERS,
        completeness_text,
        criteria_table,
        criterion_label,
        criterion_positions,
        dropped_text,
        format_criterion,
        method_text,
        missing_frame,
        one_at_a_time_frame,
        pilot_statement,
        ranking_frame,
        reasons,
        shortlist,
        sources_text,
        stability_frame,
        statistics_provenance,
        weights_text,
    )
    from .explain_steps import (
        EXCLUDED_HEADERS,
        ahp_frame,
        ahp_table,
        consistency_text,
        eligibility_text,
        excluded_frame,
        shortlist_text,
        too_few_text,
    )
    from .figures import rank_heatmap, score_bar_chart, score_map
    from .methods import (
        METHODS,
        SCORERS,
        TIE_TOLERANCE,
        MethodOptions,
        MethodResult,
        promethee_ii,
        rank_scores,
        topsis,
        weighted_sum,
    )
    from .normalisation import NORMALISATIONS, NORMALISERS, normalise
    from .problem import ScoringError
    from .ranking import EnterpriseRanking, Ranking, rank_alternatives, rank_enterprises
    from .robustness import Sensitivity, dirichlet_weights, one_at_a_time_weights, sensitivity
    from .weights import (
        AHPResult,
        ahp_weights,
        direct_weights,
        equal_weights,
        resolve_weights,
    )

__all__ = [
    "CONSISTENCY_LIMIT",
    "CRITERIA_HEADERS",
    "CRITERION_FUNCTIONS",
    "EXCLUDED_HEADERS",
    "LANDFILL_FATES",
    "METHODS",
    "MISSING_HEADERS",
    "NORMALISATIONS",
    "NORMALISERS",
    "NOT_RECOVERED_FATES",
    "RECP_LEVEL_LABELS",
    "SAATY_RANDOM_INDEX",
    "SCORERS",
    "SHORTLIST_HEADERS",
    "TIE_TOLERANCE",
    "AHPResult",
    "EnterpriseRanking",
    "MethodOptions",
    "MethodResult",
    "Ranking",
    "ScoringError",
    "Screening",
    "Sensitivity",
    "ahp_consistency",
    "ahp_frame",
    "ahp_table",
    "ahp_weights",
    "complete_cases",
    "completeness_text",
    "consistency_text",
    "criteria_table",
    "criterion_label",
    "criterion_positions",
    "direct_weights",
    "dirichlet_weights",
    "dropped_text",
    "eligibility_text",
    "enterprise_criteria",
    "equal_weights",
    "excluded_frame",
    "format_criterion",
    "gate_texts",
    "method_text",
    "missing_frame",
    "normalise",
    "one_at_a_time_frame",
    "one_at_a_time_weights",
    "ordinal",
    "pilot_statement",
    "promethee_ii",
    "rank_alternatives",
    "rank_enterprises",
    "rank_heatmap",
    "rank_scores",
    "ranking_frame",
    "reasons",
    "recp_level_text",
    "region_criteria",
    "regional_statistics",
    "resolve_weights",
    "score_bar_chart",
    "score_map",
    "screen",
    "selection_settings",
    "sensitivity",
    "shortlist",
    "shortlist_text",
    "sources_text",
    "stability_frame",
    "statistics_provenance",
    "too_few_text",
    "topsis",
    "weighted_sum",
    "weights_text",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
