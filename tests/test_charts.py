"""The toolkit's palette and theme, and the standard charts: units on every axis, source notes.

The colour-blind check simulates the three dichromacies with the matrices of Machado, Oliveira
& Fernandes (2009, severity 1.0, linear RGB) and measures CIE76 colour differences in CIELAB.
Hand-written because no colour-science library is in the environment; the matrices are the
published ones (each row sums to 1, which the test checks).
"""

from __future__ import annotations

import itertools
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study import charts
from iwm_study import inventory as inv
from iwm_study.data import codes, load_study

matplotlib.use("Agg")

OKABE_ITO_HEX = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#BBBBBB",
]

MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear sRGB colour."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def simulated(hex_colour: str, kind: str | None) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = srgb_to_linear(rgb)
    if kind:
        linear = np.array(MACHADO[kind]) @ linear
    return lab(linear)


def min_difference(colours: list[str], kind: str | None) -> float:
    return min(
        float(np.linalg.norm(simulated(a, kind) - simulated(b, kind)))
        for a, b in itertools.combinations(colours, 2)
    )


def test_palette_is_okabe_ito() -> None:
    assert charts.PALETTE == OKABE_ITO_HEX
    assert set(charts.OKABE_ITO.values()) - {"#000000"} == set(OKABE_ITO_HEX) - {"#BBBBBB"}
    assert charts.MISSING_COLOUR == "#BBBBBB"


def test_simulation_matrices_keep_white_white() -> None:
    for matrix in MACHADO.values():
        assert np.array(matrix).sum(axis=1) == pytest.approx([1, 1, 1], abs=1e-5)


@pytest.mark.parametrize("kind", [None, *MACHADO])
def test_palettes_stay_distinct_for_colour_blind_readers(kind) -> None:
    # Pairs closer than about 10 CIE76 units are hard to tell apart in small areas. Measured:
    # the palette's tightest pair is 14.6 (reddish purple and the grey, deuteranopia; with
    # Okabe & Ito's own #999999 it was 7.1) and 16.1 (bluish green and sky blue, tritanopia).
    assert min_difference(charts.PALETTE, kind) > 14
    assert min_difference(list(charts.FATE_COLOURS.values()), kind) > 14
    assert min_difference(list(charts.HAZARD_COLOURS.values()), kind) > 80
    used_levels = ["recycling", "other_recovery", "disposal", "not_reported"]
    assert min_difference([charts.HIERARCHY_COLOURS[k] for k in used_levels], kind) > 14


def test_colour_maps_cover_their_codes() -> None:
    assert list(charts.FATE_COLOURS) == list(codes.fate_codes())
    assert set(charts.HAZARD_COLOURS) == {True, False}
    levels = set(codes.waste_operations()["hierarchy_level"])
    assert levels | {"not_reported"} <= set(charts.HIERARCHY_COLOURS)
    assert charts.HAZARD_COLOURS[True] == "#D55E00" and charts.HAZARD_COLOURS[False] == "#0072B2"
    for mapping in (charts.FATE_COLOURS, charts.HIERARCHY_COLOURS):
        assert len(set(mapping.values())) == len(mapping)
        assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in mapping.values())


def test_set_theme_applies_the_palette_and_print_sizes() -> None:
    charts.set_theme()
    rc = matplotlib.rcParams
    cycle = rc["axes.prop_cycle"].by_key()["color"]
    assert [matplotlib.colors.to_hex(c).upper() for c in cycle] == OKABE_ITO_HEX
    assert rc["axes.labelsize"] >= 10 and rc["xtick.labelsize"] >= 9
    assert rc["svg.hashsalt"] == "iwm"
    matplotlib.rcdefaults()


def test_frozen_theme_equals_seaborns() -> None:
    import seaborn as sns

    expected = {**sns.axes_style("whitegrid"), **sns.plotting_context("paper", font_scale=1.2)}
    expected.pop("image.cmap")
    frozen = charts._SEABORN_RC
    assert set(frozen) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float):
            assert frozen[key] == pytest.approx(value), key
        else:
            assert frozen[key] == value, key
    # another scale goes to seaborn itself
    assert charts.theme_rc(font_scale=2.0)["font.size"] == pytest.approx(19.2)


def test_charts_do_not_import_seaborn() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import pandas as pd; from iwm_study import charts; "
        "charts.png(charts.bar_chart(pd.DataFrame({'label': ['a'], 'waste_t': [1.0]}), 't')); "
        "print('seaborn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


UNIT = re.compile(r"\((t/yr|%|rank)\)$")


