"""The checks of SPEC 2.4 on one report file, run as its rows stream past.

The plan is compiled once into per-indicator lookups so that the row loop does dictionary lookups and one regular
expression per cell. Valid rows are handed to an ``Emitter`` (the cross-file checks, the data set of ``report``);
nothing keeps a row object.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import add, not_
from typing import Protocol

from aseanwp.findings import Finding, finding
from aseanwp.plan import COUNTED_UNITS, INDICATOR_COLUMNS, Indicator, Plan, suggest
from aseanwp.reports import CsvFile, ReportFile, records
from aseanwp.textsafe import quote
from aseanwp.values import NOT_AVAILABLE, NUMBER, Parsed, check_range, parse

INDICATOR_REQUIRED = ("indicator", "value", "source")
ACTION_COLUMNS = ("action", "status", "source", "notes", "country", "year")
ACTION_REQUIRED = ("action", "status")
FLAGS = ("estimate", "provisional", "break", "not_applicable")
ACTION_STATUSES = ("not_started", "planned", "ongoing", "completed", "not_applicable")
PER_CODE_LIMIT = 200  # findings of one code in one file; the rest are counted in one closing finding


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


class CappedSink:
    """Collects a file's findings, keeping at most PER_CODE_LIMIT of each code (a broken export can have millions)."""

    def __init__(self, out: list[Finding]) -> None:
        self.out = out
        self.counts: Counter[str] = Counter()
        self.first_dropped: dict[str, int | None] = {}

    def __call__(self, f: Finding) -> None:
        self.counts[f.code] += 1
        if self.counts[f.code] <= PER_CODE_LIMIT:
            self.out.append(f)
        else:
            self.first_dropped.setdefault(f.code, f.line)

    def full(self, code: str) -> bool:
        """Whether a further finding of ``code`` would only be counted: callers then skip building it."""
        return self.counts[code] >= PER_CODE_LIMIT

    def drop(self, code: str, line: int | None) -> None:
        """Count a finding that ``full`` says would be dropped, without building it (or its hint)."""
        self.counts[code] += 1
        self.first_dropped.setdefault(code, line)

    def close(self, file: str) -> None:
        for code, line in self.first_dropped.items():
            more = self.counts[code] - PER_CODE_LIMIT
            self.out.append(
                finding(
                    file,
                    line,
                    code,
                    f"and {more:,} more '{code}' findings in this file from this line on",
                    "fix the ones above; the rest are likely the same mistake",
                )
            )


@dataclass(frozen=True, slots=True)
class _IndicatorSpec:
    indicator: Indicator
    unit: str
    dim_cols: tuple[int, ...]  # for each of the indicator's dimensions, its column (-1 when the file lacks it)
    dim_values: tuple[frozenset[str], ...]
    foreign_cols: tuple[tuple[int, str], ...]  # dimension columns in the file this indicator does not take


_CLEAN_HEADERS: dict[tuple[int, str, tuple[str, ...]], tuple[Plan, dict[str, int]]] = {}


def _header(plan: Plan, rf: ReportFile, line: int, cells: list[str], sink: CappedSink) -> dict[str, int] | None:
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
                    col=i + 1,
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
                    col=i + 1,
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
                    col=i + 1,
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


_COMPILED: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[Plan, dict[str, _IndicatorSpec], _FastTables]] = {}


def _layout(plan: Plan, columns: dict[str, int]) -> tuple[dict[str, _IndicatorSpec], _FastTables]:
    """The compiled checks of one header layout (cached: most files of a folder share their header)."""
    key = (id(plan), tuple(sorted(columns.items())))
    hit = _COMPILED.get(key)
    if hit is not None and hit[0] is plan:
        return hit[1], hit[2]
    specs = _compile(plan, columns)
    fast = _fast_tables(plan, columns, specs)
    if len(_COMPILED) > 64:
        _COMPILED.clear()
    _COMPILED[key] = (plan, specs, fast)
    return specs, fast


