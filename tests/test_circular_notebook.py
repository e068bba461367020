"""The circular options notebook, run by ``iwm run`` on a copy of the demo project.

Its recorded figures are checked against the demo CSV files read here with the csv module,
independently of the toolkit: the tonnes not yet recovered and the recovery rate today, for
each demo region; and the report is checked to be offline and to draw the options layer.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import copy_demo_project, run_demo_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = "04_circular_options"
REGIONS = {"baku": "Baku", "absheron-khizi": "Absheron-Khizi", "ganja-dashkasan": "Ganja-Dashkasan"}
FINAL_RECOVERY = {f"R{i}" for i in range(1, 12)}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _tonnes(row: dict[str, str]) -> float:
    quantity = float(row["quantity"])
    unit = row["unit"].strip().lower()
    if unit == "kg":
        return quantity / 1000.0
    if unit in ("m3", "m³"):
        return quantity * float(row["density_t_m3"])
    return quantity


def expected(data: Path, region: str) -> dict[str, float]:
    """Tonnes not yet recovered, and the recovery rate by operation, computed from the CSVs."""
    firms = {
        r["enterprise_id"]
        for r in _rows(data / "enterprises.csv")
        if r["economic_region"] == region
    }
    open_t = recovered_t = with_op_t = 0.0
    for row in _rows(data / "waste_streams.csv"):
        if row["enterprise_id"] not in firms:
            continue
        t, fate, op = _tonnes(row), row["fate"].strip(), row["operation"].strip().upper()
        if fate in ("", "landfilled", "kept_on_site", "unknown") and op not in FINAL_RECOVERY:
            open_t += t
        if op:
            with_op_t += t
            recovered_t += t if op.startswith("R") else 0.0
    return {"not_recovered_t": open_t, "rate_pct": 100.0 * recovered_t / with_op_t}


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium started as test_browser starts it."""
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo_project(tmp_path_factory.mktemp("demo"))
    assert run_demo_notebook(root, NOTEBOOK) == 0
    return root


def figures(project: Path, scope: str) -> dict[str, float]:
    data = json.loads((project / "outputs" / scope / "figures.json").read_text(encoding="utf-8"))
    return {f["key"]: f["value"] for f in data[NOTEBOOK]}


@pytest.mark.parametrize("scope", sorted(REGIONS))
def test_recorded_figures_match_an_independent_computation(project: Path, scope: str) -> None:
    got = figures(project, scope)
    want = expected(project / "data" / "demo", REGIONS[scope])
    assert want["not_recovered_t"] > 0
    assert got["circular_not_recovered_t"] == pytest.approx(want["not_recovered_t"], rel=1e-9)
    assert got["circular_recovery_rate_before_pct"] == pytest.approx(want["rate_pct"], rel=1e-9)
    # What is matched comes out of what is not recovered, by present fate, and only raises
    # the recovery rate.
    assert 0 < got["circular_matched_t"] <= got["circular_not_recovered_t"]
    parts = got["circular_from_landfill_t"] + got["circular_from_on_site_t"]
    assert parts <= got["circular_matched_t"] + 1e-6
    assert got["circular_recovery_rate_after_pct"] > got["circular_recovery_rate_before_pct"]


@pytest.mark.parametrize("scope", sorted(REGIONS))
def test_every_region_records_what_its_options_are_worth(project: Path, scope: str) -> None:
    """The value of the circular options and its range, for the index and the summaries."""
    got = figures(project, scope)
    for key in ("net_value_azn_yr", "net_t_co2e_yr"):
        assert got[f"{key}_low"] <= got[key] <= got[f"{key}_high"], key
    # Every region of the demo has circular options that avoid emissions at the central values.
    assert got["net_t_co2e_yr"] > 0
    assert "safer_treatment_net_value_azn_yr" in got


def test_report_is_offline_and_draws_the_options(project: Path) -> None:
    page = (project / "outputs" / "baku" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page)
    assert "Circular options (t/yr)" in page
    assert "Why each match was made" in page
    assert "Data that would make the list more certain" in page
    assert "Every circular option: net value and net avoided emissions a year" in page
    assert "Valuation factors and their sources" in page


@pytest.mark.browser
def test_options_show_on_the_map_offline(project: Path, chromium) -> None:
    """The lines are in the layer switch and name their stream on hover, with no network and
    no script error (every non-file request aborted by conftest's OfflinePage)."""
    from conftest import OfflinePage

    view = OfflinePage(chromium)
    view.page.set_viewport_size({"width": 1400, "height": 1000})
    view.open(project / "outputs" / "baku" / f"{NOTEBOOK}.html")
    frame_box = view.page.locator("iframe.iwm-map-frame")
    frame_box.scroll_into_view_if_needed()
    box = frame_box.bounding_box()
    frame = next(f for f in view.page.frames if f != view.page.main_frame)
    layers = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert "Circular options (t/yr)" in [t.strip() for t in layers]
    # Where the first line (the top opportunity) is drawn, in the map's pixels.
    x, y = frame.evaluate(
        """() => {
          for (const name in window) {
            const layer = window[name];
            if (!name.startsWith("geo_json_") || !layer || !layer.eachLayer) continue;
            let at = null;
            layer.eachLayer((part) => {
              if (!at && part.feature && part.feature.geometry.type === "LineString") {
                const p = part._map.latLngToContainerPoint(part.getCenter());
                at = [p.x, p.y];
              }
            });
            if (at) return at;
          }
          return null;
        }"""
    )
    view.page.mouse.move(box["x"] + x + 1, box["y"] + y + 1)
    view.page.mouse.move(box["x"] + x, box["y"] + y)
    view.page.wait_for_timeout(200)
    tips = [t for t in frame.locator(".leaflet-tooltip").all_inner_texts() if t.startswith("#1 ")]
    assert len(tips) == 1 and "by road, rule CR" in tips[0]
    assert view.errors == [] and view.blocked == []
