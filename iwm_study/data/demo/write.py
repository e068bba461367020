"""Write the demonstration tables, their README and the command that rebuilds them."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .. import codes
from .generate import DEFAULT_SEED, generate, national_targets, source_text, stream_tonnes

#: The demonstration's tables, in the order they are written.
TABLE_NAMES = ("enterprises", "waste_streams", "facilities", "register", "regional_statistics")

# Writing
# ---------------------------------------------------------------------------------------------


def summary(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Key figures of a demonstration dataset (counts, tonnes, fate shares) for its README."""
    ent, streams = tables["enterprises"], tables["waste_streams"]
    tonnes = stream_tonnes(streams)
    register, statistics = tables["register"], tables["regional_statistics"]
    stored = streams["storage_since_year"][streams["fate"] == "kept_on_site"]
    on_site = streams["operation"].isin(["D15", "R13"]) & (streams["fate"] == "kept_on_site")
    hazardous = streams["ewc_code"].str.endswith("*").to_numpy()
    fates = streams["fate"].replace("", "unknown")
    targets = national_targets()
    national_t = float(tonnes[fates.isin(list(targets)).to_numpy()].sum())
    shares = {f: float(tonnes[(fates == f).to_numpy()].sum()) / national_t for f in targets}
    fate_table = codes.fate_categories()
    outside_ssc = fate_table.loc[~fate_table["ssc_category"], "fate"]  # incinerated, unknown
    other = {f: float(tonnes[(fates == f).to_numpy()].sum()) for f in outside_ssc}
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
        "register_rows": len(register),
        "register_enterprises": int(register["enterprises"].astype(int).sum()),
        "register_employees": int(register["employees"].astype(int).sum()),
        "surveyed_employees": int(ent["employees"].astype(int).sum()),
        "statistics_rows": len(statistics),
        "statistics_waste_t": float(statistics["waste_generated_t"].astype(float).sum()),
        "stored_streams": int(on_site.sum()),
        "stored_year_known": int((stored != "").sum()),
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
| `register.csv` | {s["register_rows"]} | the business-register frame: enterprises and employees by economic region and NACE division |
| `regional_statistics.csv` | {s["statistics_rows"]} | official-style figures per economic region: enterprises, employees, industrial output, waste generated |

Columns follow `iwm_study/data/schema.py`; every survey row's `source` says
"{source_text(seed)}", and the rows of the two population tables say "synthetic
demonstration register" or "synthetic demonstration statistics" with the same seed.

## How it was made

```sh
python -m iwm_study.data.demo --out data/demo --seed {seed}
```

The package `iwm_study/data/demo/` draws everything with NumPy's `default_rng({seed})` (the
register and statistics with a generator of their own from the same seed): the same seed always
writes the same bytes, and a test checks that this folder equals a fresh run. The sector
profiles, waste entries, handling rules and facilities are tables in its catalogue modules
(`places`, `sectors`, `wastes`, `facilities`, `population`).

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

- **Storage at the site**: {s["stored_streams"]} streams are kept at the enterprise's site
  under D15 or R13; {s["stored_year_known"]} of the streams kept on site give the year their
  oldest waste went into store (`storage_since_year`), the rest leave it blank (not known), so
  that the storage flag against the Landfill Directive's limits has every case to show.
- **Register and statistics**: the register counts, for each economic region and NACE
  division the survey reached, the surveyed enterprises plus those it missed (about 1.5 per
  surveyed one in the pilot regions, 3 elsewhere, at half the surveyed median size), and one to
  three manufacturing divisions per region that the survey did not reach at all:
  {s["register_enterprises"]:,} enterprises with {s["register_employees"]:,} employees, of which
  the survey has {s["enterprises"]} with {s["surveyed_employees"]:,}. The regional statistics
  give every economic region the register's totals, and waste and output grossed up from the
  survey by employees with some noise: {s["statistics_waste_t"]:,.0f} t/yr of waste in all. For
  scale: Azerbaijan's manufacturing employed 127,000 people in early 2023, and enterprises'
  production generated about 1,326 thousand t of waste in 2022 (State Statistical Committee).
- **Facilities**: recyclers in the Balakhani industrial park, the Balakhani landfill and a
  waste-to-energy plant in Baku, cement plants in Garadagh that take ash and other mineral
  waste, an aggregate recycler in Garadagh that takes steel slag, a hazardous waste treatment
  centre, landfill and incinerator in Sumgayit, scrap yards, compost sites and municipal
  landfills in the regions; and, as receivers that take no waste today, dairy farms, a vineyard
  and road builders near the pilot regions' producers. A stream's destination is the nearest
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
- National fate shares and the scale of the register and statistics: State Statistical
  Committee of the Republic of Azerbaijan, 2022 and 2023.
"""


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write(
    out_dir: str | Path, seed: int = DEFAULT_SEED, tables: dict[str, pd.DataFrame] | None = None
) -> list[Path]:
    """Write the five tables (``enterprises.csv``, ``waste_streams.csv``, ``facilities.csv``,
    ``register.csv``, ``regional_statistics.csv``) and ``README.md``.

    CSV files are UTF-8 without BOM, ``\\n`` line endings, no index; the same seed always writes
    the same bytes. ``tables`` may pass an already generated dataset of that seed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate(seed) if tables is None else tables
    written = []
    for name in TABLE_NAMES:
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
        description="Write the synthetic demonstration dataset (five CSV files and a README).",
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
