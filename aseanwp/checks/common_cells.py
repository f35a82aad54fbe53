"""Checks both kinds of rows share: the row's length, the optional country and year cells, merge conflicts."""

from __future__ import annotations

import re
from collections.abc import Callable

from aseanwp.findings import Finding, finding
from aseanwp.reports import ReportFile
from aseanwp.textsafe import quote


def common_cells(
    rf: ReportFile, line: int, row: list[str], columns: dict[str, int], sink: Callable[[Finding], None]
) -> bool:
    """The optional country and year columns must agree with the file's path."""
    ok = True
    i = columns.get("country")
    if i is not None:
        text = row[i].strip()
        if text and text.upper() != rf.country:
            sink(
                finding(
                    rf.file,
                    line,
                    "country-mismatch",
                    f"country {quote(text)} differs from the folder '{rf.country}'",
                    f"write {rf.country}, or move the row to the right member's file",
                    column="country",
                    field=i + 1,
                )
            )
            ok = False
    i = columns.get("year")
    if i is not None:
        text = row[i].strip()
        if text and text != str(rf.year):
            sink(
                finding(
                    rf.file,
                    line,
                    "year-mismatch",
                    f"year {quote(text)} differs from the file's year {rf.year}",
                    f"write {rf.year}, or move the row to the right year's file",
                    column="year",
                    field=i + 1,
                )
            )
            ok = False
    return ok


def row_length(rf: ReportFile, line: int, got: int, want: int) -> Finding:
    return finding(
        rf.file,
        line,
        "row-length",
        f"the row has {got} cells but the header has {want}",
        "look for an extra or missing delimiter, or a delimiter inside an unquoted cell",
    )


# The lines git writes around the two sides of a conflict it could not merge (diff3 style adds |||||||).
_MARKER = re.compile(r"(?:<{7}|>{7}|\|{7})(?: |$)|={7}$")


class Conflicts:
    """Finds git's merge-conflict markers among a file's rows: one finding per conflict, at its <<<<<<< line."""

    def __init__(self, rf: ReportFile, sink: Callable[[Finding], None]) -> None:
        self.rf, self.sink = rf, sink
        self.open = False

    def marker(self, line: int, row: list[str]) -> bool:
        """Whether the row is a marker line (then it is reported or part of a conflict already reported)."""
        first = row[0] if row else ""
        if first[:1] not in "<=>|" or not first or _MARKER.match(first) is None:
            return False
        if first.startswith("<"):
            self.open = True
        elif self.open:
            if first.startswith(">"):
                self.open = False
            return True
        self.sink(
            finding(
                self.rf.file,
                line,
                "merge-conflict",
                f"the file holds an unresolved merge conflict: {quote(first)} is a line git wrote",
                "keep the right version of the rows between <<<<<<<, ======= and >>>>>>>, then delete those "
                "marker lines",
            )
        )
        return True
