"""The circular options in the reader's language: Azerbaijani texts and numbers, English unchanged.

The expected texts are written out here (the catalog's Azerbaijani, numbers as Azerbaijani
writes them: '.' between thousands, ',' before decimals), not read from the code.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iwm_study import circular, i18n
from iwm_study.circular import explain, results, worth
from iwm_study.data import load_study


@pytest.fixture
def az():
    with i18n.using("az"):
        yield


@pytest.fixture(scope="module")
def demo_az() -> circular.Matching:
    """The demo study matched with its texts written in Azerbaijani."""
    with i18n.using("az"):
        return circular.match_study(load_study(), circular.load_rules())


def test_ranges_and_quantities_are_written_as_azerbaijani_writes_numbers(az) -> None:
    assert worth.range_text(12300.0, 4100.0, 25000.0, "AZN/il") == "12.300 AZN/il (4.100–25.000)"
    assert worth.span_text(-3000.0, 500.0) == "-3.000 ilə 500 arası"
    assert results._t(43000.0) == "43.000 t/il"
    assert results._t(2.5) == "2,50 t/il"
    assert results._km(19.44) == "19,4 km"


def test_english_texts_are_as_before() -> None:
    assert worth.range_text(12300.0, 4100.0, 25000.0, "AZN/yr") == "12,300 AZN/yr (4,100–25,000)"
    assert worth.span_text(-3000.0, 500.0) == "-3,000 to 500"
    assert circular.MatchSettings().describe() == (
        "Receivers within 50 km by road (straight-line distance in EPSG:32639 times a road "
        "factor of 1.3); transport counted at 0.124 kg CO2e per tonne-km; score = tonnes x "
        "weight x (1 - road km / 100), the weight 1 for recycling, 0.5 for other recovery and "
        "0.25 for safer treatment."
    )


def test_settings_sentence_in_azerbaijani(az) -> None:
    assert circular.MatchSettings(max_distance_km=75, road_factor=1.25).describe() == (
        "Yolla 75 km daxilindəki qəbuledicilər (EPSG:32639 sistemində düz xətt məsafəsi x 1,25 "
        "yol əmsalı); daşıma hər ton-km üçün 0,124 kq CO2e ilə hesablanır; bal = ton x çəki x "
        "(1 - yol km / 100); çəki təkrar emal üçün 1, digər bərpa üçün 0,5, daha təhlükəsiz emal "
        "üçün 0,25."
    )


def test_small_letters_follow_azerbaijani_dotted_and_dotless_i(az) -> None:
    assert results._lower("İşlənmiş yağ") == "işlənmiş yağ"
    assert results._lower("Işıq") == "ışıq"
    assert results._lower("PCB qalıqları") == "PCB qalıqları"  # an abbreviation stays
    assert results._capital("ilkin") == "İlkin"
    assert results._capital("ısı") == "Isı"


def test_small_letters_in_english_are_as_before() -> None:
    assert results._lower("Unprocessed Steel slag") == "unprocessed steel slag"
    assert results._capital("treatment plant") == "Treatment plant"


def test_a_translation_column_left_blank_reads_the_english(az) -> None:
    rules = pd.DataFrame(
        {
            "title": ["Slag to roads", "Oil to re-refining", "Ash to cement"],
            "title_az": ["Şlak yollara", None, ""],
        }
    )
    assert results.in_language(rules, "title").tolist() == [
        "Şlak yollara",
        "Oil to re-refining",
        "Ash to cement",
    ]


def test_demo_reasons_details_and_why_are_azerbaijani(demo_az: circular.Matching) -> None:
    u, m = demo_az.unmatched, demo_az.matches
    azerbaijani = {
        "no_rule": "bu tullantı üçün qayda yoxdur",
        "none_in_range": "hədd məsafəsi daxilində qəbuledici yoxdur",
        "no_receiver": "qaydaların göstərdiyi növdə qəbuledici yoxdur",
        "hazardous_not_permitted": "təhlükəli tullantılara icazə yoxdur",
        "no_capacity": "kifayət qədər tutumu qalan qəbuledici yoxdur",
    }
    assert set(u["reason"]) <= set(azerbaijani)
    assert (u["reason_label"] == u["reason"].map(azerbaijani)).all()
    no_rule = u[u["reason"] == "no_rule"]
    assert len(no_rule) > 0
    assert (no_rule["detail"] == "EWC " + no_rule["ewc_code"] + " üçün heç bir qayda yoxdur.").all()
    assert m["why"].str.startswith("Qayda ").all()
    assert m["why"].str.contains("; yolla ").all()
    assert m["why"].str.contains(r"; digər namizədlərin sayı: \d+\.", regex=True).all()


def test_demo_key_figures_are_labelled_in_azerbaijani(demo_az: circular.Matching) -> None:
    with i18n.using("az"):
        figures = explain.key_figures(circular.impact(demo_az), "Baku")
        region = demo_az.in_region("Baku")
    labels = {f.key: (f.label, f.unit) for f in figures}
    assert labels["circular_not_recovered_t"] == ("Hələ bərpa edilməmiş tullantılar", "t/il")
    assert labels["circular_matched_t"] == (
        "Dövri iqtisadiyyat variantı olan tullantılar",
        "t/il",
    )
    matched = next(f for f in figures if f.key == "circular_matched_t")
    candidates = int(region.streams["candidate"].sum())
    circular_options = int((region.matches["option_kind"] == "circular").sum())
    assert matched.note == f"{candidates} axından {circular_options}"
