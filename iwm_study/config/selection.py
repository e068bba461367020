"""Selection parameters: the criteria catalogue and the typed models of ``region_selection`` and
``enterprise_selection`` (notebooks 00 and 01).

Each criterion of the catalogue names its source: the survey (enterprises and waste streams), the
facilities table, or the optional table of regional statistics, which lets pilot regions be ranked
before any survey exists (``statistics_problems`` is the pre-flight's check that a study ranking
on statistics has the table). ``Eligibility`` holds the gates an enterprise passes before it is
ranked (SME size, RECP interest, output value).

Plain data and pure Python only, so that checking the parameters never imports numpy or pandas;
``iwm_study.scoring`` implements every catalogue entry (a test checks that the two agree). The
AHP consistency check uses ``iwm_study.scoring.ahp`` (pure Python), the AHP of the ranking too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, field_validator

from ..i18n import N_
from ..scoring.ahp import CONSISTENCY_LIMIT, ahp_consistency
from .base import ConfigProblem, _Strict

Direction = Literal["benefit", "cost"]
#: Where a criterion's values come from: the survey's enterprises and waste streams, the
#: facilities table, or the optional regional statistics table (one row per economic region).
Source = Literal["survey", "facilities", "statistics"]
#: The table of the study data the statistics criteria read (``Study.regional_statistics``).
STATISTICS_TABLE = "regional_statistics"
#: Declared interest in a RECP assessment, lowest first (``iwm_study.data.schema.RECP_LEVELS``;
#: a test checks that the two agree).
RecpLevel = Literal["none", "low", "medium", "high"]


@dataclass(frozen=True)
class CriterionInfo:
    """One criterion the scoring can compute from a study's data.

    ``label``, ``unit``, ``computed`` and a ``fmt`` with words are English, marked for the
    translation catalog (``N_``) and translated where a report shows them
    (``iwm_study.scoring.explain``)."""

    name: str
    label: str
    unit: str
    direction: Direction  # the usual direction; the parameter file states the one used
    computed: str  # how it is computed, in words, for the report
    fmt: str  # how a value is written in a report ({} format string of one number)
    source: Source = "survey"


def _catalogue(*items: CriterionInfo) -> dict[str, CriterionInfo]:
    return {c.name: c for c in items}


#: Criteria for ranking economic regions as pilots (alternatives: the 14 economic regions).
REGION_CRITERIA: dict[str, CriterionInfo] = _catalogue(
    CriterionInfo(
        "waste_t",
        N_("Industrial waste generated"),
        N_("t/yr"),
        "benefit",
        N_("Sum of quantity_t of the waste streams of the region's enterprises."),
        N_("{:,.0f} t/yr"),
    ),
    CriterionInfo(
        "hazardous_share",
        N_("Hazardous share"),
        N_("share of t"),
        "benefit",
        N_("Tonnes of hazardous streams (EWC entry with '*') over all tonnes of the region."),
        "{:.1%}",
    ),
    CriterionInfo(
        "manufacturing_enterprises",
        N_("Manufacturing enterprises"),
        N_("count"),
        "benefit",
        N_("Number of surveyed enterprises whose NACE Rev.2 section is C (manufacturing)."),
        "{:,.0f}",
    ),
    CriterionInfo(
        "landfill_share",
        N_("Share landfilled or kept on site"),
        N_("share of t"),
        "benefit",
        N_(
            "Tonnes whose fate is landfilled or kept_on_site over all tonnes (unreported fates "
            "count in the total, so the share is a lower bound): room for improvement."
        ),
        "{:.1%}",
    ),
    CriterionInfo(
        "recycling_capacity_t",
        N_("Recycling capacity nearby"),
        N_("t/yr"),
        "benefit",
        N_(
            "Capacity (capacity_t_yr) of the facilities with a recycling operation (an R code at "
            "the 'recycling' level of the waste hierarchy) in the region or within "
            "recycling_distance_km of its boundary; unknown capacities count as zero."
        ),
        N_("{:,.0f} t/yr"),
        "facilities",
    ),
    CriterionInfo(
        "recp_interest",
        N_("RECP interest"),
        N_("level 0-3"),
        "benefit",
        N_(
            "Mean RECP interest declared by the region's enterprises (none 0, low 1, medium 2, "
            "high 3)."
        ),
        N_("{:.2f} of 3"),
    ),
    # From the regional statistics (before any survey): the table's columns as they stand.
    CriterionInfo(
        "waste_generated_t",
        N_("Waste generated (statistics)"),
        N_("t/yr"),
        "benefit",
        N_(
            "Column waste_generated_t of the regional statistics: the waste the region's "
            "enterprises reported (form 2-TG in Azerbaijan), the stock a pilot would map."
        ),
        N_("{:,.0f} t/yr"),
        "statistics",
    ),
    CriterionInfo(
        "industrial_output_mazn",
        N_("Industrial output"),
        N_("million AZN/yr"),
        "benefit",
        N_(
            "Column industrial_output_mazn of the regional statistics: the value of the region's "
            "industrial production, a measure of the industry a pilot can reach."
        ),
        N_("{:,.0f} million AZN"),
        "statistics",
    ),
    CriterionInfo(
        "enterprises",
        N_("Enterprises (statistics)"),
        N_("count"),
        "benefit",
        N_(
            "Column enterprises of the regional statistics: enterprises active in the region, the "
            "candidates for the survey and for RECP assessments."
        ),
        "{:,.0f}",
        "statistics",
    ),
    CriterionInfo(
        "employees",
        N_("Employees (statistics)"),
        N_("persons"),
        "benefit",
        N_(
            "Column employees of the regional statistics: people employed by the region's "
            "enterprises, the reach of resource-efficiency measures."
        ),
        "{:,.0f}",
        "statistics",
    ),
)

#: Criteria for ranking a region's enterprises for a RECP assessment.
ENTERPRISE_CRITERIA: dict[str, CriterionInfo] = _catalogue(
    CriterionInfo(
        "waste_t",
        N_("Waste generated"),
        N_("t/yr"),
        "benefit",
        N_("Sum of quantity_t of the enterprise's waste streams."),
        N_("{:,.0f} t/yr"),
    ),
    CriterionInfo(
        "hazardous_share",
        N_("Hazardous share"),
        N_("share of t"),
        "benefit",
        N_(
            "Tonnes of hazardous streams over the enterprise's tonnes (missing when it reports "
            "none)."
        ),
        "{:.1%}",
    ),
    CriterionInfo(
        "waste_intensity",
        N_("Waste intensity"),
        N_("t/employee/yr"),
        "benefit",
        N_(
            "Waste generated over employees (missing when employees is zero): a high intensity "
            "signals room for resource efficiency."
        ),
        N_("{:,.2f} t per employee"),
    ),
    CriterionInfo(
        "not_recovered_share",
        N_("Share not recovered"),
        N_("share of t"),
        "benefit",
        N_(
            "Tonnes landfilled, kept on site or incinerated (the fate does not tell energy "
            "recovery from disposal) over all the enterprise's tonnes; unreported fates count in "
            "the total."
        ),
        "{:.1%}",
    ),
    CriterionInfo(
        "employees",
        N_("Size"),
        N_("employees"),
        "cost",
        N_(
            "Number of employees; RECP assessments under EU4Environment aim at SMEs, so smaller is "
            "usually preferred."
        ),
        N_("{:,.0f} employees"),
    ),
    CriterionInfo(
        "recp_interest",
        N_("RECP interest"),
        N_("level 0-3"),
        "benefit",
        N_("RECP interest the enterprise declared (none 0, low 1, medium 2, high 3)."),
        N_("{:.0f} of 3"),
    ),
)

SELECTION_CRITERIA: dict[str, dict[str, CriterionInfo]] = {
    "region": REGION_CRITERIA,
    "enterprise": ENTERPRISE_CRITERIA,
}

#: Direct weights must sum to 1 within this tolerance.
WEIGHT_SUM_TOLERANCE = 1e-6
#: a_ji must equal 1/a_ij within this tolerance.
RECIPROCAL_TOLERANCE = 1e-9
_SCALE_TOLERANCE = 1e-9  # entries may exceed Saaty's 1/9..9 by float rounding only


def _saaty_entry(value: Any) -> Any:
    """An AHP judgement: a number or a fraction written as text ('1/3', since YAML has none)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            num, _, den = text.partition("/")
            return float(num) / float(den) if den else float(num)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a number or a fraction such as '1/3'") from None
    return value


