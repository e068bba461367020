"""Plan a run: the matrix of jobs (scope x notebook), their parameters and their cache keys.

Planning reads only JSON, YAML and file bytes, never a kernel, so ``iwm run`` with nothing to do
and ``iwm list`` answer at once. A job's key is a hash of everything that can change its result:
the notebook's source (without outputs), its resolved parameters, the bytes of the input data,
the toolkit's own source and the installed package versions.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..config import NATIONAL_SCOPE, SETTINGS, ConfigProblem, Project
from ..config.registry import STANDARD_PARAMETERS
from ..i18n import _, using
from ..paths import demo_data, toolkit_source_hash

OUTPUTS_DIR = "outputs"
#: Suffixes of the files one job writes under outputs/<scope>/.
OUTPUT_SUFFIXES = (".ipynb", ".html", ".code.html")


@dataclass(frozen=True)
class Job:
    """One notebook run for one scope, with everything needed to run it in another process."""

    scope: str
    notebook: str
    source: Path
    parameters: dict[str, Any]
    key: str
    key_parts: dict[str, str]
    title: str
    audience: str | None = None  # training builds: 'trainee' or 'trainer'

    @property
    def id(self) -> str:
        return f"{self.scope}/{self.notebook}"

    def matches(self, regions: set[str], notebooks: set[str]) -> bool:
        """Whether ``--region``/``--notebook`` select this job: a region selects its scenarios
        too, a notebook name its training builds."""
        return (not regions or self.scope in regions or self.scope.split(".")[0] in regions) and (
            not notebooks or self.notebook in notebooks or self.notebook.split(".")[0] in notebooks
        )

    def outputs(self, outputs_dir: Path) -> list[Path]:
        return [outputs_dir / self.scope / f"{self.notebook}{s}" for s in OUTPUT_SUFFIXES]


@dataclass(frozen=True)
class Omitted:
    """A job the study lists but that does not apply to its data, and why (not a failure)."""

    scope: str
    notebook: str
    reason: str

    @property
    def id(self) -> str:
        return f"{self.scope}/{self.notebook}"


@dataclass
class Plan:
    """The jobs of a run, the jobs left out and why, and every problem found while planning."""

    project: Project
    jobs: list[Job] = field(default_factory=list)
    problems: list[ConfigProblem] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # input file -> sha256
    omitted: list[Omitted] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_json(value: Any) -> str:
    return sha256_bytes(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    )


def notebook_source_hash(nb: dict[str, Any]) -> str:
    """Hash of a notebook's cells (type, source, tags) and kernel, ignoring outputs and counts."""
    cells = [
        {
            "type": c.get("cell_type"),
            "source": "".join(c.get("source", "")),
            "tags": sorted(c.get("metadata", {}).get("tags", [])),
        }
        for c in nb.get("cells", [])
    ]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return hash_json({"cells": cells, "kernel": kernel})


