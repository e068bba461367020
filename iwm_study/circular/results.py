"""The tables a matching returns: each match with why it was made, each other stream with why not.

``Matching.matches`` has the columns ``MATCH_COLUMNS``, one row per matched stream, circular
options first and then safer treatment, each ranked by score, each with a sentence (``why``) that
names the rule, the receiver, the distance and the capacity left; ``Matching.unmatched`` has
``UNMATCHED_COLUMNS``, one row per candidate stream without a receiver, with the first of
``REASONS`` that applies and the detail behind it.

Each match is of one of ``OPTION_KINDS`` (:func:`option_kinds` states the rule): a circular
option returns the waste to the economy as a material or a fuel; safer treatment takes hazardous
waste out of a landfill or a store to a plant that destroys or neutralises it, which is worth
doing but is not circularity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data import codes
from ..i18n import N_, _, format_number, language, ngettext

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .matching import MatchSettings, _Allocation, _Search, _Streams

#: The kinds of option a match can be, the preferred first (see :func:`option_kinds`).
OPTION_KINDS: tuple[str, ...] = ("circular", "safer_treatment")

#: Recovery operations that regenerate hazardous waste into the same product: solvent
#: reclamation (R2), regeneration of acids or bases (R6) and oil re-refining (R9) (Directive
#: 2008/98/EC Annex II; Art. 21 gives the regeneration of waste oils priority). At a treatment
#: plant they remain recycling, hence circular.
REGENERATION_OPERATIONS: tuple[str, ...] = ("R2", "R6", "R9")


def option_kinds(
    hazardous: ArrayLike, operation: ArrayLike, receiver_type: ArrayLike
) -> np.ndarray:
    """The kind of each option (``OPTION_KINDS``), element by element.

    ``"safer_treatment"`` when

    1. the operation is a disposal operation (D1-D15 of ``waste_operations.csv``, e.g. D10
       incineration on land): treatment whatever the waste; or
    2. the waste is hazardous and goes to an ``incinerator`` under R1: a plant built to destroy
       waste does so with its heat recovered, its principal purpose is still disposal (Court of
       Justice, Case C-458/00 Commission v Luxembourg, 2003); or
    3. the waste is hazardous and goes to a ``treatment`` plant under an operation other than a
       regeneration (``REGENERATION_OPERATIONS``: R2, R6, R9).

    Everything else is ``"circular"``: recycling (R2-R9, R11) of any waste, regeneration of
    hazardous solvents, acids and oils at a treatment plant or a recycler included, and energy
    recovery (R1) of non-hazardous waste anywhere and of hazardous waste outside an incinerator
    (e.g. used oil as cement kiln fuel, which replaces a fossil fuel).
    """
    ops = codes.waste_operations().set_index("code")["kind"]
    op = pd.Series(np.asarray(operation, dtype=object))
    rtype = np.asarray(receiver_type, dtype=object)
    haz = pd.array(np.asarray(hazardous, dtype=object), dtype="boolean").fillna(False)
    haz = haz.to_numpy(dtype=bool)
    disposal = (op.map(ops) == "disposal").to_numpy()
    burnt = haz & (rtype == "incinerator") & (op == "R1").to_numpy()
    treated = haz & (rtype == "treatment") & ~op.isin(REGENERATION_OPERATIONS).to_numpy()
    return np.where(disposal | burnt | treated, OPTION_KINDS[1], OPTION_KINDS[0])


#: Why a stream has no receiver, in the order the reasons are tested (in English: translated
#: where shown, as ``reason_label``).
REASONS: dict[str, str] = {
    "no_location": N_("the enterprise has no location"),
    "no_quantity": N_("no quantity in tonnes"),
    "no_rule": N_("no rule covers this waste"),
    "no_receiver": N_("no receiver of the kind the rules name"),
    "hazardous_not_permitted": N_("hazardous waste not permitted"),
    "none_in_range": N_("no receiver within the distance limit"),
    "no_capacity": N_("no receiver with enough capacity left"),
}


#: Columns of ``Matching.matches``, one row per matched stream.
MATCH_COLUMNS: tuple[str, ...] = (
    "rank",
    "stream_id",
    "enterprise_id",
    "enterprise_name",
    "economic_region",
    "ewc_code",
    "description",
    "hazardous",
    "quantity_t",
    "fate",
    "operation_before",
    "receiver_kind",
    "receiver_id",
    "receiver_name",
    "receiver_type",
    "receiver_region",
    "rule_id",
    "rule_title",
    "operation",
    "hierarchy_level",
    "option_kind",
    "straight_km",
    "road_km",
    "tonne_km",
    "co2_t",
    "score_weight",
    "score",
    "capacity_t",
    "capacity_left_t",
    "alternatives",
    "why",
    "source_lon",
    "source_lat",
    "receiver_lon",
    "receiver_lat",
)

#: Columns of ``Matching.unmatched``, one row per candidate stream with no receiver.
UNMATCHED_COLUMNS: tuple[str, ...] = (
    "stream_id",
    "enterprise_id",
    "enterprise_name",
    "economic_region",
    "ewc_code",
    "description",
    "hazardous",
    "quantity_t",
    "fate",
    "reason",
    "reason_label",
    "detail",
)


def in_language(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column of the rules (``title``, ``rationale``, ``source``) or of the valuation
    factors in the reader's language: ``codes.in_language``, with the English text where a
    study's own file leaves a translation blank (read as None)."""
    return codes.in_language(frame, column).fillna(frame[column])


