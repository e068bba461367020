"""The pilot-region and enterprise-selection reports (notebooks 00 and 01) as a reader sees them.

Every table those reports show, built from the demonstration data as the notebooks build it (no
notebook runs): report headers, no index, no snake_case header, no True/False. Then their words
in another language, read from a catalog made here (so the expected texts are independent of
the shipped translations): whole sentences, Azerbaijani ordinals and letter case, numbers and
lists as the locale writes them, number ticks of the charts.
"""

from __future__ import annotations

import gettext
import io
import re

import pandas as pd
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from iwm_study import i18n, scoring
from iwm_study.config.registry import ENTERPRISE_SELECTION_DEFAULT, REGION_SELECTION_DEFAULT
from iwm_study.config.selection import Eligibility, EnterpriseSelection
from iwm_study.data import load_study
from iwm_study.report import table

REGION = "Baku"
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def shown() -> dict[str, tuple[pd.DataFrame, dict, dict]]:
    """Every table of notebooks 00 and 01 as they show it: frame, formats, headers (or {})."""
    study = load_study(None)
    region = scoring.selection_settings("region_selection", REGION_SELECTION_DEFAULT)
    stats = study.regional_statistics
    values = scoring.region_criteria(study, criteria=region.criterion_names, statistics=stats)
    complete, _missing = scoring.complete_cases(values, region.criterion_names)
    regions = scoring.rank_alternatives(complete, region)
    region_sens = scoring.sensitivity(regions, top=region.pilots)

    here = study.for_region(REGION)
    enterprise = scoring.selection_settings("enterprise_selection", ENTERPRISE_SELECTION_DEFAULT)
    selection = scoring.rank_enterprises(here, enterprise)
    ranking = selection.ranking
    sens = scoring.sensitivity(ranking, top=10)
    # two alternatives without a criterion, as complete_cases writes them
    not_ranked = pd.Series(
        ["waste_t, hazardous_share", "recp_interest"], index=["E1", "E2"], name="missing"
    )
    names = pd.Series({"E1": "Alpha MMC", "E2": "Beta QSC"})
    out: dict[str, tuple[pd.DataFrame, dict, dict]] = {
        "region criteria": (scoring.criteria_table(regions, stats), {}, scoring.CRITERIA_HEADERS),
        "ahp": (*scoring.ahp_frame(regions), {}),
        "regions ranked": (*scoring.ranking_frame(regions, "Economic region"), {}),
        "stability": (*scoring.stability_frame(region_sens, "Economic region"), {}),
        "regions one at a time": (*scoring.one_at_a_time_frame(region_sens), {}),
        "missing": (
            scoring.missing_frame(not_ranked, "enterprise", names),
            {},
            scoring.MISSING_HEADERS,
        ),
        "excluded": (*scoring.excluded_frame(selection.screening), scoring.EXCLUDED_HEADERS),
        "enterprise criteria": (scoring.criteria_table(ranking), {}, scoring.CRITERIA_HEADERS),
        "shortlist": (scoring.shortlist(ranking, 10, sens), {}, scoring.SHORTLIST_HEADERS),
        "enterprises one at a time": (*scoring.one_at_a_time_frame(sens), {}),
        "enterprises ranked": (*scoring.ranking_frame(ranking, "Enterprise"), {}),
    }
    return out


def test_every_table_has_report_headers_and_words(shown) -> None:
    for name, (frame, _formats, headers) in shown.items():
        assert len(frame), name
        if headers:
            missing = [c for c in frame.columns if c not in headers]
            assert not missing, f"{name}: no report header for {missing}"
        for column in frame.columns:
            header = headers[column][0] if headers else column
            assert not SNAKE.match(header) and header[:1].isupper(), f"{name}: {header!r}"
            assert frame[column].dtype != bool, f"{name}: {column} is a bool column"
            cells = {str(v) for v in frame[column].dropna()}
            assert not cells & {"True", "False"}, f"{name}.{column}"
    # the criteria are named by their labels, never by their keys
    criteria = set(shown["regions one at a time"][0]["Criterion"])
    assert criteria == {
        "Waste generated (statistics)",
        "Industrial output",
        "Enterprises (statistics)",
        "Employees (statistics)",
    }
    assert set(shown["regions one at a time"][0]["Top 2 kept"]) <= {"yes", "no"}
    assert shown["missing"][0].to_dict("list") == {
        "name": ["Alpha MMC", "Beta QSC"],
        "missing": ["Waste generated, Hazardous share", "RECP interest"],
    }


