"""Cell values of a country report (SPEC 2.3): numbers, yes/no, not-available markers. Pure functions."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from aseanwp.plan import COUNTED_UNITS
from aseanwp.textsafe import invisible_note, quote

#: The whole number grammar: ASCII digits, an optional point and decimals, an optional leading minus.
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
NOT_AVAILABLE = frozenset({"", "NA", "na", "N/A", "n/a", ".."})
#: Excel's and LibreOffice's error values, as a cell saved from a failed formula holds them (upper case).
SPREADSHEET_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#FIELD!",
     "#GETTING_DATA", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#NV", "ERR:502", "ERR:504", "ERR:508",
     "ERR:511", "ERR:522", "ERR:523"}
)  # fmt: skip
#: Cells that stand in for a source without naming one (compared trimmed, without case).
SOURCE_PLACEHOLDERS = frozenset({"-", "--", "---", "?", "??", "x", "xx", "xxx", "tbd", "tbc", "n/a", "na", "none",
                                 "unknown", "..", "...", "…"})  # fmt: skip
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]+|-?[0-9]+,[0-9]+")


def word(text: str) -> str:
    """The one case rule for the words of a report (flags, units, statuses): compared without case, and a space
    may stand for an underscore. 'Estimate' is estimate, 'Not applicable' is not_applicable."""
    return "_".join(text.lower().split())


class Problem(NamedTuple):
    code: str
    message: str
    hint: str


class Parsed(NamedTuple):
    value: float | None
    problem: Problem | None


def plain_forms(text: str) -> list[str]:
    """The plain numbers a comma-bearing cell may have meant, most likely first."""
    forms: list[str] = []
    t = text.strip().rstrip("%").strip()
    if _THOUSANDS.fullmatch(t):
        forms.append(t.replace(",", ""))
    if _DECIMAL_COMMA.fullmatch(t):
        forms.append(t.replace(".", "").replace(",", "."))
    return forms


def parse(text: str, unit: str) -> Parsed:
    """Parse one trimmed cell for an indicator of ``unit``. Not available gives ``Parsed(None, None)``."""
    if text in NOT_AVAILABLE:
        return Parsed(None, None)
    if unit == "yes_no":
        low = text.lower()
        if low == "yes":
            return Parsed(1.0, None)
        if low == "no":
            return Parsed(0.0, None)
        return Parsed(None, Problem("bad-number", f"{quote(text)} is not yes or no", "write yes or no"))
    number = text
    if unit == "percent" and text.endswith("%"):
        number = text[:-1].rstrip()
    if NUMBER.fullmatch(number):
        return check_range(float(number), unit, text)
    if "," in text:
        forms = plain_forms(text)
        if len(forms) == 2:
            hint = f"write {forms[0]} if the comma separates thousands, or {forms[1]} if it is the decimal mark"
        elif forms:
            hint = f"write it without separators and with a point for decimals: {forms[0]}"
        else:
            hint = "write the number without separators, with a point for decimals (e.g. 28500 or 1234.5)"
        return Parsed(None, Problem("ambiguous-number", f"{quote(text)} contains a comma", hint))
    if text.endswith("%"):
        return Parsed(
            None,
            Problem("bad-number", f"{quote(text)}: a % sign is only allowed on percent indicators", "drop the %"),
        )
    if text.upper() in SPREADSHEET_ERRORS:
        return Parsed(
            None,
            Problem(
                "bad-number",
                f"{quote(text)} is a spreadsheet error (a formula that failed), not a number",
                "fix the formula, or paste the figure as a value; leave it empty or write NA when not available",
            ),
        )
    return Parsed(
        None,
        Problem(
            "bad-number",
            f"{quote(text)} is not a number",
            "write digits with an optional point and decimals (e.g. 1200 or 3.5); leave it empty or write NA "
            "when not available" + invisible_note(text),
        ),
    )


def check_range(value: float, unit: str, text: str) -> Parsed:
    """The unit's rules on a parsed number: finite, not negative, whole for counted units, 0-100 for percent."""
    if not math.isfinite(value):  # a run of digits beyond the float range reads as infinity
        return Parsed(
            None,
            Problem("bad-number", f"{quote(text)} is too large to be a real figure", "check the number of digits"),
        )
    if value < 0:
        return Parsed(None, Problem("negative-value", f"{quote(text)} is negative", "figures are counts or sizes >= 0"))
    if unit in COUNTED_UNITS and not value.is_integer():
        return Parsed(
            None,
            Problem(
                "not-whole",
                f"{quote(text)} is not a whole number of {unit}",
                f"round to a whole number of {unit}",
            ),
        )
    if unit == "percent" and value > 100:
        return Parsed(
            None,
            Problem(
                "percent-out-of-range",
                f"{quote(text)} is over 100 percent",
                "a percentage runs from 0 to 100 (write 2.5 for 2.5%, not 250)",
            ),
        )
    if value == 0:
        value = 0.0  # '-0' is zero
    return Parsed(value, None)


def source_problem(source: str) -> Problem | None:
    """Why a trimmed ``source`` cell does not say where a given figure comes from (None when it may)."""
    if not source:
        return Problem(
            "missing-source",
            "the figure has no source",
            "name the report the figure comes from, or write 'illustrative' for a made-up figure",
        )
    if source.upper() in SPREADSHEET_ERRORS:
        return Problem(
            "missing-source",
            f"the source {quote(source)} is a spreadsheet error (a formula that failed), not where the figure comes "
            "from",
            "type the name of the report the figure comes from",
        )
    if source.lower() in SOURCE_PLACEHOLDERS:
        return Problem(
            "missing-source",
            f"the source {quote(source)} is a placeholder, not where the figure comes from",
            "name the report the figure comes from, or write 'illustrative' for a made-up figure",
        )
    return None