def _compile(plan: Plan, columns: dict[str, int]) -> dict[str, _IndicatorSpec]:
    """Per-indicator lookups for one header layout."""
    specs = {}
    file_dims = [d for d in plan.dimensions if d in columns]
    for ind in plan.indicators:
        dim_cols = tuple(columns.get(d, -1) for d in ind.dimensions)
        dim_values = tuple(frozenset(plan.dimensions.get(d, ())) for d in ind.dimensions)
        foreign = tuple((columns[d], d) for d in file_dims if d not in ind.dimensions)
        specs[ind.id] = _IndicatorSpec(ind, ind.unit, dim_cols, dim_values, foreign)
    return specs


# The fast path's value tests over a whole column joined by newlines: plain non-negative numbers of at most 15
# digits (longer ones take the careful path), or the not-available markers. Anything else goes row by row.
_NUMBER = r"[0-9]{1,15}(?:\.[0-9]{1,15})?|NA|\.\.|"
_WHOLE = r"[0-9]{1,15}|NA|\.\.|"
_YES_NO = r"yes|no|NA|\.\.|"
_NUMBER_LINES = re.compile(rf"(?:{_NUMBER})(?:\n(?:{_NUMBER}))*")
_WHOLE_LINES = re.compile(rf"(?:{_WHOLE})(?:\n(?:{_WHOLE}))*")
# a column of mixed kinds: each value prefixed by its indicator's kind (n number, c counted, y yes/no; see
# _FastTables.tag)
_TAGGED = rf"n(?:{_NUMBER})|c(?:{_WHOLE})|y(?:{_YES_NO})"
_TAGGED_LINES = re.compile(rf"(?:{_TAGGED})(?:\n(?:{_TAGGED}))*")


@dataclass(frozen=True)
class _FastTables:
    ids: frozenset[str]
    yes_no: frozenset[str]
    percent: frozenset[str]
    counted_ids: frozenset[str]
    unit: dict[str, str]
    dims: tuple[tuple[int, frozenset[str], dict[str, bool]], ...]  # (column, allowed cells, indicator takes it)
    unit_pairs: frozenset[tuple[str, str]]
    tag: dict[str, str]  # by indicator: the prefix of its values in _TAGGED_LINES
    no_dims: frozenset[str]  # indicators without a breakdown
    canonical: dict[str, str]  # each indicator id to the plan's own string of it
    dim_all: tuple[int, ...]  # the file's dimension columns


def _fast_tables(plan: Plan, columns: dict[str, int], specs: dict[str, _IndicatorSpec]) -> _FastTables:
    dims = tuple(
        (columns[d], frozenset({"", *values}), {i.id: d in i.dimensions for i in plan.indicators})
        for d, values in plan.dimensions.items()
        if d in columns
    )
    return _FastTables(
        ids=frozenset(specs),
        yes_no=frozenset(i.id for i in plan.indicators if i.unit == "yes_no"),
        percent=frozenset(i.id for i in plan.indicators if i.unit == "percent"),
        counted_ids=frozenset(i.id for i in plan.indicators if i.unit in COUNTED_UNITS),
        unit={i.id: i.unit for i in plan.indicators},
        dims=dims,
        unit_pairs=frozenset(p for i in plan.indicators for p in ((i.id, ""), (i.id, i.unit))),
        tag={i.id: "y" if i.unit == "yes_no" else "c" if i.unit in COUNTED_UNITS else "n" for i in plan.indicators},
        no_dims=frozenset(i for i, spec in specs.items() if not spec.dim_cols),
        canonical={i.id: i.id for i in plan.indicators},
        dim_all=tuple(columns[d] for d in plan.dimensions if d in columns),
    )


