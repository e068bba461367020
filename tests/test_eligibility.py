"""Eligibility gates of enterprise selection (SME size, RECP interest, output value): each gate in
and out at its exact threshold, unknown values, gates off, the table of the excluded with their
reasons, and a ranking computed on the eligible alone (worked by hand)."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from iwm_study import scoring
from iwm_study.config import EnterpriseSelection, check_setting, setting_default
from iwm_study.config.selection import Eligibility, RecpLevel
from iwm_study.data.schema import RECP_LEVELS

NAN = float("nan")

# Eight enterprises around the thresholds: 249 / 250 employees, medium / low interest, output
# at the cap (1,000 thousand AZN) and above it, and a value missing under each gate.
ENTERPRISES = pd.DataFrame(
    {
        "enterprise_id": ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"],
        "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"],
        "employees": [249, 250, 10, NAN, 20, 30, 300, 5],
        "recp_interest": ["medium", "high", "low", "high", None, "high", "none", "high"],
        "output_value_kazn": [1000.0, 500.0, 200.0, 200.0, 200.0, NAN, 1200.0, 1000.0],
    }
)


def reasons(screening: scoring.Screening) -> dict[str, str]:
    return screening.excluded["reasons"].to_dict()


def test_size_gate_keeps_249_and_excludes_250() -> None:
    s = scoring.screen(ENTERPRISES, Eligibility(max_employees=249))
    # E4's employees are not known: excluded under the active gate
    assert list(s.eligible) == ["E1", "E3", "E5", "E6", "E8"]
    assert reasons(s) == {
        "E2": "size: 250 employees, more than 249",
        "E4": "employees not known",
        "E7": "size: 300 employees, more than 249",
    }


def test_interest_gate_keeps_medium_and_excludes_low() -> None:
    s = scoring.screen(ENTERPRISES, Eligibility(min_recp_interest="medium"))
    assert list(s.eligible) == ["E1", "E2", "E4", "E6", "E8"]
    assert reasons(s) == {
        "E5": "RECP interest not known",
        "E7": "RECP interest: none, below medium",
        "E3": "RECP interest: low, below medium",
    }
    # 'high' lets only high through; 'none' lets every known level through
    assert list(scoring.screen(ENTERPRISES, Eligibility(min_recp_interest="high")).eligible) == [
        "E2",
        "E4",
        "E6",
        "E8",
    ]
    everyone_known = scoring.screen(ENTERPRISES, Eligibility(min_recp_interest="none"))
    assert list(everyone_known.excluded.index) == ["E5"]


def test_output_gate_keeps_the_cap_and_excludes_above_it() -> None:
    s = scoring.screen(ENTERPRISES, Eligibility(max_output_value_kazn=1000))
    assert list(s.eligible) == ["E1", "E2", "E3", "E4", "E5", "E8"]
    assert reasons(s) == {
        "E7": "output value: 1,200 thousand AZN, more than 1,000",
        "E6": "output value not known",
    }


def test_every_reason_is_listed_and_the_excluded_are_ordered_by_name() -> None:
    gates = Eligibility(max_employees=249, min_recp_interest="medium", max_output_value_kazn=1000)
    s = scoring.screen(ENTERPRISES, gates)
    assert list(s.eligible) == ["E1", "E8"]
    # Beta, Delta, Epsilon, Eta, Gamma, Zeta (by name)
    assert reasons(s) == {
        "E2": "size: 250 employees, more than 249",
        "E4": "employees not known",
        "E5": "RECP interest not known",
        "E7": "size: 300 employees, more than 249; RECP interest: none, below medium; "
        "output value: 1,200 thousand AZN, more than 1,000",
        "E3": "RECP interest: low, below medium",
        "E6": "output value not known",
    }
    assert list(s.excluded.index) == ["E2", "E4", "E5", "E7", "E3", "E6"]
    frame, formats = scoring.excluded_frame(s)
    assert list(frame.columns) == [
        "enterprise",
        "employees",
        "RECP interest",
        "output value, thousand AZN/yr",
        "reason(s)",
    ]
    assert frame.loc["E7"].tolist()[:4] == ["Eta", 300.0, "none", 1200.0]
    assert formats["employees"] == "{:,.0f}"
    text = scoring.eligibility_text(s)
    assert (
        "at most 249 employees, RECP interest at least medium and output value at most 1,000 "
        "thousand AZN/yr" in text
    )
    assert "**2 of 8 enterprises are eligible**; the 6 excluded are listed below with their" in text
    everyone = scoring.screen(ENTERPRISES.iloc[[0, 7]], gates)
    assert scoring.eligibility_text(everyone).endswith(
        "**2 of 2 enterprises are eligible**; none is excluded."
    )


def test_the_output_column_is_shown_only_when_its_gate_is_on() -> None:
    s = scoring.screen(ENTERPRISES, Eligibility(max_employees=249, min_recp_interest="medium"))
    frame, _ = scoring.excluded_frame(s)
    assert list(frame.columns) == ["enterprise", "employees", "RECP interest", "reason(s)"]
    # E6 has no output value, but the output gate is off: it stays eligible
    assert list(s.eligible) == ["E1", "E6", "E8"]


def test_gates_off_keep_everyone() -> None:
    s = scoring.screen(ENTERPRISES, Eligibility())
    assert list(s.eligible) == list(ENTERPRISES["enterprise_id"])
    assert s.excluded.empty and set(s.table["reasons"]) == {""}
    assert not Eligibility().active and Eligibility(max_employees=249).active
    assert (
        scoring.eligibility_text(s) == "No eligibility gate is set: all 8 enterprises are ranked."
    )
    assert scoring.gate_texts(Eligibility()) == []


def test_ranking_is_computed_on_the_eligible_alone() -> None:
    gates = Eligibility(max_employees=249, min_recp_interest="medium")
    s = scoring.screen(ENTERPRISES, gates)
    values = pd.DataFrame(  # E2 (ineligible) has the most waste of all
        {"waste_t": [100, 1000, 50, 80, 70, 300, 900, 200]},
        index=pd.Index(ENTERPRISES["enterprise_id"], name="enterprise_id"),
    ).assign(employees=ENTERPRISES["employees"].to_numpy())
    settings = EnterpriseSelection.model_validate(
        {
            "method": "weighted_sum",
            "normalisation": "minmax",
            "weights": "direct",
            "criteria": {
                "waste_t": {"direction": "benefit", "weight": 0.5},
                "employees": {"direction": "cost", "weight": 0.5},
            },
            "eligibility": {"max_employees": 249, "min_recp_interest": "medium"},
        }
    )
    assert settings.eligibility == gates
    names = ENTERPRISES.set_index("enterprise_id")["name"]
    ranking = scoring.rank_alternatives(values.loc[s.eligible], settings, labels=names)
    # By hand, on the eligible E1 (100 t, 249), E6 (300 t, 30), E8 (200 t, 5):
    # waste min-max over 100..300: E1 0, E6 1, E8 0.5; employees (cost) over 5..249:
    # (249 - x) / 244: E1 0, E6 219/244, E8 1. Scores 0.5 * each:
    assert list(ranking.table.index) == ["E6", "E8", "E1"]
    assert np.allclose(ranking.table["score"], [0.5 + 0.5 * 219 / 244, 0.75, 0.0], atol=1e-12)
    # the shortlist of 10 holds the 3 eligible only, and says it is short
    chosen = scoring.shortlist(ranking, 10)
    assert list(chosen["label"]) == ["Zeta", "Theta", "Alpha"]
    assert scoring.shortlist_text(ranking, 10) == (
        "**The shortlist is shorter than asked:** only 3 eligible enterprises could be ranked, "
        "fewer than shortlist_size (10)."
    )
    assert scoring.shortlist_text(ranking, 3) == ""


def test_settings_of_the_gates() -> None:
    assert get_args(RecpLevel) == RECP_LEVELS
    demo = setting_default("enterprise_selection")["eligibility"]
    assert demo == {
        "max_employees": 249,
        "min_recp_interest": "medium",
        "max_output_value_kazn": None,
    }
    assert (
        EnterpriseSelection.model_validate(
            {"criteria": {"waste_t": {"direction": "benefit"}}, "weights": "equal"}
        ).eligibility
        == Eligibility()
    )
    for bad in (
        {"max_employees": 0},
        {"min_recp_interest": "keen"},
        {"max_output_value_kazn": 0},
        {"max_staff": 10},
    ):
        with pytest.raises(ValidationError):
            Eligibility.model_validate(bad)
    value = setting_default("enterprise_selection")
    value["eligibility"]["min_recp_interest"] = "keen"
    (problem,) = check_setting(
        "enterprise_selection", value, "study.yaml", "defaults.enterprise_selection"
    )
    assert problem.key == "defaults.enterprise_selection.eligibility.min_recp_interest"
