"""The waste-inventory notebook on a copy of the demo study: one `iwm run --notebook
02_waste_inventory` for the three pilot regions; recorded figures against an independent
computation from the raw CSV; the reviewer report's Sankey drawn in Chromium offline."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import OfflinePage, copy_demo_project, run_demo_notebook
from test_inventory import CODES, raw_streams, read_csv

pytestmark = pytest.mark.slow

NOTEBOOK = "02_waste_inventory"
REGIONS = {"baku": "Baku", "absheron-khizi": "Absheron-Khizi", "ganja-dashkasan": "Ganja-Dashkasan"}
KNOWN_FATES = {
    "used_as_raw_material",
    "sold_or_transferred",
    "exported",
    "landfilled",
    "kept_on_site",
    "incinerated",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_demo_project(tmp_path_factory.mktemp("inventory") / "project")
    assert run_demo_notebook(root, NOTEBOOK) == 0
    return root


def expected_figures(project: Path, region: str) -> dict[str, float]:
    """The key figures of one region, computed from the raw CSV files by hand."""
    data = project / "data" / "demo"
    params = yaml.safe_load((project / "parameters" / "study.yaml").read_text(encoding="utf-8"))
    tolerance = params["defaults"]["mass_balance_tolerance_pct"]
    share = params["defaults"]["pareto_share_pct"]
    rows = raw_streams(data, region)
    ents = [e for e in read_csv(data / "enterprises.csv") if e["economic_region"] == region]
    levels = {o["code"]: o["hierarchy_level"] for o in read_csv(CODES / "waste_operations.csv")}
    total = sum(r["t"] for r in rows)
    with_op = sum(r["t"] for r in rows if r["operation"] in levels)
    with_fate = sum(r["t"] for r in rows if r["fate"] in KNOWN_FATES)
    per_ent: dict[str, float] = defaultdict(float)
    unknown_ent: dict[str, float] = defaultdict(float)
    for r in rows:
        per_ent[r["enterprise_id"]] += r["t"]
        if r["fate"] not in KNOWN_FATES:
            unknown_ent[r["enterprise_id"]] += r["t"]
    running, needed = 0.0, 0
    for value in sorted(per_ent.values(), reverse=True):
        running, needed = running + value, needed + 1
        if running >= share / 100 * total:
            break
    outputs = {
        e["enterprise_id"]: float(e["output_value_kazn"]) for e in ents if e["output_value_kazn"]
    }
    return {
        "total_waste_t": total,
        "streams": len(rows),
        "hazardous_share_pct": 100 * sum(r["t"] for r in rows if r["hazardous"]) / total,
        "recovery_rate_pct": 100
        * sum(r["t"] for r in rows if r["operation"].startswith("R"))
        / with_op,
        "recycling_rate_pct": 100
        * sum(r["t"] for r in rows if levels.get(r["operation"]) == "recycling")
        / with_op,
        "landfill_rate_pct": 100
        * sum(r["t"] for r in rows if r["fate"] == "landfilled")
        / with_fate,
        "pareto_enterprises": needed,
        "intensity_t_per_employee": total / sum(int(e["employees"]) for e in ents),
        "intensity_t_per_mazn": sum(per_ent[i] for i in outputs) / (sum(outputs.values()) / 1000),
        "unaccounted_pct": 100 * sum(unknown_ent.values()) / total,
        "enterprises_unbalanced": sum(
            100 * unknown_ent[i] / per_ent[i] > tolerance for i in unknown_ent
        ),
        "measured_share_pct": 100
        * sum(r["t"] for r in rows if r["data_quality"] == "measured")
        / total,
    }


@pytest.mark.parametrize("slug", REGIONS)
def test_recorded_figures_match_the_raw_tables(project: Path, slug: str) -> None:
    recorded = json.loads((project / "outputs" / slug / "figures.json").read_text("utf-8"))
    figures = {f["key"]: f for f in recorded[NOTEBOOK]}
    expected = expected_figures(project, REGIONS[slug])
    for key, value in expected.items():
        assert figures[key]["value"] == pytest.approx(value, rel=1e-9), key
    assert figures["fate_operation_conflicts"]["value"] == 0  # the demo data agrees
    assert figures["total_waste_t"]["unit"] == "t/yr"


def test_reports_hide_code_and_inline_plotly_once(project: Path) -> None:
    for slug in REGIONS:
        review = (project / "outputs" / slug / f"{NOTEBOOK}.html").read_text("utf-8")
        trainer = (project / "outputs" / slug / f"{NOTEBOOK}.code.html").read_text("utf-8")
        for page in (review, trainer):
            assert page.count("plotly.js v") == 1
            assert not re.search(r"<script[^>]+src=", page)  # nothing fetched, all inlined
            # nbconvert re-serialises the HTML: attributes in any order
            ids = re.findall(r'<div(?=[^>]*class="plotly-graph-div")[^>]*\bid="([^"]+)"', page)
            assert ids == ["iwm-sankey-fates", "iwm-sankey-hierarchy"]
        assert "show_sankey" not in review and "show_sankey" in trainer
        assert REGIONS[slug] in review


@pytest.mark.browser
def test_reviewer_report_draws_the_sankey_offline(project: Path, tmp_path: Path, browser) -> None:
    report = project / "outputs" / "baku" / f"{NOTEBOOK}.html"
    view = OfflinePage(browser)
    view.open(report)
    page = view.page
    counts = {}
    for div in ("iwm-sankey-fates", "iwm-sankey-hierarchy"):
        page.wait_for_selector(f"#{div} path.sankey-link", state="attached")
        drawn = page.locator(f"#{div} path.sankey-link").count()
        # the links plotly received, read back from the graph div itself
        given = page.evaluate(
            f"() => document.getElementById('{div}').data[0].link.value.filter(v => v > 0).length"
        )
        counts[div] = (drawn, given)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    view.context.close()
    assert all(drawn == given > 20 for drawn, given in counts.values()), counts
    assert view.blocked == [] and view.errors == [] and view.failed == []
