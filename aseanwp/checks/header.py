"""The header of a report file: column names to positions, and the structure findings (SPEC 2.4)."""

from __future__ import annotations

from aseanwp.checks.sink import CappedSink
from aseanwp.findings import finding
from aseanwp.plan import INDICATOR_COLUMNS, Plan, suggest
from aseanwp.reports import ReportFile
from aseanwp.textsafe import quote

INDICATOR_REQUIRED = ("indicator", "value", "source")
ACTION_COLUMNS = ("action", "status", "source", "notes", "country", "year")
ACTION_REQUIRED = ("action", "status")

_CLEAN_HEADERS: dict[tuple[int, str, tuple[str, ...]], tuple[Plan, dict[str, int]]] = {}


def header_columns(plan: Plan, rf: ReportFile, line: int, cells: list[str], sink: CappedSink) -> dict[str, int] | None:
    """Map column names to positions; report structure problems. None when rows cannot be read safely.

    A header without problems is remembered: most files of a folder share theirs.
    """
    key = (id(plan), rf.kind, tuple(cells))
    hit = _CLEAN_HEADERS.get(key)
    if hit is not None and hit[0] is plan:
        return dict(hit[1])
    before = sink.counts.total()
    columns = _read_header(plan, rf, line, cells, sink)
    if columns is not None and sink.counts.total() == before and len(key[2]) <= 64:
        if len(_CLEAN_HEADERS) > 64:
            _CLEAN_HEADERS.clear()
        _CLEAN_HEADERS[key] = (plan, dict(columns))
    return columns


def _read_header(plan: Plan, rf: ReportFile, line: int, cells: list[str], sink: CappedSink) -> dict[str, int] | None:
    if rf.kind == "indicators":
        known: tuple[str, ...] = INDICATOR_COLUMNS + tuple(plan.dimensions)
        required: tuple[str, ...] = INDICATOR_REQUIRED
    else:
        known, required = ACTION_COLUMNS, ACTION_REQUIRED
    columns: dict[str, int] = {}
    fatal = False
    for i, raw in enumerate(cells):
        name = raw.strip().lower()
        if not name and sink.full("blank-header"):  # a header of a million empty cells: count them, cheaply
            sink.drop("blank-header", line)
            fatal = True
        elif not name:
            sink(
                finding(
                    rf.file,
                    line,
                    "blank-header",
                    f"column {i + 1} has no name",
                    "name the column or delete it (an empty column left at the end of a sheet counts too)",
                    field=i + 1,
                )
            )
            fatal = True
        elif name in columns and sink.full("duplicate-column"):
            sink.drop("duplicate-column", line)
            fatal = True
        elif name in columns:
            sink(
                finding(
                    rf.file,
                    line,
                    "duplicate-column",
                    f"column {quote(name)} appears twice (columns {columns[name] + 1} and {i + 1})",
                    "keep one of them",
                    column=name,
                    field=i + 1,
                )
            )
            fatal = True
        elif name not in known and sink.full("unknown-column"):
            sink.drop("unknown-column", line)
            fatal = True
        elif name not in known:
            close = suggest(name, known)
            sink(
                finding(
                    rf.file,
                    line,
                    "unknown-column",
                    f"column {quote(raw.strip())} is not part of the report format",
                    f"did you mean '{close}'?" if close else f"the columns are: {', '.join(known)}",
                    column=raw.strip(),
                    field=i + 1,
                )
            )
            fatal = True
        else:
            columns[name] = i
    for name in required:
        if name not in columns:
            sink(
                finding(
                    rf.file,
                    line,
                    "missing-column",
                    f"the required column '{name}' is missing",
                    f"add a '{name}' column (see `aseanwp template`)",
                    column=name,
                )
            )
            fatal = True
    return None if fatal else columns
