"""The parameter reference page: generated from the models, self-contained, deterministic."""

from __future__ import annotations

import html
import re
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from iwm_study import config
from iwm_study.data.schema import TABLES
from iwm_study.docs import _anchor, parameter_reference_html

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def section(page: str, anchor: str) -> str:
    """The part of the page from the heading with this id to the next heading of any level."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h", start + 1)
    return page[start : end if end != -1 else None]


def rows(part: str) -> dict[str, list[str]]:
    """Table rows of a section by their first cell's text (tags removed)."""
    out = {}
    for row in ROW.findall(part):
        cells = [re.sub(r"<[^>]+>", "", c) for c in CELL.findall(row)]
        out[html.unescape(cells[0])] = [html.unescape(c) for c in cells[1:]]
    return out


@pytest.fixture(scope="module")
def page() -> str:
    return parameter_reference_html()


@pytest.mark.parametrize(
    "model",
    [
        config.StudyConfig,
        config.RegionConfig,
        config.DataConfig,
        config.NotebookConfig,
        config.ExecutionConfig,
    ],
)
def test_every_field_appears_with_its_description(page: str, model: type[BaseModel]) -> None:
    found = rows(section(page, _anchor(model)))
    assert set(found) == {"key", *model.model_fields}
    for name, field in model.model_fields.items():
        if field.description:
            assert found[name][-1] == field.description, name


def test_types_defaults_and_allowed_values(page: str) -> None:
    study = rows(section(page, _anchor(config.StudyConfig)))
    assert study["title"][:2] == ["text", "required"]
    assert study["country"][:2] == ["text", "Azerbaijan"]
    assert study["data"][:2] == ["DataConfig (mapping)", "required"]
    assert study["execution"][1] == "the defaults of ExecutionConfig"
    assert study["defaults"][:2] == ["mapping of text to any", "{}"]
    data = rows(section(page, _anchor(config.DataConfig)))
    assert data["reference_year"][:3] == ["integer", "2022", "≥ 1990; ≤ 2100"]
    assert data["ewc_entries"][:2] == ["path (relative to the project folder), or null", "null"]
    assert data["synthetic"][:2] == ["true / false", "false"]
    notebook = rows(section(page, _anchor(config.NotebookConfig)))
    assert notebook["scope"][:3] == ["text", "region", "one of national, region"]
    execution = rows(section(page, _anchor(config.ExecutionConfig)))
    assert execution["cell_timeout_s"][:3] == ["integer", "600", "> 0"]
    region = rows(section(page, _anchor(config.RegionConfig)))
    assert region["title"][:2] == ["text, or null", "null"]


def test_registered_notebook_parameter_models_appear(page: str) -> None:
    for name, model in config.PARAMETER_MODELS.items():
        assert f"<code>{name}</code>" in section(page, _anchor(model))
    sensitivity = rows(section(page, _anchor(config.SensitivitySetting)))
    assert sensitivity["draws"][:3] == ["integer", "1000", "≥ 10; ≤ 100000"]
    assert sensitivity["changes"][1] == "[-0.5, -0.25, 0.25, 0.5]"
    shortlist = section(page, _anchor(config.SETTINGS["shortlist_size"].model))
    assert "Read by <code>01_enterprise_selection</code>" in shortlist
    assert rows(shortlist)["(the value itself)"][:3] == ["integer", "10", "≥ 1; ≤ 10000"]
    classes = rows(section(page, _anchor(config.SETTINGS["map_classes"].model)))
    assert classes["(the value itself)"][:3] == ["integer", "5", "≥ 1; ≤ 9"]


class _Depth(BaseModel):
    """How deep the trial digs."""

    metres: float = Field(default=2.5, gt=0, description="Depth of the trial pit.")


class _Trial(BaseModel):
    """``trial_settings``: a model added after the page was written."""

    mode: Literal["fast", "slow"] = Field(default="fast", description="How fast the trial runs.")
    rounds: int = Field(default=3, ge=1, description="Rounds of the trial.")
    depth: _Depth = Field(default_factory=_Depth)


def test_a_newly_registered_model_appears_without_code_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(config.PARAMETER_MODELS, "trial_settings", _Trial)
    page = parameter_reference_html()
    trial = section(page, _anchor(_Trial))
    assert "<code>trial_settings</code>" in trial
    found = rows(trial)
    assert found["mode"] == ["text", "fast", "one of fast, slow", "How fast the trial runs."]
    assert found["rounds"] == ["integer", "3", "≥ 1", "Rounds of the trial."]
    assert found["depth"] == [
        "_Depth (mapping)",
        "the defaults of _Depth",
        "",
        "How deep the trial digs.",
    ]
    depth = rows(section(page, _anchor(_Depth)))
    assert depth["metres"] == ["number", "2.5", "> 0", "Depth of the trial pit."]


def test_untyped_defaults_are_listed_with_their_type() -> None:
    page = parameter_reference_html({"our_depth_m": 5, "our_switch": False, "shortlist_size": 10})
    other = page[page.index("<h3>Other notebook parameters</h3>") :]
    found = rows(other[: other.index("<h3", 5)])
    assert found["our_depth_m"] == ["integer", "5"]
    assert found["our_switch"] == ["true / false", "false"]
    assert "shortlist_size" not in found  # it has a typed model, documented above


def test_table_schema_is_documented(page: str) -> None:
    for table in TABLES.values():
        found = rows(section(page, f"table-{table.name}"))
        assert set(found) == {"column", *table.column_names, *table.derived}
    streams = rows(section(page, "table-waste_streams"))
    assert streams["density_t_m3"][:3] == ["number", "t/m3", "column required; cells may be blank"]
    assert streams["physical_state"][3] == "solid, powder, sludge, liquid, gas"
    assert streams["fate"][3].split(", ")[0] == "used_as_raw_material"
    assert streams["unit"][3] == "t, kg, m3"


def test_self_contained_and_deterministic(page: str) -> None:
    assert "<script" not in page.lower()
    assert not re.search(r"https?://", page)
    assert not re.search(r"\b(src|srcset)=", page)
    assert "<link" not in page.lower()
    assert "<style>" in page
    assert parameter_reference_html() == page