SaatyEntry = Annotated[float, BeforeValidator(_saaty_entry)]


class CriterionSetting(_Strict):
    """How one criterion enters a ranking."""

    direction: Direction = Field(description="benefit: higher is better; cost: lower is better.")
    weight: float | None = Field(
        default=None, description="Direct weight (weights: direct); all weights sum to 1."
    )
    indifference: float | None = Field(
        default=None,
        description="PROMETHEE II linear preference: differences up to q (criterion unit) count "
        "as indifferent; default 0.",
    )
    preference: float | None = Field(
        default=None,
        description="PROMETHEE II linear preference: differences from p (criterion unit) count as "
        "full preference; default the criterion's range over the alternatives.",
    )


class SensitivitySetting(_Strict):
    """How the robustness of a ranking to its weights is tested."""

    draws: int = Field(
        default=1000, ge=10, le=100_000, description="Monte Carlo weight draws (Dirichlet)."
    )
    concentration: float = Field(
        default=50.0,
        gt=0,
        description="Dirichlet concentration around the weights: larger draws stay closer.",
    )
    seed: int = Field(default=2021, ge=0, description="Seed of the random draws.")
    changes: list[float] = Field(
        default_factory=lambda: [-0.5, -0.25, 0.25, 0.5],
        description="One-at-a-time relative changes of each weight (-0.5 = halve it); the other "
        "weights are rescaled in proportion so that the sum stays 1.",
    )

    @field_validator("changes")
    @classmethod
    def _above_minus_one(cls, v: list[float]) -> list[float]:
        if any(c <= -1 for c in v):
            raise ValueError("a relative change must be greater than -1 (a weight stays >= 0)")
        return v


