"""The index and the reports in headless Chromium with every network request blocked."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import GOOD, OfflinePage
from mini_study import make_mini_study

from iwm_study.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def failed_study(tmp_path_factory) -> Path:
    root = make_mini_study(tmp_path_factory.mktemp("browser") / "mini")
    assert main(["run", "--project", str(root)]) == 0
    path = root / "parameters" / "regions" / "ganja.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "parameters:\n  fail: true\n", encoding="utf-8"
    )
    assert main(["run", "--project", str(root)]) == 1
    return root


def test_index_links_resolve_and_failure_is_shown(browser, failed_study: Path) -> None:
    view = OfflinePage(browser)
    index = failed_study / "outputs" / "index.html"
    view.open(index)
    page = view.page
    assert page.title() == "Mini study"
    failed = page.locator('td[data-state="failed"]')
    assert failed.count() == 1
    assert (
        "failed" in failed.inner_text()
        and "RuntimeError: deliberate failure in ganja" in failed.inner_text()
    )
    assert page.locator("#banner-failed").is_visible()
    assert page.locator('td[data-state="ok"]').count() == 2
    hrefs = page.eval_on_selector_all("a.report-link", "els => els.map(e => e.href)")
    # two good jobs x (2 reports + PDF); the failed job: failing cell + last good report + its
    # PDF; the parameter page; the Excel annex of the good regional report (the national
    # notebook shows no table)
    assert len(hrefs) == 2 * 3 + 3 + 1 + 1
    assert sum(h.endswith(".xlsx") for h in hrefs) == 1
    assert sum(h.endswith(".pdf") for h in hrefs) == 3
    for href in hrefs:
        target = Path(unquote(urlparse(href).path))
        assert target.is_file(), href
        if target.suffix in (".xlsx", ".pdf"):  # downloads, not pages
            continue
        view.page.goto(href, wait_until="load")
        if target.name == "parameters.html":
            assert "parameter" in view.page.title().lower()
            continue
        assert view.page.locator("header.iwm-header h1").count() == 1
        if "failed" in href:
            assert urlparse(href).fragment == "papermill-error-cell"
            assert view.page.locator("#papermill-error-cell").count() == 1
    assert view.blocked == [] and view.failed == [] and view.errors == []
    view.context.close()


def test_reports_render_offline_with_images(browser, failed_study: Path, tmp_path: Path) -> None:
    view = OfflinePage(browser)
    report = failed_study / "outputs" / "sumgayit" / "n_region.html"
    view.open(report)
    page = view.page
    assert "Sumgayit pilot" in page.locator("h1").first.inner_text()
    assert page.locator(".iwm-banner.synthetic").is_visible()
    assert page.locator(".iwm-figure").inner_text().startswith("Letters in the region name")
    # the chart is embedded and decoded by the browser, not fetched
    img = page.locator("img").first
    assert img.get_attribute("src").startswith("data:image/png;base64,")
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    # one line per input file of the mini study (the tiny valid study's tables)
    assert page.locator("footer.iwm-footer").inner_text().count("sha256") == len(GOOD)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert view.blocked == [] and view.failed == [] and view.errors == []
    view.context.close()
