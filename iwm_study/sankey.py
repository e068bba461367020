"""The Sankey diagram of the waste flows: a layout whose labels never overlap, and the
interactive plotly figure.

Layout. Plotly places nodes and labels by itself and, on a narrow page, writes the labels of
two columns over each other. Here the diagram is laid out for its narrowest width
(``MIN_WIDTH_PX``; a narrower page scrolls it sideways): each column's labels get the room
they need (long ones wrap onto two lines and are cut with an ellipsis, the whole label in the
hover text), the columns are spaced to give it, and the nodes of a column are spaced so that
no two labels meet. Nodes are ordered by size in the first column and by where their waste
comes from in the next (fewer crossings). Plotly is then told each node's place
(``node.x``/``node.y``, ``arrangement='perpendicular'``: a reader can still drag a node up
or down).

Colours. A link has the colour of the treatment (fate, or level of the waste hierarchy) its
waste goes to, the colour of that node: the nodes of the third column are the legend.

The diagram goes into a report with ``iwm_study.sankey_page`` (offline HTML, still image).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import pandas as pd

from . import charts
from .chart_output import text_width, wrap
from .data import codes
from .flows import STAGES, _titles
from .i18n import N_, _, language

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["MIN_WIDTH_PX", "Layout", "layout", "sankey_figure"]

#: The narrowest width (px) the diagram is drawn at, chosen to fit A4 between the margins of
#: the printed report (673 px there); on a narrower screen it scrolls sideways.
MIN_WIDTH_PX = 660
FONT_PX = 11
NODE_PX = 16
_MARGIN_X = 10
_LABEL_OFFSET = 3.2  # plotly: half the node's line width + 3 px
_SPACE = 8.0  # between a label and the next column's nodes
_LINE = 1.3  # plotly's line spacing
_NOTE_PX = 10
_STAGE_PX = 12

_STAGE_OTHER = {
    "sector": N_("Other sectors"),
    "waste_category": N_("Other waste categories"),
    "treatment": N_("Other treatments"),
    "destination": N_("Other destinations"),
}
_STAGE_TITLES = (
    N_("Sector (NACE Rev.2)"),
    N_("Waste category"),
    N_("Fate or treatment"),
    N_("Destination"),
)
_STAGE_COLOUR = {"sector": "#5A6470", "waste_category": "#8C96A0", "destination": "#5A6470"}


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
    return labels.where(labels.isin(keep), _(_STAGE_OTHER[stage]))


# --------------------------------------------------------------------------------------------
# layout


def _cut(line: str, room: float, size: float = FONT_PX) -> str:
    """``line`` if it fits ``room`` px, else cut to fit with an ellipsis."""
    if text_width(line, size) <= room:
        return line
    # The longest start of the line that fits with the ellipsis, found by halving (widths grow
    # with the length): a dozen measures instead of one per character cut.
    low, high = 0, len(line)  # line[:low] + "…" fits (or low is 0); line[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if text_width(line[:middle] + "…", size) <= room:
            low = middle
        else:
            high = middle
    return line[:low].rstrip(" ,;") + "…"


def _fit(text: str, room: float) -> list[str]:
    """A node label in at most two lines of at most ``room`` px (the second cut with an
    ellipsis when the label is longer)."""
    lines = wrap(str(text), room, FONT_PX).split("\n")
    fitted = [_cut(lines[0], room)]
    if len(lines) > 1:
        fitted.append(_cut(" ".join(lines[1:]), room))
    return fitted


def _label_room(widths: list[float], budget: float) -> float:
    """The widest a label may be so that the four columns' labels fit ``budget`` px: each
    column needs its widest label, none more than the returned width."""
    if sum(widths) <= budget:
        return max(widths)
    low, high = 0.0, max(widths)
    for _step in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if sum(min(w, mid) for w in widths) <= budget else (low, mid)
    return low


@dataclass
class Layout:
    """Where the nodes go: centres as fractions of the plot (x from the left, y from the top),
    each node's shown label (lines), plotly's node padding that gives the node heights the
    layout assumes, and the figure's size and margins in px."""

    x: list[float]
    y: list[float]
    lines: list[list[str]]
    pad: float
    height: int
    top: int
    bottom: int
    columns_px: list[float]
    stage_titles: list[str]
    note: list[str]


def _order(
    stage_nodes: list[list[int]], values: list[float], links: list[tuple]
) -> list[list[int]]:
    """The nodes of each column top to bottom: the first by size, the next ones by the mean
    height of the nodes their waste comes from (weighted by tonnes)."""
    ordered = [list(stage_nodes[0])]
    rank = {n: i for i, n in enumerate(ordered[0])}
    for column in stage_nodes[1:]:
        weight = {n: 0.0 for n in column}
        mean = {n: 0.0 for n in column}
        for src, dst, value in links:
            if dst in weight and src in rank:
                weight[dst] += value
                mean[dst] += value * rank[src]
        key = {n: (mean[n] / weight[n] if weight[n] else 0.0, -values[n], n) for n in column}
        ordered.append(sorted(column, key=key.__getitem__))
        rank = {n: i for i, n in enumerate(ordered[-1])}
    return ordered


