"""The summary, fact sheets and national synthesis notebooks, run by ``iwm run`` on a copy of
the demo project.

What the reports say is checked against the demo CSV files read here with the csv module,
independently of the toolkit: which of the recommendations that need only the inventory hold
in each region (packaging tonnes, landfill share, share estimated), who is eligible for a fact
sheet, and the tonnes the synthesis adds up. The fact sheets are printed by Chromium, one
enterprise per page.
"""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import copy_demo_project

from iwm_study.cli import main

pytestmark = pytest.mark.slow

REGIONS = {"baku": "Baku", "absheron-khizi": "Absheron-Khizi", "ganja-dashkasan": "Ganja-Dashkasan"}
NOTEBOOKS = ("05_summary", "06_fact_sheets", "07_national_synthesis")


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


def _region_streams(data: Path, region: str) -> list[dict[str, str]]:
    firms = {
        r["enterprise_id"]
        for r in _rows(data / "enterprises.csv")
        if r["economic_region"] == region
    }
    return [r for r in _rows(data / "waste_streams.csv") if r["enterprise_id"] in firms]


def expected_rules(data: Path, region: str) -> dict[str, bool]:
    """Whether REC01 (packaging >= 1,000 t), REC03 (landfill share of known fates > 13.8 %,
    the SSC's 2022 share) and REC04 (estimated >= 50 % of tonnes) hold, from the CSVs."""
    streams = _region_streams(data, region)
    total = sum(_tonnes(r) for r in streams)
    packaging = sum(_tonnes(r) for r in streams if r["ewc_code"].startswith("15"))
    known = [r for r in streams if r["fate"].strip() not in ("", "unknown")]
    landfilled = sum(_tonnes(r) for r in known if r["fate"].strip() == "landfilled")
    estimated = sum(_tonnes(r) for r in streams if r["data_quality"].strip() == "estimated")
    return {
        "Extended producer responsibility for packaging": packaging >= 1000,
        "Landfill fee": 100 * landfilled / sum(_tonnes(r) for r in known) > 13.8,
        "Better reporting on form 2-TG": 100 * estimated / total >= 50,
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_demo_project(tmp_path_factory.mktemp("demo"))
    args = ["run", "--project", str(root)]
    for name in NOTEBOOKS:
        args += ["--notebook", name]
    assert main(args) == 0
    return root


def figures(project: Path, scope: str, notebook: str) -> dict[str, object]:
    data = json.loads((project / "outputs" / scope / "figures.json").read_text(encoding="utf-8"))
    return {f["key"]: f["value"] for f in data[notebook]}


def headings(html: str, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)<", html)
    return [unescape(h).strip() for h in found]


@pytest.mark.parametrize("scope", sorted(REGIONS))
def test_summary_recommends_what_the_data_calls_for(project: Path, scope: str) -> None:
    html = (project / "outputs" / scope / "05_summary.html").read_text(encoding="utf-8")
    numbered = [h.split(". ", 1)[1] for h in headings(html, 3) if re.match(r"\d+\. ", h)]
    for topic, holds in expected_rules(project / "data" / "demo", REGIONS[scope]).items():
        assert (topic in numbered) == holds, (scope, topic)
    assert figures(project, scope, "05_summary")["recommendations"] == len(numbered)
    # Each recommendation shows the numbers that triggered it, and every page says what else
    # was checked.
    assert html.count("<strong>The numbers:</strong>") == len(numbered)
    assert "Recommendation rules that do not hold or could not be assessed" in html


@pytest.mark.parametrize("scope", sorted(REGIONS))
def test_fact_sheets_are_of_eligible_enterprises(project: Path, scope: str) -> None:
    firms = [
        r
        for r in _rows(project / "data" / "demo" / "enterprises.csv")
        if r["economic_region"] == REGIONS[scope]
    ]
    # The demo's gates: fewer than 250 employees, RECP interest medium or high.
    eligible = {
        r["name"]
        for r in firms
        if r["employees"].strip()
        and int(r["employees"]) <= 249
        and r["recp_interest"] in ("medium", "high")
    }
    html = (project / "outputs" / scope / "06_fact_sheets.html").read_text(encoding="utf-8")
    sheets = [h.split(". ", 1)[1] for h in headings(html, 2) if re.match(r"\d+\. ", h)]
    assert len(sheets) == min(10, len(eligible)) > 0
    assert set(sheets) <= eligible
    assert figures(project, scope, "06_fact_sheets")["fact_sheets"] == len(sheets)


def test_synthesis_adds_up_the_regions(project: Path) -> None:
    got = figures(project, "national", "07_national_synthesis")
    data = project / "data" / "demo"
    total = sum(_tonnes(r) for region in REGIONS.values() for r in _region_streams(data, region))
    assert got["regions_compared"] == 3
    assert got["synthesis_waste_t"] == round(total)
    # The regions' summaries and the synthesis value the same options: their sums agree.
    regional = sum(figures(project, s, "05_summary")["summary_net_value_azn_yr"] for s in REGIONS)
    assert abs(got["synthesis_net_value_azn_yr"] - regional) <= 3  # each figure rounded to 1 AZN


@pytest.mark.browser
def test_fact_sheets_print_one_enterprise_per_page(project: Path, browser) -> None:
    from conftest import OfflinePage

    view = OfflinePage(browser)
    report = project / "outputs" / "baku" / "06_fact_sheets.html"
    view.open(report)
    sheets = view.page.locator(".iwm-page-break").count()
    pdf = view.page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # The introduction, then each enterprise from a new page (a long sheet may take two).
    assert sheets == 10 and pages >= sheets + 1
    assert view.blocked == [] and view.failed == [] and view.errors == []
    view.context.close()


def test_a_region_with_no_eligible_enterprise_says_so(tmp_path: Path) -> None:
    """Gates nobody passes (at most 5 employees: the demo's smallest firm in Ganja-Dashkasan
    has more) leave no ranking: the selection and the fact sheets say so and do not fail."""
    import papermill as pm

    from iwm_study.config import setting_default
    from iwm_study.paths import toolkit_notebooks

    firms = [
        r
        for r in _rows(Path(__file__).parents[1] / "data" / "demo" / "enterprises.csv")
        if r["economic_region"] == "Ganja-Dashkasan" and r["employees"].strip()
    ]
    assert min(int(r["employees"]) for r in firms) > 5
    gates = setting_default("enterprise_selection")
    gates["eligibility"]["max_employees"] = 5
    params = {"scope": "ganja-dashkasan", "economic_region": "Ganja-Dashkasan"}
    params["enterprise_selection"] = gates
    for name, words in (
        ("01_enterprise_selection", "**No ranking:** 0 enterprises"),
        ("06_fact_sheets", "0 enterprise(s) of the Ganja-Dashkasan economic region"),
    ):
        out = tmp_path / f"{name}.ipynb"
        pm.execute_notebook(
            str(toolkit_notebooks() / f"{name}.ipynb"),
            str(out),
            parameters=params,
            progress_bar=False,
            kernel_name="python3",
        )
        assert words in out.read_text(encoding="utf-8"), name
