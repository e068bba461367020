"""How a chart goes into a report: texts that fit their room, and the image format per chart.

A chart's texts are measured in the theme's font (``text_width``) and broken between words to
fit (``wrap``): a translation is often longer than the English. Each kind of chart has its
format here, chosen for what it shows (``EXPORTS``): few marks and text as SVG, crisp at any
zoom and in print; many marks or blended colours as a PNG. The function that draws a figure
names its kind (``set_kind``); ``show``, ``png`` and ``svg`` write it so, the same bytes on
every run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = [
    "DEFAULT_EXPORT",
    "EXPORTS",
    "FLAT_CHART",
    "VECTOR_CHART",
    "Export",
    "SVGImage",
    "export_of",
    "png",
    "set_export",
    "set_kind",
    "show",
    "svg",
    "text_width",
    "wrap",
]

# --------------------------------------------------------------------------------------------
# texts that fit their room, measured in the theme's font (a translation may be longer)


@functools.cache
def _measure(size: float, weight: str) -> tuple[Any, Any]:
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from .charts import theme_rc

    with mpl.rc_context(theme_rc()):
        prop = FontProperties(size=size, weight=weight)
    return RendererAgg(1, 1, 72), prop


@functools.lru_cache(maxsize=8192)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of one line of ``text`` at ``size`` points in the theme's font
    (remembered: laying out a line in matplotlib's text engine takes about a millisecond, and
    charts of one study measure the same labels again and again)."""
    renderer, prop = _measure(float(size), weight)
    width, _height, _descent = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def wrap(text: str, width_pt: float, size: float, weight: str = "normal") -> str:
    """``text`` broken between words into lines no wider than ``width_pt`` (a single word
    wider than that keeps its own line); line breaks already in it are kept."""
    lines = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, weight) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# how a chart goes into a report


@dataclass(frozen=True)
class Export:
    """How a figure is written into a report: ``format`` "png" (``dpi`` pixels per inch,
    reduced to a palette of ``colours`` colours; None: full colour, for maps and pictures) or
    "svg" (vector, shown ``dpi`` px per inch: the size on the page of a PNG at that dpi;
    ``colours`` is then the palette of the PNG that ``png`` still makes of it)."""

    dpi: int = 110
    colours: int | None = None
    format: str = "png"


#: Charts of few marks and text (bars capped at a dozen rows, a hatch, labels). As SVG the
#: texts stay text: sharp at any zoom and printed as text in the PDF, and drawing skips
#: rasterising the glyphs. On the demo study: 23-34 % less time than their palette PNG and
#: 0-32 % fewer bytes (texts as glyph outlines instead: 4-5 times the bytes, no faster).
#: Shown 825 px wide for the 7.5-inch figure, as the PNG was.
VECTOR_CHART = Export(dpi=110, colours=64, format="svg")
#: Charts of flat colours with marks that grow with the data (a bar per enterprise): as SVG
#: they grow to hundreds of kB, as a PNG they stay small. 110 dpi is 825 px for the 7.5-inch
#: width: labels stay sharp on a laptop screen and at A4 text width (about 130 dpi in print).
#: Their few colours and the anti-aliased edges fit a palette of 64: about a third of the
#: bytes of full colour, and the same look (tests/test_chart_layout.py).
FLAT_CHART = Export(dpi=110, colours=64)
#: What a figure made elsewhere (a map) gets: full colour at 110 dpi (the map's print image
#: asks for 120, maps.page.PRINT_DPI).
DEFAULT_EXPORT = Export()
#: The format of each kind of chart (the ``kind`` its drawing function gives ``set_kind``),
#: chosen by what it shows and by the time and bytes of the demo study's charts in each
#: format; tests/test_figure_formats.py holds them to it.
EXPORTS: dict[str, Export] = {
    "bar": VECTOR_CHART,  # charts.bar_chart
    "stacked_bar": VECTOR_CHART,  # charts.stacked_bar_chart
    "fate_comparison": VECTOR_CHART,  # charts.fate_comparison_chart: the hatch stays sharp
    "hierarchy": VECTOR_CHART,  # charts.hierarchy_chart
    "pareto": FLAT_CHART,  # charts.pareto_chart: a bar per enterprise (SVG: 3-10 times larger)
    # sankey_page.sankey_still: translucent ribbons that blend, a larger palette at 100 dpi,
    # the diagram's own px (as SVG: 0.7-1.2 MB of ribbons and haloed labels, 15-20 times).
    "sankey_still": Export(dpi=100, colours=128),
}
_EXPORT_ATTR = "_iwm_export"
#: Written into every SVG: ids derived from this salt, not random; texts kept as text.
_SVG_RC = {"svg.hashsalt": "iwm", "svg.fonttype": "none"}


