"""Draw the demonstration's population tables: a business register and regional statistics.

Both are synthetic and say so in their ``source``. They are drawn from the demonstration survey
itself, so that they agree with it: every register cell counts at least the enterprises and
employees the survey found there (the survey is a sample of the frame), every economic region
has a row of statistics, and the statistics' waste is never below the tonnes surveyed. A few
divisions of each region's register have no surveyed enterprise, so that the coverage report
shows divisions whose waste cannot be estimated.

Magnitudes are of the order of the real ones, which the comments name; the figures themselves
describe no real region. The draw uses its own random generator (from the seed and
``STREAM``), so the survey tables are the same with or without it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..schema import TABLES

#: The population tables draw from ``default_rng([seed, STREAM])``, apart from the survey.
STREAM = 14
#: The register's year, as the survey's (most streams refer to 2022).
REFERENCE_YEAR = 2022
#: The pilot regions were surveyed more densely: the frame holds about this many enterprises
#: per surveyed one there, and about UNSURVEYED_PER_SURVEYED elsewhere (medians of a lognormal).
PILOT_REGIONS = ("Baku", "Absheron-Khizi")
UNSURVEYED_PER_SURVEYED_PILOT = 1.5
UNSURVEYED_PER_SURVEYED = 3.0
#: Enterprises a survey misses are smaller than those it reaches (surveys go to the largest
#: generators first): the unsurveyed enterprises of a cell have about this share of the median
#: size of its surveyed ones.
UNSURVEYED_SIZE_SHARE = 0.5
#: Manufacturing divisions no demonstration enterprise belongs to (leather, pharmaceuticals,
#: electronics, machinery, other transport, other manufacturing, repair and installation):
#: each region's register gets one to three of them, with a few small enterprises.
FRAME_ONLY_DIVISIONS = ("15", "21", "26", "28", "30", "32", "33")
FRAME_ONLY_ENTERPRISES = (2, 12)
FRAME_ONLY_EMPLOYEES = (8, 40)  # per enterprise
#: The waste and output of the regional statistics are the survey's, grossed up by employees,
#: times a lognormal factor of this spread: official figures and a survey never agree exactly.
STATISTICS_NOISE = 0.12
#: Scale of the result, for orientation (State Statistical Committee of Azerbaijan):
#: - manufacturing employed 127,000 people in January-May 2023 (SSC, reported by Trend, 29 July
#:   2023); the demonstration register counts manufacturing and a little mining support, in
#:   the order of that figure;
#: - enterprises' production generated about 1,326 thousand t of waste in 2022 (33.3 % of the
#:   3,984.1 thousand t generated in the country; SSC, stat.gov.az); the statistics' waste adds
#:   up to the same order;
#: - manufacturing made 19.9 % of an industrial output of 73.3 billion AZN in January-October
#:   2022 (SSC, reported by Trend, 15 November 2022), about 14.6 billion AZN; the statistics'
#:   output is the survey's output grossed up, a smaller order because the demonstration leaves
#:   out most of the oil and gas sector.


def register_source(seed: int) -> str:
    """The ``source`` of every register row."""
    return f"synthetic demonstration register (iwm_study.data.demo, seed {seed})"


def statistics_source(seed: int) -> str:
    """The ``source`` of every row of regional statistics."""
    return f"synthetic demonstration statistics (iwm_study.data.demo, seed {seed})"


def _round_sig(value: float, digits: int = 3) -> float:
    """``value`` to ``digits`` significant figures (as a statistical office publishes it)."""
    if value <= 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(value)))


def _surveyed(enterprises: pd.DataFrame, tonnes: pd.Series) -> pd.DataFrame:
    """Surveyed enterprises, employees, tonnes and output (kAZN) per region and division."""
    ent = pd.DataFrame(
        {
            "economic_region": enterprises["economic_region"],
            "nace_division": enterprises["nace_code"].str[:2],
            "employees": enterprises["employees"].astype(int),
            "output_kazn": pd.to_numeric(enterprises["output_value_kazn"].replace("", np.nan)),
            "tonnes": enterprises["enterprise_id"].map(tonnes).fillna(0.0),
        }
    )
    # An enterprise with no output given counts the median output per employee of its cell.
    per_employee = ent["output_kazn"] / ent["employees"]
    median = per_employee.groupby([ent["economic_region"], ent["nace_division"]]).transform(
        "median"
    )
    ent["output_kazn"] = ent["output_kazn"].fillna(
        median.fillna(per_employee.median()) * ent["employees"]
    )
    return (
        ent.groupby(["economic_region", "nace_division"], sort=True)
        .agg(
            enterprises=("employees", "size"),
            employees=("employees", "sum"),
            median_employees=("employees", "median"),
            tonnes=("tonnes", "sum"),
            output_kazn=("output_kazn", "sum"),
        )
        .reset_index()
    )


def _register_rows(rng: np.random.Generator, surveyed: pd.DataFrame) -> pd.DataFrame:
    """Frame counts per region and division: the surveyed ones plus those the survey missed,
    and a few divisions of small enterprises that the survey did not reach at all."""
    rows = []
    for cell in surveyed.itertuples(index=False):
        ratio = (
            UNSURVEYED_PER_SURVEYED_PILOT
            if cell.economic_region in PILOT_REGIONS
            else UNSURVEYED_PER_SURVEYED
        )
        missed = round(cell.enterprises * ratio * math.exp(rng.normal(0.0, 0.4)))
        size = max(
            3.0, cell.median_employees * UNSURVEYED_SIZE_SHARE * math.exp(rng.normal(0.0, 0.3))
        )
        rows.append(
            {
                "economic_region": cell.economic_region,
                "nace_division": cell.nace_division,
                "enterprises": cell.enterprises + missed,
                "employees": int(cell.employees + round(missed * size)),
            }
        )
    for region in sorted(surveyed["economic_region"].unique()):
        count = int(rng.integers(1, 4))
        picked = rng.choice(len(FRAME_ONLY_DIVISIONS), size=count, replace=False)
        for i in sorted(picked):
            n = int(rng.integers(FRAME_ONLY_ENTERPRISES[0], FRAME_ONLY_ENTERPRISES[1] + 1))
            size = rng.integers(FRAME_ONLY_EMPLOYEES[0], FRAME_ONLY_EMPLOYEES[1] + 1)
            rows.append(
                {
                    "economic_region": region,
                    "nace_division": FRAME_ONLY_DIVISIONS[i],
                    "enterprises": n,
                    "employees": int(n * size),
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["economic_region", "nace_division"], kind="stable").reset_index(
        drop=True
    )


def _statistics_rows(
    rng: np.random.Generator, surveyed: pd.DataFrame, register: pd.DataFrame
) -> pd.DataFrame:
    """One row per region: the register's totals, and waste and output grossed up from the
    survey by employees (a division the survey missed at the national median intensity)."""
    cells = register.merge(
        surveyed[["economic_region", "nace_division", "employees", "tonnes", "output_kazn"]],
        on=["economic_region", "nace_division"],
        how="left",
        suffixes=("", "_surveyed"),
    )
    t_per_employee = surveyed["tonnes"].sum() / surveyed["employees"].sum()
    kazn_per_employee = surveyed["output_kazn"].sum() / surveyed["employees"].sum()
    scale = cells["employees"] / cells["employees_surveyed"]
    cells["waste"] = (cells["tonnes"] * scale).fillna(cells["employees"] * t_per_employee)
    cells["output"] = (cells["output_kazn"] * scale).fillna(cells["employees"] * kazn_per_employee)
    regions = cells.groupby("economic_region", sort=True).agg(
        enterprises=("enterprises", "sum"),
        employees=("employees", "sum"),
        waste=("waste", "sum"),
        output=("output", "sum"),
        surveyed_t=("tonnes", "sum"),
    )
    noise = np.exp(rng.normal(0.0, STATISTICS_NOISE, size=(len(regions), 2)))
    waste = np.maximum(regions["waste"].to_numpy() * noise[:, 0], regions["surveyed_t"].to_numpy())
    output_mazn = regions["output"].to_numpy() * noise[:, 1] / 1000.0
    return pd.DataFrame(
        {
            "economic_region": regions.index,
            "enterprises": regions["enterprises"].to_numpy(),
            "employees": regions["employees"].to_numpy(),
            # never below the survey's tonnes: rounded up to three significant figures
            "industrial_output_mazn": [f"{_round_sig(v):g}" for v in output_mazn],
            "waste_generated_t": [
                f"{max(_round_sig(w), math.ceil(s)):.0f}"
                for w, s in zip(waste, regions["surveyed_t"], strict=True)
            ],
        }
    )


def population_tables(
    enterprises: pd.DataFrame, streams: pd.DataFrame, tonnes: np.ndarray, seed: int
) -> dict[str, pd.DataFrame]:
    """The ``register`` and ``regional_statistics`` tables of the demonstration, every cell as
    text, columns in schema order: drawn from the survey (``enterprises``, ``streams`` and the
    streams' ``tonnes``) with the generator ``default_rng([seed, STREAM])``."""
    rng = np.random.default_rng([seed, STREAM])
    per_enterprise = pd.Series(tonnes, index=streams.index).groupby(streams["enterprise_id"]).sum()
    surveyed = _surveyed(enterprises, per_enterprise)
    register = _register_rows(rng, surveyed)
    statistics = _statistics_rows(rng, surveyed, register)
    register["reference_year"] = REFERENCE_YEAR
    register["source"] = register_source(seed)
    statistics["reference_year"] = REFERENCE_YEAR
    statistics["source"] = statistics_source(seed)
    return {
        "register": register[list(TABLES["register"].column_names)].astype(str),
        "regional_statistics": statistics[list(TABLES["regional_statistics"].column_names)].astype(
            str
        ),
    }
