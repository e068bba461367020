"""Selection parameters (`region_selection`, `enterprise_selection`): typed, checked before any
kernel starts, every problem named with its file and key path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import GOOD, PROJECT_ROOT, write_tables

from iwm_study.cli import main
from iwm_study.config import (
    ConfigError,
    RegionSelection,
    load_project,
    selection_settings,
)
from iwm_study.runner.plan import declared_parameters

STUDY = "parameters/study.yaml"


#: Regional statistics of the tiny study's three regions: the demo ranks pilots on them.
STATISTICS = [
    {
        "economic_region": region,
        "enterprises": str(n),
        "employees": str(40 * n),
        "industrial_output_mazn": str(3 * n),
        "waste_generated_t": str(900 * n),
        "reference_year": "2022",
        "source": "test",
    }
    for region, n in (("Baku", 500), ("Absheron-Khizi", 300), ("Ganja-Dashkasan", 200))
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The demo project's parameters with the tiny valid study as data."""
    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD | {"regional_statistics": STATISTICS})
    return tmp_path


def read_study(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / STUDY).read_text(encoding="utf-8"))


def write_study(project: Path, data: dict[str, Any]) -> None:
    (project / STUDY).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def edit(project: Path, change) -> None:
    data = read_study(project)
    change(data["defaults"])
    write_study(project, data)


def validate(project: Path, capsys) -> tuple[int, str]:
    """Exit code and stderr, with whitespace collapsed (the console wraps lines at 200 columns)."""
    code = main(["validate", "--project", str(project)])
    return code, " ".join(capsys.readouterr().err.split())


def test_demo_parameters_are_valid(project: Path, capsys) -> None:
    assert validate(project, capsys)[0] == 0
    defaults = load_project(project).study.defaults
    region = selection_settings("region_selection", defaults["region_selection"])
    assert isinstance(region, RegionSelection) and region.weights == "ahp"
    # the YAML's fractions are read as numbers
    assert region.ahp_matrix is not None and region.ahp_matrix[1][0] == 0.5
    assert region.ahp_matrix[3][0] == 1 / 3
    enterprise = selection_settings("enterprise_selection", defaults["enterprise_selection"])
    assert sum(c.weight or 0 for c in enterprise.criteria.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("notebook", "names"),
    [
        ("00_pilot_region_selection", ["region_selection"]),
        ("01_enterprise_selection", ["enterprise_selection", "shortlist_size"]),
    ],
)
def test_notebook_defaults_equal_the_study_defaults(notebook: str, names: list[str]) -> None:
    """Run alone with papermill, a notebook ranks exactly as `iwm run` does by default."""
    nb = json.loads((PROJECT_ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    declared = declared_parameters(nb)
    defaults = read_study(PROJECT_ROOT)["defaults"]
    for name in names:
        assert declared[name] == defaults[name], name


def test_direct_weights_must_sum_to_one(project: Path, capsys) -> None:
    edit(project, lambda d: d["enterprise_selection"]["criteria"]["waste_t"].update(weight=0.4))
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.enterprise_selection.criteria': the direct weights "
        "sum to 1.1, not 1 (tolerance 1e-06)." in err
    )


def test_weights_within_the_tolerance_are_accepted(project: Path, capsys) -> None:
    edit(
        project, lambda d: d["enterprise_selection"]["criteria"]["waste_t"].update(weight=0.3000005)
    )
    assert validate(project, capsys)[0] == 0
    edit(
        project, lambda d: d["enterprise_selection"]["criteria"]["waste_t"].update(weight=0.300002)
    )
    assert validate(project, capsys)[0] == 2


def test_negative_weight(project: Path, capsys) -> None:
    def change(d: dict) -> None:  # the sum stays 1: only the sign is wrong
        d["enterprise_selection"]["criteria"]["waste_t"]["weight"] = 0.4
        d["enterprise_selection"]["criteria"]["employees"]["weight"] = -0.05

    edit(project, change)
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.enterprise_selection.criteria.employees.weight': "
        "a weight cannot be negative. (value: -0.05)" in err
    )
    assert "The study is invalid: 1 error, 0 warnings." in err