def set_export(fig: matplotlib.figure.Figure, export: Export) -> matplotlib.figure.Figure:
    """Choose how ``fig`` is written into a report (``show``, ``png``, ``svg``); returns it."""
    setattr(fig, _EXPORT_ATTR, export)
    return fig


def set_kind(fig: matplotlib.figure.Figure, kind: str) -> matplotlib.figure.Figure:
    """Mark ``fig`` as a chart of ``kind`` (a key of ``EXPORTS``), written in its format."""
    return set_export(fig, EXPORTS[kind])


def export_of(fig: matplotlib.figure.Figure) -> Export:
    """How ``fig`` is written into a report (``DEFAULT_EXPORT`` unless chosen)."""
    return getattr(fig, _EXPORT_ATTR, DEFAULT_EXPORT)


@contextmanager
def _theme_fonts() -> Iterator[None]:
    """The theme's fonts while a figure is drawn: the ones ``text_width`` measured with (a
    figure's texts name the generic family; its fonts are looked up when drawn)."""
    import matplotlib as mpl

    from .charts import theme_rc

    rc = theme_rc()
    with mpl.rc_context({key: rc[key] for key in ("font.family", "font.sans-serif")}):
        yield


def png(fig: matplotlib.figure.Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes at the resolution and colours chosen for it (``export_of``;
    ``dpi`` overrides), without metadata naming a software version: the same bytes on
    every run."""
    import io

    choice = export_of(fig)
    dpi = dpi or choice.dpi
    buffer = io.BytesIO()
    if choice.colours is None:
        with _theme_fonts():
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()
    from PIL import Image

    with _theme_fonts():
        fig.savefig(buffer, format="rgba", dpi=dpi)
    raw = buffer.getvalue()
    width = int(fig.get_figwidth() * dpi)  # as Agg sizes its canvas
    height = len(raw) // (4 * width)
    image = Image.frombuffer("RGBA", (width, height), raw, "raw", "RGBA", 0, 1).convert("RGB")
    image = image.quantize(
        colors=choice.colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    image.save(out, format="png")
    return out.getvalue()


def svg(fig: matplotlib.figure.Figure, dpi: int | None = None) -> bytes:
    """The figure as an SVG element (UTF-8), shown ``dpi`` px per inch (``export_of``; ``dpi``
    overrides): the same bytes on every run (ids from a fixed salt, no date, no software
    version). Its texts are text in the theme's fonts, the first of them the reader has."""
    import io

    import matplotlib as mpl

    dpi = dpi or export_of(fig).dpi
    buffer = io.BytesIO()
    with _theme_fonts(), mpl.rc_context(_SVG_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue().decode("utf-8")
    text = text[text.index("<svg") :]  # no XML declaration nor DOCTYPE: fit to be inlined
    width, height = fig.get_figwidth() * dpi, fig.get_figheight() * dpi
    head, rest = text.split(">", 1)
    head = re.sub(r' width="[^"]*" height="[^"]*"', f' width="{width:g}" height="{height:g}"', head)
    return (head + ">" + rest).encode("utf-8")


class SVGImage:
    """What a notebook displays for an SVG figure (``image/svg+xml``): its bytes as ``svg``
    wrote them (IPython's ``SVG`` would parse and rewrite them)."""

    format = "svg"

    def __init__(self, data: bytes) -> None:
        self.data = data

    def _repr_svg_(self) -> str:
        return self.data.decode("utf-8")

    def __repr__(self) -> str:
        return "<SVG figure>"


def show(fig: matplotlib.figure.Figure, dpi: int | None = None) -> Any:
    """An object a notebook displays as the figure, in the format chosen for it: an SVG
    (``SVGImage``) or a PNG (``IPython.display.Image``), embedded in the report.

    The charts here are made without pyplot, which IPython would not display by itself.
    """
    if export_of(fig).format == "svg":
        return SVGImage(svg(fig, dpi))
    from IPython.display import Image

    return Image(data=png(fig, dpi), format="png")
