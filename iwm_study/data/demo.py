"""Synthetic demonstration dataset: enterprises, waste streams and facilities of Azerbaijan.

No public per-enterprise waste data exists for Azerbaijan, so the toolkit ships an invented
inventory that looks like one: about 600 enterprises in the 14 economic regions (most of them in
Baku, Absheron-Khizi and Ganja-Dashkasan), their waste streams coded with the European List of
Waste, and the recyclers, treatment plants, landfills and users of secondary materials that
receive them. Every number is invented; the tonnage-weighted fates are calibrated to the State
Statistical Committee's national shares for 2022.

The generator is seeded and deterministic: ``generate(seed)`` always returns the same tables and
``write(out_dir)`` the same bytes. Rebuild the committed copy with::

    python -m iwm_study.data.demo --out data/demo --seed 2021

The knowledge it encodes sits in the tables at the top of this module (regions, places, sector
profiles, waste entries, handling of each kind of waste, facilities); the functions below only
draw from them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import codes
from .schema import DATA_QUALITY, RECP_LEVELS, TABLES

#: The demonstration's note on a measured non-hazardous mirror entry (no real analysis exists).
MIRROR_ASSESSMENT = "synthetic: laboratory analysis assumed for the demonstration"

if TYPE_CHECKING:
    from numpy.random import Generator

__all__ = ["DEFAULT_SEED", "generate", "main", "source_text", "summary", "write"]

DEFAULT_SEED = 2021

# ---------------------------------------------------------------------------------------------
# Where the enterprises are
# ---------------------------------------------------------------------------------------------

#: Enterprises per economic region (the pilot regions and Ganja hold most of them).
REGION_COUNTS: dict[str, int] = {
    "Baku": 200,
    "Absheron-Khizi": 120,
    "Ganja-Dashkasan": 70,
    "Central Aran": 30,
    "Lankaran-Astara": 24,
    "Sheki-Zagatala": 22,
    "Guba-Khachmaz": 20,
    "Gazakh-Tovuz": 20,
    "Shirvan-Salyan": 20,
    "Nakhchivan": 18,
    "Mil-Mughan": 16,
    "Karabakh": 16,
    "Mountainous Shirvan": 14,
    "East Zangezur": 10,
}

#: Towns whose point falls in a neighbouring polygon of the simplified Natural Earth districts
#: (listed in reference/README.md): the district they belong to (GeoNames admin1). Sites are
#: jittered around the town until they land inside this district.
TOWN_DISTRICT: dict[str, str] = {
    "Khirdalan": "Absheron Rayon",
    "Digah": "Absheron Rayon",
    "Gobu": "Absheron Rayon",
    "Hokmali": "Absheron Rayon",
    "28 May": "Absheron Rayon",
    "Jorat": "Sumgayit City",
    "Mingachevir": "Mingachevir City",
    "Ujar": "Ujar Rayon",
    "Qusar": "Gusar Rayon",
    "Jabrayil": "Jabrayil Rayon",
    "Laçın": "Lachin Rayon",
}

#: Places that are not GeoNames towns: (longitude, latitude, district).
EXTRA_PLACES: dict[str, tuple[float, float, str]] = {
    # Garadagh industrial area south-west of the centre of Baku (cement plants, Lokbatan, Sahil).
    "Garadagh": (49.62, 40.27, "Baku City"),
}

#: Azerbaijani spelling of towns used in enterprise names (GeoNames names are mixed).
AZ_TOWN: dict[str, str] = {
    "Baku": "Bakı",
    "Sumgayit": "Sumqayıt",
    "Ganja": "Gəncə",
    "Khirdalan": "Xırdalan",
    "Yevlakh": "Yevlax",
    "Mingachevir": "Mingəçevir",
    "Lankaran": "Lənkəran",
    "Şirvan": "Şirvan",
    "Sheki": "Şəki",
    "Xaçmaz": "Xaçmaz",
    "Göyçay": "Göyçay",
    "Barda": "Bərdə",
    "Shamkhir": "Şəmkir",
    "Aghjabadi": "Ağcabədi",
    "Shamakhi": "Şamaxı",
    "Aghdam": "Ağdam",
    "Salyan": "Salyan",
    "Jalilabad": "Cəlilabad",
    "Imishli": "İmişli",
    "Zaqatala": "Zaqatala",
    "Sabirabad": "Sabirabad",
    "Ismayilli": "İsmayıllı",
    "Siyazan": "Siyəzən",
    "Fuzuli": "Füzuli",
    "Ağdaş": "Ağdaş",
    "Divichibazar": "Şabran",
    "Hacıqabul": "Hacıqabul",
    "Quba": "Quba",
    "Aghsu": "Ağsu",
    "Gazakh": "Qazax",
    "Tartar": "Tərtər",
    "Saatlı": "Saatlı",
    "Goygol": "Göygöl",
    "Kyurdarmir": "Kürdəmir",
    "Neftçala": "Neftçala",
    "Qusar": "Qusar",
    "Ujar": "Ucar",
    "Beylagan": "Beyləqan",
    "Astara": "Astara",
    "Belokany": "Balakən",
    "Gadabay": "Gədəbəy",
    "Julfa": "Culfa",
    "Tovuz": "Tovuz",
    "Aghstafa": "Ağstafa",
    "Qax": "Qax",
    "Qabala": "Qəbələ",
    "Samukh": "Samux",
    "Ordubad": "Ordubad",
    "Zardob": "Zərdab",
    "Dashkasan": "Daşkəsən",
    "Masally": "Masallı",
    "Jabrayil": "Cəbrayıl",
    "Goranboy": "Goranboy",
    "Naftalan": "Naftalan",
    "Kalbajar": "Kəlbəcər",
    "Zangilan": "Zəngilan",
    "Qubadlı": "Qubadlı",
    "Laçın": "Laçın",
    "Shusha": "Şuşa",
    "Khojaly": "Xocalı",
    "Naxçıvan": "Naxçıvan",
    "Sharur City": "Şərur",
    "Babak": "Babək",
    "Lerik": "Lerik",
    "Yardımlı": "Yardımlı",
    "Oğuz": "Oğuz",
    "Garadagh": "Qaradağ",
    "Balakhani": "Balaxanı",
}

#: Neutral Azerbaijani words that stand before the activity in fictional company names.
BRANDS: tuple[str, ...] = (
    "Xəzər", "Günəş", "Ulduz", "Şəfəq", "Nur", "Çinar", "İnci", "Bərəkət", "Zirvə", "Mərcan",
    "Sahil", "Qartal", "Ustad", "Əlvan", "Səma", "Dalğa", "Körpü", "Ümid", "Yeni Əsr", "Odlar",
    "Gülüstan", "Ağ Qaya", "Buta", "Aypara", "Yaşıl Vadi", "Dan Ulduzu", "Şəlalə", "Çəmən",
    "Qızıl Dərə", "Məşəl",
)  # fmt: skip
#: Legal forms: limited liability (MMC), open and closed joint-stock companies (ASC, QSC).
LEGAL_FORMS: tuple[str, ...] = ("MMC", "QSC", "ASC")

# ---------------------------------------------------------------------------------------------
# What they make: sector profiles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    """A kind of enterprise: its NACE Rev.2 class, size and typical waste streams.

    ``streams`` are (EWC code, median tonnes per employee per year); the first is the main waste
    every enterprise of the sector reports. ``words`` are activity names for company names.
    """

    nace: str
    words: tuple[str, ...]
    employees: tuple[float, float]  # median and log-sigma of the lognormal
    kazn_per_employee: float  # output value, thousand AZN per employee and year
    streams: tuple[tuple[str, float], ...]


SECTORS: dict[str, Sector] = {
    # Food and beverages
    "meat": Sector("10.11", ("Ət Kombinatı", "Ət Məhsulları"), (30, 0.8), 70,
                   (("02 02 02", 3.0), ("02 02 04", 1.0), ("02 02 03", 0.5))),
    "fish": Sector("10.20", ("Balıq Emalı", "Balıqçılıq Təsərrüfatı"), (25, 0.7), 60,
                   (("02 02 02", 4.0), ("02 02 04", 0.8))),
    "juice": Sector("10.32", ("Meyvə Şirələri", "Şirə Zavodu"), (40, 0.8), 70,
                    (("02 03 04", 8.0), ("02 03 01", 1.0), ("02 03 05", 0.6))),
    "canning": Sector("10.39", ("Konserv Zavodu", "Meyvə-Tərəvəz Emalı"), (35, 0.8), 50,
                      (("02 03 04", 5.0), ("02 03 01", 0.8), ("15 01 04", 0.05))),
    "vegoil": Sector("10.41", ("Bitki Yağları", "Yağ Zavodu"), (45, 0.7), 110,
                     (("02 03 04", 10.0), ("02 03 05", 0.5))),
    "dairy": Sector("10.51", ("Süd Məhsulları", "Süd Kombinatı", "Pendir Zavodu"), (35, 0.8), 70,
                    (("02 05 01", 1.5), ("02 05 02", 1.5))),
    "flour": Sector("10.61", ("Un Dəyirmanı", "Taxıl Emalı"), (25, 0.7), 90,
                    (("02 03 04", 3.0),)),
    "bakery": Sector("10.71", ("Çörək Zavodu", "Çörəkbişirmə Müəssisəsi"), (25, 0.8), 35,
                     (("02 06 01", 0.6),)),
    "sugar": Sector("10.81", ("Şəkər Zavodu",), (250, 0.3), 120,
                    (("02 04 01", 40.0), ("02 04 02", 25.0), ("02 04 03", 3.0))),
    "confectionery": Sector("10.82", ("Şirniyyat Fabriki", "Qənnadı Məmulatları"), (40, 0.8), 55,
                            (("02 06 01", 0.5), ("02 06 03", 0.3))),
    "tea": Sector("10.83", ("Çay Fabriki", "Çay Emalı"), (40, 0.7), 40,
                  (("02 03 04", 1.5),)),
    "feed": Sector("10.91", ("Yem Zavodu", "Heyvan Yemləri"), (25, 0.6), 80,
                   (("02 03 04", 1.0),)),
    "spirits": Sector("11.01", ("Konyak Zavodu", "Spirt Məhsulları"), (40, 0.6), 120,
                      (("02 07 02", 6.0), ("02 07 05", 0.5), ("15 01 07", 0.3))),
    "wine": Sector("11.02", ("Şərab Zavodu", "Üzümçülük və Şərabçılıq"), (30, 0.8), 80,
                   (("02 07 04", 5.0), ("02 07 01", 1.0), ("02 07 05", 0.5), ("15 01 07", 0.3))),
    "beer": Sector("11.05", ("Pivə Zavodu",), (120, 0.6), 150,
                   (("02 07 04", 25.0), ("02 07 05", 0.8), ("15 01 07", 0.4))),
    "softdrinks": Sector("11.07", ("Mineral Sular", "Sərinləşdirici İçkilər"), (50, 0.8), 100,
                         (("15 01 02", 0.8), ("02 07 04", 0.5), ("02 07 05", 0.3))),
    # Textiles, clothing, wood, paper, printing, furniture
    "spinning": Sector("13.10", ("İplik Fabriki", "İpək Kombinatı"), (90, 0.8), 25,
                       (("04 02 21", 4.0), ("04 02 22", 1.0))),
    "weaving": Sector("13.20", ("Toxuculuq Fabriki", "Parça İstehsalı"), (80, 0.8), 25,
                      (("04 02 22", 1.5), ("04 02 21", 0.5), ("04 02 20", 0.5), ("04 02 16*", 0.03))),
    "carpets": Sector("13.93", ("Xalça Emalatxanası", "Xalçaçılıq"), (30, 0.8), 15,
                      (("04 02 22", 1.0), ("04 02 21", 0.8), ("04 02 17", 0.05), ("04 02 16*", 0.02))),
    "clothing": Sector("14.13", ("Tikiş Fabriki", "Geyim İstehsalı"), (50, 0.8), 20,
                       (("04 02 22", 0.4), ("15 01 01", 0.15))),
    "sawmill": Sector("16.10", ("Ağac Emalı", "Mişar Sexi"), (15, 0.7), 30,
                      (("03 01 05", 20.0), ("03 01 01", 8.0))),
    "joinery": Sector("16.23", ("Qapı-Pəncərə", "Ağac Məmulatları"), (15, 0.7), 35,
                      (("03 01 05", 6.0), ("03 01 04*", 0.3), ("08 01 11*", 0.05))),
    "paperpack": Sector("17.21", ("Karton Qablaşdırma", "Kağız Məmulatları"), (40, 0.7), 60,
                        (("03 03 08", 6.0), ("08 03 13", 0.05))),
    "printing": Sector("18.12", ("Mətbəə", "Poliqrafiya"), (15, 0.7), 40,
                       (("20 01 01", 2.0), ("08 03 13", 0.05), ("08 03 12*", 0.02), ("09 01 02*", 0.05))),
    "furniture": Sector("31.09", ("Mebel Fabriki", "Mebel Evi"), (20, 0.8), 35,
                        (("03 01 05", 3.0), ("08 01 11*", 0.1), ("04 02 09", 0.2), ("08 04 10", 0.05))),
    # Oil and chemicals
    "oilfield": Sector("09.10", ("Qazma Xidmətləri", "Neft-Qaz Servis"), (120, 0.6), 200,
                       (("01 05 05*", 40.0), ("01 05 08", 20.0), ("01 05 07", 10.0),
                        ("16 07 08*", 2.0), ("13 05 07*", 1.0))),
    "refinery": Sector("19.20", ("Neft Emalı",), (2000, 0.1), 1500,
                       (("05 01 03*", 1.5), ("05 01 09*", 2.0), ("05 01 07*", 1.5), ("05 01 06*", 1.0),
                        ("16 08 02*", 0.25), ("05 01 15*", 0.4), ("05 01 10", 1.0))),
    "inorganic": Sector("20.13", ("Kimya Zavodu", "Qeyri-üzvi Kimya"), (60, 0.8), 200,
                        (("06 05 02*", 3.0), ("06 05 03", 4.0), ("06 01 06*", 0.5),
                         ("06 02 04*", 0.5), ("06 04 04*", 0.02))),
    "organic": Sector("20.14", ("Üzvi Sintez", "Kimya Məhsulları"), (70, 0.8), 250,
                      (("07 01 08*", 3.0), ("07 01 01*", 4.0), ("07 01 11*", 2.0), ("07 01 12", 2.0),
                       ("07 01 04*", 0.5), ("16 08 07*", 0.2))),
    "polymers": Sector("20.16", ("Polimer Emalı", "Plastik Kütlələr", "Polimer Kompleksi"), (60, 0.9), 300,
                       (("07 02 13", 3.0), ("07 02 08*", 1.5), ("07 02 12", 1.5), ("07 02 11*", 1.0),
                        ("07 02 10*", 0.5), ("16 08 07*", 0.2), ("07 02 15", 0.2))),
    "pesticides": Sector("20.20", ("Aqrokimya", "Bitki Mühafizə Vasitələri"), (60, 0.6), 150,
                         (("07 04 13*", 1.0), ("07 04 01*", 2.0), ("07 04 08*", 1.0), ("07 04 11*", 1.0),
                          ("15 01 10*", 0.3))),
    "paints": Sector("20.30", ("Boya-Lak", "Lak-Boya Məhsulları"), (35, 0.7), 120,
                     (("08 01 11*", 0.8), ("08 01 12", 0.8), ("08 01 15*", 0.5), ("15 01 10*", 0.3))),
    "detergents": Sector("20.41", ("Yuyucu Vasitələr", "Məişət Kimyası"), (40, 0.7), 100,
                         (("07 06 12", 0.8), ("07 06 01*", 1.0), ("15 01 02", 0.3))),
    "plasticpipes": Sector("22.21", ("Plastik Borular", "Polimer Borular"), (40, 0.8), 90,
                           (("07 02 13", 1.5), ("12 01 05", 1.0))),
    "plasticpack": Sector("22.22", ("Plastik Qablaşdırma", "PET Qablar"), (35, 0.8), 90,
                          (("07 02 13", 2.0), ("12 01 05", 0.5))),
    # Glass and construction materials
    "flatglass": Sector("23.11", ("Təbəqə Şüşə",), (450, 0.2), 120,
                        (("10 11 12", 30.0), ("10 11 10", 5.0), ("10 11 14", 2.0), ("16 11 06", 2.0),
                         ("10 11 16", 1.5))),
    "glassware": Sector("23.13", ("Şüşə Qablar", "Şüşə Zavodu"), (80, 0.6), 80,
                        (("10 11 12", 10.0), ("16 11 06", 1.0), ("10 11 16", 0.5))),
    "bricks": Sector("23.32", ("Kərpic Zavodu", "Keramika"), (40, 0.7), 40,
                     (("10 12 08", 15.0), ("10 12 01", 5.0))),
    "cement": Sector("23.51", ("Sement",), (550, 0.2), 400,
                     (("10 13 06", 50.0), ("10 13 01", 15.0), ("10 13 13", 5.0), ("16 11 06", 3.0))),
    "lime": Sector("23.52", ("Əhəng Zavodu",), (30, 0.6), 60,
                   (("10 13 04", 10.0),)),
    "concrete": Sector("23.61", ("Beton Məmulatları", "Dəmir-Beton Konstruksiyaları"), (35, 0.8), 60,
                       (("10 13 14", 15.0), ("10 13 11", 5.0))),
    "readymix": Sector("23.63", ("Beton Zavodu", "Hazır Beton"), (25, 0.7), 80,
                       (("10 13 14", 25.0),)),
    "stone": Sector("23.70", ("Daş Emalı", "Mərmər və Qranit"), (15, 0.7), 35,
                    (("01 04 13", 30.0),)),
    # Metals, machinery, vehicles
    "steel": Sector("24.10", ("Elektropolad",), (1400, 0.1), 400,
                    (("10 02 02", 85.0), ("10 02 10", 11.0), ("10 02 07*", 11.0), ("16 11 04", 3.0),
                     ("10 02 14", 1.0))),
    "steelpipes": Sector("24.20", ("Boru Zavodu", "Boru-Prokat"), (120, 0.7), 250,
                         (("12 01 01", 8.0), ("10 02 10", 3.0), ("11 01 05*", 1.5), ("12 01 09*", 0.3),
                          ("11 01 09*", 0.5))),
    "aluminium": Sector("24.42", ("Alüminium",), (1800, 0.1), 120,
                        (("10 03 02", 3.0), ("16 11 01*", 0.7), ("10 03 16", 0.6), ("10 03 18", 0.5),
                         ("10 03 20", 0.3), ("10 03 04*", 0.2))),
    "aluminium_remelt": Sector("24.42", ("Alüminium Əritmə", "Əlvan Metallar"), (40, 0.6), 150,
                               (("10 03 08*", 4.0), ("10 03 09*", 2.0), ("10 03 19*", 0.4))),
    "casting": Sector("24.53", ("Tökmə Sexi", "Əlvan Tökmə"), (40, 0.6), 60,
                      (("10 10 08", 3.0), ("10 10 03", 2.0))),
    "steelworks": Sector("25.11", ("Metal Konstruksiya", "Polad Konstruksiyalar"), (35, 0.8), 50,
                         (("12 01 01", 2.0), ("12 01 17", 0.5), ("12 01 13", 0.3), ("08 01 11*", 0.1))),
    "alwindows": Sector("25.12", ("Alüminium Qapı-Pəncərə", "Profil Sistemləri"), (25, 0.7), 50,
                        (("12 01 03", 0.8), ("15 01 02", 0.2))),
    "machining": Sector("25.62", ("Mexaniki Emal", "Tornaçılıq Sexi"), (20, 0.7), 40,
                        (("12 01 01", 3.0), ("12 01 03", 0.5), ("12 01 09*", 0.3), ("12 01 14*", 0.2))),
    "metalware": Sector("25.99", ("Metal Məmulatları", "Dəmirçilik"), (25, 0.7), 45,
                        (("12 01 01", 1.5), ("11 01 09*", 0.2), ("08 01 11*", 0.1))),
    "motors": Sector("27.11", ("Elektrotexnika", "Transformator Zavodu"), (60, 0.8), 70,
                     (("12 01 01", 1.0), ("12 01 03", 0.6), ("13 03 07*", 0.1), ("08 01 11*", 0.05))),
    "cables": Sector("27.32", ("Kabel Zavodu", "Kabel Məhsulları"), (60, 0.7), 90,
                     (("12 01 03", 1.0), ("12 01 05", 0.8))),
    "lighting": Sector("27.40", ("İşıqlandırma Avadanlıqları",), (40, 0.6), 60,
                       (("10 11 12", 0.5), ("16 02 14", 0.2))),
    "vehicles": Sector("29.10", ("Nəqliyyat Vasitələri",), (600, 0.2), 100,
                       (("08 01 11*", 0.4), ("12 01 01", 2.0), ("08 01 15*", 0.3), ("15 01 10*", 0.2),
                        ("08 04 09*", 0.05))),
    "vehicleparts": Sector("29.32", ("Avtomobil Hissələri",), (50, 0.7), 60,
                           (("12 01 01", 2.0), ("12 01 05", 0.3), ("08 01 11*", 0.1))),
}  # fmt: skip

#: Streams any enterprise may report besides its sector's: (EWC, t per employee, weight).
GENERIC_STREAMS: tuple[tuple[str, float, float], ...] = (
    ("15 01 01", 0.10, 1.4),
    ("15 01 02", 0.08, 1.4),
    ("20 03 01", 0.25, 1.6),
    ("15 01 03", 0.05, 0.6),
    ("13 02 05*", 0.02, 0.8),
    ("16 06 01*", 0.005, 0.5),
    ("15 02 02*", 0.01, 0.5),
    ("15 01 10*", 0.01, 0.3),
    ("20 01 21*", 0.0005, 0.4),
    ("16 01 03", 0.01, 0.3),
    ("17 04 05", 0.05, 0.4),
    ("20 01 08", 0.05, 0.4),
)

#: Sector mixes (relative weights) by kind of place; a town's kind comes from its district.
PLACE_MIX: dict[str, dict[str, float]] = {
    "baku": {
        "meat": 2, "dairy": 3, "bakery": 4, "confectionery": 3, "canning": 2, "beer": 1,
        "softdrinks": 3, "wine": 1, "clothing": 2, "joinery": 2, "paperpack": 2, "printing": 4,
        "paints": 1, "detergents": 1, "plasticpack": 3, "plasticpipes": 1, "glassware": 1,
        "concrete": 3, "readymix": 3, "stone": 2, "bricks": 1, "steelworks": 5, "machining": 4,
        "metalware": 3, "alwindows": 2, "cables": 1, "vehicleparts": 1, "furniture": 4,
        "oilfield": 1.5,
    },
    "sumgayit": {
        "polymers": 5, "organic": 3, "inorganic": 2, "pesticides": 0.5, "paints": 2,
        "detergents": 2, "plasticpipes": 4, "plasticpack": 4, "glassware": 1, "carpets": 3,
        "steelpipes": 1, "steelworks": 4, "machining": 2, "aluminium_remelt": 1, "cables": 1,
        "bakery": 2, "dairy": 1,
    },
    "absheron": {
        "dairy": 2, "bakery": 2, "confectionery": 2, "softdrinks": 3, "beer": 0.5,
        "plasticpack": 3, "paperpack": 2, "concrete": 3, "readymix": 2, "stone": 2,
        "steelworks": 3, "metalware": 2, "furniture": 2, "joinery": 1, "detergents": 1,
    },
    "ganja": {
        "meat": 2, "dairy": 2, "bakery": 3, "flour": 2, "wine": 3, "softdrinks": 1,
        "spinning": 2, "weaving": 2, "clothing": 3, "aluminium_remelt": 1, "casting": 1,
        "alwindows": 1, "steelworks": 3, "machining": 2, "vehicleparts": 2, "bricks": 2,
        "readymix": 2, "joinery": 1, "furniture": 2,
    },
    "mingachevir": {
        "spinning": 3, "weaving": 4, "clothing": 3, "motors": 3, "cables": 2, "lighting": 1,
        "dairy": 1, "bakery": 2, "plasticpipes": 1, "steelworks": 1,
    },
    "regional": {
        "meat": 2, "canning": 3, "juice": 1, "vegoil": 1, "dairy": 3, "flour": 3, "bakery": 4,
        "feed": 1, "spirits": 0.5, "wine": 1, "softdrinks": 1, "spinning": 0.5, "carpets": 1,
        "clothing": 2, "sawmill": 2, "joinery": 2, "furniture": 2, "bricks": 2, "readymix": 2,
        "concrete": 1, "stone": 1, "steelworks": 1,
    },
}  # fmt: skip

#: Kind of place by district; every other district is "regional".
DISTRICT_PLACE: dict[str, str] = {
    "Baku City": "baku",
    "Sumgayit City": "sumgayit",
    "Absheron Rayon": "absheron",
    "Khizi Rayon": "absheron",
    "Ganja City": "ganja",
    "Mingachevir City": "mingachevir",
}

#: Regional specialities: multipliers (or additions) to the regional mix.
REGION_EMPHASIS: dict[str, dict[str, float]] = {
    "Lankaran-Astara": {"tea": 6, "canning": 2, "juice": 2},
    "Guba-Khachmaz": {"juice": 5, "canning": 2},
    "Sheki-Zagatala": {"spinning": 6, "confectionery": 2, "canning": 1.5},
    "Gazakh-Tovuz": {"wine": 4, "stone": 2},
    "Mountainous Shirvan": {"wine": 5, "carpets": 2},
    "Ganja-Dashkasan": {"wine": 3},
    "Mil-Mughan": {"sugar": 0.6, "flour": 2, "vegoil": 2},
    "Shirvan-Salyan": {"fish": 2, "vegoil": 2},
    "Nakhchivan": {"softdrinks": 5, "stone": 3},
    "Karabakh": {"readymix": 4, "concrete": 3, "bricks": 2},
    "East Zangezur": {"readymix": 4, "concrete": 3, "stone": 2, "sawmill": 1.5},
    "Central Aran": {"vegoil": 2, "spinning": 2},
}


@dataclass(frozen=True)
class Flagship:
    """A large plant placed by hand: the kind of plant the region is known for (invented name)."""

    key: str
    name: str
    sector: str
    place: str  # a town name or a key of EXTRA_PLACES
    region: str
    jitter_km: float = 2.0


FLAGSHIPS: tuple[Flagship, ...] = (
    Flagship("cement_sahil", "Sahil Sement Kompleksi ASC", "cement", "Garadagh", "Baku", 3.0),
    Flagship("cement_lokbatan", "Lökbatan Klinker Zavodu MMC", "cement", "Garadagh", "Baku", 3.0),
    Flagship("steel", "Xəzər Elektropolad Zavodu ASC", "steel", "Baku", "Baku", 4.0),
    Flagship("refinery", "Abşeron Neft Emalı Kompleksi ASC", "refinery", "Qaraçuxur", "Baku"),
    Flagship("polymers_pp", "Sumqayıt Polimer Emalı MMC", "polymers", "Sumgayit", "Absheron-Khizi"),
    Flagship("polymers_pe", "Xəzər Polietilen Kompleksi QSC", "polymers", "Sumgayit", "Absheron-Khizi"),
    Flagship("pesticides", "Sumqayıt Aqrokimya Preparatları MMC", "pesticides", "Sumgayit", "Absheron-Khizi"),
    Flagship("glass", "Abşeron Təbəqə Şüşə Zavodu MMC", "flatglass", "Sumgayit", "Absheron-Khizi"),
    Flagship("carpets", "Sumqayıt Xalçaçılıq Emalatxanası MMC", "carpets", "Sumgayit", "Absheron-Khizi"),
    Flagship("pipes", "Sumqayıt Boru-Prokat Zavodu ASC", "steelpipes", "Sumgayit", "Absheron-Khizi"),
    Flagship("aluminium", "Gəncə Alüminium Əritmə Kompleksi ASC", "aluminium", "Ganja", "Ganja-Dashkasan"),
    Flagship("vehicles", "Gəncə Nəqliyyat Vasitələri Yığım MMC", "vehicles", "Ganja", "Ganja-Dashkasan"),
    Flagship("textiles_ming", "Kür Toxuculuq Kompleksi MMC", "weaving", "Mingachevir", "Central Aran"),
    Flagship("electric_ming", "Kür Elektrik Avadanlıqları MMC", "motors", "Mingachevir", "Central Aran"),
    Flagship("cement_gazakh", "Qazax Klinker Zavodu MMC", "cement", "Gazakh", "Gazakh-Tovuz", 4.0),
    Flagship("sugar", "Muğan Şəkər Zavodu MMC", "sugar", "Imishli", "Mil-Mughan"),
)  # fmt: skip

#: Employees of flagship plants (median), which are far above their sector's SMEs.
FLAGSHIP_EMPLOYEES: dict[str, float] = {
    "cement_sahil": 600, "cement_lokbatan": 550, "steel": 1400, "refinery": 2200,
    "polymers_pp": 900, "polymers_pe": 700, "pesticides": 250, "glass": 450, "carpets": 300,
    "pipes": 800, "aluminium": 1800, "vehicles": 600, "textiles_ming": 1200,
    "electric_ming": 300, "cement_gazakh": 350, "sugar": 280,
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# The waste: List of Waste entries used, and how each kind is handled
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waste:
    """One List of Waste entry as the dataset uses it."""

    description: str
    state: str  # one of schema.PHYSICAL_STATES
    handling: str  # key of HANDLING
    density: float | None = None  # t/m3, for liquids and sludges that may be reported in m3


#: The European List of Waste entries (Decision 2000/532/EC as amended by 2014/955/EU) that the
#: demonstration uses; a trailing '*' marks an absolute or mirror hazardous entry.
WASTES: dict[str, Waste] = {
    "01 04 13": Waste("Stone cutting and sawing waste", "solid", "mineral"),
    "01 05 05*": Waste("Oil-containing drilling muds and cuttings", "sludge", "drilling", 1.6),
    "01 05 07": Waste("Barite-containing drilling muds", "sludge", "drilling", 1.7),
    "01 05 08": Waste("Chloride-containing drilling muds and cuttings", "sludge", "drilling", 1.6),
    "02 02 02": Waste("Animal-tissue waste (bones, fat, offal)", "solid", "organic"),
    "02 02 03": Waste("Meat products unsuitable for consumption", "solid", "organic"),
    "02 02 04": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 03 01": Waste("Sludge from washing and peeling of fruit and vegetables", "sludge", "organic", 1.1),
    "02 03 04": Waste("Plant residues unsuitable for processing (pomace, husks, rejects)", "solid", "organic"),
    "02 03 05": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 04 01": Waste("Soil from cleaning and washing sugar beet", "solid", "mineral"),
    "02 04 02": Waste("Off-specification calcium carbonate (lime sludge)", "sludge", "mineral", 1.3),
    "02 04 03": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 05 01": Waste("Dairy products unsuitable for consumption (whey, returns)", "liquid", "organic", 1.03),
    "02 05 02": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 06 01": Waste("Bakery and confectionery products unsuitable for sale", "solid", "organic"),
    "02 06 03": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "02 07 01": Waste("Wastes from washing and crushing of grapes and fruit", "solid", "organic"),
    "02 07 02": Waste("Distillation residues (vinasse)", "liquid", "organic", 1.02),
    "02 07 04": Waste("Spent grain, grape marc and lees", "solid", "organic"),
    "02 07 05": Waste("Sludge from on-site effluent treatment", "sludge", "sludge", 1.05),
    "03 01 01": Waste("Waste bark", "solid", "wood"),
    "03 01 04*": Waste("Sawdust and offcuts of treated wood containing hazardous substances", "solid", "haz_solid"),
    "03 01 05": Waste("Sawdust, shavings, offcuts and particle board", "solid", "wood"),
    "03 03 08": Waste("Paper and cardboard trimmings sorted for recycling", "solid", "paper"),
    "04 02 09": Waste("Upholstery fabric and foam offcuts", "solid", "textile"),
    "04 02 16*": Waste("Dyestuffs and pigments containing hazardous substances", "powder", "haz_chem"),
    "04 02 17": Waste("Spent dyestuffs and pigments", "powder", "haz_free_chem"),
    "04 02 20": Waste("Sludge from dye-house effluent treatment", "sludge", "sludge", 1.1),
    "04 02 21": Waste("Waste from unprocessed fibres (cotton, wool, silk)", "solid", "textile"),
    "04 02 22": Waste("Yarn and fabric offcuts", "solid", "textile"),
    "05 01 03*": Waste("Tank bottom sludges", "sludge", "oil", 1.1),
    "05 01 06*": Waste("Oily sludges from maintenance of plant and equipment", "sludge", "oil", 1.1),
    "05 01 07*": Waste("Acid tars", "sludge", "haz_sludge", 1.3),
    "05 01 09*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "05 01 10": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.15),
    "05 01 15*": Waste("Spent filter clays", "solid", "haz_solid"),
    "06 01 06*": Waste("Spent acids", "liquid", "acid", 1.2),
    "06 02 04*": Waste("Spent sodium and potassium hydroxide solutions", "liquid", "acid", 1.2),
    "06 04 04*": Waste("Wastes containing mercury (chlor-alkali residues)", "sludge", "haz_solid"),
    "06 05 02*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.25),
    "06 05 03": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.2),
    "07 01 01*": Waste("Aqueous washing liquids and mother liquors", "liquid", "haz_liquid", 1.05),
    "07 01 04*": Waste("Spent organic solvents", "liquid", "solvent", 0.85),
    "07 01 08*": Waste("Still bottoms and reaction residues", "sludge", "haz_chem", 1.1),
    "07 01 11*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "07 01 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.15),
    "07 02 08*": Waste("Still bottoms and reaction residues (oligomers, waxes)", "sludge", "haz_chem", 0.95),
    "07 02 10*": Waste("Spent adsorbents and filter cakes", "solid", "haz_solid"),
    "07 02 11*": Waste("Sludge from effluent treatment containing hazardous substances", "sludge", "haz_sludge", 1.2),
    "07 02 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.1),
    "07 02 13": Waste("Off-specification polymer, lumps and sweepings", "solid", "plastic"),
    "07 02 15": Waste("Spent additives and masterbatch", "powder", "haz_free_chem"),
    "07 04 01*": Waste("Aqueous washing liquids from pesticide formulation", "liquid", "haz_liquid", 1.05),
    "07 04 08*": Waste("Reaction residues from pesticide synthesis", "sludge", "haz_chem", 1.2),
    "07 04 11*": Waste("Sludge from effluent treatment containing pesticides", "sludge", "haz_sludge", 1.2),
    "07 04 13*": Waste("Off-specification pesticide batches", "powder", "haz_chem"),
    "07 06 01*": Waste("Aqueous washing liquids from detergent production", "liquid", "haz_liquid", 1.05),
    "07 06 12": Waste("Sludge from effluent treatment", "sludge", "sludge", 1.1),
    "08 01 11*": Waste("Waste paint and varnish containing organic solvents", "liquid", "solvent", 1.2),
    "08 01 12": Waste("Waste water-based paint", "liquid", "haz_free_chem", 1.3),
    "08 01 15*": Waste("Aqueous sludges containing paint with organic solvents", "sludge", "haz_sludge", 1.2),
    "08 03 12*": Waste("Waste printing ink containing hazardous substances", "liquid", "solvent", 1.1),
    "08 03 13": Waste("Waste printing ink", "liquid", "haz_free_chem", 1.1),
    "08 04 09*": Waste("Waste adhesives and sealants containing organic solvents", "liquid", "solvent", 1.1),
    "08 04 10": Waste("Waste glue and sealants", "solid", "haz_free_chem"),
    "09 01 02*": Waste("Offset plate developer solutions", "liquid", "haz_liquid", 1.05),
    "10 02 02": Waste("Unprocessed electric-arc-furnace slag", "solid", "slag"),
    "10 02 07*": Waste("Electric-arc-furnace dust (zinc-bearing)", "powder", "metal_dust"),
    "10 02 10": Waste("Mill scale", "solid", "mill_scale"),
    "10 02 14": Waste("Sludge from gas treatment", "sludge", "sludge", 1.4),
    "10 03 02": Waste("Spent anode butts", "solid", "anode"),
    "10 03 04*": Waste("Primary production slags", "solid", "haz_solid"),
    "10 03 08*": Waste("Salt slag from remelting", "solid", "metal_dust"),
    "10 03 09*": Waste("Black dross from remelting", "solid", "metal_dust"),
    "10 03 16": Waste("Aluminium skimmings", "solid", "metal"),
    "10 03 18": Waste("Carbon-containing waste from anode manufacture", "solid", "mineral"),
    "10 03 19*": Waste("Flue-gas dust containing hazardous substances", "powder", "haz_solid"),
    "10 03 20": Waste("Flue-gas dust from the potlines", "powder", "mineral"),
    "10 10 03": Waste("Furnace slag from non-ferrous casting", "solid", "slag"),
    "10 10 08": Waste("Used casting cores and moulds (foundry sand)", "solid", "mineral"),
    "10 11 10": Waste("Batch mixture rejected before melting", "powder", "glass"),
    "10 11 12": Waste("Waste glass and cullet", "solid", "glass"),
    "10 11 14": Waste("Glass grinding and polishing sludge", "sludge", "sludge", 1.5),
    "10 11 16": Waste("Solid waste from flue-gas treatment", "powder", "mineral"),
    "10 12 01": Waste("Raw mix rejected before firing", "solid", "mineral"),
    "10 12 08": Waste("Broken bricks and tiles after firing", "solid", "mineral"),
    "10 13 01": Waste("Raw meal rejected before burning", "powder", "mineral"),
    "10 13 04": Waste("Waste from calcination and hydration of lime", "powder", "mineral"),
    "10 13 06": Waste("Cement kiln dust", "powder", "kiln_dust"),
    "10 13 11": Waste("Rejected cement-based products", "solid", "mineral"),
    "10 13 13": Waste("Solid waste from gas treatment (bypass dust)", "powder", "mineral"),
    "10 13 14": Waste("Waste concrete and concrete sludge", "solid", "mineral"),
    "11 01 05*": Waste("Spent pickling acids", "liquid", "acid", 1.25),
    "11 01 09*": Waste("Sludge and filter cakes containing hazardous substances", "sludge", "haz_sludge", 1.3),
    "12 01 01": Waste("Steel turnings, offcuts and filings", "solid", "metal"),
    "12 01 03": Waste("Non-ferrous turnings and offcuts (copper, aluminium)", "solid", "metal"),
    "12 01 05": Waste("Plastics shavings and offcuts", "solid", "plastic"),
    "12 01 09*": Waste("Spent machining emulsions", "liquid", "oil", 1.0),
    "12 01 13": Waste("Welding wastes", "solid", "metal"),
    "12 01 14*": Waste("Machining sludge containing hazardous substances", "sludge", "haz_sludge", 1.3),
    "12 01 17": Waste("Spent blasting grit", "solid", "mineral"),
    "13 02 05*": Waste("Used engine, gear and lubricating oils", "liquid", "oil", 0.88),
    "13 03 07*": Waste("Used transformer oil", "liquid", "oil", 0.88),
    "13 05 07*": Waste("Oily water from oil/water separators", "liquid", "oil", 1.0),
    "15 01 01": Waste("Paper and cardboard packaging", "solid", "paper"),
    "15 01 02": Waste("Plastic packaging (film, bags, PET)", "solid", "plastic"),
    "15 01 03": Waste("Wooden pallets and crates", "solid", "wood"),
    "15 01 04": Waste("Metal packaging (cans, drums)", "solid", "metal"),
    "15 01 07": Waste("Glass bottles and jars", "solid", "glass"),
    "15 01 10*": Waste("Packaging contaminated by hazardous substances", "solid", "haz_solid"),
    "15 02 02*": Waste("Oily rags, absorbents and filters", "solid", "haz_solid"),
    "16 01 03": Waste("End-of-life tyres", "solid", "tyres"),
    "16 02 14": Waste("Discarded electrical equipment", "solid", "weee"),
    "16 06 01*": Waste("Lead-acid batteries", "solid", "battery"),
    "16 07 08*": Waste("Oily waste from tank cleaning", "sludge", "oil", 1.1),
    "16 08 02*": Waste("Spent catalysts containing hazardous transition metals (Ni, Mo, Co)", "solid", "catalyst"),
    "16 08 07*": Waste("Spent catalysts contaminated with hazardous substances", "solid", "catalyst"),
    "16 11 01*": Waste("Spent pot lining (carbon-based linings and refractories)", "solid", "haz_solid"),
    "16 11 04": Waste("Spent furnace refractories", "solid", "mineral"),
    "16 11 06": Waste("Spent kiln refractories", "solid", "mineral"),
    "17 04 05": Waste("Iron and steel scrap from maintenance", "solid", "metal"),
    "20 01 01": Waste("Waste paper and printing offcuts", "solid", "paper"),
    "20 01 08": Waste("Canteen and kitchen waste", "solid", "organic"),
    "20 01 21*": Waste("Fluorescent tubes and other mercury-containing waste", "solid", "mercury"),
    "20 03 01": Waste("Mixed municipal-type waste", "solid", "mixed"),
}  # fmt: skip


@dataclass(frozen=True)
class Handling:
    """How a kind of waste is handled: plausible fates and the operations behind them.

    ``weights`` are the relative plausibility of the five national fate categories; the draw is
    then steered so that the tonnage-weighted shares of the whole dataset match the national
    ones. ``recovery`` are the R operations when the waste is used, sold or exported; ``transfer``
    the operation when it is handed to a treatment plant instead (sold_or_transferred only).
    """

    weights: dict[str, float]
    recovery: tuple[str, ...] = ()
    transfer: tuple[str, ...] = ()
    incinerable: bool = False  # a few such streams are incinerated
    fuel: bool = False  # incinerated with energy recovery (R1) rather than D10


def _w(used=0.0, sold=0.0, exported=0.0, landfilled=0.0, kept=0.0) -> dict[str, float]:
    return {
        "used_as_raw_material": used,
        "sold_or_transferred": sold,
        "exported": exported,
        "landfilled": landfilled,
        "kept_on_site": kept,
    }


HANDLING: dict[str, Handling] = {
    "metal": Handling(_w(0.12, 0.75, 0.08, 0.0, 0.05), ("R4",)),
    "mill_scale": Handling(_w(0.20, 0.45, 0.30, 0.0, 0.05), ("R4",)),
    "metal_dust": Handling(_w(0.0, 0.15, 0.50, 0.10, 0.25), ("R4",), ("D9",)),
    "anode": Handling(_w(0.30, 0.20, 0.45, 0.0, 0.05), ("R5", "R1")),
    "slag": Handling(_w(0.30, 0.40, 0.0, 0.10, 0.20), ("R5",)),
    "kiln_dust": Handling(_w(0.70, 0.10, 0.0, 0.10, 0.10), ("R5",)),
    "mineral": Handling(_w(0.35, 0.25, 0.0, 0.20, 0.20), ("R5",)),
    "glass": Handling(_w(0.55, 0.30, 0.0, 0.12, 0.03), ("R5",)),
    "paper": Handling(_w(0.10, 0.70, 0.0, 0.17, 0.03), ("R3",), incinerable=True, fuel=True),
    "plastic": Handling(_w(0.20, 0.55, 0.02, 0.20, 0.03), ("R3",), incinerable=True, fuel=True),
    "wood": Handling(_w(0.35, 0.40, 0.0, 0.20, 0.05), ("R3", "R1"), incinerable=True, fuel=True),
    "textile": Handling(_w(0.35, 0.45, 0.0, 0.17, 0.03), ("R3",), incinerable=True, fuel=True),
    "organic": Handling(_w(0.40, 0.35, 0.0, 0.22, 0.03), ("R3",)),
    "sludge": Handling(_w(0.15, 0.25, 0.0, 0.45, 0.15), ("R3", "R5"), ("D9",)),
    "mixed": Handling(_w(0.0, 0.08, 0.0, 0.87, 0.05), ("R13",), incinerable=True, fuel=True),
    "tyres": Handling(_w(0.0, 0.70, 0.0, 0.05, 0.25), ("R3", "R1"), incinerable=True, fuel=True),
    "oil": Handling(
        _w(0.15, 0.55, 0.02, 0.08, 0.20), ("R9",), ("D9",), incinerable=True, fuel=True
    ),
    "solvent": Handling(
        _w(0.10, 0.35, 0.0, 0.10, 0.45), ("R2",), ("D9",), incinerable=True, fuel=True
    ),
    "haz_liquid": Handling(_w(0.0, 0.40, 0.0, 0.0, 0.60), (), ("D9",), incinerable=True),
    "haz_chem": Handling(_w(0.0, 0.35, 0.0, 0.20, 0.45), (), ("D9",), incinerable=True),
    "haz_free_chem": Handling(_w(0.10, 0.30, 0.0, 0.40, 0.20), ("R3",), ("D9",)),
    "haz_sludge": Handling(_w(0.0, 0.30, 0.0, 0.40, 0.30), (), ("D9",)),
    "haz_solid": Handling(_w(0.0, 0.25, 0.03, 0.37, 0.35), ("R4",), ("D9",), incinerable=True),
    "drilling": Handling(_w(0.05, 0.45, 0.0, 0.20, 0.30), ("R5",), ("D9",)),
    "acid": Handling(_w(0.35, 0.35, 0.0, 0.0, 0.30), ("R6",), ("D9",)),
    "battery": Handling(_w(0.0, 0.75, 0.15, 0.0, 0.10), ("R4",)),
    "catalyst": Handling(_w(0.0, 0.20, 0.55, 0.0, 0.25), ("R8",)),
    "weee": Handling(_w(0.0, 0.60, 0.10, 0.10, 0.20), ("R4",)),
    "mercury": Handling(_w(0.0, 0.50, 0.0, 0.10, 0.40), ("R4",)),
}

# ---------------------------------------------------------------------------------------------
# Facilities that receive waste
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilitySpec:
    """A receiving facility. ``same_site_as`` names a flagship whose site it shares."""

    name: str
    facility_type: str
    place: str
    region: str
    accepted: str
    operations: str
    capacity: float
    hazardous: bool
    nace: str
    jitter_km: float = 1.0
    same_site_as: str | None = None


_MUNICIPAL = "01 04; 02; 03; 04; 10 12; 10 13; 15 01; 17 01; 17 09 04; 20"
_METALS = (
    "10 03 16; 12 01; 15 01 04; 16 01 17; 16 01 18; 17 04; 19 10; 19 12 02; 19 12 03; 20 01 40"
)
_PLASTICS = "02 01 04; 07 02 13; 12 01 05; 15 01 02; 16 01 19; 17 02 03; 19 12 04; 20 01 39"
_COMPOST = "02; 03 01 01; 03 01 05; 20 01 08; 20 02 01"

FACILITIES: tuple[FacilitySpec, ...] = (
    # Baku: Balakhani industrial park and landfill, the incinerator, Garadagh
    FacilitySpec("Balaxanı Plastik Təkrar Emal MMC", "recycler", "Balakhani", "Baku", _PLASTICS, "R3; R13", 15000, False, "38.32"),
    FacilitySpec("Balaxanı PET Təkrar Emal MMC", "recycler", "Balakhani", "Baku", "15 01 02; 19 12 04; 20 01 39", "R3", 9000, False, "38.32"),
    FacilitySpec("Balaxanı Kağız Fabriki MMC", "recycler", "Balakhani", "Baku", "03 03 08; 15 01 01; 19 12 01; 20 01 01", "R3; R13", 30000, False, "17.12"),
    FacilitySpec("Balaxanı Yağ Regenerasiya MMC", "recycler", "Balakhani", "Baku", "12 01 09*; 13 01; 13 02; 13 03; 13 05 07*", "R9; R13", 12000, True, "38.22"),
    FacilitySpec("Balaxanı Metal Qırıntıları MMC", "recycler", "Balakhani", "Baku", "10 02 10; " + _METALS, "R4; R13", 80000, False, "38.32"),
    FacilitySpec("Balaxanı Elektron Tullantılar MMC", "recycler", "Balakhani", "Baku", "16 02; 20 01 35*; 20 01 36", "R4; R13", 3000, True, "38.32"),
    FacilitySpec("Bakı Akkumulyator Təkrar Emalı MMC", "recycler", "Balakhani", "Baku", "16 06; 20 01 21*; 20 01 33*", "R4; R13", 3000, True, "38.12"),
    FacilitySpec("Balaxanı Bərk Məişət Tullantıları Poliqonu", "landfill", "Balakhani", "Baku", _MUNICIPAL + "; 05 01 10; 06 05 03; 07 01 12; 07 02 12; 10 11", "D1; D5", 1500000, False, "38.21", 2.0),
    FacilitySpec("Bakı Tullantıların Enerjiyə Çevrilməsi Zavodu", "incinerator", "Balakhani", "Baku", "02 02 03; 03 01; 04 02; 15 01; 16 01 03; 19 12 10; 19 12 12; 20 01 01; 20 01 08; 20 03 01", "R1; D10", 500000, False, "38.21"),
    FacilitySpec("Bakı Təhlükəli Tullantılar Toplama Məntəqəsi MMC", "collector", "Baku", "Baku", "08 01 11*; 08 03 12*; 08 04 09*; 12 01 09*; 15 01 10*; 15 02 02*; 16 01 07*; 16 05 06*; 20 01 21*", "R13; D15", 5000, True, "38.12", 4.0),
    FacilitySpec("Sahil Sement Kompleksi ASC", "secondary_user", "Garadagh", "Baku", "01 04 13; 10 01 01; 10 01 02; 10 02 01; 10 02 02; 10 09 03; 10 10 03; 10 12 08; 10 13 14; 16 11 04; 16 11 06; 17 01 01; 17 01 07", "R5", 300000, False, "23.51", same_site_as="cement_sahil"),
    FacilitySpec("Lökbatan Klinker Zavodu MMC", "secondary_user", "Garadagh", "Baku", "05 01 03*; 05 01 06*; 10 01 01; 10 01 02; 10 02 01; 10 02 02; 10 03 02; 10 10 08; 13 02; 16 01 03; 16 11 01*; 19 12 10", "R1; R5", 200000, True, "23.51", same_site_as="cement_lokbatan"),
    FacilitySpec("Xəzər Elektropolad Zavodu ASC", "secondary_user", "Baku", "Baku", "10 02 10; 12 01 01; 12 01 02; 15 01 04; 16 01 17; 17 04 05; 19 10 01; 19 12 02; 20 01 40", "R4", 400000, False, "24.10", same_site_as="steel"),
    FacilitySpec("Qaradağ İnşaat Tullantıları Emalı MMC", "recycler", "Garadagh", "Baku", "01 04 13; 10 12 08; 10 13 11; 10 13 14; 17 01; 17 05 04; 17 09 04", "R5; R13", 100000, False, "38.32", 3.0),
    FacilitySpec("Qaradağ Neftli Şlamların Emalı MMC", "treatment", "Garadagh", "Baku", "01 05; 05 01 03*; 05 01 06*; 05 01 09*; 13 05; 16 07 08*; 17 05 03*", "D9; R9; R13", 150000, True, "38.22", 3.0),
    FacilitySpec("Qaradağ Şin Təkrar Emalı MMC", "recycler", "Garadagh", "Baku", "16 01 03", "R3; R13", 8000, False, "38.32", 3.0),
    # Sumgayit: hazardous waste treatment and landfill, recyclers, the float glass plant
    FacilitySpec("Sumqayıt Təhlükəli Tullantıların Zərərsizləşdirilməsi Mərkəzi", "treatment", "Sumgayit", "Absheron-Khizi", "03 01 04*; 04 02 16*; 05 01; 06; 07; 08; 09 01; 10 02 07*; 10 03 08*; 10 03 09*; 10 03 19*; 11 01; 12 01 09*; 12 01 14*; 15 01 10*; 15 02 02*; 16 05; 16 07 08*; 16 08; 16 11 01*; 19 08", "D9; D15; R13", 60000, True, "38.22", 3.0),
    FacilitySpec("Sumqayıt Təhlükəli Tullantılar Poliqonu", "landfill", "Sumgayit", "Absheron-Khizi", "01 05; 03 01 04*; 04 02; 05 01; 06; 07; 08; 10; 11; 12 01; 15 01 10*; 15 02 02*; 16 08; 16 11; 17 05 03*; 19 01; 19 08", "D5", 200000, True, "38.22", 3.0),
    FacilitySpec("Sumqayıt Yüksək Temperaturlu Yandırma Qurğusu", "incinerator", "Sumgayit", "Absheron-Khizi", "03 01 04*; 04 02 16*; 07 01; 07 02; 07 04; 07 06; 08 01 11*; 08 03 12*; 08 04 09*; 09 01; 13; 14 06; 15 01 10*; 15 02 02*; 16 05 06*", "D10; R1", 15000, True, "38.22", 3.0),
    FacilitySpec("Sumqayıt Metal Qırıntıları MMC", "recycler", "Sumgayit", "Absheron-Khizi", _METALS, "R4; R13", 60000, False, "38.32", 2.0),
    FacilitySpec("Sumqayıt Polimer Təkrar Emalı MMC", "recycler", "Sumgayit", "Absheron-Khizi", _PLASTICS, "R3", 20000, False, "38.32", 2.0),
    FacilitySpec("Sumqayıt Turşu Regenerasiyası MMC", "treatment", "Sumgayit", "Absheron-Khizi", "06 01; 06 02; 11 01 05*; 11 01 06*", "R6; D9", 10000, True, "38.22", 2.0),
    FacilitySpec("Sumqayıt Şəhər Poliqonu", "landfill", "Sumgayit", "Absheron-Khizi", _MUNICIPAL, "D1", 400000, False, "38.21", 3.0),
    FacilitySpec("Abşeron Təbəqə Şüşə Zavodu MMC", "secondary_user", "Sumgayit", "Absheron-Khizi", "10 11 12; 15 01 07; 16 01 20; 17 02 02; 19 12 05; 20 01 02", "R5", 40000, False, "23.11", same_site_as="glass"),
    FacilitySpec("Xırdalan Kompost və Bioqaz MMC", "recycler", "Khirdalan", "Absheron-Khizi", _COMPOST, "R3", 30000, False, "38.21", 2.0),
    # Ganja-Dashkasan
    FacilitySpec("Gəncə Metal Qırıntıları MMC", "recycler", "Ganja", "Ganja-Dashkasan", _METALS, "R4; R13", 40000, False, "38.32", 2.0),
    FacilitySpec("Gəncə Şəhər Poliqonu", "landfill", "Ganja", "Ganja-Dashkasan", _MUNICIPAL, "D1", 300000, False, "38.21", 2.5),
    FacilitySpec("Gəncə Plastik Təkrar Emal MMC", "recycler", "Ganja", "Ganja-Dashkasan", _PLASTICS, "R3", 6000, False, "38.32", 2.0),
    FacilitySpec("Gəncə Alüminium Əritmə Kompleksi ASC", "secondary_user", "Ganja", "Ganja-Dashkasan", "10 03 16; 12 01 03; 16 01 18; 17 04 02", "R4", 10000, False, "24.42", same_site_as="aluminium"),
    # Other regions: municipal landfills, compost, scrap yards, collectors
    FacilitySpec("Mingəçevir Şəhər Poliqonu", "landfill", "Mingachevir", "Central Aran", _MUNICIPAL, "D1", 80000, False, "38.21", 2.0),
    FacilitySpec("Mingəçevir Tekstil Təkrar Emalı MMC", "recycler", "Mingachevir", "Central Aran", "04 02 09; 04 02 21; 04 02 22; 07 02 13; 15 01 02; 20 01 10; 20 01 11", "R3", 8000, False, "38.32", 2.0),
    FacilitySpec("Yevlax Metal Qırıntıları MMC", "recycler", "Yevlakh", "Central Aran", _METALS, "R4; R13", 15000, False, "38.32", 2.0),
    FacilitySpec("Şəki Şəhər Poliqonu", "landfill", "Sheki", "Sheki-Zagatala", _MUNICIPAL, "D1", 50000, False, "38.21", 2.0),
    FacilitySpec("Lənkəran Şəhər Poliqonu", "landfill", "Lankaran", "Lankaran-Astara", _MUNICIPAL, "D1", 60000, False, "38.21", 2.0),
    FacilitySpec("Lənkəran Aqro Kompost MMC", "recycler", "Lankaran", "Lankaran-Astara", _COMPOST, "R3", 10000, False, "38.21", 3.0),
    FacilitySpec("Xaçmaz Rayon Poliqonu", "landfill", "Xaçmaz", "Guba-Khachmaz", _MUNICIPAL, "D1", 40000, False, "38.21", 2.0),
    FacilitySpec("Quba Aqro Kompost MMC", "recycler", "Quba", "Guba-Khachmaz", _COMPOST, "R3", 15000, False, "38.21", 2.0),
    FacilitySpec("Naxçıvan Şəhər Poliqonu", "landfill", "Naxçıvan", "Nakhchivan", _MUNICIPAL, "D1", 50000, False, "38.21", 2.0),
    FacilitySpec("Şirvan Şəhər Poliqonu", "landfill", "Şirvan", "Shirvan-Salyan", _MUNICIPAL, "D1", 40000, False, "38.21", 2.0),
    FacilitySpec("Hacıqabul Sənaye Parkı Metal Qırıntıları MMC", "recycler", "Hacıqabul", "Shirvan-Salyan", _METALS, "R4; R13", 20000, False, "38.32", 2.0),
    FacilitySpec("Qazax Klinker Zavodu MMC", "secondary_user", "Gazakh", "Gazakh-Tovuz", "10 02 01; 10 02 02; 10 10 03; 10 12 08; 10 13 14; 16 11 04; 16 11 06; 17 01 07", "R5", 60000, False, "23.51", same_site_as="cement_gazakh"),
    FacilitySpec("Ağdam Sənaye Parkı Tullantı Toplama Məntəqəsi", "collector", "Aghdam", "Karabakh", "15 01; 16 06 01*; 17 04; 20 01 01; 20 01 39; 20 01 40", "R13; D15", 10000, True, "38.12", 2.0),
)  # fmt: skip

#: Which kind of facility can receive a stream of each fate.
FACILITY_TYPES_FOR_FATE: dict[str, tuple[str, ...]] = {
    "landfilled": ("landfill",),
    "incinerated": ("incinerator",),
    "sold_or_transferred": ("recycler", "secondary_user", "treatment", "collector"),
}

# Shares of a draw, tuned to the brief: about 85 % of quantities in t, 10 % in kg, 5 % in m3.
P_M3_LIQUID = 0.30  # liquids and sludges with a known density reported as a volume
P_KG_SMALL = 0.4  # streams under KG_BELOW_T tonnes reported in kg
KG_BELOW_T = 3.0
P_UNKNOWN_FATE = 0.02
FATE_TOLERANCE = 0.005  # largest deviation from a national share, as a fraction
P_INCINERATED = 0.03  # of the incinerable streams below INCINERATE_BELOW_T
INCINERATE_BELOW_T = 400.0
P_BLANK_OPERATION = 0.03  # besides the streams of unknown fate
P_BLANK_OUTPUT = 0.05
INNER_MARGIN_M = 300.0  # sites at least this far inside their district's boundary


def source_text(seed: int = DEFAULT_SEED) -> str:
    """The text of every row's ``source`` column."""
    return f"synthetic demonstration data (iwm_study.data.demo, seed {seed})"


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def _pick(rng: Generator, items: Sequence, weights: Sequence[float] | None = None):
    """One element of ``items`` (a plain Python object, not a numpy scalar)."""
    if weights is None:
        return items[int(rng.integers(len(items)))]
    p = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=p / p.sum()))]


