"""iwm_study.maps: classes, symbol sizes, the tables behind the layers, the offline and safe
HTML of the interactive map, and the static map. Expected values are worked out by hand."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study import maps
from iwm_study.data import load_study

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
#: The district view even where the small test study has one district with waste (the
#: hexagon view of such areas is tested in test_map_hexgrid.py).
DISTRICTS = maps.MapSettings(hex_below=0)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tables = copy.deepcopy(GOOD)
    tables["enterprises"][2]["name"] = HOSTILE  # E3, Ganja-Dashkasan
    tables["waste_streams"][2]["description"] = "</script><b>slag</b>"  # S3, of E3
    tables["facilities"][0]["name"] = "<svg onload=alert(3)>"
    return load_study(write_tables(tmp_path_factory.mktemp("hostile"), tables), today=TODAY)


# ---- classes ------------------------------------------------------------------------------


def test_quantile_breaks_are_observed_values() -> None:
    assert maps.class_breaks(range(1, 11), "quantiles", 5) == [2, 4, 6, 8, 10]
    # four values, two classes: the median closes the first class
    assert maps.class_breaks([10, 40, 20, 30], "quantiles", 2) == [20, 40]


def test_equal_interval_breaks() -> None:
    assert maps.class_breaks([0, 3, 10], "equal_interval", 5) == [2, 4, 6, 8, 10]
    assert maps.class_breaks([100, 200], "equal_interval", 2) == [150, 200]


def test_breaks_with_few_values() -> None:
    assert maps.class_breaks([5, 5, 5], "quantiles", 5) == [5]
    assert maps.class_breaks([1, np.nan, 3], "quantiles", 5) == [1, 3]
    assert maps.class_breaks([np.nan], "quantiles", 5) == []
    with pytest.raises(ValueError, match="jenks"):
        maps.class_breaks([1, 2], "jenks", 2)


def test_classify() -> None:
    got = maps.classify([1, 2, 3, 10, np.nan, 11], [2, 4, 6, 8, 10])
    assert got.tolist() == [0, 0, 1, 4, -1, 4]


def test_class_labels_show_the_range_inside_each_class() -> None:
    values = [1, 2, 3, 4, 1500]
    assert maps.class_labels(values, [2, 4, 1500]) == ["1.0 \u2013 2.0", "3.0 \u2013 4.0", "1,500"]
    # an empty equal-interval class shows its bounds
    assert maps.class_labels([0, 100], [50, 100, 150]) == ["0", "100", "100 \u2013 150"]


def test_hazard_class() -> None:
    assert maps.hazard_class([0, np.nan, 0.2, 0.5, 1.0]).tolist() == [0, 0, 1, 2, 2]


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="classification"):
        maps.MapSettings(classification="natural")
    with pytest.raises(ValueError, match="n_classes"):
        maps.MapSettings(n_classes=0)
    with pytest.raises(ValueError, match="colour_by"):
        maps.MapSettings(colour_by="size")


# ---- symbol sizes, scale bar, north -----------------------------------------------------


def test_symbol_area_is_proportional_to_tonnes() -> None:
    r = maps.symbol_radius([100, 25, 1, 0], reference_t=100)
    assert r[0] == pytest.approx(28.0)
    assert r[1] == pytest.approx(14.0)  # a quarter of the tonnes: half the radius
    assert r[2] == pytest.approx(3.0)  # 2.8 px would be too small: the minimum
    assert r[3] == pytest.approx(3.0)


def test_size_key_is_round_and_visible() -> None:
    # 80,639 t: keys 50,000 and 5,000; 500 t would be drawn at 2.2 px, below the minimum
    assert maps.size_key(80_639) == [50_000, 5_000]
    assert maps.size_key(0) == []


@pytest.mark.parametrize(
    ("width_m", "length_m"),
    [(100_000, 20_000), (123_000, 20_000), (40_000, 10_000), (9_000, 2_000)],
)
def test_scale_bar_length(width_m: float, length_m: float) -> None:
    assert maps.scale_bar_length(width_m) == length_m


def test_true_north_turns_with_the_meridian_convergence() -> None:
    # UTM 39N has its central meridian at 51 E: there north is straight up.
    assert maps.grid_north_angle(51.0, 40.5) == pytest.approx(0.0, abs=1e-6)
    # At Ganja (46.36 E, 40.68 N) the convergence is atan(tan(-4.64 deg) sin(40.68 deg)),
    # about -3.03 deg: true north leans to the right of the grid (clockwise).
    expected = math.degrees(
        math.atan(math.tan(math.radians(46.36 - 51)) * math.sin(math.radians(40.68)))
    )
    assert maps.grid_north_angle(46.36, 40.68) == pytest.approx(expected, abs=0.02)


# ---- tables behind the layers -------------------------------------------------------------


def test_enterprise_totals(study) -> None:
    totals = maps.enterprise_totals(study.enterprises, study.waste_streams)
    assert list(totals.index) == ["E1", "E2", "E3"]
    # E1: 1200 t dust; E2: 5000 kg = 5 t still bottoms (hazardous);
    # E3: 300 t salt slag + 10 m3 x 0.9 t/m3 = 9 t used oil, both hazardous
    assert totals["waste_t"].tolist() == pytest.approx([1200, 5, 309])
    assert totals["hazardous_t"].tolist() == pytest.approx([0, 5, 309])
    assert totals["hazardous_share"].tolist() == pytest.approx([0, 1, 1])
    assert totals["n_streams"].tolist() == [1, 1, 2]


def test_main_streams(study) -> None:
    top = maps.main_streams(study.waste_streams, n=1)
    assert top["stream_id"].tolist() == ["S1", "S2", "S3"]
    assert top["more"].tolist() == [0, 0, 1]  # E3's used oil is left out


def test_district_waste_and_table(study) -> None:
    from iwm_study.data import geography

    totals = maps.enterprise_totals(study.enterprises, study.waste_streams)
    area = geography.districts()
    area = area[area["economic_region"] == "Ganja-Dashkasan"]
    dist = maps.district_waste(totals, area).set_index("district")
    assert dist.loc["Ganja City", "waste_t"] == pytest.approx(309)
    assert dist.loc["Ganja City", "n_enterprises"] == 1
    assert dist.loc["Ganja City", "class"] == 0
    others = dist.drop(index="Ganja City")
    assert len(others) == 5 and others["waste_t"].isna().all() and (others["class"] == -1).all()

    table = maps.district_table(study, "Ganja-Dashkasan")
    first = table.iloc[0]
    assert (first["district"], first["enterprises"]) == ("Ganja City", 1)
    assert first["waste_t"] == pytest.approx(309) and first["share_pct"] == pytest.approx(100)
    assert first["map_class"] == "1: 309 t/yr"
    assert set(table["map_class"].iloc[1:]) == {"no enterprise surveyed"}
    assert table["district"].iloc[1:].tolist() == sorted(table["district"].iloc[1:])


# ---- the interactive map ------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(study) -> str:
    return maps.interactive_map(
        study, "Ganja-Dashkasan", title="Ganja test", settings=DISTRICTS
    ).to_html()


def test_page_is_offline(page: str) -> None:
    # nothing is linked: no script or stylesheet from anywhere, no tile layer
    assert re.search(r"<script[^>]+src=", page) is None
    assert re.search(r"<link[^>]+stylesheet", page) is None
    assert re.search(r"https?://[^\"']*(cdn|unpkg|jsdelivr|bootstrap|jquery)", page) is None
    assert "L.tileLayer(" not in page
    # Leaflet itself is inlined, its images as data URIs
    assert "Leaflet 1.9.4" in page
    assert "url(images/" not in page and "url(data:image/png;base64," in page
    assert "sourceMappingURL" not in page


def test_page_is_reproducible(study, page: str) -> None:
    again = maps.interactive_map(
        study, "Ganja-Dashkasan", title="Ganja test", settings=DISTRICTS
    ).to_html()
    assert again == page
    # folium's random 32-hex-digit element ids are gone
    assert re.search(r"[0-9a-f]{32}", page) is None
    assert 'id="map_0"' in page


def test_page_carries_layers_legend_and_attribution(page: str) -> None:
    for text in (
        "Waste per district (t/yr)",
        "District boundaries",
        "Economic regions",
        "Hazardous waste (t/yr)",
        "Enterprises (t/yr)",
        "Facilities receiving waste",
        "Made with Natural Earth",
        "GeoNames, CC BY 4.0",
        "Synthetic demonstration data",
        "One class: too few districts with enterprises to divide.",
    ):
        assert text in page, text


def test_colour_by_sector_ranks_sectors_by_tonnes(study) -> None:
    from iwm_study.charts import MISSING_COLOUR, PALETTE

    settings = maps.MapSettings(colour_by="sector")
    page = maps.interactive_map(study, None, settings=settings).to_html()
    # tonnes: NACE 23 (E1, 1,200 t), 24 (E3, 309 t), 20 (E2, 5 t); then "other"
    colours = [PALETTE[0], PALETTE[1], PALETTE[2], MISSING_COLOUR]
    assert '"colours":[' + ",".join(f'"{c}"' for c in colours) + "]" in page
    first = [page.index(f'"label":"NACE {d} ') for d in ("23", "24", "20")]
    assert first == sorted(first)
    assert '"label":"Other sectors"' in page


def test_online_tiles_are_opt_in_and_off_at_start(study) -> None:
    settings = maps.MapSettings(online_tiles=True)
    page = maps.interactive_map(study, "Baku", settings=settings).to_html()
    name = re.search(r"var (tile_layer_\d+) = L\.tileLayer\(", page).group(1)
    assert "openstreetmap" in page.lower()
    assert f"{name}.addTo(" not in page  # created, listed in the layer control, not shown


def test_text_from_the_data_cannot_become_markup(hostile) -> None:
    for settings in (DISTRICTS, maps.MapSettings()):  # districts, and hexagons (E3 alone)
        m = maps.interactive_map(
            hostile, "Ganja-Dashkasan", title="<b>title</b>", settings=settings
        )
        page = m.to_html()
        for raw in ("<img src=x", "</script><script>alert", "<b>slag", "<svg onload", "<b>title"):
            assert raw not in page, raw
        # the texts travel as JSON strings with < and > escaped
        assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
        assert "\\u003csvg onload=alert(3)\\u003e" in page
        # in the notebook the whole page sits in an attribute: no tag of it is live; beside it
        # the print twin, an image whose alt text is escaped
        shown = m._repr_html_()
        frame = shown[shown.index("<iframe") : shown.index("</iframe>") + len("</iframe>")]
        assert frame.startswith('<iframe class="iwm-map-frame"')
        assert frame.count("<") == 2
        rest = shown.replace(frame, "")
        assert "<b>" not in rest and "&lt;b&gt;title&lt;/b&gt;" in rest


def test_large_maps_show_symbols_from_the_detail_zoom(study) -> None:
    settings = maps.MapSettings(detail_limit=2, detail_zoom=11)
    page = maps.interactive_map(study, None, settings=settings).to_html()
    # three districts with waste: the district choropleth, no hexagons
    assert '"iwmKind": "district"' in page and '"iwmKind": "cell"' not in page
    assert '"minZoom":11' in page
    assert "Zoom in to level 11 to see the 3 enterprises." in page
    assert '"minZoom":0' in maps.interactive_map(study, None).to_html()


# ---- the static map -----------------------------------------------------------------------


def test_static_map(study, tmp_path: Path) -> None:
    from iwm_study.charts import png

    fig = maps.static_map(study, "Ganja-Dashkasan", title="Ganja test", settings=DISTRICTS)
    assert tuple(fig.get_size_inches()) == (10, 7.5) and fig.dpi == 100
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "N" in texts
    # the scale bar: a round length not above a quarter of the frame, the next round one above
    scale = [t.get_text() for t in ax.texts if t.get_gid() == "scale-label"]
    km = float(scale[-1].removesuffix(" km"))
    width_km = (ax.get_xlim()[1] - ax.get_xlim()[0]) / 1000
    steps = [m * 10**e for e in range(-1, 4) for m in (1, 2, 5)]
    assert km in steps and km <= width_km / 4 < steps[steps.index(km) + 1]
    assert scale[0] == "0" and scale[1] == f"{km / 2:g}"
    legends = [leg.get_title().get_text() for leg in fig.legends]
    assert legends[0] == "Waste per district, t/yr\n(one class)"  # one district with waste
    assert "Facilities" in legends
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Natural Earth" in notes and "GeoNames" in notes and "Synthetic" in notes
    # the same pixels every time
    assert png(fig) == png(
        maps.static_map(study, "Ganja-Dashkasan", title="Ganja test", settings=DISTRICTS)
    )


# ---- a layer of one's own -----------------------------------------------------------------


def _overlays(page: str) -> list[tuple[str, str]]:
    """The (name, variable) pairs of the layer control's overlays, in the order it lists them."""
    import json

    block = page[page.index("overlays :") : page.index("L.control.layers(")]
    pairs = re.findall(r'("(?:[^"\\]|\\.)*") : (\w+),', block)
    return [(json.loads(name), variable) for name, variable in pairs]


