"""Pilot regions ranked on the regional statistics, before any survey: the criteria read the
table as it stands, the ranking agrees with pymcdm, the reports name the source, year and
synthetic label, and ranking on statistics without the table is an error naming what is missing
(in the notebook, and in the pre-flight once it is wired)."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import GOOD, PROJECT_ROOT, TODAY, write_tables
from pymcdm import normalizations
from pymcdm.methods import TOPSIS
from pymcdm.weights.subjective import AHP

from iwm_study import scoring
from iwm_study.config import REGION_CRITERIA, RegionSelection, setting_default
from iwm_study.config.selection import statistics_criteria, statistics_problems
from iwm_study.data.schema import TABLES
from iwm_study.scoring import ScoringError

STATISTICS = ["waste_generated_t", "industrial_output_mazn", "enterprises", "employees"]
#: The tiny valid study's survey tables alone.
SURVEY_ONLY = {k: v for k, v in GOOD.items() if k in ("enterprises", "waste_streams", "facilities")}

#: Five regions of the 14; Karabakh's output is blank, the nine others have no row.
ROWS = [
    dict(
        economic_region="Baku",
        enterprises="500",
        employees="20000",
        industrial_output_mazn="7000",
        waste_generated_t="400000",
        reference_year="2022",
        source="SSC, test figures",
    ),
    dict(
        economic_region="Absheron-Khizi",
        enterprises="300",
        employees="15000",
        industrial_output_mazn="2500",
        waste_generated_t="150000",
        reference_year="2022",
        source="SSC, test figures",
    ),
    dict(
        economic_region="Ganja-Dashkasan",
        enterprises="250",
        employees="16000",
        industrial_output_mazn="1300",
        waste_generated_t="60000",
        reference_year="2021",
        source="SSC, test figures",
    ),
    dict(
        economic_region="Karabakh",
        enterprises="80",
        employees="1500",
        industrial_output_mazn="",
        waste_generated_t="20000",
        reference_year="2022",
        source="SSC, test figures",
    ),
    dict(
        economic_region="Nakhchivan",
        enterprises="100",
        employees="2400",
        industrial_output_mazn="200",
        waste_generated_t="9000",
        reference_year="2022",
        source="synthetic test figures",
    ),
]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory):
    """The tiny valid study with the five rows of regional statistics, read by the loader."""
    from iwm_study.data import load_study

    tables = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    tables["facilities"][0]["operations"] = "R4; R13"  # R4 is recycling (metals)
    tables["regional_statistics"] = [dict(r) for r in ROWS]
    return load_study(write_tables(tmp_path_factory.mktemp("stats") / "data", tables), today=TODAY)


def test_the_statistics_criteria_are_the_table_columns() -> None:
    assert [n for n, c in REGION_CRITERIA.items() if c.source == "statistics"] == STATISTICS
    columns = {c.name for c in TABLES["regional_statistics"].columns}
    assert set(STATISTICS) <= columns
    assert {c.source for c in REGION_CRITERIA.values()} == {"survey", "facilities", "statistics"}


def test_criteria_read_the_table_as_it_stands(study) -> None:
    assert study.regional_statistics is not None
    values = scoring.region_criteria(study, criteria=STATISTICS, recycling_distance_km=0)
    assert list(values.columns) == STATISTICS and len(values) == 14
    got = values.loc[["Baku", "Karabakh", "Nakhchivan"]]
    expected = pd.DataFrame(
        {
            "waste_generated_t": [400000, 20000, 9000],
            "industrial_output_mazn": [7000, np.nan, 200],  # Karabakh's cell is blank
            "enterprises": [500, 80, 100],
            "employees": [20000, 1500, 2400],
        },
        index=pd.Index(["Baku", "Karabakh", "Nakhchivan"], name="economic_region"),
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert values.loc["Sheki-Zagatala"].isna().all()  # no row
    complete, missing = scoring.complete_cases(values, STATISTICS)
    assert sorted(complete.index) == ["Absheron-Khizi", "Baku", "Ganja-Dashkasan", "Nakhchivan"]
    assert missing["Karabakh"] == "industrial_output_mazn"
    assert missing["Sheki-Zagatala"] == ", ".join(STATISTICS)
    # by default, every criterion the data allows: the survey's, then the statistics'
    everything = scoring.region_criteria(study, recycling_distance_km=0)
    assert list(everything.columns) == list(REGION_CRITERIA)
    # a frame given as the argument wins over the study's, indexed or not
    other = pd.DataFrame(ROWS[:2]).assign(enterprises=[1, 2]).set_index("economic_region")
    given = scoring.region_criteria(study, criteria=["enterprises"], statistics=other)
    assert given["enterprises"].dropna().to_dict() == {"Absheron-Khizi": 2.0, "Baku": 1.0}


def ahp_settings() -> RegionSelection:
    return RegionSelection.model_validate(
        {
            "method": "topsis",
            "normalisation": "vector",
            "weights": "ahp",
            "criteria": {n: {"direction": "benefit"} for n in STATISTICS},
            "ahp_matrix": [
                [1, 2, 3, 3],
                ["1/2", 1, 2, 2],
                ["1/3", "1/2", 1, 1],
                ["1/3", "1/2", 1, 1],
            ],
        }
    )


def test_ranking_on_statistics_agrees_with_pymcdm(study) -> None:
    settings = ahp_settings()
    values = scoring.region_criteria(study, criteria=settings.criterion_names)
    complete, _ = scoring.complete_cases(values, settings.criterion_names)
    ranking = scoring.rank_alternatives(complete, settings)
    # independent: the numbers of ROWS, pymcdm's AHP and TOPSIS with vector normalisation
    frame = pd.DataFrame(ROWS).set_index("economic_region").drop(index="Karabakh")
    x = frame[STATISTICS].astype(float).to_numpy()
    a = np.array([[float(Fraction(str(v))) for v in row] for row in ahp_settings().ahp_matrix])
    weights = AHP(matrix=a)()
    scores = TOPSIS(normalizations.vector_normalization)(x, weights, np.ones(4))
    expected = pd.Series(scores, index=frame.index).sort_values(ascending=False)
    assert list(ranking.table.index) == list(expected.index)
    assert np.allclose(ranking.table["score"], expected.to_numpy(), rtol=0, atol=1e-9)
    assert list(ranking.table.index[:2]) == ["Baku", "Absheron-Khizi"]


def test_the_demo_ranks_pilot_regions_on_statistics() -> None:
    demo = setting_default("region_selection")
    assert list(demo["criteria"]) == STATISTICS
    assert statistics_criteria(demo) == STATISTICS
    settings = scoring.selection_settings("region_selection", demo)
    _, ahp = scoring.resolve_weights(settings)
    assert ahp is not None and ahp.cr < 0.10
    # the shipped demo table: one row for each of the 14 regions, labelled synthetic
    shipped = pd.read_csv(PROJECT_ROOT / "data" / "demo" / "regional_statistics.csv")
    assert shipped["economic_region"].is_unique and len(shipped) == 14
    assert scoring.statistics_provenance(shipped)[2] is True


def test_reports_name_the_source_the_year_and_the_synthetic_label(study) -> None:
    stats = study.regional_statistics
    year, source, synthetic = scoring.statistics_provenance(stats)
    assert (year, source, synthetic) == (
        "2021-2022",
        "SSC, test figures; synthetic test figures",
        True,
    )
    real = stats[stats["source"] == "SSC, test figures"]
    assert scoring.statistics_provenance(real)[2] is False
    assert scoring.statistics_provenance(None) == ("", "", False)
    settings = ahp_settings()
    values = scoring.region_criteria(study, criteria=STATISTICS)
    ranking = scoring.rank_alternatives(scoring.complete_cases(values, STATISTICS)[0], settings)
    table = scoring.criteria_table(ranking, stats)
    assert set(table["source"]) == {
        "regional statistics, 2021-2022 (SSC, test figures; synthetic test figures)"
    }
    text = scoring.sources_text(ranking, stats)
    assert text.startswith(
        "- From the regional statistics (2021-2022; source: SSC, test figures; synthetic test "
        "figures): waste generated (statistics), industrial output, enterprises (statistics) "
        "and employees (statistics)."
    )
    assert "**The regional statistics are synthetic**" in text
    assert "synthetic**" not in scoring.sources_text(ranking, real)
    assert "synthetic**" in scoring.sources_text(ranking, real, synthetic=True)
    sens = scoring.sensitivity(ranking, top=2)
    assert "on 4 criteria drawn from the regional statistics." in scoring.pilot_statement(
        ranking, sens, 2
    )


def test_survey_criteria_stay_available_and_say_their_source(study) -> None:
    settings = RegionSelection.model_validate(
        {
            "weights": "equal",
            "criteria": {
                "waste_t": {"direction": "benefit"},
                "recycling_capacity_t": {"direction": "benefit"},
                "enterprises": {"direction": "benefit"},
            },
        }
    )
    values = scoring.region_criteria(
        study, criteria=settings.criterion_names, recycling_distance_km=0
    )
    ranking = scoring.rank_alternatives(
        scoring.complete_cases(values, settings.criterion_names)[0], settings
    )
    assert ranking.criteria == settings.criterion_names and not ranking.dropped
    sources = scoring.criteria_table(ranking, study.regional_statistics)["source"].to_dict()
    assert sources["waste_t"] == "survey (enterprises, waste streams)"
    assert sources["recycling_capacity_t"] == "facilities table"
    sens = scoring.sensitivity(ranking, top=1)
    assert (
        "on 3 criteria drawn from the survey, the facilities table and the regional statistics."
        in scoring.pilot_statement(ranking, sens, 1)
    )


def test_statistics_criteria_without_the_table_name_what_is_missing(tmp_path: Path) -> None:
    from iwm_study.data import load_study

    study = load_study(write_tables(tmp_path / "data", SURVEY_ONLY), today=TODAY)
    assert study.regional_statistics is None
    with pytest.raises(ScoringError) as info:
        scoring.region_criteria(study, criteria=["waste_t", "enterprises", "employees"])
    assert str(info.value) == (
        "criteria enterprises, employees are read from the regional_statistics table of the "
        "study data, and the study has none: add the table (one row per economic region), or "
        "rank on criteria of the survey or the facilities (region_selection.criteria)."
    )
    # the survey criteria alone need no table
    assert list(scoring.region_criteria(study, criteria=["waste_t"]).columns) == ["waste_t"]


def test_a_region_listed_twice_is_an_error(study) -> None:
    twice = pd.DataFrame([*ROWS, ROWS[0]])
    with pytest.raises(ScoringError, match="lists economic region 'Baku' more than once"):
        scoring.region_criteria(study, criteria=["enterprises"], statistics=twice)


def test_statistics_problems_for_the_preflight() -> None:
    demo = setting_default("region_selection")
    (problem,) = statistics_problems(
        demo, False, "parameters/study.yaml", "defaults.region_selection"
    )
    assert (problem.file, problem.key, problem.value) == (
        "parameters/study.yaml",
        "defaults.region_selection.criteria",
        "waste_generated_t, industrial_output_mazn, enterprises, employees",
    )
    assert problem.message == (
        "criteria waste_generated_t, industrial_output_mazn, enterprises and employees are "
        "columns of the regional_statistics table of the study data (one row per economic "
        "region), and the data has no such table: add it, or rank the regions on criteria of "
        "the survey or the facilities (waste_t, hazardous_share, manufacturing_enterprises, "
        "landfill_share, recycling_capacity_t, recp_interest)."
    )
    one = {"criteria": {"waste_t": {}, "enterprises": {}}}
    (problem,) = statistics_problems(one, False, "f", "k", inherited=True)
    assert problem.message.startswith("criterion enterprises is a column of the ")
    assert problem.message.endswith(
        "These are the toolkit's default criteria, used because the study sets no region_selection."
    )
    assert statistics_problems(demo, True, "f", "k") == []
    survey = {"criteria": {"waste_t": {"direction": "benefit"}}}
    assert statistics_problems(survey, False, "f", "k") == []
    assert statistics_problems("not a block", False, "f", "k") == []


def _preflight_wired() -> bool:
    import importlib

    return hasattr(importlib.import_module("iwm_study.runner.preflight"), "statistics_problems")


@pytest.mark.skipif(
    not _preflight_wired(),
    reason="the lead wires config.selection.statistics_problems into runner/preflight.py "
    "(H1's file); until then the notebook's ScoringError is the only check",
)
def test_preflight_refuses_statistics_criteria_without_the_table(tmp_path: Path, capsys) -> None:
    from iwm_study.cli import main

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", SURVEY_ONLY)  # three regions, no statistics
    assert main(["validate", "--project", str(tmp_path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        "parameters/study.yaml, key 'defaults.region_selection.criteria': criteria "
        "waste_generated_t, industrial_output_mazn, enterprises and employees are columns of the "
        "regional_statistics table of the study data" in err
    )
    tables = {"regional_statistics": [dict(r) for r in ROWS]}
    write_tables(tmp_path / "data" / "demo", tables)
    assert main(["validate", "--project", str(tmp_path)]) == 0
