"""The conclusions in the report's language: the code tables' Azerbaijani columns, the key
findings, the evidence and conditions of the recommendation rules in words, and the fact
sheets' ranged values (``report.Ranged``). Expected texts are written out by hand."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from iwm_study import conclusions as c
from iwm_study.i18n import _, using
from iwm_study.report import Ranged, table_payload

CODES = Path(c.shipped_recommendations_path()).parent
RULES = c.load_recommendations()

#: The text columns a reader sees in each code table of the conclusions.
TRANSLATED = {
    "indicators.csv": ("label", "definition"),
    "recommendations.csv": (
        "topic",
        "recommendation",
        "rationale",
        "policy_lever",
        "next_steps",
        "source",
    ),
    "recp_practices.csv": ("label", "description"),
    "recp_opportunities.csv": ("opportunity", "source"),
    "national_figures.csv": ("label", "source"),
}


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_every_text_of_the_tables_has_its_azerbaijani(name: str) -> None:
    with open(CODES / name, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    columns = TRANSLATED[name]
    # The translations come last, after the English columns they translate.
    first = min(header.index(f"{col}_az") for col in columns)
    assert all(h.endswith("_az") for h in header[first:])
    assert not any(h.endswith("_az") for h in header[:first])
    for col in columns:
        i, j = header.index(col), header.index(f"{col}_az")
        assert j > i
        for row in rows:
            assert row[j].strip(), (name, col, row[0])
            assert row[j] != row[i], (name, col, row[0])


def test_indicators_in_azerbaijani() -> None:
    assert c.indicator("waste_t").label == "Waste generated"
    with using("az"):
        assert c.indicator("waste_t").label == "Əmələ gələn tullantılar"
        assert c.indicator("waste_t").unit == "t/il"
        assert c.indicator("enterprises_surveyed").unit == ""
        assert c.format_indicator("landfill_rate_pct", 21.44) == "21,4 %"
        assert c.format_indicator("net_value_azn_yr", 1234567.0) == "1.234.567 AZN/il"
        assert c.format_indicator("waste_t", math.nan) == "məlumat yoxdur"
        frame = c.indicator_frame({"waste_t": 4500.0}, ["waste_t"])
        assert list(frame.columns) == ["Göstərici", "Dəyər", "Tərif"]
        assert frame.iloc[0].tolist()[:2] == ["Əmələ gələn tullantılar", "4.500 t/il"]
    # The English catalogue is unchanged by a report in another language.
    assert c.INDICATORS["waste_t"].label == "Waste generated"


def test_plain_numbers_of_a_rule() -> None:
    assert [c.plain_number(v) for v in (1000.0, 13.8, 0.5, -2.0, 1476.25)] == [
        "1,000",
        "13.8",
        "0.5",
        "-2",
        "1,476.25",
    ]
    with using("az"):
        assert [c.plain_number(v) for v in (1000.0, 13.8)] == ["1.000", "13,8"]


def test_evidence_and_conditions_in_words() -> None:
    rec01 = RULES[RULES["rule_id"] == "REC01"]
    with using("az"):
        out = c.evaluate(rec01, c.collect({"packaging_t": 1476.3}), c.describe, c.format_threshold)
        assert out.loc[0, "evidence"] == "Qablaşdırma tullantıları 1.476 t/il ≥ 1.000 t/il"
        assert out.loc[0, "topic"] == (
            "Qablaşdırma üçün istehsalçının genişləndirilmiş məsuliyyəti"
        )
    rec02 = RULES.loc[RULES["rule_id"] == "REC02", "condition"].item()
    label = lambda key: c.indicator(key).label  # noqa: E731
    assert c.condition_words(rec02, label, c.format_threshold) == (
        "Hazardous share > National hazardous share (2022) and Hazardous waste far from a "
        "permitted facility ≥ 25 %"
    )
    with using("az"):
        assert c.condition_words(rec02, label, c.format_threshold) == (
            "Təhlükəli tullantıların payı > Ölkə üzrə təhlükəli tullantıların payı (2022) və "
            "İcazəli obyektdən uzaq təhlükəli tullantılar ≥ 25 %"
        )

    def upper(key: str) -> str:
        return key.upper()

    def plain(key: str | None, value: float) -> str:
        return c.plain_number(value)

    # Brackets where an 'or' sits inside an 'and' (and the reverse); 'not' keeps its own.
    assert c.condition_words("not (a > 1 or b < 2) and c > 0", upper, plain) == (
        "not (A > 1 or B < 2) and C > 0"
    )
    assert c.condition_words("a > 1 or b > 1 and c >= 1000", upper, plain) == (
        "A > 1 or (B > 1 and C ≥ 1,000)"
    )
    assert c.condition_words("0 < a <= 1", upper, plain) == "0 < A ≤ 1"


def test_the_other_rules_and_the_matrix_in_azerbaijani() -> None:
    rules = RULES[RULES["rule_id"].isin(["REC01", "REC09"])]
    values = c.collect({"packaging_t": 10.0})
    with using("az"):
        evaluation = c.evaluate(rules, values, c.describe, c.format_threshold)
        frame = c.other_rules_frame(evaluation)
        assert list(frame.columns) == ["Tövsiyə", "Vəziyyət", "Rəqəmlər", "Şərt"]
        assert frame.iloc[0].tolist() == [
            "Qablaşdırma üçün istehsalçının genişləndirilmiş məsuliyyəti",
            "keçərli deyil",
            "Qablaşdırma tullantıları 10 t/il < 1.000 t/il",
            "Qablaşdırma tullantıları ≥ 1.000 t/il",
        ]
        # Not assessed: the indicator it lacks is named, not its key.
        assert frame.iloc[1].tolist()[1:3] == [
            "qiymətləndirilməyib",
            "Reyestrdəki işçilərin əhatə olunan payı məlumat yoxdur <? 50 % "
            "(məlum deyil: Reyestrdəki işçilərin əhatə olunan payı)",
        ]
        matrix = c.recommendation_matrix({"Baku": evaluation})
        assert matrix.to_dict("list") == {
            "Tövsiyə": [
                "Qablaşdırma üçün istehsalçının genişləndirilmiş məsuliyyəti",
                "Qərar verməzdən əvvəl sorğunu genişləndirin",
            ],
            "Baku": ["xeyr", "qiymətləndirilməyib"],
        }


def test_a_study_file_without_translations_shows_its_english(tmp_path: Path) -> None:
    shipped = pd.read_csv(c.shipped_recommendations_path(), dtype=str, keep_default_na=False)
    own = shipped[[col for col in shipped.columns if not col.endswith("_az")]].head(1)
    path = tmp_path / "ours.csv"
    own.to_csv(path, index=False)
    with using("az"):
        out = c.evaluate(c.load_recommendations(path), c.collect({"packaging_t": 5000.0}))
    assert out.loc[0, "topic"] == "Extended producer responsibility for packaging"
    assert out.loc[0, "status"] == "triggered"
    # A translation column of a language the reports are not written in is not a column.
    own.assign(topic_xx="?").to_csv(path, index=False)
    problems = {(i.column, i.rule) for i in c.check_recommendations(path).errors}
    assert problems == {("topic_xx", "column-unknown")}


def test_key_findings_in_azerbaijani() -> None:
    values = c.collect(
        {
            "waste_t": 4500.0,
            "enterprises_surveyed": 3.0,
            "hazardous_t": 600.0,
            "hazardous_share_pct": 12.5,
            "estimated_share_pct": 60.0,
        }
    )
    with using("az"):
        found = c.key_findings(values)
    assert found[0] == (
        "Sorğu 3 müəssisəni əhatə edir; onlarda **4.500 t/il** tullantı əmələ gəlir, bunun "
        "600 t/il hissəsi təhlükəlidir (12,5 %; ölkə üzrə 8,5 %)."
    )
    assert found[-1] == (
        "Tonların 60,0 % hissəsi ölçülməyib və ya hesablanmayıb, təxmini qiymətləndirilib."
    )


def _matches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ewc_code": ["10 02 02", "07 01 04*"],
            "receiver_name": ["Recycler A", "Incinerator B"],
            "operation": ["R5", "D10"],
            "road_km": [19.4, 3.0],
            "quantity_t": [43000.0, 12.0],
            "net_azn_yr_central": [12300.0, -150.0],
            "net_azn_yr_low": [4100.0, -3000.0],
            "net_azn_yr_high": [25000.0, 500.0],
            "net_t_co2e_yr_central": [80.4, 0.5],
            "net_t_co2e_yr_low": [10.0, 0.1],
            "net_t_co2e_yr_high": [200.0, 0.9],
            "option_kind": ["circular", "safer_treatment"],
        }
    )


def test_fact_sheet_options_are_ranged_values() -> None:
    frame = c.options_frame(_matches())
    value = frame["Net value (AZN/yr)"].tolist()
    assert value == [Ranged(12300.0, 4100.0, 25000.0), Ranged(-150.0, -3000.0, 500.0)]
    assert [str(v) for v in value] == ["12,300 (4,100–25,000)", "-150 (-3,000 to 500)"]
    assert [str(v) for v in frame["Net emissions avoided (t CO2e/yr)"]] == [
        "80.4 (10.0–200)",
        "0.5 (0.1–0.9)",
    ]
    assert frame["Kind"].tolist() == ["Circular option", "Safer treatment"]
    # The annex keeps a ranged column as three numeric columns.
    payload = table_payload(frame, c.option_formats(), "Options", index=False)
    headers = [col["header"] for col in payload["columns"]]
    assert headers[5:8] == [
        "Net value, central (AZN/yr)",
        "Net value, low end (AZN/yr)",
        "Net value, high end (AZN/yr)",
    ]
    assert payload["rows"][0][5:8] == [12300.0, 4100.0, 25000.0]
    with using("az"):
        shown = c.options_frame(_matches())
        assert list(shown.columns)[4:] == [
            "Miqdar (t/il)",
            "Xalis dəyər (AZN/il)",
            "Qarşısı alınan xalis emissiyalar (t CO2e/il)",
            "Növ",
        ]
        assert str(shown.iloc[0, 5]) == "12.300 (4.100–25.000)"
        assert shown.iloc[1, 7] == "Daha təhlükəsiz emal"
        assert c.option_formats() == {"Miqdar (t/il)": "{:,.1f}", "Yol məsafəsi (km)": "{:,.1f}"}
    # Without valuation columns, the cells say so.
    bare = _matches().drop(columns=[col for col in _matches() if col.startswith("net_")])
    assert c.options_frame(bare)["Net value (AZN/yr)"].tolist() == ["not valued"] * 2


def test_fact_sheet_frames_in_azerbaijani() -> None:
    streams = pd.DataFrame(
        {
            "stream_id": ["S1", "S2"],
            "ewc_code": ["15 01 01", "07 01 04*"],
            "description": ["Cardboard", "Solvent"],
            "quantity_t": [100.0, 50.0],
            "hazardous": [False, True],
            "fate": ["landfilled", None],
            "operation": ["D1", None],
        }
    )
    enterprise = {"name": "Odlar ASC", "enterprise_id": "E1", "recp_interest": "high"}
    with using("az"):
        rows = c.streams_frame(streams)
        assert rows[_("Hazardous")].tolist() == ["xeyr", "bəli"]
        assert rows["Əməliyyat"].tolist() == ["D1", "bildirilməyib"]
        assert rows["Tullantının taleyi"].tolist() == ["Poliqonlara daşınıb", "bildirilməyib"]
        recp = c.recp_frame(streams)
        assert recp.iloc[0].tolist()[:3] == [
            "Xammalın dəyişdirilməsi",
            "Təchizatçılar və müştərilərlə geri qaytarılan və ya təkrar istifadə olunan "
            "qablaşdırma barədə razılaşın; qalanını təkrar emal müəssisələri üçün materialına "
            "görə çeşidləyin.",
            "15 01 01",
        ]
        profile = dict(c.profile_frame(enterprise, {"rank": 2, "score": 0.81234}).values)
        assert profile["Rayon"] == "bildirilməyib"
        assert profile["RECP qiymətləndirməsinə maraq"] == "yüksək"
        assert profile["Bal"] == "0,812"
    profile = dict(c.profile_frame(enterprise, None).values)
    assert profile["Interest in a RECP assessment"] == "high"
    assert profile["Employees"] == "not reported"
