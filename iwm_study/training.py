"""Exercises for the training notebooks: answer checks that never reveal the answer, and the
trainee and trainer builds of a notebook.

A training notebook poses each exercise in three consecutive code cells:

1. a cell tagged ``exercise`` with a placeholder the trainee replaces (``answer = ...``),
2. a cell tagged ``solution`` that sets ``answer`` the way a trainer would,
3. a cell tagged ``check`` that calls ``check("exercise-name", answer)``.

``check`` prints "right", "not yet right" and a hint, or "not answered yet" while the
placeholder is still there (as every check of a freshly built trainee page does). It compares a
salted SHA-256 digest of the answer's canonical form (numbers rounded to the exercise's stated
precision, text normalised) with the digest stored in ``EXERCISES``, so the expected answers are
never in the notebook or here in plain text. (A determined trainee can still try candidate
answers one by one: the digests keep answers out of sight, they are not a secret.)

What a check line and an edition's note say is translated (``iwm_study.i18n``): ``check``
writes in the kernel's language, and the note, a Markdown cell, is translated when the page is
rendered. A check line names its exercise by ``name`` in English; a translation names it by
its heading instead ("Tapşırıq 1"), since the names are English words.

``build(nb, "trainee")`` removes the solution cells, every output and every metadata key that
could carry a solution; ``build(nb, "trainer")`` keeps everything. Both add a short note at the
top saying which edition it is. The runner calls ``build`` before executing a notebook.

To add an exercise: write the three cells, run the solution, then put
``Exercise(name, kind, digits, digest(name, answer, kind, digits), hint)`` in ``EXERCISES``.
The expected answers are computed from the demonstration data (``data/demo``); when that data
is regenerated, the trainer-build test shows which digests to recompute.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Number
from pathlib import Path
from typing import Any, Literal

from .i18n import N_, _

__all__ = [
    "AUDIENCES",
    "EXERCISES",
    "Exercise",
    "ExerciseCells",
    "build",
    "canonical",
    "check",
    "digest",
    "exercise_cells",
    "is_right",
    "project_root",
    "sample_survey",
]

Kind = Literal["number", "text", "list", "set", "bool"]
Audience = Literal["trainee", "trainer"]
AUDIENCES: tuple[str, ...] = ("trainee", "trainer")

EXERCISE_TAG, SOLUTION_TAG, CHECK_TAG = "exercise", "solution", "check"
#: Prefix of every salt: the digests of this toolkit cannot be matched against another's.
_SALT = "iwm-study/training/v1"
#: Notebook metadata kept in the trainee build; anything else could carry a solution.
_KEPT_NB_METADATA = ("kernelspec", "language_info")
#: Cell metadata kept in the trainee build.
_KEPT_CELL_METADATA = ("tags", "jupyter")
#: What ``check`` says to an exercise still holding its placeholder (in English: translated
#: where shown).
UNANSWERED = N_("Replace the ... in the answer cell above with your answer, then run this check.")
#: Solution lines shorter than this are too generic to test for leaks (")" or "answer = x").
_MIN_LEAK_LINE = 12


@dataclass(frozen=True)
class Exercise:
    """One exercise: how its answer is compared, the digest of the expected answer, a hint."""

    name: str
    kind: Kind
    digits: int | None  # decimals numbers are compared at (numbers and list items)
    digest: str
    hint: str  # shown when the answer is not yet right (in English, translated where shown);
    # it must not give the answer away


# --------------------------------------------------------------------------------------------
# Canonical forms and digests
# --------------------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—−"), "-")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _text(value: Any) -> str:
    """Text compared without regard to case, accents written as composed letters, spacing,
    dash variants, surrounding quotes or a final full stop."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_DASHES)
    text = " ".join(text.split()).strip().strip("'\"").rstrip(".").strip()
    return text.casefold()


