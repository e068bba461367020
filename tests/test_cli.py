"""The `iwm` command line: exit codes, messages on stderr, nothing written on failure."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD, PROJECT_ROOT, spoil, write_tables

from iwm_study.cli import main


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD)
    (tmp_path / "outputs" / "baku").mkdir(parents=True)
    (tmp_path / "outputs" / "baku" / "02_waste_inventory.html").write_text(
        "<p>a good earlier report</p>", encoding="utf-8"
    )
    return tmp_path


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_validate_ok(project: Path, capsys) -> None:
    assert main(["validate", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "Valid: 3 enterprises, 4 waste streams, 1 facilities" in out


def test_validate_bad_data_exits_2_and_writes_nothing(project: Path, capsys) -> None:
    write_tables(project / "data" / "demo", spoil("waste_streams", 3, "ewc_code", "10 15 01"))
    before = snapshot(project)
    assert main(["validate", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "waste_streams.csv" in err and "ewc-subchapter" in err and "10 15 01" in err
    assert "1 error, 0 warnings" in err
    assert snapshot(project) == before


def test_validate_bad_parameters_exit_2(project: Path, capsys) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: Baku\nshortlist: 3\n", encoding="utf-8"
    )
    before = snapshot(project)
    assert main(["validate", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "parameters/regions/baku.yaml, key 'shortlist': unknown key" in err
    assert snapshot(project) == before


def test_validate_one_region(project: Path, capsys) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: Nowhere\n", encoding="utf-8"
    )
    # --region selects what `iwm run --region` would run, and every file is checked as `iwm
    # run` checks it: a broken region file stops both, whichever region is selected
    assert main(["validate", "--region", "ganja-dashkasan", "--project", str(project)]) == 2
    assert "parameters/regions/baku.yaml, key 'economic_region'" in capsys.readouterr().err
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: Baku\n", encoding="utf-8"
    )
    assert main(["validate", "--region", "ganja-dashkasan", "--project", str(project)]) == 0
    assert "ganja-dashkasan (Ganja-Dashkasan)" in capsys.readouterr().out
    assert main(["validate", "--region", "nowhere", "--project", str(project)]) == 2
    assert "there is no region file nowhere.yaml" in capsys.readouterr().err


def test_new_region(project: Path, capsys) -> None:
    assert (
        main(
            [
                "new-region",
                "shirvan-salyan",
                "--economic-region",
                "Shirvan-Salyan",
                "--project",
                str(project),
            ]
        )
        == 0
    )
    path = project / "parameters" / "regions" / "shirvan-salyan.yaml"
    assert "economic_region: Shirvan-Salyan" in path.read_text(encoding="utf-8")
    from iwm_study.config import load_project

    assert load_project(project).regions["shirvan-salyan"].economic_region == "Shirvan-Salyan"
    # a second time, a bad slug and an unknown region are refused with exit 2, nothing overwritten
    before = snapshot(project)
    assert (
        main(
            [
                "new-region",
                "shirvan-salyan",
                "--economic-region",
                "Shirvan-Salyan",
                "--project",
                str(project),
            ]
        )
        == 2
    )
    assert (
        main(["new-region", "../evil", "--economic-region", "Baku", "--project", str(project)]) == 2
    )
    assert main(["new-region", "mars", "--economic-region", "Mars", "--project", str(project)]) == 2
    assert snapshot(project) == before
    err = capsys.readouterr().err
    assert (
        "already exists" in err
        and "not a valid slug" in err
        and "'Mars' is not one of the 14" in err
    )


def test_console_script_exit_code(project: Path) -> None:
    write_tables(project / "data" / "demo", spoil("enterprises", 2, "latitude", "49.8671") | {})
    iwm = Path(sys.executable).with_name("iwm")
    result = subprocess.run(
        [str(iwm), "validate", "--project", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "enterprises.csv" in result.stderr


def test_help_is_fast_and_light() -> None:
    code = "import sys, iwm_study.cli as c; c.build_parser(); print(sorted(m for m in ('pandas','geopandas','papermill','nbconvert','folium') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
