"""A study of one's own: a filled `iwm template` workbook, `iwm init`, `iwm validate`, `iwm run`,
from a working folder that is not the study's, to an index where every report is ok or
explained. A one-region study (the national selection is left out, with its reason) and a
five-region study (it runs)."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from iwm_study.cli import main
from iwm_study.data.template import fill_template
from iwm_study.paths import demo_data, toolkit_notebooks

pytestmark = pytest.mark.slow

TONNES = {"t": 1.0, "kg": 0.001}


def demo_rows(table: str) -> list[dict[str, str]]:
    with open(demo_data() / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def filled_workbook(
    path: Path, regions: list[str], per_region: int | list[int] | None = None
) -> Path:
    """The template filled as a surveyor would: enterprises of ``regions`` (the first
    ``per_region`` of each, or that many of each in turn), their streams, and the facilities of
    those regions; numbers typed into numeric cells."""
    limits = per_region if isinstance(per_region, list) else [per_region] * len(regions)
    enterprises = []
    for region, limit in zip(regions, limits, strict=True):
        found = [r for r in demo_rows("enterprises") if r["economic_region"] == region]
        enterprises += found[:limit]
    ids = {r["enterprise_id"] for r in enterprises}
    facilities = [r for r in demo_rows("facilities") if r["economic_region"] in regions]
    known = {f["facility_id"] for f in facilities}
    streams = [dict(r) for r in demo_rows("waste_streams") if r["enterprise_id"] in ids]
    for s in streams:
        if s["destination_facility_id"] not in known:
            s["destination_facility_id"] = ""
    return fill_template(
        path, {"enterprises": enterprises, "waste_streams": streams, "facilities": facilities}
    )


def tonnes(streams: list[dict[str, str]]) -> float:
    """Tonnes a year, computed from the rows without the toolkit's converter."""
    total = 0.0
    for s in streams:
        q = float(s["quantity"])
        total += q * (float(s["density_t_m3"]) if s["unit"] == "m3" else TONNES[s["unit"]])
    return total


def index_cells(root: Path) -> dict[str, tuple[str, str]]:
    """job id -> (state, text) of every cell (or training row) of the index."""
    page = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    found = re.findall(
        r'<(td|tr) id="job-([^"]+)" data-state="([^"]+)">(.*?)</\1>', page, flags=re.DOTALL
    )
    return {
        job: (state, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))
        for _, job, state, body in found
    }


