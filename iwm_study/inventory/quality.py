"""The quality of an inventory: fates that contradict their operation, and every data gap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import codes
from ..i18n import N_, _
from .aggregate import (
    Q,
    aggregate,
    operation_table,
    share_pct,
    stream_tonnes,
)


@dataclass(frozen=True)
class FateRule:
    """What operations fit a fate; any other reported operation is flagged (``why`` in
    English, marked for the catalog: ``_(rule.why)`` where shown)."""

    fate: str
    expected: tuple[str, ...]
    why: str


_DEPOSIT = ("D1", "D4", "D5", "D12")
_RECOVERY = tuple(  # R1-R13, from the code table's kind of each operation
    codes.waste_operations().query("kind == 'recovery'")["code"]
)

#: The consistency rules between a stream's fate and its R/D operation (our own design,
#: from the meaning of the codes in Directive 2008/98/EC, Annexes I and II). Fates not listed
#: (sold or transferred, exported, unknown) may go to any operation at the receiver.
FATE_OPERATION_RULES: tuple[FateRule, ...] = (
    FateRule(
        "used_as_raw_material",
        _RECOVERY,
        N_("waste used as a raw material is recovered: an R code, not a D code"),
    ),
    FateRule(
        "landfilled",
        _DEPOSIT,
        N_(
            "landfilled waste is deposited on or into land: D1, D4, D5 or D12, not an R code "
            "nor a treatment D code"
        ),
    ),
    FateRule(
        "incinerated",
        ("D10", "R1"),
        N_("incinerated waste is burnt: D10 (incineration on land) or R1 (energy recovery)"),
    ),
    FateRule(
        "kept_on_site",
        ("R13", "D15", *_DEPOSIT),
        N_(
            "waste kept on the enterprise's site is stored (R13, D15) or deposited (D1, D4, D5, "
            "D12); a treatment code means the waste did not stay"
        ),
    ),
)


def fate_operation_rules() -> pd.DataFrame:
    """The consistency rules as a table for the report: fate, expected operations, why (the
    fate's label and the rule in the current language)."""
    labels = codes.labels("fate")
    return pd.DataFrame(
        {
            "fate": [r.fate for r in FATE_OPERATION_RULES],
            "label": [labels[r.fate] for r in FATE_OPERATION_RULES],
            "expected_operations": [", ".join(r.expected) for r in FATE_OPERATION_RULES],
            "rule": [_(r.why) for r in FATE_OPERATION_RULES],
        }
    )


def _conflict_mask(streams: pd.DataFrame) -> np.ndarray:
    """True for the streams whose fate and operation break a rule. The rules are checked on
    the distinct (fate, operation) pairs; only the pairs that break one are looked for among
    the streams (usually none or a few)."""
    pairs = aggregate(streams, ["fate", "operation"], fill=False)
    expected = {rule.fate: set(rule.expected) for rule in FATE_OPERATION_RULES}
    bad = [
        (fate, op)
        for fate, op in zip(pairs["fate"], pairs["operation"], strict=True)
        if fate in expected and isinstance(op, str) and op not in expected[fate]
    ]
    mask = np.zeros(len(streams), dtype=bool)
    fate, op = streams["fate"], streams["operation"]
    for bad_fate in sorted({f for f, _op in bad}):
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
    rule_of = {r.fate: _(r.why) for r in FATE_OPERATION_RULES}
    out = pd.DataFrame(
        {
            "stream_id": flagged["stream_id"],
            "enterprise_id": flagged["enterprise_id"],
            "ewc_code": flagged["ewc_code"],
            "fate": flagged["fate"],
            "operation": flagged["operation"],
            "operation_kind": flagged["operation"].map(operation_table()["kind"]),
            "waste_t": stream_tonnes(flagged),
            "rule": flagged["fate"].map(rule_of),
        },
        index=flagged.index,
    )
    return out.sort_values(["waste_t", "stream_id"], ascending=[False, True], kind="mergesort")


# --------------------------------------------------------------------------------------------
# data gaps


GAP_DEFINITIONS: dict[str, tuple[str, str]] = {
    # gap: (what it is, how it is handled), in English: ``data_gaps`` translates them
    "quantity_missing": (
        N_("Stream whose quantity could not be converted to tonnes"),
        N_("Counts as 0 t; listed here so the total can be corrected."),
    ),
    "zero_quantity": (
        N_("Stream with a quantity of 0"),
        N_("Kept: counts in stream numbers, adds 0 t."),
    ),
    "fate_missing": (
        N_("Stream without a fate (blank)"),
        N_(
            "In totals and breakdowns as 'not reported'; left out of fate shares and the landfill "
            "rate; a gap in the mass balance."
        ),
    ),
    "fate_unknown": (
        N_("Stream whose fate is reported as not known"),
        N_("As a missing fate: left out of fate-based rates; a gap in the mass balance."),
    ),
    "operation_missing": (
        N_("Stream without an R/D operation"),
        N_(
            "In totals; hierarchy level 'not reported'; left out of the recovery and recycling rates."
        ),
    ),
    "destination_not_reported": (
        N_("Stream sold, transferred, landfilled or incinerated without a destination facility"),
        N_("Its flow ends at 'destination not reported'."),
    ),
    "destination_unknown": (
        N_("Stream whose destination facility is not in the facilities table"),
        N_("Its flow ends at 'destination unknown'."),
    ),
    "fate_operation_conflict": (
        N_(
            "Stream whose fate and R/D operation disagree (the fates and the operations each "
            "expects are listed in this report)"
        ),
        N_(
            "Counted as reported (fate and operation both); listed for checking with the enterprise."
        ),
    ),
    "enterprise_not_in_table": (
        N_("Stream of an enterprise missing from the enterprises table"),
        N_("In totals; sector, district and region 'not reported'."),
    ),
    "enterprise_without_streams": (
        N_("Enterprise with no waste stream"),
        N_("Counts with 0 t in the Pareto count and the intensities."),
    ),
    "employees_missing": (
        N_("Enterprise without a number of employees (or 0)"),
        N_("Left out of the intensity per employee (its tonnes and its employees)."),
    ),
    "output_value_missing": (
        N_("Enterprise without an output value (or 0)"),
        N_("Left out of the intensity per output (its tonnes and its output)."),
    ),
}


#: What the records of a gap are (the ``unit`` column of ``data_gaps``), in English.
GAP_UNITS: dict[str, str] = {"streams": N_("streams"), "enterprises": N_("enterprises")}


def _gap_masks(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame | None
) -> dict[str, np.ndarray]:
    """For every stream-level gap, a boolean array over the streams."""
    qty = streams[Q].astype(float).to_numpy()
    fate = streams["fate"]
    dest = streams["destination_facility_id"]
    known_fac = facilities["facility_id"] if facilities is not None else []
    no_fate = fate.isna().to_numpy()
    expected_destination = codes.fates_where("destination_expected")
    no_dest = dest.isna().to_numpy()
    return {
        "quantity_missing": np.isnan(qty),
        "zero_quantity": qty == 0,
        "fate_missing": no_fate,
        "fate_unknown": fate.isin(["unknown"]).to_numpy(),
        "operation_missing": streams["operation"].isna().to_numpy(),
        "destination_not_reported": fate.isin(expected_destination).to_numpy() & no_dest,
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
    is the tonnes those enterprises generate. ``description``, ``unit`` and ``handling`` are in
    the current language.
    """
    q = stream_tonnes(streams).to_numpy()
    total = float(q.sum())
    per_ent = aggregate(streams, ["enterprise_id"]).set_index("enterprise_id")["waste_t"]
    records = []
    for gap, mask in _gap_masks(streams, enterprises, facilities).items():
        records.append((gap, "streams", int(mask.sum()), float(q[mask].sum())))
    for gap, mask in _enterprise_gap_masks(streams, enterprises).items():
        ids = enterprises.loc[mask, "enterprise_id"]
        records.append(
            (gap, "enterprises", int(mask.sum()), float(per_ent.reindex(ids).fillna(0).sum()))
        )
    out = pd.DataFrame.from_records(records, columns=["gap", "unit", "records", "waste_t"])
    out.insert(1, "description", out["gap"].map(lambda g: _(GAP_DEFINITIONS[g][0])))
    out["unit"] = out["unit"].map(lambda u: _(GAP_UNITS[u]))
    out["share_pct"] = share_pct(out["waste_t"], total)
    out["handling"] = out["gap"].map(lambda g: _(GAP_DEFINITIONS[g][1]))
    return out


def gap_records(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The streams behind each stream-level gap, one row per (gap, stream).

    Columns: ``gap``, ``row`` (the stream's row in its file), ``stream_id``,
    ``enterprise_id``, ``ewc_code``, ``fate``, ``operation``, ``destination_facility_id``,
    ``waste_t``. Ordered by gap (as in ``GAP_DEFINITIONS``), then largest first, then row.
    """
    q = stream_tonnes(streams).to_numpy()
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
