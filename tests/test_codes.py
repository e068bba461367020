"""The code tables shipped in iwm_study/data/codes and their loaders."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from iwm_study.data import codes

# Sub-chapters of the List of Waste (Decision 2000/532/EC as amended by 2014/955/EU), counted
# chapter by chapter from the annex of the consolidated Decision:
#   01:4  02:7  03:3  04:2  05:3  06:12  07:7  08:5  09:1  10:14
#   11:4  12:2  13:7  14:1  15:2  16:11  17:8  18:2  19:13  20:3   -> 111
SUBCHAPTERS_PER_CHAPTER = {
    "01": 4, "02": 7, "03": 3, "04": 2, "05": 3, "06": 12, "07": 7, "08": 5, "09": 1, "10": 14,
    "11": 4, "12": 2, "13": 7, "14": 1, "15": 2, "16": 11, "17": 8, "18": 2, "19": 13, "20": 3,
}  # fmt: skip
N_SUBCHAPTERS = 111

# NACE Rev.2 has 99 two-digit slots, of which these 11 are unused.
NACE_GAPS = {"04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"}


# --- EWC chapters and sub-chapters ---------------------------------------------------------


def test_twenty_chapters() -> None:
    df = codes.ewc_chapters()
    assert list(df.columns) == ["chapter", "title"]
    assert df["chapter"].tolist() == [f"{i:02d}" for i in range(1, 21)]
    assert (df["title"].str.len() > 0).all()


def test_subchapters_belong_to_existing_chapters() -> None:
    df = codes.ewc_subchapters()
    assert list(df.columns) == ["subchapter", "chapter", "title"]
    chapters = set(codes.ewc_chapters()["chapter"])
    assert set(df["chapter"]) <= chapters
    assert df["subchapter"].str.fullmatch(r"\d{2} \d{2}").all()
    assert (df["subchapter"].str[:2] == df["chapter"]).all()
    assert df["subchapter"].is_unique
    assert df["subchapter"].tolist() == sorted(df["subchapter"])
    assert (df["title"].str.len() > 0).all()


def test_subchapter_count() -> None:
    df = codes.ewc_subchapters()
    assert sum(SUBCHAPTERS_PER_CHAPTER.values()) == N_SUBCHAPTERS
    assert len(df) == N_SUBCHAPTERS
    assert df.groupby("chapter").size().to_dict() == SUBCHAPTERS_PER_CHAPTER


@pytest.mark.parametrize(
    ("subchapter", "word"),
    [
        ("10 03", "aluminium"),
        ("17 04", "metals"),
        ("19 12", "mechanical treatment"),
        ("20 01", "separately collected"),
        ("01 05", "drilling"),
        ("05 07", "natural gas"),
        ("06 13", "inorganic"),
        ("10 14", "crematoria"),
        ("11 05", "galvanising"),
        ("12 03", "degreasing"),
        ("13 08", "oil wastes"),
        ("14 06", "solvents"),
        ("16 11", "linings"),
        ("19 13", "remediation"),
    ],
)
def test_known_subchapters_exist(subchapter: str, word: str) -> None:
    df = codes.ewc_subchapters().set_index("subchapter")
    assert subchapter in df.index
    assert word in df.loc[subchapter, "title"].lower()


@pytest.mark.parametrize(
    "subchapter",
    ["10 15", "17 10", "20 04", "01 02", "05 02", "06 12", "11 04", "12 02", "13 06", "17 07"],
)
def test_missing_subchapters_do_not_exist(subchapter: str) -> None:
    assert subchapter not in codes.subchapter_codes()


# --- Waste operations ----------------------------------------------------------------------


def test_operations_r1_r13_then_d1_d15() -> None:
    df = codes.waste_operations()
    assert list(df.columns) == ["code", "kind", "title", "hierarchy_level", "interim"]
    expected = [f"R{i}" for i in range(1, 14)] + [f"D{i}" for i in range(1, 16)]
    assert df["code"].tolist() == expected
    assert codes.operation_codes() == frozenset(expected)
    assert frozenset(expected) == codes.OPERATION_CODES
    assert (df.loc[df["code"].str.startswith("R"), "kind"] == "recovery").all()
    assert (df.loc[df["code"].str.startswith("D"), "kind"] == "disposal").all()
    assert set(df["hierarchy_level"]) == {"recycling", "other_recovery", "disposal"}
    assert df["interim"].dtype == bool


@pytest.mark.parametrize(
    ("code", "level", "interim"),
    [
        ("R1", "other_recovery", False),
        ("R3", "recycling", False),
        ("R4", "recycling", False),
        ("R5", "recycling", False),
        ("R9", "recycling", False),
        ("R10", "other_recovery", False),
        ("R11", "recycling", False),
        ("R12", "other_recovery", True),
        ("R13", "other_recovery", True),
        ("D1", "disposal", False),
        ("D10", "disposal", False),
        ("D13", "disposal", True),
        ("D15", "disposal", True),
    ],
)
def test_hierarchy_mapping(code: str, level: str, interim: bool) -> None:
    row = codes.waste_operations().set_index("code").loc[code]
    assert row["hierarchy_level"] == level
    assert bool(row["interim"]) is interim


def test_only_preliminary_operations_are_interim() -> None:
    df = codes.waste_operations()
    assert set(df.loc[df["interim"], "code"]) == {"R12", "R13", "D13", "D14", "D15"}


# --- NACE Rev.2 ----------------------------------------------------------------------------


def test_nace_divisions() -> None:
    df = codes.nace_divisions()
    assert list(df.columns) == ["division", "section", "title", "manufacturing"]
    assert len(df) == 88
    expected = [f"{i:02d}" for i in range(1, 100) if f"{i:02d}" not in NACE_GAPS]
    assert df["division"].tolist() == expected
    assert not set(df["division"]) & NACE_GAPS
    manufacturing = df.loc[df["manufacturing"], "division"].tolist()
    assert manufacturing == [str(i) for i in range(10, 34)]
    assert len(manufacturing) == 24
    assert (df.loc[df["manufacturing"], "section"] == "C").all()


def test_nace_sections_span_their_divisions() -> None:
    sections = codes.nace_sections()
    assert sections["section"].tolist() == list("ABCDEFGHIJKLMNOPQRSTU")
    c = sections.set_index("section").loc["C"]
    assert (c["division_from"], c["division_to"]) == ("10", "33")
    divisions = codes.nace_divisions()
    for row in sections.itertuples():
        inside = divisions["division"].between(row.division_from, row.division_to)
        assert (divisions.loc[inside, "section"] == row.section).all(), row.section
        assert set(divisions.loc[divisions["section"] == row.section, "division"]) == set(
            divisions.loc[inside, "division"]
        )
    assert set(divisions["section"]) == set(sections["section"])


# --- Fates ---------------------------------------------------------------------------------


def test_fate_categories() -> None:
    df = codes.fate_categories()
    assert list(df.columns) == ["fate", "label", "ssc_category", "national_share_2022_pct"]
    expected = (
        "used_as_raw_material",
        "sold_or_transferred",
        "exported",
        "landfilled",
        "kept_on_site",
        "incinerated",
        "unknown",
    )
    assert tuple(df["fate"]) == expected
    assert codes.fate_codes() == expected
    assert expected == codes.FATES
    ssc = df[df["ssc_category"]]
    assert len(ssc) == 5
    assert math.isclose(ssc["national_share_2022_pct"].sum(), 100.0, abs_tol=1e-9)
    assert df.loc[~df["ssc_category"], "national_share_2022_pct"].isna().all()


def test_loaders_return_copies() -> None:
    df = codes.ewc_chapters()
    df.loc[0, "title"] = "changed"
    assert codes.ewc_chapters().loc[0, "title"] != "changed"


def test_codes_are_text() -> None:
    assert codes.ewc_chapters()["chapter"].iloc[0] == "01"
    assert codes.nace_divisions()["division"].iloc[0] == "01"
    assert codes.nace_sections()["division_from"].iloc[0] == "01"


# --- read_ewc_entries ----------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entries.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_ewc_entries_good_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "code,title\n"
        "10 03 04*,primary production slags\n"
        "17 04 05,iron and steel\n"
        '191212,"other wastes (including mixtures of materials), from mechanical treatment"\n'
        "\n"
        "16 06 01 *,lead batteries\n",
    )
    df = codes.read_ewc_entries(path)
    assert list(df.columns) == ["code", "hazardous", "title"]
    assert df["code"].tolist() == ["10 03 04", "17 04 05", "19 12 12", "16 06 01"]
    assert df["hazardous"].tolist() == [True, False, False, True]
    assert df["hazardous"].dtype == bool
    assert df.loc[2, "title"].startswith("other wastes (including mixtures")


@pytest.mark.parametrize("bad", ["10 03 4", "10-03-04", "10 03 04**", "ab cd ef", ""])
def test_read_ewc_entries_malformed_code_names_line(tmp_path: Path, bad: str) -> None:
    path = _write(tmp_path, f"code,title\n17 04 05,iron and steel\n{bad},broken\n")
    with pytest.raises(ValueError) as err:
        codes.read_ewc_entries(path)
    message = str(err.value)
    assert "line 3" in message
    assert str(path) in message
    assert repr(bad) in message


def test_read_ewc_entries_line_counts_multiline_records(tmp_path: Path) -> None:
    path = _write(tmp_path, 'code,title\n17 04 05,"two\nlines"\n\n10 15 01,no such sub-chapter\n')
    with pytest.raises(ValueError, match=r"line 5: .*'10 15'"):
        codes.read_ewc_entries(path)


def test_read_ewc_entries_rejects_duplicates_and_missing_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "code,title\n17 04 05,a\n170405,b\n")
    with pytest.raises(ValueError, match=r"line 3: .*line 2"):
        codes.read_ewc_entries(path)
    path = _write(tmp_path, "ewc,title\n17 04 05,a\n")
    with pytest.raises(ValueError, match="missing column"):
        codes.read_ewc_entries(path)


def test_read_ewc_entries_result_is_plain_frame(tmp_path: Path) -> None:
    df = codes.read_ewc_entries(_write(tmp_path, "code,title\n"))
    assert isinstance(df, pd.DataFrame)
    assert df.empty
    assert list(df.columns) == ["code", "hazardous", "title"]
