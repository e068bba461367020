"""Code tables shipped with the package: EWC, waste operations, NACE Rev.2 and waste fates.

Every table is a small CSV in ``iwm_study/data/codes/`` (sources in the README beside them).
Codes are always text ("01", "10 03", "R1"), never numbers, so leading zeros survive.
Each loader reads its file once (cached) and returns a fresh copy the caller may modify.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

__all__ = [
    "FATES",
    "OPERATION_CODES",
    "ewc_chapters",
    "ewc_entries",
    "ewc_entry_codes",
    "ewc_subchapters",
    "fate_categories",
    "fate_codes",
    "hazardous_entries",
    "mirror_entries",
    "nace_classes",
    "nace_codes",
    "nace_divisions",
    "nace_sections",
    "nearest_ewc_entries",
    "operation_codes",
    "read_ewc_entries",
    "subchapter_codes",
    "waste_operations",
]

if TYPE_CHECKING:  # served lazily by __getattr__ below
    FATES: tuple[str, ...]
    OPERATION_CODES: frozenset[str]

_PACKAGE = "iwm_study.data"
_FOLDER = "codes"

_BOOL_TEXT = {"true": True, "false": False}

# "CC SS EE", optionally "*" for hazardous; single spaces between the pairs may be left out
# ("100304*") and one space may stand before the star.
_ENTRY_RE = re.compile(r"^(\d{2}) ?(\d{2}) ?(\d{2})(?: ?(\*))?$")


def _to_bool(series: pd.Series, table: str) -> pd.Series:
    """Convert a column of "true"/"false" text to bool, rejecting anything else."""
    bad = sorted(set(series) - set(_BOOL_TEXT))
    if bad:
        raise ValueError(f"{table}: column {series.name!r} has non-boolean values {bad}")
    return series.map(_BOOL_TEXT).astype(bool)


def _to_float(series: pd.Series) -> pd.Series:
    """Convert text to float; an empty cell becomes NaN."""
    return series.map(lambda text: float(text) if text.strip() else float("nan")).astype(float)


@cache
def _read(name: str) -> pd.DataFrame:
    """Read one shipped CSV with every column as text (no NA guessing)."""
    resource = files(_PACKAGE).joinpath(_FOLDER, name)
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@cache
def _ewc_chapters() -> pd.DataFrame:
    return _read("ewc_chapters.csv")


@cache
def _ewc_subchapters() -> pd.DataFrame:
    return _read("ewc_subchapters.csv")


@cache
def _ewc_entries() -> pd.DataFrame:
    df = _read("ewc_entries.csv").copy()
    df["hazardous"] = _to_bool(df["hazardous"], "ewc_entries.csv")
    return df


@cache
def _waste_operations() -> pd.DataFrame:
    df = _read("waste_operations.csv").copy()
    df["interim"] = _to_bool(df["interim"], "waste_operations.csv")
    return df


@cache
def _nace_sections() -> pd.DataFrame:
    return _read("nace_sections.csv")


@cache
def _nace_divisions() -> pd.DataFrame:
    df = _read("nace_divisions.csv").copy()
    df["manufacturing"] = _to_bool(df["manufacturing"], "nace_divisions.csv")
    return df


@cache
def _nace_classes() -> pd.DataFrame:
    return _read("nace_classes.csv")


@cache
def _fate_categories() -> pd.DataFrame:
    df = _read("fate_categories.csv").copy()
    df["ssc_category"] = _to_bool(df["ssc_category"], "fate_categories.csv")
    df["national_share_2022_pct"] = _to_float(df["national_share_2022_pct"])
    return df


def ewc_chapters() -> pd.DataFrame:
    """The 20 chapters of the European List of Waste: ``chapter`` ("01".."20"), ``title``."""
    return _ewc_chapters().copy()


def ewc_subchapters() -> pd.DataFrame:
    """Every sub-chapter of the List of Waste: ``subchapter`` ("CC SS"), ``chapter``, ``title``."""
    return _ewc_subchapters().copy()


def ewc_entries() -> pd.DataFrame:
    """Every six-digit entry of the List of Waste (Decision 2000/532/EC as amended by 2014/955/EU).

    Columns: ``code`` ("CC SS EE", no star), ``subchapter`` ("CC SS"), ``chapter`` ("CC"),
    ``hazardous`` (bool: the entry carries an asterisk), ``mirror`` (the codes of its mirror
    counterparts joined by ";", "" for an absolute entry) and ``title``. One row per entry,
    in code order, index 0..n-1.
    """
    return _ewc_entries().copy()


def waste_operations() -> pd.DataFrame:
    """Recovery (R1-R13) and disposal (D1-D15) operations of Directive 2008/98/EC.

    Columns: ``code``, ``kind`` (recovery/disposal), ``title``, ``hierarchy_level``
    (recycling/other_recovery/disposal) and ``interim`` (bool: preliminary or storage step).
    """
    return _waste_operations().copy()


def nace_sections() -> pd.DataFrame:
    """NACE Rev.2 sections A-U: ``section``, ``title``, ``division_from``, ``division_to``."""
    return _nace_sections().copy()


def nace_divisions() -> pd.DataFrame:
    """The 88 NACE Rev.2 divisions: ``division``, ``section``, ``title``, ``manufacturing`` (bool)."""
    return _nace_divisions().copy()


def nace_classes() -> pd.DataFrame:
    """The NACE Rev.2 groups ("24.4") and classes ("24.42"), groups before their classes.

    Columns: ``code``, ``level`` ("group" or "class"), ``division`` ("24"), ``section`` ("C")
    and ``title``. A group with a single class has two rows with the same title ("10.2",
    "10.20").
    """
    return _nace_classes().copy()


def fate_categories() -> pd.DataFrame:
    """Waste fates, in reporting order, with the national 2022 shares of the SSC of Azerbaijan.

    Columns: ``fate``, ``label``, ``ssc_category`` (bool), ``national_share_2022_pct``
    (float, NaN where the State Statistical Committee does not report the fate).
    """
    return _fate_categories().copy()


@cache
def fate_codes() -> tuple[str, ...]:
    """Fate identifiers in reporting order (``used_as_raw_material`` ... ``unknown``)."""
    return tuple(_fate_categories()["fate"])


@cache
def operation_codes() -> frozenset[str]:
    """The 28 waste operation codes R1-R13 and D1-D15."""
    return frozenset(_waste_operations()["code"])


@cache
def subchapter_codes() -> frozenset[str]:
    """Every existing List of Waste sub-chapter as "CC SS"."""
    return frozenset(_ewc_subchapters()["subchapter"])


@cache
def ewc_entry_codes() -> frozenset[str]:
    """Every List of Waste entry as "CC SS EE" (without the star)."""
    return frozenset(_ewc_entries()["code"])


@cache
def hazardous_entries() -> frozenset[str]:
    """The List of Waste entries marked with an asterisk, as "CC SS EE"."""
    df = _ewc_entries()
    return frozenset(df.loc[df["hazardous"], "code"])


@cache
def _mirror_map() -> tuple[tuple[str, tuple[str, ...]], ...]:
    df = _ewc_entries()
    return tuple(
        (code, tuple(mirror.split(";")))
        for code, mirror in zip(df["code"], df["mirror"], strict=True)
        if mirror
    )


def mirror_entries() -> dict[str, tuple[str, ...]]:
    """Mirror entries: code -> the codes of its counterparts, for the entries that have any.

    A hazardous entry "containing hazardous substances" maps to its non-hazardous counterparts
    ("... other than those mentioned in ..."), and each of those maps back to it. The pairing is
    read from the shipped table (column ``mirror``). Returns a new dict on every call.
    """
    return dict(_mirror_map())


@cache
def _entries_by_group() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Entry numbers (the six digits as int) per sub-chapter and per chapter, in code order."""
    by_subchapter: dict[str, list[int]] = {}
    by_chapter: dict[str, list[int]] = {}
    for code in sorted(ewc_entry_codes()):
        number = int(code.replace(" ", ""))
        by_subchapter.setdefault(code[:5], []).append(number)
        by_chapter.setdefault(code[:2], []).append(number)
    return (
        {key: tuple(value) for key, value in by_subchapter.items()},
        {key: tuple(value) for key, value in by_chapter.items()},
    )