def test_the_rendered_tables_have_no_index_and_no_snake_case_header(shown) -> None:
    for name, (frame, formats, headers) in shown.items():
        html = table(frame, formats, name, headers=headers or None, index=False).to_html()
        assert 'class="blank level0"' not in html and "row_heading" not in html, name
        heads = re.findall(r'<th [^>]*class="col_heading[^"]*"[^>]*>([^<]*)</th>', html)
        assert heads and not [h for h in heads if SNAKE.match(h)], (name, heads)
        assert ">True<" not in html and ">False<" not in html, name


def test_ahp_judgements_are_written_as_the_parameters_write_them(shown) -> None:
    frame, formats, _headers = shown["ahp"]
    assert list(frame.columns) == [
        "Criterion",
        "Waste generated (statistics)",
        "Industrial output",
        "Enterprises (statistics)",
        "Employees (statistics)",
        "Weight",
    ]
    column = "Waste generated (statistics)"
    assert [formats[column](v) for v in frame[column]] == ["1", "1/2", "1/3", "1/3"]
    assert [formats["Industrial output"](v) for v in frame["Industrial output"]] == [
        "2",
        "1",
        "1/2",
        "1/2",
    ]
    assert formats[column](2.5) == "2.500"  # not on the 1..9 or 1/9..1 grid: a number


# ------------------------------------------------------------------------- another language


def _catalog(messages: dict[str, str]) -> gettext.GNUTranslations:
    cat = Catalog(locale="az")
    for msgid, msgstr in messages.items():
        cat.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, cat)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def azerbaijani(monkeypatch: pytest.MonkeyPatch):
    """Switch to Azerbaijani with a catalog of the given messages only."""

    def install(messages: dict[str, str]) -> None:
        monkeypatch.setattr(i18n, "translations", lambda code: _catalog(messages))
        i18n.use("az")

    yield install
    i18n.use("en")


def test_ordinals_in_english_and_azerbaijani(azerbaijani) -> None:
    numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 30, 40, 50, 60, 70, 80, 90, 100, 1000]
    assert [scoring.ordinal(n) for n in numbers] == [
        "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th",
        "20th", "30th", "40th", "50th", "60th", "70th", "80th", "90th", "100th", "1000th",
    ]  # fmt: skip
    azerbaijani({})
    # birinci, ikinci, üçüncü, dördüncü, beşinci, altıncı, yeddinci, səkkizinci, doqquzuncu,
    # onuncu, on birinci, on ikinci, iyirminci, otuzuncu, qırxıncı, əllinci, altmışıncı,
    # yetmişinci, səksəninci, doxsanıncı, yüzüncü, mininci
    assert [scoring.ordinal(n) for n in numbers] == [
        "1-ci", "2-ci", "3-cü", "4-cü", "5-ci", "6-cı", "7-ci", "8-ci", "9-cu", "10-cu",
        "11-ci", "12-ci", "20-ci", "30-cu", "40-cı", "50-ci", "60-cı", "70-ci", "80-ci",
        "90-cı", "100-cü", "1000-ci",
    ]  # fmt: skip


def _hand_ranking() -> scoring.Ranking:
    """Three enterprises worked by hand (weighted sum, min-max): contributions A1 (0, 0, .2),
    A2 (.25, .3, 0), A3 (.5, .15, .1); scores .2, .55, .75."""
    settings = EnterpriseSelection.model_validate(
        {
            "method": "weighted_sum",
            "normalisation": "minmax",
            "weights": "direct",
            "criteria": {
                "waste_t": {"direction": "benefit", "weight": 0.5},
                "hazardous_share": {"direction": "benefit", "weight": 0.3},
                "employees": {"direction": "cost", "weight": 0.2},
            },
        }
    )
    values = pd.DataFrame(
        {"waste_t": [2.0, 4.0, 6.0], "hazardous_share": [0.1, 0.3, 0.2], "employees": [10, 50, 30]},
        index=["A1", "A2", "A3"],
    )
    return scoring.rank_alternatives(values, settings)


def test_reasons_in_english() -> None:
    reasons = scoring.reasons(_hand_ranking())
    assert reasons.to_dict() == {
        "A3": "Strongest on waste generated 6 t/yr (1st of 3) and hazardous share 20.0% (2nd of "
        "3).",
        "A2": "Strongest on hazardous share 30.0% (1st of 3) and waste generated 4 t/yr (2nd of "
        "3); furthest from the best on size 50 employees (3rd of 3).",
        "A1": "Strongest on size 10 employees (1st of 3); furthest from the best on waste "
        "generated 2 t/yr (3rd of 3).",
    }


