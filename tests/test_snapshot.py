"""Snapshots of the validated study: the pre-flight of ``iwm run`` writes one, keyed as the
notebooks call ``load_study``, and a kernel told where they are (``IWM_STUDY_SNAPSHOTS``) takes
its study from it without reading the files; anything amiss falls back to reading them."""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, TODAY
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

import iwm_study.data.study as study_module
from iwm_study.data import GeoSettings, Study, inspect_study, load_study
from iwm_study.data import snapshot as snap
from iwm_study.data.issues import StudyDataError
from iwm_study.data.schema import MAX_STREAM_T
from iwm_study.i18n import using
from iwm_study.paths import STUDY_DIR_ENV
from iwm_study.runner.preflight import preflight

NOTEBOOKS = sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("0*.ipynb"))


def make_project(root: Path) -> Path:
    """The demonstration study's parameters on a copy of its data (data/demo)."""
    shutil.copytree(PROJECT_ROOT / "parameters", root / "parameters")
    shutil.copytree(PROJECT_ROOT / "data" / "demo", root / "data" / "demo")
    return root.resolve()


def folder_of(root: Path) -> Path:
    return snap.snapshot_folder(root / "outputs")


def assert_same_study(got: Study, want: Study) -> None:
    assert_geodataframe_equal(got.enterprises, want.enterprises)
    assert_geodataframe_equal(got.facilities, want.facilities)
    assert_frame_equal(got.waste_streams, want.waste_streams)
    for name in ("register", "regional_statistics"):
        assert (getattr(got, name) is None) == (getattr(want, name) is None)
        if getattr(want, name) is not None:
            assert_frame_equal(getattr(got, name), getattr(want, name))
    assert got.source == want.source
    assert got.files == want.files
    assert got.warnings.issues == want.warnings.issues


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, object, Study]:
    """A demo project after ``iwm run``'s pre-flight, and its study read from the files."""
    root = make_project(tmp_path_factory.mktemp("snapshot"))
    pre = preflight(root, snapshots=folder_of(root))
    assert pre.ok and pre.snapshot is not None
    with using("en"):
        study, _ = inspect_study(root / "data" / "demo")
    assert study is not None
    return root, pre, study


@pytest.fixture
def kernel_env(monkeypatch, prepared):
    """The environment the runner gives a kernel: the study folder and the snapshots."""
    root = prepared[0]
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(folder_of(root)))
    return root


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every data source ``inspect_study`` reads (the reader still works)."""
    seen: list[Path] = []
    original = study_module.read_source

    def spy(source: Path):
        seen.append(Path(source))
        return original(source)

    monkeypatch.setattr(study_module, "read_source", spy)
    return seen


def no_reading(monkeypatch) -> None:
    def refuse(source: Path):
        raise AssertionError(f"the files at {source} were read")

    monkeypatch.setattr(study_module, "read_source", refuse)


def load_call(notebook: str) -> str:
    """The notebook's own ``study = load_study(...)`` statement, as written."""
    nb = json.loads((PROJECT_ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "load_study(" not in source:
            continue
        # IPython's magics (%matplotlib) are not Python: blank them, keeping the line numbers
        text = "\n".join("" if line[:1] == "%" else line for line in source.splitlines())
        for node in ast.parse(text).body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "load_study"
            ):
                return ast.get_source_segment(text, node)
    raise AssertionError(f"{notebook} has no load_study call")


# --- the key --------------------------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_takes_the_preflights_snapshot(
    prepared, kernel_env, monkeypatch, notebook: str
) -> None:
    """The notebook's own call, with the parameters the runner gives it, finds the snapshot
    the pre-flight wrote and returns the study the files hold, without reading them."""
    root, pre, from_files = prepared
    job = next(j for j in pre.plan.jobs if j.notebook == notebook.removesuffix(".ipynb"))
    namespace = {**job.parameters, "load_study": load_study, "GeoSettings": GeoSettings}
    no_reading(monkeypatch)
    with using(job.parameters["language"]):
        key = snap.snapshot_key(
            job.parameters["data_path"],
            ewc_entries=job.parameters["ewc_entries"],
            geo=GeoSettings(job.parameters["district_tolerance_m"]),
            number_format=job.parameters["number_format"],
        )
        exec(load_call(notebook), namespace)
    assert pre.snapshot == snap.snapshot_path(folder_of(root), key)
    assert pre.record["snapshot"]["key"] == key
    assert_same_study(namespace["study"], from_files)


