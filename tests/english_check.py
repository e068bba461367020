"""Find English left in a page built in another language (used by the tests of the
Azerbaijani build, and by hand: ``python tests/english_check.py outputs/baku/*.html``).

A reader's text is every text node of the page outside scripts, styles, code and the source
of code cells (their printed output is the reader's). A text node is English when it holds a word that only English has: the
function words of every English sentence ('the', 'and', 'of', 'with'...) and the study's own
English terms ('waste', 'region', 'enterprise'...). Names and codes pass: the demo's names are
Azerbaijani, and codes hold no such word. A data cell that is English because the data is
(a study's own text) is named by ``allowed``.
"""

from __future__ import annotations

import functools
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

#: Words no Azerbaijani sentence has (function words, then the study's terms). Not 'on'
#: ('ten') or 'at' ('horse'), which Azerbaijani has.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "with",
        "for",
        "from",
        "this",
        "that",
        "these",
        "those",
        "which",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "not",
        "by",
        "each",
        "per",
        "or",
        "an",
        "as",
        "it",
        "its",
        "their",
        "has",
        "have",
        "will",
        "can",
        "no",
        "all",
        "only",
        "than",
        "more",
        "most",
        "into",
        "when",
        "where",
        "what",
        "how",
        "who",
        "there",
        "should",
        "would",
        "could",
        "must",
        "may",
        "between",
        "about",
        "over",
        "under",
        "above",
        "below",
        "after",
        "before",
        "without",
        "within",
        "also",
        "other",
        "same",
        "such",
        "both",
        "either",
        "neither",
        "any",
        "some",
        "many",
        "much",
        "very",
        "waste",
        "wastes",
        "region",
        "regions",
        "enterprise",
        "enterprises",
        "total",
        "share",
        "report",
        "reports",
        "data",
        "unknown",
        "known",
        "hazardous",
        "recovery",
        "recycling",
        "disposal",
        "landfill",
        "stream",
        "streams",
        "sector",
        "sectors",
        "district",
        "districts",
        "facility",
        "facilities",
        "option",
        "options",
        "value",
        "values",
        "figure",
        "table",
        "map",
        "rank",
        "ranked",
        "ranking",
        "weight",
        "weights",
        "criterion",
        "criteria",
        "method",
        "methods",
        "score",
        "shortlist",
        "summary",
        "inventory",
        "selection",
        "circular",
        "generated",
        "tonnes",
        "year",
        "yes",
        "none",
        "see",
        "note",
        "notes",
    ]
)
#: A word of any alphabet ('isə' is one Azerbaijani word, not 'is' and a letter).
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: A file path, an identifier or a token with digits (a code, a hash: 'c8de3ae7...') is a name.
_NAME = re.compile(r"\S*[/_\d]\S*")
_SKIP = {"script", "style", "code", "svg", "math"}
#: Classes of the elements that show a cell's code (its source), not a reader's text.
_CODE_CLASSES = ("jp-CodeMirrorEditor", "highlight")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        skip = tag in _SKIP or any(c in classes for c in _CODE_CLASSES)
        self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipping():
            self.found.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    """The text nodes a reader sees, in page order."""
    parser = _Text()
    parser.feed(html)
    return parser.found


def english_words(text: str) -> list[str]:
    """The English words of a text (names, paths and abbreviations left out)."""
    # A file path or an identifier ('notebooks/02_waste_inventory.ipynb') is a name.
    prose = _NAME.sub(" ", text)
    return sorted(
        {w for w in _WORD.findall(prose) if w.lower() in ENGLISH_WORDS and not w.isupper()}
    )


def without(text: str, allowed: tuple[str, ...]) -> str:
    """``text`` with the ``allowed`` texts taken out, whatever their case (a report may write a
    name or a description in lower case inside a sentence); the rest keeps its case, so an
    abbreviation ('CC BY') stays one."""
    return _one_of(allowed).sub(" ", text) if allowed else text


@functools.cache
def _one_of(texts: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all ``texts``, the longest first (one pattern per text and per line
    would be compiled again and again: there are hundreds)."""
    ordered = sorted(set(texts), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered), re.IGNORECASE)


def english_left(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The reader's texts of ``html`` that are English (with the English words found), once
    the ``allowed`` texts (the study's own data, as it was written) are taken out of them."""
    out = []
    for text in visible_texts(html):
        words = english_words(text)
        if words and allowed:
            text = without(text, allowed)
            words = english_words(text)
        if words:
            out.append(f"{text[:160]}  [{', '.join(words)}]")
    return out


if __name__ == "__main__":
    total = 0
    for name in sys.argv[1:]:
        left = english_left(Path(name).read_text(encoding="utf-8"))
        total += len(left)
        for line in left:
            print(f"{name}: {line}")
    print(f"{total} English texts", file=sys.stderr)
    sys.exit(1 if total else 0)
