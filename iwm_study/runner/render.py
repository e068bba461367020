"""Render an executed notebook to HTML with nbconvert: a reviewer's report and a trainer's.

Both use the toolkit's ``iwm`` template (JupyterLab's layout, nothing loaded from a network, a
header and a provenance footer). The reviewer's report hides code; the trainer's shows it.
Images are embedded by nbconvert as data URIs, so each page is one self-contained file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

TEMPLATE_NAME = "iwm"
#: Cells with these tags are left out of the reviewer's report only / of both reports.
HIDE_IN_REVIEW = ("hide-in-report",)
REMOVE_ALWAYS = ("remove-cell",)


def _templates_dir() -> str:
    return str(resources.files("iwm_study.runner") / "templates")


def _exporter(show_code: bool):
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
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exporter


def render_html(nb: Any, show_code: bool, context: dict[str, Any]) -> str:
    """The HTML page of an executed notebook (``nbformat.NotebookNode``)."""
    exporter = _exporter(show_code)
    body, _ = exporter.from_notebook_node(
        nb, resources={"iwm": context, "metadata": {"name": context.get("title", "")}}
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
