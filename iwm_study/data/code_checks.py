"""The code rules: EWC codes against the List of Waste, NACE Rev.2 codes, R/D operations.

An EWC code must be an entry of the list (the toolkit ships the full List of Waste; a study may
give its own list), its asterisk must agree with the list, and a non-hazardous mirror entry needs
the assessment behind it; a NACE code must exist down to the class; an operation is R1-R13 or
D1-D15. Every problem names the row and gives the nearest valid codes as the hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ..i18n import N_, _
from . import codes
from .checker import Checker

#: A six-digit EWC code, with or without the spaces, and an optional hazard asterisk.
EWC_PATTERN = re.compile(r"^(\d{2}) ?(\d{2}) ?(\d{2})\s*(\*?)$")
#: EWC prefixes allowed in a facility's accepted list: chapter, sub-chapter or full code.
EWC_PREFIX_PATTERN = re.compile(r"^(\d{2})(?: ?(\d{2})(?: ?(\d{2}))?)?\s*(\*?)$")
#: A NACE Rev.2 division, group or class, optionally with its section letter.
NACE_PATTERN = re.compile(r"^([A-Z]{1,2})?\s*(\d{2})(?:\.(\d)(\d)?)?$")
OPERATION_PATTERN = re.compile(r"^([RD])\s*(\d{1,2})$")


def normalise_ewc(text: str) -> str | None:
    """'100304*' or '10 03 04 *' -> '10 03 04*'; None when it is not a six-digit EWC code."""
    m = EWC_PATTERN.match(text.strip())
    if not m:
        return None
    return f"{m.group(1)} {m.group(2)} {m.group(3)}{m.group(4)}"


def normalise_nace(text: str) -> tuple[str, str | None] | None:
    """'C24.42' -> ('24.42', 'C'); None when the text is not a NACE Rev.2 code shape."""
    m = NACE_PATTERN.match(text.strip().upper())
    if not m:
        return None
    section, division, group, klass = m.groups()
    code = division + (f".{group}" if group else "") + (klass or "")
    return code, section


def check_nace(out: pd.DataFrame, chk: Checker) -> None:
    """NACE Rev.2 shape, section letter and existence down to the class (every division, group
    and class of Regulation (EC) No 1893/2006); adds nace_division and nace_section."""
    divisions = codes.nace_divisions().set_index("division")["section"]
    known = codes.nace_codes()
    division = pd.Series(None, index=out.index, dtype=object)
    section = pd.Series(None, index=out.index, dtype=object)
    for row, value in out["nace_code"].dropna().items():
        parsed = normalise_nace(value)
        if parsed is None:
            chk.add(
                "nace-format",
                _("'{value}' is not a NACE Rev.2 code.").format(value=value),
                row=row,
                column="nace_code",
                value=value,
                hint=_(
                    "Write a division, group or class such as 24, 24.4 or 24.42 (section letter "
                    "optional)."
                ),
            )
            continue
        code, letter = parsed
        div = code[:2]
        if letter and len(letter) == 2:
            chk.add(
                "nace-rev2",
                _(
                    "'{value}' has the two-letter subsection {letter}, which NACE Rev.1.1 used; "
                    "NACE Rev.2 has none."
                ).format(value=value, letter=letter),
                row=row,
                column="nace_code",
                value=value,
                hint=_(
                    "Convert it with the NACE Rev.1.1 to Rev.2 correspondence table (e.g. DG "
                    "24.1 -> C 20.1)."
                ),
            )
            continue
        if div not in divisions.index:
            chk.add(
                "nace-rev2",
                _("division {division} of '{value}' does not exist in NACE Rev.2.").format(
                    division=div, value=value
                ),
                row=row,
                column="nace_code",
                value=value,
                hint=_(
                    "This looks like a NACE Rev.1.1 or ISIC code; convert it with the Rev.1.1 to "
                    "Rev.2 correspondence table."
                ),
            )
            continue
        if letter and letter != divisions[div]:
            chk.add(
                "nace-rev2",
                _(
                    "section {letter} does not match division {division} of '{value}' (NACE "
                    "Rev.2 puts it in section {section})."
                ).format(letter=letter, division=div, value=value, section=divisions[div]),
                row=row,
                column="nace_code",
                value=value,
                hint=_(
                    "Two-letter subsections such as DG belong to NACE Rev.1.1; use Rev.2 codes."
                ),
            )
            continue
        if code not in known:
            group = code[:4]
            in_group = len(code) == 5 and group in known
            children = sorted(
                c
                for c in known
                if c.startswith(group if in_group else div + ".")
                and len(c) == (5 if in_group else 4)
            )
            message = (
                _("{code} is not a class of NACE Rev.2.")
                if len(code) == 5
                else _("{code} is not a group of NACE Rev.2.")
            ).format(code=code)
            hint = (
                _("The classes of group {group}: {codes}.")
                if in_group
                else _("The groups of division {division}: {codes}.")
            )
            chk.add(
                "nace-rev2",
                ("" if code == value.strip() else f"'{value}': ") + message,
                row=row,
                column="nace_code",
                value=value,
                hint=hint.format(group=group, division=div, codes=", ".join(children)),
            )
            continue
        out.at[row, "nace_code"] = code
        division[row] = div
        section[row] = divisions[div]
    out["nace_division"] = division
    out["nace_section"] = section


#: Where the hazard of a mirror entry is decided: the Commission notice on technical guidance on
#: the classification of waste (2018/C 124/01), chapter 3: a waste with a mirror entry is
#: non-hazardous only when an assessment of its substances shows no hazardous property.
MIRROR_GUIDANCE = N_("Commission notice 2018/C 124/01 on the classification of waste")
#: How messages name the List of Waste the toolkit ships (``EwcContext.list_name``), and a
#: study's own list of entries.
LIST_OF_WASTE = "the List of Waste"
STUDY_LIST = "the study's list of EWC entries"


@dataclass
class EwcContext:
    """What an EWC code is checked against: the chapters and sub-chapters, and the entries with
    their hazard flags and mirror pairs (the List of Waste the toolkit ships, or a study's own
    list of entries when it gives one)."""

    chapters: set[str]
    subchapters: set[str]
    entries: pd.Series  # code "CC SS EE" -> hazardous (bool)
    mirrors: dict[str, tuple[str, ...]]
    list_name: str  # which list: LIST_OF_WASTE or STUDY_LIST (the messages name it)

    @property
    def shipped(self) -> bool:
        """Whether the codes are checked against the List of Waste the toolkit ships."""
        return self.list_name == LIST_OF_WASTE


def ewc_context(ewc_entries: pd.DataFrame | None) -> EwcContext:
    """The shipped List of Waste, or the study's own list of entries when it gives one."""
    chapters = set(codes.ewc_chapters()["chapter"])
    subchapters = set(codes.ewc_subchapters()["subchapter"])
    if ewc_entries is None:
        shipped = codes.ewc_entries()
        return EwcContext(
            chapters,
            subchapters,
            shipped.set_index("code")["hazardous"],
            codes.mirror_entries(),
            LIST_OF_WASTE,
        )
    return EwcContext(
        chapters,
        subchapters,
        ewc_entries.set_index("code")["hazardous"],
        {},
        STUDY_LIST,
    )