def test_relative_and_absolute_paths_give_one_key(prepared, kernel_env) -> None:
    root = prepared[0]
    relative = snap.snapshot_key("data/demo", ewc_entries=None, geo=GeoSettings(1000))
    absolute = snap.snapshot_key(root / "data" / "demo", geo=GeoSettings(district_tolerance_m=1e3))
    assert relative == absolute
    assert snap.snapshot_key(None) == snap.snapshot_key(PROJECT_ROOT / "data" / "demo")


def test_one_byte_of_one_input_file_changes_the_key(tmp_path: Path) -> None:
    data = shutil.copytree(PROJECT_ROOT / "data" / "demo", tmp_path / "demo")
    before = snap.snapshot_key(data)
    path = data / "facilities.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[:-2] + bytes([raw[-2] ^ 1]) + raw[-1:])
    changed = snap.snapshot_key(data)
    assert changed != before
    path.write_bytes(raw)
    assert snap.snapshot_key(data) == before
    (data / "notes.csv").write_text("a\n1\n", encoding="utf-8")  # one more warning
    assert snap.snapshot_key(data) not in (before, changed)
    (data / "notes.csv").unlink()
    (data / "README.md").write_text("not read by the reader", encoding="utf-8")
    assert snap.snapshot_key(data) == before


def test_each_option_changes_the_key(tmp_path: Path) -> None:
    data = PROJECT_ROOT / "data" / "demo"
    entries = tmp_path / "ewc.csv"
    entries.write_text("code,title\n10 13 06,dust\n", encoding="utf-8")
    keys = [
        snap.snapshot_key(data, today=TODAY),
        snap.snapshot_key(data, today=TODAY, number_format="decimal_comma"),
        snap.snapshot_key(data, today=TODAY, number_format="decimal_point"),
        snap.snapshot_key(data, today=TODAY, geo=GeoSettings(district_tolerance_m=999.0)),
        snap.snapshot_key(data, today=TODAY, geo=GeoSettings(country_tolerance_m=2001.0)),
        snap.snapshot_key(data, today=TODAY, max_stream_t=1e5),
        snap.snapshot_key(data, today=TODAY, ewc_entries=entries),
        snap.snapshot_key(data, today=TODAY, ewc_entries=tmp_path / "missing.csv"),
        snap.snapshot_key(data, today=date(TODAY.year + 1, 1, 1)),
    ]
    assert len(set(keys)) == len(keys)
    entries.write_text("code,title\n10 13 06,dust!\n", encoding="utf-8")
    assert snap.snapshot_key(data, today=TODAY, ewc_entries=entries) not in keys
    # defaults written out are the defaults
    assert keys[0] == snap.snapshot_key(
        data, today=TODAY, geo=GeoSettings(), max_stream_t=MAX_STREAM_T
    )
    # the checks read the year only, so another day of the same year is the same key
    assert keys[0] == snap.snapshot_key(data, today=date(TODAY.year, 1, 1))


def test_the_key_holds_the_libraries_installed_versions() -> None:
    """Read from the metadata's headers by hand: the same as importlib.metadata's."""
    from importlib.metadata import version

    snap._library_versions.cache_clear()
    assert snap._library_versions() == {name: version(name) for name in snap._LIBRARIES}
    assert set(snap._LIBRARIES) >= {"pandas", "geopandas", "numpy"}


def test_the_language_changes_the_key() -> None:
    with using("en"):
        english = snap.snapshot_key(None, today=TODAY)
    with using("az"):
        azerbaijani = snap.snapshot_key(None, today=TODAY)
    assert english != azerbaijani


