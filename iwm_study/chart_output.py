"""How a chart goes into a report: texts that fit their room, and the image format per chart.

A chart's texts are measured in the theme's font (``text_width``) and broken between words to
fit (``wrap``): a translation is often longer than the English. A figure carries its choice of
resolution and colours (``Export``, set by the function that drew it); ``png`` and ``show``
write it that way, the same bytes on every run.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = [
    "DEFAULT_EXPORT",
    "FLAT_CHART",
    "Export",
    "export_of",
    "png",
    "set_export",
    "show",
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


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of one line of ``text`` at ``size`` points in the theme's font."""
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
    """How a figure is written into a report: a PNG at ``dpi``, reduced to a palette of
    ``colours`` colours (None: full colour, for maps and pictures)."""

    dpi: int = 110
    colours: int | None = None


#: Charts of flat colours, lines and text. 110 dpi is 825 px for the 7.5-inch width: labels
#: stay sharp on a laptop screen and at A4 text width (about 130 dpi in print). Their few
#: colours and the anti-aliased edges fit a palette of 64: about a third of the bytes of full
#: colour, and the same look (tests/test_chart_layout.py).
FLAT_CHART = Export(dpi=110, colours=64)
#: What a figure made elsewhere (a map) gets: full colour at 110 dpi, as before.
DEFAULT_EXPORT = Export()
_EXPORT_ATTR = "_iwm_export"


def set_export(fig: matplotlib.figure.Figure, export: Export) -> matplotlib.figure.Figure:
    """Choose how ``fig`` is written into a report (``show``, ``png``); returns it."""
    setattr(fig, _EXPORT_ATTR, export)
    return fig


def export_of(fig: matplotlib.figure.Figure) -> Export:
    """How ``fig`` is written into a report (``DEFAULT_EXPORT`` unless chosen)."""
    return getattr(fig, _EXPORT_ATTR, DEFAULT_EXPORT)


def png(fig: matplotlib.figure.Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes at the resolution and colours chosen for it (``export_of``;
    ``dpi`` overrides), without metadata naming a software version: the same bytes on
    every run."""
    import io

    choice = export_of(fig)
    dpi = dpi or choice.dpi
    buffer = io.BytesIO()
    if choice.colours is None:
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()
    from PIL import Image

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


def show(fig: matplotlib.figure.Figure, dpi: int | None = None) -> Any:
    """An object a notebook displays as the figure (a PNG image embedded in the report).

    The charts here are made without pyplot, which IPython would not display by itself.
    """
    from IPython.display import Image

    return Image(data=png(fig, dpi), format="png")