class SelectionSettings(_Strict):
    """A multi-criteria ranking: method, normalisation, criteria with directions and weights."""

    kind: ClassVar[str] = ""

    method: Literal["weighted_sum", "topsis", "promethee_ii"] = "topsis"
    normalisation: Literal["minmax", "vector", "sum", "max"] = Field(
        default="minmax",
        description="Used by weighted_sum and topsis; promethee_ii uses raw values.",
    )
    weights: Literal["direct", "equal", "ahp"] = "direct"
    criteria: dict[str, CriterionSetting] = Field(
        min_length=1, description="Criteria by name (see the catalogue), in order."
    )
    ahp_matrix: list[list[SaatyEntry]] | None = Field(
        default=None,
        description="Pairwise comparisons on Saaty's 1-9 scale, rows and columns in the order of "
        "criteria; a_ij = how much more important criterion i is than j; '1/3' allowed.",
    )
    require_consistent: bool = Field(
        default=True, description="Treat an AHP consistency ratio CR >= 0.10 as an error."
    )
    preference_function: Literal["usual", "linear"] = Field(
        default="linear", description="PROMETHEE II preference function."
    )
    sensitivity: SensitivitySetting = Field(default_factory=SensitivitySetting)

    @property
    def criterion_names(self) -> list[str]:
        return list(self.criteria)

    def problems(self) -> list[tuple[tuple[str | int, ...], str, Any]]:
        """Rules that span fields: (key path, message, value) for every one broken."""
        out: list[tuple[tuple[str | int, ...], str, Any]] = []
        catalogue = SELECTION_CRITERIA[self.kind]
        names = list(self.criteria)
        for name, c in self.criteria.items():
            if name not in catalogue:
                out.append(
                    (
                        ("criteria", name),
                        f"not a known {self.kind} criterion; known: {', '.join(catalogue)}.",
                        name,
                    )
                )
            if c.weight is not None and self.weights != "direct":
                out.append(
                    (
                        ("criteria", name, "weight"),
                        f"weights are '{self.weights}', so a direct weight is not read; remove it "
                        "or set weights: direct.",
                        c.weight,
                    )
                )
            if c.weight is not None and c.weight < 0:
                out.append((("criteria", name, "weight"), "a weight cannot be negative.", c.weight))
            thresholds = {"indifference": c.indifference, "preference": c.preference}
            for key, value in thresholds.items():
                if value is None:
                    continue
                if self.method != "promethee_ii" or self.preference_function != "linear":
                    out.append(
                        (
                            ("criteria", name, key),
                            "a preference threshold is only read by method promethee_ii with "
                            "preference_function linear.",
                            value,
                        )
                    )
                elif value < 0 or (key == "preference" and value == 0):
                    out.append((("criteria", name, key), "a threshold must be positive.", value))
            if (
                c.indifference is not None
                and c.preference is not None
                and c.preference <= c.indifference
            ):
                out.append(
                    (
                        ("criteria", name, "preference"),
                        f"the preference threshold must exceed the indifference threshold "
                        f"({c.indifference}).",
                        c.preference,
                    )
                )
        if self.weights == "direct":
            missing = [n for n, c in self.criteria.items() if c.weight is None]
            for name in missing:
                out.append(
                    (
                        ("criteria", name, "weight"),
                        "weights are 'direct': give every criterion a weight.",
                        None,
                    )
                )
            given = [c.weight for c in self.criteria.values() if c.weight is not None]
            if not missing and abs(sum(given) - 1.0) > WEIGHT_SUM_TOLERANCE:
                out.append(
                    (
                        ("criteria",),
                        f"the direct weights sum to {sum(given):.6g}, not 1 (tolerance "
                        f"{WEIGHT_SUM_TOLERANCE:g}).",
                        ", ".join(f"{n}: {c.weight:g}" for n, c in self.criteria.items()),
                    )
                )
        if self.weights == "ahp":
            if self.ahp_matrix is None:
                out.append(
                    (
                        ("ahp_matrix",),
                        "weights are 'ahp': give the pairwise comparison matrix.",
                        None,
                    )
                )
            else:
                out.extend(self._ahp_problems(names))
        elif self.ahp_matrix is not None:
            out.append(
                (
                    ("ahp_matrix",),
                    f"weights are '{self.weights}', so the AHP matrix is not read; remove it or "
                    "set weights: ahp.",
                    None,
                )
            )
        return out

    def _ahp_problems(self, names: list[str]) -> list[tuple[tuple[str | int, ...], str, Any]]:
        a = self.ahp_matrix or []
        n = len(names)
        if len(a) != n:
            return [
                (
                    ("ahp_matrix",),
                    f"the AHP matrix must be square with one row and one column per criterion: it "
                    f"has {len(a)} rows for {n} criteria ({', '.join(names)}).",
                    None,
                )
            ]
        wrong = [
            (
                ("ahp_matrix", i),
                f"the AHP matrix must be square: row {i} ({names[i]}) has {len(row)} entries for {n} "
                "criteria.",
                None,
            )
            for i, row in enumerate(a)
            if len(row) != n
        ]
        if wrong:
            return wrong
        out: list[tuple[tuple[str | int, ...], str, Any]] = []
        low, high = 1 / 9 - _SCALE_TOLERANCE, 9 + _SCALE_TOLERANCE
        for i in range(n):
            for j in range(n):
                v = a[i][j]
                if not low <= v <= high:
                    out.append(
                        (
                            ("ahp_matrix", i, j),
                            f"{names[i]} vs {names[j]}: a judgement must lie on Saaty's scale "
                            "1/9 .. 9.",
                            v,
                        )
                    )
        if out:
            return out
        for i in range(n):
            if abs(a[i][i] - 1) > RECIPROCAL_TOLERANCE:
                out.append((("ahp_matrix", i, i), f"{names[i]} vs itself must be 1.", a[i][i]))
            for j in range(i + 1, n):
                if abs(a[j][i] - 1 / a[i][j]) > RECIPROCAL_TOLERANCE:
                    out.append(
                        (
                            ("ahp_matrix", j, i),
                            f"the AHP matrix is not reciprocal: {names[j]} vs {names[i]} must be "
                            f"1/{a[i][j]:g} = {1 / a[i][j]:.6g} (the inverse of {names[i]} vs "
                            f"{names[j]} in row {i}, column {j}; write fractions as '1/3').",
                            a[j][i],
                        )
                    )
        if out or not self.require_consistent:
            return out
        try:
            _, lam, ci, ri, cr = ahp_consistency(a)
        except ValueError as exc:
            return [(("ahp_matrix",), str(exc) + ".", None)]
        if cr >= CONSISTENCY_LIMIT:
            out.append(
                (
                    ("ahp_matrix",),
                    f"the judgements are inconsistent: CR = {cr:.3f} >= {CONSISTENCY_LIMIT} "
                    f"(lambda_max {lam:.3f}, CI {ci:.3f}, RI {ri}); revise them, or set "
                    "require_consistent: false to accept them with a warning in the report.",
                    None,
                )
            )
        return out


