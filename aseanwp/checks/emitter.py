"""What the checks hand on: a valid indicator row (``Emitted``) and its receiver (``Emitter``)."""

from __future__ import annotations

from typing import Protocol

from aseanwp.reports import ReportFile

#: A valid indicator row as the checks hand it on:
#: (line, indicator, dimension values, value, lower, upper, flags, source, notes).
Emitted = tuple[int, str, tuple[str, ...], float | None, float | None, float | None, frozenset[str], str, str]


class Emitter(Protocol):
    """Receives the valid rows of the files read, and per file the first line with a value of each indicator.

    ``values`` gets the valid rows in batches (a chunk, or one row), only when ``per_row`` is true: the
    validator alone needs less.
    """

    @property
    def per_row(self) -> bool: ...

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None: ...

    def values(self, rf: ReportFile, rows: list[Emitted]) -> None: ...

    def action(self, rf: ReportFile, line: int, action: str, status: str, source: str, notes: str) -> None: ...
