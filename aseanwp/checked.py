"""Report files checked before, remembered by their bytes: a repeated run reads each file's findings and valid rows
from the user's cache instead of checking it again (SPEC 8, rev. 2).

One entry per reports folder and plan holds, for each file checked in the last run, what checking it gave: its
findings and the calls it made on the emitter (valid rows, the first line of each indicator, actions). An entry
is found by a digest of the file's bytes with its member, year and kind (which the checks read from its path),
under a name made of the plan's digest and this version of aseanwp (``cache.key``). A file whose bytes changed is
checked again; the others are replayed, so a repeated run gives the same findings and figures in the same order as
a fresh one. What the checks say about a path alone (an unknown member, a year outside the plan) is not cached,
nor files over ``MAX_CACHED`` bytes (they stream as before) or anything but regular files. An entry that does not
fit is a miss: the file is checked.
"""

from __future__ import annotations

import contextlib
import os
import stat
from itertools import compress, count, repeat
from operator import itemgetter, ne
from typing import TYPE_CHECKING, Any

from aseanwp import cache
from aseanwp.findings import Finding
from aseanwp.plan import Plan
from aseanwp.reports import ReportFile

if TYPE_CHECKING:
    from aseanwp.checks import Emitted, Emitter

MAX_CACHED = 4 * 1024 * 1024  # bytes; a larger file's rows would make an entry as slow to read as the file
KEEP = 8  # entries (reports folders and plans) kept; the least recently used beyond them are removed


class Recorder:
    """Between the checks and the real emitter: passes every call on, and keeps them for the cache."""

    per_row = True  # the rows are kept even when the emitter after it has no use for them (a later run may)

    def __init__(self, then: Emitter | None) -> None:
        self.then = then
        # whether the emitter after it takes rows, asked once per file as the checks do
        self.rows_wanted = then is not None and then.per_row
        self.events: list[list[Any]] = []

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None:
        self.events.append(["i", dict(first_value)])
        if self.then is not None:
            self.then.indicators(rf, first_value)

    def values(self, rf: ReportFile, rows: list[Emitted]) -> None:
        if self.events and self.events[-1][0] == "v":
            self.events[-1][1].extend(rows)
        else:
            self.events.append(["v", list(rows)])
        if self.rows_wanted:
            assert self.then is not None
            self.then.values(rf, rows)

    def action(self, rf: ReportFile, line: int, action: str, status: str, source: str, notes: str) -> None:
        self.events.append(["a", line, action, status, source, notes])
        if self.then is not None:
            self.then.action(rf, line, action, status, source, notes)


_EMPTY: frozenset[str] = frozenset()


def check_file(plan: Plan, rf: ReportFile, out: list[Finding], emit: Emitter | None) -> int:
    """``checks.check_file``, imported when a file is first checked: a run whose files all come from the cache
    starts without the checks (a fifth of ``validate``'s start-up)."""
    from aseanwp.checks import check_file as check

    return check(plan, rf, out, emit)


def _encode(rows: int, findings: list[Finding], events: list[list[Any]], indicators: dict[str, int]) -> dict[str, Any]:
    """What checking a file gave, as JSON data (without the file's name: it is the caller's).

    Valid rows are stored by column: their lines (the first one only, when they follow each other), their
    indicators (positions in the plan) and values, and apart the rows that have anything more than the usual
    (a breakdown, a range, a flag, notes, a source other than the first row's). Both ways are
    mostly C-level maps and zips: the entry of 8,000 files costs a tenth of a second to write and to read.
    """
    usual = next((event[1][0][7] for event in events if event[0] == "v"), "")  # the first row's source
    plain = ((), None, None, _EMPTY, usual, "")
    out_events: list[Any] = []
    for event in events:
        if event[0] == "i":  # the first line of each indicator: their positions, then their lines
            firsts: dict[str, int] = event[1]
            out_events.append(["i", list(map(indicators.__getitem__, firsts)), list(firsts.values())])
            continue
        if event[0] != "v":
            out_events.append(event)
            continue
        batch: list[Emitted] = event[1]
        first, last = batch[0][0], batch[-1][0]
        lines: int | list[int] = first if last - first == len(batch) - 1 else list(map(_LINE, batch))
        extras = []
        for k in compress(count(), map(ne, map(_REST, batch), repeat(plain))):
            _, _, dims, _, lower, upper, flags, source, notes = batch[k]
            extras.append([k, list(dims), lower, upper, sorted(flags), source, notes])
        out_events.append(["v", lines, list(map(indicators.__getitem__, map(_IND, batch))), list(map(_VALUE, batch)),
                           extras])  # fmt: skip
    return {
        "rows": rows,
        "source": usual,
        "findings": [
            [f.line, f.code, f.message, f.hint, f.column, f.severity, f.col, f.field, f.cell] for f in findings
        ],
        "events": out_events,
    }


