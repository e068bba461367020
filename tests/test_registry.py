"""The one registry of notebook settings agrees with the notebooks that read them, with the
analysis modules that use them, and with the demonstration study's parameters."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import PROJECT_ROOT

from iwm_study import circular, maps
from iwm_study.config import (
    MAP_CLASSIFICATIONS,
    MAP_COLOUR_BY,
    SETTINGS,
    STANDARD_NOTEBOOKS,
    check_setting,
)
from iwm_study.config.registry import STANDARD_PARAMETERS
from iwm_study.paths import toolkit_notebooks
from iwm_study.runner.plan import declared_parameters


@pytest.mark.parametrize("notebook", [n["name"] for n in STANDARD_NOTEBOOKS])
def test_each_notebook_declares_exactly_its_registry_settings(notebook: str) -> None:
    nb = json.loads((toolkit_notebooks() / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    declared = declared_parameters(nb)
    own = {k: v for k, v in declared.items() if k not in STANDARD_PARAMETERS}
    expected = {name: s.default for name, s in SETTINGS.items() if notebook in s.notebooks}
    assert set(own) == set(expected)
    for name, default in expected.items():
        assert own[name] == default, name
    assert set(declared) - set(own) <= set(STANDARD_PARAMETERS)


def test_every_default_is_valid_and_the_demo_study_states_the_same() -> None:
    for name, setting in SETTINGS.items():
        assert check_setting(name, setting.default, "registry", name) == [], name
    demo = yaml.safe_load((PROJECT_ROOT / "parameters" / "study.yaml").read_text("utf-8"))
    for name, value in demo["defaults"].items():
        assert SETTINGS[name].default == value, name


def test_map_choices_agree_with_the_maps_module() -> None:
    assert tuple(maps.CLASSIFICATION_METHODS) == MAP_CLASSIFICATIONS
    assert tuple(maps.COLOUR_BY) == MAP_COLOUR_BY


def accepted(name: str, value) -> bool:
    return check_setting(name, value, "test", name) == []


@pytest.mark.parametrize("classes", [0, 1, 5, 9, 10])
def test_map_classes_bounds_agree(classes: int) -> None:
    try:
        maps.MapSettings(n_classes=classes)
        ok = True
    except ValueError:
        ok = False
    assert accepted("map_classes", classes) == ok


CIRCULAR = {
    "circular_max_distance_km": ("max_distance_km", [-1.0, 0.0, 0.001, 50.0]),
    "circular_road_factor": ("road_factor", [0.99, 1.0, 1.3]),
    "circular_co2_kg_per_tkm": ("co2_kg_per_tkm", [-0.01, 0.0, 0.124]),
    "circular_other_recovery_weight": ("other_recovery_weight", [-0.1, 0.0, 0.5, 1.0, 1.01]),
    "circular_safer_treatment_weight": ("safer_treatment_weight", [-0.1, 0.0, 0.25, 1.0, 1.5]),
    "circular_breakeven_km": ("breakeven_km", [-5.0, 0.0, 100.0]),
}


@pytest.mark.parametrize("name", CIRCULAR)
def test_circular_bounds_agree_with_the_match_settings(name: str) -> None:
    field, values = CIRCULAR[name]
    for value in values:
        try:
            circular.MatchSettings(**{field: value})
            ok = True
        except ValueError:
            ok = False
        assert accepted(name, value) == ok, (name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("map_classes", 5.0),  # a float where the notebook counts classes
        ("map_classes", True),
        ("sankey_top_n", "8"),
        ("pareto_share_pct", float("nan")),
        ("mass_balance_tolerance_pct", 101),
        ("map_online_tiles", "yes please"),
        ("circular_rules_file", ""),
        ("shortlist_size", 0),
    ],
)
def test_values_a_notebook_would_choke_on_are_refused(name: str, value) -> None:
    assert not accepted(name, value)
