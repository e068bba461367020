"""The one registry of notebook settings: every key a study's ``defaults:``, a region's
``parameters:`` or a scenario may set, with its typed model, its default, its meaning and the
toolkit notebooks that read it.

``iwm validate`` and ``iwm run`` check parameter files against it before any kernel starts, the
parameter reference page (``outputs/parameters.html``) is generated from it, and a test checks
that each toolkit notebook's parameters cell declares exactly these keys with these defaults.
A study's own notebooks may declare keys of their own: those are checked against the type of
the notebook's default instead (``runner.plan``).

Scalar settings are ``RootModel`` classes so that the reference page reads them as it reads the
block settings (``region_selection`` ...). Pure Python and pydantic only: no numpy, no pandas.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, RootModel, Strict, ValidationError

from .base import ConfigError, ConfigProblem, _model_problems
from .selection import EnterpriseSelection, RegionSelection, SelectionSettings

#: Notebooks of the toolkit, in report order (``notebooks/`` of the source tree).
PILOT_SELECTION = "00_pilot_region_selection"
ENTERPRISE_SELECTION = "01_enterprise_selection"
WASTE_INVENTORY = "02_waste_inventory"
WASTE_MAP = "03_waste_map"
CIRCULAR_OPTIONS = "04_circular_options"
SUMMARY = "05_summary"
FACT_SHEETS = "06_fact_sheets"
NATIONAL_SYNTHESIS = "07_national_synthesis"

#: Classifications of the district choropleth and colourings of the enterprise symbols
#: (``iwm_study.maps`` implements them; a test checks that the two agree).
MAP_CLASSIFICATIONS: tuple[str, ...] = ("quantiles", "equal_interval")
MAP_COLOUR_BY: tuple[str, ...] = ("hazard", "sector")
MAP_MAX_CLASSES = 9


#: Parameters the runner gives every notebook that declares them, from the study's files (they
#: are never written under ``defaults:``), with what each one is.
STANDARD_PARAMETERS: dict[str, str] = {
    "scope": "'national', the region's slug or slug.scenario (its output folder).",
    "economic_region": "The region's economic region; null for the national scope.",
    "title": "Title of the report (the region file's title, or one made from the region name).",
    "study_title": "The study's title (study.yaml: title).",
    "data_path": "The study's input data (study.yaml: data.inventory), read from the study "
    "folder; null in a notebook as it stands: the demonstration data.",
    "ewc_entries": "The optional list of EWC entries (study.yaml: data.ewc_entries).",
    "synthetic": "Whether the data is synthetic (study.yaml: data.synthetic).",
    "reference_year": "Year the inventory describes (study.yaml: data.reference_year).",
    "district_tolerance_m": "Tolerance of the district check (study.yaml: "
    "data.district_tolerance_m).",
    "number_format": "How numbers typed as text are written (study.yaml: data.number_format).",
    "study_regions": "The economic regions of the study's region files, in the order of their "
    "slugs (a national synthesis sets them side by side).",
}


def _scalar(name: str, annotation: Any, doc: str) -> type[RootModel]:
    """A RootModel for one scalar setting (the reference page reads its docstring)."""
    return type(name, (RootModel[annotation],), {"__doc__": doc, "__module__": __name__})


_Int = Annotated[int, Strict()]
_Float = Annotated[float, Strict(), Field(allow_inf_nan=False)]


@dataclass(frozen=True)
class Setting:
    """One notebook setting: its model, its default and the toolkit notebooks that read it."""

    name: str
    model: type[BaseModel]
    default: Any
    notebooks: tuple[str, ...]
    #: True when the value names a file, read against the study folder.
    file: bool = False

    @property
    def description(self) -> str:
        return (self.model.__doc__ or "").strip()


_SENSITIVITY = {
    "draws": 1000,
    "concentration": 50,
    "seed": 2021,
    "changes": [-0.5, -0.25, 0.25, 0.5],
}

#: The demonstration study's selection settings; a study changes them in its own study.yaml.
#: Pilot regions are ranked on the regional statistics, as in practice, before any survey
#: (the survey criteria stay in the catalogue: ``iwm init`` writes them into a study whose
#: data has no statistics table); only SMEs with a RECP interest of at least medium are
#: ranked for RECP assessments.
REGION_SELECTION_DEFAULT: dict[str, Any] = {
    "method": "topsis",
    "normalisation": "vector",
    "weights": "ahp",
    "criteria": {
        "waste_generated_t": {"direction": "benefit"},
        "industrial_output_mazn": {"direction": "benefit"},
        "enterprises": {"direction": "benefit"},
        "employees": {"direction": "benefit"},
    },
    "ahp_matrix": [
        [1, 2, 3, 3],
        ["1/2", 1, 2, 2],
        ["1/3", "1/2", 1, 1],
        ["1/3", "1/2", 1, 1],
    ],
    "require_consistent": True,
    "pilots": 2,
    "recycling_distance_km": 50,
    "sensitivity": _SENSITIVITY,
}
#: Pilot regions ranked on the survey's own criteria: what ``iwm init`` writes into a study
#: whose data has no table of regional statistics (every criterion comes from the survey or
#: the facilities; the AHP judgements give a consistency ratio below 0.10).
SURVEY_REGION_SELECTION: dict[str, Any] = {
    "method": "topsis",
    "normalisation": "vector",
    "weights": "ahp",
    "criteria": {
        "waste_t": {"direction": "benefit"},
        "hazardous_share": {"direction": "benefit"},
        "manufacturing_enterprises": {"direction": "benefit"},
        "landfill_share": {"direction": "benefit"},
        "recycling_capacity_t": {"direction": "benefit"},
        "recp_interest": {"direction": "benefit"},
    },
    "ahp_matrix": [
        [1, 2, 3, 2, 3, 4],
        ["1/2", 1, 2, 1, 2, 3],
        ["1/3", "1/2", 1, "1/2", 1, 2],
        ["1/2", 1, 2, 1, 2, 3],
        ["1/3", "1/2", 1, "1/2", 1, 2],
        ["1/4", "1/3", "1/2", "1/3", "1/2", 1],
    ],
    "require_consistent": True,
    "pilots": 2,
    "recycling_distance_km": 50,
    "sensitivity": _SENSITIVITY,
}
ENTERPRISE_SELECTION_DEFAULT: dict[str, Any] = {
    "method": "weighted_sum",
    "normalisation": "minmax",
    "weights": "direct",
    "criteria": {
        "waste_t": {"direction": "benefit", "weight": 0.30},
        "hazardous_share": {"direction": "benefit", "weight": 0.20},
        "waste_intensity": {"direction": "benefit", "weight": 0.15},
        "not_recovered_share": {"direction": "benefit", "weight": 0.15},
        "employees": {"direction": "cost", "weight": 0.05},
        "recp_interest": {"direction": "benefit", "weight": 0.15},
    },
    "eligibility": {
        "max_employees": 249,
        "min_recp_interest": "medium",
        "max_output_value_kazn": None,
    },
    "sensitivity": _SENSITIVITY,
}

_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "language",
        _scalar(
            "Language",
            Literal["en", "az"],
            "Language of the report: en (English) or az (Azerbaijani, Latin script). The "
            "study's language (study.yaml: language) is the default; a region file or a "
            "scenario sets it among its parameters to build its reports in the other language.",
        ),
        "en",
        (
            PILOT_SELECTION,
            ENTERPRISE_SELECTION,
            WASTE_INVENTORY,
            WASTE_MAP,
            CIRCULAR_OPTIONS,
            SUMMARY,
            FACT_SHEETS,
            NATIONAL_SYNTHESIS,
        ),
    ),
    Setting("region_selection", RegionSelection, REGION_SELECTION_DEFAULT, (PILOT_SELECTION,)),
    Setting(
        "shortlist_size",
        _scalar(
            "ShortlistSize",
            Annotated[_Int, Field(ge=1, le=10_000)],
            "Enterprises put on the RECP shortlist of each region.",
        ),
        10,
        (ENTERPRISE_SELECTION, FACT_SHEETS),
    ),
    Setting(
        "enterprise_selection",
        EnterpriseSelection,
        ENTERPRISE_SELECTION_DEFAULT,
        (ENTERPRISE_SELECTION, FACT_SHEETS),
    ),
    Setting(
        "mass_balance_tolerance_pct",
        _scalar(
            "MassBalanceTolerance",
            Annotated[_Float, Field(ge=0, le=100)],
            "An enterprise's or region's mass balance closes when the tonnes without a known "
            "fate are at most this share (%) of the tonnes generated.",
        ),
        1.0,
        (WASTE_INVENTORY,),
    ),
    Setting(
        "pareto_share_pct",
        _scalar(
            "ParetoShare",
            Annotated[_Float, Field(gt=0, le=100)],
            "The Pareto count is of the fewest enterprises that generate this share (%) of the "
            "waste.",
        ),
        80.0,
        (WASTE_INVENTORY,),
    ),
    Setting(
        "sankey_top_n",
        _scalar(
            "SankeyTopN",
            Annotated[_Int, Field(ge=1, le=100)],
            "The Sankey diagrams keep this many sectors and waste categories; the rest are "
            "merged into 'Other ...'.",
        ),
        8,
        (WASTE_INVENTORY,),
    ),
    Setting(
        "coverage_bootstrap_draws",
        _scalar(
            "CoverageBootstrapDraws",
            Annotated[_Int, Field(ge=1, le=1_000_000)],
            "Bootstrap draws behind the interval of the estimate of the whole region: each "
            "draw resamples the surveyed enterprises of every sector with replacement.",
        ),
        1000,
        (WASTE_INVENTORY, SUMMARY, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "coverage_interval_pct",
        _scalar(
            "CoverageIntervalPct",
            Annotated[_Float, Field(gt=0, lt=100)],
            "The interval of the estimate of the whole region holds this central share (%) "
            "of the bootstrap totals.",
        ),
        95.0,
        (WASTE_INVENTORY, SUMMARY, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "coverage_seed",
        _scalar(
            "CoverageSeed",
            Annotated[_Int, Field(ge=0)],
            "Seed of the bootstrap's random generator: the same seed gives the same interval.",
        ),
        2021,
        (WASTE_INVENTORY, SUMMARY, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "map_classification",
        _scalar(
            "MapClassification",
            Literal[MAP_CLASSIFICATIONS],
            "Classes of the district choropleth: quantiles (about as many districts in each) or "
            "equal_interval (the range cut into equal steps).",
        ),
        "quantiles",
        (WASTE_MAP,),
    ),
    Setting(
        "map_classes",
        _scalar(
            "MapClasses",
            Annotated[_Int, Field(ge=1, le=MAP_MAX_CLASSES)],
            "Number of classes of the district choropleth (fewer when fewer districts have "
            "enterprises).",
        ),
        5,
        (WASTE_MAP,),
    ),
    Setting(
        "map_colour_by",
        _scalar(
            "MapColourBy",
            Literal[MAP_COLOUR_BY],
            "Colour of the enterprise symbols: hazard (hazardous share) or sector (NACE section).",
        ),
        "hazard",
        (WASTE_MAP,),
    ),
    Setting(
        "map_online_tiles",
        _scalar(
            "MapOnlineTiles",
            Annotated[bool, Strict()],
            "Add an OpenStreetMap layer, off at start, for readers who are online; the map never "
            "needs it.",
        ),
        False,
        (WASTE_MAP,),
    ),
    Setting(
        "circular_max_distance_km",
        _scalar(
            "CircularMaxDistance",
            Annotated[_Float, Field(gt=0)],
            "Receivers within this distance by road (km) are considered.",
        ),
        50.0,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_road_factor",
        _scalar(
            "CircularRoadFactor",
            Annotated[_Float, Field(ge=1)],
            "Road distance over straight-line distance (national circuity factors are commonly "
            "1.2-1.4, Ballou, Rahardja and Sakai 2002); a road is never shorter than a straight "
            "line.",
        ),
        1.3,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_co2_kg_per_tkm",
        _scalar(
            "CircularCo2",
            Annotated[_Float, Field(ge=0)],
            "kg CO2e per tonne-km of road freight (all HGVs at average load, direct emissions: "
            "Defra/DECC 2012 GHG conversion factors, Annex 7).",
        ),
        0.124,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_breakeven_km",
        _scalar(
            "CircularBreakeven",
            Annotated[_Float, Field(gt=0)],
            "Road km at which transport cancels a tonne's score.",
        ),
        100.0,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_other_recovery_weight",
        _scalar(
            "CircularOtherRecoveryWeight",
            Annotated[_Float, Field(ge=0, le=1)],
            "What a tonne sent to energy recovery or other recovery (R1, R10) counts in a "
            "match's score, against 1 for a recycled tonne (an assumption that keeps the order "
            "of the waste hierarchy, Directive 2008/98/EC Art. 4).",
        ),
        0.5,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_safer_treatment_weight",
        _scalar(
            "CircularSaferTreatmentWeight",
            Annotated[_Float, Field(ge=0, le=1)],
            "What a tonne of hazardous waste sent to safer treatment (burnt at an incinerator, "
            "or treated other than by regeneration) counts in a match's score, against 1 for a "
            "recycled tonne (an assumption below energy recovery, as the hierarchy ranks it).",
        ),
        0.25,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
    ),
    Setting(
        "circular_rules_file",
        _scalar(
            "CircularRulesFile",
            Annotated[str, Strict(), Field(min_length=1)] | None,
            "A study's own circular rules (CSV with the columns of "
            "iwm_study/data/codes/circular_rules.csv), path from the study folder; null: the "
            "rules shipped with the toolkit. Every row is checked before any notebook runs.",
        ),
        None,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
        file=True,
    ),
    Setting(
        "valuation_factors_file",
        _scalar(
            "ValuationFactorsFile",
            Annotated[str, Strict(), Field(min_length=1)] | None,
            "A study's own valuation factors (CSV with the columns of "
            "iwm_study/data/codes/valuation_factors.csv: avoided disposal costs, material "
            "values, transport cost, avoided emissions and the landfill methane parameters, "
            "each with a low, central and high value, a year and a source), path from the study "
            "folder; null: the factors shipped with the toolkit. Every row is checked before "
            "any notebook runs.",
        ),
        None,
        (CIRCULAR_OPTIONS, SUMMARY, FACT_SHEETS, NATIONAL_SYNTHESIS),
        file=True,
    ),
    Setting(
        "recommendations_file",
        _scalar(
            "RecommendationsFile",
            Annotated[str, Strict(), Field(min_length=1)] | None,
            "A study's own recommendation rules (CSV with the columns of "
            "iwm_study/data/codes/recommendations.csv: a condition on the indicators of "
            "iwm_study/data/codes/indicators.csv, the recommendation, its rationale, policy "
            "lever, next steps and source), path from the study folder; null: the rules shipped "
            "with the toolkit. Every row is checked before any notebook runs.",
        ),
        None,
        (SUMMARY, NATIONAL_SYNTHESIS),
        file=True,
    ),
)

#: Every notebook setting by name, in reference-page order.
SETTINGS: dict[str, Setting] = {s.name: s for s in _SETTINGS}
#: The models by name (the reference page and the selection helpers read this).
PARAMETER_MODELS: dict[str, type[BaseModel]] = {s.name: s.model for s in _SETTINGS}


def setting_default(name: str) -> Any:
    """A fresh copy of the registry's default of setting ``name`` (the demo study's value)."""
    import copy

    return copy.deepcopy(SETTINGS[name].default)


def _key(prefix: str, loc: tuple[Any, ...]) -> str:
    return ".".join([prefix, *(str(p) for p in loc)])


def check_setting(name: str, value: Any, display: str, where: str) -> list[ConfigProblem]:
    """Problems of one registry setting's value; ``where`` is its full key path in the file."""
    model = PARAMETER_MODELS[name]
    try:
        parsed = model.model_validate(value)
    except ValidationError as exc:
        return [
            ConfigProblem(display, where + (f".{p.key}" if p.key else ""), p.message, p.value)
            for p in _model_problems(exc, display)
        ]
    if isinstance(parsed, SelectionSettings):
        return [
            ConfigProblem(display, _key(where, loc), message, None if v is None else repr(v))
            for loc, message, v in parsed.problems()
        ]
    return []


