"""The template workbook's shape, shared by the writer and the reader: sheet names, rows and properties."""

from __future__ import annotations

import re

INDICATORS, ACTIONS, INSTRUCTIONS = "Indicators", "Actions", "Instructions"
#: The sheets read as reports, by their names compared without case: the kind of report each stands for.
REPORT_SHEETS = {"indicators": "indicators", "actions": "actions"}

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3  # the template's rows; the reader finds the header wherever it is
FIRST_ROW = HEADER_ROW + 1

#: The cell that names each kind of sheet's header row (the reader skips the title rows above it).
HEADER_KEY = {"indicators": "indicator", "actions": "action"}
#: Columns a sheet shows for reading only; they are not part of the CSV format and the reader leaves them out.
DISPLAY_COLUMNS = {"indicators": frozenset[str](), "actions": frozenset({"text"})}
FIGURE_COLUMNS = frozenset({"value", "lower", "upper"})

#: Custom document properties that say which report a workbook is: they survive renaming the file and being
#: saved again by Excel or LibreOffice.
MEMBER_PROPERTY, YEAR_PROPERTY = "aseanwp.member", "aseanwp.year"

_PATH = re.compile(r"(?:^|/)([A-Z0-9-]{2,12})/(\d{4})\.xlsx$", re.IGNORECASE)


def identity_from_path(path: str) -> tuple[str, int] | None:
    """Member and year from a ``<CODE>/<YEAR>.xlsx`` path (for workbooks without the properties)."""
    m = _PATH.search(path.replace("\\", "/"))
    return (m.group(1).upper(), int(m.group(2))) if m else None
