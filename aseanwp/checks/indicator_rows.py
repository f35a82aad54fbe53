"""The checks of an indicator file's rows: a fast test per chunk and the authoritative check per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import not_

from aseanwp.checks.common_cells import Conflicts, common_cells, row_length
from aseanwp.checks.duplicates import duplicates
from aseanwp.checks.emitter import Emitted, Emitter
from aseanwp.checks.layout import layout
from aseanwp.checks.shapes import Shape, rows_of, shape_of, values_pass
from aseanwp.checks.sink import CappedSink
from aseanwp.findings import finding
from aseanwp.plan import Plan, suggest
from aseanwp.reports import ReportFile
from aseanwp.textsafe import quote
from aseanwp.values import NOT_AVAILABLE, NUMBER, Parsed, check_range, parse, source_problem, word

FLAGS = ("estimate", "provisional", "break", "not_applicable")
_NO_FLAGS: frozenset[str] = frozenset()


class IndicatorFile:
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
        self.specs, self.fast = layout(plan, columns)
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
        self.conflicts = Conflicts(rf, sink)
        self._accepted: tuple[list[list[str]], Shape, list[tuple[str, ...]]] = ([], Shape(False), [])

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
        shape = shape_of(f, ind, [cols[c] for c in self.dim_all], None if self.c_unit is None else cols[self.c_unit])
        if not shape.ok:
            return False
        vals = cols[self.c_val]
        if not values_pass(shape, vals):
            return False
        for bound in (self.c_low, self.c_up):
            if bound is not None and set(cols[bound]) != {""}:
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
        unsourced = {s for s in sources if source_problem(s.strip()) is not None}
        if unsourced:
            # an empty or placeholder source is allowed where the value is not available
            has_value = list(map(not_, map(NOT_AVAILABLE.__contains__, vals)))
            if not unsourced.isdisjoint(compress(cols[self.c_src], has_value)):
                return False
        for name, expected in (("country", self.rf.country), ("year", str(self.rf.year))):
            at = self.columns.get(name)
            if at is not None and not set(cols[at]) <= {"", expected}:
                return False
        if not self.seen.isdisjoint(shape.hashes):
            return False  # a series of an earlier chunk again: the row checks will name it
        self.seen |= shape.hashes
        new = shape.inds - self.first_value.keys()
        if new:  # the first line with a value of each indicator, for the missing-baseline warning
            if has_value is None:
                has_value = list(map(not_, map(NOT_AVAILABLE.__contains__, vals)))
            for i, valued, line in zip(ind, has_value, lines, strict=True):
                if valued and i in new and i not in self.first_value:
                    self.first_value[i] = line
        self._accepted = (rows, shape, cols)
        return True

    def take(self, rows: list[list[str]], lines: Sequence[int]) -> None:
        """Hand the rows of an accepted chunk to the emitter, built column by column (C-level zips and maps)."""
        emit = self.emit
        if not self.per_row or emit is None:
            return
        accepted, shape, cols = self._accepted
        if accepted is not rows:  # not the chunk accept just saw (a caller's copy): work its columns out again
            cols = list(zip(*rows, strict=True))
            c_unit = self.c_unit
            shape = shape_of(self.fast, cols[self.c_ind], [cols[c] for c in self.dim_all],
                             None if c_unit is None else cols[c_unit])  # fmt: skip
        if shape.canon is None or shape.dims is None:
            rows_of(shape, self.fast, self.specs, cols[self.c_ind])
        assert shape.canon is not None and shape.dims is not None
        n = len(rows)
        values = [
            None if t in NOT_AVAILABLE else 1.0 if t == "yes" else 0.0 if t == "no" else float(t) + 0.0
            for t in cols[self.c_val]
        ]  # yes and no reach here only for yes/no indicators (see accept)
        flags: Iterable[frozenset[str]] = repeat(_NO_FLAGS, n)
        if self.c_flag is not None:
            flag_sets = {
                cell: frozenset(p.strip() for p in cell.split(";") if p.strip()) if cell else _NO_FLAGS
                for cell in set(cols[self.c_flag])
            }
            flags = map(flag_sets.__getitem__, cols[self.c_flag])
        # The figures are kept (report, review): one string per indicator id, and per source text within the
        # chunk, instead of a fresh copy of each in every row - a tenth of report's memory at 1,000 units.
        stripped = list(map(str.strip, cols[self.c_src]))
        interned: dict[str, str] = {}
        sources = map(interned.setdefault, stripped, stripped)
        notes = cols[self.c_notes] if self.c_notes is not None else repeat("", n)
        batch: list[Emitted] = list(zip(lines, shape.canon, shape.dims, values, repeat(None, n), repeat(None, n),
                                        flags, sources, notes, strict=True))  # fmt: skip
        emit.values(self.rf, batch)

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
        if row[0][:1] in "<=>|" and self.conflicts.marker(line, row):
            return
        if len(row) != width:
            if not any(c.strip() for c in row):
                return
            sink(row_length(rf, line, len(row), width))
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
                    field=c_ind + 1,
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
            if cell and word(cell) != unit:
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
                written = [p.strip() for p in cell.split(";") if p.strip()]
                parts = [word(p) for p in written]
                bad = [w for w, p in zip(written, parts, strict=True) if p not in FLAGS]
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
        no_source = source_problem(source) if given else None
        if no_source is not None:
            sink(finding(file, line, no_source.code, no_source.message, no_source.hint, "source", c_src + 1))
            ok = False
        if check_common and not common_cells(rf, line, row, columns, sink):
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
            duplicates(self.rf, self.columns, self.dim_all, self.suspects, self.sink)
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