def _round_sig(value: float, digits: int) -> tuple[float, int]:
    """``value`` rounded to ``digits`` significant figures, and the decimals to print it with."""
    if value <= 0:
        return 0.0, 0
    decimals = digits - 1 - math.floor(math.log10(value))
    rounded = round(value, decimals)
    decimals = digits - 1 - math.floor(math.log10(rounded))  # 9.96 -> 10.0 -> one decimal fewer
    return rounded, max(decimals, 0)


def _sig_text(value: float, digits: int, max_decimals: int = 3) -> str:
    """A quantity as a person types it: rounded to significant figures, no exponent."""
    rounded, decimals = _round_sig(value, digits)
    decimals = min(decimals, max_decimals)
    return f"{round(rounded, decimals):.{decimals}f}"


class _Placer:
    """Puts sites near a place, inside a district of the right region, away from its boundary."""

    def __init__(self) -> None:
        import shapely
        from pyproj import Transformer

        from . import geography

        districts = geography.to_projected(geography.districts())
        self.region_of = dict(zip(districts["district"], districts["economic_region"], strict=True))
        self.inner = {
            d: shapely.buffer(g, -INNER_MARGIN_M)
            for d, g in zip(districts["district"], districts.geometry, strict=True)
        }
        for geom in self.inner.values():
            shapely.prepare(geom)
        self._contains = shapely.contains_xy
        self.to_xy = Transformer.from_crs(
            geography.GEOGRAPHIC_CRS, geography.PROJECTED_CRS, always_xy=True
        )
        self.to_lonlat = Transformer.from_crs(
            geography.PROJECTED_CRS, geography.GEOGRAPHIC_CRS, always_xy=True
        )

        towns = geography.towns().sort_values("name", kind="stable")
        self.places: dict[str, dict] = {}
        for row in towns.itertuples(index=False):
            district = TOWN_DISTRICT.get(row.name, row.district)
            self.places[row.name] = {
                "lonlat": (row.geometry.x, row.geometry.y),
                "district": district,
                "region": self.region_of[district],
                "population": float(row.population),
            }
        for name, (lon, lat, district) in EXTRA_PLACES.items():
            self.places[name] = {
                "lonlat": (lon, lat),
                "district": district,
                "region": self.region_of[district],
                "population": 0.0,
            }

    def towns_of(self, region: str) -> list[str]:
        """GeoNames towns of a region (by their district), largest first."""
        names = [n for n, p in self.places.items() if p["region"] == region and p["population"] > 0]
        return sorted(names, key=lambda n: (-self.places[n]["population"], n))

    def place(self, rng: Generator, place: str, sigma_km: float) -> tuple[float, float, str, str]:
        """A jittered site near ``place``: (longitude, latitude, district, region).

        Draws until the rounded point lies at least INNER_MARGIN_M inside the place's district;
        after many misses any district of the same region will do, and the jitter widens.
        """
        info = self.places[place]
        x0, y0 = self.to_xy.transform(*info["lonlat"])
        same_region = sorted(d for d, r in self.region_of.items() if r == info["region"])
        for attempt in range(2000):
            sigma = sigma_km * 1000.0 * (1.0 + attempt / 50.0)
            dx, dy = rng.normal(0.0, sigma, size=2)
            lon, lat = self.to_lonlat.transform(x0 + dx, y0 + dy)
            lon, lat = round(lon, 5), round(lat, 5)
            x, y = self.to_xy.transform(lon, lat)
            candidates = [info["district"]] if attempt < 200 else same_region
            for district in candidates:
                if self._contains(self.inner[district], x, y):
                    return lon, lat, district, self.region_of[district]
        raise RuntimeError(f"could not place a site near {place}")  # pragma: no cover


