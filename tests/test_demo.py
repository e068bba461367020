"""The synthetic demonstration dataset: deterministic, in sync with its committed copy, realistic."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from iwm_study.data import codes, demo, geography, validate_study
from iwm_study.data.schema import DATA_QUALITY, PHYSICAL_STATES, RECP_LEVELS, TABLES

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "demo"
FILES = (
    "enterprises.csv",
    "waste_streams.csv",
    "facilities.csv",
    "register.csv",
    "regional_statistics.csv",
    "README.md",
)
TABLE_NAMES = ("enterprises", "waste_streams", "facilities")
POPULATION = ("register", "regional_statistics")

#: State Statistical Committee of Azerbaijan, 2022: fate of enterprises' waste (IWM_BRIEF.md).
NATIONAL_2022 = {
    "used_as_raw_material": 28.5,
    "sold_or_transferred": 42.7,
    "exported": 3.8,
    "landfilled": 13.8,
    "kept_on_site": 11.2,
}
#: A few entries of the List of Waste and whether they are hazardous (Decision 2014/955/EU).
KNOWN_HAZARD = {
    "01 05 05": True,
    "01 05 08": False,
    "10 02 02": False,
    "10 02 07": True,
    "10 03 04": True,
    "10 03 08": True,
    "10 13 06": False,
    "13 02 05": True,
    "15 01 02": False,
    "15 01 10": True,
    "16 06 01": True,
    "16 11 01": True,
    "20 03 01": False,
}
AZ_LETTERS = "əşçğıöü"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return demo.generate(2021)


def tonnes(streams: pd.DataFrame) -> pd.Series:
    """Tonnes per year, computed here independently of the toolkit's converter."""
    quantity = streams["quantity"].astype(float)
    factor = streams["unit"].map({"t": 1.0, "kg": 0.001})
    volume = streams["unit"] == "m3"
    factor[volume] = streams.loc[volume, "density_t_m3"].astype(float)
    assert factor.notna().all()
    return quantity * factor


def read_text_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# --- determinism and the committed copy -------------------------------------------------------


def test_generate_is_deterministic(tables):
    again = demo.generate(2021)
    for name in TABLE_NAMES + POPULATION:
        pd.testing.assert_frame_equal(tables[name], again[name])


def test_other_seed_gives_other_data(tables):
    other = demo.generate(7)
    assert not tables["waste_streams"]["quantity"].equals(other["waste_streams"]["quantity"])
    assert set(other["waste_streams"]["source"]) == {demo.source_text(7)}


def test_write_twice_gives_identical_bytes(tmp_path):
    first = demo.write(tmp_path / "a")
    assert demo.main(["--out", str(tmp_path / "b"), "--seed", "2021"]) == 0
    assert [p.name for p in first] == list(FILES)
    for name in FILES:
        data = (tmp_path / "a" / name).read_bytes()
        assert data == (tmp_path / "b" / name).read_bytes(), name
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, name
        data.decode("utf-8")


def test_committed_copy_equals_a_fresh_generate(tables, tmp_path):
    for name in TABLE_NAMES + POPULATION:
        committed = read_text_csv(COMMITTED / f"{name}.csv")
        pd.testing.assert_frame_equal(committed, tables[name], check_dtype=False)
    demo.write(tmp_path, tables=tables)
    for name in FILES:
        assert (COMMITTED / name).read_bytes() == (tmp_path / name).read_bytes(), (
            f"data/demo/{name} drifted from its generator: "
            "rerun python -m iwm_study.data.demo --out data/demo --seed 2021"
        )


def test_the_toolkit_validator_accepts_the_committed_copy():
    report = validate_study(COMMITTED)
    assert report.ok, report.to_frame().to_string()


# --- shape --------------------------------------------------------------------------------------


def test_columns_and_text_cells_follow_the_schema(tables):
    for name in TABLE_NAMES:
        frame = tables[name]
        assert tuple(frame.columns) == TABLES[name].column_names
        assert frame.map(lambda v: isinstance(v, str)).all().all(), name
        assert set(frame["source"]) == {
            "synthetic demonstration data (iwm_study.data.demo, seed 2021)"
        }
        for col in TABLES[name].columns:
            if not col.nullable:
                assert (frame[col.name] != "").all(), f"{name}.{col.name} has blanks"
            if col.choices:
                assert set(frame[col.name]) - {""} <= set(col.choices), f"{name}.{col.name}"


