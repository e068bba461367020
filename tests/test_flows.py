"""Flows: the flow table, the mass balance and the offline Sankey diagram.

The small study (conftest.GOOD) is worked by hand: S1 E1 (NACE 23) 1200 t chapter 10,
used as raw material, no destination; S2 E2 (NACE 20) 5 t chapter 07, incinerated at F1 (a
treatment plant); S3 E3 (NACE 24) 300 t chapter 10, landfilled at F1; S4 E3 9 t chapter 13,
sold, no destination. 1514 t in all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD, TODAY, OfflinePage, write_tables

from iwm_study import charts, flows
from iwm_study.data import load_study


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


def test_flow_table_by_hand(good) -> None:
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    rows = {
        (r.sector[:2], r.waste_category[:6], r.treatment, r.destination, r.fate): r.waste_t
        for r in table.itertuples()
    }
    assert rows == {
        (
            "23",
            "EWC 10",
            "Used as raw material",
            "On the generator's site",
            "used_as_raw_material",
        ): 1200.0,
        ("24", "EWC 10", "Landfilled", "Treatment plant", "landfilled"): 300.0,
        (
            "24",
            "EWC 13",
            "Sold or transferred to other enterprises",
            "Destination not reported",
            "sold_or_transferred",
        ): pytest.approx(9.0),
        ("20", "EWC 07", "Incinerated", "Treatment plant", "incinerated"): pytest.approx(5.0),
    }
    assert list(table["waste_t"]) == sorted(table["waste_t"], reverse=True)
    assert table.iloc[0]["sector"].startswith("23 Manufacture of")
    assert table.iloc[0]["waste_category"].startswith("EWC 10 Wastes from thermal processes")


def test_every_stage_carries_every_tonne(good) -> None:
    for via in ("fate", "hierarchy", "operation"):
        for category in ("ewc_chapter", "hazardous"):
            table = flows.flow_table(
                good.waste_streams, good.enterprises, good.facilities, via, category
            )
            for stage in flows.STAGES:
                assert table.groupby(stage)["waste_t"].sum().sum() == pytest.approx(1514.0)
            assert table["streams"].sum() == 4


def test_flow_table_by_hierarchy_and_hazard(good) -> None:
    table = flows.flow_table(
        good.waste_streams, good.enterprises, good.facilities, via="hierarchy", category="hazardous"
    )
    by = table.groupby(["waste_category", "treatment"])["waste_t"].sum().to_dict()
    assert by == {
        ("Non-hazardous", "Recycling"): 1200.0,  # S1 R5
        ("Hazardous", "Disposal"): pytest.approx(305.0),  # S2 D10 + S3 D5
        ("Hazardous", "Recycling"): pytest.approx(9.0),  # S4 R9
    }
    ops = flows.flow_table(good.waste_streams, good.enterprises, good.facilities, via="operation")
    assert set(ops["treatment"].str.split().str[0]) == {"R5", "D10", "D5", "R9"}
    with pytest.raises(ValueError, match="via"):
        flows.flow_table(good.waste_streams, good.enterprises, via="colour")
    with pytest.raises(ValueError, match="category"):
        flows.flow_table(good.waste_streams, good.enterprises, category="sector")


def test_destinations_missing_unknown_and_abroad(good) -> None:
    streams = good.waste_streams.copy()
    sid = streams["stream_id"]
    streams.loc[sid == "S3", "destination_facility_id"] = "F9"  # not in the table
    streams.loc[sid == "S2", "fate"] = "exported"
    streams.loc[sid == "S2", "destination_facility_id"] = None
    streams.loc[sid == "S1", "fate"] = None
    table = flows.flow_table(streams, good.enterprises, good.facilities)
    dest = table.groupby("destination")["waste_t"].sum().to_dict()
    assert dest == {
        flows.DESTINATION_NOT_REPORTED: pytest.approx(1209.0),  # S1 (no fate) + S4 (sold)
        flows.DESTINATION_UNKNOWN: 300.0,
        flows.ABROAD: pytest.approx(5.0),
    }
    fates = table.groupby("treatment")["waste_t"].sum()
    assert fates["Fate not reported"] == 1200.0
    assert set(table["fate"]) == {"not_reported", "landfilled", "exported", "sold_or_transferred"}


# ------------------------------------------------------------------------------------------
# mass balance


def unbalanced(good) -> pd.DataFrame:
    streams = good.waste_streams.copy()
    sid = streams["stream_id"]
    streams.loc[sid == "S4", "fate"] = None  # E3: 9 of 309 t without fate = 2.91 %
    streams.loc[sid == "S2", "fate"] = "unknown"  # E2: 5 of 5 t not known = 100 %
    return streams


def test_mass_balance_per_enterprise(good) -> None:
    balance = flows.mass_balance(unbalanced(good), good.enterprises, tolerance_pct=1.0)
    assert list(balance["enterprise_id"]) == ["E3", "E2", "E1"]  # 9 t, 5 t, 0 t unaccounted
    b = balance.set_index("enterprise_id")
    assert b.at["E3", "generated_t"] == pytest.approx(309.0)
    assert b.at["E3", "fates_t"] == pytest.approx(300.0)
    assert b.at["E3", "unaccounted_pct"] == pytest.approx(100 * 9 / 309)
    assert b.at["E2", "unaccounted_pct"] == pytest.approx(100.0)
    assert list(b["balanced"]) == [False, False, True]
    assert b.at["E3", "streams_unaccounted"] == "S4"
    assert b.at["E1", "streams_unaccounted"] == ""
    gaps = flows.balance_gaps(balance)
    assert list(gaps["enterprise_id"]) == ["E3", "E2"]
    # the tolerance is inclusive: 2.91 % passes a 3 % tolerance
    loose = flows.mass_balance(unbalanced(good), good.enterprises, tolerance_pct=3.0)
    assert list(flows.balance_gaps(loose)["enterprise_id"]) == ["E2"]


def test_mass_balance_per_region_and_enterprises_without_streams(good) -> None:
    streams = unbalanced(good)
    regions = flows.mass_balance(streams, good.enterprises, by="economic_region")
    r = regions.set_index("economic_region")
    assert r.at["Ganja-Dashkasan", "unaccounted_t"] == pytest.approx(9.0)
    assert r.at["Absheron-Khizi", "streams_unaccounted"] == "S2"
    assert r.at["Baku", "balanced"]
    assert regions["generated_t"].sum() == pytest.approx(1514.0)
    assert flows.unaccounted_pct(regions) == pytest.approx(100 * 14 / 1514)
    only_e1 = streams[streams["enterprise_id"] == "E1"]
    per = flows.mass_balance(only_e1, good.enterprises).set_index("enterprise_id")
    assert per.at["E2", "generated_t"] == 0.0 and per.at["E2", "balanced"]
    assert per.at["E2", "unaccounted_pct"] == 0.0


# ------------------------------------------------------------------------------------------
# Sankey


def test_sankey_figure_nodes_links_and_colours(good) -> None:
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    fig = flows.sankey_figure(table, top_n=None, synthetic=True)
    sankey = fig.data[0]
    labels = list(sankey.node.customdata)  # the whole labels; the shown ones are fitted
    # 3 sectors, 3 chapters, 4 fates, 3 destinations; largest first within each stage
    assert len(labels) == 13
    # a shown label is the whole one, or its start cut with an ellipsis, in at most two lines
    for shown, whole in zip(sankey.node.label, labels, strict=True):
        flat = shown.replace("<br>", " ")
        assert shown.count("<br>") <= 1
        assert flat == whole or (flat.endswith("…") and whole.startswith(flat[:-1].rstrip()))
    assert labels[0].startswith("23 ") and labels[3].startswith("EWC 10")
    assert labels[6:10] == [
        "Used as raw material",
        "Landfilled",
        "Sold or transferred to other enterprises",
        "Incinerated",
    ]
    assert labels[10:] == [flows.ON_SITE, "Treatment plant", flows.DESTINATION_NOT_REPORTED]
    values = list(sankey.link.value)
    # three hops (stage to stage); the four streams never share a (source, target, fate) link,
    # so four links per hop
    assert len(values) == 12
    assert sum(values) == pytest.approx(3 * 1514.0)
    landfill = charts.FATE_COLOURS["landfilled"].lstrip("#")
    rgba = "rgba({},{},{},0.45)".format(*(int(landfill[i : i + 2], 16) for i in (0, 2, 4)))
    assert sum(c == rgba for c in sankey.link.color) == 3  # one landfilled link per hop
    assert sankey.node.color[7] == charts.FATE_COLOURS["landfilled"]
    note = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Synthetic demonstration data" in note and "t/yr" in note


def test_sankey_links_take_the_colour_of_their_treatment_node(good) -> None:
    # by level of the hierarchy: the links are coloured as the level nodes (not by fate, which
    # the diagram does not show): S1 R5 and S4 R9 recycling, S2 D10 and S3 D5 disposal
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities, via="hierarchy")
    sankey = flows.sankey_figure(table, top_n=None).data[0]
    labels = list(sankey.node.customdata)
    node_colour = dict(zip(labels, sankey.node.color, strict=True))
    assert node_colour["Recycling"] == charts.HIERARCHY_COLOURS["recycling"]
    assert node_colour["Disposal"] == charts.HIERARCHY_COLOURS["disposal"]

    def rgba(hex_colour: str) -> str:
        h = hex_colour.lstrip("#")
        return "rgba({},{},{},0.45)".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))

    link_colours = set(sankey.link.color)
    assert link_colours == {rgba(node_colour["Recycling"]), rgba(node_colour["Disposal"])}
    # the link into 'Recycling' from chapter 10 carries S1's 1200 t
    into = {
        (labels[s], labels[t]): (v, c)
        for s, t, v, c in zip(
            sankey.link.source,
            sankey.link.target,
            sankey.link.value,
            sankey.link.color,
            strict=True,
        )
    }
    chapter_10 = next(label for label in labels if label.startswith("EWC 10"))
    assert into[(chapter_10, "Recycling")] == (1200.0, rgba(node_colour["Recycling"]))
    assert into[(chapter_10, "Disposal")] == (300.0, rgba(node_colour["Disposal"]))


def test_sankey_merges_small_sectors(good) -> None:
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    fig = flows.sankey_figure(table, top_n=1)
    labels = list(fig.data[0].node.customdata)
    assert "Other sectors" in labels and "Other waste categories" in labels
    assert sum(label[:2].isdigit() for label in labels) == 1  # only sector 23 kept


def test_sankey_html_is_offline_and_deterministic(good) -> None:
    from iwm_study.sankey_page import plotly_js_name

    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    fig = flows.sankey_figure(table)
    first = flows.sankey_html(fig, "iwm-sankey-a", include_plotlyjs=True)
    assert first == flows.sankey_html(fig, "iwm-sankey-a", include_plotlyjs=True)
    # the library is not in the page: one script loads the copy shared beside the reports
    assert "plotly.js v" not in first and len(first) < 200_000
    assert re.findall(r"<script[^>]+src=\"([^\"]+)\"", first) == [f"../assets/{plotly_js_name()}"]
    assert 'id="iwm-sankey-a"' in first and 'id="iwm-sankey-a-still"' in first
    assert first.count("data:image/png;base64,") == 1  # the still image, for a page alone
    second = flows.sankey_html(fig, "iwm-sankey-b", include_plotlyjs=False)
    assert "plotly.js v" not in second and "<script src" not in second
    assert 'id="iwm-sankey-b"' in second
    shown = flows.show_sankey(fig, "iwm-sankey-b", include_plotlyjs=False)
    assert shown._repr_html_() == second
    alone = flows.sankey_html(fig, "iwm-sankey-c", include_plotlyjs="inline")
    assert alone.count("plotly.js v") == 1 and not re.search(r"<script[^>]+src=", alone)


@pytest.mark.browser
def test_sankey_draws_offline_in_chromium(good, tmp_path: Path, browser) -> None:
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    levels = flows.flow_table(
        good.waste_streams, good.enterprises, good.facilities, via="hierarchy"
    )
    figs = [flows.sankey_figure(table), flows.sankey_figure(levels)]
    page_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + flows.sankey_html(figs[0], "s1", include_plotlyjs="inline")
        + flows.sankey_html(figs[1], "s2", include_plotlyjs=False)
        + "</body></html>"
    )
    path = tmp_path / "sankey.html"
    path.write_text(page_html, encoding="utf-8")
    expected = [
        sum(v > 0 for v in json.loads(f.to_json())["data"][0]["link"]["value"]) for f in figs
    ]
    view = OfflinePage(browser)
    view.open(path)
    page = view.page
    page.wait_for_selector("#s2 path.sankey-link", state="attached")
    drawn = [page.locator(f"#{d} path.sankey-link").count() for d in ("s1", "s2")]
    nodes = page.locator("#s1 g.sankey-node").count()
    view.context.close()
    assert drawn == expected and all(n > 0 for n in drawn)
    assert nodes == len(figs[0].data[0].node.label)
    assert view.blocked == [] and view.errors == [] and view.failed == []


@pytest.mark.parametrize("rows", [0, 1, 2])
def test_sankey_of_few_flows_still_draws(good, rows: int) -> None:
    table = flows.flow_table(good.waste_streams, good.enterprises, good.facilities)
    fig = flows.sankey_figure(table.iloc[:rows])
    assert (
        len(fig.data[0].node.label or []) == {0: 0, 1: 4, 2: 7}[rows]
    )  # S1 and S3 share chapter 10
    page = flows.sankey_html(fig, "few", include_plotlyjs=False)
    assert page.count("data:image/png;base64,") == 1  # the still image, even of nothing
    assert all(0 < y < 1 for y in fig.data[0].node.y or [])
