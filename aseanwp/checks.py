"""The checks of SPEC 2.4 on one report file, run as its rows stream past.

The plan is compiled once into per-indicator lookups so that the row loop does dictionary lookups and one regular
expression per cell. Valid rows are handed to an ``Emitter`` (the cross-file checks, the data set of ``report``);
nothing keeps a row object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from aseanwp.findings import Finding, finding
from aseanwp.plan import Indicator, Plan, suggest
from aseanwp.reports import ReportFile, records
from aseanwp.textsafe import quote
from aseanwp.values import NOT_AVAILABLE, NUMBER, Parsed, check_range, parse

INDICATOR_COLUMNS = ("indicator", "value", "lower", "upper", "unit", "source", "flag", "notes", "country", "year")
INDICATOR_REQUIRED = ("indicator", "value", "source")
ACTION_COLUMNS = ("action", "status", "source", "notes", "country", "year")
ACTION_REQUIRED = ("action", "status")
FLAGS = ("estimate", "provisional", "break", "not_applicable")
ACTION_STATUSES = ("not_started", "planned", "ongoing", "completed", "not_applicable")
PER_CODE_LIMIT = 200  # findings of one code in one file; the rest are counted in one closing finding


class Emitter(Protocol):
    """Receives every valid row."""

    def value(
        self,
        rf: ReportFile,
        line: int,
        indicator: str,
        dims: tuple[str, ...],
        value: float | None,
        lower: float | None,
        upper: float | None,
        flags: frozenset[str],
        source: str,
        notes: str,
    ) -> None: ...

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

    @property
    def errors(self) -> int:
        return sum(n for code, n in self.counts.items() if code not in ("missing-baseline", "missing-report", "jump"))


@dataclass(frozen=True, slots=True)
class _IndicatorSpec:
    indicator: Indicator
    unit: str
    dim_cols: tuple[int, ...]  # for each of the indicator's dimensions, its column (-1 when the file lacks it)
    dim_values: tuple[frozenset[str], ...]
    foreign_cols: tuple[tuple[int, str], ...]  # dimension columns in the file this indicator does not take


def _header(
    plan: Plan, rf: ReportFile, line: int, cells: list[str], sink: Callable[[Finding], None]
) -> dict[str, int] | None:
    """Map column names to positions; report structure problems. None when rows cannot be read safely."""
    if rf.kind == "indicators":
        known: tuple[str, ...] = INDICATOR_COLUMNS + tuple(plan.dimensions)
        required = INDICATOR_REQUIRED
    else:
        known, required = ACTION_COLUMNS, ACTION_REQUIRED
    columns: dict[str, int] = {}
    fatal = False
    for i, raw in enumerate(cells):
        name = raw.strip().lower()
        if not name:
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


def _compile(plan: Plan, columns: dict[str, int]) -> dict[str, _IndicatorSpec]:
    specs = {}
    file_dims = [d for d in plan.dimensions if d in columns]
    for ind in plan.indicators:
        dim_cols = tuple(columns.get(d, -1) for d in ind.dimensions)
        dim_values = tuple(frozenset(plan.dimensions.get(d, ())) for d in ind.dimensions)
        foreign = tuple((columns[d], d) for d in file_dims if d not in ind.dimensions)
        specs[ind.id] = _IndicatorSpec(ind, ind.unit, dim_cols, dim_values, foreign)
    return specs


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
    stream = records(rf.path, rf.file, sink)
    header = next(stream, None)
    if header is None:
        sink.close(rf.file)
        return 0
    columns = _header(plan, rf, header[0], header[1], sink)
    rows = 0
    if columns is not None:
        if rf.kind == "indicators":
            rows = _indicator_rows(plan, rf, columns, len(header[1]), stream, sink, emit)
        else:
            rows = _action_rows(plan, rf, columns, len(header[1]), stream, sink, emit)
    else:
        for _ in stream:  # still read to the end, so encoding problems further down are found too
            rows += 1
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


def _indicator_rows(
    plan: Plan,
    rf: ReportFile,
    columns: dict[str, int],
    width: int,
    stream: Iterable[tuple[int, list[str]]],
    sink: CappedSink,
    emit: Emitter | None,
) -> int:
    specs = _compile(plan, columns)
    c_ind, c_val, c_src = columns["indicator"], columns["value"], columns["source"]
    c_low, c_up = columns.get("lower"), columns.get("upper")
    c_unit, c_flag, c_notes = columns.get("unit"), columns.get("flag"), columns.get("notes")
    check_common = "country" in columns or "year" in columns
    number = NUMBER.fullmatch
    file = rf.file
    seen: set[int] = set()
    suspects: list[tuple[int, tuple[str, tuple[str, ...]]]] = []
    rows = 0
    for line, row in stream:
        rows += 1
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue
            sink(_row_length(rf, line, len(row), width))
            continue
        ind_text = row[c_ind].strip()
        spec = specs.get(ind_text)
        if spec is None:
            if not any(c.strip() for c in row):
                continue
            close = suggest(ind_text, specs)
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
            continue
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
                    close = suggest(cell, allowed)
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
            for col, name in ((c_low, "lower"), (c_up, "upper")):
                got: Parsed = Parsed(None, None) if col is None else parse(row[col].strip(), unit)
                if got.problem is not None:
                    assert col is not None
                    sink(finding(file, line, got.problem.code, got.problem.message, got.problem.hint, name, col + 1))
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
        if not source and (value is not None or lower is not None or upper is not None):
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
        key = (ind_text, dims)
        h = hash(key)
        if h in seen:
            suspects.append((line, key))
        else:
            seen.add(h)
        if ok and emit is not None:
            emit.value(rf, line, ind_text, dims, value, lower, upper, flags, source, row[c_notes] if c_notes else "")
    if suspects:
        _duplicates(plan, rf, columns, specs, suspects, sink)
    return rows


def _duplicates(
    plan: Plan,
    rf: ReportFile,
    columns: dict[str, int],
    specs: dict[str, _IndicatorSpec],
    suspects: list[tuple[int, tuple[str, tuple[str, ...]]]],
    sink: Callable[[Finding], None],
) -> None:
    """Confirm rows whose key hash was seen before, re-reading the file to name each first occurrence.

    Keeping only hashes in the main pass holds memory to a few bytes per series; duplicates are rare.
    """
    wanted = {key for _, key in suspects}
    first: dict[tuple[str, tuple[str, ...]], int] = {}
    c_ind = columns["indicator"]
    width = -1
    for line, row in records(rf.path, rf.file, lambda f: None):
        if width < 0:  # the header (not always on line 1: blank lines may come first)
            width = len(row)
            continue
        if len(row) != width:  # a malformed row was not counted in the main pass either
            continue
        ind_text = row[c_ind].strip()
        spec = specs.get(ind_text)
        dims: tuple[str, ...] = ()
        if spec is not None and spec.dim_cols:
            dims = tuple(row[c].strip() if 0 <= c < len(row) else "" for c in spec.dim_cols)
        key = (ind_text, dims)
        if key in wanted and key not in first:
            first[key] = line
    for line, key in suspects:
        at = first.get(key)
        if at is None or at == line:
            continue  # a hash collision, not a duplicate
        what = key[0] + "".join(f", {d}" for d in key[1] if d)
        sink(
            finding(
                rf.file,
                line,
                "duplicate-row",
                f"{quote(what)} is reported twice; first on line {at}",
                "keep one row per indicator and breakdown; delete or correct the other",
                "indicator",
                columns["indicator"] + 1,
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
            close = suggest(action, ids)
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
        if status not in ACTION_STATUSES:
            close = suggest(status, ACTION_STATUSES)
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
