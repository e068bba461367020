"""The inventory in the reader's language: its texts translated, its numbers written the
Azerbaijani way, and its tables free of codes, snake_case values and True/False.

Expected texts are written out here by hand from the catalog's wording; the figures are those
of the small study of ``conftest.GOOD`` (4 streams, 1,514 t, worked out in test_inventory).
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables

from iwm_study import i18n
from iwm_study import inventory as inv
from iwm_study.data import load_study
from iwm_study.inventory import notes, storage


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


@pytest.fixture
def az():
    with i18n.using("az"):
        yield


def test_headline_in_azerbaijani(good, az) -> None:
    text = inv.headline_text(good.waste_streams, good.enterprises, "Sınaq rayonu")
    assert text == (
        "Sınaq rayonu üzrə sorğu ilə əhatə olunmuş 3 müəssisə (onlardan 3 müəssisənin ən azı "
        "bir tullantı axını var) ümumilikdə **ildə 1.514 t** olan **4 tullantı axını** "
        "bildirir; bunun **20,7 faizi** təhlükəlidir. Tullantı yaranması cəmləşib: **2 "
        "müəssisə** (sorğu ilə əhatə olunmuş müəssisələrin 66,7 faizi) tullantıların 80 "
        "faizini yaradır."
    )


def test_storage_sentence_in_azerbaijani(az) -> None:
    totals = {"stored_on_site_t": 12345.6, "over_limit_t": 1200.0, "unknown_t": 15.0}
    assert inv.storage_sentence(totals, "Bakı") == (
        "Bakı üzrə **ildə 12.346 t** tullantı D15 və ya R13 əməliyyatı ilə istehsalçıların öz "
        "ərazisində saxlanılır. Bundan **1.200 t** Poliqonlar haqqında Direktivin icazə "
        "verdiyindən (D15: 1 il, R13: 3 il) uzun müddətdir saxlanılır, **15 t** üçün isə sorğu "
        "nə vaxtdan saxlanıldığını göstərmir: bunlar müəssisə ilə yoxlanılmalıdır."
    )
    nothing = {"stored_on_site_t": 0.0, "over_limit_t": 0.0, "unknown_t": 0.0}
    assert inv.storage_sentence(nothing, "Bakı") == (
        "Bakı üzrə istehsalçının ərazisində (D15 və ya R13) saxlanılan tullantı bildirilməyib."
    )


@pytest.mark.parametrize(
    ("value", "english", "azerbaijani"),
    [
        (95.0, "95", "95"),
        (97.5, "97.5", "97,5"),
        (1000, "1,000", "1.000"),
        (0.125, "0.125", "0,125"),
    ],
)
def test_short_number(value, english, azerbaijani) -> None:
    assert inv.short_number(value) == english
    with i18n.using("az"):
        assert inv.short_number(value) == azerbaijani


def test_breakdown_views_show_names_not_codes(good) -> None:
    streams = good.waste_streams
    hazard = inv.breakdown_view(inv.breakdown(streams, "hazardous"), "hazardous")
    assert list(hazard.columns) == ["hazardous", "streams", "waste_t", "share_pct"]
    assert hazard["hazardous"].tolist() == ["Non-hazardous", "Hazardous"]  # 1,200 t, 314 t
    state = inv.breakdown_view(inv.breakdown(streams, "physical_state"), "physical_state")
    assert state["physical_state"].tolist() == ["Powder", "Solid", "Liquid", "Sludge"]
    district = inv.breakdown_view(inv.breakdown(streams, "district", good.enterprises), "district")
    assert set(district["district"]) == {"Baku City", "Sumgayit City", "Ganja City"}  # as given
    no_operation = streams.assign(
        operation=streams["operation"].where(streams["stream_id"] != "S4")
    )
    ops = inv.breakdown_view(inv.breakdown(no_operation, "operation"), "operation")
    row = ops[ops["label"] == "Not reported"]
    assert row["operation"].tolist() == [""] and row["waste_t"].tolist() == [9.0]
    with i18n.using("az"):
        hazard = inv.breakdown_view(inv.breakdown(streams, "hazardous"), "hazardous")
        assert hazard["hazardous"].tolist() == ["Təhlükəli olmayan", "Təhlükəli"]
        state = inv.breakdown_view(inv.breakdown(streams, "physical_state"), "physical_state")
        assert state["physical_state"].tolist() == ["Toz", "Bərk", "Maye", "Şlam"]


def test_readable_writes_codes_and_booleans_as_words() -> None:
    frame = pd.DataFrame(
        {
            "fate": ["landfilled", "not_reported", None],
            "operation_kind": ["recovery", "disposal", None],
            "balanced": [True, False, True],
            "waste_t": [1.0, 2.0, 3.0],
            "ewc_code": ["10 02 02", "16 06 01*", "01 05 05*"],
        }
    )
    shown = inv.readable(frame)
    assert shown["fate"].tolist()[:2] == ["Landfilled", "Not reported"]
    assert shown["operation_kind"].tolist()[:2] == ["recovery", "disposal"]
    assert shown[["fate", "operation_kind"]].iloc[2].isna().all()  # a blank stays blank
    assert shown["balanced"].tolist() == ["yes", "no", "yes"]
    assert shown["waste_t"].tolist() == [1.0, 2.0, 3.0]
    assert shown["ewc_code"].tolist() == frame["ewc_code"].tolist()
    assert frame["balanced"].tolist() == [True, False, True]  # the input is left as it was
    with i18n.using("az"):
        shown = inv.readable(frame)
    assert shown["fate"].tolist()[:2] == ["Poliqonlara daşınıb", "Göstərilməyib"]
    assert shown["operation_kind"].tolist()[:2] == ["bərpa", "kənarlaşdırma"]
    assert shown["balanced"].tolist() == ["bəli", "xeyr", "bəli"]


def test_functions_speak_the_current_language(good, az) -> None:
    streams, enterprises = good.waste_streams, good.enterprises
    indicators = inv.indicators(streams, enterprises).set_index("key")
    assert indicators.at["recovery_rate_pct", "indicator"] == "Bərpa dərəcəsi"
    assert indicators.at["waste_t", "unit"] == "t/il"
    assert indicators.at["hazardous_share_pct", "unit"] == "%"
    gaps = inv.data_gaps(streams, enterprises, good.facilities).set_index("gap")
    assert gaps.at["fate_missing", "description"] == "Taleyi göstərilməyən axın (boş)"
    assert set(gaps["unit"]) == {"axınlar", "müəssisələr"}
    assert inv.storage_summary(inv.storage_flags(streams))["label"].tolist() == [
        "həddi aşıb",
        "məlum deyil: yoxlanılmalı",
        "hədd daxilində",
    ]
    fates = inv.fate_table(streams).set_index("fate")["label"]
    assert fates["landfilled"] == "Poliqonlara daşınıb"
    assert fates["not_reported"] == "Göstərilməyib (boş)"


def _english_texts() -> list[str]:
    """Every text the inventory marks for the catalog in its tables of constants."""
    texts = [h for h, _f in inv.COLUMN_HEADERS.values()]
    texts += [h for h, _f in inv.NOTE_HEADERS.values()]
    texts += [t for d in inv.BREAKDOWNS.values() for t in (d.title, d.definition)]
    texts += [t for pair in inv.GAP_DEFINITIONS.values() for t in pair]
    texts += [t for name, unit, text in inv.INDICATOR_DEFINITIONS.values() for t in (name, text)]
    texts += [r.why for r in inv.FATE_OPERATION_RULES]
    texts += [*storage.STORAGE_FLAGS.values(), *notes.STATUS_LABELS.values()]
    texts += [w for words in inv.VALUE_LABELS.values() for w in words.values()]
    texts += [*inv.GAP_UNITS.values(), inv.NOT_REPORTED_LABEL]
    return texts


def test_every_text_of_the_tables_has_its_azerbaijani() -> None:
    texts = _english_texts()
    with i18n.using("az"):
        untranslated = [t for t in texts if i18n._(t) == t]
    assert untranslated == []
