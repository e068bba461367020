"""Parameter files: typed, strict, every problem named with its file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

from iwm_study.config import ConfigError, load_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the demo project's parameters pointing at a small data folder."""
    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    (tmp_path / "data" / "demo").mkdir(parents=True)
    return tmp_path


def problems(root: Path, **kw) -> list[tuple[str, str, str | None]]:
    with pytest.raises(ConfigError) as info:
        load_project(root, **kw)
    return [(p.file, p.key, p.value) for p in info.value.problems]


def test_demo_parameters_load(project: Path) -> None:
    p = load_project(project)
    assert sorted(p.regions) == ["absheron-khizi", "baku", "ganja-dashkasan"]
    assert p.regions["ganja-dashkasan"].economic_region == "Ganja-Dashkasan"
    assert p.inventory_path == project / "data" / "demo"
    assert p.study.notebooks[0].name == "00_pilot_region_selection"
    assert p.study.notebooks[0].scope == "national"
    assert p.region_parameters("baku")["shortlist_size"] == 10


def test_region_overrides_defaults(project: Path) -> None:
    path = project / "parameters" / "regions" / "baku.yaml"
    path.write_text("economic_region: Baku\nparameters:\n  shortlist_size: 12\n", encoding="utf-8")
    assert load_project(project).region_parameters("baku")["shortlist_size"] == 12


def test_unknown_key_is_named(project: Path) -> None:
    path = project / "parameters" / "regions" / "baku.yaml"
    path.write_text("economic_region: Baku\ncolour: blue\n", encoding="utf-8")
    assert problems(project) == [("parameters/regions/baku.yaml", "colour", "'blue'")]


def test_wrong_type_is_named(project: Path) -> None:
    study = project / "parameters" / "study.yaml"
    study.write_text(
        study.read_text(encoding="utf-8").replace("cell_timeout_s: 600", "cell_timeout_s: soon"),
        encoding="utf-8",
    )
    assert problems(project) == [("parameters/study.yaml", "execution.cell_timeout_s", "'soon'")]


def test_missing_key_is_named(project: Path) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text("title: Baku\n", encoding="utf-8")
    assert problems(project) == [("parameters/regions/baku.yaml", "economic_region", None)]


def test_missing_data_folder(project: Path) -> None:
    shutil.rmtree(project / "data")
    assert problems(project) == [("parameters/study.yaml", "data.inventory", "data/demo")]


def test_unknown_economic_region(project: Path) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: Bakuu\n", encoding="utf-8"
    )
    assert problems(project) == [("parameters/regions/baku.yaml", "economic_region", "Bakuu")]


def test_yaml_syntax_error_reports_line(project: Path) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: Baku\ntitle: [unclosed\nparameters: {}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_project(project)
    (p,) = info.value.problems
    assert p.file == "parameters/regions/baku.yaml" and p.line == 3
    assert "YAML syntax error" in p.message


def test_yaml_syntax_error_message_is_the_pure_python_loader_s(project: Path) -> None:
    """Settings are parsed by libyaml when PyYAML has it; a file it rejects is read again by
    the pure-Python loader, so the message and line are the ones PyYAML documents."""
    import yaml

    text = "economic_region: Baku\ntitle: a: b\n"
    (project / "parameters" / "regions" / "baku.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(yaml.MarkedYAMLError) as expected:
        yaml.load(text, Loader=yaml.SafeLoader)
    with pytest.raises(ConfigError) as info:
        load_project(project)
    (p,) = info.value.problems
    assert p.line == expected.value.problem_mark.line + 1 == 2
    assert p.message == f"YAML syntax error: {expected.value.problem}"
    assert expected.value.problem == "mapping values are not allowed here"


def test_yaml_values_are_the_same_with_libyaml(project: Path) -> None:
    """The study's settings read by libyaml's parser (when PyYAML was built with it) hold the
    values of PyYAML's pure-Python safe loader: the same constructor and resolver."""
    import yaml

    from iwm_study.config import study

    text = (
        "a: 2021-05-01\nb: [yes, no, on, off, ~, null]\nc: 0o17\nd: 017\ne: 1_000\n"
        "f: .inf\ng: -1.5e3\nh: &x {k: 'v'}\ni: *x\nj: |\n  two\n  lines\nk: 'Bakı'\n"
    )
    files = [*sorted((PROJECT_ROOT / "parameters").rglob("*.yaml")), None]
    for path in files:
        content = path.read_text(encoding="utf-8") if path else text
        assert yaml.load(content, Loader=study._FAST_LOADER) == yaml.safe_load(content)
    assert study._FAST_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_yaml_is_read_safely(project: Path) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_project(project)
    assert "YAML" in info.value.problems[0].message


def test_bad_slugs(project: Path) -> None:
    shutil.copy(
        project / "parameters" / "regions" / "baku.yaml",
        project / "parameters" / "regions" / "Bad Name.yaml",
    )
    assert problems(project) == [("parameters/regions/Bad Name.yaml", "", "Bad Name")]
    (project / "parameters" / "regions" / "Bad Name.yaml").unlink()
    assert problems(project, regions=["../../etc"]) == [
        ("parameters/regions", "region", "../../etc")
    ]
    assert problems(project, regions=["nowhere"]) == [("parameters/regions", "region", "nowhere")]


def test_every_problem_at_once(project: Path) -> None:
    (project / "parameters" / "regions" / "baku.yaml").write_text(
        "economic_region: 5\nextra: 1\n", encoding="utf-8"
    )
    (project / "parameters" / "regions" / "ganja-dashkasan.yaml").write_text(
        "economic_region: Atlantis\n", encoding="utf-8"
    )
    got = problems(project)
    assert ("parameters/regions/baku.yaml", "extra", "1") in got
    assert ("parameters/regions/baku.yaml", "economic_region", "5") in got
    assert ("parameters/regions/ganja-dashkasan.yaml", "economic_region", "Atlantis") in got


def test_notebook_names_cannot_leave_the_folder(project: Path) -> None:
    study = project / "parameters" / "study.yaml"
    study.write_text(
        study.read_text(encoding="utf-8").replace(
            "- name: 02_waste_inventory", "- name: ../../evil"
        ),
        encoding="utf-8",
    )
    assert problems(project) == [("parameters/study.yaml", "notebooks.2.name", "'../../evil'")]