def test_add_layer_lists_layers_after_the_maps_own_in_the_order_added(study) -> None:
    import folium

    waste_map = maps.interactive_map(
        study, "Ganja-Dashkasan", title="Ganja test", settings=DISTRICTS
    )
    own = [name for name, _ in _overlays(waste_map.to_html())]
    first = folium.FeatureGroup(show=False)
    folium.CircleMarker([40.68, 46.36], radius=4).add_to(first)
    second = folium.GeoJson({"type": "FeatureCollection", "features": []})
    assert waste_map.add_layer(first, "Planned <sites> & depots") is first
    assert waste_map.add_layer(second, "Second layer") is second
    page = waste_map.to_html()
    listed = _overlays(page)
    # the map's own layers first, then the added ones, in order; the names HTML-escaped, since
    # Leaflet's layer control writes them as HTML
    assert [name for name, _ in listed] == [
        *own,
        "Planned &lt;sites&gt; &amp; depots",
        "Second layer",
    ]
    assert listed[-2:] == [(listed[-2][0], first.get_name()), (listed[-1][0], second.get_name())]
    assert "<sites>" not in page
    # each layer's script comes before the layer control's, which names it
    control = page.index("L.control.layers(")
    assert page.index(f"var {first.get_name()} = ") < page.index(f"var {second.get_name()} = ")
    assert page.index(f"var {second.get_name()} = ") < control
    # an added layer is numbered like the rest: no random id, the same bytes every render
    assert re.search(r"[0-9a-f]{32}", page) is None
    assert waste_map.to_html() == page


