"""The Excel annex: what ``report.table`` carries, the workbook written from it, and the runner."""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from iwm_study import report
from iwm_study.runner.annex import SHEET_NAME_MAX, sheet_names, source_line, workbook_bytes

HEADERS = {
    "waste_t": ("Waste (t/yr)", "{:,.1f}"),
    "share_pct": ("Share of all waste (%)", "{:.1f}"),
    "hazardous": ("Hazardous", None),
    "name": ("Enterprise", None),
}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Plant <A>", "Mill B"],
            "waste_t": [1234.56, np.nan],
            "share_pct": [75.0, 25.0],
            "hazardous": [True, False],
            "streams": [3, 1],
        }
    )


def _payload() -> dict:
    shown = report.table(
        _frame(), {"streams": "{:,}"}, "Waste by enterprise", headers=HEADERS, index=False
    )
    return shown.iwm_payload


def test_table_carries_its_data_beside_the_same_html() -> None:
    from IPython.core.formatters import DisplayFormatter

    shown = report.table(_frame(), {"streams": "{:,}"}, "Waste by enterprise", headers=HEADERS)
    data, _ = DisplayFormatter().format(shown)
    assert set(data) == {report.TABLE_MIMETYPE, "text/html", "text/plain"}
    assert data["text/html"] == shown._repr_html_()
    payload = json.loads(json.dumps(data[report.TABLE_MIMETYPE]))  # JSON-ready
    # the index (shown here) comes first, under its name (none)
    expected = _payload()
    assert payload["columns"] == [_index_column(), *expected["columns"]]
    assert payload["rows"] == [[i, *row] for i, row in enumerate(expected["rows"])]


def _index_column() -> dict:
    return {"header": "", "name": "", "unit": "", "format": None}


def test_payload_headers_units_formats_and_cells() -> None:
    payload = _payload()
    assert payload["caption"] == "Waste by enterprise"
    columns = payload["columns"]
    assert [c["header"] for c in columns] == [
        "Enterprise",
        "Waste (t/yr)",
        "Share of all waste (%)",
        "Hazardous",
        "streams",
    ]
    assert [c["unit"] for c in columns] == ["", "t/yr", "%", "", ""]
    assert [c["name"] for c in columns][:3] == ["Enterprise", "Waste", "Share of all waste"]
    assert [c["format"] for c in columns] == [None, "#,##0.0", "0.0", None, "#,##0"]
    # numbers stay numbers, a bool is the word shown, NaN an empty cell, text is not escaped
    assert payload["rows"] == [
        ["Plant <A>", 1234.56, 75.0, "True", 3],
        ["Mill B", None, 25.0, "False", 1],
    ]
    assert isinstance(payload["rows"][0][4], int)


def test_excel_formats_and_units() -> None:
    assert report.excel_format("{:,.0f}") == "#,##0"
    assert report.excel_format("{:.1%}") == "0.0%"
    assert report.excel_format("{:+.1f}") == "+0.0;-0.0;0.0"
    assert report.excel_format("{:.4g}") is None
    assert report.excel_format(lambda v: str(v)) is None
    assert report.split_unit("Unaccounted (% of generated)") == ("Unaccounted", "% of generated")
    assert report.split_unit("Rank") == ("Rank", "")


def test_tables_are_read_back_from_the_notebook() -> None:
    nb = {"cells": [{"outputs": [{"data": {report.TABLE_MIMETYPE: _payload()}}]}, {}]}
    assert report.tables_from_notebook(nb) == [_payload()]


def test_sheet_names_are_short_legal_and_unique() -> None:
    long = "Fates of the waste: region and Azerbaijan 2022 (SSC categories)"
    names = sheet_names([long, long, "", "a/b [c]?", "History", "SUMMARY", "summary"])
    assert all(len(n) <= SHEET_NAME_MAX for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[0] == "Fates of the waste region and"
    assert names[1].endswith(" (2)") and names[2] == "Table 3"
    assert names[3] == "a b c" and names[4] != "History" and names[6] == "summary (2)"


def test_workbook_sheets_units_source_and_numbers() -> None:
    context = {
        "title": "Ganja pilot: Waste inventory",
        "study_title": "Mini study",
        "notebook": "notebooks/01_waste_inventory.ipynb",
        "scope": "ganja",
    }
    source = source_line(context)
    assert source == (
        "Source: Ganja pilot: Waste inventory, Mini study, notebook 01_waste_inventory, scope ganja"
    )
    data = workbook_bytes([_payload(), _payload()], source)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Waste by enterprise", "Waste by enterprise (2)"]
    sheet = book["Waste by enterprise"]
    rows = list(sheet.values)
    assert rows[0] == ("Enterprise", "Waste", "Share of all waste", "Hazardous", "streams")
    assert rows[1][:3] == (None, "t/yr", "%")
    assert rows[2] == ("Plant <A>", 1234.56, 75.0, "True", 3)
    assert rows[3][1] is None
    assert rows[-1][0] == source and rows[-2][0] == "Waste by enterprise"
    assert sheet["B3"].data_type == "n" and sheet["B3"].number_format == "#,##0.0"
    assert sheet["E3"].number_format == "#,##0"


def test_two_writes_give_the_same_bytes() -> None:
    first = workbook_bytes([_payload()], "Source: x")
    time.sleep(2.1)  # zip stamps have a resolution of two seconds
    second = workbook_bytes([_payload()], "Source: x")
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in archive.read("docProps/core.xml")


@pytest.mark.slow
def test_the_runner_writes_and_links_the_annex_and_a_failure_keeps_it(tmp_path: Path) -> None:
    from mini_study import make_mini_study

    from iwm_study.cli import main

    study = make_mini_study(tmp_path / "mini")
    args = ["run", "--project", str(study), "--region", "ganja", "--notebook", "n_region"]
    assert main(args) == 0
    annex = study / "outputs" / "ganja" / "n_region.xlsx"
    first = annex.read_bytes()
    index = (study / "outputs" / "index.html").read_text(encoding="utf-8")
    assert 'href="ganja/n_region.xlsx"' in index
    sheet = openpyxl.load_workbook(annex).worksheets[0]
    rows = list(sheet.values)
    # the mini notebook shows its index (no name) and formats n as "{:,.1f}"
    assert rows[0] == (None, "letter", "n") and rows[2] == (0, "G", 1)
    assert sheet["C3"].number_format == "#,##0.0"
    assert rows[-1][0].startswith("Source: ") and "scope ganja" in rows[-1][0]
    # (a rerun writes the same bytes: test_runner.test_reruns_write_identical_bytes hashes
    # every output file, the annexes included)
    # a failed run keeps the last good annex and writes none of its own
    region = study / "parameters" / "regions" / "ganja.yaml"
    region.write_text(
        region.read_text(encoding="utf-8") + "parameters:\n  fail: true\n", encoding="utf-8"
    )
    assert main(args) == 1
    assert annex.read_bytes() == first
    assert not (study / "outputs" / "ganja" / "n_region.failed.xlsx").exists()