class Eligibility(_Strict):
    """Gates an enterprise must pass before it is ranked for a RECP assessment; null turns a gate
    off. An enterprise whose value is not known under an active gate is excluded with the reason
    'not known': eligibility is shown, not assumed, and the report lists every exclusion."""

    max_employees: int | None = Field(
        default=None,
        ge=1,
        description="SME size: at most this many employees. The EU definition (Commission "
        "Recommendation 2003/361/EC, Annex, Art. 2(1)) is fewer than 250 persons: 249.",
    )
    min_recp_interest: RecpLevel | None = Field(
        default=None,
        description="At least this declared RECP interest (none < low < medium < high): an "
        "assessment needs an enterprise willing to take part.",
    )
    max_output_value_kazn: float | None = Field(
        default=None,
        gt=0,
        description="At most this annual output value (output_value_kazn, thousand AZN), standing "
        "in for turnover. The EU ceiling (2003/361/EC) is turnover <= EUR 50 million or balance "
        "sheet <= EUR 43 million: to use it, enter EUR 50,000 thousand times the reference "
        "year's EUR/AZN rate (Central Bank of Azerbaijan). Off by default: the data has no "
        "balance sheet, so this gate may exclude an SME that meets the balance-sheet test.",
    )

    @property
    def active(self) -> bool:
        return any(v is not None for v in self.model_dump().values())