def test_one_region_study_from_a_filled_workbook(tmp_path: Path, monkeypatch, capsys) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)  # the author works from another folder
    survey = filled_workbook(tmp_path / "surveys" / "sheki.xlsx", ["Sheki-Zagatala"])
    study = tmp_path / "studies" / "sheki"
    assert (
        main(["init", str(study), "--data", str(survey), "--title", "IWM in Sheki-Zagatala"]) == 0
    )
    out = capsys.readouterr().out
    assert "Regions taken from the data: Sheki-Zagatala" in out
    # what the author owns: parameters, a region file, a README; no data copy, no notebooks
    files = sorted(str(p.relative_to(study)) for p in study.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "README.md",
        "parameters/regions/sheki-zagatala.yaml",
        "parameters/study.yaml",
    ]
    params = yaml.safe_load((study / "parameters" / "study.yaml").read_text(encoding="utf-8"))
    assert params["title"] == "IWM in Sheki-Zagatala"
    assert params["data"]["inventory"] == "../../surveys/sheki.xlsx"
    assert params["data"]["reference_year"] == 2022  # the survey's year
    # No regional statistics in the survey: pilot regions would be ranked on its own criteria.
    criteria = params["defaults"]["region_selection"]["criteria"]
    assert list(criteria) == [
        "waste_t",
        "hazardous_share",
        "manufacturing_enterprises",
        "landfill_share",
        "recycling_capacity_t",
        "recp_interest",
    ]
    readme = (study / "README.md").read_text(encoding="utf-8")
    assert f"iwm run --project {study}" in readme and "iwm lab" in readme

    assert main(["validate", "--project", str(study)]) == 0
    assert "Valid: 22 enterprises" in capsys.readouterr().out
    assert main(["run", "--project", str(study)]) == 0
    captured = capsys.readouterr()
    assert "8 ok, 0 failed" in captured.out
    cells = index_cells(study)
    assert cells["national-00_pilot_region_selection"][0] == "not-applicable"
    assert (
        "needs data from at least 2; the data covers 1 (Sheki-Zagatala)"
        in (cells["national-00_pilot_region_selection"][1])
    )
    regional = {k: v for k, v in cells.items() if k.startswith("sheki-zagatala-")}
    assert sorted(regional) == [
        "sheki-zagatala-01_enterprise_selection",
        "sheki-zagatala-02_waste_inventory",
        "sheki-zagatala-03_waste_map",
        "sheki-zagatala-04_circular_options",
        "sheki-zagatala-05_summary",
        "sheki-zagatala-06_fact_sheets",
    ]
    assert {state for state, _ in regional.values()} == {"ok"}
    assert {cells[f"training-walkthrough.{a}"][0] for a in ("trainee", "trainer")} == {"ok"}
    assert not (study / "outputs" / "national").exists()
    manifest = json.loads((study / "outputs" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["omitted"]) == [
        "national/00_pilot_region_selection",
        "national/07_national_synthesis",
    ]
    # the numbers are the survey's: tonnes computed here from the same rows
    streams = [
        s
        for s in demo_rows("waste_streams")
        if s["enterprise_id"]
        in {
            e["enterprise_id"]
            for e in demo_rows("enterprises")
            if e["economic_region"] == "Sheki-Zagatala"
        }
    ]
    figures = json.loads(
        (study / "outputs" / "sheki-zagatala" / "figures.json").read_text(encoding="utf-8")
    )
    inventory = {f["key"]: f["value"] for f in figures["02_waste_inventory"]}
    assert inventory["streams"] == len(streams) == 56
    assert inventory["total_waste_t"] == pytest.approx(tonnes(streams), rel=1e-12)

    # A notebook that leaves the plan leaves the index, and its stale failure goes.
    stale = study / "outputs" / "sheki-zagatala" / "03_waste_map.failed.html"
    stale.write_text("<p>an old failure</p>", encoding="utf-8")
    path = study / "parameters" / "study.yaml"
    text = path.read_text(encoding="utf-8").replace("  - name: 03_waste_map\n", "")
    path.write_text(text, encoding="utf-8")
    assert main(["run", "--project", str(study)]) == 0
    capsys.readouterr()
    assert not stale.exists()
    assert (study / "outputs" / "sheki-zagatala" / "03_waste_map.html").exists()  # kept
    cells = index_cells(study)
    assert not any("03_waste_map" in k for k in cells)
    html = (study / "outputs" / "index.html").read_text(encoding="utf-8")
    assert "Waste map" not in html


def test_five_region_study_runs_the_national_selection(tmp_path: Path, monkeypatch, capsys) -> None:
    regions = ["Baku", "Absheron-Khizi", "Ganja-Dashkasan", "Central Aran", "Lankaran-Astara"]
    monkeypatch.chdir(tmp_path)
    # samples of different sizes: a criterion equal in every region (the same number of
    # manufacturing enterprises) cannot rank them, and the selection says so
    survey = filled_workbook(tmp_path / "survey.xlsx", regions, per_region=[16, 14, 12, 10, 8])
    study = tmp_path / "five"
    # region names as authors type them: any case, spaces or hyphens
    spelled = ["baku", "Absheron Khizi", "ganja-dashkasan", "central aran", "LANKARAN-ASTARA"]
    args = ["init", str(study), "--data", str(survey)]
    for name in spelled:
        args += ["--region", name]
    assert main(args) == 0
    capsys.readouterr()
    slugs = sorted(p.stem for p in (study / "parameters" / "regions").glob("*.yaml"))
    assert slugs == [
        "absheron-khizi",
        "baku",
        "central-aran",
        "ganja-dashkasan",
        "lankaran-astara",
    ]
    # The training build, the maps, the circular options, the summaries and the fact sheets are
    # the same in every study and run end to end in the one-region test; here the national
    # selection and synthesis, and the regional selection and inventory run for all five
    # regions (the suite's time is counted).
    path = study / "parameters" / "study.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "training:\n  - walkthrough\n", "training: []\n"
    )
    for name in ("03_waste_map", "04_circular_options", "05_summary", "06_fact_sheets"):
        text = text.replace(f"  - name: {name}\n", "")
    path.write_text(text, encoding="utf-8")
    assert main(["run", "--project", str(study)]) == 0
    assert "12 ok, 0 failed" in capsys.readouterr().out
    cells = index_cells(study)
    assert len(cells) == 12 and {s for s, _ in cells.values()} == {"ok"}
    figures = json.loads((study / "outputs" / "national" / "figures.json").read_text("utf-8"))
    national = {f["key"]: f["value"] for f in figures["00_pilot_region_selection"]}
    assert national["regions_ranked"] == 5
    synthesis = {f["key"]: f["value"] for f in figures["07_national_synthesis"]}
    assert synthesis["regions_compared"] == 5