def _km(value: float) -> str:
    """A distance in the reader's language: '1,234.5 km'."""
    return _("{distance} km").format(distance=format_number(float(value), 1))


def _t(value: float) -> str:
    """Tonnes a year in the reader's language: '1,234 t/yr', '2.50 t/yr' below 10 t."""
    value = float(value)
    return _("{tonnes} t/yr").format(tonnes=format_number(value, 0 if value >= 10 else 2))


#: Capitals and small letters that Azerbaijani (like Turkish) pairs otherwise than English.
_DOTTED = {"az": ({"İ": "i", "I": "ı"}, {"i": "İ", "ı": "I"})}


def _lower(text: str) -> str:
    """``text`` in small letters, as a name inside a sentence (English: all of it, as before;
    another language: its first letter, by the language's rules, unless the first word is an
    abbreviation in capitals)."""
    if language() == "en":
        return text.lower()
    if len(text) > 1 and text[1].isupper():
        return text
    lower = _DOTTED.get(language(), ({}, {}))[0]
    return lower.get(text[:1], text[:1].lower()) + text[1:]


def _capital(text: str) -> str:
    """``text`` with a capital first letter (English: ``str.capitalize``, as before; another
    language: the first letter only, by the language's rules)."""
    if language() == "en":
        return text.capitalize()
    upper = _DOTTED.get(language(), ({}, {}))[1]
    return upper.get(text[:1], text[:1].upper()) + text[1:]


def _matches_frame(
    s: pd.DataFrame,
    recv: pd.DataFrame,
    rules: pd.DataFrame,
    cp: pd.DataFrame,
    chosen: np.ndarray,
    left_after: np.ndarray,
    settings: MatchSettings,
) -> pd.DataFrame:
    """The matched streams, one row each (``MATCH_COLUMNS``), circular options first then safer
    treatment, each ranked by score (ties by stream id), each with the sentence that says why."""
    streams = np.flatnonzero(chosen >= 0)
    rows = chosen[streams]
    if rows.size == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MATCH_COLUMNS})
    rc = cp["receiver"].to_numpy()[rows]
    rule = cp["rule"].to_numpy()[rows]
    n_cand = cp.groupby("stream").size()
    out = pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[streams],
            "enterprise_id": s["enterprise_id"].to_numpy()[streams],
            "enterprise_name": s["enterprise_name"].to_numpy()[streams],
            "economic_region": s["economic_region"].to_numpy()[streams],
            "ewc_code": s["ewc_code"].to_numpy()[streams],
            "description": s["description"].to_numpy()[streams],
            "hazardous": s["hazardous"].to_numpy()[streams],
            "quantity_t": s["quantity_t"].to_numpy()[streams],
            "fate": s["fate"].to_numpy()[streams],
            "operation_before": s["operation_before"].to_numpy()[streams],
            "receiver_kind": recv["receiver_kind"].to_numpy()[rc],
            "receiver_id": recv["receiver_id"].to_numpy()[rc],
            "receiver_name": recv["receiver_name"].to_numpy()[rc],
            "receiver_type": recv["receiver_type"].to_numpy()[rc],
            "receiver_region": recv["economic_region"].to_numpy()[rc],
            "rule_id": rules["rule_id"].to_numpy()[rule],
            "rule_title": in_language(rules, "title").to_numpy()[rule],
            "operation": rules["operation"].to_numpy()[rule],
            "hierarchy_level": rules["hierarchy_level"].to_numpy()[rule],
            "option_kind": cp["kind"].to_numpy()[rows],
            "straight_km": cp["straight_km"].to_numpy()[rows],
            "road_km": cp["road_km"].to_numpy()[rows],
            "tonne_km": cp["tonne_km"].to_numpy()[rows],
            "score_weight": cp["weight"].to_numpy()[rows],
            "score": cp["score"].to_numpy()[rows],
            "capacity_t": recv["capacity_t"].to_numpy()[rc],
            "capacity_left_t": left_after[rows],
            "alternatives": n_cand.reindex(streams).to_numpy() - 1,
            "source_lon": s["lon"].to_numpy()[streams],
            "source_lat": s["lat"].to_numpy()[streams],
            "receiver_lon": recv["lon"].to_numpy()[rc],
            "receiver_lat": recv["lat"].to_numpy()[rc],
        }
    )
    out["co2_t"] = out["tonne_km"] * settings.co2_kg_per_tkm / 1000.0
    nace = recv["nace_code"].to_numpy()[rc]
    out["why"] = _why(out, nace, settings)
    out["kind_rank"] = out["option_kind"].map({k: i for i, k in enumerate(OPTION_KINDS)})
    out = out.sort_values(
        ["kind_rank", "score", "stream_id"], ascending=[True, False, True], kind="mergesort"
    )
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)[list(MATCH_COLUMNS)]