def test_unknown_criterion(project: Path, capsys) -> None:
    edit(
        project, lambda d: d["region_selection"]["criteria"].update(colour={"direction": "benefit"})
    )
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.region_selection.criteria.colour': not a known "
        "region criterion; known: waste_t, hazardous_share, manufacturing_enterprises, "
        "landfill_share, recycling_capacity_t, recp_interest, waste_generated_t, "
        "industrial_output_mazn, enterprises, employees." in err
    )
    # and the AHP matrix no longer has a row and a column per criterion
    assert "key 'defaults.region_selection.ahp_matrix': the AHP matrix must be square" in err
    assert "it has 4 rows for 5 criteria" in err


def test_ahp_matrix_not_square(project: Path, capsys) -> None:
    edit(project, lambda d: d["region_selection"]["ahp_matrix"][2].pop())
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.region_selection.ahp_matrix.2': the AHP matrix "
        "must be square: row 2 (enterprises) has 3 entries for 4 criteria." in err
    )


def test_ahp_matrix_not_reciprocal(project: Path, capsys) -> None:
    edit(project, lambda d: d["region_selection"]["ahp_matrix"][1].__setitem__(0, "1/3"))
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.region_selection.ahp_matrix.1.0': the AHP matrix "
        "is not reciprocal: industrial_output_mazn vs waste_generated_t must be 1/2 = 0.5" in err
    )
    # a decimal that is not the exact inverse is refused too (|0.33 - 1/3| > 1e-9)
    edit(project, lambda d: d["region_selection"]["ahp_matrix"][2].__setitem__(0, 0.33))
    assert "key 'defaults.region_selection.ahp_matrix.2.0'" in validate(project, capsys)[1]


def test_ahp_judgement_off_saaty_scale(project: Path, capsys) -> None:
    def change(d: dict) -> None:
        d["region_selection"]["ahp_matrix"][0][3] = 12
        d["region_selection"]["ahp_matrix"][3][0] = "1/12"

    edit(project, change)
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "key 'defaults.region_selection.ahp_matrix.0.3': waste_generated_t vs employees: a "
        "judgement must lie on Saaty's scale 1/9 .. 9. (value: 12.0)" in err
    )
    assert "key 'defaults.region_selection.ahp_matrix.3.0'" in err


def test_ahp_text_that_is_not_a_fraction(project: Path, capsys) -> None:
    edit(project, lambda d: d["region_selection"]["ahp_matrix"][1].__setitem__(0, "half"))
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "key 'defaults.region_selection.ahp_matrix.1.0': Value error, 'half' is not a number" in err
    )


INCONSISTENT = [  # a cycle: waste > output > enterprises > waste, strongly
    [1, 9, "1/9", 1],
    ["1/9", 1, 9, 1],
    [9, "1/9", 1, 1],
    [1, 1, 1, 1],
]


def test_inconsistent_ahp_when_consistency_is_required(project: Path, capsys) -> None:
    edit(project, lambda d: d["region_selection"].update(ahp_matrix=INCONSISTENT))
    code, err = validate(project, capsys)
    assert code == 2
    # independent: numpy's eigenvalues and Saaty's RI(4) = 0.90
    a = np.array([[eval(str(v)) for v in row] for row in INCONSISTENT], dtype=float)
    lam = max(np.linalg.eigvals(a).real)
    cr = (lam - 4) / 3 / 0.90
    assert cr >= 0.10
    assert (
        "parameters/study.yaml, key 'defaults.region_selection.ahp_matrix': the judgements are "
        f"inconsistent: CR = {cr:.3f} >= 0.1 (lambda_max {lam:.3f}" in err
    )
    edit(project, lambda d: d["region_selection"].update(require_consistent=False))
    assert validate(project, capsys)[0] == 0


