"""The reports' languages: catalogs complete and compiled, numbers in the reader's locale, the
Markdown of a notebook translated block by block, `language:` from the study down to a job."""

from __future__ import annotations

import gettext
import io
import json
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from conftest import PROJECT_ROOT
from mini_study import make_mini_study, write_notebook

from iwm_study import i18n
from iwm_study.cli import main
from iwm_study.config import load_project
from iwm_study.data import codes
from iwm_study.i18n import catalog
from iwm_study.report import Ranged, format_value, table
from iwm_study.runner.plan import build_plan

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _fake(messages: dict[str, str]) -> gettext.GNUTranslations:
    """A compiled catalog of ``messages`` (what Babel writes), read by gettext."""
    cat = Catalog(locale="az")
    for msgid, msgstr in messages.items():
        cat.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, cat)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def fake_az(monkeypatch: pytest.MonkeyPatch):
    def install(messages: dict[str, str]) -> None:
        monkeypatch.setattr(i18n, "translations", lambda code: _fake(messages))

    yield install
    i18n.use("en")


# --- numbers ---------------------------------------------------------------------------------


def test_numbers_are_written_as_each_language_writes_them() -> None:
    # English: ',' groups thousands, '.' marks decimals; Azerbaijani (CLDR az): the reverse.
    cases = [
        ((1234567.891, 1), {}, "1,234,567.9", "1.234.567,9"),
        ((-0.25, 2), {}, "-0.25", "-0,25"),
        ((1234,), {}, "1,234", "1.234"),
        ((0.123, 1), {"percent": True}, "12.3%", "12,3%"),
        ((5.0, 1), {"sign": True}, "+5.0", "+5,0"),
    ]
    for args, kwargs, english, azerbaijani in cases:
        with i18n.using("en"):
            assert i18n.format_number(*args, **kwargs) == english
        with i18n.using("az"):
            assert i18n.format_number(*args, **kwargs) == azerbaijani
    with i18n.using("az"):
        assert format_value(43000.0, 0) == "43.000"


def test_a_table_writes_its_numbers_for_the_language_and_keeps_them_numbers_in_the_annex() -> None:
    import pandas as pd

    frame = pd.DataFrame({"t": [1234.56, 0.5], "v": [Ranged(2500.0, -120.0, 9000.0)] * 2})
    with i18n.using("az"):
        styled = table(frame, {"t": "{:,.1f}"}, index=False)
        html = styled.to_html()
    assert "1.234,6" in html and "0,5" in html and "2.500 (-120" in html
    assert styled.iwm_payload["rows"][0] == [1234.56, 2500.0, -120.0, 9000.0]


# --- Markdown and the template ----------------------------------------------------------------


def test_markdown_is_translated_block_by_block(fake_az) -> None:
    fake_az({"## Headline figures": "## Əsas göstəricilər", "One line\nand another": "Bir sətir"})
    text = "## Headline figures\n\nOne line\nand another\n\n   \nNot in the catalog"
    assert i18n.markdown_blocks(text) == [
        "## Headline figures",
        "One line\nand another",
        "Not in the catalog",
    ]
    with i18n.using("az"):
        assert i18n.translate_markdown(text) == (
            "## Əsas göstəricilər\n\nBir sətir\n\nNot in the catalog"
        )
    assert i18n.translate_markdown(text) == text  # English: as written


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'fr'.*en \(English\), az \(Azərbaycanca\)"):
        i18n.use("fr")


# --- the catalogs ---------------------------------------------------------------------------


def test_the_extractor_reads_markdown_blocks_and_code_calls(tmp_path: Path) -> None:
    path = tmp_path / "n.ipynb"
    write_notebook(
        path,
        [
            ("md", "# Title\n\nFirst paragraph\non two lines.\n\n- a\n- b"),
            ("code", '%matplotlib inline\nx = _("Hello {name}").format(name="y")\ny = "not me"'),
        ],
    )
    with path.open("rb") as handle:
        found = list(catalog.extract_notebook(handle, catalog.KEYWORDS, [], {}))
    assert [(line, message) for line, _f, message, _c in found] == [
        (1, "# Title"),
        (1, "First paragraph\non two lines."),
        (1, "- a\n- b"),
        (2, "Hello {name}"),
    ]


