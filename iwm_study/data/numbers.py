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

#: The number formats a study may declare (``data.number_format`` in study.yaml).
NUMBER_FORMATS: tuple[str, ...] = ("decimal_comma", "decimal_point")
_LABEL = {"decimal_comma": "a decimal comma", "decimal_point": "a decimal point"}
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
    return f"{value:.15g}"


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
            f"'{raw}' is not a finite number.",
            "Give the quantity as a plain number; leave the cell blank when it is not known.",
        )
    if _PLAIN.match(body):
        return Reading(float(body))
    if _SCIENTIFIC.match(body):
        value = float(body)
        if not math.isfinite(value):
            return Reading(
                None,
                "number-not-finite",
                f"'{raw}' is too large to be a number.",
                "Check the exponent: a value this large is a typing slip.",
            )
        return Reading(value)
    readings = {f: _read_as(unsigned, f) for f in NUMBER_FORMATS}
    if number_format is not None:
        found = readings[number_format]
        if found is None:
            plain = read_number(raw)  # it may still read one way only (40.4093, 2,5)
            if plain.value is not None:
                return plain
            other = readings[next(f for f in NUMBER_FORMATS if f != number_format)]
            hint = (
                f"The study writes numbers with {_LABEL[number_format]} (data.number_format); "
                f"groups of thousands must have three digits."
            )
            if other is not None:
                hint += (
                    f" With {_LABEL[_other(number_format)]} it would be {_shown(sign * other[0])}."
                )
            return Reading(
                None,
                "type",
                f"'{raw}' is not a number written with {_LABEL[number_format]}.",
                hint,
            )
        return Reading(sign * found[0])
    valid = {f: r for f, r in readings.items() if r is not None}
    if not valid:
        return Reading(None, "type", f"'{raw}' is not a number.", None)
    values = {r[0] for r in valid.values()}
    if len(values) == 1 and not any(r[1] for r in valid.values()):
        return Reading(sign * values.pop())
    if len(values) > 1:
        parts = []
        for f in NUMBER_FORMATS:
            value, grouped = readings[f]
            if grouped:
                sep = next(g for g in _GROUPS[f] if g in unsigned)
                how = "a space" if sep == " " else f"'{sep}'"
                parts.append(f"with {how} grouping thousands it is {_shown(sign * value)}")
            else:
                parts.append(
                    f"with '{_DECIMAL[f]}' as the decimal mark it is {_shown(sign * value)}"
                )
        message = f"'{raw}' can be read two ways: " + "; ".join(parts) + "."
    elif len(valid) == 2:
        message = (
            f"'{raw}' groups thousands with a space; read that way it is "
            f"{_shown(sign * values.pop())}."
        )
    else:
        (f, r), other = next(iter(valid.items())), _other(next(iter(valid)))
        message = (
            f"'{raw}' groups thousands: with {_LABEL[f]} it is {_shown(sign * r[0])}, and with "
            f"{_LABEL[other]} it is not a number."
        )
    return Reading(
        None,
        "number-ambiguous",
        message,
        "Type the number without thousands separators (1200, 0.75 or 0,75), or declare how the "
        "study writes numbers in parameters/study.yaml (data: number_format: decimal_comma or "
        "decimal_point).",
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
        return Reading(None, "number-not-finite", f"'{text}' is not a finite number.", None)
    return Reading(value)


def _other(number_format: str) -> str:
    return next(f for f in NUMBER_FORMATS if f != number_format)