def test_add_layer_takes_a_folium_layer_once(study) -> None:
    import folium

    waste_map = maps.interactive_map(study, "Ganja-Dashkasan", title="Ganja test")
    with pytest.raises(TypeError, match="folium layer"):
        waste_map.add_layer(folium.CircleMarker([40.68, 46.36]), "A marker")
    layer = waste_map.add_layer(folium.FeatureGroup(), "Once")
    with pytest.raises(ValueError, match="on a map already"):
        waste_map.add_layer(layer, "Twice")
    # a map of one's own, without a layer control: the layer simply goes last
    bare = maps.WasteMap(folium.Map(tiles=None), "bare")
    group = bare.add_layer(folium.FeatureGroup(), "Mine")
    assert list(bare.folium_map._children.values())[-1] is group


# ---- the page's own script and style ------------------------------------------------------


def _asset(name: str) -> str:
    from importlib import resources

    return (resources.files("iwm_study.maps") / "assets" / name).read_text(encoding="utf-8")


def test_page_script_and_style_are_read_from_the_package_files(page: str) -> None:
    js, css = _asset("iwm_map.js"), _asset("iwm_map.css")
    assert "function sitePopup" in js and ".iwm-legend" in css
    assert f"<script>\n{js}</script>" in page
    # the style's stand-in for the colour outside the country is replaced by OUTSIDE_COLOUR
    assert "var(--iwm-outside)" in css
    assert f"<style>\n{css.replace('var(--iwm-outside)', maps.OUTSIDE_COLOUR)}" in page
    assert "var(--iwm-outside)" not in page
    # they live in the files only, not as Python strings
    for module in Path(maps.__file__).parent.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "function sitePopup" not in text and ".iwm-legend-row" not in text, module.name