def _why(out: pd.DataFrame, nace: np.ndarray, settings: MatchSettings) -> list[str]:
    """The sentence that says why each match (a row of ``out``) was made, in the reader's
    language: the rule, the receiver's part, the distance, the capacity left, the other
    candidates. Each part is a whole clause of the catalog, joined by semicolons."""
    why = []
    kinds = codes.labels("facility_type")  # the receiver's kind in words, not its code
    for r, n in zip(out.itertuples(index=False), nace, strict=True):
        if r.receiver_kind == "facility":
            kind = _lower(kinds.get(r.receiver_type, str(r.receiver_type)))
            who = _("{receiver} ({kind}) accepts {ewc} and carries out {operation}").format(
                receiver=r.receiver_id, kind=kind, ewc=r.ewc_code, operation=r.operation
            )
        else:
            who = _("{receiver} (NACE {nace}) is in the sector the rule names").format(
                receiver=r.receiver_id, nace=n
            )
        if np.isnan(r.capacity_t):
            room = _("capacity not reported (not limited)")
        else:
            room = _("{left} of its {capacity} capacity left after this stream").format(
                left=_t(r.capacity_left_t), capacity=_t(r.capacity_t)
            )
        others = int(r.alternatives)
        text = ngettext(
            "Rule {rule} ({title}, {operation}); {who}; {road} by road ({straight} straight x "
            "{factor}); {room}; {n} other candidate.",
            "Rule {rule} ({title}, {operation}); {who}; {road} by road ({straight} straight x "
            "{factor}); {room}; {n} other candidates.",
            others,
        ).format(
            rule=r.rule_id,
            title=r.rule_title,
            operation=r.operation,
            who=who,
            road=_km(r.road_km),
            straight=_km(r.straight_km),
            factor=_general(settings.road_factor),
            room=room,
            n=others,
        )
        if r.option_kind == OPTION_KINDS[1]:
            text += " " + _("Safer treatment of hazardous waste, not a circular option.")
        why.append(text)
    return why


def _general(value: float) -> str:
    """A setting as ``{:g}`` writes it (50, 1.3, 0.124): so in English, and with the decimals
    ``{:g}`` gives, in another language's way of writing numbers."""
    text = f"{float(value):g}"
    if language() == "en" or "e" in text:
        return text
    return format_number(float(value), len(text.split(".")[1]) if "." in text else 0)


def _candidates_table(
    s: pd.DataFrame,
    recv: pd.DataFrame,
    recv_ids: np.ndarray,
    rules: pd.DataFrame,
    cp: pd.DataFrame,
    chosen: np.ndarray,
) -> pd.DataFrame:
    """Every feasible pair, readable, in allocation order, with whether it was chosen."""
    cand_stream, cand_recv = cp["stream"].to_numpy(), cp["receiver"].to_numpy()
    return pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[cand_stream],
            "economic_region": s["economic_region"].to_numpy()[cand_stream],
            "receiver_kind": recv["receiver_kind"].to_numpy()[cand_recv],
            "receiver_id": recv_ids[cand_recv],
            "rule_id": rules["rule_id"].to_numpy()[cp["rule"].to_numpy()],
            "hierarchy_level": rules["hierarchy_level"].to_numpy()[cp["rule"].to_numpy()],
            "option_kind": cp["kind"].to_numpy(),
            "straight_km": cp["straight_km"].to_numpy(),
            "road_km": cp["road_km"].to_numpy(),
            "tonne_km": cp["tonne_km"].to_numpy(),
            "score_weight": cp["weight"].to_numpy(),
            "score": cp["score"].to_numpy(),
            "chosen": np.isin(np.arange(len(cp)), chosen[chosen >= 0]),
        }
    )