def _nearest(code: str, ctx: EwcContext) -> list[str]:
    """The nearest entries of the list in use, written with their asterisk."""
    if ctx.shipped:
        return nearest_ewc_entries(code)
    target = int(code.replace(" ", ""))
    same = [c for c in ctx.entries.index if c[:5] == code[:5]] or [
        c for c in ctx.entries.index if c[:2] == code[:2]
    ]
    near = sorted(same, key=lambda c: (abs(int(c.replace(" ", "")) - target), c))[:3]
    return [c + ("*" if ctx.entries[c] else "") for c in near]


def check_ewc(
    value: str,
    row: int,
    column: str,
    chk: Checker,
    ctx: EwcContext,
    prefix: bool = False,
    assessed: bool = False,
) -> str | None:
    """Check one EWC code (or, with ``prefix``, a chapter or sub-chapter); return it normalised
    ("CC SS EE" with "*" when the list says hazardous) or None.

    The entry must be in the list; its asterisk must agree with the list (in a prefix list, such
    as a facility's accepted codes, the asterisk adds nothing and is not checked). A non-hazardous
    mirror entry gets a warning asking for the assessment behind it, unless ``assessed``.
    """
    m = (EWC_PREFIX_PATTERN if prefix else EWC_PATTERN).match(value.strip())
    if not m:
        hint = (
            _("Write a chapter (17), sub-chapter (17 01) or code (17 01 01), e.g. '10 03 04*'.")
            if prefix
            else _(
                "Write six digits 'CC SS EE' with '*' when the entry is hazardous, e.g. '10 03 04*'."
            )
        )
        chk.add(
            "ewc-format",
            _("'{value}' is not an EWC code.").format(value=value),
            row=row,
            column=column,
            value=value,
            hint=hint,
        )
        return None
    chapter, sub, entry, star = m.groups()
    if chapter not in ctx.chapters:
        chk.add(
            "ewc-chapter",
            _("EWC chapter {chapter} of '{value}' does not exist (chapters are 01 to 20).").format(
                chapter=chapter, value=value
            ),
            row=row,
            column=column,
            value=value,
        )
        return None
    if sub is not None and f"{chapter} {sub}" not in ctx.subchapters:
        chk.add(
            "ewc-subchapter",
            _("EWC sub-chapter {subchapter} of '{value}' does not exist.").format(
                subchapter=f"{chapter} {sub}", value=value
            ),
            row=row,
            column=column,
            value=value,
            hint=_("Sub-chapters of chapter {chapter}: {subchapters}.").format(
                chapter=chapter,
                subchapters=", ".join(sorted(s for s in ctx.subchapters if s.startswith(chapter))),
            ),
        )
        return None
    code = " ".join(p for p in (chapter, sub, entry) if p)
    if entry is None:
        return code
    if code not in ctx.entries.index:
        near = _nearest(code, ctx)
        chk.add(
            "ewc-entry",
            (
                _("{code} is not an entry of the List of Waste.")
                if ctx.shipped
                else _("{code} is not an entry of the study's list of EWC entries.")
            ).format(code=code),
            row=row,
            column=column,
            value=value,
            hint=_("Nearest entries: {codes}.").format(codes=", ".join(near)) if near else None,
        )
        return None
    hazardous = bool(ctx.entries[code])
    if prefix:
        return code
    if bool(star) != hazardous:
        chk.add(
            "ewc-hazard",
            (
                _("{code} is hazardous: write {code}*.")
                if hazardous
                else _("{code} is not hazardous: write {code} without '*'.")
            ).format(code=code),
            row=row,
            column=column,
            value=value,
            hint=_("The asterisk of the List of Waste decides whether an entry is hazardous.")
            if ctx.shipped
            else _(
                "The asterisk of the study's list of EWC entries decides whether an entry is "
                "hazardous."
            ),
        )
        return None
    mirror = ctx.mirrors.get(code)
    if mirror and not hazardous and not assessed:
        pair = ", ".join(f"{c}*" for c in mirror)
        chk.add(
            "ewc-mirror",
            _(
                "{code} is the non-hazardous mirror of {pair}: it is non-hazardous only when an "
                "assessment of the waste's substances shows no hazardous property."
            ).format(code=code, pair=pair),
            row=row,
            column=column,
            value=value,
            hint=_(
                "Name the analysis or assessment in hazard_assessment (laboratory, report, "
                "date); without one, classify the waste as {pair} ({guidance})."
            ).format(pair=pair, guidance=_(MIRROR_GUIDANCE)),
            severity="warning",
        )
    return code + ("*" if hazardous else "")


