"""Figures for the reports: score bars, a choropleth of region scores, a rank-probability heatmap.

matplotlib is imported on first use (a ranking without figures never loads it); the map draws
the geopandas frame of regions it is given. Colours: Okabe-Ito, cividis and Blues, safe for
colour-blind readers. Axis labels and the shares in the cells are written in the report's
language; the title is given translated by the notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import SOURCE_LANGUAGE, _, format_number, language

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

    from .ranking import Ranking
    from .robustness import Sensitivity

__all__ = ["rank_heatmap", "score_bar_chart", "score_map"]  # and the two colours, read lazily

#: Colours of the figures, by their name in the toolkit's palette (``data/codes/palette.csv``,
#: Okabe-Ito, safe for colour-blind readers): selected alternatives, the others, the boundary
#: of a recommended region.
_COLOUR_NAMES = {"SELECTED_COLOUR": "blue", "OTHER_COLOUR": "grey", "CHOSEN_EDGE": "vermillion"}


def _colour(name: str) -> str:
    from ..data import codes

    return codes.colours("palette")[_COLOUR_NAMES[name]]


def __getattr__(name: str) -> str:
    """``SELECTED_COLOUR`` and ``OTHER_COLOUR``, read from the palette when first asked for."""
    if name in _COLOUR_NAMES:
        return _colour(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _localise_ticks(*axes: Any) -> None:
    """Number ticks of ``axes`` (matplotlib Axis objects) with the decimal sign of the report's
    language (Babel's CLDR data: '0,2' in Azerbaijani); English ticks are left as they are."""
    code = language()
    if code == SOURCE_LANGUAGE:
        return
    from babel.numbers import get_decimal_symbol
    from matplotlib.ticker import ScalarFormatter

    decimal = get_decimal_symbol(code)

    class Localised(ScalarFormatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return super().__call__(x, pos).replace(".", decimal)

    for axis in axes:
        axis.set_major_formatter(Localised())


def score_bar_chart(
    ranking: Ranking, highlight: int, title: str, limit: int | None = None
) -> Figure:
    """Horizontal bars of the scores, best at the top; the first ``highlight`` in blue."""
    from matplotlib.figure import Figure

    table = ranking.table if limit is None else ranking.table.head(limit)
    n = len(table)
    fig = Figure(figsize=(7.5, 0.32 * n + 1.4), dpi=100)
    ax = fig.subplots()
    selected, other = _colour("SELECTED_COLOUR"), _colour("OTHER_COLOUR")
    colours = [selected if i < highlight else other for i in range(n)]
    ax.barh(range(n), table["score"], color=colours)
    ax.set_yticks(
        range(n), [f"{r}. {lab}" for r, lab in zip(table["rank"], table["label"], strict=True)]
    )
    ax.invert_yaxis()
    ax.set_xlabel(_("Score: {method}").format(method=ranking.method_text))
    _localise_ticks(ax.xaxis)
    ax.set_title(title, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def score_map(ranking: Ranking, regions: gpd.GeoDataFrame, highlight: int, title: str) -> Figure:
    """Choropleth of the region scores (cividis, safe for colour-blind readers); the first
    ``highlight`` regions outlined; regions without a score hatched grey."""
    from matplotlib.figure import Figure

    shapes = regions.merge(
        ranking.table[["rank", "score"]], left_on="economic_region", right_index=True, how="left"
    )
    fig = Figure(figsize=(8, 6), dpi=100)
    ax = fig.subplots()
    scored = shapes[shapes["score"].notna()]
    scored.plot(
        ax=ax,
        column="score",
        cmap="cividis",
        edgecolor="white",
        linewidth=0.6,
        legend=True,
        legend_kwds={"label": _("Score"), "shrink": 0.7},
    )
    missing = shapes[shapes["score"].isna()]
    if len(missing):
        missing.plot(ax=ax, color="#f0f0f0", edgecolor="#999999", hatch="//", linewidth=0.6)
    chosen = shapes[shapes["economic_region"].isin(ranking.top(highlight).index)]
    chosen.boundary.plot(ax=ax, color=_colour("CHOSEN_EDGE"), linewidth=2.0)
    for _index, row in scored.sort_values("economic_region").iterrows():
        point = row.geometry.representative_point()
        ax.annotate(
            str(int(row["rank"])),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=9,
            color="black",
            bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_title(title, loc="left")
    ax.set_xlabel(_("Longitude (degrees east)"))
    ax.set_ylabel(_("Latitude (degrees north)"))
    _localise_ticks(ax.xaxis, ax.yaxis, *(a.yaxis for a in fig.axes if a is not ax))
    fig.tight_layout()
    return fig


def rank_heatmap(sens: Sensitivity, title: str, limit: int | None = None) -> Figure:
    """Heatmap of P(alternative holds rank): alternatives in ranking order, ranks 1..N (or
    the first ``limit`` of both), probabilities written in the cells."""
    from matplotlib.figure import Figure

    prob = sens.rank_probability
    labels = sens.summary["label"]
    if limit is not None:
        prob, labels = prob.iloc[:limit, :limit], labels.iloc[:limit]
    n, m = prob.shape
    fig = Figure(figsize=(0.45 * m + 3.2, 0.34 * n + 1.6), dpi=100)
    ax = fig.subplots()
    image = ax.imshow(prob.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(m), [str(c) for c in prob.columns])
    ax.set_yticks(range(n), list(labels))
    ax.set_xlabel(_("Rank"))
    for i in range(n):
        for j in range(m):
            v = prob.iat[i, j]
            if v > 0:
                ax.text(
                    j,
                    i,
                    format_number(float(v), 0, percent=True)
                    if v >= 0.01
                    else "<" + format_number(0.01, 0, percent=True),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 else "black",
                )
    bar = fig.colorbar(image, ax=ax, label=_("Share of weight draws"), shrink=0.8)
    _localise_ticks(bar.ax.yaxis)
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
