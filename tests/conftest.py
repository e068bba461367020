"""Shared fixtures: a tiny valid study written as CSV, and a way to spoil one cell of it."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: A fixed 'today' so that the year rule does not depend on the day the tests run.
TODAY = date(2026, 11, 27)

# Sites at the centres of Baku, Sumgayit and Ganja (GeoNames coordinates), each inside the
# district it names; the EWC codes, NACE codes and operations are all valid.
GOOD: dict[str, list[dict[str, str]]] = {
    "enterprises": [
        dict(
            enterprise_id="E1",
            name="Bakı Sement Zavodu",
            economic_region="Baku",
            district="Baku City",
            longitude="49.8671",
            latitude="40.4093",
            nace_code="23.51",
            employees="400",
            output_value_kazn="50000",
            recp_interest="high",
            source="test",
        ),
        dict(
            enterprise_id="E2",
            name="Sumqayıt Kimya Şirkəti",
            economic_region="Absheron-Khizi",
            district="Sumgayit City",
            longitude="49.6686",
            latitude="40.5897",
            nace_code="C20.16",
            employees="250",
            output_value_kazn="",
            recp_interest="medium",
            source="test",
        ),
        dict(
            enterprise_id="E3",
            name="Gəncə Alüminium Ğöçüə",
            economic_region="Ganja-Dashkasan",
            district="Ganja City",
            longitude="46.3606",
            latitude="40.6828",
            nace_code="24.42",
            employees="900",
            output_value_kazn="120000",
            recp_interest="low",
            source="test",
        ),
    ],
    "waste_streams": [
        dict(
            stream_id="S1",
            enterprise_id="E1",
            ewc_code="10 13 06",
            description="Dust",
            quantity="1200",
            unit="t",
            density_t_m3="",
            physical_state="powder",
            operation="R5",
            fate="used_as_raw_material",
            destination_facility_id="",
            data_quality="measured",
            reference_year="2022",
            source="test",
        ),
        dict(
            stream_id="S2",
            enterprise_id="E2",
            ewc_code="070208*",
            description="Still bottoms",
            quantity="5000",
            unit="kg",
            density_t_m3="",
            physical_state="sludge",
            operation="D10",
            fate="incinerated",
            destination_facility_id="F1",
            data_quality="estimated",
            reference_year="2022",
            source="test",
        ),
        dict(
            stream_id="S3",
            enterprise_id="E3",
            ewc_code="10 03 08*",
            description="Salt slag",
            quantity="300",
            unit="t",
            density_t_m3="",
            physical_state="solid",
            operation="D5",
            fate="landfilled",
            destination_facility_id="F1",
            data_quality="calculated",
            reference_year="2022",
            source="test",
        ),
        dict(
            stream_id="S4",
            enterprise_id="E3",
            ewc_code="13 02 05*",
            description="Used oil",
            quantity="10",
            unit="m3",
            density_t_m3="0.9",
            physical_state="liquid",
            operation="R9",
            fate="sold_or_transferred",
            destination_facility_id="",
            data_quality="estimated",
            reference_year="2021",
            source="test",
        ),
    ],
    "facilities": [
        dict(
            facility_id="F1",
            name="Sumqayıt Təhlükəli Tullantılar",
            facility_type="treatment",
            economic_region="Absheron-Khizi",
            district="Sumgayit City",
            longitude="49.62",
            latitude="40.60",
            accepted_ewc="07; 10 03; 13 02 05",
            operations="D10; D5; R13",
            capacity_t_yr="20000",
            hazardous_permitted="yes",
            nace_code="38.22",
            source="test",
        ),
    ],
    # Pilot regions are ranked on regional statistics by default (the demo's settings).
    "regional_statistics": [
        dict(
            economic_region=region,
            enterprises=str(n),
            employees=str(40 * n),
            industrial_output_mazn=str(3 * n),
            waste_generated_t=str(900 * n),
            reference_year="2022",
            source="test",
        )
        for region, n in (("Baku", 500), ("Absheron-Khizi", 300), ("Ganja-Dashkasan", 200))
    ],
}


def write_tables(folder: Path, tables: dict[str, list[dict[str, str]]], bom: bool = False) -> Path:
    """Write tables as CSV files (UTF-8, optionally with the BOM Excel adds)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(
            folder / f"{name}.csv", "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
        ) as fh:
            writer = csv.DictWriter(
                fh, fieldnames=list(rows[0]) if rows else [], lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(rows)
    return folder


def spoil(table: str, row: int, column: str, value: str) -> dict[str, list[dict[str, str]]]:
    """A copy of GOOD with one cell changed; ``row`` is the spreadsheet row (first record = 2)."""
    tables = {name: [dict(r) for r in rows] for name, rows in GOOD.items()}
    tables[table][row - 2][column] = value
    return tables


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "data", GOOD)


def copy_demo_project(dest: Path) -> Path:
    """A copy of the demonstration study (parameters, notebooks, data) to run without touching
    the repository's own outputs/."""
    import shutil

    for name in ("parameters", "notebooks", "data"):
        shutil.copytree(PROJECT_ROOT / name, dest / name)
    return dest


def run_demo_notebook(project: Path, notebook: str) -> int:
    """``iwm run --notebook NOTEBOOK`` on a copied demo project; returns the exit code."""
    from iwm_study.cli import main

    return main(["run", "--project", str(project), "--notebook", notebook])


# --- Browser tests: Debian's Chromium driven by Playwright, every non-file request blocked ---

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: As the machine's own probe starts it: no sandbox as root, no background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        "Chromium is needed for the browser tests: apt-get install chromium"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page whose every non-file request is aborted and recorded, with JavaScript errors."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []

        def block(route):
            self.blocked.append(route.request.url)
            route.abort()

        self.context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else block(route)
            ),
        )
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda req: self.failed.append(req.url))

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri(), wait_until="load")
