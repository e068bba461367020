"""Every validation rule, each with a small bad file: the exact file, row, column and rule reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD, TODAY, spoil, write_tables

from iwm_study.data import StudyDataError, load_study, validate_study

E, S, F = "enterprises.csv", "waste_streams.csv", "facilities.csv"


def found(folder: Path, **options) -> set[tuple[str, int | None, str | None, str]]:
    """(file name, row, column, rule) of every error reported for the study at ``folder``."""
    report = validate_study(folder, today=TODAY, **options)
    return {(Path(i.file).name, i.row, i.column, i.rule) for i in report.errors}


def test_good_study_has_no_problem(good_dir: Path) -> None:
    assert validate_study(good_dir, today=TODAY).issues == []


# One spoilt cell each: (table, row, column, new value) -> exactly the problems expected.
CELL_CASES = {
    "wrong type (int)": (("enterprises", 2, "employees", "many"), {(E, 2, "employees", "type")}),
    "fractional int": (("enterprises", 3, "employees", "12.5"), {(E, 3, "employees", "type")}),
    "wrong type (float)": (("waste_streams", 2, "quantity", "lots"), {(S, 2, "quantity", "type")}),
    "negative quantity": (
        ("waste_streams", 3, "quantity", "-5"),
        {(S, 3, "quantity", "negative-value")},
    ),
    "negative employees": (
        ("enterprises", 2, "employees", "-1"),
        {(E, 2, "employees", "negative-value")},
    ),
    "required blank": (("enterprises", 3, "name", ""), {(E, 3, "name", "value-missing")}),
    "duplicate id": (
        ("enterprises", 3, "enterprise_id", "E1"),
        # the second E1 is reported, and the stream of the E2 that no longer exists
        {(E, 3, "enterprise_id", "duplicate-id"), (S, 3, "enterprise_id", "unknown-enterprise")},
    ),
    "unknown enterprise": (
        ("waste_streams", 2, "enterprise_id", "E9"),
        {(S, 2, "enterprise_id", "unknown-enterprise")},
    ),
    "unknown facility": (
        ("waste_streams", 3, "destination_facility_id", "F9"),
        {(S, 3, "destination_facility_id", "unknown-facility")},
    ),
    "malformed EWC": (
        ("waste_streams", 2, "ewc_code", "10-13-06"),
        {(S, 2, "ewc_code", "ewc-format")},
    ),
    "EWC five digits": (
        ("waste_streams", 2, "ewc_code", "10 13 6"),
        {(S, 2, "ewc_code", "ewc-format")},
    ),
    "EWC chapter missing": (
        ("waste_streams", 2, "ewc_code", "21 01 01"),
        {(S, 2, "ewc_code", "ewc-chapter")},
    ),
    "EWC sub-chapter missing": (
        ("waste_streams", 4, "ewc_code", "10 15 01"),
        {(S, 4, "ewc_code", "ewc-subchapter")},
    ),
    "unknown unit": (("waste_streams", 2, "unit", "lb"), {(S, 2, "unit", "unit")}),
    "volume without density": (
        ("waste_streams", 5, "density_t_m3", ""),
        {(S, 5, "density_t_m3", "density-missing")},
    ),
    "density not positive": (
        ("waste_streams", 5, "density_t_m3", "0"),
        {(S, 5, "density_t_m3", "density-range")},
    ),
    "invalid R code": (
        ("waste_streams", 2, "operation", "R14"),
        {(S, 2, "operation", "operation-code")},
    ),
    "invalid D code": (
        ("waste_streams", 3, "operation", "D16"),
        {(S, 3, "operation", "operation-code")},
    ),
    "not an operation": (
        ("waste_streams", 3, "operation", "X1"),
        {(S, 3, "operation", "operation-code")},
    ),
    "unknown fate": (("waste_streams", 2, "fate", "burned"), {(S, 2, "fate", "choice")}),
    "unknown state": (
        ("waste_streams", 2, "physical_state", "gooey"),
        {(S, 2, "physical_state", "choice")},
    ),
    "year too early": (
        ("waste_streams", 2, "reference_year", "1985"),
        {(S, 2, "reference_year", "year-range")},
    ),
    "year in the future": (
        ("waste_streams", 2, "reference_year", "2031"),
        {(S, 2, "reference_year", "year-range")},
    ),
    "NACE division not in Rev.2": (
        ("enterprises", 2, "nace_code", "34.10"),
        {(E, 2, "nace_code", "nace-rev2")},
    ),
    "NACE Rev.1.1 subsection": (
        ("enterprises", 2, "nace_code", "DG24.1"),
        {(E, 2, "nace_code", "nace-rev2")},
    ),
    "NACE section mismatch": (
        ("enterprises", 4, "nace_code", "D24.42"),
        {(E, 4, "nace_code", "nace-rev2")},
    ),
    "NACE malformed": (
        ("enterprises", 2, "nace_code", "cement"),
        {(E, 2, "nace_code", "nace-format")},
    ),
    "unknown region": (
        ("enterprises", 2, "economic_region", "Baky"),
        {(E, 2, "economic_region", "unknown-region")},
    ),
    "unknown district": (
        ("enterprises", 2, "district", "Bakuu"),
        {(E, 2, "district", "unknown-district")},
    ),
    "district in another region": (
        ("enterprises", 4, "economic_region", "Baku"),
        {(E, 4, "district", "district-region-mismatch")},
    ),
    "facility EWC sub-chapter": (
        ("facilities", 2, "accepted_ewc", "07; 15 09"),
        {(F, 2, "accepted_ewc", "ewc-subchapter")},
    ),
    "facility operation": (
        ("facilities", 2, "operations", "D10; R0"),
        {(F, 2, "operations", "operation-code")},
    ),
    "facility bool": (
        ("facilities", 2, "hazardous_permitted", "perhaps"),
        {(F, 2, "hazardous_permitted", "type")},
    ),
}


@pytest.mark.parametrize("case", list(CELL_CASES), ids=list(CELL_CASES))
def test_each_rule_reports_exact_place(tmp_path: Path, case: str) -> None:
    (table, row, column, value), expected = CELL_CASES[case]
    folder = write_tables(tmp_path / "data", spoil(table, row, column, value))
    assert found(folder) == expected


def _coords(lon: str, lat: str, row: int = 2) -> dict:
    tables = spoil("enterprises", row, "longitude", lon)
    tables["enterprises"][row - 2]["latitude"] = lat
    return tables


def test_point_outside_azerbaijan(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", _coords("2.35", "48.85"))  # Paris
    assert found(folder) == {(E, 2, "longitude", "outside-country")}


def test_latitude_longitude_swapped_is_named(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", _coords("40.4093", "49.8671"))
    report = validate_study(folder, today=TODAY)
    assert {(i.row, i.rule) for i in report.errors} == {(2, "lat-lon-swapped")}
    assert "swapped" in report.errors[0].message


def test_point_outside_claimed_district_names_where_it_is(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", _coords("46.3606", "40.6828"))  # Ganja, claims Baku City
    report = validate_study(folder, today=TODAY)
    assert {(Path(i.file).name, i.row, i.column, i.rule) for i in report.errors} == {
        (E, 2, "district", "outside-district")
    }
    assert "Ganja City (Ganja-Dashkasan)" in report.errors[0].message


def test_point_outside_claimed_region_when_district_unknown(tmp_path: Path) -> None:
    tables = _coords("46.3606", "40.6828")
    tables["enterprises"][0]["district"] = "Somewhere"
    folder = write_tables(tmp_path / "d", tables)
    assert found(folder) == {
        (E, 2, "district", "unknown-district"),
        (E, 2, "economic_region", "outside-region"),
    }


def test_coordinates_not_degrees(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", _coords("412000", "4470000"))  # UTM metres
    assert found(folder) == {(E, 2, "longitude", "coordinates-range")}


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items()}
    for r in tables["enterprises"]:
        del r["district"]
        r["colour"] = "red"
    folder = write_tables(tmp_path / "d", tables)
    report = validate_study(folder, today=TODAY)
    got = {(Path(i.file).name, i.row, i.column, i.rule) for i in report.errors}
    assert got == {(E, 1, "district", "column-missing"), (E, 1, "colour", "column-unknown")}


def test_empty_file(tmp_path: Path, good_dir: Path) -> None:
    (good_dir / E).write_bytes(b"")
    got = found(good_dir)
    assert (E, None, None, "file-empty") in got
    # the streams of the unreadable enterprises table are not reported as unknown enterprises
    assert not any(rule == "unknown-enterprise" for *_, rule in got)


def test_header_without_rows(good_dir: Path) -> None:
    (good_dir / E).write_text(
        (good_dir / E).read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8"
    )
    got = found(good_dir)
    assert (E, None, None, "table-empty") in got


def test_csv_that_is_a_workbook(good_dir: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(tmp_path / "book.xlsx")
    (good_dir / S).write_bytes((tmp_path / "book.xlsx").read_bytes())
    assert found(good_dir) == {(S, None, None, "file-format")}


def test_workbook_that_is_text(tmp_path: Path) -> None:
    bad = tmp_path / "survey.xlsx"
    bad.write_text("enterprise_id,name\nE1,x\n", encoding="utf-8")
    assert found(bad) == {("survey.xlsx", None, None, "file-format")}


def test_geopackage_that_is_not(tmp_path: Path) -> None:
    bad = tmp_path / "survey.gpkg"
    bad.write_bytes(b"PK\x03\x04 not really")
    assert found(bad) == {("survey.gpkg", None, None, "file-format")}


def test_not_utf8_names_the_line(good_dir: Path) -> None:
    text = (
        (good_dir / E).read_bytes().replace("Gəncə".encode(), b"G\xe7nc\xe7")
    )  # cp1254-like bytes
    (good_dir / E).write_bytes(text)
    assert found(good_dir) == {(E, 4, None, "encoding")}


def test_missing_required_table(good_dir: Path) -> None:
    (good_dir / S).unlink()
    assert found(good_dir) == {(S, None, None, "file-missing")}


def test_missing_source(tmp_path: Path) -> None:
    assert found(tmp_path / "nowhere") == {("nowhere", None, None, "file-missing")}


def test_every_problem_is_collected_not_only_the_first(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 2, "ewc_code", "99 99 99")
    tables["waste_streams"][1]["unit"] = "lb"
    tables["waste_streams"][2]["reference_year"] = "1900"
    tables["enterprises"][0]["employees"] = "x"
    folder = write_tables(tmp_path / "d", tables)
    assert found(folder) == {
        (S, 2, "ewc_code", "ewc-chapter"),
        (S, 3, "unit", "unit"),
        (S, 4, "reference_year", "year-range"),
        (E, 2, "employees", "type"),
    }


def test_messages_name_value_rule_and_hint(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("enterprises", 2, "economic_region", "Baky"))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert issue.value == "Baky"
    assert issue.hint == "did you mean 'Baku'?"
    assert issue.sentence().startswith(str(folder / E) + ", row 2, column economic_region:")


def test_report_as_dataframe(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 3, "quantity", "-1")
    tables["waste_streams"][0]["ewc_code"] = "10 15 01"
    folder = write_tables(tmp_path / "d", tables)
    frame = validate_study(folder, today=TODAY).to_frame()
    assert list(frame.columns) == [
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "rule",
        "message",
        "hint",
        "severity",
    ]
    assert frame[["row", "column", "rule"]].values.tolist() == [
        [2, "ewc_code", "ewc-subchapter"],
        [3, "quantity", "negative-value"],
    ]


def test_load_study_raises_with_full_list(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 3, "quantity", "-1")
    tables["enterprises"][0]["employees"] = "x"
    folder = write_tables(tmp_path / "d", tables)
    with pytest.raises(StudyDataError) as info:
        load_study(folder, today=TODAY)
    assert len(info.value.report.errors) == 2
    assert "2 problems" in str(info.value)
    assert "row 3, column quantity" in str(info.value)


def test_full_ewc_entry_list(tmp_path: Path) -> None:
    entries = tmp_path / "ewc.csv"
    entries.write_text(
        "code,title\n10 13 06,dust\n07 02 08*,still bottoms\n10 03 08*,salt slags\n13 02 05*,oil\n",
        encoding="utf-8",
    )
    folder = write_tables(tmp_path / "d", GOOD)
    assert found(folder, ewc_entries=entries) == set()
    folder = write_tables(tmp_path / "d2", spoil("waste_streams", 2, "ewc_code", "10 13 07"))
    assert found(folder, ewc_entries=entries) == {(S, 2, "ewc_code", "ewc-entry")}
    folder = write_tables(
        tmp_path / "d3", spoil("waste_streams", 4, "ewc_code", "10 03 08")
    )  # star dropped
    assert found(folder, ewc_entries=entries) == {(S, 4, "ewc_code", "ewc-hazard")}


def test_workbook_rows_and_sheets_are_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in spoil("waste_streams", 3, "quantity", "-7").items():
        ws = wb.create_sheet(name)
        ws.append(list(rows[0]))
        for r in rows:
            ws.append(list(r.values()))
    wb.save(tmp_path / "survey.xlsx")
    (issue,) = validate_study(tmp_path / "survey.xlsx", today=TODAY).errors
    assert (issue.sheet, issue.row, issue.column, issue.rule, issue.value) == (
        "waste_streams",
        3,
        "quantity",
        "negative-value",
        "-7.0",
    )
