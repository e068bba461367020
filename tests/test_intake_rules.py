"""Intake that never guesses: numbers that read one way only, the full List of Waste, NACE down
to the class, plausibility warnings, and the messages of broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD, TODAY, spoil, write_tables

from iwm_study.data import load_study, validate_study
from iwm_study.data.numbers import read_number

S = "waste_streams.csv"
E = "enterprises.csv"
F = "facilities.csv"


def issues(folder: Path, **options) -> list:
    return validate_study(folder, today=TODAY, **options).issues


def where(folder: Path, **options) -> set[tuple[str, int | None, str | None, str, str]]:
    """(file, row, column, rule, severity) of every problem at ``folder``."""
    return {
        (Path(i.file).name, i.row, i.column, i.rule, i.severity) for i in issues(folder, **options)
    }


# --- numbers typed as text -----------------------------------------------------------------

UNAMBIGUOUS = {
    "1200": 1200.0,
    "-3": -3.0,
    "0.75": 0.75,
    "2,5": 2.5,  # a comma that cannot group thousands: a decimal comma
    "0,200": 0.2,  # nobody groups thousands after a leading 0
    "1234.567": 1234.567,  # four digits before the point cannot be a thousands group
    ".5": 0.5,
    "1.5e3": 1500.0,
}
AMBIGUOUS = {
    # text: (rule, readings that must be named in the message)
    "1,200": ("number-ambiguous", ["1.2", "1200"]),
    "1.200": ("number-ambiguous", ["1200", "1.2"]),
    "1 200": ("number-ambiguous", ["1200"]),
    "1\u00a0200": ("number-ambiguous", ["1200"]),  # a no-break space, as spreadsheets write
    "1.200,5": ("number-ambiguous", ["1200.5"]),
    "1,234,567": ("number-ambiguous", ["1234567"]),
    "inf": ("number-not-finite", []),
    "-Infinity": ("number-not-finite", []),
    "nan": ("number-not-finite", []),
    "1e400": ("number-not-finite", []),
    "12 t": ("type", []),
    "1,2,3": ("type", []),
}


@pytest.mark.parametrize(("text", "value"), UNAMBIGUOUS.items())
def test_a_number_that_reads_one_way_is_read(text: str, value: float) -> None:
    assert read_number(text).value == value


@pytest.mark.parametrize(("text", "expected"), AMBIGUOUS.items())
def test_a_number_that_reads_two_ways_is_an_error_naming_the_readings(text, expected) -> None:
    rule, readings = expected
    reading = read_number(text)
    assert reading.value is None and reading.rule == rule
    for r in readings:
        assert r in reading.message
    if rule == "number-ambiguous":
        assert "number_format" in reading.hint


DECLARED = {
    # text: (value with a decimal comma, value with a decimal point); None = not a number
    "1.200": (1200.0, 1.2),
    "1,200": (1.2, 1200.0),
    "1 200": (1200.0, 1200.0),
    "1.200,5": (1200.5, None),
    "1,200.5": (None, 1200.5),
    "1 234 567,25": (1234567.25, None),
    "1,5": (1.5, 1.5),  # reads one way only, so either format reads it
    "1.20.0": (None, None),  # groups of three digits only
    "1.2345,6": (None, None),
}


@pytest.mark.parametrize(("text", "values"), DECLARED.items())
def test_a_declared_number_format_reads_groups_and_decimals(text: str, values) -> None:
    for fmt, expected in zip(("decimal_comma", "decimal_point"), values, strict=True):
        assert read_number(text, fmt).value == expected, fmt


def test_ambiguous_quantity_in_a_csv_is_an_error_with_both_readings(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 2, "quantity", "1,200"))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (Path(issue.file).name, issue.row, issue.column, issue.rule, issue.value) == (
        S,
        2,
        "quantity",
        "number-ambiguous",
        "1,200",
    )
    assert "1.2" in issue.message and "1200" in issue.message
    with pytest.raises(Exception, match="number-ambiguous"):
        load_study(folder, today=TODAY)


def test_declared_decimal_comma_reads_the_same_cell(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 2, "quantity", "1.200,5")
    tables["waste_streams"][3]["density_t_m3"] = "0,9"
    folder = write_tables(tmp_path / "d", tables)
    study = load_study(folder, today=TODAY, number_format="decimal_comma")
    assert study.waste_streams["quantity_t"].tolist() == [1200.5, 5.0, 300.0, pytest.approx(9.0)]
    point = load_study(
        write_tables(tmp_path / "p", spoil("waste_streams", 2, "quantity", "1,200.5")),
        today=TODAY,
        number_format="decimal_point",
    )
    assert point.waste_streams["quantity_t"].tolist()[0] == 1200.5


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e400", "Infinity"])
def test_infinite_quantities_never_reach_a_total(tmp_path: Path, text: str) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 3, "quantity", text))
    assert where(folder) == {(S, 3, "quantity", "number-not-finite", "error")}


def test_a_workbook_numeric_cell_is_a_number_already(tmp_path: Path) -> None:
    """1.234 t typed as a number in Excel is 1.234 t, not an ambiguous '1.234'; the same text
    typed into a text cell is ambiguous."""
    from openpyxl import Workbook

    def workbook(path: Path, quantity) -> Path:
        wb = Workbook()
        wb.remove(wb.active)
        for name, rows in GOOD.items():
            ws = wb.create_sheet(name)
            ws.append(list(rows[0]))
            for i, r in enumerate(rows):
                values = list(r.values())
                if name == "waste_streams" and i == 0:
                    values[list(r).index("quantity")] = quantity
                ws.append(values)
        wb.save(path)
        return path

    numeric = workbook(tmp_path / "numeric.xlsx", 1.234)
    study = load_study(numeric, today=TODAY)
    assert study.waste_streams["quantity_t"].tolist()[0] == 1.234
    text = workbook(tmp_path / "text.xlsx", "1.234")
    (issue,) = validate_study(text, today=TODAY).errors
    assert (issue.sheet, issue.row, issue.rule) == ("waste_streams", 2, "number-ambiguous")


def test_a_zero_quantity_and_an_implausible_one_are_warnings_naming_the_row(
    tmp_path: Path,
) -> None:
    tables = spoil("waste_streams", 2, "quantity", "0")
    tables["waste_streams"][2]["quantity"] = "300000"  # row 4: t
    folder = write_tables(tmp_path / "d", tables)
    found = where(folder)
    assert found == {
        (S, 2, "quantity", "quantity-zero", "warning"),
        (S, 4, "quantity", "quantity-plausibility", "warning"),
    }
    study = load_study(folder, today=TODAY)  # warnings do not stop the study
    assert len(study.warnings.issues) == 2
    # the bound is a setting: above it a warning, at or below it none
    assert (S, 4, "quantity", "quantity-plausibility", "warning") not in where(
        folder, max_stream_t=300_000
    )
    # kg are converted before the bound is applied: 5,000,000 kg = 5,000 t
    tables = spoil("waste_streams", 3, "quantity", "5000000")
    assert where(write_tables(tmp_path / "kg", tables)) == set()


# --- the List of Waste ---------------------------------------------------------------------


def test_an_unknown_entry_is_an_error_with_the_nearest_entries(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 5, "ewc_code", "13 02 09*"))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (issue.row, issue.column, issue.rule) == (5, "ewc_code", "ewc-entry")
    assert issue.message == "13 02 09 is not an entry of the List of Waste."
    assert issue.hint == "Nearest entries: 13 02 08*, 13 02 07*, 13 02 06*."


def test_a_hazardous_entry_typed_without_its_asterisk_is_an_error(tmp_path: Path) -> None:
    """13 02 05 without '*' is an error, even in a file that also holds 13 02 05*."""
    tables = spoil("waste_streams", 5, "ewc_code", "13 02 05*")
    tables["waste_streams"][0]["ewc_code"] = "13 02 05"
    folder = write_tables(tmp_path / "d", tables)
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (issue.row, issue.rule) == (2, "ewc-hazard")
    assert issue.message == "13 02 05 is hazardous: write 13 02 05*."


def test_an_asterisk_on_a_non_hazardous_entry_is_an_error(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 2, "ewc_code", "04 02 99*"))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (issue.row, issue.rule) == (2, "ewc-hazard")
    assert issue.message == "04 02 99 is not hazardous: write 04 02 99 without '*'."


def test_hazardous_comes_from_the_list(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 2, "ewc_code", "161104")  # spaces left out, absolute entry
    tables["waste_streams"][1]["ewc_code"] = "16 06 01 *"  # lead batteries, a space before '*'
    study = load_study(write_tables(tmp_path / "d", tables), today=TODAY)
    assert study.waste_streams["ewc_code"].tolist()[:2] == ["16 11 04", "16 06 01*"]
    assert study.waste_streams["hazardous"].tolist() == [False, True, True, True]


def test_a_non_hazardous_mirror_entry_asks_for_its_assessment(tmp_path: Path) -> None:
    tables = spoil("waste_streams", 2, "ewc_code", "17 05 04")
    folder = write_tables(tmp_path / "d", tables)
    (issue,) = issues(folder)
    assert (issue.row, issue.column, issue.rule, issue.severity) == (
        2,
        "ewc_code",
        "ewc-mirror",
        "warning",
    )
    assert "17 05 03*" in issue.message and "hazard_assessment" in issue.hint
    # an assessment named in the optional column answers it
    for row in tables["waste_streams"]:
        row["hazard_assessment"] = ""
    tables["waste_streams"][0]["hazard_assessment"] = "Lab report 2022/117, Azecolab, 3 May 2022"
    assert issues(write_tables(tmp_path / "a", tables)) == []
    # the hazardous side of the pair needs no assessment
    assert (
        issues(write_tables(tmp_path / "h", spoil("waste_streams", 2, "ewc_code", "17 05 03*")))
        == []
    )


def test_a_facility_accepting_an_unknown_entry_is_an_error(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("facilities", 2, "accepted_ewc", "07; 13 02 09"))
    assert where(folder) == {(F, 2, "accepted_ewc", "ewc-entry", "error")}


# --- NACE Rev.2 down to the class ----------------------------------------------------------


@pytest.mark.parametrize("code", ["24", "24.4", "24.42", "C24.42", "99.00", "10.11", "C 33.20"])
def test_existing_nace_codes_pass(tmp_path: Path, code: str) -> None:
    assert issues(write_tables(tmp_path / "d", spoil("enterprises", 2, "nace_code", code))) == []


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("99.99", "The groups of division 99: 99.0."),
        ("24.49", "The classes of group 24.4: 24.41, 24.42, 24.43, 24.44, 24.45, 24.46."),
        ("24.9", "The groups of division 24: 24.1, 24.2, 24.3, 24.4, 24.5."),
    ],
)
def test_a_nace_class_that_does_not_exist_is_an_error(tmp_path: Path, code: str, hint) -> None:
    folder = write_tables(tmp_path / "d", spoil("enterprises", 3, "nace_code", code))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (issue.row, issue.column, issue.rule, issue.value) == (3, "nace_code", "nace-rev2", code)
    assert issue.hint == hint


# --- messages that were wrong --------------------------------------------------------------


def test_latitude_and_longitude_swapped_says_so_plainly(tmp_path: Path) -> None:
    tables = spoil("enterprises", 2, "longitude", "40.4093")
    tables["enterprises"][0]["latitude"] = "49.8671"
    (issue,) = validate_study(write_tables(tmp_path / "d", tables), today=TODAY).errors
    assert issue.rule == "lat-lon-swapped"
    assert "swapped: swapped" not in issue.message
    assert issue.message == (
        "longitude 40.4093 and latitude 49.8671 look swapped: as given the point lies outside "
        "Azerbaijan, and read the other way round (49.8671, 40.4093) it lies inside."
    )


def test_a_missing_density_shows_the_density_cell(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 5, "density_t_m3", ""))
    (issue,) = validate_study(folder, today=TODAY).errors
    assert (issue.row, issue.column, issue.rule, issue.value) == (
        5,
        "density_t_m3",
        "density-missing",
        "",
    )


def test_a_semicolon_file_is_not_called_missing(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", GOOD)
    path = folder / "enterprises.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    found = issues(folder)
    assert [(Path(i.file).name, i.rule) for i in found] == [(E, "file-format")]
    assert "separated by semicolons (;), not by commas" in found[0].message
    assert "missing" not in found[0].message


def test_utf16_is_named_as_utf16(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", GOOD)
    path = folder / "waste_streams.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    (issue,) = issues(folder)
    assert (Path(issue.file).name, issue.rule) == (S, "encoding")
    assert "UTF-16" in issue.message
    # without a byte-order mark too (UTF-16 little-endian as some exports write it)
    path.write_bytes(path.read_bytes()[2:] if path.read_bytes()[:2] == b"\xff\xfe" else b"")
    (issue,) = issues(folder)
    assert "UTF-16" in issue.message


def test_an_unclosed_quote_is_named_with_the_row_it_opens_on(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "d", spoil("waste_streams", 3, "description", "x"))
    path = folder / "waste_streams.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",x,", ',"Still bottoms, unclosed,')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (issue,) = issues(folder)
    assert (Path(issue.file).name, issue.row, issue.rule) == (S, 3, "file-format")
    assert "opens a cell on row 3 and is never closed" in issue.message


@pytest.mark.parametrize("unit", ["t[/yr]", "[t/yr]", ":x:", "[bold red]t[/]"])
def test_cell_text_is_shown_as_it_is_never_as_markup(tmp_path: Path, capsys, unit: str) -> None:
    """A cell holding console markup is printed verbatim by `iwm validate`, in a terminal too."""
    import shutil

    from conftest import PROJECT_ROOT

    from iwm_study.cli import main

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", spoil("waste_streams", 2, "unit", unit))
    assert main(["validate", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"'{unit}' is not a known unit." in err


def test_a_code_typed_as_a_number_in_a_workbook_keeps_its_leading_zero(tmp_path: Path) -> None:
    """Excel stores 020104 typed into a numeric cell as 20104: the only reading is 02 01 04."""
    from iwm_study.data.template import fill_template

    records = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    records["waste_streams"][0]["ewc_code"] = 20104  # packaging waste, a number in the cell
    records["waste_streams"][1]["ewc_code"] = 100304  # a hazardous entry typed as a number
    path = fill_template(tmp_path / "survey.xlsx", records)
    report = validate_study(path, today=TODAY)
    assert [(i.row, i.rule, i.message) for i in report.errors] == [
        (6, "ewc-hazard", "10 03 04 is hazardous: write 10 03 04*.")  # rows 3-4: examples
    ]
    records["waste_streams"][1]["ewc_code"] = "10 03 04*"
    study = load_study(fill_template(tmp_path / "fixed.xlsx", records), today=TODAY)
    assert study.waste_streams["ewc_code"].tolist()[:2] == ["02 01 04", "10 03 04*"]


def test_sheet_names_typed_by_hand_are_found_and_a_missing_one_names_what_is_there(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in GOOD.items():
        ws = wb.create_sheet(
            {"enterprises": "Enterprises ", "waste_streams": "streams"}.get(name, name)
        )
        ws.append(list(rows[0]))
        for r in rows:
            ws.append(list(r.values()))
    wb.save(tmp_path / "survey.xlsx")
    (issue,) = validate_study(tmp_path / "survey.xlsx", today=TODAY).errors
    assert (issue.sheet, issue.rule, issue.message) == (
        "waste_streams",
        "file-missing",
        "the waste_streams table is missing.",
    )
    assert (
        "Sheets in the workbook: Enterprises , streams, facilities, regional_statistics."
        in issue.hint
    )
    folder = write_tables(tmp_path / "d", GOOD)
    (folder / "waste_streams.csv").rename(folder / "Waste_Streams.csv")
    (issue,) = validate_study(folder, today=TODAY).errors
    assert issue.rule == "file-missing" and "Waste_Streams.csv" in issue.hint


def test_an_empty_facilities_table_is_a_warning_not_an_error(tmp_path: Path) -> None:
    """Facilities are optional: a template's facilities sheet left empty does not stop a study."""
    tables = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    for row in tables["waste_streams"]:
        row["destination_facility_id"] = ""
    folder = write_tables(tmp_path / "d", tables)
    (folder / "facilities.csv").write_text(",".join(GOOD["facilities"][0]) + "\n", encoding="utf-8")
    (issue,) = issues(folder)
    assert (Path(issue.file).name, issue.rule, issue.severity) == (F, "table-empty", "warning")
    assert "circular options look only at enterprises" in issue.message
    assert len(load_study(folder, today=TODAY).facilities) == 0
