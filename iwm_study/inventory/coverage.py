"""Coverage of the survey against the business register, and an estimate of the whole region.

A survey reaches some of a region's enterprises; the register (``Study.register``) counts all of
them, by economic region and NACE Rev.2 division. The route through the module:

1. ``coverage_table``: one row per region and division of the register or the survey, with the
   share of the register's enterprises and employees surveyed, the surveyed tonnes, the
   division's waste intensity and its estimate.
2. The estimate of a cell is a ratio estimator: surveyed tonnes + (surveyed tonnes / surveyed
   employees) x (register employees - surveyed employees). Rules, the same everywhere:

   - a register division with no surveyed enterprise is **not estimable**: nothing is invented
     for it; its enterprises and employees are counted and reported, its tonnes are not;
   - surveyed enterprises with no employee in all give no intensity: the cell keeps its
     surveyed tonnes, and its unsurveyed employees count as not estimable;
   - a surveyed division the register does not list keeps its surveyed tonnes (no grossing);
   - where the survey counts at least the register's employees, the estimate is the survey.

   So the estimate is never below the surveyed sum, and it is shown beside it, never instead.
3. ``regional_estimate``: the totals, and a percentile bootstrap interval. Each draw resamples
   the surveyed enterprises of every grossed-up division with replacement (as many as were
   surveyed), recomputes each division's intensity and the total. The surveyed tonnes are data,
   not a sample, and stay fixed; a division of one surveyed enterprise adds no spread. The draw
   is vectorised with numpy over draws and enterprises at once, and seeded.

Pure functions: frames and plain settings in, frames and small dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .aggregate import stream_tonnes

KEYS = ["economic_region", "nace_division"]

#: What each estimate status means (the coverage table's ``status`` column).
COVERAGE_STATUS: dict[str, str] = {
    "estimated": "grossed up: surveyed tonnes + waste intensity x unsurveyed employees",
    "fully_surveyed": "the survey has every employee the register counts: the estimate is "
    "the survey",
    "survey_exceeds_register": "the survey has more employees than the register counts: the "
    "estimate is the survey",
    "not_estimable": "no surveyed enterprise: not estimated, left out of the estimate",
    "no_intensity": "the surveyed enterprises report no employee: surveyed tonnes only, the "
    "unsurveyed employees are not estimable",
    "not_in_register": "the register does not list the division: surveyed tonnes only",
}
#: Columns of the coverage table after the region and division.
COVERAGE_COLUMNS = (
    "register_enterprises",
    "surveyed_enterprises",
    "enterprises_pct",
    "register_employees",
    "surveyed_employees",
    "employees_pct",
    "surveyed_t",
    "intensity_t_per_employee",
    "unsurveyed_employees",
    "estimated_t",
    "not_estimable_employees",
    "status",
)
#: Cells counted in the coverage shares: those the register lists.
_IN_REGISTER = ("estimated", "fully_surveyed", "survey_exceeds_register", "not_estimable",
                "no_intensity")  # fmt: skip


def _pct(part: pd.Series | float, whole: pd.Series | float) -> pd.Series | float:
    """``part`` as a percentage of ``whole``; NaN where ``whole`` is 0."""
    if isinstance(whole, pd.Series):
        return (part * 100.0 / whole.where(whole > 0)).astype(float)
    return float(part) * 100.0 / float(whole) if whole else float("nan")


def enterprise_sample(enterprises: pd.DataFrame, streams: pd.DataFrame) -> pd.DataFrame:
    """The surveyed enterprises with their region, division, employees and tonnes per year
    (an enterprise without a stream has 0 t: it was surveyed and reported none)."""
    tonnes = stream_tonnes(streams).groupby(streams["enterprise_id"]).sum()
    out = pd.DataFrame(
        {
            "enterprise_id": enterprises["enterprise_id"].to_numpy(),
            "economic_region": enterprises["economic_region"].to_numpy(),
            "nace_division": enterprises["nace_division"].to_numpy(),
            "employees": pd.to_numeric(enterprises["employees"]).astype(float).fillna(0.0),
        }
    )
    out["waste_t"] = out["enterprise_id"].map(tonnes).fillna(0.0).to_numpy()
    return out.sort_values([*KEYS, "enterprise_id"], kind="stable").reset_index(drop=True)


def coverage_table(
    enterprises: pd.DataFrame, streams: pd.DataFrame, register: pd.DataFrame
) -> pd.DataFrame:
    """One row per economic region and NACE division of the register or the survey, sorted by
    both: register and surveyed enterprises and employees, coverage shares (%), surveyed
    tonnes, waste intensity (t per employee), unsurveyed employees, the estimate and its
    ``status`` (``COVERAGE_STATUS``)."""
    sample = enterprise_sample(enterprises, streams)
    surveyed = sample.groupby(KEYS).agg(
        surveyed_enterprises=("enterprise_id", "size"),
        surveyed_employees=("employees", "sum"),
        surveyed_t=("waste_t", "sum"),
    )
    frame = (
        register.assign(
            register_enterprises=pd.to_numeric(register["enterprises"]).astype(float),
            register_employees=pd.to_numeric(register["employees"]).astype(float),
        )
        .groupby(KEYS)[["register_enterprises", "register_employees"]]
        .sum()
    )
    cells = frame.join(surveyed, how="outer").reset_index()
    cells = cells.sort_values(KEYS, kind="stable").reset_index(drop=True)
    in_register = cells["register_enterprises"].notna()
    for column in ("surveyed_enterprises", "surveyed_employees", "surveyed_t"):
        cells[column] = cells[column].fillna(0.0)
    cells["enterprises_pct"] = _pct(cells["surveyed_enterprises"], cells["register_enterprises"])
    cells["employees_pct"] = _pct(cells["surveyed_employees"], cells["register_employees"])
    employees = cells["surveyed_employees"]
    cells["intensity_t_per_employee"] = (
        cells["surveyed_t"] / employees.where(employees > 0)
    ).astype(float)
    gap = cells["register_employees"] - employees
    cells["unsurveyed_employees"] = gap.clip(lower=0.0).where(in_register)
    status = np.select(
        [
            ~in_register,
            cells["surveyed_enterprises"] == 0,
            employees <= 0,
            gap > 0,
            gap == 0,
        ],
        ["not_in_register", "not_estimable", "no_intensity", "estimated", "fully_surveyed"],
        default="survey_exceeds_register",
    )
    cells["status"] = status
    grossed = (cells["intensity_t_per_employee"] * cells["unsurveyed_employees"]).where(
        cells["status"] == "estimated", 0.0
    )
    cells["estimated_t"] = (cells["surveyed_t"] + grossed).where(cells["status"] != "not_estimable")
    cells["not_estimable_employees"] = (
        cells["unsurveyed_employees"]
        .where(cells["status"].isin(["not_estimable", "no_intensity"]), 0.0)
        .fillna(0.0)
    )
    return cells[[*KEYS, *COVERAGE_COLUMNS]]


def coverage_by_sector(cells: pd.DataFrame) -> pd.DataFrame:
    """The coverage table summed over regions, one row per NACE division (largest register
    employment first): for one region it is that region's table. ``status`` is the cells' one
    status, or 'several' when the regions differ."""
    sums = cells.groupby("nace_division").agg(
        register_enterprises=("register_enterprises", lambda s: s.sum(min_count=1)),
        surveyed_enterprises=("surveyed_enterprises", "sum"),
        register_employees=("register_employees", lambda s: s.sum(min_count=1)),
        surveyed_employees=("surveyed_employees", "sum"),
        surveyed_t=("surveyed_t", "sum"),
        unsurveyed_employees=("unsurveyed_employees", lambda s: s.sum(min_count=1)),
        estimated_t=("estimated_t", lambda s: s.sum(min_count=1)),
        not_estimable_employees=("not_estimable_employees", "sum"),
        status=("status", lambda s: s.iloc[0] if s.nunique() == 1 else "several"),
    )
    sums["enterprises_pct"] = _pct(sums["surveyed_enterprises"], sums["register_enterprises"])
    sums["employees_pct"] = _pct(sums["surveyed_employees"], sums["register_employees"])
    employees = sums["surveyed_employees"]
    sums["intensity_t_per_employee"] = (sums["surveyed_t"] / employees.where(employees > 0)).astype(
        float
    )
    sums = sums.reset_index()
    order = sums.assign(_e=sums["register_employees"].fillna(-1.0)).sort_values(
        ["_e", "nace_division"], ascending=[False, True], kind="mergesort"
    )
    return order[[c for c in cells.columns if c != "economic_region"]].reset_index(drop=True)


@dataclass(frozen=True)
class RegionalEstimate:
    """The survey against the register, and the estimated total with its interval.

    Tonnes are per year. ``low_t`` and ``high_t`` bound the central ``interval_pct`` % of the
    bootstrap totals (``draws`` draws, generator seeded with ``seed``). Coverage shares count
    the divisions the register lists; ``not_estimable_*`` are the register's divisions with no
    surveyed enterprise (and employees left out of the estimate)."""

    surveyed_t: float
    estimated_t: float
    low_t: float
    high_t: float
    interval_pct: float
    draws: int
    seed: int
    register_enterprises: float
    surveyed_enterprises: float
    enterprises_pct: float
    register_employees: float
    surveyed_employees: float
    employees_pct: float
    not_estimable_divisions: int
    not_estimable_enterprises: float
    not_estimable_employees: float
    surveyed_outside_register: int

    @property
    def grossed_up_t(self) -> float:
        """What the estimate adds to the surveyed sum."""
        return self.estimated_t - self.surveyed_t


def _strata(cells: pd.DataFrame, sample: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The grossed-up cells' enterprises, grouped: (employees, tonnes, start of each stratum,
    size of each stratum, point intensity, unsurveyed employees), ordered by region, division
    and enterprise id."""
    grossed = cells[cells["status"] == "estimated"].set_index(KEYS)
    keys = pd.MultiIndex.from_frame(sample[KEYS])
    members = sample[keys.isin(grossed.index)]
    sizes = members.groupby(KEYS, sort=True).size()
    grossed = grossed.reindex(sizes.index)
    starts = np.concatenate([[0], np.cumsum(sizes.to_numpy())[:-1]]).astype(np.int64)
    return (
        members["employees"].to_numpy(float),
        members["waste_t"].to_numpy(float),
        starts,
        sizes.to_numpy(np.int64),
        grossed["intensity_t_per_employee"].to_numpy(float),
        grossed["unsurveyed_employees"].to_numpy(float),
    )