def _sector_weights(place_kind: str, region: str) -> dict[str, float]:
    mix = dict(PLACE_MIX[place_kind])
    if place_kind == "regional":
        for sector, factor in REGION_EMPHASIS.get(region, {}).items():
            mix[sector] = mix.get(sector, 1.0) * factor
    return mix


def _company_name(rng: Generator, sector: Sector, town: str, employees: int, used: set[str]) -> str:
    """A fictional Azerbaijani company name, unique within the dataset."""
    town_az = AZ_TOWN.get(town)
    form_weights = (0.45, 0.3, 0.25) if employees >= 250 else (0.8, 0.15, 0.05)
    for attempt in range(50):
        prefix = town_az if town_az and rng.random() < 0.45 else _pick(rng, BRANDS)
        name = f"{prefix} {_pick(rng, sector.words)} {_pick(rng, LEGAL_FORMS, form_weights)}"
        if attempt >= 20:  # crowded combination: number it as registries do
            name = f"{prefix} {_pick(rng, sector.words)} {attempt - 18} {_pick(rng, LEGAL_FORMS, form_weights)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("could not find a unique company name")  # pragma: no cover


def _enterprise(
    rng: Generator,
    placer: _Placer,
    sector_key: str,
    place: str,
    sigma_km: float,
    used: set[str],
    name: str | None = None,
    median_employees: float | None = None,
) -> dict:
    sector = SECTORS[sector_key]
    lon, lat, district, region = placer.place(rng, place, sigma_km)
    median, sigma = sector.employees
    if median_employees is not None:
        median, sigma = median_employees, 0.1
    employees = int(np.clip(round(median * math.exp(rng.normal(0.0, sigma))), 3, 5000))
    output = employees * sector.kazn_per_employee * math.exp(rng.normal(0.0, 0.35))
    return {
        "sector": sector_key,
        "place": place,
        "name": name or _company_name(rng, sector, place, employees, used),
        "economic_region": region,
        "district": district,
        "longitude": lon,
        "latitude": lat,
        "nace_code": sector.nace,
        "employees": employees,
        "output_value_kazn": None if rng.random() < P_BLANK_OUTPUT else output,
        "recp_interest": _pick(rng, RECP_LEVELS, (0.2, 0.3, 0.3, 0.2)),
        "flagship": name is not None,
        "reference_year": int(_pick(rng, (2021, 2022, 2023), (0.07, 0.85, 0.08))),
    }


