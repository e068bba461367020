"""The waste map in each demo region's reviewer report, in headless Chromium with the network cut.

One ``iwm run --notebook 03_waste_map`` on a copy of the demo project renders the three regions,
and ``--region baku --notebook 04_circular_options`` the map of the circular options. In that
copy one Ganja-Dashkasan enterprise, one of its stream descriptions and one facility carry
hostile names (markup and a script break-out): the regular checks run on every region, and the
hostile case checks that those names show as text and run nothing.

The legend is measured against the map at 1280 x 800 and 1024 x 768 (a laptop), open and
closed: never over a fifth of the map, inside it, clear of the other controls and of the sites,
its title always showing; in print media the report shows the static map instead.

Expected counts come from the CSV files themselves (enterprises per region, districts per region
in the reference table, the hexagons worked out here by the nearest centre), not from the
toolkit. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import csv
import math
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
    let districts = 0, cells = 0, enterprises = 0;
    map.eachLayer(l => {{
        if (l instanceof L.Polygon && l.options.iwmKind === "district") districts++;
        if (l instanceof L.Polygon && l.options.iwmKind === "cell") cells++;
        if (l instanceof L.CircleMarker && l.options.iwmKind === "enterprise") enterprises++;
    }});
    return {{districts, cells, enterprises}};
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
    from iwm_study.cli import main

    assert (
        main(
            [
                "run",
                "--project",
                str(root),
                "--region",
                "baku",
                "--notebook",
                "04_circular_options",
            ]
        )
        == 0
    )
    return root


class OfflineReport:
    """A report opened with every non-file request aborted, recording errors and dialogs."""

    def __init__(self, browser, path: Path, viewport: tuple[int, int] = (1280, 1000)) -> None:
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
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
        # over hexagons the enterprises' layer is off at start: a reader switches it on
        self.frame.get_by_label("Enterprises (t/yr)").check()
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


def _hexagons(
    sites: list[dict[str, str]], waste: dict[str, float]
) -> dict[tuple[int, int], tuple[int, float, tuple[float, float]]]:
    """The hexagons that hold the sites, each with its enterprises, tonnes and centre
    (longitude, latitude): cells 1, 2 or 5 x 10^k m across, the largest not above a tenth of the
    sites' spread (500 m at least), centred at x = w (q + r/2), y = w r sqrt(3)/2 in UTM 39N; a
    site is in the cell of the nearest centre, found here by trying the cells around it."""
    from pyproj import Transformer

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32639", always_xy=True)
    xy = [to_utm.transform(float(s["longitude"]), float(s["latitude"])) for s in sites]
    spread = max(
        max(p[0] for p in xy) - min(p[0] for p in xy), max(p[1] for p in xy) - min(p[1] for p in xy)
    )
    target = spread / 10
    steps = [m * 10**e for e in range(2, 7) for m in (1, 2, 5)]
    w = max([500.0] + [s for s in steps if s <= target])
    h = w * math.sqrt(3) / 2
    cells: dict[tuple[int, int], tuple[int, float, tuple[float, float]]] = {}
    for site, (x, y) in zip(sites, xy, strict=True):
        r0 = round(y / h)
        candidates = [
            (q, r)
            for r in range(r0 - 2, r0 + 3)
            for q in range(round(x / w - r / 2) - 2, round(x / w - r / 2) + 3)
        ]
        cell = min(candidates, key=lambda c: math.hypot(x - w * (c[0] + c[1] / 2), y - h * c[1]))
        n, tonnes, _centre = cells.get(cell, (0, 0.0, (0.0, 0.0)))
        centre = to_utm.transform(w * (cell[0] + cell[1] / 2), h * cell[1], direction="INVERSE")
        cells[cell] = (n + 1, tonnes + waste.get(site["enterprise_id"], 0.0), centre)
    return cells


def _waste(project: Path) -> dict[str, float]:
    """Each enterprise's tonnes per year, from the CSV."""
    waste: dict[str, float] = {}
    for s in _rows(project / "data" / "demo" / "waste_streams.csv"):
        waste[s["enterprise_id"]] = waste.get(s["enterprise_id"], 0.0) + _tonnes(s)
    return waste


