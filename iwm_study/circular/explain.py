"""What the matches mean: impact, matches by receiver and by rule, report tables, prose, gaps.

Read-only views of a :class:`~.matching.Matching` for the report: the impact per economic region
(:func:`impact`, with the recovery rate before and after), the matches grouped by receiver and by
rule, the tables and key figures the notebook shows (:func:`impact_table` and :func:`reasons_table`,
shown with ``report.table``; :func:`key_figures`, recorded with ``report.record_figures``), the
top opportunities in a few sentences (:func:`summary_markdown`, with what each is worth given a
valuation) and the data that would make the list more certain (:func:`data_gaps`). The tables
as a person reads them (codes in words, ranks within the region) come with their report headers
(``RECEIVER_HEADERS``, ``RULE_HEADERS``, ``UNMATCHED_HEADERS``, ``WHY_HEADERS``,
``IMPACT_HEADERS``), shown with ``report.table(..., headers=..., index=False)``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from ..data import codes
from ..i18n import N_, _, format_number, ngettext
from ..report import KeyFigure
from .results import REASONS, _capital, _general, _km, _lower, _t, in_language
from .valuation import TOTAL
from .worth import _ends, range_text

if TYPE_CHECKING:
    from .matching import Matching, MatchSettings
    from .valuation import Valuation


def recovery_rate_pct(operations: pd.Series, tonnes: pd.Series) -> float:
    """Tonnes with a recovery operation (R1-R13) / tonnes with a reported R or D operation, in %,
    the definition of the inventory's recovery rate (``iwm_study.inventory``); NaN when no
    tonne has an operation."""
    kind = operations.map(codes.waste_operations().set_index("code")["kind"])
    with_op = float(tonnes[kind.notna()].sum())
    if not with_op:
        return float("nan")
    return 100.0 * float(tonnes[kind == "recovery"].sum()) / with_op


def impact(matching: Matching) -> pd.DataFrame:
    """What the matches would change, per economic region of the source (and a total row).

    Columns: ``streams`` (all of the region), ``not_recovered`` (candidate streams) and
    ``not_recovered_t``, ``matched`` and ``matched_t`` (circular options only),
    ``from_landfill_t``, ``from_on_site_t``, ``from_unknown_t`` (fate unknown or blank, each
    of the circular options), ``safer_treatment`` and ``safer_treatment_t`` (hazardous waste
    matched to incineration or treatment: safer, but not a circular option), ``unmatched``
    (no receiver of either kind), ``tonne_km``, ``co2_t`` (t CO2e of the loaded trips of
    every match), ``recovery_rate_before_pct`` and ``recovery_rate_after_pct`` (each stream
    with a circular option takes its rule's operation; safer treatment does not count as
    recovery).
    """
    s = matching.streams
    mm = matching.matches
    kind = mm["option_kind"] if "option_kind" in mm else pd.Series("circular", index=mm.index)
    m = mm[kind == "circular"].set_index("stream_id")
    treated = s["stream_id"].isin(mm.loc[kind == "safer_treatment", "stream_id"])
    after = s["operation_before"].copy()
    hit = s["stream_id"].isin(m.index)
    after[hit] = s.loc[hit, "stream_id"].map(m["operation"])
    fate = s["fate"]
    frame = pd.DataFrame(
        {
            "economic_region": s["economic_region"].fillna("(no region)"),
            "t": s["quantity_t"].fillna(0.0),
            "cand": s["candidate"],
            "hit": hit,
            "treated": treated,
            "landfill": hit & (fate == "landfilled"),
            "on_site": hit & (fate == "kept_on_site"),
            "unknown": hit & (fate.isna() | (fate == "unknown")),
            "before": s["operation_before"],
            "after": after,
        }
    )

    def summary(part: pd.DataFrame, moves: pd.DataFrame) -> dict[str, float]:
        t = part["t"]
        return {
            "streams": len(part),
            "not_recovered": int(part["cand"].sum()),
            "not_recovered_t": float(t[part["cand"]].sum()),
            "matched": int(part["hit"].sum()),
            "matched_t": float(t[part["hit"]].sum()),
            "from_landfill_t": float(t[part["landfill"]].sum()),
            "from_on_site_t": float(t[part["on_site"]].sum()),
            "from_unknown_t": float(t[part["unknown"]].sum()),
            "safer_treatment": int(part["treated"].sum()),
            "safer_treatment_t": float(t[part["treated"]].sum()),
            "unmatched": int((part["cand"] & ~part["hit"] & ~part["treated"]).sum()),
            "tonne_km": float(moves["tonne_km"].sum()),
            "co2_t": float(moves["co2_t"].sum()),
            "recovery_rate_before_pct": recovery_rate_pct(part["before"], t),
            "recovery_rate_after_pct": recovery_rate_pct(part["after"], t),
        }

    rows = {}
    for region, part in frame.groupby("economic_region", sort=True):
        rows[region] = summary(part, mm[mm["economic_region"].fillna("(no region)") == region])
    rows[TOTAL] = summary(frame, mm)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "economic_region"
    return out


def by_receiver(matches: pd.DataFrame, receivers_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matches grouped by receiver: streams, tonnes, tonne-km, and capacity before and after."""
    if matches.empty:
        return pd.DataFrame(
            columns=[
                "receiver_id",
                "receiver_name",
                "receiver_type",
                "streams",
                "quantity_t",
                "tonne_km",
                "capacity_t",
                "capacity_left_t",
            ]
        )
    grouped = matches.groupby(["receiver_kind", "receiver_id"], sort=True).agg(
        receiver_name=("receiver_name", "first"),
        receiver_type=("receiver_type", "first"),
        streams=("stream_id", "size"),
        quantity_t=("quantity_t", "sum"),
        tonne_km=("tonne_km", "sum"),
        capacity_t=("capacity_t", "first"),
        capacity_left_t=("capacity_left_t", "min"),
    )
    grouped = grouped.reset_index()
    grouped = grouped.sort_values(
        ["quantity_t", "receiver_id", "receiver_kind"], ascending=[False, True, True]
    )
    return grouped.drop(columns="receiver_kind").reset_index(drop=True)