def test_identifiers_are_unique_sorted_and_referenced(tables):
    ent, streams, fac = (tables[n] for n in TABLE_NAMES)
    for frame, key in ((ent, "enterprise_id"), (streams, "stream_id"), (fac, "facility_id")):
        assert frame[key].is_unique
        assert frame[key].is_monotonic_increasing
    assert set(streams["enterprise_id"]) == set(ent["enterprise_id"])  # every enterprise has waste
    per_enterprise = streams.groupby("enterprise_id").size()
    assert per_enterprise.between(1, 6).all()
    assert ent["name"].is_unique


def test_sizes_are_as_asked(tables):
    assert 550 <= len(tables["enterprises"]) <= 650
    assert 35 <= len(tables["facilities"]) <= 60  # with the farms and builders that receive waste
    ent = tables["enterprises"]
    assert set(ent["recp_interest"]) == set(RECP_LEVELS)
    assert (ent["employees"].astype(int) > 0).all()
    blank_output = (ent["output_value_kazn"] == "").mean()
    assert 0.02 <= blank_output <= 0.09


# --- geography ------------------------------------------------------------------------------------


def test_all_regions_present_with_pilots_holding_most(tables):
    counts = tables["enterprises"]["economic_region"].value_counts()
    assert set(counts.index) == set(geography.economic_regions()["economic_region"])
    assert len(counts) == 14
    main = counts[["Baku", "Absheron-Khizi", "Ganja-Dashkasan"]]
    assert main.sum() > len(tables["enterprises"]) / 2
    assert counts.drop(main.index).min() >= 8
    assert counts["Baku"] == counts.max()


@pytest.mark.parametrize("name", ["enterprises", "facilities"])
def test_every_site_lies_in_the_district_it_names(tables, name):
    frame = tables[name]
    points = gpd.GeoSeries(
        gpd.points_from_xy(frame["longitude"].astype(float), frame["latitude"].astype(float)),
        crs=geography.GEOGRAPHIC_CRS,
    )
    districts = geography.districts().set_index("district")
    polygons = gpd.GeoSeries(
        list(districts.geometry.loc[frame["district"]]), crs=geography.GEOGRAPHIC_CRS
    )
    inside = polygons.covers(points)
    assert inside.all(), frame.loc[~inside.to_numpy(), ["district", "longitude", "latitude"]]
    regions = districts["economic_region"].loc[frame["district"]].to_numpy()
    assert (regions == frame["economic_region"].to_numpy()).all()


# --- codes ----------------------------------------------------------------------------------------


def test_ewc_codes_are_well_formed_and_exist(tables):
    streams = tables["waste_streams"]
    assert streams["ewc_code"].str.fullmatch(r"\d\d \d\d \d\d\*?").all()
    known = set(codes.ewc_subchapters()["subchapter"])
    assert set(streams["ewc_code"].str[:5]) <= known
    # one hazard flag per entry, and the flags of entries we know are right
    flags = streams.assign(
        entry=streams["ewc_code"].str[:8], star=streams["ewc_code"].str.endswith("*")
    )
    assert (flags.groupby("entry")["star"].nunique() == 1).all()
    seen = dict(zip(flags["entry"], flags["star"], strict=True))
    for entry, hazardous in KNOWN_HAZARD.items():
        if entry in seen:
            assert seen[entry] == hazardous, entry
    fac = tables["facilities"]
    for accepted in fac["accepted_ewc"]:
        for part in accepted.split(";"):
            part = part.strip().rstrip("*")
            assert len(part) == 2 or part[:5] in known, part


def test_nace_divisions_exist(tables):
    divisions = set(codes.nace_divisions()["division"])
    for name in ("enterprises", "facilities"):
        nace = tables[name]["nace_code"]
        nace = nace[nace != ""]
        assert nace.str.fullmatch(r"\d\d\.\d\d").all()
        assert set(nace.str[:2]) <= divisions


