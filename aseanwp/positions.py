"""Where a cell starts in its line: the character position GitHub reads from an annotation's ``col=``.

The checks know a cell by its number in the record; GitHub places ``col`` on the line as characters. The two
differ as soon as a cell is longer than one character, so the positions are found by reading the lines of the
findings again, with the file's delimiter and the csv module's quoting rules. Only files with findings pay.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from aseanwp.findings import Finding


def cell_starts(text: str, delimiter: str) -> list[int]:
    """1-based character positions of the cells that start on one physical line, the first at 1.

    A quoted cell may hold the delimiter, a doubled quote, or a line break; the cells after a line break
    inside quotes start on a later line and are not listed.
    """
    starts = [1]
    quoted = False
    at_start = True
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if at_start:
            at_start = False
            if ch == '"':
                quoted = True
                i += 1
                continue
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                quoted = False
        elif ch == delimiter:
            starts.append(i + 2)
            at_start = True
        elif ch in "\r\n":
            break
        i += 1
    return starts


def _lines(path: str, wanted: Iterable[int]) -> dict[int, str]:
    """The text of the wanted physical lines, split as the reader splits them (LF, CRLF or CR; BOM dropped)."""
    want = set(wanted)
    last = max(want)
    found: dict[int, str] = {}
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
            for number, line in enumerate(fh, start=1):
                if number in want:
                    found[number] = line
                if number >= last:
                    break
    except OSError:
        pass  # the file went away or cannot be read again: the findings keep no position
    return found


def locate(path: str, delimiter: str, findings: list[Finding], start: int = 0) -> None:
    """Give ``findings[start:]`` that name a cell (``field``) the character position of that cell (``col``)."""
    wanted = {f.line for f in findings[start:] if f.field is not None and f.line is not None}
    if not wanted:
        return
    lines = _lines(path, wanted)
    starts = {number: cell_starts(text, delimiter) for number, text in lines.items()}
    for i in range(start, len(findings)):
        f = findings[i]
        if f.field is None or f.line is None:
            continue
        cells = starts.get(f.line, [])
        col = cells[f.field - 1] if f.field <= len(cells) else None
        if col != f.col:
            findings[i] = dataclasses.replace(f, col=col)
