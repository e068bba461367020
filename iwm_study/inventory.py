"""The waste inventory: totals, breakdowns, indicators, fates and the waste hierarchy.

Every function is pure: it takes a study's frames (``Study.waste_streams``, ``Study.enterprises``,
``Study.facilities``) and returns a new frame. Quantities are ``quantity_t``, tonnes per year,
converted on loading by ``iwm_study.data.validate.to_tonnes`` (the one unit converter).

How records that lack something are handled (the same everywhere, and listed by
``data_gaps``): nothing is dropped silently.

- A stream keeps its tonnes in every total and breakdown; where the breakdown's key is missing
  (no fate, no operation, an enterprise not in the table) the tonnes go to a ``not_reported``
  row, so that every breakdown sums to the same grand total.
- A rate leaves out of its denominator the tonnes whose key it needs is missing, and says so in
  its definition; the tonnes left out are in the data-gaps table.
- A quantity that could not be converted (NaN) counts as 0 t and is listed as a gap; a zero
  quantity is a stream that counts in stream numbers and adds 0 t.

All functions are vectorised pandas (an inventory of a million streams aggregates in seconds:
``benchmarks/bench_inventory.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .data import codes

__all__ = [
    "BREAKDOWNS",
    "COLUMN_HEADERS",
    "FATE_OPERATION_RULES",
    "GAP_DEFINITIONS",
    "INDICATOR_DEFINITIONS",
    "KNOWN_FATES",
    "NOT_REPORTED",
    "OFF_SITE_FATES",
    "ParetoSummary",
    "attach_enterprise",
    "breakdown",
    "crosstab",
    "data_gaps",
    "enterprise_totals",
    "fate_operation_conflicts",
    "fate_operation_rules",
    "fate_table",
    "gap_records",
    "grand_total",
    "headline_text",
    "hierarchy_table",
    "indicators",
    "pareto",
    "presentable",
]

Q = "quantity_t"
#: The key given to records whose value for a breakdown is missing.
NOT_REPORTED = "not_reported"
NOT_REPORTED_LABEL = "Not reported"
#: Fates that send waste off the enterprise's site to a receiver that could be named.
OFF_SITE_FATES: tuple[str, ...] = ("sold_or_transferred", "landfilled", "incinerated")
#: Fate codes that say where the waste went (``unknown`` says that nobody knows), in the order
#: of the code table.
KNOWN_FATES: tuple[str, ...] = tuple(f for f in codes.fate_codes() if f != "unknown")
#: Enterprise columns a breakdown can use.
ENTERPRISE_COLUMNS: tuple[str, ...] = ("name", "nace_division", "district", "economic_region")

HIERARCHY_LABELS: dict[str, str] = {
    "recycling": "Recycling",
    "other_recovery": "Other recovery",
    "disposal": "Disposal",
    NOT_REPORTED: "Operation not reported",
}


@dataclass(frozen=True)
class Dimension:
    """A breakdown of the inventory: the column it groups by and what its keys mean."""

    column: str
    title: str
    definition: str


BREAKDOWNS: dict[str, Dimension] = {
    d.column: d
    for d in (
        Dimension(
            "nace_division",
            "NACE Rev.2 division",
            "Tonnes per year by the main activity (NACE Rev.2 division) of the generating "
            "enterprise.",
        ),
        Dimension(
            "ewc_chapter",
            "EWC chapter",
            "Tonnes per year by chapter of the European List of Waste (first two digits).",
        ),
        Dimension(
            "ewc_subchapter",
            "EWC sub-chapter",
            "Tonnes per year by sub-chapter of the European List of Waste (first four digits).",
        ),
        Dimension(
            "hazardous",
            "Hazardous or not",
            "Tonnes per year of hazardous waste (EWC code with an asterisk) and of the rest.",
        ),
        Dimension(
            "physical_state", "Physical state", "Tonnes per year by physical state as generated."
        ),
        Dimension(
            "district", "District", "Tonnes per year by district of the generating enterprise."
        ),
        Dimension(
            "economic_region",
            "Economic region",
            "Tonnes per year by economic region of the generating enterprise.",
        ),
        Dimension("enterprise_id", "Enterprise", "Tonnes per year by generating enterprise."),
        Dimension("fate", "Fate", "Tonnes per year by where the waste went (reported fate)."),
        Dimension(
            "operation", "R/D operation", "Tonnes per year by recovery or disposal operation."
        ),
        Dimension(
            "hierarchy_level",
            "Waste hierarchy level",
            "Tonnes per year by level of the waste hierarchy of the reported R/D operation.",
        ),
        Dimension(
            "data_quality",
            "Data quality",
            "Tonnes per year by how the quantity was obtained (measured, calculated, estimated).",
        ),
    )
}


# --------------------------------------------------------------------------------------------
# labels


@cache
def _code_labels() -> dict[str, dict[str, str]]:
    ops = codes.waste_operations()
    fates = codes.fate_categories()
    return {
        "nace_division": dict(
            zip(codes.nace_divisions()["division"], codes.nace_divisions()["title"], strict=True)
        ),
        "ewc_chapter": dict(
            zip(codes.ewc_chapters()["chapter"], codes.ewc_chapters()["title"], strict=True)
        ),
        "ewc_subchapter": dict(
            zip(
                codes.ewc_subchapters()["subchapter"],
                codes.ewc_subchapters()["title"],
                strict=True,
            )
        ),
        "fate": dict(zip(fates["fate"], fates["label"], strict=True)),
        "operation": dict(zip(ops["code"], ops["title"], strict=True)),
        "hierarchy_level": dict(HIERARCHY_LABELS),
    }


@cache
def _operation_table() -> pd.DataFrame:
    return codes.waste_operations().set_index("code")


def _labels(column: str, keys: pd.Series, enterprises: pd.DataFrame | None) -> pd.Series:
    """Readable labels for the keys of a breakdown."""
    if column == "hazardous":
        return keys.map({True: "Hazardous", False: "Non-hazardous"})
    if column == "enterprise_id" and enterprises is not None:
        names = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")["name"]
        return keys.map(names)
    table = _code_labels().get(column)
    if table is not None:
        return keys.map(table)
    return keys.map(lambda k: str(k).replace("_", " ").capitalize())


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


def _tonnes(streams: pd.DataFrame) -> pd.Series:
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
        return small[base].map(_operation_table()["hierarchy_level"])
    return small[base].map(_enterprise_lookup(enterprises, key))


def _fill(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), NOT_REPORTED)


def _aggregate(
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
    frame["waste_t"] = _tonnes(streams)
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
            out[key] = _fill(out[key])
    out[values] = small[values]
    if any(key != base for key, base in bases.items()):
        out = out.groupby(keys, dropna=False, sort=False, observed=True)[values].sum().reset_index()
    out["streams"] = out["streams"].astype(int)
    return out


def _values(
    streams: pd.DataFrame, column: str, enterprises: pd.DataFrame | None = None
) -> pd.Series:
    """The values of ``column`` for every stream (its own column, an enterprise column or the
    hierarchy level of its operation); missing values are ``NOT_REPORTED``."""
    base = _base_column(streams, column, enterprises)
    if base == column:
        values = streams[column]
    elif column == "hierarchy_level":
        values = _lookup(streams["operation"], _operation_table()["hierarchy_level"])
    else:
        values = _lookup(streams["enterprise_id"], _enterprise_lookup(enterprises, column))
    return _fill(values)


def grand_total(streams: pd.DataFrame) -> float:
    """Waste generated in tonnes per year: the sum of ``quantity_t`` over all streams."""
    return float(_tonnes(streams).sum())


def _share(part: pd.Series | float, whole: float) -> pd.Series | float:
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
    grouped = _aggregate(streams, [by], enterprises)
    total = float(grouped["waste_t"].sum())
    grouped.insert(1, "label", _labels(by, grouped[by], enterprises))
    grouped.loc[grouped[by] == NOT_REPORTED, "label"] = NOT_REPORTED_LABEL
    grouped["share_pct"] = _share(grouped["waste_t"], total)
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
    grouped = _aggregate(streams, [by, split], enterprises)
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
    per = _aggregate(streams, ["enterprise_id"]).set_index("enterprise_id")
    ent = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")
    ids = ent.index.union(per.index, sort=False)
    out = pd.DataFrame(index=pd.Index(ids, name="enterprise_id"))
    for col in ("name", "nace_division", "district"):
        out[col] = ent[col].reindex(ids) if col in ent else None
    out["streams"] = per["streams"].reindex(ids).fillna(0).astype(int)
    out["waste_t"] = per["waste_t"].reindex(ids).fillna(0.0)
    out = _sorted(out.reset_index(), "enterprise_id")
    total = float(out["waste_t"].sum())
    out["share_pct"] = _share(out["waste_t"], total)
    out["cumulative_pct"] = _share(out["waste_t"].cumsum(), total)
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


# --------------------------------------------------------------------------------------------
# indicators


INDICATOR_DEFINITIONS: dict[str, tuple[str, str, str]] = {
    # key: (indicator, unit, definition)
    "waste_t": (
        "Waste generated",
        "t/yr",
        "Sum of the quantities of all streams, converted to tonnes per year (m3 with the "
        "stream's density). Streams with a missing fate or operation are included.",
    ),
    "hazardous_share_pct": (
        "Hazardous share",
        "%",
        "Tonnes of hazardous waste (EWC code with an asterisk) / all tonnes generated.",
    ),
    "recovery_rate_pct": (
        "Recovery rate",
        "%",
        "Tonnes with a recovery operation (R1-R13, interim R12/R13 included) / tonnes with a "
        "reported R or D operation. Tonnes without an operation are left out of both.",
    ),
    "recycling_rate_pct": (
        "Recycling rate",
        "%",
        "Tonnes with a recycling operation (R2-R9, R11) / tonnes with a reported R or D "
        "operation. Tonnes without an operation are left out of both.",
    ),
    "landfill_rate_pct": (
        "Landfill rate",
        "%",
        "Tonnes with the fate 'landfilled' / tonnes with a known fate (any fate but 'unknown'). "
        "Tonnes with a missing or unknown fate are left out of both.",
    ),
    "kept_on_site_pct": (
        "Share kept on site",
        "%",
        "Tonnes with the fate 'kept on the enterprise's site' / tonnes with a known fate.",
    ),
    "intensity_t_per_employee": (
        "Waste intensity per employee",
        "t/employee/yr",
        "Tonnes generated by the enterprises that reported their employees (more than 0) / "
        "their employees. Enterprises without streams count with 0 t.",
    ),
    "intensity_t_per_mazn": (
        "Waste intensity per output",
        "t per million AZN",
        "Tonnes generated by the enterprises that reported their output value / their output "
        "value in million AZN (output_value_kazn / 1000). Enterprises without an output value "
        "are left out of both.",
    ),
    "measured_share_pct": (
        "Share of tonnes measured",
        "%",
        "Tonnes whose quantity was measured (weighed or metered) / all tonnes generated.",
    ),
    "calculated_share_pct": (
        "Share of tonnes calculated",
        "%",
        "Tonnes whose quantity was calculated (mass balance, production data) / all tonnes.",
    ),
    "estimated_share_pct": (
        "Share of tonnes estimated",
        "%",
        "Tonnes whose quantity was estimated / all tonnes generated.",
    ),
}


def indicators(streams: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """The inventory's indicators with their numerators, denominators and definitions.

    Columns: ``key``, ``indicator``, ``value``, ``unit``, ``numerator``, ``denominator``,
    ``definition`` (see ``INDICATOR_DEFINITIONS``). A value is NaN when its denominator is 0.
    """
    ops = _operation_table()

    def tonnes_by(column: str) -> pd.Series:
        return _aggregate(streams, [column]).set_index(column)["waste_t"]

    by_op = tonnes_by("operation")
    by_fate = tonnes_by("fate")
    by_quality = tonnes_by("data_quality")
    by_hazard = tonnes_by("hazardous")
    total = float(by_op.sum())
    kind = by_op.index.map(ops["kind"]).to_series(index=by_op.index)
    level = by_op.index.map(ops["hierarchy_level"]).to_series(index=by_op.index)
    with_op = float(by_op[kind.notna().to_numpy()].sum())
    with_fate = float(by_fate[by_fate.index.isin(KNOWN_FATES)].sum())

    ent = enterprises.drop_duplicates("enterprise_id").set_index("enterprise_id")
    waste_of = tonnes_by("enterprise_id").reindex(ent.index).fillna(0.0)
    employees = ent["employees"].astype(float)
    has_emp = employees.notna() & (employees > 0)
    output = ent["output_value_kazn"].astype(float)
    has_out = output.notna() & (output > 0)

    def part(series: pd.Series, key: object) -> float:
        return float(series[series.index == key].sum())

    rows: dict[str, tuple[float, float]] = {
        "waste_t": (total, np.nan),
        "hazardous_share_pct": (part(by_hazard, True), total),
        "recovery_rate_pct": (float(by_op[(kind == "recovery").to_numpy()].sum()), with_op),
        "recycling_rate_pct": (float(by_op[(level == "recycling").to_numpy()].sum()), with_op),
        "landfill_rate_pct": (part(by_fate, "landfilled"), with_fate),
        "kept_on_site_pct": (part(by_fate, "kept_on_site"), with_fate),
        "intensity_t_per_employee": (
            float(waste_of[has_emp].sum()),
            float(employees[has_emp].sum()),
        ),
        "intensity_t_per_mazn": (
            float(waste_of[has_out].sum()),
            float(output[has_out].sum()) / 1000.0,
        ),
        "measured_share_pct": (part(by_quality, "measured"), total),
        "calculated_share_pct": (part(by_quality, "calculated"), total),
        "estimated_share_pct": (part(by_quality, "estimated"), total),
    }
    records = []
    for key, (num, den) in rows.items():
        name, unit, definition = INDICATOR_DEFINITIONS[key]
        if key == "waste_t":
            value = num
        elif not den:
            value = np.nan
        else:
            value = num / den * (100.0 if unit == "%" else 1.0)
        records.append(
            {
                "key": key,
                "indicator": name,
                "value": value,
                "unit": unit,
                "numerator": num,
                "denominator": den,
                "definition": definition,
            }
        )
    return pd.DataFrame.from_records(records)


# --------------------------------------------------------------------------------------------
# fates and the waste hierarchy


def fate_table(streams: pd.DataFrame) -> pd.DataFrame:
    """Tonnes by fate beside the national 2022 shares of the State Statistical Committee.

    One row per fate code (in the code table's order) plus ``not_reported`` (blank fate).
    ``share_of_total_pct``: of all tonnes. ``share_ssc_pct``: of the tonnes in the five SSC
    categories only (the national shares' own basis), for those five; ``difference_pp``:
    region minus nation, percentage points.
    """
    cats = codes.fate_categories()
    grouped = _aggregate(streams, ["fate"]).set_index("fate")
    # a fate outside the code table (only in frames that skipped validation) keeps its own row
    others = sorted(str(k) for k in grouped.index if k not in set(cats["fate"]) | {NOT_REPORTED})
    keys = [*cats["fate"], *others, NOT_REPORTED]
    out = pd.DataFrame({"fate": keys})
    out["label"] = [*cats["label"], *others, "Not reported (blank)"]
    out["ssc_category"] = [*cats["ssc_category"], *[False] * len(others), False]
    out["streams"] = grouped["streams"].reindex(keys).fillna(0).astype(int).to_numpy()
    out["waste_t"] = grouped["waste_t"].reindex(keys).fillna(0.0).to_numpy()
    total = float(out["waste_t"].sum())
    out["share_of_total_pct"] = _share(out["waste_t"], total)
    ssc_total = float(out.loc[out["ssc_category"], "waste_t"].sum())
    out["share_ssc_pct"] = np.where(out["ssc_category"], _share(out["waste_t"], ssc_total), np.nan)
    out["national_share_2022_pct"] = [
        *cats["national_share_2022_pct"],
        *[np.nan] * len(others),
        np.nan,
    ]
    out["difference_pp"] = out["share_ssc_pct"] - out["national_share_2022_pct"]
    return out


def hierarchy_table(streams: pd.DataFrame) -> pd.DataFrame:
    """Tonnes by level of the waste hierarchy, from each stream's R/D operation.

    Rows: recycling, other_recovery, disposal (``codes.waste_operations()``) and
    ``not_reported`` (no operation). ``share_pct``: of all tonnes; ``share_reported_pct``: of
    the tonnes with an operation; ``interim_t``: tonnes whose operation is an interim step
    (R12, R13, D13-D15), whose final treatment is not yet known.
    """
    ops = _operation_table()
    by_op = _aggregate(streams, ["operation"])
    by_op["level"] = _fill(by_op["operation"].map(ops["hierarchy_level"]))
    interim = by_op["operation"].map(ops["interim"]).fillna(False).astype(bool)
    by_op["interim_t"] = by_op["waste_t"].where(interim, 0.0)
    grouped = by_op.groupby("level", sort=False)[["streams", "waste_t", "interim_t"]].sum()
    keys = ["recycling", "other_recovery", "disposal", NOT_REPORTED]
    out = pd.DataFrame({"level": keys, "label": [HIERARCHY_LABELS[k] for k in keys]})
    out["streams"] = grouped["streams"].reindex(keys).fillna(0).astype(int).to_numpy()
    out["waste_t"] = grouped["waste_t"].reindex(keys).fillna(0.0).to_numpy()
    out["interim_t"] = grouped["interim_t"].reindex(keys).fillna(0.0).to_numpy()
    total = float(out["waste_t"].sum())
    reported = float(out.loc[out["level"] != NOT_REPORTED, "waste_t"].sum())
    out["share_pct"] = _share(out["waste_t"], total)
    out["share_reported_pct"] = np.where(
        out["level"] != NOT_REPORTED, _share(out["waste_t"], reported), np.nan
    )
    return out


@dataclass(frozen=True)
class FateRule:
    """What operations fit a fate; any other reported operation is flagged."""

    fate: str
    expected: tuple[str, ...]
    why: str


_DEPOSIT = ("D1", "D4", "D5", "D12")
_RECOVERY = tuple(f"R{i}" for i in range(1, 14))

#: The consistency rules between a stream's fate and its R/D operation (our own design,
#: from the meaning of the codes in Directive 2008/98/EC, Annexes I and II). Fates not listed
#: (sold or transferred, exported, unknown) may go to any operation at the receiver.
FATE_OPERATION_RULES: tuple[FateRule, ...] = (
    FateRule(
        "used_as_raw_material",
        _RECOVERY,
        "waste used as a raw material is recovered: an R code, not a D code",
    ),
    FateRule(
        "landfilled",
        _DEPOSIT,
        "landfilled waste is deposited on or into land: D1, D4, D5 or D12, not an R code "
        "nor a treatment D code",
    ),
    FateRule(
        "incinerated",
        ("D10", "R1"),
        "incinerated waste is burnt: D10 (incineration on land) or R1 (energy recovery)",
    ),
    FateRule(
        "kept_on_site",
        ("R13", "D15", *_DEPOSIT),
        "waste kept on the enterprise's site is stored (R13, D15) or deposited (D1, D4, D5, "
        "D12); a treatment code means the waste did not stay",
    ),
)


def fate_operation_rules() -> pd.DataFrame:
    """The consistency rules as a table for the report: fate, expected operations, why."""
    labels = _code_labels()["fate"]
    return pd.DataFrame(
        {
            "fate": [r.fate for r in FATE_OPERATION_RULES],
            "label": [labels[r.fate] for r in FATE_OPERATION_RULES],
            "expected_operations": [", ".join(r.expected) for r in FATE_OPERATION_RULES],
            "rule": [r.why for r in FATE_OPERATION_RULES],
        }
    )


def _conflict_mask(streams: pd.DataFrame) -> np.ndarray:
    """True for the streams whose fate and operation break a rule. The rules are checked on
    the distinct (fate, operation) pairs; only the pairs that break one are looked for among
    the streams (usually none or a few)."""
    pairs = _aggregate(streams, ["fate", "operation"], fill=False)
    expected = {rule.fate: set(rule.expected) for rule in FATE_OPERATION_RULES}
    bad = [
        (fate, op)
        for fate, op in zip(pairs["fate"], pairs["operation"], strict=True)
        if fate in expected and isinstance(op, str) and op not in expected[fate]
    ]
    mask = np.zeros(len(streams), dtype=bool)
    fate, op = streams["fate"], streams["operation"]
    for bad_fate in sorted({f for f, _ in bad}):
        bad_ops = [o for f, o in bad if f == bad_fate]
        mask |= (fate.isin([bad_fate]) & op.isin(bad_ops)).to_numpy()
    return mask


def fate_operation_conflicts(streams: pd.DataFrame) -> pd.DataFrame:
    """Streams whose fate and operation disagree under ``FATE_OPERATION_RULES``.

    Columns: ``stream_id``, ``enterprise_id``, ``ewc_code``, ``fate``, ``operation``,
    ``operation_kind``, ``waste_t``, ``rule``; the index is the stream's row in its file.
    Largest first, ties by stream id. Streams without a fate or operation are not flagged
    (they are data gaps instead).
    """
    flagged = streams[_conflict_mask(streams)]
    rule_of = {r.fate: r.why for r in FATE_OPERATION_RULES}
    out = pd.DataFrame(
        {
            "stream_id": flagged["stream_id"],
            "enterprise_id": flagged["enterprise_id"],
            "ewc_code": flagged["ewc_code"],
            "fate": flagged["fate"],
            "operation": flagged["operation"],
            "operation_kind": flagged["operation"].map(_operation_table()["kind"]),
            "waste_t": _tonnes(flagged),
            "rule": flagged["fate"].map(rule_of),
        },
        index=flagged.index,
    )
    return out.sort_values(["waste_t", "stream_id"], ascending=[False, True], kind="mergesort")


# --------------------------------------------------------------------------------------------
# data gaps


GAP_DEFINITIONS: dict[str, tuple[str, str]] = {
    # gap: (what it is, how it is handled)
    "quantity_missing": (
        "Stream whose quantity could not be converted to tonnes",
        "Counts as 0 t; listed here so the total can be corrected.",
    ),
    "zero_quantity": (
        "Stream with a quantity of 0",
        "Kept: counts in stream numbers, adds 0 t.",
    ),
    "fate_missing": (
        "Stream without a fate (blank)",
        "In totals and breakdowns as 'not reported'; left out of fate shares and the landfill "
        "rate; a gap in the mass balance.",
    ),
    "fate_unknown": (
        "Stream whose fate is reported as not known",
        "As a missing fate: left out of fate-based rates; a gap in the mass balance.",
    ),
    "operation_missing": (
        "Stream without an R/D operation",
        "In totals; hierarchy level 'not reported'; left out of the recovery and recycling rates.",
    ),
    "destination_not_reported": (
        "Stream sold, transferred, landfilled or incinerated without a destination facility",
        "Its flow ends at 'destination not reported'.",
    ),
    "destination_unknown": (
        "Stream whose destination facility is not in the facilities table",
        "Its flow ends at 'destination unknown'.",
    ),
    "fate_operation_conflict": (
        "Stream whose fate and R/D operation disagree (rules in FATE_OPERATION_RULES)",
        "Counted as reported (fate and operation both); listed for checking with the enterprise.",
    ),
    "enterprise_not_in_table": (
        "Stream of an enterprise missing from the enterprises table",
        "In totals; sector, district and region 'not reported'.",
    ),
    "enterprise_without_streams": (
        "Enterprise with no waste stream",
        "Counts with 0 t in the Pareto count and the intensities.",
    ),
    "employees_missing": (
        "Enterprise without a number of employees (or 0)",
        "Left out of the intensity per employee (its tonnes and its employees).",
    ),
    "output_value_missing": (
        "Enterprise without an output value (or 0)",
        "Left out of the intensity per output (its tonnes and its output).",
    ),
}


def _gap_masks(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame | None
) -> dict[str, np.ndarray]:
    """For every stream-level gap, a boolean array over the streams."""
    qty = streams[Q].astype(float).to_numpy()
    fate = streams["fate"]
    dest = streams["destination_facility_id"]
    known_fac = facilities["facility_id"] if facilities is not None else []
    no_fate = fate.isna().to_numpy()
    no_dest = dest.isna().to_numpy()
    return {
        "quantity_missing": np.isnan(qty),
        "zero_quantity": qty == 0,
        "fate_missing": no_fate,
        "fate_unknown": fate.isin(["unknown"]).to_numpy(),
        "operation_missing": streams["operation"].isna().to_numpy(),
        "destination_not_reported": fate.isin(OFF_SITE_FATES).to_numpy() & no_dest,
        "destination_unknown": ~no_dest & ~dest.isin(known_fac).to_numpy(),
        "fate_operation_conflict": _conflict_mask(streams),
        "enterprise_not_in_table": ~streams["enterprise_id"]
        .isin(enterprises["enterprise_id"])
        .to_numpy(),
    }


def _enterprise_gap_masks(
    streams: pd.DataFrame, enterprises: pd.DataFrame
) -> dict[str, np.ndarray]:
    employees = enterprises["employees"].astype(float)
    output = enterprises["output_value_kazn"].astype(float)
    return {
        "enterprise_without_streams": ~enterprises["enterprise_id"]
        .isin(streams["enterprise_id"].unique())
        .to_numpy(),
        "employees_missing": (employees.isna() | (employees <= 0)).to_numpy(),
        "output_value_missing": (output.isna() | (output <= 0)).to_numpy(),
    }


def data_gaps(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every kind of gap in the inventory, how many records and tonnes it concerns, and how
    the analysis handles it. All kinds are listed, also those with no record, so a reader sees
    what was checked. ``share_pct`` is of all tonnes generated; for enterprise gaps ``waste_t``
    is the tonnes those enterprises generate.
    """
    q = _tonnes(streams).to_numpy()
    total = float(q.sum())
    per_ent = _aggregate(streams, ["enterprise_id"]).set_index("enterprise_id")["waste_t"]
    records = []
    for gap, mask in _gap_masks(streams, enterprises, facilities).items():
        records.append((gap, "streams", int(mask.sum()), float(q[mask].sum())))
    for gap, mask in _enterprise_gap_masks(streams, enterprises).items():
        ids = enterprises.loc[mask, "enterprise_id"]
        records.append(
            (gap, "enterprises", int(mask.sum()), float(per_ent.reindex(ids).fillna(0).sum()))
        )
    out = pd.DataFrame.from_records(records, columns=["gap", "unit", "records", "waste_t"])
    out.insert(1, "description", out["gap"].map(lambda g: GAP_DEFINITIONS[g][0]))
    out["share_pct"] = _share(out["waste_t"], total)
    out["handling"] = out["gap"].map(lambda g: GAP_DEFINITIONS[g][1])
    return out


def gap_records(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The streams behind each stream-level gap, one row per (gap, stream).

    Columns: ``gap``, ``row`` (the stream's row in its file), ``stream_id``,
    ``enterprise_id``, ``ewc_code``, ``fate``, ``operation``, ``destination_facility_id``,
    ``waste_t``. Ordered by gap (as in ``GAP_DEFINITIONS``), then largest first, then row.
    """
    q = _tonnes(streams).to_numpy()
    rows = np.asarray(streams.index)
    keep = [
        "stream_id",
        "enterprise_id",
        "ewc_code",
        "fate",
        "operation",
        "destination_facility_id",
    ]
    parts = []
    for gap, mask in _gap_masks(streams, enterprises, facilities).items():
        where = np.flatnonzero(mask)
        if not len(where):
            continue
        where = where[np.lexsort((rows[where], -q[where]))]
        part = streams[keep].iloc[where].reset_index(drop=True)
        part.insert(0, "row", rows[where])
        part.insert(0, "gap", gap)
        part["waste_t"] = q[where]
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["gap", "row", *keep, "waste_t"])
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------------
# presentation helpers for the notebook


#: Report headers (with units) and number formats of the columns the functions above return.
COLUMN_HEADERS: dict[str, tuple[str, str | None]] = {
    "nace_division": ("NACE division", None),
    "ewc_chapter": ("EWC chapter", None),
    "ewc_subchapter": ("EWC sub-chapter", None),
    "hazardous": ("Hazardous", None),
    "physical_state": ("Physical state", None),
    "district": ("District", None),
    "economic_region": ("Economic region", None),
    "enterprise_id": ("Enterprise id", None),
    "name": ("Enterprise", None),
    "fate": ("Fate", None),
    "operation": ("Operation", None),
    "data_quality": ("Data quality", None),
    "level": ("Level", None),
    "sector": ("Sector", None),
    "waste_category": ("Waste category", None),
    "treatment": ("Fate or treatment", None),
    "destination": ("Destination", None),
    "gap": ("Gap", None),
    "description": ("What it is", None),
    "unit": ("Counted in", None),
    "handling": ("How it is handled", None),
    "indicator": ("Indicator", None),
    "definition": ("Definition", None),
    "balanced": ("Within tolerance", None),
    "streams_unaccounted": ("Streams without a known fate", None),
    "rank": ("Rank", None),
    "label": ("Name", None),
    "expected_operations": ("Expected operations", None),
    "rule": ("Rule", None),
    "operation_kind": ("Kind of operation", None),
    "row": ("Row in file", None),
    "stream_id": ("Stream id", None),
    "ewc_code": ("EWC code", None),
    "destination_facility_id": ("Destination facility", None),
    "streams": ("Streams", "{:,}"),
    "records": ("Records", "{:,}"),
    "waste_t": ("Waste (t/yr)", "{:,.1f}"),
    "interim_t": ("Of which interim operations (t/yr)", "{:,.1f}"),
    "share_pct": ("Share of all waste (%)", "{:.1f}"),
    "share_of_total_pct": ("Share of all waste (%)", "{:.1f}"),
    "share_reported_pct": ("Share of waste with an operation (%)", "{:.1f}"),
    "share_ssc_pct": ("Region: share of the SSC categories (%)", "{:.1f}"),
    "national_share_2022_pct": ("Azerbaijan 2022 (%)", "{:.1f}"),
    "difference_pp": ("Difference (percentage points)", "{:+.1f}"),
    "cumulative_pct": ("Cumulative share (%)", "{:.1f}"),
    "value": ("Value", "{:,.1f}"),
    "numerator": ("Numerator", "{:,.1f}"),
    "denominator": ("Denominator", "{:,.1f}"),
    "generated_t": ("Generated (t/yr)", "{:,.1f}"),
    "fates_t": ("Sum of known fates (t/yr)", "{:,.1f}"),
    "unaccounted_t": ("Unaccounted (t/yr)", "{:,.1f}"),
    "unaccounted_pct": ("Unaccounted (% of generated)", "{:.1f}"),
}


def presentable(
    frame: pd.DataFrame, columns: list[str] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` (its ``columns``, default all) with report headers, and the number formats
    for ``report.table``: ``table(*presentable(frame), caption=...)``."""
    data = frame[columns] if columns else frame
    renamed = {c: COLUMN_HEADERS[c][0] for c in data.columns if c in COLUMN_HEADERS}
    formats = {
        COLUMN_HEADERS[c][0]: COLUMN_HEADERS[c][1]
        for c in data.columns
        if c in COLUMN_HEADERS and COLUMN_HEADERS[c][1]
    }
    return data.rename(columns=renamed), formats


def headline_text(
    streams: pd.DataFrame, enterprises: pd.DataFrame, where: str, share_pct: float = 80.0
) -> str:
    """A short Markdown paragraph with the inventory's headline figures for ``where``."""
    total = grand_total(streams)
    hazardous = float(_tonnes(streams)[streams["hazardous"].fillna(False).astype(bool)].sum())
    summary = pareto(enterprise_totals(streams, enterprises), share_pct)
    with_streams = int(streams["enterprise_id"].nunique())
    if total <= 0:
        return f"No waste is reported for {where}."
    return (
        f"The {len(enterprises):,} enterprises surveyed in {where} ({with_streams:,} of them "
        f"with at least one waste stream) report **{len(streams):,} waste streams** totalling "
        f"**{total:,.0f} t per year**, of which **{100 * hazardous / total:.1f} %** is "
        f"hazardous. Generation is concentrated: **{summary.enterprises_needed:,} "
        f"enterprises** ({summary.enterprises_needed_pct:.1f} % of those surveyed) generate "
        f"{share_pct:g} % of the waste."
    )
