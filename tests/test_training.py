"""Training: answer checks that never reveal the answer, and the trainee and trainer builds."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, TODAY

from iwm_study import training
from iwm_study.data import load_study, validate_study
from iwm_study.runner.render import render_html, report_title
from iwm_study.training import Exercise, build, canonical, check, exercise_cells

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
WALKTHROUGH = PROJECT_ROOT / "notebooks" / "training" / "walkthrough.ipynb"


def sha(name: str, form: str) -> str:
    """The digest written out by hand: salt, exercise name, newline, canonical form."""
    return hashlib.sha256(f"iwm-study/training/v1/{name}\n{form}".encode()).hexdigest()


# ------------------------------------------------------------------------ canonical forms


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1234.5, 0, "1235"),  # half-up, not banker's rounding
        (2.5, 0, "3"),
        (0.1 + 0.2, 1, "0.3"),  # float noise removed before rounding
        (2.675, 2, "2.68"),  # 2.675 is 2.67499999... in binary; half-up on its decimal form
        ("1,234.5", 1, "1234.5"),
        (" 12 ", 0, "12"),
        (np.float64(22.98025982), 1, "23.0"),
        (np.int64(70), 0, "70"),
        (-0.0001, 2, "0.00"),  # no '-0.00'
        (7, None, "7"),
        (6.6, None, "7"),
    ],
)
def test_numbers_round_half_up_at_the_stated_precision(value, digits, expected) -> None:
    assert canonical(value, "number", digits) == expected


@pytest.mark.parametrize("value", [True, "twelve", float("nan"), float("inf"), None, ..., [1]])
def test_what_is_not_a_number(value) -> None:
    assert canonical(value, "number", 1) is None


def test_text_ignores_case_spacing_dashes_quotes_and_full_stop() -> None:
    expected = "sumgayit city"
    for typed in ("Sumgayit City", "  sumgayit   CITY. ", "'Sumgayit City'", "Sumgayit\tCity"):
        assert canonical(typed, "text") == expected
    assert canonical("Absheron–Khizi", "text") == "absheron-khizi"  # en dash
    assert canonical("Gəncə Şəhəri", "text") == "gəncə şəhəri"
    assert canonical(["Baku"], "text") is None


def test_lists_keep_order_sets_do_not() -> None:
    assert canonical(["B", "a", 2.0], "list", 1) == '["b", "a", "2.0"]'
    assert canonical(pd.Series(["FAC-2", "FAC-1"], index=[9, 3]), "set") == '["fac-1", "fac-2"]'
    assert canonical({"FAC-2", "FAC-1", "fac-1"}, "set") == '["fac-1", "fac-2"]'
    assert canonical(np.array([3, 1]), "list") == '["3", "1"]'
    assert canonical("FAC-1", "set") is None  # a string is not a list of one


def test_booleans() -> None:
    assert [canonical(v, "bool") for v in (True, np.bool_(False), "Yes", "no", "maybe", 1)] == [
        "true",
        "false",
        "true",
        "false",
        None,
        None,
    ]


# ------------------------------------------------------------------------------ check()


@pytest.fixture
def demo_exercise(monkeypatch: pytest.MonkeyPatch) -> str:
    exercise = Exercise("demo-share", "number", 1, sha("demo-share", "23.0"), "Use tonnes.")
    monkeypatch.setitem(training.EXERCISES, "demo-share", exercise)
    return "demo-share"


def test_digest_is_salted_sha256_of_the_canonical_form(demo_exercise: str) -> None:
    assert training.digest(demo_exercise, 22.98, "number", 1) == sha("demo-share", "23.0")
    assert training.digest("other", 22.98, "number", 1) != sha("demo-share", "23.0")
    assert hashlib.sha256(b"23.0").hexdigest() != sha("demo-share", "23.0")


def test_check_says_right_not_yet_right_or_not_answered_yet(demo_exercise: str, capsys) -> None:
    for answer, said in [
        (22.98, "✓ demo-share: right.\n"),
        ("23", "✓ demo-share: right.\n"),
        (
            22.9,
            "✗ demo-share: not yet right. Use tonnes. Numbers are compared rounded to 1 "
            "decimal(s).\n",
        ),
        (
            ...,
            "○ demo-share: not answered yet. Replace the ... in the answer cell above with your "
            "answer, then run this check.\n",
        ),
    ]:
        check(demo_exercise, answer)
        assert capsys.readouterr().out == said


def test_check_never_raises_for_an_answer(demo_exercise: str, capsys) -> None:
    class Broken:
        def __float__(self) -> float:
            raise RuntimeError("no")

    for answer in (pd.DataFrame({"a": [1]}), object(), Broken(), None, {"x": 1}):
        check(demo_exercise, answer)
        assert "not yet right" in capsys.readouterr().out
    with pytest.raises(KeyError):
        check("no-such-exercise", 1)


#: The walkthrough's answers on data/demo, in canonical form, as a trainer worked them out
#: (the trainer build below confirms them by running the solutions).
ANSWER_KEY = {
    "enterprises-ganja": "70",
    "ganja-rank-equal-weights": "3",
    "survey-errors": "5",
    "hazardous-share": "23.0",
    "pareto-enterprises": "19",
    "top-district": "sumgayit city",
    "glass-receivers": '["fac-008", "fac-018", "fac-024"]',
    "figures-file": "figures.json",
}


def test_stored_digests_match_the_answer_key_and_hints_do_not_tell() -> None:
    assert list(training.EXERCISES) == list(ANSWER_KEY)
    source = Path(training.__file__).read_text(encoding="utf-8")
    for name, form in ANSWER_KEY.items():
        exercise = training.EXERCISES[name]
        assert exercise.digest == sha(name, form)
        assert form not in exercise.hint.casefold()
    for plain in ("figures.json", "FAC-008", "FAC-024", "22.98"):
        assert plain not in source


# ------------------------------------------------------------------------------- builds


def _nb(*cells: tuple[str, str, list[str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC, "secret": "x"})
    for i, (kind, source, tags) in enumerate(cells):
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(source)
        cell["id"] = f"c{i}"
        cell["metadata"] = {"tags": tags, "note": "kept only for trainers"}
        nb.cells.append(cell)
    return nb


def _small(demo_exercise: str) -> nbformat.NotebookNode:
    nb = _nb(
        ("markdown", "# Title", []),
        ("code", "total_waste_t = 64288.85", []),
        ("code", "answer = ...", ["exercise"]),
        ("code", "# Solution\nanswer = round(100 * 14773.9 / total_waste_t, 1)", ["solution"]),
        ("code", f'check("{demo_exercise}", answer)', ["check"]),
    )
    nb.cells[3]["outputs"] = [nbformat.v4.new_output("stream", text="23.0\n")]
    nb.cells[4]["outputs"] = [nbformat.v4.new_output("stream", text="✓ right\n")]
    return nb


def test_trainee_build_has_no_solution_output_or_metadata(demo_exercise: str) -> None:
    nb = _small(demo_exercise)
    trainee = build(nb, "trainee")
    text = json.dumps(trainee)
    assert "14773.9" not in text and "Solution" not in text and "23.0" not in text
    assert [c["id"] for c in trainee.cells] == ["c0", "iwm-trainee-edition", "c1", "c2", "c4"]
    assert all(c.get("outputs", []) == [] for c in trainee.cells)
    assert all(set(c["metadata"]) <= {"tags", "jupyter"} for c in trainee.cells)
    assert dict(trainee.metadata) == {
        "kernelspec": KERNELSPEC,
        "iwm_training": {"audience": "trainee"},
    }
    assert len(nb.cells) == 5 and nb.metadata["secret"] == "x"  # the input is left alone


def test_trainer_build_keeps_everything(demo_exercise: str) -> None:
    nb = _small(demo_exercise)
    trainer = build(nb, "trainer")
    assert [c["id"] for c in trainer.cells] == ["c0", "iwm-trainer-edition", "c1", "c2", "c3", "c4"]
    assert trainer.cells[4]["outputs"][0]["text"] == "23.0\n"
    assert trainer.metadata["secret"] == "x"
    assert build(nb, "trainer") == trainer  # same input, same build (fixed ids)


def test_builds_refuse_broken_patterns(demo_exercise: str) -> None:
    with pytest.raises(ValueError, match="audience"):
        build(_small(demo_exercise), "student")  # type: ignore[arg-type]
    no_solution = _nb(
        ("code", "answer = ...", ["exercise"]), ("code", 'check("demo-share", answer)', ["check"])
    )
    with pytest.raises(ValueError, match="cell 0: an exercise cell must be followed"):
        build(no_solution, "trainee")
    unknown = _nb(
        ("code", "answer = ...", ["exercise"]),
        ("code", "answer = 1", ["solution"]),
        ("code", 'check("nobody", answer)', ["check"]),
    )
    with pytest.raises(ValueError, match="no exercise named 'nobody'"):
        build(unknown, "trainer")
    stray = _nb(("code", "answer = 1", ["solution"]))
    with pytest.raises(ValueError, match="cell 0: a solution cell without its exercise"):
        build(stray, "trainee")
    leaky = _small(demo_exercise)
    leaky.cells[1]["source"] += "\n# answer = round(100 * 14773.9 / total_waste_t, 1)"
    with pytest.raises(ValueError, match="still contains a solution line"):
        build(leaky, "trainee")


def test_walkthrough_uses_every_exercise_once_in_order() -> None:
    nb = nbformat.read(WALKTHROUGH, as_version=4)
    assert [e.name for e in exercise_cells(nb)] == list(training.EXERCISES)
    assert all(c.get("outputs", []) == [] for c in nb.cells)  # committed without outputs


# --------------------------------------------------------------------- walkthrough material


def test_sample_survey_has_exactly_the_planned_mistakes(tmp_path: Path) -> None:
    path = training.sample_survey(tmp_path / "survey.xlsx")
    found = [(i.sheet, i.row, i.column, i.rule) for i in validate_study(path, today=TODAY).issues]
    # Rows: 3 is the example row of enterprises; waste_streams has two example rows (3, 4).
    assert found == [
        ("enterprises", 5, "longitude", "lat-lon-swapped"),
        ("waste_streams", 5, "ewc_code", "ewc-format"),
        ("waste_streams", 6, "unit", "unit"),
        ("waste_streams", 8, "density_t_m3", "density-missing"),
        ("waste_streams", 9, "fate", "choice"),
    ]
    clean = load_study(training.sample_survey(tmp_path / "ok.xlsx", mistakes=False), today=TODAY)
    # 850 t; 18,500 kg = 18.5 t; 320 t; 6 m3 x 0.88 t/m3 = 5.28 t; 42 t
    assert clean.waste_streams["quantity_t"].tolist() == pytest.approx(
        [850.0, 18.5, 320.0, 5.28, 42.0], rel=1e-12
    )
    assert clean.enterprises["name"].tolist()[1] == "Saray Metal Konstruksiya ASC"


def test_project_root_is_found_from_a_subfolder(tmp_path: Path) -> None:
    assert training.project_root(WALKTHROUGH.parent) == PROJECT_ROOT
    with pytest.raises(FileNotFoundError):
        training.project_root(tmp_path)


# ----------------------------------------------------------------- executing both builds


def _execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(PROJECT_ROOT)}},
    ).execute()
    return nb


def _check_outputs(nb: nbformat.NotebookNode) -> list[str]:
    out = []
    for cell in nb.cells:
        if "check" in cell.get("metadata", {}).get("tags", []):
            out.append(
                "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            )
    return out


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    # The kernel is started by name: make 'python' this environment's interpreter, as the
    # runner does.
    bin_dir = str(Path(sys.executable).parent)
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = bin_dir + os.pathsep + old
    try:
        source = nbformat.read(WALKTHROUGH, as_version=4)
        return {audience: _execute(build(source, audience)) for audience in training.AUDIENCES}
    finally:
        os.environ["PATH"] = old


@pytest.mark.slow
def test_trainee_build_runs_has_no_solution_and_every_check_is_not_answered_yet(executed) -> None:
    trainee = executed["trainee"]
    said = _check_outputs(trainee)
    assert said == [
        f"○ {name}: not answered yet. {training.UNANSWERED}\n" for name in training.EXERCISES
    ]
    text = json.dumps(trainee, ensure_ascii=False)
    source = nbformat.read(WALKTHROUGH, as_version=4)
    solutions = [c.source for c in source.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == len(training.EXERCISES)
    for solution in solutions:
        for line in solution.splitlines():
            line = line.strip()
            if len(line) >= 12 and line != "# Solution":  # ')' and the like are everywhere
                assert json.dumps(line, ensure_ascii=False)[1:-1] not in text, line
    assert '"solution"' not in text  # not even the tag
    assert "# Solution" not in text


@pytest.mark.slow
def test_trainer_build_runs_and_every_check_is_right(executed) -> None:
    said = _check_outputs(executed["trainer"])
    assert said == [f"✓ {name}: right.\n" for name in training.EXERCISES]


# ------------------------------------------------------------------- the pages, as rendered


def test_training_report_titles_read_as_written() -> None:
    assert report_title("Training", "walkthrough.trainee") == "Training: Walkthrough, for trainees"
    assert report_title("Training", "walkthrough.trainer") == "Training: Walkthrough, for trainers"
    assert report_title("Baku economic region", "02_waste_inventory") == (
        "Baku economic region: Waste inventory"
    )


def _page(nb: nbformat.NotebookNode, audience: str) -> str:
    """The code-hidden page of an executed build, as text (tags and entities removed)."""
    title = report_title("Training", f"walkthrough.{audience}")
    page = render_html(nb, show_code=False, context={"study_title": "Demo", "title": title})
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _statements() -> list[str]:
    """The first line of each exercise's statement: the Markdown heading before its cells."""
    source = nbformat.read(WALKTHROUGH, as_version=4)
    found = []
    for e in exercise_cells(source):
        before = [c for c in source.cells[: e.exercise] if c.cell_type == "markdown"][-1]
        heading = before.source.splitlines()[0]
        assert heading.startswith("### Exercise "), heading
        found.append(heading.removeprefix("### "))
    return found


@pytest.mark.slow
def test_code_hidden_pages_show_each_exercise_and_what_its_check_says(executed) -> None:
    statements = _statements()
    assert len(statements) == len(training.EXERCISES)
    trainee, trainer = _page(executed["trainee"], "trainee"), _page(executed["trainer"], "trainer")
    for page in (trainee, trainer):
        assert all(s in page for s in statements)
        assert "import pandas as pd" not in page  # other code stays hidden
    # The trainee sees where each answer goes, and checks that say "not answered yet".
    assert trainee.count("# Replace ... with your answer (") == len(training.EXERCISES)
    for name in training.EXERCISES:
        assert f"○ {name}: not answered yet." in trainee
    assert "✗ " not in trainee and "✓ " not in trainee
    assert "Training: Walkthrough, for trainees" in trainee
    # The trainer sees each worked solution beside its check.
    assert "answer = len(report.errors)" in trainer and "answer = len(report.errors)" not in trainee
    assert all(f"✓ {name}: right." in trainer for name in training.EXERCISES)
