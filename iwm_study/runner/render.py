"""Render an executed notebook to HTML with nbconvert: a reviewer's report and a trainer's.

Both use the toolkit's ``iwm`` template (JupyterLab's layout, nothing loaded from a network, a
header and a provenance footer). The reviewer's report hides code, except the cells a reader
must see to follow the page (a training exercise's answer cell and its worked solution); the
trainer's shows it all. Images are embedded by nbconvert as data URIs, so each page is one
self-contained file. ``report_title`` names a page the way the index names it.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from ..i18n import N_

TEMPLATE_NAME = "iwm"
#: Cells with these tags are left out of the reviewer's report only / of both reports.
HIDE_IN_REVIEW = ("hide-in-report",)
REMOVE_ALWAYS = ("remove-cell",)
#: Code cells with these tags keep their code in the reviewer's report too: a training
#: exercise's answer cell (``answer = ...``) and its solution (trainer builds only; trainee
#: builds have none). Without them a page shows checks and no exercise to answer.
SHOW_IN_REVIEW = ("exercise", "solution")


def report_title(scope_title: str, notebook: str) -> str:
    """The heading of a report in the current language: 'Baku economic region: Waste
    inventory', or for a training build ('walkthrough.trainee') 'Training: Walkthrough, for
    trainees', as the index names it (``index.heading``)."""
    from .index import heading

    return f"{scope_title}: {heading(notebook)}"


def _templates_dir() -> str:
    return str(resources.files("iwm_study.runner") / "templates")


def _with_cells(nb: Any, change: Any) -> Any:
    """A copy of ``nb`` with each cell replaced by ``change(cell)`` (the cell itself or a changed
    copy). The copy shares what it does not change, outputs included: nbconvert copies the whole
    notebook before rendering it, so a deep copy here would only copy megabytes twice."""
    from nbformat import NotebookNode

    copied = NotebookNode(nb)
    copied["cells"] = [change(cell) for cell in nb.cells]
    return copied


def _hide_code(nb: Any) -> Any:
    """A copy of ``nb`` whose code cells keep their code only when tagged ``SHOW_IN_REVIEW``."""
    from nbformat import NotebookNode

    def hidden(cell: Any) -> Any:
        metadata = cell.get("metadata", {})
        if cell.get("cell_type") != "code" or not set(SHOW_IN_REVIEW).isdisjoint(
            metadata.get("tags", [])
        ):
            return cell
        transient = NotebookNode({"remove_source": True})
        return NotebookNode(
            {**cell, "metadata": NotebookNode({**metadata, "transient": transient})}
        )

    return _with_cells(nb, hidden)


#: What nbconvert's HTML exporter does to its page last, done here on the string: the cells'
#: input and output areas take the keyboard focus, and an image without a text alternative gets
#: one. nbconvert does it by parsing the whole page with BeautifulSoup's pure-Python parser and
#: writing it out again: about a third of the time of rendering a report, for two attributes.
#: Scripts, styles and comments are passed over whole, as a parser would; a tag's attributes
#: are read with their quoted values, so a ">" inside a value does not end the tag.
_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)"
_ATTRIBUTE = re.compile(rf"([^\s\"'>/=]+)(?:\s*=\s*{_VALUE})?")
_TAGS = re.compile(
    r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->"
    rf"|<(?P<name>div|img)(?P<attrs>(?:\s+[^\s\"'>/=]+(?:\s*=\s*{_VALUE})?)*)\s*(?P<end>/?)>",
    re.IGNORECASE | re.DOTALL,
)
_FOCUS_CLASSES = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
_CLASS = re.compile(rf"\sclass\s*=\s*({_VALUE})", re.IGNORECASE)
#: nbconvert's text for an image without one, in the report's language.
NO_ALT = N_("No description has been provided for this image")


def focusable(page: str) -> str:
    """``page`` with ``tabindex="0"`` on each cell's input and output area and a text alternative
    on each image without one (what nbconvert's HTML exporter adds after rendering)."""
    from ..i18n import _

    alt = html.escape(_(NO_ALT), quote=True)

    def tag(match: re.Match[str]) -> str:
        name = (match["name"] or "").lower()
        if not name:  # a script, a style or a comment
            return match[0]
        attrs = match["attrs"]
        names = {a.lower() for a in _ATTRIBUTE.findall(attrs)}
        if name == "img" and "alt" not in names:
            attrs = f' alt="{alt}"{attrs}'
        elif name == "div" and "tabindex" not in names:
            found = _CLASS.search(attrs)
            classes = set(found[1].strip("\"'").split()) if found else set()
            if classes & _FOCUS_CLASSES:
                attrs = f'{attrs} tabindex="0"'
        return f"<{match['name']}{attrs}{match['end']}>"

    return _TAGS.sub(tag, page)