def test_init_refuses_bad_names_and_paths(tmp_path: Path, capsys) -> None:
    survey = filled_workbook(tmp_path / "s.xlsx", ["Baku"], per_region=3)
    assert main(["init", str(tmp_path / "a"), "--data", str(tmp_path / "nowhere.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "a"), "--data", str(survey), "--region", "Mars"]) == 2
    assert "'Mars' is not one of the 14 economic regions" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "b"), "--data", str(tmp_path / "notes.txt")]) == 2
    assert "is not a folder of CSV files" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert main(["init", str(tmp_path / "c"), "--data", str(survey)]) == 0
    before = (tmp_path / "c" / "parameters" / "study.yaml").read_bytes()
    assert main(["init", str(tmp_path / "c"), "--data", str(survey), "--title", "Other"]) == 2
    assert "already holds a study" in capsys.readouterr().err
    assert (tmp_path / "c" / "parameters" / "study.yaml").read_bytes() == before


def test_init_without_data_writes_an_empty_workbook(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path / "new"), "--region", "Sheki-Zagatala"]) == 0
    assert (tmp_path / "new" / "data" / "survey.xlsx").exists()
    params = yaml.safe_load((tmp_path / "new" / "parameters" / "study.yaml").read_text("utf-8"))
    assert params["data"]["inventory"] == "data/survey.xlsx"
    # an empty workbook is not a study yet: validate says what is missing, with exit 2
    assert main(["validate", "--project", str(tmp_path / "new")]) == 2
    assert "has a header but no rows" in capsys.readouterr().err


def test_a_study_notebook_replaces_the_toolkits(tmp_path: Path, capsys) -> None:
    """A notebooks/ folder of the study holds its own version of one notebook; the others
    still come from the toolkit."""
    import shutil

    from iwm_study.config import load_project

    survey = filled_workbook(tmp_path / "s.xlsx", ["Baku"], per_region=3)
    assert main(["init", str(tmp_path / "own"), "--data", str(survey)]) == 0
    (tmp_path / "own" / "notebooks").mkdir()
    shutil.copy(toolkit_notebooks() / "03_waste_map.ipynb", tmp_path / "own" / "notebooks")
    project = load_project(tmp_path / "own")
    assert (
        project.find_notebook("03_waste_map")
        == tmp_path / "own" / "notebooks" / "03_waste_map.ipynb"
    )
    assert (
        project.find_notebook("02_waste_inventory")
        == toolkit_notebooks() / "02_waste_inventory.ipynb"
    )
    assert project.find_notebook("walkthrough", training=True) == (
        toolkit_notebooks() / "training" / "walkthrough.ipynb"
    )
