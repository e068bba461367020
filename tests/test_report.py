"""What notebooks tell their reports: key figures and tables."""

from __future__ import annotations

import ast
import itertools
import json
import re

import pandas as pd
from conftest import PROJECT_ROOT

from iwm_study import report


def test_table_escapes_text_from_the_data_and_has_stable_ids(monkeypatch) -> None:
    df = pd.DataFrame(
        {"name": ["<img src=x onerror=alert(1)>", "Gəncə"], "t": [1.5, 2.25]},
        index=["<b>a</b>", "b"],
    )
    html = report.table(df, {"t": "{:,.1f}"}).to_html()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>a</b>" not in html and "&lt;b&gt;a&lt;/b&gt;" in html
    assert "Gəncə" in html and ">2.2<" in html
    monkeypatch.setattr(report, "_TABLES", itertools.count(7))  # ids follow the order of tables
    assert 'id="T_iwm-table-7' in report.table(df).to_html()
    assert 'id="T_iwm-table-8' in report.table(df).to_html()


def test_format_value() -> None:
    assert report.format_value(1234567) == "1,234,567"
    assert report.format_value(1234.5678, 2) == "1,234.57"
    assert report.format_value(float("nan")) == "n/a"
    assert report.format_value("Baku") == "Baku"


def test_figures_travel_inside_the_notebook() -> None:
    payload = report.figure_payload("total_t", 12.5, "Total", "t/yr", digits=0)
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {report.FIGURE_MIMETYPE: payload, "text/plain": "x"},
                    }
                ],
            },
            {"cell_type": "markdown", "source": "no outputs"},
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hello"}]},
        ]
    }
    assert report.figures_from_notebook(nb) == [
        {"key": "total_t", "label": "Total", "value": 12.5, "unit": "t/yr", "note": "", "digits": 0}
    ]


# --------------------------------------------------------------------------------------------
# one way to show a table


HEADERS = {
    "name": ("Enterprise", None),
    "fate": ("Fate & treatment", None),
    "waste_t": ("Waste (t/yr)", "{:,.1f}"),
    "streams": ("Streams", "{:,}"),
}


def test_table_with_report_headers_formats_and_no_index_escapes_once(monkeypatch) -> None:
    df = pd.DataFrame(
        {
            "name": ["<b>&amp;", "Gəncə"],
            "fate": ["landfilled", None],
            "waste_t": [1234.56, float("nan")],
            "streams": [1200, 3],
            "note": ["a", "b"],
        },
        index=["<i>row</i>", "r2"],
    )
    monkeypatch.setattr(report, "_TABLES", itertools.count(3))
    styler = report.table(
        df, {"streams": "{:d}"}, "Waste <by> enterprise & site", headers=HEADERS, index=False
    )
    html = styler.to_html()
    # report headers with units; a column the headers do not name keeps its name
    headers = re.findall(r'class="col_heading level0 col\d+" >([^<]*)</th>', html)
    assert headers == ["Enterprise", "Fate &amp; treatment", "Waste (t/yr)", "Streams", "note"]
    # the headers' formats, unless ``formats`` sets one; a missing value is blank
    cells = re.findall(r'class="data row0 col\d+" >([^<]*)</td>', html)
    assert cells == ["&lt;b&gt;&amp;amp;", "landfilled", "1,234.6", "1200", "a"]
    assert re.findall(r'class="data row1 col\d+" >([^<]*)</td>', html)[1:3] == ["", ""]
    # every cell and label escaped exactly once: the data's text is text, never markup
    assert "<b>" not in html and "&amp;amp;amp;" not in html and "&amp;lt;" not in html
    assert "<caption>Waste &lt;by&gt; enterprise &amp; site</caption>" in html
    # no index
    assert "row_heading" not in html and "row</i>" not in html and "&lt;i&gt;" not in html
    # the frame itself is left as it was
    assert list(df.columns) == ["name", "fate", "waste_t", "streams", "note"]
    # deterministic ids: the order of the tables, the same bytes on every render
    assert set(re.findall(r'id="(T_[^"_]+)', html)) == {"T_iwm-table-3"}
    assert styler.to_html() == html
    monkeypatch.setattr(report, "_TABLES", itertools.count(3))
    again = report.table(
        df, {"streams": "{:d}"}, "Waste <by> enterprise & site", headers=HEADERS, index=False
    )
    assert again.to_html() == html


def test_table_escapes_index_and_axis_names_once() -> None:
    df = pd.DataFrame({"t": [1.0]}, index=pd.Index(["<a&b>"], name="<where & who>"))
    df.columns.name = "<what>"
    html = report.table(df).to_html()
    assert ">&lt;a&amp;b&gt;</th>" in html
    assert ">&lt;where &amp; who&gt;</th>" in html and ">&lt;what&gt;</th>" in html
    assert "<where" not in html and "<what>" not in html and "&amp;amp;" not in html
    assert df.index.name == "<where & who>"  # the frame is left as it was


# --------------------------------------------------------------------------------------------
# one way to record key figures


def shown_outputs(monkeypatch) -> list[tuple[tuple, dict]]:
    """What record_figure passes to IPython's display, call by call."""
    import IPython.display

    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: calls.append((a, k)))
    return calls


