"""Every code label, colour and fate set has one definition: the code tables.

``iwm_study.data.codes`` reads them (``labels``, ``colours``, ``fates_where``); charts, maps,
the inventory's tables, the Sankey diagram, the selection criteria and the circular matching
read them there. The tests edit cells of the shipped CSV files (through the loader's one file
reader, ``codes._read``) and check that every chart, map, table and diagram follows; and they
grep the package for colours, labels and fate sets written anywhere else.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import GOOD, PROJECT_ROOT, TODAY, write_tables

from iwm_study import charts, flows, maps, scoring
from iwm_study import inventory as inv
from iwm_study.circular import layer, matching, receiving
from iwm_study.data import codes, load_study
from iwm_study.data.schema import FACILITY_TYPES
from iwm_study.maps import payloads
from iwm_study.scoring import criteria

matplotlib.use("Agg")

PACKAGE = PROJECT_ROOT / "iwm_study"
LOADER = PACKAGE / "data" / "codes.py"


def _clear_code_caches() -> None:
    for value in vars(codes).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


@pytest.fixture
def edit_table(monkeypatch: pytest.MonkeyPatch):
    """``edit(file, key, column, value)``: the shipped table ``file`` reads ``value`` in
    ``column`` of the row whose first column is ``key``, for this test only."""
    edits: dict[tuple[str, str, str], str] = {}
    read = codes._read.__wrapped__  # the file reader without its cache

    def edited_read(name: str) -> pd.DataFrame:
        df = read(name).copy()
        for (file, key, column), value in edits.items():
            if file == name:
                rows = df[df.columns[0]] == key
                assert rows.sum() == 1 and column in df, (file, key, column)
                df.loc[rows, column] = value
        return df

    def edit(file: str, key: str, column: str, value: str) -> None:
        edits[(file, key, column)] = value
        _clear_code_caches()

    monkeypatch.setattr(codes, "_read", edited_read)
    _clear_code_caches()
    yield edit
    monkeypatch.undo()
    _clear_code_caches()


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory):
    """conftest.GOOD with a second facility, a user of secondary materials that receives S4."""
    tables = copy.deepcopy(GOOD)
    tables["facilities"].append(
        dict(
            tables["facilities"][0],
            facility_id="F2",
            name="Bakı Sement (secondary materials)",
            facility_type="secondary_user",
            economic_region="Baku",
            district="Baku City",
            longitude="49.87",
            latitude="40.41",
            accepted_ewc="13 02",
            operations="R9",
            nace_code="23.51",
        )
    )
    tables["waste_streams"][3]["destination_facility_id"] = "F2"
    return load_study(write_tables(tmp_path_factory.mktemp("labels"), tables), today=TODAY)


# ---- the tables ---------------------------------------------------------------------------


def test_every_kind_has_its_labels() -> None:
    assert codes.labels("fate") == dict(
        zip(codes.fate_categories()["fate"], codes.fate_categories()["label"], strict=True)
    )
    assert codes.labels("operation")["R5"] == "Recycling/reclamation of other inorganic materials"
    assert codes.labels("hierarchy_level")["not_reported"] == "Operation not reported"
    assert codes.labels("hazardous") == {True: "Hazardous", False: "Non-hazardous"}
    assert codes.labels("nace_division")["24"] == "Manufacture of basic metals"
    assert codes.labels("nace_section")["C"] == "Manufacturing"
    assert codes.labels("nace_class")["23.51"] == "Manufacture of cement"
    assert codes.labels("ewc_chapter")["13"].startswith("Oil wastes")
    assert codes.labels("ewc_subchapter")["10 03"] == "Wastes from aluminium thermal metallurgy"
    assert len(codes.labels("ewc_entry")) == 842
    for kind in codes.LABEL_KINDS:
        labels = codes.labels(kind)
        assert labels and all(isinstance(v, str) and v for v in labels.values())
        labels.clear()  # a caller's copy: the table is untouched
        assert codes.labels(kind)
    with pytest.raises(ValueError, match="facility_type"):
        codes.labels("facility")


def test_facility_types_have_one_wording_and_follow_the_schema() -> None:
    assert list(codes.labels("facility_type")) == list(FACILITY_TYPES)
    assert codes.labels("facility_type")["secondary_user"] == "User of secondary materials"
    assert codes.labels("facility_type")["collector"] == "Collector"
    assert list(codes.facility_types().columns) == [
        "type",
        "label",
        "colour",
        "description",
        "label_az",
        "description_az",
    ]


def test_every_colour_is_one_of_the_palette() -> None:
    palette = codes.colours("palette")
    assert list(palette) == [
        "black",
        "orange",
        "sky_blue",
        "bluish_green",
        "yellow",
        "blue",
        "vermillion",
        "reddish_purple",
        "grey",
    ]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in palette.values())
    for kind in ("fate", "hierarchy_level", "facility_type", "hazardous"):
        assert set(codes.colours(kind).values()) <= set(palette.values()), kind
        assert set(codes.colours(kind)) == set(codes.labels(kind)), kind
    # one colour per code within a kind, so a legend never shows two codes alike
    for kind in ("fate", "hierarchy_level", "facility_type", "hazardous"):
        assert len(set(codes.colours(kind).values())) == len(codes.colours(kind)), kind
    with pytest.raises(ValueError, match="palette"):
        codes.colours("operation")


def test_a_colour_name_the_palette_lacks_is_refused(edit_table) -> None:
    edit_table("facility_types.csv", "landfill", "colour", "#000000")
    with pytest.raises(ValueError, match=r"facility_types.csv.*not in palette.csv.*#000000"):
        codes.colours("facility_type")


def test_hierarchy_levels_rank_best_first() -> None:
    levels = codes.hierarchy_levels()
    assert list(levels.columns) == ["level", "label", "colour", "rank", "label_az"]
    ranked = levels.dropna(subset=["rank"])
    assert list(ranked.sort_values("rank")["level"]) == list(ranked["level"])
    assert set(codes.waste_operations()["hierarchy_level"]) <= set(ranked["level"])
    assert levels.set_index("level")["rank"].isna().to_dict() == {
        "prevention": False,
        "preparing_for_reuse": False,
        "recycling": False,
        "other_recovery": False,
        "disposal": False,
        "not_reported": True,
    }
    assert matching.HIERARCHY_ORDER == ("recycling", "other_recovery")


# ---- one colour, one label, everywhere ----------------------------------------------------


def test_module_names_are_views_of_the_code_tables() -> None:
    assert codes.colours("fate") == charts.FATE_COLOURS
    assert codes.colours("hierarchy_level") == charts.HIERARCHY_COLOURS
    assert codes.colours("hazardous") == charts.HAZARD_COLOURS
    assert codes.colours("palette")["grey"] == charts.MISSING_COLOUR
    assert codes.labels("facility_type") == maps.FACILITY_LABELS
    assert codes.colours("facility_type") == maps.FACILITY_COLOURS
    assert codes.colours("hierarchy_level") == layer.LINE_COLOURS
    # recycling has one colour: the charts', Okabe-Ito blue
    assert layer.LINE_COLOURS["recycling"] == charts.HIERARCHY_COLOURS["recycling"] == "#0072B2"


def test_a_palette_colour_changed_in_its_table_changes_every_use(edit_table) -> None:
    edit_table("palette.csv", "blue", "colour", "#123456")
    assert charts.PALETTE[0] == "#123456"
    assert charts.OKABE_ITO["blue"] == "#123456"
    assert charts.HIERARCHY_COLOURS["recycling"] == "#123456"
    assert charts.HAZARD_COLOURS[False] == "#123456"
    assert charts.FATE_COLOURS["sold_or_transferred"] == "#123456"


def test_map_legends_and_symbols_read_the_facility_types(edit_table, study) -> None:
    edit_table("facility_types.csv", "secondary_user", "label", "Edited secondary user")
    edit_table("facility_types.csv", "secondary_user", "colour", "vermillion")
    edit_table("facility_types.csv", "treatment", "label", "Edited treatment")
    vermillion = codes.colours("palette")["vermillion"]
    assert maps.FACILITY_LABELS["secondary_user"] == "Edited secondary user"

    # the interactive map: the facilities' layer, its legend and the symbols' style
    payload = payloads._facilities_payload(study.facilities)
    assert payload["types"] == [codes.labels("facility_type")[t] for t in FACILITY_TYPES]
    page = maps.interactive_map(study, None, synthetic=True, title="t").to_html()
    assert '"label":"Edited secondary user"' in page
    assert '"label":"Edited treatment"' in page
    index = FACILITY_TYPES.index("secondary_user")
    assert f".iwm-ft-{index} {{ background: {vermillion}; }}" in page
    assert "Uses waste as raw material" not in page and "User of secondary" not in page

    # the static map's legend
    fig = maps.static_map(study, None)
    texts = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert {"Edited secondary user", "Edited treatment"} <= set(texts)
    handle = next(
        h
        for legend in fig.legends
        for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if t.get_text() == "Edited secondary user"
    )
    assert matplotlib.colors.to_hex(handle.get_markerfacecolor()).upper() == vermillion


def test_sankey_nodes_and_links_read_the_labels_and_colours(edit_table, study) -> None:
    edit_table("fate_categories.csv", "landfilled", "label", "Edited landfill")
    edit_table("fate_categories.csv", "landfilled", "colour", "yellow")
    edit_table("facility_types.csv", "secondary_user", "label", "Edited secondary user")
    edit_table("hierarchy_levels.csv", "recycling", "label", "Edited recycling")
    edit_table("hierarchy_levels.csv", "recycling", "colour", "black")
    palette = codes.colours("palette")

    table = flows.flow_table(study.waste_streams, study.enterprises, study.facilities)
    assert set(table["treatment"]) >= {"Edited landfill", "Used as raw material"}
    assert "Edited secondary user" in set(table["destination"])
    sankey = flows.sankey_figure(table).data[0]
    labels = list(sankey.node.label)
    assert "Edited landfill" in labels and "Landfilled" not in labels
    assert sankey.node.color[labels.index("Edited landfill")] == palette["yellow"]
    yellow = palette["yellow"].lstrip("#")
    rgba = f"rgba({int(yellow[:2], 16)},{int(yellow[2:4], 16)},{int(yellow[4:], 16)},0.45)"
    assert rgba in set(sankey.link.color)

    by_level = flows.flow_table(
        study.waste_streams, study.enterprises, study.facilities, via="hierarchy"
    )
    node = flows.sankey_figure(by_level).data[0].node
    assert node.color[list(node.label).index("Edited recycling")] == palette["black"]
    no_operation = study.waste_streams.assign(operation=None)
    table = flows.flow_table(no_operation, study.enterprises, via="operation")
    assert set(table["treatment"]) == {codes.labels("hierarchy_level")["not_reported"]}


def test_inventory_tables_read_the_labels(edit_table, study) -> None:
    edit_table("fate_categories.csv", "landfilled", "label", "Edited landfill")
    edit_table("hierarchy_levels.csv", "recycling", "label", "Edited recycling")
    edit_table("hazardous.csv", "true", "label", "Edited hazardous")
    edit_table("waste_operations.csv", "R5", "title", "Edited R5")
    streams = study.waste_streams

    def labels(by: str) -> dict:
        table = inv.breakdown(streams, by)
        return dict(zip(table[by], table["label"], strict=True))

    assert labels("fate")["landfilled"] == "Edited landfill"
    assert labels("hazardous")[True] == "Edited hazardous"
    assert labels("operation")["R5"] == "Edited R5"
    assert labels("hierarchy_level")["recycling"] == "Edited recycling"
    assert labels("fate") == {
        k: (codes.labels("fate").get(k) or inv.NOT_REPORTED_LABEL) for k in labels("fate")
    }
    hierarchy = inv.hierarchy_table(streams).set_index("level")["label"]
    assert hierarchy.to_dict() == {
        "recycling": "Edited recycling",
        "other_recovery": "Other recovery",
        "disposal": "Disposal",
        "not_reported": "Operation not reported",
    }
    assert inv.fate_table(streams).set_index("fate").loc["landfilled", "label"] == "Edited landfill"
    rules = inv.fate_operation_rules().set_index("fate")
    assert rules.loc["landfilled", "label"] == "Edited landfill"


def test_charts_read_the_colours(edit_table, study) -> None:
    edit_table("hierarchy_levels.csv", "recycling", "colour", "yellow")
    palette = codes.colours("palette")
    streams = study.waste_streams

    fig = charts.hierarchy_chart(inv.hierarchy_table(streams))
    bars = [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches]
    assert bars[0] == palette["yellow"]  # recycling, the first row

    # The fates are named on the axis: the region's bars are one colour of the palette, the
    # national shares white and hatched, and the legend shows exactly these two.
    fig = charts.fate_comparison_chart(inv.fate_table(streams))
    colours = {matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches}
    assert colours == {palette["blue"], "#FFFFFF"}


class _MapStub:
    """Stands for a maps.WasteMap: keeps the layer that add_options_layer adds."""

    def add_layer(self, layer, name):
        self.layer, self.name = layer, name
        return self


def _match(level: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [1],
            "stream_id": ["S3"],
            "ewc_code": ["10 03 08*"],
            "quantity_t": [300.0],
            "enterprise_name": ["E"],
            "receiver_name": ["R"],
            "receiver_id": ["F1"],
            "operation": ["R4" if level == "recycling" else "R1"],
            "road_km": [12.0],
            "rule_id": ["T1"],
            "hierarchy_level": [level],
            "source_lon": [46.36],
            "source_lat": [40.68],
            "receiver_lon": [49.62],
            "receiver_lat": [40.60],
        }
    )


def _line_colour(level: str) -> str:
    stub = layer.add_options_layer(_MapStub(), _match(level))
    return stub.layer.data["features"][0]["properties"]["style"]["color"]


def test_circular_lines_take_the_hierarchy_colours(edit_table) -> None:
    assert _line_colour("recycling") == charts.HIERARCHY_COLOURS["recycling"]
    assert _line_colour("other_recovery") == charts.HIERARCHY_COLOURS["other_recovery"]
    assert _line_colour("no_such_level") == codes.colours("hierarchy_level")["not_reported"]
    edit_table("hierarchy_levels.csv", "recycling", "colour", "reddish_purple")
    assert _line_colour("recycling") == codes.colours("palette")["reddish_purple"]


# ---- fate sets ----------------------------------------------------------------------------


def test_fate_sets_are_the_code_tables_groups() -> None:
    assert codes.fates_where("landfill_like") == scoring.LANDFILL_FATES
    assert codes.fates_where("not_recovered") == scoring.NOT_RECOVERED_FATES
    assert codes.fates_where("open_for_matching") == receiving.NOT_RECOVERED_FATES
    assert codes.fates_where("known") == inv.KNOWN_FATES
    assert codes.fates_where("destination_expected") == inv.OFF_SITE_FATES
    assert codes.fates_where("landfill_like") == ("landfilled", "kept_on_site")
    assert codes.fates_where("not_recovered") == ("landfilled", "kept_on_site", "incinerated")
    assert codes.fates_where("open_for_matching") == ("landfilled", "kept_on_site", "unknown")
    assert codes.fates_where("known") == tuple(f for f in codes.fate_codes() if f != "unknown")
    assert set(codes.fate_groups()) >= {"ssc_category", "stays_on_site", "leaves_country"}
    with pytest.raises(ValueError, match="open_for_matching"):
        codes.fates_where("landfill")


def _streams(*fates: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": ["A"] * len(fates),
            "quantity_t": [1.0] * len(fates),
            "hazardous": [False] * len(fates),
            "fate": list(fates),
            "operation": [None] * len(fates),
        }
    )


def test_matching_and_criteria_follow_the_fate_groups(edit_table) -> None:
    fates = ("landfilled", "kept_on_site", "incinerated", "unknown", None, "exported")
    streams = _streams(*fates)
    inputs = criteria._Inputs(pd.Index(["A"]), streams, pd.DataFrame({"key": ["A"]}))
    enterprise = criteria.CRITERION_FUNCTIONS["enterprise"]["not_recovered_share"]
    region = criteria.CRITERION_FUNCTIONS["region"]["landfill_share"]
    assert list(receiving.is_not_recovered(streams)) == [True, True, False, True, True, False]
    assert enterprise(inputs)["A"] == pytest.approx(3 / 6)
    assert region(inputs)["A"] == pytest.approx(2 / 6)

    edit_table("fate_categories.csv", "incinerated", "open_for_matching", "true")
    edit_table("fate_categories.csv", "incinerated", "not_recovered", "false")
    edit_table("fate_categories.csv", "exported", "landfill_like", "true")
    assert list(receiving.is_not_recovered(streams)) == [True, True, True, True, True, False]
    assert enterprise(inputs)["A"] == pytest.approx(2 / 6)
    assert region(inputs)["A"] == pytest.approx(3 / 6)


def test_flows_and_data_gaps_follow_the_fate_groups(edit_table) -> None:
    fate = pd.Series(["kept_on_site", "exported", "landfilled"])
    destination = pd.Series([None, None, None], dtype=object)
    got = flows.destination_labels(destination, fate, None)
    assert list(got) == [flows.ON_SITE, flows.ABROAD, flows.DESTINATION_NOT_REPORTED]
    edit_table("fate_categories.csv", "exported", "stays_on_site", "true")
    edit_table("fate_categories.csv", "exported", "leaves_country", "false")
    got = flows.destination_labels(destination, fate, None)
    assert list(got) == [flows.ON_SITE, flows.ON_SITE, flows.DESTINATION_NOT_REPORTED]


# ---- nothing written twice: a grep of the package -----------------------------------------

#: Files outside this change that still write palette colours or a fate group themselves;
#: each should read the code tables instead (``codes.colours("palette")`` or ``charts``; the
#: fates outside ``ssc_category``), and leave these lists.
NOT_YET_READING_THE_PALETTE: set[str] = set()
NOT_YET_READING_THE_FATE_GROUPS: set[str] = set()


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != LOADER)


def test_no_module_writes_a_palette_colour() -> None:
    palette = {c.upper() for c in codes.colours("palette").values()}
    found = {}
    for path in _package_files():
        name = path.relative_to(PACKAGE).as_posix()
        hits = {h.upper() for h in re.findall(r"#[0-9A-Fa-f]{6}\b", path.read_text())} & palette
        if hits and name not in NOT_YET_READING_THE_PALETTE:
            found[name] = sorted(hits)
    assert found == {}, "colours of palette.csv written outside the code tables"


def test_no_module_writes_a_label_of_the_code_tables() -> None:
    words = {
        *codes.labels("fate").values(),
        *codes.labels("hierarchy_level").values(),
        *codes.labels("facility_type").values(),
        "Uses waste as raw material",  # the maps' old wording of secondary_user
        "Collector / storage",  # and of collector
    }
    pattern = re.compile("|".join(rf"[\"']{re.escape(w)}[\"']" for w in sorted(words)))
    found = {
        path.relative_to(PACKAGE).as_posix(): pattern.findall(path.read_text())
        for path in _package_files()
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_no_module_writes_a_set_of_fate_codes() -> None:
    """A tuple, list or set literal of two or more fate codes is a fate group written again."""
    fate = "|".join(codes.fate_codes())
    quoted = rf"[\"'](?:{fate})[\"']"
    literal = re.compile(rf"[(\[{{]\s*{quoted}\s*,\s*{quoted}")
    found = {
        path.relative_to(PACKAGE).as_posix(): literal.findall(path.read_text())
        for path in _package_files()
    }
    assert {k: v for k, v in found.items() if v and k not in NOT_YET_READING_THE_FATE_GROUPS} == {}


def test_map_hazard_classes_take_the_hazardous_colours(edit_table) -> None:
    classes = maps.HAZARD_CLASSES
    hazardous = codes.colours("hazardous")
    assert classes[0][2] == hazardous[False] and classes[-1][2] == hazardous[True]
    edit_table("hazardous.csv", "true", "colour", "black")
    assert maps.HAZARD_CLASSES[-1][2] == codes.colours("palette")["black"]
