"""The Sankey diagram in a report: an offline HTML fragment, and a still image shown when the
interactive diagram cannot be.

plotly.js (4.8 MB) is not put in the report nor in the notebook's saved outputs: the fragment
loads the one copy the runner writes beside the reports (``outputs/assets/plotly-<version>.
min.js``, ``iwm_study.runner.assets``). When that file is missing (a report sent alone, a
notebook opened in Jupyter) the page shows a still image of the same layout drawn with
matplotlib (``sankey_still``), and says why.
"""

from __future__ import annotations

import base64
import html
import json
from typing import TYPE_CHECKING, Any

from .chart_output import png, set_kind
from .i18n import _
from .sankey import _LABEL_OFFSET, _LINE, FONT_PX, MIN_WIDTH_PX, NODE_PX

if TYPE_CHECKING:
    import matplotlib.figure
    import plotly.graph_objects as go

__all__ = ["PLOTLY_ASSETS", "plotly_js_name", "sankey_html", "sankey_still", "show_sankey"]


def plotly_js_name() -> str:
    """The file name of the shared plotly.js: ``plotly-<plotly.js version>.min.js`` (the
    runner's ``iwm_study.runner.assets`` writes the same name)."""
    from plotly.offline import get_plotlyjs_version

    return f"plotly-{get_plotlyjs_version()}.min.js"


#: Where a report finds the shared plotly.js: the runner writes it into outputs/assets/, and a
#: report lives in outputs/<scope>/.
PLOTLY_ASSETS = "../assets"
# --------------------------------------------------------------------------------------------
# the still image: the same layout drawn with matplotlib


def _geometry(fig: go.Figure) -> dict[str, Any]:
    """Node boxes and link ribbons of a ``sankey_figure`` in px of its plot area, as plotly
    draws them at ``MIN_WIDTH_PX`` (node heights as d3-sankey scales them)."""
    trace, lay = fig.data[0], fig.layout
    plot_w = MIN_WIDTH_PX - lay.margin.l - lay.margin.r
    plot_h = lay.height - lay.margin.t - lay.margin.b
    xs, ys = list(trace.node.x or []), list(trace.node.y or [])
    sources, targets = list(trace.link.source or []), list(trace.link.target or [])
    values = list(trace.link.value or [])
    n = len(xs)
    inflow, outflow = [0.0] * n, [0.0] * n
    for s, t, v in zip(sources, targets, values, strict=True):
        outflow[s] += v
        inflow[t] += v
    value = [max(a, b) for a, b in zip(inflow, outflow, strict=True)]
    columns: dict[float, list[int]] = {}
    for i, x in enumerate(xs):
        columns.setdefault(x, []).append(i)
    pad = float(trace.node.pad)
    ky = min(
        (
            (plot_h - (len(c) - 1) * pad) / max(sum(value[i] for i in c), 1e-9)
            for c in columns.values()
        ),
        default=0.0,
    )
    boxes = []
    for i in range(n):
        cx, cy, h = xs[i] * plot_w, ys[i] * plot_h, value[i] * ky
        boxes.append((cx - NODE_PX / 2, cy - h / 2, cx + NODE_PX / 2, cy + h / 2))
    centre = [(b[1] + b[3]) / 2 for b in boxes]
    out_at, in_at = [b[1] for b in boxes], [b[1] for b in boxes]
    ribbons: list[tuple[int, float, float, float]] = [(0, 0.0, 0.0, 0.0)] * len(values)
    by_source = sorted(range(len(values)), key=lambda k: (sources[k], centre[targets[k]], k))
    for k in by_source:
        ribbons[k] = (k, out_at[sources[k]], 0.0, values[k] * ky)
        out_at[sources[k]] += values[k] * ky
    by_target = sorted(range(len(values)), key=lambda k: (targets[k], centre[sources[k]], k))
    for k in by_target:
        ribbons[k] = (k, ribbons[k][1], in_at[targets[k]], ribbons[k][3])
        in_at[targets[k]] += values[k] * ky
    return {"plot": (plot_w, plot_h), "boxes": boxes, "ribbons": ribbons}