_LINE, _IND, _VALUE = itemgetter(0), itemgetter(1), itemgetter(3)
_REST = itemgetter(2, 4, 5, 6, 7, 8)  # what a usual row has as in ``plain``


class _Unfit(Exception):
    """An entry that does not have the shape this version writes."""


_FIGURE = {float, type(None)}


def _decode(record: Any, file: str, indicators: list[str]) -> tuple[int, list[Finding], list[tuple[Any, ...]]]:
    """An entry back to findings and emitter calls; raises _Unfit (or a TypeError, ValueError ...) if it does
    not fit. Nothing is replayed before the whole entry is read: a bad entry is a clean miss."""
    if not isinstance(record, dict):
        raise _Unfit
    rows = record["rows"]
    usual = record["source"]
    if not isinstance(rows, int) or not isinstance(usual, str):
        raise _Unfit
    findings = [
        Finding(file, line, code, message, hint, column, severity, col, field, cell)
        for line, code, message, hint, column, severity, col, field, cell in record["findings"]
    ]
    for f in findings:
        if not (
            isinstance(f.code, str)
            and isinstance(f.message, str)
            and isinstance(f.hint, str)
            and f.severity in ("error", "warning")
            and {type(f.line), type(f.col), type(f.field)} <= {int, type(None)}
            and isinstance(f.column, str | None)
            and isinstance(f.cell, str | None)
        ):
            raise _Unfit
    calls: list[tuple[Any, ...]] = []
    for event in record["events"]:
        kind = event[0]
        if kind == "v":
            _, first, inds, values, extras = event
            lines = range(first, first + len(inds)) if first.__class__ is int else first
            if (
                len(lines) != len(inds)
                or len(values) != len(inds)
                or not set(map(type, lines)) <= {int}
                or not set(map(type, values)) <= _FIGURE
            ):
                raise _Unfit
            n = len(inds)
            # the usual rows, tuple by tuple at C speed
            batch: list[Emitted] = list(
                zip(
                    lines,
                    map(indicators.__getitem__, inds),
                    repeat((), n),
                    values,
                    repeat(None, n),
                    repeat(None, n),
                    repeat(_EMPTY, n),
                    repeat(usual, n),
                    repeat("", n),
                    strict=True,
                )  # fmt: skip
            )
            for k, dims, lower, upper, flags, source, notes in extras:
                if not (isinstance(source, str) and isinstance(notes, str) and {type(lower), type(upper)} <= _FIGURE):
                    raise _Unfit
                batch[k] = (batch[k][0], batch[k][1], tuple(map(str, dims)), batch[k][3], lower, upper,
                            frozenset(map(str, flags)), source, notes)  # fmt: skip
            calls.append(("v", batch))
        elif kind == "i":
            _, inds, lines = event
            if len(inds) != len(lines) or not set(map(type, lines)) <= {int}:
                raise _Unfit
            calls.append(("i", dict(zip(map(indicators.__getitem__, inds), lines, strict=True))))
        elif kind == "a":
            _, line, action, status, source, notes = event
            if not all(isinstance(x, str) for x in (action, status, source, notes)):
                raise _Unfit
            calls.append(("a", int(line), action, status, source, notes))
        else:
            raise _Unfit
    return rows, findings, calls


