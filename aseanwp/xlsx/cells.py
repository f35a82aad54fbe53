"""What a cell of a sheet means, as the text a CSV saved from the same sheet would hold.

Excel's meaning is kept where it is certain: a number stored as a number is never ambiguous (28.5 is 28.5
whatever the regional settings), shown to Excel's 15 significant digits and in plain notation; a number shown
as a percentage is written as shown (0.025 shown as 2.5% is ``2.5%``). Text cells are left as they are, for the
checks to judge like CSV cells (``'28,500'`` is still ``ambiguous-number``), error values too (``#N/A``, which the
checks name as a failed formula). A date in a figure cell, or a formula never calculated, is a problem.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any, NamedTuple

from aseanwp.textsafe import quote
from aseanwp.xlsx.sheetxml import Raw

TEXT_TYPES = ("str", "inlineStr")  # a formula's text result, text written inside the cell


class Problem(NamedTuple):
    code: str
    message: str
    hint: str


class Formats(NamedTuple):
    dates: frozenset[int]
    percents: frozenset[int]
    epoch: dt.datetime


def number_text(x: float) -> str:
    """A number as a report writes it: Excel's 15 significant digits (0.1+0.2 is 0.3), plain notation, whole
    numbers without a point (28500, not 28500.0 or 2.85E+04)."""
    if not math.isfinite(x):
        return repr(x)
    x = float(f"{x:.15g}") + 0.0  # + 0.0: -0 is 0
    if x.is_integer():
        return str(int(x))
    return format(Decimal(repr(x)), "f")


def plain_text(cell: Raw | None, strings: list[Any]) -> str:
    """A cell's text without a number's meaning (for headers and keys)."""
    if cell is None or cell.value is None:
        return ""
    if cell.type == "s":
        try:
            return str(strings[int(cell.value)])
        except (ValueError, IndexError):
            return ""
    if cell.type == "n":
        try:
            return number_text(float(cell.value))
        except ValueError:
            return cell.value
    return cell.value


def render(cell: Raw, strings: list[Any], figure: bool, yes_no: bool, formats: Formats) -> tuple[str, Problem | None]:
    """The text of a cell as a CSV saved from the sheet would hold it, or a stand-in and the problem found.

    ``figure``: the cell is a value, lower or upper; ``yes_no``: its row is a yes/no indicator's. The stand-in
    keeps one problem one finding: an empty figure (not available), and in other cells the formula, so that a
    formula in a source cell is not also a missing source.
    """
    if cell.formula is not None and (cell.value is None or (cell.value == "" and cell.type not in TEXT_TYPES)):
        return "" if figure else f"={cell.formula}", Problem(
            "uncalculated-formula",
            f"the formula ={quote(cell.formula)[1:-1]} has no calculated value (the file was written by a program "
            "and never opened in a spreadsheet)",
            "open the workbook in Excel or LibreOffice and save it, or type the figure instead of a formula",
        )
    value = cell.value
    if value is None or (value == "" and cell.type not in TEXT_TYPES):
        return "", None
    kind = cell.type
    if kind == "e":  # an error value (#N/A): its text, judged as in a CSV saved from the sheet
        return value, None
    if kind == "s":
        try:
            return str(strings[int(value)]), None
        except (ValueError, IndexError):
            return "", Problem(
                "unreadable",
                "the cell refers to text the workbook does not hold",
                "open the workbook in Excel or LibreOffice and save it again",
            )
    if kind in TEXT_TYPES:
        return value, None
    if kind == "b":
        truth = value.strip().lower() in ("1", "true")
        if figure and yes_no:
            return ("yes" if truth else "no"), None
        return ("TRUE" if truth else "FALSE"), None
    if kind == "d":
        try:
            return _date(dt.datetime.fromisoformat(value.strip().rstrip("Z")), figure)
        except ValueError:
            return value, None
    try:
        x = float(value)
    except ValueError:
        return "", Problem(
            "unreadable",
            f"the cell's number {quote(value)} is damaged",
            "open the workbook in Excel or LibreOffice and save it again",
        )
    if cell.style in formats.dates:
        from openpyxl.utils.datetime import from_excel

        try:
            when = from_excel(x, formats.epoch)
        except (OverflowError, ValueError):
            return number_text(x), None
        return _date(when, figure)
    if cell.style in formats.percents:
        return number_text(x * 100) + "%", None
    return number_text(x), None


def _date(when: dt.datetime | dt.date | dt.time, figure: bool) -> tuple[str, Problem | None]:
    if isinstance(when, dt.datetime) and when.time() == dt.time(0):
        text = when.date().isoformat()
    elif isinstance(when, dt.datetime):
        text = when.isoformat(sep=" ")
    else:
        text = when.isoformat()
    if not figure:
        return text, None
    return "", Problem(
        "bad-number",
        f"{quote(text)} is a date, not a number",
        "the spreadsheet read what was typed as a date (with some regional settings 1.5 becomes 1 May): format "
        "the cell as Number and type the figure again",
    )


def percent_styles(wb: Any) -> frozenset[int]:
    """Style indexes whose number format shows a percentage (0.025 shown as 2.5%)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    out = set()
    custom = list(getattr(wb, "_number_formats", []))
    for i, style in enumerate(getattr(wb, "_cell_styles", [])):
        fmt_id = style.numFmtId
        fmt = BUILTIN_FORMATS.get(fmt_id, "") if fmt_id < BUILTIN_FORMATS_MAX_SIZE else ""
        if fmt_id >= BUILTIN_FORMATS_MAX_SIZE and fmt_id - BUILTIN_FORMATS_MAX_SIZE < len(custom):
            fmt = custom[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
        if _shows_percent(fmt):
            out.add(i)
    return frozenset(out)


def _shows_percent(fmt: str) -> bool:
    """Whether a number format multiplies by 100 and shows %: a % outside quoted or escaped text."""
    plain = re.sub(r'"[^"]*"|\\.', "", fmt)
    return "%" in plain
