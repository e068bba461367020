"""The run's record and its pages: ``manifest.json``, ``figures.json``, ``index.html`` and the
parameter reference.

The manifest is the provenance of every job (key and its parts, parameters, status, durations,
error); the index is what a reviewer opens first: every scope x notebook of the current plan,
its state, the reason a job does not apply, the data's warnings, key figures. All are written
atomically (temporary file, then rename), and the index has no timestamps, so an unchanged study
gives an unchanged page. ``runner.run`` only orchestrates; everything written here is a page.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .. import __version__, i18n
from ..i18n import N_, _
from ..report import ATTRIBUTIONS, SYNTHETIC_NOTE, format_value
from .annex import ANNEX_SUFFIX
from .pdf import BROWSER_ENV, Browser, find_browser, pdf_path, pdf_record, pdf_up_to_date
from .plan import OUTPUT_SUFFIXES, Job, Plan, hash_json, study_scopes, toolkit_source_hash

if TYPE_CHECKING:
    from ..config import Project
    from .preflight import Preflight

MANIFEST = "manifest.json"
INDEX = "index.html"
#: The manifest's record of what the index shows (``write_index``).
INDEX_STAMP = "index_page"
FIGURES = "figures.json"
PARAMETERS_PAGE = "parameters.html"
#: A failed job's files sit beside its good report as ``<notebook>.failed.<suffix>``.
FAILED_MARK = ".failed"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename; a file
    that already holds ``text`` is left as it is (a run with nothing to do rewrites nothing
    but the manifest)."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == text.encode("utf-8"):
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        # mkstemp makes the file private (0600); give it the permissions of any file written here
        # so that reviewers (and a web server) can read the index and the manifest.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_manifest(outputs: Path) -> dict[str, Any]:
    """The last run's manifest, or an empty one when there is none or it cannot be read."""
    try:
        data = json.loads((outputs / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def humanise(stem: str) -> str:
    """'02_waste_inventory' -> 'Waste inventory' (in English; ``heading`` translates it)."""
    words = stem.split("_")
    if words and words[0].isdigit():
        words = words[1:]
    text = " ".join(words) or stem
    return text[:1].upper() + text[1:]


#: The toolkit's notebooks as ``humanise`` names them, marked for the catalog: the index's
#: columns and the reports' titles show them in the study's language.
NOTEBOOK_HEADINGS = (
    N_("Pilot region selection"),
    N_("Enterprise selection"),
    N_("Waste inventory"),
    N_("Waste map"),
    N_("Circular options"),
    N_("Summary"),
    N_("Fact sheets"),
    N_("National synthesis"),
    N_("Walkthrough"),
)
#: A training build's heading, by audience (the same texts as the report's title).
AUDIENCE_HEADINGS = {
    "trainee": N_("{heading}, for trainees"),
    "trainer": N_("{heading}, for trainers"),
}


def heading(notebook: str) -> str:
    """A notebook's heading in the current language: '02_waste_inventory' -> 'Waste
    inventory'; a training build 'walkthrough.trainee' -> 'Walkthrough, for trainees'."""
    name, _sep, audience = notebook.partition(".")
    text = _(humanise(name))
    if audience:
        form = AUDIENCE_HEADINGS.get(audience)
        text = _(form).format(heading=text) if form else f"{text} ({audience})"
    return text


def job_state(entry: dict[str, Any] | None, key: str, outputs_exist: bool) -> str:
    """'ok', 'stale', 'failed' or 'not-run' for one cell of the index."""
    if not entry:
        return "not-run"
    if entry.get("status") == "failed":
        return "failed"
    if entry.get("status") == "ok" and outputs_exist:
        return "ok" if entry.get("key") == key else "stale"
    return "not-run"


STATE_LABELS = {
    "ok": N_("up to date"),
    "stale": N_("out of date"),
    "failed": N_("failed"),
    "not-run": N_("not run"),
    "not-applicable": N_("not applicable"),
}


def render_index(context: dict[str, Any]) -> str:
    """The index page from a plain context (see ``write_index``), in the current language:
    its texts go through the catalogs as ``{{ _("...") }}``, like the reports' template."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("iwm_study.runner", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n._, ngettext=i18n.ngettext, newstyle=False
    )
    env.filters["state_label"] = lambda s: _(STATE_LABELS[s]) if s in STATE_LABELS else s
    env.filters["number"] = lambda x, digits=0: i18n.format_number(x, digits)
    env.filters["code"] = lambda text: Markup("<code>{}</code>").format(text)
    env.filters["html"] = Markup
    env.filters["fmt"] = _fill
    return env.get_template("index_page.html.j2").render(**context)


def _fill(message: str, **values: Any) -> Markup:
    """A translated text with its ``{placeholders}`` filled, for an autoescaped page: the text
    and plain values are escaped, values made with the ``code`` or ``html`` filters are not."""
    return Markup(escape(message)).format(**values)


def _duration(durations: dict[str, float]) -> str | None:
    """'12 s': the time a job took (execution and rendering), for the index."""
    if not durations:
        return None
    return _("{seconds} s").format(seconds=i18n.format_number(round(sum(durations.values())), 0))


def _pdf(job: Job, entry: dict[str, Any] | None, outputs: Path, report: bool) -> dict[str, Any]:
    """The PDF of a job's report for the index: its link when it matches the report (for a
    failed job, the last good report's), or why there is none."""
    path = pdf_path(outputs, job.scope, job.notebook)
    link = f"{job.scope}/{job.notebook}.pdf"
    if not report:
        return {"pdf": None, "pdf_error": None}
    if (entry or {}).get("status") == "failed":
        return {"pdf": link if path.is_file() else None, "pdf_error": None}
    if pdf_up_to_date(entry, path):
        return {"pdf": link, "pdf_error": None}
    record = pdf_record(entry)
    error = record.get("error") if record.get("key") == (entry or {}).get("key") else None
    return {"pdf": None, "pdf_error": error}


def _more_links(cell: dict[str, Any], printable: bool, training: bool) -> list[dict[str, Any]]:
    """The small links under a report's link: the page with its code, the PDF (or why there
    is none), the Excel tables; under a failed job's last good report, its PDF. A training
    build leads with its page with code, so that one is not repeated."""
    links: list[dict[str, Any]] = []
    if cell["state"] == "failed":
        if cell["report"] and cell["pdf"]:
            links.append({"kind": "report-link", "href": cell["pdf"], "text": _("last good PDF")})
        return links
    if not cell["report"]:
        return links
    if not training:
        links.append({"kind": "report-link", "href": cell["code_report"], "text": _("with code")})
    if cell["pdf"]:
        links.append({"kind": "report-link", "href": cell["pdf"], "text": _("PDF")})
    elif cell["pdf_error"]:
        links.append({"text": _("PDF failed"), "title": cell["pdf_error"]})
    elif not printable:
        links.append(
            {
                "kind": "missing",
                "href": "#banner-no-pdf",
                "text": _("no PDF"),
                "title": _("No browser to print it with: see the note at the top of the page."),
            }
        )
    if cell["annex"]:
        links.append(
            {
                "kind": "report-link",
                "href": cell["annex"],
                "text": _("tables (.xlsx)"),
                "download": True,
            }
        )
    return links


def _cell(job: Job, entry: dict[str, Any] | None, outputs: Path) -> dict[str, Any]:
    """What the index shows of one job: state, duration, error and links."""
    exists = all(p.exists() for p in job.outputs(outputs))
    failed_report = outputs / job.scope / f"{job.notebook}{FAILED_MARK}.html"
    return {
        "scope": job.scope,
        "notebook": job.notebook,
        "state": job_state(entry, job.key, exists),
        "duration": _duration((entry or {}).get("durations", {})),
        "error": (entry or {}).get("error"),
        "report": f"{job.scope}/{job.notebook}.html" if exists else None,
        "code_report": f"{job.scope}/{job.notebook}.code.html" if exists else None,
        "annex": f"{job.scope}/{job.notebook}{ANNEX_SUFFIX}"
        if exists and (outputs / job.scope / f"{job.notebook}{ANNEX_SUFFIX}").exists()
        else None,
        "failed_report": f"{job.scope}/{job.notebook}{FAILED_MARK}.html"
        if failed_report.exists()
        else None,
        **_pdf(job, entry, outputs, exists),
    }


#: What each kind of data warning means, in words a reviewer reads on the index.
WARNING_LABELS = {
    "ewc-mirror": N_(
        "non-hazardous mirror entries of the List of Waste without the assessment behind them"
    ),
    "quantity-zero": N_("waste streams with a quantity of 0"),
    "quantity-plausibility": N_("waste streams above the study's plausibility bound"),
    "file-unknown": N_("files in the data folder that are not tables of the study"),
    "table-empty": N_("optional tables with no rows"),
}


def _data_checks(pre: Preflight | None) -> list[dict[str, Any]]:
    """The data's warnings by rule, for the index: how many, what they mean, one example."""
    if pre is None:
        return []
    by_rule: dict[str, list[Any]] = {}
    for issue in pre.report.warnings:
        by_rule.setdefault(issue.rule, []).append(issue)
    return [
        {
            "rule": rule,
            "label": _(WARNING_LABELS[rule]) if rule in WARNING_LABELS else rule,
            "count": len(found),
            "example": f"{found[0].file}, {found[0].place()}: {found[0].message}",
        }
        for rule, found in sorted(by_rule.items())
    ]


def write_index(
    project: Project,
    plan: Plan,
    manifest: dict[str, Any],
    outputs: Path,
    commit: str | None,
    pre: Preflight | None = None,
    browser: Browser | None = None,
) -> bool:
    """Rewrite index.html and every scope's figures.json from the manifest and the full plan;
    True if the page was written (False: it already showed the same), with its stamp then put in
    ``manifest`` (the caller writes the manifest).

    Only the scopes and notebooks of the current plan are shown; a notebook left out of a scope
    because it does not apply to the data (``Plan.omitted``) is shown with the reason. The page
    is in the study's language (``study.language``). ``browser``: the one the run printed the
    PDFs with (default: the one found now); with none, the page says how to get the PDFs.
    """
    with i18n.using(project.study.language):
        context = _index_context(project, plan, manifest, outputs, commit, pre, browser)
        # The page is rendered again only when what it shows changed: a run with nothing to do
        # (the same context) leaves it as it is, without loading Jinja and its template.
        stamp = hash_json(
            {
                "toolkit": toolkit_source_hash(),
                "language": project.study.language,
                "context": context,
            }
        )
        if manifest.get(INDEX_STAMP) == stamp and (outputs / INDEX).is_file():
            return False
        page = render_index(context)
    write_atomic(outputs / INDEX, page)
    manifest[INDEX_STAMP] = stamp
    return True


def _index_context(
    project: Project,
    plan: Plan,
    manifest: dict[str, Any],
    outputs: Path,
    commit: str | None,
    pre: Preflight | None,
    browser: Browser | None,
) -> dict[str, Any]:
    browser = browser if browser is not None else find_browser()
    entries = manifest.get("jobs", {})
    notebooks = [{"name": e.name, "heading": heading(e.name)} for e in project.study.notebooks]
    by_id = {j.id: j for j in plan.jobs}
    rows, training, failed, stale, states = [], [], [], [], []
    for scope in study_scopes(project):
        jobs = [j for j in plan.jobs if j.scope == scope.name]
        cells = {j.notebook: _cell(j, entries.get(j.id), outputs) for j in jobs}
        for cell in cells.values():
            cell["more"] = _more_links(cell, browser.found, scope.kind == "training")
        for o in plan.omitted:
            if o.scope == scope.name:
                cells[o.notebook] = {
                    "scope": o.scope,
                    "notebook": o.notebook,
                    "state": "not-applicable",
                    "reason": o.reason,
                    "duration": None,
                    "error": None,
                    "report": None,
                    "code_report": None,
                    "annex": None,
                    "failed_report": None,
                    "pdf": None,
                    "pdf_error": None,
                    "more": [],
                }
        if not cells:
            continue
        figures, recorded = [], {}
        for name, cell in cells.items():
            if cell["state"] != "not-applicable":
                states.append(cell["state"])
            shown_heading = heading(name.split(".")[0])
            if cell["state"] == "failed":
                failed.append({"scope": scope.name, "notebook": name, "heading": shown_heading})
            if cell["state"] == "stale":
                stale.append(f"{scope.name}/{name}")
            if cell["state"] in ("ok", "stale"):
                recorded[name] = entries[by_id[f"{scope.name}/{name}"].id].get("figures", [])
                for f in recorded[name]:
                    shown = format_value(f.get("value"), f.get("digits", 1))
                    figures.append({**f, "shown": shown, "notebook_heading": shown_heading})
        if recorded:
            write_atomic(outputs / scope.name / FIGURES, dump_json(recorded))
        label = _("National") if scope.kind == "national" else scope.title
        if scope.kind == "training":
            training = [{**cell, "heading": heading(n)} for n, cell in cells.items()]
            continue
        row_cells = [cells.get(nb["name"]) for nb in notebooks]
        rows.append({"name": scope.name, "label": label, "cells": row_cells, "figures": figures})
    return {
        "language": i18n.language(),
        "title": project.study.title,
        "notebooks": notebooks,
        "scopes": rows,
        "training": training,
        "parameters_page": (outputs / PARAMETERS_PAGE).exists(),
        "failed": failed,
        "stale": stale,
        "all_ok": bool(states) and all(s == "ok" for s in states),
        "synthetic": project.study.data.synthetic,
        "synthetic_note": _(SYNTHETIC_NOTE),
        "data_checks": _data_checks(pre),
        "version": __version__,
        "commit": commit,
        "attributions": [_(a) for a in ATTRIBUTIONS],
        "browser": {"found": browser.found, "setting": browser.setting, "variable": BROWSER_ENV},
    }


def remove_stale_failures(plan: Plan, outputs: Path) -> list[str]:
    """Delete the ``.failed.*`` files of jobs no longer in the plan (a notebook or region the
    study dropped, a notebook that no longer applies): they would describe nothing."""
    live = {(j.scope, j.notebook) for j in plan.jobs}
    removed = []
    for scope_dir in sorted(p for p in outputs.iterdir() if p.is_dir()):
        if scope_dir.name.startswith("."):
            continue
        for path in sorted(scope_dir.glob(f"*{FAILED_MARK}.*")):
            notebook, mark, suffix = path.name.partition(FAILED_MARK)
            if mark and suffix in OUTPUT_SUFFIXES and (scope_dir.name, notebook) not in live:
                path.unlink(missing_ok=True)
                removed.append(str(path.relative_to(outputs)))
    return removed


def write_parameter_page(project: Project, outputs: Path) -> None:
    """The reference of every parameter a study or region file may hold, for authors and trainers."""
    from ..docs import parameter_reference_html

    write_atomic(
        outputs / PARAMETERS_PAGE, parameter_reference_html(defaults=project.study.defaults)
    )
