"""Study parameters: typed models of the parameter files and the registry of notebook settings.

- ``study``: ``parameters/study.yaml`` and ``parameters/regions/*.yaml`` (YAML -> models, every
  problem collected), the ``Project`` they make;
- ``registry``: every setting a notebook reads, with its model, default and notebooks; the one
  list that ``iwm validate``, ``iwm run`` and the parameter reference page read;
- ``selection``: the multi-criteria settings (criteria catalogue, AHP) of notebooks 00 and 01;
  the AHP arithmetic (``ahp_consistency``, ``SAATY_RANDOM_INDEX``) is ``iwm_study.scoring.ahp``'s,
  re-exported here;
- ``base``: strict models and the problem record shared by all three.

Pure Python and pydantic only, so that reading the parameters never imports numpy or pandas.
"""

from __future__ import annotations

from ..scoring.ahp import CONSISTENCY_LIMIT, SAATY_RANDOM_INDEX, ahp_consistency
from .base import ConfigError, ConfigProblem
from .registry import (
    CIRCULAR_OPTIONS,
    ENTERPRISE_SELECTION,
    MAP_CLASSIFICATIONS,
    MAP_COLOUR_BY,
    MAP_MAX_CLASSES,
    PARAMETER_MODELS,
    PILOT_SELECTION,
    SETTINGS,
    WASTE_INVENTORY,
    WASTE_MAP,
    Setting,
    check_parameters,
    check_setting,
    selection_settings,
    setting_default,
)
from .selection import (
    ENTERPRISE_CRITERIA,
    RECIPROCAL_TOLERANCE,
    REGION_CRITERIA,
    SELECTION_CRITERIA,
    WEIGHT_SUM_TOLERANCE,
    CriterionInfo,
    CriterionSetting,
    Direction,
    EnterpriseSelection,
    RegionSelection,
    SelectionSettings,
    SensitivitySetting,
)
from .study import (
    MAX_STREAM_T,
    NATIONAL_SCOPE,
    PARAMETERS_DIR,
    REGIONS_DIR,
    SLUG_PATTERN,
    STANDARD_NOTEBOOKS,
    STUDY_FILE,
    DataConfig,
    ExecutionConfig,
    NotebookConfig,
    Project,
    RegionConfig,
    StudyConfig,
    economic_region_names,
    load_project,
    read_project,
)

__all__ = [
    "CIRCULAR_OPTIONS",
    "CONSISTENCY_LIMIT",
    "ENTERPRISE_CRITERIA",
    "ENTERPRISE_SELECTION",
    "MAP_CLASSIFICATIONS",
    "MAP_COLOUR_BY",
    "MAP_MAX_CLASSES",
    "MAX_STREAM_T",
    "NATIONAL_SCOPE",
    "PARAMETERS_DIR",
    "PARAMETER_MODELS",
    "PILOT_SELECTION",
    "RECIPROCAL_TOLERANCE",
    "REGIONS_DIR",
    "REGION_CRITERIA",
    "SAATY_RANDOM_INDEX",
    "SELECTION_CRITERIA",
    "SETTINGS",
    "SLUG_PATTERN",
    "STANDARD_NOTEBOOKS",
    "STUDY_FILE",
    "WASTE_INVENTORY",
    "WASTE_MAP",
    "WEIGHT_SUM_TOLERANCE",
    "ConfigError",
    "ConfigProblem",
    "CriterionInfo",
    "CriterionSetting",
    "DataConfig",
    "Direction",
    "EnterpriseSelection",
    "ExecutionConfig",
    "NotebookConfig",
    "Project",
    "RegionConfig",
    "RegionSelection",
    "SelectionSettings",
    "SensitivitySetting",
    "Setting",
    "StudyConfig",
    "ahp_consistency",
    "check_parameters",
    "check_setting",
    "economic_region_names",
    "load_project",
    "read_project",
    "selection_settings",
    "setting_default",
]
