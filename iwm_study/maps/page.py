"""The interactive map's page: one self-contained HTML document, offline, safe and reproducible.

Three promises, each kept by construction rather than by care at every call site:

* **Offline.** Leaflet's JavaScript and CSS are read at run time from the installed
  ``django-js-lib-leaflet`` package and inlined, with its images as data URIs
  (:func:`leaflet_assets`); so are the page's own script and style, the files
  ``assets/iwm_map.js`` and ``assets/iwm_map.css`` of this package. folium's default CDN links
  are switched off and no folium plugin is used (see :mod:`.interactive`). No tile layer is
  drawn by default (the boundaries make the map readable); an online tile layer is an opt-in
  extra, off at start.
* **Safe.** Text from the data (names, descriptions, codes) reaches the page only as JSON inside
  a script, with ``<``, ``>`` and ``&`` escaped (:func:`_script_json`, written by the elements
  :func:`_call` makes), and the page builds popups, tooltips and the legend with
  ``textContent`` (never ``innerHTML``). The few strings Leaflet itself writes as HTML (layer
  names, attributions) are escaped in Python.
* **Reproducible.** folium gives every element a random id; :class:`WasteMap` numbers them in
  tree order when it renders, so two runs write the same bytes.

:meth:`WasteMap.add_layer` puts a layer of one's own on the map, keeping the three.

In a report the map comes with its print twin: the interactive map inside
``<div class="iwm-screen-only">`` and, inside ``<div class="iwm-print-only">``, a PNG of the
same map drawn by :func:`.static.static_map` (layers added with :meth:`WasteMap.add_layer` drawn
too), so a printed page or a PDF shows a map rather than an empty frame.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..data import codes
from ..data.schema import FACILITY_TYPES
from ..i18n import _
from .classes import OUTSIDE_COLOUR

#: The print twin's resolution: a 10 x 7.5 in map at 120 dpi is 1200 x 900 px, sharp at A4 text
#: width (about 190 dpi there) and about 0.2 MB.
PRINT_DPI = 120
#: Which of the two shows: the report template's print style does the same; this copy keeps a
#: notebook or a page opened without the template right.
_SCREEN_PRINT_CSS = (
    "<style>.iwm-print-only{display:none}"
    "@media print{.iwm-print-only{display:block}.iwm-screen-only{display:none}}</style>"
)

LEAFLET_PACKAGE = "js_lib_leaflet"  # installed by the PyPI package django-js-lib-leaflet
_LEAFLET_DIR = ("static", "js_lib_leaflet")


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed package, ready to inline: the CSS's
    images become data URIs and the source-map comment goes (the page is one file)."""
    root = resources.files(LEAFLET_PACKAGE).joinpath(*_LEAFLET_DIR)
    js = root.joinpath("leaflet.js").read_text(encoding="utf-8")
    css = root.joinpath("leaflet.css").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", js)

    def inline(match: re.Match[str]) -> str:
        data = root.joinpath("images", match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", inline, css)
    for text in (js, css):
        if "</script" in text.lower() or "</style" in text.lower():  # would end the inline block
            raise ValueError("the installed Leaflet assets cannot be inlined safely")
    return js, css


# The page's own script and style: files of this package (pyproject.toml's package-data puts
# them in the wheel), inlined in every page as they are. The style names the colour outside the
# country as a CSS variable, which is replaced by OUTSIDE_COLOUR (the static map's too).
_ASSETS = ("assets", "iwm_map.js", "iwm_map.css")
_OUTSIDE_PLACEHOLDER = "var(--iwm-outside)"


@cache
def _own_assets() -> tuple[str, str]:
    """The page's own script and style, read from the package's ``assets/`` folder."""
    folder, script, style = _ASSETS
    root = resources.files(__package__).joinpath(folder)
    js = root.joinpath(script).read_text(encoding="utf-8")
    css = root.joinpath(style).read_text(encoding="utf-8")
    for text in (js, css):
        if "</script" in text.lower() or "</style" in text.lower():  # would end the inline block
            raise ValueError(f"the map's assets ({script}, {style}) cannot be inlined safely")
    return js, css.replace(_OUTSIDE_PLACEHOLDER, OUTSIDE_COLOUR)


def _facility_css() -> str:
    """The colour of each facility type (the code table ``facility_types.csv``) as a class."""
    colours = codes.colours("facility_type")
    return "\n".join(
        f".iwm-ft-{i} {{ background: {colours[t]}; }}" for i, t in enumerate(FACILITY_TYPES)
    )


def _assets_html() -> str:
    js, css = leaflet_assets()
    own_js, own_css = _own_assets()
    return (
        f"<style>{css}</style>\n<style>\n{own_css}{_facility_css()}</style>\n"
        f"<script>{js}</script>\n<script>\n{own_js}</script>"
    )


def _script_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``<``, ``>`` or ``&`` survive, so no
    text from the data can close the script or open a tag."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


@contextmanager
def _sequential_ids() -> Iterator[None]:
    """While rendering, elements folium creates get counter ids instead of random ones.

    branca draws ids in ``Element._generate_id``; it is swapped for a counter only for the
    duration of one render (one thread: a notebook kernel or a script) and always restored."""
    from branca.element import Element

    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"r{next(counter)}")  # type: ignore[method-assign]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def _renumber(root: Any) -> None:
    """Give ``root`` and every element below it ids in tree order (1, 2, ...), keeping the
    children's order and any explicit names they were added under."""
    counter = itertools.count(1)

    def walk(element: Any) -> None:
        items = list(element._children.items())
        renamed = OrderedDict()
        for key, child in items:
            old = child.get_name()
            child._id = str(next(counter))
            renamed[child.get_name() if key == old else key] = child
        element._children = renamed
        for child in renamed.values():
            walk(child)

    root._id = "0"
    walk(root)


