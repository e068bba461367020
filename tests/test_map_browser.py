"""The waste map in each demo region's reviewer report, in headless Chromium with the network cut.

One ``iwm run --notebook 03_waste_map`` on a copy of the demo project renders the three regions.
In that copy one Ganja-Dashkasan enterprise, one of its stream descriptions and one facility
carry hostile names (markup and a script break-out): the regular checks run on every region,
and the hostile case checks that those names show as text and run nothing.

Expected counts come from the CSV files themselves (enterprises per region, districts per region
in the reference table), not from the toolkit. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, copy_demo_project, run_demo_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
REGIONS = {
    "baku": "Baku",
    "absheron-khizi": "Absheron-Khizi",
    "ganja-dashkasan": "Ganja-Dashkasan",
}
HOSTILE_NAME = "<img src=x onerror=alert(1)></script><script>alert(2)</script> MMC"
HOSTILE_STREAM = "</script><script>alert(3)</script><b>slag</b>"
HOSTILE_FACILITY = '<svg onload=alert(4)>"Recycler" & Co'

# JavaScript run inside the map's frame: the Leaflet map of the page, found without the
# toolkit's help, and what is on it.
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
COUNT = f"""() => {{
    const map = {FIND_MAP};
    let districts = 0, enterprises = 0;
    map.eachLayer(l => {{
        if (l instanceof L.Polygon && l.options.iwmKind === "district") districts++;
        if (l instanceof L.CircleMarker && l.options.iwmKind === "enterprise") enterprises++;
    }});
    return {{districts, enterprises}};
}}"""
CENTRE_ON = f"""([lat, lon, zoom]) => {{
    const map = {FIND_MAP};
    map.setView([lat, lon], zoom, {{animate: false}});
    const p = map.latLngToContainerPoint([lat, lon]);
    return {{x: p.x, y: p.y}};
}}"""


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _tonnes(stream: dict[str, str]) -> float:
    """A stream's tonnes per year, converted here by hand (t, kg, m3 x density)."""
    q = float(stream["quantity"])
    unit = stream["unit"]
    return q if unit == "t" else q / 1000 if unit == "kg" else q * float(stream["density_t_m3"])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the demo project with hostile names, rendered once for the three regions."""
    root = copy_demo_project(tmp_path_factory.mktemp("maps") / "demo")
    data = root / "data" / "demo"
    enterprises = _rows(data / "enterprises.csv")
    target = min(
        (r for r in enterprises if r["economic_region"] == "Ganja-Dashkasan"),
        key=lambda r: r["enterprise_id"],
    )
    target["name"] = HOSTILE_NAME
    _write_rows(data / "enterprises.csv", enterprises)
    streams = _rows(data / "waste_streams.csv")
    next(s for s in streams if s["enterprise_id"] == target["enterprise_id"])["description"] = (
        HOSTILE_STREAM
    )
    _write_rows(data / "waste_streams.csv", streams)
    facilities = _rows(data / "facilities.csv")
    facilities[0]["name"] = HOSTILE_FACILITY
    _write_rows(data / "facilities.csv", facilities)
    assert run_demo_notebook(root, "03_waste_map") == 0
    return root


class OfflineReport:
    """A report opened with every non-file request aborted, recording errors and dialogs."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("requestfailed", lambda req: self.failed.append(req.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri(), wait_until="load")
        self.iframe = self.page.locator("iframe.iwm-map-frame")
        assert self.iframe.count() == 1
        self.iframe.scroll_into_view_if_needed()
        self.frame = self.iframe.element_handle().content_frame()
        self.frame.wait_for_function(f"() => window.L && {FIND_MAP}")

    def open_popup(self, lat: float, lon: float, zoom: int = 16) -> str:
        """Hide the layers drawn above the enterprises (as a reader would, in the layer
        control), centre the map on a point, click it and return the popup's text."""
        for layer in ("Facilities receiving waste", "Towns"):
            box = self.frame.get_by_label(layer)
            if box.is_checked():
                box.uncheck()
        point = self.frame.evaluate(CENTRE_ON, [lat, lon, zoom])
        self.frame.locator(".leaflet-container").click(position=point)
        popup = self.frame.locator(".leaflet-popup-content")
        popup.wait_for(state="visible")
        self.page.wait_for_timeout(400)  # Leaflet fades popups in: let the screenshot see it
        return popup.inner_text()

    def assert_clean(self) -> None:
        assert self.blocked == [] and self.failed == [] and self.errors == []
        assert self.dialogs == []

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("slug", sorted(REGIONS))
def test_region_map_offline(browser, project: Path, slug: str) -> None:
    region = REGIONS[slug]
    data = project / "data" / "demo"
    sites = [r for r in _rows(data / "enterprises.csv") if r["economic_region"] == region]
    districts = [
        r
        for r in _rows(
            PROJECT_ROOT / "iwm_study" / "data" / "reference" / "az_economic_regions.csv"
        )
        if r["economic_region"] == region
    ]
    view = OfflineReport(browser, project / "outputs" / slug / "03_waste_map.html")
    assert view.frame.evaluate(COUNT) == {"districts": len(districts), "enterprises": len(sites)}
    # the legend, the scale bar, the attributions and the synthetic-data note are drawn
    frame = view.frame
    assert "Waste generated per district (t/yr)" in frame.locator(".iwm-legend").inner_text()
    assert frame.locator(".leaflet-control-scale-line").inner_text().endswith(("m", "km"))
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "GeoNames, CC BY 4.0" in attribution
    assert "Synthetic" in frame.locator(".iwm-note").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.iframe.screenshot(path=str(ARTIFACTS / f"map_{slug}.png"))

    # the popup of the region's largest producer (by the CSV's own figures) names it
    streams = _rows(data / "waste_streams.csv")
    waste: dict[str, float] = {}
    for s in streams:
        waste[s["enterprise_id"]] = waste.get(s["enterprise_id"], 0.0) + _tonnes(s)
    regular = [r for r in sites if r["name"] != HOSTILE_NAME]
    largest = max(regular, key=lambda r: (waste.get(r["enterprise_id"], 0.0), r["enterprise_id"]))
    text = view.open_popup(float(largest["latitude"]), float(largest["longitude"]))
    assert largest["name"] in text and largest["enterprise_id"] in text
    assert "Main waste streams" in text
    view.iframe.screenshot(path=str(ARTIFACTS / f"map_{slug}_popup.png"))
    view.assert_clean()
    view.close()