def _enterprises(rng: Generator, placer: _Placer) -> list[dict]:
    used: set[str] = {f.name for f in FLAGSHIPS}
    rows: list[dict] = []
    for region, count in REGION_COUNTS.items():
        flagships = [f for f in FLAGSHIPS if f.region == region]
        for f in flagships:
            row = _enterprise(
                rng, placer, f.sector, f.place, f.jitter_km, used, f.name, FLAGSHIP_EMPLOYEES[f.key]
            )
            row["key"] = f.key
            rows.append(row)
        towns = placer.towns_of(region)
        weights = [placer.places[t]["population"] for t in towns]
        for _ in range(count - len(flagships)):
            town = _pick(rng, towns, weights)
            pop = placer.places[town]["population"]
            sigma_km = 1.2 + 1.2 * math.log10(max(pop, 5000.0) / 5000.0)
            kind = DISTRICT_PLACE.get(placer.places[town]["district"], "regional")
            mix = _sector_weights(kind, region)
            sector = _pick(rng, sorted(mix), [mix[k] for k in sorted(mix)])
            rows.append(_enterprise(rng, placer, sector, town, sigma_km, used))
    for i, row in enumerate(rows, start=1):
        row["enterprise_id"] = f"ENT-{i:04d}"
    return rows


def _streams_of(rng: Generator, ent: dict) -> list[dict]:
    """1-6 waste streams of one enterprise: its sector's main waste first."""
    sector = SECTORS[ent["sector"]]
    employees = ent["employees"]
    own = list(sector.streams)
    own_codes = {code for code, _ in own}
    generic = [(code, t) for code, t, _ in GENERIC_STREAMS if code not in own_codes]
    generic_w = [w for code, _, w in GENERIC_STREAMS if code not in own_codes]
    if ent["flagship"]:
        chosen = own[:6]
        while len(chosen) < 6:
            pick = _pick(rng, generic, generic_w)
            if pick not in chosen:
                chosen.append(pick)
    else:
        p = float(np.clip(0.12 + 0.09 * math.log10(employees), 0.1, 0.6))
        n = 1 + int(rng.binomial(5, p))
        pool = own[1:] + generic
        pool_w = [3.0] * (len(own) - 1) + generic_w
        idx = rng.choice(
            len(pool), size=min(n - 1, len(pool)), replace=False, p=np.array(pool_w) / sum(pool_w)
        )
        chosen = [own[0]] + [pool[i] for i in sorted(idx)]
    streams = []
    for code, t_per_employee in chosen:
        tonnes = t_per_employee * employees * math.exp(rng.normal(0.0, 0.6))
        quality = _pick(
            rng, DATA_QUALITY, (0.35, 0.3, 0.35) if ent["flagship"] else (0.12, 0.2, 0.68)
        )
        streams.append({"enterprise_id": ent["enterprise_id"], "ewc_code": code, "tonnes_drawn": tonnes,
                        "data_quality": quality, "reference_year": ent["reference_year"]})  # fmt: skip
    return streams