#: The exporters made in this process, one per kind of report: made once, they keep their
#: compiled templates (a third of a report's rendering time when made for each report). One
#: thread renders at a time (``_RENDERING``): an exporter is not made to be shared, and
#: rendering is pure Python, so two threads would not render faster anyway.
_EXPORTERS: dict[bool, Any] = {}
_RENDERING = threading.RLock()


def _exporter(show_code: bool, language: str = "en") -> Any:
    """The exporter of a reviewer's (``show_code`` false) or a trainer's report, made once per
    process, set to write in ``language`` (the page's ``lang``; the texts follow
    ``i18n.using``). Hold ``_RENDERING`` while using it."""
    if show_code not in _EXPORTERS:
        _EXPORTERS[show_code] = _new_exporter(show_code)
    exporter = _EXPORTERS[show_code]
    exporter.language_code = language
    return exporter


# A study's reports show the same code and prose many times (a notebook per region, and the
# trainer's page repeats the reviewer's), and a worker renders many of them: highlighting a cell
# with pygments and cleaning it with bleach are pure functions of the text, remembered here.
def _clean_html(element: str | bytes) -> str:
    """nbconvert's ``clean_html``, remembered for short texts (a chart's SVG is not repeated)."""
    from nbconvert.filters.strings import clean_html

    return _clean_short(element) if len(element) <= 16_384 else clean_html(element)


@functools.lru_cache(maxsize=4096)
def _clean_short(element: str | bytes) -> str:
    from nbconvert.filters.strings import clean_html

    return clean_html(element)


@functools.lru_cache(maxsize=4096)
def _highlighted(source: str, language: str, magics: str | None) -> str:
    from nbconvert.filters.highlight import Highlight2HTML

    return Highlight2HTML(pygments_lexer=language)(
        source, language, {"magics_language": magics} if magics else None
    )


def _highlight(lexer: str, source: str, language: str | None = None, metadata: Any = None) -> str:
    """nbconvert's ``highlight_code`` filter (the notebook's ``lexer`` unless ``language``)."""
    magics = (metadata or {}).get("magics_language")
    return _highlighted(source, language or lexer, magics)


def _new_exporter(show_code: bool) -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML exporter whose last step, a BeautifulSoup parse and rewrite of the
        page to add two attributes, is ``focusable`` on the string (same attributes)."""

        def default_filters(self) -> Any:
            for name, function in super().default_filters():
                yield name, (_clean_html if name == "clean_html" else function)

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # HTMLExporter.from_notebook_node's own set-up, then the template, then the attributes.
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None)) or "ipython3"
            highlight = self.filters.get("highlight_code", functools.partial(_highlight, lexer))
            resources = self._init_resources(resources)
            widgets = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", widgets)
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return focusable(page), resources

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_ALWAYS) | (
        set() if show_code else set(HIDE_IN_REVIEW)
    )
    exporter = ReportExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[_templates_dir()],
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    # The template's texts ({{ _("Provenance") }}) go through the same catalogs as the code's.
    from .. import i18n

    exporter.environment.add_extension("jinja2.ext.i18n")
    exporter.environment.install_gettext_callables(
        gettext=i18n._, ngettext=i18n.ngettext, newstyle=False
    )
    return exporter


def warm_renderer() -> None:
    """Make this process's exporters and compile their templates now (a worker does it while
    the pre-flight runs), by rendering an empty notebook as each kind of report."""
    import nbformat

    empty = nbformat.v4.new_notebook()
    for show_code in (False, True):
        render_html(empty, show_code, {})


def _translated(nb: Any) -> Any:
    """A copy of ``nb`` whose Markdown cells are in the current language, block by block."""
    from nbformat import NotebookNode

    from ..i18n import translate_markdown

    def translated(cell: Any) -> Any:
        if cell.get("cell_type") != "markdown":
            return cell
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        return NotebookNode({**cell, "source": translate_markdown(text)})

    return _with_cells(nb, translated)


def render_html(nb: Any, show_code: bool, context: dict[str, Any]) -> str:
    """The HTML page of an executed notebook (``nbformat.NotebookNode``), in the language of
    ``context['language']`` (the report's; English when not given)."""
    from ..i18n import SOURCE_LANGUAGE, using

    code = context.get("language") or SOURCE_LANGUAGE
    with _RENDERING, using(code):
        exporter = _exporter(show_code, code)
        nb = _translated(nb) if code != SOURCE_LANGUAGE else nb
        body, _resources = exporter.from_notebook_node(
            nb if show_code else _hide_code(nb),
            resources={
                "iwm": context,
                "metadata": {"name": context.get("title", "")},
            },
        )
    return body


def write_reports(nb: Any, stem: Path, context: dict[str, Any]) -> list[Path]:
    """Write ``<stem>.html`` (reviewer) and ``<stem>.code.html`` (trainer); return the paths."""
    paths = []
    for show_code, suffix in ((False, ".html"), (True, ".code.html")):
        path = stem.with_name(stem.name + suffix)
        path.write_text(render_html(nb, show_code, context), encoding="utf-8")
        paths.append(path)
    return paths