def test_operations_exist_and_fit_the_fate(tables):
    streams = tables["waste_streams"]
    valid = codes.operation_codes()
    ops = streams["operation"]
    assert set(ops) - {""} <= valid
    assert 0.02 <= (ops == "").mean() <= 0.09
    allowed = {
        "landfilled": {"D1", "D5"},
        "incinerated": {"D10", "R1"},
        "kept_on_site": {"R13", "D15"},
        "sold_or_transferred": {f"R{i}" for i in range(1, 14)} | {"D9"},
        "used_as_raw_material": {f"R{i}" for i in range(1, 12)},
        "exported": {f"R{i}" for i in range(1, 12)},
        "": set(),
    }
    for fate, op in zip(streams["fate"], ops, strict=True):
        assert op == "" or op in allowed[fate], (fate, op)
    for fac_ops in tables["facilities"]["operations"]:
        assert {p.strip() for p in fac_ops.split(";")} <= valid


def test_streams_are_plausible(tables):
    streams = tables["waste_streams"]
    assert set(streams["physical_state"]) <= set(PHYSICAL_STATES)
    assert set(streams["data_quality"]) == set(DATA_QUALITY)
    assert (streams["data_quality"] == "estimated").mean() > 0.5
    years = streams["reference_year"].value_counts(normalize=True)
    assert set(years.index) <= {"2021", "2022", "2023"} and years["2022"] > 0.7
    units = streams["unit"].value_counts(normalize=True)
    assert units["t"] >= 0.75 and 0.05 <= units["kg"] <= 0.15 and 0.02 <= units["m3"] <= 0.08
    volume = streams["unit"] == "m3"
    assert (streams.loc[volume, "density_t_m3"] != "").all()
    assert (streams.loc[~volume, "density_t_m3"] == "").all()
    assert streams.loc[volume, "physical_state"].isin(["liquid", "sludge"]).all()
    t = tonnes(streams)
    assert (t > 0).all()
    assert t.max() > 10_000  # cement and steel plants produce tens of thousands of tonnes
    assert 100_000 < t.sum() < 2_000_000


# --- fates and destinations -----------------------------------------------------------------------


def test_tonnage_weighted_fates_resemble_the_national_shares(tables):
    streams = tables["waste_streams"]
    t = tonnes(streams)
    national = streams["fate"].isin(list(NATIONAL_2022))
    total = t[national].sum()
    for fate, pct in NATIONAL_2022.items():
        share = 100 * t[streams["fate"] == fate].sum() / total
        assert abs(share - pct) <= 5, (fate, round(share, 1), pct)
    # over all tonnes, too, incinerated and unknown included
    for fate, pct in NATIONAL_2022.items():
        assert abs(100 * t[streams["fate"] == fate].sum() / t.sum() - pct) <= 5, fate
    assert (streams["fate"] == "incinerated").sum() >= 3
    assert 0.005 <= (streams["fate"] == "").mean() <= 0.05
    assert set(streams["fate"]) - {""} <= set(codes.fate_codes())


def test_destinations_exist_and_can_take_the_stream(tables):
    streams, fac = tables["waste_streams"], tables["facilities"].set_index("facility_id")
    ent = tables["enterprises"].set_index("enterprise_id")
    regions = (
        geography.to_projected(geography.economic_regions()).set_index("economic_region").geometry
    )
    near = {
        a: {b for b in regions.index if regions[a].buffer(1000).intersects(regions[b])}
        for a in regions.index
    }
    sent = streams[streams["destination_facility_id"] != ""].assign(t=tonnes(streams))
    assert len(sent) > 100
    assert set(sent["destination_facility_id"]) <= set(fac.index)
    kinds = {
        "landfilled": {"landfill"},
        "incinerated": {"incinerator"},
        "sold_or_transferred": {"recycler", "secondary_user", "treatment", "collector"},
    }
    for s in sent.itertuples():
        f = fac.loc[s.destination_facility_id]
        assert f["facility_type"] in kinds[s.fate], s.stream_id
        accepted = [p.strip().rstrip("*") for p in f["accepted_ewc"].split(";")]
        assert any(s.ewc_code.rstrip("*").startswith(p) for p in accepted), s.stream_id
        assert not s.operation or s.operation in {p.strip() for p in f["operations"].split(";")}
        assert f["hazardous_permitted"] == "yes" or not s.ewc_code.endswith("*"), s.stream_id
        assert f["economic_region"] in near[ent.loc[s.enterprise_id, "economic_region"]], (
            s.stream_id
        )
    received = sent.groupby("destination_facility_id")["t"].sum()
    capacity = fac.loc[received.index, "capacity_t_yr"].astype(float)
    assert (received <= capacity + 1e-6).all()


