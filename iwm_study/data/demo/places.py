"""Where the demonstration's enterprises are: regions, towns, places and names."""

from __future__ import annotations

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
