"""Waste flows: sector -> waste category -> fate (or operation) -> destination, the mass
balance, and an interactive Sankey diagram that works in an offline HTML report.

The flow table is the inventory's streams grouped along four stages. Every tonne of the
inventory appears once in it, so its total equals the grand total: streams whose stage is
missing are routed to a 'not reported' node rather than dropped.

The Sankey diagram lives in :mod:`iwm_study.sankey` (its layout, the interactive figure and
the offline HTML with a still image); ``sankey_figure``, ``sankey_html`` and ``show_sankey`` are
served here too, where the notebooks call them. Every label a reader sees is in the current
language (``iwm_study.i18n``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .data import codes
from .i18n import N_, _
from .inventory.aggregate import NOT_REPORTED, aggregate, group_values, stream_tonnes

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "STAGES",
    "balance_gaps",
    "destination_labels",
    "flow_table",
    "mass_balance",
    "sankey_figure",
    "sankey_html",
    "show_sankey",
    "unaccounted_pct",
]

#: The stages of the flow table, in order.
STAGES: tuple[str, ...] = ("sector", "waste_category", "treatment", "destination")

#: Destinations without a facility (marked here, translated where shown: ``_(ON_SITE)``).
ON_SITE = N_("On the generator's site")
ABROAD = N_("Abroad")
DESTINATION_NOT_REPORTED = N_("Destination not reported")
DESTINATION_UNKNOWN = N_("Destination unknown (not in facilities)")


def _titles() -> dict[str, dict[Any, str]]:
    """The node labels of every code, from the code tables' labels (``codes.labels``); long
    titles are prefixed with their code (the diagram fits them to its room)."""
    ewc = _("EWC {code} {title}")
    return {
        "nace": {d: f"{d} {t}" for d, t in codes.labels("nace_division").items()},
        "ewc": {c: ewc.format(code=c, title=t) for c, t in codes.labels("ewc_chapter").items()},
        "operation": {c: f"{c} {t}" for c, t in codes.labels("operation").items()},
        "fate": codes.labels("fate"),
        "level": codes.labels("hierarchy_level"),
        "hazardous": codes.labels("hazardous"),
    }


def destination_labels(
    destination: pd.Series, fate: pd.Series, facilities: pd.DataFrame | None
) -> pd.Series:
    """Where each stream (or flow) ends, as a diagram label, from its destination facility id
    and its fate.

    The type of the destination facility when one is named (its label in the code table
    ``facility_types.csv``); without one: the generator's own site for the fates that stay on
    site (``codes.fates_where("stays_on_site")``: kept on site, used as a raw material),
    'Abroad' for those that leave the country (exported), 'Destination not reported'
    otherwise; 'Destination unknown' for an id that is not in the facilities table.
    """
    if facilities is not None and len(facilities):
        types = facilities.drop_duplicates("facility_id").set_index("facility_id")["facility_type"]
        by_facility = destination.map(types).map(codes.labels("facility_type"))
    else:
        by_facility = pd.Series(np.nan, index=destination.index, dtype=object)
    out = pd.Series(_(DESTINATION_NOT_REPORTED), index=destination.index, dtype=object)
    out[fate.isin(codes.fates_where("stays_on_site")).to_numpy()] = _(ON_SITE)
    out[fate.isin(codes.fates_where("leaves_country")).to_numpy()] = _(ABROAD)
    named = destination.notna().to_numpy()
    out[named] = by_facility[named].fillna(_(DESTINATION_UNKNOWN)).to_numpy()
    return out


def flow_table(
    streams: pd.DataFrame,
    enterprises: pd.DataFrame,
    facilities: pd.DataFrame | None = None,
    via: str = "fate",
    category: str = "ewc_chapter",
) -> pd.DataFrame:
    """The flows of the inventory, tonnes per year, in four stages.

    - ``sector``: NACE Rev.2 division of the generator ('24 Manufacture of basic metals');
    - ``waste_category``: EWC chapter (``category='ewc_chapter'``) or hazardous/non-hazardous
      (``category='hazardous'``);
    - ``treatment``: the fate (``via='fate'``), the waste-hierarchy level of the R/D operation
      (``via='hierarchy'``) or the operation itself (``via='operation'``);
    - ``destination``: see ``destination_labels``.

    Plus ``fate`` (the fate code, ``not_reported`` when blank; for colouring), ``streams`` and
    ``waste_t``. Largest flow first, ties by the stage labels. Missing values become 'not
    reported' labels, so ``waste_t`` sums to the grand total.
    """
    if category not in ("ewc_chapter", "hazardous"):
        raise ValueError(f"category must be 'ewc_chapter' or 'hazardous', not {category!r}")
    treatment_key = {"fate": "fate", "hierarchy": "hierarchy_level", "operation": "operation"}
    if via not in treatment_key:
        raise ValueError(f"via must be 'fate', 'hierarchy' or 'operation', not {via!r}")
    keys = list(
        dict.fromkeys(
            ["nace_division", category, treatment_key[via], "destination_facility_id", "fate"]
        )
    )
    # group the streams once on their codes, then label the (small) result
    small = aggregate(streams, keys, enterprises, fill=False)
    titles = _titles()
    sector = small["nace_division"].map(titles["nace"])
    sector = sector.where(small["nace_division"].notna(), _("Sector not reported"))
    sector = sector.fillna(_("Sector not in NACE table"))
    if category == "ewc_chapter":
        cat = small["ewc_chapter"].map(titles["ewc"]).fillna(_("EWC chapter not reported"))
    else:
        haz = small["hazardous"].astype(object)
        cat = haz.map(titles["hazardous"]).fillna(_("Hazard not known"))
    if via == "fate":
        treatment = small["fate"].map(titles["fate"]).fillna(_("Fate not reported"))
    elif via == "hierarchy":
        treatment = small["hierarchy_level"].map(titles["level"])
        treatment = treatment.fillna(titles["level"][NOT_REPORTED])
    else:
        treatment = small["operation"].map(titles["operation"])
        treatment = treatment.fillna(titles["level"][NOT_REPORTED])
    frame = pd.DataFrame(
        {
            "sector": sector,
            "waste_category": cat,
            "treatment": treatment,
            "destination": destination_labels(
                small["destination_facility_id"], small["fate"], facilities
            ),
            "fate": small["fate"].astype(object).where(small["fate"].notna(), NOT_REPORTED),
            "streams": small["streams"],
            "waste_t": small["waste_t"],
        }
    )
    labels = [*STAGES, "fate"]
    out = frame.groupby(labels, sort=False)[["streams", "waste_t"]].sum().reset_index()
    out["streams"] = out["streams"].astype(int)
    return out.sort_values(
        ["waste_t", *labels], ascending=[False] + [True] * len(labels), kind="mergesort"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# mass balance


def mass_balance(
    streams: pd.DataFrame,
    enterprises: pd.DataFrame | None = None,
    by: str = "enterprise_id",
    tolerance_pct: float = 1.0,
) -> pd.DataFrame:
    """Waste generated against the sum of its fates, per enterprise (or per ``by``: any
    breakdown key, e.g. ``economic_region``).

    ``generated_t``: all tonnes of the group's streams. ``fates_t``: tonnes with a known fate
    (any fate code but 'unknown'). ``unaccounted_t`` = generated - fates: tonnes whose fate is
    blank or 'unknown'. ``unaccounted_pct``: of generated (0 when nothing is generated).
    ``balanced``: unaccounted_pct <= ``tolerance_pct``. ``streams_unaccounted``: the ids of
    the streams behind the gap, ';'-separated. Worst first (largest unaccounted tonnes), ties
    by key; with ``by='enterprise_id'`` and the enterprises given, enterprises without any
    stream are listed too (0 t, balanced).
    """
    known = streams["fate"].isin(codes.fates_where("known")).to_numpy()
    q = stream_tonnes(streams)
    grouped = aggregate(
        streams, [by], enterprises, extra={"fates_t": q.where(known, 0.0)}
    ).set_index(by)
    out = pd.DataFrame({"generated_t": grouped["waste_t"], "fates_t": grouped["fates_t"]})
    if by == "enterprise_id" and enterprises is not None:
        ids = out.index.union(pd.Index(enterprises["enterprise_id"].unique()), sort=False)
        out = out.reindex(ids, fill_value=0.0)
    out.index.name = by
    out["unaccounted_t"] = out["generated_t"] - out["fates_t"]
    generated = out["generated_t"].to_numpy()
    safe = np.where(generated > 0, generated, 1.0)
    out["unaccounted_pct"] = np.where(generated > 0, 100.0 * out["unaccounted_t"] / safe, 0.0)
    out["balanced"] = out["unaccounted_pct"] <= tolerance_pct
    missing = streams[~known]
    listed = (
        pd.DataFrame(
            {by: group_values(missing, by, enterprises).to_numpy(), "id": missing["stream_id"]}
        )
        .sort_values([by, "id"], kind="mergesort")
        .groupby(by, sort=False)["id"]
        .agg("; ".join)
    )
    out["streams_unaccounted"] = listed.reindex(out.index).fillna("")
    out = out.reset_index()
    order = out.assign(_k=out[by].astype(str)).sort_values(
        ["unaccounted_t", "_k"], ascending=[False, True], kind="mergesort"
    )
    return order.drop(columns="_k").reset_index(drop=True)


def unaccounted_pct(balance: pd.DataFrame) -> float:
    """Tonnes without a known fate as a percentage of all tonnes generated, over the rows of
    ``mass_balance(...)`` (0 when nothing is generated)."""
    generated = float(balance["generated_t"].sum())
    return 100.0 * float(balance["unaccounted_t"].sum()) / generated if generated > 0 else 0.0


def balance_gaps(balance: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``mass_balance(...)`` outside the tolerance, worst first."""
    return balance[~balance["balanced"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# the Sankey diagram, served where the notebooks call it


def sankey_figure(
    flows: pd.DataFrame,
    top_n: int | None = 8,
    title: str | None = None,
    synthetic: bool = False,
    height: int = 620,
) -> go.Figure:
    """An interactive Sankey diagram of a ``flow_table`` (``iwm_study.sankey.sankey_figure``)."""
    from . import sankey

    return sankey.sankey_figure(flows, top_n, title, synthetic, height)


def sankey_html(fig: go.Figure, div_id: str, include_plotlyjs: bool | str = True) -> str:
    """The figure as an HTML fragment for a report (``iwm_study.sankey_page.sankey_html``)."""
    from . import sankey_page

    return sankey_page.sankey_html(fig, div_id, include_plotlyjs)


def show_sankey(fig: go.Figure, div_id: str, include_plotlyjs: bool | str = True) -> Any:
    """What a notebook displays for the figure (``iwm_study.sankey_page.show_sankey``)."""
    from . import sankey_page

    return sankey_page.show_sankey(fig, div_id, include_plotlyjs)
