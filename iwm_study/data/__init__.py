"""Intake of a study's data: schema, readers, validation, code tables, geography, demo dataset.

``load_study(path)`` is the one way notebooks read data; ``validate_study(path)`` lists the
problems without raising. See ``schema`` for the tables and their columns.

Names are imported on first use (PEP 562) so that ``import iwm_study.data.schema`` or reading
the package's files does not pull in pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

_EXPORTS = {
    "Issue": "issues",
    "StudyDataError": "issues",
    "ValidationReport": "issues",
    "Study": "study",
    "inspect_study": "study",
    "load_study": "study",
    "validate_study": "study",
    "write_study": "study",
    "GeoSettings": "validate",
    "to_tonnes": "validate",
}

if TYPE_CHECKING:
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


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