def check_ewc_prefixes(values: pd.Series, column: str, chk: Checker, ctx: EwcContext) -> pd.Series:
    """A column of EWC chapters, sub-chapters or codes (a rule's, a material class's), each
    checked by ``check_ewc`` and normalised; None where a cell is blank or wrong."""
    return pd.Series(
        {
            row: check_ewc(value, row, column, chk, ctx, prefix=True)
            for row, value in values.dropna().items()
        },
        index=values.index,
        dtype=object,
    )


def check_operation(value: str, row: int, column: str, chk: Checker) -> str | None:
    m = OPERATION_PATTERN.match(value.strip().upper())
    valid = codes.operation_codes()
    code = f"{m.group(1)}{int(m.group(2))}" if m else None
    if code not in valid:
        chk.add(
            "operation-code",
            _("'{value}' is not a recovery or disposal operation.").format(value=value),
            row=row,
            column=column,
            value=value,
            hint=_(
                "Use R1 to R13 (recovery, Directive 2008/98/EC Annex II) or D1 to D15 "
                "(disposal, Annex I)."
            ),
        )
        return None
    return code


@cache
def _entries_by_group() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Entry numbers (the six digits as int) per sub-chapter and per chapter, in code order."""
    by_subchapter: dict[str, list[int]] = {}
    by_chapter: dict[str, list[int]] = {}
    for code in sorted(codes.ewc_entry_codes()):
        number = int(code.replace(" ", ""))
        by_subchapter.setdefault(code[:5], []).append(number)
        by_chapter.setdefault(code[:2], []).append(number)
    return (
        {key: tuple(value) for key, value in by_subchapter.items()},
        {key: tuple(value) for key, value in by_chapter.items()},
    )


def nearest_ewc_entries(code: str, n: int = 3) -> list[str]:
    """The List of Waste entries nearest to a typed six-digit code, for an error message's hint.

    ``code`` is "CC SS EE", optionally with "*"; the spaces may be left out ("130209"). The
    candidates are the entries of the same sub-chapter; when that sub-chapter has no entries (it
    does not exist), the entries of the same chapter. They are ordered by the absolute difference
    between their six digits and the typed six digits read as one number, ties going to the lower
    code, and the first ``n`` are returned as "CC SS EE" with "*" added for a hazardous entry.
    An existing entry is its own nearest entry, so "04 02 99*" gives "04 02 99" first. When the
    chapter does not exist either, the result is ``[]``.

    Example: ``nearest_ewc_entries("13 02 09")`` is ``["13 02 08*", "13 02 07*", "13 02 06*"]``.

    Raises ``ValueError`` when ``code`` is not a six-digit code or ``n`` is less than 1.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    match = codes._ENTRY_RE.match(code.strip())
    if match is None:
        raise ValueError(
            f"malformed List of Waste code {code!r}; expected 'CC SS EE', e.g. '13 02 05'"
        )
    chapter, sub, entry, _star = match.groups()
    by_subchapter, by_chapter = _entries_by_group()
    candidates = by_subchapter.get(f"{chapter} {sub}") or by_chapter.get(chapter, ())
    target = int(f"{chapter}{sub}{entry}")
    nearest = sorted(candidates, key=lambda number: (abs(number - target), number))[:n]
    hazardous = codes.hazardous_entries()
    result = []
    for number in nearest:
        digits = f"{number:06d}"
        text = f"{digits[:2]} {digits[2:4]} {digits[4:]}"
        result.append(text + "*" if text in hazardous else text)
    return result