def test_wrong_types_and_misplaced_keys(project: Path, capsys) -> None:
    def change(d: dict) -> None:
        d["region_selection"]["method"] = "electre"
        d["region_selection"]["criteria"]["waste_generated_t"]["direction"] = "more"
        d["enterprise_selection"]["ahp_matrix"] = [[1, 2], ["1/2", 1]]
        d["enterprise_selection"]["criteria"]["employees"]["preference"] = 50
        d["enterprise_selection"]["pilots"] = 2

    edit(project, change)
    code, err = validate(project, capsys)
    assert code == 2
    for key in (
        "defaults.region_selection.method",
        "defaults.region_selection.criteria.waste_generated_t.direction",
        "defaults.enterprise_selection.pilots': unknown key",
    ):
        assert f"parameters/study.yaml, key '{key}" in err, key
    # pydantic stops at the type errors of a block; fix them and the cross-field rules follow
    edit(project, lambda d: d["enterprise_selection"].pop("pilots"))
    err = validate(project, capsys)[1]
    assert (
        "key 'defaults.enterprise_selection.ahp_matrix': weights are 'direct', so the AHP matrix "
        "is not read; remove it or set weights: ahp." in err
    )
    assert (
        "key 'defaults.enterprise_selection.criteria.employees.preference': a preference "
        "threshold is only read by method promethee_ii with preference_function linear." in err
    )


def test_equal_weights_take_no_weight_and_direct_weights_need_one(project: Path, capsys) -> None:
    edit(project, lambda d: d["enterprise_selection"].update(weights="equal"))
    err = validate(project, capsys)[1]
    assert (
        "key 'defaults.enterprise_selection.criteria.waste_t.weight': weights are 'equal', so a "
        "direct weight is not read" in err
    )
    edit(project, lambda d: d["region_selection"].update(weights="direct", ahp_matrix=None))
    err = validate(project, capsys)[1]
    assert (
        "key 'defaults.region_selection.criteria.industrial_output_mazn.weight': weights are "
        "'direct': give every criterion a weight." in err
    )


def test_region_file_override_is_checked(project: Path, capsys) -> None:
    block = read_study(project)["defaults"]["enterprise_selection"]
    block["criteria"]["hazardous_share"]["weight"] = -0.2
    block["criteria"]["waste_t"]["weight"] = 0.7
    region = {"economic_region": "Baku", "parameters": {"enterprise_selection": block}}
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        yaml.safe_dump(region), encoding="utf-8"
    )
    code, err = validate(project, capsys)
    assert code == 2
    assert (
        "parameters/regions/baku.yaml, key 'parameters.enterprise_selection.criteria."
        "hazardous_share.weight': a weight cannot be negative." in err
    )
    # selecting another region does not hide it: `iwm run --region ganja-dashkasan` reads
    # every region file too, and refuses
    assert main(["validate", "--region", "ganja-dashkasan", "--project", str(project)]) == 2


def test_shortlist_size_is_checked(project: Path, capsys) -> None:
    edit(project, lambda d: d.update(shortlist_size=0))
    code, err = validate(project, capsys)
    assert (
        code == 2
        and "key 'defaults.shortlist_size': Input should be greater than or equal to 1" in err
    )


def test_iwm_run_stops_before_any_kernel(project: Path, capsys) -> None:
    shutil.copytree(PROJECT_ROOT / "notebooks", project / "notebooks")
    edit(project, lambda d: d["enterprise_selection"]["criteria"]["waste_t"].update(weight=-0.3))
    code = main(["run", "--project", str(project)])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert (
        "parameters/study.yaml, key 'defaults.enterprise_selection.criteria.waste_t.weight'" in err
    )
    assert not (project / "outputs").exists()


def test_selection_settings_in_a_notebook_names_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        selection_settings(
            "enterprise_selection",
            {
                "weights": "equal",
                "criteria": {"waste_t": {"direction": "benefit"}, "size": {"direction": "cost"}},
            },
        )
    (problem,) = info.value.problems
    assert (problem.file, problem.key) == (
        "notebook parameters",
        "enterprise_selection.criteria.size",
    )
