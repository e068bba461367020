"""The ``iwm`` command.

Only argparse and the standard library are imported at start-up so that ``iwm --help`` answers
at once; each command imports what it needs. Exit codes (``iwm_study.exits``): 0 success, 1 a
job failed, 2 invalid parameters or data (every problem goes to stderr), 3-6 a fault of the
machine (a file where a folder should be, permission denied, a read-only or full disk), 7
another run holds the lock, 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .exits import EXIT_INVALID, EXIT_OK


def _print_config_problems(exc) -> None:
    """Print a ConfigError's (or a Plan's) problems as plain sentences on stderr."""
    n = len(exc.problems)
    print(f"Invalid parameters ({n} problem{'s' if n != 1 else ''}):", file=sys.stderr)
    for p in exc.problems:
        print(f"- {p.sentence()}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the pre-flight of `iwm run` (parameters, notebooks, settings files, data); run nothing."""
    from .runner.preflight import preflight, print_report

    pre = preflight(args.project, regions=args.region, notebooks=args.notebook)
    if args.format != "table":
        print_report(pre, sys.stdout, fmt=args.format)
        return EXIT_OK if pre.ok else EXIT_INVALID
    print_report(pre, sys.stderr)
    if not pre.ok:
        return EXIT_INVALID
    project, plan = pre.project, pre.plan
    assert project is not None and plan is not None
    regions = (
        ", ".join(f"{slug} ({r.economic_region})" for slug, r in project.regions.items()) or "none"
    )
    c = pre.counts
    print(
        f"Valid: {c.get('enterprises', 0)} enterprises, {c.get('waste_streams', 0)} waste streams, "
        f"{c.get('facilities', 0)} facilities in {project.study.data.inventory}; regions: "
        f"{regions}; {len(plan.jobs)} job(s) to run."
    )
    for o in plan.omitted:
        print(f"Left out: {o.id}: {o.reason}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """Plan, execute, render and index the study's notebooks."""
    from .runner.run import RunOptions, run_study

    if args.scheduler and args.executor != "dask":
        print("iwm run: --scheduler needs --executor dask.", file=sys.stderr)
        return EXIT_INVALID
    options = RunOptions(
        regions=args.region,
        notebooks=args.notebook,
        jobs=args.jobs,
        force=args.force,
        executor=args.executor,
        scheduler=args.scheduler,
        warm=not args.no_warm,
    )
    return run_study(args.project, options)


def cmd_list(args: argparse.Namespace) -> int:
    """Show every scope x notebook with its cache state."""
    from .config import ConfigError, load_project
    from .runner.index import STATE_LABELS, job_state, read_manifest
    from .runner.plan import OUTPUTS_DIR, build_plan

    try:
        project = load_project(args.project)
    except ConfigError as exc:
        _print_config_problems(exc)
        return EXIT_INVALID
    outputs = project.root / OUTPUTS_DIR
    manifest = read_manifest(outputs)
    coverage = (manifest.get("study") or {}).get("coverage")
    statistics = (manifest.get("validated") or {}).get("statistics_regions")
    plan = build_plan(project, coverage=coverage, statistics=statistics)
    if plan.problems:
        _print_config_problems(plan)
        return EXIT_INVALID
    entries = manifest.get("jobs", {})
    rows = []
    for job in plan.jobs:
        entry = entries.get(job.id)
        state = job_state(entry, job.key, all(p.exists() for p in job.outputs(outputs)))
        last = (
            ""
            if not entry
            else f"{entry.get('status')}, {sum(entry.get('durations', {}).values()):.1f} s"
        )
        rows.append((job.scope, job.notebook, STATE_LABELS[state], last))
    rows += [(o.scope, o.notebook, "not applicable", o.reason) for o in plan.omitted]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(_LIST_HEAD)]
    print(project.study.title)
    for row in [_LIST_HEAD, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


_LIST_HEAD = ("scope", "notebook", "state", "last run")


def _fault(command: str, exc: OSError, path: str | Path | None = None) -> int:
    """One line for a fault of the machine (full or read-only disk ...), and its exit code."""
    from .exits import machine_fault

    fault = machine_fault(exc, path if exc.filename is None else None)
    if fault is None:
        raise exc
    print(fault.line(command), file=sys.stderr)
    return fault.code


def cmd_new_region(args: argparse.Namespace) -> int:
    """Write parameters/regions/SLUG.yaml for an economic region."""
    from .config import PARAMETERS_DIR, REGIONS_DIR, SLUG_PATTERN
    from .scaffold import ScaffoldError, economic_region, region_text

    if not SLUG_PATTERN.match(args.slug):
        print(
            f"iwm new-region: '{args.slug}' is not a valid slug: use lower-case letters, digits and single hyphens (e.g. ganja-dashkasan).",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        name = economic_region(args.economic_region)
    except ScaffoldError as exc:
        print(f"iwm new-region: {exc}", file=sys.stderr)
        return EXIT_INVALID
    path = Path(args.project) / PARAMETERS_DIR / REGIONS_DIR / f"{args.slug}.yaml"
    if path.exists():
        print(f"iwm new-region: {path} already exists; it was left as it is.", file=sys.stderr)
        return EXIT_INVALID
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(region_text(args.slug, name), encoding="utf-8")
    except OSError as exc:
        return _fault("iwm new-region", exc, path)
    print(f"Wrote {path}.")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Make a study folder of one's own: parameters, the path of the data, a file per region."""
    from .scaffold import ScaffoldError, init_study

    try:
        result = init_study(
            args.folder,
            data=args.data,
            title=args.title,
            regions=args.region,
            number_format=args.number_format,
            reference_year=args.reference_year,
        )
    except ScaffoldError as exc:
        print(f"iwm init: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        return _fault("iwm init", exc, args.folder)
    for path in result.written:
        print(f"Wrote {path}")
    for note in result.notes:
        print(note)
    folder = result.folder
    print(
        f"Next: iwm validate --project {folder}   then: iwm run --project {folder}   "
        f"(reports: {folder / 'outputs' / 'index.html'})"
    )
    return EXIT_OK


def cmd_lab(args: argparse.Namespace) -> int:
    """Open one report's notebook in JupyterLab, in a scratch copy with that scope's parameters."""
    import os
    import subprocess

    from .paths import STUDY_DIR_ENV
    from .runner.preflight import preflight, print_report
    from .scaffold import lab_path, prepare_lab

    pre = preflight(args.project)
    if not pre.ok:
        print_report(pre, sys.stderr, action="No notebook was prepared.")
        return EXIT_INVALID
    project, plan = pre.project, pre.plan
    assert project is not None and plan is not None
    notebook = args.notebook.removesuffix(".ipynb")
    job = next((j for j in plan.jobs if j.scope == args.scope and j.notebook == notebook), None)
    if job is None:
        left_out = next(
            (o for o in plan.omitted if o.scope == args.scope and o.notebook == notebook), None
        )
        if left_out is not None:
            print(f"iwm lab: {left_out.id}: {left_out.reason}", file=sys.stderr)
            return EXIT_INVALID
        scopes = sorted({j.scope for j in plan.jobs})
        notebooks = sorted({j.notebook for j in plan.jobs if j.scope == args.scope})
        if args.scope not in scopes:
            print(
                f"iwm lab: there is no scope '{args.scope}'; scopes: {', '.join(scopes)}.",
                file=sys.stderr,
            )
        else:
            print(
                f"iwm lab: scope {args.scope} has no notebook '{notebook}'; its notebooks: "
                f"{', '.join(notebooks)}.",
                file=sys.stderr,
            )
        return EXIT_INVALID
    try:
        path, written = prepare_lab(
            project.root, job, project.study.execution.kernel, fresh=args.fresh
        )
    except OSError as exc:
        return _fault("iwm lab", exc, lab_path(project.root, job.scope, job.notebook))
    if written:
        print(f"Wrote {path} with the parameters of {job.scope}.")
    else:
        print(f"Kept your scratch copy {path} (--fresh writes a new one over it).")
    if args.prepare_only:
        return EXIT_OK
    env = {**os.environ, STUDY_DIR_ENV: str(project.root)}
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        str(path),
        f"--ServerApp.root_dir={project.root}",
    ]
    print("Opening JupyterLab; stop it with Ctrl+C.")
    try:
        return subprocess.call(command, env=env, cwd=project.root)
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """Write the data-collection workbook that intake reads back (its help texts in English, or
    in the language given with --language; sheet and column names are the same in every
    language)."""
    from .data.template import write_template

    try:
        path = write_template(args.path, language=args.language)
    except ValueError as exc:
        print(f"iwm template: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        return _fault("iwm template", exc, args.path)
    print(f"Wrote {path}.")
    return EXIT_OK


def cmd_translations(args: argparse.Namespace) -> int:
    """Manage the translation catalogs of the reports (iwm_study/locale/): `extract` the texts
    of the code, notebooks and templates, `update` each language's catalog, `fill` one from a
    translator's PO file, `compile` them for the reports, or show their `status`."""
    from .i18n import catalog

    argv = [args.action] + ([args.file, args.language] if args.action == "fill" else [])
    if args.action == "fill" and not args.file:
        print("iwm translations fill: give the translator's FILE.po", file=sys.stderr)
        return EXIT_INVALID
    return catalog.main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iwm",
        description="Reproducible Industrial Waste Mapping studies: check the data, run the notebooks, render the reports.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"iwm {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def project_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--project",
            default=".",
            metavar="DIR",
            help="study project folder (default: current folder)",
        )

    p = sub.add_parser(
        "run", help="plan, execute, render and index the reports", description=cmd_run.__doc__
    )
    p.add_argument(
        "--region", action="append", metavar="SLUG", help="run only this region (repeatable)"
    )
    p.add_argument(
        "--notebook",
        action="append",
        metavar="NAME",
        help="run only this notebook (repeatable; .ipynb optional)",
    )
    p.add_argument("--jobs", type=int, metavar="N", help="parallel jobs (default: number of cores)")
    p.add_argument(
        "--force", action="store_true", help="run every selected job, even when up to date"
    )
    p.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where jobs run (default: local process pool)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default: start a LocalCluster)",
    )
    p.add_argument(
        "--no-warm",
        action="store_true",
        help="start each kernel the plain way, not forked from a process that has already "
        "imported what the notebooks import (the same reports, slower; for comparison)",
    )
    project_arg(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "list", help="show scopes x notebooks with their cache state", description=cmd_list.__doc__
    )
    project_arg(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "validate",
        help="check parameters and input data as `iwm run` would, run nothing",
        description=cmd_validate.__doc__,
    )
    p.add_argument(
        "--region",
        action="append",
        metavar="SLUG",
        help="check the selection of `iwm run --region SLUG` (repeatable); every file is checked",
    )
    p.add_argument(
        "--notebook",
        action="append",
        metavar="NAME",
        help="check the selection of `iwm run --notebook NAME` (repeatable)",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table: readable text on stderr (default); csv or json: the problem list on stdout",
    )
    project_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "init",
        help="make a study folder of one's own",
        description=cmd_init.__doc__,
    )
    p.add_argument("folder", metavar="DIR", help="the new study folder (made if missing)")
    p.add_argument(
        "--data",
        metavar="PATH",
        help="the survey: a folder of CSV files, an .xlsx workbook or a .gpkg GeoPackage "
        "(default: an empty workbook written to DIR/data/survey.xlsx)",
    )
    p.add_argument("--title", help="title of the study's reports")
    p.add_argument(
        "--region",
        action="append",
        metavar="NAME",
        help="an economic region of the study (repeatable; default: those the data covers)",
    )
    p.add_argument(
        "--number-format",
        choices=("decimal_comma", "decimal_point"),
        help="how the survey writes numbers typed as text (default: only unambiguous numbers)",
    )
    p.add_argument(
        "--reference-year",
        type=int,
        metavar="YEAR",
        help="the year the inventory describes (default: the data's most common year)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "lab",
        help="open one report's notebook in JupyterLab with its parameters",
        description=cmd_lab.__doc__,
    )
    p.add_argument("scope", metavar="SCOPE", help="national, a region slug, slug.scenario ...")
    p.add_argument("notebook", metavar="NOTEBOOK", help="notebook name, .ipynb optional")
    p.add_argument(
        "--fresh", action="store_true", help="write a new scratch copy over the earlier one"
    )
    p.add_argument(
        "--prepare-only",
        action="store_true",
        help="write the scratch copy and print its path; do not start JupyterLab",
    )
    project_arg(p)
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser(
        "new-region", help="write parameters/regions/SLUG.yaml", description=cmd_new_region.__doc__
    )
    p.add_argument(
        "slug", help="short name used for the file and the output folder, e.g. ganja-dashkasan"
    )
    p.add_argument(
        "--economic-region",
        required=True,
        metavar="NAME",
        help="one of the 14 economic regions (any case; spaces or hyphens)",
    )
    project_arg(p)
    p.set_defaults(func=cmd_new_region)

    p = sub.add_parser(
        "template", help="write the data-collection workbook", description=cmd_template.__doc__
    )
    p.add_argument("path", metavar="PATH.xlsx", help="where to write the workbook")
    from .i18n import LANGUAGES, SOURCE_LANGUAGE  # the standard library only, like this module

    p.add_argument(
        "--language",
        choices=tuple(LANGUAGES),
        default=SOURCE_LANGUAGE,
        help="the language of the workbook's help texts, units row and instructions "
        "(default en; sheet and column names stay the same)",
    )
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "translations",
        help="extract, update, fill and compile the reports' translation catalogs",
        description=cmd_translations.__doc__,
    )
    p.add_argument(
        "action",
        choices=("extract", "update", "fill", "compile", "status"),
        help="extract: texts -> iwm.pot; update: iwm.pot -> each iwm.po; fill FILE.po: copy a "
        "translator's translations in; compile: iwm.po -> iwm.mo; status: what is left",
    )
    p.add_argument("file", nargs="?", metavar="FILE.po", help="for fill: the translator's file")
    p.add_argument("--language", default="az", help="for fill: the catalog's language (default az)")
    p.set_defaults(func=cmd_translations)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``iwm`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
