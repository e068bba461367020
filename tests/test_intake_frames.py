"""The two optional population tables, register and regional_statistics: read like the survey
tables (CSV, workbook sheet, GeoPackage layer), typed, and checked with the same messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study.data import load_study, validate_study, write_study
from iwm_study.data.template import fill_template, write_template

R, S = "register.csv", "regional_statistics.csv"

REGISTER = [
    dict(economic_region="Baku", nace_division="C23", enterprises="12", employees="2400",
         reference_year="2022", source="SSC register 2022"),
    dict(economic_region="Absheron-Khizi", nace_division="20", enterprises="5", employees="900",
         reference_year="2022", source=""),
    dict(economic_region="Ganja-Dashkasan", nace_division="24", enterprises="2",
         employees="1500", reference_year="2022", source="SSC register 2022"),
    dict(economic_region="Ganja-Dashkasan", nace_division="10", enterprises="40",
         employees="800", reference_year="2022", source="SSC register 2022"),
]  # fmt: skip
STATISTICS = [
    dict(economic_region="Baku", enterprises="560", employees="25000",
         industrial_output_mazn="7580.5", waste_generated_t="462000", reference_year="2022",
         source="SSC 2023"),
    dict(economic_region="Nakhchivan", enterprises="", employees="", industrial_output_mazn="",
         waste_generated_t="9130", reference_year="2022", source=""),
]  # fmt: skip


def study_dir(folder: Path, register=None, statistics=None, **changes) -> Path:
    """GOOD with the two tables; ``changes`` maps (table, row) -> {column: value}."""
    tables = {n: [dict(r) for r in rows] for n, rows in GOOD.items()}
    tables["register"] = [dict(r) for r in (REGISTER if register is None else register)]
    tables["regional_statistics"] = [
        dict(r) for r in (STATISTICS if statistics is None else statistics)
    ]
    for (table, row), cells in changes.get("spoilt", {}).items():
        tables[table][row - 2].update(cells)
    return write_tables(folder, tables)


def issues(folder: Path) -> set[tuple[str, int | None, str | None, str, str | None, str]]:
    """(file name, row, column, rule, value, severity) of every problem."""
    return {
        (Path(i.file).name, i.row, i.column, i.rule, i.value, i.severity)
        for i in validate_study(folder, today=TODAY).issues
    }


def test_absent_tables_are_no_problem_and_none(good_dir: Path) -> None:
    (good_dir / "regional_statistics.csv").unlink()  # the tiny study has one; this test none
    assert validate_study(good_dir, today=TODAY).issues == []
    study = load_study(good_dir, today=TODAY)
    assert study.register is None and study.regional_statistics is None
    assert study.for_region("Baku").register is None


def test_empty_tables_are_no_problem_and_none(tmp_path: Path) -> None:
    folder = study_dir(tmp_path / "d")
    (folder / R).write_text(",".join(REGISTER[0]) + "\n", encoding="utf-8")
    (folder / S).write_text(",".join(STATISTICS[0]) + "\n", encoding="utf-8")
    assert validate_study(folder, today=TODAY).issues == []
    study = load_study(folder, today=TODAY)
    assert study.register is None and study.regional_statistics is None


def test_tables_are_typed(tmp_path: Path) -> None:
    study = load_study(study_dir(tmp_path / "d"), today=TODAY)
    reg = study.register
    assert list(reg.index) == [2, 3, 4, 5]
    assert reg["nace_division"].tolist() == ["23", "20", "24", "10"]  # 'C23' read as 23
    assert reg["enterprises"].tolist() == [12, 5, 2, 40]
    assert str(reg["employees"].dtype) == "Int64"
    assert reg["source"].isna().tolist() == [False, True, False, False]
    stats = study.regional_statistics
    assert stats["economic_region"].tolist() == ["Baku", "Nakhchivan"]
    assert stats["industrial_output_mazn"].tolist()[0] == 7580.5
    assert stats.loc[3, ["enterprises", "employees", "industrial_output_mazn"]].isna().all()
    assert stats["waste_generated_t"].tolist() == [462000.0, 9130.0]
    assert study.files["register"].endswith(R)


def test_a_region_keeps_its_register_rows_and_all_statistics(tmp_path: Path) -> None:
    study = load_study(study_dir(tmp_path / "d"), today=TODAY)
    ganja = study.for_region("Ganja-Dashkasan")
    assert ganja.register["nace_division"].tolist() == ["24", "10"]
    assert list(ganja.register.index) == [4, 5]
    assert ganja.regional_statistics["economic_region"].tolist() == ["Baku", "Nakhchivan"]
    assert len(study.register) == 4  # the study itself is unchanged
    assert study.for_region("Nakhchivan").register is None  # no row of its own: none


# One bad cell each: (table, row, column, value) -> the rule, and the value the issue names
# (a number as it was read: -5 in an integer column, -1.0 in a decimal one).
CASES = {
    "unknown region": ((R, 3, "economic_region", "Absheron Khizi"), "unknown-region", None),
    "a NACE class, not a division": ((R, 2, "nace_division", "23.51"), "nace-division", None),
    "not a NACE code": ((R, 2, "nace_division", "2x"), "nace-division", None),
    "a division NACE Rev.2 lacks": ((R, 2, "nace_division", "04"), "nace-rev2", None),
    "section letter of another division": ((R, 2, "nace_division", "B23"), "nace-rev2", None),
    "negative enterprises": ((R, 3, "enterprises", "-5"), "negative-value", None),
    "enterprises not a number": ((R, 3, "enterprises", "five"), "type", None),
    "employees not whole": ((R, 4, "employees", "1500.5"), "type", None),
    "employees blank": ((R, 4, "employees", ""), "value-missing", ""),
    "year out of range": ((R, 5, "reference_year", "2030"), "year-range", None),
    "statistics: unknown region": ((S, 2, "economic_region", "Bakı"), "unknown-region", None),
    "statistics: negative waste": ((S, 3, "waste_generated_t", "-1"), "negative-value", "-1.0"),
    "statistics: ambiguous number": (
        (S, 2, "industrial_output_mazn", "7.580,5"),
        "number-ambiguous",
        None,
    ),
    "statistics: year blank": ((S, 3, "reference_year", ""), "value-missing", ""),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_cell_is_named_by_file_row_column_and_value(tmp_path: Path, case: str) -> None:
    (file, row, column, value), rule, shown = CASES[case]
    shown = value if shown is None else shown
    table = "register" if file == R else "regional_statistics"
    folder = study_dir(tmp_path / "d", spoilt={(table, row): {column: value}})
    found = [i for i in validate_study(folder, today=TODAY).issues if i.severity == "error"]
    assert [(Path(i.file).name, i.row, i.column, i.rule, i.value) for i in found] == [
        (file, row, column, rule, shown)
    ]
    sentence = found[0].sentence()
    assert f"{file}, row {row}, column {column}" in sentence and f"[{rule}]" in sentence


def test_a_repeated_region_and_division_is_an_error(tmp_path: Path) -> None:
    rows = [*REGISTER, dict(REGISTER[0], nace_division="23", enterprises="3")]  # 'C23' again
    found = issues(study_dir(tmp_path / "d", register=rows))
    assert found == {(R, 6, "nace_division", "duplicate-id", "Baku / 23", "error")}
    message = next(i.message for i in validate_study(tmp_path / "d", today=TODAY).issues)
    assert "economic_region 'Baku', nace_division '23'" in message and "row 2" in message


def test_a_repeated_region_of_the_statistics_is_an_error(tmp_path: Path) -> None:
    rows = [*STATISTICS, dict(STATISTICS[0], waste_generated_t="1")]
    found = issues(study_dir(tmp_path / "d", statistics=rows))
    assert found == {(S, 4, "economic_region", "duplicate-id", "Baku", "error")}


def test_a_register_below_the_survey_gets_a_warning(tmp_path: Path) -> None:
    # The survey has E1 in Baku, division 23, with 400 employees (conftest.GOOD).
    rows = [dict(REGISTER[0], enterprises="0", employees="300"), *REGISTER[1:]]
    found = issues(study_dir(tmp_path / "d", register=rows))
    assert found == {
        (R, 2, "enterprises", "register-below-survey", "0", "warning"),
        (R, 2, "employees", "register-below-survey", "300", "warning"),
    }
    study = load_study(tmp_path / "d", today=TODAY)  # a warning does not stop the study
    assert len(study.register) == 4
    assert any("the survey has 400" in i.message for i in study.warnings.issues)


def test_template_has_the_sheets_and_reads_them_back(tmp_path: Path) -> None:
    path = write_template(tmp_path / "survey.xlsx")
    records = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    records["register"] = [dict(r) for r in REGISTER]
    records["register"][1]["nace_division"] = 20  # typed as a number in the sheet
    records["regional_statistics"] = [dict(r) for r in STATISTICS]
    fill_template(path, records)
    from_book = load_study(path, today=TODAY)
    from_csv = load_study(study_dir(tmp_path / "d"), today=TODAY)
    for name in ("register", "regional_statistics"):
        pd.testing.assert_frame_equal(
            getattr(from_book, name).reset_index(drop=True),
            getattr(from_csv, name).reset_index(drop=True),
        )
    assert list(from_book.register.index) == [4, 5, 6, 7]  # header, units row, example row


def test_a_number_cell_that_lost_its_leading_zero_is_read_as_the_division(tmp_path: Path) -> None:
    path = write_template(tmp_path / "survey.xlsx")
    records = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    records["register"] = [dict(REGISTER[0], nace_division=1)]  # 01: crop and animal production
    fill_template(path, records)
    assert load_study(path, today=TODAY).register["nace_division"].tolist() == ["01"]


@pytest.mark.parametrize("dest", ["study.xlsx", "study.gpkg", "csv"])
def test_write_study_round_trips_both_tables(tmp_path: Path, dest: str) -> None:
    original = load_study(study_dir(tmp_path / "d"), today=TODAY)
    write_study(original, tmp_path / dest)
    again = load_study(tmp_path / dest, today=TODAY)
    for name in ("register", "regional_statistics"):
        pd.testing.assert_frame_equal(
            getattr(original, name).reset_index(drop=True),
            getattr(again, name).reset_index(drop=True),
        )
