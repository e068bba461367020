"""Render an executed notebook to HTML with nbconvert: a reviewer's report and a trainer's.

Both use the toolkit's ``iwm`` template (JupyterLab's layout, nothing loaded from a network, a
header and a provenance footer). The reviewer's report hides code, except the cells a reader
must see to follow the page (a training exercise's answer cell and its worked solution); the
trainer's shows it all. Images are embedded by nbconvert as data URIs, so each page is one
self-contained file. ``report_title`` names a page the way the index names it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

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


def _hide_code(nb: Any) -> Any:
    """A copy of ``nb`` whose code cells keep their code only when tagged ``SHOW_IN_REVIEW``."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        if set(SHOW_IN_REVIEW).isdisjoint(cell.get("metadata", {}).get("tags", [])):
            cell.setdefault("metadata", {})["transient"] = {"remove_source": True}
    return nb


def _exporter(show_code: bool, language: str = "en"):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_ALWAYS) | (
        set() if show_code else set(HIDE_IN_REVIEW)
    )
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[_templates_dir()],
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=language,
    )
    # The template's texts ({{ _("Provenance") }}) go through the same catalogs as the code's.
    from .. import i18n

    exporter.environment.add_extension("jinja2.ext.i18n")
    exporter.environment.install_gettext_callables(
        gettext=i18n._, ngettext=i18n.ngettext, newstyle=False
    )
    return exporter


def _translated(nb: Any) -> Any:
    """A copy of ``nb`` whose Markdown cells are in the current language, block by block."""
    import copy

    from ..i18n import translate_markdown

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            cell["source"] = translate_markdown(
                "".join(source) if isinstance(source, list) else source
            )
    return nb


def render_html(nb: Any, show_code: bool, context: dict[str, Any]) -> str:
    """The HTML page of an executed notebook (``nbformat.NotebookNode``), in the language of
    ``context['language']`` (the report's; English when not given)."""
    from ..i18n import SOURCE_LANGUAGE, using

    code = context.get("language") or SOURCE_LANGUAGE
    with using(code):
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
