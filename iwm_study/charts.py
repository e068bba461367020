"""The toolkit's colours, its seaborn theme and the standard charts of the waste inventory.

The colours are defined once, in the code tables (``iwm_study.data.codes``: ``palette()`` and
``colours(kind)``); the names here (``PALETTE``, ``FATE_COLOURS``, ``HIERARCHY_COLOURS``...) read
them there. The categorical palette is Okabe & Ito's (2008, "Color Universal Design"), chosen
because its eight colours stay distinguishable under the common colour-vision deficiencies.

The charts speak the report's language (``iwm_study.i18n``), wrap their texts to the room they
have and keep titles, legends and labels apart (tests/test_chart_layout.py measures them); each
goes into a report in the format of its kind (``chart_output.EXPORTS``: SVG or a palette PNG).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .chart_output import (
    DEFAULT_EXPORT,
    FLAT_CHART,
    Export,
    export_of,
    png,
    set_export,
    set_kind,
    show,
    svg,
    text_width,
    wrap,
)
from .i18n import N_, _, format_number, ngettext

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure
    import pandas as pd

__all__ = [
    "DEFAULT_EXPORT",
    "FATE_COLOURS",
    "FLAT_CHART",
    "HAZARD_COLOURS",
    "HIERARCHY_COLOURS",
    "MISSING_COLOUR",
    "OKABE_ITO",
    "PALETTE",
    "SOURCE_TEXT",
    "SYNTHETIC_TEXT",
    "TONNES_LABEL",
    "Export",
    "bar_chart",
    "export_of",
    "fate_comparison_chart",
    "hierarchy_chart",
    "pareto_chart",
    "png",
    "set_export",
    "set_theme",
    "show",
    "source_note",
    "stacked_bar_chart",
    "svg",
    "text_width",
    "theme_rc",
    "wrap",
]

# The colours live in the code tables (iwm_study/data/codes/: palette.csv, and the colour column
# of fate_categories.csv, hierarchy_levels.csv, facility_types.csv and hazardous.csv); the names
# below read them there when used (PEP 562), so a colour has one definition and importing this
# module reads no file.
#
# PALETTE, the order in which categories without colours of their own take the palette's
# colours: Okabe & Ito's eight without black (kept for text and lines), then the light grey for
# "other" and missing values.
_CATEGORY_ORDER = (
    "blue",
    "orange",
    "bluish_green",
    "vermillion",
    "sky_blue",
    "reddish_purple",
    "yellow",
    "grey",
)
#: The palette colour for "not reported", "unknown" and "other". Light, because Okabe & Ito's
#: own grey (#999999) comes within 7 CIELAB units of reddish purple for deuteranopes
#: (tests/test_charts.py).
_MISSING = "grey"

if TYPE_CHECKING:  # served by __getattr__ below
    OKABE_ITO: dict[str, str]
    """Okabe & Ito's eight colours by name, in the order its authors give."""
    MISSING_COLOUR: str
    """Grey for "not reported", "unknown" and "other"."""
    PALETTE: list[str]
    """The categorical palette, in the order categories take it."""
    FATE_COLOURS: dict[str, str]
    """One colour per fate code of ``codes.fate_categories()``."""
    HAZARD_COLOURS: dict[bool, str]
    """Hazardous (True) and non-hazardous (False) waste."""
    HIERARCHY_COLOURS: dict[str, str]
    """The levels of the waste hierarchy (Directive 2008/98/EC, Art. 4), best first, plus
    ``not_reported`` for streams without an R/D operation."""


def _codes() -> Any:
    from .data import codes

    return codes


def _okabe_ito() -> dict[str, str]:
    table = _codes().palette()
    table = table[table["okabe_ito"]]
    return dict(zip(table["name"], table["colour"], strict=True))


def _missing_colour() -> str:
    return _codes().colours("palette")[_MISSING]


