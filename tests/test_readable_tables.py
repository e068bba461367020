"""The tables of the waste map and circular options reports as a person reads them.

Every frame those reports show, built from the demonstration data (no notebook runs): headers
with units and no snake_case, no index, no True/False, no raw fate, facility type or reason
code, ranks 1..n within the region in the study's order, and wide tables that may wrap.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from iwm_study import circular, maps
from iwm_study.data import codes, load_study
from iwm_study.report import table

REGION = "Baku"
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    study = load_study(None)
    rules = circular.load_rules(None)
    matching = circular.match_study(study, rules, circular.MatchSettings())
    valuation = circular.value_matching(matching, circular.load_factors(None))
    return {
        "study": study,
        "rules": rules,
        "matching": matching,
        "region": matching.in_region(REGION),
        "valuation": valuation,
        "valued": valuation.in_region(REGION),
    }


def shown_frames(demo: dict[str, Any]) -> dict[str, tuple[pd.DataFrame, dict]]:
    """Every table of notebooks 03 and 04 as the notebooks build it: frame and headers."""
    e = circular.explain
    w = circular.worth
    region, valued, valuation = demo["region"], demo["valued"], demo["valuation"]
    options = valued.of_kind("circular")
    return {
        "districts": (
            maps.district_table(demo["study"].for_region(REGION), REGION),
            maps.classes.DISTRICT_HEADERS,
        ),
        "top": (
            circular.options_value_table(options.head(15), w.SHOWN_VALUE_COLUMNS),
            circular.VALUE_HEADERS,
        ),
        "why": (e.why_table(options.head(15)), e.WHY_HEADERS),
        "safer": (
            circular.options_value_table(valued.of_kind("safer_treatment"), w.SHOWN_VALUE_COLUMNS),
            circular.VALUE_HEADERS,
        ),
        "parts": (circular.value_parts_table(valuation, REGION), circular.PART_HEADERS),
        "impact": (
            e.impact_shown(circular.impact(demo["matching"]), REGION),
            e.IMPACT_HEADERS | {REGION: (REGION, None), "Total": ("Total", None)},
        ),
        "regions": (
            circular.value_by_region_table(valuation, "circular"),
            circular.REGION_VALUE_HEADERS,
        ),
        "regions_safer": (
            circular.value_by_region_table(valuation, "safer_treatment"),
            circular.REGION_VALUE_HEADERS,
        ),
        "receivers": (e.receivers_table(region.matches), e.RECEIVER_HEADERS),
        "rules": (circular.by_rule(region.matches, demo["rules"]), e.RULE_HEADERS),
        "reasons": (e.reasons_shown(region.unmatched), e.UNMATCHED_HEADERS),
        "unmatched": (
            region.unmatched.head(15)[list(circular.UNMATCHED_SHOWN)],
            e.UNMATCHED_HEADERS,
        ),
        "gaps": (circular.data_gaps(region), e.UNMATCHED_HEADERS),
        "factors": (circular.factors_table(valuation.factors), circular.FACTOR_HEADERS),
    }


def raw_codes() -> set[str]:
    """Codes a reader must never see in a cell: fates, facility types, reasons of no match."""
    return (
        set(codes.labels("fate"))
        | set(codes.labels("facility_type"))
        | set(circular.REASONS)
        | {"secondary_user", "True", "False"}
    )


def test_every_shown_table_has_report_headers_words_and_no_bool(demo) -> None:
    frames = shown_frames(demo)
    banned = raw_codes()
    for name, (frame, headers) in frames.items():
        assert len(frame), name
        missing = [c for c in frame.columns if c not in headers]
        assert not missing, f"{name}: no report header for {missing}"
        for column in frame.columns:
            header = headers[column][0]
            assert not SNAKE.match(header), f"{name}: {header}"
            assert frame[column].dtype != bool, f"{name}: {column} is a bool column"
            cells = {str(v) for v in frame[column].dropna()}
            assert not cells & banned, f"{name}.{column}: {sorted(cells & banned)}"


def test_the_rendered_tables_have_no_index_and_no_snake_case_header(demo) -> None:
    for name, (frame, headers) in shown_frames(demo).items():
        html = table(frame, caption=name, headers=headers, index=False).to_html()
        assert 'class="blank level0"' not in html and "row_heading" not in html, name
        heads = re.findall(r'<th [^>]*class="col_heading[^"]*"[^>]*>([^<]*)</th>', html)
        assert heads and not [h for h in heads if SNAKE.match(h)], (name, heads)


def test_ranks_run_1_to_n_within_the_region_in_the_study_order(demo) -> None:
    options = demo["valued"].of_kind("circular")
    study_ranks = list(options["rank"])
    assert study_ranks != list(range(1, len(options) + 1))  # the demo's Baku ranks jump
    assert study_ranks == sorted(study_ranks)
    shown = circular.options_value_table(options)
    assert list(shown["rank"]) == list(range(1, len(options) + 1))
    assert list(shown["stream_id"]) == list(options["stream_id"])  # the study's order
    assert list(circular.explain.why_table(options.head(5))["rank"]) == [1, 2, 3, 4, 5]
    text = circular.summary_markdown(demo["region"], top_n=3, valuation=demo["valuation"])
    assert [line.split(".")[0] for line in text.splitlines()] == ["1", "2", "3"]


def test_wide_tables_fit_a_page(demo) -> None:
    frames = shown_frames(demo)
    # The valued options show at most nine columns (twelve did not fit a printed page).
    assert len(frames["top"][0].columns) <= 9 and len(frames["safer"][0].columns) <= 9
    assert len(frames["regions"][0].columns) == 5 == len(frames["regions_safer"][0].columns)
    frame, headers = frames["top"]
    styler = circular.worth.wrap_long_text(table(frame, headers=headers, index=False))
    css = styler.to_html()
    at = [list(frame.columns).index(c) for c in circular.worth.WRAPPED_COLUMNS]
    for i in at:
        assert re.search(rf"td\.col{i} \{{\s*overflow-wrap: anywhere;", css), i
    assert "text-align: left" in css  # the alignment of report.table is kept