def test_hostile_names_show_as_text(browser, project: Path) -> None:
    data = project / "data" / "demo"
    target = next(r for r in _rows(data / "enterprises.csv") if r["name"] == HOSTILE_NAME)
    view = OfflineReport(browser, project / "outputs" / "ganja-dashkasan" / "03_waste_map.html")
    text = view.open_popup(float(target["latitude"]), float(target["longitude"]))
    assert HOSTILE_NAME in text
    assert HOSTILE_STREAM in text
    popup = view.frame.locator(".leaflet-popup-content")
    assert popup.locator("img, script, svg, b").count() == 0
    # the hover tooltip holds the same text, as text
    assert HOSTILE_NAME in view.frame.locator(".leaflet-tooltip:not(.iwm-town)").inner_text()
    view.iframe.screenshot(path=str(ARTIFACTS / "map_hostile_popup.png"))

    # the facility with the hostile name (the first row of facilities.csv)
    facility = _rows(data / "facilities.csv")[0]
    view.frame.locator(".leaflet-popup-close-button").click()
    popup.wait_for(state="detached")  # the closed popup fades out before it is removed
    view.frame.get_by_label("Facilities receiving waste").check()
    view.frame.evaluate(CENTRE_ON, [float(facility["latitude"]), float(facility["longitude"]), 17])
    view.frame.locator(".iwm-facility").nth(0).click()
    popup.wait_for(state="visible")
    assert HOSTILE_FACILITY in popup.inner_text()
    assert popup.locator("svg").count() == 0

    # nothing the names carry became an element, anywhere in the report or the map
    view.page.wait_for_timeout(300)  # time for an injected onerror/onload to fire, if any
    for where in (view.page, view.frame):
        assert where.locator("img[src='x'], svg[onload], b[onmouseover]").count() == 0
    view.assert_clean()
    view.close()