def read_notebook_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def declared_parameters(nb: dict[str, Any]) -> dict[str, Any]:
    """Names and default values assigned in the cell tagged ``parameters``.

    Parsed with ``ast`` (literal values only) rather than by papermill, whose import would cost
    the no-op path its speed; papermill injects the values the same way at run time.
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            tree = ast.parse("".join(cell.get("source", "")))
            found: dict[str, Any] = {}
            for node in tree.body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and node.value is not None:
                            try:
                                found[target.id] = ast.literal_eval(node.value)
                            except ValueError:
                                found[target.id] = None
            return found
    return {}


def _type_ok(value: Any, default: Any) -> bool:
    """Whether a parameter value fits the type of the notebook's default (None accepts anything)."""
    if default is None or value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def hash_path(path: Path, root: Path) -> dict[str, str]:
    """sha256 of a file, or of every file under a folder, keyed by path relative to ``root``."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    files = [p for p in files if "__pycache__" not in p.parts]
    out = {}
    for p in files:
        try:
            name = str(p.relative_to(root))
        except ValueError:
            name = str(p)
        out[name] = sha256_bytes(p.read_bytes())
    return out


@cache
def environment_hash() -> str:
    """Hash of the Python version and every installed distribution's name and version.

    Read from the ``*.dist-info`` folder names on ``sys.path`` (which encode name and version)
    rather than through ``importlib.metadata``, which parses every METADATA file and costs a
    third of a second, too much for a run with nothing to do.
    """
    names = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            names.update(p.name.lower() for p in folder.glob("*.dist-info"))
    return hash_json({"python": sys.version.split()[0], "packages": sorted(names)})


def input_files(project: Project) -> list[Path]:
    """The files the study's data is read from: the table files of a folder (not its README),
    or the workbook or GeoPackage itself, and the optional list of EWC entries."""
    from ..data.schema import TABLES

    source = project.inventory_path
    files = [source / f"{t}.csv" for t in TABLES] if source.is_dir() else [source]
    if project.ewc_entries_path is not None:
        files.append(project.ewc_entries_path)
    return [p for p in files if p.is_file()]


TRAINING_SCOPE = "training"
TRAINING_DIR = "training"
AUDIENCES = ("trainee", "trainer")
#: Standard parameters a training notebook may receive: it is about no region, and it always
#: reads the toolkit's demonstration data (its exercises' answers are computed from it).
_TRAINING_STANDARD = ("scope", "study_title")
#: Notebook metadata ``{"iwm": {"min_regions": N}}``: the notebook compares economic regions and
#: runs only when the data covers at least N of them (the pilot region selection says 2: the
#: survey's regions, or the regional statistics' when it ranks on those alone);
#: ``{"iwm": {"min_study_regions": N}}``: it sets the study's regions side by side and runs
#: only when the study has at least N region files (the national synthesis says 2).
METADATA_KEY = "iwm"


def _named_files(project: Project, params: dict[str, Any]) -> list[Path]:
    """Files a parameter value names (other than the data source): every registry setting that
    names a file, wherever it lies, and any other text value naming a file inside the study."""
    found = []
    for key, value in params.items():
        if key == "data_path" or not isinstance(value, str) or not value or len(value) > 500:
            continue
        path = project.path(value)
        setting = SETTINGS.get(key)
        if path.is_file() and (
            (setting is not None and setting.file) or path.resolve().is_relative_to(project.root)
        ):
            found.append(path)
    return sorted(set(found))


@dataclass(frozen=True)
class Scope:
    """One row of the study: national, a region, a region's scenario, or the training builds."""

    name: str
    kind: str  # 'national', 'region' or 'training'
    title: str
    standard: dict[str, Any]
    user: dict[str, Any]
    origin: dict[str, tuple[str, str]]  # user key -> (file, key path) that set it


def study_scopes(project: Project) -> list[Scope]:
    """Every scope of the study in index order: national (when the study has a national
    notebook), each region and its scenarios, training (when it lists training notebooks)."""
    study = project.study
    study_file = _rel(project, project.files["study"])
    standard = {
        "scope": NATIONAL_SCOPE,
        "study_title": study.title,
        "data_path": str(study.data.inventory),
        "ewc_entries": None if study.data.ewc_entries is None else str(study.data.ewc_entries),
        "synthetic": study.data.synthetic,
        "reference_year": study.data.reference_year,
        "district_tolerance_m": study.data.district_tolerance_m,
        "number_format": study.data.number_format,
        "study_regions": list(
            dict.fromkeys(project.regions[slug].economic_region for slug in sorted(project.regions))
        ),
    }
    defaults_origin = {
        "language": (study_file, "language"),
        **{k: (study_file, f"defaults.{k}") for k in study.defaults},
    }
    national_user = {"language": study.language, **study.defaults}
    scopes = []
    if any(e.scope == "national" for e in study.notebooks):
        with using(study.language):
            title = _("{study}: national").format(study=study.title)
        scopes.append(
            Scope(
                NATIONAL_SCOPE,
                "national",
                title,
                {**standard, "economic_region": None, "title": title},
                national_user,
                defaults_origin,
            )
        )
    for slug in sorted(project.regions):
        region = project.regions[slug]
        region_file = _rel(project, project.files[slug])
        language = project.region_parameters(slug).get("language", study.language)
        with using(language):
            title = region.title or _("{region} economic region").format(
                region=region.economic_region
            )
        origin = {
            **defaults_origin,
            **{k: (region_file, f"parameters.{k}") for k in region.parameters},
        }
        base = {**standard, "economic_region": region.economic_region}
        scopes.append(
            Scope(
                slug,
                "region",
                title,
                {**base, "scope": slug, "title": title},
                project.region_parameters(slug),
                origin,
            )
        )
        for name in sorted(region.scenarios):
            scope = f"{slug}.{name}"
            with using(project.region_parameters(slug, name).get("language", study.language)):
                s_title = _("{title}, scenario {name}").format(title=title, name=name)
            s_origin = {
                **origin,
                **{k: (region_file, f"scenarios.{name}.{k}") for k in region.scenarios[name]},
            }
            scopes.append(
                Scope(
                    scope,
                    "region",
                    s_title,
                    {**base, "scope": scope, "title": s_title},
                    project.region_parameters(slug, name),
                    s_origin,
                )
            )
    if study.training:
        with using(study.language):
            training_title = _("Training")
        training = {"scope": TRAINING_SCOPE, "study_title": study.title}
        scopes.append(
            Scope(
                TRAINING_SCOPE,
                "training",
                training_title,
                training,
                {"language": study.language},
                {"language": defaults_origin["language"]},
            )
        )
    return scopes


