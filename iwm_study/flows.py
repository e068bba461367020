"""Waste flows: sector -> waste category -> fate (or operation) -> destination, the mass
balance, and an interactive Sankey diagram that works in an offline HTML report.

The flow table is the inventory's streams grouped along four stages. Every tonne of the
inventory appears once in it, so its total equals the grand total: streams whose stage is
missing are routed to a 'not reported' node rather than dropped.

The Sankey is drawn with plotly: its JavaScript (plotly.js) ships inside the Python package and
is inlined into the report once, so nothing is fetched from a CDN, and the figure's div id is
given by the caller so that the report's bytes do not change between runs.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import charts
from .data import codes
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

ON_SITE = "On the generator's site"
ABROAD = "Abroad"
DESTINATION_NOT_REPORTED = "Destination not reported"
DESTINATION_UNKNOWN = "Destination unknown (not in facilities)"
_MAX_LABEL = 42


def _short(text: str, limit: int = _MAX_LABEL) -> str:
    """Cut a long code title to fit a diagram node, marking the cut with an ellipsis."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


def _titles() -> dict[str, dict[Any, str]]:
    """The node labels of every code, from the code tables' labels (``codes.labels``); long
    titles are shortened and prefixed with their code."""
    return {
        "nace": {
            d: f"{d} {_short(t, _MAX_LABEL - 3)}" for d, t in codes.labels("nace_division").items()
        },
        "ewc": {
            c: f"EWC {c} {_short(t, _MAX_LABEL - 7)}"
            for c, t in codes.labels("ewc_chapter").items()
        },
        "operation": {
            c: f"{c} {_short(t, _MAX_LABEL - 4)}" for c, t in codes.labels("operation").items()
        },
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
    out = pd.Series(DESTINATION_NOT_REPORTED, index=destination.index, dtype=object)
    out[fate.isin(codes.fates_where("stays_on_site")).to_numpy()] = ON_SITE
    out[fate.isin(codes.fates_where("leaves_country")).to_numpy()] = ABROAD
    named = destination.notna().to_numpy()
    out[named] = by_facility[named].fillna(DESTINATION_UNKNOWN).to_numpy()
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
    sector = sector.where(small["nace_division"].notna(), "Sector not reported")
    sector = sector.fillna("Sector not in NACE table")
    if category == "ewc_chapter":
        cat = small["ewc_chapter"].map(titles["ewc"]).fillna("EWC chapter not reported")
    else:
        haz = small["hazardous"].astype(object)
        cat = haz.map(titles["hazardous"]).fillna("Hazard not known")
    if via == "fate":
        treatment = small["fate"].map(titles["fate"]).fillna("Fate not reported")
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
# Sankey diagram

_STAGE_OTHER = {
    "sector": "Other sectors",
    "waste_category": "Other waste categories",
    "treatment": "Other treatments",
    "destination": "Other destinations",
}
_STAGE_COLOUR = {
    "sector": "#5A6470",
    "waste_category": "#8C96A0",
    "destination": "#5A6470",
}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _keep_top(flows: pd.DataFrame, stage: str, top_n: int | None) -> pd.Series:
    """Stage labels with all but the ``top_n`` largest merged into 'Other ...'."""
    labels = flows[stage]
    if not top_n:
        return labels
    sizes = flows.groupby(stage, sort=False)["waste_t"].sum()
    if len(sizes) <= top_n:
        return labels
    order = pd.DataFrame({"t": sizes, "k": sizes.index}).sort_values(
        ["t", "k"], ascending=[False, True], kind="mergesort"
    )
    keep = set(order.index[:top_n])
    return labels.where(labels.isin(keep), _STAGE_OTHER[stage])


def sankey_figure(
    flows: pd.DataFrame,
    top_n: int | None = 8,
    title: str | None = None,
    synthetic: bool = False,
    height: int = 620,
) -> go.Figure:
    """An interactive Sankey diagram of a ``flow_table``: one column of nodes per stage.

    Links are coloured by the fate of the waste they carry (``codes.colours("fate")``), so a
    reader can follow, say, landfilled waste from its sectors to its landfills. Sectors and
    waste categories beyond the ``top_n`` largest are merged into 'Other ...' nodes. Node and
    link order is fixed (largest first, ties by label), so the figure is the same on every run.
    """
    import plotly.graph_objects as go

    flows = flows[flows["waste_t"] > 0].copy()
    for stage in ("sector", "waste_category"):
        flows[stage] = _keep_top(flows, stage, top_n)
    titles = _titles()
    fate_colour = codes.colours("fate")
    level_colour = codes.colours("hierarchy_level")
    missing = charts.MISSING_COLOUR
    treatment_colour = {titles["fate"][f]: c for f, c in fate_colour.items()}
    treatment_colour.update({titles["level"][k]: c for k, c in level_colour.items()})
    nodes: list[tuple[str, str]] = []  # (stage, label)
    for stage in STAGES:
        sizes = flows.groupby(stage, sort=False)["waste_t"].sum()
        order = pd.DataFrame({"t": sizes, "k": sizes.index}).sort_values(
            ["t", "k"], ascending=[False, True], kind="mergesort"
        )
        nodes += [(stage, label) for label in order["k"]]
    index = {node: i for i, node in enumerate(nodes)}
    node_colours = [
        treatment_colour.get(label, missing) if stage == "treatment" else _STAGE_COLOUR[stage]
        for stage, label in nodes
    ]
    sources: list[int] = []
    targets: list[int] = []
    values: list[float] = []
    colours: list[str] = []
    for a, b in pairwise(STAGES):
        links = (
            flows.groupby([a, b, "fate"], sort=False)["waste_t"]
            .sum()
            .reset_index()
            .sort_values(
                ["waste_t", a, b, "fate"], ascending=[False, True, True, True], kind="mergesort"
            )
        )
        for src, dst, fate, value in links.itertuples(index=False):
            sources.append(index[(a, src)])
            targets.append(index[(b, dst)])
            values.append(round(float(value), 6))
            colours.append(_rgba(fate_colour.get(fate, missing), 0.45))
    sankey = go.Sankey(
        arrangement="snap",
        valueformat=",.0f",
        valuesuffix=" t/yr",
        node=dict(
            label=[label for _, label in nodes],
            color=node_colours,
            pad=14,
            thickness=16,
            line=dict(color="#333333", width=0.4),
            hovertemplate="%{label}<br>%{value} <extra></extra>",
        ),
        link=dict(
            source=sources,
            target=targets,
            value=values,
            color=colours,
            hovertemplate="%{source.label} → %{target.label}<br>%{value}<extra></extra>",
        ),
    )
    note = charts.SOURCE_TEXT + (f". {charts.SYNTHETIC_TEXT}" if synthetic else ".")
    stage_titles = (
        "Sector (NACE Rev.2)",
        "Waste category",
        "Fate or treatment",
        "Destination",
    )
    annotations = [
        dict(
            x=i / (len(STAGES) - 1),
            y=1.06,
            xref="paper",
            yref="paper",
            text=f"<b>{t}</b>",
            showarrow=False,
            xanchor=("left", "center", "center", "right")[i],
            font=dict(size=12),
        )
        for i, t in enumerate(stage_titles)
    ]
    annotations.append(
        dict(
            x=0,
            y=-0.06,
            xref="paper",
            yref="paper",
            text=note + " Flows in tonnes per year (t/yr).",
            showarrow=False,
            xanchor="left",
            font=dict(size=10, color="#444444"),
        )
    )
    fig = go.Figure(sankey)
    fig.update_layout(
        template=go.layout.Template(),  # plotly's default template would add ~10 kB of JSON
        title=dict(text=title, x=0.01) if title else None,
        height=height,
        margin=dict(l=10, r=10, t=80 if title else 50, b=40),
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=11, color="#222222"),
        paper_bgcolor="white",
        annotations=annotations,
    )
    return fig


def sankey_html(fig: go.Figure, div_id: str, include_plotlyjs: bool = True) -> str:
    """The figure as an HTML fragment for a report.

    ``include_plotlyjs``: inline plotly.js from the installed package (about 4.8 MB); do it
    for the first figure of a report only. ``div_id`` must be unique in the report and fixed
    (plotly would otherwise draw a random one).
    """
    height = fig.layout.height or 620
    return fig.to_html(
        full_html=False,
        include_plotlyjs=bool(include_plotlyjs),
        include_mathjax=False,
        div_id=div_id,
        default_height=f"{int(height)}px",
        default_width="100%",
        config={"displaylogo": False, "responsive": True},
    )


def show_sankey(fig: go.Figure, div_id: str, include_plotlyjs: bool = True) -> Any:
    """An object a notebook displays as the figure (``text/html``), also in a report rendered
    with its code hidden."""
    from IPython.display import HTML

    return HTML(sankey_html(fig, div_id, include_plotlyjs))
