"""The parameter reference: one self-contained HTML page generated from the pydantic models.

Trainers and study authors learn what ``parameters/study.yaml`` and a region file may contain
from this page rather than from the code: every key with its type, default, allowed values and
meaning, the typed notebook parameters (``config.PARAMETER_MODELS``), and the input tables of
``iwm_study.data.schema``. The models are walked generically (``model_fields``, type
annotations, constraint metadata), so a model or field added to ``config`` appears without a
change here. The page has inline CSS only: no script, no link to the network, and no date, so
the same models always give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import types
import typing
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

__all__ = ["parameter_reference_html"]

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
  max-width: 72rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.35rem; margin-top: 2.4rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; color: #1f4e79; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .92rem; }
th, td { border: 1px solid #c9d3dd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em;
  background: #f3f5f7; padding: 0 .2em; border-radius: 3px; }
td.key { white-space: nowrap; }
.req { color: #a4262c; font-weight: 600; }
nav ul { columns: 2; }
p.note { color: #444; }
"""


# ----------------------------------------------------------------------------------------------
# Reading the models
# ----------------------------------------------------------------------------------------------


def _strip(annotation: Any) -> Any:
    """The annotation without Annotated[...] wrappers."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model mentioned in an annotation, in order of appearance."""
    annotation = _strip(annotation)
    if _is_model(annotation):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        for model in _nested_models(arg):
            if model not in found:
                found.append(model)
    return found


def _root_field(model: type[BaseModel]) -> FieldInfo | None:
    """The field of a RootModel (a parameter that is a plain value), else None."""
    if issubclass(model, RootModel):
        return model.model_fields["root"]
    return None


def _type_html(annotation: Any) -> str:
    """A type as a reader of a YAML file thinks of it, with links to nested models."""
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin in (Union, types.UnionType):
        parts = [_type_html(a) for a in args if a is not type(None)]
        text = " or ".join(parts)
        return text + (", or null" if type(None) in args else "")
    if origin is Literal:
        return "text" if all(isinstance(a, str) for a in args) else "value"
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple):
        inner = _type_html(args[0]) if args else "values"
        return f"list of {inner}"
    if origin in (dict, Mapping) or annotation is dict:
        if len(args) == 2:
            return f"mapping of {_type_html(args[0])} to {_type_html(args[1])}"
        return "mapping"
    if _is_model(annotation):
        root = _root_field(annotation)
        if root is not None:
            return _type_html(root.annotation)
        name = annotation.__name__
        return f'<a href="#{_anchor(annotation)}">{html.escape(name)}</a> (mapping)'
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "text"
    simple = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true / false",
        Path: "path (relative to the project folder)",
        Any: "any",
    }
    if annotation in simple:
        return simple[annotation]
    return html.escape(getattr(annotation, "__name__", str(annotation)))


def _literal_values(annotation: Any) -> list[Any]:
    """The values of every Literal inside an annotation."""
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is Literal:
        return list(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [m.value for m in annotation]
    out: list[Any] = []
    if typing.get_origin(annotation) in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            out.extend(_literal_values(arg))
    return out


#: Strings that YAML reads back as the same string without quotes.
_PLAIN_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .\-]*(?<! )$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "none", "y", "n", "~"}

#: Constraint metadata (annotated_types) as words.
_BOUNDS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
_LENGTHS = {"min_length": "at least {} item(s)", "max_length": "at most {} item(s)"}


def _constraints(field: FieldInfo) -> list[str]:
    out: list[str] = []
    metadata = list(field.metadata)
    annotation = field.annotation
    # Constraints written inside Annotated[...] of a RootModel sit in the type's own metadata.
    if typing.get_origin(annotation) is typing.Annotated:
        for extra in typing.get_args(annotation)[1:]:
            metadata.extend(getattr(extra, "metadata", [extra]))
    for item in metadata:
        for attr, sign in _BOUNDS.items():
            value = getattr(item, attr, None)
            if value is not None:
                out.append(f"{sign} {_plain(value)}")
        for attr, text in _LENGTHS.items():
            value = getattr(item, attr, None)
            if value is not None:
                out.append(text.format(value))
    return out