def _as_float(value: Any) -> float | None:
    """A number from a number or from text such as '1,234.5' or ' 12 '; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Number):
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("_", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            return float(text)
        except ValueError:
            return None
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return _as_float(item())
    return None


def _number(value: Any, digits: int | None) -> str | None:
    """A number rounded half-up to ``digits`` decimals (None: to a whole number)."""
    x = _as_float(value)
    if x is None or math.isnan(x) or math.isinf(x):
        return None
    places = 0 if digits is None else digits
    # Round away float noise first (0.1 + 0.2), then half-up at the stated precision.
    try:
        d = Decimal(repr(round(x, places + 6))).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    except InvalidOperation:
        return None
    if d == 0:
        d = abs(d)  # no '-0'
    return f"{d:.{places}f}"


def _item(value: Any, digits: int | None) -> str:
    """One element of a list or set: a number when it reads as one, else text."""
    if not isinstance(value, str) and not isinstance(value, bool):
        number = _number(value, digits)
        if number is not None:
            return number
    return _text(value)


def _items(value: Any) -> list[Any] | None:
    """The elements of a list-like answer (a pandas Series gives its values), else None."""
    if isinstance(value, str | bytes | Mapping):
        return None
    if hasattr(value, "tolist"):  # pandas Series/Index, numpy array
        value = value.tolist()
    if isinstance(value, Iterable):
        return list(value)
    return None


def canonical(value: Any, kind: Kind, digits: int | None = None) -> str | None:
    """The form an answer is compared in, or None when it cannot be an answer of this kind.

    number: rounded half-up to ``digits`` decimals ('1,234.5' as text is read too); text:
    case-folded, spacing and dashes normalised; list: the items in order; set: the distinct
    items sorted; bool: 'true' or 'false' (yes/no accepted).
    """
    if value is Ellipsis or value is None:
        return None
    if kind == "number":
        return _number(value, digits)
    if kind == "text":
        return _text(value) if isinstance(value, str | Number) else None
    if kind == "bool":
        numpy_bool = type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")
        if isinstance(value, bool) or numpy_bool:
            return "true" if bool(value) else "false"
        words = {"true": "true", "yes": "true", "false": "false", "no": "false"}
        return words.get(_text(value)) if isinstance(value, str) else None
    items = _items(value)
    if items is None:
        return None
    parts = [_item(v, digits) for v in items]
    if kind == "set":
        parts = sorted(set(parts))
    return json.dumps(parts, ensure_ascii=False)


def digest(name: str, value: Any, kind: Kind, digits: int | None = None) -> str:
    """The salted SHA-256 digest of an answer's canonical form (what ``EXERCISES`` stores)."""
    form = canonical(value, kind, digits)
    if form is None:
        raise ValueError(f"{value!r} is not an answer of kind {kind}")
    return _hash(name, form)


