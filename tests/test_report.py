"""What notebooks tell their reports: key figures and tables."""

from __future__ import annotations

import itertools

import pandas as pd

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