def _rel(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Notebook:
    declared: dict[str, Any]
    source_hash: str
    path: Path
    min_regions: int
    min_study_regions: int = 0


def _read_notebooks(project: Project, plan: Plan) -> dict[tuple[str, str], _Notebook]:
    """Parse every notebook of the study (kind, name) -> parameters, hash, file, needs."""
    study_file = _rel(project, project.files["study"])
    wanted = [(e.scope, e.name) for e in project.study.notebooks] + [
        ("training", n) for n in project.study.training
    ]
    parsed: dict[tuple[str, str], _Notebook] = {}
    for kind, name in wanted:
        training = kind == "training"
        path = project.find_notebook(name, training=training)
        if path is None:
            where = " or ".join(
                _rel(project, f / f"{name}.ipynb") for f in project.notebook_folders(training)
            )
            plan.problems.append(
                ConfigProblem(
                    study_file,
                    "training" if training else "notebooks",
                    f"there is no notebook {name}.ipynb (looked for {where}).",
                    name,
                )
            )
            continue
        try:
            nb = read_notebook_json(path)
            meta = nb.get("metadata", {}).get(METADATA_KEY, {})
            meta = meta if isinstance(meta, dict) else {}
            parsed[(kind, name)] = _Notebook(
                declared_parameters(nb),
                notebook_source_hash(nb),
                path,
                int(meta.get("min_regions", 0)),
                int(meta.get("min_study_regions", 0)),
            )
        except (json.JSONDecodeError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
            plan.problems.append(
                ConfigProblem(_rel(project, path), "", f"the notebook cannot be read: {exc}")
            )
    return parsed


def _check_user_parameters(
    project: Project, plan: Plan, parsed: dict[tuple[str, str], _Notebook]
) -> None:
    """Every key of defaults, parameters and scenarios is a toolkit setting (checked against
    the registry when the files were read) or a parameter one of the study's notebooks
    declares, of the type of that notebook's default; never a parameter the runner sets."""
    from ..config import check_parameters

    declared: dict[str, tuple[Any, Path]] = {}
    for nb in parsed.values():
        for key, default in nb.declared.items():
            declared.setdefault(key, (default, nb.path))
    reported: set[tuple[str, str]] = set()
    for scope in study_scopes(project):
        for key, value in scope.user.items():
            where = scope.origin[key]
            if where in reported:
                continue
            if key in STANDARD_PARAMETERS:
                reported.add(where)
                plan.problems.append(
                    ConfigProblem(
                        where[0],
                        where[1],
                        "this parameter is set by the runner from the study (title, data:, the "
                        "region file); it cannot be given here.",
                        repr(value)[:120],
                    )
                )
            elif key not in SETTINGS:
                if parsed and key not in declared:
                    reported.add(where)
                    plan.problems.extend(
                        check_parameters(
                            {key: value}, where[0], where[1].rpartition(".")[0], set(declared)
                        )
                    )
                elif key in declared and not _type_ok(value, declared[key][0]):
                    reported.add(where)
                    default, path = declared[key]
                    plan.problems.append(
                        ConfigProblem(
                            where[0],
                            where[1],
                            f"{_rel(project, path)} expects a {type(default).__name__} (its "
                            f"default is {default!r}).",
                            repr(value)[:120],
                        )
                    )


def _covered(
    params: dict[str, Any], coverage: list[str], statistics: list[str] | None
) -> list[str]:
    """The economic regions a job can compare: those of the survey, and those of the regional
    statistics when its region selection reads the statistics alone."""
    from ..config.selection import statistics_criteria

    value = params.get("region_selection")
    criteria = value.get("criteria") if isinstance(value, dict) else None
    reads_statistics_only = (
        isinstance(criteria, dict)
        and bool(criteria)
        and len(statistics_criteria(value)) == len(criteria)
    )
    if statistics and reads_statistics_only:
        return sorted(set(coverage) | set(statistics))
    return sorted(set(coverage))


def _omission(
    project: Project,
    nb: _Notebook,
    params: dict[str, Any],
    coverage: list[str] | None,
    statistics: list[str] | None,
) -> str | None:
    """Why a notebook does not apply to the study (None: it does)."""
    if coverage is not None and nb.min_regions:
        covered = _covered(params, coverage, statistics)
        if nb.min_regions > len(covered):
            shown = ", ".join(covered) if covered else "none"
            return (
                f"this notebook compares economic regions and needs data from at least "
                f"{nb.min_regions}; the data covers {len(covered)} ({shown})."
            )
    regions = len(project.regions)
    if nb.min_study_regions > regions:
        return (
            f"this notebook sets the study's regions side by side and needs at least "
            f"{nb.min_study_regions} region files; the study has {regions}."
        )
    return None


def build_plan(
    project: Project,
    notebooks: list[str] | None = None,
    coverage: list[str] | None = None,
    statistics: list[str] | None = None,
) -> Plan:
    """The jobs of every scope of the project (regions as filtered by ``load_project``).

    ``notebooks`` only checks that the names given exist (selection happens in the runner, so
    that the index always knows the whole study). ``coverage``, the economic regions the data
    covers, and ``statistics``, those its regional statistics describe, leave out the notebooks
    that need more regions than they have, or more region files than the study has
    (``Plan.omitted``, with the reason); None when not known yet.
    """
    plan = Plan(project)
    study_file = _rel(project, project.files["study"])
    entries = project.study.notebooks
    if notebooks:
        known = {e.name for e in entries} | set(project.study.training)
        for name in sorted({n.removesuffix(".ipynb") for n in notebooks} - known):
            plan.problems.append(
                ConfigProblem(
                    study_file,
                    "notebooks",
                    "this notebook is not in the study's notebook list.",
                    name,
                )
            )
    if not entries and not project.study.training:
        plan.problems.append(ConfigProblem(study_file, "notebooks", "there is no notebook to run."))
    data_hashes: dict[str, str] = {}
    for path in input_files(project):
        data_hashes.update(hash_path(path, project.root))
    plan.inputs = data_hashes
    inputs_key = hash_json(data_hashes)
    parsed = _read_notebooks(project, plan)
    _check_user_parameters(project, plan, parsed)
    training_key = None
    for scope in study_scopes(project):
        builds = AUDIENCES if scope.kind == "training" else (None,)
        for (kind, name), nb in parsed.items():
            if kind != scope.kind:
                continue
            params = {k: v for k, v in scope.standard.items() if k in nb.declared}
            params.update({k: v for k, v in scope.user.items() if k in nb.declared})
            reason = _omission(project, nb, params, coverage, statistics)
            if reason is not None:
                plan.omitted.append(Omitted(scope.name, name, reason))
                continue
            if scope.kind == "training":
                # Training always reads the demonstration data the toolkit ships.
                if training_key is None:
                    demo = demo_data()
                    training_key = hash_json(hash_path(demo, demo))
                data_key = training_key
            else:
                data_key = inputs_key
            # Files a parameter names (a study's own rules file, say) are inputs like the data.
            named = {}
            for f in _named_files(project, params):
                named.update(hash_path(f, project.root))
            for audience in builds:
                parts = {
                    "notebook": hash_json({"source": nb.source_hash, "audience": audience}),
                    "parameters": hash_json(
                        {"parameters": params, "kernel": project.study.execution.kernel}
                    ),
                    "inputs": hash_json({"data": data_key, "named": named}) if named else data_key,
                    "toolkit": toolkit_source_hash(),
                    "environment": environment_hash(),
                }
                notebook = f"{name}.{audience}" if audience else name
                plan.jobs.append(
                    Job(
                        scope.name,
                        notebook,
                        nb.path,
                        params,
                        hash_json(parts),
                        parts,
                        scope.title,
                        audience,
                    )
                )
    return plan