def _express(rng: Generator, stream: dict) -> None:
    """Choose the unit and write the quantity as text, rounded as the quality allows."""
    waste = WASTES[stream["ewc_code"]]
    tonnes = stream["tonnes_drawn"]
    digits = {"measured": 4, "calculated": 3, "estimated": 2}[stream["data_quality"]]
    if waste.density is not None and rng.random() < P_M3_LIQUID:
        density = round(waste.density * math.exp(rng.normal(0.0, 0.03)), 2)
        unit, value, density_text = "m3", tonnes / density, f"{density:.2f}"
    elif tonnes < KG_BELOW_T and rng.random() < P_KG_SMALL:
        unit, value, density_text = "kg", tonnes * 1000.0, ""
    else:
        unit, value, density_text = "t", tonnes, ""
    if unit == "t" and value < 0.05:  # nobody writes 0.004 t
        unit, value = "kg", value * 1000.0
    text = _sig_text(value, digits, max_decimals=0 if unit == "kg" else 2)
    if float(text) == 0:
        text = "1" if unit == "kg" else "0.01"
    stream.update(unit=unit, quantity=text, density_t_m3=density_text)


def _tonnes(streams: pd.DataFrame) -> np.ndarray:
    """Tonnes per year of the written quantities, through the toolkit's one unit converter."""
    from .validate import to_tonnes

    density = pd.to_numeric(streams["density_t_m3"].replace("", np.nan))
    return to_tonnes(pd.to_numeric(streams["quantity"]), streams["unit"], density).to_numpy()


