"""The survey data in a language of the reports (issue 15): validation problems and the
data-collection workbook in Azerbaijani, the command line and an unasked workbook in English.

An Azerbaijani workbook differs from the English one only in its help texts (units row,
instructions, input prompts, example free text); its sheets, columns, units-row marker,
example identifiers and drop-down values are the schema's, so intake reads it back exactly as
it reads the English one.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_ROOT, TODAY
from openpyxl import load_workbook

from iwm_study.cli import main
from iwm_study.data import load_study, validate_study
from iwm_study.data.issues import Issue, ValidationReport
from iwm_study.data.numbers import read_number
from iwm_study.data.template import write_template
from iwm_study.i18n import language, using
from iwm_study.training import sample_survey

CODES = PROJECT_ROOT / "iwm_study" / "data" / "codes"
#: The units row of the waste_streams sheet, column by column, in each language.
UNITS_EN = {
    "stream_id": "[units]",
    "enterprise_id": "enterprise_id",
    "ewc_code": "CC SS EE, * if hazardous",
    "description": "text",
    "quantity": "per year, in the unit column",
    "unit": "t, kg or m3",
    "density_t_m3": "t/m3",
    "physical_state": "solid / powder / sludge / liquid / gas",
    "operation": "R1-R13 or D1-D15",
    "fate": "pick from the list",
    "destination_facility_id": "facility_id, if known",
    "data_quality": "measured / calculated / estimated",
    "hazard_assessment": "text",
    "reference_year": "year",
    "storage_since_year": "year",
    "source": "text",
}
UNITS_AZ = {
    "stream_id": "[units]",
    "enterprise_id": "enterprise_id",
    "ewc_code": "CC SS EE, təhlükəlidirsə *",
    "description": "mətn",
    "quantity": "ildə, unit sütunundakı vahidlə",
    "unit": "t, kg və ya m3",
    "density_t_m3": "t/m3",
    "physical_state": "solid / powder / sludge / liquid / gas",
    "operation": "R1-R13 və ya D1-D15",
    "fate": "siyahıdan seçin",
    "destination_facility_id": "facility_id, məlumdursa",
    "data_quality": "measured / calculated / estimated",
    "hazard_assessment": "mətn",
    "reference_year": "il",
    "storage_since_year": "il",
    "source": "mətn",
}
#: The problems of the training's sample survey: (sheet, row, column, rule, message, hint).
PROBLEMS_EN = [
    (
        "enterprises",
        5,
        "longitude",
        "lat-lon-swapped",
        "longitude 40.533 and latitude 49.7168 look swapped: as given the point lies outside "
        "Azerbaijan, and read the other way round (49.7168, 40.533) it lies inside.",
        "Exchange the longitude and latitude values.",
    ),
    (
        "waste_streams",
        5,
        "ewc_code",
        "ewc-format",
        "'10 11 2' is not an EWC code.",
        "Write six digits 'CC SS EE' with '*' when the entry is hazardous, e.g. '10 03 04*'.",
    ),
    (
        "waste_streams",
        6,
        "unit",
        "unit",
        "'litres' is not a known unit.",
        "Use t, kg or m3 (quantities per year); give m3 with a density in density_t_m3.",
    ),
    (
        "waste_streams",
        8,
        "density_t_m3",
        "density-missing",
        "a volume in m3 needs a density to convert it to tonnes, and density_t_m3 is blank.",
        "Give the bulk density in t/m3 (water is 1.0).",
    ),
    (
        "waste_streams",
        9,
        "fate",
        "choice",
        "'dumped' is not a fate category.",
        "Allowed: used_as_raw_material, sold_or_transferred, exported, landfilled, "
        "kept_on_site, incinerated, unknown.",
    ),
]
PROBLEMS_AZ = [
    (
        "enterprises",
        5,
        "longitude",
        "lat-lon-swapped",
        "40.533 uzunluğu və 49.7168 enliyi yerini dəyişmiş görünür: verildiyi kimi nöqtə "
        "Azərbaycandan kənardadır, əksinə oxunduqda isə (49.7168, 40.533) ölkənin daxilindədir.",
        "Uzunluq və enlik dəyərlərinin yerini dəyişin.",
    ),
    (
        "waste_streams",
        5,
        "ewc_code",
        "ewc-format",
        "'10 11 2' EWC kodu deyil.",
        "Altı rəqəmi 'CC SS EE' şəklində yazın, tullantı təhlükəlidirsə '*' ilə, məs., "
        "'10 03 04*'.",
    ),
    (
        "waste_streams",
        6,
        "unit",
        "unit",
        "'litres' məlum vahid deyil.",
        "t, kg və ya m3 vahidindən istifadə edin (illik miqdarlar); m3 verdikdə density_t_m3 "
        "sütununda sıxlığı göstərin.",
    ),
    (
        "waste_streams",
        8,
        "density_t_m3",
        "density-missing",
        "m3 ilə verilən həcmi tona çevirmək üçün sıxlıq lazımdır, density_t_m3 isə boşdur.",
        "Həcm sıxlığını t/m3 ilə verin (su üçün 1.0).",
    ),
    (
        "waste_streams",
        9,
        "fate",
        "choice",
        "'dumped' tullantının taleyi kateqoriyası deyil.",
        "İcazə verilənlər: used_as_raw_material, sold_or_transferred, exported, landfilled, "
        "kept_on_site, incinerated, unknown.",
    ),
]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workbooks")
    return {
        "default": write_template(folder / "default.xlsx"),
        "en": write_template(folder / "en.xlsx", language="en"),
        "az": write_template(folder / "az.xlsx", language="az"),
    }


def _problems(report: ValidationReport) -> list[tuple]:
    return [(i.sheet, i.row, i.column, i.rule, i.message, i.hint) for i in report.issues]


def _rows(path: Path, sheet: str, row: int) -> dict[str, object]:
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return dict(zip(header, [c.value for c in ws[row]], strict=True))


def test_workbook_is_english_unless_a_language_is_asked(workbooks: dict[str, Path]) -> None:
    assert language() == "en"
    assert workbooks["default"].read_bytes() == workbooks["en"].read_bytes()
    assert _rows(workbooks["en"], "waste_streams", 2) == UNITS_EN
    # The process language decides when none is given (a report built in Azerbaijani), and
    # is left as it was.
    with using("az"):
        in_az = write_template(workbooks["az"].with_name("process_az.xlsx"))
    assert language() == "en"
    assert in_az.read_bytes() == workbooks["az"].read_bytes()


def test_azerbaijani_workbook_keeps_the_schema_and_translates_the_help(
    workbooks: dict[str, Path], tmp_path: Path
) -> None:
    en, az = load_workbook(workbooks["en"]), load_workbook(workbooks["az"])
    assert az.sheetnames == en.sheetnames
    for name in ("enterprises", "waste_streams", "facilities", "register", "regional_statistics"):
        assert [c.value for c in az[name][1]] == [c.value for c in en[name][1]]  # headers
    assert _rows(workbooks["az"], "waste_streams", 2) == UNITS_AZ
    # The drop-down lists are the same values (codes), and so are the example identifiers.
    for column_en, column_az in zip(en["lists"].columns, az["lists"].columns, strict=True):
        assert [c.value for c in column_az] == [c.value for c in column_en]
    example_en, example_az = (
        _rows(w, "waste_streams", 4) for w in (workbooks["en"], workbooks["az"])
    )
    assert example_az["stream_id"] == example_en["stream_id"] == "EXAMPLE-WS-00002"
    assert example_en["description"] == "Used engine oil (volume measured in drums)"
    assert example_az["description"] == "İşlənmiş mühərrik yağı (həcm çəlləklərlə ölçülüb)"
    assert example_az["source"] == "nümunə: müsahibə"
    assert {k: v for k, v in example_az.items() if k not in ("description", "source")} == {
        k: v for k, v in example_en.items() if k not in ("description", "source")
    }
    # Same bytes on every call.
    again = write_template(tmp_path / "again.xlsx", language="az")
    assert again.read_bytes() == workbooks["az"].read_bytes()


def test_azerbaijani_instructions_and_code_titles(workbooks: dict[str, Path]) -> None:
    ws = load_workbook(workbooks["az"])["instructions"]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows()]
    assert rows[0] == ("Sənaye tullantılarının xəritələşdirilməsi: məlumat toplama iş kitabı", None)
    assert (
        "1-ci sətir",
        "Sütunların adları. Onların adını dəyişməyin, yerini dəyişməyin və silməyin.",
    ) in rows
    assert ("waste_streams", "Tullantı axınları") in rows  # a table's name stays, its title not
    assert ("reference_year", "Miqdarın aid olduğu il. (məcburi; vahid: il)") in rows
    assert (
        "density_t_m3",
        "Həcm sıxlığı, vahid m3 olduqda lazımdır. (boş qala bilər; vahid: t/m3)",
    ) in rows
    # The code lists carry the code tables' own Azerbaijani titles.
    with (CODES / "fate_categories.csv").open(encoding="utf-8") as fh:
        fates = {r["fate"]: r["label_az"] for r in csv.DictReader(fh)}
    with (CODES / "waste_operations.csv").open(encoding="utf-8") as fh:
        operations = {r["code"]: r["title_az"] for r in csv.DictReader(fh)}
    assert ("landfilled", fates["landfilled"]) in rows and fates["landfilled"]
    assert ("R1", operations["R1"]) in rows and operations["R1"]
    # Nothing of the English help is left: what both say alike is names and codes.
    rows_en = [
        (r[0].value, r[1].value) for r in load_workbook(workbooks["en"])["instructions"].iter_rows()
    ]
    alike = {b for _a, b in rows if b} & {b for _a, b in rows_en if b}
    assert alike == {"solid / powder / sludge / liquid / gas"}


def test_azerbaijani_prompts_and_errors_fit_excel(workbooks: dict[str, Path]) -> None:
    wb = load_workbook(workbooks["az"])
    found = {}
    for name in ("enterprises", "waste_streams", "facilities", "register", "regional_statistics"):
        for dv in wb[name].data_validations.dataValidation:
            first = str(dv.sqref).split(":")[0].rstrip("0123456789")
            found[(name, wb[name][f"{first}1"].value)] = dv
            assert len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32
            assert len(dv.error or "") <= 225 and len(dv.errorTitle or "") <= 32
    assert found[("waste_streams", "fate")].error == (
        "Siyahıdan bir dəyər seçin (fate üçün instructions vərəqinə baxın)."
    )
    assert found[("waste_streams", "reference_year")].error == (
        "1990 ilə 2100 arasında tam ədəd daxil edin."
    )
    assert found[("enterprises", "longitude")].error == (
        "44 ilə 51,5 arasında ədəd daxil edin. Azərbaycandan kənardadır? Enlik və uzunluğun "
        "yerinin dəyişmədiyini yoxlayın."
    )
    assert found[("waste_streams", "quantity")].prompt == "İldə yaranan miqdar, `unit` vahidində."


def test_intake_reads_an_azerbaijani_workbook_as_an_english_one(tmp_path: Path) -> None:
    with using("az"):
        az_wrong = sample_survey(tmp_path / "az_wrong.xlsx")
        az_right = sample_survey(tmp_path / "az_right.xlsx", mistakes=False)
    en_wrong = sample_survey(tmp_path / "en_wrong.xlsx")
    en_right = sample_survey(tmp_path / "en_right.xlsx", mistakes=False)
    assert load_workbook(az_wrong)["waste_streams"]["E2"].value == "ildə, unit sütunundakı vahidlə"
    # The same problems, said in English (the language of this process) for both.
    assert _problems(validate_study(az_wrong, today=TODAY)) == PROBLEMS_EN
    assert _problems(validate_study(en_wrong, today=TODAY)) == PROBLEMS_EN
    # The same typed tables.
    study_az, study_en = load_study(az_right, today=TODAY), load_study(en_right, today=TODAY)
    for table in ("enterprises", "waste_streams", "facilities"):
        frame_az, frame_en = getattr(study_az, table), getattr(study_en, table)
        assert len(frame_en) > 0
        pd.testing.assert_frame_equal(pd.DataFrame(frame_az), pd.DataFrame(frame_en))


def test_problems_in_the_language_of_the_process(tmp_path: Path) -> None:
    survey = sample_survey(tmp_path / "survey.xlsx")
    with using("az"):
        report = validate_study(survey, today=TODAY)
        assert report.summary() == "5 xəta, 0 xəbərdarlıq"
        sentence = report.issues[1].sentence()
    assert _problems(report) == PROBLEMS_AZ
    assert sentence == (
        f"{survey}, vərəq waste_streams, sətir 5, sütun ewc_code: '10 11 2' EWC kodu deyil. "
        "[ewc-format] İpucu: Altı rəqəmi 'CC SS EE' şəklində yazın, tullantı təhlükəlidirsə "
        "'*' ilə, məs., '10 03 04*'."
    )
    # Back in English, the same study says its problems in English, word for word as before.
    report = validate_study(survey, today=TODAY)
    assert _problems(report) == PROBLEMS_EN
    assert report.summary() == "5 errors, 0 warnings"
    assert report.issues[1].sentence() == (
        f"{survey}, sheet waste_streams, row 5, column ewc_code: '10 11 2' is not an EWC code. "
        "[ewc-format] Hint: Write six digits 'CC SS EE' with '*' when the entry is hazardous, "
        "e.g. '10 03 04*'."
    )


def test_number_readings_in_azerbaijani_use_its_decimal_comma() -> None:
    with using("az"):
        reading = read_number("1,200")
        typed = read_number("1.200", "decimal_comma")
        other = read_number("1 200,5", "decimal_point")
    assert reading.rule == "number-ambiguous" and reading.value is None
    assert reading.message == (
        "'1,200' iki cür oxuna bilər: ',' onluq işarə olarsa, ədəd 1,2 olur; minliklər ',' ilə "
        "qruplaşdırılırsa, ədəd 1200 olur."
    )
    assert typed.value == 1200.0
    assert other.message == "'1 200,5' onluq nöqtə ilə yazılmış ədəd deyil."
    assert other.hint == (
        "Tədqiqat ədədləri onluq nöqtə ilə yazır (data.number_format); minliklər qrupunda üç "
        "rəqəm olmalıdır. Onluq vergüllə bu ədəd 1200,5 olardı."
    )
    english = read_number("1,200")
    assert english.message == (
        "'1,200' can be read two ways: with ',' as the decimal mark it is 1.2; with ',' "
        "grouping thousands it is 1200."
    )


def test_a_parameter_problem_and_a_long_list_in_azerbaijani() -> None:
    problem = Issue(
        "parameters/study.yaml", "parameters", "bilinməyən açar", row=3, column="x", value="1"
    )
    many = ValidationReport(
        [Issue("a.csv", "ewc-entry", "m", row=r) for r in range(2, 6)]
        + [Issue("a.csv", "quantity-zero", "w", row=9, severity="warning")]
    )
    with using("az"):
        assert problem.sentence() == (
            "parameters/study.yaml, sətir 3, 'x' açarı: bilinməyən açar (dəyər: 1)"
        )
        assert many.format(limit=2).splitlines()[-1] == (
            "... və daha 3 problem (2 ewc-entry, 1 quantity-zero)."
        )
        assert many.format().splitlines()[-1] == "- xəbərdarlıq: a.csv, sətir 9: w [quantity-zero]"
        assert many.summary() == "4 xəta, 1 xəbərdarlıq"
    assert (
        problem.sentence() == "parameters/study.yaml, line 3, key 'x': bilinməyən açar (value: 1)"
    )
    assert many.summary() == "4 errors, 1 warning"


def test_a_long_list_of_warnings_keeps_every_error_in_sight() -> None:
    """``warning_limit``: every error, then only so many warnings, then the count of the rest
    by rule (``iwm run`` stopped by errors; ``limit`` cuts errors and warnings alike)."""
    report = ValidationReport(
        [Issue("a.csv", "ewc-mirror", "w", row=r, severity="warning") for r in range(10, 30)]
        + [Issue("a.csv", "ewc-chapter", "e", row=r) for r in (40, 50, 60)]
    )
    lines = report.format(warning_limit=2).splitlines()
    assert lines == [
        "- a.csv, row 40: e [ewc-chapter]",
        "- a.csv, row 50: e [ewc-chapter]",
        "- a.csv, row 60: e [ewc-chapter]",
        "- warning: a.csv, row 10: w [ewc-mirror]",
        "- warning: a.csv, row 11: w [ewc-mirror]",
        "... and 18 more (18 ewc-mirror).",
    ]
    assert (
        report.format(limit=2).splitlines()[-1] == "... and 21 more (1 ewc-chapter, 20 ewc-mirror)."
    )
    assert len(report.format().splitlines()) == 23


def test_cli_template_language(tmp_path: Path, capsys) -> None:
    assert main(["template", str(tmp_path / "en.xlsx")]) == 0
    assert main(["template", "--language", "az", str(tmp_path / "az.xlsx")]) == 0
    assert _rows(tmp_path / "en.xlsx", "waste_streams", 2) == UNITS_EN
    assert _rows(tmp_path / "az.xlsx", "waste_streams", 2) == UNITS_AZ
    assert f"Wrote {tmp_path / 'az.xlsx'}." in capsys.readouterr().out
    iwm = Path(sys.executable).with_name("iwm")
    result = subprocess.run(
        [str(iwm), "template", "--language", "fr", str(tmp_path / "fr.xlsx")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "invalid choice: 'fr'" in result.stderr
    assert not (tmp_path / "fr.xlsx").exists()


def test_every_message_of_the_data_area_has_its_azerbaijani() -> None:
    from babel.messages.pofile import read_po

    mine = {
        f"iwm_study/data/{name}.py"
        for name in (
            "checker",
            "code_checks",
            "geo_checks",
            "validate",
            "issues",
            "numbers",
            "readers",
            "frames",
            "schema",
            "template",
            "template_text",
        )
    }
    po = PROJECT_ROOT / "iwm_study" / "locale" / "az" / "LC_MESSAGES" / "iwm.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="az")
    placeholder = re.compile(r"\{[a-z_]*\}")
    checked = 0
    for message in catalog:
        if not message.id or not any(path in mine for path, _line in message.locations):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, ids[0]
        for string in strings:
            assert sorted(placeholder.findall(string)) == sorted(placeholder.findall(ids[0])), ids[
                0
            ]
        checked += 1
    assert checked > 250