FIGURES = [
    report.KeyFigure("waste_t", 1234.4, "Waste <generated>", "t/yr", note="a & b", digits=0),
    report.KeyFigure("streams", 12, "Waste streams"),
    report.KeyFigure("region", "Gəncə-Daşkəsən", "Region"),
    report.KeyFigure("rate_pct", float("nan"), "Recovery rate", "%"),
]


def test_record_figures_records_what_the_same_record_figure_calls_do(monkeypatch) -> None:
    calls = shown_outputs(monkeypatch)
    report.record_figures(FIGURES)
    through_list = list(calls)
    calls.clear()
    for f in FIGURES:
        report.record_figure(f.key, f.value, f.label, f.unit, f.note, f.digits)
    assert through_list == calls and len(calls) == len(FIGURES)


def test_a_key_figure_is_shown_and_recorded_as_before(monkeypatch) -> None:
    calls = shown_outputs(monkeypatch)
    report.record_figure("waste_t", 1234.4, "Waste <generated>", "t/yr", "a & b", 0)
    report.record_figure("streams", 12, "Waste streams")
    assert calls == [
        (
            (
                {
                    report.FIGURE_MIMETYPE: {
                        "key": "waste_t",
                        "label": "Waste <generated>",
                        "value": 1234.4,
                        "unit": "t/yr",
                        "note": "a & b",
                        "digits": 0,
                    },
                    "text/plain": "Waste <generated>: 1,234 t/yr",
                    "text/html": '<div class="iwm-figure"><span class="iwm-figure-label">'
                    "Waste &lt;generated&gt;</span> <strong>1,234 t/yr</strong> "
                    '<span class="iwm-figure-note">a &amp; b</span></div>',
                },
            ),
            {"raw": True},
        ),
        (
            (
                {
                    report.FIGURE_MIMETYPE: {
                        "key": "streams",
                        "label": "Waste streams",
                        "value": 12,
                        "unit": "",
                        "note": "",
                        "digits": 1,
                    },
                    "text/plain": "Waste streams: 12",
                    "text/html": '<div class="iwm-figure"><span class="iwm-figure-label">'
                    "Waste streams</span> <strong>12</strong></div>",
                },
            ),
            {"raw": True},
        ),
    ]
    assert report.figure_payload("streams", 12, "Waste streams") == FIGURES[1].payload()


# --------------------------------------------------------------------------------------------
# notebooks show DataFrames one way only

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("**/*.ipynb"))
#: Other ways of showing a DataFrame than ``report.table``.
OTHER_WAYS = re.compile(r"\.style\b|\bpresentable\(|\bstyled\(|\.to_html\(")
#: What a notebook may pass to ``display``: a table, or Markdown/HTML text.
DISPLAYED = {"table", "Markdown", "HTML"}


def code_cells() -> list[tuple[str, str, str]]:
    """(notebook, cell id, source without IPython magics) of every code cell."""
    cells = []
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                lines = [line for line in source.splitlines() if not line.startswith(("%", "!"))]
                cells.append(
                    (path.relative_to(PROJECT_ROOT).as_posix(), cell.get("id"), "\n".join(lines))
                )
    return cells


def other_ways(source: str) -> list[str]:
    """Where ``source`` shows a DataFrame some other way than ``report.table``."""
    found = [m.group() for m in OTHER_WAYS.finditer(source)]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and "display" in (
            getattr(node.func, "id", None),
            getattr(node.func, "attr", None),
        ):
            for arg in node.args:
                if getattr(getattr(arg, "func", None), "id", None) not in DISPLAYED:
                    found.append(f"display({ast.unparse(arg)})")
        # restyling what table returns (table(...).hide(), .format(...)): table's arguments say it
        called = getattr(getattr(node, "value", None), "func", None)
        if isinstance(node, ast.Attribute) and getattr(called, "id", None) == "table":
            found.append(f"table(...).{node.attr}")
    return found


def test_notebooks_show_dataframes_only_through_report_table() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"02_waste_inventory.ipynb", "walkthrough.ipynb"}
    found = [
        f"{notebook} [{cell_id}]: {way}"
        for notebook, cell_id, source in code_cells()
        for way in other_ways(source)
    ]
    assert not found, "show a DataFrame with report.table(...):\n" + "\n".join(found)


def test_the_scan_finds_the_other_ways() -> None:
    for source in [
        "df.style.format('{:.1f}')",
        "table(*inv.presentable(df), caption='x').hide()",
        "circular.styled(df)",
        "HTML(df.to_html())",
        "display(df.head())",
        "IPython.display.display(table(df).hide())",
        "table(df, caption='x').format(escape='html', subset=['district'])",
    ]:
        assert other_ways(source), source
    assert not other_ways(
        "display(table(df, caption='x', headers=inv.COLUMN_HEADERS, index=False))\n"
        "display(Markdown('**x**'))"
    )


def test_code_cells_never_break_and_other_text_may() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "ewc": ["17 04 05*", "15 01", None],
            "nace": ["23.51", "24", "10.5"],
            "op": ["R4", "D10", "R13"],
            "name": ["Sahil Sement", "17 04 05", "Xəzər"],
        }
    )
    styled = report.table(frame, index=False)
    nowrap = {r["selector"] for r in styled.table_styles if ("white-space", "nowrap") in r["props"]}
    assert nowrap == {"td.col0", "td.col1", "td.col2"}
