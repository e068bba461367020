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
the toolkit are the same bytes, so a run with nothing to do stays fast. ``iwm run`` also names a
folder of snapshots: the pre-flight pickles the study it found valid there
(``iwm_study.data.snapshot``), keyed as the notebooks' ``load_study`` calls are, so the kernels
do not read and check the data again; ``iwm validate`` names none and writes nothing.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

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

if TYPE_CHECKING:
    from ..data import Study

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
    snapshot: Path | None = None  # the snapshot of the valid study for the kernels, if any

    @property
    def ok(self) -> bool:
        return self.project is not None and self.plan is not None and self.report.ok


def _shown(issues: list[Issue], root: Path) -> list[Issue]:
    """The issues with their files named relative to the study folder (``../data/x.csv`` when
    it lies beside it), as the author wrote them in study.yaml; each file resolved once."""
    names: dict[str, str] = {}
    for issue in issues:
        if issue.file not in names:
            path = Path(issue.file)
            try:
                path = (path if path.is_absolute() else root / path).resolve()
                names[issue.file] = os.path.relpath(path, root)
            except (ValueError, OSError):  # another drive on Windows
                names[issue.file] = issue.file
    return [replace(i, file=names[i.file]) if names[i.file] != i.file else i for i in issues]


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


def _data_options(project: Project, today: date) -> dict[str, Any]:
    """The options of ``inspect_study`` for the study's data settings (``today`` fixed once, so
    that the check and the snapshot's key see the same day). Imports pandas."""
    from ..data import GeoSettings

    data = project.study.data
    return {
        "ewc_entries": project.ewc_entries_path,
        "today": today,
        "geo": GeoSettings(district_tolerance_m=data.district_tolerance_m),
        "number_format": data.number_format,
        "max_stream_t": data.max_stream_t,
    }


def _check_data(
    project: Project, named: list[Named], today: date
) -> tuple[dict[str, Any], Study | None]:
    """Read and check the data and the files settings name: the record the manifest keeps,
    and the typed study (None when the data has errors)."""
    from ..data import inspect_study

    study, report = inspect_study(project.inventory_path, **_data_options(project, today))
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
    record = {
        "issues": [asdict(i) for i in issues],
        "coverage": coverage,
        "statistics_regions": statistics,
        "counts": counts or {},
    }
    return record, study


def _snapshot(
    project: Project,
    folder: Path,
    study: Study | None,
    known: Any,
    today: date,
) -> dict[str, Any] | None:
    """The snapshot of the valid study in ``folder``, keyed as the notebooks call ``load_study``
    (``data_path``, ``ewc_entries``, ``GeoSettings(district_tolerance_m)``, ``number_format``,
    in the study's language): ``{"key", "context"}`` for the manifest's record, or None when it
    cannot be written (the kernels then read the files, as without a snapshot).

    ``study`` is None when the data check came from the manifest: then ``known`` (the record's
    earlier snapshot) answers without pandas when the context is the same and the file is still
    there (the data, settings and toolkit are, or the check would have run); else the data is
    read once more.
    """
    from ..data.snapshot import snapshot_context, snapshot_key, snapshot_path, write_snapshot

    with using(project.study.language):
        context = snapshot_context(project.inventory_path, today)
        if (
            study is None
            and isinstance(known, dict)
            and known.get("context") == context
            and snapshot_path(folder, str(known.get("key"))).is_file()
        ):
            return known
        from ..data import inspect_study

        options = _data_options(project, today)
        key = snapshot_key(project.inventory_path, **options)
        entry = {"key": key, "context": context}
        if snapshot_path(folder, key).is_file():
            return entry
        if study is None:
            study = inspect_study(project.inventory_path, **options)[0]
        if study is None:
            return None
    try:
        write_snapshot(folder, key, study)
    except (OSError, pickle.PicklingError):
        return None
    return entry


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
    snapshots: Path | None = None,
    on_data_check: Callable[[Project], None] | None = None,
) -> Preflight:
    """Every check before any kernel starts (see the module docstring); never raises for a
    problem a user can fix. ``regions`` and ``notebooks`` are the selections of ``--region``
    and ``--notebook``; ``cached`` the record of an earlier data check (from the manifest);
    ``snapshots`` the folder to leave the valid study in for the kernels (``iwm run`` only:
    ``iwm_study.data.snapshot.snapshot_folder``), nothing written when the study is invalid;
    ``on_data_check`` is called before the data is read and checked (it changed since the
    last check), so that ``iwm run`` starts its workers meanwhile."""
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
    today = date.today()
    study = None
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
        if on_data_check is not None:  # the data changed: the caller may start work meanwhile
            on_data_check(project)
        # The data's problems are written in the study's language: the index shows them.
        with using(project.study.language):
            found, study = _check_data(project, named, today)
            record = {"stamp": stamp, **found}
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
    result.report = ValidationReport(_shown(issues, root)).sorted()
    if snapshots is not None and result.ok and result.record is not None:
        from ..data.snapshot import snapshot_path

        folder = Path(snapshots)
        entry = _snapshot(project, folder, study, result.record.get("snapshot"), today)
        if entry is not None:
            result.record = {**result.record, "snapshot": entry}
            result.snapshot = snapshot_path(folder, entry["key"])
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
    warning_limit: int | None = None,
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
    print(
        report.format(terminal_width(stream), limit=limit, warning_limit=warning_limit),
        file=stream,
    )
