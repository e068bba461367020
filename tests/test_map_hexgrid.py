"""The hexagon view of an area of few districts (maps.hexgrid, maps.views), the maps' print
twin and their texts in Azerbaijani. Expected values are worked out by hand.

The grid of the hand-made set: hexagons 1,000 m across flats, pointy-top, cell (q, r) centred at
x = 1000 (q + r/2), y = 866.03 r (m, UTM 39N). Six sites placed around the cell (Q0, R0), the
distance of each to the centres near it worked out below.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study import maps
from iwm_study.data import geography, load_study
from iwm_study.maps import hexgrid, views

W = 1000.0
ROW = W * math.sqrt(3) / 2  # 866.03 m between rows of centres
Q0, R0 = -2186, 5173  # a cell near Baku: centre x = 1000 (-2186 + 2586.5) = 400,500 m
X0, Y0 = W * (Q0 + R0 / 2), ROW * R0

# (id, dx, dy from the centre of (Q0, R0) in m, t/yr, hazardous t/yr, expected (dq, dr))
SITES = [
    ("A", 0.0, 0.0, 10.0, 0.0, (0, 0)),  # the centre itself
    ("B", 400.0, 100.0, 5.0, 5.0, (0, 0)),  # 412 m from (0, 0)'s centre, 608 m from (1, 0)'s
    ("C", 1000.0, 0.0, 7.0, 0.0, (1, 0)),  # (1, 0)'s centre
    ("D", 500.0, ROW, 100.0, 20.0, (0, 1)),  # (0, 1)'s centre (500, 866)
    ("E", -500.0, -800.0, 2.0, 0.0, (0, -1)),  # 66 m from (0, -1)'s centre (-500, -866)
    ("F", 1400.0, 900.0, 3.0, 1.0, (1, 1)),  # 106 m from (1, 1)'s centre (1500, 866)
]


def _lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    back = Transformer.from_crs(geography.PROJECTED_CRS, geography.GEOGRAPHIC_CRS, always_xy=True)
    return back.transform(x, y)


def _totals() -> pd.DataFrame:
    """The six sites as ``maps.enterprise_totals`` gives enterprises."""
    lon, lat = _lonlat(np.array([X0 + s[1] for s in SITES]), np.array([Y0 + s[2] for s in SITES]))
    return pd.DataFrame(
        {
            "name": [f"Site {s[0]}" for s in SITES],
            "longitude": lon,
            "latitude": lat,
            "waste_t": [s[3] for s in SITES],
            "hazardous_t": [s[4] for s in SITES],
        },
        index=pd.Index([s[0] for s in SITES], name="enterprise_id"),
    )


def _towns():
    """Alpha 100 m east of (0, 0)'s centre, Beta at (1, 1)'s centre."""
    import geopandas as gpd

    lon, lat = _lonlat(np.array([X0 + 100, X0 + 1500]), np.array([Y0, Y0 + ROW]))
    return gpd.GeoDataFrame(
        {"name": ["Alpha", "Beta"], "population": [5000, 9000]},
        geometry=gpd.points_from_xy(lon, lat),
        crs=geography.GEOGRAPHIC_CRS,
    )


# ---- the grid -------------------------------------------------------------------------------


def test_each_point_goes_to_the_cell_of_the_nearest_centre() -> None:
    dx = np.array([s[1] for s in SITES])
    dy = np.array([s[2] for s in SITES])
    q, r = hexgrid.hex_index(dx, dy, W)  # around the origin of the grid
    assert list(zip(q.tolist(), r.tolist(), strict=True)) == [s[5] for s in SITES]
    q, r = hexgrid.hex_index(X0 + dx, Y0 + dy, W)  # the same sites near Baku
    assert list(zip(q.tolist(), r.tolist(), strict=True)) == [
        (Q0 + s[5][0], R0 + s[5][1]) for s in SITES
    ]


def test_hexagons_are_regular_and_hold_their_points() -> None:
    from shapely import Point

    cell = hexgrid.hex_polygon(0, 1, W)
    # pointy-top: a vertex straight above the centre (500, 866.03), R = 1000/sqrt(3) = 577.35 m
    xs, ys = cell.exterior.coords.xy
    assert max(ys) == pytest.approx(ROW + W / math.sqrt(3))
    assert max(xs) - min(xs) == pytest.approx(W)  # 1,000 m across flats
    assert cell.area == pytest.approx(866_025.4, abs=0.1)  # sqrt(3)/2 x 1000^2
    assert hexgrid.hex_area_km2(W) == pytest.approx(0.8660254)
    # neighbours share an edge (two vertices) and do not overlap
    right = hexgrid.hex_polygon(1, 1, W)
    shared = [
        (a, b)
        for a in cell.exterior.coords[:-1]
        for b in right.exterior.coords[:-1]
        if math.dist(a, b) < 1e-6
    ]
    assert len(shared) == 2
    assert math.dist(shared[0][0], shared[1][0]) == pytest.approx(W / math.sqrt(3))
    assert not cell.buffer(-1e-6).intersects(right.buffer(-1e-6))
    # every point of a grid of points lies in the hexagon of its cell
    px, py = np.meshgrid(np.linspace(-1800, 2300, 23), np.linspace(-1700, 2100, 19))
    q, r = hexgrid.hex_index(px.ravel(), py.ravel(), W)
    for x, y, a, b in zip(px.ravel(), py.ravel(), q, r, strict=True):
        assert hexgrid.hex_polygon(int(a), int(b), W).buffer(1e-6).contains(Point(x, y))


@pytest.mark.parametrize(
    ("spread_m", "width_m"),
    [(69_867, 5_000), (25_000, 2_000), (10_000, 1_000), (3_000, 500), (0, 500)],
)
def test_the_cells_are_sized_from_the_spread_of_the_sites(spread_m: float, width_m: float) -> None:
    # a tenth of the larger side, rounded down to 1, 2 or 5 x 10^k m, at least 500 m
    assert hexgrid.hex_width([0, spread_m], [0, spread_m / 2]) == width_m
    assert hexgrid.hex_width([0, spread_m / 3], [0, spread_m]) == width_m
    assert hexgrid.hex_width([], []) == 500


def test_waste_is_summed_per_cell() -> None:
    cells = hexgrid.hex_waste(_totals(), width_m=W, towns=_towns())
    assert cells.crs == geography.PROJECTED_CRS
    got = cells[["q", "r", "number", "n_enterprises", "waste_t", "hazardous_t", "class", "near"]]
    # (0, 1): D 100 t; (0, 0): A 10 + B 5 = 15 t; (1, 0): C 7; (1, 1): F 3; (0, -1): E 2.
    # Quantiles of [2, 3, 7, 15, 100] in five classes: each value closes its own class.
    # Nearest town: Beta for (1, 1) (its centre); Alpha for the rest ((0, 1): 954 m vs 1,000 m,
    # (1, 0): 900 m vs 1,000 m).
    assert got.values.tolist() == [
        [Q0, R0 + 1, 1, 1, 100.0, 20.0, 4, "Alpha"],
        [Q0, R0, 2, 2, 15.0, 5.0, 3, "Alpha"],
        [Q0 + 1, R0, 3, 1, 7.0, 0.0, 2, "Alpha"],
        [Q0 + 1, R0 + 1, 4, 1, 3.0, 1.0, 1, "Beta"],
        [Q0, R0 - 1, 5, 1, 2.0, 0.0, 0, "Alpha"],
    ]
    assert cells.attrs["breaks"] == [2.0, 3.0, 7.0, 15.0, 100.0]
    assert cells.attrs["width_m"] == W
    assert cells["top"].iloc[1] == [("Site A", 10.0), ("Site B", 5.0)]
    # each polygon is its cell's hexagon, and holds the cell's sites
    first = cells.geometry.iloc[0]
    assert first.centroid.x == pytest.approx(X0 + 500) and first.centroid.y == pytest.approx(
        Y0 + ROW
    )


def test_cells_of_equal_waste_are_numbered_by_q_then_r() -> None:
    totals = _totals().assign(waste_t=5.0)  # (0, 0) 10 t, the four others 5 t each
    cells = hexgrid.hex_waste(totals, width_m=W)
    offsets = [(q - Q0, r - R0) for q, r in zip(cells["q"], cells["r"], strict=True)]
    assert offsets == [(0, 0), (0, -1), (0, 1), (1, 0), (1, 1)]
    assert cells["near"].tolist() == [""] * 5  # no towns given


def test_the_cell_table() -> None:
    import geopandas as gpd

    cells = hexgrid.hex_waste(_totals(), width_m=W, towns=_towns())
    view = views.MapView("hexagons", gpd.GeoDataFrame(), cells, "Test")
    table = maps.cell_table(view)
    assert list(table.columns) == list(maps.CELL_HEADERS)
    assert table["hexagon"].tolist() == [f"Hexagon {n}" for n in range(1, 6)]
    assert table["largest"].tolist() == ["Site D", "Site A", "Site C", "Site F", "Site E"]
    assert table["enterprises"].tolist() == [1, 2, 1, 1, 1]
    assert table["share_pct"].tolist() == pytest.approx([100 * t / 127 for t in (100, 15, 7, 3, 2)])
    # one value per class: the class is that value
    assert table["map_class"].tolist() == [
        "5: 100 t/yr",
        "4: 15.0 t/yr",
        "3: 7.0 t/yr",
        "2: 3.0 t/yr",
        "1: 2.0 t/yr",
    ]


# ---- which view an area gets ----------------------------------------------------------------


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


def test_an_area_with_waste_in_fewer_than_three_districts_gets_hexagons(study) -> None:
    # Ganja-Dashkasan: 6 districts, waste in one (Ganja City, E3 alone)
    view = maps.region_view(study, "Ganja-Dashkasan")
    assert view.kind == "hexagons" and view.districts_with_waste == ["Ganja City"]
    assert view.width_m == 500  # one site: no spread, the smallest cell
    assert view.cells["waste_t"].tolist() == pytest.approx([309])
    assert maps.region_view(study, "Ganja-Dashkasan", maps.MapSettings(hex_below=1)).kind == (
        "districts"
    )
    # the country: waste in Baku City, Sumgayit City and Ganja City, three districts
    assert maps.region_view(study, None).kind == "districts"
    wide = maps.region_view(study, None, maps.MapSettings(hex_below=4))
    assert wide.kind == "hexagons" and len(wide.cells) == 3
    # the three sites spread 297 km east-west (Ganja 46.36 E to Baku 49.87 E): 20 km cells
    assert wide.width_m == 20_000
    assert maps.region_view(
        study, None, maps.MapSettings(hex_below=4, hex_width_m=7_000)
    ).width_m == (7_000)


def test_an_area_without_sites_keeps_its_districts(study) -> None:
    view = maps.region_view(study, "Nakhchivan")
    assert view.kind == "districts" and view.cells is None


def test_settings_of_the_hexagons_are_checked() -> None:
    with pytest.raises(ValueError, match="hex_below"):
        maps.MapSettings(hex_below=-1)
    with pytest.raises(ValueError, match="hex_width_m"):
        maps.MapSettings(hex_width_m=0)


def test_the_report_says_which_view_the_map_gives(study) -> None:
    text = maps.view_text(maps.region_view(study, "Ganja-Dashkasan", title="Ganja test"))
    assert text.startswith(
        "The waste of Ganja test arises in 1 of its 6 districts (Ganja City): a map of districts "
        "would show a single shade. **Hexagons.** The map sums the waste instead on a grid of "
        "hexagons 500 m across (0.2 km² each)"
    )
    assert "Only the hexagon that holds an enterprise is drawn." in text
    assert "1 of 1" not in text
    assert maps.view_text(maps.region_view(study, None)).startswith("**Districts** are shaded")
    table, headers, caption = maps.view_table(study, "Ganja-Dashkasan")
    assert headers is maps.CELL_HEADERS and caption == "Waste generated per hexagon (t/yr)"
    assert table[["hexagon", "enterprises", "waste_t", "share_pct"]].values.tolist() == [
        ["Hexagon 1", 1, pytest.approx(309), pytest.approx(100)]
    ]
    assert maps.view_table(study, None)[2] == "Waste generated per district (t/yr)"
    assert views.width_text(5000) == "5 km" and views.width_text(2500) == "2.5 km"


def test_a_single_district_is_named_so() -> None:
    """Baku: one polygon, every demo site in it."""
    view = maps.region_view(load_study(None), "Baku", title="Baku economic region")
    assert view.kind == "hexagons"
    assert maps.view_text(view).startswith(
        "Baku economic region is a single district (Baku City): a map of districts would show "
        "one shade for the whole region."
    )


# ---- the hexagons on the interactive and the static map -------------------------------------


def _overlays(page: str) -> dict[str, str]:
    import json

    block = page[page.index("overlays :") : page.index("L.control.layers(")]
    return {
        json.loads(name): variable
        for name, variable in re.findall(r'("(?:[^"\\]|\\.)*") : (\w+),', block)
    }


def test_the_interactive_map_shades_hexagons_and_opens_without_the_circles(study) -> None:
    page = maps.interactive_map(study, "Ganja-Dashkasan", title="Ganja test").to_html()
    layers = _overlays(page)
    assert "Waste per hexagon (t/yr)" in layers and "Waste per district (t/yr)" not in layers
    assert '"iwmKind": "cell"' in page and '"iwmKind": "district"' not in page
    # the enterprises' layer is listed but not on the map at start; the hexagons are
    assert f"{layers['Enterprises (t/yr)']}.addTo(" not in page
    assert f"{layers['Waste per hexagon (t/yr)']}.addTo(" in page
    # the hexagon's tooltip and pop-up: its tonnes and enterprises, its largest enterprise
    # (the GeoJSON is written by folium: ", " between items, non-ASCII escaped)
    tip = ["Hexagon 1, near Ganja", "Waste generated: 309 t/yr", "Hazardous: 309 t/yr"]
    assert f'"tip": {json.dumps([*tip, "Enterprises surveyed: 1"])}' in page
    assert f'"rows": [[{json.dumps("Gəncə Alüminium Ğöçüə")}, "309 t/yr"]]' in page
    assert '"title":"Waste generated per hexagon (t/yr)"' in page
    assert "Hexagons 500 m across (0.2 km²). One class: too few hexagons" in page
    assert "The layer is off at start: switch it on in the layer list." in page


def test_the_static_map_draws_the_hexagons(study) -> None:
    fig = maps.static_map(study, "Ganja-Dashkasan", title="Ganja test")
    titles = [leg.get_title().get_text() for leg in fig.legends]
    assert titles == ["Waste per hexagon 500 m across, t/yr\n(one class)", "Facilities"]
    # the frame is the cell with a margin: 577 m tall hexagon + 2 x 10 % of 577 m, stretched to
    # the frame's shape, far below Ganja-Dashkasan's 100 km
    ax = fig.axes[0]
    assert (ax.get_xlim()[1] - ax.get_xlim()[0]) < 5_000


# ---- the print twin -------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_map_has_a_print_twin_beside_it(study) -> None:
    waste_map = maps.interactive_map(study, "Ganja-Dashkasan", title="Ganja test")
    shown = waste_map._repr_html_()
    screen = shown.index('<div class="iwm-screen-only"><iframe class="iwm-map-frame"')
    printed = shown.index('<div class="iwm-print-only"><img class="iwm-map-print"')
    assert screen < printed
    assert "@media print{.iwm-print-only{display:block}.iwm-screen-only{display:none}}" in shown
    data = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', shown).group(1))
    assert _png_size(data) == (1200, 900)  # 10 x 7.5 in at 120 dpi
    assert len(data) < 400_000
    assert data == waste_map.print_image()  # the same bytes every time
    assert 'alt="Waste map: Ganja test (the interactive map as a printed image)"' in shown


def test_the_print_twin_draws_the_layers_added_to_the_map(study) -> None:
    import folium

    waste_map = maps.interactive_map(study, "Ganja-Dashkasan", title="Ganja test")
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[46.36, 40.68], [46.40, 40.70]]},
        "properties": {"style": {"color": "#009E73", "weight": 4}},
    }
    dashed = copy.deepcopy(line)
    dashed["properties"]["style"] = {"color": "#E69F00", "weight": 2, "dashArray": "6 4"}
    data = {"type": "FeatureCollection", "features": [line, dashed]}
    waste_map.add_layer(folium.GeoJson(data), "Options (t/yr)")
    waste_map.add_layer(folium.GeoJson(data, show=False), "Hidden at start")
    fig = waste_map.static_figure()
    assert [leg.get_title().get_text() for leg in fig.legends][-1] == "Other layers"
    assert [t.get_text() for t in fig.legends[-1].get_texts()] == ["Options (t/yr)"]
    # one line per feature, in its colour
    colours = {
        tuple(np.round(c.get_colors()[0][:3], 3))
        for c in fig.axes[0].collections
        if type(c).__name__ == "LineCollection" and len(c.get_segments()) == 1
    }
    assert {(0.0, 0.620, 0.451), (0.902, 0.624, 0.0)} <= colours
    bare = maps.WasteMap(folium.Map(tiles=None), "bare")
    assert bare.static_figure() is None and bare._repr_html_().startswith("<iframe")


# ---- in Azerbaijani -------------------------------------------------------------------------


def test_the_maps_speak_azerbaijani(study) -> None:
    from iwm_study import i18n

    with i18n.using("az"):
        assert maps.classes._t(86765.6) == "86.766" and maps.classes._t(21.66) == "21,7"
        unit = i18n._("t/yr")
        assert unit == "t/il"
        page = maps.interactive_map(study, None, title="Test").to_html()
        for english in ("Legend", "Main waste streams", "Towns", "Hexagon {number}"):
            assert i18n._(english) != english
        assert i18n._("Waste per district ({unit})").format(unit=unit) in _overlays(page)
        assert f'"title":"{i18n._("Legend")}"' in page
        assert '"unit":"t/il"' in page
        assert '"Waste generated: 1' not in page  # E1's 1,200 t are written 1.200 t/il
        assert "1.200 t/il" in page
        text = maps.view_text(maps.region_view(study, "Ganja-Dashkasan", title="Gəncə"))
        assert "Gəncə" in text and "**" in text and "district" not in text
        fig = maps.static_map(study, "Ganja-Dashkasan", title="Gəncə")
        assert "Ş" in [t.get_text() for t in fig.axes[0].texts]  # the north arrow: şimal