def _national_targets() -> dict[str, float]:
    from . import codes

    fates = codes.fate_categories()
    national = fates[fates["ssc_category"]]
    return dict(zip(national["fate"], national["national_share_2022_pct"] / 100.0, strict=True))


def _assign_fates(rng: Generator, streams: pd.DataFrame, tonnes: np.ndarray) -> list[str]:
    """Fates whose tonnage-weighted shares follow the national 2022 shares.

    A few small streams are set aside as unknown or incinerated. Every other stream first draws
    a fate by how plausible it is for its kind of waste. Then, while a national share is off by
    more than FATE_TOLERANCE, the single move of one stream to another plausible fate that
    brings the shares closest to the national ones (weighed by the plausibility of the new fate)
    is made. The draw sets what most streams do; a few moves, mostly of big streams, settle the
    tonnage shares.
    """
    targets = _national_targets()
    names = list(targets)
    handling = [HANDLING[WASTES[c].handling] for c in streams["ewc_code"]]
    fate = [""] * len(streams)
    small = tonnes < np.quantile(tonnes, 0.9)
    for i, h in enumerate(handling):
        if small[i] and rng.random() < P_UNKNOWN_FATE:
            fate[i] = "unknown"
        elif h.incinerable and tonnes[i] < INCINERATE_BELOW_T and rng.random() < P_INCINERATED:
            fate[i] = "incinerated"
    rest = np.array([i for i, f in enumerate(fate) if not f])
    weights = np.array([[handling[i].weights[f] for f in names] for i in rest])
    liquid = streams["physical_state"].to_numpy()[rest] == "liquid"
    weights[liquid, names.index("landfilled")] = 0.0  # liquids are not landfilled
    weights /= weights.sum(axis=1, keepdims=True)
    choice = np.array([rng.choice(len(names), p=w) for w in weights])
    share = tonnes[rest] / tonnes[rest].sum()
    target = np.array([targets[f] for f in names])
    allocated = np.bincount(choice, weights=share, minlength=len(names))
    rows = np.arange(len(rest))
    for _ in range(len(rest)):
        dev = allocated - target
        if np.abs(dev).max() <= FATE_TOLERANCE:
            break
        # Change of the sum of squared deviations when stream k moves from its fate to fate b.
        delta = 2 * share[:, None] * (share[:, None] - dev[choice][:, None] + dev[None, :])
        score = np.where((weights > 0) & (delta < 0), delta * weights, np.inf)
        score[rows, choice] = np.inf
        k, b = np.unravel_index(int(np.argmin(score)), score.shape)
        if not np.isfinite(score[k, b]):
            break
        allocated[choice[k]] -= share[k]
        allocated[b] += share[k]
        choice[k] = b
    for k, i in enumerate(rest):
        fate[i] = names[choice[k]]
    return fate


