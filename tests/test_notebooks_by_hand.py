"""Exploring by hand: every notebook runs as it stands (its own parameter defaults), with the
kernel in notebooks/ as JupyterLab starts it, and from a copy in another folder; relative paths
of the parameters are read from the study folder wherever the kernel runs."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import PROJECT_ROOT
from nbclient import NotebookClient

from iwm_study.paths import STUDY_DIR_ENV, find_study_dir, resolve, study_dir, toolkit_notebooks

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(
    str(p.relative_to(toolkit_notebooks())) for p in toolkit_notebooks().rglob("*.ipynb")
)


def execute(path: Path, cwd: Path) -> str | None:
    """Run the notebook as it stands in a kernel working in ``cwd``; the first error or None."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    try:
        client.execute()
    except Exception as exc:
        return f"{path.name} in {cwd}: {type(exc).__name__}: {str(exc)[-400:]}"
    return None


def test_toolkit_notebooks_are_the_source_trees() -> None:
    assert toolkit_notebooks() == PROJECT_ROOT / "notebooks"
    assert NOTEBOOKS == [
        "00_pilot_region_selection.ipynb",
        "01_enterprise_selection.ipynb",
        "02_waste_inventory.ipynb",
        "03_waste_map.ipynb",
        "04_circular_options.ipynb",
        "05_summary.ipynb",
        "06_fact_sheets.ipynb",
        "07_national_synthesis.ipynb",
        "training/walkthrough.ipynb",
    ]


def test_every_notebook_runs_as_it_stands_from_notebooks_and_from_elsewhere(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv(STUDY_DIR_ENV, raising=False)
    jobs = []
    for name in NOTEBOOKS:
        source = toolkit_notebooks() / name
        jobs.append((source, source.parent))  # as JupyterLab runs it: in its own folder
        # A copy in a folder outside any study finds the demonstration data the same way for
        # every notebook (load_study(None)): one national and one regional copy show it (the
        # suite's time is counted).
        if name in ("00_pilot_region_selection.ipynb", "05_summary.ipynb"):
            copy = tmp_path / name.replace("/", "_")
            shutil.copy(source, copy)
            jobs.append((copy, tmp_path))
    with ThreadPoolExecutor(max_workers=2) as pool:
        errors = [e for e in pool.map(lambda job: execute(*job), jobs) if e]
    assert errors == []


def test_papermill_by_hand_with_relative_paths_from_the_notebooks_folder(
    tmp_path: Path, monkeypatch
) -> None:
    """papermill --cwd notebooks -p data_path data/demo: the path is read from the study."""
    import papermill as pm

    monkeypatch.delenv(STUDY_DIR_ENV, raising=False)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(PROJECT_ROOT / "notebooks" / "03_waste_map.ipynb"),
        str(out),
        parameters={
            "data_path": "data/demo",
            "economic_region": "Ganja-Dashkasan",
            "scope": "ganja-dashkasan",
        },
        cwd=str(PROJECT_ROOT / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    assert "Ganja" in out.read_text(encoding="utf-8")


def test_study_dir_is_found_from_the_environment_the_notebook_and_the_working_folder(
    tmp_path: Path, monkeypatch
) -> None:
    study = tmp_path / "study"
    (study / "parameters").mkdir(parents=True)
    (study / "parameters" / "study.yaml").write_text("title: x\n", encoding="utf-8")
    (study / "notebooks" / "deep").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.delenv(STUDY_DIR_ENV, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(study / "notebooks" / "deep")
    assert study_dir() == study.resolve()  # walking up from the working folder
    assert resolve("data/x.csv") == study.resolve() / "data" / "x.csv"
    assert resolve("/abs/x.csv") == Path("/abs/x.csv")
    monkeypatch.chdir(outside)
    assert study_dir() == outside.resolve()  # no study: plain relative paths
    monkeypatch.setenv("JPY_SESSION_NAME", str(study / "notebooks" / "deep" / "n.ipynb"))
    assert study_dir() == study.resolve()  # JupyterLab names the notebook
    monkeypatch.setenv(STUDY_DIR_ENV, str(outside))
    assert study_dir() == outside.resolve()  # the runner and iwm lab name the study
    assert find_study_dir(outside) is None


def test_iwm_lab_writes_a_parameterised_scratch_copy(tmp_path: Path, capsys, monkeypatch) -> None:
    from conftest import GOOD, write_tables

    from iwm_study.cli import main

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD)
    before = {p: p.read_bytes() for p in toolkit_notebooks().rglob("*.ipynb")}
    args = ["lab", "ganja-dashkasan", "02_waste_inventory.ipynb", "--prepare-only"]
    assert main([*args, "--project", str(tmp_path)]) == 0
    scratch = tmp_path / "lab" / "ganja-dashkasan" / "02_waste_inventory.ipynb"
    assert f"Wrote {scratch}" in capsys.readouterr().out
    nb = nbformat.read(scratch, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'economic_region = "Ganja-Dashkasan"' in injected[0].source
    assert 'data_path = "data/demo"' in injected[0].source
    # the author's edits in the scratch copy survive a second call; --fresh starts again
    scratch.write_text(scratch.read_text(encoding="utf-8").replace("Waste inventory", "Mine"))
    assert main([*args, "--project", str(tmp_path)]) == 0
    assert "Kept your scratch copy" in capsys.readouterr().out
    assert "Mine" in scratch.read_text(encoding="utf-8")
    assert main([*args, "--fresh", "--project", str(tmp_path)]) == 0
    assert "Mine" not in scratch.read_text(encoding="utf-8")
    # the toolkit's notebooks are untouched
    assert before == {p: p.read_bytes() for p in toolkit_notebooks().rglob("*.ipynb")}
    # the scratch copy runs where JupyterLab runs it: in its own folder, the study found above
    monkeypatch.delenv(STUDY_DIR_ENV, raising=False)
    assert execute(scratch, scratch.parent) is None
    # unknown scopes and notebooks are refused with the names that exist
    assert (
        main(["lab", "mars", "02_waste_inventory", "--prepare-only", "--project", str(tmp_path)])
        == 2
    )
    assert "there is no scope 'mars'" in capsys.readouterr().err
    assert main(["lab", "baku", "07_x", "--prepare-only", "--project", str(tmp_path)]) == 2
    assert "scope baku has no notebook '07_x'" in capsys.readouterr().err
    assert os.environ.get(STUDY_DIR_ENV) is None
