"""The demo study built in Azerbaijani, read as a reviewer reads it: no English left outside
names and codes, no raw header, index column or True/False in any table, every page marked as
Azerbaijani and its numbers written the Azerbaijani way."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from english_check import english_left

from iwm_study.cli import main

pytestmark = pytest.mark.slow

#: Titles of publications cited as sources (names, written as published).
PUBLICATIONS = ("What a Waste 2.0",)
#: A header made of snake_case words ('waste_t', 'share_pct'): a column name, not a header.
RAW_HEADER = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def _az_study(folder: Path) -> Path:
    """A copy of studies/azerbaijani whose paths point at this repository."""
    source = PROJECT_ROOT / "studies" / "azerbaijani" / "parameters"
    (folder / "parameters" / "regions").mkdir(parents=True)
    text = (source / "study.yaml").read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^extends: .*$", f"extends: {PROJECT_ROOT / 'parameters' / 'study.yaml'}", text
    )
    text = re.sub(r"(?m)^  inventory: .*$", f"  inventory: {PROJECT_ROOT / 'data' / 'demo'}", text)
    (folder / "parameters" / "study.yaml").write_text(text, encoding="utf-8")
    for region in (source / "regions").glob("*.yaml"):
        (folder / "parameters" / "regions" / region.name).write_text(
            region.read_text(encoding="utf-8"), encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    study = _az_study(tmp_path_factory.mktemp("az") / "study")
    assert main(["run", "--project", str(study)]) == 0
    return study / "outputs"


def _pages(outputs: Path) -> list[Path]:
    # parameters.html is the authors' reference of every setting, generated from the models.
    return sorted(p for p in outputs.rglob("*.html") if p.name != "parameters.html")


class _Cells(HTMLParser):
    """The header cells (column headings, row headings) and data cells of every table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str, str]] = []  # (tag, class, text)
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td"):
            self._open.append([tag, dict(attrs).get("class") or "", ""])

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._open:
            cell = self._open.pop()
            self.cells.append((cell[0], cell[1], " ".join(cell[2].split())))


def _data_texts() -> tuple[str, ...]:
    """The texts of the study's own data (stream descriptions, names, districts, sources):
    a report shows them as the survey wrote them, in whatever language it was written."""
    import csv

    texts = set()
    for name in ("waste_streams", "enterprises", "facilities", "regional_statistics"):
        path = PROJECT_ROOT / "data" / "demo" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in ("description", "name", "district", "source"):
                    if row.get(column):
                        texts.add(row[column])
    # Codes and names a reader types or cites as they are: the tables' names (sheets of the
    # workbook), the fate codes, the titles of cited publications.
    from iwm_study.data import codes, schema

    texts.update(schema.TABLES)
    texts.update(codes.fate_codes())
    texts.update(PUBLICATIONS)
    return tuple(sorted(texts, key=len, reverse=True))


def test_every_page_is_azerbaijani_without_english_left(outputs: Path) -> None:
    pages = _pages(outputs)
    assert len(pages) >= 20  # the index, and two pages of each report
    allowed = _data_texts()
    left = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="az"' in html, page
        found = english_left(html, allowed)
        if found:
            left[str(page.relative_to(outputs))] = found[:8]
    assert left == {}


def test_tables_have_headers_a_person_reads(outputs: Path) -> None:
    problems = []
    for page in _pages(outputs):
        if page.name.endswith(".code.html"):
            continue
        parser = _Cells()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, css, text in parser.cells:
            where = f"{page.relative_to(outputs)}: {tag}.{css} {text!r}"
            if tag == "th" and RAW_HEADER.match(text):
                problems.append(f"raw header {where}")
            if tag == "th" and "row_heading" in css and text.isdigit():
                problems.append(f"index column {where}")
            if text in ("True", "False", "nan", "NaN", "None"):
                problems.append(f"raw value {where}")
    assert problems == []


def test_numbers_are_written_the_azerbaijani_way(outputs: Path) -> None:
    page = (outputs / "baku" / "02_waste_inventory.html").read_text(encoding="utf-8")
    figures = re.findall(r'<div class="iwm-figure">.*?<strong>([^<]+)</strong>', page)
    assert figures, "the inventory shows key figures"
    # thousands grouped with '.', decimals after ','; never '1,234.5'
    assert not [f for f in figures if re.search(r"\d,\d{3}\b.*\.\d", f)]
    assert any(re.search(r"\d\.\d{3}", f) for f in figures)


#: The texts Chromium shows a reader, one per text node: visible, and outside code (a cell's
#: source, the footer's parameters and cache key), as ``english_check.visible_texts`` reads
#: the HTML.
_SHOWN_TEXT = """() => {
  const skip = "script, style, code, .jp-CodeMirrorEditor, .highlight";
  const out = [];
  if (!document.body) return out;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, element = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text || !element || element.closest(skip) || !element.checkVisibility()) continue;
    out.push(text);
  }
  return out;
}"""


@pytest.mark.browser
def test_a_reader_in_chromium_sees_no_english(outputs: Path, browser) -> None:
    """What Chromium shows of every page, the frames of the maps included (legends, layer
    lists, the text their scripts write), read line by line for English."""
    from conftest import OfflinePage
    from english_check import english_words, without

    allowed = _data_texts()
    view = OfflinePage(browser)
    left: dict[str, list[str]] = {}
    for page in _pages(outputs):
        if page.name.endswith(".code.html"):
            continue
        view.open(page)
        view.page.wait_for_timeout(300)
        lines = []
        for frame in view.page.frames:
            lines.extend(frame.evaluate(_SHOWN_TEXT))
        found = [line[:120] for line in lines if english_words(without(line, allowed))]
        if found:
            left[str(page.relative_to(outputs))] = found[:8]
    assert view.errors == []
    assert left == {}