def _districts_with_waste(project: Path, region: str) -> int:
    data = project / "data" / "demo"
    district = {
        r["enterprise_id"]: r["district"]
        for r in _rows(data / "enterprises.csv")
        if r["economic_region"] == region
    }
    return len(
        {
            district[s["enterprise_id"]]
            for s in _rows(data / "waste_streams.csv")
            if s["enterprise_id"] in district and _tonnes(s) > 0
        }
    )


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
    # fewer than three districts with waste: the map shows hexagons (Baku: one district;
    # Absheron-Khizi: two of three), with the enterprises' layer off at start
    hexagons = _districts_with_waste(project, region) < 3
    assert hexagons == (slug != "ganja-dashkasan")
    view = OfflineReport(browser, project / "outputs" / slug / "03_waste_map.html")
    expected = {
        "districts": 0 if hexagons else len(districts),
        "cells": len(_hexagons(sites, _waste(project))) if hexagons else 0,
        "enterprises": 0 if hexagons else len(sites),
    }
    assert view.frame.evaluate(COUNT) == expected
    # the legend, the scale bar, the attributions and the synthetic-data note are drawn
    frame = view.frame
    shading = "hexagon" if hexagons else "district"
    assert f"Waste generated per {shading} (t/yr)" in frame.locator(".iwm-legend").inner_text()
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


# ---- the legend against the map, on a laptop's screen ---------------------------------------

#: The boxes (in the map frame's pixels) of the map, the legend and its parts, the other
#: controls, and the enterprises of the region.
BOXES = """() => {
    const box = e => { const r = e.getBoundingClientRect();
        return {x: r.left, y: r.top, right: r.right, bottom: r.bottom, w: r.width, h: r.height}; };
    const legend = document.querySelector(".iwm-legend");
    const body = legend.querySelector(".iwm-legend-body");
    const others = [...document.querySelectorAll(".leaflet-control")]
        .filter(c => c !== legend && c.getBoundingClientRect().width > 0).map(box);
    const layers = document.querySelector(".leaflet-control-layers");
    return {
        map: box(document.querySelector(".leaflet-container")),
        legend: box(legend),
        summary: box(legend.querySelector("summary")),
        open: legend.open,
        body: {scrollW: body.scrollWidth, clientW: body.clientWidth,
               scrollH: body.scrollHeight, clientH: body.clientHeight},
        others: others,
        layers: box(layers),
    };
}"""
#: Where the region's enterprises are on the map as it opens (container pixels).
SITE_POINTS = f"""(points) => {{
    const map = {FIND_MAP};
    return points.map(p => {{ const c = map.latLngToContainerPoint(p); return [c.x, c.y]; }});
}}"""
#: Scroll the legend's body to its end and return whether its last row then shows whole.
LAST_ROW_SHOWS = """() => {
    const body = document.querySelector(".iwm-legend-body");
    body.scrollTop = body.scrollHeight;
    const rows = body.querySelectorAll(".iwm-legend-row");
    const last = rows[rows.length - 1].getBoundingClientRect();
    const inner = body.getBoundingClientRect();
    const shows = last.top >= inner.top - 0.5 && last.bottom <= inner.bottom + 0.5;
    body.scrollTop = 0;
    return shows;
}"""
LAPTOPS = [(1280, 800), (1024, 768)]
MAP_REPORTS = [
    ("baku", "03_waste_map"),
    ("ganja-dashkasan", "03_waste_map"),
    ("baku", "04_circular_options"),
]


def _inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def _overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["x"], b["x"]) > 0.5 and (
        min(a["bottom"], b["bottom"]) - max(a["y"], b["y"]) > 0.5
    )


def _check_legend(boxes: dict, is_open: bool) -> None:
    """The legend inside the map, its title showing, clear of every other control; open, at
    most a fifth of the map's area, nothing of it cut at the side."""
    m, legend = boxes["map"], boxes["legend"]
    assert boxes["open"] is is_open
    assert _inside(legend, m)
    assert _inside(boxes["summary"], legend) and boxes["summary"]["h"] > 10
    for other in boxes["others"]:
        assert not _overlap(legend, other), other
    share = legend["w"] * legend["h"] / (m["w"] * m["h"])
    if is_open:
        assert share <= 0.2
        assert boxes["body"]["scrollW"] <= boxes["body"]["clientW"]
    else:
        assert legend["h"] == pytest.approx(boxes["summary"]["h"], abs=10)  # the title alone
        assert share < 0.01


