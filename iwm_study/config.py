"""Study parameters: the typed models of ``parameters/study.yaml`` and ``parameters/regions/*.yaml``.

The one place that reads YAML (always with the safe loader). Unknown keys, wrong types, missing
files and unknown economic regions are all collected and reported together, each naming the file,
the key, the value and the rule, so ``iwm validate`` and ``iwm run`` can stop before any kernel
starts.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PARAMETERS_DIR = "parameters"
STUDY_FILE = "study.yaml"
REGIONS_DIR = "regions"
#: Region slugs become folder names under outputs/: lower-case letters, digits and single hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NATIONAL_SCOPE = "national"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataConfig(_Strict):
    """Where the study's input data lives (paths relative to the project folder)."""

    inventory: Path = Field(
        description="Folder of CSV files, an .xlsx workbook or a .gpkg GeoPackage."
    )
    ewc_entries: Path | None = Field(
        default=None,
        description="Optional CSV (code,title) of every six-digit EWC entry the study accepts.",
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


class ExecutionConfig(_Strict):
    """How notebooks are executed."""

    cell_timeout_s: int = Field(default=600, gt=0, description="Seconds a single cell may run.")
    kernel: str = Field(default="python3", description="Jupyter kernel name.")


class StudyConfig(_Strict):
    """``parameters/study.yaml``: the study-wide settings and the defaults of every region."""

    title: str = Field(description="Title shown on every report and on the index.")
    country: str = Field(default="Azerbaijan")
    data: DataConfig
    notebooks: list[NotebookConfig] = Field(default_factory=list)
    execution: ExecutionConfig = Field(default_factory=ExecutionConfig)
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="Notebook parameters every region inherits."
    )


class RegionConfig(_Strict):
    """``parameters/regions/<slug>.yaml``: one pilot region, only what differs from the study."""

    economic_region: str = Field(description="One of the 14 economic regions (2021 decree).")
    title: str | None = Field(default=None, description="Title of the region's reports.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Overrides of study defaults."
    )


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a parameter file."""

    file: str
    key: str
    message: str
    value: str | None = None
    line: int | None = None

    def sentence(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        key = f", key '{self.key}'" if self.key else ""
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{where}{key}: {self.message}{value}"


class ConfigError(ValueError):
    """Raised when parameter files are invalid; ``.problems`` lists every problem."""

    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(p.sentence() for p in problems))


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

    def region_parameters(self, slug: str) -> dict[str, Any]:
        """The study defaults with the region's overrides applied."""
        region = self.regions[slug]
        return {**self.study.defaults, **region.parameters}


@cache
def economic_region_names() -> tuple[str, ...]:
    """The 14 economic regions, read from the package's small mapping table (no geopandas)."""
    ref = resources.files("iwm_study.data") / "reference" / "az_economic_regions.csv"
    with ref.open(encoding="utf-8") as fh:
        return tuple(sorted({row["economic_region"] for row in csv.DictReader(fh)}))


_UNREADABLE = object()  # marks a file whose YAML could not be read, so no key is checked


def _read_yaml(path: Path, display: str, problems: list[ConfigProblem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(ConfigProblem(display, "", "the file is not UTF-8 text."))
        return _UNREADABLE
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


def _model_problems(exc: ValidationError, display: str) -> list[ConfigProblem]:
    out = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown key (not a parameter of this file)"
        elif kind == "missing":
            message = "required key is missing"
        else:
            message = err["msg"]
        value = None if kind == "missing" else repr(err.get("input"))[:120]
        out.append(ConfigProblem(display, key, message, value))
    return out


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
    root = Path(root).resolve()
    problems: list[ConfigProblem] = []
    study_path = root / PARAMETERS_DIR / STUDY_FILE
    display = _display(study_path, root)
    if not study_path.is_file():
        raise ConfigError([ConfigProblem(display, "", "the study parameter file does not exist.")])
    study = _parse(StudyConfig, _read_yaml(study_path, display, problems), display, problems)
    if study is not None:
        for key, rel in (
            ("data.inventory", study.data.inventory),
            ("data.ewc_entries", study.data.ewc_entries),
        ):
            if rel is not None and not (rel if rel.is_absolute() else root / rel).exists():
                problems.append(
                    ConfigProblem(display, key, "the file or folder does not exist.", str(rel))
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
    if problems:
        raise ConfigError(problems)
    return Project(root=root, study=study, regions=parsed, files=files)