def _plain(value: Any) -> str:
    """A value as it would be written in YAML: plain words unquoted, the rest as JSON (which
    YAML reads too)."""
    if isinstance(value, str) and _PLAIN_WORD.match(value) and value.lower() not in _YAML_WORDS:
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def _default_html(field: FieldInfo) -> str:
    if field.is_required():
        return '<span class="req">required</span>'
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return f'the defaults of <a href="#{_anchor(type(value))}">{type(value).__name__}</a>'
    else:
        value = field.default
    if value is PydanticUndefined:
        return ""
    return f"<code>{html.escape(_plain(value))}</code>"


def _allowed_html(field: FieldInfo) -> str:
    parts = []
    values = _literal_values(field.annotation)
    if values:
        parts.append(
            "one of " + ", ".join(f"<code>{html.escape(_plain(v))}</code>" for v in values)
        )
    parts.extend(html.escape(c) for c in _constraints(field))
    return "; ".join(parts)


def _anchor(model: type[BaseModel]) -> str:
    return f"model-{model.__module__.replace('.', '-')}-{model.__qualname__}"


def _doc(model: type[BaseModel]) -> str:
    """The model's own docstring (not one inherited from pydantic), as one paragraph."""
    doc = model.__dict__.get("__doc__") or ""
    return " ".join(doc.split())


_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def _text_html(text: str) -> str:
    """Plain text from a docstring or description, with ``code`` marked up."""
    return _CODE.sub(lambda m: f"<code>{m.group(1) or m.group(2)}</code>", html.escape(text))


def _meaning(field: FieldInfo) -> str:
    """A field's description; for a field holding a model, that model's docstring if none."""
    if field.description:
        return _text_html(field.description)
    nested = _nested_models(field.annotation)
    if len(nested) == 1 and _root_field(nested[0]) is None:
        return _text_html(_doc(nested[0]))
    return ""


# ----------------------------------------------------------------------------------------------
# Writing the page
# ----------------------------------------------------------------------------------------------


def _model_table(model: type[BaseModel], defaults: Mapping[type, Any] | None = None) -> str:
    rows = []
    root = _root_field(model)
    fields = {"(the value itself)": root} if root is not None else model.model_fields
    for name, field in fields.items():
        if root is not None and defaults and model in defaults:
            default = f"<code>{html.escape(_plain(defaults[model]))}</code>"
        else:
            default = _default_html(field)
        rows.append(
            "<tr>"
            f'<td class="key"><code>{html.escape(name)}</code></td>'
            f"<td>{_type_html(field.annotation)}</td>"
            f"<td>{default}</td>"
            f"<td>{_allowed_html(field)}</td>"
            f"<td>{_meaning(field)}</td>"
            "</tr>"
        )
    head = (
        "<tr><th>key</th><th>type</th><th>default</th><th>allowed values</th><th>meaning</th></tr>"
    )
    return f"<table>{head}{''.join(rows)}</table>"


def _catalogue_html(model: type[BaseModel]) -> str:
    """For a selection model: the criteria it may name (config.SELECTION_CRITERIA)."""
    from . import config

    kind = getattr(model, "kind", "")
    catalogue = getattr(config, "SELECTION_CRITERIA", {}).get(kind) if kind else None
    if not catalogue:
        return ""
    rows = "".join(
        "<tr>"
        f'<td class="key"><code>{html.escape(c.name)}</code></td>'
        f"<td>{html.escape(c.label)}</td><td>{html.escape(c.unit)}</td>"
        f"<td>{html.escape(c.direction)}</td><td>{_text_html(c.computed)}</td>"
        "</tr>"
        for c in catalogue.values()
    )
    return (
        f"<p>Criteria the <code>criteria</code> mapping may name ({html.escape(kind)} "
        "criteria); the direction is the usual one, the file states the one used:</p>"
        "<table><tr><th>criterion</th><th>label</th><th>unit</th><th>usual direction</th>"
        f"<th>how it is computed</th></tr>{rows}</table>"
    )


