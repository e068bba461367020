"""The pre-flight: every check ``iwm run`` makes before any kernel starts, in one function.

``iwm validate`` and ``iwm run`` both call :func:`preflight`, and both print its report with
:func:`print_report`, so what one refuses the other refuses with the same words. It checks:

1. the parameter files: study.yaml (and the file it extends), every region file, every setting
   of ``defaults:``, ``parameters:`` and scenarios against the registry (``config.registry``);
2. the plan: the notebook list, each notebook's parameters cell, keys no notebook reads, types
   of a study's own notebook parameters, ``--region`` and ``--notebook`` selections;
3. the files a setting names (a study's own circular rules or valuation factors), row by row,
   each with the checker of its setting;
4. the data: every table, row and cell (``iwm_study.data``), and that each region of the study
   has enterprises in it. Warnings (a zero quantity, a mirror entry without its assessment) are
   reported and do not stop a run.

The data check is the slow part (geometry); ``iwm run`` passes the record of the last good
check (kept in the manifest) and skips it when the input files, the settings that change it and
the toolkit are the same bytes, so a run with nothing to do stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from ..config import SETTINGS, ConfigProblem, Project, read_project, setting_default
from ..config.selection import statistics_problems
from ..data.issues import Issue, ValidationReport, from_config
from ..i18n import SOURCE_LANGUAGE, using
from .plan import (
    Plan,
    build_plan,
    hash_json,
    hash_path,
    input_files,
    study_scopes,
    toolkit_source_hash,
)

#: Output formats of ``iwm validate``.
FORMATS = ("table", "csv", "json")


@dataclass
class Preflight:
    """What the pre-flight found: the project and plan (when they could be read), every problem,
    and what the data holds."""

    root: Path
    project: Project | None = None
    plan: Plan | None = None
    report: ValidationReport = field(default_factory=ValidationReport)
    coverage: list[str] | None = None  # economic regions with enterprises in the data
    counts: dict[str, int] = field(default_factory=dict)
    record: dict[str, Any] | None = None  # the data check, for the manifest's cache

    @property
    def ok(self) -> bool:
        return self.project is not None and self.plan is not None and self.report.ok


def _shown(issue: Issue, root: Path) -> Issue:
    """The issue with its file named relative to the study folder (``../data/x.csv`` when it
    lies beside it), as the author wrote it in study.yaml."""
    path = Path(issue.file)
    try:
        path = (path if path.is_absolute() else root / path).resolve()
        return replace(issue, file=os.path.relpath(path, root))
    except (ValueError, OSError):  # another drive on Windows
        return issue


#: A file named by a setting: (path, setting).
Named = tuple[Path, str]


def _setting_files(project: Project) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """Files named by registry settings that name files: (setting, value) -> [(file, key,
    value) ...]."""
    found: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for scope in study_scopes(project):
        for key, value in scope.user.items():
            setting = SETTINGS.get(key)
            if setting is None or not setting.file or not isinstance(value, str) or not value:
                continue
            where = scope.origin.get(key, ("parameters/study.yaml", key))
            origins = found.setdefault((key, value), [])
            if (where[0], where[1], value) not in origins:
                origins.append((where[0], where[1], value))
    return found


def _check_named(project: Project, path: Path, setting: str) -> list[Issue]:
    """Every problem of a file a setting names, found by the checker of that setting (a
    study's circular rules, its valuation factors, its recommendation rules); a file no checker
    reads is only required
    to exist."""
    from ..data.factors import check_factors
    from ..data.recommendations import check_recommendations
    from ..data.rules import check_rules

    checks = {
        "circular_rules_file": lambda p: check_rules(p, ewc_entries=project.ewc_entries_path),
        "valuation_factors_file": check_factors,
        "recommendations_file": check_recommendations,
    }
    check = checks.get(setting)
    return [] if check is None else list(check(path).issues)


def _data_stamp(project: Project, named: list[Named]) -> tuple[str, dict[str, str]]:
    inputs: dict[str, str] = {}
    for path in input_files(project):
        inputs.update(hash_path(path, project.root))
    named_hashes: dict[str, str] = {}
    for path, setting in named:
        if path.is_file():
            named_hashes.update(
                {f"{setting}:{k}": v for k, v in hash_path(path, project.root).items()}
            )
    data = project.study.data
    stamp = hash_json(
        {
            "inputs": inputs,
            "named": named_hashes,
            "toolkit": toolkit_source_hash(),
            "settings": {
                "district_tolerance_m": data.district_tolerance_m,
                "number_format": data.number_format,
                "max_stream_t": data.max_stream_t,
                "ewc_entries": None if data.ewc_entries is None else str(data.ewc_entries),
            },
        }
    )
    return stamp, inputs


def _check_data(project: Project, named: list[Named]) -> dict[str, Any]:
    """Read and check the data and the files settings name; the record the manifest keeps."""
    from ..data import GeoSettings, inspect_study

    data = project.study.data
    study, report = inspect_study(
        project.inventory_path,
        ewc_entries=project.ewc_entries_path,
        geo=GeoSettings(district_tolerance_m=data.district_tolerance_m),
        number_format=data.number_format,
        max_stream_t=data.max_stream_t,
    )
    issues = list(report.issues)
    for path, setting in named:
        if path.is_file():
            issues.extend(_check_named(project, path, setting))
    coverage = counts = statistics = None
    if study is not None:
        regions = study.enterprises["economic_region"].dropna()
        coverage = sorted(set(regions))
        if study.regional_statistics is not None:
            statistics = sorted(set(study.regional_statistics["economic_region"].dropna()))
        counts = {
            "enterprises": len(study.enterprises),
            "waste_streams": len(study.waste_streams),
            "facilities": len(study.facilities),
            "regional_statistics": 0
            if study.regional_statistics is None
            else len(study.regional_statistics),
        }
    return {
        "issues": [asdict(i) for i in issues],
        "coverage": coverage,
        "statistics_regions": statistics,
        "counts": counts or {},
    }


def _statistics_problems(project: Project, plan: Plan, has_statistics: bool) -> list[ConfigProblem]:
    """Criteria of ``region_selection`` read from the regional statistics, for each job that
    reads the setting, when the data has no such table (named where the study sets them)."""
    origins = {s.name: s.origin for s in study_scopes(project)}
    study_file = str(project.files["study"].relative_to(project.root))
    out: list[ConfigProblem] = []
    for job in plan.jobs:
        if job.notebook not in SETTINGS["region_selection"].notebooks:
            continue
        inherited = "region_selection" not in job.parameters
        value = job.parameters.get("region_selection") or setting_default("region_selection")
        file, key = origins.get(job.scope, {}).get(
            "region_selection", (study_file, "defaults.region_selection")
        )
        for problem in statistics_problems(value, has_statistics, file, key, inherited):
            if problem not in out:
                out.append(problem)
    return out


def preflight(
    root: str | Path,
    regions: list[str] | None = None,
    notebooks: list[str] | None = None,
    cached: dict[str, Any] | None = None,
) -> Preflight:
    """Every check before any kernel starts (see the module docstring); never raises for a
    problem a user can fix. ``regions`` and ``notebooks`` are the selections of ``--region``
    and ``--notebook``; ``cached`` the record of an earlier data check (from the manifest)."""
    root = Path(root).resolve()
    result = Preflight(root)
    project, problems = read_project(root)
    if project is None:
        result.report = ValidationReport([from_config(p) for p in problems])
        return result
    result.project = project
    # Files named by settings: they must exist, and their rows are checked with the data.
    named_values = _setting_files(project)
    named: list[Named] = []
    for (setting, value), origins in sorted(named_values.items()):
        path = project.path(value)
        if path.is_file():
            named.append((path, setting))
        else:
            problems.extend(
                ConfigProblem(
                    file,
                    key,
                    "the file does not exist (paths are read from the study folder).",
                    repr(v),
                )
                for file, key, v in origins
            )
    stamp, _ = _data_stamp(project, named)
    if not project.inventory_path.exists():
        # reported with the parameters (data.inventory: the file or folder does not exist)
        record = {"stamp": stamp, "issues": [], "coverage": None, "counts": {}}
    elif (
        cached is not None
        and cached.get("stamp") == stamp
        and cached.get("language", SOURCE_LANGUAGE) == project.study.language
    ):
        record = cached
    else:
        # The data's problems are written in the study's language: the index shows them.
        with using(project.study.language):
            record = {"stamp": stamp, **_check_data(project, named)}
        if project.study.language != SOURCE_LANGUAGE:
            record["language"] = project.study.language
    data_issues = [Issue(**d) for d in record["issues"]]
    result.coverage = record["coverage"]
    result.counts = record["counts"]
    data_ok = not any(i.severity == "error" for i in data_issues)
    if data_ok:
        result.record = record
    plan = build_plan(
        project,
        notebooks,
        coverage=result.coverage,
        statistics=record.get("statistics_regions"),
    )
    problems.extend(plan.problems)
    scope_names = {s.name for s in study_scopes(project)} | set(project.regions)
    for slug in regions or []:
        if slug not in scope_names:
            problems.append(
                ConfigProblem(
                    "parameters/regions",
                    "region",
                    f"there is no region file {slug}.yaml (regions: "
                    + (", ".join(sorted(project.regions)) or "none")
                    + ").",
                    slug,
                )
            )
    if result.coverage is not None:
        covered = set(result.coverage)
        shown = ", ".join(result.coverage) or "none"
        for slug, region in sorted(project.regions.items()):
            if region.economic_region not in covered:
                problems.append(
                    ConfigProblem(
                        str(project.files[slug].relative_to(root)),
                        "economic_region",
                        f"the data has no enterprise in {region.economic_region}, so this "
                        f"region's reports would be empty (the data covers: {shown}).",
                        region.economic_region,
                    )
                )
        has_statistics = result.counts.get("regional_statistics", 0) > 0
        problems.extend(_statistics_problems(project, plan, has_statistics))
    result.plan = plan
    issues = [from_config(p) for p in problems] + data_issues
    result.report = ValidationReport([_shown(i, root) for i in issues]).sorted()
    return result


def terminal_width(stream: TextIO) -> int | None:
    """The terminal's width to wrap problems at; None (one problem per line) for a file or pipe."""
    try:
        if stream.isatty():
            return shutil.get_terminal_size((80, 24)).columns
    except (AttributeError, ValueError):
        pass
    return None


def print_report(
    pre: Preflight,
    stream: TextIO | None = None,
    fmt: str = "table",
    limit: int | None = None,
    action: str = "Nothing was run.",
) -> None:
    """Print the pre-flight's problems: plain sentences (``table``), CSV or JSON.

    Used by ``iwm validate`` and ``iwm run`` alike, so both say the same. Plain text only: no
    console markup is ever interpreted in a cell's value.
    """
    stream = stream or sys.stderr
    report = pre.report
    if fmt == "csv":
        stream.write(report.to_csv())
        return
    if fmt == "json":
        stream.write(report.to_json())
        return
    if not report.issues:
        return
    if report.ok:
        n = len(report.warnings)
        head = f"The study is valid, with {n} warning{'s' if n != 1 else ''}:"
    else:
        head = f"The study is invalid: {report.summary()}. {action}"
    print(head, file=stream)
    print(report.format(terminal_width(stream), limit=limit), file=stream)
