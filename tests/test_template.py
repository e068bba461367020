"""The data-collection workbook: written from the schema, filled in, read back by intake."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TODAY
from openpyxl import load_workbook

from iwm_study.data import load_study, validate_study
from iwm_study.data.schema import TABLES
from iwm_study.data.template import write_template

SHEETS = [
    "instructions",
    "enterprises",
    "waste_streams",
    "facilities",
    "register",
    "regional_statistics",
    "lists",
]
FATES = [
    "used_as_raw_material",
    "sold_or_transferred",
    "exported",
    "landfilled",
    "kept_on_site",
    "incinerated",
    "unknown",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "survey.xlsx")


def fill(template: Path, dest: Path, rows: dict[str, list[dict[str, object]]]) -> Path:
    """Append records under the example rows of each sheet, by column name, as a surveyor would."""
    wb = load_workbook(template)
    for sheet, records in rows.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for record in records:
            r = ws.max_row + 1
            for name, value in record.items():
                ws.cell(r, header.index(name) + 1, value)
    wb.save(dest)
    return dest


ENTERPRISES = [
    dict(
        enterprise_id="E1",
        name="Bakı Sement Zavodu",
        economic_region="Baku",
        district="Baku City",
        longitude=49.8671,
        latitude=40.4093,
        nace_code="23.51",
        employees=400,
        output_value_kazn=50000,
        recp_interest="high",
        source=datetime(2023, 5, 14),  # a date typed in the source column
    ),
    dict(
        enterprise_id="E2",
        name="Gəncə Alüminium Ğöçüə",
        economic_region="Ganja-Dashkasan",
        district="Ganja City",
        longitude=46.3606,
        latitude=40.6828,
        nace_code="C24.42",
        employees=900,
        recp_interest="low",
        source="site visit",
    ),
]
STREAMS = [
    dict(
        stream_id="S1",
        enterprise_id="E1",
        ewc_code="10 13 06",
        description="Toz (cement dust)",
        quantity=1200,
        unit="t",
        physical_state="powder",
        operation="R5",
        fate="used_as_raw_material",
        data_quality="measured",
        reference_year=2022,
        source="2-TG form",
    ),
    dict(
        stream_id="S2",
        enterprise_id="E2",
        ewc_code="130205*",
        description="İşlənmiş yağ",
        quantity=12,
        unit="m3",
        density_t_m3=0.9,
        physical_state="liquid",
        operation="R9",
        fate="sold_or_transferred",
        destination_facility_id="F1",
        data_quality="estimated",
        reference_year=2022,
    ),
    dict(
        stream_id="S3",
        enterprise_id="E2",
        ewc_code="10 03 08*",
        description="Duz şlakı",
        quantity="7,5",  # typed as text with a decimal comma
        unit="kg",
        physical_state="solid",
        data_quality="calculated",
        reference_year=2021,
    ),
]
FACILITIES = [
    dict(
        facility_id="F1",
        name="Sumqayıt Təkrar Emal",
        facility_type="recycler",
        economic_region="Absheron-Khizi",
        district="Sumgayit City",
        longitude=49.62,
        latitude=40.60,
        accepted_ewc="13 02; 15 01",
        operations="R9; R13",
        capacity_t_yr=20000,
        hazardous_permitted="yes",
        nace_code="38.32",
    )
]


def test_sheets_headers_units_and_examples(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == SHEETS
    assert wb["lists"].sheet_state == "hidden"
    assert wb.active.title == "instructions"
    for name, table in TABLES.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == list(table.column_names)
        assert ws["A2"].value == "[units]"
        assert ws.freeze_panes == "B3"
        ids = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1)]
        assert ids and all(i.startswith("EXAMPLE-") for i in ids)
    streams = wb["waste_streams"]
    header = [c.value for c in streams[1]]
    assert streams.cell(2, header.index("density_t_m3") + 1).value == "t/m3"
    assert streams.cell(2, header.index("reference_year") + 1).value == "year"
    # Two example streams: one in tonnes, one a volume with its density.
    assert [streams.cell(r, header.index("unit") + 1).value for r in (3, 4)] == ["t", "m3"]
    assert streams.cell(4, header.index("density_t_m3") + 1).value == 0.9
    text = "\n".join(str(c.value) for row in wb["instructions"].iter_rows() for c in row if c.value)
    for phrase in ("EXAMPLE", "[units]", "six-digit", "used_as_raw_material", "R13", "m3"):
        assert phrase in text


def test_untouched_template_reads_as_empty_tables(template: Path) -> None:
    # Every example row and the units rows are skipped: only 'no rows' errors remain, and
    # for the optional facilities table a warning (a study may have no facility data); the
    # empty register and regional statistics mean "not given", as an absent file does.
    report = validate_study(template, today=TODAY)
    found = [(i.sheet, i.rule, i.severity) for i in report.issues]
    assert found == [
        ("enterprises", "table-empty", "error"),
        ("facilities", "table-empty", "warning"),
        ("waste_streams", "table-empty", "error"),
    ]


def test_same_bytes_every_time(template: Path, tmp_path: Path) -> None:
    # In another interpreter with another hash seed, so that set order cannot leak in.
    other = tmp_path / "again.xlsx"
    code = f"from iwm_study.data.template import write_template; write_template({str(other)!r})"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=PROJECT_ROOT)
    assert other.read_bytes() == template.read_bytes()


def test_rejects_other_extensions(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx"):
        write_template(tmp_path / "survey.xls")


def test_filled_template_reads_back_to_typed_tables(template: Path, tmp_path: Path) -> None:
    path = fill(
        template,
        tmp_path / "filled.xlsx",
        {"enterprises": ENTERPRISES, "waste_streams": STREAMS, "facilities": FACILITIES},
    )
    study = load_study(path, today=TODAY)
    e = study.enterprises
    assert list(e.index) == [4, 5]  # row 3 holds the example, rows keep their sheet numbers
    assert e["name"].tolist() == ["Bakı Sement Zavodu", "Gəncə Alüminium Ğöçüə"]
    assert e["nace_code"].tolist() == ["23.51", "24.42"]
    assert e["nace_section"].tolist() == ["C", "C"]
    assert e["employees"].tolist() == [400, 900]
    assert e["output_value_kazn"].iloc[0] == 50000.0 and e["output_value_kazn"].isna().iloc[1]
    assert e["source"].tolist() == ["2023-05-14", "site visit"]
    assert (e.geometry.x.tolist(), e.geometry.y.tolist()) == (
        [49.8671, 46.3606],
        [40.4093, 40.6828],
    )
    s = study.waste_streams
    assert list(s.index) == [5, 6, 7]  # rows 3 and 4 hold the two examples
    assert s["ewc_code"].tolist() == ["10 13 06", "13 02 05*", "10 03 08*"]
    assert s["hazardous"].tolist() == [False, True, True]
    assert s["ewc_subchapter"].tolist() == ["10 13", "13 02", "10 03"]
    assert s["description"].tolist() == ["Toz (cement dust)", "İşlənmiş yağ", "Duz şlakı"]
    # 1200 t; 12 m3 x 0.9 t/m3 = 10.8 t; 7.5 kg = 0.0075 t
    assert s["quantity_t"].tolist() == pytest.approx([1200.0, 10.8, 0.0075], rel=1e-12)
    assert s["unit"].tolist() == ["t", "m3", "kg"]
    assert s["operation"].tolist()[:2] == ["R5", "R9"] and s["operation"].isna().iloc[2]
    assert s["fate"].isna().tolist() == [False, False, True]
    assert s["destination_facility_id"].tolist()[1] == "F1"
    assert s["reference_year"].tolist() == [2022, 2022, 2021]
    f = study.facilities
    assert list(f.index) == [4]
    assert f["name"].tolist() == ["Sumqayıt Təkrar Emal"]
    assert f["accepted_ewc_list"].tolist() == [["13 02", "15 01"]]
    assert f["operations_list"].tolist() == [["R9", "R13"]]
    assert f["capacity_t_yr"].tolist() == [20000.0]
    assert f["hazardous_permitted"].tolist() == [True]


def test_wrongly_filled_template_gives_exact_errors(template: Path, tmp_path: Path) -> None:
    streams = [dict(r) for r in STREAMS]
    streams[0] |= {"ewc_code": "10 13 6", "unit": "litre"}  # row 5
    streams[1] |= {"density_t_m3": None, "reference_year": 2030}  # row 6: m3 without density
    streams[2] |= {"quantity": -5, "fate": "recycled", "enterprise_id": "E9"}  # row 7
    enterprises = [dict(r) for r in ENTERPRISES]
    enterprises[1] |= {"longitude": 40.6828, "latitude": 46.3606}  # row 5: swapped
    facilities = [dict(FACILITIES[0]) | {"hazardous_permitted": "maybe", "operations": "R9; X1"}]
    path = fill(
        template,
        tmp_path / "wrong.xlsx",
        {"enterprises": enterprises, "waste_streams": streams, "facilities": facilities},
    )
    report = validate_study(path, today=TODAY)
    assert {i.file for i in report.issues} == {str(path)}
    found = [(i.sheet, i.row, i.column, i.rule) for i in report.issues]
    assert found == [
        ("enterprises", 5, "longitude", "lat-lon-swapped"),
        ("facilities", 4, "hazardous_permitted", "type"),
        ("facilities", 4, "operations", "operation-code"),
        ("waste_streams", 5, "ewc_code", "ewc-format"),
        ("waste_streams", 5, "unit", "unit"),
        ("waste_streams", 6, "density_t_m3", "density-missing"),
        ("waste_streams", 6, "reference_year", "year-range"),
        ("waste_streams", 7, "enterprise_id", "unknown-enterprise"),
        ("waste_streams", 7, "fate", "choice"),
        ("waste_streams", 7, "quantity", "negative-value"),
    ]


def _validations(path: Path) -> dict[tuple[str, str], tuple[str, str | None, str, bool]]:
    """(sheet, first cell of the range) -> (type, formula1, range, error shown)."""
    wb = load_workbook(path)
    out = {}
    for name in TABLES:
        for dv in wb[name].data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                key = (name, rng.coord.split(":")[0])
                out[key] = (dv.type, dv.formula1, rng.coord, bool(dv.showErrorMessage))
    return out


def _list_values(path: Path, formula: str) -> list[str]:
    """The cells a list formula such as lists!$C$2:$C$8 points at."""
    sheet, _, ref = formula.replace("'", "").partition("!")
    ws = load_workbook(path)[sheet]
    return [c.value for row in ws[ref.replace("$", "")] for c in row]


def _assert_validations(path: Path) -> None:
    v = _validations(path)
    # waste_streams: fate is column J, unit F, quantity E, reference_year M, ewc_code C.
    kind, formula, rng, strict = v[("waste_streams", "J3")]
    assert (kind, rng, strict) == ("list", "J3:J10000", True)
    assert _list_values(path, formula) == FATES
    kind, formula, rng, strict = v[("waste_streams", "F3")]
    assert _list_values(path, formula) == ["t", "kg", "m3"]
    assert v[("waste_streams", "E3")][:3] == ("decimal", "0", "E3:E10000")
    # reference_year: column N (M is the optional hazard_assessment)
    assert v[("waste_streams", "N3")][:3] == ("whole", "1990", "N3:N10000")
    kind, formula, rng, strict = v[("waste_streams", "C3")]  # EWC: an open list
    assert (kind, strict) == ("list", False)
    ewc = _list_values(path, formula)
    assert len(ewc) == 20 + 111 and ewc[:3] == ["01", "01 01", "01 03"] and "10 03" in ewc
    kind, formula, rng, strict = v[("waste_streams", "I3")]  # R/D operation
    ops = _list_values(path, formula)
    assert (len(ops), ops[0], ops[-1]) == (28, "R1", "D15")
    assert _list_values(path, v[("waste_streams", "L3")][1]) == [
        "measured",
        "calculated",
        "estimated",
    ]
    assert _list_values(path, v[("facilities", "K3")][1]) == ["yes", "no"]  # hazardous_permitted
    assert _list_values(path, v[("enterprises", "J3")][1]) == ["none", "low", "medium", "high"]
    assert v[("enterprises", "H3")][:3] == ("whole", "0", "H3:H10000")  # employees


def test_validations_survive_save_and_reload(template: Path, tmp_path: Path) -> None:
    _assert_validations(template)
    copy = tmp_path / "saved.xlsx"
    load_workbook(template).save(copy)
    _assert_validations(copy)


def test_district_and_region_lists_match_the_reference_geography(template: Path) -> None:
    from iwm_study.data import geography

    v = _validations(template)
    regions = _list_values(template, v[("enterprises", "C3")][1])
    districts = _list_values(template, v[("enterprises", "D3")][1])
    assert regions == sorted(geography.economic_regions()["economic_region"])
    assert len(regions) == 14
    assert districts == sorted(geography.districts()["district"])


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (Debian package libreoffice-calc-nogui)",
)
def test_libreoffice_opens_and_converts_the_template(template: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "home")}  # a private LibreOffice profile
    out = tmp_path / "out"
    for target in ("pdf", "xlsx"):
        done = subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                *("--convert-to", target, "--outdir", str(out), str(template)),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 0, done.stderr
    pdf = (out / "survey.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    # Written back by LibreOffice, the workbook keeps its drop-downs and reads the same.
    # (LibreOffice 7.4's xlsx export writes every rule with showErrorMessage="false" and cuts
    # the ranges at row 1004, though it imports them right, as its .ods export shows; so only
    # the lists are compared here.)
    back = out / "survey.xlsx"
    v = _validations(back)
    assert _list_values(back, v[("waste_streams", "J3")][1]) == FATES
    assert _list_values(back, v[("waste_streams", "F3")][1]) == ["t", "kg", "m3"]
    assert _list_values(back, v[("facilities", "C3")][1])[0] == "recycler"
    assert [(i.sheet, i.rule) for i in validate_study(out / "survey.xlsx", today=TODAY).errors] == [
        ("enterprises", "table-empty"),
        ("waste_streams", "table-empty"),
    ]