def test_the_checks_read_only_the_year_of_today() -> None:
    """The key holds the year, not the date: true while the checks read nothing else."""
    other = []
    for path in sorted((PROJECT_ROOT / "iwm_study" / "data").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "today"
                and node.attr != "year"
            ):
                other.append(f"{path.name}:{node.lineno} today.{node.attr}")
    assert other == []


def test_without_the_variable_the_files_are_read(prepared, monkeypatch, reads) -> None:
    root, _, from_files = prepared
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    monkeypatch.delenv(snap.SNAPSHOT_ENV, raising=False)
    with using("en"):
        study = load_study("data/demo", geo=GeoSettings(1000.0))
    assert reads == [root / "data" / "demo"]
    assert_same_study(study, from_files)


def test_a_stale_snapshot_is_not_used(tmp_path: Path, monkeypatch, reads) -> None:
    root = make_project(tmp_path)
    pre = preflight(root, snapshots=folder_of(root))
    assert pre.snapshot is not None and pre.snapshot.is_file()
    reads.clear()  # the pre-flight's own reading
    path = root / "data" / "demo" / "waste_streams.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Cement kiln dust", "Kiln dust"))
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(folder_of(root)))
    with using("en"):
        study = load_study("data/demo", geo=GeoSettings(1000.0))
    assert reads == [root / "data" / "demo"]
    assert "Kiln dust" in set(study.waste_streams["description"])
    assert "Cement kiln dust" not in set(study.waste_streams["description"])


@pytest.mark.parametrize("spoil", ["truncated", "garbage", "empty", "other key", "not a study"])
def test_a_spoiled_snapshot_falls_back_to_the_files(
    prepared, tmp_path: Path, monkeypatch, reads, spoil: str
) -> None:
    root, pre, from_files = prepared
    folder = tmp_path / "snapshots"
    folder.mkdir()
    raw = pre.snapshot.read_bytes()
    target = folder / pre.snapshot.name
    key = pre.record["snapshot"]["key"]
    target.write_bytes(
        {
            "truncated": raw[: len(raw) // 2],
            "garbage": b"\x80\x05not a pickle at all",
            "empty": b"",
            "other key": pickle.dumps(("0" * 64, from_files), protocol=5),
            "not a study": pickle.dumps((key, {"enterprises": None}), protocol=5),
        }[spoil]
    )
    assert snap.read_snapshot(folder, key) is None
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(folder))
    with using("en"):
        study = load_study("data/demo", geo=GeoSettings(1000.0))
    assert reads == [root / "data" / "demo"]
    assert_same_study(study, from_files)


def test_a_missing_folder_or_snapshot_falls_back_to_the_files(
    prepared, tmp_path: Path, monkeypatch, reads
) -> None:
    root, pre, _ = prepared
    assert snap.read_snapshot(tmp_path / "nowhere", pre.record["snapshot"]["key"]) is None
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(tmp_path / "nowhere"))
    with using("en"):
        load_study("data/demo", geo=GeoSettings(1000.0))
    assert reads == [root / "data" / "demo"]


def test_another_language_reads_the_files(prepared, kernel_env, reads) -> None:
    """A region built in Azerbaijani in an English study misses, and reads the files."""
    with using("az"):
        study = load_study("data/demo", geo=GeoSettings(1000.0))
    assert reads == [kernel_env / "data" / "demo"]
    assert study.warnings.issues  # in Azerbaijani, unlike the snapshot's


def test_data_with_errors_still_raises(tmp_path: Path, monkeypatch) -> None:
    data = shutil.copytree(PROJECT_ROOT / "data" / "demo", tmp_path / "demo")
    path = data / "waste_streams.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",22500,t,", ",lots,t,", 1))
    monkeypatch.setenv(snap.SNAPSHOT_ENV, str(tmp_path / "snapshots"))
    with pytest.raises(StudyDataError):
        load_study(data)
    assert not (tmp_path / "snapshots").exists()