def layout(
    labels: list[str],
    stage_of: list[int],
    values: list[float],
    links: list[tuple[int, int, float]],
    height: int,
    title: bool,
    note: str,
) -> Layout:
    """The layout of a diagram of four columns at ``MIN_WIDTH_PX`` (see the module's text)."""
    plot_w = MIN_WIDTH_PX - 2 * _MARGIN_X
    fixed = 3 * (NODE_PX + _LABEL_OFFSET + _SPACE) + _LABEL_OFFSET + NODE_PX
    stages = [[i for i, s in enumerate(stage_of) if s == k] for k in range(len(STAGES))]
    widths = [max((text_width(labels[i], FONT_PX) for i in c), default=0.0) for c in stages]
    room = _label_room(widths, plot_w - fixed)
    lines = [_fit(label, room) for label in labels]
    need = [max((text_width(x, FONT_PX) for i in c for x in lines[i]), default=0) for c in stages]
    slack = max(plot_w - fixed - sum(need), 0.0) / 3
    c0 = NODE_PX / 2 + 1
    c1 = c0 + NODE_PX + _LABEL_OFFSET + need[0] + _SPACE + slack
    c2 = c1 + NODE_PX + _LABEL_OFFSET + need[1] + _SPACE + slack
    c3 = plot_w - NODE_PX / 2 - 1
    columns = [c0, c1, c2, c3]
    # stage titles over their columns, wrapped to the room before the next one
    rooms = [c1 - c0 - 6, c2 - c1 - 6, (c3 - c2) / 2 - 6, (c3 - c2) / 2 - 6]
    titles = [
        wrap(_(t), r, _STAGE_PX, "bold").replace("\n", "<br>")
        for t, r in zip(_STAGE_TITLES, rooms, strict=True)
    ]
    title_lines = max(t.count("<br>") + 1 for t in titles)
    top = (40 if title else 0) + 16 + int(title_lines * _LINE * _STAGE_PX) + 6
    note_lines = wrap(note, plot_w, _NOTE_PX).split("\n")
    bottom = 14 + int(len(note_lines) * _LINE * _NOTE_PX) + 6
    order = _order(stages, values, links)
    label_h = [len(x) * _LINE * FONT_PX for x in lines]
    total = max(sum(values[i] for i in stages[0]), 1e-9)
    plot_h, pad = float(height - top - bottom), 20.0
    while True:
        most = max(len(c) for c in order) or 1
        ky = min((plot_h - (len(c) - 1) * pad) / total for c in order)
        fits, centres = ky > 0, {}
        for column in (c for c in order if c):
            h = [values[i] * ky for i in column]
            lh = [label_h[i] for i in column]
            gaps = [
                max(4.0, (lh[j] + lh[j + 1]) / 2 - (h[j] + h[j + 1]) / 2 + 2)
                for j in range(len(column) - 1)
            ]
            # room above the first label and below the last, where they outgrow their node
            head = max(0.0, (lh[0] - h[0]) / 2 + 2)
            tail = max(0.0, (lh[-1] - h[-1]) / 2 + 2)
            free = plot_h - sum(h) - sum(gaps) - head - tail
            fits = fits and free >= 0
            extra = free / len(gaps) if gaps else free / 2
            y = head + (0.0 if gaps else extra)
            for j, node in enumerate(column):
                centres[node] = y + h[j] / 2
                y += h[j] + (gaps[j] + extra if j < len(gaps) else 0.0)
        if fits:
            break
        pad += 2.0
        if most == 1 or (most - 1) * pad >= plot_h * 0.8:  # no room left: a taller diagram
            plot_h, height, pad = plot_h + 60, height + 60, 20.0
    return Layout(
        x=[columns[s] / plot_w for s in stage_of],
        y=[centres[i] / plot_h for i in range(len(labels))],
        lines=lines,
        pad=pad,
        height=height,
        top=top,
        bottom=bottom,
        columns_px=columns,
        stage_titles=titles,
        note=note_lines,
    )


# --------------------------------------------------------------------------------------------
# the interactive figure


def _separators() -> str:
    """Plotly's decimal and thousands separators for the current language."""
    if language() == "en":
        return ".,"
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(language()) + get_group_symbol(language())