def check_file(plan: Plan, rf: ReportFile, out: list[Finding], emit: Emitter | None = None) -> int:
    """Check one report file, appending findings to ``out``; valid rows go to ``emit``. Returns rows read."""
    sink = CappedSink(out)
    if plan.member(rf.country) is None:
        close = suggest(rf.country, plan.member_codes)
        sink(
            finding(
                rf.file,
                None,
                "unknown-country",
                f"'{rf.country}' is not a member code of the plan",
                f"did you mean '{close}'?" if close else f"use one of: {', '.join(plan.member_codes)}",
            )
        )
        return 0
    if rf.year not in plan.years:
        sink(
            finding(
                rf.file,
                None,
                "year-out-of-range",
                f"{rf.year} is outside the plan's years {plan.baseline_year}-{plan.period.end}",
                "the baseline year's report and one per year of the period",
            )
        )
        return 0
    rows = 0
    with CsvFile(rf.path, rf.file, sink) as f:
        if f.header is None:
            sink.close(rf.file)
            return 0
        width = len(f.header)
        columns = _header(plan, rf, f.header_line, f.header, sink)
        if columns is None:
            for chunk, _ in f.chunks():  # still read to the end: encoding problems further down are found too
                rows += len(chunk)
        elif rf.kind == "indicators":
            checker = _IndicatorFile(plan, rf, columns, width, sink, emit)
            for chunk, lines in f.chunks():
                rows += len(chunk)
                if checker.accept(chunk, lines):
                    checker.take(chunk, lines)
                else:
                    for row, line in zip(chunk, lines, strict=True):
                        checker.check_row(line, row)
            checker.finish()
        else:
            rows = _action_rows(plan, rf, columns, width, f.records(), sink, emit)
    sink.close(rf.file)
    return rows


def _common_cells(
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
                    col=i + 1,
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
                    col=i + 1,
                )
            )
            ok = False
    return ok


def _row_length(rf: ReportFile, line: int, got: int, want: int) -> Finding:
    return finding(
        rf.file,
        line,
        "row-length",
        f"the row has {got} cells but the header has {want}",
        "look for an extra or missing delimiter, or a delimiter inside an unquoted cell",
    )