def _palette() -> list[str]:
    by_name = _codes().colours("palette")
    return [by_name[name] for name in _CATEGORY_ORDER]


_FROM_CODE_TABLES: dict[str, Any] = {
    "OKABE_ITO": _okabe_ito,
    "MISSING_COLOUR": _missing_colour,
    "PALETTE": _palette,
    "FATE_COLOURS": lambda: _codes().colours("fate"),
    "HAZARD_COLOURS": lambda: _codes().colours("hazardous"),
    "HIERARCHY_COLOURS": lambda: _codes().colours("hierarchy_level"),
}


def __getattr__(name: str) -> Any:
    """The colour names (``PALETTE``, ``FATE_COLOURS``...), read from the code tables on every
    use: they are views of the one definition, never copies kept here."""
    if name in _FROM_CODE_TABLES:
        return _FROM_CODE_TABLES[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_CODE_TABLES})


#: The foot of every chart (marked here, translated where shown).
SOURCE_TEXT = N_("Source: the study's enterprise survey")
SYNTHETIC_TEXT = N_("Synthetic demonstration data: describes no real enterprise.")


#: Settings added to seaborn's "whitegrid" style and "paper" context.
_RC: dict[str, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.figsize": (7.5, 4.5),
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    # Reproducible SVG/PDF output: no random ids, no timestamp.
    "svg.hashsalt": "iwm",
    "svg.fonttype": "none",
}
#: The paper context scaled up so that a 7.5-inch-wide chart printed at A4 text width
#: (about 6.3 inches) keeps its labels near 9-10 pt.
_FONT_SCALE = 1.2


#: seaborn's "whitegrid" style and "paper" context at the font scale above, as
#: ``sns.axes_style`` and ``sns.plotting_context`` give them, frozen here: importing seaborn
#: costs 1-3 s (it loads scipy.stats) and a chart needs only these values.
#: tests/test_charts.py checks that they still equal seaborn's. Left out: "image.cmap"
#: ('rocket', a colour map that exists only once seaborn is imported).
_SEABORN_RC: dict[str, Any] = {
    "figure.facecolor": "white",
    "axes.labelcolor": ".15",
    "xtick.direction": "out",
    "ytick.direction": "out",
    "xtick.color": ".15",
    "ytick.color": ".15",
    "axes.axisbelow": True,
    "grid.linestyle": "-",
    "text.color": ".15",
    "font.family": ["sans-serif"],
    "font.sans-serif": [
        "Arial",
        "DejaVu Sans",
        "Liberation Sans",
        "Bitstream Vera Sans",
        "sans-serif",
    ],
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "xtick.top": False,
    "ytick.right": False,
    "axes.grid": True,
    "axes.facecolor": "white",
    "axes.edgecolor": ".8",
    "grid.color": ".8",
    "axes.spines.left": True,
    "axes.spines.bottom": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "xtick.bottom": False,
    "ytick.left": False,
    "axes.linewidth": 1.0,
    "grid.linewidth": 0.8,
    "lines.linewidth": 1.2,
    "lines.markersize": 4.8,
    "patch.linewidth": 0.8,
    "xtick.major.width": 1.0,
    "ytick.major.width": 1.0,
    "xtick.minor.width": 0.8,
    "ytick.minor.width": 0.8,
    "xtick.major.size": 4.8,
    "ytick.major.size": 4.8,
    "xtick.minor.size": 3.2,
    "ytick.minor.size": 3.2,
    "font.size": 11.52,
    "axes.labelsize": 11.52,
    "axes.titlesize": 11.52,
    "xtick.labelsize": 10.56,
    "ytick.labelsize": 10.56,
    "legend.fontsize": 10.56,
    "legend.title_fontsize": 11.52,
}