def sankey_figure(
    flows: pd.DataFrame,
    top_n: int | None = 8,
    title: str | None = None,
    synthetic: bool = False,
    height: int = 620,
) -> go.Figure:
    """An interactive Sankey diagram of a ``flow_table``: one column of nodes per stage.

    Links take the colour of their treatment node (the fate, or the level of the waste
    hierarchy), so a reader can follow, say, landfilled waste from its sectors to its
    landfills. Sectors and waste categories beyond the ``top_n`` largest are merged into
    'Other ...' nodes. Node and link order is fixed (largest first, ties by label), so the
    figure is the same on every run. ``title`` is shown as given (the caller translates it).
    The nodes' ``customdata`` holds their whole labels; the layout is kept in
    ``fig.layout.meta`` for the still image.
    """
    import plotly.graph_objects as go

    flows = flows[flows["waste_t"] > 0].copy()
    for stage in ("sector", "waste_category"):
        flows[stage] = _keep_top(flows, stage, top_n)
    titles = _titles()
    missing = charts.MISSING_COLOUR
    treatment_colour = {titles["fate"][f]: c for f, c in codes.colours("fate").items()}
    level_colour = codes.colours("hierarchy_level")
    treatment_colour.update({titles["level"][k]: c for k, c in level_colour.items()})
    operations = codes.waste_operations().set_index("code")["hierarchy_level"]
    treatment_colour.update(
        {titles["operation"][c]: level_colour.get(k, missing) for c, k in operations.items()}
    )
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
    flows["_colour"] = flows["treatment"].map(lambda t: treatment_colour.get(t, missing))
    sources: list[int] = []
    targets: list[int] = []
    values: list[float] = []
    colours: list[str] = []
    for a, b in pairwise(STAGES):
        links = (
            flows.groupby([a, b, "_colour"], sort=False)["waste_t"]
            .sum()
            .reset_index()
            .sort_values(
                ["waste_t", a, b, "_colour"],
                ascending=[False, True, True, True],
                kind="mergesort",
            )
        )
        for src, dst, colour, value in links.itertuples(index=False):
            sources.append(index[(a, src)])
            targets.append(index[(b, dst)])
            values.append(round(float(value), 6))
            colours.append(_rgba(colour, 0.45))
    node_values = [0.0] * len(nodes)
    for s, t, v in zip(sources, targets, values, strict=True):
        node_values[s] += v if nodes[s][0] == STAGES[0] else 0.0
        node_values[t] += v
    note = _(charts.SOURCE_TEXT) + "." + (" " + _(charts.SYNTHETIC_TEXT) if synthetic else "")
    note += " " + _("Flows in tonnes per year (t/yr).")
    full = [label for _stage, label in nodes]
    plan = layout(
        full,
        [STAGES.index(stage) for stage, _label in nodes],
        node_values,
        list(zip(sources, targets, values, strict=True)),
        height,
        bool(title),
        note,
    )
    sankey = go.Sankey(
        arrangement="perpendicular",
        valueformat=",.0f",
        valuesuffix=" " + _("t/yr"),
        textfont=dict(size=FONT_PX),
        node=dict(
            label=["<br>".join(lines) for lines in plan.lines],
            customdata=full,
            x=plan.x,
            y=plan.y,
            color=node_colours,
            pad=plan.pad,
            thickness=NODE_PX,
            line=dict(color="#333333", width=0.4),
            hovertemplate="%{customdata}<br>%{value}<extra></extra>",
        ),
        link=dict(
            source=sources,
            target=targets,
            value=values,
            color=colours,
            customdata=[f"{full[s]} → {full[t]}" for s, t in zip(sources, targets, strict=True)],
            hovertemplate="%{customdata}<br>%{value}<extra></extra>",
        ),
    )
    plot_w = MIN_WIDTH_PX - 2 * _MARGIN_X
    annotations = [
        dict(
            x=(plan.columns_px[i] + (NODE_PX / 2 if i == 3 else -NODE_PX / 2)) / plot_w,
            y=1,
            yshift=8,
            xref="paper",
            yref="paper",
            text=f"<b>{t}</b>",
            showarrow=False,
            xanchor="right" if i == 3 else "left",
            yanchor="bottom",
            align="right" if i == 3 else "left",
            font=dict(size=_STAGE_PX),
        )
        for i, t in enumerate(plan.stage_titles)
    ]
    annotations.append(
        dict(
            x=0,
            y=0,
            yshift=-8,
            xref="paper",
            yref="paper",
            text="<br>".join(plan.note),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            align="left",
            font=dict(size=_NOTE_PX, color="#444444"),
        )
    )
    fig = go.Figure(sankey)
    shown_title = wrap(title, plot_w, 15, "bold").replace("\n", "<br>") if title else None
    fig.update_layout(
        template=go.layout.Template(),  # plotly's default template would add ~10 kB of JSON
        title=dict(text=shown_title, x=0.01, y=1, yanchor="top", pad=dict(t=10)) if title else None,
        height=plan.height,
        margin=dict(l=_MARGIN_X, r=_MARGIN_X, t=plan.top, b=plan.bottom),
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=FONT_PX, color="#222222"),
        paper_bgcolor="white",
        separators=_separators(),
        annotations=annotations,
        meta={"title": title or "", "stage_colours": node_colours},
    )
    return fig