# --- names ----------------------------------------------------------------------------------------


def test_names_are_azerbaijani_and_fictional(tables):
    names = pd.concat([tables["enterprises"]["name"], tables["facilities"]["name"]])
    lowered = names.str.lower()
    for letter in AZ_LETTERS:
        assert lowered.str.contains(letter).any(), letter
    assert lowered.map(lambda n: any(c in n for c in AZ_LETTERS)).mean() > 0.5
    for real in ("socar", "azeraluminium", "azəralüminium", "baku steel", "holcim", "norm sement"):
        assert not lowered.str.contains(real).any(), real


# --- storage at the site, the register and the regional statistics ---------------------------


def test_storage_years_only_on_waste_stored_at_the_site(tables):
    streams = tables["waste_streams"]
    stored = (streams["fate"] == "kept_on_site") & streams["operation"].isin(["D15", "R13"])
    given = streams["storage_since_year"] != ""
    assert not (given & ~stored).any()
    assert 0.4 < given[stored].mean() < 0.9  # known for most, not known for some
    years = streams.loc[given, "storage_since_year"].astype(int)
    reference = streams.loc[given, "reference_year"].astype(int)
    assert (years <= reference).all()
    limit = streams.loc[given, "operation"].map({"D15": 1, "R13": 3})
    over = (reference - years) > limit
    assert over.any() and not over.all()


def read_int(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype(int)


def test_register_covers_the_survey_and_is_labelled_synthetic(tables):
    register, ent = tables["register"], tables["enterprises"]
    assert tuple(register.columns) == TABLES["register"].column_names
    assert register.map(lambda v: isinstance(v, str)).all().all()
    assert set(register["source"]) == {
        "synthetic demonstration register (iwm_study.data.demo, seed 2021)"
    }
    assert not register.duplicated(["economic_region", "nace_division"]).any()
    regions = set(geography.economic_regions()["economic_region"])
    assert set(register["economic_region"]) == regions
    assert register["nace_division"].str.fullmatch(r"\d\d").all()
    assert set(register["nace_division"]) <= set(codes.nace_divisions()["division"])
    # every surveyed cell is in the register, with at least the surveyed counts
    surveyed = (
        ent.assign(nace_division=ent["nace_code"].str[:2], employees=read_int(ent, "employees"))
        .groupby(["economic_region", "nace_division"])
        .agg(enterprises=("enterprise_id", "size"), employees=("employees", "sum"))
    )
    frame = register.set_index(["economic_region", "nace_division"])
    assert set(surveyed.index) <= set(frame.index)
    cells = frame.loc[surveyed.index]
    assert (read_int(cells, "enterprises") >= surveyed["enterprises"]).all()
    assert (read_int(cells, "employees") >= surveyed["employees"]).all()
    # and every region has a division the survey did not reach
    missed = frame.index.difference(surveyed.index).get_level_values(0)
    assert set(missed) == regions


def test_regional_statistics_agree_with_the_register_and_the_survey(tables):
    stats, register = tables["regional_statistics"], tables["register"]
    assert tuple(stats.columns) == TABLES["regional_statistics"].column_names
    assert set(stats["source"]) == {
        "synthetic demonstration statistics (iwm_study.data.demo, seed 2021)"
    }
    assert sorted(stats["economic_region"]) == sorted(
        geography.economic_regions()["economic_region"]
    )
    assert stats["economic_region"].is_unique
    by_region = stats.set_index("economic_region")
    totals = (
        register.assign(
            enterprises=read_int(register, "enterprises"), employees=read_int(register, "employees")
        )
        .groupby("economic_region")[["enterprises", "employees"]]
        .sum()
    )
    assert (read_int(by_region, "enterprises") == totals["enterprises"]).all()
    assert (read_int(by_region, "employees") == totals["employees"]).all()
    streams, ent = tables["waste_streams"], tables["enterprises"]
    region = streams["enterprise_id"].map(ent.set_index("enterprise_id")["economic_region"])
    surveyed_t = tonnes(streams).groupby(region).sum()
    assert (by_region["waste_generated_t"].astype(float) >= surveyed_t).all()
    assert (by_region["industrial_output_mazn"].astype(float) > 0).all()
    # of the order of the 1,326 thousand t enterprises' production generated in 2022 (SSC)
    assert 500_000 < by_region["waste_generated_t"].astype(float).sum() < 3_000_000
