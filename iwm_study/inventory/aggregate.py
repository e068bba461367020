"""The aggregation engine of the inventory: labels, lookups, totals, breakdowns, Pareto."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..data import codes
from ..i18n import N_, _

Q = "quantity_t"
#: The key given to records whose value for a breakdown is missing.
NOT_REPORTED = "not_reported"
#: Its label (English; translated where shown, ``_(NOT_REPORTED_LABEL)``).
NOT_REPORTED_LABEL = N_("Not reported")
#: Labels of the values of the stream columns that have no code table (English; translated
#: where shown): the physical states and data qualities of the survey's schema.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "physical_state": {
        "solid": N_("Solid"),
        "powder": N_("Powder"),
        "sludge": N_("Sludge"),
        "liquid": N_("Liquid"),
        "gas": N_("Gas"),
    },
    "data_quality": {
        "measured": N_("Measured"),
        "calculated": N_("Calculated"),
        "estimated": N_("Estimated"),
    },
}
#: Enterprise columns a breakdown can use.
ENTERPRISE_COLUMNS: tuple[str, ...] = ("name", "nace_division", "district", "economic_region")

#: The fate sets of this package, as names of the code table's fate groups (the boolean
#: columns of ``fate_categories.csv``, see its README): ``OFF_SITE_FATES`` are the fates that
#: send waste to a receiver in the country that the inventory can name (a stream with one of
#: them and no destination facility is a data gap); ``KNOWN_FATES`` say where the waste went
#: (``unknown`` says that nobody knows), in the order of the code table.
_FATE_SETS = {"OFF_SITE_FATES": "destination_expected", "KNOWN_FATES": "known"}

if TYPE_CHECKING:  # served by __getattr__ below
    OFF_SITE_FATES: tuple[str, ...]
    KNOWN_FATES: tuple[str, ...]


def __getattr__(name: str) -> Any:
    """``OFF_SITE_FATES`` and ``KNOWN_FATES``, read from the code table when used."""
    if name in _FATE_SETS:
        return codes.fates_where(_FATE_SETS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Dimension:
    """A breakdown of the inventory: the column it groups by and what its keys mean (the title
    and definition in English, marked for the catalog: ``_(title)`` where shown)."""

    column: str
    title: str
    definition: str


#: The breakdowns, with their titles and definitions in English (translated where shown:
#: ``_(dimension.title)``).
BREAKDOWNS: dict[str, Dimension] = {
    d.column: d
    for d in (
        Dimension(
            "nace_division",
            N_("NACE Rev.2 division"),
            N_(
                "Tonnes per year by the main activity (NACE Rev.2 division) of the generating "
                "enterprise."
            ),
        ),
        Dimension(
            "ewc_chapter",
            N_("EWC chapter"),
            N_("Tonnes per year by chapter of the European List of Waste (first two digits)."),
        ),
        Dimension(
            "ewc_subchapter",
            N_("EWC sub-chapter"),
            N_("Tonnes per year by sub-chapter of the European List of Waste (first four digits)."),
        ),
        Dimension(
            "hazardous",
            N_("Hazardous or not"),
            N_("Tonnes per year of hazardous waste (EWC code with an asterisk) and of the rest."),
        ),
        Dimension(
            "physical_state",
            N_("Physical state"),
            N_("Tonnes per year by physical state as generated."),
        ),
        Dimension(
            "district",
            N_("District"),
            N_("Tonnes per year by district of the generating enterprise."),
        ),
        Dimension(
            "economic_region",
            N_("Economic region"),
            N_("Tonnes per year by economic region of the generating enterprise."),
        ),
        Dimension(
            "enterprise_id", N_("Enterprise"), N_("Tonnes per year by generating enterprise.")
        ),
        Dimension(
            "fate", N_("Fate"), N_("Tonnes per year by where the waste went (reported fate).")
        ),
        Dimension(
            "operation",
            N_("R/D operation"),
            N_("Tonnes per year by recovery or disposal operation."),
        ),
        Dimension(
            "hierarchy_level",
            N_("Waste hierarchy level"),
            N_("Tonnes per year by level of the waste hierarchy of the reported R/D operation."),
        ),
        Dimension(
            "data_quality",
            N_("Data quality"),
            N_(
                "Tonnes per year by how the quantity was obtained (measured, calculated, "
                "estimated)."
            ),
        ),
    )
}


# --------------------------------------------------------------------------------------------
# labels


@cache
def operation_table() -> pd.DataFrame:
    return codes.waste_operations().set_index("code")


def _labels(column: str, keys: pd.Series, enterprises: pd.DataFrame | None) -> pd.Series:
    """Readable labels for the keys of a breakdown, in the current language: the code table's
    labels of its kind of code (``codes.labels``), the enterprise's name, the words of
    ``VALUE_LABELS``, or the key itself made readable."""
    if column == "enterprise_id" and enterprises is not None:
        names = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")["name"]
        return keys.map(names)
    if column in codes.LABEL_KINDS:
        return keys.map(codes.labels(column))
    words = VALUE_LABELS.get(column, {})
    return keys.map(lambda k: _(words[k]) if k in words else str(k).replace("_", " ").capitalize())


# --------------------------------------------------------------------------------------------
# preparation and the aggregation engine
#
# A million streams have only a few hundred distinct enterprises, codes and fates. So every
# aggregation first groups the streams on their raw columns (one hash group-by), then looks up
# labels, sectors, regions or hierarchy levels on the small grouped table and groups again.
# Mapping a lookup over every stream would cost ten times more.


def _lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """``table[key]`` for every key of a long Series (NaN where the key is missing or not in
    ``table``); each distinct key is looked up once."""
    positions, uniques = pd.factorize(keys)
    found = table[~table.index.duplicated()].reindex(uniques)
    if len(found) == 0:
        return pd.Series(np.nan, index=keys.index, dtype=object)
    taken = found.iloc[np.where(positions >= 0, positions, 0)]
    taken.index = keys.index
    return taken.where(positions >= 0)


def _enterprise_lookup(enterprises: pd.DataFrame, column: str) -> pd.Series:
    return enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")[column]


def attach_enterprise(
    streams: pd.DataFrame, enterprises: pd.DataFrame, columns: tuple[str, ...] = ENTERPRISE_COLUMNS
) -> pd.DataFrame:
    """A copy of ``streams`` with the enterprise's ``columns`` added (by ``enterprise_id``).

    Breakdowns do not need it (they look enterprise columns up on the grouped streams,
    which is faster); it is for showing or filtering streams by sector or district. A stream whose enterprise is not in
    the table gets missing values, which breakdowns report as ``not_reported``.
    """
    added = {
        col: _lookup(streams["enterprise_id"], _enterprise_lookup(enterprises, col))
        for col in columns
        if col in enterprises and col not in streams
    }
    return streams.assign(**added)


def stream_tonnes(streams: pd.DataFrame) -> pd.Series:
    """Tonnes per year of every stream; a quantity that could not be converted counts as 0 t."""
    return streams[Q].astype(float).fillna(0.0)


def _base_column(streams: pd.DataFrame, key: str, enterprises: pd.DataFrame | None) -> str:
    """The stream column a key is derived from."""
    if key in streams:
        return key
    if key == "hierarchy_level":
        return "operation"
    if enterprises is not None and key in enterprises:
        return "enterprise_id"
    raise KeyError(
        f"cannot break the inventory down by {key!r}: it is neither a stream column "
        "nor, with the enterprises table given, an enterprise column"
    )


def _derive(
    small: pd.DataFrame, key: str, base: str, enterprises: pd.DataFrame | None
) -> pd.Series:
    """The values of ``key`` on a grouped table that has the ``base`` column."""
    if key == base:
        return small[key]
    if key == "hierarchy_level":
        return small[base].map(operation_table()["hierarchy_level"])
    return small[base].map(_enterprise_lookup(enterprises, key))


def fill_not_reported(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), NOT_REPORTED)


def aggregate(
    streams: pd.DataFrame,
    keys: list[str],
    enterprises: pd.DataFrame | None = None,
    extra: dict[str, pd.Series] | None = None,
    fill: bool = True,
) -> pd.DataFrame:
    """Streams and tonnes (and the sums of ``extra`` per-stream values) per combination of
    ``keys``; missing keys become ``NOT_REPORTED`` (or stay NaN with ``fill=False``)."""
    bases = {key: _base_column(streams, key, enterprises) for key in keys}
    base_cols = list(dict.fromkeys(bases.values()))
    frame = pd.DataFrame({b: streams[b] for b in base_cols})
    frame["streams"] = 1
    frame["waste_t"] = stream_tonnes(streams)
    values = ["streams", "waste_t", *(extra or {})]
    for name, series in (extra or {}).items():
        frame[name] = series
    small = (
        frame.groupby(base_cols, dropna=False, sort=False, observed=True)[values]
        .sum()
        .reset_index()
    )
    out = pd.DataFrame({key: _derive(small, key, bases[key], enterprises) for key in keys})
    for key in keys:
        if fill:
            out[key] = fill_not_reported(out[key])
    out[values] = small[values]
    if any(key != base for key, base in bases.items()):
        out = out.groupby(keys, dropna=False, sort=False, observed=True)[values].sum().reset_index()
    out["streams"] = out["streams"].astype(int)
    return out


def group_values(
    streams: pd.DataFrame, column: str, enterprises: pd.DataFrame | None = None
) -> pd.Series:
    """The values of ``column`` for every stream (its own column, an enterprise column or the
    hierarchy level of its operation); missing values are ``NOT_REPORTED``."""
    base = _base_column(streams, column, enterprises)
    if base == column:
        values = streams[column]
    elif column == "hierarchy_level":
        values = _lookup(streams["operation"], operation_table()["hierarchy_level"])
    else:
        values = _lookup(streams["enterprise_id"], _enterprise_lookup(enterprises, column))
    return fill_not_reported(values)


def grand_total(streams: pd.DataFrame) -> float:
    """Waste generated in tonnes per year: the sum of ``quantity_t`` over all streams."""
    return float(stream_tonnes(streams).sum())


def share_pct(part: pd.Series | float, whole: float) -> pd.Series | float:
    return part * 100.0 / whole if whole else part * np.nan


def _sorted(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Largest first; ties by key, so the order never depends on the input order."""
    order = frame.assign(_k=frame[key].astype(str)).sort_values(
        ["waste_t", "_k"], ascending=[False, True], kind="mergesort"
    )
    return order.drop(columns="_k").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# totals and breakdowns


