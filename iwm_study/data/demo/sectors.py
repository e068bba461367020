"""What the demonstration's enterprises make: sector profiles, places and flagships."""

from __future__ import annotations

from dataclasses import dataclass

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
