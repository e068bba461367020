"""Readers: CSV (with and without BOM), workbook and GeoPackage give the same typed tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study.data import load_study, to_tonnes, write_study
from iwm_study.data.readers import sniff_kind

TABLES = ("enterprises", "waste_streams", "facilities")


def assert_same_tables(a, b, ignore_index: bool = False) -> None:
    for name in TABLES:
        left, right = getattr(a, name), getattr(b, name)
        if ignore_index:
            left, right = left.reset_index(drop=True), right.reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_like=False)


def test_types_and_derived_columns(good_dir: Path) -> None:
    study = load_study(good_dir, today=TODAY)
    s = study.waste_streams
    assert list(s.index) == [2, 3, 4, 5]  # spreadsheet rows: header is row 1
    assert s["ewc_code"].tolist() == ["10 13 06", "07 02 08*", "10 03 08*", "13 02 05*"]
    assert s["hazardous"].tolist() == [False, True, True, True]
    assert s["ewc_chapter"].tolist() == ["10", "07", "10", "13"]
    assert s["ewc_subchapter"].tolist() == ["10 13", "07 02", "10 03", "13 02"]
    # 1200 t; 5000 kg = 5 t; 300 t; 10 m3 x 0.9 t/m3 = 9 t
    assert s["quantity_t"].tolist() == [1200.0, 5.0, 300.0, 9.0]
    e = study.enterprises
    assert e["nace_code"].tolist() == ["23.51", "20.16", "24.42"]  # section letter dropped
    assert e["nace_division"].tolist() == ["23", "20", "24"]
    assert e["nace_section"].tolist() == ["C", "C", "C"]
    assert str(e["employees"].dtype) == "Int64"
    assert e.crs.to_epsg() == 4326
    assert (e.geometry.x.round(4).tolist(), e.geometry.y.round(4).tolist()) == (
        [49.8671, 49.6686, 46.3606],
        [40.4093, 40.5897, 40.6828],
    )
    f = study.facilities
    assert f["accepted_ewc_list"].tolist() == [["07", "10 03", "13 02 05"]]
    assert f["operations_list"].tolist() == [["D10", "D5", "R13"]]
    assert f["hazardous_permitted"].tolist() == [True]


def test_unit_converter() -> None:
    q = pd.Series([2.0, 2500.0, 4.0, 3.0])
    unit = pd.Series(["t", "kg", "m3", "m3"])
    density = pd.Series([None, None, 1.25, None], dtype=float)
    out = to_tonnes(q, unit, density)
    assert out.tolist()[:3] == [2.0, 2.5, 5.0]
    assert pd.isna(out.iloc[3])  # a volume without density has no mass


def test_unit_aliases_and_decimal_comma(tmp_path: Path) -> None:
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items()}
    tables["waste_streams"][0].update(unit="tonnes", quantity="1200,5")
    tables["waste_streams"][3].update(unit="m³", density_t_m3="0,9")
    study = load_study(write_tables(tmp_path / "d", tables), today=TODAY)
    assert study.waste_streams["unit"].tolist() == ["t", "kg", "t", "m3"]
    assert study.waste_streams["quantity_t"].tolist()[0] == 1200.5
    assert study.waste_streams["quantity_t"].tolist()[3] == pytest.approx(9.0)


def test_bom_csv_reads_the_same(tmp_path: Path) -> None:
    plain = load_study(write_tables(tmp_path / "plain", GOOD), today=TODAY)
    bom_dir = write_tables(tmp_path / "bom", GOOD, bom=True)
    assert (bom_dir / "enterprises.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert_same_tables(plain, load_study(bom_dir, today=TODAY))


def test_azerbaijani_letters_survive_every_format(tmp_path: Path, good_dir: Path) -> None:
    study = load_study(good_dir, today=TODAY)
    names = ["Bakı Sement Zavodu", "Sumqayıt Kimya Şirkəti", "Gəncə Alüminium Ğöçüə"]
    assert study.enterprises["name"].tolist() == names
    for dest in (tmp_path / "s.xlsx", tmp_path / "s.gpkg", tmp_path / "csv"):
        write_study(study, dest)
        again = load_study(dest, today=TODAY)
        assert again.enterprises["name"].tolist() == names
        assert again.facilities["name"].tolist() == ["Sumqayıt Təhlükəli Tullantılar"]


def test_csv_workbook_csv_round_trip(tmp_path: Path, good_dir: Path) -> None:
    original = load_study(good_dir, today=TODAY)
    write_study(original, tmp_path / "study.xlsx")
    assert sniff_kind(tmp_path / "study.xlsx") == "xlsx"
    from_book = load_study(tmp_path / "study.xlsx", today=TODAY)
    assert_same_tables(original, from_book)
    write_study(from_book, tmp_path / "back")
    back = load_study(tmp_path / "back", today=TODAY)
    assert_same_tables(original, back)
    # and writing is deterministic: the same tables give the same bytes
    write_study(back, tmp_path / "again")
    for name in TABLES:
        assert (tmp_path / "back" / f"{name}.csv").read_bytes() == (
            tmp_path / "again" / f"{name}.csv"
        ).read_bytes()


def test_geopackage_reads_the_same(tmp_path: Path, good_dir: Path) -> None:
    original = load_study(good_dir, today=TODAY)
    write_study(original, tmp_path / "study.gpkg")
    assert sniff_kind(tmp_path / "study.gpkg") == "gpkg"
    from_gpkg = load_study(tmp_path / "study.gpkg", today=TODAY)
    assert list(from_gpkg.waste_streams.index) == [1, 2, 3, 4]  # GeoPackage feature ids
    assert_same_tables(original, from_gpkg, ignore_index=True)


def test_workbook_numbers_are_numbers(tmp_path: Path, good_dir: Path) -> None:
    from openpyxl import load_workbook

    write_study(load_study(good_dir, today=TODAY), tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx")["waste_streams"]
    header = [c.value for c in ws[1]]
    row2 = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert (
        row2["quantity"] == 1200
        and row2["reference_year"] == 2022
        and row2["ewc_code"] == "10 13 06"
    )


def test_facilities_table_is_optional(good_dir: Path) -> None:
    (good_dir / "facilities.csv").unlink()
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items() if n != "facilities"}
    for r in tables["waste_streams"]:
        r["destination_facility_id"] = ""
    write_tables(good_dir, tables)
    study = load_study(good_dir, today=TODAY)
    assert len(study.facilities) == 0
    assert "accepted_ewc_list" in study.facilities.columns


def test_region_subset(good_dir: Path) -> None:
    study = load_study(good_dir, today=TODAY).for_region("Ganja-Dashkasan")
    assert study.enterprises["enterprise_id"].tolist() == ["E3"]
    assert study.waste_streams["stream_id"].tolist() == ["S3", "S4"]


def test_blank_lines_and_multiline_cells_keep_row_numbers(good_dir: Path) -> None:
    path = good_dir / "waste_streams.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # a quoted description spanning two lines on row 2, a blank line after it, then row 3 spoilt
    lines[1] = lines[1].replace(",Dust,", ',"Dust,\nfine",')
    lines[2] = lines[2].replace(",5000,", ",-1,")
    path.write_text(
        lines[0] + "\n" + lines[1] + "\n\n" + "\n".join(lines[2:]) + "\n", encoding="utf-8"
    )
    from iwm_study.data import validate_study

    (issue,) = validate_study(good_dir, today=TODAY).errors
    assert (issue.row, issue.column, issue.rule) == (
        5,
        "quantity",
        "negative-value",
    )  # physical line 5


def test_units_row_and_example_rows_are_skipped(tmp_path: Path) -> None:
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items()}
    units = {k: "" for k in tables["waste_streams"][0]} | {
        "stream_id": "[units]",
        "quantity": "per year",
    }
    example = dict(tables["waste_streams"][0]) | {"stream_id": "EXAMPLE-1", "quantity": "-99"}
    tables["waste_streams"] = [units, example, *tables["waste_streams"]]
    study = load_study(write_tables(tmp_path / "d", tables), today=TODAY)
    assert study.waste_streams["stream_id"].tolist() == ["S1", "S2", "S3", "S4"]
    assert list(study.waste_streams.index) == [4, 5, 6, 7]  # rows keep their numbers in the file