def breakdown(
    streams: pd.DataFrame, by: str, enterprises: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Tonnes per year by one dimension (see ``BREAKDOWNS``).

    Columns: ``<by>`` (the key; ``not_reported`` for streams without one), ``label``,
    ``streams`` (count, zero quantities included), ``waste_t`` and ``share_pct`` (of the grand
    total). Largest first, ties by key. The rows always sum to ``grand_total(streams)``.
    """
    grouped = aggregate(streams, [by], enterprises)
    total = float(grouped["waste_t"].sum())
    grouped.insert(1, "label", _labels(by, grouped[by], enterprises))
    grouped.loc[grouped[by] == NOT_REPORTED, "label"] = _(NOT_REPORTED_LABEL)
    grouped["share_pct"] = share_pct(grouped["waste_t"], total)
    return _sorted(grouped, by)


def crosstab(
    streams: pd.DataFrame,
    by: str,
    split: str = "hazardous",
    enterprises: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tonnes per year by ``by`` (rows, largest total first) and ``split`` (columns).

    For stacked charts, e.g. hazardous and non-hazardous tonnes per EWC chapter.
    """
    grouped = aggregate(streams, [by, split], enterprises)
    table = grouped.pivot_table(
        index=by, columns=split, values="waste_t", aggfunc="sum", fill_value=0.0, sort=False
    )
    table = table.reindex(columns=sorted(table.columns, key=str))
    order = (
        pd.DataFrame({"waste_t": table.sum(axis=1), "key": table.index.astype(str)})
        .sort_values(["waste_t", "key"], ascending=[False, True], kind="mergesort")
        .index
    )
    table = table.loc[order]
    table.columns.name = split
    return table


def enterprise_totals(streams: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Waste generated per enterprise, largest first (ties by id), with the Pareto columns.

    Every enterprise of the table is listed, those without any stream with 0 t; a stream whose
    enterprise is not in the table is listed under its id with no name. Columns:
    ``rank``, ``enterprise_id``, ``name``, ``nace_division``, ``district``, ``streams``,
    ``waste_t``, ``share_pct`` (of the grand total) and ``cumulative_pct``.
    """
    per = aggregate(streams, ["enterprise_id"]).set_index("enterprise_id")
    ent = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")
    ids = ent.index.union(per.index, sort=False)
    out = pd.DataFrame(index=pd.Index(ids, name="enterprise_id"))
    for col in ("name", "nace_division", "district"):
        out[col] = ent[col].reindex(ids) if col in ent else None
    out["streams"] = per["streams"].reindex(ids).fillna(0).astype(int)
    out["waste_t"] = per["waste_t"].reindex(ids).fillna(0.0)
    out = _sorted(out.reset_index(), "enterprise_id")
    total = float(out["waste_t"].sum())
    out["share_pct"] = share_pct(out["waste_t"], total)
    out["cumulative_pct"] = share_pct(out["waste_t"].cumsum(), total)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


@dataclass(frozen=True)
class ParetoSummary:
    """How concentrated waste generation is: ``enterprises_needed`` of ``enterprises`` make
    ``share_pct`` % of the waste."""

    share_pct: float
    enterprises_needed: int
    enterprises: int
    enterprises_needed_pct: float
    waste_t: float


def pareto(totals: pd.DataFrame, share_pct: float = 80.0) -> ParetoSummary:
    """The fewest enterprises that together generate at least ``share_pct`` % of the waste.

    ``totals`` is ``enterprise_totals(...)``. Definition: enterprises ranked by tonnes
    generated (largest first); the count is the smallest rank whose cumulative share reaches
    ``share_pct``; the percentage is of all enterprises in the table (those without waste
    included). 0 when there is no waste.
    """
    total = float(totals["waste_t"].sum())
    n = len(totals)
    if total <= 0:
        return ParetoSummary(share_pct, 0, n, 0.0, 0.0)
    # a tiny slack so that a cumulative sum of exactly share_pct, rounded down by floating
    # point, still counts as reaching it
    reached = totals["cumulative_pct"].to_numpy() >= share_pct - 1e-9
    needed = int(np.argmax(reached)) + 1
    waste = float(totals["waste_t"].iloc[:needed].sum())
    return ParetoSummary(share_pct, needed, n, 100.0 * needed / n, waste)
