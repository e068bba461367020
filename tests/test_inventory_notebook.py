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


def expected_coverage(project: Path, region: str) -> dict[str, float]:
    """Coverage, the estimate and storage at the site of one region, from the raw CSV files:
    by NACE division, surveyed tonnes + (tonnes / employees) x (register - surveyed employees);
    a register division with no surveyed enterprise adds nothing."""
    data = project / "data" / "demo"
    rows = raw_streams(data, region)
    ents = [e for e in read_csv(data / "enterprises.csv") if e["economic_region"] == region]
    frame = [r for r in read_csv(data / "register.csv") if r["economic_region"] == region]
    employees: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for e in ents:
        employees[e["nace_code"][:2]] += int(e["employees"])
        count[e["nace_code"][:2]] += 1
    waste: dict[str, float] = defaultdict(float)
    for r in rows:
        waste[r["nace_division"]] += r["t"]
    estimate = sum(waste.values())
    for f in frame:
        d = f["nace_division"]
        if count[d] and employees[d] > 0:
            estimate += waste[d] / employees[d] * max(int(f["employees"]) - employees[d], 0)
    listed = {f["nace_division"] for f in frame}
    stored = [r for r in rows if r["fate"] == "kept_on_site" and r["operation"] in ("D15", "R13")]
    limit = {"D15": 1, "R13": 3}
    return {
        "coverage_enterprises_pct": 100
        * sum(count[d] for d in listed)
        / sum(int(f["enterprises"]) for f in frame),
        "coverage_employees_pct": 100
        * sum(employees[d] for d in listed)
        / sum(int(f["employees"]) for f in frame),
        "surveyed_t": sum(r["t"] for r in rows),
        "estimated_total_t": estimate,
        "stored_on_site_t": sum(r["t"] for r in stored),
        "storage_over_limit_t": sum(
            r["t"]
            for r in stored
            if r["storage_since_year"]
            and int(r["reference_year"]) - int(r["storage_since_year"]) > limit[r["operation"]]
        ),
        "storage_unknown_t": sum(r["t"] for r in stored if not r["storage_since_year"]),
    }


@pytest.mark.parametrize("slug", REGIONS)
def test_coverage_estimate_and_storage_figures_match_the_raw_tables(
    project: Path, slug: str
) -> None:
    recorded = json.loads((project / "outputs" / slug / "figures.json").read_text("utf-8"))
    figures = {f["key"]: f["value"] for f in recorded[NOTEBOOK]}
    for key, value in expected_coverage(project, REGIONS[slug]).items():
        assert figures[key] == pytest.approx(value, rel=1e-9), key
    low, high = figures["estimated_total_t_low"], figures["estimated_total_t_high"]
    assert figures["surveyed_t"] <= low <= figures["estimated_total_t"] <= high


@pytest.mark.parametrize("slug", REGIONS)
def test_recorded_figures_match_the_raw_tables(project: Path, slug: str) -> None:
    recorded = json.loads((project / "outputs" / slug / "figures.json").read_text("utf-8"))
    figures = {f["key"]: f for f in recorded[NOTEBOOK]}
    expected = expected_figures(project, REGIONS[slug])
    for key, value in expected.items():
        assert figures[key]["value"] == pytest.approx(value, rel=1e-9), key
    assert figures["fate_operation_conflicts"]["value"] == 0  # the demo data agrees
    assert figures["total_waste_t"]["unit"] == "t/yr"


def test_reports_hide_code_and_load_the_shared_plotly_once(project: Path) -> None:
    from iwm_study.runner.assets import plotly_js_name

    shared = f"../assets/{plotly_js_name()}"
    assert (project / "outputs" / "assets" / plotly_js_name()).is_file()
    for slug in REGIONS:
        review = (project / "outputs" / slug / f"{NOTEBOOK}.html").read_text("utf-8")
        trainer = (project / "outputs" / slug / f"{NOTEBOOK}.code.html").read_text("utf-8")
        for page in (review, trainer):
            assert "plotly.js v" not in page and len(page) < 2 * 1024 * 1024
            # one script, the library shared beside the reports (a local file, nothing fetched)
            assert re.findall(r'<script[^>]+src="([^"]+)"', page) == [shared]
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