def theme_rc(context: str = "paper", font_scale: float = _FONT_SCALE) -> dict[str, Any]:
    """The matplotlib settings of the toolkit's theme (seaborn style, context and palette)."""
    from cycler import cycler

    rc: dict[str, Any] = {}
    if (context, font_scale) == ("paper", _FONT_SCALE):
        rc.update(_SEABORN_RC)
    else:
        import seaborn as sns

        rc.update(sns.axes_style("whitegrid"))
        rc.update(sns.plotting_context(context, font_scale=font_scale))
        rc.pop("image.cmap", None)
    rc["axes.prop_cycle"] = cycler(color=_palette())
    rc.update(_RC)
    return rc


def set_theme(context: str = "paper", font_scale: float = _FONT_SCALE) -> None:
    """Apply the toolkit's seaborn theme to every later chart: white grid, the Okabe-Ito
    palette, fonts readable at print size. The chart functions below apply it themselves."""
    import seaborn as sns

    sns.set_theme(
        context=context, style="whitegrid", palette=_palette(), font_scale=font_scale, rc=_RC
    )


def source_note(
    ax_or_fig: matplotlib.axes.Axes | matplotlib.figure.Figure | Any,
    synthetic: bool,
    source: str = SOURCE_TEXT,
) -> Any:
    """Write the data source (and, for synthetic data, a warning) at the foot of a chart,
    in the current language, wrapped to the figure's width; a chart of this module keeps
    room for every line of it below its axes.

    Returns the matplotlib Text written (its text is what a test can read back).
    """
    figure = ax_or_fig if hasattr(ax_or_fig, "savefig") else ax_or_fig.figure
    text = _(source) + (".\n" + _(SYNTHETIC_TEXT) if synthetic else ".")
    note = figure.text(
        0.01, 0.005, text, ha="left", va="bottom", fontsize="x-small", color="#444444"
    )
    size = note.get_fontsize()
    note.set_text(wrap(text, 0.97 * figure.get_figwidth() * 72, size))
    if getattr(figure, "_iwm_foot", False):
        lines = note.get_text().count("\n") + 1
        foot = (0.12 + lines * 1.3 * size / 72) / figure.get_figheight()
        figure.get_layout_engine().set(rect=(0.0, foot, 1.0, 1.0 - foot))
    return note


# --------------------------------------------------------------------------------------------
# the standard charts: each returns a matplotlib Figure made without pyplot (no global figure
# list to leak; a notebook shows it by displaying it). Texts are in the current language and
# wrapped to their room; a legend sits between the title and the axes, never over either.

TONNES_LABEL = N_("Waste generated (t/yr)")


@contextmanager
def _themed() -> Iterator[None]:
    import matplotlib as mpl

    with mpl.rc_context(theme_rc()):
        yield


def _points(size: str | float) -> float:
    """A font size ('x-small', 10.5...) in points under the theme."""
    from matplotlib.font_manager import FontProperties

    with _themed():
        return float(FontProperties(size=size).get_size_in_points())


def _title(fig: Any, text: str) -> None:
    """The chart's title, at the figure's left edge (an axes title would be cut by long
    category labels), wrapped to the figure's width."""
    size = _points("large")
    text = wrap(text, (fig.get_figwidth() - 0.2) * 72, size, "bold")
    fig.suptitle(text, x=0.01, ha="left", fontweight="bold", fontsize=size)


def _label(ax: Any, axis: str, text: str, room_in: float) -> None:
    """An axis label in the current language, wrapped to ``room_in`` inches."""
    size = _points(ax.xaxis.label.get_fontsize())
    shown = wrap(_(text), room_in * 72, size)
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(shown)


def _legend_above(fig: Any, ax: Any, handles: list[Any]) -> Any:
    """The legend in one row between the title and the axes, right-aligned to the axes (a
    column when the row would not fit the figure). Its handles are the marks themselves (bar
    containers, lines), so each entry shows a mark's own colour and hatch."""
    size = _points("small")
    room = 0.95 * fig.get_figwidth() * 72
    labels = [wrap(h.get_label(), room - 3 * size, size) for h in handles]
    row = sum(text_width(max(t.split("\n"), key=len), size) for t in labels)
    row += len(labels) * 2.8 * size + (len(labels) - 1) * 2.0 * size
    return ax.legend(
        handles=handles,
        labels=labels,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.02),
        ncols=len(handles) if row <= room else 1,
        borderaxespad=0.0,
        fontsize=size,
    )


