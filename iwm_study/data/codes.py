"""Code tables shipped with the package: EWC, waste operations, NACE Rev.2, waste fates, the
waste hierarchy, facility types, and the colours that stand for them.

Every table is a small CSV in ``iwm_study/data/codes/`` (sources in the README beside them).
Codes are always text ("01", "10 03", "R1"), never numbers, so leading zeros survive.
Each loader reads its file once (cached) and returns a fresh copy the caller may modify.

These tables are the one definition of what a code is called, which colour stands for it and
which group it belongs to. Charts, maps, tables and the Sankey ask here, at the time they draw:
``labels(kind)`` (the display label of every code of a kind), ``colours(kind)`` (its colour)
and ``fates_where(group)`` (the fates of a group, e.g. the streams the circular matching tries
to place). No other module writes a label, a category colour or a fate set of its own.
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
    "COLOUR_KINDS",
    "FATES",
    "LABEL_KINDS",
    "OPERATION_CODES",
    "colours",
    "ewc_chapters",
    "ewc_entries",
    "ewc_entry_codes",
    "ewc_subchapters",
    "facility_types",
    "fate_categories",
    "fate_codes",
    "fate_groups",
    "fates_where",
    "hazardous_classes",
    "hazardous_entries",
    "hierarchy_levels",
    "indicators",
    "labels",
    "mirror_entries",
    "nace_classes",
    "nace_codes",
    "nace_divisions",
    "nace_sections",
    "national_figures",
    "operation_codes",
    "palette",
    "read_ewc_entries",
    "recp_opportunities",
    "recp_practices",
    "subchapter_codes",
    "waste_operations",
]

if TYPE_CHECKING:  # served lazily by __getattr__ below
    FATES: tuple[str, ...]
    OPERATION_CODES: frozenset[str]

_PACKAGE = "iwm_study.data"
_FOLDER = "codes"

_BOOL_TEXT = {"true": True, "false": False}
_HEX_RE = re.compile(r"^#[0-9A-F]{6}$")

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


#: Columns of ``fate_categories.csv`` that are not fate groups; every other column is a
#: boolean group that ``fates_where`` can name.
_FATE_COLUMNS = ("fate", "label", "colour", "national_share_2022_pct")


def _is_translation(column: str) -> bool:
    """Whether a column holds another language's text of a column ('label_az' of 'label')."""
    from ..i18n import LANGUAGES, SOURCE_LANGUAGE

    return any(column.endswith(f"_{code}") for code in LANGUAGES if code != SOURCE_LANGUAGE)


def in_language(frame: pd.DataFrame, column: str) -> pd.Series:
    """The text ``column`` of a code table in the current language: its ``<column>_<lang>``
    translation where the table has one and the cell is filled, else the English text."""
    from ..i18n import SOURCE_LANGUAGE, language

    code = language()
    translated = f"{column}_{code}"
    if code == SOURCE_LANGUAGE or translated not in frame.columns:
        return frame[column]
    filled = frame[translated].fillna("").astype(str).str.strip() != ""
    return frame[translated].where(filled, frame[column])


@cache
def _palette() -> pd.DataFrame:
    df = _read("palette.csv").copy()
    bad = sorted(c for c in df["colour"] if not _HEX_RE.match(c))
    if bad:
        raise ValueError(f"palette.csv: column 'colour' has values that are not #RRGGBB: {bad}")
    if df["name"].duplicated().any() or df["colour"].duplicated().any():
        raise ValueError("palette.csv: a colour name or a colour appears twice")
    df["okabe_ito"] = _to_bool(df["okabe_ito"], "palette.csv")
    return df


def _to_colour(series: pd.Series, table: str) -> pd.Series:
    """Replace the palette names of a ``colour`` column by their #RRGGBB values."""
    hex_of = dict(zip(_palette()["name"], _palette()["colour"], strict=True))
    bad = sorted(set(series) - set(hex_of))
    if bad:
        raise ValueError(
            f"{table}: column 'colour' names colours that are not in palette.csv: {bad}"
        )
    return series.map(hex_of)