@pytest.mark.parametrize("viewport", LAPTOPS, ids=[f"{w}x{h}" for w, h in LAPTOPS])
@pytest.mark.parametrize(("slug", "notebook"), MAP_REPORTS)
def test_the_legend_fits_the_map_open_and_closed(
    browser, project: Path, slug: str, notebook: str, viewport: tuple[int, int]
) -> None:
    view = OfflineReport(browser, project / "outputs" / slug / f"{notebook}.html", viewport)
    frame = view.frame
    # the whole map fits the screen's height
    assert view.iframe.bounding_box()["height"] <= viewport[1]
    name = f"map_legend_{slug}_{notebook[:2]}_{viewport[0]}x{viewport[1]}"

    # on a laptop the legend opens at start, within a fifth of the map; what does not fit
    # scrolls inside it, and its last row can be scrolled to
    boxes = frame.evaluate(BOXES)
    _check_legend(boxes, is_open=True)
    assert frame.evaluate(LAST_ROW_SHOWS)
    # the region's enterprises open clear of the legend and the layer list (the issue: the
    # legend hid the district of the top-ranked enterprise)
    sites = [
        [float(r["latitude"]), float(r["longitude"])]
        for r in _rows(project / "data" / "demo" / "enterprises.csv")
        if r["economic_region"] == REGIONS[slug]
    ]
    for x, y in frame.evaluate(SITE_POINTS, sites):
        point = {"x": x, "y": y, "right": x, "bottom": y}
        assert _inside(point, boxes["map"])
        assert not _inside(point, boxes["legend"]) and not _inside(point, boxes["layers"])
    view.iframe.screenshot(path=str(ARTIFACTS / f"{name}_open.png"))

    # closed: the title alone; open again: as before
    frame.locator(".iwm-legend summary").click()
    _check_legend(frame.evaluate(BOXES), is_open=False)
    view.iframe.screenshot(path=str(ARTIFACTS / f"{name}_closed.png"))
    frame.locator(".iwm-legend summary").click()
    _check_legend(frame.evaluate(BOXES), is_open=True)
    view.assert_clean()
    view.close()


def test_on_a_small_map_the_legend_starts_closed(browser, project: Path) -> None:
    view = OfflineReport(browser, project / "outputs" / "baku" / "03_waste_map.html", (760, 800))
    boxes = view.frame.evaluate(BOXES)
    assert boxes["map"]["w"] < 800
    _check_legend(boxes, is_open=False)
    view.frame.locator(".iwm-legend summary").click()
    _check_legend(view.frame.evaluate(BOXES), is_open=True)
    view.iframe.screenshot(path=str(ARTIFACTS / "map_legend_baku_small_open.png"))
    view.assert_clean()
    view.close()


@pytest.mark.parametrize(("slug", "notebook"), MAP_REPORTS)
def test_in_print_the_report_shows_the_static_map(
    browser, project: Path, slug: str, notebook: str
) -> None:
    view = OfflineReport(browser, project / "outputs" / slug / f"{notebook}.html", (1280, 800))
    page = view.page
    image = page.locator("img.iwm-map-print")
    assert image.count() == 1 and not image.is_visible()  # on screen: the interactive map
    page.emulate_media(media="print")
    assert image.is_visible() and not view.iframe.is_visible()
    size = image.evaluate("i => [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width]")
    assert size[:2] == [1200, 900] and size[2] > 600
    image.scroll_into_view_if_needed()
    image.screenshot(path=str(ARTIFACTS / f"map_print_{slug}_{notebook[:2]}.png"))
    view.assert_clean()
    view.close()
    report = project / "outputs" / slug / f"{notebook}.html"
    assert report.stat().st_size < 2_000_000


def test_the_hexagon_with_the_most_waste_tells_its_tonnes_and_enterprises(
    browser, project: Path
) -> None:
    """Baku, one district: the hexagon with the most waste, found from the CSV, says on a click
    how many tonnes and enterprises it holds."""
    sites = [
        r
        for r in _rows(project / "data" / "demo" / "enterprises.csv")
        if r["economic_region"] == "Baku"
    ]
    cells = _hexagons(sites, _waste(project))
    n, tonnes, (lon, lat) = max(cells.values(), key=lambda c: c[1])
    view = OfflineReport(browser, project / "outputs" / "baku" / "03_waste_map.html", (1280, 800))
    view.iframe.screenshot(path=str(ARTIFACTS / "map_baku_hexagons.png"))
    for layer in ("Facilities receiving waste", "Towns"):
        view.frame.get_by_label(layer).uncheck()
    point = view.frame.evaluate(CENTRE_ON, [lat, lon, 12])
    view.frame.locator(".leaflet-container").click(position=point)
    popup = view.frame.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    view.page.wait_for_timeout(400)
    text = popup.inner_text()
    assert text.startswith("Hexagon 1, near ")
    assert f"Waste generated: {tonnes:,.0f} t/yr" in text
    assert f"Enterprises surveyed: {n}" in text
    assert "Largest enterprises" in text
    view.iframe.screenshot(path=str(ARTIFACTS / "map_baku_hexagon_popup.png"))
    view.assert_clean()
    view.close()