def _sections(
    roots: Iterable[tuple[str, type[BaseModel], str]],
    seen: set[type[BaseModel]],
    defaults: Mapping[type, Any] | None = None,
) -> list[str]:
    """One section per root model and then per nested model not yet documented."""
    out: list[str] = []
    queue: list[tuple[str, type[BaseModel], str]] = list(roots)
    while queue:
        title, model, intro = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        out.append(f'<h3 id="{_anchor(model)}">{title}</h3>')
        text = " ".join(p for p in (intro, _text_html(_doc(model))) if p)
        if text:
            out.append(f"<p>{text}</p>")
        out.append(_model_table(model, defaults))
        out.append(_catalogue_html(model))
        nested: list[type[BaseModel]] = []
        for field in model.model_fields.values():
            for m in _nested_models(field.annotation):
                if m not in seen and m not in nested and _root_field(m) is None:
                    nested.append(m)
        queue = [
            (f"<code>{html.escape(m.__name__)}</code>", m, "Used inside the keys above.")
            for m in nested
        ] + queue
    return out


def _untyped_defaults(defaults: Mapping[str, Any], typed: set[str]) -> str:
    rows = []
    for name, value in sorted(defaults.items()):
        if name in typed:
            continue
        kind = {bool: "true / false", int: "integer", float: "number", str: "text"}.get(
            type(value), type(value).__name__ if value is not None else "null"
        )
        rows.append(
            f'<tr><td class="key"><code>{html.escape(name)}</code></td><td>{html.escape(kind)}</td>'
            f"<td><code>{html.escape(_plain(value))}</code></td></tr>"
        )
    if not rows:
        return ""
    return (
        "<h3>Other notebook parameters</h3><p>These keys of <code>defaults:</code> have no typed "
        "model: the runner checks that a notebook declares each one and that a region gives a "
        "value of the same type; the notebook's parameters cell says what each does.</p>"
        f"<table><tr><th>key</th><th>type</th><th>value in study.yaml</th></tr>{''.join(rows)}"
        "</table>"
    )