@cache
def _fate_categories() -> pd.DataFrame:
    df = _read("fate_categories.csv").copy()
    for column in df.columns:
        if column not in _FATE_COLUMNS and not _is_translation(column):
            df[column] = _to_bool(df[column], "fate_categories.csv")
    df["national_share_2022_pct"] = _to_float(df["national_share_2022_pct"])
    df["colour"] = _to_colour(df["colour"], "fate_categories.csv")
    return df


@cache
def _hierarchy_levels() -> pd.DataFrame:
    df = _read("hierarchy_levels.csv").copy()
    df["colour"] = _to_colour(df["colour"], "hierarchy_levels.csv")
    df["rank"] = pd.array([int(r) if r.strip() else None for r in df["rank"]], dtype="Int64")
    return df


@cache
def _facility_types() -> pd.DataFrame:
    df = _read("facility_types.csv").copy()
    df["colour"] = _to_colour(df["colour"], "facility_types.csv")
    return df


@cache
def _hazardous_classes() -> pd.DataFrame:
    df = _read("hazardous.csv").copy()
    df["hazardous"] = _to_bool(df["hazardous"], "hazardous.csv")
    df["colour"] = _to_colour(df["colour"], "hazardous.csv")
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

    Columns: ``fate``, ``label``, ``colour`` (#RRGGBB), ``ssc_category`` (bool),
    ``national_share_2022_pct`` (float, NaN where the State Statistical Committee does not
    report the fate), then one boolean column per fate group (``fate_groups()``).
    """
    return _fate_categories().copy()


def palette() -> pd.DataFrame:
    """The toolkit's colours: ``name`` ("blue"), ``colour`` ("#0072B2") and ``okabe_ito`` (bool:
    one of the eight colours of Okabe & Ito's colour-blind-safe set, in their order; the
    last row, ``grey``, is the toolkit's colour for "not reported", "unknown" and "other")."""
    return _palette().copy()


def hierarchy_levels() -> pd.DataFrame:
    """The levels of the waste hierarchy (Directive 2008/98/EC, Art. 4), best first, then
    ``not_reported`` (streams without an R/D operation).

    Columns: ``level``, ``label``, ``colour`` (#RRGGBB) and ``rank`` (Int64, 1 = best; missing
    for ``not_reported``, which is not a level).
    """
    return _hierarchy_levels().copy()


def facility_types() -> pd.DataFrame:
    """The kinds of facility that receive waste, in the order legends list them.

    Columns: ``type`` (the code of ``facilities.csv``), ``label``, ``colour`` (#RRGGBB) and
    ``description``.
    """
    return _facility_types().copy()


def hazardous_classes() -> pd.DataFrame:
    """Hazardous (True) and non-hazardous (False) waste: ``hazardous``, ``label``, ``colour``."""
    return _hazardous_classes().copy()


@cache
def _national_figures() -> pd.DataFrame:
    df = _read("national_figures.csv").copy()
    df["value"] = _to_float(df["value"])
    return df


@cache
def _recp_practices() -> pd.DataFrame:
    return _read("recp_practices.csv")


def recp_practices() -> pd.DataFrame:
    """The cleaner production practices (UNEP 1991): ``practice``, ``label``, ``description``."""
    return _recp_practices().copy()


def recp_opportunities() -> pd.DataFrame:
    """RECP prompts per EWC prefix: ``ewc`` (chapter, sub-chapter or entry), ``practice`` (of
    ``recp_practices()``), ``opportunity``, ``source``."""
    return _read("recp_opportunities.csv").copy()


@cache
def _indicators() -> pd.DataFrame:
    df = _read("indicators.csv").copy()
    df["digits"] = df["digits"].astype(int)
    return df


def indicators() -> pd.DataFrame:
    """The indicators a study's conclusions and recommendation rules speak of, in report
    order: ``key``, ``label``, ``unit``, ``digits`` (decimals shown), ``definition``."""
    return _indicators().copy()


def national_figures() -> pd.DataFrame:
    """National figures a region is compared with: ``key``, ``label``, ``value`` (float),
    ``unit``, ``year``, ``source`` (the State Statistical Committee of Azerbaijan)."""
    return _national_figures().copy()


# --------------------------------------------------------------------------------------------
# labels, colours and fate groups: what every chart, map, table and diagram reads

#: Where the labels of each kind of code live: (table loader, code column, label column).
_LABEL_SOURCES: dict[str, tuple[Any, str, str]] = {
    "operation": (_waste_operations, "code", "title"),
    "fate": (_fate_categories, "fate", "label"),
    "hierarchy_level": (_hierarchy_levels, "level", "label"),
    "facility_type": (_facility_types, "type", "label"),
    "hazardous": (_hazardous_classes, "hazardous", "label"),
    "ewc_chapter": (_ewc_chapters, "chapter", "title"),
    "ewc_subchapter": (_ewc_subchapters, "subchapter", "title"),
    "ewc_entry": (_ewc_entries, "code", "title"),
    "nace_section": (_nace_sections, "section", "title"),
    "nace_division": (_nace_divisions, "division", "title"),
    "nace_class": (_nace_classes, "code", "title"),
    "indicator": (_indicators, "key", "label"),
    "recp_practice": (_recp_practices, "practice", "label"),
}
#: The kinds of code ``labels`` knows.
LABEL_KINDS: tuple[str, ...] = tuple(_LABEL_SOURCES)
#: The kinds of code ``colours`` knows; ``palette`` gives the colours by name.
COLOUR_KINDS: tuple[str, ...] = ("fate", "hierarchy_level", "facility_type", "hazardous", "palette")


@cache
def _pairs(kind: str, column: str, language: str = "en") -> tuple[tuple[Any, str], ...]:
    from ..i18n import using

    if kind == "palette":
        loader, key = _palette, "name"
    else:
        loader, key, _label = _LABEL_SOURCES[kind]
    df = loader()
    with using(language):
        values = in_language(df, column) if column != "colour" else df[column]
    return tuple(zip(df[key], values, strict=True))


def labels(kind: str) -> dict[Any, str]:
    """The display label of every code of a kind, in the table's order: code -> label.

    ``kind`` is one of ``LABEL_KINDS``: ``operation`` (R1..D15 -> the Annex's wording),
    ``fate``, ``hierarchy_level`` (with ``not_reported``), ``facility_type``, ``hazardous``
    (keys True and False), ``ewc_chapter``, ``ewc_subchapter``, ``ewc_entry``,
    ``nace_section``, ``nace_division`` and ``nace_class`` (groups and classes). Read once,
    then served from the cache; every call returns a new dict. Raises ``ValueError`` for an
    unknown kind.
    """
    from ..i18n import language

    if kind not in _LABEL_SOURCES:
        raise ValueError(f"no labels for {kind!r}; the kinds are {', '.join(LABEL_KINDS)}")
    return dict(_pairs(kind, _LABEL_SOURCES[kind][2], language()))


def colours(kind: str) -> dict[Any, str]:
    """The colour (#RRGGBB) of every code of a kind, in the table's order: code -> colour.

    ``kind`` is one of ``COLOUR_KINDS``: ``fate``, ``hierarchy_level`` (with
    ``not_reported``), ``facility_type``, ``hazardous`` (keys True and False), or ``palette``
    (colour name -> colour). Every colour is one of ``palette.csv``. Every call returns a new
    dict. Raises ``ValueError`` for an unknown kind.
    """
    if kind not in COLOUR_KINDS:
        raise ValueError(f"no colours for {kind!r}; the kinds are {', '.join(COLOUR_KINDS)}")
    return dict(_pairs(kind, "colour"))


@cache
def fate_groups() -> tuple[str, ...]:
    """The names of the fate groups: the boolean columns of ``fate_categories.csv``."""
    return tuple(
        c for c in _fate_categories().columns if c not in _FATE_COLUMNS and not _is_translation(c)
    )


@cache
def fates_where(group: str) -> tuple[str, ...]:
    """The fates of a group (a boolean column of ``fate_categories.csv``), in reporting order.

    For example ``fates_where("open_for_matching")`` is ``("landfilled", "kept_on_site",
    "unknown")``. The groups and why each holds what it holds are in the README beside the
    tables. Raises ``ValueError`` for a name that is not a group.
    """
    if group not in fate_groups():
        raise ValueError(f"no fate group {group!r}; the groups are {', '.join(fate_groups())}")
    df = _fate_categories()
    return tuple(df.loc[df[group], "fate"])


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
