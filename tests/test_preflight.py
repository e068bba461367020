"""One pre-flight: for every case that `iwm run` refuses, `iwm validate` refuses it with the same
message; settings that only a notebook reads are checked before any kernel starts."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import GOOD, PROJECT_ROOT, spoil, write_tables

from iwm_study.cli import main


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The demonstration study's parameters on a tiny valid survey (Baku, Absheron-Khizi and
    Ganja-Dashkasan), with the toolkit's own notebooks (the study has no notebooks folder)."""
    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD)
    return tmp_path


def edit_study(project: Path, change: Callable[[dict], None]) -> None:
    path = project / "parameters" / "study.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def region_file(project: Path, slug: str, text: str) -> None:
    (project / "parameters" / "regions" / f"{slug}.yaml").write_text(text, encoding="utf-8")


def rules_file(project: Path, rows: str) -> None:
    header = (
        (PROJECT_ROOT / "iwm_study" / "data" / "codes" / "circular_rules.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    (project / "rules").mkdir(exist_ok=True)
    (project / "rules" / "ours.csv").write_text(header + "\n" + rows, encoding="utf-8")


def _notebook(d: dict) -> None:
    d["notebooks"].append({"name": "08_not_a_notebook"})


def _rules_with_bad_rows(p: Path) -> None:
    rules_file(
        p,
        "R1,10 02 01,,23.51,D1,no,Slag to landfill,why,src\nR2,99 99 99,recycler,,R5,no,x,y,z\n",
    )
    edit_study(p, lambda d: d["defaults"].update(circular_rules_file="rules/ours.csv"))


#: name -> (change to the project, extra arguments, words the refusal must contain)
CASES: dict[str, tuple[Callable[[Path], None], list[str], list[str]]] = {
    "a notebook that does not exist": (
        lambda p: edit_study(p, _notebook),
        [],
        ["parameters/study.yaml, key 'notebooks'", "there is no notebook 08_not_a_notebook.ipynb"],
    ),
    "map_classes: five": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(map_classes="five")),
        [],
        ["key 'defaults.map_classes'", "valid integer", "'five'"],
    ),
    "map_classes: 12": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(map_classes=12)),
        [],
        ["key 'defaults.map_classes'", "less than or equal to 9"],
    ),
    "a typo in a defaults key": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(shortlist_sise=5)),
        [],
        ["key 'defaults.shortlist_sise'", "unknown setting", "Did you mean 'shortlist_size'?"],
    ),
    "a typo in a region's parameters": (
        lambda p: region_file(p, "baku", "economic_region: Baku\nparameters:\n  map_clases: 4\n"),
        [],
        ["parameters/regions/baku.yaml, key 'parameters.map_clases'", "map_classes"],
    ),
    "a bad scenario value": (
        lambda p: region_file(
            p,
            "baku",
            "economic_region: Baku\nscenarios:\n  short:\n    circular_road_factor: 0.8\n",
        ),
        [],
        ["key 'scenarios.short.circular_road_factor'", "greater than or equal to 1"],
    ),
    "an infinite distance": (
        lambda p: edit_study(
            p, lambda d: d["defaults"].update(circular_max_distance_km=float("inf"))
        ),
        [],
        ["key 'defaults.circular_max_distance_km'", "finite number"],
    ),
    "a map colour that does not exist": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(map_colour_by="size")),
        [],
        ["key 'defaults.map_colour_by'", "'hazard' or 'sector'"],
    ),
    "online tiles as text": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(map_online_tiles="sometimes")),
        [],
        ["key 'defaults.map_online_tiles'", "valid boolean"],
    ),
    "a rules file that does not exist": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(circular_rules_file="rules/x.csv")),
        [],
        ["key 'defaults.circular_rules_file'", "the file does not exist", "rules/x.csv"],
    ),
    "a rules file with bad rows": (
        _rules_with_bad_rows,
        [],
        ["rules/ours.csv, row 2, column operation", "rule-operation", "rules/ours.csv, row 3"],
    ),
    "a runner parameter in defaults": (
        lambda p: edit_study(p, lambda d: d["defaults"].update(data_path="elsewhere")),
        [],
        ["key 'defaults.data_path'", "set by the runner"],
    ),
    "a region the data does not cover": (
        lambda p: region_file(p, "nakhchivan", "economic_region: Nakhchivan\n"),
        [],
        [
            "parameters/regions/nakhchivan.yaml, key 'economic_region'",
            "no enterprise in Nakhchivan",
        ],
    ),
    "a notebooks folder that does not exist": (
        lambda p: edit_study(p, lambda d: d.update(notebooks_dir="our_notebooks")),
        [],
        ["key 'notebooks_dir'", "the folder does not exist"],
    ),
    "broken YAML": (
        lambda p: region_file(p, "baku", "economic_region: Baku\nparameters: [unclosed\n"),
        [],
        ["parameters/regions/baku.yaml, line", "YAML syntax error"],
    ),
    "an ambiguous number in the data": (
        lambda p: write_tables(p / "data" / "demo", spoil("waste_streams", 2, "quantity", "1,200")),
        [],
        ["waste_streams.csv, row 2, column quantity", "can be read two ways", "number-ambiguous"],
    ),
    "an unknown EWC entry in the data": (
        lambda p: write_tables(
            p / "data" / "demo", spoil("waste_streams", 2, "ewc_code", "10 13 15*")
        ),
        [],
        ["waste_streams.csv, row 2, column ewc_code", "not an entry of the List of Waste"],
    ),
    "an unknown --region": (
        lambda p: None,
        ["--region", "mars"],
        ["there is no region file mars.yaml"],
    ),
    "an unknown --notebook": (
        lambda p: None,
        ["--notebook", "09_nothing"],
        ["key 'notebooks'", "not in the study's notebook list", "09_nothing"],
    ),
}


def problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("case", CASES)
def test_run_and_validate_refuse_alike(project: Path, capsys, case: str) -> None:
    change, extra, words = CASES[case]
    change(project)
    assert main(["validate", *extra, "--project", str(project)]) == 2
    validate_err = capsys.readouterr().err
    assert main(["run", *extra, "--project", str(project)]) == 2
    run_err = capsys.readouterr().err
    assert problem_lines(validate_err) and problem_lines(validate_err) == problem_lines(run_err)
    for word in words:
        assert word in validate_err, (word, validate_err)
    assert "Traceback" not in validate_err + run_err
    assert not (project / "outputs").exists()  # refused before anything was written


def test_validate_formats_csv_and_json_hold_the_same_problems(project: Path, capsys) -> None:
    write_tables(project / "data" / "demo", spoil("waste_streams", 2, "quantity", "1,200"))
    edit_study(project, lambda d: d["defaults"].update(map_classes="five"))
    assert main(["validate", "--format", "json", "--project", str(project)]) == 2
    rows = json.loads(capsys.readouterr().out)
    found = {(r["file"], r["row"], r["column"], r["rule"]) for r in rows}
    assert found == {
        ("data/demo/waste_streams.csv", 2, "quantity", "number-ambiguous"),
        ("parameters/study.yaml", None, "defaults.map_classes", "parameters"),
    }
    assert main(["validate", "--format", "csv", "--project", str(project)]) == 2
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["file"], r["row"], r["column"], r["rule"]) for r in table} == {
        (f, "" if r is None else str(r), c, rule) for f, r, c, rule in found
    }
    assert list(table[0]) == [
        "file",
        "sheet",
        "row",
        "column",
        "value",
        "rule",
        "message",
        "hint",
        "severity",
    ]


def test_the_table_reads_in_80_columns(project: Path, monkeypatch, capsys) -> None:
    """On an 80-column terminal every line fits, and a sentence is wrapped, not cut."""
    import io

    from iwm_study.runner import preflight as pf

    write_tables(project / "data" / "demo", spoil("waste_streams", 2, "unit", "t[/yr]"))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(pf.shutil, "get_terminal_size", lambda fallback: os.terminal_size((80, 24)))
    out = Terminal()
    pre = pf.preflight(project)
    pf.print_report(pre, out)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    joined = " ".join(line.strip() for line in text.splitlines())
    assert "'t[/yr]' is not a known unit." in joined


def test_warnings_are_shown_and_do_not_stop(project: Path, capsys) -> None:
    write_tables(project / "data" / "demo", spoil("waste_streams", 2, "quantity", "0"))
    assert main(["validate", "--project", str(project)]) == 0
    captured = capsys.readouterr()
    assert "The study is valid, with 1 warning:" in captured.err
    assert "- warning: data/demo/waste_streams.csv, row 2, column quantity" in captured.err
    assert "Valid: 3 enterprises, 4 waste streams, 1 facilities" in captured.out


def test_the_csv_list_never_hands_a_formula_to_a_spreadsheet(project: Path, capsys) -> None:
    write_tables(
        project / "data" / "demo",
        spoil("waste_streams", 2, "unit", '=HYPERLINK("http://x","click")'),
    )
    assert main(["validate", "--format", "csv", "--project", str(project)]) == 2
    import csv
    import io

    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["value"] == '\'=HYPERLINK("http://x","click")'
    assert not any(v.startswith(("=", "+", "@")) for v in row.values())
