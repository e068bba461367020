"""Validation problems: one record per problem, collected rather than raised one at a time.

A study author fixes a survey workbook in one sitting only if every problem is listed at once,
each saying where it is (file, sheet, row, column), what was found, which rule it breaks and how
to fix it. The same list is a DataFrame for notebooks and a table for the command line.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _, ngettext

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the problem table, in display order. For a parameter file (rule ``parameters``)
#: ``row`` is the line and ``column`` the key path (``defaults.map_classes``).
ISSUE_COLUMNS = ("file", "sheet", "row", "column", "value", "rule", "message", "hint", "severity")
#: The rule of every problem found in a parameter file.
PARAMETER_RULE = "parameters"
#: How a severity is named in a listing (the ``severity`` field itself stays a code).
SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning")}


@dataclass(frozen=True)
class Issue:
    """One problem found in a study's input: where, what, which rule, and a hint to fix it."""

    file: str
    rule: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str | None = None
    severity: str = "error"

    @property
    def is_parameter(self) -> bool:
        return self.rule == PARAMETER_RULE

    def place(self, sheet: bool = True) -> str:
        """Where in the file: 'sheet S, row 12, column quantity' or 'line 3, key defaults.x'
        (in the language of the process)."""
        where = []
        if self.sheet and sheet:
            where.append(_("sheet {sheet}").format(sheet=self.sheet))
        if self.row is not None:
            line = _("line {row}") if self.is_parameter else _("row {row}")
            where.append(line.format(row=self.row))
        if self.column:
            key = _("key {column}") if self.is_parameter else _("column {column}")
            where.append(key.format(column=self.column))
        return ", ".join(where)

    def sentence(self) -> str:
        """The problem as one plain sentence, for stderr and exception messages.

        A data problem: ``file, sheet S, row 12, column quantity: message [rule] Hint: ...``; a
        parameter problem: ``file, line 3, key 'defaults.x': message (value: v)``.
        """
        if self.is_parameter:
            where = self.file
            if self.row is not None:
                where += ", " + _("line {row}").format(row=self.row)
            if self.column:
                where += ", " + _("key '{column}'").format(column=self.column)
            text = f"{where}: {self.message}"
            if self.value is not None:
                text += " " + _("(value: {value})").format(value=self.value)
            return text
        place = self.place()
        text = self.file + (f", {place}" if place else "") + f": {self.message} [{self.rule}]"
        if self.hint:
            text += " " + _("Hint: {hint}").format(hint=self.hint)
        return text


@dataclass
class ValidationReport:
    """Every problem found while reading and checking a study's data."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> ValidationReport:
        """A copy in a stable order: by file, sheet, row, column, rule."""

        def key(i: Issue) -> tuple[Any, ...]:
            return (
                i.file,
                i.sheet or "",
                i.row if i.row is not None else -1,
                i.column or "",
                i.rule,
            )

        return ValidationReport(sorted(self.issues, key=key))

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with the columns of ``ISSUE_COLUMNS``."""
        import pandas as pd

        rows = [asdict(i) for i in self.sorted().issues]
        frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_text(self) -> str:
        """The problems as plain sentences, one per line."""
        return "\n".join(i.sentence() for i in self.sorted().issues)

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity != "error"]

    def to_csv(self) -> str:
        """The problems as CSV (the columns of ``ISSUE_COLUMNS``), for a data clerk's sheet.

        A cell's text may come from anyone's file: text that a spreadsheet would run as a
        formula (starting with = + - @ or a tab) is written after an apostrophe, which
        spreadsheets read as "this is text" (OWASP, CSV injection)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(ISSUE_COLUMNS)
        for i in self.sorted().issues:
            record = asdict(i)
            writer.writerow([_as_text_cell(record[c]) for c in ISSUE_COLUMNS])
        return out.getvalue()

    def to_json(self) -> str:
        """The problems as a JSON list of objects (keys of ``ISSUE_COLUMNS``)."""
        rows = [{c: asdict(i)[c] for c in ISSUE_COLUMNS} for i in self.sorted().issues]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"

    def summary(self) -> str:
        """'3 errors, 1 warning'."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        errors = ngettext("{n} error", "{n} errors", n_err).format(n=n_err)
        warnings = ngettext("{n} warning", "{n} warnings", n_warn).format(n=n_warn)
        return f"{errors}, {warnings}"

    def format(
        self, width: int | None = None, limit: int | None = None, warning_limit: int | None = None
    ) -> str:
        """The problems as plain sentences, one per item, errors first.

        Plain text on purpose: a cell's text (``t[/yr]``, ``:x:``) is shown as it is, never read
        as console markup. With ``width`` (a terminal), each sentence wraps at that width under a
        hanging indent, so it reads as well in 80 columns as in 200; without it (a log, a pipe),
        each problem stays on one line. ``limit`` shows only the first so many problems and says
        how many more there are, by rule; ``warning_limit`` shows every error and only so many
        warnings (a run stopped by errors keeps them in sight above a long list of warnings).
        """
        issues = sorted(self.sorted().issues, key=lambda i: i.severity != "error")
        if limit is None and warning_limit is not None:
            limit = sum(i.severity == "error" for i in issues) + warning_limit
        shown = issues if limit is None else issues[:limit]
        lines: list[str] = []
        for i in shown:
            if i.severity == "error":
                text = "- " + i.sentence()
            else:
                severity = _(SEVERITY_LABELS.get(i.severity, i.severity))
                text = f"- {severity}: " + i.sentence()
            if width:
                lines.extend(
                    textwrap.wrap(
                        text,
                        width=max(40, width - 1),
                        subsequent_indent="  ",
                        break_long_words=True,
                        break_on_hyphens=False,
                    )
                )
            else:
                lines.append(text)
        if limit is not None and len(issues) > limit:
            counts = Counter(i.rule for i in issues[limit:])
            more = ", ".join(f"{n} {rule}" for rule, n in sorted(counts.items()))
            lines.append(_("... and {n} more ({rules}).").format(n=len(issues) - limit, rules=more))
        return "\n".join(lines)


def _as_text_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def from_config(problem: Any) -> Issue:
    """A parameter-file problem (``config.ConfigProblem``) as an Issue: row = line, column = key."""
    return Issue(
        problem.file,
        PARAMETER_RULE,
        problem.message,
        row=problem.line,
        column=problem.key or None,
        value=problem.value,
    )


class StudyDataError(ValueError):
    """Raised by ``load_study`` when the data has errors; ``.report`` holds all of them."""

    def __init__(self, report: ValidationReport, source: Path | str | None = None):
        self.report = report
        n = len(report.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the study data"
        if source is not None:
            head += f" at {source}"
        super().__init__(head + ":\n" + report.to_text())