def _colour(value: str) -> tuple[float, float, float, float]:
    """A plotly colour ('#RRGGBB' or 'rgba(r,g,b,a)') as matplotlib's RGBA."""
    if value.startswith("rgba("):
        r, g, b, a = (float(p) for p in value[5:-1].split(","))
        return (r / 255, g / 255, b / 255, a)
    from matplotlib.colors import to_rgba

    return to_rgba(value)


def sankey_still(fig: go.Figure) -> matplotlib.figure.Figure:
    """A still image of a ``sankey_figure`` as it is drawn at ``MIN_WIDTH_PX``: the same
    nodes, links, labels, stage titles and note (1 px = 1/100 inch)."""
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    trace, lay = fig.data[0], fig.layout
    geometry = _geometry(fig)
    plot_w, plot_h = geometry["plot"]
    width, height = MIN_WIDTH_PX, lay.height
    pt = 72 / 100  # px to points at 100 dpi
    still = Figure(figsize=(width / 100, height / 100), dpi=100)
    still.patch.set_facecolor("white")
    ax = still.add_axes(
        (lay.margin.l / width, lay.margin.b / height, plot_w / width, plot_h / height)
    )
    ax.set_xlim(0, plot_w)
    ax.set_ylim(plot_h, 0)
    ax.axis("off")
    family = ["DejaVu Sans"]
    halo = [patheffects.withStroke(linewidth=2.0, foreground=(1, 1, 1, 0.8))]
    boxes = geometry["boxes"]
    sources, targets = list(trace.link.source or []), list(trace.link.target or [])
    for k, y_out, y_in, w in geometry["ribbons"]:
        x0, x1 = boxes[sources[k]][2], boxes[targets[k]][0]
        mid = (x0 + x1) / 2
        path = Path(
            [
                (x0, y_out),
                (mid, y_out),
                (mid, y_in),
                (x1, y_in),
                (x1, y_in + w),
                (mid, y_in + w),
                (mid, y_out + w),
                (x0, y_out + w),
                (x0, y_out),
            ],
            [Path.MOVETO, *[Path.CURVE4] * 3, Path.LINETO, *[Path.CURVE4] * 3, Path.CLOSEPOLY],
        )
        ax.add_patch(PathPatch(path, facecolor=_colour(trace.link.color[k]), lw=0))
    last = max(trace.node.x or [0.0])
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        ax.add_patch(
            Rectangle(
                (x0, y0),
                x1 - x0,
                max(y1 - y0, 0.5),
                facecolor=trace.node.color[i],
                edgecolor="#333333",
                lw=0.4 * pt,
            )
        )
        left = trace.node.x[i] == last
        ax.text(
            x0 - _LABEL_OFFSET if left else x1 + _LABEL_OFFSET,
            (y0 + y1) / 2,
            trace.node.label[i].replace("<br>", "\n"),
            ha="right" if left else "left",
            va="center",
            fontsize=FONT_PX * pt,
            family=family,
            color="#222222",
            linespacing=_LINE,
            path_effects=halo,  # plotly's labels have a light shadow over the links
        )
    for note in lay.annotations:
        text = note.text.replace("<br>", "\n").replace("<b>", "").replace("</b>", "")
        stage = note.yanchor == "bottom"
        ax.annotate(
            text,
            (note.x * plot_w, 0 if stage else plot_h),
            xytext=(0, (8 if stage else -8) * pt),
            textcoords="offset points",
            ha=note.xanchor,
            va="bottom" if stage else "top",
            fontsize=note.font.size * pt,
            fontweight="bold" if stage else "normal",
            family=family,
            color="#222222" if stage else "#444444",
            linespacing=_LINE,
            annotation_clip=False,
        )
    if lay.meta and lay.meta.get("title"):
        still.text(
            0.01,
            1 - 10 / height,
            lay.title.text.replace("<br>", "\n"),
            ha="left",
            va="top",
            fontsize=15 * pt,
            fontweight="bold",
            family=family,
        )
    return set_kind(still, "sankey_still")  # a palette PNG (chart_output.EXPORTS)