def _call(function: str, payload: Any = None, refs: Sequence[Any] = ()) -> Any:
    """An element whose script calls ``iwm.<function>(map, parent, payload)`` (or, with
    ``refs``, ``iwm.<function>(map, [refs])``), names resolved at render time."""
    from branca.element import MacroElement
    from folium import Map
    from folium.template import Template

    class _Call(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}\n"
            "iwm.{{ this.function }}({{ this.arguments() }});\n"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "iwm_call"
            self.function = function

        def arguments(self) -> str:
            parent = self._parent
            map_ = parent
            while not isinstance(map_, Map):
                map_ = map_._parent
            if refs:
                return f"{map_.get_name()}, [{', '.join(r.get_name() for r in refs)}]"
            args = [map_.get_name()]
            if parent is not map_:
                args.append(parent.get_name())
            args.append(_script_json(payload))
            return ", ".join(args)

    return _Call()


class WasteMap:
    """A folium map that renders the same bytes every time, with everything inlined.

    In a notebook it shows as an ``<iframe srcdoc>`` holding the whole page (Leaflet included),
    which nbconvert carries into the report (it re-quotes the attribute; the page inside stays
    the same). ``folium_map`` is the folium object; a layer of one's own goes on the map with
    :meth:`add_layer`, which puts it where the layer control lists it.
    """

    def __init__(
        self,
        folium_map: Any,
        title: str,
        height_px: int = 700,
        *,
        static: Callable[..., Any] | None = None,
    ) -> None:
        self.folium_map = folium_map
        self.title = title
        self.height_px = height_px
        # draws the same map with matplotlib: static(extra_layers=[(name, geojson), ...])
        self._static = static
        self._added: list[tuple[Any, str]] = []

    def add_layer(self, layer: Any, name: str) -> Any:
        """Add ``layer`` as an overlay the reader can switch on and off, and return it.

        ``layer`` is a folium layer not yet on a map (``folium.GeoJson``,
        ``folium.FeatureGroup``...; whether it shows at start is its own ``show``). ``name`` is
        its name in the layer control, as plain text: it is HTML-escaped here, since Leaflet
        writes layer names as HTML. The layer goes after the layers already on the map and
        before the layer control, whose script must come after every layer it lists: layers
        added this way are listed after the map's own, in the order they were added. Their
        elements are numbered with the rest when the map renders (the same bytes every run).
        Text the layer shows itself (tooltips, popups) is the caller's to escape.
        """
        from folium import LayerControl
        from folium.map import Layer

        if not isinstance(layer, Layer):
            raise TypeError(f"a folium layer is needed, not {type(layer).__name__}")
        if layer._parent is not None:
            raise ValueError("the layer is on a map already")
        layer.layer_name = html.escape(name)
        children = list(self.folium_map._children.values())
        at = next((i for i, c in enumerate(children) if isinstance(c, LayerControl)), None)
        self.folium_map.add_child(layer, index=at)
        self._added.append((layer, name))
        return layer

    def static_figure(self) -> Any:
        """The map as its print twin draws it (a matplotlib Figure), with the GeoJSON layers
        added by :meth:`add_layer` that show at start; None for a map without a twin."""
        from folium import GeoJson

        if self._static is None:
            return None
        extra = [
            (name, layer.data)
            for layer, name in self._added
            if isinstance(layer, GeoJson) and getattr(layer, "show", True)
        ]
        return self._static(extra_layers=extra)

    def print_image(self) -> bytes | None:
        """The print twin as PNG bytes (``PRINT_DPI``), the same bytes on every run."""
        from ..charts import png

        fig = self.static_figure()
        return None if fig is None else png(fig, dpi=PRINT_DPI)

    def to_html(self) -> str:
        """The map as one self-contained HTML document."""
        from branca.element import Element, Figure

        with _sequential_ids():
            figure = Figure(title=html.escape(self.title))
            figure.header.add_child(Element(_assets_html()), name="iwm_assets")
            figure.add_child(self.folium_map, name="map")
            _renumber(self.folium_map)
            return figure.render()

    def save(self, path: str | Path) -> Path:
        """Write the document to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # The page goes into a double-quoted attribute, every quote escaped, as an HTML
        # serializer writes it: a check that reads the report as text finds the links of the
        # map's page escaped (&quot;), not as attributes of the report.
        page = html.escape(self.to_html(), quote=True)
        frame = (
            f'<iframe class="iwm-map-frame" title="{html.escape(self.title)}" '
            f'style="width:100%;height:{int(self.height_px)}px;border:1px solid #bbb;" '
            f'srcdoc="{page}"></iframe>'
        )
        image = self.print_image()
        if image is None:
            return frame
        alt = _("{title} (the interactive map as a printed image)").format(title=self.title)
        data = base64.b64encode(image).decode("ascii")
        return (
            f'<div class="iwm-map">{_SCREEN_PRINT_CSS}'
            f'<div class="iwm-screen-only">{frame}</div>'
            f'<div class="iwm-print-only"><img class="iwm-map-print" alt="{html.escape(alt)}" '
            f'style="width:100%;height:auto;" src="data:image/png;base64,{data}"></div></div>'
        )

    def __repr__(self) -> str:
        return f"WasteMap({self.title!r})"
