"""The Dask executor: same outputs as the process pool, and a job whose worker dies is reported."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from mini_study import make_mini_study

from iwm_study.cli import main

pytestmark = pytest.mark.slow
pytest.importorskip("distributed")


def digests(root: Path) -> dict[str, str]:
    out = root / "outputs"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if (p.is_file() and p.suffix in (".ipynb", ".html") and p.name != "index.html")
        or p.name == "figures.json"
    }


def test_local_cluster_matches_process_pool_and_reports_a_dead_worker(tmp_path: Path) -> None:
    pool = make_mini_study(tmp_path / "pool")
    assert main(["run", "--project", str(pool)]) == 0
    dask = tmp_path / "dask"
    shutil.copytree(pool, dask, ignore=shutil.ignore_patterns("outputs"))
    assert main(["run", "--project", str(dask), "--executor", "dask", "--jobs", "2"]) == 0
    # 3 jobs x 3 files, 3 figures.json and the parameter page
    assert digests(dask) == digests(pool) and len(digests(pool)) == 3 * 3 + 3 + 1
    manifest = json.loads((dask / "outputs" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["jobs"]["ganja/n_region"]["executor"] == "Dask LocalCluster of 2"
    # a notebook that kills the worker running it: retried once, then reported, never lost
    region = dask / "parameters" / "regions" / "sumgayit.yaml"
    region.write_text(
        region.read_text(encoding="utf-8") + "parameters:\n  die: true\n", encoding="utf-8"
    )
    assert main(["run", "--project", str(dask), "--executor", "dask", "--jobs", "2"]) == 1
    entry = json.loads((dask / "outputs" / "manifest.json").read_text(encoding="utf-8"))["jobs"][
        "sumgayit/n_region"
    ]
    assert entry["status"] == "failed"
    assert (
        entry["error"]
        == "worker lost: the worker running this job died twice (it was retried once)"
    )
    # the earlier good report of that region is still there
    assert (dask / "outputs" / "sumgayit" / "n_region.html").read_bytes() == (
        pool / "outputs" / "sumgayit" / "n_region.html"
    ).read_bytes()


def test_unreachable_scheduler_exits_2(tmp_path: Path, capsys) -> None:
    study = make_mini_study(tmp_path / "s")
    code = main(
        ["run", "--project", str(study), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err


def test_scheduler_without_dask_executor_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["run", "--project", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err
