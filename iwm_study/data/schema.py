"""The waste inventory data model: the input tables, their columns, types and units.

Three tables describe the survey (enterprises, waste_streams and the optional facilities); two
more, both optional, describe the population the survey was drawn from: ``register`` (the
business-register frame: enterprises and employees by economic region and NACE division, as the
State Statistical Committee publishes them) and ``regional_statistics`` (one row of official
figures per economic region, for choosing pilot regions before any survey).

This module is the single description of what a study's input data looks like. The readers use it
to type the columns, the validator to check them, the workbook template to write headers, and the
documentation to list them. It imports nothing heavy.

Row numbers in messages are the line a person sees in a spreadsheet or text editor: the header is
row 1 and the first record is row 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..i18n import N_

Kind = Literal["str", "int", "float", "bool"]

#: Levels of interest an enterprise declared in a Resource Efficient and Cleaner Production
#: assessment, lowest first; scoring reads them as 0..3.
RECP_LEVELS: tuple[str, ...] = ("none", "low", "medium", "high")
#: How a waste quantity was obtained (EU waste statistics practice), best first.
DATA_QUALITY: tuple[str, ...] = ("measured", "calculated", "estimated")
#: Physical state of a waste stream as it leaves the enterprise.
PHYSICAL_STATES: tuple[str, ...] = ("solid", "powder", "sludge", "liquid", "gas")
#: Kinds of facility that receive waste.
FACILITY_TYPES: tuple[str, ...] = (
    "recycler",  # material recovery (R2-R11)
    "treatment",  # physico-chemical or biological treatment before recovery or disposal
    "incinerator",  # thermal treatment with or without energy recovery
    "landfill",  # D1 / D5 disposal sites
    "secondary_user",  # uses waste as a raw material (e.g. ash in cement, slag as aggregate)
    "collector",  # collection and storage pending recovery or disposal (R13 / D15)
)
#: Units a stream quantity may be given in, with their aliases; all are per year.
UNIT_ALIASES: dict[str, str] = {
    "t": "t",
    "tonne": "t",
    "tonnes": "t",
    "kg": "kg",
    "m3": "m3",
    "m³": "m3",
}
#: Tonnes per unit for the mass units; volumes need a density in t/m3.
TONNES_PER_UNIT: dict[str, float] = {"t": 1.0, "kg": 0.001}

#: A stream above this many tonnes a year gets a warning asking the author to check it: about a
#: fifth of the 1,326 thousand t of waste that Azerbaijani enterprises reported from production
#: in 2022 (State Statistical Committee of Azerbaijan, 2022: 3,984.1 thousand t generated, 33.3 %
#: of it from enterprises' production). A study may set its own bound (data.max_stream_t).
MAX_STREAM_T = 250_000.0

#: Separator for list cells (accepted EWC codes, operations of a facility).
LIST_SEPARATOR = ";"
#: In the data-collection workbook, the row under the header that gives units has this text in
#: its key column, and example rows have an identifier starting with EXAMPLE_PREFIX; the
#: readers skip both, so a filled-in template reads back as it is.
UNITS_ROW_MARKER = "[units]"
EXAMPLE_PREFIX = "EXAMPLE"


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    name: str
    kind: Kind
    description: str
    unit: str | None = None
    required: bool = True  # the column must be present in the file
    nullable: bool = False  # a cell may be left blank
    choices: tuple[str, ...] | None = None  # closed list of allowed values (lower case)
    example: str = ""  # a value for the data-collection template


@dataclass(frozen=True)
class Table:
    """An input table: its name (CSV file stem, workbook sheet, GeoPackage layer) and columns."""

    name: str
    key: str
    title: str
    columns: tuple[Column, ...]
    derived: dict[str, str] = field(default_factory=dict)  # columns added on load: meaning
    #: A study needs the table's rows; an optional table may be absent or empty.
    required: bool = True
    #: What an empty optional table means for the study (said in its warning).
    if_empty: str = ""
    #: Columns whose values together identify a row, when that is not ``key`` alone (a
    #: register row is one economic region and one NACE division).
    unique: tuple[str, ...] = ()
    #: Whether an optional table with a header but no rows gets a warning. The sheets of the
    #: optional population tables ship empty in every data-collection workbook: empty there
    #: means "not given", like an absent file.
    warn_if_empty: bool = True
    #: Text columns a reader sees that may have their translations beside them, one column
    #: per language (``title_az`` for the Azerbaijani of ``title``): kept as text, unchecked,
    #: and read where shown with ``codes.in_language`` (a blank one shows the English).
    translated: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def translation_columns(self) -> tuple[str, ...]:
        """The columns the translations of ``translated`` may have, for each language other
        than English."""
        from ..i18n import LANGUAGES, SOURCE_LANGUAGE

        return tuple(
            f"{column}_{code}"
            for column in self.translated
            for code in LANGUAGES
            if code != SOURCE_LANGUAGE
        )

    @property
    def unique_columns(self) -> tuple[str, ...]:
        """The columns that identify a row: ``unique``, or else the key."""
        return self.unique or (self.key,)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


_SOURCE = Column(
    "source",
    "str",
    N_(
        "Where the row comes from (survey form, site visit, permit, 'synthetic'), so every number "
        "can be traced."
    ),
    required=False,
    nullable=True,
    example=N_("2-TG (waste) form 2022"),
)

ENTERPRISES = Table(
    name="enterprises",
    key="enterprise_id",
    title=N_("Enterprises (waste generators)"),
    columns=(
        Column(
            "enterprise_id", "str", N_("Unique identifier of the enterprise."), example="ENT-0001"
        ),
        Column(
            "name",
            "str",
            N_("Registered name, UTF-8 (Azerbaijani letters such as ə ş ç ğ ı ö ü are kept)."),
            example="Gəncə Alüminium Zavodu",
        ),
        Column(
            "economic_region",
            "str",
            N_("One of the 14 economic regions of Azerbaijan (decree of 7 July 2021)."),
            example="Ganja-Dashkasan",
        ),
        Column(
            "district", "str", N_("District (rayon) or city of the site."), example="Ganja City"
        ),
        Column(
            "longitude",
            "float",
            N_("Longitude of the site, WGS 84."),
            unit=N_("degree east"),
            example="46.36",
        ),
        Column(
            "latitude",
            "float",
            N_("Latitude of the site, WGS 84."),
            unit=N_("degree north"),
            example="40.68",
        ),
        Column(
            "nace_code",
            "str",
            N_(
                "Main activity, NACE Rev.2 division, group or class ('24', '24.4', '24.42'; a "
                "section letter prefix such as 'C24.42' is accepted)."
            ),
            example="24.42",
        ),
        Column("employees", "int", N_("Number of employees."), unit=N_("persons"), example="850"),
        Column(
            "output_value_kazn",
            "float",
            N_("Annual output value."),
            unit=N_("thousand AZN per year"),
            nullable=True,
            example="120000",
        ),
        Column(
            "recp_interest",
            "str",
            N_("Interest declared in a RECP assessment."),
            choices=RECP_LEVELS,
            example="high",
        ),
        _SOURCE,
    ),
    derived={
        "nace_division": "two-digit NACE Rev.2 division ('24')",
        "nace_section": "NACE Rev.2 section letter ('C')",
        "geometry": "site as a point, EPSG:4326",
    },
)

WASTE_STREAMS = Table(
    name="waste_streams",
    key="stream_id",
    title=N_("Waste streams"),
    columns=(
        Column(
            "stream_id", "str", N_("Unique identifier of the waste stream."), example="WS-00001"
        ),
        Column(
            "enterprise_id", "str", N_("Enterprise that generates the stream."), example="ENT-0001"
        ),
        Column(
            "ewc_code",
            "str",
            N_(
                "European List of Waste code 'CC SS EE', with '*' when hazardous ('10 03 04*'); "
                "six digits without spaces are accepted."
            ),
            example="10 03 08*",
        ),
        Column(
            "description",
            "str",
            N_("What the waste is, in the enterprise's words."),
            example=N_("Salt slag"),
        ),
        Column(
            "quantity",
            "float",
            N_("Quantity generated per year, in `unit`."),
            unit=N_("unit per year"),
            example="1200",
        ),
        Column("unit", "str", N_("Unit of `quantity`: t, kg or m3 (per year)."), example="t"),
        Column(
            "density_t_m3",
            "float",
            N_("Bulk density, needed when the unit is m3."),
            unit="t/m3",
            nullable=True,
            example="",
        ),
        Column(
            "physical_state", "str", N_("Physical state."), choices=PHYSICAL_STATES, example="solid"
        ),
        Column(
            "operation",
            "str",
            N_("Recovery (R1-R13) or disposal (D1-D15) operation applied, Directive 2008/98/EC."),
            nullable=True,
            example="R4",
        ),
        Column(
            "fate",
            "str",
            N_(
                "Where the waste went: the State Statistical Committee's categories plus "
                "incinerated and unknown."
            ),
            nullable=True,
            example="sold_or_transferred",
        ),
        Column(
            "destination_facility_id",
            "str",
            N_("Facility that received the waste, if known."),
            nullable=True,
            example="FAC-001",
        ),
        Column(
            "data_quality",
            "str",
            N_("How the quantity was obtained."),
            choices=DATA_QUALITY,
            example="measured",
        ),
        Column(
            "hazard_assessment",
            "str",
            N_(
                "For a mirror entry of the List of Waste: the analysis or assessment that found the "
                "waste non-hazardous (laboratory, report, date). Without it, a non-hazardous mirror "
                "entry gets a warning."
            ),
            required=False,
            nullable=True,
            example="",
        ),
        Column(
            "reference_year",
            "int",
            N_("Year the quantity refers to."),
            unit=N_("year"),
            example="2022",
        ),
        Column(
            "storage_since_year",
            "int",
            N_(
                "For waste kept at the enterprise's own site under D15 (storage before disposal) or "
                "R13 (storage before recovery): the year the oldest waste still in store was put "
                "there; blank when not known. Checked against the Landfill Directive's limits "
                "(1999/31/EC Art. 2(g): one year before disposal, three before recovery)."
            ),
            unit=N_("year"),
            required=False,
            nullable=True,
            example="",
        ),
        _SOURCE,
    ),
    derived={
        "quantity_t": "quantity converted to tonnes per year",
        "hazardous": "True when the List of Waste marks the entry hazardous (its asterisk)",
        "ewc_chapter": "two-digit EWC chapter ('10')",
        "ewc_subchapter": "EWC sub-chapter ('10 03')",
    },
)

FACILITIES = Table(
    name="facilities",
    key="facility_id",
    title=N_("Facilities (recyclers, treatment plants, landfills, users of secondary materials)"),
    columns=(
        Column("facility_id", "str", N_("Unique identifier of the facility."), example="FAC-001"),
        Column("name", "str", N_("Name of the facility, UTF-8."), example="Balaxanı Təkrar Emal"),
        Column(
            "facility_type",
            "str",
            N_("Kind of facility."),
            choices=FACILITY_TYPES,
            example="recycler",
        ),
        Column("economic_region", "str", N_("Economic region of the site."), example="Baku"),
        Column("district", "str", N_("District (rayon) or city of the site."), example="Baku City"),
        Column(
            "longitude", "float", N_("Longitude, WGS 84."), unit=N_("degree east"), example="49.95"
        ),
        Column(
            "latitude", "float", N_("Latitude, WGS 84."), unit=N_("degree north"), example="40.45"
        ),
        Column(
            "accepted_ewc",
            "str",
            N_(
                "EWC chapters ('15'), sub-chapters ('15 01') or codes ('15 01 02') accepted, "
                "separated by ';'."
            ),
            example="15 01; 19 12 04; 20 01 39",
        ),
        Column(
            "operations",
            "str",
            N_("R/D operations carried out, separated by ';'."),
            example="R3; R13",
        ),
        Column(
            "capacity_t_yr",
            "float",
            N_("Capacity to receive waste."),
            unit=N_("t per year"),
            nullable=True,
            example="15000",
        ),
        Column(
            "hazardous_permitted",
            "bool",
            N_("Whether the facility is permitted to receive hazardous waste (yes/no)."),
            example="no",
        ),
        Column(
            "nace_code",
            "str",
            N_("Activity of the facility, NACE Rev.2 (for users of secondary materials)."),
            required=False,
            nullable=True,
            example="38.32",
        ),
        _SOURCE,
    ),
    derived={
        "accepted_ewc_list": "accepted_ewc split into a list of normalised codes",
        "operations_list": "operations split into a list",
        "geometry": "site as a point, EPSG:4326",
    },
    required=False,
    if_empty=N_(
        "without facilities, the circular options look only at enterprises as receivers "
        "and the maps show no facility."
    ),
)

_REGION = Column(
    "economic_region",
    "str",
    N_("One of the 14 economic regions of Azerbaijan (decree of 7 July 2021)."),
    example="Baku",
)
_STAT_YEAR = Column(
    "reference_year", "int", N_("Year the figures refer to."), unit=N_("year"), example="2022"
)

REGISTER = Table(
    name="register",
    key="economic_region",
    title=N_("Business register (the frame the survey was drawn from)"),
    columns=(
        _REGION,
        Column(
            "nace_division",
            "str",
            N_(
                "NACE Rev.2 division, two digits ('10'; a section letter prefix such as 'C10' is "
                "accepted)."
            ),
            example="10",
        ),
        Column(
            "enterprises",
            "int",
            N_("Active enterprises of the division in the region."),
            unit=N_("enterprises"),
            example="412",
        ),
        Column(
            "employees",
            "int",
            N_("Employees of those enterprises."),
            unit=N_("persons"),
            example="9650",
        ),
        _STAT_YEAR,
        Column(
            "source",
            "str",
            N_(
                "Where the counts come from (the State Statistical Committee's business register "
                "and its year, or 'synthetic')."
            ),
            required=False,
            nullable=True,
            example=N_("SSC business register 2022"),
        ),
    ),
    required=False,
    unique=("economic_region", "nace_division"),
    warn_if_empty=False,
)

REGIONAL_STATISTICS = Table(
    name="regional_statistics",
    key="economic_region",
    title=N_("Regional statistics (official figures per economic region)"),
    columns=(
        _REGION,
        Column(
            "enterprises",
            "int",
            N_("Industrial enterprises of the region."),
            unit=N_("enterprises"),
            nullable=True,
            example="2140",
        ),
        Column(
            "employees",
            "int",
            N_("Employees of those enterprises."),
            unit=N_("persons"),
            nullable=True,
            example="61500",
        ),
        Column(
            "industrial_output_mazn",
            "float",
            N_("Industrial output of the region."),
            unit=N_("million AZN per year"),
            nullable=True,
            example="9800",
        ),
        Column(
            "waste_generated_t",
            "float",
            N_("Waste generated by the region's enterprises (form 2-TG)."),
            unit=N_("t per year"),
            nullable=True,
            example="410000",
        ),
        _STAT_YEAR,
        Column(
            "source",
            "str",
            N_(
                "Where the figures come from (State Statistical Committee publication and year, or "
                "'synthetic')."
            ),
            required=False,
            nullable=True,
            example=N_("SSC, Regions of Azerbaijan 2023"),
        ),
    ),
    required=False,
    warn_if_empty=False,
)

TABLES: dict[str, Table] = {
    t.name: t for t in (ENTERPRISES, WASTE_STREAMS, FACILITIES, REGISTER, REGIONAL_STATISTICS)
}
#: The tables that describe the survey itself; the others describe its population.
SURVEY_TABLES: tuple[str, ...] = ("enterprises", "waste_streams", "facilities")
