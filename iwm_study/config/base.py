"""What every parameter model shares: strict models, and problems that name file, key and value."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a parameter file."""

    file: str
    key: str
    message: str
    value: str | None = None
    line: int | None = None

    def sentence(self) -> str:
        """``file, line 3, key 'defaults.x': message (value: v)``: said as every problem of a
        parameter file is said (``data.issues.Issue.sentence``)."""
        from ..data.issues import from_config

        return from_config(self).sentence()


class ConfigError(ValueError):
    """Raised when parameter files are invalid; ``.problems`` lists every problem."""

    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(p.sentence() for p in problems))


def _model_problems(exc: ValidationError, display: str) -> list[ConfigProblem]:
    out = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown key (not a parameter of this file)"
        elif kind == "missing":
            message = "required key is missing"
        else:
            message = err["msg"]
        value = None if kind == "missing" else repr(err.get("input"))[:120]
        out.append(ConfigProblem(display, key, message, value))
    return out
