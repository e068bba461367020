"""Matching that respects the waste hierarchy: scores, option kinds and the corrected rules.

The worlds are built as in ``test_circular.py``: sites placed in km from one point of the
projected CRS, so that every straight-line distance is a round number; road km = 1.3 x straight
km, and score = tonnes x weight x (1 - road km / 100), weight 1 for recycling, 0.5 for other
recovery and 0.25 for safer treatment (the defaults). The corrected rules are tested with the
rules shipped in the package.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_circular import enterprises, facilities, pairs, reasons, streams

from iwm_study import circular
from iwm_study.circular.results import OPTION_KINDS, option_kinds


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return circular.load_rules()


HIERARCHY_RULES = """\
rule_id,ewc,facility_type,nace_code,operation,hazardous_allowed,title,rationale,source
H1,03 01 05,recycler,,R3,no,Sawdust to particleboard,Pressed into boards.,test
H2,03 01 05,incinerator,,R1,no,Sawdust as fuel,Burnt with energy recovery.,test
H3,07 01 08,incinerator,,R1,yes,Still bottoms to an incinerator,Burnt.,test
H4,07 01 08,,23.51,R1,yes,Still bottoms as kiln fuel,Replaces fuel.,test
H5,15 01 02,recycler,,R3,no,Plastic packaging to recyclers,Regranulated.,test
"""


@pytest.fixture(scope="module")
def hierarchy_rules(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("rules") / "rules.csv"
    path.write_text(HIERARCHY_RULES, encoding="utf-8")
    return circular.load_rules(path)


def _scores(m: circular.Matching) -> dict[str, float]:
    return dict(zip(m.candidates["receiver_id"], m.candidates["score"], strict=True))


INCINERATOR = {"type": "incinerator", "hazardous": True}
KILN = {"type": "secondary_user", "nace": "23.51", "hazardous": True}


# --------------------------------------------------------------------------------------------
# Scores follow the hierarchy
# --------------------------------------------------------------------------------------------


def test_recycling_beats_energy_recovery_of_equal_tonnes_and_distance(
    hierarchy_rules: pd.DataFrame,
) -> None:
    # Both 10 km straight = 13 km road. Recycling: 100 x 1 x (1 - 0.13) = 87;
    # energy recovery: 100 x 0.5 x 0.87 = 43.5.
    m = circular.match_streams(
        streams(("saw", "E1", "03 01 05", 100, "landfilled")),
        enterprises(("E1", (0, 0), "16.10")),
        facilities(
            {"id": "REC", "at": (10, 0), "accepts": ["03 01"], "ops": ["R3"]},
            {"id": "INC", "at": (0, 10), "accepts": ["03 01"], "ops": ["R1"], **INCINERATOR},
        ),
        hierarchy_rules,
    )
    assert pairs(m) == {"saw": "REC"}
    assert _scores(m) == pytest.approx({"REC": 87.0, "INC": 43.5})
    weights = dict(zip(m.candidates["receiver_id"], m.candidates["score_weight"], strict=True))
    assert weights == {"REC": 1.0, "INC": 0.5}
    assert set(m.candidates["option_kind"]) == {"circular"}  # not hazardous: both circular


def test_energy_recovery_beats_treatment_of_equal_tonnes_and_distance(
    hierarchy_rules: pd.DataFrame,
) -> None:
    # Hazardous still bottoms, both receivers 10 km straight = 13 km road. Kiln fuel is energy
    # recovery, circular: 100 x 0.5 x 0.87 = 43.5; the incinerator is safer treatment:
    # 100 x 0.25 x 0.87 = 21.75.
    m = circular.match_streams(
        streams(("sb", "E1", "07 01 08*", 100, "kept_on_site")),
        enterprises(("E1", (0, 0), "20.14")),
        facilities(
            {"id": "KILN", "at": (10, 0), "accepts": ["07 01"], "ops": ["R1"], **KILN},
            {"id": "INC", "at": (0, 10), "accepts": ["07 01"], "ops": ["R1"], **INCINERATOR},
        ),
        hierarchy_rules,
    )
    assert pairs(m) == {"sb": "KILN"}
    assert _scores(m) == pytest.approx({"KILN": 43.5, "INC": 21.75})
    kinds = dict(zip(m.candidates["receiver_id"], m.candidates["option_kind"], strict=True))
    assert kinds == {"KILN": "circular", "INC": "safer_treatment"}
    assert m.matches.loc[0, "option_kind"] == "circular"


def test_the_allocation_prefers_circular_over_safer_treatment_whatever_the_score(
    hierarchy_rules: pd.DataFrame,
) -> None:
    # With both weights at 0.5 the scores favour the incinerator at 1 km (100 x 0.5 x 0.987 =
    # 49.35) over the kiln at 30 km (39 km road: 100 x 0.5 x 0.61 = 30.5); the kiln still wins.
    settings = circular.MatchSettings(safer_treatment_weight=0.5)
    m = circular.match_streams(
        streams(("sb", "E1", "07 01 08*", 100, "kept_on_site")),
        enterprises(("E1", (0, 0), "20.14")),
        facilities(
            {"id": "KILN", "at": (30, 0), "accepts": ["07 01"], "ops": ["R1"], **KILN},
            {"id": "INC", "at": (1, 0), "accepts": ["07 01"], "ops": ["R1"], **INCINERATOR},
        ),
        hierarchy_rules,
        settings,
    )
    assert _scores(m) == pytest.approx({"KILN": 30.5, "INC": 49.35})
    assert pairs(m) == {"sb": "KILN"}


def test_safer_treatment_is_shown_after_the_circular_options(
    hierarchy_rules: pd.DataFrame,
) -> None:
    # The still bottoms have only the incinerator: 1000 x 0.25 x (1 - 0.013) = 246.75. The
    # plastics go to a recycler: 100 x 1 x (1 - 0.13) = 87. Circular first, whatever the score.
    m = circular.match_streams(
        streams(
            ("sb", "E1", "07 01 08*", 1000, "kept_on_site"),
            ("pl", "E1", "15 01 02", 100, "landfilled"),
        ),
        enterprises(("E1", (0, 0), "20.14")),
        facilities(
            {"id": "INC", "at": (1, 0), "accepts": ["07 01"], "ops": ["R1"], **INCINERATOR},
            {"id": "REC", "at": (0, 10), "accepts": ["15 01"], "ops": ["R3"]},
        ),
        hierarchy_rules,
    )
    got = m.matches[["rank", "stream_id", "option_kind", "score_weight", "score"]]
    assert got.values.tolist() == [
        [1, "pl", "circular", 1.0, pytest.approx(87.0)],
        [2, "sb", "safer_treatment", 0.25, pytest.approx(246.75)],
    ]
    assert m.matches.loc[1, "why"].endswith(
        "0 other candidates. Safer treatment of hazardous waste, not a circular option."
    )
    assert m.matches.loc[0, "why"].endswith("0 other candidates.")
    assert "option_kind" in circular.MATCH_COLUMNS and "score_weight" in circular.MATCH_COLUMNS


def test_a_hazardous_tonne_counts_as_any_other(hierarchy_rules: pd.DataFrame) -> None:
    # Hazardous still bottoms as kiln fuel and non-hazardous sawdust burnt at an incinerator:
    # both energy recovery, circular, 100 t at 13 km road: 100 x 0.5 x 0.87 = 43.5 each.
    m = circular.match_streams(
        streams(
            ("sb", "E1", "07 01 08*", 100, "kept_on_site"),
            ("saw", "E2", "03 01 05", 100, "landfilled"),
        ),
        enterprises(("E1", (0, 0), "20.14"), ("E2", (100, 0), "16.10")),
        facilities(
            {"id": "KILN", "at": (10, 0), "accepts": ["07 01"], "ops": ["R1"], **KILN},
            {"id": "INC", "at": (110, 0), "accepts": ["03 01"], "ops": ["R1"], **INCINERATOR},
        ),
        hierarchy_rules,
    )
    assert pairs(m) == {"sb": "KILN", "saw": "INC"}
    assert list(m.matches["score"]) == pytest.approx([43.5, 43.5])
    assert "hazard_weight" not in circular.MatchSettings.__dataclass_fields__
    assert (
        circular.MatchSettings()
        .describe()
        .endswith(
            "score = tonnes x weight x (1 - road km / 100), the weight 1 for recycling, 0.5 for "
            "other recovery and 0.25 for safer treatment."
        )
    )


# --------------------------------------------------------------------------------------------
# Option kinds
# --------------------------------------------------------------------------------------------


def test_option_kinds_on_hand_built_cases() -> None:
    cases = [  # hazardous, operation, receiver type -> kind
        (True, "R1", "incinerator", "safer_treatment"),  # hazardous waste burnt
        (False, "R1", "incinerator", "circular"),  # energy from non-hazardous waste
        (True, "R1", "secondary_user", "circular"),  # kiln fuel replaces a fossil fuel
        (True, "R1", "enterprise", "circular"),
        (True, "R2", "treatment", "circular"),  # solvent reclamation
        (True, "R6", "treatment", "circular"),  # acid regeneration
        (True, "R9", "treatment", "circular"),  # oil re-refining
        (True, "R9", "recycler", "circular"),
        (True, "R5", "treatment", "safer_treatment"),  # treated, not regenerated
        (True, "R4", "recycler", "circular"),  # batteries to a recycler
        (False, "R5", "treatment", "circular"),
        (True, "D10", "incinerator", "safer_treatment"),
        (False, "D9", "treatment", "safer_treatment"),  # a disposal operation is treatment
        (None, "R1", "incinerator", "circular"),  # hazard not known: not flagged
    ]
    got = option_kinds(
        pd.array([c[0] for c in cases], dtype="boolean"),
        [c[1] for c in cases],
        np.array([c[2] for c in cases], dtype=object),
    )
    assert list(got) == [c[3] for c in cases]
    assert set(got) <= set(OPTION_KINDS)


# --------------------------------------------------------------------------------------------
# The corrected rules (shipped)
# --------------------------------------------------------------------------------------------


def test_steel_slag_goes_to_aggregates_not_to_cement(shipped: pd.DataFrame) -> None:
    # The cement works is nearest (2 km) but no shipped rule sends steel slag to cement. The
    # road builder (NACE 42.11) at 10 km: 13 km road, 1000 x 1 x 0.87 = 870; the aggregate
    # recycler at 20 km: 26 km road, 1000 x 0.74 = 740.
    m = circular.match_streams(
        streams(("eaf", "STEEL", "10 02 02", 1000, "kept_on_site")),
        enterprises(("STEEL", (0, 0), "24.10"), ("CEM", (2, 0), "23.51")),
        facilities(
            {
                "id": "ROAD",
                "at": (10, 0),
                "type": "secondary_user",
                "nace": "42.11",
                "accepts": ["10 02"],
                "ops": ["R5"],
            },
            {"id": "AGG", "at": (20, 0), "accepts": ["10 02 02"], "ops": ["R5"]},
        ),
        shipped,
    )
    assert pairs(m) == {"eaf": "ROAD"}
    assert m.matches.loc[0, "rule_id"] == "CR121"
    assert _scores(m) == pytest.approx({"ROAD": 870.0, "AGG": 740.0})
    rules_of = dict(zip(m.candidates["receiver_id"], m.candidates["rule_id"], strict=True))
    assert rules_of == {"ROAD": "CR121", "AGG": "CR002"}  # CEM is no candidate
    slag = shipped[shipped["ewc"].str.startswith("10 02 0")]
    assert not slag["nace_code"].fillna("").str.startswith("23").any()
    assert slag["source"].str.contains("EN 13242").all()


def test_grape_marc_goes_to_a_farm_and_animal_by_products_do_not(shipped: pd.DataFrame) -> None:
    # Largest first. Marc 2110 t: the vineyard (NACE 01.21) at 10 km composts it (13 km road,
    # 2110 x 0.87 = 1835.7), 390 t of its 2500 t left. Marc 520 t: the vineyard has too little
    # room; the dairy farm (an enterprise, NACE 01.41) at 30 km feeds it (39 km road,
    # 520 x 0.61 = 317.2). Meat waste is no feed and no rule sends it to a farm.
    m = circular.match_streams(
        streams(
            ("marc", "WINE", "02 07 04", 2110, "landfilled"),
            ("marc2", "WINE", "02 07 04", 520, "landfilled"),
            ("meat", "MEAT", "02 02 02", 50, "landfilled"),
        ),
        enterprises(
            ("WINE", (0, 0), "11.02"), ("MEAT", (0, 1), "10.11"), ("FARM", (30, 0), "01.41")
        ),
        facilities(
            {
                "id": "VINE",
                "at": (10, 0),
                "type": "secondary_user",
                "nace": "01.21",
                "accepts": ["02 07 04", "02 02"],
                "ops": ["R3", "R10"],
                "capacity": 2500.0,
            },
        ),
        shipped,
    )
    assert pairs(m) == {"marc": "VINE", "marc2": "FARM"}
    got = m.matches.set_index("stream_id")
    assert (got.loc["marc", "rule_id"], got.loc["marc2", "rule_id"]) == ("CR132", "CR088")
    assert got.loc["marc", "score"] == pytest.approx(1835.7)
    assert got.loc["marc", "capacity_left_t"] == pytest.approx(390.0)
    assert got.loc["marc2", "score"] == pytest.approx(317.2)
    assert reasons(m)["meat"][0] == "no_receiver"
    feed = shipped[shipped["nace_code"].fillna("").str.startswith("01.4")]
    assert not feed["ewc"].str.startswith(("02 02", "02 05")).any()  # Regulation 1069/2009
    assert set(feed["ewc"]) == {"02 01 03", "02 03 04", "02 06 01", "02 07 02", "02 07 04"}


def test_inert_aggregates_go_to_construction(shipped: pd.DataFrame) -> None:
    # A road builder (NACE 42.11) 10 km away takes every inert stream; a building firm (41.20)
    # nearer is no civil engineering receiver, and hazardous 17 01 06* may not follow the rule.
    m = circular.match_streams(
        streams(
            ("conc", "P", "17 01 01", 500, "landfilled"),
            ("brick", "P", "10 12 08", 400, "landfilled"),
            ("ready", "P", "10 13 14", 300, "kept_on_site"),
            ("grav", "P", "01 04 08", 200, "landfilled"),
            ("sand", "P", "01 04 09", 100, "landfilled"),
            ("haz", "P", "17 01 06*", 50, "landfilled"),
        ),
        enterprises(("P", (0, 0), "23.32"), ("ROAD", (10, 0), "42.11"), ("HOUSE", (1, 0), "41.20")),
        facilities(),
        shipped,
    )
    rules_of = dict(zip(m.matches["stream_id"], m.matches["rule_id"], strict=True))
    assert rules_of == {
        "conc": "CR133",
        "brick": "CR134",
        "ready": "CR135",
        "grav": "CR136",
        "sand": "CR137",
    }
    assert set(m.matches["receiver_id"]) == {"ROAD"}
    assert "HOUSE" not in set(m.candidates["receiver_id"])
    assert m.matches.set_index("stream_id").loc["conc", "score"] == pytest.approx(500 * 0.87)
    assert reasons(m)["haz"][0] == "hazardous_not_permitted"


def test_the_demo_grape_marc_finds_a_farm_and_the_slag_aggregates() -> None:
    # The demonstration's farms and road builders (data/demo/facilities.py,
    # POTENTIAL_RECEIVERS): Ganja's 2,110 t of grape marc (WS-00841) goes to a farm within
    # range, Baku's 43,000 t of electric-arc-furnace slag (WS-00013) to aggregates.
    from iwm_study.data import load_study

    m = circular.match_study(load_study())
    got = m.matches.set_index("stream_id")
    marc, slag = got.loc["WS-00841"], got.loc["WS-00013"]
    assert (marc["quantity_t"], marc["ewc_code"]) == (2110.0, "02 07 04")
    receivers = m.receivers.set_index("receiver_id")
    assert receivers.loc[marc["receiver_id"], "nace_code"].startswith("01.")
    assert marc["road_km"] <= 50.0
    assert (slag["quantity_t"], slag["ewc_code"]) == (43000.0, "10 02 02")
    assert slag["rule_id"] in {"CR002", "CR121"}  # an aggregate producer or a road builder