def test_every_text_of_the_reports_has_its_azerbaijani_and_the_catalogs_are_compiled() -> None:
    """`iwm translations extract/update/compile` have been run: the template holds every text
    of the code, notebooks and templates; the Azerbaijani catalog translates each with the same
    placeholders; the compiled .mo is the .po's."""
    fresh = catalog.extracted()
    wanted = {m.id for m in fresh if m.id}
    committed = catalog.read_catalog(catalog.locale_dir() / "iwm.pot")
    assert {m.id for m in committed if m.id} == wanted, "run `iwm translations extract`"
    az = catalog.read_catalog(catalog.catalog_path("az"), "az")
    have = {m.id: m.string for m in az if m.id}
    missing = sorted(str(m)[:80] for m in wanted if not have.get(m))
    assert missing == [], f"{len(missing)} texts without Azerbaijani: {missing[:10]}"
    for msgid, msgstr in have.items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        # a plural's first form answers the singular, the others the plural
        for i, string in enumerate(strings):
            source = ids[min(i, len(ids) - 1)]
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(source)), msgid
    mo = catalog.catalog_path("az").with_suffix(".mo")
    assert mo.read_bytes() == catalog.compiled("az"), "run `iwm translations compile`"


def test_code_tables_have_azerbaijani_titles() -> None:
    kinds = ("ewc_chapter", "ewc_subchapter", "ewc_entry", "nace_section", "nace_division")
    for kind in (*kinds, "nace_class", "operation", "fate", "hierarchy_level", "hazardous"):
        english = codes.labels(kind)
        with i18n.using("az"):
            azerbaijani = codes.labels(kind)
        assert azerbaijani.keys() == english.keys(), kind
        same = [k for k in english if english[k] == azerbaijani[k]]
        assert len(same) <= len(english) // 50, (kind, same[:5])
    with i18n.using("az"):
        assert codes.labels("hazardous")[True] != "Hazardous"


# --- language: from the study to each job ---------------------------------------------------


def test_language_comes_from_the_study_a_region_or_a_scenario(tmp_path: Path) -> None:
    study = make_mini_study(tmp_path / "mini")
    for name in ("n_national", "n_region"):
        path = study / "notebooks" / f"{name}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"][1]["source"] += '\nlanguage = "en"'
        path.write_text(json.dumps(nb), encoding="utf-8")
    yaml = study / "parameters" / "study.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "language: az\n", encoding="utf-8")
    region = study / "parameters" / "regions" / "ganja.yaml"
    region.write_text(
        region.read_text(encoding="utf-8")
        + "parameters:\n  language: en\nscenarios:\n  az:\n    language: az\n",
        encoding="utf-8",
    )
    plan = build_plan(load_project(study))
    assert plan.problems == []
    languages = {f"{j.scope}/{j.notebook}": j.parameters["language"] for j in plan.jobs}
    assert languages == {
        "national/n_national": "az",
        "ganja/n_region": "en",
        "ganja.az/n_region": "az",
        "sumgayit/n_region": "az",
    }


@pytest.mark.parametrize(
    ("addition", "where"),
    [("language: fr\n", "language"), ("defaults:\n  language: az\n", "defaults.language")],
)
def test_a_wrong_language_setting_stops_the_run_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], addition: str, where: str
) -> None:
    study = make_mini_study(tmp_path / "mini")
    yaml = study / "parameters" / "study.yaml"
    text = yaml.read_text(encoding="utf-8")
    if addition.startswith("defaults"):
        text = text.replace("defaults:\n", "defaults:\n  language: az\n")
    else:
        text += addition
    yaml.write_text(text, encoding="utf-8")
    assert main(["run", "--project", str(study)]) == 2
    err = capsys.readouterr().err
    assert where in err and ("fr" in err or "at the top of the file" in err)
    assert not (study / "outputs" / "index.html").exists()


def test_the_azerbaijani_study_extends_the_pilot_study() -> None:
    project = load_project(PROJECT_ROOT / "studies" / "azerbaijani")
    pilot = load_project(PROJECT_ROOT)
    assert project.study.language == "az" and pilot.study.language == "en"
    assert sorted(project.regions) == sorted(pilot.regions)
    assert project.study.notebooks == pilot.study.notebooks