def _hash(name: str, form: str) -> str:
    return hashlib.sha256(f"{_SALT}/{name}\n{form}".encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# The exercises of notebooks/training/walkthrough.ipynb (answers from data/demo)
# --------------------------------------------------------------------------------------------


def _exercises(*items: Exercise) -> dict[str, Exercise]:
    return {e.name: e for e in items}


# Each name is marked for the catalog (N_ returns it unchanged: the digests' salt stays the
# name): a check line shows ``_(name)``, which a translation makes the exercise's heading.
EXERCISES: dict[str, Exercise] = _exercises(
    Exercise(
        # Translators: how check lines name Exercise 1 of the walkthrough (its heading).
        N_("enterprises-ganja"),
        "number",
        0,
        "e304bce1347120830c46fd6a16df11e50d4fcdc0f8962dd9a055094a1f8425d6",
        N_("Count the rows of study.enterprises whose economic_region is 'Ganja-Dashkasan'."),
    ),
    Exercise(
        # Translators: how check lines name Exercise 2 of the walkthrough (its heading).
        N_("ganja-rank-equal-weights"),
        "number",
        0,
        "c64108ae61720950bd0294c2c699983bb612fb790b64a7aafcc6cd379bb6e763",
        N_(
            "Change all three settings (method, normalisation, weights), remove ahp_matrix, and "
            "read the 'rank' column of the new ranking's table, not of the first one."
        ),
    ),
    Exercise(
        # Translators: how check lines name Exercise 3 of the walkthrough (its heading).
        N_("survey-errors"),
        "number",
        0,
        "bbfb86881fe5a9a1e9d2c35ba6ad05d4e8a4a61c28610233047ca26638a74d98",
        N_("Count every problem whose severity is 'error', one per cell, not per row or sheet."),
    ),
    Exercise(
        # Translators: how check lines name Exercise 4 of the walkthrough (its heading).
        N_("hazardous-share"),
        "number",
        1,
        "c825ff2519802aaa8424acf6153238490067284bacd5d9388b7a37f55ee40b7b",
        N_(
            "Divide the tonnes of the hazardous streams by all the region's tonnes and multiply "
            "by 100; use quantity_t (tonnes), not quantity (whose unit varies)."
        ),
    ),
    Exercise(
        # Translators: how check lines name Exercise 5 of the walkthrough (its heading).
        N_("pareto-enterprises"),
        "number",
        0,
        "13e9ca94eb2a3f1937da61e15f31391c9aea1083fd5d5534670806bf0d097108",
        N_("Give the number of enterprises of the region, not their share in per cent."),
    ),
    Exercise(
        # Translators: how check lines name Exercise 6 of the walkthrough (its heading).
        N_("top-district"),
        "text",
        None,
        "3e8d37850a0d7819992fdb942757c12093590d8d0340e5ead7e652881408a0ca",
        N_("Give the district's name as the district table writes it (such as 'Ganja City')."),
    ),
    Exercise(
        # Translators: how check lines name Exercise 7 of the walkthrough (its heading).
        N_("glass-receivers"),
        "set",
        None,
        "1596cb1728edc6f0baa4aeb06dd3af385bdfc1bcf2936b07acd6c76dad751a68",
        N_(
            "Look at every facility of the study, whatever its type or region, and give the "
            "facility_id of each whose chapter, sub-chapter or code matches."
        ),
    ),
    Exercise(
        # Translators: how check lines name Exercise 8 of the walkthrough (its heading).
        N_("figures-file"),
        "text",
        None,
        "627134de95aebcb69472e8523f181854339e600ae9c11ba2efbb28f30ee4162f",
        N_("Give the file name only, with its extension, without the folder."),
    ),
)


def is_right(name: str, answer: Any) -> bool:
    """True when ``answer`` matches the expected answer of the exercise ``name``."""
    exercise = EXERCISES[name]
    try:
        form = canonical(answer, exercise.kind, exercise.digits)
    except Exception:  # an answer of an unexpected type is simply not right
        return False
    return form is not None and _hash(name, form) == exercise.digest


def check(name: str, answer: Any) -> None:
    """Print whether ``answer`` is right for the exercise ``name``, without revealing it, in
    the current language.

    Never raises for an answer (a wrong type says 'not yet right'); the placeholder ``...``
    says 'not answered yet', so a page built before anyone answered does not read as eight
    failures. An unknown exercise name is an author's error and raises ``KeyError``.
    """
    exercise = EXERCISES[name]
    shown = _(name)
    if answer is Ellipsis:
        said = [_("{name}: not answered yet.").format(name=shown), _(UNANSWERED)]
        print("○ " + " ".join(said))
        return
    if is_right(name, answer):
        print("✓ " + _("{name}: right.").format(name=shown))
        return
    said = [_("{name}: not yet right.").format(name=shown), _(exercise.hint)]
    if exercise.digits is not None and exercise.kind in ("number", "list", "set"):
        said.append(
            _("Numbers are compared rounded to {digits} decimal(s).").format(digits=exercise.digits)
        )
    print("✗ " + " ".join(said))


# --------------------------------------------------------------------------------------------
# Material for the walkthrough
# --------------------------------------------------------------------------------------------


def project_root(start: str | Path | None = None) -> Path:
    """The study project folder: ``start`` (default: the working folder) or the nearest folder
    above it with ``parameters/study.yaml``. The runner executes notebooks in the project
    folder; JupyterLab opens this one in ``notebooks/training/``; both find the same root."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "parameters" / "study.yaml").is_file():
            return folder
    raise FileNotFoundError(f"no parameters/study.yaml in {here} or any folder above it")


#: A small survey as a surveyor would type it into the data-collection workbook: three
#: enterprises, five waste streams and a facility, with names in Azerbaijani.
SAMPLE_SURVEY: dict[str, list[dict[str, Any]]] = {
    "enterprises": [
        dict(enterprise_id="S-01", name="Sumqayıt Şüşə Məmulatları MMC", economic_region="Absheron-Khizi", district="Sumgayit City", longitude=49.6431, latitude=40.5912, nace_code="23.13", employees=140, output_value_kazn=9500, recp_interest="high", source="site visit"),
        dict(enterprise_id="S-02", name="Saray Metal Konstruksiya ASC", economic_region="Absheron-Khizi", district="Absheron Rayon", longitude=49.7168, latitude=40.5330, nace_code="25.11", employees=85, output_value_kazn=6200, recp_interest="medium", source="2-TG (waste) form"),
        dict(enterprise_id="S-03", name="Bakı Qida Sənayesi MMC", economic_region="Baku", district="Baku City", longitude=49.8400, latitude=40.3950, nace_code="10.51", employees=60, recp_interest="low", source="interview"),
    ],
    "waste_streams": [
        dict(stream_id="S-01-1", enterprise_id="S-01", ewc_code="10 11 12", description="Şüşə qırıntısı (cullet)", quantity=850, unit="t", physical_state="solid", operation="R5", fate="used_as_raw_material", data_quality="measured", reference_year=2022),
        dict(stream_id="S-01-2", enterprise_id="S-01", ewc_code="15 01 01", description="Karton qablaşdırma", quantity=18500, unit="kg", physical_state="solid", operation="R3", fate="sold_or_transferred", data_quality="calculated", reference_year=2022),
        dict(stream_id="S-02-1", enterprise_id="S-02", ewc_code="12 01 01", description="Polad qırıntısı", quantity=320, unit="t", physical_state="solid", operation="R4", fate="sold_or_transferred", destination_facility_id="S-FAC-1", data_quality="measured", reference_year=2022),
        dict(stream_id="S-02-2", enterprise_id="S-02", ewc_code="13 02 05*", description="İşlənmiş mühərrik yağı", quantity=6, unit="m3", density_t_m3=0.88, physical_state="liquid", operation="R9", fate="sold_or_transferred", data_quality="estimated", reference_year=2022),
        dict(stream_id="S-03-1", enterprise_id="S-03", ewc_code="02 02 03", description="Yararsız ət məhsulları", quantity=42, unit="t", physical_state="sludge", operation="D1", fate="landfilled", data_quality="estimated", reference_year=2022),
    ],
    "facilities": [
        dict(facility_id="S-FAC-1", name="Sumqayıt Metal Qırıntıları MMC", facility_type="recycler", economic_region="Absheron-Khizi", district="Sumgayit City", longitude=49.6200, latitude=40.6000, accepted_ewc="12 01; 17 04; 19 12 02", operations="R4; R13", capacity_t_yr=60000, hazardous_permitted="no", nace_code="38.32", source="permit register"),
    ],
}  # fmt: skip

#: Mistakes surveyors make, put into the sample: (sheet, record index, column, value).
SAMPLE_MISTAKES: tuple[tuple[str, int, str, Any], ...] = (
    ("enterprises", 1, "longitude", 40.5330),  # latitude typed into longitude ...
    ("enterprises", 1, "latitude", 49.7168),  # ... and longitude into latitude
    ("waste_streams", 0, "ewc_code", "10 11 2"),  # a digit lost
    ("waste_streams", 1, "unit", "litres"),  # not a unit of the survey
    ("waste_streams", 3, "density_t_m3", None),  # a volume without its density
    ("waste_streams", 4, "fate", "dumped"),  # not a fate category
)


def sample_survey(path: str | Path, mistakes: bool = True) -> Path:
    """Write ``SAMPLE_SURVEY`` into a new data-collection workbook at ``path`` (.xlsx), below
    the example rows, with ``SAMPLE_MISTAKES`` unless ``mistakes`` is False; return the path."""
    from .data.template import fill_template

    records = {name: [dict(r) for r in rows] for name, rows in SAMPLE_SURVEY.items()}
    if mistakes:
        for sheet, index, column, value in SAMPLE_MISTAKES:
            records[sheet][index][column] = value
    Path(path).unlink(missing_ok=True)
    return fill_template(path, records)


# --------------------------------------------------------------------------------------------
# Builds
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseCells:
    """Positions of one exercise's three cells in a notebook."""

    name: str
    exercise: int
    solution: int
    check: int


_CHECK_CALL = re.compile(r"""check\(\s*["']([^"']+)["']""")


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def exercise_cells(nb: Mapping[str, Any]) -> list[ExerciseCells]:
    """The exercises of a notebook, checked: each ``exercise`` cell is followed by one
    ``solution`` cell and one ``check`` cell naming a known exercise, each name once.

    Raises ``ValueError`` naming the cell (0-based index) that breaks the pattern.
    """
    cells = list(nb.get("cells", []))
    found: list[ExerciseCells] = []
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if EXERCISE_TAG not in tags:
            if (SOLUTION_TAG in tags or CHECK_TAG in tags) and not any(
                i in (f.solution, f.check) for f in found
            ):
                raise ValueError(f"cell {i}: a {'/'.join(tags)} cell without its exercise cell")
            continue
        follow = cells[i + 1 : i + 3]
        if (
            len(follow) < 2
            or SOLUTION_TAG not in _tags(follow[0])
            or CHECK_TAG not in _tags(follow[1])
        ):
            raise ValueError(
                f"cell {i}: an exercise cell must be followed by a cell tagged '{SOLUTION_TAG}' "
                f"and a cell tagged '{CHECK_TAG}'"
            )
        match = _CHECK_CALL.search(_source(follow[1]))
        if match is None:
            raise ValueError(f'cell {i + 2}: the check cell must call check("name", answer)')
        name = match.group(1)
        if name not in EXERCISES:
            raise ValueError(f"cell {i + 2}: no exercise named {name!r} in iwm_study.training")
        if any(f.name == name for f in found):
            raise ValueError(f"cell {i + 2}: the exercise {name!r} is checked twice")
        found.append(ExerciseCells(name, i, i + 1, i + 2))
    return found


#: The note at the top of each edition (a Markdown cell, translated when the page is rendered).
_NOTES = {
    "trainee": N_(
        "**Trainee edition.** Each exercise is a question, a cell `answer = ...` where your "
        "answer goes, and a check under it that says *right* or *not yet right* (with a hint), "
        "never the answer. As built, nobody has answered, so every check says *not answered "
        "yet*. To answer, open the trainee notebook (`.trainee.ipynb`, beside this page) in "
        "JupyterLab, or your own copy with `iwm lab training <notebook>.trainee`, and run the "
        "cells in order."
    ),
    "trainer": N_(
        "**Trainer edition.** Every exercise is followed by its solution (cells tagged "
        "`solution`) and by the check, which says *right* once the solution has run."
    ),
}


def build(nb: Mapping[str, Any], audience: Audience) -> Any:
    """A new notebook for ``audience``: 'trainee' (no solution cells, no outputs, no metadata
    that could carry a solution) or 'trainer' (everything). ``nb`` is not modified.

    Raises ``ValueError`` for an unknown audience, a broken exercise pattern, or a trainee
    build in which a line of a solution still appears somewhere.
    """
    import nbformat

    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    out = nbformat.from_dict(copy.deepcopy(dict(nb)))
    exercises = exercise_cells(out)
    note = nbformat.v4.new_markdown_cell(_NOTES[audience])
    note["id"] = f"iwm-{audience}-edition"  # a fixed id: the same build gives the same bytes
    if audience == "trainer":
        out.cells.insert(1 if out.cells else 0, note)
        out.metadata["iwm_training"] = {"audience": audience}
        return out
    solutions = {e.solution for e in exercises}
    removed = [_source(c) for i, c in enumerate(out.cells) if i in solutions]
    out.cells = [c for i, c in enumerate(out.cells) if i not in solutions]
    for cell in out.cells:
        cell["metadata"] = {
            k: v for k, v in cell.get("metadata", {}).items() if k in _KEPT_CELL_METADATA
        }
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.pop("attachments", None)
    out.metadata = {k: v for k, v in out.metadata.items() if k in _KEPT_NB_METADATA}
    out.metadata["iwm_training"] = {"audience": audience}
    out.cells.insert(1 if out.cells else 0, note)
    text = json.dumps(out, ensure_ascii=False)
    for source in removed:
        for line in source.splitlines():
            line = line.strip()
            if len(line) >= _MIN_LEAK_LINE and json.dumps(line, ensure_ascii=False)[1:-1] in text:
                raise ValueError(f"the trainee build still contains a solution line: {line!r}")
    return out
