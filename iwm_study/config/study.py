"""The study's parameter files: ``parameters/study.yaml`` and ``parameters/regions/*.yaml``.

The one place that reads YAML (always with the safe loader). Unknown keys, wrong types, missing
files and unknown economic regions are all collected and reported together, each naming the file,
the key, the value and the rule, so ``iwm validate`` and ``iwm run`` can stop before any kernel
starts. Notebook settings (``defaults:``, a region's ``parameters:`` and scenarios) are checked
against the registry (``registry.SETTINGS``) down to the key path.
"""

from __future__ import annotations

import contextlib
import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from ..data.schema import MAX_STREAM_T
from ..paths import toolkit_notebooks
from .base import ConfigError, ConfigProblem, _model_problems, _Strict
from .registry import (
    CIRCULAR_OPTIONS,
    ENTERPRISE_SELECTION,
    FACT_SHEETS,
    NATIONAL_SYNTHESIS,
    PILOT_SELECTION,
    SUMMARY,
    WASTE_INVENTORY,
    WASTE_MAP,
    check_parameters,
)

PARAMETERS_DIR = "parameters"
STUDY_FILE = "study.yaml"
REGIONS_DIR = "regions"
#: Region slugs become folder names under outputs/: lower-case letters, digits and single hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NATIONAL_SCOPE = "national"


class DataConfig(_Strict):
    """Where the study's input data lives (paths relative to the study folder) and how it reads."""

    inventory: Path = Field(
        description="Folder of CSV files, an .xlsx workbook or a .gpkg GeoPackage."
    )
    ewc_entries: Path | None = Field(
        default=None,
        description="Optional CSV (code,title) of the six-digit EWC entries the study accepts, "
        "when it uses a national list in place of the European List of Waste the toolkit ships.",
    )
    reference_year: int = Field(
        default=2022, ge=1990, le=2100, description="Year the inventory describes."
    )
    synthetic: bool = Field(
        default=False, description="True when the data is synthetic; reports say so."
    )
    district_tolerance_m: float = Field(
        default=1000.0,
        ge=0,
        description="How far (m) a site may lie outside its district's simplified boundary.",
    )
    number_format: Literal["decimal_comma", "decimal_point"] | None = Field(
        default=None,
        description="How numbers typed as text are written: decimal_comma (1.200,5 or 1 200,5), "
        "decimal_point (1,200.5 or 1 200.5), or null: only numbers that can be read one way "
        "(1200, 0.75, 2,5) are accepted, and 1,200 or 1.200 are errors. A workbook's numeric "
        "cells are numbers already.",
    )
    max_stream_t: float = Field(
        default=MAX_STREAM_T,
        gt=0,
        description="A waste stream above this many tonnes a year gets a warning (a plausibility "
        "check; the run goes on).",
    )


class NotebookConfig(_Strict):
    """One notebook of the study and the scope it runs for."""

    name: str = Field(description="File name in notebooks/, with or without .ipynb.")
    scope: Literal["national", "region"] = Field(
        default="region", description="Run once nationally, or per region."
    )

    @field_validator("name")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        stem = v.removesuffix(".ipynb")
        if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", stem) or ".." in stem:
            raise ValueError(
                "a notebook name is a plain file name (letters, digits, '_', '-', '.')"
            )
        return stem


#: The toolkit's notebooks in report order, and the scope each runs for.
STANDARD_NOTEBOOKS: tuple[dict[str, str], ...] = (
    {"name": PILOT_SELECTION, "scope": "national"},
    {"name": ENTERPRISE_SELECTION, "scope": "region"},
    {"name": WASTE_INVENTORY, "scope": "region"},
    {"name": WASTE_MAP, "scope": "region"},
    {"name": CIRCULAR_OPTIONS, "scope": "region"},
    {"name": SUMMARY, "scope": "region"},
    {"name": FACT_SHEETS, "scope": "region"},
    {"name": NATIONAL_SYNTHESIS, "scope": "national"},
)


