"""Waste stored at the producer's site (D15, R13) against the Landfill Directive's limits, and
the intake of the storage year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study import inventory as inv
from iwm_study.data import load_study, validate_study

#: (stream, enterprise, fate, operation, tonnes, reference year, in store since)
STREAMS = [
    ("S1", "E1", "kept_on_site", "D15", 100.0, 2022, 2020),  # 2 years > 1: over
    ("S2", "E1", "kept_on_site", "D15", 50.0, 2022, 2021),  # 1 year, not more than 1: within
    ("S3", "E2", "kept_on_site", "R13", 30.0, 2022, 2019),  # 3 years, not more than 3: within
    ("S4", "E2", "kept_on_site", "R13", 20.0, 2022, 2018),  # 4 years > 3: over
    ("S5", "E2", "kept_on_site", "D15", 10.0, 2022, None),  # not known
    ("S6", "E1", "kept_on_site", "R13", 5.0, 2021, None),  # not known
    ("S7", "E1", "sold_or_transferred", "R13", 40.0, 2022, None),  # at a collector: not flagged
    ("S8", "E2", "kept_on_site", "D1", 70.0, 2022, None),  # deposited, not stored
    ("S9", "E3", "landfilled", "D5", 15.0, 2022, None),
]


def streams() -> pd.DataFrame:
    frame = pd.DataFrame(
        STREAMS,
        columns=[
            "stream_id",
            "enterprise_id",
            "fate",
            "operation",
            "quantity_t",
            "reference_year",
            "storage_since_year",
        ],
    )
    frame["reference_year"] = frame["reference_year"].astype("Int64")
    frame["storage_since_year"] = frame["storage_since_year"].astype("Int64")
    frame["ewc_code"] = "10 02 02"
    frame["description"] = "slag"
    return frame


ENTERPRISES = pd.DataFrame(
    {"enterprise_id": ["E1", "E2", "E3"], "economic_region": ["Baku", "Baku", "Ganja-Dashkasan"]}
)


def test_each_stream_stored_on_site_gets_its_flag() -> None:
    flags = inv.storage_flags(streams()).set_index("stream_id")
    assert sorted(flags.index) == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert flags["flag"].to_dict() == {
        "S1": "over_limit",
        "S4": "over_limit",
        "S5": "unknown",
        "S6": "unknown",
        "S2": "within_limit",
        "S3": "within_limit",
    }
    assert list(flags.index) == ["S1", "S4", "S5", "S6", "S2", "S3"]  # flag, then tonnes
    assert flags.loc["S1", ["years_in_store", "limit_years"]].tolist() == [2, 1]
    assert flags.loc["S4", ["years_in_store", "limit_years"]].tolist() == [4, 3]
    assert pd.isna(flags.loc["S5", "years_in_store"])


def test_tonnes_per_flag() -> None:
    flags = inv.storage_flags(streams())
    totals = inv.storage_totals(flags)
    # stored on site: 100 + 50 + 30 + 20 + 10 + 5 = 215 t; over 100 + 20; unknown 10 + 5
    assert totals == {
        "stored_on_site_t": 215.0,
        "over_limit_t": 120.0,
        "unknown_t": 15.0,
        "within_limit_t": 80.0,
    }
    summary = inv.storage_summary(flags)
    assert summary["label"].tolist() == ["over the limit", "not known: check", "within the limit"]
    assert summary["streams"].tolist() == [2, 2, 2]
    assert summary["share_pct"].tolist() == pytest.approx(
        [100 * 120 / 215, 100 * 15 / 215, 100 * 80 / 215]
    )
    figures = {f.key: f.value for f in inv.storage_key_figures(totals)}
    assert figures == {
        "stored_on_site_t": 215.0,
        "storage_over_limit_t": 120.0,
        "storage_unknown_t": 15.0,
    }


def test_a_flag_with_no_stream_is_listed_with_zero() -> None:
    summary = inv.storage_summary(inv.storage_flags(streams().iloc[[0]]))
    assert summary["streams"].tolist() == [1, 0, 0]
    assert summary["waste_t"].tolist() == [100.0, 0.0, 0.0]


def test_without_the_storage_column_every_stored_stream_is_not_known() -> None:
    flags = inv.storage_flags(streams().drop(columns="storage_since_year"))
    assert set(flags["flag"]) == {"unknown"} and len(flags) == 6


def test_tonnes_by_operation_and_region() -> None:
    table = inv.storage_by_operation(streams(), ENTERPRISES).set_index(
        ["economic_region", "operation"]
    )
    assert list(table.index) == [
        ("Baku", "D15"),
        ("Baku", "R13"),
        ("Ganja-Dashkasan", "D15"),
        ("Ganja-Dashkasan", "R13"),
    ]
    # Baku D15: S1 100 + S2 50 + S5 10 = 160 t, all at the site; over 100, not known 10
    assert table.loc[("Baku", "D15")].tolist()[:2] == [3, 160.0]
    assert table.loc[("Baku", "D15"), ["on_site_t", "over_limit_t", "unknown_t"]].tolist() == [
        160.0,
        100.0,
        10.0,
    ]
    # Baku R13: S3 30 + S4 20 + S6 5 + S7 40 (at a collector) = 95 t; at the site 55
    assert table.loc[("Baku", "R13"), ["streams", "waste_t", "on_site_t"]].tolist() == [
        4,
        95.0,
        55.0,
    ]
    # shares of Baku's 325 t (every stream of E1 and E2)
    assert table.loc[("Baku", "D15"), "share_pct"] == pytest.approx(100 * 160 / 325)
    assert table.loc[("Ganja-Dashkasan", "D15")].tolist()[:2] == [0, 0.0]


def test_storage_sentence() -> None:
    text = inv.storage_sentence(inv.storage_totals(inv.storage_flags(streams())), "Baku")
    assert "215 t per year" in text and "120 t" in text and "15 t" in text
    none = inv.storage_totals(inv.storage_flags(streams().iloc[[8]]))
    assert inv.storage_sentence(none, "Baku").startswith("No waste is reported as stored")


# --- intake of storage_since_year ----------------------------------------------------------


def with_storage(folder: Path, years: list[str], operations: list[str] | None = None) -> Path:
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items()}
    for row, year in zip(tables["waste_streams"], years, strict=True):
        row["storage_since_year"] = year
    for row, op in zip(tables["waste_streams"], operations or [], strict=False):
        row["operation"] = op
    return write_tables(folder, tables)


def test_storage_year_is_read_and_typed(tmp_path: Path) -> None:
    folder = with_storage(tmp_path / "d", ["", "", "2019", ""], ["R5", "D10", "D15", "R9"])
    assert validate_study(folder, today=TODAY).issues == []
    s = load_study(folder, today=TODAY).waste_streams
    assert str(s["storage_since_year"].dtype) == "Int64"
    assert s["storage_since_year"].tolist()[2] == 2019


def test_storage_year_rules(tmp_path: Path) -> None:
    # row 2: not a storage operation (R5): kept, with a warning; row 3: after its reference
    # year 2022; row 4: before 1900; row 5: not a whole year
    folder = with_storage(
        tmp_path / "d", ["2020", "2023", "1850", "2020.5"], ["R5", "D15", "D15", "R13"]
    )
    found = {
        (i.row, i.column, i.rule, i.severity, i.value)
        for i in validate_study(folder, today=TODAY).issues
    }
    assert found == {
        (2, "storage_since_year", "storage-year-unused", "warning", "2020"),
        (3, "storage_since_year", "storage-year", "error", "2023"),
        (4, "storage_since_year", "storage-year", "error", "1850"),
        (5, "storage_since_year", "type", "error", "2020.5"),
    }
    issue = next(i for i in validate_study(folder, today=TODAY).issues if i.row == 3)
    assert issue.file.endswith("waste_streams.csv")
    assert "after the year the quantity refers to" in issue.message