class _IndicatorFile:
    """The checks of one indicator file: an authoritative check per row, and a fast test per chunk.

    ``accept`` is a conservative test of a whole chunk made of set operations, one regular expression over the
    joined value column and C-level maps: it says yes only when every row is valid and needs no message. Any
    chunk it refuses goes through ``check_row`` row by row, which alone writes findings. A test checks that
    the two agree.
    """

    def __init__(
        self,
        plan: Plan,
        rf: ReportFile,
        columns: dict[str, int],
        width: int,
        sink: CappedSink,
        emit: Emitter | None,
    ) -> None:
        self.plan, self.rf, self.columns, self.width, self.sink, self.emit = (
            plan,
            rf,
            columns,
            width,
            sink,
            emit,
        )
        self.specs, self.fast = _layout(plan, columns)
        self.c_ind, self.c_val, self.c_src = columns["indicator"], columns["value"], columns["source"]
        self.c_low, self.c_up = columns.get("lower"), columns.get("upper")
        self.c_unit, self.c_flag, self.c_notes = (
            columns.get("unit"),
            columns.get("flag"),
            columns.get("notes"),
        )
        self.dim_all = self.fast.dim_all
        self.per_row = emit is not None and emit.per_row
        self.seen: set[int] = set()
        self.suspects: list[tuple[int, tuple[str, ...]]] = []
        self.first_value: dict[str, int] = {}
        self.flag_ok: dict[str, bool] = {"": True}

    # -- the fast path ------------------------------------------------------------------------------------
    def accept(self, rows: list[list[str]], lines: Sequence[int]) -> bool:
        """True when every row of the chunk is valid; then its rows are also counted for duplicates."""
        f = self.fast
        if len(rows[0]) != self.width:
            return False
        try:
            cols = list(zip(*rows, strict=True))
        except ValueError:  # rows of different lengths
            return False
        ind = cols[self.c_ind]
        inds = set(ind)
        if not inds <= f.ids:
            return False
        vals = cols[self.c_val]
        joined = "\n".join(vals)
        if joined.count("\n") != len(vals) - 1:
            return False  # a line break inside a cell would pass the line-wise tests below
        if inds <= f.counted_ids:
            if not _WHOLE_LINES.fullmatch(joined):
                return False
        elif inds.isdisjoint(f.counted_ids) and inds.isdisjoint(f.yes_no):
            if not _NUMBER_LINES.fullmatch(joined):
                return False
        else:  # a mix of kinds (small files hold every indicator): each value tagged with its kind, one test
            if not _TAGGED_LINES.fullmatch("\n".join(map(add, map(f.tag.__getitem__, ind), vals))):
                return False
        if not inds.isdisjoint(f.percent):
            rates = [v for v in compress(vals, map(f.percent.__contains__, ind)) if v[:1].isdigit()]
            if rates and max(map(float, rates)) > 100:
                return False
        for col, allowed, takes in f.dims:
            cells = cols[col]
            if not set(cells) <= allowed:
                return False
            if not all(takes[i] for i in inds) and set(compress(cells, map(not_, map(takes.__getitem__, ind)))) - {""}:
                return False
        for bound in (self.c_low, self.c_up):
            if bound is not None and set(cols[bound]) != {""}:
                return False
        if self.c_unit is not None:
            units = set(cols[self.c_unit]) - {""}
            if (
                units
                and not (len(units) == 1 and {f.unit[i] for i in inds} == units)
                and not set(zip(ind, cols[self.c_unit], strict=True)) <= f.unit_pairs
            ):
                return False
        if self.c_flag is not None:
            for cell in set(cols[self.c_flag]):
                ok = self.flag_ok.get(cell)
                if ok is None:
                    parts = [p.strip() for p in cell.split(";") if p.strip()]
                    ok = self.flag_ok[cell] = all(p in FLAGS and p != "not_applicable" for p in parts)
                if not ok:
                    return False
        sources = set(cols[self.c_src])
        has_value: list[bool] | None = None
        if "" in sources or any(s.isspace() for s in sources):
            # an empty source is allowed where the value is not available
            has_value = list(map(not_, map(NOT_AVAILABLE.__contains__, vals)))
            sources = set(compress(cols[self.c_src], has_value))
            if "" in sources or any(s.isspace() for s in sources):
                return False
        for name, expected in (("country", self.rf.country), ("year", str(self.rf.year))):
            at = self.columns.get(name)
            if at is not None and not set(cols[at]) <= {"", expected}:
                return False
        hashes = set(map(hash, zip(ind, *[cols[c] for c in self.dim_all], strict=True)))
        if len(hashes) != len(rows) or not self.seen.isdisjoint(hashes):
            return False  # a duplicate: the row checks will name it
        self.seen |= hashes
        new = inds - self.first_value.keys()
        if new:  # the first line with a value of each indicator, for the missing-baseline warning
            if has_value is None:
                has_value = list(map(not_, map(NOT_AVAILABLE.__contains__, vals)))
            for i, valued, line in zip(ind, has_value, lines, strict=True):
                if valued and i in new and i not in self.first_value:
                    self.first_value[i] = line
        return True

    def take(self, rows: list[list[str]], lines: Sequence[int]) -> None:
        """Hand the rows of an accepted chunk to the emitter."""
        emit = self.emit
        if not self.per_row or emit is None:
            return
        rf, specs = self.rf, self.specs
        c_ind, c_val, c_src, c_flag, c_notes = self.c_ind, self.c_val, self.c_src, self.c_flag, self.c_notes
        flag_sets: dict[str, frozenset[str]] = {}
        # The figures are kept (report, review): one string per indicator id, and per source text within the
        # chunk, instead of a fresh copy of each in every row - a tenth of report's memory at 1,000 units.
        canonical, sources = self.fast.canonical, dict[str, str]()
        batch: list[Emitted] = []
        add = batch.append
        no_dims = self.fast.no_dims
        for row, line in zip(rows, lines, strict=True):
            ind = canonical[row[c_ind]]
            text = row[c_val]
            if text in NOT_AVAILABLE:
                value = None
            elif text == "yes" or text == "no":  # only yes/no indicators get here with these (see accept)
                value = 1.0 if text == "yes" else 0.0
            else:
                value = float(text) + 0.0
            flags: frozenset[str] = frozenset()
            if c_flag is not None and row[c_flag]:
                cell = row[c_flag]
                flags = flag_sets.get(cell) or flag_sets.setdefault(
                    cell, frozenset(p.strip() for p in cell.split(";") if p.strip())
                )
            dims = () if ind in no_dims else tuple(row[c] if c >= 0 else "" for c in specs[ind].dim_cols)
            notes = row[c_notes] if c_notes is not None else ""
            source = row[c_src].strip()
            add((line, ind, dims, value, None, None, flags, sources.setdefault(source, source), notes))
        emit.values(rf, batch)

    # -- the authoritative path ---------------------------------------------------------------------------
    def check_row(self, line: int, row: list[str]) -> None:
        """Check one row, writing a finding for each problem; a valid row goes to the emitter."""
        rf, sink, emit, columns, width, specs = (
            self.rf,
            self.sink,
            self.emit,
            self.columns,
            self.width,
            self.specs,
        )
        c_ind, c_val, c_src, c_low, c_up = self.c_ind, self.c_val, self.c_src, self.c_low, self.c_up
        c_unit, c_flag, c_notes = self.c_unit, self.c_flag, self.c_notes
        check_common = "country" in columns or "year" in columns
        number = NUMBER.fullmatch
        file = rf.file
        if len(row) != width:
            if not any(c.strip() for c in row):
                return
            sink(_row_length(rf, line, len(row), width))
            return
        ind_text = row[c_ind].strip()
        spec = specs.get(ind_text)
        if spec is None:
            if not any(c.strip() for c in row):
                return
            close = "" if sink.full("unknown-indicator") else suggest(ind_text, specs)
            sink(
                finding(
                    file,
                    line,
                    "unknown-indicator",
                    f"{quote(ind_text)} is not an indicator of the plan" if ind_text else "the indicator is empty",
                    f"did you mean '{close}'?" if close else "see `aseanwp plan` for the indicator ids",
                    column="indicator",
                    col=c_ind + 1,
                )
            )
            return
        ok = True
        unit = spec.unit
        # value: the common case (a plain number) stays on the fast path
        text = row[c_val].strip()
        if text in NOT_AVAILABLE:
            value = None
        elif number(text) and unit != "yes_no":
            value, problem = check_range(float(text), unit, text)
            if problem is not None:
                sink(finding(file, line, problem.code, problem.message, problem.hint, "value", c_val + 1))
                ok = False
        else:
            value, problem = parse(text, unit)
            if problem is not None:
                sink(finding(file, line, problem.code, problem.message, problem.hint, "value", c_val + 1))
                ok = False
        # dimensions
        dims: tuple[str, ...] = ()
        if spec.dim_cols:
            parts = []
            for col, allowed, name in zip(spec.dim_cols, spec.dim_values, spec.indicator.dimensions, strict=True):
                cell = row[col].strip() if col >= 0 else ""
                if cell and cell not in allowed:
                    close = "" if sink.full("unknown-dimension-value") else suggest(cell, allowed)
                    sink(
                        finding(
                            file,
                            line,
                            "unknown-dimension-value",
                            f"{quote(cell)} is not a value of {name}",
                            f"did you mean '{close}'?" if close else f"use one of: {', '.join(sorted(allowed))}",
                            name,
                            col + 1,
                        )
                    )
                    ok = False
                parts.append(cell)
            dims = tuple(parts)
        for col, name in spec.foreign_cols:
            cell = row[col].strip()
            if cell:
                sink(
                    finding(
                        file,
                        line,
                        "unknown-dimension",
                        f"{spec.indicator.id} is not broken down by {name} (got {quote(cell)})",
                        f"leave {name} empty on this row"
                        + (f"; it takes {', '.join(spec.indicator.dimensions)}" if spec.indicator.dimensions else ""),
                        name,
                        col + 1,
                    )
                )
                ok = False
        # the optional cells
        lower = upper = None
        if c_low is not None or c_up is not None:
            bounds: list[float | None] = []
            for bound, name in ((c_low, "lower"), (c_up, "upper")):
                got: Parsed = Parsed(None, None) if bound is None else parse(row[bound].strip(), unit)
                if got.problem is not None:
                    assert bound is not None
                    sink(finding(file, line, got.problem.code, got.problem.message, got.problem.hint, name, bound + 1))
                    ok = False
                bounds.append(got.value)
            lower, upper = bounds
            if ok and (lower is not None or upper is not None):
                message = ""
                if unit == "yes_no":
                    message = "a yes/no figure cannot be a range"
                elif lower is None or upper is None:
                    message = "a range needs both lower and upper"
                elif lower > upper:
                    message = f"lower {lower:g} is above upper {upper:g}"
                elif value is not None and not lower <= value <= upper:
                    message = f"value {value:g} is outside its range {lower:g}-{upper:g}"
                if message:
                    col_name = "lower" if c_low is not None else "upper"
                    col_at = c_low if c_low is not None else c_up
                    assert col_at is not None
                    sink(
                        finding(
                            file,
                            line,
                            "bad-range",
                            message,
                            "give lower <= value <= upper, both ends, or leave both empty",
                            col_name,
                            col_at + 1,
                        )
                    )
                    ok = False
        if c_unit is not None:
            cell = row[c_unit].strip()
            if cell and cell != unit:
                sink(
                    finding(
                        file,
                        line,
                        "unit-mismatch",
                        f"unit {quote(cell)} differs from the plan's unit '{unit}' for {spec.indicator.id}",
                        f"convert the figure to {unit} and write '{unit}', or leave the unit empty",
                        "unit",
                        c_unit + 1,
                    )
                )
                ok = False
        flags: frozenset[str] = frozenset()
        if c_flag is not None:
            cell = row[c_flag].strip()
            if cell:
                parts = [p.strip() for p in cell.split(";") if p.strip()]
                bad = [p for p in parts if p not in FLAGS]
                if bad:
                    sink(
                        finding(
                            file,
                            line,
                            "bad-flag",
                            f"unknown flag {quote(bad[0])}",
                            f"flags are {', '.join(FLAGS)}, separated by ';'",
                            "flag",
                            c_flag + 1,
                        )
                    )
                    ok = False
                flags = frozenset(parts)
                if "not_applicable" in flags and (value is not None or lower is not None):
                    sink(
                        finding(
                            file,
                            line,
                            "bad-flag",
                            "not_applicable is flagged but the row has a figure",
                            "leave value, lower and upper empty when the indicator does not apply",
                            "flag",
                            c_flag + 1,
                        )
                    )
                    ok = False
        source = row[c_src].strip()
        # a figure was given (even one with its own finding): it needs a source
        given = text not in NOT_AVAILABLE or any(
            col is not None and row[col].strip() not in NOT_AVAILABLE for col in (c_low, c_up)
        )
        if not source and given:
            sink(
                finding(
                    file,
                    line,
                    "missing-source",
                    "the figure has no source",
                    "name the report the figure comes from, or write 'illustrative' for a made-up figure",
                    "source",
                    c_src + 1,
                )
            )
            ok = False
        if check_common and not _common_cells(rf, line, row, columns, sink):
            ok = False
        key = (ind_text, *[row[c].strip() for c in self.dim_all])
        h = hash(key)
        if h in self.seen:
            self.suspects.append((line, key))
            ok = False
        else:
            self.seen.add(h)
        if ok and (value is not None or "not_applicable" in flags) and ind_text not in self.first_value:
            self.first_value[ind_text] = line
        if ok and self.per_row:
            assert emit is not None
            emit.values(
                rf,
                [
                    (
                        line,
                        ind_text,
                        dims,
                        value,
                        lower,
                        upper,
                        flags,
                        source,
                        row[c_notes] if c_notes is not None else "",
                    )
                ],
            )

    def finish(self) -> None:
        if self.suspects:
            _duplicates(self.rf, self.columns, self.dim_all, self.suspects, self.sink)
        if not self.first_value and not self.sink.counts:
            # a blank template passed `validate --strict`, the gate on submissions: say so, as a warning (a
            # file of NA is a country saying no figure exists, which is rare enough to be worth a look too)
            self.sink(
                finding(
                    self.rf.file,
                    None,
                    "no-figures",
                    "the file gives no figure: every value is empty or marked not available",
                    "fill in value and source from the Country Report (see `aseanwp template`)",
                )
            )
        if self.emit is not None:
            self.emit.indicators(self.rf, self.first_value)