def check_parameters(
    values: dict[str, Any],
    display: str,
    prefix: str,
    declared: set[str] | None = None,
) -> list[ConfigProblem]:
    """Problems of a set of notebook parameters (``defaults:``, ``parameters:``, a scenario).

    Registry settings are checked against their models down to the key path (e.g.
    ``defaults.region_selection.criteria.waste_t.weight``). With ``declared`` (the parameters
    the study's notebooks declare), any other key is an error that suggests the nearest known
    name; without it, only registry settings are checked.
    """
    problems: list[ConfigProblem] = []
    for name, value in values.items():
        where = f"{prefix}.{name}" if prefix else name
        if name in SETTINGS:
            problems.extend(check_setting(name, value, display, where))
        elif declared is not None and name not in declared:
            known = sorted(set(SETTINGS) | declared)
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            problems.append(
                ConfigProblem(
                    display,
                    where,
                    "unknown setting: no notebook of the study reads it and it is not a toolkit "
                    f"setting (see outputs/parameters.html).{hint}",
                    repr(value)[:120],
                )
            )
    return problems


def selection_settings(name: str, value: dict[str, Any]) -> SelectionSettings:
    """The typed settings of the parameter ``name`` (``region_selection`` ...), for notebooks.

    Raises ``ConfigError`` with every problem, as ``iwm validate`` would report them.
    """
    model = PARAMETER_MODELS[name]
    if not issubclass(model, SelectionSettings):
        raise KeyError(f"{name} is not a selection parameter")
    problems = check_setting(name, value, "notebook parameters", name)
    if problems:
        raise ConfigError(problems)
    return model.model_validate(value)
