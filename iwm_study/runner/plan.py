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

from ..config import NATIONAL_SCOPE, ConfigProblem, Project

OUTPUTS_DIR = "outputs"
#: Parameters the runner gives every notebook that declares them.
STANDARD_PARAMETERS = (
    "scope",
    "economic_region",
    "title",
    "study_title",
    "data_path",
    "ewc_entries",
    "synthetic",
    "reference_year",
    "district_tolerance_m",
)
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


@dataclass
class Plan:
    """The jobs of a run, and every problem found while planning them."""

    project: Project
    jobs: list[Job] = field(default_factory=list)
    problems: list[ConfigProblem] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)  # input file -> sha256


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
    out = {}
    for p in files:
        try:
            name = str(p.relative_to(root))
        except ValueError:
            name = str(p)
        out[name] = sha256_bytes(p.read_bytes())
    return out


@cache
def toolkit_source_hash() -> str:
    """Hash of the toolkit's own files (code, code tables, geography, templates)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for p in sorted(package.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            digest.update(str(p.relative_to(package)).encode())
            digest.update(p.read_bytes())
    return digest.hexdigest()


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
#: Standard parameters a training notebook may receive (it is not about one region).
_TRAINING_STANDARD = (
    "scope",
    "study_title",
    "data_path",
    "ewc_entries",
    "synthetic",
    "reference_year",
    "district_tolerance_m",
)


def _named_files(project: Project, params: dict[str, Any]) -> list[Path]:
    """Files inside the project that a parameter value names (other than the data source)."""
    found = []
    for key, value in params.items():
        if key == "data_path" or not isinstance(value, str) or not value or len(value) > 500:
            continue
        path = project.path(value)
        if path.is_file() and path.resolve().is_relative_to(project.root):
            found.append(path)
    return sorted(set(found))


def resolve_notebook(project: Project, name: str, training: bool = False) -> Path:
    folder = project.notebooks_path / (TRAINING_DIR if training else "")
    return folder / f"{name.removesuffix('.ipynb')}.ipynb"


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
    """Every scope of the study in index order: national, each region and its scenarios, training."""
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
    }
    defaults_origin = {k: (study_file, f"defaults.{k}") for k in study.defaults}
    title = f"{study.title}: national"
    scopes = [
        Scope(
            NATIONAL_SCOPE,
            "national",
            title,
            {**standard, "economic_region": None, "title": title},
            dict(study.defaults),
            defaults_origin,
        )
    ]
    for slug in sorted(project.regions):
        region = project.regions[slug]
        region_file = _rel(project, project.files[slug])
        title = region.title or f"{region.economic_region} economic region"
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
            s_title = f"{title}, scenario {name}"
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
        training = {k: v for k, v in standard.items() if k in _TRAINING_STANDARD} | {
            "scope": TRAINING_SCOPE
        }
        scopes.append(
            Scope(
                TRAINING_SCOPE,
                "training",
                "Training",
                training,
                dict(study.defaults),
                defaults_origin,
            )
        )
    return scopes


def _rel(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def build_plan(project: Project, notebooks: list[str] | None = None) -> Plan:
    """The jobs of every scope of the project (regions as filtered by ``load_project``).

    ``notebooks`` only checks that the names given exist (selection happens in the runner, so
    that the index always knows the whole study).
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
    # (kind, name) -> (declared parameters, source hash, path)
    parsed: dict[tuple[str, str], tuple[dict[str, Any], str, Path]] = {}
    wanted = [(e.scope, e.name) for e in entries] + [
        ("training", n) for n in project.study.training
    ]
    for kind, name in wanted:
        path = resolve_notebook(project, name, training=kind == "training")
        shown = _rel(project, path)
        if not path.is_file():
            key = "training" if kind == "training" else "notebooks"
            plan.problems.append(
                ConfigProblem(study_file, key, f"the notebook file {shown} does not exist.", name)
            )
            continue
        try:
            nb = read_notebook_json(path)
            parsed[(kind, name)] = (declared_parameters(nb), notebook_source_hash(nb), path)
        except (json.JSONDecodeError, SyntaxError, UnicodeDecodeError) as exc:
            plan.problems.append(ConfigProblem(shown, "", f"the notebook cannot be read: {exc}"))
    # Every user parameter must be declared by at least one notebook of the study.
    declared_anywhere = set().union(*(d for d, _, _ in parsed.values())) if parsed else set()
    reported: set[tuple[str, str]] = set()
    for scope in study_scopes(project):
        for key in sorted(set(scope.user) - declared_anywhere):
            where = scope.origin[key]
            if parsed and where not in reported:
                reported.add(where)
                plan.problems.append(
                    ConfigProblem(
                        where[0],
                        where[1],
                        "no notebook of the study declares this parameter in its parameters cell.",
                        repr(scope.user[key]),
                    )
                )
        builds = AUDIENCES if scope.kind == "training" else (None,)
        for (kind, name), (declared, source_hash, path) in parsed.items():
            if kind != scope.kind:
                continue
            params = {k: v for k, v in scope.standard.items() if k in declared}
            for key, value in scope.user.items():
                if key not in declared:
                    continue
                if not _type_ok(value, declared[key]):
                    where = scope.origin[key]
                    if where not in reported:
                        reported.add(where)
                        plan.problems.append(
                            ConfigProblem(
                                where[0],
                                where[1],
                                f"{_rel(project, path)} expects a {type(declared[key]).__name__} (its default is {declared[key]!r}).",
                                repr(value),
                            )
                        )
                params[key] = value
            # Files a parameter names (a study's own rules file, say) are inputs like the data.
            named = {}
            for f in _named_files(project, params):
                named.update(hash_path(f, project.root))
            for audience in builds:
                parts = {
                    "notebook": hash_json({"source": source_hash, "audience": audience}),
                    "parameters": hash_json(
                        {"parameters": params, "kernel": project.study.execution.kernel}
                    ),
                    "inputs": hash_json({"data": inputs_key, "named": named})
                    if named
                    else inputs_key,
                    "toolkit": toolkit_source_hash(),
                    "environment": environment_hash(),
                }
                notebook = f"{name}.{audience}" if audience else name
                plan.jobs.append(
                    Job(
                        scope.name,
                        notebook,
                        path,
                        params,
                        hash_json(parts),
                        parts,
                        scope.title,
                        audience,
                    )
                )
    return plan