# --- the pre-flight -------------------------------------------------------------------------


def test_nothing_is_written_when_the_data_has_errors(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = root / "data" / "demo" / "waste_streams.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",22500,t,", ",lots,t,", 1))
    pre = preflight(root, snapshots=folder_of(root))
    assert not pre.ok and pre.snapshot is None
    assert not (root / "outputs").exists()


def test_validate_writes_nothing(tmp_path: Path, capsys) -> None:
    from iwm_study.cli import main

    root = make_project(tmp_path)
    assert main(["validate", "--project", str(root)]) == 0
    assert preflight(root).snapshot is None
    assert not (root / "outputs").exists()


def test_a_cached_check_writes_a_missing_snapshot_once(
    prepared, tmp_path: Path, monkeypatch
) -> None:
    """With the data check from the manifest, the pre-flight reads the data only when the
    snapshot is missing, and then writes the same snapshot."""
    root, pre, _ = prepared
    folder = tmp_path / "snapshots"
    again = preflight(root, cached=pre.record, snapshots=folder)
    assert again.snapshot == folder / pre.snapshot.name
    assert again.snapshot.read_bytes() == pre.snapshot.read_bytes()
    assert again.record["snapshot"] == pre.record["snapshot"]

    no_reading(monkeypatch)
    third = preflight(root, cached=again.record, snapshots=folder)
    assert third.snapshot == again.snapshot
    assert sorted(p.name for p in folder.iterdir()) == [pre.snapshot.name]


def test_a_run_with_nothing_to_do_does_not_import_pandas(prepared) -> None:
    """The cached pre-flight with its snapshot present answers from the manifest's record."""
    root, pre, _ = prepared
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from iwm_study.runner.preflight import preflight\n"
        f"record = json.loads({json.dumps(json.dumps(pre.record))})\n"
        f"pre = preflight({str(root)!r}, cached=record, snapshots=Path({str(pre.snapshot.parent)!r}))\n"
        "print(pre.ok, pre.snapshot is not None, 'pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.split() == ["True", "True", "False"]


def test_an_azerbaijani_study_keys_its_snapshot_in_azerbaijani(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path)
    study_yaml = root / "parameters" / "study.yaml"
    text = study_yaml.read_text(encoding="utf-8")
    study_yaml.write_text(text.replace("\ndata:\n", "\nlanguage: az\ndata:\n", 1), "utf-8")
    pre = preflight(root, snapshots=folder_of(root))
    assert pre.ok and pre.snapshot is not None
    monkeypatch.setenv(STUDY_DIR_ENV, str(root))
    with using("az"):
        assert (
            pre.snapshot.name == f"study-{snap.snapshot_key('data/demo', geo=GeoSettings())}.pickle"
        )
    with using("en"):
        assert pre.snapshot.name != f"study-{snap.snapshot_key('data/demo')}.pickle"


# --- the folder -----------------------------------------------------------------------------


def test_writing_keeps_the_newest_few_and_no_temporary_file(prepared, tmp_path: Path) -> None:
    _, _, study = prepared
    folder = tmp_path / "snapshots"
    keys = [f"{i:064x}" for i in range(snap.KEEP + 3)]
    for i, key in enumerate(keys):
        path = snap.write_snapshot(folder, key, study)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    stale = folder / ".study-dead.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    first = snap.write_snapshot(folder, keys[0], study)  # an old key written again is kept
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [first.name] + [f"study-{k}.pickle" for k in keys[-(snap.KEEP - 1) :]]
    )
    assert_same_study(snap.read_snapshot(folder, keys[0]), study)
    assert snap.read_snapshot(folder, keys[1]) is None


def test_an_unwritable_folder_does_not_stop_the_preflight(prepared, tmp_path: Path) -> None:
    root = prepared[0]
    blocker = tmp_path / "outputs"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    again = preflight(root, snapshots=snap.snapshot_folder(blocker))
    assert again.ok and again.snapshot is None
    assert "snapshot" not in again.record
