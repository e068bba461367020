"""Notebooks 00 (pilot regions) and 01 (enterprises) on a copy of the demo study: they run, write
their reports, and the key figures they record agree with an independent computation
(pandas and pymcdm, not iwm_study.scoring): pilot regions ranked on the regional statistics,
enterprises ranked after the eligibility gates."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import TODAY, copy_demo_project

from iwm_study.cli import main

pytestmark = pytest.mark.slow

NOTEBOOKS = ("00_pilot_region_selection", "01_enterprise_selection")
LEVELS = {"none": 0, "low": 1, "medium": 2, "high": 3}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project with Baku as its only region (national + baku: two jobs), run once."""
    root = copy_demo_project(tmp_path_factory.mktemp("selection"))
    for path in (root / "parameters" / "regions").glob("*.yaml"):
        if path.stem != "baku":
            path.unlink()
    args = ["run", "--project", str(root), "--jobs", "2"]
    for nb in NOTEBOOKS:
        args += ["--notebook", nb]
    assert main(args) == 0
    return root


def figures(project: Path, scope: str, notebook: str) -> dict[str, object]:
    data = json.loads((project / "outputs" / scope / "figures.json").read_text(encoding="utf-8"))
    return {f["key"]: f["value"] for f in data[notebook]}


def defaults(project: Path) -> dict:
    return yaml.safe_load((project / "parameters" / "study.yaml").read_text(encoding="utf-8"))[
        "defaults"
    ]


@pytest.fixture(scope="module")
def study(project: Path):
    from iwm_study.data import load_study

    return load_study(project / "data" / "demo", today=TODAY)


def test_reports_exist(project: Path) -> None:
    for scope, nb in (("national", NOTEBOOKS[0]), ("baku", NOTEBOOKS[1])):
        for suffix in (".ipynb", ".html", ".code.html"):
            assert (project / "outputs" / scope / f"{nb}{suffix}").is_file()
    html = (project / "outputs" / "national" / f"{NOTEBOOKS[0]}.html").read_text(encoding="utf-8")
    assert "Recommended pilot regions" in html and "data:image/png;base64" in html
    # the source of the criteria, with its year, and the synthetic label
    assert "From the regional statistics (2022; source: synthetic demonstration" in html
    assert "The regional statistics are synthetic" in html
    html = (project / "outputs" / "baku" / f"{NOTEBOOKS[1]}.html").read_text(encoding="utf-8")
    assert "Shortlist for RECP assessment" in html and "furthest from the best" in html
    assert "Enterprises excluded before ranking: 106 of 200, and why" in html
    assert "size: 1,911 employees, more than 249" in html


def test_pilot_regions_agree_with_pymcdm(project: Path) -> None:
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS
    from pymcdm.weights.subjective import AHP

    got = figures(project, "national", NOTEBOOKS[0])
    params = defaults(project)["region_selection"]
    assert (params["method"], params["normalisation"], params["weights"]) == (
        "topsis",
        "vector",
        "ahp",
    )
    # the pilots are ranked on the regional statistics, read here with pandas
    table = pd.read_csv(project / "data" / "demo" / "regional_statistics.csv")
    x = table.set_index("economic_region").sort_index()[list(params["criteria"])]
    assert list(params["criteria"]) == [
        "waste_generated_t",
        "industrial_output_mazn",
        "enterprises",
        "employees",
    ]
    assert len(x) == 14 and not x.isna().any().any()
    a = np.array([[float(Fraction(str(v))) for v in row] for row in params["ahp_matrix"]])
    weights = AHP(matrix=a)()
    types = np.array(
        [1 if c["direction"] == "benefit" else -1 for c in params["criteria"].values()]
    )
    scores = TOPSIS(normalizations.vector_normalization)(x.to_numpy(float), weights, types)
    order = sorted(range(14), key=lambda i: (-scores[i], x.index[i]))
    assert got["regions_ranked"] == 14
    assert got["top_region"] == x.index[order[0]]
    assert got["top_region_score"] == pytest.approx(scores[order[0]], abs=1e-9)
    assert got["pilot_regions"] == ", ".join(x.index[i] for i in order[: params["pilots"]])
    assert 0 <= got["pilot_set_stability_pct"] <= 100


def test_enterprise_shortlist_agrees_with_pymcdm(project: Path, study) -> None:
    from pymcdm import normalizations
    from pymcdm.methods import WSM

    got = figures(project, "baku", NOTEBOOKS[1])
    params = defaults(project)["enterprise_selection"]
    assert (params["method"], params["normalisation"], params["weights"]) == (
        "weighted_sum",
        "minmax",
        "direct",
    )
    everyone = study.enterprises[study.enterprises["economic_region"] == "Baku"].set_index(
        "enterprise_id"
    )
    # the gates: at most 249 employees, RECP interest at least medium
    assert params["eligibility"] == {
        "max_employees": 249,
        "min_recp_interest": "medium",
        "max_output_value_kazn": None,
    }
    keep = (everyone["employees"] <= 249) & (everyone["recp_interest"].map(LEVELS) >= 2)
    ent = everyone[keep]
    assert got["enterprises_eligible"] == len(ent) == 94
    assert got["enterprises_excluded"] == len(everyone) - len(ent) == 106
    s = study.waste_streams[study.waste_streams["enterprise_id"].isin(ent.index)]
    total = s.groupby("enterprise_id")["quantity_t"].sum().reindex(ent.index, fill_value=0)

    def share(mask: pd.Series) -> pd.Series:
        part = s[mask].groupby("enterprise_id")["quantity_t"].sum()
        return part.reindex(ent.index, fill_value=0) / total

    x = pd.DataFrame(
        {
            "waste_t": total,
            "hazardous_share": share(s["hazardous"].astype(bool)),
            "waste_intensity": total / ent["employees"].astype(float),
            "not_recovered_share": share(
                s["fate"].isin(["landfilled", "kept_on_site", "incinerated"])
            ),
            "employees": ent["employees"].astype(float),
            "recp_interest": ent["recp_interest"].map(LEVELS),
        }
    )[list(params["criteria"])]
    weights = np.array([c["weight"] for c in params["criteria"].values()])
    types = np.array(
        [1 if c["direction"] == "benefit" else -1 for c in params["criteria"].values()]
    )
    scores = WSM(normalizations.minmax_normalization)(x.to_numpy(float), weights, types)
    names = list(ent["name"])
    best = min(range(len(x)), key=lambda i: (-scores[i], names[i]))  # ties: by name
    assert got["enterprises_ranked"] == len(ent)
    assert got["shortlist_size"] == defaults(project)["shortlist_size"] == 10
    assert got["top_enterprise"] == ent["name"].iloc[best]
    assert got["top_enterprise_score"] == pytest.approx(scores[best], abs=1e-9)