def _duplicates(
    rf: ReportFile,
    columns: dict[str, int],
    dim_all: tuple[int, ...],
    suspects: list[tuple[int, tuple[str, ...]]],
    sink: Callable[[Finding], None],
) -> None:
    """Confirm rows whose key hash was seen before, re-reading the file to name each first occurrence.

    Keeping only hashes in the main pass holds memory to a few bytes per series; duplicates are rare.
    """
    wanted = {key for _, key in suspects}
    first: dict[tuple[str, ...], int] = {}
    c_ind = columns["indicator"]
    width = -1
    for line, row in records(rf.path, rf.file, lambda f: None):
        if width < 0:  # the header (not always on line 1: blank lines may come first)
            width = len(row)
            continue
        if len(row) != width:  # a malformed row was not counted in the main pass either
            continue
        key = (row[c_ind].strip(), *[row[c].strip() for c in dim_all])
        if key in wanted and key not in first:
            first[key] = line
    for line, key in suspects:
        at = first.get(key)
        if at is None or at == line:
            continue  # a hash collision, not a duplicate
        what = key[0] + "".join(f", {d}" for d in key[1:] if d)
        sink(
            finding(
                rf.file,
                line,
                "duplicate-row",
                f"{quote(what)} is reported twice; first on line {at}",
                "keep one row per indicator and breakdown; delete or correct the other",
                "indicator",
                c_ind + 1,
            )
        )