def by_rule(matches: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Matches grouped by rule: the option, its operation, streams, tonnes and tonne-km, and,
    given the ``rules``, each rule's rationale and source."""
    if matches.empty:
        columns = ["rule_id", "rule_title", "operation", "streams", "quantity_t", "tonne_km"]
        return pd.DataFrame(
            columns=columns + (["rationale", "source"] if rules is not None else [])
        )
    grouped = (
        matches.groupby("rule_id", sort=True)
        .agg(
            rule_title=("rule_title", "first"),
            operation=("operation", "first"),
            streams=("stream_id", "size"),
            quantity_t=("quantity_t", "sum"),
            tonne_km=("tonne_km", "sum"),
        )
        .reset_index()
    )
    grouped = grouped.sort_values(["quantity_t", "rule_id"], ascending=[False, True])
    if rules is not None:
        info = pd.DataFrame(
            {
                "rationale": in_language(rules, "rationale").to_numpy(),
                "source": in_language(rules, "source").to_numpy(),
            },
            index=rules["rule_id"].to_numpy(),
        )
        grouped["rationale"] = grouped["rule_id"].map(info["rationale"])
        grouped["source"] = grouped["rule_id"].map(info["source"])
    return grouped.reset_index(drop=True)


#: Columns of the top opportunities table, and of the unmatched streams table, in reports.
TOP_COLUMNS: tuple[str, ...] = (
    "rank",
    "stream_id",
    "enterprise_name",
    "ewc_code",
    "description",
    "quantity_t",
    "fate",
    "receiver_name",
    "receiver_type",
    "operation",
    "road_km",
    "tonne_km",
    "score",
)
UNMATCHED_SHOWN: tuple[str, ...] = (
    "stream_id",
    "enterprise_name",
    "ewc_code",
    "description",
    "quantity_t",
    "reason_label",
    "detail",
)
#: Rows of the impact table in reports, with their labels (in English: translated where shown).
IMPACT_LABELS: dict[str, str] = {
    "not_recovered_t": N_("not recovered (t/yr)"),
    "matched_t": N_("with a circular option (t/yr)"),
    "from_landfill_t": N_("from landfill (t/yr)"),
    "from_on_site_t": N_("from on-site storage (t/yr)"),
    "from_unknown_t": N_("fate unknown (t/yr)"),
    "safer_treatment_t": N_("hazardous, to a safer treatment (t/yr)"),
    "tonne_km": N_("tonne-km/yr"),
    "co2_t": N_("CO2e (t/yr)"),
    "recovery_rate_before_pct": N_("recovery rate today (%)"),
    "recovery_rate_after_pct": N_("with the matches (%)"),
}


def impact_table(impact_frame: pd.DataFrame, economic_region: str | None) -> pd.DataFrame:
    """The impact of one region beside the study's total, one labelled row per figure (the
    labels, and the total's column, in the reader's language)."""
    here = economic_region if economic_region in impact_frame.index else TOTAL
    shown = impact_frame.loc[list(dict.fromkeys([here, TOTAL])), list(IMPACT_LABELS)]
    shown = shown.rename(index={TOTAL: _(TOTAL)})
    return shown.rename(columns={k: _(v) for k, v in IMPACT_LABELS.items()}).T


def key_figures(impact_frame: pd.DataFrame, economic_region: str | None) -> list[KeyFigure]:
    """The notebook's key figures for the index, for ``report.record_figures``, for
    ``economic_region`` (None or unknown: the study's total)."""
    here = economic_region if economic_region in impact_frame.index else TOTAL
    row = impact_frame.loc[here]
    t_yr = _("t/yr")
    matched, candidates = int(row["matched"]), int(row["not_recovered"])
    return [
        KeyFigure(
            key="circular_not_recovered_t",
            value=float(row["not_recovered_t"]),
            label=_("Waste not yet recovered"),
            unit=t_yr,
            note=_("landfilled, kept on site or fate unknown"),
            digits=0,
        ),
        KeyFigure(
            key="circular_matched_t",
            value=float(row["matched_t"]),
            label=_("Waste with a circular option"),
            unit=t_yr,
            note=ngettext("{n} of {total} stream", "{n} of {total} streams", candidates).format(
                n=matched, total=candidates
            ),
            digits=0,
        ),
        KeyFigure(
            key="circular_safer_treatment_t",
            value=float(row["safer_treatment_t"]),
            label=_("Hazardous waste a permitted facility could treat more safely"),
            unit=t_yr,
            note=_("incineration or treatment: not a circular option"),
            digits=0,
        ),
        KeyFigure(
            key="circular_from_landfill_t",
            value=float(row["from_landfill_t"]),
            label=_("of which now landfilled"),
            unit=t_yr,
            digits=0,
        ),
        KeyFigure(
            key="circular_from_on_site_t",
            value=float(row["from_on_site_t"]),
            label=_("of which now kept on site"),
            unit=t_yr,
            digits=0,
        ),
        KeyFigure(
            key="circular_transport_co2_t",
            value=float(row["co2_t"]),
            label=_("CO2e of the transport"),
            unit=t_yr,
            note=_("{tonne_km} tonne-km by road").format(
                tonne_km=format_number(float(row["tonne_km"]), 0)
            ),
            digits=1,
        ),
        KeyFigure(
            key="circular_recovery_rate_before_pct",
            value=float(row["recovery_rate_before_pct"]),
            label=_("Recovery rate today"),
            unit="%",
        ),
        KeyFigure(
            key="circular_recovery_rate_after_pct",
            value=float(row["recovery_rate_after_pct"]),
            label=_("Recovery rate with the matches"),
            unit="%",
        ),
    ]


def data_gaps(matching: Matching) -> pd.DataFrame:
    """What would make the list more certain: each gap with the streams and tonnes it touches
    and the data that would close it. Rows with no stream are left out."""
    m = matching.matches
    u = matching.unmatched
    quality = matching.streams.set_index("stream_id")["data_quality"]
    estimated = m["stream_id"].map(quality).eq("estimated").to_numpy()
    open_fate = (m["fate"].isna() | (m["fate"] == "unknown")).to_numpy()
    rows = [
        (
            _("Receiver's capacity not reported"),
            m["capacity_t"].isna().to_numpy(),
            m,
            _("The receiver's yearly intake for this waste (the match assumes it has room)."),
        ),
        (
            _("Enterprise matched by its sector only"),
            (m["receiver_kind"] == "enterprise").to_numpy(),
            m,
            _(
                "Confirmation from the enterprise that it can use the material (specification, "
                "trial batch, permit)."
            ),
        ),
        (
            _("Quantity estimated, not measured"),
            estimated,
            m,
            _("Weighed or calculated quantities from the generator."),
        ),
        (
            _("Present fate unknown or not reported"),
            open_fate,
            m,
            _("Where the waste goes today, so the diversion is not counted twice."),
        ),
        (
            _("No receiver within the distance limit"),
            (u["reason"] == "none_in_range").to_numpy(),
            u,
            _(
                "Road distances and transport costs to farther receivers, or plans for a nearer one."
            ),
        ),
        (
            _("No rule for the waste"),
            (u["reason"] == "no_rule").to_numpy(),
            u,
            _(
                "A known use of the waste, added as a rule in the study's rules file with its source."
            ),
        ),
        (
            _("No receiver of the kind the rules name"),
            (u["reason"].isin(["no_receiver", "hazardous_not_permitted"])).to_numpy(),
            u,
            _("Facilities (and their permits) missing from the facilities table."),
        ),
    ]
    records = []
    for gap, mask, frame, needed in rows:
        if mask.any():
            records.append(
                {
                    "gap": gap,
                    "streams": int(mask.sum()),
                    "quantity_t": float(frame["quantity_t"].to_numpy()[mask].sum()),
                    "data_needed": needed,
                }
            )
    return pd.DataFrame(records, columns=["gap", "streams", "quantity_t", "data_needed"])


def summary_markdown(matching: Matching, top_n: int = 3, valuation: Valuation | None = None) -> str:
    """The top circular opportunities in a few sentences of Markdown (data escaped for HTML);
    given the ``valuation`` of the matching, each says what it is worth, with its range.
    Safer treatment of hazardous waste is not a circular option and is left out."""
    m = matching.matches
    if m.empty:
        return _("No stream found a receiver under the rules and the distance limit.")
    if "option_kind" in m:
        m = m[m["option_kind"].fillna("circular") == "circular"]
        if m.empty:
            return _("No circular option was found: every match is safer treatment.")
    worth = None if valuation is None else valuation.matches.set_index("stream_id")
    e = html.escape
    lines = []
    kinds = codes.labels("facility_type")
    # Ranked within the matching given (a region's): 1, 2, 3, not the study-wide ranks.
    for rank, r in enumerate(m.head(top_n).itertuples(index=False), start=1):
        produces = _PRODUCES[bool(r.hazardous)].get(r.fate, _PRODUCES[bool(r.hazardous)][None])
        takes = _(
            "**{receiver}** ({kind}, {region}) could take it {road} away by road through "
            "{operation}: {rule_title} (rule {rule})."
        ).format(
            receiver=e(str(r.receiver_name)),
            kind=e(_kind(r.receiver_type, kinds)),
            region=e(str(r.receiver_region)),
            road=_km(r.road_km),
            operation=e(str(r.operation)),
            rule_title=_lower(e(str(r.rule_title))),
            rule=e(str(r.rule_id)),
        )
        line = _(produces).format(
            enterprise=e(str(r.enterprise_name)),
            tonnes=_t(r.quantity_t),
            waste=_lower(e(str(r.description))),
            ewc=e(str(r.ewc_code)),
        )
        line = f"{rank}. {line} {takes}"
        if worth is not None and r.stream_id in worth.index:
            v = worth.loc[r.stream_id]
            line += " " + _("Worth {value} and {co2e} avoided, net.").format(
                value=range_text(*_ends(v, "net_azn_yr"), _("AZN/yr")),
                co2e=range_text(*_ends(v, "net_t_co2e_yr"), _("t CO2e/yr")),
            )
        lines.append(line)
    return "\n".join(lines)


#: The first sentence of an opportunity in ``summary_markdown``, by whether the waste is
#: hazardous and by its fate today (None: no fate reported).
_PRODUCES: dict[bool, dict[str | None, str]] = {
    False: {
        "landfilled": N_(
            "**{enterprise}** produces {tonnes} of {waste} (EWC {ewc}), which is landfilled."
        ),
        "kept_on_site": N_(
            "**{enterprise}** produces {tonnes} of {waste} (EWC {ewc}), which is kept on site."
        ),
        "unknown": N_(
            "**{enterprise}** produces {tonnes} of {waste} (EWC {ewc}), which goes nobody knows "
            "where."
        ),
        None: N_(
            "**{enterprise}** produces {tonnes} of {waste} (EWC {ewc}), which has no reported fate."
        ),
    },
    True: {
        "landfilled": N_(
            "**{enterprise}** produces {tonnes} of hazardous {waste} (EWC {ewc}), which is "
            "landfilled."
        ),
        "kept_on_site": N_(
            "**{enterprise}** produces {tonnes} of hazardous {waste} (EWC {ewc}), which is kept "
            "on site."
        ),
        "unknown": N_(
            "**{enterprise}** produces {tonnes} of hazardous {waste} (EWC {ewc}), which goes "
            "nobody knows where."
        ),
        None: N_(
            "**{enterprise}** produces {tonnes} of hazardous {waste} (EWC {ewc}), which has no "
            "reported fate."
        ),
    },
}


def reasons_table(unmatched: pd.DataFrame) -> pd.DataFrame:
    """Unmatched streams counted by reason, in the order the reasons are tested."""
    counts = unmatched.groupby("reason").agg(
        streams=("stream_id", "size"), quantity_t=("quantity_t", "sum")
    )
    counts = counts.reindex([r for r in REASONS if r in counts.index])
    counts.insert(0, "reason_label", [_(REASONS[r]) for r in counts.index])
    return counts.reset_index()


# --------------------------------------------------------------------------------------------
# the tables as a person reads them: report headers with units, codes in words, ranks in the
# region (shown with ``report.table(frame, caption=..., headers=..., index=False)``)


def _kind(receiver_type: object, kinds: dict[str, str]) -> str:
    """A receiver's kind in words, in small letters: a facility type's label, or 'enterprise'
    (``kinds``: ``codes.labels("facility_type")``, in the reader's language)."""
    if receiver_type == "enterprise":
        return _("enterprise")
    return _lower(kinds.get(str(receiver_type), str(receiver_type).replace("_", " ")))


#: Report headers of ``receivers_table``.
RECEIVER_HEADERS: dict[str, tuple[str, str | None]] = {
    "receiver_id": (N_("Receiver id"), None),
    "receiver_name": (N_("Receiver"), None),
    "receiver_type": (N_("Kind of receiver"), None),
    "streams": (N_("Streams"), "{:,d}"),
    "quantity_t": (N_("Quantity (t/yr)"), "{:,.1f}"),
    "tonne_km": (N_("Transport (tonne-km/yr)"), "{:,.0f}"),
    "capacity_t": (N_("Capacity (t/yr)"), "{:,.0f}"),
    "capacity_left_t": (N_("Capacity left (t/yr)"), "{:,.0f}"),
}
#: Report headers of ``by_rule``.
RULE_HEADERS: dict[str, tuple[str, str | None]] = {
    "rule_id": (N_("Rule"), None),
    "rule_title": (N_("What it allows"), None),
    "operation": (N_("Operation"), None),
    "streams": (N_("Streams"), "{:,d}"),
    "quantity_t": (N_("Quantity (t/yr)"), "{:,.1f}"),
    "tonne_km": (N_("Transport (tonne-km/yr)"), "{:,.0f}"),
    "rationale": (N_("Why it works"), None),
    "source": (N_("Source"), None),
}
#: Report headers of ``reasons_shown``, of the unmatched streams (``UNMATCHED_SHOWN``) and of
#: ``data_gaps``.
UNMATCHED_HEADERS: dict[str, tuple[str, str | None]] = {
    "stream_id": (N_("Stream"), None),
    "enterprise_name": (N_("Enterprise"), None),
    "ewc_code": (N_("EWC"), None),
    "description": (N_("Waste"), None),
    "quantity_t": (N_("Quantity (t/yr)"), "{:,.1f}"),
    "reason_label": (N_("Reason"), None),
    "detail": (N_("Detail"), None),
    "streams": (N_("Streams"), "{:,d}"),
    "gap": (N_("What is missing"), None),
    "data_needed": (N_("Data that would close it"), None),
}
#: Report headers of ``why_table``.
WHY_HEADERS: dict[str, tuple[str, str | None]] = {
    "rank": (N_("Rank"), None),
    "stream_id": (N_("Stream"), None),
    "rule_id": (N_("Rule"), None),
    "why": (N_("Why the match was made"), None),
}
#: Report headers of ``impact_shown`` (its other columns are the regions, named as they are).
IMPACT_HEADERS: dict[str, tuple[str, str | None]] = {"figure": (N_("Figure"), None)}


def receivers_table(matches: pd.DataFrame) -> pd.DataFrame:
    """``by_receiver`` as the report shows it: the kind of each receiver in words ('Treatment
    plant', 'Enterprise'), not its code."""
    out = by_receiver(matches)
    kinds = codes.labels("facility_type")
    out["receiver_type"] = [_capital(_kind(t, kinds)) for t in out["receiver_type"]]
    return out


def reasons_shown(unmatched: pd.DataFrame) -> pd.DataFrame:
    """``reasons_table`` as the report shows it: each reason in words, without its code."""
    return reasons_table(unmatched).drop(columns="reason")


def why_table(options: pd.DataFrame) -> pd.DataFrame:
    """Why each of ``options`` (a region's matches, in the study's order) was made, ranked
    within them (1..n)."""
    out = options[["stream_id", "rule_id", "why"]].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def impact_shown(impact_frame: pd.DataFrame, economic_region: str | None) -> pd.DataFrame:
    """``impact_table`` with its labels as a column (``figure``), for a table without index."""
    shown = impact_table(impact_frame, economic_region)
    return shown.rename_axis(index="figure", columns=None).reset_index()


def settings_text(settings: MatchSettings) -> str:
    """The matching settings in one sentence, for reports, in the reader's language."""
    from ..data.geography import PROJECTED_CRS

    return _(
        "Receivers within {max_km} km by road (straight-line distance in {crs} times a road "
        "factor of {road_factor}); transport counted at {co2} kg CO2e per tonne-km; score = "
        "tonnes x weight x (1 - road km / {breakeven_km}), the weight 1 for recycling, "
        "{other} for other recovery and {safer} for safer treatment."
    ).format(
        max_km=_general(settings.max_distance_km),
        crs=PROJECTED_CRS,
        road_factor=_general(settings.road_factor),
        co2=_general(settings.co2_kg_per_tkm),
        breakeven_km=_general(settings.breakeven_km),
        other=_general(settings.other_recovery_weight),
        safer=_general(settings.safer_treatment_weight),
    )
