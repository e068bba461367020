"""Numbers typed as text, read only when they can be read one way.

Azerbaijani and Russian habits write a decimal comma and group thousands with a point or a space
(``1.200,5``); English habits write a decimal point and group with a comma (``1,200.5``). A cell
``1,200`` is 1.2 t to the first and 1200 t to the second, so guessing either way is wrong for
half the authors. The rules:

- With no declared format (``number_format=None``) a text cell is a number only when exactly one
  reading exists and it groups no thousands: ``1200``, ``-3``, ``0.75``, ``2,5`` (a comma that
  cannot group thousands), ``1234.567``, ``1.5e3``. ``1,200``, ``1.200``, ``1 200``, ``1.200,5``
  and ``1,234,567`` are errors whose hint gives every reading.
- A declared ``decimal_comma`` reads ``,`` as the decimal mark and ``.`` or a space as thousands
  groups; ``decimal_point`` the other way round. Groups must be of three digits. A number that
  reads one way only (``40.4093`` from a GPS, ``2,5``) is read that way in either format.
- ``inf``, ``nan`` and numbers too large for a float (``1e400``) are never numbers.

Written by hand rather than with Babel's ``parse_decimal`` because Babel reads a locale's
format and accepts ``1,200`` in either locale without saying that the cell was ambiguous; here
the ambiguity itself is the finding. Pure Python.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..i18n import N_, SOURCE_LANGUAGE, _, language

#: The number formats a study may declare (``data.number_format`` in study.yaml).
NUMBER_FORMATS: tuple[str, ...] = ("decimal_comma", "decimal_point")
#: The sentences that name a number format, one per format (whole sentences, so that each
#: translates as a whole).
_NOT_WRITTEN_WITH = {
    "decimal_comma": N_("'{text}' is not a number written with a decimal comma."),
    "decimal_point": N_("'{text}' is not a number written with a decimal point."),
}
_STUDY_WRITES = {
    "decimal_comma": N_(
        "The study writes numbers with a decimal comma (data.number_format); groups of "
        "thousands must have three digits."
    ),
    "decimal_point": N_(
        "The study writes numbers with a decimal point (data.number_format); groups of "
        "thousands must have three digits."
    ),
}
_WOULD_BE = {
    "decimal_comma": N_("With a decimal comma it would be {value}."),
    "decimal_point": N_("With a decimal point it would be {value}."),
}
_GROUPS_ONE_WAY = {
    "decimal_comma": N_(
        "'{text}' groups thousands: with a decimal comma it is {value}, and with a decimal "
        "point it is not a number."
    ),
    "decimal_point": N_(
        "'{text}' groups thousands: with a decimal point it is {value}, and with a decimal "
        "comma it is not a number."
    ),
}
_DECIMAL = {"decimal_comma": ",", "decimal_point": "."}
_GROUPS = {"decimal_comma": (".", " "), "decimal_point": (",", " ")}
#: Spaces people (and spreadsheets) use to group thousands: space, no-break, narrow no-break, thin.
_SPACES = re.compile(r"[\u00a0\u202f\u2009 ]")
_PLAIN = re.compile(r"^[+-]?\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$")
_NOT_FINITE = {"inf", "infinity", "nan"}


@dataclass(frozen=True)
class Reading:
    """What a text cell says as a number: the value, or why it is not one."""

    value: float | None
    rule: str | None = None  # None when the value is good
    message: str | None = None
    hint: str | None = None


def _grouped(integer: str, sep: str) -> str | None:
    """The digits of an integer part grouped in threes by ``sep``, or None if badly grouped."""
    if sep not in integer:
        return integer if integer.isdigit() else None
    parts = integer.split(sep)
    if not (1 <= len(parts[0]) <= 3 and parts[0].isdigit()) or parts[0].startswith("0"):
        return None
    if not all(len(p) == 3 and p.isdigit() for p in parts[1:]):
        return None
    return "".join(parts)


def _read_as(body: str, number_format: str) -> tuple[float, bool] | None:
    """``body`` (no sign) read in one format: (value, whether it groups thousands), or None."""
    decimal = _DECIMAL[number_format]
    if body.count(decimal) > 1:
        return None
    integer, _, fraction = body.partition(decimal)
    if decimal in body and (not fraction.isdigit()):
        return None
    groups = [g for g in _GROUPS[number_format] if g in integer]
    if len(groups) > 1:
        return None
    if integer == "":
        if not fraction:
            return None
        digits = "0"
    else:
        digits = _grouped(integer, groups[0]) if groups else integer
        if digits is None or not digits.isdigit():
            return None
    value = float(f"{digits}.{fraction}" if fraction else digits)
    return value, bool(groups)


def _shown(value: float) -> str:
    """A value read from a cell, as in a message: every significant digit, no grouping, the
    decimal mark of the language of the process."""
    shown = f"{value:.15g}"
    if language() != SOURCE_LANGUAGE:
        from babel.numbers import get_decimal_symbol

        shown = shown.replace(".", get_decimal_symbol(language()))
    return shown


def read_number(text: str, number_format: str | None = None) -> Reading:
    """Read one non-blank text cell as a number under the rules of the module docstring."""
    raw = text.strip()
    body = _SPACES.sub(" ", raw)
    sign = -1.0 if body[:1] == "-" else 1.0
    unsigned = body[1:].lstrip() if body[:1] in "+-" else body
    if unsigned.lower() in _NOT_FINITE:
        return Reading(
            None,
            "number-not-finite",
            _("'{text}' is not a finite number.").format(text=raw),
            _("Give the quantity as a plain number; leave the cell blank when it is not known."),
        )
    if _PLAIN.match(body):
        return Reading(float(body))
    if _SCIENTIFIC.match(body):
        value = float(body)
        if not math.isfinite(value):
            return Reading(
                None,
                "number-not-finite",
                _("'{text}' is too large to be a number.").format(text=raw),
                _("Check the exponent: a value this large is a typing slip."),
            )
        return Reading(value)
    readings = {f: _read_as(unsigned, f) for f in NUMBER_FORMATS}
    if number_format is not None:
        found = readings[number_format]
        if found is None:
            plain = read_number(raw)  # it may still read one way only (40.4093, 2,5)
            if plain.value is not None:
                return plain
            other = readings[_other(number_format)]
            hint = _(_STUDY_WRITES[number_format])
            if other is not None:
                hint += " " + _(_WOULD_BE[_other(number_format)]).format(
                    value=_shown(sign * other[0])
                )
            return Reading(
                None,
                "type",
                _(_NOT_WRITTEN_WITH[number_format]).format(text=raw),
                hint,
            )
        return Reading(sign * found[0])
    valid = {f: r for f, r in readings.items() if r is not None}
    if not valid:
        return Reading(None, "type", _("'{value}' is not a number.").format(value=raw), None)
    values = {r[0] for r in valid.values()}
    if len(values) == 1 and not any(r[1] for r in valid.values()):
        return Reading(sign * values.pop())
    if len(values) > 1:
        parts = []
        for f in NUMBER_FORMATS:
            value, grouped = readings[f]
            shown = _shown(sign * value)
            if grouped:
                sep = next(g for g in _GROUPS[f] if g in unsigned)
                part = (
                    _("with a space grouping thousands it is {value}")
                    if sep == " "
                    else _("with '{separator}' grouping thousands it is {value}")
                )
                parts.append(part.format(separator=sep, value=shown))
            else:
                parts.append(
                    _("with '{mark}' as the decimal mark it is {value}").format(
                        mark=_DECIMAL[f], value=shown
                    )
                )
        message = _("'{text}' can be read two ways: {readings}.").format(
            text=raw, readings="; ".join(parts)
        )
    elif len(valid) == 2:
        message = _("'{text}' groups thousands with a space; read that way it is {value}.").format(
            text=raw, value=_shown(sign * values.pop())
        )
    else:
        f, r = next(iter(valid.items()))
        message = _(_GROUPS_ONE_WAY[f]).format(text=raw, value=_shown(sign * r[0]))
    return Reading(
        None,
        "number-ambiguous",
        message,
        _(
            "Type the number without thousands separators (1200, 0.75 or 0,75), or declare how "
            "the study writes numbers in parameters/study.yaml (data: number_format: "
            "decimal_comma or decimal_point)."
        ),
    )


def read_cell_number(text: str, is_number: bool, number_format: str | None = None) -> Reading:
    """A cell that was a number in its source (a workbook's numeric cell) is that number; text
    is read by :func:`read_number`."""
    if not is_number:
        return read_number(text, number_format)
    try:
        value = float(text)
    except ValueError:
        return read_number(text, number_format)
    if not math.isfinite(value):
        return Reading(
            None, "number-not-finite", _("'{text}' is not a finite number.").format(text=text), None
        )
    return Reading(value)


def _other(number_format: str) -> str:
    return next(f for f in NUMBER_FORMATS if f != number_format)
