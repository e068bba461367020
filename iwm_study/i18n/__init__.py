"""The reports' languages: every text a reader sees goes through gettext catalogs (Babel).

One way for each:

- a text in the code is ``_("Waste generated")``; a text with values is formatted after it is
  translated, ``_("{n} of {total} enterprises").format(n=..., total=...)``; a text defined at
  import time (a table of headers) is marked ``N_("Waste (t/yr)")`` and translated where it is
  shown (``report.table`` translates headers and captions);
- a notebook's prose is translated block by block (paragraphs, lists, headings) when the report
  is rendered (``translate_markdown``); its code cells use ``_`` like any module;
- a number is written for the reader's locale by ``format_number`` (Babel's CLDR data:
  '1,234.5' in English, '1.234,5' in Azerbaijani);
- the language of a kernel is set once by the notebook's setup cell, ``use(language)``, from the
  standard parameter ``language`` that the runner gives each job.

English is the source language: its catalog is empty and ``_`` returns the text as it is, so an
English report never imports Babel. The catalogs live in ``iwm_study/locale/`` (``iwm.pot``,
``<lang>/LC_MESSAGES/iwm.po`` and the compiled ``.mo``); ``iwm translations`` extracts, updates,
fills and compiles them (``iwm_study.i18n.catalog``). The glossary of terms is beside them,
``locale/<lang>/glossary.csv``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Iterator
from importlib import resources
from numbers import Number
from pathlib import Path
from typing import Any

#: The languages a report can be built in: code -> the language's own name.
LANGUAGES: dict[str, str] = {"en": "English", "az": "Azərbaycanca"}
SOURCE_LANGUAGE = "en"
DOMAIN = "iwm"

_current = SOURCE_LANGUAGE


def locale_dir() -> Path:
    """The folder of the catalogs (inside the package, so a wheel carries them)."""
    return Path(str(resources.files("iwm_study") / "locale"))


def check_language(code: Any) -> str:
    """``code`` when it names a language of the toolkit, else a ValueError naming the choices."""
    if code not in LANGUAGES:
        choices = ", ".join(f"{k} ({v})" for k, v in LANGUAGES.items())
        raise ValueError(f"language {code!r} is not one the reports are written in: {choices}")
    return str(code)


def use(code: str | None) -> str:
    """Make ``code`` the language of every text from now on (None: English); returns it."""
    global _current
    _current = check_language(code or SOURCE_LANGUAGE)
    return _current


def language() -> str:
    """The language texts are written in now."""
    return _current


@contextlib.contextmanager
def using(code: str | None) -> Iterator[str]:
    """Write in ``code`` inside the block, then go back to the language before it."""
    before = _current
    try:
        yield use(code)
    finally:
        use(before)


@functools.cache
def translations(code: str) -> Any:
    """The compiled catalog of ``code`` (a gettext ``NullTranslations`` for English)."""
    import gettext

    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    mo = locale_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog has no translation)."""
    if _current == SOURCE_LANGUAGE or not message:
        return message
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the current language."""
    if _current == SOURCE_LANGUAGE:
        return singular if n == 1 else plural
    return translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (translate where shown)."""
    return message


_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def markdown_blocks(text: str) -> list[str]:
    """The blocks of a Markdown text that are translated as wholes: the parts between blank
    lines (a paragraph, a list, a heading), stripped; empty parts dropped."""
    return [b.strip() for b in _BLOCK_SPLIT.split(text) if b.strip()]


def translate_markdown(text: str) -> str:
    """A notebook's Markdown in the current language, block by block (a block the catalog
    lacks stays as it is). English: the text unchanged."""
    if _current == SOURCE_LANGUAGE or not text.strip():
        return text
    return "\n\n".join(_(block) for block in markdown_blocks(text))


def format_number(value: Any, digits: int = 1, *, sign: bool = False, percent: bool = False) -> str:
    """A number as a reader of the current language writes it: thousands grouped, ``digits``
    decimals ('1,234.5' / '1.234,5'); an int without decimals; ``percent`` multiplies by 100
    and adds the percent sign; NaN is 'n/a' in the current language."""
    if isinstance(value, bool) or not isinstance(value, Number):
        return str(value)
    if not isinstance(value, int) and math.isnan(float(value)):
        return _("n/a")
    if isinstance(value, int) and not percent:
        digits = 0
    spec = ("+" if sign else "") + f",.{digits}" + ("%" if percent else "f")
    return localise_number(format(value, spec))


def localise_number(text: str) -> str:
    """A number Python wrote ('1,234.5', '-0.25', '12.3%', '1.2e+03') with the current
    language's decimal and group signs (Babel's locale data: '1.234,5' in Azerbaijani)."""
    if _current == SOURCE_LANGUAGE:
        return text
    return text.translate(_number_signs(_current))


@functools.cache
def _number_signs(code: str) -> dict[int, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str.maketrans({",": get_group_symbol(code), ".": get_decimal_symbol(code)})


# Azerbaijani ordinal suffixes after a number written in digits (vowel harmony of the number's
# last word): by the last non-zero digit, and for round numbers by the tens word or the power.
_AZ_UNIT_SUFFIX = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_AZ_TENS_SUFFIX = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def _az_ordinal_suffix(n: int) -> str:
    n = abs(n)
    if n == 0:
        return "cı"  # sıfırıncı
    if n % 10:
        return _AZ_UNIT_SUFFIX[n % 10]
    if n % 100:
        return _AZ_TENS_SUFFIX[(n // 10) % 10]
    if n % 1000:
        return "cü"  # yüz
    if n % 1_000_000:
        return "ci"  # min
    return "cu"  # milyon, milyard


def ordinal(n: int) -> str:
    """``n`` as an ordinal in the report's language: '1st', '22nd' in English, '1-ci', '3-cü'
    in Azerbaijani; '{n}.' in a language without a rule here."""
    code = _current
    if code == SOURCE_LANGUAGE:
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if code == "az":
        return f"{n}-{_az_ordinal_suffix(n)}"
    return f"{n}."


def lower_first(label: str) -> str:
    """A label begun in lower case, to sit inside a sentence ('Hazardous share' ->
    'hazardous share'; 'RECP interest' stays as it is); Azerbaijani lowers I to ı and İ to i."""
    first = label[:1]
    if not first or label[1:2].isupper():
        return label
    if _current == "az" and first in "Iİ":
        return ("ı" if first == "I" else "i") + label[1:]
    return first.lower() + label[1:]


def join_list(items: Any) -> str:
    """'a, b and c' in the current language (Babel's list patterns outside English)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return items[0] if items else ""
    if _current == SOURCE_LANGUAGE:
        return ", ".join(items[:-1]) + " and " + items[-1]
    from babel.lists import format_list

    return format_list(items, locale=_current)
