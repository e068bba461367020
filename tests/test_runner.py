"""The study runner on a tiny study: plan, cache, failures, safety, determinism, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mini_study import make_mini_study

from iwm_study.cli import main
from iwm_study.runner import plan as plan_module

pytestmark = pytest.mark.slow

IWM = str(Path(sys.executable).with_name("iwm"))


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return make_mini_study(tmp_path / "mini")


def run(root: Path, *args: str) -> int:
    return main(["run", "--project", str(root), *args])


def manifest(root: Path) -> dict:
    return json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))


def report_files(root: Path) -> dict[str, str]:
    """sha256 of every file under outputs/ except the manifest (which carries the run time)."""
    out = root / "outputs"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in ("manifest.json", ".iwm-run.lock")
    }


def set_region(root: Path, slug: str, extra: str) -> None:
    path = root / "parameters" / "regions" / f"{slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_full_run_then_nothing_to_do(study: Path, capsys) -> None:
    assert run(study) == 0
    out = study / "outputs"
    for scope, nb in (("national", "n_national"), ("ganja", "n_region"), ("sumgayit", "n_region")):
        for suffix in (".ipynb", ".html", ".code.html"):
            assert (out / scope / f"{nb}{suffix}").is_file()
    # each report holds its own notebook, the reviewer's without code, the trainer's with it
    national = (out / "national" / "n_national.html").read_text(encoding="utf-8")
    assert "Marker text of the national notebook" in national and "DictReader" not in national
    assert "DictReader" in (out / "national" / "n_national.code.html").read_text(encoding="utf-8")
    ganja = (out / "ganja" / "n_region.html").read_text(encoding="utf-8")
    assert "Marker text of the regional notebook" in ganja and "region: Ganja-Dashkasan" in ganja
    assert "region: Absheron-Khizi" in (out / "sumgayit" / "n_region.html").read_text(
        encoding="utf-8"
    )
    # figures recorded by each notebook, per scope
    assert json.loads((out / "ganja" / "figures.json").read_text(encoding="utf-8"))["n_region"][0][
        "value"
    ] == len("Ganja-Dashkasan")
    assert (
        json.loads((out / "national" / "figures.json").read_text(encoding="utf-8"))["n_national"][
            0
        ]["value"]
        == 3
    )
    m = manifest(study)
    assert sorted(m["run"]["executed"]) == [
        "ganja/n_region",
        "national/n_national",
        "sumgayit/n_region",
    ]
    assert set(m["jobs"]["ganja/n_region"]["key_parts"]) == {
        "notebook",
        "parameters",
        "inputs",
        "toolkit",
        "environment",
    }
    assert m["jobs"]["ganja/n_region"]["parameters"]["economic_region"] == "Ganja-Dashkasan"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Mini study" in index and "Every report is up to date" in index
    # written like any other file (not private to this user): a reviewer's server can read them
    umask = os.umask(0)
    os.umask(umask)
    for name in ("index.html", "manifest.json", "parameters.html", "ganja/figures.json"):
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask, name
    capsys.readouterr()
    before = report_files(study)
    pages = ("index.html", "parameters.html", "ganja/figures.json", "national/figures.json")
    stamps = {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in pages}
    assert run(study) == 0
    assert "Nothing to do" in capsys.readouterr().out
    assert manifest(study)["run"]["executed"] == []
    assert report_files(study) == before
    # nothing rewritten but the manifest (the same content would not even be written again)
    assert {n: ((out / n).stat().st_ino, (out / n).stat().st_mtime_ns) for n in pages} == stamps


def test_cache_misses_for_each_part_of_the_key(study: Path, monkeypatch) -> None:
    assert run(study) == 0

    def executed() -> list[str]:
        return sorted(manifest(study)["run"]["executed"])

    # parameters: one region's file
    set_region(study, "ganja", "parameters:\n  delay_s: 0.01\n")
    assert run(study) == 0 and executed() == ["ganja/n_region"]
    # notebook source (outputs and execution counts do not count, the code does)
    path = study / "notebooks" / "n_national.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# National overview, revised"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert run(study) == 0 and executed() == ["national/n_national"]
    # input data: every job reads it
    with open(study / "data" / "enterprises.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert run(study) == 0 and len(executed()) == 3
    # toolkit source and environment
    monkeypatch.setattr(plan_module, "toolkit_source_hash", lambda: "another toolkit")
    assert run(study) == 0 and len(executed()) == 3
    monkeypatch.setattr(plan_module, "environment_hash", lambda: "another environment")
    assert run(study) == 0 and len(executed()) == 3
    # a missing output file forces its job again
    (study / "outputs" / "sumgayit" / "n_region.code.html").unlink()
    assert run(study) == 0 and executed() == ["sumgayit/n_region"]
    # --force runs everything; --region and --notebook select
    assert run(study, "--force", "--region", "sumgayit") == 0 and executed() == [
        "sumgayit/n_region"
    ]
    assert run(study, "--force", "--notebook", "n_national.ipynb") == 0 and executed() == [
        "national/n_national"
    ]


def test_failure_in_one_region_keeps_the_others_and_the_good_report(study: Path, capsys) -> None:
    assert run(study) == 0
    good = (study / "outputs" / "ganja" / "n_region.html").read_bytes()
    set_region(study, "ganja", "parameters:\n  fail: true\n")
    assert run(study) == 1
    out = study / "outputs"
    assert (out / "ganja" / "n_region.html").read_bytes() == good  # never replaced by the failure
    failed = (out / "ganja" / "n_region.failed.html").read_text(encoding="utf-8")
    assert "deliberate failure in ganja" in failed and 'id="papermill-error-cell"' in failed
    assert (out / "ganja" / "n_region.failed.ipynb").is_file()
    entry = manifest(study)["jobs"]["ganja/n_region"]
    assert entry["status"] == "failed"
    assert entry["error"] == "RuntimeError: deliberate failure in ganja"
    assert manifest(study)["jobs"]["sumgayit/n_region"]["status"] == "ok"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="banner-failed"' in index and "RuntimeError: deliberate failure in ganja" in index
    assert "ganja/n_region.failed.html#papermill-error-cell" in index
    assert (
        "Failed: ganja/n_region: RuntimeError: deliberate failure in ganja"
        in capsys.readouterr().err
    )
    # fixed again: the failure files go, the report is replaced
    (study / "parameters" / "regions" / "ganja.yaml").write_text(
        "economic_region: Ganja-Dashkasan\ntitle: Ganja pilot\n", encoding="utf-8"
    )
    assert run(study) == 0
    assert not (out / "ganja" / "n_region.failed.html").exists()


def test_invalid_data_stops_before_any_kernel(study: Path, capsys) -> None:
    assert run(study) == 0
    before = report_files(study)
    text = (
        (study / "data" / "waste_streams.csv")
        .read_text(encoding="utf-8")
        .replace("10 13 06", "10 15 06")
    )
    (study / "data" / "waste_streams.csv").write_text(text, encoding="utf-8")
    assert run(study, "--force") == 2
    err = capsys.readouterr().err
    assert "waste_streams.csv, row 2, column ewc_code" in err and "Nothing was run" in err
    assert report_files(study) == before
    assert not (study / "outputs" / ".staging").exists()


@pytest.mark.parametrize(
    ("region_text", "expected"),
    [
        (
            "parameters:\n  colour: red\n",
            "parameters/regions/ganja.yaml, key 'parameters.colour': unknown setting: no notebook of the study reads it",
        ),
        (
            "parameters:\n  delay_s: soon\n",
            "parameters/regions/ganja.yaml, key 'parameters.delay_s': notebooks/n_region.ipynb expects a float",
        ),
        (
            "parameters:\n  fail: [unclosed\n",
            "parameters/regions/ganja.yaml, line 5: YAML syntax error",
        ),
        ("colour: red\n", "parameters/regions/ganja.yaml, key 'colour': unknown key"),
    ],
)
def test_invalid_parameters_exit_2_before_running(
    study: Path, capsys, region_text: str, expected: str
) -> None:
    set_region(study, "ganja", region_text)
    assert run(study) == 2
    assert expected in capsys.readouterr().err
    assert not (study / "outputs").exists() or not any((study / "outputs").rglob("*.ipynb"))


def test_slugs_and_names_cannot_leave_outputs(study: Path, capsys) -> None:
    assert run(study, "--region", "../../etc") == 2
    assert run(study, "--notebook", "../n_region") == 2
    (study / "parameters" / "regions" / "Evil..Name.yaml").write_text(
        "economic_region: Baku\n", encoding="utf-8"
    )
    assert run(study) == 2
    err = capsys.readouterr().err
    assert "../../etc" in err and "Evil..Name" in err
    assert not (study / "outputs").exists() or not any((study / "outputs").rglob("*.html"))


def test_a_second_run_refuses_while_the_lock_is_held(study: Path, capsys) -> None:
    from filelock import FileLock

    (study / "outputs").mkdir()
    with FileLock(str(study / "outputs" / ".iwm-run.lock")):
        assert run(study) == 7  # EXIT_LOCKED: not a failed job
    assert "another iwm run is working on" in capsys.readouterr().err
    assert not (study / "outputs" / "index.html").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_leaves_earlier_outputs_intact(study: Path, sig: int) -> None:
    assert run(study) == 0
    before = report_files(study)
    set_region(study, "ganja", "parameters:\n  delay_s: 30.0\n")
    set_region(study, "sumgayit", "parameters:\n  delay_s: 30.0\n")
    proc = subprocess.Popen(
        [IWM, "run", "--project", str(study)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    staging = study / "outputs" / ".staging"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(staging.rglob("kernel.log")):
        time.sleep(0.2)
    time.sleep(2.0)  # the kernels are now sleeping in their first cells
    os.killpg(proc.pid, sig) if sig == signal.SIGKILL else proc.send_signal(sig)
    proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130
        assert not staging.exists()
    after = report_files(study)
    # every report is as it was; the index (rewritten on SIGINT) now says the region files changed
    assert {
        k: v for k, v in after.items() if not k.startswith(".staging") and k != "index.html"
    } == {k: v for k, v in before.items() if k != "index.html"}
    if sig == signal.SIGINT:
        assert 'id="banner-stale"' in (study / "outputs" / "index.html").read_text(encoding="utf-8")
    # the next run starts clean and finishes the work
    for slug in ("ganja", "sumgayit"):
        path = study / "parameters" / "regions" / f"{slug}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("30.0", "0.0"), encoding="utf-8")
    assert run(study) == 0
    assert not staging.exists()


def test_reruns_write_identical_bytes(study: Path) -> None:
    assert run(study) == 0
    first = report_files(study)
    assert run(study, "--force") == 0
    second = report_files(study)
    # index.html shows each job's duration, which a forced rerun may change; every report matches
    first.pop("index.html")
    second.pop("index.html")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []  # names what differs
    nb = json.loads((study / "outputs" / "ganja" / "n_region.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(nb)
    assert "start_time" not in text and "end_time" not in text and '"duration"' not in text


def test_list_shows_cache_state(study: Path, capsys) -> None:
    assert main(["list", "--project", str(study)]) == 0
    assert capsys.readouterr().out.count("not run") == 3
    assert run(study) == 0
    set_region(study, "ganja", "parameters:\n  delay_s: 0.01\n")
    capsys.readouterr()
    assert main(["list", "--project", str(study)]) == 0
    out = capsys.readouterr().out
    assert out.count("up to date") == 2 and out.count("out of date") == 1


def test_stock_papermill_runs_a_project_notebook(tmp_path: Path) -> None:
    """Our notebooks stay plain papermill notebooks: the papermill CLI runs one with a region's values."""
    from conftest import PROJECT_ROOT

    out = tmp_path / "out.ipynb"
    papermill = str(Path(sys.executable).with_name("papermill"))
    result = subprocess.run(
        [
            papermill,
            "notebooks/02_waste_inventory.ipynb",
            str(out),
            "-p",
            "economic_region",
            "Ganja-Dashkasan",
            "-p",
            "scope",
            "ganja-dashkasan",
            "--no-progress-bar",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from iwm_study.report import figures_from_notebook

    figures = {
        f["key"]: f["value"]
        for f in figures_from_notebook(json.loads(out.read_text(encoding="utf-8")))
    }
    import pandas as pd

    # the total recomputed independently from the raw CSV files
    ent = pd.read_csv(PROJECT_ROOT / "data/demo/enterprises.csv", dtype=str)
    ws = pd.read_csv(PROJECT_ROOT / "data/demo/waste_streams.csv", dtype=str)
    ids = set(ent.loc[ent["economic_region"] == "Ganja-Dashkasan", "enterprise_id"])
    ws = ws[ws["enterprise_id"].isin(ids)]
    q = ws["quantity"].astype(float)
    factor = ws["unit"].map({"t": 1.0, "kg": 0.001}).fillna(ws["density_t_m3"].astype(float))
    assert figures["total_waste_t"] == pytest.approx(float((q * factor).sum()), rel=1e-12)


def test_git_commit_names_the_commit_and_a_changed_work_tree(tmp_path: Path) -> None:
    """The manifest's commit: None outside a repository and before the first commit; the
    commit git names; '-dirty' once a tracked file changed (an untracked one does not count)."""
    from iwm_study.runner.run import git_commit

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert git_commit(tmp_path) is None
    git("init", "-q")
    assert git_commit(tmp_path) is None
    (tmp_path / "study.yaml").write_text("title: x\n", encoding="utf-8")
    git("add", "study.yaml")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert len(head) == 40 and git_commit(tmp_path) == head
    (tmp_path / "untracked.csv").write_text("a\n", encoding="utf-8")
    assert git_commit(tmp_path) == head
    (tmp_path / "study.yaml").write_text("title: y\n", encoding="utf-8")
    assert git_commit(tmp_path) == f"{head}-dirty"


def test_a_run_stopped_by_errors_shows_them_above_a_few_warnings(tmp_path: Path, capsys) -> None:
    """The demo survey holds about a hundred warnings (non-hazardous mirror entries): a run
    stopped by two errors prints both, then five warnings and the count of the rest by rule,
    not a hundred lines that push the errors off the screen; ``iwm validate`` lists them all."""
    import csv

    from conftest import copy_demo_project

    root = copy_demo_project(tmp_path / "study")
    path = root / "data" / "demo" / "waste_streams.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["ewc_code"] = "99 99 99"
    rows[1]["quantity"] = "lots"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["validate", "--project", str(root), "--format", "json"]) == 2
    problems = json.loads(capsys.readouterr().out)
    warnings = [p for p in problems if p["severity"] == "warning"]
    assert len([p for p in problems if p["severity"] == "error"]) == 2 and len(warnings) > 5
    assert main(["run", "--project", str(root)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("The study is invalid: 2 errors,") and "Nothing was run" in err[0]
    assert "row 2, column ewc_code" in err[1] and "[ewc-chapter]" in err[1]
    assert "row 3, column quantity" in err[2] and "'lots'" in err[2]
    assert [line[:10] for line in err[3:8]] == ["- warning:"] * 5
    rest = len(warnings) - 5
    assert err[8] == f"... and {rest} more ({rest} ewc-mirror)."
    assert err[9] == "`iwm validate` lists every warning."
    assert len(err) == 10
    assert not (root / "outputs").exists()