class ExecutionConfig(_Strict):
    """How notebooks are executed."""

    cell_timeout_s: int = Field(default=600, gt=0, description="Seconds a single cell may run.")
    kernel: str = Field(default="python3", description="Jupyter kernel name.")


class StudyConfig(_Strict):
    """``parameters/study.yaml``: the study-wide settings and the defaults of every region."""

    extends: Path | None = Field(
        default=None,
        description="Another study file (relative to this one) whose keys this file starts from; "
        "mappings are merged key by key, everything else is replaced.",
    )
    title: str = Field(description="Title shown on every report and on the index.")
    country: str = Field(default="Azerbaijan", description="Country of the study.")
    language: Literal["en", "az"] = Field(
        default="en",
        description="Language of the reports and the index: en (English) or az (Azerbaijani, "
        "Latin script). A region file or a scenario sets language among its parameters to "
        "build its reports in the other language.",
    )
    data: DataConfig
    notebooks_dir: Path | None = Field(
        default=None,
        description="Folder of the study's own notebooks, relative to the study folder. A notebook "
        "is looked for there first, then among the toolkit's notebooks. Default: the study's "
        "notebooks/ folder when it has one.",
    )
    notebooks: list[NotebookConfig] = Field(
        default_factory=lambda: [NotebookConfig(**n) for n in STANDARD_NOTEBOOKS],
        description="The notebooks of the study, in report order. Default: the toolkit's eight.",
    )
    training: list[str] = Field(
        default_factory=list,
        description="Notebooks in training/ (of the study's notebooks, else the toolkit's) built "
        "twice, for trainees (no solutions) and for trainers, into outputs/training/, always on "
        "the toolkit's demonstration data.",
    )
    execution: ExecutionConfig = Field(default_factory=ExecutionConfig)
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="Notebook parameters every region inherits."
    )

    @field_validator("training")
    @classmethod
    def _plain_names(cls, names: list[str]) -> list[str]:
        return [NotebookConfig._plain_name(n) for n in names]