def _figure(kind: str, height: float, width: float = 7.5) -> tuple[Any, Any]:
    """A chart's figure and axes, marked as ``kind`` (its format: ``chart_output.EXPORTS``)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    fig._iwm_foot = True  # source_note keeps room for its lines below the axes
    foot = 0.42 / height
    fig.get_layout_engine().set(rect=(0.0, foot, 1.0, 1.0 - foot))
    set_kind(fig, kind)
    return fig, fig.add_subplot()


def _short(text: Any, limit: int = 45) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


def _lines(text: Any, room_in: float, most: int) -> str:
    """A category label wrapped to ``room_in`` inches in at most ``most`` lines, the last
    cut with an ellipsis when it is longer (charts with room for two-line labels)."""
    import matplotlib as mpl

    size = _points(mpl.rcParams["ytick.labelsize"])
    lines = wrap(str(text), room_in * 72, size).split("\n")
    if len(lines) > most:
        lines = [*lines[: most - 1], _short(" ".join(lines[most - 1 :]), len(lines[most - 1]))]
    return "\n".join(lines)


def _thousands(ax: Any, axis: str = "x") -> None:
    """Tick labels with the locale's thousands separators, few enough not to overlap."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(float(v), 0)))


def _top(frame: pd.DataFrame, value: str, label: str, top_n: int | None) -> pd.DataFrame:
    """The ``top_n`` largest rows, the rest summed into one 'Other (n)' row."""
    import pandas as pd

    frame = frame.sort_values(value, ascending=False, kind="mergesort")
    if not top_n or len(frame) <= top_n:
        return frame
    head, rest = frame.iloc[:top_n], frame.iloc[top_n:]
    other = {c: None for c in frame.columns}
    other.update({label: _("Other ({n})").format(n=len(rest)), value: rest[value].sum()})
    return pd.concat([head, pd.DataFrame([other])], ignore_index=True)


def bar_chart(
    frame: pd.DataFrame,
    title: str,
    label: str = "label",
    value: str = "waste_t",
    key: str | None = None,
    colours: Mapping[Any, str] | None = None,
    top_n: int | None = 12,
    xlabel: str = TONNES_LABEL,
    synthetic: bool = False,
    show_labels: bool = True,
    prefix_key: bool = False,
) -> matplotlib.figure.Figure:
    """Horizontal bars of one breakdown (``inventory.breakdown``), largest on top.

    ``colours`` maps the values of ``key`` to colours (e.g. ``FATE_COLOURS`` with
    ``key='fate'``); otherwise every bar takes the palette's first colour. Rows beyond
    ``top_n`` are summed into 'Other (n)'. ``prefix_key``: write the key before the label
    ('24 Manufacture of basic metals'). ``title`` is shown as given (the caller translates
    it); ``xlabel`` is translated here.
    """
    if prefix_key and key is not None:
        frame = frame.assign(**{label: frame[key].astype(str) + " " + frame[label].astype(str)})
    data = _top(frame, value, label, top_n)
    with _themed():
        fig, ax = _figure("bar", height=1.2 + 0.32 * max(len(data), 1))
        names = [_short(v) for v in data[label].fillna("")]
        if colours is not None and key is not None:
            missing = _missing_colour()
            bar_colours = [colours.get(k, missing) for k in data[key]]
        else:
            bar_colours = [_palette()[0]] * len(data)
        positions = list(range(len(data)))[::-1]
        ax.barh(positions, data[value].to_numpy(dtype=float), color=bar_colours)
        ax.set_yticks(positions, names)
        _label(ax, "x", xlabel, 4.5)
        ax.set_ylabel("")
        _title(fig, title)
        ax.grid(axis="y", visible=False)
        _thousands(ax)
        if show_labels:
            for pos, v in zip(positions, data[value], strict=True):
                ax.annotate(
                    " " + format_number(float(v), 0),
                    (v, pos),
                    va="center",
                    ha="left",
                    fontsize="x-small",
                    annotation_clip=False,
                )
            ax.margins(x=0.15)
        source_note(fig, synthetic)
    return fig