def test_bar_chart_has_units_values_and_source_note(good) -> None:
    frame = inv.breakdown(good.waste_streams, "physical_state")
    fig = charts.bar_chart(frame, "By physical state", key="physical_state", synthetic=True)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Waste generated (t/yr)" and UNIT.search(ax.get_xlabel())
    assert fig.get_suptitle() == "By physical state"
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([1200.0, 300.0, 9.0, 5.0])
    # largest on top: the first bar sits highest
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Powder", "Solid", "Liquid", "Sludge"]
    assert [p.get_y() for p in ax.patches] == sorted((p.get_y() for p in ax.patches), reverse=True)
    assert any("Synthetic demonstration data" in t for t in texts(fig))
    real = charts.bar_chart(frame, "By physical state", synthetic=False)
    assert not any("Synthetic" in t for t in texts(real))
    assert any(t.startswith("Source:") for t in texts(real))


def test_bar_chart_merges_the_tail_and_prefixes_keys(good) -> None:
    frame = inv.breakdown(good.waste_streams, "physical_state")
    fig = charts.bar_chart(frame, "t", key="physical_state", top_n=2, prefix_key=True)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "powder Powder",
        "solid Solid",
        "Other (2)",
    ]
    assert [p.get_width() for p in ax.patches] == pytest.approx([1200.0, 300.0, 14.0])


def test_bar_chart_colours_by_key(good) -> None:
    frame = inv.breakdown(good.waste_streams, "fate")
    fig = charts.bar_chart(frame, "Fates", key="fate", colours=charts.FATE_COLOURS)
    colours = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches]
    expected = [charts.FATE_COLOURS[f] for f in frame["fate"]]
    assert colours == expected


def test_stacked_bar_chart(good) -> None:
    table = inv.crosstab(good.waste_streams, "ewc_chapter")
    fig = charts.stacked_bar_chart(
        table, "By chapter", charts.HAZARD_COLOURS, {True: "Hazardous", False: "Non-hazardous"}
    )
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Waste generated (t/yr)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Non-hazardous", "Hazardous"]
    # chapter 10: 1200 t not hazardous + 300 t hazardous, stacked
    total_by_bar = {}
    for p in ax.patches:
        total_by_bar[p.get_y()] = total_by_bar.get(p.get_y(), 0) + p.get_width()
    assert sorted(total_by_bar.values()) == pytest.approx([5.0, 9.0, 1500.0])


def test_pareto_chart_axes_and_marker(good) -> None:
    totals = inv.enterprise_totals(good.waste_streams, good.enterprises)
    fig = charts.pareto_chart(totals, 80.0, synthetic=True)
    left, right = fig.axes
    assert left.get_xlabel() == "Enterprises ranked by waste generated (rank)"
    assert left.get_ylabel() == "Waste generated (t/yr)"
    assert right.get_ylabel() == "Cumulative share of the waste (%)"
    assert any(t.get_text() == "2 enterprises make 80 %" for t in right.texts)
    # One filled step per enterprise, as high as its waste (hundreds of bars hid each other).
    (step,) = left.patches
    values, edges, _ = step.get_data()
    ranked = totals[totals["waste_t"] > 0]
    assert list(values) == list(ranked["waste_t"].astype(float))
    assert list(edges) == [r - 0.5 for r in ranked["rank"]] + [ranked["rank"].iloc[-1] + 0.5]


def test_fate_comparison_chart(good) -> None:
    fates = inv.fate_table(good.waste_streams)
    fig = charts.fate_comparison_chart(fates, "Test region", synthetic=True)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Share of waste in the five SSC fate categories (%)"
    region, nation = ax.patches[:5], ax.patches[5:]
    assert [p.get_width() for p in region] == pytest.approx(
        [100 * 1200 / 1509, 100 * 9 / 1509, 0.0, 100 * 300 / 1509, 0.0]
    )
    assert [p.get_width() for p in nation] == pytest.approx([28.5, 42.7, 3.8, 13.8, 11.2])
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "Test region",
        "Azerbaijan 2022 (State Statistical Committee)",
    ]
    # the swatches are the bars' own: solid blue for the region, white hatched for Azerbaijan
    own, national = legend.legend_handles
    assert matplotlib.colors.to_hex(own.get_facecolor()).upper() == charts.PALETTE[0]
    assert {matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in region} == {
        charts.PALETTE[0]
    }
    assert national.get_hatch() == "///" and all(p.get_hatch() == "///" for p in nation)
    assert matplotlib.colors.to_hex(national.get_facecolor()) == "#ffffff"
    assert any("State Statistical Committee, 2022" in t for t in texts(fig))


def test_hierarchy_chart(good) -> None:
    fig = charts.hierarchy_chart(inv.hierarchy_table(good.waste_streams))
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Share of waste generated (%)"
    assert [p.get_width() for p in ax.patches] == pytest.approx(
        [100 * 1209 / 1514, 0.0, 100 * 305 / 1514, 0.0]
    )
    colours = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours[0] == charts.HIERARCHY_COLOURS["recycling"]