# --------------------------------------------------------------------------------------------
# HTML


def _plotly_script(include_plotlyjs: bool | str) -> str:
    """The script element that brings plotly.js: the shared copy beside the reports (True),
    the library inlined ('inline': a page that must stand alone), a given URL or path (a str
    ending in '.js') or nothing (False: an earlier figure of the page brought it)."""
    if include_plotlyjs is False or include_plotlyjs is None:
        return ""
    if include_plotlyjs == "inline":
        from plotly.offline import get_plotlyjs

        return f'<script type="text/javascript">{get_plotlyjs()}</script>\n'
    src = (
        include_plotlyjs
        if isinstance(include_plotlyjs, str) and include_plotlyjs.endswith(".js")
        else f"{PLOTLY_ASSETS}/{plotly_js_name()}"
    )
    return f'<script src="{html.escape(src)}" charset="utf-8"></script>\n'


def sankey_html(fig: go.Figure, div_id: str, include_plotlyjs: bool | str = True) -> str:
    """The figure as an HTML fragment for a report: the interactive diagram when plotly.js
    loads, else a still image of it with a line saying why.

    ``include_plotlyjs``: True (the first figure of a report) loads the shared copy
    ``../assets/plotly-<version>.min.js`` that the runner writes beside the reports, not 4.8
    MB inlined in every report and in the notebook's saved outputs; False for later figures
    of the same page; 'inline' to inline the library (a page that must stand alone).
    ``div_id`` must be unique in the report and fixed (plotly would otherwise draw a random
    one), so that the report's bytes do not change between runs.
    """
    import plotly.io as pio

    figure = json.loads(pio.to_json(fig, validate=False))
    figure["layout"].pop("meta", None)
    payload = json.dumps(figure, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    payload = payload.replace("</", "<\\/")
    config = json.dumps({"displaylogo": False, "responsive": True})
    image = base64.b64encode(png(sankey_still(fig))).decode("ascii")
    title = fig.layout.meta.get("title") if fig.layout.meta else ""
    alt = title or _("Sankey diagram of the waste flows: sector, waste category, fate, destination")
    why = _(
        "A still image of the diagram: the interactive diagram needs the file {file} of the "
        "reports' folder, which was not found beside this page."
    ).format(file=f"assets/{plotly_js_name()}")
    height = int(fig.layout.height or 620)
    ident = html.escape(div_id)
    return (
        f'<div class="iwm-sankey" style="overflow-x:auto">\n'
        f"{_plotly_script(include_plotlyjs)}"
        f'<div id="{ident}" class="plotly-graph-div" hidden '
        f'style="height:{height}px; width:100%; min-width:{MIN_WIDTH_PX}px"></div>\n'
        f'<figure id="{ident}-still" class="iwm-sankey-still" style="margin:0">'
        f'<img src="data:image/png;base64,{image}" alt="{html.escape(alt)}" '
        f'width="{MIN_WIDTH_PX}" height="{height}" style="max-width:100%; height:auto">'
        f'<figcaption style="font-size:small; color:#444">{html.escape(why)}</figcaption>'
        f"</figure>\n"
        f'<script type="text/javascript">(function () {{\n'
        f'  var div = document.getElementById("{ident}");\n'
        f"  if (!window.Plotly || !div) return;\n"
        f'  document.getElementById("{ident}-still").remove();\n'
        f"  div.hidden = false;\n"
        f"  var figure = {payload};\n"
        f"  Plotly.newPlot(div, figure.data, figure.layout, {config});\n"
        f"}})();</script>\n"
        f"</div>"
    )


def show_sankey(fig: go.Figure, div_id: str, include_plotlyjs: bool | str = True) -> Any:
    """An object a notebook displays as the figure (``text/html``, ``sankey_html``), also in
    a report rendered with its code hidden."""
    from IPython.display import HTML

    return HTML(sankey_html(fig, div_id, include_plotlyjs))
