"""The code tables shipped in iwm_study/data/codes and their loaders."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from iwm_study.data import code_checks, codes

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
    assert list(df.columns) == ["chapter", "title", "title_az"]
    assert df["chapter"].tolist() == [f"{i:02d}" for i in range(1, 21)]
    assert (df["title"].str.len() > 0).all()


def test_subchapters_belong_to_existing_chapters() -> None:
    df = codes.ewc_subchapters()
    assert list(df.columns) == ["subchapter", "chapter", "title", "title_az"]
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
    assert list(df.columns) == [
        "code",
        "kind",
        "title",
        "hierarchy_level",
        "interim",
        "title_az",
    ]
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
    assert list(df.columns) == ["division", "section", "title", "manufacturing", "title_az"]
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
    assert list(df.columns) == [
        "fate",
        "label",
        "colour",
        "ssc_category",
        "national_share_2022_pct",
        "known",
        "stays_on_site",
        "leaves_country",
        "destination_expected",
        "landfill_like",
        "not_recovered",
        "open_for_matching",
        "label_az",
    ]
    assert "label_az" not in codes.fate_groups()
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


# --- List of Waste entries -------------------------------------------------------------------

# Entries per chapter of the List of Waste as amended by Decision 2014/955/EU: 842 entries, 408
# of them hazardous. The same fingerprint was obtained from two independent transcriptions (an
# English list and a list extracted from the EUR-Lex text of 32014D0955).
ENTRIES_PER_CHAPTER = {
    "01": 24, "02": 38, "03": 19, "04": 21, "05": 24, "06": 48, "07": 78, "08": 38, "09": 13,
    "10": 173, "11": 27, "12": 23, "13": 34, "14": 5, "15": 12, "16": 72, "17": 38, "18": 16,
    "19": 99, "20": 40,
}  # fmt: skip
N_ENTRIES = 842
N_HAZARDOUS = 408
# Mirror pairs derived from the titles (see the README): 169 links between 162 hazardous and
# 153 non-hazardous entries.
N_MIRROR_LINKS = 169
N_MIRROR_HAZARDOUS = 162
N_MIRROR_NON_HAZARDOUS = 153

_CODE = r"\d{2} \d{2} \d{2}"


def test_ewc_entries_columns_and_counts() -> None:
    df = codes.ewc_entries()
    assert list(df.columns) == [
        "code",
        "subchapter",
        "chapter",
        "hazardous",
        "mirror",
        "title",
        "title_az",
    ]
    assert sum(ENTRIES_PER_CHAPTER.values()) == N_ENTRIES
    assert len(df) == N_ENTRIES
    assert df.index.tolist() == list(range(N_ENTRIES))
    assert df["hazardous"].dtype == bool
    assert int(df["hazardous"].sum()) == N_HAZARDOUS
    assert df.groupby("chapter").size().to_dict() == ENTRIES_PER_CHAPTER
    assert df["code"].str.fullmatch(_CODE).all()
    assert df["code"].is_unique
    assert df["code"].tolist() == sorted(df["code"])
    assert (df["subchapter"] == df["code"].str[:5]).all()
    assert (df["chapter"] == df["code"].str[:2]).all()
    assert (df["title"].str.len() > 0).all()
    assert df["mirror"].map(type).eq(str).all()


def test_ewc_entry_code_sets() -> None:
    df = codes.ewc_entries()
    assert codes.ewc_entry_codes() == frozenset(df["code"])
    assert len(codes.ewc_entry_codes()) == N_ENTRIES
    assert codes.hazardous_entries() == frozenset(df.loc[df["hazardous"], "code"])
    assert len(codes.hazardous_entries()) == N_HAZARDOUS
    assert codes.hazardous_entries() < codes.ewc_entry_codes()


def test_entries_and_subchapters_match() -> None:
    entries = codes.ewc_entries()
    subchapters = codes.subchapter_codes()
    assert set(entries["subchapter"]) <= subchapters
    assert set(entries["subchapter"]) == subchapters  # every sub-chapter has an entry
    assert entries["subchapter"].nunique() == N_SUBCHAPTERS
    chapters = codes.ewc_subchapters().set_index("subchapter")["chapter"]
    assert (entries["subchapter"].map(chapters) == entries["chapter"]).all()


@pytest.mark.parametrize(
    ("code", "hazardous", "words"),
    [
        ("13 02 05", True, "mineral-based non-chlorinated engine, gear and lubricating oils"),
        ("17 05 03", True, "soil and stones containing hazardous substances"),
        ("17 05 04", False, "soil and stones other than those mentioned in 17 05 03"),
        ("04 02 99", False, "wastes not otherwise specified"),
        ("16 01 04", True, "end-of-life vehicles"),
        ("20 03 01", False, "mixed municipal waste"),
        ("10 03 08", True, "salt slags from secondary production"),
        ("10 03 04", True, "primary production slags"),
        ("10 02 02", False, "unprocessed slag"),
        ("01 03 10", True, "red mud"),
        ("13 08 99", True, "not otherwise specified"),
        ("15 01 10", True, "packaging containing residues"),
        ("16 03 07", True, "metallic mercury"),
        ("19 03 08", True, "partly stabilised mercury"),
        ("19 12 12", False, "mechanical treatment"),
        ("20 01 26", True, "oil and fat other than those mentioned in 20 01 25"),
        ("16 11 02", False, "other than those mentioned in 16 11 01"),
    ],
)
def test_known_entries(code: str, hazardous: bool, words: str) -> None:
    row = codes.ewc_entries().set_index("code").loc[code]
    assert bool(row["hazardous"]) is hazardous
    assert (code in codes.hazardous_entries()) is hazardous
    assert words in row["title"].lower()


@pytest.mark.parametrize("code", ["13 03 05", "10 15 01", "20 01 03", "17 05 09", "16 01 05"])
def test_entries_that_do_not_exist(code: str) -> None:
    assert code not in codes.ewc_entry_codes()


def test_04_02_99_is_not_hazardous() -> None:
    assert "04 02 99" in codes.ewc_entry_codes()
    assert "04 02 99" not in codes.hazardous_entries()
    assert "04 02 99*" not in codes.ewc_entry_codes()
    assert "04 02 99*" not in codes.hazardous_entries()


def test_mirror_pairs_are_symmetric_and_mixed() -> None:
    mirrors = codes.mirror_entries()
    hazardous = codes.hazardous_entries()
    links = set()
    for code, partners in mirrors.items():
        assert partners, code
        assert list(partners) == sorted(set(partners)), code
        for partner in partners:
            assert code in mirrors[partner], (code, partner)
            assert (code in hazardous) != (partner in hazardous), (code, partner)
            links.add(frozenset((code, partner)))
    assert len(links) == N_MIRROR_LINKS
    assert len(set(mirrors) & hazardous) == N_MIRROR_HAZARDOUS
    assert len(set(mirrors) - hazardous) == N_MIRROR_NON_HAZARDOUS


def test_mirror_column_matches_mirror_entries() -> None:
    df = codes.ewc_entries()
    expected = {
        code: tuple(mirror.split(";"))
        for code, mirror in zip(df["code"], df["mirror"], strict=True)
        if mirror
    }
    assert codes.mirror_entries() == expected
    partners = {partner for mirror in df["mirror"] if mirror for partner in mirror.split(";")}
    assert partners <= set(df["code"])


def _mirrors_from_titles(df: pd.DataFrame) -> dict[str, set[str]]:
    """Derive the mirror pairs again, independently of the build script, from the titles."""
    codes_all = df["code"].tolist()
    hazardous = set(df.loc[df["hazardous"], "code"])
    pairs: dict[str, set[str]] = {}
    for code, title, is_hazardous in zip(df["code"], df["title"], df["hazardous"], strict=True):
        if is_hazardous:
            continue
        found = re.search(r"other than (?:those|the wastes|that) mentioned in (.*)", title)
        if not found:
            continue
        tail = found.group(1)
        named = set()
        for low, high in re.findall(rf"({_CODE}) to ({_CODE})", tail):
            named |= {c for c in codes_all if low <= c <= high}
        named |= set(re.findall(_CODE, tail))
        for partner in named & hazardous:
            pairs.setdefault(code, set()).add(partner)
            pairs.setdefault(partner, set()).add(code)
    return pairs


def test_mirror_pairs_follow_from_titles() -> None:
    df = codes.ewc_entries()
    derived = _mirrors_from_titles(df)
    assert {code: set(partners) for code, partners in codes.mirror_entries().items()} == derived


@pytest.mark.parametrize(
    ("code", "partners"),
    [
        ("17 05 03", ("17 05 04",)),
        ("17 05 04", ("17 05 03",)),
        ("16 02 14", ("16 02 09", "16 02 10", "16 02 11", "16 02 12", "16 02 13")),
        ("16 02 13", ("16 02 14",)),
        ("16 05 09", ("16 05 06", "16 05 07", "16 05 08")),
        ("10 01 19", ("10 01 18",)),  # 10 01 05 and 10 01 07 are not hazardous
        ("10 13 09", ("10 13 10", "10 13 11")),
        ("01 03 09", ("01 03 10",)),
        ("01 03 10", ("01 03 09",)),
        ("01 04 07", ("01 04 08", "01 04 10", "01 04 11", "01 04 12", "01 04 13")),
        ("19 12 07", ("19 12 06",)),
        ("20 01 36", ("20 01 21", "20 01 23", "20 01 35")),
        ("16 11 06", ("16 11 05",)),
    ],
)
def test_known_mirror_pairs(code: str, partners: tuple[str, ...]) -> None:
    assert codes.mirror_entries()[code] == partners


@pytest.mark.parametrize(
    "code",
    [
        "20 03 01",  # absolute non-hazardous
        "16 01 04",  # absolute hazardous
        "04 02 99",
        "03 03 11",  # names only 03 03 10, which is not hazardous
        "20 01 26",  # hazardous itself; only non-hazardous titles make a pair
        "19 08 10",
        "16 06 04",  # "(except 16 06 03)" is not a mirror wording
        "18 01 01",
    ],
)
def test_absolute_entries_have_no_mirror(code: str) -> None:
    assert code not in codes.mirror_entries()
    assert codes.ewc_entries().set_index("code").loc[code, "mirror"] == ""


def test_entry_loaders_return_copies() -> None:
    df = codes.ewc_entries()
    df.loc[0, "title"] = "changed"
    assert codes.ewc_entries().loc[0, "title"] != "changed"
    mirrors = codes.mirror_entries()
    mirrors.clear()
    assert codes.mirror_entries()
    nace = codes.nace_classes()
    nace.loc[0, "title"] = "changed"
    assert codes.nace_classes().loc[0, "title"] != "changed"


@pytest.mark.parametrize(
    ("code", "n", "expected"),
    [
        ("13 02 09", 3, ["13 02 08*", "13 02 07*", "13 02 06*"]),
        ("130209", 2, ["13 02 08*", "13 02 07*"]),
        ("17 05 10", 3, ["17 05 08", "17 05 07*", "17 05 06"]),
        ("20 01 09", 3, ["20 01 08", "20 01 10", "20 01 11"]),  # tie goes to the lower code
        ("04 02 99*", 3, ["04 02 99", "04 02 22", "04 02 21"]),  # the star was wrong
        ("08 05 02", 3, ["08 05 01*"]),  # the sub-chapter has one entry only
        ("10 15 01", 3, ["10 14 01*", "10 13 99", "10 13 14"]),  # no sub-chapter 10 15
        ("05 02 01", 3, ["05 01 99", "05 01 17", "05 01 16"]),  # no sub-chapter 05 02
        ("21 01 01", 3, []),  # no chapter 21
        ("00 00 00", 3, []),
        ("16 01 04", 1, ["16 01 04*"]),
    ],
)
def test_nearest_ewc_entries(code: str, n: int, expected: list[str]) -> None:
    assert code_checks.nearest_ewc_entries(code, n) == expected


def test_nearest_ewc_entries_default_and_errors() -> None:
    assert code_checks.nearest_ewc_entries("13 02 09") == ["13 02 08*", "13 02 07*", "13 02 06*"]
    assert len(code_checks.nearest_ewc_entries("17 05 10", n=50)) == 6
    with pytest.raises(ValueError, match="malformed"):
        code_checks.nearest_ewc_entries("13-02-09")
    with pytest.raises(ValueError, match="at least 1"):
        code_checks.nearest_ewc_entries("13 02 09", n=0)


# --- NACE Rev.2 groups and classes -----------------------------------------------------------

N_NACE_GROUPS = 272
N_NACE_CLASSES = 615


def test_nace_classes_columns_and_counts() -> None:
    df = codes.nace_classes()
    assert list(df.columns) == ["code", "level", "division", "section", "title", "title_az"]
    groups = df[df["level"] == "group"]
    classes = df[df["level"] == "class"]
    assert len(groups) == N_NACE_GROUPS
    assert len(classes) == N_NACE_CLASSES
    assert len(df) == N_NACE_GROUPS + N_NACE_CLASSES
    assert set(df["level"]) == {"group", "class"}
    assert groups["code"].str.fullmatch(r"\d{2}\.\d").all()
    assert classes["code"].str.fullmatch(r"\d{2}\.\d{2}").all()
    assert df["code"].is_unique
    assert df["code"].tolist() == sorted(df["code"])  # each group right before its classes
    assert (df["title"].str.len() > 0).all()
    assert (df["title"] == df["title"].str.strip()).all()


def test_nace_hierarchy() -> None:
    df = codes.nace_classes()
    divisions = codes.nace_divisions().set_index("division")["section"]
    groups = set(df.loc[df["level"] == "group", "code"])
    classes = df[df["level"] == "class"]
    assert set(classes["code"].str[:4]) == groups  # every class in a group, no empty group
    assert (df["division"] == df["code"].str[:2]).all()
    assert set(df["division"]) == set(divisions.index)  # every division has groups
    assert (df["section"] == df["division"].map(divisions)).all()
    sections = set(codes.nace_sections()["section"])
    assert set(df["section"]) == sections
    assert len(sections) == 21
    assert len(divisions) == 88


def test_nace_codes() -> None:
    all_codes = codes.nace_codes()
    assert len(all_codes) == 88 + N_NACE_GROUPS + N_NACE_CLASSES
    for code in ("24", "24.4", "24.42", "10.11", "99", "99.0", "99.00", "01.11", "38.32"):
        assert code in all_codes, code
    for code in ("99.99", "24.47", "04", "34.1", "10.14", "24.4.2", "2442", "C"):
        assert code not in all_codes, code


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("24.42", "Aluminium production"),
        ("24.4", "Manufacture of basic precious and other non-ferrous metals"),
        ("10.11", "Processing and preserving of meat"),
        ("10.1", "Processing and preserving of meat and production of meat products"),
        ("23.51", "Manufacture of cement"),
        ("38.32", "Recovery of sorted materials"),
        ("99.00", "Activities of extraterritorial organisations and bodies"),
        ("10.2", "Processing and preserving of fish, crustaceans and molluscs"),
        ("10.20", "Processing and preserving of fish, crustaceans and molluscs"),
    ],
)
def test_known_nace_titles(code: str, title: str) -> None:
    assert codes.nace_classes().set_index("code").loc[code, "title"] == title


def test_single_class_groups_have_both_rows() -> None:
    df = codes.nace_classes().set_index("code")
    for group, single in [("12.0", "12.00"), ("10.2", "10.20"), ("99.0", "99.00")]:
        assert df.loc[group, "level"] == "group"
        assert df.loc[single, "level"] == "class"
        assert df.loc[group, "title"] == df.loc[single, "title"]
    # 10.6 has two classes, 10.61 and 10.62
    assert sorted(c for c in df.index if c.startswith("10.6")) == ["10.6", "10.61", "10.62"]


def test_importing_codes_reads_no_file() -> None:
    script = (
        "import iwm_study.data.codes as c; "
        "print(c._read.cache_info().currsize, c._ewc_entries.cache_info().currsize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["0", "0"]