def test_every_chart_axis_names_its_unit(good) -> None:
    s, e = good.waste_streams, good.enterprises
    figs = [
        charts.bar_chart(inv.breakdown(s, "nace_division", e), "a"),
        charts.stacked_bar_chart(inv.crosstab(s, "ewc_chapter"), "b", charts.HAZARD_COLOURS),
        charts.pareto_chart(inv.enterprise_totals(s, e)),
        charts.fate_comparison_chart(inv.fate_table(s)),
        charts.hierarchy_chart(inv.hierarchy_table(s)),
    ]
    for fig in figs:
        for ax in fig.axes:
            for label in (ax.get_xlabel(), ax.get_ylabel()):
                assert label == "" or re.search(r"\([^)]+\)$", label), label
        assert fig.axes[0].get_xlabel()  # every chart has a labelled value axis


def test_show_gives_the_same_png_every_time(good) -> None:
    # the Pareto is shown as a PNG; the hierarchy chart as SVG (tests/test_figure_formats.py)
    fig = charts.pareto_chart(inv.enterprise_totals(good.waste_streams, good.enterprises))
    first, second = charts.png(fig), charts.png(fig)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and first == second
    assert b"Matplotlib" not in first  # no software version in the metadata
    image = charts.show(fig)
    assert image.format == "png" and image.data == first


def test_flat_charts_are_palette_pngs_at_their_resolution(good) -> None:
    import io

    from PIL import Image

    fig = charts.hierarchy_chart(inv.hierarchy_table(good.waste_streams), synthetic=True)
    assert charts.Export(dpi=110, colours=64) == charts.FLAT_CHART
    # shown as SVG, the chart still makes the palette PNG a consumer of pixels may ask for
    choice = charts.export_of(fig)
    assert (choice.format, choice.dpi, choice.colours) == ("svg", 110, 64)
    picture = Image.open(io.BytesIO(charts.png(fig)))
    # 7.5 x 2.9 inches at 110 dpi, a palette of at most 64 colours
    assert picture.size == (825, 319) and picture.mode == "P"
    assert len(picture.getcolors()) <= 64
    # a bar keeps its colour: the recycling bar's centre is the level's colour, within the
    # rounding of the palette
    full = Image.open(io.BytesIO(charts.png(charts.set_export(fig, charts.DEFAULT_EXPORT))))
    assert full.mode == "RGBA"
    ax = fig.axes[0]
    bar = ax.patches[0].get_window_extent()
    centre = (
        int((bar.x0 + bar.x1) / 2 * 110 / fig.dpi),
        int(319 - (bar.y0 + bar.y1) / 2 * 110 / fig.dpi),
    )
    expected = matplotlib.colors.to_rgb(charts.HIERARCHY_COLOURS["recycling"])
    got = picture.convert("RGB").getpixel(centre)
    assert all(abs(g - 255 * e) <= 6 for g, e in zip(got, expected, strict=True)), got


def test_a_figure_made_elsewhere_keeps_full_colour() -> None:
    from matplotlib.figure import Figure

    assert charts.export_of(Figure()) == charts.DEFAULT_EXPORT == charts.Export(110, None)


def test_source_note_on_axes_and_figure() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    text = charts.source_note(ax, synthetic=True)
    assert text.get_text() == (
        "Source: the study's enterprise survey.\n"
        "Synthetic demonstration data: describes no real enterprise."
    )
    assert charts.source_note(fig, synthetic=False, source="Source: X").get_text() == "Source: X."
    # a long note is wrapped to the figure's width (6.4 inches here)
    long = charts.source_note(fig, synthetic=False, source="word " * 60 + "end")
    lines = long.get_text().split("\n")
    assert len(lines) > 1 and " ".join(lines) == "word " * 60 + "end."
    assert all(charts.text_width(x, long.get_fontsize()) <= 0.97 * 6.4 * 72 for x in lines)


def test_charts_speak_the_current_language(good) -> None:
    from iwm_study.i18n import using

    s, e = good.waste_streams, good.enterprises
    with using("az"):
        fig = charts.pareto_chart(inv.enterprise_totals(s, e), 80.0, synthetic=True)
        bar = charts.bar_chart(inv.breakdown(s, "physical_state"), "t", key="physical_state")
    left, right = fig.axes
    assert left.get_xlabel() == "Yaratdığı tullantıya görə sıralanmış müəssisələr (yer)"
    assert fig.get_suptitle() == "Tullantı yaranmasının cəmləşməsi (Pareto)"
    assert [t.get_text() for t in right.texts] == ["2 müəssisə tullantıların 80%-ni yaradır"]
    assert fig.texts[-1].get_text() == (
        "Mənbə: tədqiqatın müəssisə sorğusu.\n"
        "Sintetik nümayiş məlumatları: heç bir real müəssisəni təsvir etmir."
    )
    # numbers in the locale's way: '1.200' for 1,200 t
    assert " 1.200" in [t.get_text() for t in bar.axes[0].texts]


def test_empty_frames_still_draw() -> None:
    empty = pd.DataFrame({"label": [], "waste_t": []})
    fig = charts.bar_chart(empty, "Nothing")
    assert fig.axes[0].get_xlabel() == "Waste generated (t/yr)"