def _unmatched_frame(
    streams: _Streams,
    rules: pd.DataFrame,
    sr: pd.DataFrame,
    search: _Search,
    allocation: _Allocation,
    cp: pd.DataFrame,
    settings: MatchSettings,
) -> pd.DataFrame:
    """The candidate streams the allocation left without a receiver, each with the first
    reason that applies (in the order of ``REASONS``) and its detail, largest first."""
    s = streams.frame
    located, has_t, open_ = streams.located, streams.has_tonnes, streams.searched
    eligible, haz_ok = search.eligible, search.hazard_ok
    nearest_m, nearest_id = search.nearest_m, search.nearest_id
    rule_hazard_block = search.rule_hazard_block
    chosen, largest_left = allocation.chosen, allocation.largest_left
    cand = s["candidate"].to_numpy()
    todo = np.flatnonzero(cand & (chosen < 0))
    rules_of = sr.groupby("stream")["rule"].agg(lambda r: sorted(set(r)))
    in_range = cp.groupby("stream").size()
    ids = rules["rule_id"].to_numpy()
    reasons, details = [], []
    for i in todo:
        code = s["ewc_code"].iat[i]
        if not located[i]:
            reasons.append("no_location")
            details.append(
                _("enterprise {enterprise} has no coordinates.").format(
                    enterprise=s["enterprise_id"].iat[i]
                )
            )
            continue
        if not has_t[i] or not open_[i]:
            reasons.append("no_quantity")
            details.append(_("the quantity in tonnes is missing or zero."))
            continue
        listed = rules_of.get(i, [])
        names = ", ".join(ids[listed])
        if not listed:
            reasons.append("no_rule")
            details.append(_("no rule covers EWC {ewc}.").format(ewc=code))
        elif eligible[i] == 0:
            reasons.append("no_receiver")
            details.append(
                ngettext(
                    "rule {rules} covers it, but no facility or enterprise in the study "
                    "qualifies (type or sector, accepted codes, operation).",
                    "rules {rules} cover it, but no facility or enterprise in the study "
                    "qualifies (type or sector, accepted codes, operation).",
                    len(listed),
                ).format(rules=names)
            )
        elif haz_ok[i] == 0:
            reasons.append("hazardous_not_permitted")
            if rule_hazard_block[i] and not rules["hazardous_allowed"].to_numpy()[listed].any():
                details.append(
                    ngettext(
                        "hazardous, and rule {rules} does not allow hazardous waste.",
                        "hazardous, and rules {rules} do not allow hazardous waste.",
                        len(listed),
                    ).format(rules=names)
                )
            else:
                details.append(
                    _(
                        "hazardous; receivers accept the waste but none is permitted to take "
                        "hazardous waste."
                    )
                )
        elif i not in in_range.index:
            reasons.append("none_in_range")
            road = nearest_m[i] / 1000.0 * settings.road_factor
            details.append(
                _("the nearest receiver, {receiver}, is {road} by road (limit {limit} km).").format(
                    receiver=nearest_id[i],
                    road=_km(road),
                    limit=_general(settings.max_distance_km),
                )
            )
        else:
            reasons.append("no_capacity")
            n = int(in_range[i])
            details.append(
                ngettext(
                    "{n} receiver in range, none with {tonnes} left when its turn came (most "
                    "left: {most}).",
                    "{n} receivers in range, none with {tonnes} left when its turn came (most "
                    "left: {most}).",
                    n,
                ).format(n=n, tonnes=_t(s["quantity_t"].iat[i]), most=_t(largest_left[i]))
            )
    out = pd.DataFrame(
        {
            "stream_id": s["stream_id"].to_numpy()[todo],
            "enterprise_id": s["enterprise_id"].to_numpy()[todo],
            "enterprise_name": s["enterprise_name"].to_numpy()[todo],
            "economic_region": s["economic_region"].to_numpy()[todo],
            "ewc_code": s["ewc_code"].to_numpy()[todo],
            "description": s["description"].to_numpy()[todo],
            "hazardous": s["hazardous"].to_numpy()[todo],
            "quantity_t": s["quantity_t"].to_numpy()[todo],
            "fate": s["fate"].to_numpy()[todo],
            "reason": pd.Series(reasons, dtype=object),
            "detail": pd.Series(details, dtype=object),
        }
    )
    out["reason_label"] = out["reason"].map({k: _(v) for k, v in REASONS.items()})
    out = out.sort_values(["quantity_t", "stream_id"], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)[list(UNMATCHED_COLUMNS)]