def _operation(rng: Generator, fate: str, code: str) -> str:
    """The R/D operation consistent with a stream's fate and kind of waste."""
    h = HANDLING[WASTES[code].handling]
    hazardous = code.endswith("*")
    if fate in ("unknown", "") or rng.random() < P_BLANK_OPERATION:
        return ""
    if fate == "landfilled":
        return "D5" if hazardous or rng.random() < 0.35 else "D1"
    if fate == "incinerated":
        return "R1" if h.fuel and rng.random() < 0.6 else "D10"
    if fate == "kept_on_site":
        if h.recovery and h.recovery != ("R13",):
            return (
                "D15"
                if hazardous and rng.random() < 0.5
                else _pick(rng, ("R13", "D15"), (0.7, 0.3))
            )
        return "D15"
    if fate == "sold_or_transferred":
        if rng.random() < 0.1:
            return "R13"  # to a collector or trader
        if h.transfer and (not h.recovery or rng.random() < 0.5):
            return _pick(rng, h.transfer)
        return _pick(rng, h.recovery)
    # used_as_raw_material, exported: a recovery operation
    return _pick(rng, [op for op in h.recovery if op.startswith("R")])


def _accepts(accepted: list[str], code: str) -> bool:
    digits = code.rstrip("*")
    return any(digits.startswith(prefix.rstrip("*")) for prefix in accepted)


def _neighbours() -> dict[str, set[str]]:
    """Each economic region and those that share a border with it (within 1 km)."""
    from . import geography

    regions = geography.to_projected(geography.economic_regions())
    names = list(regions["economic_region"])
    geoms = list(regions.geometry)
    out: dict[str, set[str]] = {}
    for a, ga in zip(names, geoms, strict=True):
        grown = ga.buffer(1000.0)
        out[a] = {a} | {
            b for b, gb in zip(names, geoms, strict=True) if b != a and grown.intersects(gb)
        }
    return out


def _destinations(
    streams: pd.DataFrame,
    tonnes: np.ndarray,
    enterprises: pd.DataFrame,
    facilities: pd.DataFrame,
    placer: _Placer,
) -> list[str]:
    """The nearest suitable facility with room left, for landfilled, sold and incinerated streams.

    Suitable: the right kind for the fate, accepts the EWC code (chapter, sub-chapter or code),
    carries out the stream's operation (when given), is permitted for hazardous waste if needed,
    and lies in the enterprise's economic region or a neighbouring one.
    """
    near = _neighbours()
    ent = enterprises.set_index("enterprise_id")
    fac_xy = np.array([placer.to_xy.transform(float(x), float(y))
                       for x, y in zip(facilities["longitude"], facilities["latitude"], strict=True)])  # fmt: skip
    accepted = [[p.strip() for p in a.split(";")] for a in facilities["accepted_ewc"]]
    operations = [{p.strip() for p in o.split(";")} for o in facilities["operations"]]
    room = facilities["capacity_t_yr"].astype(float).to_numpy().copy()
    out = [""] * len(streams)
    for i, s in enumerate(streams.itertuples(index=False)):
        kinds = FACILITY_TYPES_FOR_FATE.get(s.fate)
        if not kinds:
            continue
        e = ent.loc[s.enterprise_id]
        regions = near[e["economic_region"]]
        ok = [
            j for j, f in enumerate(facilities.itertuples(index=False))
            if f.facility_type in kinds
            and f.economic_region in regions
            and (f.hazardous_permitted == "yes" or not s.ewc_code.endswith("*"))
            and (not s.operation or s.operation in operations[j])
            and _accepts(accepted[j], s.ewc_code)
            and room[j] >= tonnes[i]
        ]  # fmt: skip
        if not ok:
            continue
        x, y = placer.to_xy.transform(float(e["longitude"]), float(e["latitude"]))
        best = min(ok, key=lambda j: (math.hypot(fac_xy[j, 0] - x, fac_xy[j, 1] - y), j))
        room[best] -= tonnes[i]
        out[i] = facilities["facility_id"].iloc[best]
    return out


