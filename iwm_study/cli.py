"""The ``iwm`` command.

Only argparse and the standard library are imported at start-up so that ``iwm --help`` answers
at once; each command imports what it needs. Exit codes: 0 success, 1 a job failed, 2 invalid
parameters or data (the full list goes to stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _console(stderr: bool = False):
    """A rich console; wide when not a terminal so that logs keep one problem per line."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def _print_config_problems(exc) -> None:
    """Print a ConfigError's (or a Plan's) problems as sentences on stderr."""
    err = _console(stderr=True)
    err.print(
        f"[bold red]Invalid parameters[/] ({len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}):",
        markup=True,
    )
    for p in exc.problems:
        err.print(f"- {p.sentence()}", markup=False, soft_wrap=True)


def _shown(file: str, root: Path) -> str:
    """A file name relative to the project folder when it lies inside it."""
    try:
        return str(Path(file).resolve().relative_to(root))
    except ValueError:
        return file


def _print_report(report, title: str, root: Path) -> None:
    from rich.table import Table

    err = _console(stderr=True)
    table = Table(title=title, show_lines=False, expand=False)
    for name in ("file", "sheet", "row", "column", "value", "rule", "message", "hint"):
        table.add_column(name, overflow="fold")
    for i in report.issues:
        table.add_row(
            _shown(i.file, root),
            i.sheet or "",
            "" if i.row is None else str(i.row),
            i.column or "",
            "" if i.value is None else i.value,
            i.rule + ("" if i.severity == "error" else f" ({i.severity})"),
            i.message,
            i.hint or "",
        )
    err.print(table)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check parameters and input data; run nothing."""
    from .config import ConfigError, load_project

    try:
        project = load_project(args.project, regions=args.region or None)
    except ConfigError as exc:
        _print_config_problems(exc)
        return EXIT_INVALID
    from .data import GeoSettings, inspect_study

    geo = GeoSettings(district_tolerance_m=project.study.data.district_tolerance_m)
    study, report = inspect_study(
        project.inventory_path, ewc_entries=project.ewc_entries_path, geo=geo
    )
    out = _console()
    if report.issues:
        n_err, n_warn = len(report.errors), len(report.issues) - len(report.errors)
        _print_report(
            report,
            f"{n_err} error(s), {n_warn} warning(s) in {project.study.data.inventory}",
            project.root,
        )
    if study is None:
        print(
            f"The study data at {project.study.data.inventory} is invalid: {len(report.errors)} error(s). Nothing was run.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    regions = (
        ", ".join(f"{slug} ({r.economic_region})" for slug, r in project.regions.items()) or "none"
    )
    out.print(
        f"Valid: {len(study.enterprises)} enterprises, {len(study.waste_streams)} waste streams, "
        f"{len(study.facilities)} facilities in {project.study.data.inventory}; regions: {regions}.",
        markup=False,
    )
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
    plan = build_plan(project)
    if plan.problems:
        _print_config_problems(plan)
        return EXIT_INVALID
    outputs = project.root / OUTPUTS_DIR
    entries = read_manifest(outputs).get("jobs", {})
    from rich.table import Table

    table = Table(title=project.study.title)
    for name in ("scope", "notebook", "state", "last run"):
        table.add_column(name)
    for job in plan.jobs:
        entry = entries.get(job.id)
        state = job_state(entry, job.key, all(p.exists() for p in job.outputs(outputs)))
        label = STATE_LABELS[state]
        last = (
            ""
            if not entry
            else f"{entry.get('status')}, {sum(entry.get('durations', {}).values()):.1f} s"
        )
        table.add_row(job.scope, job.notebook, label, last)
    _console().print(table)
    return EXIT_OK


def cmd_new_region(args: argparse.Namespace) -> int:
    """Write parameters/regions/SLUG.yaml for an economic region."""
    from .config import PARAMETERS_DIR, REGIONS_DIR, SLUG_PATTERN, economic_region_names

    names = economic_region_names()
    if not SLUG_PATTERN.match(args.slug):
        print(
            f"iwm new-region: '{args.slug}' is not a valid slug: use lower-case letters, digits and single hyphens (e.g. ganja-dashkasan).",
            file=sys.stderr,
        )
        return EXIT_INVALID
    if args.economic_region not in names:
        print(
            f"iwm new-region: '{args.economic_region}' is not one of the 14 economic regions: {', '.join(names)}.",
            file=sys.stderr,
        )
        return EXIT_INVALID
    path = Path(args.project) / PARAMETERS_DIR / REGIONS_DIR / f"{args.slug}.yaml"
    if path.exists():
        print(f"iwm new-region: {path} already exists; it was left as it is.", file=sys.stderr)
        return EXIT_INVALID
    path.parent.mkdir(parents=True, exist_ok=True)
    name, slug = args.economic_region, args.slug
    path.write_text(
        f"""# Pilot region: {name}. Only what differs from parameters/study.yaml goes here; every key this
# file may hold is listed on the parameter reference page (outputs/parameters.html).
# The file name ({slug}) is the region's slug: its reports go to outputs/{slug}/.

# economic_region (required): one of the 14 economic regions of Azerbaijan (decree of 7 July
# 2021). The region's enterprises are those whose economic_region column has this value.
economic_region: {name}

# title (optional): title of this region's reports and of its row on the index page.
# Without it: "<economic region> economic region".
title: {name} economic region

# parameters (optional): notebook parameters that replace the study's `defaults:` for this
# region only. A key replaces the whole default (a block such as enterprise_selection is not
# merged), and its value must have the same type as in study.yaml. For example:
#   parameters:
#     shortlist_size: 15
parameters: {{}}

# scenarios (optional): named variants of this region, each a set of parameter overrides on top
# of `parameters`; each runs as a scope of its own ({slug}.NAME). For example:
#   scenarios:
#     equal-weights:
#       enterprise_selection: {{...}}
scenarios: {{}}
""",
        encoding="utf-8",
    )
    print(f"Wrote {path}.")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """Write the data-collection workbook that intake reads back."""
    from .data.template import write_template

    try:
        path = write_template(args.path)
    except ValueError as exc:
        print(f"iwm template: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"Wrote {path}.")
    return EXIT_OK


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
    project_arg(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser(
        "list", help="show scopes x notebooks with their cache state", description=cmd_list.__doc__
    )
    project_arg(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "validate",
        help="check parameters and input data, run nothing",
        description=cmd_validate.__doc__,
    )
    p.add_argument(
        "--region", action="append", metavar="SLUG", help="check only this region file (repeatable)"
    )
    project_arg(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "new-region", help="write parameters/regions/SLUG.yaml", description=cmd_new_region.__doc__
    )
    p.add_argument(
        "slug", help="short name used for the file and the output folder, e.g. ganja-dashkasan"
    )
    p.add_argument(
        "--economic-region", required=True, metavar="NAME", help="one of the 14 economic regions"
    )
    project_arg(p)
    p.set_defaults(func=cmd_new_region)

    p = sub.add_parser(
        "template", help="write the data-collection workbook", description=cmd_template.__doc__
    )
    p.add_argument("path", metavar="PATH.xlsx", help="where to write the workbook")
    p.set_defaults(func=cmd_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``iwm`` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
