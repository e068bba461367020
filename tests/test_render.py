"""The report renderer: the same page as nbconvert's HTML exporter, made faster.

``runner.render`` reuses one exporter per thread and kind of report, and adds the two attributes
nbconvert adds after rendering (focus on cells' areas, a text alternative on images) on the
string instead of parsing and rewriting the whole page. The pages must not differ from what
nbconvert's own last step gives: the checks below parse both and compare them element by element.
"""

from __future__ import annotations

import base64
import threading

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from iwm_study.i18n import _ as translate
from iwm_study.i18n import using
from iwm_study.runner import render

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000005000157f7da2a0000000049454e44ae426082"
    )
).decode()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def notebook() -> nbformat.NotebookNode:
    """Every kind of output a report shows: streams, HTML (with an image lacking alt text and a
    class that only looks like nbconvert's), Markdown, PNG, SVG, an error, hidden cells."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    out = nbformat.v4.new_output
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Title\n\nSome *text* and ![a chart](data:image/png;base64," + PNG + ")"
        ),
        nbformat.v4.new_code_cell(
            "print('hello')\nx = 1",
            outputs=[
                out("stream", name="stdout", text="hello\n"),
                out("stream", name="stderr", text="a warning\n"),
            ],
        ),
        nbformat.v4.new_code_cell(
            "table",
            outputs=[
                out(
                    "execute_result",
                    data={
                        "text/html": '<div class="jp-OutputArea-output-like"><img src="data:image/'
                        f'png;base64,{PNG}"><img alt="kept" src="x.png"/><table><tr><td>1 &lt; 2'
                        "</td></tr></table></div>",
                        "text/plain": "table",
                    },
                    execution_count=3,
                )
            ],
        ),
        nbformat.v4.new_code_cell(
            "chart",
            outputs=[
                out("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
                out("display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"}),
                out("display_data", data={"text/markdown": "**bold**", "text/plain": "bold"}),
            ],
        ),
        nbformat.v4.new_code_cell(
            "hidden",
            metadata={"tags": ["hide-in-report"]},
            outputs=[out("stream", name="stdout", text="only for trainers\n")],
        ),
        nbformat.v4.new_code_cell(
            "1 / 0",
            outputs=[
                out(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
                )
            ],
        ),
    ]
    return nb


def tree(page: str) -> list[tuple]:
    """The page as a list of its elements (name, attributes) and non-blank texts, in order."""
    soup = BeautifulSoup(page, "html.parser")
    items: list[tuple] = []
    for node in soup.descendants:
        name = getattr(node, "name", None)
        if name is not None:
            attrs = {
                k: " ".join(v) if isinstance(v, list) else v for k, v in sorted(node.attrs.items())
            }
            items.append(("element", name, tuple(attrs.items())))
        elif str(node).strip():
            items.append(("text", str(node).strip()))
    return items


def nbconvert_page(nb: nbformat.NotebookNode, show_code: bool, language: str) -> str:
    """The page as nbconvert's own HTML exporter writes it, with the toolkit's settings."""
    exporter = render._new_exporter(show_code)
    exporter.language_code = language
    with using(language):
        page, _resources = HTMLExporter.from_notebook_node(
            exporter,
            nb if show_code else render._hide_code(nb),
            resources={"iwm": {"language": language, "title": "t"}, "metadata": {"name": "t"}},
        )
    return page


@pytest.mark.parametrize("language", ["en", "az"])
@pytest.mark.parametrize("show_code", [False, True])
def test_the_page_is_nbconverts_element_for_element(show_code: bool, language: str) -> None:
    nb = notebook()
    ours = render.render_html(nb, show_code, {"language": language, "title": "t"})
    theirs = nbconvert_page(nb, show_code, language)
    # nbconvert's text alternative is English whatever the report's language; ours is translated
    with using(language):
        alt = translate(render.NO_ALT)
    assert tree(ours.replace(f'alt="{alt}"', f'alt="{render.NO_ALT}"')) == tree(theirs)
    # and the two attributes are really there, on the elements nbconvert puts them on
    soup = BeautifulSoup(ours, "html.parser")
    focus = soup.select("[tabindex]")
    areas = soup.select(
        ".jp-Notebook div.jp-Cell-inputWrapper, .jp-Notebook div.jp-OutputArea-output"
    )
    assert focus and set(map(id, focus)) == set(map(id, areas))
    assert all(e["tabindex"] == "0" for e in focus)
    assert not soup.select(".jp-OutputArea-output-like[tabindex]")
    assert [img.get("alt") for img in soup.select("img")].count("kept") == 1
    assert not soup.select("img:not([alt])")


def test_an_image_without_alt_text_gets_it_in_the_reports_language() -> None:
    with using("az"):
        az = translate(render.NO_ALT)
    assert az != render.NO_ALT, "the catalog translates the text"
    for language, text in (("az", az), ("en", render.NO_ALT)):
        page = render.render_html(notebook(), False, {"language": language})
        alts = [img.get("alt") for img in BeautifulSoup(page, "html.parser").select("img")]
        assert alts.count(text) == 3 and alts.count("kept") == 1, alts  # HTML, PNG, SVG


def test_exporters_are_made_once_per_process_and_kind() -> None:
    first = render._exporter(False, "en")
    assert render._exporter(False, "az") is first and first.language_code == "az"
    assert render._exporter(True, "en") is not first
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(render._exporter(False, "en")))
    thread.start()
    thread.join()
    assert other[0] is first


def test_threads_rendering_at_once_get_their_own_pages() -> None:
    """Two threads (a Dask worker's) rendering different reports at the same time."""
    nb = notebook()
    expected = {
        (show_code, code): render.render_html(nb, show_code, {"language": code, "title": "t"})
        for show_code in (False, True)
        for code in ("en", "az")
    }
    found: dict[tuple[bool, str], list[str]] = {key: [] for key in expected}

    def work(key: tuple[bool, str]) -> None:
        for _ in range(3):
            found[key].append(render.render_html(nb, key[0], {"language": key[1], "title": "t"}))

    threads = [threading.Thread(target=work, args=(key,)) for key in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(pages == [expected[key]] * 3 for key, pages in found.items())


def test_a_reused_exporter_gives_the_same_page() -> None:
    nb = notebook()
    context = {"language": "en", "title": "t"}
    pages = [render.render_html(nb, False, context) for _ in range(2)]
    in_az = render.render_html(nb, False, {**context, "language": "az"})
    assert '<html lang="az">' in in_az and "Provenance" not in in_az
    render._EXPORTERS.clear()
    fresh = render.render_html(nb, False, context)
    assert pages[0] == pages[1] == fresh == render.render_html(nb, False, context)
    assert '<html lang="en">' in fresh and "Provenance" in fresh


AWKWARD = """<main class="jp-Notebook">
<div class='jp-Cell-inputWrapper'>single quotes</div>
<div data-x="a > b" class="jp-RenderedHTML jp-OutputArea-output extra">a quoted &gt;</div>
<div class="jp-OutputArea-output-like">not the class</div>
<div class="jp-OutputArea-output" tabindex="0">already focusable</div>
<img src="a.png" data-note="1 > 0" alt="after a quoted &gt;">
<img src=b.png>
<IMG SRC="c.png"/>
<script>var s = '<img src="d.png"> <div class="jp-OutputArea-output">';</script>
<style>div.x > img { width: 1px }</style>
<!-- <img src="e.png"> -->
</main>"""


def nbconverts_last_step(page: str) -> str:
    """What nbconvert's HTML exporter does last, with BeautifulSoup, as it does it."""
    soup = BeautifulSoup(page, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = render.NO_ALT
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


def test_the_attributes_are_added_as_a_parser_adds_them_to_awkward_html() -> None:
    ours = render.focusable(AWKWARD)
    assert tree(ours) == tree(nbconverts_last_step(AWKWARD))
    assert 'var s = \'<img src="d.png"> <div class="jp-OutputArea-output">\';' in ours
    assert '<!-- <img src="e.png"> -->' in ours
    assert ours.count("tabindex") == 3


def test_rendering_leaves_the_notebook_as_it_was() -> None:
    nb = notebook()
    before = nbformat.writes(nb)
    for show_code in (False, True):
        for code in ("en", "az"):
            page = render.render_html(nb, show_code, {"language": code, "title": "t"})
            assert ('<span class="n">x</span>' in page) == show_code  # the code of cell 2
    assert nbformat.writes(nb) == before
