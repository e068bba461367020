"""Validation problems: one record per problem, collected rather than raised one at a time.

A study author fixes a survey workbook in one sitting only if every problem is listed at once,
each saying where it is (file, sheet, row, column), what was found, which rule it breaks and how
to fix it. The same list is a DataFrame for notebooks and a table for the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the problem table, in display order.
ISSUE_COLUMNS = ("file", "sheet", "row", "column", "value", "rule", "message", "hint", "severity")


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

    def sentence(self) -> str:
        """The problem as one plain sentence, for stderr and exception messages."""
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = ", ".join(where) + f": {self.message} [{self.rule}]"
        if self.hint:
            text += f" Hint: {self.hint}"
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


class StudyDataError(ValueError):
    """Raised by ``load_study`` when the data has errors; ``.report`` holds all of them."""

    def __init__(self, report: ValidationReport, source: Path | str | None = None):
        self.report = report
        n = len(report.errors)
        head = f"{n} problem{'s' if n != 1 else ''} in the study data"
        if source is not None:
            head += f" at {source}"
        super().__init__(head + ":\n" + report.to_text())