def _replay(rf: ReportFile, calls: list[tuple[Any, ...]], emit: Emitter | None) -> None:
    if emit is None:
        return
    rows_wanted = emit.per_row
    for call in calls:
        if call[0] == "v":
            if rows_wanted:
                emit.values(rf, call[1])
        elif call[0] == "i":
            emit.indicators(rf, call[1])
        else:
            emit.action(rf, *call[1:])


def _open(path: str) -> int | None:
    """A descriptor of the file, or None (it cannot be opened: the checks will say why)."""
    try:  # O_NONBLOCK: a FIFO must not block here (it is not a regular file and is left to the checks)
        return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None


def _read(fd: int) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file of at most MAX_CACHED bytes, with its stat; None otherwise."""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHED:
            return None
        data = os.read(fd, st.st_size + 1)
    except OSError:
        return None
    return (data, st) if len(data) == st.st_size else None


def _unchanged(fd: int, before: os.stat_result) -> bool:
    """Whether the file is still the one whose bytes were read (not written while it was checked)."""
    try:
        after = os.fstat(fd)
    except OSError:
        return False
    return (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)


class CheckedFiles:
    """``check_file`` through the cache, for one run over a reports folder; ``save`` stores what this run saw."""

    def __init__(self, plan: Plan, reports: str) -> None:
        self.plan = plan
        self.on = cache.enabled()
        self.name = ""
        self.known: dict[str, Any] = {}
        self.seen: dict[str, Any] = {}
        self.new = 0
        self.indicators = [i.id for i in plan.indicators]
        self.position = {ind: n for n, ind in enumerate(self.indicators)}
        if self.on:
            from aseanwp.plan_load import plan_digest

            self.name = cache.key("checked", plan_digest(plan), os.path.abspath(reports))
            entry = cache.get(self.name)
            files = entry.get("files") if isinstance(entry, dict) else None
            self.known = files if isinstance(files, dict) else {}

    def check(self, rf: ReportFile, out: list[Finding], emit: Emitter | None) -> int:
        """Check one report file into ``out`` and ``emit`` as ``check_file`` does, or replay it from the cache."""
        plan = self.plan
        if not self.on or rf.sheet is not None or plan.member(rf.country) is None or rf.year not in plan.years:
            return check_file(plan, rf, out, emit)
        fd = _open(rf.path)
        if fd is None:
            return check_file(plan, rf, out, emit)
        try:
            got = _read(fd)
            if got is None:
                return check_file(plan, rf, out, emit)
            data, st = got
            key = f"{cache.digest(data)}:{rf.country}:{rf.year}:{rf.kind}"
            record = self.known.get(key)
            if record is not None:
                try:
                    rows, findings, calls = _decode(record, rf.file, self.indicators)
                except (_Unfit, TypeError, ValueError, KeyError, IndexError, AttributeError):
                    pass
                else:
                    out.extend(findings)
                    _replay(rf, calls, emit)
                    self.seen[key] = record
                    return rows
            recorder = Recorder(emit)
            start = len(out)
            rows = check_file(plan, rf, out, recorder)
            if _unchanged(fd, st):  # a file written while it was checked is not remembered under the old bytes
                self.seen[key] = _encode(rows, out[start:], recorder.events, self.position)
                self.new += 1
            return rows
        finally:
            os.close(fd)

    def save(self) -> None:
        """Store the files of this run (files no longer seen are dropped), when anything was checked anew; keep
        the ``KEEP`` most recently used entries (an edited plan leaves the entry of its old bytes behind)."""
        if not self.on:
            return
        with contextlib.suppress(Exception):  # the cache never fails a command
            if self.new or len(self.seen) != len(self.known):
                cache.put(self.name, {"files": self.seen})
                cache.prune("checked", KEEP)
            elif self.known:
                cache.touch(self.name)
