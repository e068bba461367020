"""The facilities that receive the demonstration's waste, and the fates each kind serves.

``FACILITIES`` receive waste in the inventory (streams name them as their destination);
``POTENTIAL_RECEIVERS`` are farms and civil engineering firms that take none today but could
use agricultural by-products and inert mineral waste: the circular matching finds them. Every
name is fictional; the places are real towns of the regions.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    FacilitySpec("Sahil Sement Kompleksi ASC", "secondary_user", "Garadagh", "Baku", "01 04 13; 10 01 01; 10 01 02; 10 09 03; 10 10 03; 10 12 08; 10 13 14; 16 11 04; 16 11 06; 17 01 01; 17 01 07", "R5", 300000, False, "23.51", same_site_as="cement_sahil"),
    FacilitySpec("Lökbatan Klinker Zavodu MMC", "secondary_user", "Garadagh", "Baku", "05 01 03*; 05 01 06*; 10 01 01; 10 01 02; 10 03 02; 10 10 08; 13 02; 16 01 03; 16 11 01*; 19 12 10", "R1; R5", 200000, True, "23.51", same_site_as="cement_lokbatan"),
    FacilitySpec("Xəzər Elektropolad Zavodu ASC", "secondary_user", "Baku", "Baku", "10 02 10; 12 01 01; 12 01 02; 15 01 04; 16 01 17; 17 04 05; 19 10 01; 19 12 02; 20 01 40", "R4", 400000, False, "24.10", same_site_as="steel"),
    FacilitySpec("Qaradağ İnşaat Tullantıları Emalı MMC", "recycler", "Garadagh", "Baku", "01 04 13; 10 02 01; 10 02 02; 10 12 08; 10 13 11; 10 13 14; 17 01; 17 05 04; 17 09 04", "R5; R13", 100000, False, "38.32", 3.0),
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
    FacilitySpec("Qazax Klinker Zavodu MMC", "secondary_user", "Gazakh", "Gazakh-Tovuz", "10 10 03; 10 12 08; 10 13 14; 16 11 04; 16 11 06; 17 01 07", "R5", 60000, False, "23.51", same_site_as="cement_gazakh"),
    FacilitySpec("Ağdam Sənaye Parkı Tullantı Toplama Məntəqəsi", "collector", "Aghdam", "Karabakh", "15 01; 16 06 01*; 17 04; 20 01 01; 20 01 39; 20 01 40", "R13; D15", 10000, True, "38.12", 2.0),
)  # fmt: skip

#: Plant-based by-products a livestock farm takes as feed (no animal by-products: Regulation
#: (EC) No 1069/2009), and those a crop farm composts or spreads (manure: R10).
_FEED = "02 01 03; 02 03 04; 02 06 01; 02 07 02; 02 07 04"
_SOIL = "02 01 03; 02 01 06; 02 03 04; 02 07 04"
#: Inert mineral waste a civil engineering firm uses as aggregate or fill (EN 13242).
_AGGREGATE = "01 04 08; 01 04 09; 10 02 01; 10 02 02; 10 12 08; 10 13 14; 17 01"

POTENTIAL_RECEIVERS: tuple[FacilitySpec, ...] = (
    # Ganja-Dashkasan: cattle in Goranboy, vineyards round Goygol, a road builder in Ganja
    FacilitySpec("Dəliməmmədli Süd Ferması MMC", "secondary_user", "Dalimammadli", "Ganja-Dashkasan", _FEED, "R3", 3000, False, "01.41", 2.0),
    FacilitySpec("Göygöl Üzüm Bağları MMC", "secondary_user", "Goygol", "Ganja-Dashkasan", _SOIL, "R3; R10", 2500, False, "01.21", 2.0),
    FacilitySpec("Gəncə Yol Tikinti MMC", "secondary_user", "Ganja", "Ganja-Dashkasan", _AGGREGATE, "R5", 50000, False, "42.11", 3.0),
    # Baku and Absheron-Khizi: a road builder in Garadagh, one near Saray, a dairy farm at Saray
    FacilitySpec("Qaradağ Yol Tikinti MMC", "secondary_user", "Garadagh", "Baku", _AGGREGATE, "R5", 60000, False, "42.11", 3.0),
    FacilitySpec("Abşeron Yol-Tikinti MMC", "secondary_user", "Saray", "Absheron-Khizi", _AGGREGATE, "R5", 40000, False, "42.11", 2.0),
    FacilitySpec("Saray Heyvandarlıq Təsərrüfatı MMC", "secondary_user", "Saray", "Absheron-Khizi", _FEED, "R3", 2000, False, "01.41", 2.0),
)  # fmt: skip

#: Which kind of facility can receive a stream of each fate.
FACILITY_TYPES_FOR_FATE: dict[str, tuple[str, ...]] = {
    "landfilled": ("landfill",),
    "incinerated": ("incinerator",),
    "sold_or_transferred": ("recycler", "secondary_user", "treatment", "collector"),
}
