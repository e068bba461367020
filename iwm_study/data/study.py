"""One entry point for a study's data: ``load_study`` reads, types and checks it all.

Notebooks call ``load_study(path)`` and get typed tables or a ``StudyDataError`` that lists every
problem; ``validate_study(path)`` returns the same problems without raising, for ``iwm validate``
and for notebooks that want to show them. ``write_study`` writes typed tables back as CSV or as a
workbook, the exact inverse of reading, so data can move between formats without loss.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..paths import demo_data, resolve
from . import codes
from .frames import check_regional_statistics, check_register, check_register_against_survey
from .issues import Issue, StudyDataError, ValidationReport
from .readers import RawStudy, read_source
from .schema import LIST_SEPARATOR, MAX_STREAM_T, TABLES
from .snapshot import snapshot_study
from .validate import (
    GeoSettings,
    check_enterprises,
    check_facilities,
    check_geography,
    check_references,
    check_waste_streams,
    ewc_context,
)

if TYPE_CHECKING:
    import geopandas as gpd

REQUIRED_TABLES = ("enterprises", "waste_streams")
#: Optional tables that describe the survey's population, not the survey.
POPULATION_TABLES = ("register", "regional_statistics")


@dataclass
class Study:
    """A study's typed input tables.

    Index of every table: the row number in the file it came from (header = row 1), so any
    figure can be traced to its row. Columns: those of ``iwm_study.data.schema`` plus the derived
    ones listed there (``quantity_t``, ``hazardous``, ``ewc_chapter``, ``geometry`` ...).
    ``register`` and ``regional_statistics`` are None when the study gives none (no file,
    sheet or layer, or one with a header and no rows).
    """

    enterprises: gpd.GeoDataFrame
    waste_streams: pd.DataFrame
    facilities: gpd.GeoDataFrame
    source: Path
    files: dict[str, str] = field(default_factory=dict)
    warnings: ValidationReport = field(default_factory=ValidationReport)
    register: pd.DataFrame | None = None
    regional_statistics: pd.DataFrame | None = None

    def for_region(self, economic_region: str) -> Study:
        """The enterprises of one economic region, their streams and the region's rows of the
        register (None when it has none; facilities: all, since waste may travel across
        regional borders; regional statistics: all, since they compare the regions)."""
        ent = self.enterprises[self.enterprises["economic_region"] == economic_region]
        streams = self.waste_streams[self.waste_streams["enterprise_id"].isin(ent["enterprise_id"])]
        register = self.register
        if register is not None:
            register = register[register["economic_region"] == economic_region].copy()
            register = register if len(register) else None
        return Study(
            ent.copy(),
            streams.copy(),
            self.facilities.copy(),
            self.source,
            dict(self.files),
            self.warnings,
            register=register,
            regional_statistics=None
            if self.regional_statistics is None
            else self.regional_statistics.copy(),
        )


def _sheet_names(source: Path) -> list[str]:
    """The sheets of a workbook (for a hint), or [] for any other source."""
    if source.suffix.lower() != ".xlsx":
        return []
    try:
        from openpyxl import load_workbook

        wb = load_workbook(source, read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    except Exception:  # only a hint; the reader reports what is wrong
        return []


def _check(
    raw: RawStudy,
    ewc_entries: pd.DataFrame | None,
    today: date,
    geo: GeoSettings,
    number_format: str | None = None,
    max_stream_t: float = MAX_STREAM_T,
) -> tuple[dict[str, pd.DataFrame], ValidationReport]:
    issues: list[Issue] = list(raw.issues)
    source_failed = any(i.file == str(raw.source) and i.sheet is None for i in raw.issues)
    for name in REQUIRED_TABLES:
        if name in raw.tables or source_failed:
            continue
        hint = (
            f"A study needs the tables {', '.join(REQUIRED_TABLES)}; facilities, register and "
            "regional_statistics are optional."
        )
        if raw.source.is_dir():
            where = raw.source / f"{name}.csv"
            if where.exists():
                continue  # it is there but could not be read: that problem is reported already
            present = sorted(p.name for p in raw.source.iterdir() if p.suffix.lower() == ".csv")
            hint += " CSV files in the folder: " + (", ".join(present) or "none") + "."
        else:
            where = raw.source
            if any(i.sheet and i.sheet.strip().lower() == name for i in raw.issues):
                continue
            sheets = _sheet_names(raw.source)
            if sheets:
                hint += " Sheets in the workbook: " + ", ".join(sheets) + "."
        issues.append(
            Issue(
                str(where),
                "file-missing",
                f"the {name} table is missing."
                if not raw.source.is_dir()
                else "the file is missing.",
                sheet=None if raw.source.is_dir() else name,
                hint=hint,
            )
        )
    ctx = ewc_context(ewc_entries)
    typed: dict[str, pd.DataFrame] = {}
    if "enterprises" in raw.tables:
        ent = check_enterprises(raw.tables["enterprises"], issues, number_format)
        typed["enterprises"] = check_geography(ent, raw.tables["enterprises"], issues, geo)
    if "facilities" in raw.tables:
        fac = check_facilities(raw.tables["facilities"], issues, ctx, number_format)
        typed["facilities"] = check_geography(fac, raw.tables["facilities"], issues, geo)
    if "waste_streams" in raw.tables:
        streams = check_waste_streams(
            raw.tables["waste_streams"], issues, ctx, today, number_format, max_stream_t
        )
        check_references(
            streams,
            raw.tables["waste_streams"],
            typed.get("enterprises"),
            typed.get("facilities"),
            issues,
        )
        typed["waste_streams"] = streams
    if "register" in raw.tables:
        register = check_register(raw.tables["register"], issues, today, number_format)
        if "enterprises" in typed:
            check_register_against_survey(
                register, raw.tables["register"], typed["enterprises"], issues
            )
        typed["register"] = register
    if "regional_statistics" in raw.tables:
        typed["regional_statistics"] = check_regional_statistics(
            raw.tables["regional_statistics"], issues, today, number_format
        )
    return typed, ValidationReport(issues).sorted()


def _read_entries(ewc_entries: str | Path | None, report: ValidationReport) -> pd.DataFrame | None:
    if ewc_entries is None:
        return None
    try:
        return codes.read_ewc_entries(resolve(ewc_entries))
    except (OSError, ValueError) as exc:
        report.add(
            Issue(str(ewc_entries), "ewc-entries", f"the list of EWC entries cannot be read: {exc}")
        )
        return None


def inspect_study(
    source: str | Path | None = None,
    *,
    ewc_entries: str | Path | None = None,
    today: date | None = None,
    geo: GeoSettings | None = None,
    number_format: str | None = None,
    max_stream_t: float = MAX_STREAM_T,
) -> tuple[Study | None, ValidationReport]:
    """Read, type and check the study data at ``source``: the typed study (None when there is
    any error) and every problem found, errors and warnings, in a stable order.

    ``source`` None is the demonstration dataset the toolkit ships; a relative path is read
    against the study folder (``iwm_study.paths.resolve``), wherever the kernel runs."""
    import geopandas as gpd

    from . import geography

    source = demo_data() if source is None else resolve(source)
    report = ValidationReport()
    entries = _read_entries(ewc_entries, report)
    raw = read_source(source)
    typed, found = _check(
        raw, entries, today or date.today(), geo or GeoSettings(), number_format, max_stream_t
    )
    report.extend(found.issues)
    report = report.sorted()
    if not report.ok:
        return None, report
    if "facilities" not in typed:
        columns = list(TABLES["facilities"].column_names) + list(TABLES["facilities"].derived)
        empty = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in columns if c != "geometry"},
            index=pd.Index([], name="row"),
        )
        typed["facilities"] = gpd.GeoDataFrame(
            empty, geometry=gpd.GeoSeries([], crs=geography.GEOGRAPHIC_CRS)
        )
    study = Study(
        enterprises=typed["enterprises"],
        waste_streams=typed["waste_streams"],
        facilities=typed["facilities"],
        source=Path(source),
        files={name: t.file for name, t in raw.tables.items()},
        warnings=ValidationReport([i for i in report.issues if i.severity != "error"]),
        **{name: typed[name] for name in POPULATION_TABLES if len(typed.get(name, ())) > 0},
    )
    return study, report


def validate_study(source: str | Path | None = None, **options) -> ValidationReport:
    """Every problem in the study data at ``source`` (folder of CSVs, .xlsx or .gpkg), as a
    report whose ``to_frame()`` is a DataFrame for notebooks. Options as ``inspect_study``."""
    return inspect_study(source, **options)[1]


def load_study(source: str | Path | None = None, **options) -> Study:
    """Read, type and check the study data at ``source``; raise ``StudyDataError`` listing every
    problem when there is any error. Warnings are kept on ``Study.warnings``.

    ``source``: a folder of CSV files, an .xlsx workbook or a .gpkg GeoPackage; a relative path
    is read against the study folder wherever the kernel runs; None is the demonstration
    dataset the toolkit ships. Options: ``ewc_entries`` (a study's own list of EWC entries),
    ``today`` (for the year check), ``geo`` (``GeoSettings`` tolerances), ``number_format``
    (None, 'decimal_comma' or 'decimal_point': how numbers typed as text are written),
    ``max_stream_t`` (the plausibility bound of one stream).

    Under ``iwm run`` the pre-flight has checked the same data already: when the runner names a
    folder of snapshots (``IWM_STUDY_SNAPSHOTS``) holding one of this very call (same files,
    options, language and toolkit; ``iwm_study.data.snapshot``), the study comes from it.
    """
    found = snapshot_study(source, **options)
    if found is not None:
        return found
    study, report = inspect_study(source, **options)
    if study is None:
        raise StudyDataError(report, source if source is not None else demo_data())
    return study


#: A number with one to three digits, a point and exactly three decimals (iwm_study.data.numbers
#: reads it two ways unless a study declares its number format).
_THREE_DECIMALS = r"^-?\d{1,3}\.\d{3}$"


def _as_text(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Typed table -> the text a person would type, columns of the schema only (inverse of reading)."""
    from .readers import cell_text

    spec = TABLES[table]
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        if col.name not in frame:
            if col.required:
                out[col.name] = ""
            continue
        series = frame[col.name]
        if col.kind == "bool":
            out[col.name] = series.map(lambda v: "" if pd.isna(v) else ("yes" if v else "no"))
        else:
            out[col.name] = series.map(
                lambda v: (
                    "" if v is None or (not isinstance(v, list) and pd.isna(v)) else cell_text(v)
                )
            )
            if col.kind == "float":
                # '49.892' would read back as ambiguous (a thousands group?): '49.8920' cannot
                out[col.name] = out[col.name].str.replace(_THREE_DECIMALS, r"\g<0>0", regex=True)
    if table == "facilities":
        for name, listed in (
            ("accepted_ewc", "accepted_ewc_list"),
            ("operations", "operations_list"),
        ):
            if listed in frame:
                out[name] = frame[listed].map(lambda items: f"{LIST_SEPARATOR} ".join(items))
    return out


def write_study(study: Study, dest: str | Path) -> list[Path]:
    """Write a study's tables to ``dest``: a folder of CSV files, an .xlsx workbook or a .gpkg.

    CSV files are UTF-8 without BOM with ``\\n`` line endings, so the same tables always give the
    same bytes. Returns the paths written.
    """
    dest = Path(dest)
    suffix = dest.suffix.lower()
    tables = {
        "enterprises": study.enterprises,
        "waste_streams": study.waste_streams,
        "facilities": study.facilities,
    }
    for name in POPULATION_TABLES:
        if getattr(study, name) is not None:
            tables[name] = getattr(study, name)
    texts = {name: _as_text(frame, name) for name, frame in tables.items()}
    if suffix == ".gpkg":
        import geopandas as gpd
        import pyogrio

        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        for name, text in texts.items():
            frame = text.reset_index(drop=True)
            frame.index = frame.index + 1  # GeoPackage fids start at 1, like the reader's rows
            # Numbers go in as numeric fields (as into a workbook): a number stored as text
            # such as '49.892' would read back as ambiguous (thousands or decimals?).
            for col in TABLES[name].columns:
                if col.kind in ("int", "float") and col.name in frame:
                    frame[col.name] = pd.to_numeric(frame[col.name].replace("", None))
            if "geometry" in tables[name]:
                frame = gpd.GeoDataFrame(
                    frame, geometry=list(tables[name].geometry), crs=tables[name].crs
                )
            pyogrio.write_dataframe(frame, dest, layer=name, driver="GPKG", append=dest.exists())
        return [dest]
    if suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for name, text in texts.items():
            ws = wb.create_sheet(name)
            ws.append(list(text.columns))
            for record in text.itertuples(index=False):
                ws.append(
                    [_excel_value(v, c) for v, c in zip(record, TABLES[name].columns, strict=True)]
                )
        dest.parent.mkdir(parents=True, exist_ok=True)
        wb.save(dest)
        return [dest]
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        path = dest / f"{name}.csv"
        text.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written


def _excel_value(text: str, col) -> object:
    """Numbers go into the workbook as numbers (so Excel users can sum them), the rest as text."""
    if text == "" or col.kind in ("str", "bool"):
        return text or None
    number = float(text)
    return int(number) if col.kind == "int" else number