def _action_rows(
    plan: Plan,
    rf: ReportFile,
    columns: dict[str, int],
    width: int,
    stream: Iterable[tuple[int, list[str]]],
    sink: CappedSink,
    emit: Emitter | None,
) -> int:
    c_act, c_status = columns["action"], columns["status"]
    c_src, c_notes = columns.get("source"), columns.get("notes")
    first: dict[str, int] = {}
    ids = plan.action_ids
    rows = 0
    for line, row in stream:
        rows += 1
        if len(row) != width:
            if any(c.strip() for c in row):
                sink(_row_length(rf, line, len(row), width))
            continue
        ok = True
        action = row[c_act].strip()
        if plan.action(action) is None:
            close = "" if sink.full("unknown-action") else suggest(action, ids)
            sink(
                finding(
                    rf.file,
                    line,
                    "unknown-action",
                    f"{quote(action)} is not an action of the plan" if action else "the action id is empty",
                    f"did you mean '{close}'?" if close else "see `aseanwp plan` for the action ids (e.g. II.1.8)",
                    "action",
                    c_act + 1,
                )
            )
            ok = False
        status = row[c_status].strip().lower().replace(" ", "_")
        if not status and not any(c.strip() for i, c in enumerate(row) if i not in (c_act, c_src, c_notes)):
            continue  # a template row left blank: the action is not reported
        if status not in ACTION_STATUSES:
            close = "" if sink.full("bad-status") else suggest(status, ACTION_STATUSES)
            sink(
                finding(
                    rf.file,
                    line,
                    "bad-status",
                    f"{quote(row[c_status].strip())} is not an action status",
                    f"did you mean '{close}'?" if close else f"use one of: {', '.join(ACTION_STATUSES)}",
                    "status",
                    c_status + 1,
                )
            )
            ok = False
        if "country" in columns or "year" in columns:
            ok = _common_cells(rf, line, row, columns, sink) and ok
        if action in first:
            sink(
                finding(
                    rf.file,
                    line,
                    "duplicate-row",
                    f"action {quote(action)} is listed twice; first on line {first[action]}",
                    "keep one row per action",
                    "action",
                    c_act + 1,
                )
            )
            ok = False
        else:
            first[action] = line
        if ok and emit is not None:
            emit.action(
                rf,
                line,
                action,
                status,
                row[c_src].strip() if c_src is not None else "",
                row[c_notes] if c_notes is not None else "",
            )
    return rows