def test_reasons_in_azerbaijani(azerbaijani) -> None:
    azerbaijani(
        {
            "Waste generated": "Yaranan tullantı",
            "Hazardous share": "Təhlükəli pay",
            "Size": "İşçi sayı",
            "{:,.0f} t/yr": "{:,.0f} t/il",
            "{:,.0f} employees": "{:,.0f} işçi",
            "{criterion} {value} ({place} of {n})": "{criterion} {value} ({n} arasında {place})",
            "Strongest on {strengths}; furthest from the best on {weakness}.": (
                "Güclü tərəfləri: {strengths}; ən zəif tərəfi: {weakness}."
            ),
            "Strongest on {strengths}.": "Güclü tərəfləri: {strengths}.",
        }
    )
    reasons = scoring.reasons(_hand_ranking())
    # Babel's Azerbaijani list ('a və b'), decimal comma, and I/İ lowered as Azerbaijani does
    assert reasons.to_dict() == {
        "A3": "Güclü tərəfləri: yaranan tullantı 6 t/il (3 arasında 1-ci) və təhlükəli pay "
        "20,0% (3 arasında 2-ci).",
        "A2": "Güclü tərəfləri: təhlükəli pay 30,0% (3 arasında 1-ci) və yaranan tullantı 4 t/il "
        "(3 arasında 2-ci); ən zəif tərəfi: işçi sayı 50 işçi (3 arasında 3-cü).",
        "A1": "Güclü tərəfləri: işçi sayı 10 işçi (3 arasında 1-ci); ən zəif tərəfi: yaranan "
        "tullantı 2 t/il (3 arasında 3-cü).",
    }
    assert scoring.format_criterion("enterprise", "waste_t", 12400.0) == "12.400 t/il"


def test_gates_and_their_reasons_in_azerbaijani(azerbaijani) -> None:
    azerbaijani(
        {
            "at most {n} employees": "ən çoxu {n} işçi",
            "RECP interest at least {level}": "RECP marağı ən azı {level} səviyyədə",
            "size: {employees} employees, more than {limit}": "ölçü: {employees} işçi (hədd: {limit})",
            "RECP interest: {level}, below {floor}": "RECP marağı: {level}, ({floor}) aşağı",
            "low": "aşağı",
            "medium": "orta",
        }
    )
    gates = Eligibility(max_employees=249, min_recp_interest="medium")
    assert scoring.gate_texts(gates) == ["ən çoxu 249 işçi", "RECP marağı ən azı orta səviyyədə"]
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ["E1", "E2"],
            "name": ["Alpha", "Beta"],
            "employees": [1911, 20],
            "recp_interest": ["low", "high"],
        }
    )
    screening = scoring.screen(enterprises, gates)
    assert screening.excluded["reasons"].to_dict() == {
        "E1": "ölçü: 1.911 işçi (hədd: 249); RECP marağı: aşağı, (orta) aşağı"
    }
    frame, _formats = scoring.excluded_frame(screening)
    assert frame["RECP interest"].tolist() == ["aşağı"]


def test_consistency_and_method_in_azerbaijani(azerbaijani) -> None:
    azerbaijani(
        {
            "λ<sub>max</sub> = {lambda_max}, CI = {ci}, RI = {ri}, CR = {cr}: the judgements are "
            "acceptably consistent (CR < {limit}).": (
                "λ<sub>max</sub> = {lambda_max}, CI = {ci}, RI = {ri}, CR = {cr}: uzlaşmalıdır "
                "(CR < {limit})."
            ),
            "vector normalisation": "vektor normallaşdırma",
            "AHP weights": "AHP çəkiləri",
        }
    )
    settings = scoring.selection_settings("region_selection", REGION_SELECTION_DEFAULT)
    _weights, ahp = scoring.resolve_weights(settings)
    # Saaty's figures of the demo's matrix: lambda_max 4.0104, CI 0.0035, RI 0.90, CR 0.0038
    assert scoring.consistency_text(ahp) == (
        "λ<sub>max</sub> = 4,010, CI = 0,003, RI = 0,90, CR = 0,004: uzlaşmalıdır (CR < 0,10)."
    )
    assert scoring.method_text(settings) == "TOPSIS (vektor normallaşdırma, AHP çəkiləri)"


def test_chart_ticks_follow_the_language(azerbaijani) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ranking = _hand_ranking()

    def ticks() -> list[str]:
        fig = scoring.score_bar_chart(ranking, 1, "t")
        FigureCanvasAgg(fig).draw()
        return [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]

    english = ticks()
    assert "0.2" in english and not any("," in t for t in english)
    azerbaijani({})
    assert ticks() == [t.replace(".", ",") for t in english]
