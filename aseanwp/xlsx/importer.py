"""`aseanwp import`: a valid workbook written as the member's canonical CSV files, the record kept in the
repository.

The CSV is the template's (``aseanwp.template``): its columns, its rows in its order (every indicator and
breakdown, rows left blank kept blank), comma, LF, UTF-8, each cell as the validator read it from the sheet.
So a workbook and the CSV template filled in with the same figures give the same bytes. Rows the template does
not have (a combination of breakdowns) follow in the sheet's order. The actions file is written only when at
least one action has a status, as a focal point who reports no action sends no actions file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from aseanwp.findings import display_path
from aseanwp.output import OutputError, write_atomic
from aseanwp.plan import Plan
from aseanwp.reports import CsvFile, ReportFile
from aseanwp.template import ACTION_HEADER, FILLED, as_csv, indicator_header, indicator_rows
from aseanwp.textsafe import clean
from aseanwp.values import NOT_AVAILABLE

Row = dict[str, str]  # a record by its column names (trimmed, lower case)


@dataclass
class Target:
    """One CSV file an import writes: where, what, and what it replaces."""

    path: str
    text: str
    old: str | None = None  # the file's text today; None when there is none
    changes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return display_path(self.path)

    @property
    def replaces(self) -> bool:
        """The file exists with other content."""
        return self.old is not None and self.old != self.text

    @property
    def state(self) -> str:
        return "new" if self.old is None else "would be replaced" if self.replaces else "unchanged"


def write(planned: Sequence[Target]) -> Iterator[str]:
    """Write each target that changes, atomically, creating the member's folder; yields what was done.

    Raises OutputError when a file cannot be written."""
    for t in planned:
        if not t.replaces and t.old is not None:
            yield f"{t.shown} is unchanged"
            continue
        try:
            os.makedirs(os.path.dirname(t.path) or ".", exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write {t.shown}: {exc.strerror or exc}") from None
        write_atomic(t.path, t.text)
        yield f"wrote {t.shown}" + (" (replaced)" if t.old is not None else "")


def _records(rf: ReportFile) -> Iterator[tuple[int, Row]]:
    """The sheet's records by column name (the workbook is valid: nothing is left to report)."""
    assert rf.sheet is not None
    with rf.sheet.open(lambda f: None) as source:
        if source.header is None:
            return
        names = [h.strip().lower() for h in source.header]
        for line, cells in source.records():
            yield line, dict(zip(names, cells, strict=False))


def _key(row: Row, dims: Sequence[str], first: str) -> tuple[str, ...]:
    return (row.get(first, "").strip(), *[row.get(d, "").strip() for d in dims])


def indicators_csv(plan: Plan, records: Sequence[tuple[int, Row]]) -> str:
    header = indicator_header(plan)
    dims = header[1 : header.index("value")]
    given = {_key(row, dims, "indicator"): row for _, row in records}
    out: list[list[str]] = []
    done = set()
    for blank in indicator_rows(plan):
        key = (blank[0], *blank[1 : 1 + len(dims)])
        row = given.get(key)
        out.append(blank if row is None else [row.get(name, "") for name in header])
        done.add(key)
    for _, row in records:  # rows the template has no place for, in the sheet's order
        if _key(row, dims, "indicator") not in done:
            out.append([row.get(name, "") for name in header])
    return as_csv(header, out)


def actions_csv(plan: Plan, records: Sequence[tuple[int, Row]]) -> str | None:
    """The actions file, or None when no action has a status."""
    given = {row.get("action", "").strip(): row for _, row in records}
    if not any(row.get("status", "").strip() for row in given.values()):
        return None
    rows = []
    for action in plan.action_ids:
        row = given.get(action, {})
        rows.append([action, *[row.get(name, "") for name in ACTION_HEADER[1:]]])
    return as_csv(ACTION_HEADER, rows)


def targets(plan: Plan, reports: str, files: Sequence[ReportFile]) -> tuple[list[Target], list[str]]:
    """The files to write for a valid workbook's report files, and notes on what is left alone."""
    out: list[Target] = []
    notes: list[str] = []
    for rf in files:
        folder = os.path.join(reports, rf.country)
        records = list(_records(rf))
        if rf.kind == "indicators":
            path = os.path.join(folder, f"{rf.year}.csv")
            text: str | None = indicators_csv(plan, records)
        else:
            path = os.path.join(folder, f"{rf.year}-actions.csv")
            text = actions_csv(plan, records)
            if text is None:
                notes.append(f"no action has a status: {display_path(path)} is left as it is")
                continue
        assert text is not None
        target = Target(path, text)
        if os.path.lexists(path):
            target.old = _read(path)
            if rf.kind == "indicators":
                header = indicator_header(plan)
                target.changes = changes(target, tuple(header[: header.index("value")]), FILLED)
            else:
                target.changes = changes(target, ("action",), tuple(ACTION_HEADER[1:]))
        out.append(target)
    return out, notes


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except OSError:
        return ""


def _old_rows(path: str) -> list[tuple[int, Row]]:
    out = []
    with CsvFile(path, display_path(path), lambda f: None) as f:
        if f.header is None:
            return []
        names = [h.strip().lower() for h in f.header]
        for line, cells in f.records():
            out.append((line, dict(zip(names, cells, strict=False))))
    return out


def _same(a: str, b: str, figure: bool) -> bool:
    a, b = a.strip(), b.strip()
    if a == b or (figure and a in NOT_AVAILABLE and b in NOT_AVAILABLE):
        return True
    if figure:
        try:
            return float(a.rstrip("%")) == float(b.rstrip("%"))
        except ValueError:
            return False
    return False


def _shown(text: str) -> str:
    return clean(text.strip()) or "(empty)"


def changes(target: Target, key_columns: tuple[str, ...], compared: tuple[str, ...]) -> list[str]:
    """Each cell of the existing file that the import would change: ``file:line: row column: old -> new``, the
    line being the new file's. Figures are compared as numbers (28500 and 28500.0 are the same figure)."""
    if target.old == target.text:
        return []
    old = _old_rows(target.path)
    new = []
    reader = csv.reader(io.StringIO(target.text, newline=""))
    names = [h.lower() for h in next(reader)]
    for line, cells in enumerate(reader, start=2):
        new.append((line, dict(zip(names, cells, strict=False))))

    def key(row: Row) -> tuple[str, ...]:
        return tuple(row.get(c, "").strip() for c in key_columns)

    def label(row: Row) -> str:
        k = [v for v in key(row) if v]
        return k[0] + (f" ({', '.join(k[1:])})" if len(k) > 1 else "")

    before = {key(row): (line, row) for line, row in old}
    out = []
    shown = target.shown
    for line, row in new:
        was = before.pop(key(row), None)
        for column in compared:
            old_text = was[1].get(column, "") if was else ""
            new_text = row.get(column, "")
            if not _same(old_text, new_text, column in ("value", "lower", "upper")):
                out.append(f"{shown}:{line}: {label(row)} {column}: {_shown(old_text)} -> {_shown(new_text)}")
    for line, row in sorted(before.values(), key=lambda lr: lr[0]):
        if any(row.get(c, "").strip() for c in compared):
            out.append(f"{shown}:{line}: {label(row)}: row removed (it is not in the workbook)")
    return out
