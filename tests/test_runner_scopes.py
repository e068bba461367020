"""Scopes beyond national and regions: scenarios, training builds, studies that extend another,
and files named by parameters as part of the cache key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from mini_study import make_mini_study, write_notebook

from iwm_study.cli import main
from iwm_study.config import load_project
from iwm_study.runner.plan import build_plan

pytestmark = pytest.mark.slow

DRILL = [
    ("md", "# Drill\n\nOne exercise."),
    ("code", "answer = ...", ["exercise"]),
    ("code", 'answer = "figures.json"', ["solution"]),
    ("code", 'from iwm_study.training import check\n\ncheck("figures-file", answer)', ["check"]),
]


def test_scenarios_and_training_builds(tmp_path: Path) -> None:
    study = make_mini_study(tmp_path / "mini")
    (study / "parameters" / "study.yaml").write_text(
        (study / "parameters" / "study.yaml").read_text(encoding="utf-8")
        + "training:\n  - drill\n",
        encoding="utf-8",
    )
    write_notebook(study / "notebooks" / "training" / "drill.ipynb", DRILL)
    region = study / "parameters" / "regions" / "ganja.yaml"
    region.write_text(
        region.read_text(encoding="utf-8") + "scenarios:\n  slow:\n    delay_s: 0.01\n",
        encoding="utf-8",
    )
    assert main(["run", "--project", str(study)]) == 0
    out = study / "outputs"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["jobs"]) == [
        "ganja.slow/n_region",
        "ganja/n_region",
        "national/n_national",
        "sumgayit/n_region",
        "training/drill.trainee",
        "training/drill.trainer",
    ]
    assert manifest["jobs"]["ganja.slow/n_region"]["parameters"]["delay_s"] == 0.01
    assert manifest["jobs"]["ganja/n_region"]["parameters"]["delay_s"] == 0.0
    # the trainee build holds no solution anywhere; its check says 'not answered yet'
    trainee = (out / "training" / "drill.trainee.ipynb").read_text(encoding="utf-8")
    assert "figures.json" not in trainee and '"solution"' not in trainee
    assert "○ figures-file: not answered yet." in trainee
    page = (out / "training" / "drill.trainee.html").read_text(encoding="utf-8")
    assert (
        "Training: Drill, for trainees" in page
        and "drill.trainee" not in page.split("<h1")[1][:200]
    )
    trainer = (out / "training" / "drill.trainer.ipynb").read_text(encoding="utf-8")
    assert "✓ figures-file: right." in trainer
    assert "figures.json" not in (out / "training" / "drill.trainee.code.html").read_text(
        encoding="utf-8"
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Drill, for trainees" in index and "training/drill.trainer.code.html" in index
    assert "ganja.slow/n_region.html" in index and "Ganja pilot, scenario slow" in index
    assert "parameters.html" in index and (out / "parameters.html").is_file()
    # a region selects its scenarios; a notebook name selects its training builds
    assert main(["run", "--project", str(study), "--force", "--region", "ganja"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["executed"] == ["ganja.slow/n_region", "ganja/n_region"]
    assert main(["run", "--project", str(study), "--force", "--notebook", "drill"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["executed"] == ["training/drill.trainee", "training/drill.trainer"]


def test_a_file_named_by_a_parameter_is_part_of_the_key(tmp_path: Path) -> None:
    study = make_mini_study(tmp_path / "mini")
    path = study / "notebooks" / "n_region.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["source"] += '\nrules_file = ""'
    path.write_text(json.dumps(nb), encoding="utf-8")
    (study / "rules.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (study / "parameters" / "study.yaml").write_text(
        (study / "parameters" / "study.yaml").read_text(encoding="utf-8")
        + "  rules_file: rules.csv\n",
        encoding="utf-8",
    )
    before = {j.id: j.key for j in build_plan(load_project(study)).jobs}
    (study / "rules.csv").write_text("a,b\n1,3\n", encoding="utf-8")
    after = {j.id: j.key for j in build_plan(load_project(study)).jobs}
    assert before["national/n_national"] == after["national/n_national"]  # does not declare it
    assert before["ganja/n_region"] != after["ganja/n_region"]


def test_the_national_study_extends_the_demo_study() -> None:
    project = load_project(PROJECT_ROOT / "studies" / "national")
    assert len(project.regions) == 14
    demo = load_project(PROJECT_ROOT)
    assert project.study.defaults == demo.study.defaults  # inherited, not copied
    assert project.study.title != demo.study.title
    plan = build_plan(project)
    assert plan.problems == []
    per_region = sum(1 for n in demo.study.notebooks if n.scope == "region")
    assert len([j for j in plan.jobs if j.scope not in ("national", "training")]) == 14 * per_region
    assert project.inventory_path.resolve() == (PROJECT_ROOT / "data" / "demo").resolve()