def test_a_wheel_would_carry_the_assets() -> None:
    import fnmatch
    import tomllib

    from conftest import PROJECT_ROOT

    setup = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    patterns = setup["setuptools"]["package-data"]["iwm_study"]
    assets = sorted((PROJECT_ROOT / "iwm_study" / "maps" / "assets").iterdir())
    assert [a.name for a in assets] == ["iwm_map.css", "iwm_map.js"]
    for asset in assets:
        rel = asset.relative_to(PROJECT_ROOT / "iwm_study").as_posix()
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), rel


# ---- the package offers what the single module maps.py did -------------------------------

#: maps.py's __all__ before it became a package, and every public name it defined.
SINGLE_MODULE_ALL = [
    "CLASSIFICATION_METHODS",
    "MapSettings",
    "WasteMap",
    "class_breaks",
    "classify",
    "district_table",
    "district_waste",
    "enterprise_totals",
    "hazard_class",
    "interactive_map",
    "leaflet_assets",
    "main_streams",
    "static_map",
]
SINGLE_MODULE_PUBLIC = {
    *SINGLE_MODULE_ALL,
    "CHOROPLETH_CMAP",
    "CHOROPLETH_RANGE",
    "COLOUR_BY",
    "FACILITY_COLOURS",
    "FACILITY_LABELS",
    "HAZARD_CLASSES",
    "LAND_COLOUR",
    "LEAFLET_PACKAGE",
    "LINE_COLOUR",
    "N_SECTOR_COLOURS",
    "OUTSIDE_COLOUR",
    "RADIUS_MAX_PX",
    "RADIUS_MIN_PX",
    "SYMBOL_EDGE",
    "UNIT",
    "class_colours",
    "class_labels",
    "grid_north_angle",
    "scale_bar_length",
    "size_key",
    "symbol_radius",
}


#: Added since (issue 15): the hexagon view of an area of few districts and its table.
ADDED_ALL = ["CELL_HEADERS", "MapView", "cell_table", "region_view", "view_table", "view_text"]


def test_the_package_offers_the_names_the_single_module_did() -> None:
    import inspect

    offered = {
        n for n in dir(maps) if not n.startswith("_") and not inspect.ismodule(getattr(maps, n))
    }
    assert offered == SINGLE_MODULE_PUBLIC | set(ADDED_ALL)
    assert sorted(maps.__all__) == sorted(SINGLE_MODULE_ALL + ADDED_ALL)
    assert {n for n in dir(maps) if inspect.ismodule(getattr(maps, n))} == {
        "classes",
        "hexgrid",
        "interactive",
        "page",
        "payloads",
        "static",
        "views",
    }