class RegionConfig(_Strict):
    """``parameters/regions/<slug>.yaml``: one pilot region, only what differs from the study."""

    economic_region: str = Field(description="One of the 14 economic regions (2021 decree).")
    title: str | None = Field(default=None, description="Title of the region's reports.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Overrides of study defaults."
    )
    scenarios: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Named variants of the region, each a set of parameter overrides on top of "
        "parameters; each runs as a scope of its own, <slug>.<name>.",
    )

    @field_validator("scenarios")
    @classmethod
    def _scenario_names(cls, scenarios: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name in scenarios:
            if not SLUG_PATTERN.match(name):
                raise ValueError(
                    f"scenario name '{name}': use lower-case letters, digits and single hyphens"
                )
        return scenarios


@dataclass
class Project:
    """A study project folder with its typed parameters."""

    root: Path
    study: StudyConfig
    regions: dict[str, RegionConfig] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # 'study' or slug -> parameter file

    def path(self, relative: Path | str) -> Path:
        """A path from the parameters, resolved against the project folder."""
        p = Path(relative)
        return p if p.is_absolute() else self.root / p

    @property
    def inventory_path(self) -> Path:
        return self.path(self.study.data.inventory)

    @property
    def ewc_entries_path(self) -> Path | None:
        e = self.study.data.ewc_entries
        return None if e is None else self.path(e)

    def region_parameters(self, slug: str, scenario: str | None = None) -> dict[str, Any]:
        """The study defaults with the region's overrides (and a scenario's) applied."""
        region = self.regions[slug]
        extra = region.scenarios[scenario] if scenario else {}
        study = self.study
        return {"language": study.language, **study.defaults, **region.parameters, **extra}

    @property
    def notebooks_path(self) -> Path:
        """The study's own notebooks folder (``notebooks_dir``, default ``notebooks/``; it need
        not exist: the toolkit's notebooks serve a study that has none)."""
        return self.path(self.study.notebooks_dir or "notebooks")

    def notebook_folders(self, training: bool = False) -> list[Path]:
        """Where a notebook is looked for, in order: the study's folder, then the toolkit's."""
        sub = "training" if training else ""
        folders = [self.notebooks_path / sub, toolkit_notebooks() / sub]
        return list(dict.fromkeys(f.resolve() for f in folders))

    def find_notebook(self, name: str, training: bool = False) -> Path | None:
        """The file of notebook ``name`` (with or without .ipynb), or None when neither the study
        nor the toolkit has it."""
        stem = name.removesuffix(".ipynb")
        for folder in self.notebook_folders(training):
            if (folder / f"{stem}.ipynb").is_file():
                return folder / f"{stem}.ipynb"
        return None


@cache
def economic_region_names() -> tuple[str, ...]:
    """The 14 economic regions, read from the package's small mapping table (no geopandas)."""
    ref = resources.files("iwm_study.data") / "reference" / "az_economic_regions.csv"
    with ref.open(encoding="utf-8") as fh:
        return tuple(sorted({row["economic_region"] for row in csv.DictReader(fh)}))


_UNREADABLE = object()  # marks a file whose YAML could not be read, so no key is checked


#: libyaml's parser where PyYAML was built with it, with PyYAML's safe constructor and resolver
#: (the same values): a study's settings read ten times faster, which a run with nothing to do
#: feels. A file it rejects is read again by the pure-Python loader, whose messages and line
#: numbers the problems report.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, display: str, problems: list[ConfigProblem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(ConfigProblem(display, "", "the file is not UTF-8 text."))
        return _UNREADABLE
    with contextlib.suppress(yaml.YAMLError):  # read again below, for the usual message
        return yaml.load(text, Loader=_FAST_LOADER)
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(
            ConfigProblem(display, "", f"YAML syntax error: {exc.problem or exc}", line=line)
        )
    except yaml.YAMLError as exc:
        problems.append(ConfigProblem(display, "", f"YAML error: {exc}"))
    return _UNREADABLE


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``: mappings merged key by key, anything else replaced."""
    out = dict(base)
    for key, value in over.items():
        out[key] = (
            _merge(out[key], value)
            if isinstance(value, dict) and isinstance(out.get(key), dict)
            else value
        )
    return out


def _read_study_yaml(
    path: Path, root: Path, problems: list[ConfigProblem], seen: tuple[Path, ...] = ()
) -> Any:
    """The study file's mapping with the file it ``extends`` (recursively) merged underneath."""
    display = _display(path, root)
    data = _read_yaml(path, display, problems)
    if not isinstance(data, dict) or not data.get("extends"):
        return data
    base_path = (path.parent / str(data["extends"])).resolve()
    if base_path in seen or base_path == path.resolve():
        problems.append(
            ConfigProblem(
                display,
                "extends",
                "the study files extend each other in a loop.",
                str(data["extends"]),
            )
        )
        return _UNREADABLE
    if not base_path.is_file():
        problems.append(
            ConfigProblem(
                display, "extends", "the file to extend does not exist.", str(data["extends"])
            )
        )
        return _UNREADABLE
    base = _read_study_yaml(base_path, root, problems, (*seen, path.resolve()))
    if not isinstance(base, dict):
        return _UNREADABLE
    base.pop("extends", None)
    return _merge(base, data)


def _parse(model: type[BaseModel], data: Any, display: str, problems: list[ConfigProblem]) -> Any:
    if data is _UNREADABLE:
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(
            ConfigProblem(
                display, "", f"the file must hold a mapping of keys, not a {type(data).__name__}."
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_model_problems(exc, display))
        return None


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def load_project(root: str | Path = ".", regions: list[str] | None = None) -> Project:
    """Read and check the parameter files of the project at ``root``.

    ``regions`` limits the regions read (by slug); unknown slugs are errors. Raises
    ``ConfigError`` listing every problem.
    """
    project, problems = read_project(root, regions)
    if problems or project is None:
        raise ConfigError(problems)
    return project


def read_project(
    root: str | Path = ".", regions: list[str] | None = None
) -> tuple[Project | None, list[ConfigProblem]]:
    """The project at ``root`` and every problem of its parameter files, without raising.

    The project is None only when study.yaml itself cannot be read into its model; otherwise
    it holds the study and every region file that could be read, so that the pre-flight can go
    on to check the data and list every problem at once.
    """
    root = Path(root).resolve()
    problems: list[ConfigProblem] = []
    study_path = root / PARAMETERS_DIR / STUDY_FILE
    display = _display(study_path, root)
    if not study_path.is_file():
        return None, [
            ConfigProblem(
                str(study_path),
                "",
                f"{root} is not a study folder: it has no {PARAMETERS_DIR}/{STUDY_FILE}. "
                "`iwm init DIR` makes a study folder; `--project DIR` names the one to use.",
            )
        ]
    study = _parse(StudyConfig, _read_study_yaml(study_path, root, problems), display, problems)
    if study is not None:
        problems.extend(check_parameters(study.defaults, display, "defaults"))
        if "language" in study.defaults:
            problems.append(
                ConfigProblem(
                    display,
                    "defaults.language",
                    "the study's language is set once, at the top of the file (`language: az`); "
                    "a region file or a scenario may set `language` among its parameters.",
                    repr(study.defaults["language"]),
                )
            )
        for key, rel in (
            ("data.inventory", study.data.inventory),
            ("data.ewc_entries", study.data.ewc_entries),
        ):
            if rel is not None and not (rel if rel.is_absolute() else root / rel).exists():
                problems.append(
                    ConfigProblem(display, key, "the file or folder does not exist.", str(rel))
                )
        nb_dir = study.notebooks_dir
        if nb_dir is not None and not (nb_dir if nb_dir.is_absolute() else root / nb_dir).is_dir():
            problems.append(
                ConfigProblem(display, "notebooks_dir", "the folder does not exist.", str(nb_dir))
            )
    region_dir = root / PARAMETERS_DIR / REGIONS_DIR
    available = (
        {p.stem: p for p in sorted(region_dir.glob("*.yaml"))} if region_dir.is_dir() else {}
    )
    wanted = available if regions is None else {}
    for slug in regions or []:
        if not SLUG_PATTERN.match(slug):
            problems.append(
                ConfigProblem(
                    _display(region_dir, root),
                    "region",
                    "a region slug uses lower-case letters, digits and hyphens only.",
                    slug,
                )
            )
        elif slug not in available:
            problems.append(
                ConfigProblem(
                    _display(region_dir, root),
                    "region",
                    f"there is no region file {slug}.yaml.",
                    slug,
                )
            )
        else:
            wanted[slug] = available[slug]
    parsed: dict[str, RegionConfig] = {}
    files: dict[str, Path] = {"study": study_path}
    names = economic_region_names()
    for slug, path in wanted.items():
        shown = _display(path, root)
        if not SLUG_PATTERN.match(slug):
            problems.append(
                ConfigProblem(
                    shown,
                    "",
                    "the file name is not a valid region slug (lower-case letters, digits, hyphens).",
                    slug,
                )
            )
            continue
        if slug == NATIONAL_SCOPE:
            problems.append(
                ConfigProblem(
                    shown, "", f"'{NATIONAL_SCOPE}' is reserved for the national scope.", slug
                )
            )
            continue
        region = _parse(RegionConfig, _read_yaml(path, shown, problems), shown, problems)
        if region is None:
            continue
        problems.extend(check_parameters(region.parameters, shown, "parameters"))
        for name, overrides in region.scenarios.items():
            problems.extend(check_parameters(overrides, shown, f"scenarios.{name}"))
        if region.economic_region not in names:
            problems.append(
                ConfigProblem(
                    shown,
                    "economic_region",
                    "not one of the 14 economic regions: " + ", ".join(names) + ".",
                    region.economic_region,
                )
            )
            continue
        parsed[slug] = region
        files[slug] = path
    if study is None:
        return None, problems
    return Project(root=root, study=study, regions=parsed, files=files), problems