class RegionSelection(SelectionSettings):
    """``region_selection``: rank the economic regions and recommend pilots (notebook 00)."""

    kind: ClassVar[str] = "region"

    pilots: int = Field(default=2, ge=1, le=14, description="Regions recommended as pilots.")
    recycling_distance_km: float = Field(
        default=50.0,
        ge=0,
        description="Recycling facilities this far outside a region still count as nearby.",
    )


class EnterpriseSelection(SelectionSettings):
    """``enterprise_selection``: rank a region's enterprises for RECP assessment (notebook 01).

    The size of the shortlist is the notebook parameter ``shortlist_size``; only enterprises
    that pass the ``eligibility`` gates are ranked."""

    kind: ClassVar[str] = "enterprise"

    eligibility: Eligibility = Field(
        default_factory=Eligibility,
        description="Gates applied before scoring (SME size, RECP interest, output value).",
    )


def statistics_criteria(value: Any) -> list[str]:
    """The criteria of a ``region_selection`` value (as written in a parameter file) that are
    read from the regional statistics table."""
    criteria = value.get("criteria") if isinstance(value, dict) else None
    if not isinstance(criteria, dict):
        return []
    return [
        n for n in criteria if n in REGION_CRITERIA and REGION_CRITERIA[n].source == "statistics"
    ]


def statistics_problems(
    value: Any, has_statistics: bool, file: str, key: str, inherited: bool = False
) -> list[ConfigProblem]:
    """The pre-flight's check of a ``region_selection`` value (set at ``key`` of ``file``, or
    ``inherited``: the toolkit's default, as the study sets none) against the study data: the
    criteria read from the regional statistics need that table (one problem naming them all)."""
    names = statistics_criteria(value)
    if has_statistics or not names:
        return []
    others = ", ".join(n for n, c in REGION_CRITERIA.items() if c.source != "statistics")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    one = len(names) == 1
    message = (
        f"criteri{'on' if one else 'a'} {listed} {'is a column' if one else 'are columns'} of "
        f"the {STATISTICS_TABLE} table of the study data (one row per economic region), and the "
        f"data has no such table: add it, or rank the regions on criteria of the survey or the "
        f"facilities ({others})."
    )
    if inherited:
        message += (
            " These are the toolkit's default criteria, used because the study sets no "
            "region_selection."
        )
    return [ConfigProblem(file, f"{key}.criteria", message, ", ".join(names))]