def _facilities(rng: Generator, placer: _Placer, enterprises: list[dict]) -> list[dict]:
    by_key = {e["key"]: e for e in enterprises if "key" in e}
    rows = []
    for i, spec in enumerate(FACILITIES, start=1):
        if spec.same_site_as:
            site = by_key[spec.same_site_as]
            lon, lat, district, region = (
                site["longitude"],
                site["latitude"],
                site["district"],
                site["economic_region"],
            )
        else:
            lon, lat, district, region = placer.place(rng, spec.place, spec.jitter_km)
        if region != spec.region:  # pragma: no cover - a mistake in FACILITIES
            raise ValueError(f"{spec.name}: placed in {region}, expected {spec.region}")
        rows.append({
            "facility_id": f"FAC-{i:03d}",
            "name": spec.name,
            "facility_type": spec.facility_type,
            "economic_region": region,
            "district": district,
            "longitude": lon,
            "latitude": lat,
            "accepted_ewc": spec.accepted,
            "operations": spec.operations,
            "capacity_t_yr": spec.capacity,
            "hazardous_permitted": "yes" if spec.hazardous else "no",
            "nace_code": spec.nace,
        })  # fmt: skip
    return rows


def _as_table(rows: list[dict], table: str, source: str) -> pd.DataFrame:
    """Rows -> the schema's columns, in order, every cell as text."""
    frame = pd.DataFrame(rows)
    frame["source"] = source
    columns = list(TABLES[table].column_names)
    return frame[columns].astype(str).reset_index(drop=True)


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The demonstration tables ``enterprises``, ``waste_streams`` and ``facilities``.

    Every cell is text as it would be typed in a CSV file (blank cells are ""); the columns are
    those of ``iwm_study.data.schema`` in order, and rows are sorted by their identifier. The
    same seed always gives the same tables.
    """
    rng = np.random.default_rng(seed)
    placer = _Placer()
    source = source_text(seed)

    enterprises = _enterprises(rng, placer)
    facilities = _facilities(rng, placer, enterprises)

    streams = [s for ent in enterprises for s in _streams_of(rng, ent)]
    for s in streams:
        _express(rng, s)
    for i, s in enumerate(streams, start=1):
        s["stream_id"] = f"WS-{i:05d}"
    sframe = pd.DataFrame(streams)
    sframe["description"] = [WASTES[c].description for c in sframe["ewc_code"]]
    sframe["physical_state"] = [WASTES[c].state for c in sframe["ewc_code"]]
    tonnes = _tonnes(sframe)
    sframe["fate"] = _assign_fates(rng, sframe, tonnes)
    sframe["operation"] = [
        _operation(rng, f, c) for f, c in zip(sframe["fate"], sframe["ewc_code"], strict=True)
    ]

    for e in enterprises:
        e["longitude"], e["latitude"] = f"{e['longitude']:.5f}", f"{e['latitude']:.5f}"
        value = e["output_value_kazn"]
        e["output_value_kazn"] = "" if value is None else _sig_text(value, 3, max_decimals=0)
    for f in facilities:
        f["longitude"], f["latitude"] = f"{f['longitude']:.5f}", f"{f['latitude']:.5f}"
        f["capacity_t_yr"] = _sig_text(f["capacity_t_yr"], 3, max_decimals=0)
    ent_table = _as_table(enterprises, "enterprises", source)
    fac_table = _as_table(facilities, "facilities", source)

    sframe["destination_facility_id"] = _destinations(sframe, tonnes, ent_table, fac_table, placer)
    sframe["fate"] = sframe["fate"].replace("unknown", "")
    # A non-hazardous mirror entry needs the assessment behind it; the demonstration says one
    # was made where the quantity was measured or calculated, and leaves the estimated ones for intake to warn about.
    mirrors = codes.mirror_entries()
    hazardous = codes.hazardous_entries()
    sframe["hazard_assessment"] = [
        MIRROR_ASSESSMENT if q != "estimated" and c in mirrors and c not in hazardous else ""
        for c, q in zip(sframe["ewc_code"], sframe["data_quality"], strict=True)
    ]
    return {
        "enterprises": ent_table,
        "waste_streams": _as_table(sframe.to_dict("records"), "waste_streams", source),
        "facilities": fac_table,
    }


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def summary(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Key figures of a demonstration dataset (counts, tonnes, fate shares) for its README."""
    ent, streams = tables["enterprises"], tables["waste_streams"]
    tonnes = _tonnes(streams)
    hazardous = streams["ewc_code"].str.endswith("*").to_numpy()
    fates = streams["fate"].replace("", "unknown")
    targets = _national_targets()
    national_t = float(tonnes[fates.isin(list(targets)).to_numpy()].sum())
    shares = {f: float(tonnes[(fates == f).to_numpy()].sum()) / national_t for f in targets}
    other = {f: float(tonnes[(fates == f).to_numpy()].sum()) for f in ("incinerated", "unknown")}
    return {
        "per_region": ent["economic_region"].value_counts().sort_index().to_dict(),
        "enterprises": len(ent),
        "streams": len(streams),
        "facilities": len(tables["facilities"]),
        "tonnes": float(tonnes.sum()),
        "hazardous_tonnes": float(tonnes[hazardous].sum()),
        "fate_shares": shares,
        "national_shares": targets,
        "other_fates_t": other,
        "units": streams["unit"].value_counts().to_dict(),
    }


def _readme(tables: dict[str, pd.DataFrame], seed: int) -> str:
    s = summary(tables)
    order = sorted(s["per_region"], key=lambda r: (-s["per_region"][r], r))
    regions = "\n".join(f"| {r} | {s['per_region'][r]} |" for r in order)
    fates = "\n".join(
        f"| {f} | {100 * s['fate_shares'][f]:.1f} % | {100 * s['national_shares'][f]:.1f} % |"
        for f in s["national_shares"]
    )
    return f"""# Demonstration dataset (synthetic)

**Every enterprise, waste stream, quantity and facility in this folder is invented.** The data
only looks like an Industrial Waste Mapping inventory of Azerbaijan so that the toolkit's
notebooks and reports can be run, read and taught without confidential survey data. Do not quote
any figure from it as a fact about a real enterprise, town or region, and keep the word
"synthetic" on every report that shows it.

| file | rows | what it is |
| --- | --- | --- |
| `enterprises.csv` | {s["enterprises"]} | waste generators: name, region, district, site, NACE Rev.2, size, RECP interest |
| `waste_streams.csv` | {s["streams"]} | their waste streams: EWC code, quantity, unit, fate, operation, destination |
| `facilities.csv` | {s["facilities"]} | recyclers, treatment plants, incinerators, landfills, users of secondary materials |

Columns follow `iwm_study/data/schema.py`; every row's `source` says
"{source_text(seed)}".

## How it was made

```sh
python -m iwm_study.data.demo --out data/demo --seed {seed}
```

`iwm_study/data/demo.py` draws everything with NumPy's `default_rng({seed})`: the same seed
always writes the same bytes, and a test checks that this folder equals a fresh run. The sector
profiles, waste entries, handling rules and facilities are tables at the top of that module.

## What it resembles

- **Where**: {s["enterprises"]} enterprises in all 14 economic regions (decree of 7 July 2021),
  most of them in Baku and Absheron-Khizi (Sumgayit and Khirdalan), the regions of the
  Azerbaijani IWM pilot, and in Ganja-Dashkasan. Each site is a few kilometres from a real town
  (larger towns get more sites) and at least 300 m inside the district polygon named in its row.
- **What**: sector mixes by place: chemicals, polymers, pesticides, glass, carpets and steel
  pipes in Sumgayit; cement in Garadagh, steel, oil refining, oilfield services, food, building
  materials and metal products in Baku; aluminium, vehicles, food and textiles in Ganja;
  textiles and electrical equipment in Mingachevir; food, wine, textiles, wood and building
  materials elsewhere. Company names are fictional; plant sizes echo the kind of plant, not any
  real company.
- **Waste**: 1-6 streams per enterprise coded with the European List of Waste (Decision
  2000/532/EC as amended by 2014/955/EU), hazardous entries starred, quantities lognormal
  around typical tonnes per employee of each sector: {s["tonnes"]:,.0f} t/yr in all, of which
  {s["hazardous_tonnes"]:,.0f} t/yr hazardous. Quantities are in t ({s["units"].get("t", 0)}
  streams), kg ({s["units"].get("kg", 0)}) or m3 with a density ({s["units"].get("m3", 0)}).
- **Fates**: drawn per kind of waste, then calibrated so that the tonnage-weighted shares match
  the State Statistical Committee's national shares for 2022. Shares below are of the tonnes
  with one of these five fates; besides them {s["other_fates_t"]["incinerated"]:,.0f} t are
  incinerated and {s["other_fates_t"]["unknown"]:,.0f} t have a blank (unknown) fate.

| fate | this dataset | Azerbaijan 2022 |
| --- | --- | --- |
{fates}

- **Facilities**: recyclers in the Balakhani industrial park, the Balakhani landfill and a
  waste-to-energy plant in Baku, cement plants in Garadagh that take slag and other mineral
  waste, a hazardous waste treatment centre, landfill and incinerator in Sumgayit, scrap yards,
  compost sites and municipal landfills in the regions. A stream's destination is the nearest
  facility of the right kind in its own or a neighbouring economic region that accepts its EWC
  code and operation and still has capacity; where none does, it is blank.

## What it does not resemble

- Any real enterprise, its waste or its permits: the quantities are not survey results.
- National totals: mining and quarrying, power generation, agriculture, households and services
  are left out (oil and gas appear only as a refinery and a few drilling contractors), so the
  totals and the hazardous share are not Azerbaijan's.
- A register of facilities: names, capacities and accepted wastes are plausible, not permits.
- Exact locations: Natural Earth's district polygons are heavily simplified, so sites near a
  town whose point falls in a neighbouring polygon (Khirdalan, Mingachevir, ...) are drawn in
  the town's own district, a few kilometres off; the Garadagh industrial area is one invented
  point south-west of central Baku.

## Enterprises per economic region

| economic region | enterprises |
| --- | --- |
{regions}

## Attributions

- Towns near which sites are placed: GeoNames `cities5000`, CC BY 4.0 (geonames.org).
- District and economic-region boundaries: Made with Natural Earth (public domain).
- National fate shares: State Statistical Committee of the Republic of Azerbaijan, 2022.
"""


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write(
    out_dir: str | Path, seed: int = DEFAULT_SEED, tables: dict[str, pd.DataFrame] | None = None
) -> list[Path]:
    """Write ``enterprises.csv``, ``waste_streams.csv``, ``facilities.csv`` and ``README.md``.

    CSV files are UTF-8 without BOM, ``\\n`` line endings, no index; the same seed always writes
    the same bytes. ``tables`` may pass an already generated dataset of that seed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate(seed) if tables is None else tables
    written = []
    for name in ("enterprises", "waste_streams", "facilities"):
        path = out / f"{name}.csv"
        _write_text(path, tables[name].to_csv(index=False, lineterminator="\n"))
        written.append(path)
    readme = out / "README.md"
    _write_text(readme, _readme(tables, seed))
    written.append(readme)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m iwm_study.data.demo",
        description="Write the synthetic demonstration dataset (three CSV files and a README).",
    )
    parser.add_argument("--out", default="data/demo", help="output folder (default: data/demo)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    for path in write(args.out, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
