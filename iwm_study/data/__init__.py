"""Intake of a study's data: schema, readers, validation, code tables, geography, demo dataset.

``load_study(path)`` is the one way notebooks read data; ``validate_study(path)`` lists the
problems without raising. See ``schema`` for the tables and their columns.
"""

from .issues import Issue, StudyDataError, ValidationReport
from .study import Study, inspect_study, load_study, validate_study, write_study
from .validate import GeoSettings, to_tonnes

__all__ = [
    "GeoSettings",
    "Issue",
    "Study",
    "StudyDataError",
    "ValidationReport",
    "inspect_study",
    "load_study",
    "to_tonnes",
    "validate_study",
    "write_study",
]