def _schema_html() -> str:
    from .data import codes
    from .data.schema import EXAMPLE_PREFIX, LIST_SEPARATOR, TABLES, UNIT_ALIASES, UNITS_ROW_MARKER

    kinds = {"str": "text", "int": "integer", "float": "number", "bool": "yes / no"}
    # Closed lists that live in the code tables rather than in the schema.
    closed_lists = {"fate": codes.fate_codes(), "unit": tuple(dict.fromkeys(UNIT_ALIASES.values()))}
    parts = [
        '<h2 id="tables">The input tables</h2>',
        "<p>A study's data is five tables (register and regional_statistics, like facilities, "
        "are optional): CSV files in one folder, sheets of one workbook "
        "(<code>iwm template survey.xlsx</code> writes an empty one) or layers of one "
        "GeoPackage, named as below. Rows are numbered as a person sees them (header = row 1). "
        f"In a workbook, a row whose key cell is <code>{html.escape(UNITS_ROW_MARKER)}</code> "
        f"(the units row) or whose identifier starts with <code>{EXAMPLE_PREFIX}</code> is "
        f"skipped. List cells separate their items with <code>{html.escape(LIST_SEPARATOR)}</code>.</p>",
    ]
    for table in TABLES.values():
        parts.append(
            f'<h3 id="table-{table.name}"><code>{table.name}</code>: {html.escape(table.title)}</h3>'
        )
        parts.append(f"<p>Key column: <code>{table.key}</code>.</p>")
        rows = []
        for col in table.columns:
            presence = "column required" if col.required else "column optional"
            blank = "cells may be blank" if col.nullable else "cells must be filled"
            choices = col.choices or closed_lists.get(col.name)
            allowed = ", ".join(f"<code>{html.escape(c)}</code>" for c in choices or ())
            rows.append(
                "<tr>"
                f'<td class="key"><code>{col.name}</code></td><td>{kinds[col.kind]}</td>'
                f"<td>{html.escape(col.unit or '')}</td><td>{presence}; {blank}</td>"
                f"<td>{allowed}</td><td>{_text_html(col.description)}</td>"
                f"<td><code>{html.escape(col.example)}</code></td>"
                "</tr>"
            )
        parts.append(
            "<table><tr><th>column</th><th>type</th><th>unit</th><th>presence</th>"
            "<th>allowed values</th><th>meaning</th><th>example</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        if table.derived:
            derived = "".join(
                f'<tr><td class="key"><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>'
                for k, v in table.derived.items()
            )
            parts.append(
                "<p>Added when the table is loaded:</p><table><tr><th>column</th><th>meaning</th>"
                f"</tr>{derived}</table>"
            )
    return "\n".join(parts)


def parameter_reference_html(
    defaults: Mapping[str, Any] | None = None, title: str = "Parameter reference"
) -> str:
    """The parameter reference page as one self-contained HTML document.

    ``defaults`` (optional): the ``defaults:`` mapping of a project's study.yaml, to list the
    notebook parameters that have no typed model too. The models are read from
    ``iwm_study.config`` at call time: StudyConfig, RegionConfig and ``PARAMETER_MODELS``.
    """
    from . import config

    seen: set[type[BaseModel]] = set()
    study = _sections(
        [
            (
                "<code>parameters/study.yaml</code>",
                config.StudyConfig,
                "The study-wide file. Unknown keys are errors.",
            )
        ],
        seen,
    )
    region = _sections(
        [
            (
                "<code>parameters/regions/&lt;slug&gt;.yaml</code>",
                config.RegionConfig,
                "One file per pilot region; the file name is the region's slug (lower-case "
                "letters, digits and hyphens) and names its folder under outputs/. "
                "<code>iwm new-region SLUG --economic-region NAME</code> writes one.",
            )
        ],
        seen,
    )
    models: Mapping[str, type[BaseModel]] = getattr(config, "PARAMETER_MODELS", {})
    settings = getattr(config, "SETTINGS", {})
    root_defaults = {}
    roots = []
    for name, model in models.items():
        setting = settings.get(name)
        intro = ""
        if setting is not None:
            read_by = ", ".join(f"<code>{html.escape(n)}</code>" for n in setting.notebooks)
            intro = f"Read by {read_by}."
            if _root_field(model) is not None:
                root_defaults[model] = setting.default
            else:
                text = yaml.safe_dump(
                    {name: setting.default},
                    sort_keys=False,
                    allow_unicode=True,
                    default_flow_style=None,
                    width=96,
                )
                intro += (
                    " <details><summary>The toolkit's default (the demonstration study's "
                    f"settings), as study.yaml writes it</summary><pre>{html.escape(text)}</pre>"
                    "</details>"
                )
        roots.append((f"<code>{html.escape(name)}</code>", model, intro))
    notebook = _sections(roots, seen, root_defaults)
    from .config.registry import STANDARD_PARAMETERS

    standard_rows = "".join(
        f'<tr><td class="key"><code>{name}</code></td><td>{html.escape(meaning)}</td></tr>'
        for name, meaning in STANDARD_PARAMETERS.items()
    )
    untyped = _untyped_defaults(defaults, set(models)) if defaults else ""
    body = [
        f"<h1>{html.escape(title)}</h1>",
        '<p class="note">Every key the parameter files may contain, with its type, default, '
        "allowed values and meaning, generated from the toolkit's own models; then the columns "
        "of the input tables. <code>iwm validate</code> checks a project against exactly these "
        "rules.</p>",
        "<nav><ul>"
        '<li><a href="#study">The study file</a></li>'
        '<li><a href="#region">Region files</a></li>'
        '<li><a href="#notebook">Notebook parameters</a></li>'
        '<li><a href="#tables">The input tables</a></li>'
        "</ul></nav>",
        '<h2 id="study">The study file</h2>',
        *study,
        '<h2 id="region">Region files</h2>',
        *region,
        '<h2 id="notebook">Notebook parameters</h2>',
        "<p>Keys under <code>defaults:</code> in study.yaml, overridden per region under "
        "<code>parameters:</code> and per scenario. The runner passes each one to the notebooks "
        "that declare it in their cell tagged <code>parameters</code>; a key left out takes the "
        "toolkit's default. <code>iwm validate</code> and <code>iwm run</code> check every key "
        "against the models below before any notebook runs, and every problem names its full "
        "path (e.g. <code>defaults.region_selection.criteria.waste_t.weight</code>). A key that "
        "is neither below nor declared by a notebook of the study is an error.</p>",
        *notebook,
        untyped,
        "<h3>Standard parameters</h3><p>Given by the runner to every notebook that declares "
        "them; they are not written in <code>defaults:</code>.</p>"
        f"<table><tr><th>parameter</th><th>meaning</th></tr>{standard_rows}</table>",
        _schema_html(),
    ]
    content = "\n".join(part for part in body if part)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n{content}\n</body>\n</html>\n"
    )