def nearest_ewc_entries(code: str, n: int = 3) -> list[str]:
    """The List of Waste entries nearest to a typed six-digit code, for an error message's hint.

    ``code`` is "CC SS EE", optionally with "*"; the spaces may be left out ("130209"). The
    candidates are the entries of the same sub-chapter; when that sub-chapter has no entries (it
    does not exist), the entries of the same chapter. They are ordered by the absolute difference
    between their six digits and the typed six digits read as one number, ties going to the lower
    code, and the first ``n`` are returned as "CC SS EE" with "*" added for a hazardous entry.
    An existing entry is its own nearest entry, so "04 02 99*" gives "04 02 99" first. When the
    chapter does not exist either, the result is ``[]``.

    Example: ``nearest_ewc_entries("13 02 09")`` is ``["13 02 08*", "13 02 07*", "13 02 06*"]``.

    Raises ``ValueError`` when ``code`` is not a six-digit code or ``n`` is less than 1.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    match = _ENTRY_RE.match(code.strip())
    if match is None:
        raise ValueError(
            f"malformed List of Waste code {code!r}; expected 'CC SS EE', e.g. '13 02 05'"
        )
    chapter, sub, entry, _star = match.groups()
    by_subchapter, by_chapter = _entries_by_group()
    candidates = by_subchapter.get(f"{chapter} {sub}") or by_chapter.get(chapter, ())
    target = int(f"{chapter}{sub}{entry}")
    nearest = sorted(candidates, key=lambda number: (abs(number - target), number))[:n]
    hazardous = hazardous_entries()
    result = []
    for number in nearest:
        digits = f"{number:06d}"
        text = f"{digits[:2]} {digits[2:4]} {digits[4:]}"
        result.append(text + "*" if text in hazardous else text)
    return result


@cache
def nace_codes() -> frozenset[str]:
    """Every NACE Rev.2 division ("24"), group ("24.4") and class ("24.42") code."""
    return frozenset(_nace_divisions()["division"]) | frozenset(_nace_classes()["code"])


def __getattr__(name: str) -> Any:
    """Serve ``FATES`` and ``OPERATION_CODES`` lazily, so importing the module reads no file."""
    if name == "FATES":
        return fate_codes()
    if name == "OPERATION_CODES":
        return operation_codes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_ewc_entries(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a study's CSV of six-digit List of Waste entries (columns ``code``, ``title``).

    A code is "CC SS EE", optionally followed by "*" for a hazardous entry ("10 03 04*"); the
    spaces may be left out ("100304*"). Returns columns ``code`` (normalised "CC SS EE" without
    the star), ``hazardous`` (bool) and ``title``, in file order. Other columns are ignored.

    Raises ``ValueError`` naming the file, the line (header = line 1) and the value when a code
    is malformed, its sub-chapter does not exist in the List of Waste, or it appears twice;
    also when the ``code`` or ``title`` column is missing.
    """
    path = Path(path)
    codes: list[str] = []
    hazardous: list[bool] = []
    titles: list[str] = []
    first_line: dict[str, int] = {}
    known = subchapter_codes()

    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path}: the file is empty; expected a header row 'code,title'")
        columns = [name.strip() for name in header]
        missing = [name for name in ("code", "title") if name not in columns]
        if missing:
            raise ValueError(
                f"{path}: line 1: missing column(s) {', '.join(missing)}; "
                f"found {', '.join(repr(c) for c in columns)}"
            )
        i_code, i_title = columns.index("code"), columns.index("title")
        line_end = reader.line_num
        for row in reader:
            line = line_end + 1  # first physical line of this record
            line_end = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line
            raw = row[i_code].strip() if i_code < len(row) else ""
            match = _ENTRY_RE.match(raw)
            if match is None:
                raise ValueError(
                    f"{path}: line {line}: malformed List of Waste code {raw!r}; "
                    "expected 'CC SS EE' optionally followed by '*', e.g. '10 03 04*'"
                )
            chapter, sub, entry, star = match.groups()
            if f"{chapter} {sub}" not in known:
                raise ValueError(
                    f"{path}: line {line}: code {raw!r} has sub-chapter '{chapter} {sub}', "
                    "which does not exist in the List of Waste"
                )
            code = f"{chapter} {sub} {entry}"
            if code in first_line:
                raise ValueError(
                    f"{path}: line {line}: code {raw!r} repeats the entry of line "
                    f"{first_line[code]}"
                )
            first_line[code] = line
            codes.append(code)
            hazardous.append(star == "*")
            titles.append(row[i_title].strip() if i_title < len(row) else "")

    return pd.DataFrame(
        {
            "code": pd.Series(codes, dtype=str),
            "hazardous": pd.Series(hazardous, dtype=bool),
            "title": pd.Series(titles, dtype=str),
        }
    )
