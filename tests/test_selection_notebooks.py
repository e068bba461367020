"""Notebooks 00 (pilot regions) and 01 (enterprises) on a copy of the demo study: they run, write
their reports, and the key figures they record agree with an independent computation
(pandas, shapely and pymcdm, not iwm_study.scoring)."""

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
RECYCLING_CODES = {"R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R11"}  # Annex II, recycling


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
    html = (project / "outputs" / "baku" / f"{NOTEBOOKS[1]}.html").read_text(encoding="utf-8")
    assert "Shortlist for RECP assessment" in html and "furthest from the best" in html


def region_matrix(study, distance_km: float) -> pd.DataFrame:
    """The six region criteria, computed here with pandas and shapely."""
    import pyproj
    import shapely

    from iwm_study.data import geography

    ent = study.enterprises
    s = study.waste_streams.merge(ent[["enterprise_id", "economic_region"]], on="enterprise_id")
    total = s.groupby("economic_region")["quantity_t"].sum()
    hazardous = s[s["hazardous"].astype(bool)].groupby("economic_region")["quantity_t"].sum()
    landfilled = (
        s[s["fate"].isin(["landfilled", "kept_on_site"])]
        .groupby("economic_region")["quantity_t"]
        .sum()
    )
    levels = ent["recp_interest"].map({"none": 0, "low": 1, "medium": 2, "high": 3})
    utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32639", always_xy=True)

    def project(geom):
        return shapely.transform(
            geom, lambda xy: np.column_stack(utm.transform(xy[:, 0], xy[:, 1]))
        )

    fac = study.facilities
    fac = fac[fac["operations_list"].map(lambda ops: bool(RECYCLING_CODES & set(ops)))]
    shapes = geography.economic_regions().set_index("economic_region").geometry
    capacity = {}
    for region, shape in shapes.items():
        area = project(shape)
        near = [
            row.economic_region == region
            or area.distance(project(shapely.Point(row.longitude, row.latitude)))
            <= distance_km * 1000
            for row in fac.itertuples()
        ]
        capacity[region] = fac.loc[near, "capacity_t_yr"].fillna(0).sum()
    return pd.DataFrame(
        {
            "waste_t": total,
            "hazardous_share": hazardous.reindex(total.index, fill_value=0) / total,
            "manufacturing_enterprises": ent[ent["nace_section"] == "C"]
            .groupby("economic_region")
            .size(),
            "landfill_share": landfilled.reindex(total.index, fill_value=0) / total,
            "recycling_capacity_t": pd.Series(capacity),
            "recp_interest": levels.groupby(ent["economic_region"]).mean(),
        }
    ).sort_index()


def test_pilot_regions_agree_with_pymcdm(project: Path, study) -> None:
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
    x = region_matrix(study, params["recycling_distance_km"])[list(params["criteria"])]
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
    ent = study.enterprises[study.enterprises["economic_region"] == "Baku"].set_index(
        "enterprise_id"
    )
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
            "recp_interest": ent["recp_interest"].map(
                {"none": 0, "low": 1, "medium": 2, "high": 3}
            ),
        }
    )[list(params["criteria"])]
    weights = np.array([c["weight"] for c in params["criteria"].values()])
    types = np.array(
        [1 if c["direction"] == "benefit" else -1 for c in params["criteria"].values()]
    )
    scores = WSM(normalizations.minmax_normalization)(x.to_numpy(float), weights, types)
    names = list(ent["name"])
    best = min(range(len(x)), key=lambda i: (-scores[i], names[i]))  # ties: by name
    assert got["enterprises_ranked"] == len(ent) == 200
    assert got["shortlist_size"] == defaults(project)["shortlist_size"] == 10
    assert got["top_enterprise"] == ent["name"].iloc[best]
    assert got["top_enterprise_score"] == pytest.approx(scores[best], abs=1e-9)