#: Largest block of random numbers drawn at once (draws x enterprises), to bound memory.
_BLOCK = 4_000_000


def _bootstrap(cells: pd.DataFrame, sample: pd.DataFrame, draws: int, seed: int) -> np.ndarray:
    """The bootstrap totals of a coverage table and its enterprise sample (see
    ``bootstrap_totals``)."""
    surveyed = float(cells["surveyed_t"].sum())  # data, fixed in every draw
    employees, tonnes, starts, sizes, intensity, unsurveyed = _strata(cells, sample)
    rng = np.random.default_rng(seed)
    totals = np.empty(draws, dtype=float)
    if len(sizes) == 0:
        totals[:] = surveyed
        return totals
    stratum_of = np.repeat(np.arange(len(sizes)), sizes)
    first, size = starts[stratum_of], sizes[stratum_of]
    block = max(1, min(draws, _BLOCK // len(stratum_of)))
    for begin in range(0, draws, block):
        n = min(block, draws - begin)
        picks = first + np.floor(rng.random((n, len(stratum_of))) * size).astype(np.int64)
        e_sum = np.add.reduceat(employees[picks], starts, axis=1)
        t_sum = np.add.reduceat(tonnes[picks], starts, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(e_sum > 0, t_sum / e_sum, intensity)
        totals[begin : begin + n] = surveyed + ratio @ unsurveyed
    return totals


def bootstrap_totals(
    enterprises: pd.DataFrame,
    streams: pd.DataFrame,
    register: pd.DataFrame,
    draws: int = 1000,
    seed: int = 2021,
) -> np.ndarray:
    """``draws`` bootstrap totals of the estimate (t/yr), in draw order.

    Every draw resamples, within each grossed-up division and region, as many of its surveyed
    enterprises as were surveyed, with replacement, and recomputes the division's intensity
    (ratio of sums); the total is the surveyed tonnes plus each intensity times its unsurveyed
    employees. A resample whose enterprises have no employee in all keeps the division's point
    intensity. The same seed gives the same totals."""
    cells = coverage_table(enterprises, streams, register)
    return _bootstrap(cells, enterprise_sample(enterprises, streams), draws, seed)


def regional_estimate(
    enterprises: pd.DataFrame,
    streams: pd.DataFrame,
    register: pd.DataFrame,
    *,
    draws: int = 1000,
    interval_pct: float = 95.0,
    seed: int = 2021,
) -> RegionalEstimate:
    """The survey's coverage of the register and the estimated total with its bootstrap
    interval, for the enterprises, streams and register rows given (one region, or several:
    each division of each region is grossed up on its own)."""
    cells = coverage_table(enterprises, streams, register)
    totals = _bootstrap(cells, enterprise_sample(enterprises, streams), draws, seed)
    tail = (100.0 - interval_pct) / 2.0
    low, high = np.percentile(totals, [tail, 100.0 - tail])
    listed = cells[cells["status"].isin(_IN_REGISTER)]
    missing = cells[cells["status"] == "not_estimable"]
    return RegionalEstimate(
        surveyed_t=float(cells["surveyed_t"].sum()),
        estimated_t=float(cells["estimated_t"].sum()),
        low_t=float(low),
        high_t=float(high),
        interval_pct=float(interval_pct),
        draws=int(draws),
        seed=int(seed),
        register_enterprises=float(listed["register_enterprises"].sum()),
        surveyed_enterprises=float(listed["surveyed_enterprises"].sum()),
        enterprises_pct=_pct(
            listed["surveyed_enterprises"].sum(), listed["register_enterprises"].sum()
        ),
        register_employees=float(listed["register_employees"].sum()),
        surveyed_employees=float(listed["surveyed_employees"].sum()),
        employees_pct=_pct(listed["surveyed_employees"].sum(), listed["register_employees"].sum()),
        not_estimable_divisions=len(missing),
        not_estimable_enterprises=float(missing["register_enterprises"].sum()),
        not_estimable_employees=float(cells["not_estimable_employees"].sum()),
        surveyed_outside_register=int(
            cells.loc[cells["status"] == "not_in_register", "surveyed_enterprises"].sum()
        ),
    )


def estimate_by_region(
    enterprises: pd.DataFrame,
    streams: pd.DataFrame,
    register: pd.DataFrame,
    *,
    draws: int = 1000,
    interval_pct: float = 95.0,
    seed: int = 2021,
) -> pd.DataFrame:
    """``regional_estimate`` for each economic region of the survey or the register, one row
    each (sorted by region), each region's bootstrap seeded with ``seed``."""
    regions = sorted(
        set(enterprises["economic_region"].dropna()) | set(register["economic_region"].dropna())
    )
    rows = []
    for region in regions:
        ent = enterprises[enterprises["economic_region"] == region]
        est = regional_estimate(
            ent,
            streams[streams["enterprise_id"].isin(ent["enterprise_id"])],
            register[register["economic_region"] == region],
            draws=draws,
            interval_pct=interval_pct,
            seed=seed,
        )
        rows.append({"economic_region": region, **est.__dict__, "grossed_up_t": est.grossed_up_t})
    return pd.DataFrame(rows)