def stacked_bar_chart(
    table: pd.DataFrame,
    title: str,
    colours: Mapping[Any, str],
    names: Mapping[Any, str] | None = None,
    row_labels: Mapping[Any, str] | None = None,
    top_n: int | None = 12,
    xlabel: str = TONNES_LABEL,
    synthetic: bool = False,
) -> matplotlib.figure.Figure:
    """Horizontal stacked bars of a ``inventory.crosstab`` (rows: a breakdown, columns: the
    split, e.g. hazardous or not), largest row on top; the rest summed into 'Other (n)'. The
    legend names the split above the bars (``names``: the columns' labels)."""
    data = table
    if top_n and len(table) > top_n:
        data = table.iloc[:top_n].copy()
        data.loc[_("Other ({n})").format(n=len(table) - top_n)] = table.iloc[top_n:].sum()
    with _themed():
        fig, ax = _figure("stacked_bar", height=1.7 + 0.32 * max(len(data), 1))
        positions = list(range(len(data)))[::-1]
        left = [0.0] * len(data)
        missing = _missing_colour()
        stacks = []
        for col in data.columns:
            values = data[col].to_numpy(dtype=float)
            stacks.append(
                ax.barh(
                    positions,
                    values,
                    left=left,
                    color=colours.get(col, missing),
                    label=(names or {}).get(col, str(col)),
                )
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        labels = [(row_labels or {}).get(i, str(i)) for i in data.index]
        ax.set_yticks(positions, [_short(v) for v in labels])
        _label(ax, "x", xlabel, 4.5)
        _title(fig, title)
        ax.grid(axis="y", visible=False)
        _thousands(ax)
        _legend_above(fig, ax, stacks)
        source_note(fig, synthetic)
    return fig


def pareto_chart(
    totals: pd.DataFrame, share_pct: float = 80.0, title: str = "", synthetic: bool = False
) -> matplotlib.figure.Figure:
    """Waste per enterprise, ranked, with the cumulative share and the ``share_pct`` line
    (``totals``: ``inventory.enterprise_totals``)."""
    import numpy as np

    data = totals[totals["waste_t"] > 0]
    with _themed():
        fig, ax = _figure("pareto", height=4.5)
        ranks = data["rank"].to_numpy()
        palette = _palette()
        # One filled step per rank (1..n): hundreds of edged bars hid each other, drew slowly.
        edges = np.append(ranks - 0.5, ranks[-1] + 0.5) if len(ranks) else [0.0]
        ax.stairs(data["waste_t"].to_numpy(dtype=float), edges, fill=True, lw=0, color=palette[0])
        _label(ax, "x", N_("Enterprises ranked by waste generated (rank)"), 5.0)
        _label(ax, "y", TONNES_LABEL, 3.1)
        ax.grid(axis="x", visible=False)
        _thousands(ax, "y")
        ax2 = ax.twinx()
        ax2.plot(ranks, data["cumulative_pct"].to_numpy(dtype=float), color=palette[3], lw=2)
        _label(ax2, "y", N_("Cumulative share of the waste (%)"), 3.1)
        ax2.set_ylim(0, 105)
        ax2.grid(False)
        ax2.spines["right"].set_visible(True)
        ax2.axhline(share_pct, color="#444444", lw=0.8, ls="--")
        reached = np.nonzero(data["cumulative_pct"].to_numpy() >= share_pct - 1e-9)[0]
        if len(reached):
            n = int(ranks[reached[0]])
            ax2.axvline(n, color="#444444", lw=0.8, ls=":")
            # beside the marker line, on the side with room (inside the axes)
            right = n > 0.55 * float(ranks.max())
            text = ngettext(
                "{n} enterprise makes {share} %", "{n} enterprises make {share} %", n
            ).format(n=format_number(n), share=format_number(share_pct, 0))
            ax2.annotate(
                text,
                (n, share_pct),
                xytext=(-6 if right else 6, -14),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize="small",
            )
        _title(fig, title or _("Concentration of waste generation (Pareto)"))
        source_note(fig, synthetic)
    return fig


def fate_comparison_chart(
    fates: pd.DataFrame, region: str = "", title: str = "", synthetic: bool = False
) -> matplotlib.figure.Figure:
    """The region's shares of the five fate categories of the State Statistical Committee
    (solid bars) beside Azerbaijan's 2022 shares (hatched), ``fates``: ``inventory.fate_table``.

    Two colours, one per series, so the legend's two swatches are the bars' own; the
    categories are named on the axis."""
    data = fates[fates["ssc_category"]]
    with _themed():
        fig, ax = _figure("fate_comparison", height=4.2)
        n = len(data)
        positions = [float(p) for p in range(n)][::-1]
        colour, national = _palette()[0], "#555555"
        own = ax.barh(
            [p + 0.2 for p in positions],
            data["share_ssc_pct"].fillna(0).to_numpy(dtype=float),
            height=0.4,
            color=colour,
            label=region or _("Region"),
        )
        nation = ax.barh(
            [p - 0.2 for p in positions],
            data["national_share_2022_pct"].fillna(0).to_numpy(dtype=float),
            height=0.4,
            color="white",
            edgecolor=national,
            hatch="///",
            linewidth=1.0,
            label=_("Azerbaijan 2022 (State Statistical Committee)"),
        )
        ax.set_yticks(positions, [_lines(v, 2.4, 2) for v in data["label"]])
        _label(ax, "x", N_("Share of waste in the five SSC fate categories (%)"), 4.5)
        _title(fig, title or _("Where the waste goes: region and Azerbaijan (2022)"))
        ax.grid(axis="y", visible=False)
        _legend_above(fig, ax, [own, nation])
        source_note(
            fig,
            synthetic,
            source=_("{source}; national shares: State Statistical Committee, 2022").format(
                source=_(SOURCE_TEXT)
            ),
        )
    return fig


def hierarchy_chart(
    hierarchy: pd.DataFrame, title: str = "", synthetic: bool = False
) -> matplotlib.figure.Figure:
    """Shares of the waste by level of the waste hierarchy (``inventory.hierarchy_table``)."""
    from matplotlib.ticker import FuncFormatter

    level_colours, missing = _codes().colours("hierarchy_level"), _missing_colour()
    with _themed():
        fig, ax = _figure("hierarchy", height=2.9)
        positions = list(range(len(hierarchy)))[::-1]
        shares = hierarchy["share_pct"].fillna(0).to_numpy(dtype=float)
        ax.barh(
            positions,
            shares,
            color=[level_colours.get(k, missing) for k in hierarchy["level"]],
        )
        for pos, v in zip(positions, shares, strict=True):
            shown = _("{share} %").format(share=format_number(float(v), 1))
            ax.annotate(" " + shown, (v, pos), va="center", fontsize="small")
        ax.set_yticks(positions, [_short(v) for v in hierarchy["label"]])
        _label(ax, "x", N_("Share of waste generated (%)"), 4.5)
        ax.set_xlim(0, 110)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(float(v), 0)))
        _title(fig, title or _("Waste hierarchy level of the reported R/D operation"))
        ax.grid(axis="y", visible=False)
        source_note(fig, synthetic)
    return fig
