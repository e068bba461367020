"""The translation catalogs: extract, update, fill, compile and check them (``iwm translations``).

Babel does the work (its extractors, PO reader and writer, MO compiler); here are only the
toolkit's choices: where the texts come from (the package's Python, the notebooks' prose and
code, the Jinja templates), where the catalogs live, and files that change only when a text
does (no line numbers, a fixed creation date, sorted output), so a translator's diff shows
texts, not noise. Each language's catalog is ``locale/<lang>/LC_MESSAGES/iwm.po``.

    iwm translations extract        # texts of the code, notebooks and templates -> iwm.pot
    iwm translations update         # iwm.pot -> each language's iwm.po (translations kept)
    iwm translations fill FILE.po   # copy a translator's translations into the catalog
    iwm translations compile        # iwm.po -> iwm.mo, what the reports read
    iwm translations status         # how many texts each language still lacks
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, locale_dir, markdown_blocks

#: A fixed date in every catalog header: a rerun writes the same bytes.
CATALOG_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 100


def _package_root() -> Path:
    return locale_dir().parent


def sources() -> list[tuple[Path, str]]:
    """Every file texts are taken from, with its extraction method, in a stable order."""
    from .. import paths

    root = _package_root()
    found: list[tuple[Path, str]] = []
    for path in sorted(root.rglob("*.py")):
        found.append((path, "python"))
    for path in sorted((root / "runner" / "templates").rglob("*.j2")):
        found.append((path, "jinja2.ext:babel_extract"))
    notebooks = paths.toolkit_notebooks()
    for path in sorted(notebooks.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            found.append((path, "iwm_study.i18n.catalog:extract_notebook"))
    return found


def extract_notebook(
    fileobj: Any, keywords: Iterable[str], comment_tags: Iterable[str], options: dict[str, Any]
) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Babel extractor of a notebook: each block of a Markdown cell is one message (the unit
    ``translate_markdown`` translates), and each code cell is read as Python for ``_()``
    calls. Line numbers are cell numbers (1-based)."""
    from babel.messages.extract import extract_python

    nb = json.loads(fileobj.read().decode("utf-8"))
    for number, cell in enumerate(nb.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "markdown":
            for block in markdown_blocks(source):
                yield number, None, block, []
        elif cell.get("cell_type") == "code":
            # IPython magics and shell lines are not Python; blank them, keep the line count.
            lines = [
                "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
            ]
            code = io.BytesIO("\n".join(lines).encode("utf-8"))
            for _line, funcname, messages, comments in extract_python(
                code, keywords, comment_tags, options
            ):
                yield number, funcname, messages, comments


def _template_path() -> Path:
    return locale_dir() / f"{DOMAIN}.pot"


def catalog_path(code: str) -> Path:
    """The PO file of a language."""
    return locale_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _lock():
    import tempfile

    from filelock import FileLock

    # Outside the package: a lock file inside it would change the toolkit's source hash.
    return FileLock(str(Path(tempfile.gettempdir()) / "iwm-catalog.lock"))


def read_catalog(path: Path, code: str | None = None) -> Any:
    """A PO or POT file as a Babel catalog."""
    return _read(path, code)


def _read(path: Path, code: str | None = None):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def _write(path: Path, catalog: Any) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, sort_output=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buffer.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _new_catalog(code: str | None = None):
    from babel.messages.catalog import Catalog

    language = LANGUAGES.get(code or "", "")
    return Catalog(
        header_comment=(
            f"# {language or 'Template of the'} texts of the IWM study toolkit's reports.\n"
            "# Written with `iwm translations` (iwm_study/i18n/catalog.py); the terms follow\n"
            "# the glossary beside this catalog."
        ),
        locale=code,
        domain=DOMAIN,
        project="iwm-study",
        version="1",
        copyright_holder="IWM study toolkit",
        msgid_bugs_address="the toolkit's issue tracker",
        creation_date=CATALOG_DATE,
        revision_date=CATALOG_DATE,
        last_translator="IWM study toolkit",
        language_team=language or "all",
        fuzzy=False,
    )


def extract() -> Path:
    """Write ``iwm.pot``: every text of the code, notebooks and templates, with where it is."""
    template = extracted()
    with _lock():
        _write(_template_path(), template)
    return _template_path()


def extracted() -> Any:
    """The template catalog of every text of the code, notebooks and templates as they are now
    (what ``extract`` writes)."""
    from babel.messages.extract import extract_from_file

    root = _package_root().parent
    template = _new_catalog()
    for path, method in sources():
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = path.as_posix()
        for lineno, message, comments, context in extract_from_file(
            method, str(path), KEYWORDS, comment_tags=("Translators:",)
        ):
            template.add(message, None, [(shown, lineno)], auto_comments=comments, context=context)
    return template


def update() -> list[Path]:
    """Bring each language's catalog up to the template: new texts added untranslated, texts
    no longer in the code dropped, translations kept (no fuzzy guesses: a wrong translation
    is worse than none)."""
    template = _read(_template_path())
    written = []
    with _lock():
        for code in LANGUAGES:
            if code == SOURCE_LANGUAGE:
                continue
            path = catalog_path(code)
            catalog = _read(path, code) if path.exists() else _new_catalog(code)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            catalog.obsolete.clear()
            catalog.revision_date = CATALOG_DATE
            _write(path, catalog)
            written.append(path)
    return written


def fill(source: Path, code: str) -> tuple[int, int]:
    """Copy the translations of ``source`` (a PO file) into the catalog of ``code`` where the
    catalog has the same text; returns (filled, not in the catalog)."""
    given = _read(source, code)
    path = catalog_path(code)
    with _lock():
        catalog = _read(path, code)
        filled = unknown = 0
        for message in given:
            if not message.id or not message.string:
                continue
            target = catalog.get(message.id, message.context)
            if target is None:
                unknown += 1
                continue
            target.string = message.string
            target.flags.discard("fuzzy")
            filled += 1
        _write(path, catalog)
    return filled, unknown


def compiled(code: str) -> bytes:
    """The MO file of a language's catalog as ``compile`` writes it."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, _read(catalog_path(code), code), use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs() -> list[Path]:
    """Compile each language's PO file to the MO file the reports read."""
    written = []
    with _lock():
        for code in LANGUAGES:
            if code == SOURCE_LANGUAGE or not catalog_path(code).exists():
                continue
            data = compiled(code)
            mo = catalog_path(code).with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != data:
                mo.write_bytes(data)
            written.append(mo)
    return written


def missing(code: str) -> list[str]:
    """The texts of the catalog of ``code`` that have no translation yet."""
    catalog = _read(catalog_path(code), code)
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main(argv: list[str]) -> int:
    """``iwm translations ACTION``: see the module's docstring."""
    action, *rest = argv or ["status"]
    if action == "extract":
        print(f"Wrote {extract()}.")
    elif action == "update":
        for path in update():
            print(f"Updated {path}.")
    elif action == "fill":
        code = rest[1] if len(rest) > 1 else "az"
        filled, unknown = fill(Path(rest[0]), code)
        print(f"Filled {filled} translations into {catalog_path(code)}; {unknown} not in it.")
    elif action == "compile":
        for path in compile_catalogs():
            print(f"Wrote {path}.")
    elif action == "status":
        for code in LANGUAGES:
            if code != SOURCE_LANGUAGE:
                left = missing(code)
                print(f"{code}: {len(left)} texts not translated")
                for text in left[:20]:
                    print("   ", text[:90].replace("\n", " "))
    else:
        raise ValueError(f"unknown action {action!r}: extract, update, fill, compile or status")
    return 0
